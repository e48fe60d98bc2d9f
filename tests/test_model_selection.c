/* Splitters, scorers, cross_validate and grid search against scikit-learn
 * 1.2 (fixtures model_selection_*). Cross-validation runs on scikit-learn's
 * own folds (exported as index arrays) with the registry's ridge and kmeans. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

/* ------------------------------------------------------------ fixtures */

/* Array of arrays (ragged) from the fixture: *n lists. */
static size_t **fx_lists(json_t *fx, const char *key, size_t *n, size_t **lens)
{
    json_t *a = json_object_get(fx, key);
    ck_assert_msg(a && json_is_array(a), "fixture has no list %s", key);
    *n = json_array_size(a);
    size_t **out = malloc(*n * sizeof *out);
    *lens = malloc(*n * sizeof **lens);
    for (size_t i = 0; i < *n; i++) {
        json_t *l = json_array_get(a, i);
        (*lens)[i] = json_array_size(l);
        out[i] = malloc(((*lens)[i] + 1) * sizeof **out);
        for (size_t j = 0; j < (*lens)[i]; j++)
            out[i][j] = (size_t)json_integer_value(json_array_get(l, j));
    }
    return out;
}

static void free_lists(size_t **l, size_t n, size_t *lens)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
    free(lens);
}

/* The splitter's test folds equal the fixture's, and each train set is the
 * sorted complement. */
static void expect_tests(mlc_splitter *s, json_t *fx, const char *key, size_t n)
{
    size_t k, *lens;
    size_t **want = fx_lists(fx, key, &k, &lens);
    ck_assert_uint_eq(mlc_splitter_n_splits(s), k);
    size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
    for (size_t i = 0; i < k; i++) {
        size_t ntr, nte;
        ck_assert_status(mlc_splitter_get(s, i, tr, &ntr, te, &nte), MLC_OK);
        ck_assert_msg(nte == lens[i], "%s fold %zu: %zu test samples, want %zu", key, i, nte,
                      lens[i]);
        for (size_t j = 0; j < nte; j++)
            ck_assert_msg(te[j] == want[i][j], "%s fold %zu differs at %zu", key, i, j);
        ck_assert_uint_eq(ntr + nte, n);
        for (size_t j = 1; j < ntr; j++)
            ck_assert(tr[j] > tr[j - 1]);
        size_t a = 0, b = 0;
        while (a < ntr && b < nte)
            ck_assert(tr[a] < te[b] ? (a++, 1) : tr[a] > te[b] ? (b++, 1) : 0);
    }
    free(tr);
    free(te);
    free_lists(want, k, lens);
}

/* ------------------------------------------------------------ splitters */

START_TEST(test_kfold_stratified)
{
    json_t *fx = fx_load("model_selection_splits");
    mlc_splitter *s;
    ck_assert_status(mlc_kfold_new(5, 0, -1, &s), MLC_OK);
    ck_assert_str_eq(mlc_splitter_name(s), "KFold");
    ck_assert_uint_eq(mlc_splitter_n_splits(s), 0);
    ck_assert_status(mlc_splitter_split(s, 23, NULL), MLC_OK);
    expect_tests(s, fx, "kfold_23_5", 23);
    mlc_splitter_free(s);
    ck_assert_status(mlc_kfold_new(3, 0, -1, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 10, NULL), MLC_OK);
    expect_tests(s, fx, "kfold_10_3", 10);
    mlc_splitter_free(s);

    double ya[10] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
    ck_assert_status(mlc_stratified_kfold_new(3, 0, -1, &s), MLC_OK);
    ck_assert(mlc_splitter_needs_labels(s));
    ck_assert_status(mlc_splitter_split(s, 10, ya), MLC_OK);
    expect_tests(s, fx, "skf_a", 10);
    mlc_splitter_free(s);
    size_t n;
    double *yb = fx_doubles(fx, "yb", &n, NULL), *yc = fx_doubles(fx, "yc", NULL, NULL);
    const char *keys[3] = {"skf_b_3", "skf_b_4", "skf_c_5"};
    const size_t ks[3] = {3, 4, 5};
    for (int c = 0; c < 3; c++) {
        ck_assert_status(mlc_stratified_kfold_new(ks[c], 0, -1, &s), MLC_OK);
        ck_assert_status(mlc_splitter_split(s, c < 2 ? 23 : 50, c < 2 ? yb : yc), MLC_OK);
        expect_tests(s, fx, keys[c], c < 2 ? 23 : 50);
        mlc_splitter_free(s);
    }
    free(yb);
    free(yc);
    json_decref(fx);
}
END_TEST

START_TEST(test_other_splitters)
{
    json_t *fx = fx_load("model_selection_splits");
    size_t n;
    int32_t *f32 = fx_ints(fx, "predefined_fold", &n);
    int64_t fold[10];
    for (size_t i = 0; i < n; i++)
        fold[i] = f32[i];
    mlc_splitter *s;
    ck_assert_status(mlc_predefined_split_new(fold, n, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, n, NULL), MLC_OK);
    size_t k, *lens;
    size_t **want = fx_lists(fx, "predefined", &k, &lens);
    ck_assert_uint_eq(mlc_splitter_n_splits(s), k);
    size_t te[10], tr[10], nte, ntr;
    for (size_t i = 0; i < k; i++) {
        ck_assert_status(mlc_splitter_get(s, i, tr, &ntr, te, &nte), MLC_OK);
        ck_assert_uint_eq(nte, lens[i]);
        ck_assert_uint_eq(ntr, n - nte); /* -1 samples always train */
        for (size_t j = 0; j < nte; j++)
            ck_assert_uint_eq(te[j], want[i][j]);
    }
    free_lists(want, k, lens);
    mlc_splitter_free(s);
    free(f32);

    /* Leave-one-out. */
    ck_assert_status(mlc_leave_one_out_new(&s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 4, NULL), MLC_OK);
    ck_assert_uint_eq(mlc_splitter_n_splits(s), 4);
    ck_assert_status(mlc_splitter_get(s, 2, tr, &ntr, te, &nte), MLC_OK);
    ck_assert_uint_eq(nte, 1);
    ck_assert_uint_eq(te[0], 2);
    ck_assert_uint_eq(ntr, 3);
    ck_assert_uint_eq(tr[2], 3);
    mlc_splitter_free(s);

    /* Explicit folds keep the caller's order. */
    const size_t t0[3] = {4, 0, 2}, e0[2] = {3, 1}, t1[2] = {1, 3}, e1[1] = {0};
    const size_t *trains[2] = {t0, t1}, *tests[2] = {e0, e1};
    const size_t ntrs[2] = {3, 2}, ntes[2] = {2, 1};
    ck_assert_status(mlc_explicit_split_new(2, trains, ntrs, tests, ntes, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 5, NULL), MLC_OK);
    ck_assert_status(mlc_splitter_get(s, 0, tr, &ntr, te, &nte), MLC_OK);
    ck_assert_uint_eq(ntr, 3);
    ck_assert_uint_eq(tr[0], 4);
    ck_assert_uint_eq(te[0], 3);
    ck_assert_status(mlc_splitter_split(s, 4, NULL), MLC_ERANGE); /* index 4 needs n >= 5 */
    mlc_splitter_free(s);

    /* Shuffled KFold: every index tested once; the same seed, the same folds. */
    size_t first[40], again[40];
    for (int rep = 0; rep < 2; rep++) {
        ck_assert_status(mlc_kfold_new(4, 1, 7, &s), MLC_OK);
        ck_assert_status(mlc_splitter_split(s, 40, NULL), MLC_OK);
        int seen[40] = {0};
        size_t pos = 0;
        for (size_t i = 0; i < 4; i++) {
            size_t buf[40];
            ck_assert_status(mlc_splitter_get(s, i, NULL, NULL, buf, &nte), MLC_OK);
            ck_assert_uint_eq(nte, 10);
            for (size_t j = 0; j < nte; j++) {
                seen[buf[j]]++;
                (rep ? again : first)[pos++] = buf[j];
            }
        }
        for (int i = 0; i < 40; i++)
            ck_assert_int_eq(seen[i], 1);
        mlc_splitter_free(s);
    }
    ck_assert(memcmp(first, again, sizeof first) == 0);
    json_decref(fx);
}
END_TEST

START_TEST(test_shuffle_splits)
{
    json_t *fx = fx_load("model_selection_splits");
    size_t nc, c2;
    double *cases = fx_doubles(fx, "shuffle_cases", &nc, &c2);
    double *sizes = fx_doubles(fx, "shuffle_sizes", NULL, NULL);
    for (size_t c = 0; c < nc; c++) {
        mlc_splitter *s;
        size_t n = (size_t)cases[3 * c];
        double test = cases[3 * c + 1] < 0 ? NAN : cases[3 * c + 1];
        double train = cases[3 * c + 2] < 0 ? NAN : cases[3 * c + 2];
        ck_assert_status(mlc_shuffle_split_new(3, test, train, 5, &s), MLC_OK);
        ck_assert_status(mlc_splitter_split(s, n, NULL), MLC_OK);
        size_t ntr, nte, tr[32], te[32];
        ck_assert_status(mlc_splitter_get(s, 2, tr, &ntr, te, &nte), MLC_OK);
        ck_assert_msg(ntr == (size_t)sizes[2 * c] && nte == (size_t)sizes[2 * c + 1],
                      "case %zu: %zu/%zu, want %g/%g", c, ntr, nte, sizes[2 * c],
                      sizes[2 * c + 1]);
        for (size_t i = 0; i < ntr; i++) /* disjoint, sorted */
            for (size_t j = 0; j < nte; j++)
                ck_assert(tr[i] != te[j]);
        mlc_splitter_free(s);
    }
    /* Stratified shuffle: class counts by _approximate_mode. */
    size_t n;
    double *yb = fx_doubles(fx, "yb", &n, NULL);
    double *want = fx_doubles(fx, "sss_counts", NULL, NULL);
    mlc_splitter *s;
    ck_assert_status(mlc_stratified_shuffle_split_new(4, 0.3, 0.5, 11, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, n, yb), MLC_OK);
    const double cls[3] = {2, 5, 9};
    for (size_t sp = 0; sp < 4; sp++) {
        size_t tr[23], te[23], ntr, nte;
        ck_assert_status(mlc_splitter_get(s, sp, tr, &ntr, te, &nte), MLC_OK);
        for (int c = 0; c < 3; c++) {
            size_t a = 0, b = 0;
            for (size_t i = 0; i < ntr; i++)
                a += yb[tr[i]] == cls[c];
            for (size_t i = 0; i < nte; i++)
                b += yb[te[i]] == cls[c];
            ck_assert_uint_eq(a, (size_t)want[c]);
            ck_assert_uint_eq(b, (size_t)want[3 + c]);
        }
    }
    mlc_splitter_free(s);
    free(yb);
    free(want);
    free(cases);
    free(sizes);
    json_decref(fx);
}
END_TEST

START_TEST(test_splitter_errors)
{
    mlc_splitter *s = NULL;
    double y[6] = {0, 0, 1, 1, 2, 3}, frac[4] = {0, 0.5, 1, 1};
    ck_assert_status(mlc_kfold_new(1, 0, -1, &s), MLC_EINVAL);
    ck_assert(s == NULL);
    ck_assert_status(mlc_kfold_new(3, 0, 5, &s), MLC_EINVAL); /* seed without shuffle */
    ck_assert_status(mlc_kfold_new(3, 0, -1, NULL), MLC_EINVAL);
    ck_assert_status(mlc_kfold_new(7, 0, -1, &s), MLC_OK);
    ck_assert_status(mlc_splitter_get(s, 0, NULL, NULL, NULL, NULL), MLC_EINVAL); /* no split */
    ck_assert_status(mlc_splitter_split(s, 6, NULL), MLC_EINVAL); /* k > n */
    ck_assert_status(mlc_splitter_split(s, 0, NULL), MLC_EEMPTY);
    ck_assert_status(mlc_splitter_split(s, 8, NULL), MLC_OK);
    ck_assert_status(mlc_splitter_sizes(s, 7, NULL, NULL), MLC_ERANGE);
    mlc_splitter_free(s);
    ck_assert_status(mlc_stratified_kfold_new(3, 0, -1, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 6, NULL), MLC_EINVAL);   /* needs y */
    ck_assert_status(mlc_splitter_split(s, 6, y), MLC_EINVAL);      /* every class < 3 */
    ck_assert_status(mlc_splitter_split(s, 4, frac), MLC_EINVAL);   /* continuous y */
    mlc_splitter_free(s);
    ck_assert_status(mlc_leave_one_out_new(&s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 1, NULL), MLC_EINVAL);
    mlc_splitter_free(s);
    int64_t none[3] = {-1, -1, -1}, bad[2] = {0, -2};
    ck_assert_status(mlc_predefined_split_new(bad, 2, &s), MLC_EINVAL);
    ck_assert_status(mlc_predefined_split_new(none, 0, &s), MLC_EEMPTY);
    ck_assert_status(mlc_predefined_split_new(none, 3, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 3, NULL), MLC_EINVAL); /* no test fold */
    ck_assert_status(mlc_splitter_split(s, 4, NULL), MLC_EBADLEN);
    mlc_splitter_free(s);
    const size_t t0[1] = {0}, e0[1] = {1};
    const size_t *tr[1] = {t0}, *te[1] = {e0};
    const size_t zero[1] = {0}, one[1] = {1};
    ck_assert_status(mlc_explicit_split_new(1, tr, zero, te, one, &s), MLC_EINVAL);
    ck_assert_status(mlc_explicit_split_new(0, tr, one, te, one, &s), MLC_EINVAL);
    ck_assert_status(mlc_explicit_split_new(1, NULL, one, te, one, &s), MLC_EINVAL);
    /* Shuffle sizes as scikit-learn validates them. */
    const double bad_sizes[][2] = {{0.0, NAN}, {1.0 + 0.5, NAN}, {10, NAN}, {0.6, 0.6},
                                   {NAN, 10}, {8, 5}};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        ck_assert_status(mlc_shuffle_split_new(2, bad_sizes[i][0], bad_sizes[i][1], 0, &s),
                         MLC_OK);
        ck_assert_status(mlc_splitter_split(s, 10, NULL), MLC_EINVAL);
        mlc_splitter_free(s);
    }
    ck_assert_status(mlc_shuffle_split_new(0, 0.2, NAN, 0, &s), MLC_EINVAL);
    ck_assert_status(mlc_stratified_shuffle_split_new(2, 0.5, NAN, 0, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 6, y), MLC_EINVAL); /* classes 2, 3: one member */
    double y2[8] = {0, 0, 0, 0, 1, 1, 2, 2};
    ck_assert_status(mlc_splitter_split(s, 8, y2), MLC_OK);
    mlc_splitter_free(s);
    ck_assert_status(mlc_stratified_shuffle_split_new(2, 2, NAN, 0, &s), MLC_OK);
    ck_assert_status(mlc_splitter_split(s, 8, y2), MLC_EINVAL); /* test size < classes */
    mlc_splitter_free(s);
    ck_assert_status(mlc_splitter_split(NULL, 8, y2), MLC_EINVAL);
    mlc_splitter_free(NULL);
    ck_assert(mlc_splitter_name(NULL) == NULL);
}
END_TEST

/* ---------------------------------------------------------- ridge CV */

typedef struct ridge_fx {
    json_t *fx;
    mlc_matrix X;
    double *y;
    size_t n, k;
    size_t **train, **test, *ntr, *nte;
    mlc_splitter *cv;
} ridge_fx;

static ridge_fx ridge_load(void)
{
    ridge_fx r;
    r.fx = fx_load("model_selection_ridge");
    r.X = fx_matrix(r.fx, "X");
    r.y = fx_doubles(r.fx, "y", &r.n, NULL);
    size_t k2;
    r.train = fx_lists(r.fx, "train", &r.k, &r.ntr);
    r.test = fx_lists(r.fx, "test", &k2, &r.nte);
    ck_assert_status(mlc_explicit_split_new(r.k, (const size_t *const *)r.train, r.ntr,
                                            (const size_t *const *)r.test, r.nte, &r.cv),
                     MLC_OK);
    return r;
}

static void ridge_unload(ridge_fx *r)
{
    mlc_splitter_free(r->cv);
    free_lists(r->train, r->k, r->ntr);
    free_lists(r->test, r->k, r->nte);
    free(r->y);
    mlc_matrix_clear(&r->X);
    json_decref(r->fx);
}

static mlc_estimator *new_ridge(const char *alpha)
{
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("ridge", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "alpha", alpha), MLC_OK);
    return e;
}

static double g_worst = 0.0;

static void expect_vals(const double *got, json_t *fx, const char *key, size_t n, double tol)
{
    size_t r, c;
    double *want = fx_doubles(fx, key, &r, &c);
    ck_assert_msg(r * c == n, "%s: %zu values, expected %zu", key, r * c, n);
    double d = max_rel_diff(got, want, n, 1e-300);
    ck_assert_msg(d <= tol, "%s differs: max rel diff %.3g", key, d);
    g_worst = d > g_worst ? d : g_worst;
    free(want);
}

static const char *const REG_SCORERS[] = {
    "r2", "neg_mean_squared_error", "neg_root_mean_squared_error", "neg_mean_absolute_error",
    "neg_median_absolute_error", "neg_mean_absolute_percentage_error", "max_error",
    "explained_variance"};
#define N_REG 8

START_TEST(test_cross_validate_ridge)
{
    ridge_fx r = ridge_load();
    mlc_estimator *e = new_ridge("0.5");
    mlc_cv_options o = mlc_cv_options_default();
    o.cv = r.cv;
    o.scoring = REG_SCORERS;
    o.n_scoring = N_REG;
    o.return_train_score = 1;
    mlc_cv_results serial, par;
    o.n_threads = 1;
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, &serial), MLC_OK);
    ck_assert_uint_eq(serial.n_splits, 5);
    ck_assert_uint_eq(serial.n_scorers, N_REG);
    ck_assert_str_eq(serial.scorer_names[1], "neg_mean_squared_error");
    expect_vals(serial.test_scores, r.fx, "test_scores", N_REG * 5, 1e-9);
    expect_vals(serial.train_scores, r.fx, "train_scores", N_REG * 5, 1e-9);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(serial.fold_status[i], MLC_OK);
        ck_assert(serial.fit_time[i] >= 0 && serial.score_time[i] >= 0);
    }
    /* Folds in parallel: the same numbers, bit for bit. */
    o.n_threads = 3;
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, &par), MLC_OK);
    ck_assert(memcmp(serial.test_scores, par.test_scores, N_REG * 5 * sizeof(double)) == 0);
    ck_assert(memcmp(serial.train_scores, par.train_scores, N_REG * 5 * sizeof(double)) == 0);
    ck_assert(!mlc_estimator_is_fitted(e)); /* the prototype is never fitted */
    mlc_cv_results_clear(&serial);
    mlc_cv_results_clear(&par);
    mlc_cv_results_clear(NULL);

    /* Default: KFold(5) without shuffling, the estimator's own score (R^2). */
    mlc_estimator *d = new_ridge("1.0");
    ck_assert_status(mlc_cross_validate(d, &r.X, r.y, NULL, &serial), MLC_OK);
    ck_assert_str_eq(serial.scorer_names[0], "score");
    ck_assert(serial.train_scores == NULL);
    expect_vals(serial.test_scores, r.fx, "default_cv", 5, 1e-9);
    mlc_cv_results_clear(&serial);
    fprintf(stderr, "cross_validate (ridge, diabetes): max rel diff vs scikit-learn %.3g\n",
            g_worst);
    mlc_estimator_free(d);
    mlc_estimator_free(e);
    ridge_unload(&r);
}
END_TEST

/* K-fold Ridge runs through the descriptor's fit_partition (one pass of
 * moments for all folds); sample weights of one send it fold by fold. Both
 * must give the same scores (to rounding), for contiguous and shuffled
 * folds, without an intercept, with two targets and one alpha per target,
 * and when a fold has fewer rows than features (the kernel form: the
 * partition path declines). */
static void partition_vs_fold_by_fold(const mlc_matrix *X, const mlc_matrix *Y,
                                      const char *alpha, const char *intercept,
                                      mlc_splitter *cv, int expect_partition)
{
    mlc_estimator *e = new_ridge(alpha);
    ck_assert_status(mlc_estimator_set(e, "fit_intercept", intercept), MLC_OK);
    double *ones = malloc(X->rows * sizeof *ones);
    for (size_t i = 0; i < X->rows; i++)
        ones[i] = 1.0;
    mlc_cv_options o = mlc_cv_options_default();
    o.cv = cv;
    o.scoring = REG_SCORERS;
    o.n_scoring = 2;
    o.return_train_score = 1;
    o.n_threads = 1;
    mlc_fit_data plain = {X, Y, NULL}, weighted = {X, Y, ones};
    mlc_cv_results a, b;
    ck_assert_status(mlc_cross_validate_data(e, &plain, &o, &a), MLC_OK);
    ck_assert_status(mlc_cross_validate_data(e, &weighted, &o, &b), MLC_OK);
    size_t n = a.n_splits * a.n_scorers;
    double dt = max_rel_diff(a.test_scores, b.test_scores, n, 1e-300);
    double dtr = max_rel_diff(a.train_scores, b.train_scores, n, 1e-300);
    ck_assert_msg(dt <= 1e-11 && dtr <= 1e-11, "alpha %s intercept %s: test %.3g train %.3g",
                  alpha, intercept, dt, dtr);
    /* The shared fit is timed once and divided among the folds. */
    int shared = a.fit_time[0] == a.fit_time[1] && a.fit_time[1] == a.fit_time[2];
    ck_assert_msg(shared == expect_partition, "partition path %s", shared ? "taken" : "not taken");
    ck_assert(!(b.fit_time[0] == b.fit_time[1] && b.fit_time[1] == b.fit_time[2]));
    mlc_cv_results_clear(&a);
    mlc_cv_results_clear(&b);
    free(ones);
    mlc_estimator_free(e);
}

START_TEST(test_cross_validate_partition)
{
    mlc_dataset ds;
    ck_assert_status(mlc_load_bundled("diabetes", &ds), MLC_OK);
    mlc_matrix Y1 = mlc_matrix_wrap(ds.y, ds.X.rows, 1, 1);
    mlc_splitter *plain, *shuffled;
    ck_assert_status(mlc_kfold_new(5, 0, -1, &plain), MLC_OK);
    ck_assert_status(mlc_kfold_new(4, 1, 3, &shuffled), MLC_OK);
    partition_vs_fold_by_fold(&ds.X, &Y1, "0.5", "true", plain, 1);
    partition_vs_fold_by_fold(&ds.X, &Y1, "0.001", "true", shuffled, 1);
    partition_vs_fold_by_fold(&ds.X, &Y1, "2", "false", shuffled, 1);
    /* Two targets (y and 2 - y / 100), one alpha each. */
    mlc_matrix Y2;
    ck_assert_status(mlc_matrix_alloc(&Y2, ds.X.rows, 2), MLC_OK);
    for (size_t i = 0; i < ds.X.rows; i++) {
        MLC_AT(&Y2, i, 0) = ds.y[i];
        MLC_AT(&Y2, i, 1) = 2.0 - ds.y[i] / 100.0;
    }
    partition_vs_fold_by_fold(&ds.X, &Y2, "0.5,3", "true", plain, 1);
    /* 12 rows, 10 features, 4 folds: 9 training rows < 10 features. */
    mlc_matrix small = mlc_matrix_rows(&ds.X, 0, 12), ys = mlc_matrix_rows(&Y1, 0, 12);
    mlc_splitter *four;
    ck_assert_status(mlc_kfold_new(4, 0, -1, &four), MLC_OK);
    partition_vs_fold_by_fold(&small, &ys, "1", "true", four, 0);
    mlc_splitter_free(four);
    mlc_matrix_clear(&Y2);
    mlc_splitter_free(plain);
    mlc_splitter_free(shuffled);
    mlc_dataset_clear(&ds);
}
END_TEST

START_TEST(test_scorers)
{
    ridge_fx r = ridge_load();
    mlc_estimator *e = new_ridge("0.5");
    double v, got[N_REG];
    ck_assert_status(mlc_scorer_score("r2", e, &r.X, r.y, &v), MLC_ENOTFITTED);
    ck_assert_status(mlc_estimator_fit(e, &r.X, r.y), MLC_OK);
    for (size_t s = 0; s < N_REG; s++)
        ck_assert_status(mlc_scorer_score(REG_SCORERS[s], e, &r.X, r.y, &got[s]), MLC_OK);
    expect_vals(got, r.fx, "full_scores", N_REG, 1e-9);
    /* Threshold scorers of a regressor use its predictions. */
    double *yb = fx_doubles(r.fx, "yb", NULL, NULL);
    ck_assert_status(mlc_estimator_fit(e, &r.X, yb), MLC_OK);
    ck_assert_status(mlc_scorer_score("roc_auc", e, &r.X, yb, &v), MLC_OK);
    expect_vals(&v, r.fx, "roc_auc", 1, 1e-12);
    ck_assert_status(mlc_scorer_score("average_precision", e, &r.X, yb, &v), MLC_OK);
    expect_vals(&v, r.fx, "average_precision", 1, 1e-12);
    /* Label scorers reject continuous predictions; probability scorers need proba. */
    ck_assert_status(mlc_scorer_score("accuracy", e, &r.X, yb, &v), MLC_EUNSUPPORTED);
    ck_assert_status(mlc_scorer_score("neg_log_loss", e, &r.X, yb, &v), MLC_EUNSUPPORTED);
    ck_assert_status(mlc_scorer_score("roc_auc", e, &r.X, r.y, &v), MLC_EINVAL); /* not binary */
    ck_assert_status(mlc_scorer_score("r2", e, &r.X, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_scorer_score("r2", NULL, &r.X, r.y, &v), MLC_EINVAL);
    /* Names: the list, aliases, and an unknown name listing the valid ones. */
    ck_assert(mlc_scorer_count() >= 35);
    int have_alias = 0;
    for (size_t i = 0; i < mlc_scorer_count(); i++) {
        ck_assert_status(mlc_scorer_check(mlc_scorer_name(i)), MLC_OK);
        ck_assert(mlc_scorer_summary(i)[0] != '\0');
        have_alias |= strcmp(mlc_scorer_name(i), "adjusted_rand") == 0;
    }
    ck_assert(have_alias);
    ck_assert(mlc_scorer_name(mlc_scorer_count()) == NULL);
    ck_assert_status(mlc_scorer_score("r3", e, &r.X, r.y, &v), MLC_ENOTFOUND);
    ck_assert(strstr(mlc_last_error_message(), "neg_mean_squared_error") != NULL);
    ck_assert_status(mlc_scorer_check(NULL), MLC_ENOTFOUND);
    free(yb);
    mlc_estimator_free(e);
    ridge_unload(&r);
}
END_TEST

START_TEST(test_grid_search)
{
    ridge_fx r = ridge_load();
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("ridge", &e), MLC_OK);
    const char *alphas[5] = {"0.001", "0.01", "0.1", "1.0", "10.0"};
    const char *fi[2] = {"true", "false"};
    /* Given in unsorted order: the grid sorts the names as ParameterGrid does. */
    mlc_grid_param grid[2] = {{"fit_intercept", fi, 2}, {"alpha", alphas, 5}};
    const char *scoring[2] = {"r2", "neg_mean_squared_error"};
    mlc_grid_options o = mlc_grid_options_default();
    o.cv.cv = r.cv;
    o.cv.scoring = scoring;
    o.cv.n_scoring = 2;
    o.cv.return_train_score = 1;
    o.refit = "neg_mean_squared_error";
    mlc_fit_data d = {&r.X, NULL, NULL};
    mlc_matrix Y = mlc_matrix_wrap(r.y, r.n, 1, 1);
    d.Y = &Y;
    mlc_grid_results g;
    ck_assert_status(mlc_grid_search(e, grid, 2, &d, &o, &g), MLC_OK);
    ck_assert_uint_eq(g.n_candidates, 10);
    ck_assert_uint_eq(g.n_params, 2);
    ck_assert_str_eq(g.param_names[0], "alpha");
    json_t *params = json_object_get(r.fx, "grid_params");
    for (size_t c = 0; c < 10; c++) {
        json_t *p = json_array_get(params, c);
        ck_assert_str_eq(g.param_values[2 * c], json_string_value(json_array_get(p, 0)));
        ck_assert_str_eq(g.param_values[2 * c + 1], json_string_value(json_array_get(p, 1)));
    }
    for (size_t s = 0; s < 2; s++) {
        char key[64];
        snprintf(key, sizeof key, "grid_mean_%s", scoring[s]);
        expect_vals(g.mean_test_score + s * 10, r.fx, key, 10, 1e-9);
        snprintf(key, sizeof key, "grid_std_%s", scoring[s]);
        expect_vals(g.std_test_score + s * 10, r.fx, key, 10, 1e-6);
        snprintf(key, sizeof key, "grid_mean_train_%s", scoring[s]);
        expect_vals(g.mean_train_score + s * 10, r.fx, key, 10, 1e-9);
        snprintf(key, sizeof key, "grid_rank_%s", scoring[s]);
        size_t nr;
        int32_t *rank = fx_ints(r.fx, key, &nr);
        for (size_t c = 0; c < 10; c++)
            ck_assert_int_eq(g.rank_test_score[s * 10 + c], rank[c]);
        free(rank);
        double split0[10];
        for (size_t c = 0; c < 10; c++)
            split0[c] = g.split_test_scores[(s * 10 + c) * 5];
        snprintf(key, sizeof key, "grid_split0_%s", scoring[s]);
        expect_vals(split0, r.fx, key, 10, 1e-9);
    }
    ck_assert_uint_eq(g.refit_scorer, 1);
    ck_assert_uint_eq(g.best_index, (size_t)fx_number(r.fx, "grid_best_index"));
    ck_assert_double_eq_tol(g.best_score, fx_number(r.fx, "grid_best_score"),
                            1e-9 * fabs(g.best_score));
    ck_assert_str_eq(mlc_grid_best_param(&g, "alpha"),
                     json_string_value(json_object_get(r.fx, "grid_best_alpha")));
    ck_assert(mlc_grid_best_param(&g, "nope") == NULL);
    ck_assert(g.best_estimator && mlc_estimator_is_fitted(g.best_estimator));
    mlc_attribute coef;
    ck_assert_status(mlc_estimator_attribute(g.best_estimator, "coef_", &coef), MLC_OK);
    expect_vals(coef.data, r.fx, "grid_best_coef", 10, 1e-9);
    mlc_grid_results_clear(&g);

    /* Ties share the min rank and the first tied candidate is best. */
    const char *tie_alphas[4] = {"10.0", "0.1", "0.1", "10.0"};
    mlc_grid_param tie = {"alpha", tie_alphas, 4};
    mlc_grid_options t = mlc_grid_options_default();
    t.cv.cv = r.cv;
    t.refit_best = 0;
    t.cv.n_threads = 2;
    ck_assert_status(mlc_grid_search(e, &tie, 1, &d, &t, &g), MLC_OK);
    size_t nr;
    int32_t *rank = fx_ints(r.fx, "tie_rank", &nr);
    for (size_t c = 0; c < 4; c++)
        ck_assert_int_eq(g.rank_test_score[c], rank[c]);
    ck_assert_uint_eq(g.best_index, (size_t)fx_number(r.fx, "tie_best_index"));
    ck_assert(g.best_estimator == NULL);
    ck_assert(g.split_train_scores == NULL);
    free(rank);
    mlc_grid_results_clear(&g);
    mlc_grid_results_clear(NULL);
    fprintf(stderr, "grid search so far: max rel diff vs scikit-learn %.3g\n", g_worst);
    mlc_estimator_free(e);
    ridge_unload(&r);
}
END_TEST

/* --------------------------------------------------------- kmeans CV */

START_TEST(test_cross_validate_kmeans)
{
    json_t *fx = fx_load("model_selection_kmeans");
    mlc_matrix X = fx_matrix(fx, "X"), init = fx_matrix(fx, "init");
    size_t n, k, k2, *ntr, *nte;
    double *y = fx_doubles(fx, "y", &n, NULL);
    size_t **train = fx_lists(fx, "train", &k, &ntr), **test = fx_lists(fx, "test", &k2, &nte);
    mlc_splitter *cv;
    ck_assert_status(mlc_explicit_split_new(k, (const size_t *const *)train, ntr,
                                            (const size_t *const *)test, nte, &cv),
                     MLC_OK);
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("kmeans", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "n_clusters", "3"), MLC_OK);
    ck_assert_status(mlc_estimator_set_matrix(e, "init_centers", &init), MLC_OK);
    const char *scoring[4] = {"adjusted_rand_score", "v_measure_score",
                              "normalized_mutual_info_score", "silhouette"};
    mlc_cv_options o = mlc_cv_options_default();
    o.cv = cv;
    o.scoring = scoring;
    o.n_scoring = 4;
    mlc_cv_results r;
    ck_assert_status(mlc_cross_validate(e, &X, y, &o, &r), MLC_OK);
    expect_vals(r.test_scores, fx, "ari", 5, 1e-12);
    expect_vals(r.test_scores + 5, fx, "v", 5, 1e-12);
    expect_vals(r.test_scores + 10, fx, "nmi", 5, 1e-12);
    expect_vals(r.test_scores + 15, fx, "silhouette", 5, 1e-10);
    mlc_cv_results_clear(&r);
    /* Label scorers through the clusterer's predictions on all the data. */
    ck_assert_status(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    json_t *names = json_object_get(fx, "label_scorers");
    size_t ns = json_array_size(names);
    double *got = malloc(ns * sizeof *got);
    for (size_t i = 0; i < ns; i++)
        ck_assert_status(mlc_scorer_score(json_string_value(json_array_get(names, i)), e, &X, y,
                                          &got[i]),
                         MLC_OK);
    expect_vals(got, fx, "label_scores", ns, 1e-12);
    free(got);
    double v;
    ck_assert_status(mlc_scorer_score("f1", e, &X, y, &v), MLC_EINVAL); /* multiclass */
    ck_assert_status(mlc_scorer_score("silhouette", e, &X, NULL, &v), MLC_OK);
    ck_assert(v > 0.4 && v < 0.7);
    /* The geometry scorers of X and the predicted labels (davies_bouldin as
     * published, neg_davies_bouldin for ranking). */
    const char *geometry[4] = {"silhouette", "calinski_harabasz", "davies_bouldin",
                               "neg_davies_bouldin"};
    double geo[4];
    for (int i = 0; i < 4; i++)
        ck_assert_status(mlc_scorer_score(geometry[i], e, &X, NULL, &geo[i]), MLC_OK);
    expect_vals(geo, fx, "geometry_scores", 3, 1e-10);
    ck_assert(geo[3] == -geo[2]);
    /* The same scorers on given labels (a DBSCAN's labels_): the predictions. */
    double *pred = malloc(X.rows * sizeof *pred);
    ck_assert_status(mlc_estimator_predict(e, &X, pred), MLC_OK);
    for (int i = 0; i < 4; i++) {
        double g;
        ck_assert_status(mlc_scorer_score_labels(geometry[i], &X, NULL, pred, &g), MLC_OK);
        ck_assert(g == geo[i]);
    }
    double *by_labels = malloc(ns * sizeof *by_labels);
    for (size_t i = 0; i < ns; i++)
        ck_assert_status(mlc_scorer_score_labels(json_string_value(json_array_get(names, i)),
                                                 &X, y, pred, &by_labels[i]),
                         MLC_OK);
    expect_vals(by_labels, fx, "label_scores", ns, 1e-12);
    free(by_labels);
    ck_assert_status(mlc_scorer_score_labels("r2", &X, y, pred, &v), MLC_EUNSUPPORTED);
    ck_assert_status(mlc_scorer_score_labels("roc_auc_ovr", &X, y, pred, &v), MLC_EUNSUPPORTED);
    ck_assert_status(mlc_scorer_score_labels("accuracy", &X, NULL, pred, &v), MLC_EINVAL);
    ck_assert_status(mlc_scorer_score_labels("nope", &X, y, pred, &v), MLC_ENOTFOUND);
    mlc_matrix none = mlc_matrix_wrap(X.data, 0, X.cols, 0);
    ck_assert_status(mlc_scorer_score_labels("silhouette", &none, NULL, pred, &v), MLC_EEMPTY);
    free(pred);
    /* Grid search cannot rank by a lower-is-better score. */
    const char *db_only[1] = {"davies_bouldin"};
    const char *ks[2] = {"2", "3"};
    mlc_grid_param gp = {"n_clusters", ks, 2};
    mlc_grid_options go = mlc_grid_options_default();
    go.cv.cv = cv;
    go.cv.scoring = db_only;
    go.cv.n_scoring = 1;
    mlc_grid_results gr;
    memset(&gr, 0, sizeof gr);
    ck_assert_status(mlc_grid_search(e, &gp, 1, &(mlc_fit_data){&X, NULL, NULL}, &go, &gr),
                     MLC_EINVAL);
    mlc_grid_results_clear(&gr);
    /* StratifiedKFold(5) folds computed here from y, as scikit-learn's. */
    mlc_splitter *skf;
    ck_assert_status(mlc_stratified_kfold_new(5, 0, -1, &skf), MLC_OK);
    const char *ari[1] = {"adjusted_rand_score"};
    mlc_cv_options so = mlc_cv_options_default();
    so.cv = skf;
    so.scoring = ari;
    so.n_scoring = 1;
    ck_assert_status(mlc_cross_validate(e, &X, y, &so, &r), MLC_OK);
    expect_vals(r.test_scores, fx, "skf_ari", 5, 1e-12);
    mlc_cv_results_clear(&r);
    mlc_splitter_free(skf);
    /* The estimator's own score (-inertia), without y. */
    o.scoring = NULL;
    o.n_scoring = 0;
    ck_assert_status(mlc_cross_validate(e, &X, NULL, &o, &r), MLC_OK);
    expect_vals(r.test_scores, fx, "default_score", 5, 1e-10);
    mlc_cv_results_clear(&r);
    /* A fold that cannot be fitted scores NaN; error_score_raise stops. */
    const size_t tiny[2] = {0, 1}, rest[3] = {2, 3, 4}, big[5] = {0, 1, 2, 3, 4}, last[1] = {5};
    const size_t *trs[2] = {tiny, big}, *tes[2] = {rest, last};
    const size_t ntrs[2] = {2, 5}, ntes[2] = {3, 1};
    mlc_splitter *bad;
    ck_assert_status(mlc_explicit_split_new(2, trs, ntrs, tes, ntes, &bad), MLC_OK);
    o.cv = bad;
    ck_assert_status(mlc_cross_validate(e, &X, NULL, &o, &r), MLC_OK);
    ck_assert(isnan(r.test_scores[0]));
    ck_assert_int_ne(r.fold_status[0], MLC_OK);
    ck_assert(!isnan(r.test_scores[1]));
    ck_assert_int_eq(r.fold_status[1], MLC_OK);
    mlc_cv_results_clear(&r);
    o.error_score_raise = 1;
    ck_assert_status(mlc_cross_validate(e, &X, NULL, &o, &r), MLC_EINVAL);
    ck_assert(r.test_scores == NULL);
    o.error_score_raise = 0;
    ck_assert_status(mlc_estimator_set(e, "n_clusters", "8"), MLC_OK);
    ck_assert_status(mlc_estimator_set_matrix(e, "init_centers", NULL), MLC_OK);
    const size_t *trs2[1] = {tiny}, *tes2[1] = {rest};
    mlc_splitter *all_bad;
    ck_assert_status(mlc_explicit_split_new(1, trs2, ntrs, tes2, ntes, &all_bad), MLC_OK);
    o.cv = all_bad;
    ck_assert_status(mlc_cross_validate(e, &X, NULL, &o, &r), MLC_EINVAL); /* every fit failed */
    ck_assert(strstr(mlc_last_error_message(), "all 1 fits failed") != NULL);
    fprintf(stderr, "model selection so far: max rel diff vs scikit-learn %.3g\n", g_worst);
    mlc_splitter_free(all_bad);
    mlc_splitter_free(bad);
    mlc_splitter_free(cv);
    mlc_estimator_free(e);
    free_lists(train, k, ntr);
    free_lists(test, k2, nte);
    free(y);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&init);
    json_decref(fx);
}
END_TEST

START_TEST(test_cv_errors)
{
    ridge_fx r = ridge_load();
    mlc_estimator *e = new_ridge("1.0");
    mlc_cv_results res;
    mlc_cv_options o = mlc_cv_options_default();
    ck_assert_status(mlc_cross_validate(NULL, &r.X, r.y, &o, &res), MLC_EINVAL);
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, NULL), MLC_EINVAL);
    ck_assert_status(mlc_cross_validate(e, &r.X, NULL, &o, &res), MLC_EINVAL); /* needs y */
    ck_assert_status(mlc_cross_validate(e, NULL, r.y, &o, &res), MLC_EINVAL);
    const char *bad_name[1] = {"neg_mse"};
    o.scoring = bad_name;
    o.n_scoring = 1;
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, &res), MLC_ENOTFOUND);
    ck_assert(strstr(mlc_last_error_message(), "neg_mean_squared_error") != NULL);
    o.scoring = NULL;
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, &res), MLC_EINVAL);
    /* A scorer that cannot score the estimator is refused, not NaN. */
    const char *labels_scorer[1] = {"accuracy"};
    o.scoring = labels_scorer;
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, &res), MLC_EUNSUPPORTED);
    ck_assert(strstr(mlc_last_error_message(), "ridge is a regressor") != NULL);
    mlc_estimator *db = NULL;
    ck_assert_status(mlc_estimator_new("dbscan", &db), MLC_OK);
    ck_assert_status(mlc_cross_validate(db, &r.X, NULL, NULL, &res), MLC_EUNSUPPORTED);
    mlc_estimator_free(db);
    o = mlc_cv_options_default();
    o.n_threads = -2;
    ck_assert_status(mlc_cross_validate(e, &r.X, r.y, &o, &res), MLC_EINVAL);
    o = mlc_cv_options_default();
    mlc_matrix Y = mlc_matrix_wrap(r.y, r.n - 1, 1, 1);
    mlc_fit_data d = {&r.X, &Y, NULL};
    ck_assert_status(mlc_cross_validate_data(e, &d, &o, &res), MLC_EBADLEN);
    double *w = malloc(r.n * sizeof *w);
    for (size_t i = 0; i < r.n; i++)
        w[i] = -1.0;
    Y.rows = r.n;
    d.sample_weight = w;
    ck_assert_status(mlc_cross_validate_data(e, &d, &o, &res), MLC_EINVAL);
    /* Stratified folds need integral labels (diabetes targets are integers). */
    mlc_splitter *skf;
    ck_assert_status(mlc_stratified_kfold_new(3, 0, -1, &skf), MLC_OK);
    o.cv = skf;
    for (size_t i = 0; i < r.n; i++)
        w[i] = r.y[i] + 0.5;
    ck_assert_status(mlc_cross_validate(e, &r.X, w, &o, &res), MLC_EINVAL);
    mlc_splitter_free(skf);
    /* Grid search errors. */
    mlc_grid_results g;
    mlc_fit_data full = {&r.X, &Y, NULL};
    const char *vals[2] = {"0.1", "1"}, *bad_vals[1] = {"-3"};
    mlc_grid_param ok = {"alpha", vals, 2}, dup[2] = {{"alpha", vals, 2}, {"alpha", vals, 1}};
    mlc_grid_param unknown = {"gamma", vals, 2}, badv = {"alpha", bad_vals, 1};
    mlc_grid_param empty = {"alpha", vals, 0};
    ck_assert_status(mlc_grid_search(e, NULL, 0, &full, NULL, &g), MLC_EINVAL);
    ck_assert_status(mlc_grid_search(e, dup, 2, &full, NULL, &g), MLC_EINVAL);
    ck_assert_status(mlc_grid_search(e, &unknown, 1, &full, NULL, &g), MLC_ENOTFOUND);
    ck_assert_status(mlc_grid_search(e, &badv, 1, &full, NULL, &g), MLC_EINVAL);
    ck_assert_status(mlc_grid_search(e, &empty, 1, &full, NULL, &g), MLC_EINVAL);
    ck_assert_status(mlc_grid_search(e, &ok, 1, &full, NULL, NULL), MLC_EINVAL);
    mlc_grid_options go = mlc_grid_options_default();
    go.refit = "r2";
    ck_assert_status(mlc_grid_search(e, &ok, 1, &full, &go, &g), MLC_ENOTFOUND);
    ck_assert_status(mlc_grid_search(e, &ok, 1, NULL, NULL, &g), MLC_EINVAL);
    free(w);
    mlc_estimator_free(e);
    ridge_unload(&r);
}
END_TEST

Suite *mlc_model_selection_suite(void)
{
    Suite *s = suite_create("model_selection");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_kfold_stratified);
    tcase_add_test(core, test_other_splitters);
    tcase_add_test(core, test_shuffle_splits);
    tcase_add_test(core, test_cross_validate_ridge);
    tcase_add_test(core, test_cross_validate_partition);
    tcase_add_test(core, test_scorers);
    tcase_add_test(core, test_grid_search);
    tcase_add_test(core, test_cross_validate_kmeans);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_splitter_errors);
    tcase_add_test(errors, test_cv_errors);
    suite_add_tcase(s, errors);
    return s;
}
