/* Regression metrics against scikit-learn 1.2 (fixture metrics_regression). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

typedef int (*reg_fn)(const double *, const double *, size_t, size_t, const double *,
                      mlc_multioutput, double *);

static const struct {
    const char *name;
    reg_fn fn;
    int variance;
} FNS[] = {
    {"mse", mlc_mean_squared_error, 0},
    {"rmse", mlc_root_mean_squared_error, 0},
    {"mae", mlc_mean_absolute_error, 0},
    {"mape", mlc_mean_absolute_percentage_error, 0},
    {"medae", mlc_median_absolute_error, 0},
    {"r2", mlc_r2_score, 1},
    {"evs", mlc_explained_variance_score, 1},
};

START_TEST(test_all_modes)
{
    json_t *fx = fx_load("metrics_regression");
    size_t n, k;
    double *yt = fx_doubles(fx, "y_true", &n, &k);
    double *yp = fx_doubles(fx, "y_pred", NULL, NULL);
    double *sw = fx_doubles(fx, "sample_weight", NULL, NULL);
    double *col_t = malloc(n * sizeof *col_t), *col_p = malloc(n * sizeof *col_p);
    for (size_t i = 0; i < n; i++) {
        col_t[i] = yt[i * k + 1];
        col_p[i] = yp[i * k + 1];
    }
    const char *modes[3] = {"uniform_average", "raw_values", "variance_weighted"};
    const mlc_multioutput mos[3] = {MLC_MULTIOUTPUT_UNIFORM, MLC_MULTIOUTPUT_RAW,
                                    MLC_MULTIOUTPUT_VARIANCE};
    double worst = 0.0;
    for (size_t f = 0; f < sizeof FNS / sizeof FNS[0]; f++)
        for (int m = 0; m < (FNS[f].variance ? 3 : 2); m++)
            for (int w = 0; w < 2; w++) {
                char key[96];
                snprintf(key, sizeof key, "%s_%s_%d", FNS[f].name, modes[m], w);
                size_t rows, cols;
                double *want = fx_doubles(fx, key, &rows, &cols);
                double got[3];
                ck_assert_status(FNS[f].fn(yt, yp, n, k, w ? sw : NULL, mos[m], got), MLC_OK);
                double d = max_rel_diff(got, want, rows * cols, 1e-300);
                ck_assert_msg(d <= 1e-12, "%s: rel diff %.3g", key, d);
                worst = d > worst ? d : worst;
                free(want);
                strcat(key, "_single");
                want = fx_doubles(fx, key, &rows, &cols);
                ck_assert_status(FNS[f].fn(col_t, col_p, n, 1, w ? sw : NULL, mos[m], got),
                                 MLC_OK);
                d = max_rel_diff(got, want, 1, 1e-300);
                ck_assert_msg(d <= 1e-12, "%s: rel diff %.3g", key, d);
                worst = d > worst ? d : worst;
                free(want);
            }
    double got;
    ck_assert_status(mlc_max_error(yt, yp, n, &got), MLC_OK);
    /* max_error is single-output: the fixture used column 0. */
    double *c0t = malloc(n * sizeof *c0t), *c0p = malloc(n * sizeof *c0p);
    for (size_t i = 0; i < n; i++) {
        c0t[i] = yt[i * k];
        c0p[i] = yp[i * k];
    }
    ck_assert_status(mlc_max_error(c0t, c0p, n, &got), MLC_OK);
    ck_assert_double_eq(got, fx_number(fx, "max_error"));
    fprintf(stderr, "regression metrics: max rel diff vs scikit-learn %.3g\n", worst);
    free(c0t);
    free(c0p);
    free(col_t);
    free(col_p);
    free(yt);
    free(yp);
    free(sw);
    json_decref(fx);
}
END_TEST

START_TEST(test_edge_cases)
{
    json_t *fx = fx_load("metrics_regression");
    double c[6] = {2.5, 2.5, 2.5, 2.5, 2.5, 2.5};
    double c2[6] = {2.5, 2.5, 3.5, 2.5, 2.5, 2.5};
    double v;
    ck_assert_status(mlc_r2_score(c, c, 6, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "r2_const_perfect"));
    ck_assert_double_eq(v, 1.0);
    ck_assert_status(mlc_r2_score(c, c2, 6, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "r2_const_imperfect"));
    ck_assert_double_eq(v, 0.0);
    ck_assert_status(mlc_explained_variance_score(c, c2, 6, 1, NULL, MLC_MULTIOUTPUT_UNIFORM,
                                                  &v),
                     MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "evs_const_imperfect"));

    /* One constant output next to a varying one. */
    size_t n, k;
    double *yt = fx_doubles(fx, "y_true", &n, &k);
    double two[12], two_pred[12], both_const[12], both_pred[12];
    for (int i = 0; i < 6; i++) {
        two[2 * i] = 2.5;
        two[2 * i + 1] = yt[i * k];
        both_const[2 * i] = both_const[2 * i + 1] = 2.5;
        both_pred[2 * i] = 2.5;
        both_pred[2 * i + 1] = 3.5;
    }
    for (int i = 0; i < 12; i++)
        two_pred[i] = two[i] + 0.25;
    double raw[2];
    double *want = fx_doubles(fx, "r2_mixed_raw", NULL, NULL);
    ck_assert_status(mlc_r2_score(two, two_pred, 6, 2, NULL, MLC_MULTIOUTPUT_RAW, raw), MLC_OK);
    ck_assert_close(raw, want, 2, 1e-12, "r2 raw with a constant output");
    ck_assert_status(mlc_r2_score(two, two_pred, 6, 2, NULL, MLC_MULTIOUTPUT_VARIANCE, &v),
                     MLC_OK);
    ck_assert_double_eq_tol(v, fx_number(fx, "r2_mixed_variance"), 1e-12);
    ck_assert_status(mlc_r2_score(both_const, both_pred, 6, 2, NULL, MLC_MULTIOUTPUT_VARIANCE,
                                  &v),
                     MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "r2_all_const_variance"));

    /* R^2 of one sample: NaN as scikit-learn. */
    ck_assert_status(mlc_r2_score(c, c2, 1, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_OK);
    ck_assert(isnan(v));

    double z_t[2] = {0.0, 1.0}, z_p[2] = {1.0, 1.0};
    ck_assert_status(mlc_mean_absolute_percentage_error(z_t, z_p, 2, 1, NULL,
                                                        MLC_MULTIOUTPUT_UNIFORM, &v),
                     MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "mape_zero"));
    double e_t[4] = {1, 2, 3, 4}, e_p[4] = {0, 0, 0, 0};
    ck_assert_status(mlc_median_absolute_error(e_t, e_p, 4, 1, NULL, MLC_MULTIOUTPUT_UNIFORM,
                                               &v),
                     MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "medae_even"));
    double t_t[5] = {1, 1, 2, 2, 3}, t_p[5] = {0}, t_w[5] = {1, 0, 2, 1, 1};
    ck_assert_status(mlc_median_absolute_error(t_t, t_p, 5, 1, t_w, MLC_MULTIOUTPUT_UNIFORM,
                                               &v),
                     MLC_OK);
    ck_assert_double_eq(v, fx_number(fx, "medae_ties_weighted"));
    /* n = 1, d = 1 everywhere else. */
    ck_assert_status(mlc_mean_squared_error(c, c2 + 2, 1, 1, NULL, MLC_MULTIOUTPUT_RAW, &v),
                     MLC_OK);
    ck_assert_double_eq(v, 1.0);
    free(want);
    free(yt);
    json_decref(fx);
}
END_TEST

START_TEST(test_errors)
{
    double a[3] = {1, 2, 3}, b[3] = {1, 2, 4}, v;
    double bad[3] = {1, NAN, 3}, negw[3] = {1, -1, 1}, zerow[3] = {0, 0, 0};
    for (size_t f = 0; f < sizeof FNS / sizeof FNS[0]; f++) {
        ck_assert_status(FNS[f].fn(NULL, b, 3, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v),
                         MLC_EINVAL);
        ck_assert_status(FNS[f].fn(a, b, 3, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, NULL),
                         MLC_EINVAL);
        ck_assert_status(FNS[f].fn(a, b, 0, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_EEMPTY);
        ck_assert_status(FNS[f].fn(a, b, 3, 0, NULL, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_EEMPTY);
        ck_assert_status(FNS[f].fn(a, bad, 3, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v),
                         MLC_ENONFINITE);
        ck_assert_status(FNS[f].fn(bad, b, 3, 1, NULL, MLC_MULTIOUTPUT_UNIFORM, &v),
                         MLC_ENONFINITE);
        ck_assert_status(FNS[f].fn(a, b, 3, 1, negw, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_EINVAL);
        ck_assert_status(FNS[f].fn(a, b, 3, 1, zerow, MLC_MULTIOUTPUT_UNIFORM, &v), MLC_EINVAL);
        ck_assert_status(FNS[f].fn(a, b, 3, 1, NULL, (mlc_multioutput)7, &v), MLC_EINVAL);
        if (!FNS[f].variance)
            ck_assert_status(FNS[f].fn(a, b, 3, 1, NULL, MLC_MULTIOUTPUT_VARIANCE, &v),
                             MLC_EINVAL);
    }
    ck_assert_status(mlc_max_error(a, NULL, 3, &v), MLC_EINVAL);
    ck_assert_status(mlc_max_error(a, b, 0, &v), MLC_EEMPTY);
    ck_assert_status(mlc_max_error(a, bad, 3, &v), MLC_ENONFINITE);
}
END_TEST

Suite *mlc_metrics_regression_suite(void)
{
    Suite *s = suite_create("metrics_regression");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_all_modes);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, test_edge_cases);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors);
    suite_add_tcase(s, errors);
    return s;
}
