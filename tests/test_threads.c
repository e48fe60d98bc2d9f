/* The library leaves its caller's thread settings as it found them.
 *
 * A call that runs BLAS changes process state behind the caller's back: in
 * OpenBLAS's OpenMP build, openblas_set_num_threads also sets the calling
 * thread's OpenMP thread count (omp_get_max_threads), and a BLAS call made
 * outside a parallel region resets OpenBLAS's own count to that OpenMP count.
 * Here the "caller" sets both counts to values the library never picks, then
 * every public call that can reach BLAS - every registered estimator's fit,
 * outputs, score, load and cross-validation, and the typed faces - must leave
 * both exactly as they were, at 1 and 2 threads.
 *
 * The counts are set in the test itself, so ctest's OPENBLAS_NUM_THREADS=1
 * does not make the checks vacuous. Two settings: equal counts (what
 * openblas_set_num_threads leaves), and an OpenBLAS count below the OpenMP
 * count (what OPENBLAS_NUM_THREADS < OMP_NUM_THREADS gives in a threaded
 * build), which a serial BLAS call inside the library would bump. */
#include <cblas.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal/blas.h"
#include "internal/thread_scope.h"
#include "test_util.h"

typedef struct caller_threads {
    int omp, blas;
} caller_threads;

static const caller_threads callers[] = {{3, 3}, {3, 2}};
#define N_CALLERS (sizeof callers / sizeof callers[0])
static const int budgets[] = {1, 2}; /* n_threads of the calls */
#define N_BUDGETS (sizeof budgets / sizeof budgets[0])

static caller_threads cur_caller;
static int cur_budget;
static const char *cur_name = "";
static int n_problems;

/* The caller's settings: OpenBLAS first, since in its OpenMP build setting
 * it also sets the OpenMP count. */
static void set_caller(caller_threads c)
{
    openblas_set_num_threads(c.blas);
    omp_set_num_threads(c.omp);
    ck_assert_int_eq(omp_get_max_threads(), c.omp);
    ck_assert_int_eq(openblas_get_num_threads(), c.blas);
    cur_caller = c;
}

/* After a call: the caller's settings must be untouched. A change is listed
 * on stderr and undone, so that each later call is checked on its own. */
static void expect_caller(const char *what, ...) __attribute__((format(printf, 1, 2)));
static void expect_caller(const char *what, ...)
{
    int omp = omp_get_max_threads(), blas = openblas_get_num_threads();
    if (omp == cur_caller.omp && blas == cur_caller.blas)
        return;
    va_list ap;
    va_start(ap, what);
    fprintf(stderr, "[threads] %s, n_threads %d, caller (omp %d, blas %d): ", cur_name,
            cur_budget, cur_caller.omp, cur_caller.blas);
    vfprintf(stderr, what, ap);
    fprintf(stderr, " left omp_get_max_threads %d, openblas_get_num_threads %d\n", omp, blas);
    va_end(ap);
    n_problems++;
    set_caller(cur_caller);
}

static void begin(const char *name)
{
    cur_name = name;
    n_problems = 0;
}

static void end(void)
{
    ck_assert_msg(n_problems == 0, "%s: %d call(s) changed the caller's thread settings (stderr)",
                  cur_name, n_problems);
}

static mlc_dataset load(const char *name)
{
    mlc_dataset d;
    ck_assert_int_eq(mlc_load_bundled(name, &d), MLC_OK);
    return d;
}

static int has_param(const char *name, const char *param)
{
    for (size_t i = 0; mlc_registry_param(name, i); i++)
        if (strcmp(mlc_registry_param(name, i)->name, param) == 0)
            return 1;
    return 0;
}

/* Every output the fitted estimator provides, each checked. */
static void outputs(const mlc_estimator *e, const mlc_matrix *X)
{
    for (int k = 0; k < MLC_OUT_COUNT; k++) {
        size_t cols = mlc_estimator_output_cols(e, (mlc_output)k);
        if (!cols)
            continue;
        const mlc_matrix *in = X;
        mlc_matrix tr = {0}, out = {0};
        if (k == MLC_OUT_INVERSE_TRANSFORM) {
            size_t tc = mlc_estimator_output_cols(e, MLC_OUT_TRANSFORM);
            ck_assert_int_eq(mlc_matrix_alloc(&tr, X->rows, tc), MLC_OK);
            ck_assert_int_eq(mlc_estimator_output(e, MLC_OUT_TRANSFORM, X, &tr), MLC_OK);
            expect_caller("transform");
            in = &tr;
        }
        ck_assert_int_eq(mlc_matrix_alloc(&out, X->rows, cols), MLC_OK);
        ck_assert_msg(mlc_estimator_output(e, (mlc_output)k, in, &out) == MLC_OK, "%s: %s",
                      mlc_output_name((mlc_output)k), mlc_last_error_message());
        expect_caller("%s", mlc_output_name((mlc_output)k));
        mlc_matrix_clear(&out);
        mlc_matrix_clear(&tr);
    }
}

/* Save, then load (restore may compute, e.g. factorise covariances). */
static void load_back(const mlc_estimator *e)
{
    char path[] = "/tmp/mlc_threads_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
    expect_caller("save");
    mlc_estimator *back = NULL;
    ck_assert_msg(mlc_estimator_load(path, &back) == MLC_OK, "load: %s",
                  mlc_last_error_message());
    expect_caller("load");
    mlc_estimator_free(back);
    unlink(path);
}

static void cross_validate(const mlc_estimator *e, const mlc_matrix *X, const double *y)
{
    mlc_cv_options o = mlc_cv_options_default();
    o.n_threads = cur_budget;
    mlc_cv_results r;
    ck_assert_msg(mlc_cross_validate(e, X, y, &o, &r) == MLC_OK, "cross_validate: %s",
                  mlc_last_error_message());
    expect_caller("cross_validate");
    mlc_cv_results_clear(&r);
}

/* One registered estimator, through the registry: fit, every output, score,
 * load and cross-validation, for every caller setting and thread budget.
 * Regressors on diabetes, classifiers on iris's labels, the rest on iris;
 * transformers have no score to cross-validate. */
START_TEST(every_estimator)
{
    const char *name = mlc_registry_name((size_t)_i);
    begin(name);
    mlc_task task;
    ck_assert_int_eq(mlc_registry_lookup(name, &task, NULL, NULL), MLC_OK);
    mlc_dataset d = load(task == MLC_TASK_REGRESSOR ? "diabetes" : "iris");
    const double *y = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER ? d.y : NULL;
    for (size_t c = 0; c < N_CALLERS; c++)
        for (size_t b = 0; b < N_BUDGETS; b++) {
            set_caller(callers[c]);
            cur_budget = budgets[b];
            mlc_estimator *e = NULL;
            ck_assert_int_eq(mlc_estimator_new(name, &e), MLC_OK);
            ck_assert_int_eq(mlc_estimator_set_threads(e, cur_budget), MLC_OK);
            if (has_param(name, "random_state"))
                ck_assert_int_eq(mlc_estimator_set(e, "random_state", "0"), MLC_OK);
            ck_assert_msg(mlc_estimator_fit(e, &d.X, y) == MLC_OK, "fit: %s",
                          mlc_last_error_message());
            expect_caller("fit");
            outputs(e, &d.X);
            double score;
            /* DBSCAN has no score (nor predict), as scikit-learn's. */
            int scored = task != MLC_TASK_TRANSFORMER && task != MLC_TASK_OUTLIER &&
                         strcmp(name, "dbscan") != 0;
            if (scored) {
                ck_assert_msg(mlc_estimator_score(e, &d.X, y, &score) == MLC_OK, "score: %s",
                              mlc_last_error_message());
                expect_caller("score");
            }
            load_back(e);
            if (scored)
                cross_validate(e, &d.X, y);
            mlc_estimator_free(e);
        }
    mlc_dataset_clear(&d);
    end();
}
END_TEST

/* The typed faces of the linear models (fit, predict, paths). */
START_TEST(linear_typed)
{
    begin("linear models (typed)");
    mlc_dataset d = load("diabetes");
    size_t n = d.X.rows;
    double *pred = malloc(n * sizeof *pred);
    ck_assert_ptr_nonnull(pred);
    for (size_t c = 0; c < N_CALLERS; c++)
        for (size_t b = 0; b < N_BUDGETS; b++) {
            set_caller(callers[c]);
            cur_budget = budgets[b];

            mlc_linear_regression_params lp = mlc_linear_regression_params_default();
            lp.n_threads = cur_budget;
            mlc_linear_regression *lm = NULL;
            ck_assert_int_eq(mlc_linear_regression_fit(&lp, &d.X, d.y, &lm), MLC_OK);
            expect_caller("mlc_linear_regression_fit");
            ck_assert_int_eq(mlc_linear_regression_predict(lm, &d.X, pred), MLC_OK);
            expect_caller("mlc_linear_regression_predict");
            mlc_linear_regression_free(lm);

            mlc_ridge_params rp = mlc_ridge_params_default();
            rp.n_threads = cur_budget;
            mlc_ridge *r = NULL;
            ck_assert_int_eq(mlc_ridge_fit(&rp, &d.X, d.y, &r), MLC_OK);
            expect_caller("mlc_ridge_fit");
            ck_assert_int_eq(mlc_ridge_predict(r, &d.X, pred), MLC_OK);
            expect_caller("mlc_ridge_predict");
            mlc_ridge_free(r);

            mlc_ridge_cv_params rcp = mlc_ridge_cv_params_default();
            rcp.n_threads = cur_budget;
            mlc_ridge_cv *rc = NULL;
            ck_assert_int_eq(mlc_ridge_cv_fit(&rcp, &d.X, d.y, &rc), MLC_OK);
            expect_caller("mlc_ridge_cv_fit");
            ck_assert_int_eq(mlc_ridge_cv_predict(rc, &d.X, pred), MLC_OK);
            expect_caller("mlc_ridge_cv_predict");
            mlc_ridge_cv_free(rc);

            mlc_lasso_params lap = mlc_lasso_params_default();
            lap.n_threads = cur_budget;
            mlc_lasso *la = NULL;
            ck_assert_int_eq(mlc_lasso_fit(&lap, &d.X, d.y, &la), MLC_OK);
            expect_caller("mlc_lasso_fit");
            ck_assert_int_eq(mlc_lasso_predict(la, &d.X, pred), MLC_OK);
            expect_caller("mlc_lasso_predict");
            mlc_lasso_free(la);

            mlc_elastic_net_params ep = mlc_elastic_net_params_default();
            ep.n_threads = cur_budget;
            mlc_elastic_net *en = NULL;
            ck_assert_int_eq(mlc_elastic_net_fit(&ep, &d.X, d.y, &en), MLC_OK);
            expect_caller("mlc_elastic_net_fit");
            ck_assert_int_eq(mlc_elastic_net_predict(en, &d.X, pred), MLC_OK);
            expect_caller("mlc_elastic_net_predict");
            mlc_elastic_net_free(en);

            mlc_enet_path_params pp = mlc_enet_path_params_default();
            pp.n_threads = cur_budget;
            pp.alpha_grid_size = 10;
            double alphas[10];
            mlc_matrix coefs;
            ck_assert_int_eq(mlc_matrix_alloc(&coefs, 10, d.X.cols), MLC_OK);
            ck_assert_int_eq(mlc_enet_path(&pp, &d.X, d.y, alphas, &coefs, NULL, NULL), MLC_OK);
            expect_caller("mlc_enet_path");
            ck_assert_int_eq(mlc_lasso_path(&pp, &d.X, d.y, alphas, &coefs, NULL, NULL),
                             MLC_OK);
            expect_caller("mlc_lasso_path");
            mlc_matrix_clear(&coefs);
        }
    free(pred);
    mlc_dataset_clear(&d);
    end();
}
END_TEST

/* k-means, the Gaussian mixture, the silhouette and the distance kernel. */
START_TEST(cluster_typed)
{
    begin("clustering (typed)");
    mlc_dataset d = load("iris");
    size_t n = d.X.rows;
    int32_t *labels = malloc(n * sizeof *labels);
    ck_assert_ptr_nonnull(labels);
    for (size_t c = 0; c < N_CALLERS; c++)
        for (size_t b = 0; b < N_BUDGETS; b++) {
            set_caller(callers[c]);
            cur_budget = budgets[b];

            mlc_kmeans_params kp = mlc_kmeans_params_default();
            kp.n_clusters = 3;
            kp.random_state = 0;
            kp.n_threads = cur_budget;
            mlc_kmeans *km = NULL;
            ck_assert_int_eq(mlc_kmeans_fit(&kp, &d.X, NULL, &km), MLC_OK);
            expect_caller("mlc_kmeans_fit");
            ck_assert_int_eq(mlc_kmeans_predict(km, &d.X, labels), MLC_OK);
            expect_caller("mlc_kmeans_predict");
            mlc_matrix dist;
            ck_assert_int_eq(mlc_matrix_alloc(&dist, n, 3), MLC_OK);
            ck_assert_int_eq(mlc_kmeans_transform(km, &d.X, &dist), MLC_OK);
            expect_caller("mlc_kmeans_transform");
            mlc_matrix all;
            ck_assert_int_eq(mlc_matrix_alloc(&all, n, n), MLC_OK);
            ck_assert_int_eq(mlc_sq_distances(&d.X, NULL, &d.X, NULL, &all, cur_budget), MLC_OK);
            expect_caller("mlc_sq_distances");
            mlc_matrix_clear(&all);
            mlc_matrix_clear(&dist);
            mlc_kmeans_free(km);

            double s;
            ck_assert_int_eq(mlc_silhouette_score(&d.X, labels, cur_budget, &s), MLC_OK);
            expect_caller("mlc_silhouette_score");

            mlc_gaussian_mixture_params gp = mlc_gaussian_mixture_params_default();
            gp.n_components = 3;
            gp.random_state = 0;
            gp.n_threads = cur_budget;
            mlc_gaussian_mixture *gm = NULL;
            ck_assert_int_eq(mlc_gaussian_mixture_fit(&gp, &d.X, &gm), MLC_OK);
            expect_caller("mlc_gaussian_mixture_fit");
            ck_assert_int_eq(mlc_gaussian_mixture_predict(gm, &d.X, labels), MLC_OK);
            expect_caller("mlc_gaussian_mixture_predict");
            ck_assert_int_eq(mlc_gaussian_mixture_score(gm, &d.X, &s), MLC_OK);
            expect_caller("mlc_gaussian_mixture_score");
            mlc_matrix draw;
            ck_assert_int_eq(mlc_matrix_alloc(&draw, 50, d.X.cols), MLC_OK);
            ck_assert_int_eq(mlc_gaussian_mixture_sample(gm, 50, &draw, NULL), MLC_OK);
            expect_caller("mlc_gaussian_mixture_sample");
            mlc_matrix_clear(&draw);
            mlc_gaussian_mixture_free(gm);
        }
    free(labels);
    mlc_dataset_clear(&d);
    end();
}
END_TEST

/* The generators (make_regression's low-rank matrix is large enough for the
 * threaded BLAS), cross-validation and grid search through the registry. */
START_TEST(datasets_and_model_selection)
{
    begin("generators and model selection");
    mlc_dataset iris = load("iris");
    for (size_t c = 0; c < N_CALLERS; c++)
        for (size_t b = 0; b < N_BUDGETS; b++) {
            set_caller(callers[c]);
            cur_budget = budgets[b];

            mlc_regression_params rp = mlc_regression_params_default();
            rp.n_samples = 2000;
            rp.n_features = 100;
            rp.effective_rank = 10;
            rp.random_state = 0;
            mlc_dataset g;
            ck_assert_int_eq(mlc_make_regression(&rp, &g, NULL), MLC_OK);
            expect_caller("mlc_make_regression");
            mlc_dataset_clear(&g);
            mlc_classification_params cp = mlc_classification_params_default();
            cp.random_state = 0;
            ck_assert_int_eq(mlc_make_classification(&cp, &g), MLC_OK);
            expect_caller("mlc_make_classification");
            mlc_dataset_clear(&g);
            mlc_blobs_params bp = mlc_blobs_params_default();
            bp.random_state = 0;
            ck_assert_int_eq(mlc_make_blobs(&bp, &g, NULL), MLC_OK);
            expect_caller("mlc_make_blobs");

            mlc_estimator *e = NULL;
            ck_assert_int_eq(mlc_estimator_new("ridge", &e), MLC_OK);
            ck_assert_int_eq(mlc_estimator_set_threads(e, cur_budget), MLC_OK);
            mlc_matrix Y = mlc_matrix_wrap(g.y, g.X.rows, 1, 0);
            mlc_fit_data fd = {&g.X, &Y, NULL};
            const char *values[] = {"0.1", "1", "10"};
            mlc_grid_param grid = {"alpha", values, 3};
            mlc_grid_options go = mlc_grid_options_default();
            go.cv.n_threads = cur_budget;
            mlc_grid_results gr;
            ck_assert_int_eq(mlc_grid_search(e, &grid, 1, &fd, &go, &gr), MLC_OK);
            expect_caller("mlc_grid_search");
            mlc_grid_results_clear(&gr);
            const char *scoring[] = {"r2", "neg_mean_squared_error"};
            mlc_cv_options co = mlc_cv_options_default();
            co.n_threads = cur_budget;
            co.scoring = scoring;
            co.n_scoring = 2;
            mlc_cv_results cr;
            ck_assert_int_eq(mlc_cross_validate_data(e, &fd, &co, &cr), MLC_OK);
            expect_caller("mlc_cross_validate_data");
            mlc_cv_results_clear(&cr);
            ck_assert_int_eq(mlc_estimator_fit(e, &iris.X, iris.y), MLC_OK);
            expect_caller("mlc_estimator_fit");
            double s;
            ck_assert_int_eq(mlc_scorer_score("r2", e, &iris.X, iris.y, &s), MLC_OK);
            expect_caller("mlc_scorer_score");
            mlc_estimator_free(e);
            mlc_dataset_clear(&g);
        }
    mlc_dataset_clear(&iris);
    end();
}
END_TEST

/* The scope itself: what a call sets inside it is undone on leaving, nested
 * scopes restore what their own entry saw, leaving hands back the status it
 * was given, and leaving with nothing changed changes nothing. */
START_TEST(scope_restores)
{
    begin("thread scope");
    for (size_t c = 0; c < N_CALLERS; c++) {
        set_caller(callers[c]);
        mlc_thread_scope outer = mlc_thread_scope_enter();
        mlc_blas_set_threads(1);
        ck_assert_int_eq(omp_get_max_threads(), 1);
        ck_assert_int_eq(openblas_get_num_threads(), 1);
        mlc_thread_scope inner = mlc_thread_scope_enter();
        mlc_blas_set_threads(2);
        ck_assert_int_eq(mlc_thread_scope_leave(&inner, MLC_OK), MLC_OK);
        ck_assert_int_eq(omp_get_max_threads(), 1);
        ck_assert_int_eq(openblas_get_num_threads(), 1);
        ck_assert_int_eq(mlc_thread_scope_leave(&outer, MLC_OK), MLC_OK);
        expect_caller("a scope around mlc_blas_set_threads");
        mlc_thread_scope failing = mlc_thread_scope_enter();
        mlc_blas_set_threads(1);
        ck_assert_int_eq(mlc_thread_scope_leave(&failing, MLC_ENOMEM), MLC_ENOMEM);
        expect_caller("a scope left with an error status");
        mlc_thread_scope idle = mlc_thread_scope_enter();
        ck_assert_int_eq(mlc_thread_scope_leave(&idle, MLC_OK), MLC_OK);
        expect_caller("an empty scope");
    }
    end();
}
END_TEST

Suite *mlc_threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *core = tcase_create("core");
    tcase_add_test(core, scope_restores);
    tcase_add_loop_test(core, every_estimator, 0, (int)mlc_registry_count());
    tcase_add_test(core, linear_typed);
    tcase_add_test(core, cluster_typed);
    tcase_add_test(core, datasets_and_model_selection);
    suite_add_tcase(s, core);
    return s;
}
