/* LassoCV, ElasticNetCV and RidgeCV against scikit-learn: with the same
 * folds, the same alphas_ (1e-12), alpha_ and l1_ratio_, mse_path_ within
 * 1e-6; RidgeCV's alpha_ and leave-one-out errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "linear/linear_cv.h"
#include "linear_fixture.h"

static json_t *data, *fx, *frcv;

static void setup(void)
{
    data = fx_load("linear_data");
    fx = fx_load("linear_cv");
    frcv = fx_load("linear_ridge_cv");
}

static void teardown(void)
{
    json_decref(data);
    json_decref(fx);
    json_decref(frcv);
}

/* The shuffled KFold(4) of the fixture as explicit index arrays. */
typedef struct given_folds {
    mlc_linear_cv_fold f[8];
    size_t *idx;
    size_t n_folds;
} given_folds;

static void given_folds_load(given_folds *g, size_t n)
{
    size_t r, c;
    double *tf = fx_doubles(fx, "test_fold", &r, &c);
    ck_assert_uint_eq(r * c, n);
    mlc_linear_cv_fold *folds = NULL;
    ck_assert_status(mlc_enet_cv_predefined(tf, n, &folds, &g->n_folds, &g->idx), MLC_OK);
    ck_assert_uint_eq(g->n_folds, 4);
    memcpy(g->f, folds, g->n_folds * sizeof *folds);
    free(folds);
    free(tf);
}

/* alphas_, alpha_, mse_path_, (l1_ratio_), coef_, intercept_ and the refit. */
static void expect_cv(json_t *o, const mlc_enet_cv_state *s, const lin_set *set,
                      const char *name, int with_l1)
{
    char what[128];
    size_t n_al = s->n_l1 > 1 && s->grid ? s->n_l1 * s->path_len : s->path_len;
    snprintf(what, sizeof what, "%s alphas_", name);
    lin_expect(s->alphas, o, "alphas", n_al, 1e-12, 0.0, what);
    snprintf(what, sizeof what, "%s mse_path_", name);
    lin_expect(s->mse_path, o, "mse_path", s->n_l1 * s->path_len * s->n_folds, 1e-6, 0.0, what);
    double want = lin_number(o, "alpha");
    ck_assert_msg(fabs(s->alpha - want) <= 1e-12 * want, "%s: alpha_ %.17g, scikit-learn %.17g",
                  name, s->alpha, want);
    if (with_l1)
        ck_assert_double_eq(s->l1_ratio, lin_number(o, "l1_ratio"));
    snprintf(what, sizeof what, "%s coef_", name);
    lin_expect(s->fit.lm.coef, o, "coef", set->p, 1e-6, 1.0, what);
    snprintf(what, sizeof what, "%s intercept_", name);
    lin_expect(s->fit.lm.intercept, o, "intercept", 1, 1e-6, 1.0, what);
    if (json_object_get(o, "n_iter")) {
        ck_assert_msg(labs((long)s->fit.n_iter[0] - (long)lin_number(o, "n_iter")) <= 1,
                      "%s: n_iter_ %ld vs %g", name, (long)s->fit.n_iter[0],
                      lin_number(o, "n_iter"));
        ck_assert_int_eq(s->fit.converged[0], 1);
    }
}

START_TEST(lasso_cv_kfold)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    mlc_lasso_cv_params p = mlc_lasso_cv_params_default();
    mlc_lasso_cv *m = NULL;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_OK);
    expect_cv(json_object_get(fx, "lasso_kfold"), (const mlc_enet_cv_state *)m, &s,
              "LassoCV(cv=5)", 0);
    double *pred = malloc(s.n * sizeof *pred);
    ck_assert_status(mlc_lasso_cv_predict(m, &s.X, pred), MLC_OK);
    lin_expect(pred, json_object_get(fx, "lasso_kfold"), "pred", s.n, 1e-6, 1.0,
               "LassoCV predictions");
    size_t na, nf;
    ck_assert_ptr_nonnull(mlc_lasso_cv_alphas(m, &na));
    ck_assert_ptr_nonnull(mlc_lasso_cv_mse_path(m, &nf));
    ck_assert_uint_eq(na, 100);
    ck_assert_uint_eq(nf, 5);
    /* intercept_ as every linear model returns it: one value per target. */
    lin_expect(mlc_lasso_cv_intercept(m), json_object_get(fx, "lasso_kfold"), "intercept", 1,
               1e-6, 1.0, "mlc_lasso_cv_intercept");
    free(pred);
    mlc_lasso_cv_free(m);
    lin_set_clear(&s);
}
END_TEST

START_TEST(lasso_cv_given_folds)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    given_folds g;
    given_folds_load(&g, s.n);
    for (int pre = MLC_PRECOMPUTE_AUTO; pre <= MLC_PRECOMPUTE_FALSE; pre++) {
        mlc_lasso_cv_params p = mlc_lasso_cv_params_default();
        p.folds = g.f;
        p.n_folds = g.n_folds;
        p.alpha_grid_size = 40;
        p.precompute = pre;
        mlc_lasso_cv *m = NULL;
        ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_OK);
        expect_cv(json_object_get(fx, "lasso_given"), (const mlc_enet_cv_state *)m, &s,
                  "LassoCV(given folds)", 0);
        mlc_lasso_cv_free(m);
    }
    free(g.idx);
    lin_set_clear(&s);
}
END_TEST

/* The same folds through the registry's test_fold parameter. */
START_TEST(lasso_cv_registry_test_fold)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    size_t r, c;
    double *tf = fx_doubles(fx, "test_fold", &r, &c);
    mlc_matrix T = mlc_matrix_wrap(tf, s.n, 1, 0);
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("lasso_cv", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "n_alphas", "40"), MLC_OK);
    ck_assert_status(mlc_estimator_set_matrix(e, "test_fold", &T), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &s.X, s.y), MLC_OK);
    json_t *o = json_object_get(fx, "lasso_given");
    mlc_attribute a;
    ck_assert_status(mlc_estimator_attribute(e, "mse_path_", &a), MLC_OK);
    ck_assert_int_eq(a.ndim, 2);
    ck_assert_uint_eq(a.shape[0], 40);
    ck_assert_uint_eq(a.shape[1], 4);
    lin_expect(a.data, o, "mse_path", 40 * 4, 1e-6, 0.0, "registry mse_path_");
    ck_assert_status(mlc_estimator_attribute(e, "alpha_", &a), MLC_OK);
    ck_assert_double_eq_tol(*(const double *)a.data, lin_number(o, "alpha"),
                            1e-12 * lin_number(o, "alpha"));
    ck_assert_status(mlc_estimator_attribute(e, "l1_ratio_", &a), MLC_ENOTFOUND);
    /* scikit-learn's (n_samples,) from an .npy file: the same fit */
    char dir[] = "/tmp/mlc_test_fold_XXXXXX", path[96], want[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/folds.npy", dir);
    const size_t n1[1] = {s.n}, n11[3] = {s.n, 1, 1};
    write_npy_nd(path, tf, n1, 1);
    mlc_estimator *f = NULL;
    ck_assert_status(mlc_estimator_new("lasso_cv", &f), MLC_OK);
    ck_assert_status(mlc_estimator_set(f, "n_alphas", "40"), MLC_OK);
    ck_assert_status(mlc_estimator_set(f, "test_fold", path), MLC_OK);
    ck_assert_status(mlc_estimator_fit(f, &s.X, s.y), MLC_OK);
    ck_assert_status(mlc_estimator_attribute(e, "mse_path_", &a), MLC_OK);
    const double *mse = a.data;
    ck_assert_status(mlc_estimator_attribute(f, "mse_path_", &a), MLC_OK);
    ck_assert_int_eq(memcmp(a.data, mse, 40 * 4 * sizeof(double)), 0);
    /* other shapes: named as given, with the one wanted */
    const char *names[2] = {"lasso_cv", "elastic_net_cv"};
    for (int k = 0; k < 2; k++) {
        mlc_estimator *g = NULL;
        ck_assert_status(mlc_estimator_new(names[k], &g), MLC_OK);
        unlink(path);
        write_npy_nd(path, tf, n11, 3);
        ck_assert_status(mlc_estimator_set(g, "test_fold", path), MLC_OK);
        ck_assert_status(mlc_estimator_fit(g, &s.X, s.y), MLC_EBADLEN);
        snprintf(want, sizeof want, "test_fold has shape (%zu, 1, 1) but needs (n_samples,) = "
                 "(%zu,)", s.n, s.n);
        ck_assert_msg(strstr(mlc_last_error_message(), want), "%s: %s", names[k],
                      mlc_last_error_message());
        mlc_estimator_free(g);
    }
    unlink(path);
    rmdir(dir);
    mlc_estimator_free(f);
    /* A fold id per row is required. */
    mlc_matrix Tshort = mlc_matrix_wrap(tf, s.n - 1, 1, 0);
    ck_assert_status(mlc_estimator_set_matrix(e, "test_fold", &Tshort), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &s.X, s.y), MLC_EBADLEN);
    snprintf(want, sizeof want, "test_fold has shape %zu x 1 but needs (n_samples,) = (%zu,)",
             s.n - 1, s.n);
    ck_assert_msg(strstr(mlc_last_error_message(), want), "%s", mlc_last_error_message());
    mlc_estimator_free(e);
    free(tf);
    lin_set_clear(&s);
}
END_TEST

START_TEST(enet_cv_l1_ratios)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    given_folds g;
    given_folds_load(&g, s.n);
    static const double ratios[3] = {0.2, 0.7, 1.0};
    mlc_elastic_net_cv_params p = mlc_elastic_net_cv_params_default();
    p.l1_ratios = ratios;
    p.n_l1_ratios = 3;
    p.alpha_grid_size = 30;
    p.folds = g.f;
    p.n_folds = g.n_folds;
    mlc_elastic_net_cv *m = NULL;
    ck_assert_status(mlc_elastic_net_cv_fit(&p, &s.X, s.y, &m), MLC_OK);
    expect_cv(json_object_get(fx, "enet_multi_l1"), (const mlc_enet_cv_state *)m, &s,
              "ElasticNetCV(l1_ratio=[.2,.7,1])", 1);
    size_t n_l1, na, nf;
    mlc_elastic_net_cv_alphas(m, &n_l1, &na);
    mlc_elastic_net_cv_mse_path(m, &nf);
    ck_assert_uint_eq(n_l1 * na * nf, 3 * 30 * 4);
    ck_assert_double_eq(mlc_elastic_net_cv_l1_ratio(m),
                        lin_number(json_object_get(fx, "enet_multi_l1"), "l1_ratio"));
    lin_expect(mlc_elastic_net_cv_intercept(m), json_object_get(fx, "enet_multi_l1"),
               "intercept", 1, 1e-6, 1.0, "mlc_elastic_net_cv_intercept");
    mlc_elastic_net_cv_free(m);

    /* Given alphas (any order) are sorted and shared by every l1_ratio. */
    static const double ratios2[2] = {0.1, 0.5}, alphas[4] = {0.01, 0.1, 0.05, 1.0};
    p = mlc_elastic_net_cv_params_default();
    p.l1_ratios = ratios2;
    p.n_l1_ratios = 2;
    p.alphas = alphas;
    p.alphas_len = 4;
    ck_assert_status(mlc_elastic_net_cv_fit(&p, &s.X, s.y, &m), MLC_OK);
    expect_cv(json_object_get(fx, "enet_alphas"), (const mlc_enet_cv_state *)m, &s,
              "ElasticNetCV(alphas given)", 1);
    mlc_elastic_net_cv_free(m);
    free(g.idx);
    lin_set_clear(&s);
}
END_TEST

START_TEST(lasso_cv_weighted)
{
    lin_set s;
    lin_set_load(data, "weighted", &s);
    mlc_lasso_cv_params p = mlc_lasso_cv_params_default();
    p.cv = 3;
    p.alpha_grid_size = 25;
    mlc_lasso_cv *m = NULL;
    ck_assert_status(mlc_lasso_cv_fit_weighted(&p, &s.X, s.y, s.sw, &m), MLC_OK);
    expect_cv(json_object_get(fx, "lasso_weighted"), (const mlc_enet_cv_state *)m, &s,
              "LassoCV(sample_weight)", 0);
    mlc_lasso_cv_free(m);
    lin_set_clear(&s);
}
END_TEST

/* KFold without shuffling: consecutive test blocks, the first n % k one
 * longer; sorted training rows. */
START_TEST(kfold_layout)
{
    mlc_linear_cv_fold *f = NULL;
    size_t *idx = NULL;
    ck_assert_status(mlc_enet_cv_kfold(11, 3, &f, &idx), MLC_OK);
    size_t sizes[3] = {4, 4, 3}, start = 0;
    for (size_t k = 0; k < 3; k++) {
        ck_assert_uint_eq(f[k].n_test, sizes[k]);
        ck_assert_uint_eq(f[k].n_train, 11 - sizes[k]);
        for (size_t i = 0; i < f[k].n_test; i++)
            ck_assert_uint_eq(f[k].test[i], start + i);
        for (size_t i = 1; i < f[k].n_train; i++)
            ck_assert_uint_lt(f[k].train[i - 1], f[k].train[i]);
        start += sizes[k];
    }
    free(f);
    free(idx);
}
END_TEST

/* ---------------------------------------------------------------- RidgeCV */

typedef struct rcv_case {
    const char *name, *set;
    int gcv_mode, store, per_target, default_alphas;
    double coef_tol;
} rcv_case;

START_TEST(ridge_cv_matches)
{
    size_t ng;
    double *grid = fx_doubles(frcv, "grid", &ng, NULL); /* numpy.logspace(-3, 2, 6) */
    ck_assert_uint_eq(ng, 6);
    rcv_case cases[] = {
        {"diabetes", "diabetes", MLC_GCV_AUTO, 1, 0, 0, 1e-9},
        {"diabetes_default", "diabetes", MLC_GCV_AUTO, 0, 0, 1, 1e-9},
        {"diabetes_eigen", "diabetes", MLC_GCV_EIGEN, 1, 0, 0, 1e-9},
        {"wide", "wide", MLC_GCV_AUTO, 1, 0, 0, 1e-9},
        {"weighted", "weighted", MLC_GCV_AUTO, 1, 0, 0, 1e-9},
        {"multi", "multi", MLC_GCV_AUTO, 1, 0, 0, 1e-9},
        {"multi_per_target", "multi", MLC_GCV_AUTO, 0, 1, 0, 1e-9},
        {"unscaled", "unscaled", MLC_GCV_AUTO, 1, 0, 0, 1e-7},
    };
    for (size_t i = 0; i < LIN_COUNT(cases); i++) {
        const rcv_case *c = &cases[i];
        lin_set s;
        lin_set_load(data, c->set, &s);
        json_t *o = json_object_get(frcv, c->name);
        mlc_ridge_cv_params p = mlc_ridge_cv_params_default();
        if (!c->default_alphas) {
            p.alphas = grid;
            p.alphas_len = 6;
        }
        p.gcv_mode = c->gcv_mode;
        p.store_cv_values = c->store;
        p.alpha_per_target = c->per_target;
        mlc_ridge_cv *m = NULL;
        ck_assert_status(mlc_ridge_cv_fit_multi(&p, &s.X, &s.Y, s.sw, &m), MLC_OK);
        size_t cnt;
        char what[128];
        const double *alpha = mlc_ridge_cv_alpha(m, &cnt);
        double *want = fx_doubles(o, "alpha", NULL, NULL);
        for (size_t t = 0; t < cnt; t++)
            ck_assert_msg(alpha[t] == want[t], "%s: alpha_ %g, scikit-learn %g", c->name,
                          alpha[t], want[t]);
        free(want);
        snprintf(what, sizeof what, "%s best_score_", c->name);
        lin_expect(mlc_ridge_cv_best_score(m, &cnt), o, "best_score", cnt, 1e-9, 0.0, what);
        if (c->store) {
            snprintf(what, sizeof what, "%s LOO errors", c->name);
            lin_expect(mlc_ridge_cv_cv_values(m), o, "cv_values", s.n * s.k * 6, 1e-8, 1e-6,
                       what);
        }
        double *pred = malloc(s.n * s.k * sizeof *pred);
        ck_assert_status(mlc_ridge_cv_predict(m, &s.X, pred), MLC_OK);
        /* coef_ is Ridge(alpha_)'s answer; scikit-learn's RidgeCV forms it
         * from dual coefficients with an error of eps ||y|| / alpha (1.6e-9
         * on the smallest coefficient of `multi`, 1.7e-5 on one of
         * `unscaled` against its own Ridge), so that comparison is on the
         * scale of the largest coefficient and looser. */
        snprintf(what, sizeof what, "%s coef_ vs Ridge(alpha_)", c->name);
        lin_expect(mlc_ridge_cv_coef(m), o, "ridge_coef", s.k * s.p, 1e-9, 1e-6, what);
        snprintf(what, sizeof what, "%s predictions vs Ridge(alpha_)", c->name);
        lin_expect(pred, o, "ridge_pred", s.n * s.k, 1e-9, 1e-6, what);
        snprintf(what, sizeof what, "%s coef_ vs RidgeCV", c->name);
        lin_expect(mlc_ridge_cv_coef(m), o, "coef", s.k * s.p, c->coef_tol, 1e-2, what);
        free(pred);
        mlc_ridge_cv_free(m);
        lin_set_clear(&s);
    }
    free(grid);
}
END_TEST

/* ----------------------------------------------------------------- errors */

START_TEST(cv_errors)
{
    lin_set s;
    lin_set_load(data, "diabetes", &s);
    mlc_lasso_cv *m = NULL;
    mlc_elastic_net_cv *e = NULL;
    mlc_ridge_cv *r = NULL;
    mlc_lasso_cv_params p = mlc_lasso_cv_params_default();
    p.cv = 1;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    p.cv = 1000; /* more folds than rows */
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    p = mlc_lasso_cv_params_default();
    p.eps = 0.0;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    p = mlc_lasso_cv_params_default();
    p.alpha_grid_size = 0;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    p = mlc_lasso_cv_params_default();
    static const double neg[2] = {0.1, -0.1};
    p.alphas = neg;
    p.alphas_len = 2;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    p = mlc_lasso_cv_params_default();
    p.max_iter = 0;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    p = mlc_lasso_cv_params_default();
    size_t train[3] = {0, 1, 2}, test[2] = {3, 5000};
    mlc_linear_cv_fold bad = {train, 3, test, 2};
    p.folds = &bad;
    p.n_folds = 1;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_ERANGE);
    bad.n_test = 0;
    ck_assert_status(mlc_lasso_cv_fit(&p, &s.X, s.y, &m), MLC_EINVAL);
    ck_assert_ptr_null(m);

    mlc_elastic_net_cv_params ep = mlc_elastic_net_cv_params_default();
    static const double r_bad[2] = {0.5, 1.2}, r_zero[1] = {0.0};
    ep.l1_ratios = r_bad;
    ep.n_l1_ratios = 2;
    ck_assert_status(mlc_elastic_net_cv_fit(&ep, &s.X, s.y, &e), MLC_EINVAL);
    ep.l1_ratios = r_zero; /* the grid needs l1_ratio > 0 */
    ep.n_l1_ratios = 1;
    ck_assert_status(mlc_elastic_net_cv_fit(&ep, &s.X, s.y, &e), MLC_EINVAL);
    s.y[10] = NAN;
    ck_assert_status(mlc_elastic_net_cv_fit(&ep, &s.X, s.y, &e), MLC_ENONFINITE);
    s.y[10] = 1.0;
    ck_assert_ptr_null(e);

    mlc_ridge_cv_params rp = mlc_ridge_cv_params_default();
    static const double zero_alpha[2] = {1.0, 0.0};
    rp.alphas = zero_alpha;
    rp.alphas_len = 2;
    ck_assert_status(mlc_ridge_cv_fit(&rp, &s.X, s.y, &r), MLC_EINVAL);
    rp = mlc_ridge_cv_params_default();
    rp.gcv_mode = 9;
    ck_assert_status(mlc_ridge_cv_fit(&rp, &s.X, s.y, &r), MLC_EINVAL);
    ck_assert_ptr_null(r);
    lin_set_clear(&s);
}
END_TEST

Suite *mlc_linear_cv_suite(void)
{
    Suite *s = suite_create("linear_cv");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 120);
    tcase_add_test(core, lasso_cv_kfold);
    tcase_add_test(core, lasso_cv_given_folds);
    tcase_add_test(core, lasso_cv_registry_test_fold);
    tcase_add_test(core, enet_cv_l1_ratios);
    tcase_add_test(core, lasso_cv_weighted);
    tcase_add_test(core, ridge_cv_matches);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, kfold_layout);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, cv_errors);
    suite_add_tcase(s, errors);
    return s;
}
