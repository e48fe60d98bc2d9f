/* DBSCAN against scikit-learn 1.2 (tests/fixtures/fx_dbscan.py): the same
 * labels_ (numbering included) and core_sample_indices_ with every
 * algorithm, the grid, and any thread count; the registry, model files, and
 * every error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test_util.h"

typedef struct db_case {
    json_t *obj;
    const char *name;
    mlc_matrix X;
    double *sw;
    int32_t *labels;
    int64_t *core;
    size_t n_core;
    mlc_dbscan_params p;
} db_case;

static mlc_nn_metric metric_of(const char *name)
{
    static const char *names[] = {"euclidean", "manhattan", "chebyshev", "minkowski",
                                  "precomputed"};
    for (int m = 0; m < 5; m++)
        if (!strcmp(names[m], name))
            return (mlc_nn_metric)m;
    ck_abort_msg("unknown metric %s", name);
    return MLC_METRIC_EUCLIDEAN;
}

static void load_case(json_t *root, size_t i, db_case *c)
{
    memset(c, 0, sizeof *c);
    c->obj = json_array_get(json_object_get(root, "cases"), i);
    ck_assert_ptr_nonnull(c->obj);
    c->name = json_string_value(json_object_get(c->obj, "name"));
    c->X = fx_matrix(json_object_get(root, "data"),
                     json_string_value(json_object_get(c->obj, "data")));
    if (json_object_get(c->obj, "sw"))
        c->sw = fx_doubles(c->obj, "sw", NULL, NULL);
    size_t n;
    c->labels = fx_ints(c->obj, "labels", &n);
    ck_assert_uint_eq(n, c->X.rows);
    int32_t *core = fx_ints(c->obj, "core", &c->n_core);
    c->core = malloc((c->n_core + 1) * sizeof *c->core);
    for (size_t k = 0; k < c->n_core; k++)
        c->core[k] = core[k];
    free(core);
    c->p = mlc_dbscan_params_default();
    c->p.eps = fx_number(c->obj, "eps");
    c->p.min_samples = (long)fx_number(c->obj, "min_samples");
    c->p.metric = metric_of(json_string_value(json_object_get(c->obj, "metric")));
    c->p.p = fx_number(c->obj, "p");
}

static void free_case(db_case *c)
{
    mlc_matrix_clear(&c->X);
    free(c->sw);
    free(c->labels);
    free(c->core);
}

/* The model's labels, core indices and components are scikit-learn's. */
static void expect_case(const db_case *c, const mlc_dbscan *m, const char *how)
{
    size_t n = c->X.rows;
    ck_assert_uint_eq(mlc_dbscan_n_samples(m), n);
    ck_assert_uint_eq(mlc_dbscan_n_features(m), c->X.cols);
    const int32_t *l = mlc_dbscan_labels(m);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(l[i] == c->labels[i], "%s (%s): labels_[%zu] = %d, scikit-learn %d",
                      c->name, how, i, l[i], c->labels[i]);
    ck_assert_msg(mlc_dbscan_n_core_samples(m) == c->n_core, "%s (%s): %zu core samples, "
                  "scikit-learn %zu", c->name, how, mlc_dbscan_n_core_samples(m), c->n_core);
    const int64_t *core = mlc_dbscan_core_sample_indices(m);
    const double *comp = mlc_dbscan_components(m);
    for (size_t k = 0; k < c->n_core; k++) {
        ck_assert_msg(core[k] == c->core[k], "%s (%s): core_sample_indices_[%zu]", c->name, how,
                      k);
        ck_assert_int_eq(memcmp(comp + k * c->X.cols, mlc_matrix_row(&c->X, (size_t)core[k]),
                                c->X.cols * sizeof *comp),
                         0);
    }
    ck_assert_uint_eq(mlc_dbscan_n_clusters(m), (size_t)fx_number(c->obj, "n_clusters"));
}

static const mlc_nn_algorithm algorithms[] = {MLC_NN_AUTO, MLC_NN_KD_TREE, MLC_NN_BALL_TREE,
                                              MLC_NN_BRUTE};

START_TEST(labels_match_sklearn)
{
    json_t *root = fx_load("dbscan");
    size_t n_cases = json_array_size(json_object_get(root, "cases"));
    ck_assert_uint_ge(n_cases, 20);
    for (size_t i = 0; i < n_cases; i++) {
        db_case c;
        load_case(root, i, &c);
        for (size_t a = 0; a < 4; a++)
            for (int threads = 1; threads <= 2; threads++) {
                /* The trees take no precomputed distances. */
                if (c.p.metric == MLC_METRIC_PRECOMPUTED &&
                    (algorithms[a] == MLC_NN_KD_TREE || algorithms[a] == MLC_NN_BALL_TREE))
                    continue;
                mlc_dbscan_params p = c.p;
                p.algorithm = algorithms[a];
                p.n_threads = threads;
                p.leaf_size = a == 2 ? 4 : 30;
                mlc_dbscan *m = NULL;
                ck_assert_msg(mlc_dbscan_fit(&p, &c.X, c.sw, &m) == MLC_OK, "%s: %s", c.name,
                              mlc_last_error_message());
                char how[64];
                snprintf(how, sizeof how, "algorithm %d, %d threads", (int)p.algorithm,
                         threads);
                expect_case(&c, m, how);
                mlc_dbscan_free(m);
            }
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

/* fit_predict, and the registry's face: text parameters, weights, the
 * attributes, a model file that reads back the same. */
START_TEST(registry_and_model_files)
{
    json_t *root = fx_load("dbscan");
    size_t n_cases = json_array_size(json_object_get(root, "cases"));
    for (size_t i = 0; i < n_cases; i++) {
        db_case c;
        load_case(root, i, &c);
        int32_t *labels = malloc(c.X.rows * sizeof *labels);
        ck_assert_int_eq(mlc_dbscan_fit_predict(&c.p, &c.X, c.sw, labels, NULL), MLC_OK);
        ck_assert_int_eq(memcmp(labels, c.labels, c.X.rows * sizeof *labels), 0);
        free(labels);

        mlc_estimator *e = NULL, *back = NULL;
        ck_assert_int_eq(mlc_estimator_new("dbscan", &e), MLC_OK);
        ck_assert_int_eq(mlc_estimator_task(e), MLC_TASK_CLUSTERER);
        char text[64];
        snprintf(text, sizeof text, "%.17g", c.p.eps);
        ck_assert_int_eq(mlc_estimator_set(e, "eps", text), MLC_OK);
        snprintf(text, sizeof text, "%ld", c.p.min_samples);
        ck_assert_int_eq(mlc_estimator_set(e, "min_samples", text), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(e, "metric",
                                           json_string_value(json_object_get(c.obj, "metric"))),
                         MLC_OK);
        snprintf(text, sizeof text, "%.17g", c.p.p);
        ck_assert_int_eq(mlc_estimator_set(e, "p", text), MLC_OK);
        mlc_fit_data d = {&c.X, NULL, c.sw};
        ck_assert_msg(mlc_estimator_fit_data(e, &d) == MLC_OK, "%s", mlc_last_error_message());
        /* No predict, no score: scikit-learn's DBSCAN has fit_predict only. */
        ck_assert_uint_eq(mlc_estimator_output_cols(e, MLC_OUT_PREDICT), 0);
        double s, *pred = malloc(c.X.rows * sizeof *pred);
        ck_assert_int_eq(mlc_estimator_predict(e, &c.X, pred), MLC_EUNSUPPORTED);
        ck_assert_int_eq(mlc_estimator_score(e, &c.X, NULL, &s), MLC_EUNSUPPORTED);
        free(pred);

        char path[] = "/tmp/mlc_dbscan_XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
        ck_assert_msg(mlc_estimator_load_as(path, "dbscan", &back) == MLC_OK, "%s: %s", c.name,
                      mlc_last_error_message());
        remove(path);
        const char *names[3] = {"labels_", "core_sample_indices_", "components_"};
        for (int k = 0; k < 3; k++) {
            mlc_attribute a, b;
            ck_assert_int_eq(mlc_estimator_attribute(e, names[k], &a), MLC_OK);
            ck_assert_int_eq(mlc_estimator_attribute(back, names[k], &b), MLC_OK);
            ck_assert_uint_eq(mlc_attribute_size(&a), mlc_attribute_size(&b));
            for (size_t v = 0; v < mlc_attribute_size(&a); v++)
                ck_assert(mlc_attribute_value(&a, v) == mlc_attribute_value(&b, v));
            if (k == 0)
                for (size_t v = 0; v < c.X.rows; v++)
                    ck_assert_int_eq((int)mlc_attribute_value(&a, v), c.labels[v]);
            if (k == 1)
                for (size_t v = 0; v < c.n_core; v++)
                    ck_assert(mlc_attribute_value(&a, v) == (double)c.core[v]);
        }
        mlc_estimator_free(back);
        mlc_estimator_free(e);
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

/* ----------------------------------------------------------------- errors */

static mlc_matrix small_X(void)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, 6, 2), MLC_OK);
    for (size_t i = 0; i < 12; i++)
        X.data[i] = (double)(i % 5) * 0.3;
    return X;
}

static void expect_fit(const mlc_dbscan_params *p, const mlc_matrix *X, const double *sw,
                       int status, const char *what)
{
    mlc_dbscan *m = (mlc_dbscan *)1;
    mlc_clear_error();
    int st = mlc_dbscan_fit(p, X, sw, &m);
    ck_assert_msg(st == status, "%s: got %d (%s)", what, st, mlc_last_error_message());
    ck_assert_msg(mlc_last_error_message()[0] != '\0', "%s: no message", what);
    ck_assert_ptr_null(m);
}

START_TEST(bad_parameters)
{
    mlc_matrix X = small_X();
    mlc_dbscan_params p;
    const double bad_eps[] = {0.0, -1.0, NAN, INFINITY};
    for (int k = 0; k < 4; k++) {
        p = mlc_dbscan_params_default();
        p.eps = bad_eps[k];
        expect_fit(&p, &X, NULL, MLC_EINVAL, "eps");
    }
    p = mlc_dbscan_params_default();
    p.min_samples = 0;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "min_samples 0");
    p = mlc_dbscan_params_default();
    p.leaf_size = 0;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "leaf_size 0");
    p = mlc_dbscan_params_default();
    p.p = 0.5;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "p 0.5");
    p.p = NAN;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "p NaN");
    p = mlc_dbscan_params_default();
    p.metric = (mlc_nn_metric)7;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "metric 7");
    p = mlc_dbscan_params_default();
    p.algorithm = (mlc_nn_algorithm)9;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "algorithm 9");
    p = mlc_dbscan_params_default();
    p.n_threads = -1;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "n_threads -1");

    /* The registry refuses the same values as usage errors. */
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("dbscan", &e), MLC_OK);
    const char *bad[][2] = {{"eps", "0"},         {"eps", "-0.5"},      {"min_samples", "0"},
                            {"leaf_size", "0"},   {"p", "0.9"},         {"metric", "cosine"},
                            {"algorithm", "grid"}, {"eps", "nan"}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(mlc_estimator_set(e, bad[k][0], bad[k][1]) == MLC_EINVAL, "%s = %s",
                      bad[k][0], bad[k][1]);
    mlc_estimator_free(e);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(bad_data)
{
    mlc_matrix X = small_X();
    mlc_dbscan_params p = mlc_dbscan_params_default();
    mlc_dbscan *m = NULL;
    ck_assert_int_eq(mlc_dbscan_fit(NULL, &X, NULL, &m), MLC_EINVAL);
    ck_assert_int_eq(mlc_dbscan_fit(&p, NULL, NULL, &m), MLC_EINVAL);
    ck_assert_int_eq(mlc_dbscan_fit(&p, &X, NULL, NULL), MLC_EINVAL);
    ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_null(m);
    mlc_matrix empty = mlc_matrix_wrap(X.data, 0, 2, 2);
    expect_fit(&p, &empty, NULL, MLC_EEMPTY, "no rows");
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (int b = 0; b < 3; b++) {
        for (int a = 0; a < 4; a++) {
            p.algorithm = algorithms[a];
            double keep = X.data[7];
            X.data[7] = bad[b];
            expect_fit(&p, &X, NULL, MLC_ENONFINITE, "X not finite");
            X.data[7] = keep;
        }
        double w[6] = {1, 1, 1, 1, 1, 1};
        w[4] = bad[b];
        expect_fit(&p, &X, w, MLC_ENONFINITE, "sample_weight not finite");
    }
    /* Precomputed: square, no negative entry, not with a tree. */
    p = mlc_dbscan_params_default();
    p.metric = MLC_METRIC_PRECOMPUTED;
    expect_fit(&p, &X, NULL, MLC_EINVAL, "precomputed 6 x 2");
    mlc_matrix D;
    ck_assert_int_eq(mlc_matrix_alloc(&D, 3, 3), MLC_OK);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
            MLC_AT(&D, i, j) = fabs((double)i - (double)j);
    ck_assert_int_eq(mlc_dbscan_fit(&p, &D, NULL, &m), MLC_OK);
    mlc_dbscan_free(m);
    MLC_AT(&D, 1, 2) = -0.5;
    expect_fit(&p, &D, NULL, MLC_EINVAL, "precomputed with a negative entry");
    MLC_AT(&D, 1, 2) = 1.0;
    p.algorithm = MLC_NN_KD_TREE;
    expect_fit(&p, &D, NULL, MLC_EINVAL, "precomputed with kd_tree");
    mlc_matrix_clear(&D);
    mlc_matrix_clear(&X);
}
END_TEST

/* Model files that are not a DBSCAN labelling are refused. */
START_TEST(bad_model_files)
{
    static const char *attrs[] = {
        /* a core index out of range */
        "\"components_\": [[0.0, 0.0]], \"core_sample_indices_\": [3], \"labels_\": [0, 0, -1]",
        /* not ascending */
        "\"components_\": [[0.0, 0.0], [0.0, 0.1]], \"core_sample_indices_\": [1, 0], "
        "\"labels_\": [0, 0, -1]",
        /* a core point labelled noise */
        "\"components_\": [[0.0, 0.0]], \"core_sample_indices_\": [0], \"labels_\": [-1, 0, -1]",
        /* a label below -1 */
        "\"components_\": [[0.0, 0.0]], \"core_sample_indices_\": [0], \"labels_\": [0, -2, -1]",
        /* components of the wrong shape */
        "\"components_\": [[0.0, 0.0]], \"core_sample_indices_\": [0, 1], \"labels_\": [0, 0, -1]",
        /* values without core samples */
        "\"components_\": [1.0], \"core_sample_indices_\": [], \"labels_\": [-1, -1, -1]",
        /* a fractional index */
        "\"components_\": [[0.0, 0.0]], \"core_sample_indices_\": [0.5], \"labels_\": [0, 0, -1]",
        /* more core samples than labels */
        "\"components_\": [[0.0, 0.0], [0.0, 0.0]], \"core_sample_indices_\": [0, 1], "
        "\"labels_\": [0]",
    };
    char path[] = "/tmp/mlc_dbscan_bad_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    for (size_t k = 0; k < sizeof attrs / sizeof attrs[0]; k++) {
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "{\"attributes\": {%s}, \"estimator\": \"dbscan\", \"format\": "
                   "\"mlcore-model\", \"mlcore_version\": \"0.1.0\", \"n_features_in_\": 2, "
                   "\"n_targets\": 1, \"params\": {\"eps\": 0.5, \"min_samples\": 2}, "
                   "\"version\": 1}\n",
                attrs[k]);
        fclose(f);
        mlc_estimator *e = NULL;
        int st = mlc_estimator_load(path, &e);
        ck_assert_msg(st == MLC_EFORMAT, "bad model %zu loaded with %d", k, st);
        ck_assert_ptr_null(e);
    }
    remove(path);
}
END_TEST

/* ------------------------------------------------------------------- edge */

START_TEST(single_point_and_duplicates)
{
    double one[2] = {1.0, 2.0};
    mlc_matrix X = mlc_matrix_wrap(one, 1, 2, 2);
    mlc_dbscan_params p = mlc_dbscan_params_default();
    int32_t label;
    p.min_samples = 1; /* an isolated point is a cluster of its own */
    ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, &label, NULL), MLC_OK);
    ck_assert_int_eq(label, 0);
    p.min_samples = 2;
    for (int a = 0; a < 4; a++) {
        p.algorithm = algorithms[a];
        ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, &label, NULL), MLC_OK);
        ck_assert_int_eq(label, -1);
    }
    /* A weight of min_samples makes a point core by itself. */
    double w = 2.0;
    ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, &w, &label, NULL), MLC_OK);
    ck_assert_int_eq(label, 0);

    /* 50 equal rows, one column: one cluster with every algorithm; a
     * constant column besides changes nothing. */
    mlc_matrix D;
    ck_assert_int_eq(mlc_matrix_alloc(&D, 50, 2), MLC_OK);
    for (size_t i = 0; i < 50; i++)
        MLC_AT(&D, i, 1) = 3.0;
    int32_t labels[50];
    for (int a = 0; a < 4; a++) {
        p.algorithm = algorithms[a];
        p.leaf_size = 1;
        ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &D, NULL, labels, NULL), MLC_OK);
        for (size_t i = 0; i < 50; i++)
            ck_assert_int_eq(labels[i], 0);
        mlc_matrix col = mlc_matrix_submatrix(&D, 0, 0, 50, 1);
        ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &col, NULL, labels, NULL), MLC_OK);
        for (size_t i = 0; i < 50; i++)
            ck_assert_int_eq(labels[i], 0);
    }
    mlc_matrix_clear(&D);
}
END_TEST

/* Data spanning more cells than the grid's keys hold: the index answers,
 * the same labels as a tree. */
START_TEST(grid_declines_huge_spans)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, 40, 2), MLC_OK);
    for (size_t i = 0; i < 40; i++) {
        double base = (i % 4) * 1e150;
        MLC_AT(&X, i, 0) = base + (double)(i % 5) * 0.1;
        MLC_AT(&X, i, 1) = (double)(i / 8) * 0.1;
    }
    mlc_dbscan_params p = mlc_dbscan_params_default();
    p.eps = 0.25;
    p.min_samples = 3;
    int32_t grid[40], tree[40];
    ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, grid, NULL), MLC_OK);
    p.algorithm = MLC_NN_KD_TREE;
    ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, tree, NULL), MLC_OK);
    ck_assert_int_eq(memcmp(grid, tree, sizeof grid), 0);
    ck_assert_int_eq(grid[0], 0);
    mlc_matrix_clear(&X);
}
END_TEST

/* A larger problem where the grid, the trees and brute force must agree
 * (dense blobs: the net of centres and its ball-to-ball joins). */
START_TEST(methods_agree_on_larger_data)
{
    size_t n = 3000;
    for (size_t d = 2; d <= 6; d += 4) {
        mlc_matrix X;
        ck_assert_int_eq(mlc_matrix_alloc(&X, n, d), MLC_OK);
        uint64_t s = 12345;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < d; k++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                double u = (double)(s >> 11) / 9007199254740992.0;
                MLC_AT(&X, i, k) = (double)((i * 7) % 5) * 4.0 + u * (k == 0 ? 3.0 : 1.0);
            }
        mlc_dbscan_params p = mlc_dbscan_params_default();
        p.eps = d == 2 ? 0.1 : 0.45;
        p.min_samples = 6;
        int32_t *ref = malloc(n * sizeof *ref), *got = malloc(n * sizeof *got);
        p.algorithm = MLC_NN_BRUTE;
        ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, ref, NULL), MLC_OK);
        for (int a = 0; a < 3; a++)
            for (int threads = 1; threads <= 2; threads++) {
                p.algorithm = algorithms[a];
                p.n_threads = threads;
                ck_assert_int_eq(mlc_dbscan_fit_predict(&p, &X, NULL, got, NULL), MLC_OK);
                ck_assert_msg(memcmp(ref, got, n * sizeof *got) == 0,
                              "d %zu, algorithm %d, %d threads", d, a, threads);
            }
        free(ref);
        free(got);
        mlc_matrix_clear(&X);
    }
}
END_TEST

static int stop_now(const mlc_progress *pr, void *user)
{
    ++*(int *)user;
    return pr->iter > 0; /* let the first checkpoint pass, then stop */
}

/* The registry's progress callback reaches the index path (a checkpoint per
 * block of queries) and stops the fit; the estimator stays unfitted. */
START_TEST(progress_stops_the_fit)
{
    json_t *root = fx_load("dbscan");
    db_case c;
    load_case(root, 10, &c); /* blobs10d: the index path */
    ck_assert_str_eq(c.name, "blobs10d");
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("dbscan", &e), MLC_OK);
    char text[64];
    snprintf(text, sizeof text, "%.17g", c.p.eps);
    ck_assert_int_eq(mlc_estimator_set(e, "eps", text), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "min_samples", "8"), MLC_OK);
    int calls = 0;
    ck_assert_int_eq(mlc_estimator_set_progress(e, stop_now, &calls), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_EINTERRUPTED);
    ck_assert_int_ge(calls, 1);
    ck_assert(!mlc_estimator_is_fitted(e));
    ck_assert_int_eq(mlc_estimator_set_progress(e, NULL, NULL), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(e, "labels_", &a), MLC_OK);
    for (size_t i = 0; i < c.X.rows; i++)
        ck_assert_int_eq((int)mlc_attribute_value(&a, i), c.labels[i]);
    mlc_estimator_free(e);
    free_case(&c);
    json_decref(root);
}
END_TEST

Suite *mlc_dbscan_suite(void)
{
    Suite *s = suite_create("dbscan");
    TCase *core = tcase_create("core");
    tcase_add_test(core, labels_match_sklearn);
    tcase_add_test(core, registry_and_model_files);
    tcase_add_test(core, methods_agree_on_larger_data);
    tcase_add_test(core, progress_stops_the_fit);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, bad_parameters);
    tcase_add_test(errors, bad_data);
    tcase_add_test(errors, bad_model_files);
    suite_add_tcase(s, errors);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, single_point_and_duplicates);
    tcase_add_test(edge, grid_declines_huge_spans);
    suite_add_tcase(s, edge);
    return s;
}
