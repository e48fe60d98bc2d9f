/* LinearRegression and Ridge against scikit-learn; input errors, edge cases,
 * thread-count independence and model files of every linear estimator. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include "internal/blas.h"
#include "linear_fixture.h"

static json_t *data;
static const char *const SETS[] = {"diabetes", "collinear", "wide",    "constant",
                                   "multi",    "weighted",  "unscaled"};

static void setup(void)
{
    data = fx_load("linear_data");
}

static void teardown(void)
{
    json_decref(data);
}

/* coef_, intercept_ and predictions of a fitted model against fixture `o`. */
static void expect_model(json_t *o, const lin_set *s, const double *coef, const double *icpt,
                         double *pred, const char *name, double tol)
{
    char what[128];
    snprintf(what, sizeof what, "%s coef_", name);
    lin_expect(coef, o, "coef", s->k * s->p, tol, 1e-6, what);
    snprintf(what, sizeof what, "%s intercept_", name);
    lin_expect(icpt, o, "intercept", s->k, tol, 1e-6, what);
    snprintf(what, sizeof what, "%s predictions", name);
    lin_expect(pred, o, "pred", s->n * s->k, tol, 1e-6, what);
}

/* ------------------------------------------------------ LinearRegression */

START_TEST(ols_matches)
{
    json_t *fx = fx_load("linear_ols");
    for (size_t i = 0; i < LIN_COUNT(SETS); i++) {
        lin_set s;
        lin_set_load(data, SETS[i], &s);
        json_t *o = json_object_get(fx, SETS[i]);
        mlc_linear_regression_params p = mlc_linear_regression_params_default();
        mlc_linear_regression *m = NULL;
        ck_assert_status(mlc_linear_regression_fit_multi(&p, &s.X, &s.Y, s.sw, &m), MLC_OK);
        double *pred = malloc(s.n * s.k * sizeof *pred);
        ck_assert_status(mlc_linear_regression_predict(m, &s.X, pred), MLC_OK);
        size_t nsv;
        const double *sv = mlc_linear_regression_singular(m, &nsv);
        char what[64];
        snprintf(what, sizeof what, "%s singular_", SETS[i]);
        if (strcmp(SETS[i], "wide") != 0) {
            expect_model(o, &s, mlc_linear_regression_coef(m),
                         mlc_linear_regression_intercept(m), pred, SETS[i], 1e-9);
            ck_assert_int_eq(mlc_linear_regression_rank(m), (long)lin_number(o, "rank"));
            /* Singular values carry absolute error ~ eps * s_max (gelsd too). */
            lin_expect(sv, o, "singular", nsv, 1e-9, 1.0, what);
        } else {
            /* p > n with an intercept, on this machine's default thread
             * count: only what rounding does not decide (ols_wide_matches
             * holds the rest, with the thread count fixed). */
            lin_expect(pred, o, "pred", s.n, 1e-9, 1e-6, "wide predictions");
            ck_assert_uint_eq(nsv, 30);
            double *want = fx_doubles(o, "singular", NULL, NULL);
            ck_assert_close_floor(sv, want, 29, 1e-9, want[0], what);
            ck_assert_double_lt(sv[29], 1e-12 * sv[0]);
            free(want);
        }
        free(pred);
        mlc_linear_regression_free(m);
        lin_set_clear(&s);
    }
    json_decref(fx);
}
END_TEST

START_TEST(ols_variants)
{
    json_t *fx = fx_load("linear_ols");
    const char *names[] = {"diabetes_nointercept", "diabetes_positive", "multi_positive"};
    const char *sets[] = {"diabetes", "diabetes", "multi"};
    for (int i = 0; i < 3; i++) {
        lin_set s;
        lin_set_load(data, sets[i], &s);
        mlc_linear_regression_params p = mlc_linear_regression_params_default();
        p.fit_intercept = i != 0;
        p.positive = i != 0;
        mlc_linear_regression *m = NULL;
        ck_assert_status(mlc_linear_regression_fit_multi(&p, &s.X, &s.Y, NULL, &m), MLC_OK);
        double *pred = malloc(s.n * s.k * sizeof *pred);
        ck_assert_status(mlc_linear_regression_predict(m, &s.X, pred), MLC_OK);
        /* nnls: scipy's Lawson-Hanson stops at its own tolerance. */
        expect_model(json_object_get(fx, names[i]), &s, mlc_linear_regression_coef(m),
                     mlc_linear_regression_intercept(m), pred, names[i], i ? 1e-8 : 1e-9);
        if (i)
            ck_assert_int_eq(mlc_linear_regression_rank(m), -1);
        free(pred);
        mlc_linear_regression_free(m);
        lin_set_clear(&s);
    }
    json_decref(fx);
}
END_TEST

/* p >= n (linear_wide.json): centred, X is rank-deficient only by rounding.
 * (Under valgrind, whose emulation rounds otherwise, as on another kernel.)
 * scikit-learn's gelsd answer along that direction is set by OpenBLAS's
 * kernel and thread count; the fixture says which, and on the same ones the
 * fit must be scikit-learn's (coefficients, intercept, rank_, singular_,
 * predictions on held-out rows) to 1e-8. On another kernel (a CPU that
 * OpenBLAS drives otherwise, or valgrind's) only what the rounding does not
 * decide is held: the fitted values, and every singular value above the
 * rounding level. Wherever scikit-learn's rank is below min(n, p), its
 * coefficients are the minimum-norm ones of the centred problem
 * (numpy.linalg.pinv), and so must ours be. */
static const char *const WIDE_VARIANTS[] = {"intercept", "nointercept", "weighted", "multi"};

static void wide_check(json_t *set, const char *variant, int same_kernel, int threads)
{
    json_t *o = json_object_get(set, variant);
    mlc_matrix X = fx_matrix(set, "X"), Xt = fx_matrix(set, "Xt");
    size_t n = X.rows, p = X.cols, r, c;
    double *Yall = fx_doubles(set, "Y", &r, &c);
    size_t k = strcmp(variant, "multi") == 0 ? c : 1;
    double *Y = malloc(n * k * sizeof *Y);
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < k; t++)
            Y[i * k + t] = Yall[i * c + t];
    double *sw = strcmp(variant, "weighted") == 0 ? fx_doubles(set, "sw", NULL, NULL) : NULL;
    mlc_matrix Ym = mlc_matrix_wrap(Y, n, k, 0);
    mlc_linear_regression_params prm = mlc_linear_regression_params_default();
    prm.fit_intercept = strcmp(variant, "nointercept") != 0;
    prm.n_threads = threads;
    mlc_linear_regression *m = NULL;
    ck_assert_status(mlc_linear_regression_fit_multi(&prm, &X, &Ym, sw, &m), MLC_OK);
    size_t nsv;
    const double *sv = mlc_linear_regression_singular(m, &nsv);
    const double *coef = mlc_linear_regression_coef(m);
    long want_rank = (long)lin_number(o, "rank");
    size_t m_min = n < p ? n : p;
    ck_assert_uint_eq(nsv, m_min);
    char what[96];
    snprintf(what, sizeof what, "%zux%zu %s singular_", n, p, variant);
    if (same_kernel) {
        double *pred = malloc(Xt.rows * k * sizeof *pred);
        ck_assert_status(mlc_linear_regression_predict(m, &Xt, pred), MLC_OK);
        ck_assert_int_eq(mlc_linear_regression_rank(m), want_rank);
        lin_expect(sv, o, "singular", nsv, 1e-8, 1.0, what);
        snprintf(what, sizeof what, "%zux%zu %s coef_", n, p, variant);
        lin_expect(coef, o, "coef", p * k, 1e-8, 1.0, what);
        snprintf(what, sizeof what, "%zux%zu %s intercept_", n, p, variant);
        lin_expect(mlc_linear_regression_intercept(m), o, "intercept", k, 1e-8, 1.0, what);
        snprintf(what, sizeof what, "%zux%zu %s held-out predictions", n, p, variant);
        lin_expect(pred, o, "pred", Xt.rows * k, 1e-8, 1.0, what);
        free(pred);
    } else {
        double *want = fx_doubles(o, "singular", NULL, NULL);
        size_t above = m_min;
        while (above > 0 && want[above - 1] < 1e-12 * want[0])
            above--;
        ck_assert_close_floor(sv, want, above, 1e-8, want[0], what);
        free(want);
        double *fit = malloc(n * k * sizeof *fit);
        ck_assert_status(mlc_linear_regression_predict(m, &X, fit), MLC_OK);
        if (want_rank == (long)n) /* full row rank: the training rows are fitted exactly */
            ck_assert_close_floor(fit, Y, n * k, 1e-8, lin_max_abs(Y, n * k), "fitted values");
        free(fit);
    }
    if (want_rank < (long)m_min && mlc_linear_regression_rank(m) < (long)m_min) {
        snprintf(what, sizeof what, "%zux%zu %s coef_ against pinv", n, p, variant);
        lin_expect(coef, o, "minnorm", p * k, 1e-8, 1.0, what);
    }
    mlc_linear_regression_free(m);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Xt);
    free(Yall);
    free(Y);
    free(sw);
}

START_TEST(ols_wide_matches)
{
    json_t *fx = fx_load("linear_wide");
    const char *arch = json_string_value(json_object_get(fx, "openblas_architecture"));
    const char *core = openblas_get_corename();
    /* Under valgrind the kernel's name is the same but the emulated vector
     * instructions round some of OpenBLAS's steps otherwise. */
    const char *preload = getenv("LD_PRELOAD");
    int valgrind = preload && strstr(preload, "vgpreload") != NULL;
    int same_kernel = arch && core && strcasecmp(arch, core) == 0 && !valgrind;
    if (!same_kernel)
        fprintf(stderr, "ols_wide_matches: OpenBLAS runs %s kernels here%s, the fixture %s: "
                        "only what rounding does not decide is compared\n",
                core ? core : "?", valgrind ? " under valgrind" : "", arch ? arch : "?");
    int threads = (int)lin_number(fx, "blas_threads");
    const char *name;
    json_t *set;
    size_t sets = 0;
    json_object_foreach(json_object_get(fx, "sets"), name, set) {
        for (size_t v = 0; v < LIN_COUNT(WIDE_VARIANTS); v++)
            wide_check(set, WIDE_VARIANTS[v], same_kernel, threads);
        sets++;
    }
    ck_assert_uint_ge(sets, 6);
    json_decref(fx);
}
END_TEST

/* ------------------------------------------------------------------ Ridge */

START_TEST(ridge_matches)
{
    json_t *fx = fx_load("linear_ridge");
    for (size_t i = 0; i < LIN_COUNT(SETS); i++) {
        lin_set s;
        lin_set_load(data, SETS[i], &s);
        mlc_ridge_params p = mlc_ridge_params_default();
        mlc_ridge *m = NULL;
        ck_assert_status(mlc_ridge_fit_multi(&p, &s.X, &s.Y, s.sw, &m), MLC_OK);
        double *pred = malloc(s.n * s.k * sizeof *pred);
        ck_assert_status(mlc_ridge_predict(m, &s.X, pred), MLC_OK);
        expect_model(json_object_get(fx, SETS[i]), &s, mlc_ridge_coef(m), mlc_ridge_intercept(m),
                     pred, SETS[i], 1e-9);
        free(pred);
        mlc_ridge_free(m);
        lin_set_clear(&s);
    }
    json_decref(fx);
}
END_TEST

START_TEST(ridge_variants)
{
    json_t *fx = fx_load("linear_ridge");
    static const double target_alphas[3] = {0.1, 10.0, 1000.0};
    struct {
        const char *name, *set;
        double alpha;
        int fit_intercept, solver, per_target, weights;
    } cases[] = {
        {"multi_alphas", "multi", 1.0, 1, MLC_RIDGE_AUTO, 1, 0},
        {"diabetes_nointercept", "diabetes", 0.5, 0, MLC_RIDGE_AUTO, 0, 0},
        {"diabetes_svd", "diabetes", 0.3, 1, MLC_RIDGE_SVD, 0, 0},
        {"wide_weighted", "wide", 2.0, 1, MLC_RIDGE_CHOLESKY, 0, 1},
    };
    for (size_t i = 0; i < LIN_COUNT(cases); i++) {
        lin_set s;
        lin_set_load(data, cases[i].set, &s);
        double *sw = NULL;
        if (cases[i].weights) {
            sw = malloc(s.n * sizeof *sw);
            for (size_t r = 0; r < s.n; r++) /* numpy.linspace(0.5, 2.0, n) */
                sw[r] = 0.5 + (double)r * (1.5 / (double)(s.n - 1));
        }
        mlc_ridge_params p = mlc_ridge_params_default();
        p.alpha = cases[i].alpha;
        p.fit_intercept = cases[i].fit_intercept;
        p.solver = cases[i].solver;
        if (cases[i].per_target) {
            p.target_alphas = target_alphas;
            p.n_target_alphas = 3;
        }
        mlc_ridge *m = NULL;
        ck_assert_status(mlc_ridge_fit_multi(&p, &s.X, &s.Y, sw, &m), MLC_OK);
        double *pred = malloc(s.n * s.k * sizeof *pred);
        ck_assert_status(mlc_ridge_predict(m, &s.X, pred), MLC_OK);
        expect_model(json_object_get(fx, cases[i].name), &s, mlc_ridge_coef(m),
                     mlc_ridge_intercept(m), pred, cases[i].name, 1e-9);
        free(pred);
        free(sw);
        mlc_ridge_free(m);
        lin_set_clear(&s);
    }
    json_decref(fx);
}
END_TEST

/* alpha = 0 on a duplicated column: X'X is singular. scikit-learn's Cholesky
 * happens not to fail and returns one of infinitely many splits between the
 * two copies; ours falls back to the SVD, the minimum-norm split. The fitted
 * values, the other coefficients and the sum over the pair agree. */
START_TEST(ridge_singular_alpha0)
{
    json_t *fx = fx_load("linear_ridge"), *ols = fx_load("linear_ols");
    json_t *o = json_object_get(fx, "collinear_alpha0");
    lin_set s;
    lin_set_load(data, "collinear", &s);
    mlc_ridge_params p = mlc_ridge_params_default();
    p.alpha = 0.0;
    mlc_ridge *m = NULL;
    ck_assert_status(mlc_ridge_fit(&p, &s.X, s.y, &m), MLC_OK);
    double *pred = malloc(s.n * sizeof *pred);
    ck_assert_status(mlc_ridge_predict(m, &s.X, pred), MLC_OK);
    lin_expect(pred, o, "pred", s.n, 1e-9, 1e-6, "collinear alpha=0 predictions");
    double *want = fx_doubles(o, "coef", NULL, NULL);
    const double *w = mlc_ridge_coef(m);
    for (size_t j = 0; j < s.p; j++)
        if (j != 2 && j != 6)
            ck_assert_double_eq_tol(w[j], want[j], 1e-9 * (1.0 + fabs(want[j])));
    ck_assert_double_eq_tol(w[2] + w[6], want[2] + want[6], 1e-9);
    lin_expect(w, json_object_get(ols, "collinear"), "coef", s.p, 1e-9, 1e-6,
               "collinear alpha=0 = minimum-norm OLS");
    free(want);
    free(pred);
    mlc_ridge_free(m);
    lin_set_clear(&s);
    json_decref(fx);
    json_decref(ols);
}
END_TEST

/* Ridge's closed form: (X~'X~ + alpha I) w = X~'y~ holds for the fitted w. */
START_TEST(ridge_normal_equations)
{
    lin_set s;
    lin_set_load(data, "constant", &s);
    mlc_ridge_params p = mlc_ridge_params_default();
    p.alpha = 3.0;
    mlc_ridge *m = NULL;
    ck_assert_status(mlc_ridge_fit_multi(&p, &s.X, &s.Y, NULL, &m), MLC_OK);
    const double *w = mlc_ridge_coef(m);
    double mu[16] = {0}, ybar = 0.0;
    for (size_t i = 0; i < s.n; i++) {
        for (size_t j = 0; j < s.p; j++)
            mu[j] += MLC_AT(&s.X, i, j) / (double)s.n;
        ybar += s.y[i] / (double)s.n;
    }
    for (size_t j = 0; j < s.p; j++) {
        double lhs = p.alpha * w[j], rhs = 0.0;
        for (size_t i = 0; i < s.n; i++) {
            double r = s.y[i] - ybar;
            for (size_t c = 0; c < s.p; c++)
                r -= (MLC_AT(&s.X, i, c) - mu[c]) * w[c];
            rhs += (MLC_AT(&s.X, i, j) - mu[j]) * r;
        }
        ck_assert_msg(fabs(lhs - rhs) <= 1e-9 * (1.0 + fabs(lhs)), "feature %zu: %g vs %g", j,
                      lhs, rhs);
    }
    mlc_ridge_free(m);
    lin_set_clear(&s);
}
END_TEST

/* ------------------------------------------------------------------ edge */

START_TEST(edge_single_row_and_column)
{
    double x1[3] = {1.0, 2.0, 3.0}, y1 = 5.0, out;
    mlc_matrix X1 = mlc_matrix_wrap(x1, 1, 3, 0);
    mlc_linear_regression_params lp = mlc_linear_regression_params_default();
    mlc_linear_regression *lr = NULL;
    ck_assert_status(mlc_linear_regression_fit(&lp, &X1, &y1, &lr), MLC_OK);
    ck_assert_status(mlc_linear_regression_predict(lr, &X1, &out), MLC_OK);
    ck_assert_double_eq_tol(out, 5.0, 1e-12); /* centred X is 0: coef 0, intercept y */
    ck_assert_int_eq(mlc_linear_regression_rank(lr), 0);
    mlc_linear_regression_free(lr);
    mlc_lasso_params sp = mlc_lasso_params_default();
    sp.max_iter = 5;
    mlc_lasso *la = NULL;
    ck_assert_status(mlc_lasso_fit(&sp, &X1, &y1, &la), MLC_OK);
    ck_assert_double_eq(mlc_lasso_coef(la)[0], 0.0);
    ck_assert_double_eq_tol(mlc_lasso_intercept(la)[0], 5.0, 1e-12);
    mlc_lasso_free(la);

    /* d = 1: the slope of a line. */
    double xs[5] = {0, 1, 2, 3, 4}, ys[5] = {1, 3, 5, 7, 9};
    mlc_matrix X = mlc_matrix_wrap(xs, 5, 1, 0);
    ck_assert_status(mlc_linear_regression_fit(&lp, &X, ys, &lr), MLC_OK);
    ck_assert_double_eq_tol(mlc_linear_regression_coef(lr)[0], 2.0, 1e-12);
    ck_assert_double_eq_tol(mlc_linear_regression_intercept(lr)[0], 1.0, 1e-12);
    mlc_linear_regression_free(lr);
    mlc_ridge_params rp = mlc_ridge_params_default();
    mlc_ridge *r = NULL;
    ck_assert_status(mlc_ridge_fit(&rp, &X, ys, &r), MLC_OK);
    /* sum (x - 2)^2 = 10: w = 20 / (10 + 1) */
    ck_assert_double_eq_tol(mlc_ridge_coef(r)[0], 20.0 / 11.0, 1e-12);
    mlc_ridge_free(r);
}
END_TEST

START_TEST(edge_constant_target_and_duplicates)
{
    /* Constant y: every model is flat; Lasso's gap target is 0, so it runs to
     * max_iter without converging, as scikit-learn does. */
    double xs[12] = {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, ys[6] = {2, 2, 2, 2, 2, 2};
    mlc_matrix X = mlc_matrix_wrap(xs, 6, 2, 0);
    mlc_lasso_params sp = mlc_lasso_params_default();
    sp.max_iter = 50;
    mlc_lasso *la = NULL;
    ck_assert_status(mlc_lasso_fit(&sp, &X, ys, &la), MLC_OK);
    ck_assert_double_eq(mlc_lasso_coef(la)[0], 0.0);
    ck_assert_double_eq(mlc_lasso_coef(la)[1], 0.0);
    ck_assert_int_eq(mlc_lasso_n_iter(la)[0], 50);
    ck_assert_int_eq(mlc_lasso_converged(la)[0], 0);
    mlc_lasso_free(la);
    /* Duplicated rows: OLS through the Gram path, weights of 2 = repeats. */
    double xd[8] = {0, 1, 1, 3, 0, 1, 2, 2}, yd[4] = {1, 2, 1, 4};
    mlc_matrix Xd = mlc_matrix_wrap(xd, 4, 2, 0);
    double xr[16] = {0, 1, 1, 3, 0, 1, 2, 2, 0, 1, 1, 3, 0, 1, 2, 2};
    double yr[8] = {1, 2, 1, 4, 1, 2, 1, 4}, w2[4] = {2, 2, 2, 2};
    mlc_matrix Xr = mlc_matrix_wrap(xr, 8, 2, 0);
    mlc_ridge_params rp = mlc_ridge_params_default();
    mlc_ridge *a = NULL, *b = NULL;
    ck_assert_status(mlc_ridge_fit_weighted(&rp, &Xd, yd, w2, &a), MLC_OK);
    ck_assert_status(mlc_ridge_fit(&rp, &Xr, yr, &b), MLC_OK);
    ck_assert_close(mlc_ridge_coef(a), mlc_ridge_coef(b), 2, 1e-12, "weights as repeats");
    mlc_ridge_free(a);
    mlc_ridge_free(b);
}
END_TEST

/* Row-block chunks run in parallel (few features), or one chunk with
 * threaded BLAS (many features): results must not depend on threads. */
static void same_with_threads(size_t n, size_t p)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, n, p), MLC_OK);
    double *y = malloc(n * sizeof *y);
    mlc_rng *rng = NULL;
    ck_assert_int_eq(mlc_rng_new(7, &rng), MLC_OK);
    for (size_t i = 0; i < n; i++) {
        y[i] = 3.0;
        for (size_t j = 0; j < p; j++) {
            double v = mlc_rng_normal(rng) + (double)j;
            MLC_AT(&X, i, j) = v;
            y[i] += (j % 4 == 0 ? 1.0 : 0.0) * v;
        }
        y[i] += mlc_rng_normal(rng);
    }
    mlc_rng_free(rng);
    double *c1 = malloc(3 * p * sizeof *c1), *c2 = malloc(3 * p * sizeof *c2);
    for (int t = 1; t <= 2; t++) {
        double *c = t == 1 ? c1 : c2;
        mlc_linear_regression_params lp = mlc_linear_regression_params_default();
        mlc_ridge_params rp = mlc_ridge_params_default();
        mlc_lasso_params sp = mlc_lasso_params_default();
        lp.n_threads = rp.n_threads = sp.n_threads = t;
        sp.alpha = 0.05;
        mlc_linear_regression *lr = NULL;
        mlc_ridge *r = NULL;
        mlc_lasso *la = NULL;
        ck_assert_status(mlc_linear_regression_fit(&lp, &X, y, &lr), MLC_OK);
        ck_assert_status(mlc_ridge_fit(&rp, &X, y, &r), MLC_OK);
        ck_assert_status(mlc_lasso_fit(&sp, &X, y, &la), MLC_OK);
        memcpy(c, mlc_linear_regression_coef(lr), p * sizeof *c);
        memcpy(c + p, mlc_ridge_coef(r), p * sizeof *c);
        memcpy(c + 2 * p, mlc_lasso_coef(la), p * sizeof *c);
        mlc_linear_regression_free(lr);
        mlc_ridge_free(r);
        mlc_lasso_free(la);
    }
    static const char *const names[3] = {"linear_regression", "ridge", "lasso"};
    for (int e = 0; e < 3; e++)
        ck_assert_msg(memcmp(c1 + e * p, c2 + e * p, p * sizeof *c1) == 0,
                      "%zu x %zu: %s coefficients differ between 1 and 2 threads", n, p,
                      names[e]);
    free(c1);
    free(c2);
    free(y);
    mlc_matrix_clear(&X);
}

START_TEST(threads_do_not_change_results)
{
    same_with_threads(20000, 40);
    same_with_threads(2000, 400);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(errors_bad_input)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    mlc_linear_regression_params lp = mlc_linear_regression_params_default();
    mlc_ridge_params rp = mlc_ridge_params_default();
    mlc_lasso_params sp = mlc_lasso_params_default();
    mlc_elastic_net_params ep = mlc_elastic_net_params_default();
    mlc_linear_regression *lr = NULL;
    mlc_ridge *r = NULL;
    mlc_lasso *la = NULL;
    mlc_elastic_net *en = NULL;

    /* NaN / Inf in X or y */
    double saved = MLC_AT(&s.X, 5, 3);
    MLC_AT(&s.X, 5, 3) = NAN;
    ck_assert_status(mlc_linear_regression_fit(&lp, &s.X, s.y, &lr), MLC_ENONFINITE);
    ck_assert_status(mlc_lasso_fit(&sp, &s.X, s.y, &la), MLC_ENONFINITE);
    MLC_AT(&s.X, 5, 3) = saved;
    s.y[7] = INFINITY;
    ck_assert_status(mlc_ridge_fit(&rp, &s.X, s.y, &r), MLC_ENONFINITE);
    ck_assert_status(mlc_elastic_net_fit(&ep, &s.X, s.y, &en), MLC_ENONFINITE);
    s.y[7] = 100.0;
    ck_assert_ptr_null(lr);
    ck_assert_ptr_null(r);

    /* zero rows, y of the wrong length, negative weights */
    mlc_matrix X0 = mlc_matrix_rows(&s.X, 0, 0);
    ck_assert_status(mlc_ridge_fit(&rp, &X0, s.y, &r), MLC_EEMPTY);
    mlc_matrix Yshort = mlc_matrix_wrap(s.y, s.n - 1, 1, 0);
    ck_assert_status(mlc_lasso_fit_multi(&sp, &s.X, &Yshort, NULL, &la), MLC_EBADLEN);
    ck_assert_status(mlc_linear_regression_fit_multi(&lp, &s.X, &Yshort, NULL, &lr), MLC_EBADLEN);
    ck_assert_status(mlc_ridge_fit(&rp, &s.X, NULL, &r), MLC_EINVAL);
    double *sw = malloc(s.n * sizeof *sw);
    for (size_t i = 0; i < s.n; i++)
        sw[i] = i == 3 ? -1.0 : 1.0;
    ck_assert_status(mlc_ridge_fit_weighted(&rp, &s.X, s.y, sw, &r), MLC_EINVAL);
    free(sw);

    /* bad parameters */
    rp.alpha = -1.0;
    ck_assert_status(mlc_ridge_fit(&rp, &s.X, s.y, &r), MLC_EINVAL);
    rp = mlc_ridge_params_default();
    static const double two[2] = {1.0, 2.0};
    rp.target_alphas = two;
    rp.n_target_alphas = 2;
    ck_assert_status(mlc_ridge_fit(&rp, &s.X, s.y, &r), MLC_EBADLEN);
    sp.alpha = -0.5;
    ck_assert_status(mlc_lasso_fit(&sp, &s.X, s.y, &la), MLC_EINVAL);
    sp = mlc_lasso_params_default();
    sp.max_iter = 0;
    ck_assert_status(mlc_lasso_fit(&sp, &s.X, s.y, &la), MLC_EINVAL);
    sp = mlc_lasso_params_default();
    sp.tol = -1e-3;
    ck_assert_status(mlc_lasso_fit(&sp, &s.X, s.y, &la), MLC_EINVAL);
    ep.l1_ratio = 1.5;
    ck_assert_status(mlc_elastic_net_fit(&ep, &s.X, s.y, &en), MLC_EINVAL);
    ep.l1_ratio = -0.1;
    ck_assert_status(mlc_elastic_net_fit(&ep, &s.X, s.y, &en), MLC_EINVAL);
    ep = mlc_elastic_net_params_default();
    ep.selection = 7;
    ck_assert_status(mlc_elastic_net_fit(&ep, &s.X, s.y, &en), MLC_EINVAL);
    ck_assert_status(mlc_elastic_net_fit(NULL, &s.X, s.y, &en), MLC_EINVAL);
    ck_assert_status(mlc_elastic_net_fit(&ep, &s.X, s.y, NULL), MLC_EINVAL);

    /* predict with the wrong number of columns */
    ck_assert_status(mlc_linear_regression_fit(&lp, &s.X, s.y, &lr), MLC_OK);
    mlc_matrix Xnarrow = mlc_matrix_submatrix(&s.X, 0, 0, 10, 9);
    double out[10];
    ck_assert_status(mlc_linear_regression_predict(lr, &Xnarrow, out), MLC_EBADLEN);
    ck_assert_status(mlc_linear_regression_predict(lr, &s.X, NULL), MLC_EINVAL);
    mlc_linear_regression_free(lr);
    ck_assert_status(mlc_lasso_predict(NULL, &s.X, out), MLC_EINVAL);
    lin_set_clear(&s);
}
END_TEST

START_TEST(errors_registry)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("ridge", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "alpha", "-1"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "solver", "lsqr"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "alpha", "1,2"), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &s.X, s.y), MLC_EBADLEN); /* 2 alphas, 1 target */
    ck_assert_status(mlc_estimator_set(e, "alpha", "0.5"), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &s.X, s.y), MLC_OK);
    double out[442];
    mlc_matrix Xnarrow = mlc_matrix_submatrix(&s.X, 0, 0, 442, 9);
    ck_assert_status(mlc_estimator_predict(e, &Xnarrow, out), MLC_EBADLEN);
    /* A ridge model file loaded as a lasso. */
    char path[] = "/tmp/mlc_linear_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_status(mlc_estimator_save(e, path), MLC_OK);
    mlc_estimator *l = NULL;
    ck_assert_status(mlc_estimator_load_as(path, "lasso", &l), MLC_EFORMAT);
    ck_assert_ptr_null(l);
    unlink(path);
    mlc_estimator_free(e);

    ck_assert_status(mlc_estimator_new("elastic_net", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "l1_ratio", "1.5"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "max_iter", "0"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "selection", "shuffle"), MLC_EINVAL);
    mlc_estimator_free(e);
    ck_assert_status(mlc_estimator_new("lasso_cv", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "cv", "1"), MLC_EINVAL);
    mlc_fit_data fd2 = {&s.X, NULL, NULL};
    double y2[884];
    for (size_t i = 0; i < 442; i++)
        y2[2 * i] = y2[2 * i + 1] = s.y[i];
    mlc_matrix Y2 = mlc_matrix_wrap(y2, 442, 2, 0);
    fd2.Y = &Y2;
    ck_assert_status(mlc_estimator_fit_data(e, &fd2), MLC_EINVAL); /* one target only */
    mlc_estimator_free(e);
    lin_set_clear(&s);
}
END_TEST

/* --------------------------------------------------------- model files */

/* Save and load through the registry: same attributes, bit-identical
 * predictions. */
static void roundtrip(const char *name, const char *set, const char *param, const char *value)
{
    lin_set s;
    lin_set_load(data, set, &s);
    mlc_estimator *e = NULL, *back = NULL;
    ck_assert_status(mlc_estimator_new(name, &e), MLC_OK);
    if (param)
        ck_assert_status(mlc_estimator_set(e, param, value), MLC_OK);
    mlc_fit_data fd = {&s.X, &s.Y, s.sw};
    ck_assert_status(mlc_estimator_fit_data(e, &fd), MLC_OK);
    char path[] = "/tmp/mlc_linear_XXXXXX";
    int fdesc = mkstemp(path);
    ck_assert_int_ge(fdesc, 0);
    close(fdesc);
    ck_assert_status(mlc_estimator_save(e, path), MLC_OK);
    ck_assert_status(mlc_estimator_load_as(path, name, &back), MLC_OK);
    unlink(path);
    mlc_matrix a, b;
    ck_assert_int_eq(mlc_matrix_alloc(&a, s.n, s.k), MLC_OK);
    ck_assert_int_eq(mlc_matrix_alloc(&b, s.n, s.k), MLC_OK);
    ck_assert_status(mlc_estimator_output(e, MLC_OUT_PREDICT, &s.X, &a), MLC_OK);
    ck_assert_status(mlc_estimator_output(back, MLC_OUT_PREDICT, &s.X, &b), MLC_OK);
    ck_assert_msg(memcmp(a.data, b.data, s.n * s.k * sizeof(double)) == 0,
                  "%s: predictions changed through the model file", name);
    size_t na = mlc_estimator_attributes(e, NULL, 0);
    ck_assert_uint_eq(na, mlc_estimator_attributes(back, NULL, 0));
    mlc_attribute *att = malloc(na * sizeof *att);
    mlc_estimator_attributes(e, att, na);
    for (size_t i = 0; i < na; i++) {
        mlc_attribute other;
        ck_assert_status(mlc_estimator_attribute(back, att[i].name, &other), MLC_OK);
        ck_assert_int_eq(other.ndim, att[i].ndim);
        size_t cnt = mlc_attribute_size(&att[i]);
        ck_assert_uint_eq(cnt, mlc_attribute_size(&other));
        for (size_t j = 0; j < cnt; j++)
            ck_assert_msg(mlc_attribute_value(&att[i], j) == mlc_attribute_value(&other, j),
                          "%s: attribute %s changed", name, att[i].name);
    }
    double score;
    ck_assert_status(mlc_estimator_score(back, &s.X, s.y, &score), MLC_OK);
    ck_assert_msg(score > 0.0 && score <= 1.0, "%s: R^2 %g", name, score);
    free(att);
    mlc_matrix_clear(&a);
    mlc_matrix_clear(&b);
    mlc_estimator_free(e);
    mlc_estimator_free(back);
    lin_set_clear(&s);
}

START_TEST(model_files_roundtrip)
{
    roundtrip("linear_regression", "multi", NULL, NULL);
    roundtrip("linear_regression", "diabetes", "positive", "true");
    roundtrip("ridge", "multi", "alpha", "0.1,2,30");
    roundtrip("ridge_cv", "multi", "store_cv_values", "true");
    roundtrip("ridge_cv", "multi", "alpha_per_target", "true");
    roundtrip("lasso", "weighted", "alpha", "0.05");
    roundtrip("elastic_net", "multi", "alpha", "0.1");
    roundtrip("lasso_cv", "diabetes", "n_alphas", "20");
    roundtrip("elastic_net_cv", "diabetes", "l1_ratio", "0.3,0.9");
    roundtrip("elastic_net_cv", "constant", "alphas", "0.5,0.05");
}
END_TEST

Suite *mlc_linear_suite(void)
{
    Suite *s = suite_create("linear");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, ols_matches);
    tcase_add_test(core, ols_variants);
    tcase_add_test(core, ols_wide_matches);
    tcase_add_test(core, ridge_matches);
    tcase_add_test(core, ridge_variants);
    tcase_add_test(core, ridge_singular_alpha0);
    tcase_add_test(core, ridge_normal_equations);
    tcase_add_test(core, model_files_roundtrip);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, errors_bad_input);
    tcase_add_test(errors, errors_registry);
    suite_add_tcase(s, errors);
    TCase *edge = tcase_create("edge");
    tcase_add_checked_fixture(edge, setup, teardown);
    tcase_add_test(edge, edge_single_row_and_column);
    tcase_add_test(edge, edge_constant_target_and_duplicates);
    tcase_add_test(edge, threads_do_not_change_results);
    suite_add_tcase(s, edge);
    return s;
}
