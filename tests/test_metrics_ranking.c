/* ROC / precision-recall curves and their areas against scikit-learn 1.2
 * (fixture metrics_ranking). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

static double g_worst = 0.0;

static void expect(const double *got, json_t *fx, const char *key, size_t n, double tol)
{
    size_t r, c;
    double *want = fx_doubles(fx, key, &r, &c);
    ck_assert_msg(r * c == n, "%s: fixture has %zu values, expected %zu", key, r * c, n);
    double d = max_rel_diff(got, want, n, 1e-300);
    ck_assert_msg(d <= tol, "%s differs: max rel diff %.3g", key, d);
    if (d > g_worst)
        g_worst = d;
    free(want);
}

/* A [a, b, c] triple of arrays in the fixture, checked against three outputs. */
static void expect_triple(json_t *fx, const char *key, const double *a, const double *b,
                          const double *c, size_t na, size_t nc)
{
    json_t *t = json_object_get(fx, key);
    ck_assert_msg(t && json_array_size(t) == 3, "fixture %s is not a triple", key);
    json_t *tmp = json_object();
    const double *got[3] = {a, b, c};
    size_t len[3] = {na, na, nc};
    for (int i = 0; i < 3; i++) {
        json_object_set(tmp, "v", json_array_get(t, i));
        size_t r, cc;
        double *want = fx_doubles(tmp, "v", &r, &cc);
        ck_assert_msg(r == len[i], "%s[%d]: %zu points, expected %zu", key, i, len[i], r);
        double d = max_rel_diff(got[i], want, r, 1e-300);
        ck_assert_msg(d <= 1e-15, "%s[%d] differs: %.3g", key, i, d);
        free(want);
    }
    json_decref(tmp);
}

START_TEST(test_roc_curves)
{
    json_t *fx = fx_load("metrics_ranking");
    size_t n;
    double *y = fx_doubles(fx, "y", &n, NULL);
    double *s = fx_doubles(fx, "score", NULL, NULL);
    double *sw = fx_doubles(fx, "sample_weight", NULL, NULL);
    double *fpr = malloc((n + 1) * sizeof *fpr), *tpr = malloc((n + 1) * sizeof *tpr),
           *thr = malloc((n + 1) * sizeof *thr);
    size_t np;
    for (int drop = 0; drop < 2; drop++)
        for (int w = 0; w < 2; w++) {
            char key[32];
            snprintf(key, sizeof key, "roc_%d_%d", drop, w);
            ck_assert_status(mlc_roc_curve(y, s, n, NAN, w ? sw : NULL, drop, fpr, tpr, thr, &np),
                             MLC_OK);
            expect_triple(fx, key, fpr, tpr, thr, np, np);
        }
    double *ypm = malloc(n * sizeof *ypm);
    for (size_t i = 0; i < n; i++)
        ypm[i] = y[i] == 1 ? 1.0 : -1.0;
    ck_assert_status(mlc_roc_curve(ypm, s, n, NAN, NULL, 1, fpr, tpr, thr, &np), MLC_OK);
    expect_triple(fx, "roc_pm1", fpr, tpr, thr, np, np);
    double *y3 = fx_doubles(fx, "y3", NULL, NULL);
    ck_assert_status(mlc_roc_curve(y3, s, n, 4.0, NULL, 1, fpr, tpr, thr, &np), MLC_OK);
    expect_triple(fx, "roc_pos4", fpr, tpr, thr, np, np);
    ck_assert_status(mlc_roc_curve(y3, s, n, NAN, NULL, 1, fpr, tpr, thr, &np), MLC_EINVAL);

    double v;
    ck_assert_status(mlc_roc_auc_score(y, s, n, NULL, &v), MLC_OK);
    expect(&v, fx, "auc", 1, 1e-15);
    ck_assert_status(mlc_roc_auc_score(y, s, n, sw, &v), MLC_OK);
    expect(&v, fx, "auc_w", 1, 1e-15);
    double vy[4] = {0, 1, 0, 1}, vs[4] = {.5, .5, .2, .9};
    ck_assert_status(mlc_roc_auc_score(vy, vs, 4, NULL, &v), MLC_OK);
    expect(&v, fx, "auc_verified", 1, 0);
    ck_assert_double_eq(v, 0.875);
    for (size_t i = 0; i < n; i++)
        ypm[i] = y[i] == 1 ? 5.0 : 3.0;
    ck_assert_status(mlc_roc_auc_score(ypm, s, n, NULL, &v), MLC_OK);
    expect(&v, fx, "auc_labels_35", 1, 1e-15);
    free(fpr);
    free(tpr);
    free(thr);
    free(ypm);
    free(y3);
    free(y);
    free(s);
    free(sw);
    json_decref(fx);
}
END_TEST

START_TEST(test_precision_recall)
{
    json_t *fx = fx_load("metrics_ranking");
    size_t n;
    double *y = fx_doubles(fx, "y", &n, NULL);
    double *s = fx_doubles(fx, "score", NULL, NULL);
    double *sw = fx_doubles(fx, "sample_weight", NULL, NULL);
    double *p = malloc((n + 1) * sizeof *p), *r = malloc((n + 1) * sizeof *r),
           *thr = malloc(n * sizeof *thr);
    size_t np;
    double v;
    for (int w = 0; w < 2; w++) {
        char key[16];
        snprintf(key, sizeof key, "pr_%d", w);
        ck_assert_status(mlc_precision_recall_curve(y, s, n, NAN, w ? sw : NULL, p, r, thr, &np),
                         MLC_OK);
        expect_triple(fx, key, p, r, thr, np, np - 1);
        snprintf(key, sizeof key, "ap_%d", w);
        ck_assert_status(mlc_average_precision_score(y, s, n, 1.0, w ? sw : NULL, &v), MLC_OK);
        expect(&v, fx, key, 1, 1e-15);
    }
    double vy[4] = {0, 0, 1, 1}, vs[4] = {.1, .4, .35, .8};
    ck_assert_status(mlc_average_precision_score(vy, vs, 4, 1.0, NULL, &v), MLC_OK);
    expect(&v, fx, "ap_verified", 1, 1e-15);
    double *neg = malloc(n * sizeof *neg);
    for (size_t i = 0; i < n; i++)
        neg[i] = -s[i];
    ck_assert_status(mlc_average_precision_score(y, neg, n, 0.0, NULL, &v), MLC_OK);
    expect(&v, fx, "ap_pos0", 1, 1e-15);
    double z[5] = {0}, ar[5] = {0, 1, 2, 3, 4};
    ck_assert_status(mlc_average_precision_score(z, ar, 5, 1.0, NULL, &v), MLC_OK);
    expect(&v, fx, "ap_no_positive", 1, 0);
    fprintf(stderr, "ranking metrics: max rel diff vs scikit-learn %.3g\n", g_worst);
    free(neg);
    free(p);
    free(r);
    free(thr);
    free(y);
    free(s);
    free(sw);
    json_decref(fx);
}
END_TEST

START_TEST(test_multiclass)
{
    json_t *fx = fx_load("metrics_ranking");
    size_t n, k;
    double *ym = fx_doubles(fx, "ym", &n, NULL);
    double *pm = fx_doubles(fx, "pm", NULL, &k);
    double *sw = fx_doubles(fx, "sample_weight", NULL, NULL);
    double v, per[4];
    const char *mcs[2] = {"ovr", "ovo"};
    for (int m = 0; m < 2; m++)
        for (int a = 0; a < 2; a++) {
            char key[32];
            snprintf(key, sizeof key, "auc_%s_%s", mcs[m], a ? "weighted" : "macro");
            ck_assert_status(mlc_roc_auc_multiclass(ym, pm, n, k, NULL, (mlc_multiclass)(m + 1),
                                                    a ? MLC_AVERAGE_WEIGHTED : MLC_AVERAGE_MACRO,
                                                    NULL, &v),
                             MLC_OK);
            expect(&v, fx, key, 1, 1e-15);
        }
    ck_assert_status(mlc_roc_auc_multiclass(ym, pm, n, k, NULL, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MICRO, NULL, &v),
                     MLC_OK);
    expect(&v, fx, "auc_ovr_micro", 1, 1e-15);
    ck_assert_status(mlc_roc_auc_multiclass(ym, pm, n, k, NULL, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_NONE, NULL, per),
                     MLC_OK);
    expect(per, fx, "auc_ovr_none", k, 1e-15);
    const char *wkeys[3] = {"auc_ovr_w_macro", "auc_ovr_w_weighted", "auc_ovr_w_micro"};
    const mlc_average wavg[3] = {MLC_AVERAGE_MACRO, MLC_AVERAGE_WEIGHTED, MLC_AVERAGE_MICRO};
    for (int a = 0; a < 3; a++) {
        ck_assert_status(mlc_roc_auc_multiclass(ym, pm, n, k, NULL, MLC_MULTICLASS_OVR, wavg[a],
                                                sw, &v),
                         MLC_OK);
        expect(&v, fx, wkeys[a], 1, 1e-15);
    }
    /* Labels given, one class absent from y_true (one-vs-one pairs present classes). */
    double *mask = fx_doubles(fx, "sub_mask", NULL, NULL);
    double *ys = malloc(n * sizeof *ys), *ps = malloc(n * k * sizeof *ps);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (mask[i] != 0.0) {
            ys[m] = ym[i];
            memcpy(ps + m * k, pm + i * k, k * sizeof *ps);
            m++;
        }
    const double cls[4] = {0, 1, 3, 8};
    ck_assert_status(mlc_roc_auc_multiclass(ys, ps, m, k, cls, MLC_MULTICLASS_OVO,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_OK);
    expect(&v, fx, "auc_ovo_labels", 1, 1e-15);
    /* one-vs-rest needs every class: the absent one has a single class. */
    ck_assert_status(mlc_roc_auc_multiclass(ys, ps, m, k, cls, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_multiclass(ys, ps, m, k, NULL, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EBADLEN);
    free(ys);
    free(ps);
    free(mask);
    free(ym);
    free(pm);
    free(sw);
    json_decref(fx);
}
END_TEST

START_TEST(test_edge)
{
    /* Two samples, all scores tied, duplicates; perfect and reversed rankings. */
    double y[2] = {0, 1}, tied[2] = {0.3, 0.3}, v;
    ck_assert_status(mlc_roc_auc_score(y, tied, 2, NULL, &v), MLC_OK);
    ck_assert_double_eq(v, 0.5);
    double good[4] = {0, 0, 1, 1}, y4[4] = {0, 0, 1, 1}, bad[4] = {1, 1, 0, 0};
    ck_assert_status(mlc_roc_auc_score(y4, good, 4, NULL, &v), MLC_OK);
    ck_assert_double_eq(v, 1.0);
    ck_assert_status(mlc_roc_auc_score(y4, bad, 4, NULL, &v), MLC_OK);
    ck_assert_double_eq(v, 0.0);
    /* A ROC curve without negatives has NaN false positive rates. */
    double ones[3] = {1, 1, 1}, s3[3] = {0.1, 0.5, 0.9}, f[4], t[4], th[4];
    size_t np;
    ck_assert_status(mlc_roc_curve(ones, s3, 3, NAN, NULL, 1, f, t, th, &np), MLC_OK);
    ck_assert_uint_eq(np, 3); /* the collinear middle point is dropped */
    ck_assert(isnan(f[1]));
    ck_assert_double_eq(t[2], 1.0);
    ck_assert_double_eq(th[0], 1.9);
    /* Zero weights drop samples. */
    double w[4] = {1, 0, 1, 1}, yy[4] = {0, 1, 1, 0}, ss[4] = {0.1, 0.9, 0.8, 0.2};
    ck_assert_status(mlc_roc_auc_score(yy, ss, 4, w, &v), MLC_OK);
    ck_assert_double_eq(v, 1.0);
}
END_TEST

START_TEST(test_errors)
{
    double y[4] = {0, 1, 0, 1}, s[4] = {.1, .2, .3, .4}, v, out[8], t[8], th[8];
    double ones[4] = {1, 1, 1, 1}, y3[4] = {0, 1, 2, 1}, frac[4] = {0, 0.5, 1, 1};
    double nan4[4] = {0.1, NAN, 0.3, 0.4}, zero_w[4] = {0, 0, 0, 0};
    size_t np;
    /* A single class in y_true: ROC AUC is undefined (an error, as scikit-learn). */
    ck_assert_status(mlc_roc_auc_score(ones, s, 4, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_score(y3, s, 4, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_score(NULL, s, 4, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_score(y, s, 4, NULL, NULL), MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_score(y, s, 0, NULL, &v), MLC_EEMPTY);
    ck_assert_status(mlc_roc_auc_score(y, nan4, 4, NULL, &v), MLC_ENONFINITE);
    ck_assert_status(mlc_roc_auc_score(frac, s, 4, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_score(y, s, 4, zero_w, &v), MLC_EINVAL);
    ck_assert_status(mlc_roc_curve(y, s, 4, NAN, NULL, 1, NULL, t, th, &np), MLC_EINVAL);
    ck_assert_status(mlc_roc_curve(y3, s, 4, NAN, NULL, 1, out, t, th, &np), MLC_EINVAL);
    double y25[4] = {2, 5, 2, 5};
    ck_assert_status(mlc_roc_curve(y25, s, 4, NAN, NULL, 1, out, t, th, &np), MLC_EINVAL);
    ck_assert_status(mlc_roc_curve(y, s, 4, 0.5, NULL, 1, out, t, th, &np), MLC_EINVAL);
    ck_assert_status(mlc_precision_recall_curve(y, s, 4, NAN, NULL, out, t, NULL, &np),
                     MLC_EINVAL);
    ck_assert_status(mlc_precision_recall_curve(y, s, 0, NAN, NULL, out, t, th, &np),
                     MLC_EEMPTY);
    ck_assert_status(mlc_average_precision_score(y3, s, 4, 1.0, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_average_precision_score(y25, s, 4, 1.0, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_average_precision_score(y, s, 4, NAN, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_average_precision_score(y, s, 4, 1.0, NULL, NULL), MLC_EINVAL);
    /* Multiclass. */
    double p3[12] = {.2, .3, .5, .1, .1, .8, .3, .3, .4, .6, .2, .2};
    double p3bad[12] = {.2, .3, .6, .1, .1, .8, .3, .3, .4, .6, .2, .2};
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3bad, 4, 3, NULL, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL); /* a row not summing to one */
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3, 4, 3, NULL, MLC_MULTICLASS_OVO,
                                            MLC_AVERAGE_MACRO, ones, &v),
                     MLC_EINVAL); /* ovo takes no weights */
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3, 4, 3, NULL, MLC_MULTICLASS_OVO,
                                            MLC_AVERAGE_MICRO, NULL, &v),
                     MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3, 4, 3, NULL, (mlc_multiclass)0,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_multiclass(y, p3, 4, 2, NULL, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL); /* two columns: binary */
    const double unsorted[3] = {2, 1, 0}, other[3] = {0, 1, 3};
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3, 4, 3, unsorted, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL);
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3, 4, 3, other, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL); /* y_true label outside labels */
    ck_assert_status(mlc_roc_auc_multiclass(y3, p3, 0, 3, NULL, MLC_MULTICLASS_OVR,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EEMPTY);
    double y_one[4] = {1, 1, 1, 1};
    ck_assert_status(mlc_roc_auc_multiclass(y_one, p3, 4, 3, other, MLC_MULTICLASS_OVO,
                                            MLC_AVERAGE_MACRO, NULL, &v),
                     MLC_EINVAL);
}
END_TEST

Suite *mlc_metrics_ranking_suite(void)
{
    Suite *s = suite_create("metrics_ranking");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_roc_curves);
    tcase_add_test(core, test_precision_recall);
    tcase_add_test(core, test_multiclass);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, test_edge);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors);
    suite_add_tcase(s, errors);
    return s;
}
