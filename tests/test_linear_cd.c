/* Lasso, ElasticNet and their paths (coordinate descent) against
 * scikit-learn: the same non-zero set, coef_ within 1e-6 * max|coef_|, the
 * duality gap below tol * ||y - mean(y)||^2 / n, for the Gram (covariance)
 * form and the column form alike. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/hot.h"
#include "linear/linear_cd.h"
#include "linear/linear_enet.h"
#include "linear_fixture.h"

static json_t *data, *fx;

static void setup(void)
{
    data = fx_load("linear_data");
    fx = fx_load("linear_enet");
}

static void teardown(void)
{
    json_decref(data);
    json_decref(fx);
}

/* tol * ||y~_t||^2 / n per target: the gap scikit-learn stops below
 * (weights rescaled to sum to n; y centred only with an intercept). */
static void gap_bounds(const lin_set *s, double tol, int center, double *out)
{
    double wsum = 0.0;
    for (size_t i = 0; i < s->n; i++)
        wsum += s->sw ? s->sw[i] : 1.0;
    for (size_t t = 0; t < s->k; t++) {
        double mean = 0.0, ss = 0.0;
        for (size_t i = 0; i < s->n && center; i++)
            mean += (s->sw ? s->sw[i] : 1.0) * s->y[i * s->k + t] / wsum;
        for (size_t i = 0; i < s->n; i++) {
            double w = s->sw ? s->sw[i] * (double)s->n / wsum : 1.0;
            double r = s->y[i * s->k + t] - mean;
            ss += w * r * r;
        }
        out[t] = tol * ss / (double)s->n;
    }
}

typedef struct enet_case {
    const char *name, *set;
    double alpha, l1_ratio, tol;
    long max_iter;
    int fit_intercept, positive;
} enet_case;

/* Fit one case with the given precompute and compare it with the fixture. */
static void check_case(const enet_case *c, int precompute, int expect_converged)
{
    lin_set s;
    lin_set_load(data, c->set, &s);
    json_t *o = json_object_get(fx, c->name);
    ck_assert_msg(o != NULL, "no fixture %s", c->name);
    mlc_elastic_net_params p = mlc_elastic_net_params_default();
    p.alpha = c->alpha;
    p.l1_ratio = c->l1_ratio;
    p.tol = c->tol;
    p.max_iter = c->max_iter;
    p.fit_intercept = c->fit_intercept;
    p.positive = c->positive;
    p.precompute = precompute;
    mlc_elastic_net *m = NULL;
    ck_assert_status(mlc_elastic_net_fit_multi(&p, &s.X, &s.Y, s.sw, &m), MLC_OK);
    size_t kp = s.k * s.p;
    const double *w = mlc_elastic_net_coef(m);
    double *want = fx_doubles(o, "coef", NULL, NULL);
    for (size_t j = 0; j < kp; j++)
        ck_assert_msg((w[j] != 0.0) == (want[j] != 0.0),
                      "%s: coefficient %zu is %g here, %g in scikit-learn", c->name, j, w[j],
                      want[j]);
    free(want);
    char what[128];
    snprintf(what, sizeof what, "%s/%s coef_", c->name,
             precompute == MLC_PRECOMPUTE_FALSE ? "cols" : "gram");
    lin_expect(w, o, "coef", kp, 1e-6, 1.0, what);
    snprintf(what, sizeof what, "%s intercept_", c->name);
    lin_expect(mlc_elastic_net_intercept(m), o, "intercept", s.k, 1e-6, 1.0, what);
    double *pred = malloc(s.n * s.k * sizeof *pred);
    ck_assert_status(mlc_elastic_net_predict(m, &s.X, pred), MLC_OK);
    snprintf(what, sizeof what, "%s predictions", c->name);
    lin_expect(pred, o, "pred", s.n * s.k, 1e-6, 1.0, what);
    free(pred);
    double bound[4], *sk_gap = fx_doubles(o, "dual_gap", NULL, NULL);
    double *sk_iter = fx_doubles(o, "n_iter", NULL, NULL);
    gap_bounds(&s, c->tol, c->fit_intercept, bound);
    for (size_t t = 0; t < s.k; t++) {
        double gap = mlc_elastic_net_dual_gap(m)[t];
        int conv = mlc_elastic_net_converged(m)[t];
        ck_assert_int_eq(conv, expect_converged);
        if (expect_converged) {
            ck_assert_msg(gap >= 0.0 && gap < bound[t], "%s: dual gap %g >= %g", c->name, gap,
                          bound[t]);
            ck_assert_msg(sk_gap[t] < bound[t], "%s: scikit-learn's gap %g >= %g", c->name,
                          sk_gap[t], bound[t]);
        } else {
            ck_assert_double_eq_tol(gap, sk_gap[t], 1e-6 * fabs(sk_gap[t]));
        }
        /* Same iterates in exact arithmetic: the same epoch count, give or
         * take a rounding-level tie at the stopping test. */
        long it = (long)mlc_elastic_net_n_iter(m)[t];
        ck_assert_msg(labs(it - (long)sk_iter[t]) <= 1, "%s: %ld epochs, scikit-learn %g",
                      c->name, it, sk_iter[t]);
    }
    free(sk_gap);
    free(sk_iter);
    mlc_elastic_net_free(m);
    lin_set_clear(&s);
}

static const char *const SETS[] = {"diabetes", "collinear", "wide",    "constant",
                                   "multi",    "weighted",  "unscaled"};
static const double ALPHAS[] = {0.1, 0.05, 0.1, 0.05, 0.1, 0.05, 0.05};

START_TEST(lasso_and_enet_match)
{
    for (size_t i = 0; i < LIN_COUNT(SETS); i++)
        for (int lasso = 0; lasso < 2; lasso++) {
            char name[64];
            snprintf(name, sizeof name, "%s_%s", lasso ? "lasso" : "enet", SETS[i]);
            enet_case c = {name, SETS[i], ALPHAS[i], lasso ? 1.0 : 0.7, 1e-4, 1000, 1, 0};
            check_case(&c, MLC_PRECOMPUTE_AUTO, 1);
            check_case(&c, MLC_PRECOMPUTE_TRUE, 1);
            check_case(&c, MLC_PRECOMPUTE_FALSE, 1);
        }
}
END_TEST

START_TEST(enet_variants)
{
    enet_case cases[] = {
        {"lasso_diabetes_positive", "diabetes", 0.1, 1.0, 1e-4, 1000, 1, 1},
        {"lasso_diabetes_tight", "diabetes", 0.01, 1.0, 1e-10, 100000, 1, 0},
        {"lasso_diabetes_nointercept", "diabetes", 0.1, 1.0, 1e-4, 1000, 0, 0},
    };
    for (size_t i = 0; i < LIN_COUNT(cases); i++) {
        check_case(&cases[i], MLC_PRECOMPUTE_TRUE, 1);
        check_case(&cases[i], MLC_PRECOMPUTE_FALSE, 1);
    }
    /* Not converging is reported, not an error: the iterate after max_iter
     * epochs is scikit-learn's. */
    enet_case slow[] = {
        {"lasso_diabetes_maxiter3", "diabetes", 1e-4, 1.0, 1e-4, 3, 1, 0},
        {"enet_diabetes_ridge_like", "diabetes", 0.01, 0.0, 1e-4, 1000, 1, 0},
    };
    for (size_t i = 0; i < LIN_COUNT(slow); i++) {
        check_case(&slow[i], MLC_PRECOMPUTE_TRUE, 0);
        check_case(&slow[i], MLC_PRECOMPUTE_FALSE, 0);
    }
}
END_TEST

/* Lasso's own entry points agree with ElasticNet at l1_ratio = 1. */
START_TEST(lasso_is_enet_l1)
{
    lin_set s;
    lin_set_load(data, "weighted", &s);
    mlc_lasso_params lp = mlc_lasso_params_default();
    mlc_elastic_net_params ep = mlc_elastic_net_params_default();
    lp.alpha = ep.alpha = 0.05;
    ep.l1_ratio = 1.0;
    mlc_lasso *l = NULL;
    mlc_elastic_net *e = NULL;
    ck_assert_status(mlc_lasso_fit_weighted(&lp, &s.X, s.y, s.sw, &l), MLC_OK);
    ck_assert_status(mlc_elastic_net_fit_weighted(&ep, &s.X, s.y, s.sw, &e), MLC_OK);
    ck_assert_mem_eq(mlc_lasso_coef(l), mlc_elastic_net_coef(e), s.p * sizeof(double));
    ck_assert_int_eq(mlc_lasso_n_iter(l)[0], mlc_elastic_net_n_iter(e)[0]);
    lin_expect(mlc_lasso_coef(l), json_object_get(fx, "lasso_weighted"), "coef", s.p, 1e-6, 1.0,
               "lasso_weighted via mlc_lasso");
    mlc_lasso_free(l);
    mlc_elastic_net_free(e);
    lin_set_clear(&s);
}
END_TEST

/* Integer sample weights are repeated rows (weights are rescaled to sum to n,
 * which leaves the 1/(2n)-scaled objective of the repeated data). */
START_TEST(weights_are_repeats)
{
    lin_set s;
    lin_set_load(data, "constant", &s);
    size_t n = 40, p = s.p, reps = 0;
    double *sw = malloc(n * sizeof *sw);
    for (size_t i = 0; i < n; i++)
        reps += (size_t)(sw[i] = (double)(1 + i % 3));
    mlc_matrix Xr;
    ck_assert_int_eq(mlc_matrix_alloc(&Xr, reps, p), MLC_OK);
    double *yr = malloc(reps * sizeof *yr);
    for (size_t i = 0, r = 0; i < n; i++)
        for (int c = 0; c < (int)sw[i]; c++, r++) {
            memcpy(mlc_matrix_row(&Xr, r), mlc_matrix_row(&s.X, i), p * sizeof(double));
            yr[r] = s.y[i];
        }
    mlc_matrix Xn = mlc_matrix_rows(&s.X, 0, n);
    mlc_elastic_net_params ep = mlc_elastic_net_params_default();
    ep.alpha = 0.02;
    ep.tol = 1e-12;
    ep.max_iter = 100000;
    mlc_elastic_net *a = NULL, *b = NULL;
    ck_assert_status(mlc_elastic_net_fit_weighted(&ep, &Xn, s.y, sw, &a), MLC_OK);
    ck_assert_status(mlc_elastic_net_fit(&ep, &Xr, yr, &b), MLC_OK);
    ck_assert_close_floor(mlc_elastic_net_coef(a), mlc_elastic_net_coef(b), p, 1e-8, 1.0,
                          "weighted vs repeated rows");
    mlc_elastic_net_free(a);
    mlc_elastic_net_free(b);
    mlc_matrix_clear(&Xr);
    free(yr);
    free(sw);
    lin_set_clear(&s);
}
END_TEST

/* selection=random: scikit-learn's stream is not reproduced, but the fit is
 * the same problem: same seed, same result; converged to the cyclic answer. */
START_TEST(random_selection)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    mlc_lasso_params p = mlc_lasso_params_default();
    p.alpha = 0.01;
    p.tol = 1e-10;
    p.max_iter = 100000;
    p.selection = MLC_SELECTION_RANDOM;
    p.random_state = 3;
    mlc_lasso *a = NULL, *b = NULL;
    ck_assert_status(mlc_lasso_fit(&p, &s.X, s.y, &a), MLC_OK);
    ck_assert_status(mlc_lasso_fit(&p, &s.X, s.y, &b), MLC_OK);
    ck_assert_mem_eq(mlc_lasso_coef(a), mlc_lasso_coef(b), s.p * sizeof(double));
    ck_assert_int_eq(mlc_lasso_converged(a)[0], 1);
    lin_expect(mlc_lasso_coef(a), json_object_get(fx, "lasso_diabetes_tight"), "coef", s.p, 1e-6,
               1.0, "random selection, tight tol");
    mlc_lasso_free(a);
    mlc_lasso_free(b);
    lin_set_clear(&s);
}
END_TEST

/* warm_start: a refit on the same data starts at the solution. */
START_TEST(warm_start_refit)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    /* the Gram form, and the column form (its residual starts from the
     * warm coefficients, on a copy that keeps small offsets) */
    for (int form = 0; form < 2; form++) {
        mlc_lasso_params p = mlc_lasso_params_default();
        p.alpha = 0.1;
        p.warm_start = 1;
        p.precompute = form ? MLC_PRECOMPUTE_FALSE : MLC_PRECOMPUTE_AUTO;
        mlc_lasso *m = NULL;
        ck_assert_status(mlc_lasso_fit(&p, &s.X, s.y, &m), MLC_OK);
        int64_t cold = mlc_lasso_n_iter(m)[0];
        ck_assert_status(mlc_lasso_refit(m, &s.X, &s.Y, NULL), MLC_OK);
        ck_assert_int_lt(mlc_lasso_n_iter(m)[0], cold);
        /* One more epoch from a point that met the stopping rule: a step of
         * the size the tolerance allows. */
        lin_expect(mlc_lasso_coef(m), json_object_get(fx, "lasso_diabetes"), "coef", s.p, 1e-4,
                   1.0, "warm refit");
        /* A failed refit leaves the model as it was. */
        mlc_matrix Xbad = mlc_matrix_rows(&s.X, 0, 0);
        ck_assert_status(mlc_lasso_refit(m, &Xbad, &s.Y, NULL), MLC_EEMPTY);
        ck_assert_uint_eq(mlc_lasso_n_features(m), s.p);
        mlc_lasso_free(m);
    }
    lin_set_clear(&s);
}
END_TEST

/* Random correlated data: x_ij = z_ij + 0.7 z_i(j-1), y from every fourth
 * feature plus noise (k targets with different scales). */
static void make_data(size_t n, size_t p, size_t k, mlc_matrix *X, double **y)
{
    ck_assert_int_eq(mlc_matrix_alloc(X, n, p), MLC_OK);
    *y = malloc(n * k * sizeof **y);
    mlc_rng *rng = NULL;
    ck_assert_int_eq(mlc_rng_new(11, &rng), MLC_OK);
    for (size_t i = 0; i < n; i++) {
        double prev = 0.0, s = 0.0;
        for (size_t j = 0; j < p; j++) {
            double z = mlc_rng_normal(rng);
            MLC_AT(X, i, j) = z + 0.7 * prev + (j == 3 ? 50.0 : 0.0);
            prev = z;
            if (j % 4 == 0)
                s += MLC_AT(X, i, j) * (1.0 + (double)(j % 7));
        }
        for (size_t t = 0; t < k; t++)
            (*y)[i * k + t] = s * (1.0 + (double)t) + mlc_rng_normal(rng) + 10.0;
    }
    mlc_rng_free(rng);
}

/* alpha_max of the first target of y (n x k, row-major). */
static double alpha_max_first(const mlc_matrix *X, const double *y, size_t k, double l1_ratio)
{
    size_t n = X->rows, p = X->cols;
    double amax = 0.0;
    double *mu = calloc(p + 1, sizeof *mu);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++)
            mu[j] += MLC_AT(X, i, j) / (double)n;
        mu[p] += y[i * k] / (double)n;
    }
    for (size_t j = 0; j < p; j++) {
        double c = 0.0;
        for (size_t i = 0; i < n; i++)
            c += (MLC_AT(X, i, j) - mu[j]) * (y[i * k] - mu[p]);
        amax = fabs(c) > amax ? fabs(c) : amax;
    }
    free(mu);
    return amax / ((double)n * l1_ratio);
}

/* The Gram, lazy-Gram and hybrid forms run the column form's iterates: the
 * same coefficients (to rounding) and the same epoch counts. */
static void forms_agree(size_t n, size_t p, size_t k, double alpha_share, double l1_ratio,
                        long min_epochs)
{
    mlc_matrix X;
    double *y;
    make_data(n, p, k, &X, &y);
    mlc_matrix Y = mlc_matrix_wrap(y, n, k, 0);
    mlc_elastic_net_params ep = mlc_elastic_net_params_default();
    ep.alpha = alpha_share * alpha_max_first(&X, y, k, l1_ratio);
    ep.l1_ratio = l1_ratio;
    ep.max_iter = 5000;
    ep.tol = 1e-8;
    mlc_elastic_net *a = NULL, *b = NULL;
    ep.precompute = MLC_PRECOMPUTE_AUTO;
    ck_assert_status(mlc_elastic_net_fit_multi(&ep, &X, &Y, NULL, &a), MLC_OK);
    ep.precompute = MLC_PRECOMPUTE_FALSE;
    ck_assert_status(mlc_elastic_net_fit_multi(&ep, &X, &Y, NULL, &b), MLC_OK);
    const double *wa = mlc_elastic_net_coef(a), *wb = mlc_elastic_net_coef(b);
    double wmax = lin_max_abs(wb, k * p), d = 0.0;
    size_t nnz = 0;
    for (size_t j = 0; j < k * p; j++) {
        d = fabs(wa[j] - wb[j]) > d ? fabs(wa[j] - wb[j]) : d;
        nnz += wb[j] != 0.0;
        ck_assert_msg((wa[j] != 0.0) == (wb[j] != 0.0), "support differs at %zu", j);
    }
    if (getenv("LINEAR_DIFFS"))
        fprintf(stderr, "  forms %zux%zu (k=%zu): max diff %.3g of %.3g, nnz %zu, epochs %ld\n",
                n, p, k, d, wmax, nnz, (long)mlc_elastic_net_n_iter(b)[0]);
    ck_assert_msg(d <= 1e-9 * wmax, "Gram and column forms differ by %g (max |w| %g)", d, wmax);
    for (size_t t = 0; t < k; t++) {
        ck_assert_int_eq(mlc_elastic_net_converged(a)[t], 1);
        ck_assert_int_ge(mlc_elastic_net_n_iter(b)[t], min_epochs);
        long ea = (long)mlc_elastic_net_n_iter(a)[t], eb = (long)mlc_elastic_net_n_iter(b)[t];
        ck_assert_msg(labs(ea - eb) <= 1, "epochs %ld vs %ld", ea, eb);
    }
    mlc_elastic_net_free(a);
    mlc_elastic_net_free(b);
    mlc_matrix_clear(&X);
    free(y);
}

/* The column form sums over row parts fixed by n: one thread and two give
 * the same bits, and so do its wide (AVX-512) and 256-bit kernels, also
 * with sample weights and two targets. */
START_TEST(column_form_threads_agree)
{
    size_t n = 9000, p = 120, k = 2; /* 4 n p flops an epoch: enough for threads */
    mlc_matrix X;
    double *y;
    make_data(n, p, k, &X, &y);
    mlc_matrix Y = mlc_matrix_wrap(y, n, k, 0);
    double *sw = malloc(n * sizeof *sw);
    for (size_t i = 0; i < n; i++)
        sw[i] = 0.5 + (double)(i % 5);
    mlc_elastic_net_params ep = mlc_elastic_net_params_default();
    ep.alpha = 0.05 * alpha_max_first(&X, y, k, 0.7);
    ep.l1_ratio = 0.7;
    ep.tol = 1e-8;
    ep.precompute = MLC_PRECOMPUTE_FALSE;
    for (int run = 0; run < 4; run++) {
        int weighted = run % 2, narrow = run >= 2;
        mlc_elastic_net *a = NULL, *b = NULL;
        ep.n_threads = 1;
        ck_assert_status(mlc_elastic_net_fit_multi(&ep, &X, &Y, weighted ? sw : NULL, &a),
                         MLC_OK);
        /* the second fit: two threads, or the 256-bit kernel */
        ep.n_threads = narrow ? 1 : 2;
        mlc_cpu_force_narrow(narrow);
        ck_assert_status(mlc_elastic_net_fit_multi(&ep, &X, &Y, weighted ? sw : NULL, &b),
                         MLC_OK);
        mlc_cpu_force_narrow(0);
        const double *wa = mlc_elastic_net_coef(a), *wb = mlc_elastic_net_coef(b);
        size_t nnz = 0;
        for (size_t j = 0; j < k * p; j++) {
            ck_assert_msg(memcmp(&wa[j], &wb[j], sizeof wa[j]) == 0,
                          "coef %zu: %.17g, then %.17g (%s)", j, wa[j], wb[j],
                          narrow ? "256-bit kernel" : "2 threads");
            nnz += wa[j] != 0.0;
        }
        ck_assert_uint_gt(nnz, 0);
        ck_assert_uint_lt(nnz, k * p);
        for (size_t t = 0; t < k; t++) {
            ck_assert_int_eq(mlc_elastic_net_n_iter(a)[t], mlc_elastic_net_n_iter(b)[t]);
            ck_assert_int_eq(mlc_elastic_net_converged(a)[t], 1);
            ck_assert_double_eq(mlc_elastic_net_dual_gap(a)[t], mlc_elastic_net_dual_gap(b)[t]);
        }
        mlc_elastic_net_free(a);
        mlc_elastic_net_free(b);
    }
    /* Asked for two threads inside a caller's parallel region, each fit gets
     * a team of one (no nesting) and still takes every row part. */
    mlc_elastic_net *ref = NULL, *in[2] = {NULL, NULL};
    int st_in[2] = {-1, -1};
    ep.n_threads = 1;
    ck_assert_status(mlc_elastic_net_fit_multi(&ep, &X, &Y, NULL, &ref), MLC_OK);
    ep.n_threads = 2;
#pragma omp parallel for num_threads(2)
    for (int r = 0; r < 2; r++)
        st_in[r] = mlc_elastic_net_fit_multi(&ep, &X, &Y, NULL, &in[r]);
    for (int r = 0; r < 2; r++) {
        ck_assert_int_eq(st_in[r], MLC_OK);
        ck_assert_msg(memcmp(mlc_elastic_net_coef(ref), mlc_elastic_net_coef(in[r]),
                             k * p * sizeof(double)) == 0,
                      "a fit inside a parallel region differs");
        mlc_elastic_net_free(in[r]);
    }
    mlc_elastic_net_free(ref);
    free(sw);
    mlc_matrix_clear(&X);
    free(y);
}
END_TEST

/* Columns fetched one at a time by the lazy form are those of X~'X~. */
START_TEST(lazy_columns_match_gram)
{
    size_t n = 3000, p = 70;
    mlc_matrix X;
    double *y;
    make_data(n, p, 1, &X, &y);
    mlc_matrix Y = mlc_matrix_wrap(y, n, 1, 0);
    mlc_lin_data d1, d2;
    ck_assert_status(mlc_lin_data_init(&d1, &X, &Y, NULL, NULL, 0, 1, 0, 1), MLC_OK);
    ck_assert_status(mlc_lin_data_init(&d2, &X, &Y, NULL, NULL, 0, 1, 0, 1), MLC_OK);
    mlc_enet_problem lazy, full;
    ck_assert_status(mlc_enet_problem_init(&lazy, &d1, MLC_ENET_LAZY), MLC_OK);
    ck_assert_status(mlc_enet_problem_init(&full, &d2, MLC_ENET_GRAM), MLC_OK);
    ck_assert_close_floor(lazy.q, full.q, p, 1e-12, 1.0, "X'y");
    ck_assert_close_floor(lazy.diag, full.diag, p, 1e-12, 1.0, "diag(X'X)");
    ck_assert_double_eq_tol(lazy.y_norm2[0], full.y_norm2[0], 1e-12 * full.y_norm2[0]);
    size_t js[3] = {5, 0, p - 1};
    for (int c = 0; c < 3; c++) {
        const double *col = lazy.cols->get(lazy.cols, js[c]);
        ck_assert_ptr_nonnull(col);
        ck_assert_close_floor(col, full.Q + js[c] * p, p, 1e-12, full.diag[js[c]],
                              "lazily fetched Gram column");
        ck_assert_ptr_eq(lazy.cols->get(lazy.cols, js[c]), col); /* cached */
    }
    mlc_enet_problem_clear(&lazy);
    mlc_enet_problem_clear(&full);
    mlc_lin_data_clear(&d1);
    mlc_lin_data_clear(&d2);
    mlc_matrix_clear(&X);
    free(y);
}
END_TEST

START_TEST(gram_forms_agree)
{
    /* lazy Gram: 200 features, alpha near alpha_max (a small strong set) */
    forms_agree(4000, 200, 1, 0.8, 1.0, 2);
    /* full Gram: the strong set is most of the features */
    forms_agree(4000, 200, 2, 0.3, 0.8, 2);
    forms_agree(10000, 100, 2, 0.3, 0.8, 2);
    /* hybrid: 300 features, many epochs, so it moves to the Gram form */
    forms_agree(1500, 300, 1, 0.002, 0.9, 10);
}
END_TEST

/* -------------------------------------------------------------- paths */

static void check_path(json_t *o, const double *alphas, const mlc_matrix *coefs,
                       const double *gaps, const int64_t *iters, size_t na, size_t p,
                       const char *name)
{
    char what[96];
    snprintf(what, sizeof what, "%s alphas", name);
    lin_expect(alphas, o, "alphas", na, 1e-12, 0.0, what);
    snprintf(what, sizeof what, "%s coefs", name);
    lin_expect(coefs->data, o, "coefs", na * p, 1e-6, 1.0, what);
    double *sk_gaps = fx_doubles(o, "gaps", NULL, NULL);
    for (size_t i = 0; i < na; i++)
        ck_assert_msg(gaps[i] < 1e-4 * 1e6 && (gaps[i] < sk_gaps[i] * 2 + 1e-3),
                      "%s: gap %g at alpha %zu (scikit-learn %g)", name, gaps[i], i, sk_gaps[i]);
    free(sk_gaps);
    if (iters && json_object_get(o, "n_iter")) {
        double *it = fx_doubles(o, "n_iter", NULL, NULL);
        for (size_t i = 0; i < na; i++)
            ck_assert_msg(labs((long)iters[i] - (long)it[i]) <= 1, "%s: alpha %zu: %ld vs %g",
                          name, i, (long)iters[i], it[i]);
        free(it);
    }
}

START_TEST(paths_match)
{
    json_t *fp = fx_load("linear_path");
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    for (int pre = MLC_PRECOMPUTE_AUTO; pre <= MLC_PRECOMPUTE_FALSE; pre++) {
        mlc_enet_path_params p = mlc_enet_path_params_default();
        p.precompute = pre;
        p.alpha_grid_size = 30;
        double alphas[30], gaps[30];
        int64_t iters[30];
        mlc_matrix coefs;
        ck_assert_int_eq(mlc_matrix_alloc(&coefs, 30, s.p), MLC_OK);
        ck_assert_status(mlc_lasso_path(&p, &s.X, s.y, alphas, &coefs, gaps, iters), MLC_OK);
        check_path(json_object_get(fp, "lasso"), alphas, &coefs, gaps, iters, 30, s.p,
                   pre == MLC_PRECOMPUTE_FALSE ? "lasso_path/cols" : "lasso_path/gram");
        mlc_matrix_clear(&coefs);

        p.alpha_grid_size = 20;
        p.l1_ratio = 0.6;
        ck_assert_int_eq(mlc_matrix_alloc(&coefs, 20, s.p), MLC_OK);
        ck_assert_status(mlc_enet_path(&p, &s.X, s.y, alphas, &coefs, gaps, iters), MLC_OK);
        check_path(json_object_get(fp, "enet"), alphas, &coefs, gaps, iters, 20, s.p,
                   "enet_path");
        mlc_matrix_clear(&coefs);

        static const double given[4] = {0.5, 2.0, 0.05, 1.0};
        p.alphas = given;
        p.alphas_len = 4;
        ck_assert_int_eq(mlc_matrix_alloc(&coefs, 4, s.p), MLC_OK);
        ck_assert_status(mlc_lasso_path(&p, &s.X, s.y, alphas, &coefs, gaps, NULL), MLC_OK);
        check_path(json_object_get(fp, "given"), alphas, &coefs, gaps, NULL, 4, s.p,
                   "lasso_path(alphas)");
        mlc_matrix_clear(&coefs);
    }
    lin_set_clear(&s);
    json_decref(fp);
}
END_TEST

START_TEST(path_errors)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    mlc_enet_path_params p = mlc_enet_path_params_default();
    double alphas[100], gaps[100];
    mlc_matrix coefs;
    ck_assert_int_eq(mlc_matrix_alloc(&coefs, 100, s.p), MLC_OK);
    p.l1_ratio = 0.0; /* the grid divides by l1_ratio */
    ck_assert_status(mlc_enet_path(&p, &s.X, s.y, alphas, &coefs, gaps, NULL), MLC_EINVAL);
    p.l1_ratio = 2.0;
    ck_assert_status(mlc_enet_path(&p, &s.X, s.y, alphas, &coefs, gaps, NULL), MLC_EINVAL);
    p = mlc_enet_path_params_default();
    p.eps = 0.0;
    ck_assert_status(mlc_lasso_path(&p, &s.X, s.y, alphas, &coefs, gaps, NULL), MLC_EINVAL);
    p = mlc_enet_path_params_default();
    p.alpha_grid_size = 50; /* coefs has 100 rows */
    ck_assert_status(mlc_lasso_path(&p, &s.X, s.y, alphas, &coefs, gaps, NULL), MLC_EBADLEN);
    static const double neg[2] = {1.0, -1.0};
    p.alphas = neg;
    p.alphas_len = 2;
    ck_assert_status(mlc_lasso_path(&p, &s.X, s.y, alphas, &coefs, gaps, NULL), MLC_EINVAL);
    mlc_matrix_clear(&coefs);
    lin_set_clear(&s);
}
END_TEST

static double cd_uniform(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

/* The column form's kernel: every form the CPU runs (wide, 256-bit) gives
 * the plain reference's bits, sums and updated R alike, on every length
 * 0 .. 40 (the 8-row steps' tails) and a few longer ones past the
 * prefetch distance, with and without a pending move, offsets or none,
 * at unaligned starts. (Adding a 256-bit form's halves in another order
 * than the reference's fails here.) */
START_TEST(dots_forms_match_reference)
{
    const size_t lens[] = {0,  1,  2,  3,  5,  7,  8,  9,  15, 16, 17, 23, 24, 25, 31,
                           32, 33, 39, 40, 63, 64, 65, 100, 1029, 2053, 4099};
    const size_t N = 4099 + 3;
    double *X = malloc(N * sizeof *X), *Xp = malloc(N * sizeof *Xp), *R0 = malloc(N * sizeof *R0),
           *Rref = malloc(N * sizeof *Rref), *Rr = malloc(N * sizeof *Rr),
           *Rf = malloc(N * sizeof *Rf);
    unsigned long long seed = 17;
    for (size_t i = 0; i < N; i++) {
        X[i] = cd_uniform(&seed) * 3.0;
        Xp[i] = cd_uniform(&seed) + 0.25;
        R0[i] = cd_uniform(&seed) * 10.0;
        Rref[i] = R0[i] + cd_uniform(&seed) * 1e-3;
    }
    mlc_cd_dots_fn *ref = mlc_cd_dots_form(MLC_SIMD_SCALAR);
    int top = mlc_cpu_level(), checked = 0;
    for (size_t c = 0; c < sizeof lens / sizeof *lens; c++)
        for (int move = 0; move < 2; move++)
            for (int off = 0; off < 2; off++) {
                size_t n = lens[c], at = (c + (size_t)move) % 3; /* unaligned starts */
                double mj = off ? 0.125 : 0.0, mp = off ? -0.3 : 0.0, delta = 0.7 - 0.1 * (double)c;
                double want[2], got[2];
                memcpy(Rr, R0, N * sizeof *Rr);
                ref(n, X + at, mj, Rr + at, Rref + at, move ? Xp + at : NULL, mp, delta, want);
                for (int level = MLC_SIMD_256; level <= top; level++) {
                    memcpy(Rf, R0, N * sizeof *Rf);
                    mlc_cd_dots_form(level)(n, X + at, mj, Rf + at, Rref + at,
                                            move ? Xp + at : NULL, mp, delta, got);
                    ck_assert_msg(memcmp(want, got, sizeof want) == 0,
                                  "level %d, n %zu, move %d: %.17g %.17g vs %.17g %.17g", level,
                                  n, move, got[0], got[1], want[0], want[1]);
                    ck_assert_msg(memcmp(Rr, Rf, N * sizeof *Rr) == 0,
                                  "level %d, n %zu: R differs", level, n);
                    checked++;
                }
            }
    ck_assert_int_ge(checked, top >= MLC_SIMD_256 ? 104 : 0);
    free(X), free(Xp), free(R0), free(Rref), free(Rr), free(Rf);
}
END_TEST

Suite *mlc_linear_cd_suite(void)
{
    Suite *s = suite_create("linear_cd");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 120);
    tcase_add_test(core, lasso_and_enet_match);
    tcase_add_test(core, enet_variants);
    tcase_add_test(core, lasso_is_enet_l1);
    tcase_add_test(core, weights_are_repeats);
    tcase_add_test(core, random_selection);
    tcase_add_test(core, warm_start_refit);
    tcase_add_test(core, gram_forms_agree);
    tcase_add_test(core, column_form_threads_agree);
    tcase_add_test(core, dots_forms_match_reference);
    tcase_add_test(core, lazy_columns_match_gram);
    tcase_add_test(core, paths_match);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, path_errors);
    suite_add_tcase(s, errors);
    return s;
}
