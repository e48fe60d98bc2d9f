/* Every public function survives NULL and empty arguments (mlcore.h).
 *
 * The table at the end has one probe per function of the public headers
 * (every_public_function_has_a_probe reads include/mlcore and fails on a
 * function without one, or a probe without a function; the compiler fails
 * on a probe missing from the table). A probe makes one valid call
 * on small fixtures, with each argument wrapped in a marker that says what
 * the argument is:
 *   R(i, v)  a required pointer: NULL must give MLC_EINVAL and a message
 *            (or, for getters and void functions, the documented safe answer);
 *   F(i, v)  a required pointer whose NULL gives another documented error;
 *   O(i, v)  an optional pointer: NULL must be accepted or refused cleanly;
 *   M(i, v)  an input or output matrix: NULL as R, and a matrix without data,
 *            without rows, without columns and a zeroed one must not crash;
 *   MO(i, v) the same for a matrix that may be NULL;
 *   Z(i, v)  a size or count: 0 must not crash.
 * The runner first calls the probe as written (it must succeed), then once
 * per marker and variant with that one argument replaced. Failures must set
 * a message; filled structs must be empty after a failure and objects NULL.
 * Problems are collected (one line each on stderr), then the probe fails. */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test_util.h"

/* ------------------------------------------------------------ the markers */

enum arg_kind { ARG_NONE, ARG_REQ, ARG_FAIL, ARG_OPT, ARG_MAT, ARG_OPT_MAT, ARG_SIZE };
enum variant { V_NONE, V_NULL, V_NODATA, V_NO_ROWS, V_NO_COLS, V_ZEROED, V_ZERO };
#define MAX_ARGS 12

static int arg_kind[MAX_ARGS]; /* what each marker of the probe said */
static int sub_arg = -1;       /* the argument replaced in this call, -1 for none */
static int sub_variant;        /* by what */

static int marker_(int i, int kind)
{
    arg_kind[i] = kind;
    return i == sub_arg ? sub_variant : V_NONE;
}

/* The replaced matrix: static, so that an output written by mistake lands
 * here and not on the caller's data. */
static mlc_matrix *matrix_marker_(int i, int kind, const mlc_matrix *v)
{
    static mlc_matrix alt;
    int variant = marker_(i, kind);
    if (variant == V_NONE || !v)
        return (mlc_matrix *)v;
    if (variant == V_NULL)
        return NULL;
    alt = *v;
    alt.owns = 0;
    if (variant == V_NODATA)
        alt.data = NULL;
    else if (variant == V_NO_ROWS)
        alt.rows = 0;
    else if (variant == V_NO_COLS)
        alt.cols = 0;
    else
        memset(&alt, 0, sizeof alt);
    return &alt;
}

#define R(i, v) (marker_((i), ARG_REQ) == V_NULL ? NULL : (v))
#define F(i, v) (marker_((i), ARG_FAIL) == V_NULL ? NULL : (v))
#define O(i, v) (marker_((i), ARG_OPT) == V_NULL ? NULL : (v))
#define Z(i, v) (marker_((i), ARG_SIZE) == V_ZERO ? 0 : (v))
#define M(i, v) matrix_marker_((i), ARG_MAT, (v))
#define MO(i, v) matrix_marker_((i), ARG_OPT_MAT, (v))

/* A required pointer (or matrix) is NULL in this call. */
static int nulled(void)
{
    return sub_arg >= 0 && sub_variant == V_NULL &&
           (arg_kind[sub_arg] == ARG_REQ || arg_kind[sub_arg] == ARG_MAT);
}

/* ------------------------------------------------------------ problems */

static int n_problems;
static const char *cur_name = "";
static char cur_call[64] = "";

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[api_null] %s%s: ", cur_name, cur_call);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    n_problems++;
}

/* Getters and void functions: the answer for a NULL object (probes return 0
 * when it is right). */
static int same_num(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}
static int same_ptr(const void *a, const void *b)
{
    return a == b;
}
#define SAME(a, b)                                                                          \
    _Generic((a), double: same_num, int: same_num, unsigned: same_num, long: same_num,      \
             unsigned long: same_num, long long: same_num, unsigned long long: same_num,    \
             default: same_ptr)((a), (b))
static int safe_(int same, const char *call)
{
    if (nulled() && !same) {
        problem("%s did not give its documented answer for NULL", call);
        return -1;
    }
    return 0;
}
/* `call` must give `safe` when a required argument is NULL. */
#define SAFE(call, safe) safe_(SAME((call), (safe)), #call)

/* Filled structs: the probe fills them with garbage first (a function must
 * not read its output struct), they must be empty after a failure. */
#define GARBAGE(s) memset(&(s), 0xA5, sizeof(s))
static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}
/* 1 when the struct must be cleared (a success). */
static int filled_(int st, int out_arg, void *s, size_t size)
{
    if (st == MLC_OK)
        return 1;
    int out_was_null = sub_arg == out_arg && sub_variant == V_NULL;
    if (!out_was_null && !all_zero(s, size))
        problem("the output struct is not empty after a failure (%s)", mlc_strerror(st));
    memset(s, 0, size);
    return 0;
}
/* Status of a call filling struct s (argument out_arg), clearing s after. */
#define FILLED(st, out_arg, s, clear_fn)                                                    \
    (filled_((st), (out_arg), &(s), sizeof(s)) ? (clear_fn(&(s)), MLC_OK) : (st))

/* Objects: NULL after a failure; freed after a success. */
static int object_(int st, int made)
{
    if (st != MLC_OK && made)
        problem("*out is not NULL after a failure (%s)", mlc_strerror(st));
    return st;
}
#define OBJECT(st, obj, free_fn) (object_((st), (obj) != NULL), free_fn(obj), (st))

/* ------------------------------------------------------------ fixtures */

#define N 12
#define P 3
static struct {
    int ready;
    double xd[N * P], yd[N], yc[N], y3[N], score[N], proba3[N * 3], w[N];
    int32_t lab[N];
    mlc_matrix X, Y;
    double buf[8192], buf2[8192], buf3[8192];
    size_t idx[64], idx2[64];
    int32_t ibuf[256];
    int64_t i64[64];
    char dir[64], csv[96], npy[96], model[96], out_file[96];
    void *npy_bytes;
    size_t npy_len;
    mlc_linear_regression *lr;
    mlc_ridge *ridge;
    mlc_ridge_cv *ridge_cv;
    mlc_elastic_net *enet;
    mlc_lasso *lasso;
    mlc_elastic_net_cv *enet_cv;
    mlc_lasso_cv *lasso_cv;
    mlc_kmeans *km;
    mlc_agglomerative_clustering *agg;
    mlc_dbscan *db;
    mlc_gaussian_mixture *gmm;
    mlc_standard_scaler *ss;
    mlc_min_max_scaler *mm;
    mlc_svm *svc;
    mlc_linear_svc *lsvc;
    mlc_linear_svr *lsvr;
    mlc_neighbors *nn;
    mlc_k_neighbors_classifier *knc;
    mlc_k_neighbors_regressor *knr;
    mlc_estimator *est, *est_tr, *scratch;
    mlc_splitter *kf;
    mlc_rng *rng;
    mlc_attribute attr;
    mlc_class_report report;
    mlc_grid_results grid;
    mlc_table table;
    mlc_linear_regression_params lr_p;
    mlc_ridge_params ridge_p;
    mlc_ridge_cv_params ridge_cv_p;
    mlc_elastic_net_params enet_p;
    mlc_lasso_params lasso_p;
    mlc_enet_path_params path_p;
    mlc_elastic_net_cv_params enet_cv_p;
    mlc_lasso_cv_params lasso_cv_p;
    mlc_kmeans_params km_p;
    mlc_agglomerative_clustering_params agg_p;
    mlc_dbscan_params db_p;
    mlc_gaussian_mixture_params gmm_p;
    mlc_standard_scaler_params ss_p;
    mlc_min_max_scaler_params mm_p;
    mlc_split_params split_p;
    mlc_blobs_params blobs_p;
    mlc_regression_params reg_p;
    mlc_classification_params cls_p;
    mlc_svc_params svc_p;
    mlc_nu_svc_params nu_svc_p;
    mlc_svr_params svr_p;
    mlc_nu_svr_params nu_svr_p;
    mlc_one_class_svm_params ocs_p;
    mlc_linear_svc_params lsvc_p;
    mlc_linear_svr_params lsvr_p;
    mlc_neighbors_params nn_p;
    mlc_k_neighbors_classifier_params knc_p;
    mlc_k_neighbors_regressor_params knr_p;
} fx;

static const char *const grid_values[] = {"0.1", "1"};
static const mlc_grid_param grid_param[] = {{"alpha", grid_values, 2}};

#define OK_(call) ck_assert_msg((call) == MLC_OK, "%s: %s", #call, mlc_last_error_message())

/* Three groups of four points: the clustering estimators find them. */
static void fixture_data(void)
{
    static const double pts[N * P] = {
        0.1, 0.2,  0.0,  0.3,  -0.1, 0.2, -0.2, 0.1, 0.1, 0.0,  -0.3, -0.1,
        5.0, 5.1,  0.2,  5.2,  4.9,  -0.1, 4.8, 5.2, 0.0, 5.1,  4.8,  0.3,
        0.2, 5.0,  5.1,  -0.1, 5.2,  4.9, 0.1,  4.8, 5.2, 0.3,  5.1,  4.8};
    memcpy(fx.xd, pts, sizeof pts);
    fx.X = mlc_matrix_wrap(fx.xd, N, P, 0);
    for (size_t i = 0; i < N; i++) {
        const double *r = fx.xd + i * P;
        fx.yd[i] = r[0] + 2 * r[1] - r[2] + 0.01 * (double)(i % 5);
        fx.yc[i] = (double)(i % 2);
        fx.lab[i] = (int32_t)(i / 4);
        fx.y3[i] = (double)(i / 4);
        fx.score[i] = (i % 2 ? 0.6 : 0.3) + 0.02 * (double)i;
        fx.w[i] = 1.0 + 0.1 * (double)i;
        for (size_t c = 0; c < 3; c++)
            fx.proba3[i * 3 + c] = c == i % 3 ? 0.6 : 0.2;
    }
    fx.Y = mlc_matrix_wrap(fx.yd, N, 1, 0);
}

static void fixture_files(void)
{
    snprintf(fx.dir, sizeof fx.dir, "/tmp/mlc_api_null_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(fx.dir));
    snprintf(fx.csv, sizeof fx.csv, "%s/data.csv", fx.dir);
    snprintf(fx.npy, sizeof fx.npy, "%s/data.npy", fx.dir);
    snprintf(fx.model, sizeof fx.model, "%s/model.json", fx.dir);
    snprintf(fx.out_file, sizeof fx.out_file, "%s/out", fx.dir);
    OK_(mlc_csv_write(fx.csv, &fx.X, NULL));
    OK_(mlc_npy_write(fx.npy, &fx.X));
    FILE *f = fopen(fx.npy, "rb");
    ck_assert_ptr_nonnull(f);
    fx.npy_bytes = malloc(4096);
    fx.npy_len = fread(fx.npy_bytes, 1, 4096, f);
    fclose(f);
    OK_(mlc_csv_read(fx.csv, &fx.table));
}

static void fixture_models(void)
{
    fx.lr_p = mlc_linear_regression_params_default();
    fx.ridge_p = mlc_ridge_params_default();
    fx.ridge_cv_p = mlc_ridge_cv_params_default();
    fx.ridge_cv_p.store_cv_values = 1;
    fx.enet_p = mlc_elastic_net_params_default();
    fx.enet_p.alpha = 0.1;
    fx.lasso_p = mlc_lasso_params_default();
    fx.lasso_p.alpha = 0.1;
    fx.path_p = mlc_enet_path_params_default();
    fx.path_p.alpha_grid_size = 5;
    fx.enet_cv_p = mlc_elastic_net_cv_params_default();
    fx.enet_cv_p.alpha_grid_size = 5;
    fx.enet_cv_p.cv = 3;
    fx.lasso_cv_p = mlc_lasso_cv_params_default();
    fx.lasso_cv_p.alpha_grid_size = 5;
    fx.lasso_cv_p.cv = 3;
    fx.km_p = mlc_kmeans_params_default();
    fx.agg_p = mlc_agglomerative_clustering_params_default();
    fx.agg_p.compute_distances = 1;
    fx.db_p = mlc_dbscan_params_default();
    fx.db_p.eps = 1e6; /* every point a core point: components_ is not empty */
    fx.svc_p = mlc_svc_params_default();
    fx.nu_svc_p = mlc_nu_svc_params_default();
    fx.svr_p = mlc_svr_params_default();
    fx.nu_svr_p = mlc_nu_svr_params_default();
    fx.ocs_p = mlc_one_class_svm_params_default();
    fx.lsvc_p = mlc_linear_svc_params_default();
    fx.lsvc_p.random_state = 0;
    fx.lsvr_p = mlc_linear_svr_params_default();
    fx.lsvr_p.random_state = 0;
    fx.km_p.n_clusters = 3;
    fx.km_p.random_state = 0;
    fx.gmm_p = mlc_gaussian_mixture_params_default();
    fx.gmm_p.n_components = 3;
    fx.gmm_p.covariance_type = MLC_COV_DIAG;
    fx.gmm_p.random_state = 0;
    fx.ss_p = mlc_standard_scaler_params_default();
    fx.mm_p = mlc_min_max_scaler_params_default();
    fx.split_p = mlc_split_params_default();
    fx.split_p.random_state = 0;
    fx.blobs_p = mlc_blobs_params_default();
    fx.blobs_p.random_state = 0;
    fx.reg_p = mlc_regression_params_default();
    fx.reg_p.random_state = 0;
    fx.cls_p = mlc_classification_params_default();
    fx.cls_p.random_state = 0;

    OK_(mlc_linear_regression_fit(&fx.lr_p, &fx.X, fx.yd, &fx.lr));
    OK_(mlc_ridge_fit(&fx.ridge_p, &fx.X, fx.yd, &fx.ridge));
    OK_(mlc_ridge_cv_fit(&fx.ridge_cv_p, &fx.X, fx.yd, &fx.ridge_cv));
    OK_(mlc_elastic_net_fit(&fx.enet_p, &fx.X, fx.yd, &fx.enet));
    OK_(mlc_lasso_fit(&fx.lasso_p, &fx.X, fx.yd, &fx.lasso));
    OK_(mlc_elastic_net_cv_fit(&fx.enet_cv_p, &fx.X, fx.yd, &fx.enet_cv));
    OK_(mlc_lasso_cv_fit(&fx.lasso_cv_p, &fx.X, fx.yd, &fx.lasso_cv));
    OK_(mlc_kmeans_fit(&fx.km_p, &fx.X, NULL, &fx.km));
    OK_(mlc_agglomerative_clustering_fit(&fx.agg_p, &fx.X, &fx.agg));
    OK_(mlc_dbscan_fit(&fx.db_p, &fx.X, NULL, &fx.db));
    OK_(mlc_gaussian_mixture_fit(&fx.gmm_p, &fx.X, &fx.gmm));
    OK_(mlc_standard_scaler_fit(&fx.ss_p, &fx.X, NULL, &fx.ss));
    OK_(mlc_min_max_scaler_fit(&fx.mm_p, &fx.X, &fx.mm));
    OK_(mlc_svc_fit(&fx.svc_p, &fx.X, fx.y3, NULL, &fx.svc));
    OK_(mlc_linear_svc_fit(&fx.lsvc_p, &fx.X, fx.y3, NULL, &fx.lsvc));
    OK_(mlc_linear_svr_fit(&fx.lsvr_p, &fx.X, fx.yd, NULL, &fx.lsvr));
    fx.nn_p = mlc_neighbors_params_default();
    OK_(mlc_neighbors_build(&fx.nn_p, &fx.X, &fx.nn));
    fx.knc_p = mlc_k_neighbors_classifier_params_default();
    fx.knr_p = mlc_k_neighbors_regressor_params_default();
    OK_(mlc_k_neighbors_classifier_fit(&fx.knc_p, &fx.X, fx.y3, &fx.knc));
    OK_(mlc_k_neighbors_regressor_fit(&fx.knr_p, &fx.X, &fx.Y, &fx.knr));

    OK_(mlc_estimator_new("ridge", &fx.est));
    OK_(mlc_estimator_fit(fx.est, &fx.X, fx.yd));
    OK_(mlc_estimator_save(fx.est, fx.model));
    OK_(mlc_estimator_attribute(fx.est, "coef_", &fx.attr));
    OK_(mlc_estimator_new("standard_scaler", &fx.est_tr));
    OK_(mlc_estimator_fit(fx.est_tr, &fx.X, NULL));
    OK_(mlc_estimator_new("kmeans", &fx.scratch));

    OK_(mlc_kfold_new(3, 0, -1, &fx.kf));
    OK_(mlc_splitter_split(fx.kf, N, NULL));
    OK_(mlc_rng_new(0, &fx.rng));
    OK_(mlc_classification_report(fx.yc, fx.yc, N, NULL, 0, NULL, MLC_ZERO_DIVISION_WARN,
                                  &fx.report));
    mlc_fit_data d = {&fx.X, &fx.Y, NULL};
    mlc_grid_options go = mlc_grid_options_default();
    go.cv.n_threads = 1;
    OK_(mlc_grid_search(fx.est, grid_param, 1, &d, &go, &fx.grid));
}

static void fixture_setup(void)
{
    if (fx.ready)
        return;
    fixture_data();
    fixture_files();
    fixture_models();
    fx.ready = 1;
}

static void fixture_teardown(void)
{
    if (!fx.ready)
        return;
    mlc_linear_regression_free(fx.lr);
    mlc_ridge_free(fx.ridge);
    mlc_ridge_cv_free(fx.ridge_cv);
    mlc_elastic_net_free(fx.enet);
    mlc_lasso_free(fx.lasso);
    mlc_elastic_net_cv_free(fx.enet_cv);
    mlc_lasso_cv_free(fx.lasso_cv);
    mlc_kmeans_free(fx.km);
    mlc_agglomerative_clustering_free(fx.agg);
    mlc_dbscan_free(fx.db);
    mlc_gaussian_mixture_free(fx.gmm);
    mlc_standard_scaler_free(fx.ss);
    mlc_min_max_scaler_free(fx.mm);
    mlc_svm_free(fx.svc);
    mlc_linear_svc_free(fx.lsvc);
    mlc_linear_svr_free(fx.lsvr);
    mlc_neighbors_free(fx.nn);
    mlc_k_neighbors_classifier_free(fx.knc);
    mlc_k_neighbors_regressor_free(fx.knr);
    mlc_estimator_free(fx.est);
    mlc_estimator_free(fx.est_tr);
    mlc_estimator_free(fx.scratch);
    mlc_splitter_free(fx.kf);
    mlc_rng_free(fx.rng);
    mlc_class_report_clear(&fx.report);
    mlc_grid_results_clear(&fx.grid);
    mlc_table_clear(&fx.table);
    free(fx.npy_bytes);
    const char *files[] = {fx.csv, fx.npy, fx.model, fx.out_file};
    for (size_t i = 0; i < 4; i++)
        unlink(files[i]);
    rmdir(fx.dir);
    memset(&fx, 0, sizeof fx);
}

/* Output views of the shared buffers. */
static mlc_matrix out_matrix(double *buf, size_t rows, size_t cols)
{
    return mlc_matrix_wrap(buf, rows, cols, 0);
}

/* ================================================================ probes */
/* ---- status.h, version.h, threads.h: no pointer arguments */

static int p_mlc_strerror(void)
{
    return mlc_strerror(-7) == NULL;
}
static int p_mlc_last_error_message(void)
{
    return mlc_last_error_message() == NULL;
}
static int p_mlc_clear_error(void)
{
    mlc_clear_error();
    return 0;
}
static int p_mlc_version(void)
{
    return mlc_version() == NULL;
}
static int p_mlc_version_number(void)
{
    return mlc_version_number() <= 0;
}
static int p_mlc_num_cores(void)
{
    return mlc_num_cores() < 1;
}
static int p_mlc_resolve_threads(void)
{
    return mlc_resolve_threads(-3) < 1;
}

/* ---- matrix.h */

static int p_mlc_matrix_alloc(void)
{
    mlc_matrix m;
    GARBAGE(m);
    int st = mlc_matrix_alloc(R(0, &m), Z(1, 3), Z(2, 2));
    return FILLED(st, 0, m, mlc_matrix_clear);
}
static int p_mlc_matrix_clear(void)
{
    mlc_matrix m;
    OK_(mlc_matrix_alloc(&m, 2, 2));
    mlc_matrix_clear(O(0, &m));
    mlc_matrix_clear(&m);
    return 0;
}
static int p_mlc_matrix_wrap(void)
{
    mlc_matrix m = mlc_matrix_wrap(O(0, fx.buf), 2, 3, 0);
    return m.rows != 2 || m.stride != 3;
}
static int view_is_empty(mlc_matrix v, const char *call)
{
    if (nulled() && (v.rows || v.cols || v.data)) {
        problem("%s of NULL is not an empty view", call);
        return -1;
    }
    return 0;
}
/* The inline accessor checks nothing by design (matrix.h): a valid call only. */
static int p_mlc_matrix_row(void)
{
    return mlc_matrix_row(&fx.X, 1) != fx.xd + P;
}
static int p_mlc_matrix_rows(void)
{
    return view_is_empty(mlc_matrix_rows(M(0, &fx.X), 1, 2), "mlc_matrix_rows");
}
static int p_mlc_matrix_submatrix(void)
{
    return view_is_empty(mlc_matrix_submatrix(M(0, &fx.X), 1, 1, 2, 2), "mlc_matrix_submatrix");
}
static int p_mlc_matrix_column(void)
{
    mlc_vector v = mlc_matrix_column(M(0, &fx.X), 1);
    if (nulled() && (v.len || v.data)) {
        problem("mlc_matrix_column of NULL is not an empty vector");
        return -1;
    }
    return 0;
}
static int p_mlc_matrix_copy(void)
{
    mlc_matrix m;
    GARBAGE(m);
    int st = mlc_matrix_copy(M(0, &fx.X), R(1, &m));
    return FILLED(st, 1, m, mlc_matrix_clear);
}
static int p_mlc_matrix_gather_rows(void)
{
    static const size_t rows[3] = {4, 0, 11};
    mlc_matrix m;
    GARBAGE(m);
    int st = mlc_matrix_gather_rows(M(0, &fx.X), R(1, rows), Z(2, 3), R(3, &m));
    return FILLED(st, 3, m, mlc_matrix_clear);
}
static int p_mlc_vector_gather(void)
{
    static const size_t idx[3] = {4, 0, 11};
    return mlc_vector_gather(R(0, fx.yd), Z(1, N), R(2, idx), Z(3, 3), R(4, fx.buf));
}
static int p_mlc_matrix_check_finite(void)
{
    return mlc_matrix_check_finite(M(0, &fx.X), O(1, "X"));
}
static int p_mlc_array_check_finite(void)
{
    return mlc_array_check_finite(R(0, fx.yd), Z(1, N), O(2, "y"));
}

/* ---- rng.h */

static int p_mlc_rng_new(void)
{
    mlc_rng *g = NULL;
    int st = mlc_rng_new(1, R(0, &g));
    return OBJECT(st, g, mlc_rng_free);
}
static int p_mlc_rng_free(void)
{
    mlc_rng *g = NULL;
    OK_(mlc_rng_new(1, &g));
    mlc_rng_free(O(0, g));
    if (sub_arg == 0)
        mlc_rng_free(g);
    return 0;
}
static int p_mlc_rng_uniform(void)
{
    return SAFE(mlc_rng_uniform(R(0, fx.rng)), NAN);
}
static int p_mlc_rng_uniform_range(void)
{
    return SAFE(mlc_rng_uniform_range(R(0, fx.rng), 1.0, 2.0), NAN);
}
static int p_mlc_rng_index(void)
{
    return SAFE(mlc_rng_index(R(0, fx.rng), Z(1, 10)), (size_t)0);
}
static int p_mlc_rng_normal(void)
{
    return SAFE(mlc_rng_normal(R(0, fx.rng)), NAN);
}
static int p_mlc_rng_seed(void)
{
    return SAFE(mlc_rng_seed(R(0, fx.rng)), (int64_t)-1);
}
static int p_mlc_rng_shuffle(void)
{
    for (size_t i = 0; i < 10; i++)
        fx.idx[i] = i;
    mlc_rng_shuffle(R(0, fx.rng), R(1, fx.idx), Z(2, 10));
    return 0;
}
static int p_mlc_rng_permutation(void)
{
    mlc_rng_permutation(R(0, fx.rng), R(1, fx.idx), Z(2, 10));
    return 0;
}

/* ---- linalg.h */

static int p_mlc_row_sq_norms(void)
{
    mlc_row_sq_norms(M(0, &fx.X), R(1, fx.buf));
    return 0;
}
static int p_mlc_sq_distances(void)
{
    mlc_matrix C = mlc_matrix_rows(&fx.X, 0, 4);
    mlc_matrix D = out_matrix(fx.buf, N, 4);
    mlc_row_sq_norms(&fx.X, fx.buf2);
    mlc_row_sq_norms(&C, fx.buf3);
    return mlc_sq_distances(M(0, &fx.X), O(1, fx.buf2), M(2, &C), O(3, fx.buf3), M(4, &D), 1);
}
static int p_mlc_distance_block_rows(void)
{
    return mlc_distance_block_rows(0) == 0;
}

/* ---- estimator.h */

static int p_mlc_task_name(void)
{
    return mlc_task_name((mlc_task)99) == NULL;
}
static int p_mlc_output_name(void)
{
    return mlc_output_name((mlc_output)99) == NULL;
}
static int p_mlc_attribute_size(void)
{
    return SAFE(mlc_attribute_size(R(0, &fx.attr)), (size_t)0);
}
static int p_mlc_attribute_value(void)
{
    return SAFE(mlc_attribute_value(R(0, &fx.attr), 1), NAN);
}
static int p_mlc_registry_count(void)
{
    return mlc_registry_count() == 0;
}
static int p_mlc_registry_name(void)
{
    return mlc_registry_name(100000) != NULL;
}
static int p_mlc_registry_lookup(void)
{
    mlc_task task;
    const char *summary;
    size_t n_params;
    return mlc_registry_lookup(F(0, "ridge"), O(1, &task), O(2, &summary), O(3, &n_params));
}
static int p_mlc_registry_param(void)
{
    return SAFE(mlc_registry_param(R(0, "ridge"), 0), NULL);
}
static int p_mlc_estimator_new(void)
{
    mlc_estimator *e = NULL;
    int st = mlc_estimator_new(F(0, "ridge"), R(1, &e));
    return OBJECT(st, e, mlc_estimator_free);
}
static int p_mlc_estimator_free(void)
{
    mlc_estimator *e = NULL;
    OK_(mlc_estimator_new("ridge", &e));
    mlc_estimator_free(O(0, e));
    if (sub_arg == 0)
        mlc_estimator_free(e);
    return 0;
}
static int p_mlc_estimator_clone(void)
{
    mlc_estimator *e = NULL;
    int st = mlc_estimator_clone(R(0, fx.est), R(1, &e));
    return OBJECT(st, e, mlc_estimator_free);
}
static int p_mlc_estimator_name(void)
{
    return SAFE(mlc_estimator_name(R(0, fx.est)), NULL);
}
static int p_mlc_estimator_task(void)
{
    return SAFE((int)mlc_estimator_task(R(0, fx.est)), 0);
}
static int p_mlc_estimator_set(void)
{
    return mlc_estimator_set(R(0, fx.scratch), F(1, "tol"), R(2, "0.001"));
}
static int p_mlc_estimator_set_matrix(void)
{
    mlc_matrix C = mlc_matrix_rows(&fx.X, 0, 3);
    int st = mlc_estimator_set_matrix(R(0, fx.scratch), F(1, "init_centers"), MO(2, &C));
    mlc_estimator_set_matrix(fx.scratch, "init_centers", NULL);
    return st;
}
static int p_mlc_estimator_get(void)
{
    char buf[64];
    return mlc_estimator_get(R(0, fx.est), F(1, "alpha"), R(2, buf), Z(3, sizeof buf));
}
static int p_mlc_estimator_set_threads(void)
{
    return mlc_estimator_set_threads(R(0, fx.scratch), 1);
}
static int progress_goes_on(const mlc_progress *p, void *user)
{
    (void)p;
    (void)user;
    return 0;
}
static int p_mlc_estimator_set_progress(void)
{
    int st = mlc_estimator_set_progress(R(0, fx.scratch), O(1, progress_goes_on), O(2, &fx));
    mlc_estimator_set_progress(fx.scratch, NULL, NULL); /* the scratch estimator as it was */
    return st;
}
static int p_mlc_estimator_fit(void)
{
    mlc_estimator *e = NULL;
    OK_(mlc_estimator_new("ridge", &e));
    int st = mlc_estimator_fit(R(0, e), M(1, &fx.X), R(2, fx.yd));
    mlc_estimator_free(e);
    return st;
}
static int p_mlc_estimator_fit_data(void)
{
    mlc_estimator *e = NULL;
    OK_(mlc_estimator_new("ridge", &e));
    mlc_fit_data d = {M(1, &fx.X), M(2, &fx.Y), O(3, fx.w)};
    int st = mlc_estimator_fit_data(R(0, e), R(4, &d));
    mlc_estimator_free(e);
    return st;
}
static int p_mlc_estimator_is_fitted(void)
{
    return SAFE(mlc_estimator_is_fitted(R(0, fx.est)), 0);
}
static int p_mlc_estimator_warning(void)
{
    return SAFE(mlc_estimator_warning(R(0, fx.est), 0), (const char *)NULL);
}
static int p_mlc_estimator_n_features(void)
{
    return SAFE(mlc_estimator_n_features(R(0, fx.est)), (size_t)0);
}
static int p_mlc_estimator_set_feature_names(void)
{
    static const char *const names[P] = {"a", "b", "c"};
    mlc_estimator *e;
    OK_(mlc_estimator_new("linear_regression", &e));
    OK_(mlc_estimator_fit(e, &fx.X, fx.yd));
    int st = mlc_estimator_set_feature_names(R(0, e), O(1, names), Z(2, P));
    mlc_estimator_free(e);
    return st;
}
static int p_mlc_estimator_feature_names(void)
{
    return SAFE(mlc_estimator_feature_names(R(0, fx.est)), (const char *const *)NULL);
}
static int p_mlc_estimator_match_columns(void)
{
    static const char *const names[P] = {"x0", "x1", "x2"};
    size_t index[P];
    return mlc_estimator_match_columns(R(0, fx.est), O(1, names), Z(2, P), R(3, index));
}
static int p_mlc_estimator_output_cols(void)
{
    return SAFE(mlc_estimator_output_cols(R(0, fx.est), MLC_OUT_PREDICT), (size_t)0);
}
static int p_mlc_estimator_output(void)
{
    mlc_matrix out = out_matrix(fx.buf, N, 1);
    return mlc_estimator_output(R(0, fx.est), MLC_OUT_PREDICT, M(1, &fx.X), M(2, &out));
}
static int p_mlc_estimator_predict(void)
{
    return mlc_estimator_predict(R(0, fx.est), M(1, &fx.X), R(2, fx.buf));
}
static int p_mlc_estimator_transform(void)
{
    mlc_matrix out = out_matrix(fx.buf, N, P);
    return mlc_estimator_transform(R(0, fx.est_tr), M(1, &fx.X), M(2, &out));
}
static int p_mlc_estimator_score(void)
{
    double s;
    return mlc_estimator_score(R(0, fx.est), M(1, &fx.X), R(2, fx.yd), R(3, &s));
}
static int p_mlc_estimator_attribute(void)
{
    mlc_attribute a;
    return mlc_estimator_attribute(R(0, fx.est), R(1, "coef_"), R(2, &a));
}
static int p_mlc_estimator_attributes(void)
{
    mlc_attribute a[16];
    return SAFE(mlc_estimator_attributes(R(0, fx.est), O(1, a), Z(2, 16)), (size_t)0);
}
static int p_mlc_estimator_save(void)
{
    return mlc_estimator_save(R(0, fx.est), R(1, fx.out_file));
}
static int p_mlc_estimator_load(void)
{
    mlc_estimator *e = NULL;
    int st = mlc_estimator_load(R(0, fx.model), R(1, &e));
    return OBJECT(st, e, mlc_estimator_free);
}
static int p_mlc_estimator_load_as(void)
{
    mlc_estimator *e = NULL;
    int st = mlc_estimator_load_as(R(0, fx.model), O(1, "ridge"), R(2, &e));
    return OBJECT(st, e, mlc_estimator_free);
}

/* ---- io.h */

static int p_mlc_table_clear(void)
{
    mlc_table t;
    OK_(mlc_csv_read(fx.csv, &t));
    mlc_table_clear(O(0, &t));
    mlc_table_clear(&t);
    return 0;
}
static int p_mlc_table_column(void)
{
    return SAFE(mlc_table_column(R(0, &fx.table), R(1, "x1")), -1L);
}
static int p_mlc_csv_read(void)
{
    mlc_table t;
    GARBAGE(t);
    int st = mlc_csv_read(R(0, fx.csv), R(1, &t));
    return FILLED(st, 1, t, mlc_table_clear);
}
static int p_mlc_csv_parse(void)
{
    static const char text[] = "a,b\n1,2\n3,4\n";
    mlc_table t;
    GARBAGE(t);
    int st = mlc_csv_parse(R(0, text), Z(1, sizeof text - 1), O(2, "text"), R(3, &t));
    return FILLED(st, 3, t, mlc_table_clear);
}
static int p_mlc_csv_read_flags(void)
{
    mlc_table t;
    GARBAGE(t);
    int st = mlc_csv_read_flags(R(0, fx.csv), MLC_CSV_FINITE, R(2, &t));
    return FILLED(st, 2, t, mlc_table_clear);
}
static int p_mlc_csv_parse_flags(void)
{
    static const char text[] = "1,2\n3,4\n";
    mlc_table t;
    GARBAGE(t);
    int st = mlc_csv_parse_flags(R(0, text), Z(1, sizeof text - 1), O(2, "text"),
                                 MLC_CSV_NO_HEADER, R(4, &t));
    return FILLED(st, 4, t, mlc_table_clear);
}
static int p_mlc_csv_write(void)
{
    static const char *const names[P] = {"a", "b", "c"};
    return mlc_csv_write(R(0, fx.out_file), M(1, &fx.X), O(2, names));
}
static int p_mlc_npy_read(void)
{
    mlc_matrix m;
    GARBAGE(m);
    int st = mlc_npy_read(R(0, fx.npy), R(1, &m));
    return FILLED(st, 1, m, mlc_matrix_clear);
}
static int p_mlc_npy_parse(void)
{
    mlc_matrix m;
    GARBAGE(m);
    int st = mlc_npy_parse(R(0, fx.npy_bytes), Z(1, fx.npy_len), O(2, "bytes"), R(3, &m));
    return FILLED(st, 3, m, mlc_matrix_clear);
}
static int p_mlc_npy_write(void)
{
    return mlc_npy_write(R(0, fx.out_file), M(1, &fx.X));
}
static int p_mlc_npy_write_int32(void)
{
    return mlc_npy_write_int32(R(0, fx.out_file), R(1, fx.lab), Z(2, N));
}
static int p_mlc_npy_write_vector(void)
{
    return mlc_npy_write_vector(R(0, fx.out_file), R(1, fx.yd), Z(2, N));
}
static int p_mlc_matrix_read(void)
{
    mlc_matrix m;
    GARBAGE(m);
    int st = mlc_matrix_read(R(0, fx.npy), R(1, &m));
    return FILLED(st, 1, m, mlc_matrix_clear);
}
static int p_mlc_npy_read_array(void)
{
    mlc_matrix m;
    GARBAGE(m);
    size_t shape[MLC_ARRAY_MAX_DIMS];
    int ndim;
    int st = mlc_npy_read_array(R(0, fx.npy), R(1, &m), O(2, shape), O(3, &ndim));
    return FILLED(st, 1, m, mlc_matrix_clear);
}
static int p_mlc_array_read(void)
{
    mlc_matrix m;
    GARBAGE(m);
    size_t shape[MLC_ARRAY_MAX_DIMS];
    int ndim;
    int st = mlc_array_read(R(0, fx.npy), R(1, &m), O(2, shape), O(3, &ndim));
    return FILLED(st, 1, m, mlc_matrix_clear);
}

/* ---- dataset.h */

static int p_mlc_dataset_clear(void)
{
    mlc_dataset d;
    OK_(mlc_load_iris(&d));
    mlc_dataset_clear(O(0, &d));
    mlc_dataset_clear(&d);
    return 0;
}
static int p_mlc_dataset_read(void)
{
    mlc_dataset d;
    GARBAGE(d);
    int st = mlc_dataset_read(R(0, fx.csv), O(1, "x2"), R(2, &d));
    return FILLED(st, 2, d, mlc_dataset_clear);
}
static int p_mlc_dataset_read_flags(void)
{
    mlc_dataset d;
    GARBAGE(d);
    int st = mlc_dataset_read_flags(R(0, fx.csv), O(1, "x2"), MLC_CSV_FINITE, R(3, &d));
    return FILLED(st, 3, d, mlc_dataset_clear);
}
static int p_mlc_bundled_count(void)
{
    return mlc_bundled_count() == 0;
}
static int p_mlc_bundled_name(void)
{
    return mlc_bundled_name(100000) != NULL;
}
static int p_mlc_bundled_summary(void)
{
    return mlc_bundled_summary(100000) != NULL;
}
static int p_mlc_load_bundled(void)
{
    mlc_dataset d;
    GARBAGE(d);
    int st = mlc_load_bundled(F(0, "wine"), R(1, &d));
    return FILLED(st, 1, d, mlc_dataset_clear);
}
#define LOADER_PROBE(fn)                                                                    \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        mlc_dataset d;                                                                      \
        GARBAGE(d);                                                                         \
        int st = fn(R(0, &d));                                                              \
        return FILLED(st, 0, d, mlc_dataset_clear);                                         \
    }
LOADER_PROBE(mlc_load_iris)
LOADER_PROBE(mlc_load_wine)
LOADER_PROBE(mlc_load_breast_cancer)
LOADER_PROBE(mlc_load_digits)
LOADER_PROBE(mlc_load_diabetes)
static int p_mlc_blobs_params_default(void)
{
    return mlc_blobs_params_default().n_samples != 100;
}
static int p_mlc_regression_params_default(void)
{
    return mlc_regression_params_default().n_samples != 100;
}
static int p_mlc_classification_params_default(void)
{
    return mlc_classification_params_default().n_samples != 100;
}
static int p_mlc_make_blobs(void)
{
    mlc_dataset d;
    GARBAGE(d);
    mlc_matrix centres = out_matrix(fx.buf, 3, 2);
    int st = mlc_make_blobs(R(0, &fx.blobs_p), R(1, &d), MO(2, &centres));
    return FILLED(st, 1, d, mlc_dataset_clear);
}
static int p_mlc_make_regression(void)
{
    mlc_dataset d;
    GARBAGE(d);
    int st = mlc_make_regression(R(0, &fx.reg_p), R(1, &d), O(2, fx.buf));
    return FILLED(st, 1, d, mlc_dataset_clear);
}
static int p_mlc_make_classification(void)
{
    mlc_dataset d;
    GARBAGE(d);
    int st = mlc_make_classification(R(0, &fx.cls_p), R(1, &d));
    return FILLED(st, 1, d, mlc_dataset_clear);
}

/* ---- linear.h: every model has the same fit/predict faces */

#define FIT_PROBES(pre, params)                                                             \
    static int p_##pre##_fit(void)                                                          \
    {                                                                                       \
        pre *m = NULL;                                                                      \
        int st = pre##_fit(R(0, &fx.params), M(1, &fx.X), R(2, fx.yd), R(3, &m));           \
        return OBJECT(st, m, pre##_free);                                                   \
    }                                                                                       \
    static int p_##pre##_fit_weighted(void)                                                 \
    {                                                                                       \
        pre *m = NULL;                                                                      \
        int st = pre##_fit_weighted(R(0, &fx.params), M(1, &fx.X), R(2, fx.yd),             \
                                    O(3, fx.w), R(4, &m));                                  \
        return OBJECT(st, m, pre##_free);                                                   \
    }
#define FIT_MULTI_PROBE(pre, params)                                                        \
    static int p_##pre##_fit_multi(void)                                                    \
    {                                                                                       \
        pre *m = NULL;                                                                      \
        int st = pre##_fit_multi(R(0, &fx.params), M(1, &fx.X), M(2, &fx.Y), O(3, fx.w),    \
                                 R(4, &m));                                                 \
        return OBJECT(st, m, pre##_free);                                                   \
    }
#define PREDICT_PROBE(pre, model)                                                           \
    static int p_##pre##_predict(void)                                                      \
    {                                                                                       \
        return pre##_predict(R(0, fx.model), M(1, &fx.X), R(2, fx.buf));                    \
    }
#define FREE_PROBE(pre, params)                                                             \
    static int p_##pre##_free(void)                                                         \
    {                                                                                       \
        pre *m = NULL;                                                                      \
        OK_(pre##_fit(&fx.params, &fx.X, fx.yd, &m));                                       \
        pre##_free(O(0, m));                                                                \
        if (sub_arg == 0)                                                                   \
            pre##_free(m);                                                                  \
        return 0;                                                                           \
    }
#define DEFAULT_PROBE(pre)                                                                  \
    static int p_##pre##_params_default(void)                                               \
    {                                                                                       \
        pre##_params p = pre##_params_default();                                            \
        (void)p;                                                                            \
        return 0;                                                                           \
    }
/* A getter of the model: NULL for a NULL model, or `safe`. */
#define GETTER_PROBE(fn, model, safe)                                                       \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        return SAFE(fn(R(0, fx.model)), (safe));                                            \
    }
#define REFIT_PROBE(pre, model)                                                             \
    static int p_##pre##_refit(void)                                                        \
    {                                                                                       \
        return pre##_refit(R(0, fx.model), M(1, &fx.X), M(2, &fx.Y), O(3, fx.w));           \
    }

#define LINEAR_PROBES(pre, params, model)                                                   \
    DEFAULT_PROBE(pre)                                                                      \
    FIT_PROBES(pre, params)                                                                 \
    PREDICT_PROBE(pre, model)                                                               \
    FREE_PROBE(pre, params)                                                                 \
    GETTER_PROBE(pre##_n_features, model, (size_t)0)                                        \
    GETTER_PROBE(pre##_coef, model, NULL)                                                   \
    GETTER_PROBE(pre##_intercept, model, NULL)

LINEAR_PROBES(mlc_linear_regression, lr_p, lr)
FIT_MULTI_PROBE(mlc_linear_regression, lr_p)
GETTER_PROBE(mlc_linear_regression_n_targets, lr, (size_t)0)
GETTER_PROBE(mlc_linear_regression_rank, lr, -1L)
static int p_mlc_linear_regression_singular(void)
{
    size_t count = 99;
    int st = SAFE(mlc_linear_regression_singular(R(0, fx.lr), O(1, &count)), NULL);
    if (nulled() && count != 0)
        problem("count not 0 for a NULL model");
    return st;
}

LINEAR_PROBES(mlc_ridge, ridge_p, ridge)
FIT_MULTI_PROBE(mlc_ridge, ridge_p)
GETTER_PROBE(mlc_ridge_n_targets, ridge, (size_t)0)

LINEAR_PROBES(mlc_ridge_cv, ridge_cv_p, ridge_cv)
FIT_MULTI_PROBE(mlc_ridge_cv, ridge_cv_p)
GETTER_PROBE(mlc_ridge_cv_n_targets, ridge_cv, (size_t)0)
GETTER_PROBE(mlc_ridge_cv_cv_values, ridge_cv, NULL)
#define COUNT_GETTER_PROBE(fn, model)                                                       \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        size_t count = 99;                                                                  \
        int st = SAFE(fn(R(0, fx.model), O(1, &count)), NULL);                              \
        if (nulled() && count != 0)                                                         \
            problem("count not 0 for a NULL model");                                        \
        return st;                                                                          \
    }
COUNT_GETTER_PROBE(mlc_ridge_cv_alpha, ridge_cv)
COUNT_GETTER_PROBE(mlc_ridge_cv_best_score, ridge_cv)

#define ENET_PROBES(pre, params, model)                                                     \
    LINEAR_PROBES(pre, params, model)                                                       \
    FIT_MULTI_PROBE(pre, params)                                                            \
    REFIT_PROBE(pre, model)                                                                 \
    GETTER_PROBE(pre##_n_targets, model, (size_t)0)                                         \
    GETTER_PROBE(pre##_n_iter, model, NULL)                                                 \
    GETTER_PROBE(pre##_dual_gap, model, NULL)                                               \
    GETTER_PROBE(pre##_converged, model, NULL)
ENET_PROBES(mlc_elastic_net, enet_p, enet)
ENET_PROBES(mlc_lasso, lasso_p, lasso)

DEFAULT_PROBE(mlc_enet_path)
#define PATH_PROBE(fn)                                                                      \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        mlc_matrix coefs = out_matrix(fx.buf2, 5, P);                                       \
        return fn(R(0, &fx.path_p), M(1, &fx.X), R(2, fx.yd), R(3, fx.buf), M(4, &coefs),   \
                  O(5, fx.buf3), O(6, fx.i64));                                             \
    }
PATH_PROBE(mlc_enet_path)
PATH_PROBE(mlc_lasso_path)

#define CV_PROBES(pre, params, model)                                                       \
    LINEAR_PROBES(pre, params, model)                                                       \
    GETTER_PROBE(pre##_alpha, model, NAN)                                                   \
    GETTER_PROBE(pre##_n_iter, model, (int64_t)0)                                           \
    GETTER_PROBE(pre##_dual_gap, model, NAN)                                                \
    COUNT_GETTER_PROBE(pre##_mse_path, model)
CV_PROBES(mlc_elastic_net_cv, enet_cv_p, enet_cv)
CV_PROBES(mlc_lasso_cv, lasso_cv_p, lasso_cv)
GETTER_PROBE(mlc_elastic_net_cv_l1_ratio, enet_cv, NAN)
COUNT_GETTER_PROBE(mlc_lasso_cv_alphas, lasso_cv)
static int p_mlc_elastic_net_cv_alphas(void)
{
    size_t a = 99, b = 99;
    int st = SAFE(mlc_elastic_net_cv_alphas(R(0, fx.enet_cv), O(1, &a), O(2, &b)), NULL);
    if (nulled() && (a != 0 || b != 0))
        problem("counts not 0 for a NULL model");
    return st;
}

/* ---- cluster.h */

DEFAULT_PROBE(mlc_kmeans)
/* ---- svm.h */

static int p_mlc_svc_params_default(void)
{
    mlc_svc_params p = mlc_svc_params_default();
    return p.C == 1.0 ? 0 : 1;
}
static int p_mlc_nu_svc_params_default(void)
{
    mlc_nu_svc_params p = mlc_nu_svc_params_default();
    return p.nu == 0.5 ? 0 : 1;
}
static int p_mlc_svr_params_default(void)
{
    mlc_svr_params p = mlc_svr_params_default();
    return p.epsilon == 0.1 ? 0 : 1;
}
static int p_mlc_nu_svr_params_default(void)
{
    mlc_nu_svr_params p = mlc_nu_svr_params_default();
    return p.nu == 0.5 ? 0 : 1;
}
static int p_mlc_one_class_svm_params_default(void)
{
    mlc_one_class_svm_params p = mlc_one_class_svm_params_default();
    return p.nu == 0.5 ? 0 : 1;
}
static int p_mlc_svc_fit(void)
{
    mlc_svm *m = NULL;
    int st = mlc_svc_fit(R(0, &fx.svc_p), M(1, &fx.X), R(2, fx.y3), O(3, fx.w), R(4, &m));
    return OBJECT(st, m, mlc_svm_free);
}
static int p_mlc_nu_svc_fit(void)
{
    mlc_svm *m = NULL;
    int st = mlc_nu_svc_fit(R(0, &fx.nu_svc_p), M(1, &fx.X), R(2, fx.yc), O(3, fx.w), R(4, &m));
    return OBJECT(st, m, mlc_svm_free);
}
static int p_mlc_svr_fit(void)
{
    mlc_svm *m = NULL;
    int st = mlc_svr_fit(R(0, &fx.svr_p), M(1, &fx.X), R(2, fx.yd), O(3, fx.w), R(4, &m));
    return OBJECT(st, m, mlc_svm_free);
}
static int p_mlc_nu_svr_fit(void)
{
    mlc_svm *m = NULL;
    int st = mlc_nu_svr_fit(R(0, &fx.nu_svr_p), M(1, &fx.X), R(2, fx.yd), O(3, fx.w), R(4, &m));
    return OBJECT(st, m, mlc_svm_free);
}
static int p_mlc_one_class_svm_fit(void)
{
    mlc_svm *m = NULL;
    int st = mlc_one_class_svm_fit(R(0, &fx.ocs_p), M(1, &fx.X), O(2, fx.w), R(3, &m));
    return OBJECT(st, m, mlc_svm_free);
}
static int p_mlc_svm_free(void)
{
    mlc_svm *m = NULL;
    OK_(mlc_svc_fit(&fx.svc_p, &fx.X, fx.y3, NULL, &m));
    mlc_svm_free(O(0, m));
    if (sub_arg == 0)
        mlc_svm_free(m);
    return 0;
}
static int p_mlc_svm_predict(void)
{
    return mlc_svm_predict(R(0, fx.svc), M(1, &fx.X), R(2, fx.buf));
}
GETTER_PROBE(mlc_svm_decision_cols, svc, (size_t)0)
static int p_mlc_svm_decision_function(void)
{
    mlc_matrix d = out_matrix(fx.buf, N, 3);
    return mlc_svm_decision_function(R(0, fx.svc), M(1, &fx.X), M(2, &d));
}
static int p_mlc_svm_predict_proba(void)
{
    mlc_svm *m = NULL;
    mlc_svc_params p = fx.svc_p;
    p.probability = 1;
    p.random_state = 0;
    OK_(mlc_svc_fit(&p, &fx.X, fx.y3, NULL, &m));
    mlc_matrix out = out_matrix(fx.buf, N, 3);
    int st = mlc_svm_predict_proba(R(0, m), M(1, &fx.X), M(2, &out));
    mlc_svm_free(m);
    return st;
}
static int p_mlc_svm_attribute(void)
{
    mlc_attribute a;
    return mlc_svm_attribute(R(0, fx.svc), R(1, "dual_coef_"), R(2, &a));
}

/* ---- linear_svm.h */

DEFAULT_PROBE(mlc_linear_svc)
DEFAULT_PROBE(mlc_linear_svr)
static int p_mlc_linear_svc_fit(void)
{
    mlc_linear_svc *m = NULL;
    int st = mlc_linear_svc_fit(R(0, &fx.lsvc_p), M(1, &fx.X), R(2, fx.y3), O(3, fx.w), R(4, &m));
    return OBJECT(st, m, mlc_linear_svc_free);
}
static int p_mlc_linear_svr_fit(void)
{
    mlc_linear_svr *m = NULL;
    int st = mlc_linear_svr_fit(R(0, &fx.lsvr_p), M(1, &fx.X), R(2, fx.yd), O(3, fx.w), R(4, &m));
    return OBJECT(st, m, mlc_linear_svr_free);
}
static int p_mlc_linear_svc_predict(void)
{
    return mlc_linear_svc_predict(R(0, fx.lsvc), M(1, &fx.X), R(2, fx.buf));
}
static int p_mlc_linear_svr_predict(void)
{
    return mlc_linear_svr_predict(R(0, fx.lsvr), M(1, &fx.X), R(2, fx.buf));
}
static int p_mlc_linear_svc_decision_function(void)
{
    mlc_matrix d = out_matrix(fx.buf, N, 3);
    return mlc_linear_svc_decision_function(R(0, fx.lsvc), M(1, &fx.X), M(2, &d));
}
static int p_mlc_linear_svc_free(void)
{
    mlc_linear_svc *m = NULL;
    OK_(mlc_linear_svc_fit(&fx.lsvc_p, &fx.X, fx.y3, NULL, &m));
    mlc_linear_svc_free(O(0, m));
    if (sub_arg == 0)
        mlc_linear_svc_free(m);
    return 0;
}
static int p_mlc_linear_svr_free(void)
{
    mlc_linear_svr *m = NULL;
    OK_(mlc_linear_svr_fit(&fx.lsvr_p, &fx.X, fx.yd, NULL, &m));
    mlc_linear_svr_free(O(0, m));
    if (sub_arg == 0)
        mlc_linear_svr_free(m);
    return 0;
}
GETTER_PROBE(mlc_linear_svc_n_features, lsvc, (size_t)0)
GETTER_PROBE(mlc_linear_svc_n_classes, lsvc, (size_t)0)
GETTER_PROBE(mlc_linear_svc_n_rows, lsvc, (size_t)0)
GETTER_PROBE(mlc_linear_svc_classes, lsvc, NULL)
GETTER_PROBE(mlc_linear_svc_coef, lsvc, NULL)
GETTER_PROBE(mlc_linear_svc_intercept, lsvc, NULL)
GETTER_PROBE(mlc_linear_svc_n_iter, lsvc, (int64_t)0)
GETTER_PROBE(mlc_linear_svc_converged, lsvc, 0)
GETTER_PROBE(mlc_linear_svr_n_features, lsvr, (size_t)0)
GETTER_PROBE(mlc_linear_svr_coef, lsvr, NULL)
GETTER_PROBE(mlc_linear_svr_intercept, lsvr, NULL)
GETTER_PROBE(mlc_linear_svr_n_iter, lsvr, (int64_t)0)
GETTER_PROBE(mlc_linear_svr_converged, lsvr, 0)

/* ---- neighbors.h */

DEFAULT_PROBE(mlc_neighbors)
static int p_mlc_neighbors_build(void)
{
    mlc_neighbors *m = NULL;
    int st = mlc_neighbors_build(R(0, &fx.nn_p), M(1, &fx.X), R(2, &m));
    return OBJECT(st, m, mlc_neighbors_free);
}
static int p_mlc_neighbors_free(void)
{
    mlc_neighbors *m = NULL;
    OK_(mlc_neighbors_build(&fx.nn_p, &fx.X, &m));
    mlc_neighbors_free(O(0, m));
    if (sub_arg == 0)
        mlc_neighbors_free(m);
    return 0;
}
GETTER_PROBE(mlc_neighbors_algorithm, nn, MLC_NN_AUTO)
GETTER_PROBE(mlc_neighbors_n_samples, nn, (size_t)0)
static int p_mlc_neighbors_kneighbors(void)
{
    return mlc_neighbors_kneighbors(R(0, fx.nn), M(1, &fx.X), Z(2, 3), R(3, fx.buf),
                                    R(4, fx.idx));
}
static int p_mlc_neighbors_radius(void)
{
    mlc_neighbor_lists L;
    GARBAGE(L);
    int st = mlc_neighbors_radius(R(0, fx.nn), M(1, &fx.X), 1.0, 1, 1, R(5, &L));
    return FILLED(st, 5, L, mlc_neighbor_lists_clear);
}
static int p_mlc_neighbor_lists_clear(void)
{
    mlc_neighbor_lists L;
    OK_(mlc_neighbors_radius(fx.nn, &fx.X, 1.0, 0, 1, &L));
    mlc_neighbor_lists_clear(O(0, &L));
    mlc_neighbor_lists_clear(&L);
    return 0;
}
static int p_mlc_neighbors_radius_count(void)
{
    return mlc_neighbors_radius_count(R(0, fx.nn), M(1, &fx.X), 1.0, O(3, fx.w), 2.0,
                                      R(5, fx.buf));
}

DEFAULT_PROBE(mlc_k_neighbors_classifier)
DEFAULT_PROBE(mlc_k_neighbors_regressor)
static int p_mlc_k_neighbors_classifier_fit(void)
{
    mlc_k_neighbors_classifier *m = NULL;
    int st = mlc_k_neighbors_classifier_fit(R(0, &fx.knc_p), M(1, &fx.X), R(2, fx.y3), R(3, &m));
    return OBJECT(st, m, mlc_k_neighbors_classifier_free);
}
static int p_mlc_k_neighbors_regressor_fit(void)
{
    mlc_k_neighbors_regressor *m = NULL;
    int st = mlc_k_neighbors_regressor_fit(R(0, &fx.knr_p), M(1, &fx.X), M(2, &fx.Y), R(3, &m));
    return OBJECT(st, m, mlc_k_neighbors_regressor_free);
}
static int p_mlc_k_neighbors_classifier_predict(void)
{
    return mlc_k_neighbors_classifier_predict(R(0, fx.knc), M(1, &fx.X), R(2, fx.buf));
}
static int p_mlc_k_neighbors_classifier_predict_proba(void)
{
    mlc_matrix out = out_matrix(fx.buf, N, 3);
    return mlc_k_neighbors_classifier_predict_proba(R(0, fx.knc), M(1, &fx.X), M(2, &out));
}
static int p_mlc_k_neighbors_regressor_predict(void)
{
    mlc_matrix out = out_matrix(fx.buf, N, 1);
    return mlc_k_neighbors_regressor_predict(R(0, fx.knr), M(1, &fx.X), M(2, &out));
}
GETTER_PROBE(mlc_k_neighbors_classifier_n_classes, knc, (size_t)0)
GETTER_PROBE(mlc_k_neighbors_classifier_classes, knc, NULL)
GETTER_PROBE(mlc_k_neighbors_classifier_n_features, knc, (size_t)0)
GETTER_PROBE(mlc_k_neighbors_classifier_index, knc, NULL)
GETTER_PROBE(mlc_k_neighbors_regressor_n_targets, knr, (size_t)0)
GETTER_PROBE(mlc_k_neighbors_regressor_n_features, knr, (size_t)0)
GETTER_PROBE(mlc_k_neighbors_regressor_index, knr, NULL)
static int p_mlc_k_neighbors_classifier_free(void)
{
    mlc_k_neighbors_classifier *m = NULL;
    OK_(mlc_k_neighbors_classifier_fit(&fx.knc_p, &fx.X, fx.y3, &m));
    mlc_k_neighbors_classifier_free(O(0, m));
    if (sub_arg == 0)
        mlc_k_neighbors_classifier_free(m);
    return 0;
}
static int p_mlc_k_neighbors_regressor_free(void)
{
    mlc_k_neighbors_regressor *m = NULL;
    OK_(mlc_k_neighbors_regressor_fit(&fx.knr_p, &fx.X, &fx.Y, &m));
    mlc_k_neighbors_regressor_free(O(0, m));
    if (sub_arg == 0)
        mlc_k_neighbors_regressor_free(m);
    return 0;
}

static int p_mlc_kmeans_fit(void)
{
    mlc_kmeans *m = NULL;
    int st = mlc_kmeans_fit(R(0, &fx.km_p), M(1, &fx.X), O(2, fx.w), R(3, &m));
    return OBJECT(st, m, mlc_kmeans_free);
}
static int p_mlc_kmeans_fit_rng(void)
{
    mlc_kmeans *m = NULL;
    int st = mlc_kmeans_fit_rng(R(0, &fx.km_p), M(1, &fx.X), O(2, fx.w), R(3, fx.rng), R(4, &m));
    return OBJECT(st, m, mlc_kmeans_free);
}
static int p_mlc_kmeans_plusplus(void)
{
    return mlc_kmeans_plusplus(M(0, &fx.X), Z(1, 3), R(2, fx.rng), 1, O(4, fx.buf),
                               R(5, fx.idx));
}
static int p_mlc_kmeans_fit_predict(void)
{
    mlc_kmeans *m = NULL;
    int st = mlc_kmeans_fit_predict(R(0, &fx.km_p), M(1, &fx.X), O(2, fx.w), R(3, fx.ibuf),
                                    O(4, &m));
    return OBJECT(st, m, mlc_kmeans_free);
}
static int p_mlc_kmeans_predict(void)
{
    return mlc_kmeans_predict(R(0, fx.km), M(1, &fx.X), R(2, fx.ibuf));
}
static int p_mlc_kmeans_transform(void)
{
    mlc_matrix dist = out_matrix(fx.buf, N, 3);
    return mlc_kmeans_transform(R(0, fx.km), M(1, &fx.X), M(2, &dist));
}
static int p_mlc_kmeans_score(void)
{
    double s;
    return mlc_kmeans_score(R(0, fx.km), M(1, &fx.X), O(2, fx.w), R(3, &s));
}
static int p_mlc_kmeans_free(void)
{
    mlc_kmeans *m = NULL;
    OK_(mlc_kmeans_fit(&fx.km_p, &fx.X, NULL, &m));
    mlc_kmeans_free(O(0, m));
    if (sub_arg == 0)
        mlc_kmeans_free(m);
    return 0;
}
GETTER_PROBE(mlc_kmeans_n_clusters, km, (size_t)0)
GETTER_PROBE(mlc_kmeans_n_features, km, (size_t)0)
GETTER_PROBE(mlc_kmeans_cluster_centers, km, NULL)
GETTER_PROBE(mlc_kmeans_labels, km, NULL)
GETTER_PROBE(mlc_kmeans_n_samples, km, (size_t)0)
GETTER_PROBE(mlc_kmeans_inertia, km, NAN)
GETTER_PROBE(mlc_kmeans_n_iter, km, (int64_t)0)
GETTER_PROBE(mlc_kmeans_converged, km, 0)
GETTER_PROBE(mlc_kmeans_n_distinct, km, (size_t)0)

DEFAULT_PROBE(mlc_agglomerative_clustering)
static int p_mlc_agglomerative_clustering_fit(void)
{
    mlc_agglomerative_clustering *m = NULL;
    int st = mlc_agglomerative_clustering_fit(R(0, &fx.agg_p), M(1, &fx.X), R(2, &m));
    return OBJECT(st, m, mlc_agglomerative_clustering_free);
}
static int p_mlc_agglomerative_clustering_fit_predict(void)
{
    mlc_agglomerative_clustering *m = NULL;
    int st = mlc_agglomerative_clustering_fit_predict(R(0, &fx.agg_p), M(1, &fx.X),
                                                      R(2, fx.ibuf), O(3, &m));
    return OBJECT(st, m, mlc_agglomerative_clustering_free);
}
static int p_mlc_agglomerative_clustering_free(void)
{
    mlc_agglomerative_clustering *m = NULL;
    OK_(mlc_agglomerative_clustering_fit(&fx.agg_p, &fx.X, &m));
    mlc_agglomerative_clustering_free(O(0, m));
    if (sub_arg == 0)
        mlc_agglomerative_clustering_free(m);
    return 0;
}
GETTER_PROBE(mlc_agglomerative_clustering_n_leaves, agg, (size_t)0)
GETTER_PROBE(mlc_agglomerative_clustering_n_clusters, agg, (size_t)0)
GETTER_PROBE(mlc_agglomerative_clustering_n_children, agg, (size_t)0)
GETTER_PROBE(mlc_agglomerative_clustering_n_connected_components, agg, (size_t)0)
GETTER_PROBE(mlc_agglomerative_clustering_labels, agg, NULL)
GETTER_PROBE(mlc_agglomerative_clustering_children, agg, NULL)
GETTER_PROBE(mlc_agglomerative_clustering_distances, agg, NULL)
GETTER_PROBE(mlc_agglomerative_clustering_linkage_matrix, agg, NULL)
DEFAULT_PROBE(mlc_dbscan)
static int p_mlc_dbscan_fit(void)
{
    mlc_dbscan *m = NULL;
    int st = mlc_dbscan_fit(R(0, &fx.db_p), M(1, &fx.X), O(2, fx.w), R(3, &m));
    return OBJECT(st, m, mlc_dbscan_free);
}
static int p_mlc_dbscan_fit_predict(void)
{
    mlc_dbscan *m = NULL;
    int st = mlc_dbscan_fit_predict(R(0, &fx.db_p), M(1, &fx.X), O(2, fx.w), R(3, fx.ibuf),
                                    O(4, &m));
    return OBJECT(st, m, mlc_dbscan_free);
}
static int p_mlc_dbscan_free(void)
{
    mlc_dbscan *m = NULL;
    OK_(mlc_dbscan_fit(&fx.db_p, &fx.X, NULL, &m));
    mlc_dbscan_free(O(0, m));
    if (sub_arg == 0)
        mlc_dbscan_free(m);
    return 0;
}
GETTER_PROBE(mlc_dbscan_n_samples, db, (size_t)0)
GETTER_PROBE(mlc_dbscan_n_features, db, (size_t)0)
GETTER_PROBE(mlc_dbscan_labels, db, NULL)
GETTER_PROBE(mlc_dbscan_n_clusters, db, (size_t)0)
GETTER_PROBE(mlc_dbscan_n_core_samples, db, (size_t)0)
GETTER_PROBE(mlc_dbscan_core_sample_indices, db, NULL)
GETTER_PROBE(mlc_dbscan_components, db, NULL)

/* ---- mixture.h */

DEFAULT_PROBE(mlc_gaussian_mixture)
static int p_mlc_gaussian_mixture_fit(void)
{
    mlc_gaussian_mixture *m = NULL;
    int st = mlc_gaussian_mixture_fit(R(0, &fx.gmm_p), M(1, &fx.X), R(2, &m));
    return OBJECT(st, m, mlc_gaussian_mixture_free);
}
static int p_mlc_gaussian_mixture_fit_predict(void)
{
    mlc_gaussian_mixture *m = NULL;
    int st = mlc_gaussian_mixture_fit_predict(R(0, &fx.gmm_p), M(1, &fx.X), R(2, fx.ibuf),
                                              O(3, &m));
    return OBJECT(st, m, mlc_gaussian_mixture_free);
}
static int p_mlc_gaussian_mixture_refit(void)
{
    return mlc_gaussian_mixture_refit(R(0, fx.gmm), M(1, &fx.X));
}
static int p_mlc_gaussian_mixture_predict(void)
{
    return mlc_gaussian_mixture_predict(R(0, fx.gmm), M(1, &fx.X), R(2, fx.ibuf));
}
static int p_mlc_gaussian_mixture_predict_proba(void)
{
    mlc_matrix proba = out_matrix(fx.buf, N, 3);
    return mlc_gaussian_mixture_predict_proba(R(0, fx.gmm), M(1, &fx.X), M(2, &proba));
}
static int p_mlc_gaussian_mixture_score_samples(void)
{
    return mlc_gaussian_mixture_score_samples(R(0, fx.gmm), M(1, &fx.X), R(2, fx.buf));
}
#define GMM_NUMBER_PROBE(fn)                                                                \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        double v;                                                                           \
        return fn(R(0, fx.gmm), M(1, &fx.X), R(2, &v));                                     \
    }
GMM_NUMBER_PROBE(mlc_gaussian_mixture_score)
GMM_NUMBER_PROBE(mlc_gaussian_mixture_bic)
GMM_NUMBER_PROBE(mlc_gaussian_mixture_aic)
static int p_mlc_gaussian_mixture_sample(void)
{
    mlc_matrix X = out_matrix(fx.buf, 5, P);
    return mlc_gaussian_mixture_sample(R(0, fx.gmm), Z(1, 5), M(2, &X), O(3, fx.ibuf));
}
static int p_mlc_gaussian_mixture_free(void)
{
    mlc_gaussian_mixture *m = NULL;
    OK_(mlc_gaussian_mixture_fit(&fx.gmm_p, &fx.X, &m));
    mlc_gaussian_mixture_free(O(0, m));
    if (sub_arg == 0)
        mlc_gaussian_mixture_free(m);
    return 0;
}
GETTER_PROBE(mlc_gaussian_mixture_n_components, gmm, (size_t)0)
GETTER_PROBE(mlc_gaussian_mixture_n_features, gmm, (size_t)0)
GETTER_PROBE(mlc_gaussian_mixture_covariance_type, gmm, -1)
GETTER_PROBE(mlc_gaussian_mixture_covariance_size, gmm, (size_t)0)
GETTER_PROBE(mlc_gaussian_mixture_weights, gmm, NULL)
GETTER_PROBE(mlc_gaussian_mixture_means, gmm, NULL)
GETTER_PROBE(mlc_gaussian_mixture_covariances, gmm, NULL)
GETTER_PROBE(mlc_gaussian_mixture_precisions, gmm, NULL)
GETTER_PROBE(mlc_gaussian_mixture_precisions_cholesky, gmm, NULL)
GETTER_PROBE(mlc_gaussian_mixture_converged, gmm, 0)
GETTER_PROBE(mlc_gaussian_mixture_n_iter, gmm, (int64_t)0)
GETTER_PROBE(mlc_gaussian_mixture_lower_bound, gmm, NAN)

/* ---- preprocessing.h */

DEFAULT_PROBE(mlc_standard_scaler)
static int p_mlc_standard_scaler_fit(void)
{
    mlc_standard_scaler *m = NULL;
    int st = mlc_standard_scaler_fit(R(0, &fx.ss_p), M(1, &fx.X), O(2, fx.w), R(3, &m));
    return OBJECT(st, m, mlc_standard_scaler_free);
}
#define TRANSFORM_PROBE(fn, model)                                                          \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        mlc_matrix out = out_matrix(fx.buf, N, P);                                          \
        return fn(R(0, fx.model), M(1, &fx.X), M(2, &out));                                 \
    }
TRANSFORM_PROBE(mlc_standard_scaler_transform, ss)
TRANSFORM_PROBE(mlc_standard_scaler_inverse_transform, ss)
static int p_mlc_standard_scaler_free(void)
{
    mlc_standard_scaler *m = NULL;
    OK_(mlc_standard_scaler_fit(&fx.ss_p, &fx.X, NULL, &m));
    mlc_standard_scaler_free(O(0, m));
    if (sub_arg == 0)
        mlc_standard_scaler_free(m);
    return 0;
}
GETTER_PROBE(mlc_standard_scaler_n_features, ss, (size_t)0)
GETTER_PROBE(mlc_standard_scaler_mean, ss, NULL)
GETTER_PROBE(mlc_standard_scaler_var, ss, NULL)
GETTER_PROBE(mlc_standard_scaler_scale, ss, NULL)

DEFAULT_PROBE(mlc_min_max_scaler)
static int p_mlc_min_max_scaler_fit(void)
{
    mlc_min_max_scaler *m = NULL;
    int st = mlc_min_max_scaler_fit(R(0, &fx.mm_p), M(1, &fx.X), R(2, &m));
    return OBJECT(st, m, mlc_min_max_scaler_free);
}
TRANSFORM_PROBE(mlc_min_max_scaler_transform, mm)
TRANSFORM_PROBE(mlc_min_max_scaler_inverse_transform, mm)
static int p_mlc_min_max_scaler_free(void)
{
    mlc_min_max_scaler *m = NULL;
    OK_(mlc_min_max_scaler_fit(&fx.mm_p, &fx.X, &m));
    mlc_min_max_scaler_free(O(0, m));
    if (sub_arg == 0)
        mlc_min_max_scaler_free(m);
    return 0;
}
GETTER_PROBE(mlc_min_max_scaler_n_features, mm, (size_t)0)
GETTER_PROBE(mlc_min_max_scaler_data_min, mm, NULL)
GETTER_PROBE(mlc_min_max_scaler_data_max, mm, NULL)
GETTER_PROBE(mlc_min_max_scaler_scale, mm, NULL)
GETTER_PROBE(mlc_min_max_scaler_min, mm, NULL)

DEFAULT_PROBE(mlc_split)
static int p_mlc_train_test_split(void)
{
    size_t *train = NULL, *test = NULL, n_train = 99, n_test = 99;
    int st = mlc_train_test_split(R(0, &fx.split_p), Z(1, N), R(2, &train), R(3, &n_train),
                                  R(4, &test), R(5, &n_test));
    if (st != MLC_OK && (train || test))
        problem("train/test not NULL after a failure");
    free(train);
    free(test);
    return st;
}

/* ---- metrics.h */

#define REGRESSION_METRIC_PROBE(fn)                                                         \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        return fn(R(0, fx.yd), R(1, fx.score), Z(2, N), Z(3, 1), O(4, fx.w),                \
                  MLC_MULTIOUTPUT_UNIFORM, R(6, fx.buf));                                   \
    }
REGRESSION_METRIC_PROBE(mlc_mean_squared_error)
REGRESSION_METRIC_PROBE(mlc_root_mean_squared_error)
REGRESSION_METRIC_PROBE(mlc_mean_absolute_error)
REGRESSION_METRIC_PROBE(mlc_mean_absolute_percentage_error)
REGRESSION_METRIC_PROBE(mlc_median_absolute_error)
REGRESSION_METRIC_PROBE(mlc_r2_score)
REGRESSION_METRIC_PROBE(mlc_explained_variance_score)
static int p_mlc_max_error(void)
{
    return mlc_max_error(R(0, fx.yd), R(1, fx.score), Z(2, N), R(3, fx.buf));
}
static int p_mlc_accuracy_score(void)
{
    return mlc_accuracy_score(R(0, fx.yc), R(1, fx.y3), Z(2, N), O(3, fx.w), 1, R(5, fx.buf));
}
static int p_mlc_unique_labels(void)
{
    size_t n = 0;
    return mlc_unique_labels(R(0, fx.yc), O(1, fx.y3), Z(2, N), R(3, fx.buf), Z(4, 2 * N),
                             R(5, &n));
}
static int p_mlc_confusion_matrix(void)
{
    static const double labels[2] = {0, 1};
    return mlc_confusion_matrix(R(0, fx.yc), R(1, fx.yc), Z(2, N), O(3, labels), Z(4, 2),
                                O(5, fx.w), MLC_CM_NORMALIZE_NONE, R(7, fx.buf));
}
static int p_mlc_prf_options_default(void)
{
    return mlc_prf_options_default().beta != 1.0;
}
static int p_mlc_precision_recall_fscore_support(void)
{
    mlc_prf_options o = mlc_prf_options_default();
    return mlc_precision_recall_fscore_support(R(0, fx.yc), R(1, fx.yc), Z(2, N), O(3, &o),
                                               O(4, fx.buf), O(5, fx.buf + 8),
                                               O(6, fx.buf + 16), O(7, fx.buf + 24));
}
#define PRF_PROBE(fn)                                                                       \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        mlc_prf_options o = mlc_prf_options_default();                                      \
        return fn(R(0, fx.yc), R(1, fx.yc), Z(2, N), O(3, &o), R(4, fx.buf));               \
    }
PRF_PROBE(mlc_precision_score)
PRF_PROBE(mlc_recall_score)
PRF_PROBE(mlc_f1_score)
PRF_PROBE(mlc_fbeta_score)
static int p_mlc_balanced_accuracy_score(void)
{
    return mlc_balanced_accuracy_score(R(0, fx.yc), R(1, fx.yc), Z(2, N), O(3, fx.w), 0,
                                       R(5, fx.buf));
}
static int p_mlc_matthews_corrcoef(void)
{
    return mlc_matthews_corrcoef(R(0, fx.yc), R(1, fx.yc), Z(2, N), O(3, fx.w), R(4, fx.buf));
}
static int p_mlc_log_loss(void)
{
    static const double labels[2] = {0, 1};
    return mlc_log_loss(R(0, fx.yc), R(1, fx.score), Z(2, N), Z(3, 1), O(4, labels), Z(5, 2),
                        O(6, fx.w), 1, 0.0, R(9, fx.buf));
}
static int p_mlc_roc_curve(void)
{
    size_t n = 0;
    return mlc_roc_curve(R(0, fx.yc), R(1, fx.score), Z(2, N), NAN, O(4, fx.w), 1,
                         R(6, fx.buf), R(7, fx.buf2), R(8, fx.buf3), R(9, &n));
}
static int p_mlc_roc_auc_score(void)
{
    return mlc_roc_auc_score(R(0, fx.yc), R(1, fx.score), Z(2, N), O(3, fx.w), R(4, fx.buf));
}
static int p_mlc_roc_auc_multiclass(void)
{
    static const double labels[3] = {0, 1, 2};
    return mlc_roc_auc_multiclass(R(0, fx.y3), R(1, fx.proba3), Z(2, N), Z(3, 3),
                                  O(4, labels), MLC_MULTICLASS_OVR, MLC_AVERAGE_MACRO,
                                  O(7, fx.w), R(8, fx.buf));
}
static int p_mlc_precision_recall_curve(void)
{
    size_t n = 0;
    return mlc_precision_recall_curve(R(0, fx.yc), R(1, fx.score), Z(2, N), 1.0, O(4, fx.w),
                                      R(5, fx.buf), R(6, fx.buf2), R(7, fx.buf3), R(8, &n));
}
static int p_mlc_average_precision_score(void)
{
    return mlc_average_precision_score(R(0, fx.yc), R(1, fx.score), Z(2, N), 1.0, O(4, fx.w),
                                       R(5, fx.buf));
}
static int p_mlc_classification_report(void)
{
    static const double labels[2] = {0, 1};
    mlc_class_report r;
    GARBAGE(r);
    int st = mlc_classification_report(R(0, fx.yc), R(1, fx.yc), Z(2, N), O(3, labels),
                                       Z(4, 2), O(5, fx.w), MLC_ZERO_DIVISION_WARN, R(7, &r));
    return FILLED(st, 7, r, mlc_class_report_clear);
}
static int p_mlc_class_report_clear(void)
{
    mlc_class_report r;
    OK_(mlc_classification_report(fx.yc, fx.yc, N, NULL, 0, NULL, MLC_ZERO_DIVISION_WARN, &r));
    mlc_class_report_clear(O(0, &r));
    mlc_class_report_clear(&r);
    return 0;
}
static int p_mlc_classification_report_format(void)
{
    static const char *const names[2] = {"even", "odd"};
    char buf[2048];
    return mlc_classification_report_format(R(0, &fx.report), O(1, names), 2, R(3, buf),
                                             Z(4, sizeof buf));
}
static int p_mlc_silhouette_samples(void)
{
    return mlc_silhouette_samples(M(0, &fx.X), R(1, fx.lab), 1, R(3, fx.buf));
}
static int p_mlc_silhouette_score(void)
{
    return mlc_silhouette_score(M(0, &fx.X), R(1, fx.lab), 1, R(3, fx.buf));
}
static int p_mlc_calinski_harabasz_score(void)
{
    return mlc_calinski_harabasz_score(M(0, &fx.X), R(1, fx.lab), R(2, fx.buf));
}
static int p_mlc_davies_bouldin_score(void)
{
    return mlc_davies_bouldin_score(M(0, &fx.X), R(1, fx.lab), R(2, fx.buf));
}
static int p_mlc_contingency_matrix(void)
{
    mlc_contingency c;
    GARBAGE(c);
    int st = mlc_contingency_matrix(R(0, fx.lab), R(1, fx.lab), Z(2, N), R(3, &c));
    return FILLED(st, 3, c, mlc_contingency_clear);
}
static int p_mlc_contingency_clear(void)
{
    mlc_contingency c;
    OK_(mlc_contingency_matrix(fx.lab, fx.lab, N, &c));
    mlc_contingency_clear(O(0, &c));
    mlc_contingency_clear(&c);
    return 0;
}
static int p_mlc_pair_confusion_matrix(void)
{
    return mlc_pair_confusion_matrix(R(0, fx.lab), R(1, fx.lab), Z(2, N), R(3, fx.i64));
}
#define LABELS_METRIC_PROBE(fn)                                                             \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        return fn(R(0, fx.lab), R(1, fx.lab), Z(2, N), R(3, fx.buf));                       \
    }
LABELS_METRIC_PROBE(mlc_rand_score)
LABELS_METRIC_PROBE(mlc_adjusted_rand_score)
LABELS_METRIC_PROBE(mlc_fowlkes_mallows_score)
LABELS_METRIC_PROBE(mlc_mutual_info_score)
LABELS_METRIC_PROBE(mlc_homogeneity_score)
LABELS_METRIC_PROBE(mlc_completeness_score)
static int p_mlc_normalized_mutual_info_score(void)
{
    return mlc_normalized_mutual_info_score(R(0, fx.lab), R(1, fx.lab), Z(2, N),
                                            MLC_AVERAGE_METHOD_ARITHMETIC, R(4, fx.buf));
}
static int p_mlc_adjusted_mutual_info_score(void)
{
    return mlc_adjusted_mutual_info_score(R(0, fx.lab), R(1, fx.lab), Z(2, N),
                                          MLC_AVERAGE_METHOD_ARITHMETIC, R(4, fx.buf));
}
static int p_mlc_homogeneity_completeness_v_measure(void)
{
    return mlc_homogeneity_completeness_v_measure(R(0, fx.lab), R(1, fx.lab), Z(2, N), 1.0,
                                                  O(4, fx.buf), O(5, fx.buf + 1),
                                                  O(6, fx.buf + 2));
}
static int p_mlc_v_measure_score(void)
{
    return mlc_v_measure_score(R(0, fx.lab), R(1, fx.lab), Z(2, N), 1.0, R(4, fx.buf));
}

/* ---- model_selection.h */

#define SPLITTER_NEW_PROBE(fn, out_arg, ...)                                                \
    static int p_##fn(void)                                                                 \
    {                                                                                       \
        mlc_splitter *s = NULL;                                                             \
        int st = fn(__VA_ARGS__, R(out_arg, &s));                                               \
        return OBJECT(st, s, mlc_splitter_free);                                            \
    }
SPLITTER_NEW_PROBE(mlc_kfold_new, 3, Z(0, 3), 0, -1)
SPLITTER_NEW_PROBE(mlc_stratified_kfold_new, 3, Z(0, 3), 1, 0)
SPLITTER_NEW_PROBE(mlc_shuffle_split_new, 4, Z(0, 3), 0.25, NAN, 0)
SPLITTER_NEW_PROBE(mlc_stratified_shuffle_split_new, 4, Z(0, 3), 0.25, NAN, 0)
static int p_mlc_leave_one_out_new(void)
{
    mlc_splitter *s = NULL;
    int st = mlc_leave_one_out_new(R(0, &s));
    return OBJECT(st, s, mlc_splitter_free);
}
static int p_mlc_predefined_split_new(void)
{
    static const int64_t folds[N] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, -1};
    mlc_splitter *s = NULL;
    int st = mlc_predefined_split_new(R(0, folds), Z(1, N), R(2, &s));
    return OBJECT(st, s, mlc_splitter_free);
}
static int p_mlc_explicit_split_new(void)
{
    static const size_t a[3] = {0, 1, 2}, b[3] = {3, 4, 5};
    static const size_t *const train[2] = {a, b}, *const test[2] = {b, a};
    static const size_t n_train[2] = {3, 3}, n_test[2] = {3, 3};
    mlc_splitter *s = NULL;
    int st = mlc_explicit_split_new(Z(0, 2), R(1, train), R(2, n_train), R(3, test),
                                    R(4, n_test), R(5, &s));
    return OBJECT(st, s, mlc_splitter_free);
}
static int p_mlc_splitter_free(void)
{
    mlc_splitter *s = NULL;
    OK_(mlc_kfold_new(3, 0, -1, &s));
    mlc_splitter_free(O(0, s));
    if (sub_arg == 0)
        mlc_splitter_free(s);
    return 0;
}
GETTER_PROBE(mlc_splitter_name, kf, NULL)
GETTER_PROBE(mlc_splitter_needs_labels, kf, 0)
GETTER_PROBE(mlc_splitter_n_splits, kf, (size_t)0)
static int p_mlc_splitter_split(void)
{
    mlc_splitter *s = NULL;
    OK_(mlc_stratified_kfold_new(2, 0, -1, &s));
    int st = mlc_splitter_split(R(0, s), Z(1, N), O(2, fx.yc));
    mlc_splitter_free(s);
    return st;
}
static int p_mlc_splitter_sizes(void)
{
    size_t a, b;
    return mlc_splitter_sizes(R(0, fx.kf), 1, O(2, &a), O(3, &b));
}
static int p_mlc_splitter_get(void)
{
    size_t a, b;
    return mlc_splitter_get(R(0, fx.kf), 1, O(2, fx.idx), O(3, &a), O(4, fx.idx2), O(5, &b));
}
static int p_mlc_scorer_count(void)
{
    return mlc_scorer_count() == 0;
}
static int p_mlc_scorer_name(void)
{
    return mlc_scorer_name(100000) != NULL;
}
static int p_mlc_scorer_summary(void)
{
    return mlc_scorer_summary(100000) != NULL;
}
static int p_mlc_scorer_check(void)
{
    return mlc_scorer_check(F(0, "r2"));
}
static int p_mlc_scorer_score(void)
{
    return mlc_scorer_score(F(0, "r2"), R(1, fx.est), M(2, &fx.X), R(3, fx.yd), R(4, fx.buf));
}
static int p_mlc_scorer_score_labels(void)
{
    return mlc_scorer_score_labels(F(0, "accuracy"), M(1, &fx.X), R(2, fx.y3), R(3, fx.y3),
                                   R(4, fx.buf));
}
static int p_mlc_cv_options_default(void)
{
    return mlc_cv_options_default().cv != NULL;
}
static int p_mlc_grid_options_default(void)
{
    return mlc_grid_options_default().refit_best != 1;
}
static int p_mlc_cross_validate(void)
{
    mlc_cv_options o = mlc_cv_options_default();
    o.n_threads = 1;
    mlc_cv_results r;
    GARBAGE(r);
    int st = mlc_cross_validate(R(0, fx.est), M(1, &fx.X), R(2, fx.yd), O(3, &o), R(4, &r));
    return FILLED(st, 4, r, mlc_cv_results_clear);
}
static int p_mlc_cross_validate_data(void)
{
    mlc_cv_options o = mlc_cv_options_default();
    o.n_threads = 1;
    mlc_fit_data d = {M(5, &fx.X), M(6, &fx.Y), O(7, fx.w)};
    mlc_cv_results r;
    GARBAGE(r);
    int st = mlc_cross_validate_data(R(0, fx.est), R(1, &d), O(2, &o), R(3, &r));
    return FILLED(st, 3, r, mlc_cv_results_clear);
}
static int p_mlc_cv_results_clear(void)
{
    mlc_cv_options o = mlc_cv_options_default();
    o.n_threads = 1;
    mlc_cv_results r;
    OK_(mlc_cross_validate(fx.est, &fx.X, fx.yd, &o, &r));
    mlc_cv_results_clear(O(0, &r));
    mlc_cv_results_clear(&r);
    return 0;
}
static int p_mlc_grid_search(void)
{
    mlc_grid_options o = mlc_grid_options_default();
    o.cv.n_threads = 1;
    mlc_fit_data d = {M(6, &fx.X), M(7, &fx.Y), O(8, fx.w)};
    mlc_grid_results r;
    GARBAGE(r);
    int st = mlc_grid_search(R(0, fx.est), R(1, grid_param), Z(2, 1), R(3, &d), O(4, &o),
                             R(5, &r));
    return FILLED(st, 5, r, mlc_grid_results_clear);
}
static int p_mlc_grid_best_param(void)
{
    return SAFE(mlc_grid_best_param(R(0, &fx.grid), R(1, "alpha")), NULL);
}
static int p_mlc_grid_results_clear(void)
{
    mlc_fit_data d = {&fx.X, &fx.Y, NULL};
    mlc_grid_options o = mlc_grid_options_default();
    o.cv.n_threads = 1;
    mlc_grid_results r;
    OK_(mlc_grid_search(fx.est, grid_param, 1, &d, &o, &r));
    mlc_grid_results_clear(O(0, &r));
    mlc_grid_results_clear(&r);
    return 0;
}

/* ================================================================ the table */

/* S: returns a status; V: a value or nothing (the probe checks the answer). */
typedef struct probe {
    const char *name;
    int (*fn)(void);
    char kind;
} probe;
#define PROBE(fn, kind) {#fn, p_##fn, #kind[0]}

static const probe probes[] = {
    /* status.h */
    PROBE(mlc_strerror, V),
    PROBE(mlc_last_error_message, V),
    PROBE(mlc_clear_error, V),
    /* version.h */
    PROBE(mlc_version, V),
    PROBE(mlc_version_number, V),
    /* threads.h */
    PROBE(mlc_num_cores, V),
    PROBE(mlc_resolve_threads, V),
    /* matrix.h */
    PROBE(mlc_matrix_alloc, S),
    PROBE(mlc_matrix_clear, V),
    PROBE(mlc_matrix_wrap, V),
    PROBE(mlc_matrix_rows, V),
    PROBE(mlc_matrix_submatrix, V),
    PROBE(mlc_matrix_column, V),
    PROBE(mlc_matrix_copy, S),
    PROBE(mlc_matrix_gather_rows, S),
    PROBE(mlc_vector_gather, S),
    PROBE(mlc_matrix_check_finite, S),
    PROBE(mlc_array_check_finite, S),
    PROBE(mlc_matrix_row, V),
    /* rng.h */
    PROBE(mlc_rng_new, S),
    PROBE(mlc_rng_free, V),
    PROBE(mlc_rng_uniform, V),
    PROBE(mlc_rng_uniform_range, V),
    PROBE(mlc_rng_index, V),
    PROBE(mlc_rng_normal, V),
    PROBE(mlc_rng_seed, V),
    PROBE(mlc_rng_shuffle, V),
    PROBE(mlc_rng_permutation, V),
    /* linalg.h */
    PROBE(mlc_row_sq_norms, V),
    PROBE(mlc_sq_distances, S),
    PROBE(mlc_distance_block_rows, V),
    /* estimator.h */
    PROBE(mlc_task_name, V),
    PROBE(mlc_output_name, V),
    PROBE(mlc_attribute_size, V),
    PROBE(mlc_attribute_value, V),
    PROBE(mlc_registry_count, V),
    PROBE(mlc_registry_name, V),
    PROBE(mlc_registry_lookup, S),
    PROBE(mlc_registry_param, V),
    PROBE(mlc_estimator_new, S),
    PROBE(mlc_estimator_free, V),
    PROBE(mlc_estimator_clone, S),
    PROBE(mlc_estimator_name, V),
    PROBE(mlc_estimator_task, V),
    PROBE(mlc_estimator_set, S),
    PROBE(mlc_estimator_set_matrix, S),
    PROBE(mlc_estimator_get, S),
    PROBE(mlc_estimator_set_threads, S),
    PROBE(mlc_estimator_set_progress, S),
    PROBE(mlc_estimator_fit, S),
    PROBE(mlc_estimator_fit_data, S),
    PROBE(mlc_estimator_is_fitted, V),
    PROBE(mlc_estimator_warning, V),
    PROBE(mlc_estimator_n_features, V),
    PROBE(mlc_estimator_set_feature_names, S),
    PROBE(mlc_estimator_feature_names, V),
    PROBE(mlc_estimator_match_columns, S),
    PROBE(mlc_estimator_output_cols, V),
    PROBE(mlc_estimator_output, S),
    PROBE(mlc_estimator_predict, S),
    PROBE(mlc_estimator_transform, S),
    PROBE(mlc_estimator_score, S),
    PROBE(mlc_estimator_attribute, S),
    PROBE(mlc_estimator_attributes, V),
    PROBE(mlc_estimator_save, S),
    PROBE(mlc_estimator_load, S),
    PROBE(mlc_estimator_load_as, S),
    /* io.h */
    PROBE(mlc_table_clear, V),
    PROBE(mlc_table_column, V),
    PROBE(mlc_csv_read, S),
    PROBE(mlc_csv_parse, S),
    PROBE(mlc_csv_read_flags, S),
    PROBE(mlc_csv_parse_flags, S),
    PROBE(mlc_csv_write, S),
    PROBE(mlc_npy_read, S),
    PROBE(mlc_npy_parse, S),
    PROBE(mlc_npy_write, S),
    PROBE(mlc_npy_write_int32, S),
    PROBE(mlc_npy_write_vector, S),
    PROBE(mlc_matrix_read, S),
    PROBE(mlc_npy_read_array, S),
    PROBE(mlc_array_read, S),
    /* dataset.h */
    PROBE(mlc_dataset_clear, V),
    PROBE(mlc_dataset_read, S),
    PROBE(mlc_dataset_read_flags, S),
    PROBE(mlc_bundled_count, V),
    PROBE(mlc_bundled_name, V),
    PROBE(mlc_bundled_summary, V),
    PROBE(mlc_load_bundled, S),
    PROBE(mlc_load_iris, S),
    PROBE(mlc_load_wine, S),
    PROBE(mlc_load_breast_cancer, S),
    PROBE(mlc_load_digits, S),
    PROBE(mlc_load_diabetes, S),
    PROBE(mlc_blobs_params_default, V),
    PROBE(mlc_make_blobs, S),
    PROBE(mlc_regression_params_default, V),
    PROBE(mlc_make_regression, S),
    PROBE(mlc_classification_params_default, V),
    PROBE(mlc_make_classification, S),
    /* linear.h */
    PROBE(mlc_linear_regression_params_default, V),
    PROBE(mlc_linear_regression_fit, S),
    PROBE(mlc_linear_regression_fit_weighted, S),
    PROBE(mlc_linear_regression_fit_multi, S),
    PROBE(mlc_linear_regression_predict, S),
    PROBE(mlc_linear_regression_n_features, V),
    PROBE(mlc_linear_regression_n_targets, V),
    PROBE(mlc_linear_regression_coef, V),
    PROBE(mlc_linear_regression_intercept, V),
    PROBE(mlc_linear_regression_rank, V),
    PROBE(mlc_linear_regression_singular, V),
    PROBE(mlc_linear_regression_free, V),
    PROBE(mlc_ridge_params_default, V),
    PROBE(mlc_ridge_fit, S),
    PROBE(mlc_ridge_fit_weighted, S),
    PROBE(mlc_ridge_fit_multi, S),
    PROBE(mlc_ridge_predict, S),
    PROBE(mlc_ridge_n_features, V),
    PROBE(mlc_ridge_n_targets, V),
    PROBE(mlc_ridge_coef, V),
    PROBE(mlc_ridge_intercept, V),
    PROBE(mlc_ridge_free, V),
    PROBE(mlc_ridge_cv_params_default, V),
    PROBE(mlc_ridge_cv_fit, S),
    PROBE(mlc_ridge_cv_fit_weighted, S),
    PROBE(mlc_ridge_cv_fit_multi, S),
    PROBE(mlc_ridge_cv_predict, S),
    PROBE(mlc_ridge_cv_n_features, V),
    PROBE(mlc_ridge_cv_n_targets, V),
    PROBE(mlc_ridge_cv_coef, V),
    PROBE(mlc_ridge_cv_intercept, V),
    PROBE(mlc_ridge_cv_alpha, V),
    PROBE(mlc_ridge_cv_best_score, V),
    PROBE(mlc_ridge_cv_cv_values, V),
    PROBE(mlc_ridge_cv_free, V),
    PROBE(mlc_elastic_net_params_default, V),
    PROBE(mlc_elastic_net_fit, S),
    PROBE(mlc_elastic_net_fit_weighted, S),
    PROBE(mlc_elastic_net_fit_multi, S),
    PROBE(mlc_elastic_net_refit, S),
    PROBE(mlc_elastic_net_predict, S),
    PROBE(mlc_elastic_net_n_features, V),
    PROBE(mlc_elastic_net_n_targets, V),
    PROBE(mlc_elastic_net_coef, V),
    PROBE(mlc_elastic_net_intercept, V),
    PROBE(mlc_elastic_net_n_iter, V),
    PROBE(mlc_elastic_net_dual_gap, V),
    PROBE(mlc_elastic_net_converged, V),
    PROBE(mlc_elastic_net_free, V),
    PROBE(mlc_lasso_params_default, V),
    PROBE(mlc_lasso_fit, S),
    PROBE(mlc_lasso_fit_weighted, S),
    PROBE(mlc_lasso_fit_multi, S),
    PROBE(mlc_lasso_refit, S),
    PROBE(mlc_lasso_predict, S),
    PROBE(mlc_lasso_n_features, V),
    PROBE(mlc_lasso_n_targets, V),
    PROBE(mlc_lasso_coef, V),
    PROBE(mlc_lasso_intercept, V),
    PROBE(mlc_lasso_n_iter, V),
    PROBE(mlc_lasso_dual_gap, V),
    PROBE(mlc_lasso_converged, V),
    PROBE(mlc_lasso_free, V),
    PROBE(mlc_enet_path_params_default, V),
    PROBE(mlc_enet_path, S),
    PROBE(mlc_lasso_path, S),
    PROBE(mlc_elastic_net_cv_params_default, V),
    PROBE(mlc_elastic_net_cv_fit, S),
    PROBE(mlc_elastic_net_cv_fit_weighted, S),
    PROBE(mlc_elastic_net_cv_predict, S),
    PROBE(mlc_elastic_net_cv_n_features, V),
    PROBE(mlc_elastic_net_cv_coef, V),
    PROBE(mlc_elastic_net_cv_intercept, V),
    PROBE(mlc_elastic_net_cv_alpha, V),
    PROBE(mlc_elastic_net_cv_l1_ratio, V),
    PROBE(mlc_elastic_net_cv_alphas, V),
    PROBE(mlc_elastic_net_cv_mse_path, V),
    PROBE(mlc_elastic_net_cv_n_iter, V),
    PROBE(mlc_elastic_net_cv_dual_gap, V),
    PROBE(mlc_elastic_net_cv_free, V),
    PROBE(mlc_lasso_cv_params_default, V),
    PROBE(mlc_lasso_cv_fit, S),
    PROBE(mlc_lasso_cv_fit_weighted, S),
    PROBE(mlc_lasso_cv_predict, S),
    PROBE(mlc_lasso_cv_n_features, V),
    PROBE(mlc_lasso_cv_coef, V),
    PROBE(mlc_lasso_cv_intercept, V),
    PROBE(mlc_lasso_cv_alpha, V),
    PROBE(mlc_lasso_cv_alphas, V),
    PROBE(mlc_lasso_cv_mse_path, V),
    PROBE(mlc_lasso_cv_n_iter, V),
    PROBE(mlc_lasso_cv_dual_gap, V),
    PROBE(mlc_lasso_cv_free, V),
    /* svm.h */
    PROBE(mlc_svc_params_default, V),
    PROBE(mlc_nu_svc_params_default, V),
    PROBE(mlc_svr_params_default, V),
    PROBE(mlc_nu_svr_params_default, V),
    PROBE(mlc_one_class_svm_params_default, V),
    PROBE(mlc_svc_fit, S),
    PROBE(mlc_nu_svc_fit, S),
    PROBE(mlc_svr_fit, S),
    PROBE(mlc_nu_svr_fit, S),
    PROBE(mlc_one_class_svm_fit, S),
    PROBE(mlc_svm_free, V),
    PROBE(mlc_svm_predict, S),
    PROBE(mlc_svm_decision_cols, V),
    PROBE(mlc_svm_decision_function, S),
    PROBE(mlc_svm_predict_proba, S),
    PROBE(mlc_svm_attribute, S),
    /* linear_svm.h */
    PROBE(mlc_linear_svc_params_default, V),
    PROBE(mlc_linear_svr_params_default, V),
    PROBE(mlc_linear_svc_fit, S),
    PROBE(mlc_linear_svr_fit, S),
    PROBE(mlc_linear_svc_predict, S),
    PROBE(mlc_linear_svr_predict, S),
    PROBE(mlc_linear_svc_decision_function, S),
    PROBE(mlc_linear_svc_n_features, V),
    PROBE(mlc_linear_svc_n_classes, V),
    PROBE(mlc_linear_svc_n_rows, V),
    PROBE(mlc_linear_svc_classes, V),
    PROBE(mlc_linear_svc_coef, V),
    PROBE(mlc_linear_svc_intercept, V),
    PROBE(mlc_linear_svc_n_iter, V),
    PROBE(mlc_linear_svc_converged, V),
    PROBE(mlc_linear_svc_free, V),
    PROBE(mlc_linear_svr_n_features, V),
    PROBE(mlc_linear_svr_coef, V),
    PROBE(mlc_linear_svr_intercept, V),
    PROBE(mlc_linear_svr_n_iter, V),
    PROBE(mlc_linear_svr_converged, V),
    /* neighbors.h */
    PROBE(mlc_neighbors_params_default, V),
    PROBE(mlc_neighbors_build, S),
    PROBE(mlc_neighbors_free, V),
    PROBE(mlc_neighbors_algorithm, V),
    PROBE(mlc_neighbors_n_samples, V),
    PROBE(mlc_neighbors_kneighbors, S),
    PROBE(mlc_neighbors_radius, S),
    PROBE(mlc_neighbor_lists_clear, V),
    PROBE(mlc_neighbors_radius_count, S),
    PROBE(mlc_k_neighbors_classifier_params_default, V),
    PROBE(mlc_k_neighbors_regressor_params_default, V),
    PROBE(mlc_k_neighbors_classifier_fit, S),
    PROBE(mlc_k_neighbors_regressor_fit, S),
    PROBE(mlc_k_neighbors_classifier_predict, S),
    PROBE(mlc_k_neighbors_classifier_predict_proba, S),
    PROBE(mlc_k_neighbors_regressor_predict, S),
    PROBE(mlc_k_neighbors_classifier_n_classes, V),
    PROBE(mlc_k_neighbors_classifier_classes, V),
    PROBE(mlc_k_neighbors_classifier_n_features, V),
    PROBE(mlc_k_neighbors_classifier_index, V),
    PROBE(mlc_k_neighbors_regressor_n_targets, V),
    PROBE(mlc_k_neighbors_regressor_n_features, V),
    PROBE(mlc_k_neighbors_regressor_index, V),
    PROBE(mlc_k_neighbors_classifier_free, V),
    PROBE(mlc_k_neighbors_regressor_free, V),
    PROBE(mlc_linear_svr_free, V),
    /* cluster.h */
    PROBE(mlc_kmeans_params_default, V),
    PROBE(mlc_kmeans_fit, S),
    PROBE(mlc_kmeans_fit_rng, S),
    PROBE(mlc_kmeans_plusplus, S),
    PROBE(mlc_kmeans_fit_predict, S),
    PROBE(mlc_kmeans_predict, S),
    PROBE(mlc_kmeans_transform, S),
    PROBE(mlc_kmeans_score, S),
    PROBE(mlc_kmeans_n_clusters, V),
    PROBE(mlc_kmeans_n_features, V),
    PROBE(mlc_kmeans_cluster_centers, V),
    PROBE(mlc_kmeans_labels, V),
    PROBE(mlc_kmeans_n_samples, V),
    PROBE(mlc_kmeans_inertia, V),
    PROBE(mlc_kmeans_n_iter, V),
    PROBE(mlc_kmeans_converged, V),
    PROBE(mlc_kmeans_n_distinct, V),
    PROBE(mlc_kmeans_free, V),
    PROBE(mlc_agglomerative_clustering_params_default, V),
    PROBE(mlc_agglomerative_clustering_fit, S),
    PROBE(mlc_agglomerative_clustering_fit_predict, S),
    PROBE(mlc_agglomerative_clustering_free, V),
    PROBE(mlc_agglomerative_clustering_n_leaves, V),
    PROBE(mlc_agglomerative_clustering_n_clusters, V),
    PROBE(mlc_agglomerative_clustering_n_children, V),
    PROBE(mlc_agglomerative_clustering_n_connected_components, V),
    PROBE(mlc_agglomerative_clustering_labels, V),
    PROBE(mlc_agglomerative_clustering_children, V),
    PROBE(mlc_agglomerative_clustering_distances, V),
    PROBE(mlc_agglomerative_clustering_linkage_matrix, V),
    PROBE(mlc_dbscan_params_default, V),
    PROBE(mlc_dbscan_fit, S),
    PROBE(mlc_dbscan_fit_predict, S),
    PROBE(mlc_dbscan_n_samples, V),
    PROBE(mlc_dbscan_n_features, V),
    PROBE(mlc_dbscan_labels, V),
    PROBE(mlc_dbscan_n_clusters, V),
    PROBE(mlc_dbscan_n_core_samples, V),
    PROBE(mlc_dbscan_core_sample_indices, V),
    PROBE(mlc_dbscan_components, V),
    PROBE(mlc_dbscan_free, V),
    /* mixture.h */
    PROBE(mlc_gaussian_mixture_params_default, V),
    PROBE(mlc_gaussian_mixture_fit, S),
    PROBE(mlc_gaussian_mixture_fit_predict, S),
    PROBE(mlc_gaussian_mixture_refit, S),
    PROBE(mlc_gaussian_mixture_predict, S),
    PROBE(mlc_gaussian_mixture_predict_proba, S),
    PROBE(mlc_gaussian_mixture_score_samples, S),
    PROBE(mlc_gaussian_mixture_score, S),
    PROBE(mlc_gaussian_mixture_bic, S),
    PROBE(mlc_gaussian_mixture_aic, S),
    PROBE(mlc_gaussian_mixture_sample, S),
    PROBE(mlc_gaussian_mixture_n_components, V),
    PROBE(mlc_gaussian_mixture_n_features, V),
    PROBE(mlc_gaussian_mixture_covariance_type, V),
    PROBE(mlc_gaussian_mixture_covariance_size, V),
    PROBE(mlc_gaussian_mixture_weights, V),
    PROBE(mlc_gaussian_mixture_means, V),
    PROBE(mlc_gaussian_mixture_covariances, V),
    PROBE(mlc_gaussian_mixture_precisions, V),
    PROBE(mlc_gaussian_mixture_precisions_cholesky, V),
    PROBE(mlc_gaussian_mixture_converged, V),
    PROBE(mlc_gaussian_mixture_n_iter, V),
    PROBE(mlc_gaussian_mixture_lower_bound, V),
    PROBE(mlc_gaussian_mixture_free, V),
    /* preprocessing.h */
    PROBE(mlc_standard_scaler_params_default, V),
    PROBE(mlc_standard_scaler_fit, S),
    PROBE(mlc_standard_scaler_transform, S),
    PROBE(mlc_standard_scaler_inverse_transform, S),
    PROBE(mlc_standard_scaler_n_features, V),
    PROBE(mlc_standard_scaler_mean, V),
    PROBE(mlc_standard_scaler_var, V),
    PROBE(mlc_standard_scaler_scale, V),
    PROBE(mlc_standard_scaler_free, V),
    PROBE(mlc_min_max_scaler_params_default, V),
    PROBE(mlc_min_max_scaler_fit, S),
    PROBE(mlc_min_max_scaler_transform, S),
    PROBE(mlc_min_max_scaler_inverse_transform, S),
    PROBE(mlc_min_max_scaler_n_features, V),
    PROBE(mlc_min_max_scaler_data_min, V),
    PROBE(mlc_min_max_scaler_data_max, V),
    PROBE(mlc_min_max_scaler_scale, V),
    PROBE(mlc_min_max_scaler_min, V),
    PROBE(mlc_min_max_scaler_free, V),
    PROBE(mlc_split_params_default, V),
    PROBE(mlc_train_test_split, S),
    /* metrics.h */
    PROBE(mlc_mean_squared_error, S),
    PROBE(mlc_root_mean_squared_error, S),
    PROBE(mlc_mean_absolute_error, S),
    PROBE(mlc_mean_absolute_percentage_error, S),
    PROBE(mlc_median_absolute_error, S),
    PROBE(mlc_max_error, S),
    PROBE(mlc_r2_score, S),
    PROBE(mlc_explained_variance_score, S),
    PROBE(mlc_accuracy_score, S),
    PROBE(mlc_unique_labels, S),
    PROBE(mlc_confusion_matrix, S),
    PROBE(mlc_prf_options_default, V),
    PROBE(mlc_precision_recall_fscore_support, S),
    PROBE(mlc_precision_score, S),
    PROBE(mlc_recall_score, S),
    PROBE(mlc_f1_score, S),
    PROBE(mlc_fbeta_score, S),
    PROBE(mlc_balanced_accuracy_score, S),
    PROBE(mlc_matthews_corrcoef, S),
    PROBE(mlc_log_loss, S),
    PROBE(mlc_roc_curve, S),
    PROBE(mlc_roc_auc_score, S),
    PROBE(mlc_roc_auc_multiclass, S),
    PROBE(mlc_precision_recall_curve, S),
    PROBE(mlc_average_precision_score, S),
    PROBE(mlc_classification_report, S),
    PROBE(mlc_class_report_clear, V),
    PROBE(mlc_classification_report_format, S),
    PROBE(mlc_silhouette_samples, S),
    PROBE(mlc_silhouette_score, S),
    PROBE(mlc_calinski_harabasz_score, S),
    PROBE(mlc_davies_bouldin_score, S),
    PROBE(mlc_contingency_matrix, S),
    PROBE(mlc_contingency_clear, V),
    PROBE(mlc_pair_confusion_matrix, S),
    PROBE(mlc_rand_score, S),
    PROBE(mlc_adjusted_rand_score, S),
    PROBE(mlc_fowlkes_mallows_score, S),
    PROBE(mlc_mutual_info_score, S),
    PROBE(mlc_normalized_mutual_info_score, S),
    PROBE(mlc_adjusted_mutual_info_score, S),
    PROBE(mlc_homogeneity_completeness_v_measure, S),
    PROBE(mlc_homogeneity_score, S),
    PROBE(mlc_completeness_score, S),
    PROBE(mlc_v_measure_score, S),
    /* model_selection.h */
    PROBE(mlc_kfold_new, S),
    PROBE(mlc_stratified_kfold_new, S),
    PROBE(mlc_shuffle_split_new, S),
    PROBE(mlc_stratified_shuffle_split_new, S),
    PROBE(mlc_leave_one_out_new, S),
    PROBE(mlc_predefined_split_new, S),
    PROBE(mlc_explicit_split_new, S),
    PROBE(mlc_splitter_free, V),
    PROBE(mlc_splitter_name, V),
    PROBE(mlc_splitter_needs_labels, V),
    PROBE(mlc_splitter_split, S),
    PROBE(mlc_splitter_n_splits, V),
    PROBE(mlc_splitter_sizes, S),
    PROBE(mlc_splitter_get, S),
    PROBE(mlc_scorer_count, V),
    PROBE(mlc_scorer_name, V),
    PROBE(mlc_scorer_summary, V),
    PROBE(mlc_scorer_check, S),
    PROBE(mlc_scorer_score, S),
    PROBE(mlc_scorer_score_labels, S),
    PROBE(mlc_cv_options_default, V),
    PROBE(mlc_cross_validate, S),
    PROBE(mlc_cross_validate_data, S),
    PROBE(mlc_cv_results_clear, V),
    PROBE(mlc_grid_options_default, V),
    PROBE(mlc_grid_search, S),
    PROBE(mlc_grid_best_param, V),
    PROBE(mlc_grid_results_clear, V),
};
#define N_PROBES (sizeof probes / sizeof probes[0])

/* ================================================================ the runner */

static const char *variant_name(int v)
{
    static const char *const names[] = {"as written", "NULL",    "without data", "0 rows",
                                        "0 columns",  "zeroed",  "0"};
    return names[v];
}

static int is_status(int st)
{
    return st >= MLC_OK && st <= MLC_EINTERRUPTED;
}

/* One call with argument i replaced by variant v; checks what it returned. */
static void run_variant(const probe *pr, int i, int v, const int *kinds)
{
    sub_arg = i;
    sub_variant = v;
    snprintf(cur_call, sizeof cur_call, " (argument %d %s)", i, variant_name(v));
    mlc_clear_error();
    int st = pr->fn();
    const char *msg = mlc_last_error_message();
    if (!msg) {
        problem("mlc_last_error_message() is NULL");
        msg = "";
    }
    if (pr->kind == 'V') {
        if (st != 0)
            problem("wrong answer");
        return;
    }
    int required = kinds[i] == ARG_REQ || kinds[i] == ARG_MAT;
    if (v == V_NULL && required && st != MLC_EINVAL)
        problem("got %d (%s), expected MLC_EINVAL", st, mlc_strerror(st));
    else if (((v == V_NULL && kinds[i] == ARG_FAIL) || v == V_NODATA) && st == MLC_OK)
        problem("succeeded, expected a failure");
    else if (!is_status(st))
        problem("returned %d, not a status", st);
    if (st != MLC_OK && msg[0] == '\0')
        problem("failed with %s but set no message", mlc_strerror(st));
    /* A NULL name is said in words, never printed as glibc's "(null)". */
    if (st != MLC_OK && strstr(msg, "(null)"))
        problem("its message prints a NULL as \"(null)\": %s", msg);
}

static void run_probe(const probe *pr)
{
    n_problems = 0;
    cur_name = pr->name;
    cur_call[0] = '\0';
    memset(arg_kind, 0, sizeof arg_kind);
    sub_arg = -1;
    sub_variant = V_NONE;
    mlc_clear_error();
    int st = pr->fn();
    if (st != MLC_OK)
        problem("the probe as written failed: %d (%s) %s", st,
                pr->kind == 'S' ? mlc_strerror(st) : "", mlc_last_error_message());
    int kinds[MAX_ARGS];
    memcpy(kinds, arg_kind, sizeof kinds);
    for (int i = 0; i < MAX_ARGS; i++) {
        switch (kinds[i]) {
        case ARG_REQ:
        case ARG_FAIL:
        case ARG_OPT:
            run_variant(pr, i, V_NULL, kinds);
            break;
        case ARG_MAT:
        case ARG_OPT_MAT:
            for (int v = V_NULL; v <= V_ZEROED; v++)
                run_variant(pr, i, v, kinds);
            break;
        case ARG_SIZE:
            run_variant(pr, i, V_ZERO, kinds);
            break;
        default:
            break;
        }
    }
    sub_arg = -1;
    cur_call[0] = '\0';
}

START_TEST(every_function_survives_null_and_empty)
{
    fixture_setup();
    run_probe(&probes[_i]);
    ck_assert_msg(n_problems == 0, "%s: %d problem(s), listed on stderr", probes[_i].name,
                  n_problems);
}
END_TEST

/* ====================================================== the table is complete */

/* The names of the functions declared in the public headers: each MLC_API
 * declaration and each static inline function. */
#define MAX_NAMES 1024
static char *declared[MAX_NAMES];
static size_t n_declared;

static void strip_comments(char *t)
{
    for (char *p = t; (p = strstr(p, "/*"));) {
        char *end = strstr(p + 2, "*/");
        char *stop = end ? end + 2 : p + strlen(p);
        memset(p, ' ', (size_t)(stop - p));
        p = stop;
    }
}

static void collect_names(const char *text)
{
    static const char *const marks[] = {"MLC_API ", "static inline "};
    for (size_t k = 0; k < 2; k++)
        for (const char *p = strstr(text, marks[k]); p; p = strstr(p + 1, marks[k])) {
            const char *paren = strchr(p, '(');
            const char *semi = strpbrk(p, ";{#");
            if (!paren || (semi && semi < paren))
                continue;
            const char *end = paren, *start = paren;
            while (start > p && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
                start--;
            if (end - start > 4 && strncmp(start, "mlc_", 4) == 0 && n_declared < MAX_NAMES)
                declared[n_declared++] = strndup(start, (size_t)(end - start));
        }
}

static void read_declared(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/mlcore", MLC_INCLUDE_DIR);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot list %s", dir);
    for (struct dirent *ent; (ent = readdir(d));) {
        size_t len = strlen(ent->d_name);
        int header = (len > 2 && strcmp(ent->d_name + len - 2, ".h") == 0) ||
                     (len > 5 && strcmp(ent->d_name + len - 5, ".h.in") == 0);
        if (!header)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *text = calloc((size_t)n + 1, 1);
        ck_assert_ptr_nonnull(text);
        ck_assert_int_eq(fread(text, 1, (size_t)n, f), (size_t)n);
        fclose(f);
        strip_comments(text);
        collect_names(text);
        free(text);
    }
    closedir(d);
}

START_TEST(every_public_function_has_a_probe)
{
    read_declared();
    ck_assert_msg(n_declared > 300, "only %zu functions found in the headers", n_declared);
    int missing = 0;
    for (size_t i = 0; i < n_declared; i++) {
        size_t k = 0;
        while (k < N_PROBES && strcmp(probes[k].name, declared[i]) != 0)
            k++;
        if (k == N_PROBES) {
            fprintf(stderr, "[api_null] %s is declared but has no probe\n", declared[i]);
            missing++;
        }
    }
    for (size_t k = 0; k < N_PROBES; k++) {
        size_t i = 0;
        while (i < n_declared && strcmp(probes[k].name, declared[i]) != 0)
            i++;
        if (i == n_declared) {
            fprintf(stderr, "[api_null] probe %s names no declared function\n", probes[k].name);
            missing++;
        }
    }
    for (size_t i = 0; i < n_declared; i++)
        free(declared[i]);
    n_declared = 0;
    ck_assert_msg(missing == 0, "%d function(s) without a probe or probe(s) without a "
                                "function, listed on stderr", missing);
}
END_TEST

/* ===================================================== ranges the tables state */

/* mlc_estimator_set_threads takes what the table's n_threads row takes:
 * [0, 4096], for every registered estimator (100000 used to be accepted). */
START_TEST(set_threads_takes_the_table_range)
{
    for (size_t k = 0; k < mlc_registry_count(); k++) {
        const char *name = mlc_registry_name(k);
        mlc_estimator *e = NULL;
        OK_(mlc_estimator_new(name, &e));
        for (size_t i = 0; mlc_registry_param(name, i); i++) {
            const mlc_param_info *in = mlc_registry_param(name, i);
            if (strcmp(in->name, "n_threads") == 0)
                ck_assert_msg(in->min == 0 && in->max == MLC_THREADS_MAX, "%s: n_threads row",
                              name);
        }
        static const int bad[] = {-1, MLC_THREADS_MAX + 1, 100000, -2147483647 - 1};
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            ck_assert_msg(mlc_estimator_set_threads(e, bad[b]) == MLC_EINVAL, "%s: %d accepted",
                          name, bad[b]);
            ck_assert_msg(strstr(mlc_last_error_message(), "[0, 4096]"), "%s: %s", name,
                          mlc_last_error_message());
        }
        OK_(mlc_estimator_set_threads(e, MLC_THREADS_MAX));
        OK_(mlc_estimator_set_threads(e, 0));
        char buf[32];
        if (mlc_estimator_get(e, "n_threads", buf, sizeof buf) == MLC_OK)
            ck_assert_str_eq(buf, "0");
        mlc_estimator_free(e);
    }
}
END_TEST

Suite *mlc_api_null_suite(void)
{
    Suite *s = suite_create("api_null");
    TCase *table = tcase_create("table");
    tcase_add_test(table, every_public_function_has_a_probe);
    suite_add_tcase(s, table);
    TCase *ranges = tcase_create("ranges");
    tcase_add_test(ranges, set_threads_takes_the_table_range);
    suite_add_tcase(s, ranges);
    TCase *calls = tcase_create("calls");
    tcase_add_unchecked_fixture(calls, NULL, fixture_teardown);
    tcase_add_loop_test(calls, every_function_survives_null_and_empty, 0, (int)N_PROBES);
    suite_add_tcase(s, calls);
    return s;
}
