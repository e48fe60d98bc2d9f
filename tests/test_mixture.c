/* GaussianMixture against scikit-learn 1.2 (tests/fixtures/fx_mixture.py). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <omp.h>
#include "internal/hot.h"
#include "mixture/mixture_impl.h"
#include "test_util.h"

static double ari(const int32_t *a, const int32_t *b, size_t n)
{
    double v = -1.0;
    ck_assert_int_eq(mlc_adjusted_rand_score(a, b, n, &v), MLC_OK);
    return v;
}

static mlc_matrix lcg_blobs(size_t n, size_t p, size_t centres, uint64_t seed)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, n, p), MLC_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; f < p; f++) {
            double u = 0.0;
            for (int t = 0; t < 4; t++) { /* roughly normal */
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                u += (double)(seed >> 11) / 9007199254740992.0 - 0.5;
            }
            MLC_AT(&X, i, f) = u + 6.0 * (double)((i % centres) * (f + 1) % 5);
        }
    return X;
}

typedef struct gm_case {
    json_t *obj;
    mlc_matrix X, w, mu, prec;
    mlc_gaussian_mixture_params p;
} gm_case;

static void load_case(json_t *root, size_t i, gm_case *c)
{
    memset(c, 0, sizeof *c);
    c->obj = json_array_get(json_object_get(root, "cases"), i);
    ck_assert_ptr_nonnull(c->obj);
    const char *data = json_string_value(json_object_get(c->obj, "data"));
    c->X = fx_matrix(json_object_get(root, "data"), data);
    c->w = fx_matrix(c->obj, "weights_init");
    c->mu = fx_matrix(c->obj, "means_init");
    c->prec = fx_matrix(c->obj, "precisions_init");
    c->p = mlc_gaussian_mixture_params_default();
    c->p.n_components = (long)c->w.rows;
    c->p.covariance_type = (int)fx_number(c->obj, "type");
    c->p.tol = fx_number(c->obj, "tol");
    c->p.max_iter = (long)fx_number(c->obj, "max_iter");
    c->p.reg_covar = fx_number(c->obj, "reg_covar");
    c->p.weights_init = &c->w;
    c->p.means_init = &c->mu;
    c->p.precisions_init = &c->prec;
}

static void free_case(gm_case *c)
{
    mlc_matrix_clear(&c->X);
    mlc_matrix_clear(&c->w);
    mlc_matrix_clear(&c->mu);
    mlc_matrix_clear(&c->prec);
}

static void expect_array(json_t *obj, const char *key, const double *got, size_t n, double tol,
                         const char *name)
{
    size_t r, cc;
    double *ref = fx_doubles(obj, key, &r, &cc);
    ck_assert_uint_eq(r * cc, n);
    char what[128];
    snprintf(what, sizeof what, "%s %s", name, key);
    ck_assert_close(got, ref, n, tol, what);
    free(ref);
}

/* ------------------------------------------------------------------ core */

START_TEST(full_start_matches_sklearn)
{
    json_t *root = fx_load("mixture");
    size_t ncases = json_array_size(json_object_get(root, "cases"));
    ck_assert_uint_ge(ncases, 14);
    for (size_t ci = 0; ci < ncases; ci++) {
        gm_case c;
        load_case(root, ci, &c);
        const char *name = json_string_value(json_object_get(c.obj, "name"));
        mlc_gaussian_mixture *m = NULL;
        ck_assert_int_eq(mlc_gaussian_mixture_fit(&c.p, &c.X, &m), MLC_OK);
        size_t K = c.w.rows, p = c.X.cols, cs = mlc_gaussian_mixture_covariance_size(m);
        ck_assert_int_eq(mlc_gaussian_mixture_n_iter(m), (long)fx_number(c.obj, "n_iter"));
        ck_assert_int_eq(mlc_gaussian_mixture_converged(m), (int)fx_number(c.obj, "converged"));
        double lb = mlc_gaussian_mixture_lower_bound(m), ref_lb = fx_number(c.obj, "lower_bound");
        ck_assert_msg(fabs(lb - ref_lb) <= 1e-10 * fabs(ref_lb), "%s: lower_bound %.17g vs %.17g",
                      name, lb, ref_lb);
        expect_array(c.obj, "weights", mlc_gaussian_mixture_weights(m), K, 1e-8, name);
        expect_array(c.obj, "means", mlc_gaussian_mixture_means(m), K * p, 1e-8, name);
        expect_array(c.obj, "covariances", mlc_gaussian_mixture_covariances(m), cs, 1e-8, name);
        expect_array(c.obj, "precisions", mlc_gaussian_mixture_precisions(m), cs, 1e-8, name);
        expect_array(c.obj, "precisions_cholesky", mlc_gaussian_mixture_precisions_cholesky(m), cs,
                     1e-8, name);

        size_t n = c.X.rows;
        int32_t *labels = malloc(n * sizeof *labels), *ref_l = fx_ints(c.obj, "predict", NULL);
        ck_assert_int_eq(mlc_gaussian_mixture_predict(m, &c.X, labels), MLC_OK);
        ck_assert_msg(memcmp(labels, ref_l, n * sizeof *labels) == 0, "%s: predict differs", name);
        double *ll = malloc(n * sizeof *ll);
        ck_assert_int_eq(mlc_gaussian_mixture_score_samples(m, &c.X, ll), MLC_OK);
        expect_array(c.obj, "score_samples", ll, n, 1e-8, name);
        mlc_matrix head = mlc_matrix_rows(&c.X, 0, 20), proba;
        ck_assert_int_eq(mlc_matrix_alloc(&proba, 20, K), MLC_OK);
        ck_assert_int_eq(mlc_gaussian_mixture_predict_proba(m, &head, &proba), MLC_OK);
        double *ref_p = fx_doubles(c.obj, "proba_head", NULL, NULL);
        ck_assert_msg(max_abs_diff(proba.data, ref_p, 20 * K) <= 1e-8, "%s: predict_proba", name);
        double s, bic, aic;
        ck_assert_int_eq(mlc_gaussian_mixture_score(m, &c.X, &s), MLC_OK);
        ck_assert_int_eq(mlc_gaussian_mixture_bic(m, &c.X, &bic), MLC_OK);
        ck_assert_int_eq(mlc_gaussian_mixture_aic(m, &c.X, &aic), MLC_OK);
        expect_array(c.obj, "score", &s, 1, 1e-8, name);
        expect_array(c.obj, "bic", &bic, 1, 1e-8, name);
        expect_array(c.obj, "aic", &aic, 1, 1e-8, name);
        /* fit_predict = labels of the final E-step */
        ck_assert_int_eq(mlc_gaussian_mixture_fit_predict(&c.p, &c.X, labels, NULL), MLC_OK);
        ck_assert_int_eq(memcmp(labels, ref_l, n * sizeof *labels), 0);
        free(ref_p);
        mlc_matrix_clear(&proba);
        free(ll);
        free(labels);
        free(ref_l);
        mlc_gaussian_mixture_free(m);
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

START_TEST(random_starts_on_separated_blobs)
{
    json_t *root = fx_load("mixture");
    json_t *sep = json_object_get(root, "sep");
    mlc_matrix X = fx_matrix(sep, "X");
    size_t n = X.rows;
    int32_t *truth = fx_ints(sep, "y", NULL), *labels = malloc(n * sizeof *labels);
    json_t *runs = json_object_get(sep, "runs");
    const char *inits[4] = {"kmeans", "k-means++", "random", "random_from_data"};
    for (size_t r = 0; r < json_array_size(runs); r++) {
        json_t *run = json_array_get(runs, r);
        int type = (int)fx_number(run, "type"), init = -1;
        for (int t = 0; t < 4; t++)
            if (!strcmp(json_string_value(json_object_get(run, "init")), inits[t]))
                init = t;
        int32_t *ref = fx_ints(run, "labels", NULL);
        double ref_lb = fx_number(run, "lower_bound");
        if (ari(ref, truth, n) < 0.99) { /* scikit-learn's own run missed */
            free(ref);
            continue;
        }
        mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
        p.n_components = 4;
        p.covariance_type = type;
        p.init_params = init;
        p.n_init = 3;
        p.random_state = 0;
        mlc_gaussian_mixture *m;
        ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_OK);
        ck_assert_int_eq(mlc_gaussian_mixture_predict(m, &X, labels), MLC_OK);
        ck_assert_double_ge(ari(labels, ref, n), 0.99);
        double lb = mlc_gaussian_mixture_lower_bound(m);
        if (init == MLC_GMM_INIT_KMEANS)
            ck_assert_msg(fabs(lb - ref_lb) <= 1e-3 * fabs(ref_lb), "type %d: lb %g vs %g", type,
                          lb, ref_lb);
        else /* other starts may settle in a better optimum, not a worse one */
            ck_assert_msg(lb >= ref_lb - 1e-3 * fabs(ref_lb), "type %d init %d: lb %g < %g", type,
                          init, lb, ref_lb);
        ck_assert(mlc_gaussian_mixture_converged(m));
        mlc_gaussian_mixture_free(m);
        free(ref);
    }
    free(labels);
    free(truth);
    mlc_matrix_clear(&X);
    json_decref(root);
}
END_TEST

START_TEST(warm_start_continues)
{
    json_t *root = fx_load("mixture");
    json_t *warm = json_object_get(root, "warm");
    mlc_matrix X = fx_matrix(json_object_get(root, "data"), "iris");
    mlc_matrix w = fx_matrix(warm, "weights_init"), mu = fx_matrix(warm, "means_init"),
               prec = fx_matrix(warm, "precisions_init");
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    p.n_components = 3;
    p.max_iter = 2;
    p.warm_start = 1;
    p.weights_init = &w;
    p.means_init = &mu;
    p.precisions_init = &prec;
    mlc_gaussian_mixture *m;
    ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_OK);
    expect_array(warm, "first_means", mlc_gaussian_mixture_means(m), 12, 1e-8, "warm");
    expect_array(warm, "first_lower_bound", (double[]){mlc_gaussian_mixture_lower_bound(m)}, 1,
                 1e-10, "warm");
    ck_assert_int_eq(mlc_gaussian_mixture_refit(m, &X), MLC_OK);
    expect_array(warm, "means", mlc_gaussian_mixture_means(m), 12, 1e-8, "warm");
    expect_array(warm, "weights", mlc_gaussian_mixture_weights(m), 3, 1e-8, "warm");
    expect_array(warm, "covariances", mlc_gaussian_mixture_covariances(m), 48, 1e-8, "warm");
    expect_array(warm, "lower_bound", (double[]){mlc_gaussian_mixture_lower_bound(m)}, 1, 1e-10,
                 "warm");
    ck_assert_int_eq(mlc_gaussian_mixture_n_iter(m), (long)fx_number(warm, "n_iter"));
    mlc_gaussian_mixture_free(m);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&w);
    mlc_matrix_clear(&mu);
    mlc_matrix_clear(&prec);
    json_decref(root);
}
END_TEST

START_TEST(thread_count_independent)
{
    mlc_matrix X = lcg_blobs(20000, 3, 4, 17);
    for (int type = 0; type < 4; type++) {
        mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
        p.n_components = 4;
        p.covariance_type = type;
        p.random_state = 3;
        p.max_iter = 20;
        mlc_gaussian_mixture *m[2];
        for (int t = 0; t < 2; t++) {
            p.n_threads = t + 1;
            ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &m[t]), MLC_OK);
        }
        size_t cs = mlc_gaussian_mixture_covariance_size(m[0]);
        ck_assert_int_eq(memcmp(mlc_gaussian_mixture_covariances(m[0]),
                                mlc_gaussian_mixture_covariances(m[1]), cs * sizeof(double)), 0);
        ck_assert_int_eq(memcmp(mlc_gaussian_mixture_means(m[0]), mlc_gaussian_mixture_means(m[1]),
                                12 * sizeof(double)), 0);
        ck_assert(mlc_gaussian_mixture_lower_bound(m[0]) == mlc_gaussian_mixture_lower_bound(m[1]));
        mlc_gaussian_mixture_free(m[0]);
        mlc_gaussian_mixture_free(m[1]);
    }
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(registry_fit_save_load)
{
    json_t *root = fx_load("mixture");
    for (size_t ci = 0; ci < 12; ci += 3) { /* iris, each covariance type */
        gm_case c;
        load_case(root, ci, &c);
        static const char *types[4] = {"full", "tied", "diag", "spherical"};
        mlc_estimator *e = NULL, *back = NULL;
        ck_assert_int_eq(mlc_estimator_new("gaussian_mixture", &e), MLC_OK);
        ck_assert_int_eq(mlc_estimator_task(e), MLC_TASK_DENSITY);
        ck_assert_int_eq(mlc_estimator_set(e, "n_components", "3"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(e, "covariance_type", types[c.p.covariance_type]),
                         MLC_OK);
        ck_assert_int_eq(mlc_estimator_set_matrix(e, "weights_init", &c.w), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set_matrix(e, "means_init", &c.mu), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set_matrix(e, "precisions_init", &c.prec), MLC_OK);
        ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
        mlc_attribute a;
        ck_assert_int_eq(mlc_estimator_attribute(e, "means_", &a), MLC_OK);
        expect_array(c.obj, "means", a.data, 12, 1e-8, "registry");
        ck_assert_int_eq(mlc_estimator_attribute(e, "covariances_", &a), MLC_OK);
        ck_assert_int_eq(a.ndim, c.p.covariance_type == MLC_COV_FULL        ? 3
                                 : c.p.covariance_type == MLC_COV_SPHERICAL ? 1
                                                                            : 2);
        ck_assert_int_eq(mlc_estimator_attribute(e, "n_iter_", &a), MLC_OK);
        ck_assert_int_eq((long)mlc_attribute_value(&a, 0), (long)fx_number(c.obj, "n_iter"));

        char path[] = "/tmp/mlc_gmm_XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
        ck_assert_int_eq(mlc_estimator_load_as(path, "gaussian_mixture", &back), MLC_OK);
        remove(path);
        const mlc_output kinds[3] = {MLC_OUT_PREDICT, MLC_OUT_PROBA, MLC_OUT_SCORE_SAMPLES};
        for (int k = 0; k < 3; k++) {
            size_t cols = mlc_estimator_output_cols(e, kinds[k]);
            ck_assert_uint_eq(cols, kinds[k] == MLC_OUT_PROBA ? 3 : 1);
            mlc_matrix o1, o2;
            ck_assert_int_eq(mlc_matrix_alloc(&o1, c.X.rows, cols), MLC_OK);
            ck_assert_int_eq(mlc_matrix_alloc(&o2, c.X.rows, cols), MLC_OK);
            ck_assert_int_eq(mlc_estimator_output(e, kinds[k], &c.X, &o1), MLC_OK);
            ck_assert_int_eq(mlc_estimator_output(back, kinds[k], &c.X, &o2), MLC_OK);
            ck_assert_int_eq(memcmp(o1.data, o2.data, c.X.rows * cols * sizeof(double)), 0);
            mlc_matrix_clear(&o1);
            mlc_matrix_clear(&o2);
        }
        double s1, s2;
        ck_assert_int_eq(mlc_estimator_score(e, &c.X, NULL, &s1), MLC_OK);
        ck_assert_int_eq(mlc_estimator_score(back, &c.X, NULL, &s2), MLC_OK);
        ck_assert(s1 == s2);
        expect_array(c.obj, "score", &s1, 1, 1e-8, "registry");
        mlc_estimator_free(e);
        mlc_estimator_free(back);
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

static const char *const cov_types[4] = {"full", "tied", "diag", "spherical"};

static void set_text(mlc_estimator *e, const char *param, const char *value)
{
    ck_assert_msg(mlc_estimator_set(e, param, value) == MLC_OK, "set %s = %s: %s", param, value,
                  mlc_last_error_message());
}

static void set_number(mlc_estimator *e, const char *param, double v)
{
    char text[32];
    snprintf(text, sizeof text, "%.17g", v);
    set_text(e, param, text);
}

static void expect_text(const mlc_estimator *e, const char *param, const char *want)
{
    char buf[64];
    ck_assert_int_eq(mlc_estimator_get(e, param, buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, want);
}

/* Attribute `name` of a fitted estimator as doubles (n of them). */
static const double *attr_doubles(const mlc_estimator *e, const char *name, size_t n)
{
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(e, name, &a), MLC_OK);
    ck_assert_int_eq(a.dtype, MLC_DTYPE_F64);
    ck_assert_uint_eq(mlc_attribute_size(&a), n);
    return a.data;
}

/* The start arrays given as scikit-learn takes them: .npy files of its
 * shapes (precisions (K, d, d) for full, (d, d) tied, (K, d) diag, (K,)
 * spherical; weights (K,), means (K, d)), and for iris CSV files too (full
 * precisions stacked): the fit is scikit-learn's, and the same bits as the
 * typed fit on the arrays as matrices. */
START_TEST(registry_start_arrays_in_sklearn_shapes)
{
    json_t *root = fx_load("mixture");
    static const char *const keys[3] = {"weights_init", "means_init", "precisions_init"};
    for (int t = 0; t < 4; t++)
        for (size_t data = 0; data < 2; data++) { /* iris, wine_std */
            gm_case c;
            load_case(root, (size_t)t * 3 + data, &c);
            const char *name = json_string_value(json_object_get(c.obj, "name"));
            const size_t K = 3, d = c.X.cols;
            char file[128], want[64];
            mlc_matrix arr[3];
            mlc_estimator *e = NULL;
            ck_assert_int_eq(mlc_estimator_new("gaussian_mixture", &e), MLC_OK);
            set_text(e, "n_components", "3");
            set_text(e, "covariance_type", cov_types[t]);
            set_number(e, "tol", c.p.tol);
            set_number(e, "max_iter", (double)c.p.max_iter);
            set_number(e, "reg_covar", c.p.reg_covar);
            for (int k = 0; k < 3; k++) {
                snprintf(file, sizeof file, "mixture/%s_%s.npy", name, keys[k]);
                set_text(e, keys[k], fx_path(file));
                ck_assert_int_eq(mlc_array_read(fx_path(file), &arr[k], NULL, NULL), MLC_OK);
            }
            expect_text(e, "weights_init", "<3 array>");
            snprintf(want, sizeof want, "<3 x %zu array>", d);
            expect_text(e, "means_init", want);
            if (t == MLC_COV_FULL)
                snprintf(want, sizeof want, "<3 x %zu x %zu array>", d, d);
            else if (t == MLC_COV_TIED)
                snprintf(want, sizeof want, "<%zu x %zu array>", d, d);
            else if (t == MLC_COV_SPHERICAL)
                snprintf(want, sizeof want, "<3 array>");
            expect_text(e, "precisions_init", want);
            ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);

            /* scikit-learn's fit from the same start */
            size_t cs = t == MLC_COV_FULL ? K * d * d : t == MLC_COV_TIED ? d * d
                                                   : t == MLC_COV_DIAG   ? K * d : K;
            expect_array(c.obj, "weights", attr_doubles(e, "weights_", K), K, 1e-8, name);
            expect_array(c.obj, "means", attr_doubles(e, "means_", K * d), K * d, 1e-8, name);
            expect_array(c.obj, "covariances", attr_doubles(e, "covariances_", cs), cs, 1e-8,
                         name);
            expect_array(c.obj, "precisions", attr_doubles(e, "precisions_", cs), cs, 1e-8,
                         name);
            expect_array(c.obj, "lower_bound", attr_doubles(e, "lower_bound_", 1), 1, 1e-10, name);
            mlc_attribute a;
            ck_assert_int_eq(mlc_estimator_attribute(e, "n_iter_", &a), MLC_OK);
            ck_assert_int_eq((long)mlc_attribute_value(&a, 0), (long)fx_number(c.obj, "n_iter"));
            double *labels = malloc(c.X.rows * sizeof *labels);
            int32_t *ref_l = fx_ints(c.obj, "predict", NULL);
            ck_assert_int_eq(mlc_estimator_predict(e, &c.X, labels), MLC_OK);
            for (size_t i = 0; i < c.X.rows; i++)
                ck_assert_msg(labels[i] == ref_l[i], "%s: label %zu", name, i);
            free(labels);
            free(ref_l);

            /* the typed fit on the same numbers as matrices: the same bits */
            c.p.weights_init = &arr[0];
            c.p.means_init = &arr[1];
            c.p.precisions_init = &arr[2];
            mlc_gaussian_mixture *m = NULL;
            ck_assert_int_eq(mlc_gaussian_mixture_fit(&c.p, &c.X, &m), MLC_OK);
            ck_assert_int_eq(memcmp(mlc_gaussian_mixture_means(m),
                                    attr_doubles(e, "means_", K * d), K * d * sizeof(double)),
                             0);
            ck_assert_int_eq(memcmp(mlc_gaussian_mixture_precisions(m),
                                    attr_doubles(e, "precisions_", cs), cs * sizeof(double)),
                             0);
            mlc_gaussian_mixture_free(m);

            /* CSV files (a header row; full precisions stacked): the same bits */
            if (data == 0) {
                mlc_estimator *csv = NULL;
                ck_assert_int_eq(mlc_estimator_clone(e, &csv), MLC_OK);
                for (int k = 0; k < 3; k++) {
                    snprintf(file, sizeof file, "mixture/%s_%s.csv", name, keys[k]);
                    set_text(csv, keys[k], fx_path(file));
                }
                ck_assert_int_eq(mlc_estimator_fit(csv, &c.X, NULL), MLC_OK);
                ck_assert_int_eq(memcmp(attr_doubles(csv, "means_", K * d),
                                        attr_doubles(e, "means_", K * d), K * d * sizeof(double)),
                                 0);
                ck_assert_int_eq(memcmp(attr_doubles(csv, "precisions_", cs),
                                        attr_doubles(e, "precisions_", cs), cs * sizeof(double)),
                                 0);
                mlc_estimator_free(csv);
            }
            for (int k = 0; k < 3; k++)
                mlc_matrix_clear(&arr[k]);
            mlc_estimator_free(e);
            free_case(&c);
        }
    json_decref(root);
}
END_TEST

START_TEST(sample_follows_the_model)
{
    json_t *root = fx_load("mixture");
    for (size_t ci = 0; ci < 12; ci += 3) {
        gm_case c;
        load_case(root, ci, &c);
        c.p.random_state = 7;
        mlc_gaussian_mixture *m;
        ck_assert_int_eq(mlc_gaussian_mixture_fit(&c.p, &c.X, &m), MLC_OK);
        const size_t N = 20000, p = 4;
        mlc_matrix S1, S2;
        int32_t *lab = malloc(N * sizeof *lab);
        ck_assert_int_eq(mlc_matrix_alloc(&S1, N, p), MLC_OK);
        ck_assert_int_eq(mlc_matrix_alloc(&S2, N, p), MLC_OK);
        ck_assert_int_eq(mlc_gaussian_mixture_sample(m, N, &S1, lab), MLC_OK);
        ck_assert_int_eq(mlc_gaussian_mixture_sample(m, N, &S2, NULL), MLC_OK);
        ck_assert_int_eq(memcmp(S1.data, S2.data, N * p * sizeof(double)), 0); /* same seed */
        const double *w = mlc_gaussian_mixture_weights(m), *mu = mlc_gaussian_mixture_means(m);
        for (int k = 0; k < 3; k++) {
            size_t cnt = 0;
            double mean[4] = {0, 0, 0, 0};
            for (size_t i = 0; i < N; i++) {
                if (i > 0)
                    ck_assert_int_ge(lab[i], lab[i - 1]); /* grouped by component */
                if (lab[i] != k)
                    continue;
                cnt++;
                for (size_t f = 0; f < p; f++)
                    mean[f] += MLC_AT(&S1, i, f);
            }
            double sd = sqrt(N * w[k] * (1 - w[k]));
            ck_assert_double_le(fabs((double)cnt - N * w[k]), 5 * sd);
            for (size_t f = 0; f < p; f++) /* within 6 standard errors (sd <= 1 on iris) */
                ck_assert_double_le(fabs(mean[f] / (double)cnt - mu[k * p + f]),
                                    6.0 / sqrt((double)cnt));
        }
        free(lab);
        mlc_matrix_clear(&S1);
        mlc_matrix_clear(&S2);
        mlc_gaussian_mixture_free(m);
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

/* ------------------------------------------------------------------ edge */

START_TEST(max_iter_zero_keeps_the_start)
{
    json_t *root = fx_load("mixture");
    gm_case c;
    load_case(root, 2, &c); /* blobs, full */
    c.p.max_iter = 0;
    mlc_gaussian_mixture *m;
    ck_assert_int_eq(mlc_gaussian_mixture_fit(&c.p, &c.X, &m), MLC_OK);
    ck_assert_int_eq(mlc_gaussian_mixture_n_iter(m), 0);
    ck_assert(isinf(mlc_gaussian_mixture_lower_bound(m)));
    ck_assert_close(mlc_gaussian_mixture_means(m), c.mu.data, 9, 1e-15, "means");
    ck_assert_close(mlc_gaussian_mixture_weights(m), c.w.data, 3, 1e-15, "weights");
    ck_assert_close(mlc_gaussian_mixture_precisions(m), c.prec.data, 27, 1e-12, "precisions");
    mlc_gaussian_mixture_free(m);
    free_case(&c);
    json_decref(root);
}
END_TEST

START_TEST(one_component_is_the_sample_covariance)
{
    mlc_matrix X = lcg_blobs(300, 3, 2, 5);
    for (int type = 0; type < 4; type++) {
        mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
        p.covariance_type = type;
        p.random_state = 0;
        mlc_gaussian_mixture *m;
        ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_OK);
        double mean[3] = {0, 0, 0}, cov[9] = {0};
        for (size_t i = 0; i < 300; i++)
            for (int f = 0; f < 3; f++)
                mean[f] += MLC_AT(&X, i, f) / 300.0;
        for (size_t i = 0; i < 300; i++)
            for (int f = 0; f < 3; f++)
                for (int h = 0; h < 3; h++)
                    cov[f * 3 + h] += (MLC_AT(&X, i, f) - mean[f]) * (MLC_AT(&X, i, h) - mean[h]) / 300.0;
        ck_assert_close(mlc_gaussian_mixture_means(m), mean, 3, 1e-12, "mean");
        const double *c = mlc_gaussian_mixture_covariances(m);
        if (type <= MLC_COV_TIED) {
            for (int f = 0; f < 3; f++)
                cov[f * 4] += 1e-6;
            ck_assert_close(c, cov, 9, 1e-12, "covariance");
        } else if (type == MLC_COV_DIAG) {
            for (int f = 0; f < 3; f++)
                ck_assert_double_eq_tol(c[f], cov[f * 4] + 1e-6, 1e-12);
        } else {
            ck_assert_double_eq_tol(c[0], (cov[0] + cov[4] + cov[8]) / 3 + 1e-6, 1e-12);
        }
        ck_assert_double_eq_tol(mlc_gaussian_mixture_weights(m)[0], 1.0, 1e-15);
        mlc_gaussian_mixture_free(m);
    }
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(tiny_and_degenerate_inputs)
{
    /* two points, two components; one feature; a constant column */
    double two[4] = {0.0, 1.0, 5.0, 3.0};
    mlc_matrix X2 = mlc_matrix_wrap(two, 2, 2, 0);
    double one_col[6] = {1.0, 1.2, 0.9, 8.0, 8.1, 7.7};
    mlc_matrix X1 = mlc_matrix_wrap(one_col, 6, 1, 0);
    double cst[12] = {1, 4, 2, 4, 3, 4, 10, 4, 11, 4, 12, 4};
    mlc_matrix Xc = mlc_matrix_wrap(cst, 6, 2, 0);
    for (int type = 0; type < 4; type++)
        for (int init = 0; init < 4; init++) {
            mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
            p.covariance_type = type;
            p.init_params = init;
            p.random_state = 1;
            p.n_components = 2;
            mlc_gaussian_mixture *m;
            int32_t lab[6];
            ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X2, &m), MLC_OK);
            ck_assert(isfinite(mlc_gaussian_mixture_lower_bound(m)));
            mlc_gaussian_mixture_free(m);
            ck_assert_int_eq(mlc_gaussian_mixture_fit_predict(&p, &X1, lab, &m), MLC_OK);
            if (init == MLC_GMM_INIT_KMEANS) {
                ck_assert_int_eq(lab[0], lab[1]);
                ck_assert_int_ne(lab[0], lab[3]);
            }
            mlc_gaussian_mixture_free(m);
            ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &Xc, &m), MLC_OK);
            ck_assert(isfinite(mlc_gaussian_mixture_lower_bound(m)));
            mlc_gaussian_mixture_free(m);
        }
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(bad_parameters)
{
    mlc_matrix X = lcg_blobs(20, 2, 2, 3);
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    mlc_gaussian_mixture *m = NULL;
    p.n_components = 0;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    ck_assert_ptr_null(m);
    p.n_components = 21;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p = mlc_gaussian_mixture_params_default();
    p.n_init = 0;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.n_init = 1;
    p.max_iter = -1;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.max_iter = 100;
    p.tol = -1;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.tol = 1e-3;
    p.reg_covar = -1e-6;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.reg_covar = 1e-6;
    p.covariance_type = 4;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.covariance_type = MLC_COV_FULL;
    p.init_params = 9;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.init_params = MLC_GMM_INIT_KMEANS;
    mlc_matrix one = mlc_matrix_rows(&X, 0, 1);
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &one, &m), MLC_EINVAL);
    MLC_AT(&X, 3, 1) = NAN;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_ENONFINITE);
    MLC_AT(&X, 3, 1) = -INFINITY;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_ENONFINITE);
    ck_assert_status(mlc_gaussian_mixture_fit(NULL, &X, &m), MLC_EINVAL);
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, NULL), MLC_EINVAL);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(bad_starting_arrays)
{
    mlc_matrix X = lcg_blobs(30, 2, 2, 3);
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    p.n_components = 2;
    mlc_gaussian_mixture *m = NULL;
    mlc_matrix A;
    /* weights: wrong length, not summing to 1, negative */
    ck_assert_int_eq(mlc_matrix_alloc(&A, 3, 1), MLC_OK);
    p.weights_init = &A;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EBADLEN);
    mlc_matrix_clear(&A);
    double w_bad[2] = {0.5, 0.6}, w_neg[2] = {1.5, -0.5};
    mlc_matrix W = mlc_matrix_wrap(w_bad, 2, 1, 0);
    p.weights_init = &W;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    W = mlc_matrix_wrap(w_neg, 1, 2, 0);
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.weights_init = NULL;
    /* means: wrong shape */
    ck_assert_int_eq(mlc_matrix_alloc(&A, 2, 3), MLC_OK);
    p.means_init = &A;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EBADLEN);
    mlc_matrix_clear(&A);
    p.means_init = NULL;
    /* precisions: shape, symmetry, definiteness, sign */
    ck_assert_int_eq(mlc_matrix_alloc(&A, 2, 2), MLC_OK); /* full needs 4 x 2 */
    p.precisions_init = &A;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EBADLEN);
    mlc_matrix_clear(&A);
    double asym[8] = {1, 0.5, 0, 1, 1, 0, 0, 1}, notpd[8] = {1, 2, 2, 1, 1, 0, 0, 1};
    mlc_matrix P = mlc_matrix_wrap(asym, 4, 2, 0);
    p.precisions_init = &P;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    P = mlc_matrix_wrap(notpd, 4, 2, 0);
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    double diag_neg[4] = {1, 1, 0, 1};
    P = mlc_matrix_wrap(diag_neg, 2, 2, 0);
    p.covariance_type = MLC_COV_DIAG;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EINVAL);
    p.covariance_type = MLC_COV_SPHERICAL;
    P = mlc_matrix_wrap(diag_neg, 2, 2, 0);
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EBADLEN);
    asym[0] = NAN;
    P = mlc_matrix_wrap(asym, 4, 2, 0);
    p.covariance_type = MLC_COV_FULL;
    ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_ENONFINITE);
    ck_assert_ptr_null(m);
    mlc_matrix_clear(&X);
}
END_TEST

/* Duplicated points and no regularisation: a component's covariance is
 * exactly singular. */
/* The E-step's own logarithm against libm's: within 2 ulp from subnormals
 * to the largest doubles, near 1 (where log is tiny), and the special
 * values. */
START_TEST(estep_log_matches_libm)
{
    unsigned long long s = 3;
    double worst = 0.0;
    for (int i = 0; i < 300000; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) / 9007199254740992.0;
        double x = i % 3 == 0 ? 1.0 + 7.0 * u : i % 3 == 1 ? exp((u - 0.5) * 1416.0)
                                                           : 1.0 + 1e-6 * (u - 0.5);
        if (i % 1000 == 0)
            x = ldexp(1.0 + u, -1060); /* subnormal */
        double want = log(x), got = mlc_gmm_log(x);
        double ulp = nextafter(fabs(want), INFINITY) - fabs(want);
        double e = fabs(got - want) / ulp;
        worst = e > worst ? e : worst;
    }
    ck_assert_msg(worst <= 2.0, "log off by %.2f ulp", worst);
    ck_assert(mlc_gmm_log(1.0) == 0.0);
    ck_assert(isinf(mlc_gmm_log(0.0)) && mlc_gmm_log(0.0) < 0);
    ck_assert(isinf(mlc_gmm_log(INFINITY)) && mlc_gmm_log(INFINITY) > 0);
    ck_assert(isnan(mlc_gmm_log(NAN)));
    ck_assert(isnan(mlc_gmm_log(-1.0)));
    ck_assert(mlc_gmm_log(DBL_MAX) == log(DBL_MAX));
}
END_TEST

/* The full covariance's register-tiled sums against a long-double
 * reference, for widths on both sides of every tile and chunk edge and
 * blocks on both sides of a sub-block; the 256-bit tiles must give the
 * same bits as the 512-bit ones. */
START_TEST(scatter_matches_reference)
{
    static const size_t widths[] = {1, 2, 3, 5, 8, 9, 10, 13, 16, 17, 24, 25, 33};
    static const size_t blocks[] = {1, 7, 64, 65, 200};
    unsigned long long s = 11;
#define UNIT() (s = s * 6364136223846793005ULL + 1442695040888963407ULL, \
                (double)(s >> 11) / 9007199254740992.0)
    for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++)
        for (size_t bi = 0; bi < sizeof blocks / sizeof *blocks; bi++) {
            const size_t p = widths[wi], nb = blocks[bi], K = 1 + (wi + bi) % 3;
            const size_t ldx = p + 3, q = p + 1;
            double *X = malloc(nb * ldx * sizeof *X), *resp = malloc(nb * K * sizeof *resp);
            double *shift = malloc(K * p * sizeof *shift), *center = malloc(p * sizeof *center);
            double *S2[2], *scratch = malloc(mlc_gmm_scatter_scratch(p) * sizeof *scratch);
            for (size_t i = 0; i < nb * ldx; i++)
                X[i] = 10.0 * UNIT() - 5.0 + (double)(i % ldx);
            for (size_t i = 0; i < nb * K; i++)
                resp[i] = UNIT();
            for (size_t i = 0; i < K * p; i++)
                shift[i] = 4.0 * UNIT() + (double)(i % p);
            for (size_t f = 0; f < p; f++)
                center[f] = (double)f + UNIT();
            for (int narrow = 0; narrow < 2; narrow++) {
                S2[narrow] = calloc(K * p * q, sizeof **S2);
                mlc_cpu_force_narrow(narrow);
                mlc_gmm_scatter_full(X, ldx, nb, K, p, resp, shift, center, S2[narrow],
                                     scratch);
                mlc_cpu_force_narrow(0);
            }
            ck_assert_msg(memcmp(S2[0], S2[1], K * p * q * sizeof **S2) == 0,
                          "p %zu nb %zu: the 256-bit tiles differ", p, nb);
            for (size_t k = 0; k < K; k++)
                for (size_t f = 0; f < p; f++)
                    for (size_t h = 0; h < q; h++) {
                        long double want = 0.0L, scale = 0.0L;
                        for (size_t i = 0; i < nb; i++) {
                            const double *x = X + i * ldx;
                            long double w = (long double)resp[i * K + k] *
                                            ((long double)x[f] - shift[k * p + f]);
                            long double d = h == p ? 1.0L : (long double)x[h] - center[h];
                            want += w * d;
                            scale += fabsl(w * d);
                        }
                        double got = S2[0][(k * p + f) * q + h];
                        if (h > f && h < p) /* above the diagonal: not formed */
                            ck_assert(got == 0.0);
                        else
                            ck_assert_msg(fabsl(got - want) <= 1e-14L * (scale + 1.0L),
                                          "p %zu nb %zu k %zu (%zu, %zu): %.17g, want %.17Lg",
                                          p, nb, k, f, h, got, want);
                    }
            free(S2[0]), free(S2[1]), free(X), free(resp), free(shift), free(center);
            free(scratch);
        }
#undef UNIT
}
END_TEST

/* The full covariance's log densities against a long-double reference,
 * by the register tiles (upper-triangular factors, both forms, which must
 * give the same bits) and by the GEMM (a lower-triangular factor, as from
 * precisions_init), for widths on both sides of every tile edge. */
START_TEST(full_log_prob_matches_reference)
{
    static const size_t widths[] = {1, 2, 3, 4, 5, 8, 9, 10, 15, 16, 17, 20, 33};
    unsigned long long s = 5;
#define UNIT() (s = s * 6364136223846793005ULL + 1442695040888963407ULL, \
                (double)(s >> 11) / 9007199254740992.0)
    for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++)
        for (int lower = 0; lower < 2; lower++) {
            const size_t p = widths[wi], K = 1 + wi % 4, nb = 37 + wi, ldx = p + 1;
            mlc_gmm_params g;
            ck_assert_int_eq(mlc_gmm_params_alloc(&g, MLC_COV_FULL, K, p), MLC_OK);
            for (size_t k = 0; k < K; k++) {
                g.weights[k] = 1.0 / (double)K;
                for (size_t f = 0; f < p; f++) {
                    g.means[k * p + f] = 3.0 * UNIT() + (double)k;
                    for (size_t h = 0; h < p; h++) {
                        int keep = lower ? h <= f : h >= f;
                        g.prec_chol[(k * p + f) * p + h] =
                            !keep ? 0.0 : h == f ? 0.5 + UNIT() : UNIT() - 0.5;
                    }
                }
            }
            mlc_gmm_derive(&g);
            ck_assert_int_eq(g.upper, !lower || p == 1); /* 1 x 1 is both */
            double *X = malloc(nb * ldx * sizeof *X), *L[2];
            size_t rows = nb < 64 ? 64 : nb;
            double *scratch = malloc(mlc_gmm_block_scratch(&g, rows) * sizeof *scratch);
            for (size_t i = 0; i < nb * ldx; i++)
                X[i] = 4.0 * UNIT() + (double)(i % 3);
            mlc_matrix M = {.data = X, .rows = nb, .cols = p, .stride = ldx};
            for (int narrow = 0; narrow < 2; narrow++) {
                L[narrow] = malloc(nb * K * sizeof **L);
                mlc_cpu_force_narrow(narrow);
                mlc_gmm_weighted_log_prob(&g, &M, 0, nb, L[narrow], scratch);
                mlc_cpu_force_narrow(0);
            }
            if (g.upper)
                ck_assert_msg(memcmp(L[0], L[1], nb * K * sizeof **L) == 0,
                              "p %zu: the 256-bit tiles differ", p);
            for (size_t i = 0; i < nb; i++)
                for (size_t k = 0; k < K; k++) {
                    const double *P = g.prec_chol + k * p * p, *x = X + i * ldx;
                    long double q = 0.0L, scale = 1.0L;
                    for (size_t h = 0; h < p; h++) {
                        long double y = 0.0L, a = 0.0L;
                        for (size_t f = 0; f < p; f++) {
                            y += ((long double)x[f] - g.means[k * p + f]) * P[f * p + h];
                            a += fabsl((long double)x[f] * P[f * p + h]) +
                                 fabsl((long double)g.means[k * p + f] * P[f * p + h]);
                        }
                        q += y * y;
                        scale += a * a;
                    }
                    long double want = -0.5L * ((long double)p * logl(2.0L * acosl(-1.0L)) + q) +
                                       g.log_det[k] + g.log_w[k];
                    double got = L[0][i * K + k];
                    ck_assert_msg(fabsl(got - want) <= 1e-13L * scale,
                                  "p %zu lower %d (%zu, %zu): %.17g, want %.17Lg", p, lower,
                                  i, k, got, want);
                }
            free(L[0]), free(L[1]), free(X), free(scratch);
            mlc_gmm_params_clear(&g);
        }
#undef UNIT
}
END_TEST

/* Which plain reference a vector form follows: 1 fused, 0 unfused, -1
 * not yet told apart. A form must give the bits of one of the two, and
 * the same one on every input. */
static int follows_one(int *which, int eq_fused, int eq_plain)
{
    if (*which < 0 && eq_fused != eq_plain)
        *which = eq_fused;
    return *which == 1 ? eq_fused : *which == 0 ? eq_plain : eq_fused || eq_plain;
}

/* Every form of the full covariance's tiles (AVX-512 where the CPU has
 * it, 256-bit) against their plain references, for every width 1 to 33
 * (each side of every tile, chunk and lane edge) and blocks on both sides
 * of a group and a sub-block: bit for bit the fused reference (fma(): the
 * forms where they contract, FMA targets at -O2) or the unfused one (the
 * baseline clone, -O1 builds), the same one for every form and input: the
 * forms a CPU has either all contract (AVX-512 and the 256-bit FMA clone,
 * at -O2) or none does. Shown to fail with a form's columns squared into
 * one chain, and with a form's scatter products unfused. */
START_TEST(tile_forms_match_reference)
{
    static const size_t blocks[] = {1, 7, 9, 64, 131};
    int which_scatter = -1, which_qf = -1; /* for every form: see the note above */
    unsigned long long s = 17;
#define UNIT() (s = s * 6364136223846793005ULL + 1442695040888963407ULL, \
                (double)(s >> 11) / 9007199254740992.0)
    for (size_t p = 1; p <= 33; p++)
        for (size_t bi = 0; bi < sizeof blocks / sizeof *blocks; bi++) {
            const size_t nb = blocks[bi], K = 1 + (p + bi) % 3, ldx = p + 2, q = p + 1;
            double *X = malloc(nb * ldx * sizeof *X), *resp = malloc(nb * K * sizeof *resp);
            double *shift = malloc(K * p * sizeof *shift), *center = malloc(p * sizeof *center);
            double *scratch = malloc(mlc_gmm_scatter_scratch(p) * sizeof *scratch);
            double *S2[3];
            for (int f = 0; f < 3; f++)
                S2[f] = malloc(K * p * q * sizeof **S2);
            for (size_t i = 0; i < nb * ldx; i++)
                X[i] = 10.0 * UNIT() - 5.0 + (double)(i % ldx);
            for (size_t i = 0; i < nb * K; i++)
                resp[i] = UNIT();
            for (size_t i = 0; i < K * p; i++)
                shift[i] = 4.0 * UNIT() + (double)(i % p);
            for (size_t f = 0; f < p; f++)
                center[f] = (double)f + UNIT();
            /* the quadratic forms: random upper-triangular factors */
            mlc_gmm_params g;
            ck_assert_int_eq(mlc_gmm_params_alloc(&g, MLC_COV_FULL, K, p), MLC_OK);
            for (size_t k = 0; k < K; k++) {
                g.weights[k] = 1.0 / (double)K;
                for (size_t f = 0; f < p; f++) {
                    g.means[k * p + f] = 3.0 * UNIT() + (double)k;
                    for (size_t h = 0; h < p; h++)
                        g.prec_chol[(k * p + f) * p + h] =
                            h < f ? 0.0 : h == f ? 0.5 + UNIT() : UNIT() - 0.5;
                }
            }
            mlc_gmm_derive(&g);
            ck_assert(g.upper);
            double *qs = malloc(mlc_gmm_quadform_scratch(p, K) * sizeof *qs);
            double *L[3];
            for (int f = 0; f < 3; f++)
                L[f] = malloc(nb * K * sizeof **L);

            /* [0]: fused reference, [1]: unfused, [2]: the form */
            const int refs[2] = {MLC_SIMD_SCALAR, MLC_GMM_PLAIN_REFERENCE};
            for (int f = 0; f < 2; f++) {
                memset(S2[f], 0, K * p * q * sizeof **S2);
                mlc_gmm_scatter_full_form(refs[f], X, ldx, nb, K, p, resp, shift, center, S2[f],
                                          scratch);
                mlc_gmm_full_quadforms_form(refs[f], &g, X, ldx, nb, L[f], qs);
            }
            for (int form = MLC_SIMD_256; form <= mlc_cpu_level(); form++) {
                memset(S2[2], 0, K * p * q * sizeof **S2);
                mlc_gmm_scatter_full_form(form, X, ldx, nb, K, p, resp, shift, center, S2[2],
                                          scratch);
                ck_assert_msg(follows_one(&which_scatter,
                                          memcmp(S2[2], S2[0], K * p * q * sizeof **S2) == 0,
                                          memcmp(S2[2], S2[1], K * p * q * sizeof **S2) == 0),
                              "scatter form %d p %zu nb %zu: neither reference's bits", form, p,
                              nb);
                mlc_gmm_full_quadforms_form(form, &g, X, ldx, nb, L[2], qs);
                ck_assert_msg(follows_one(&which_qf,
                                          memcmp(L[2], L[0], nb * K * sizeof **L) == 0,
                                          memcmp(L[2], L[1], nb * K * sizeof **L) == 0),
                              "quadform form %d p %zu nb %zu: neither reference's bits", form, p,
                              nb);
            }
            free(S2[0]), free(S2[1]), free(S2[2]), free(L[0]), free(L[1]), free(L[2]), free(qs);
            free(X), free(resp), free(shift), free(center), free(scratch);
            mlc_gmm_params_clear(&g);
        }
#undef UNIT
}
END_TEST

/* The status of `call` is `status` and its message holds `needle`. */
#define ck_assert_message(call, status, needle)                                            \
    do {                                                                                   \
        ck_assert_status((call), (status));                                                \
        ck_assert_msg(strstr(mlc_last_error_message(), (needle)) != NULL,                  \
                      "message '%s' lacks '%s'", mlc_last_error_message(), (needle));      \
    } while (0)

/* Start arrays of the wrong shape: MLC_EBADLEN naming the shape given (as
 * numpy has it, when read from a file) and scikit-learn's wanted. */
START_TEST(start_arrays_of_the_wrong_shape)
{
    mlc_matrix X = lcg_blobs(40, 4, 2, 9);
    char dir[] = "/tmp/mlc_gmm_arrays_XXXXXX", file[96];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/a.npy", dir);
    double v[64];
    for (int i = 0; i < 64; i++)
        v[i] = 1.0;
    static const struct {
        const char *type, *param;
        int ndim;
        size_t shape[3];
        const char *message;
    } wrong[] = {
        {"full", "precisions_init", 3, {2, 3, 3},
         "precisions_init has shape (2, 3, 3) but covariance_type 'full' needs (n_components, "
         "n_features, n_features) = (2, 4, 4)"},
        /* the same 8 x 4 matrix as (2, 4, 4), but not that array */
        {"full", "precisions_init", 3, {4, 2, 4}, "has shape (4, 2, 4) but covariance_type 'full'"},
        {"full", "precisions_init", 2, {4, 4}, "(or its blocks stacked, (8, 4))"},
        {"tied", "precisions_init", 3, {1, 4, 4},
         "precisions_init has shape (1, 4, 4) but covariance_type 'tied' needs (n_features, "
         "n_features) = (4, 4)"},
        {"diag", "precisions_init", 3, {2, 4, 1},
         "precisions_init has shape (2, 4, 1) but covariance_type 'diag' needs (n_components, "
         "n_features) = (2, 4)"},
        {"spherical", "precisions_init", 3, {2, 1, 1},
         "precisions_init has shape (2, 1, 1) but covariance_type 'spherical' needs "
         "(n_components,) = (2,)"},
        {"spherical", "precisions_init", 1, {4},
         "precisions_init has shape (4,) but covariance_type 'spherical'"},
        {"full", "weights_init", 3, {2, 1, 1},
         "weights_init has shape (2, 1, 1) but needs (n_components,) = (2,)"},
        {"full", "means_init", 1, {8}, "means_init has shape (8,) but needs (n_components, "
                                       "n_features) = (2, 4)"},
        {"full", "means_init", 3, {2, 4, 1}, "means_init has shape (2, 4, 1)"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        mlc_estimator *e = NULL;
        ck_assert_int_eq(mlc_estimator_new("gaussian_mixture", &e), MLC_OK);
        set_text(e, "n_components", "2");
        set_text(e, "covariance_type", wrong[i].type);
        unlink(file);
        write_npy_nd(file, v, wrong[i].shape, wrong[i].ndim);
        set_text(e, wrong[i].param, file);
        ck_assert_message(mlc_estimator_fit(e, &X, NULL), MLC_EBADLEN, wrong[i].message);
        ck_assert(!mlc_estimator_is_fitted(e));
        mlc_estimator_free(e);
    }
    /* scikit-learn's shapes and the 2-D forms fit (identity precisions) */
    static const struct {
        const char *type;
        int ndim;
        size_t shape[3];
    } right[] = {{"full", 3, {2, 4, 4}}, {"full", 2, {8, 4}}, {"tied", 2, {4, 4}},
                 {"diag", 2, {2, 4}},    {"spherical", 1, {2}}, {"spherical", 2, {2, 1}}};
    for (size_t i = 0; i < sizeof right / sizeof right[0]; i++) {
        double id[32];
        size_t cols = right[i].shape[right[i].ndim - 1], n = 1;
        for (int k = 0; k < right[i].ndim; k++)
            n *= right[i].shape[k];
        for (size_t k = 0; k < n; k++) /* identity blocks, or ones */
            id[k] = cols == 4 && right[i].ndim > 1 && strcmp(right[i].type, "diag")
                        ? ((k / 4) % 4 == k % 4)
                        : 1.0;
        mlc_estimator *e = NULL;
        ck_assert_int_eq(mlc_estimator_new("gaussian_mixture", &e), MLC_OK);
        set_text(e, "n_components", "2");
        set_text(e, "covariance_type", right[i].type);
        unlink(file);
        write_npy_nd(file, id, right[i].shape, right[i].ndim);
        set_text(e, "precisions_init", file);
        ck_assert_msg(mlc_estimator_fit(e, &X, NULL) == MLC_OK, "%s %zu: %s", right[i].type, i,
                      mlc_last_error_message());
        mlc_estimator_free(e);
    }
    unlink(file);
    rmdir(dir);
    /* a caller's matrix (set_matrix, or the typed API): rows x cols */
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("gaussian_mixture", &e), MLC_OK);
    set_text(e, "n_components", "2");
    mlc_matrix P = mlc_matrix_wrap(v, 2, 2, 0);
    ck_assert_int_eq(mlc_estimator_set_matrix(e, "precisions_init", &P), MLC_OK);
    expect_text(e, "precisions_init", "<2 x 2 array>");
    const char *msg = "precisions_init has shape 2 x 2 but covariance_type 'full' needs "
                      "(n_components, n_features, n_features) = (2, 4, 4) (or its blocks "
                      "stacked, (8, 4))";
    ck_assert_message(mlc_estimator_fit(e, &X, NULL), MLC_EBADLEN, msg);
    mlc_estimator_free(e);
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    p.n_components = 2;
    p.precisions_init = &P;
    mlc_gaussian_mixture *m = NULL;
    ck_assert_message(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EBADLEN, msg);
    p.precisions_init = NULL;
    mlc_matrix W = mlc_matrix_wrap(v, 3, 1, 0);
    p.weights_init = &W;
    ck_assert_message(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_EBADLEN,
                      "weights_init has shape 3 x 1 but needs (n_components,) = (2,)");
    ck_assert_ptr_null(m);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(singular_covariance)
{
    double x[16] = {1, 2, 1, 2, 1, 2, 1, 2, 7, 3, 7, 3, 7, 3, 7, 3};
    mlc_matrix X = mlc_matrix_wrap(x, 8, 2, 0);
    for (int type = 0; type < 4; type++) {
        mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
        p.n_components = 2;
        p.covariance_type = type;
        p.reg_covar = 0.0;
        p.random_state = 0;
        mlc_gaussian_mixture *m = NULL;
        /* (tied: the pooled within-component covariance is singular too) */
        ck_assert_status(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_ESING);
        ck_assert_ptr_null(m);
        ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "reg_covar"));
        p.reg_covar = 1e-6; /* the suggested remedy works */
        ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_OK);
        mlc_gaussian_mixture_free(m);
    }
}
END_TEST

START_TEST(bad_outputs)
{
    mlc_matrix X = lcg_blobs(40, 2, 2, 3);
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    p.n_components = 2;
    p.random_state = 0;
    mlc_gaussian_mixture *m;
    ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &m), MLC_OK);
    mlc_matrix X3 = lcg_blobs(5, 3, 2, 3), out;
    int32_t lab[40];
    double ll[40], s;
    ck_assert_status(mlc_gaussian_mixture_predict(m, &X3, lab), MLC_EBADLEN);
    ck_assert_status(mlc_gaussian_mixture_score_samples(m, &X3, ll), MLC_EBADLEN);
    ck_assert_status(mlc_gaussian_mixture_score(m, &X3, &s), MLC_EBADLEN);
    ck_assert_status(mlc_gaussian_mixture_bic(m, &X3, &s), MLC_EBADLEN);
    ck_assert_int_eq(mlc_matrix_alloc(&out, 40, 3), MLC_OK);
    ck_assert_status(mlc_gaussian_mixture_predict_proba(m, &X, &out), MLC_EBADLEN);
    ck_assert_status(mlc_gaussian_mixture_sample(m, 0, &out, NULL), MLC_EINVAL);
    ck_assert_status(mlc_gaussian_mixture_sample(m, 40, &out, NULL), MLC_EBADLEN);
    ck_assert_status(mlc_gaussian_mixture_predict(m, &X, NULL), MLC_EINVAL);
    ck_assert_status(mlc_gaussian_mixture_predict(NULL, &X, lab), MLC_EINVAL);
    ck_assert_status(mlc_gaussian_mixture_refit(m, &X3), MLC_EBADLEN);
    mlc_estimator *e;
    ck_assert_int_eq(mlc_estimator_new("gaussian_mixture", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "covariance_type", "banded"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "n_init", "0"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "init_params", "kmeans+"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_score(e, &X, NULL, &s), MLC_ENOTFITTED);
    mlc_estimator_free(e);
    mlc_matrix_clear(&out);
    mlc_matrix_clear(&X3);
    mlc_matrix_clear(&X);
    mlc_gaussian_mixture_free(m);
    mlc_gaussian_mixture_free(NULL);
}
END_TEST

/* A one-thread fit (and predict) inside a caller's parallel region, as a
 * cross-validation fold runs on worker 1: each part's scratch is the slot
 * of the team the fit started, not the caller's thread number (which
 * pointed past a scratch sized for one thread: a heap overflow that
 * valgrind and AddressSanitizer report, and that crashed parallel
 * cross-validation). Same bits as outside the region. */
START_TEST(fit_inside_callers_parallel_region)
{
    mlc_matrix X = lcg_blobs(600, 3, 3, 5);
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    p.n_components = 3;
    p.random_state = 0;
    p.n_threads = 1;
    mlc_gaussian_mixture *ref;
    ck_assert_int_eq(mlc_gaussian_mixture_fit(&p, &X, &ref), MLC_OK);
    int32_t ref_labels[600], labels[2][600];
    ck_assert_int_eq(mlc_gaussian_mixture_predict(ref, &X, ref_labels), MLC_OK);
    double means[2][9];
    int st[2] = {-1, -1};
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num();
        mlc_gaussian_mixture *m = NULL;
        st[t] = mlc_gaussian_mixture_fit(&p, &X, &m);
        if (!st[t])
            st[t] = mlc_gaussian_mixture_predict(m, &X, labels[t]);
        if (!st[t])
            memcpy(means[t], mlc_gaussian_mixture_means(m), sizeof means[t]);
        mlc_gaussian_mixture_free(m);
    }
    for (int t = 0; t < 2; t++) {
        ck_assert_int_eq(st[t], MLC_OK);
        ck_assert_mem_eq(means[t], mlc_gaussian_mixture_means(ref), sizeof means[t]);
        ck_assert_mem_eq(labels[t], ref_labels, sizeof ref_labels);
    }
    mlc_gaussian_mixture_free(ref);
    mlc_matrix_clear(&X);
}
END_TEST

Suite *mlc_mixture_suite(void)
{
    Suite *s = suite_create("mixture");
    TCase *core = tcase_create("core");
    tcase_add_test(core, full_start_matches_sklearn);
    tcase_add_test(core, random_starts_on_separated_blobs);
    tcase_add_test(core, warm_start_continues);
    tcase_add_test(core, thread_count_independent);
    tcase_add_test(core, fit_inside_callers_parallel_region);
    tcase_add_test(core, registry_fit_save_load);
    tcase_add_test(core, registry_start_arrays_in_sklearn_shapes);
    tcase_add_test(core, sample_follows_the_model);
    tcase_add_test(core, estep_log_matches_libm);
    tcase_add_test(core, scatter_matches_reference);
    tcase_add_test(core, full_log_prob_matches_reference);
    tcase_add_test(core, tile_forms_match_reference);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, max_iter_zero_keeps_the_start);
    tcase_add_test(edge, one_component_is_the_sample_covariance);
    tcase_add_test(edge, tiny_and_degenerate_inputs);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, bad_parameters);
    tcase_add_test(errors, bad_starting_arrays);
    tcase_add_test(errors, start_arrays_of_the_wrong_shape);
    tcase_add_test(errors, singular_covariance);
    tcase_add_test(errors, bad_outputs);
    suite_add_tcase(s, errors);
    return s;
}
