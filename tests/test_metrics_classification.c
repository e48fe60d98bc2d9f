/* Classification metrics against scikit-learn 1.2 (fixture
 * metrics_classification). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

typedef struct cls_fx {
    json_t *fx;
    size_t n;
    double *yb, *pb, *ym, *pm, *sw;
} cls_fx;

static cls_fx load(void)
{
    cls_fx c;
    c.fx = fx_load("metrics_classification");
    c.yb = fx_doubles(c.fx, "yb", &c.n, NULL);
    c.pb = fx_doubles(c.fx, "pb", NULL, NULL);
    c.ym = fx_doubles(c.fx, "ym", NULL, NULL);
    c.pm = fx_doubles(c.fx, "pm", NULL, NULL);
    c.sw = fx_doubles(c.fx, "sample_weight", NULL, NULL);
    return c;
}

static void unload(cls_fx *c)
{
    free(c->yb);
    free(c->pb);
    free(c->ym);
    free(c->pm);
    free(c->sw);
    json_decref(c->fx);
}

static double g_worst = 0.0;

static void expect(const double *got, json_t *fx, const char *key, size_t n, double tol)
{
    size_t r, cc;
    double *want = fx_doubles(fx, key, &r, &cc);
    ck_assert_msg(r * cc == n, "%s: fixture has %zu values, expected %zu", key, r * cc, n);
    double d = max_rel_diff(got, want, n, 1e-300);
    ck_assert_msg(d <= tol, "%s differs: max rel diff %.3g (got %.17g want %.17g)", key, d,
                  got[0], want[0]);
    if (d > g_worst)
        g_worst = d;
    free(want);
}

START_TEST(test_accuracy_confusion)
{
    cls_fx c = load();
    double v;
    ck_assert_status(mlc_accuracy_score(c.yb, c.pb, c.n, NULL, 1, &v), MLC_OK);
    expect(&v, c.fx, "accuracy_b", 1, 1e-15);
    ck_assert_status(mlc_accuracy_score(c.ym, c.pm, c.n, c.sw, 1, &v), MLC_OK);
    expect(&v, c.fx, "accuracy_m_w", 1, 1e-15);
    ck_assert_status(mlc_accuracy_score(c.ym, c.pm, c.n, NULL, 0, &v), MLC_OK);
    expect(&v, c.fx, "accuracy_m_count", 1, 0);
    ck_assert_status(mlc_accuracy_score(c.ym, c.pm, c.n, c.sw, 0, &v), MLC_OK);
    expect(&v, c.fx, "accuracy_m_count_w", 1, 1e-15);

    double labels[100];
    size_t k;
    ck_assert_status(mlc_unique_labels(c.ym, c.pm, c.n, labels, 100, &k), MLC_OK);
    expect(labels, c.fx, "labels_m", k, 0);
    ck_assert_status(mlc_unique_labels(c.ym, c.pm, c.n, labels, 2, &k), MLC_ERANGE);
    ck_assert_uint_eq(k, 5);

    const char *norms[4] = {"None", "true", "pred", "all"};
    double cm[25];
    for (int m = 0; m < 4; m++)
        for (int w = 0; w < 2; w++) {
            char key[32];
            snprintf(key, sizeof key, "cm_%s_%d", norms[m], w);
            ck_assert_status(mlc_confusion_matrix(c.ym, c.pm, c.n, NULL, 5, w ? c.sw : NULL,
                                                  (mlc_cm_normalize)m, cm),
                             MLC_OK);
            expect(cm, c.fx, key, 25, 1e-15);
        }
    const double sel[3] = {5.0, -1.0, 11.0};
    ck_assert_status(mlc_confusion_matrix(c.ym, c.pm, c.n, sel, 3, NULL,
                                          MLC_CM_NORMALIZE_NONE, cm),
                     MLC_OK);
    expect(cm, c.fx, "cm_labels", 9, 0);
    unload(&c);
}
END_TEST

START_TEST(test_prf)
{
    cls_fx c = load();
    const char *avg_names[5] = {"binary", "micro", "macro", "weighted", "none"};
    const mlc_average avgs[5] = {MLC_AVERAGE_BINARY, MLC_AVERAGE_MICRO, MLC_AVERAGE_MACRO,
                                 MLC_AVERAGE_WEIGHTED, MLC_AVERAGE_NONE};
    const char *zd_names[3] = {"warn", "0", "1"};
    for (int a = 0; a < 5; a++)
        for (int z = 0; z < 3; z++)
            for (int w = 0; w < 2; w++) {
                mlc_prf_options o = mlc_prf_options_default();
                o.average = avgs[a];
                o.zero_division = (mlc_zero_division)z;
                o.sample_weight = w ? c.sw : NULL;
                o.beta = 0.5;
                const double *y = a == 0 ? c.yb : c.ym, *p = a == 0 ? c.pb : c.pm;
                size_t m = a == 4 ? 5 : 1;
                double got[15], f1[5];
                ck_assert_status(mlc_precision_recall_fscore_support(y, p, c.n, &o, got,
                                                                     got + m, got + 2 * m, NULL),
                                 MLC_OK);
                char key[48];
                snprintf(key, sizeof key, "prf_%s_%s_%d", avg_names[a], zd_names[z], w);
                expect(got, c.fx, key, 3 * m, 1e-15);
                ck_assert_status(mlc_f1_score(y, p, c.n, &o, f1), MLC_OK);
                snprintf(key, sizeof key, "f1_%s_%s_%d", avg_names[a], zd_names[z], w);
                expect(f1, c.fx, key, m, 1e-15);
            }
    mlc_prf_options o = mlc_prf_options_default();
    o.average = MLC_AVERAGE_NONE;
    double sup[5], got[3];
    ck_assert_status(mlc_precision_recall_fscore_support(c.ym, c.pm, c.n, &o, NULL, NULL, NULL,
                                                         sup),
                     MLC_OK);
    expect(sup, c.fx, "prf_support_none", 5, 0);
    const double sel[3] = {2.0, 11.0, 9.0};
    o.labels = sel;
    o.n_labels = 3;
    o.average = MLC_AVERAGE_MACRO;
    ck_assert_status(mlc_precision_recall_fscore_support(c.ym, c.pm, c.n, &o, got, got + 1,
                                                         got + 2, NULL),
                     MLC_OK);
    expect(got, c.fx, "prf_labels_macro", 3, 1e-15);
    o.average = MLC_AVERAGE_MICRO;
    ck_assert_status(mlc_precision_recall_fscore_support(c.ym, c.pm, c.n, &o, got, got + 1,
                                                         got + 2, NULL),
                     MLC_OK);
    expect(got, c.fx, "prf_labels_micro", 3, 1e-15);
    o = mlc_prf_options_default();
    o.pos_label = 0.0;
    ck_assert_status(mlc_precision_recall_fscore_support(c.yb, c.pb, c.n, &o, got, got + 1,
                                                         got + 2, NULL),
                     MLC_OK);
    expect(got, c.fx, "prf_pos_label", 3, 1e-15);
    o = mlc_prf_options_default();
    o.average = MLC_AVERAGE_MACRO;
    o.beta = INFINITY;
    ck_assert_status(mlc_fbeta_score(c.ym, c.pm, c.n, &o, got), MLC_OK);
    expect(got, c.fx, "fbeta_inf", 1, 1e-15);
    /* precision_score / recall_score are the matching outputs. */
    double p, r;
    ck_assert_status(mlc_precision_score(c.ym, c.pm, c.n, &o, &p), MLC_OK);
    ck_assert_status(mlc_recall_score(c.ym, c.pm, c.n, &o, &r), MLC_OK);
    ck_assert_status(mlc_precision_recall_fscore_support(c.ym, c.pm, c.n, &o, got, got + 1,
                                                         NULL, NULL),
                     MLC_OK);
    ck_assert_double_eq(p, got[0]);
    ck_assert_double_eq(r, got[1]);
    fprintf(stderr, "classification metrics: max rel diff vs scikit-learn %.3g\n", g_worst);
    unload(&c);
}
END_TEST

START_TEST(test_zero_division)
{
    json_t *fx = fx_load("metrics_classification");
    const char *zd_names[3] = {"warn", "0", "1"};
    double zeros[6] = {0}, one_pred[6] = {1, 0, 0, 0, 0, 0}, one = 1.0;
    double mt[4] = {0, 1, 1, 2}, mp[4] = {0, 2, 2, 2};
    for (int z = 0; z < 3; z++) {
        mlc_prf_options o = mlc_prf_options_default();
        o.zero_division = (mlc_zero_division)z;
        double got[3];
        char key[48];
        ck_assert_status(mlc_precision_recall_fscore_support(zeros, zeros, 6, &o, got, got + 1,
                                                             got + 2, NULL),
                         MLC_OK);
        snprintf(key, sizeof key, "zero_binary_%s", zd_names[z]);
        expect(got, fx, key, 3, 0);
        o.average = MLC_AVERAGE_WEIGHTED;
        o.labels = &one;
        o.n_labels = 1;
        ck_assert_status(mlc_precision_recall_fscore_support(zeros, zeros, 6, &o, got, got + 1,
                                                             got + 2, NULL),
                         MLC_OK);
        snprintf(key, sizeof key, "zero_weighted_%s", zd_names[z]);
        expect(got, fx, key, 3, 0);
        ck_assert_status(mlc_precision_recall_fscore_support(zeros, one_pred, 6, &o, got,
                                                             got + 1, got + 2, NULL),
                         MLC_OK);
        snprintf(key, sizeof key, "zero_pred_weighted_%s", zd_names[z]);
        expect(got, fx, key, 3, 0);
        o.labels = NULL;
        o.average = MLC_AVERAGE_MACRO;
        ck_assert_status(mlc_precision_recall_fscore_support(mt, mp, 4, &o, got, got + 1,
                                                             got + 2, NULL),
                         MLC_OK);
        snprintf(key, sizeof key, "zero_macro_%s", zd_names[z]);
        expect(got, fx, key, 3, 1e-15);
    }
    json_decref(fx);
}
END_TEST

START_TEST(test_balanced_mcc_logloss)
{
    cls_fx c = load();
    double v;
    for (int adj = 0; adj < 2; adj++) {
        char key[32];
        ck_assert_status(mlc_balanced_accuracy_score(c.ym, c.pm, c.n, NULL, adj, &v), MLC_OK);
        snprintf(key, sizeof key, "balanced_%d", adj);
        expect(&v, c.fx, key, 1, 1e-15);
        ck_assert_status(mlc_balanced_accuracy_score(c.ym, c.pm, c.n, c.sw, adj, &v), MLC_OK);
        snprintf(key, sizeof key, "balanced_w_%d", adj);
        expect(&v, c.fx, key, 1, 1e-15);
    }
    ck_assert_status(mlc_matthews_corrcoef(c.yb, c.pb, c.n, NULL, &v), MLC_OK);
    expect(&v, c.fx, "mcc_b", 1, 1e-15);
    ck_assert_status(mlc_matthews_corrcoef(c.ym, c.pm, c.n, NULL, &v), MLC_OK);
    expect(&v, c.fx, "mcc_m", 1, 1e-15);
    ck_assert_status(mlc_matthews_corrcoef(c.ym, c.pm, c.n, c.sw, &v), MLC_OK);
    expect(&v, c.fx, "mcc_m_w", 1, 1e-12);
    double ones[5] = {1, 1, 1, 1, 1};
    ck_assert_status(mlc_matthews_corrcoef(ones, ones, 5, NULL, &v), MLC_OK);
    expect(&v, c.fx, "mcc_const", 1, 0);

    size_t n = c.n;
    double *pb1 = fx_doubles(c.fx, "proba_b", NULL, NULL);
    double *pm4 = fx_doubles(c.fx, "proba_m", NULL, NULL);
    double *mask = fx_doubles(c.fx, "sub_mask", NULL, NULL);
    double *two = malloc(2 * n * sizeof *two);
    for (size_t i = 0; i < n; i++) {
        two[2 * i] = 1 - pb1[i];
        two[2 * i + 1] = pb1[i];
    }
    ck_assert_status(mlc_log_loss(c.yb, pb1, n, 1, NULL, 0, NULL, 1, 0, &v), MLC_OK);
    expect(&v, c.fx, "logloss_b1", 1, 1e-14);
    ck_assert_status(mlc_log_loss(c.yb, two, n, 2, NULL, 0, c.sw, 1, 0, &v), MLC_OK);
    expect(&v, c.fx, "logloss_b2_w", 1, 1e-14);
    ck_assert_status(mlc_log_loss(c.yb, pb1, n, 1, NULL, 0, NULL, 0, 0, &v), MLC_OK);
    expect(&v, c.fx, "logloss_b1_sum", 1, 1e-14);
    ck_assert_status(mlc_log_loss(c.ym, pm4, n, 4, NULL, 0, NULL, 1, 0, &v), MLC_OK);
    expect(&v, c.fx, "logloss_m", 1, 1e-14);
    ck_assert_status(mlc_log_loss(c.yb, pb1, n, 1, NULL, 0, NULL, 1, 1e-15, &v), MLC_OK);
    expect(&v, c.fx, "logloss_eps", 1, 1e-14);
    /* A subset of the samples without one class: labels name all four. */
    double *ys = malloc(n * sizeof *ys), *ps = malloc(4 * n * sizeof *ps);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (mask[i] != 0.0) {
            ys[m] = c.ym[i];
            memcpy(ps + 4 * m, pm4 + 4 * i, 4 * sizeof *ps);
            m++;
        }
    const double classes[4] = {-1, 2, 5, 7};
    ck_assert_status(mlc_log_loss(ys, ps, m, 4, classes, 4, NULL, 1, 0, &v), MLC_OK);
    expect(&v, c.fx, "logloss_m_labels", 1, 1e-14);
    ck_assert_status(mlc_log_loss(ys, ps, m, 4, NULL, 0, NULL, 1, 0, &v), MLC_EBADLEN);
    free(ys);
    free(ps);
    free(two);
    free(pb1);
    free(pm4);
    free(mask);
    unload(&c);
}
END_TEST

static void expect_row(const mlc_report_row *r, json_t *dict, const char *key)
{
    json_t *row = json_object_get(dict, key);
    ck_assert_msg(row != NULL, "report has no row %s", key);
    ck_assert_double_eq_tol(r->precision, json_number_value(json_object_get(row, "precision")),
                            1e-15);
    ck_assert_double_eq_tol(r->recall, json_number_value(json_object_get(row, "recall")), 1e-15);
    ck_assert_double_eq_tol(r->f1, json_number_value(json_object_get(row, "f1-score")), 1e-15);
    ck_assert_double_eq(r->support, json_number_value(json_object_get(row, "support")));
}

START_TEST(test_report)
{
    cls_fx c = load();
    mlc_class_report r;
    ck_assert_status(mlc_classification_report(c.ym, c.pm, c.n, NULL, 0, NULL,
                                               MLC_ZERO_DIVISION_ZERO, &r),
                     MLC_OK);
    json_t *dict = json_object_get(c.fx, "report");
    ck_assert_uint_eq(r.n_labels, 5);
    const char *names[5] = {"-1.0", "2.0", "5.0", "7.0", "9.0"};
    for (size_t i = 0; i < 5; i++)
        expect_row(&r.rows[i], dict, names[i]);
    ck_assert(r.micro_is_accuracy);
    ck_assert_double_eq(r.accuracy, json_number_value(json_object_get(dict, "accuracy")));
    expect_row(&r.macro_avg, dict, "macro avg");
    expect_row(&r.weighted_avg, dict, "weighted avg");
    char text[4096];
    ck_assert_status(mlc_classification_report_format(&r, NULL, 2, text, sizeof text), MLC_OK);
    ck_assert_str_eq(text, json_string_value(json_object_get(c.fx, "report_text")));
    ck_assert_status(mlc_classification_report_format(&r, NULL, 2, text, 40), MLC_ERANGE);
    mlc_class_report_clear(&r);

    ck_assert_status(mlc_classification_report(c.ym, c.pm, c.n, NULL, 0, c.sw,
                                               MLC_ZERO_DIVISION_ZERO, &r),
                     MLC_OK);
    ck_assert_status(mlc_classification_report_format(&r, NULL, 3, text, sizeof text), MLC_OK);
    ck_assert_str_eq(text, json_string_value(json_object_get(c.fx, "report_text_w")));
    mlc_class_report_clear(&r);

    const double sel[2] = {2.0, 5.0};
    ck_assert_status(mlc_classification_report(c.ym, c.pm, c.n, sel, 2, NULL,
                                               MLC_ZERO_DIVISION_ZERO, &r),
                     MLC_OK);
    dict = json_object_get(c.fx, "report_labels");
    ck_assert(!r.micro_is_accuracy);
    expect_row(&r.rows[0], dict, "2.0");
    expect_row(&r.rows[1], dict, "5.0");
    expect_row(&r.micro_avg, dict, "micro avg");
    expect_row(&r.macro_avg, dict, "macro avg");
    expect_row(&r.weighted_avg, dict, "weighted avg");
    const char *tn[2] = {"two", "five"};
    ck_assert_status(mlc_classification_report_format(&r, tn, 2, text, sizeof text), MLC_OK);
    ck_assert(strstr(text, "        five       ") != NULL);
    ck_assert(strstr(text, "   micro avg") != NULL);
    mlc_class_report_clear(&r);
    mlc_class_report_clear(NULL);
    unload(&c);
}
END_TEST

START_TEST(test_edge)
{
    /* n = 1, a single class, labels that are only predicted. */
    double one = 3.0, v, cm[4];
    ck_assert_status(mlc_accuracy_score(&one, &one, 1, NULL, 1, &v), MLC_OK);
    ck_assert_double_eq(v, 1.0);
    ck_assert_status(mlc_confusion_matrix(&one, &one, 1, NULL, 1, NULL, MLC_CM_NORMALIZE_TRUE,
                                          cm),
                     MLC_OK);
    ck_assert_double_eq(cm[0], 1.0);
    double yt[4] = {1, 1, 1, 1}, yp[4] = {1, 2, 1, 2};
    ck_assert_status(mlc_balanced_accuracy_score(yt, yp, 4, NULL, 0, &v), MLC_OK);
    ck_assert_double_eq(v, 0.5); /* class 2 (predicted only) is dropped */
    ck_assert_status(mlc_confusion_matrix(yt, yp, 4, NULL, 2, NULL, MLC_CM_NORMALIZE_PRED, cm),
                     MLC_OK);
    ck_assert_double_eq(cm[2], 0.0); /* 0/0 -> 0 */
    mlc_prf_options o = mlc_prf_options_default();
    o.pos_label = 2;
    ck_assert_status(mlc_precision_score(yt, yp, 4, &o, &v), MLC_OK);
    ck_assert_double_eq(v, 0.0);
    /* pos_label absent from a one-label problem: scored as all-zero counts. */
    o.pos_label = 5;
    ck_assert_status(mlc_recall_score(yt, yt, 4, &o, &v), MLC_OK);
    ck_assert_double_eq(v, 0.0);
    /* Perfect predictions with duplicates everywhere. */
    double dup[6] = {4, 4, 4, 9, 9, 9};
    ck_assert_status(mlc_matthews_corrcoef(dup, dup, 6, NULL, &v), MLC_OK);
    ck_assert_double_eq(v, 1.0);
    double p1[6] = {0.0, 0.0, 0.0, 1.0, 1.0, 1.0};
    ck_assert_status(mlc_log_loss(dup, p1, 6, 1, NULL, 0, NULL, 1, 0, &v), MLC_OK);
    ck_assert_double_eq_tol(v, -log(1 - DBL_EPSILON), 1e-30);
}
END_TEST

START_TEST(test_errors)
{
    double a[4] = {0, 1, 0, 1}, b[4] = {0, 1, 1, 1}, m[4] = {0, 1, 2, 1}, v, out[16];
    double frac[4] = {0, 0.5, 1, 1}, nan4[4] = {0, NAN, 1, 1};
    /* accuracy / labels / confusion */
    ck_assert_status(mlc_accuracy_score(NULL, b, 4, NULL, 1, &v), MLC_EINVAL);
    ck_assert_status(mlc_accuracy_score(a, b, 0, NULL, 1, &v), MLC_EEMPTY);
    ck_assert_status(mlc_accuracy_score(a, frac, 4, NULL, 1, &v), MLC_EINVAL);
    ck_assert_status(mlc_accuracy_score(a, nan4, 4, NULL, 1, &v), MLC_ENONFINITE);
    double negw[4] = {1, -1, 1, 1};
    ck_assert_status(mlc_accuracy_score(a, b, 4, negw, 1, &v), MLC_EINVAL);
    size_t k;
    ck_assert_status(mlc_unique_labels(NULL, b, 4, out, 8, &k), MLC_EINVAL);
    ck_assert_status(mlc_unique_labels(a, b, 0, out, 8, &k), MLC_EEMPTY);
    ck_assert_status(mlc_confusion_matrix(a, b, 4, NULL, 3, NULL, MLC_CM_NORMALIZE_NONE, out),
                     MLC_EBADLEN);
    const double absent[2] = {7, 8}, dupl[2] = {1, 1};
    ck_assert_status(mlc_confusion_matrix(a, b, 4, absent, 2, NULL, MLC_CM_NORMALIZE_NONE, out),
                     MLC_EINVAL);
    ck_assert_status(mlc_confusion_matrix(a, b, 4, dupl, 2, NULL, MLC_CM_NORMALIZE_NONE, out),
                     MLC_EINVAL);
    ck_assert_status(mlc_confusion_matrix(a, b, 4, absent, 0, NULL, MLC_CM_NORMALIZE_NONE, out),
                     MLC_EINVAL);
    ck_assert_status(mlc_confusion_matrix(a, b, 4, NULL, 2, NULL, (mlc_cm_normalize)9, out),
                     MLC_EINVAL);
    /* precision / recall / F */
    mlc_prf_options o = mlc_prf_options_default();
    ck_assert_status(mlc_f1_score(m, b, 4, &o, &v), MLC_EINVAL); /* multiclass + binary */
    o.pos_label = 3;
    ck_assert_status(mlc_f1_score(a, b, 4, &o, &v), MLC_EINVAL); /* pos_label not a label */
    o = mlc_prf_options_default();
    o.beta = -1;
    ck_assert_status(mlc_fbeta_score(a, b, 4, &o, &v), MLC_EINVAL);
    o = mlc_prf_options_default();
    o.average = (mlc_average)11;
    ck_assert_status(mlc_f1_score(a, b, 4, &o, &v), MLC_EINVAL);
    o = mlc_prf_options_default();
    o.zero_division = (mlc_zero_division)5;
    ck_assert_status(mlc_f1_score(a, b, 4, &o, &v), MLC_EINVAL);
    ck_assert_status(mlc_f1_score(a, b, 4, NULL, NULL), MLC_EINVAL);
    ck_assert_status(mlc_precision_score(a, b, 0, NULL, &v), MLC_EEMPTY);
    ck_assert_status(mlc_recall_score(a, frac, 4, NULL, &v), MLC_EINVAL);
    /* balanced accuracy / MCC */
    ck_assert_status(mlc_balanced_accuracy_score(a, b, 0, NULL, 0, &v), MLC_EEMPTY);
    ck_assert_status(mlc_matthews_corrcoef(a, NULL, 4, NULL, &v), MLC_EINVAL);
    ck_assert_status(mlc_matthews_corrcoef(frac, a, 4, NULL, &v), MLC_EINVAL);
    /* log loss */
    double p[4] = {0.1, 0.9, 0.2, 0.7}, p3[12] = {0};
    double ones[4] = {1, 1, 1, 1};
    ck_assert_status(mlc_log_loss(ones, p, 4, 1, NULL, 0, NULL, 1, 0, &v), MLC_EINVAL);
    ck_assert_status(mlc_log_loss(a, p3, 4, 3, NULL, 0, NULL, 1, 0, &v), MLC_EBADLEN);
    ck_assert_status(mlc_log_loss(a, nan4, 4, 1, NULL, 0, NULL, 1, 0, &v), MLC_ENONFINITE);
    ck_assert_status(mlc_log_loss(a, p, 4, 1, NULL, 0, NULL, 1, 0.7, &v), MLC_EINVAL);
    ck_assert_status(mlc_log_loss(a, p, 0, 1, NULL, 0, NULL, 1, 0, &v), MLC_EEMPTY);
    const double lab01[2] = {0, 1}, lab1[1] = {1};
    ck_assert_status(mlc_log_loss(m, p3, 4, 2, lab01, 2, NULL, 1, 0, &v), MLC_EINVAL);
    ck_assert_status(mlc_log_loss(a, p, 4, 1, lab1, 1, NULL, 1, 0, &v), MLC_EINVAL);
    /* report */
    mlc_class_report r;
    ck_assert_status(mlc_classification_report(a, b, 0, NULL, 0, NULL, MLC_ZERO_DIVISION_WARN,
                                                &r),
                     MLC_EEMPTY);
    ck_assert_status(mlc_classification_report(a, b, 4, NULL, 0, NULL, MLC_ZERO_DIVISION_WARN,
                                                NULL),
                     MLC_EINVAL);
    ck_assert_status(mlc_classification_report(a, frac, 4, NULL, 0, NULL,
                                                MLC_ZERO_DIVISION_WARN, &r),
                     MLC_EINVAL);
    char buf[8];
    ck_assert_status(mlc_classification_report_format(&r, NULL, 2, buf, sizeof buf),
                     MLC_EINVAL);
}
END_TEST

Suite *mlc_metrics_classification_suite(void)
{
    Suite *s = suite_create("metrics_classification");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_accuracy_confusion);
    tcase_add_test(core, test_prf);
    tcase_add_test(core, test_balanced_mcc_logloss);
    tcase_add_test(core, test_report);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, test_zero_division);
    tcase_add_test(edge, test_edge);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors);
    suite_add_tcase(s, errors);
    return s;
}
