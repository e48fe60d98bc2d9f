/* mlcore report --model MODEL.json --data FILE [--target COL | --y Y.npy] [--digits N]
 *               [--json]
 * What a study reports of a fitted model on data, by the model's kind:
 * scikit-learn's classification report, confusion matrix, ROC AUC, PR AUC and
 * log loss; the regression errors and a residual summary; the clustering
 * indices; an outlier detector's counts. Every number comes from the
 * library's metrics (mlcore/metrics.h); this file chooses, arranges, prints. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Where the numbers go: text on stdout, or one JSON object. */
typedef struct report {
    const cli_opts *o;
    const mlc_estimator *e;
    const mlc_dataset *ds;
    size_t n;
    json_t *json;
} report;

static json_t *number_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* One number: a text line, or a JSON member. */
static void put(report *r, json_t *obj, const char *key, const char *label, double v)
{
    json_object_set_new(obj, key, number_or_null(v));
    if (!r->o->json) {
        if (isnan(v))
            printf("%-30s undefined\n", label);
        else
            printf("%-30s %.10g\n", label, v);
    }
}

/* A metric's status: its value, or NaN with a note when the metric is
 * undefined on this data. Only running out of memory stops the report. */
static int measured(report *r, int st, const char *what, double *v)
{
    if (st == MLC_OK)
        return EXIT_OK;
    *v = NAN;
    if (st == MLC_ENOMEM)
        return cli_fail(what, st);
    if (!r->o->quiet)
        fprintf(stderr, "mlcore: note: %s is undefined here: %s\n", what,
                mlc_last_error_message());
    return EXIT_OK;
}

/* A label as scikit-learn prints an integer label (str of an int). */
static void label_text(double v, char *buf, size_t len)
{
    if (v == floor(v) && fabs(v) < 1e17)
        snprintf(buf, len, "%.0f", v == 0 ? 0.0 : v);
    else
        snprintf(buf, len, "%.17g", v);
}

static json_t *label_json(double v)
{
    return v == floor(v) && fabs(v) < 9e15 ? json_integer((json_int_t)v) : json_real(v);
}

/* An output of the model on the data, allocated here. */
static int model_output(report *r, mlc_output kind, mlc_matrix *out)
{
    size_t cols = mlc_estimator_output_cols(r->e, kind);
    if (mlc_matrix_alloc(out, r->n, cols ? cols : 1))
        return cli_fail(mlc_output_name(kind), MLC_ENOMEM);
    int st = mlc_estimator_output(r->e, kind, &r->ds->X, out);
    if (st) {
        mlc_matrix_clear(out);
        return cli_fail(mlc_output_name(kind), st);
    }
    return EXIT_OK;
}

/* Predicted labels (one column). */
static int predict_labels(report *r, mlc_matrix *pred)
{
    if (mlc_estimator_output_cols(r->e, MLC_OUT_PREDICT) != 1)
        return cli_usage_error("%s gives no single predicted label per row to report on",
                               mlc_estimator_name(r->e));
    return model_output(r, MLC_OUT_PREDICT, pred);
}

/* The confusion matrix, rows true and columns predicted, both labelled. */
static void print_confusion(const double *labels, size_t k, const double *cm)
{
    char text[40];
    int wl = 4, wc = 3;
    for (size_t i = 0; i < k; i++) {
        label_text(labels[i], text, sizeof text);
        wl = (int)strlen(text) > wl ? (int)strlen(text) : wl;
    }
    for (size_t i = 0; i < k * k; i++) {
        snprintf(text, sizeof text, "%.0f", cm[i]);
        wc = (int)strlen(text) > wc ? (int)strlen(text) : wc;
    }
    wc = wc > wl ? wc : wl;
    printf("confusion matrix (rows: true label, columns: predicted label)\n%*s", wl, "");
    for (size_t j = 0; j < k; j++) {
        label_text(labels[j], text, sizeof text);
        printf(" %*s", wc, text);
    }
    putchar('\n');
    for (size_t i = 0; i < k; i++) {
        label_text(labels[i], text, sizeof text);
        printf("%*s", wl, text);
        for (size_t j = 0; j < k; j++)
            printf(" %*.0f", wc, cm[i * k + j]);
        putchar('\n');
    }
    putchar('\n');
}

static json_t *confusion_json(const double *labels, size_t k, const double *cm)
{
    json_t *obj = json_object(), *lab = json_array(), *rows = json_array();
    for (size_t i = 0; i < k; i++) {
        json_array_append_new(lab, label_json(labels[i]));
        json_t *row = json_array();
        for (size_t j = 0; j < k; j++)
            json_array_append_new(row, json_integer((json_int_t)cm[i * k + j]));
        json_array_append_new(rows, row);
    }
    json_object_set_new(obj, "labels", lab);
    json_object_set_new(obj, "matrix", rows);
    return obj;
}

/* The confusion matrix of y against predictions over the given labels:
 * printed or added to the JSON. cm gets k x k counts. */
static int confusion(report *r, const double *y, const double *pred, const double *labels,
                     size_t k, double *cm)
{
    int st = mlc_confusion_matrix(y, pred, r->n, labels, k, NULL, MLC_CM_NORMALIZE_NONE, cm);
    if (st)
        return cli_fail("confusion matrix", st);
    if (r->o->json)
        json_object_set_new(r->json, "confusion_matrix", confusion_json(labels, k, cm));
    else
        print_confusion(labels, k, cm);
    return EXIT_OK;
}

/* ------------------------------------------------------------ classifier */

static json_t *report_row_json(const mlc_report_row *row)
{
    json_t *obj = json_object();
    json_object_set_new(obj, "precision", json_real(row->precision));
    json_object_set_new(obj, "recall", json_real(row->recall));
    json_object_set_new(obj, "f1-score", json_real(row->f1));
    json_object_set_new(obj, "support", json_integer((json_int_t)row->support));
    return obj;
}

/* classification_report(output_dict=True). */
static json_t *class_report_json(const mlc_class_report *cr, char (*names)[40])
{
    json_t *obj = json_object();
    for (size_t i = 0; i < cr->n_labels; i++)
        json_object_set_new(obj, names[i], report_row_json(&cr->rows[i]));
    if (cr->micro_is_accuracy)
        json_object_set_new(obj, "accuracy", json_real(cr->accuracy));
    else
        json_object_set_new(obj, "micro avg", report_row_json(&cr->micro_avg));
    json_object_set_new(obj, "macro avg", report_row_json(&cr->macro_avg));
    json_object_set_new(obj, "weighted avg", report_row_json(&cr->weighted_avg));
    return obj;
}

/* scikit-learn's UndefinedMetricWarning, as a note: labels never predicted
 * (precision 0.0) or absent from y (recall 0.0). */
static void zero_division_notes(const report *r, char (*names)[40], size_t k, const double *cm)
{
    for (int pass = 0; pass < 2 && !r->o->quiet; pass++) {
        char list[512] = "";
        size_t used = 0;
        for (size_t j = 0; j < k; j++) {
            double count = 0;
            for (size_t i = 0; i < k; i++)
                count += pass == 0 ? cm[i * k + j] : cm[j * k + i];
            if (count == 0 && used < sizeof list)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                         used ? ", " : "", names[j]);
        }
        if (used)
            fprintf(stderr, "mlcore: note: %s and F-score are ill-defined and set to 0.0 for "
                            "labels with no %s samples: %s\n",
                    pass == 0 ? "precision" : "recall", pass == 0 ? "predicted" : "true", list);
    }
}

/* The scores ROC AUC and PR AUC rank by: one column per scored class. Two
 * classes: decision_function, else predict_proba of the greater class (as
 * scikit-learn's roc_auc scorer); more: predict_proba, else a one-vs-rest
 * decision_function. S NULL when the model has neither. */
typedef struct class_scores {
    mlc_matrix S;
    const char *source;
    size_t first_col; /* S's column of the first scored class */
    size_t n_scored;  /* 1 (the greater class) or k */
} class_scores;

static int class_scores_of(report *r, size_t k, const mlc_matrix *proba, class_scores *cs)
{
    memset(cs, 0, sizeof *cs);
    size_t dcols = mlc_estimator_output_cols(r->e, MLC_OUT_DECISION);
    int use_decision = k == 2 ? dcols == 1 : !proba->data && dcols == k;
    if (use_decision) {
        cs->source = "decision_function";
        cs->n_scored = k == 2 ? 1 : k;
        return model_output(r, MLC_OUT_DECISION, &cs->S);
    }
    if (proba->data) {
        cs->source = "predict_proba";
        cs->first_col = k == 2 ? 1 : 0;
        cs->n_scored = k == 2 ? 1 : k;
    }
    return EXIT_OK;
}

/* Is every label of y one of the model's classes? If not, a note names one
 * that is not. */
static int labels_known(const report *r, const double *y, const double *classes, size_t k)
{
    for (size_t i = 0; i < r->n; i++) {
        size_t j = 0;
        while (j < k && classes[j] != y[i])
            j++;
        if (j < k)
            continue;
        if (!r->o->quiet) {
            char text[40];
            label_text(y[i], text, sizeof text);
            fprintf(stderr, "mlcore: note: ROC AUC and PR AUC are undefined here: y holds the "
                            "label %s, which the model was not fit on\n", text);
        }
        return 0;
    }
    return 1;
}

/* ROC AUC and average precision of each scored class against the rest,
 * averaged (macro); the class is the positive label, every other negative. */
static int ranking_metrics(report *r, const double *y, const double *classes, size_t k,
                           const mlc_matrix *S, const class_scores *cs)
{
    size_t n = r->n;
    double auc = 0, ap = 0;
    int st = MLC_OK, rc = EXIT_OK;
    if (!labels_known(r, y, classes, k)) {
        auc = ap = NAN;
    } else {
        double *pos = malloc(n * sizeof *pos), *col = malloc(n * sizeof *col);
        if (!pos || !col)
            st = MLC_ENOMEM;
        for (size_t c = 0; c < cs->n_scored && !st; c++) {
            double positive = classes[cs->n_scored == 1 ? 1 : c], a = NAN, p = NAN;
            for (size_t i = 0; i < n; i++) {
                pos[i] = y[i] == positive;
                col[i] = MLC_AT(S, i, cs->first_col + c);
            }
            st = mlc_roc_auc_score(pos, col, n, NULL, &a);
            if (!st)
                st = mlc_average_precision_score(pos, col, n, 1.0, NULL, &p);
            auc += a;
            ap += p;
        }
        free(pos);
        free(col);
        auc /= (double)cs->n_scored;
        ap /= (double)cs->n_scored;
        rc = measured(r, st, "ROC AUC and PR AUC", &auc);
        if (st)
            ap = NAN;
    }
    if (rc)
        return rc;
    const char *avg = cs->n_scored > 1 ? "one-vs-rest macro" : "binary";
    char label[2][64];
    snprintf(label[0], sizeof label[0], "ROC AUC (%s)", avg);
    snprintf(label[1], sizeof label[1], "PR AUC (%s)", avg);
    put(r, r->json, "roc_auc", label[0], auc);
    put(r, r->json, "average_precision", label[1], ap);
    json_object_set_new(r->json, "scores_from", json_string(cs->source));
    if (!r->o->json)
        printf("%-30s %s\n", "scores from", cs->source);
    return EXIT_OK;
}

static int report_classifier(report *r)
{
    const double *y = r->ds->y;
    size_t n = r->n;
    mlc_matrix pred = {0}, proba = {0};
    class_scores cs;
    memset(&cs, 0, sizeof cs);
    mlc_class_report cr;
    memset(&cr, 0, sizeof cr);
    char(*names)[40] = NULL;
    const char **name_ptrs = NULL;
    char *text = NULL;
    double *cm = NULL;
    int rc = predict_labels(r, &pred);
    if (rc)
        return rc;
    int st = mlc_classification_report(y, pred.data, n, NULL, 0, NULL, MLC_ZERO_DIVISION_WARN,
                                       &cr);
    if (st) {
        rc = cli_fail("classification report", st);
        goto done;
    }
    size_t k = cr.n_labels, len = (k + 8) * (80 + 40 + (size_t)r->o->digits * 4);
    names = calloc(k, sizeof *names);
    name_ptrs = malloc(k * sizeof *name_ptrs);
    text = malloc(len);
    cm = malloc(k * k * sizeof *cm);
    if (!names || !name_ptrs || !text || !cm) {
        rc = cli_fail("classification report", MLC_ENOMEM);
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        label_text(cr.labels[i], names[i], sizeof names[i]);
        name_ptrs[i] = names[i];
    }
    st = mlc_classification_report_format(&cr, name_ptrs, (int)r->o->digits, text, len);
    if (st) {
        rc = cli_fail("classification report", st);
        goto done;
    }
    if (r->o->json)
        json_object_set_new(r->json, "classification_report", class_report_json(&cr, names));
    else
        printf("%s\n", text);
    if ((rc = confusion(r, y, pred.data, cr.labels, k, cm)))
        goto done;
    zero_division_notes(r, names, k, cm);

    mlc_attribute cls;
    size_t n_classes = 0;
    if (mlc_estimator_attribute(r->e, "classes_", &cls) == MLC_OK)
        n_classes = mlc_attribute_size(&cls);
    double *classes = malloc((n_classes ? n_classes : 1) * sizeof *classes);
    if (!classes) {
        rc = cli_fail("classes", MLC_ENOMEM);
        goto done;
    }
    for (size_t j = 0; j < n_classes; j++)
        classes[j] = mlc_attribute_value(&cls, j);
    if (n_classes >= 2 && mlc_estimator_output_cols(r->e, MLC_OUT_PROBA) == n_classes)
        rc = model_output(r, MLC_OUT_PROBA, &proba);
    if (!rc && n_classes >= 2)
        rc = class_scores_of(r, n_classes, &proba, &cs);
    if (!rc && cs.source)
        rc = ranking_metrics(r, y, classes, n_classes, cs.S.data ? &cs.S : &proba, &cs);
    if (!rc && proba.data) {
        double v;
        st = mlc_log_loss(y, proba.data, n, n_classes, classes, n_classes, NULL, 1, 0, &v);
        if (!(rc = measured(r, st, "log loss", &v)))
            put(r, r->json, "log_loss", "log loss", v);
    }
    free(classes);
done:
    mlc_matrix_clear(&cs.S);
    mlc_matrix_clear(&proba);
    mlc_matrix_clear(&pred);
    mlc_class_report_clear(&cr);
    free(names);
    free(name_ptrs);
    free(text);
    free(cm);
    return rc;
}

/* ------------------------------------------------------------- regressor */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.percentile's 'linear' method on sorted values (with its two-sided
 * interpolation, which is exact at both ends). */
static double quantile_sorted(const double *v, size_t n, double q)
{
    double at = (double)(n - 1) * q, lo = floor(at), t = at - lo;
    size_t i = (size_t)lo, j = i + 1 < n ? i + 1 : i;
    double diff = v[j] - v[i];
    return t >= 0.5 ? v[j] - diff * (1 - t) : v[i] + diff * t;
}

/* The residuals y - prediction as pandas' describe summarises them (std with
 * n - 1). */
static int residual_summary(report *r, const double *y, const double *pred)
{
    size_t n = r->n;
    double *res = malloc(n * sizeof *res);
    if (!res)
        return cli_fail("residuals", MLC_ENOMEM);
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        sum += res[i] = y[i] - pred[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (res[i] - mean) * (res[i] - mean);
    qsort(res, n, sizeof *res, cmp_double);
    const char *keys[7] = {"mean", "std", "min", "25%", "50%", "75%", "max"};
    double v[7] = {mean, n > 1 ? sqrt(ss / (double)(n - 1)) : NAN, res[0],
                   quantile_sorted(res, n, 0.25), quantile_sorted(res, n, 0.5),
                   quantile_sorted(res, n, 0.75), res[n - 1]};
    free(res);
    json_t *obj = json_object();
    if (!r->o->json)
        printf("\nresiduals (y - prediction)\n");
    for (int k = 0; k < 7; k++) {
        char label[32];
        snprintf(label, sizeof label, "  %s", keys[k]);
        put(r, obj, keys[k], label, v[k]);
    }
    json_object_set_new(r->json, "residuals", obj);
    return EXIT_OK;
}

static int report_regressor(report *r)
{
    const double *y = r->ds->y;
    size_t n = r->n;
    mlc_matrix pred;
    if (mlc_estimator_output_cols(r->e, MLC_OUT_PREDICT) != 1)
        return cli_usage_error("report takes one target; %s predicts %zu",
                               mlc_estimator_name(r->e),
                               mlc_estimator_output_cols(r->e, MLC_OUT_PREDICT));
    int rc = model_output(r, MLC_OUT_PREDICT, &pred);
    if (rc)
        return rc;
    const double *p = pred.data;
    const mlc_multioutput mo = MLC_MULTIOUTPUT_UNIFORM;
    static const char *const keys[8] = {
        "r2", "mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
        "mean_absolute_percentage_error", "explained_variance", "max_error",
        "median_absolute_error"};
    static const char *const labels[8] = {"R^2", "MSE", "RMSE", "MAE", "MAPE",
                                          "explained variance", "max error",
                                          "median absolute error"};
    for (int m = 0; m < 8 && !rc; m++) {
        double v = NAN;
        int st;
        switch (m) {
        case 0: st = mlc_r2_score(y, p, n, 1, NULL, mo, &v); break;
        case 1: st = mlc_mean_squared_error(y, p, n, 1, NULL, mo, &v); break;
        case 2: st = mlc_root_mean_squared_error(y, p, n, 1, NULL, mo, &v); break;
        case 3: st = mlc_mean_absolute_error(y, p, n, 1, NULL, mo, &v); break;
        case 4: st = mlc_mean_absolute_percentage_error(y, p, n, 1, NULL, mo, &v); break;
        case 5: st = mlc_explained_variance_score(y, p, n, 1, NULL, mo, &v); break;
        case 6: st = mlc_max_error(y, p, n, &v); break;
        default: st = mlc_median_absolute_error(y, p, n, 1, NULL, mo, &v); break;
        }
        if (!(rc = measured(r, st, labels[m], &v)))
            put(r, r->json, keys[m], labels[m], v);
    }
    if (!rc)
        rc = residual_summary(r, y, p);
    mlc_matrix_clear(&pred);
    return rc;
}

/* ------------------------------------------------- clusterer and mixture */

/* Labels as int32; 0 with a note when they are not integral (a clusterer's
 * y may be anything). */
static int int_labels(const report *r, const double *v, const char *what, int32_t *out)
{
    for (size_t i = 0; i < r->n; i++) {
        if (v[i] != floor(v[i]) || v[i] < INT32_MIN || v[i] > INT32_MAX) {
            if (!r->o->quiet)
                fprintf(stderr, "mlcore: note: %s[%zu] = %g is not a cluster label: no scores "
                                "against it\n",
                        what, i, v[i]);
            return 0;
        }
        out[i] = (int32_t)v[i];
    }
    return 1;
}

static int report_clusterer(report *r)
{
    size_t n = r->n;
    mlc_matrix pred;
    int rc = predict_labels(r, &pred);
    if (rc)
        return rc;
    int32_t *labels = malloc(n * sizeof *labels), *truth = malloc(n * sizeof *truth);
    mlc_contingency sizes = {0};
    if (!labels || !truth) {
        rc = cli_fail("cluster labels", MLC_ENOMEM);
        goto done;
    }
    if (!int_labels(r, pred.data, "predicted labels", labels)) {
        rc = cli_usage_error("%s predicts labels that are not cluster labels",
                             mlc_estimator_name(r->e));
        goto done;
    }
    /* Cluster sizes: the contingency of the labels with themselves. */
    int st = mlc_contingency_matrix(labels, labels, n, &sizes);
    if (st) {
        rc = cli_fail("cluster sizes", st);
        goto done;
    }
    json_t *sz = json_object();
    if (!r->o->json)
        printf("%-30s %zu\n", "clusters", sizes.n_true);
    for (size_t c = 0; c < sizes.n_true; c++) {
        char key[16];
        int64_t count = sizes.counts[c * sizes.n_pred + c];
        snprintf(key, sizeof key, "%d", (int)sizes.classes_true[c]);
        json_object_set_new(sz, key, json_integer((json_int_t)count));
        if (!r->o->json)
            printf("  %-28s %lld\n", key, (long long)count);
    }
    json_object_set_new(r->json, "n_clusters", json_integer((json_int_t)sizes.n_true));
    json_object_set_new(r->json, "cluster_sizes", sz);
    static const char *const keys[3] = {"silhouette", "calinski_harabasz", "davies_bouldin"};
    static const char *const names[3] = {"silhouette", "Calinski-Harabasz",
                                         "Davies-Bouldin"};
    for (int m = 0; m < 3 && !rc; m++) {
        double v = NAN;
        st = m == 0   ? mlc_silhouette_score(&r->ds->X, labels, (int)r->o->threads, &v)
             : m == 1 ? mlc_calinski_harabasz_score(&r->ds->X, labels, &v)
                      : mlc_davies_bouldin_score(&r->ds->X, labels, &v);
        if (!(rc = measured(r, st, names[m], &v)))
            put(r, r->json, keys[m], names[m], v);
    }
    /* The model's own score on the data: k-means' is minus the inertia, a
     * mixture's the mean log-likelihood. */
    mlc_attribute inertia;
    int has_inertia = mlc_estimator_attribute(r->e, "inertia_", &inertia) == MLC_OK;
    int density = mlc_estimator_task(r->e) == MLC_TASK_DENSITY;
    if (!rc && (has_inertia || density)) {
        double s = NAN;
        st = mlc_estimator_score(r->e, &r->ds->X, NULL, &s);
        if (!(rc = measured(r, st, "score", &s))) {
            if (has_inertia)
                put(r, r->json, "inertia", "inertia", -s);
            else
                put(r, r->json, "mean_log_likelihood", "mean log-likelihood", s);
        }
    }
    if (!rc && r->ds->y && int_labels(r, r->ds->y, "y", truth)) {
        double ari = NAN, nmi = NAN;
        st = mlc_adjusted_rand_score(truth, labels, n, &ari);
        if (!(rc = measured(r, st, "adjusted Rand index", &ari)))
            put(r, r->json, "adjusted_rand", "adjusted Rand index (y)", ari);
        st = mlc_normalized_mutual_info_score(truth, labels, n, MLC_AVERAGE_METHOD_ARITHMETIC,
                                              &nmi);
        if (!rc && !(rc = measured(r, st, "normalized mutual information", &nmi)))
            put(r, r->json, "normalized_mutual_info", "normalized mutual info (y)", nmi);
    }
done:
    mlc_contingency_clear(&sizes);
    free(labels);
    free(truth);
    mlc_matrix_clear(&pred);
    return rc;
}

/* ------------------------------------------------------ outlier detector */

static int report_outliers(report *r)
{
    mlc_matrix pred;
    int rc = predict_labels(r, &pred);
    if (rc)
        return rc;
    size_t inliers = 0, outliers = 0;
    for (size_t i = 0; i < r->n; i++) {
        inliers += pred.data[i] == 1;
        outliers += pred.data[i] == -1;
    }
    json_object_set_new(r->json, "inliers", json_integer((json_int_t)inliers));
    json_object_set_new(r->json, "outliers", json_integer((json_int_t)outliers));
    if (!r->o->json)
        printf("%-30s %zu\n%-30s %zu\n", "inliers (+1)", inliers, "outliers (-1)", outliers);
    const double *y = r->ds->y;
    size_t bad = 0;
    while (y && bad < r->n && (y[bad] == 1 || y[bad] == -1))
        bad++;
    if (y && bad < r->n) {
        if (!r->o->quiet)
            fprintf(stderr, "mlcore: note: y[%zu] = %g is not +1 (inlier) or -1 (outlier); "
                            "no confusion matrix\n",
                    bad, y[bad]);
    } else if (y) {
        static const double labels[2] = {-1, 1};
        double cm[4];
        if (!r->o->json)
            putchar('\n');
        rc = confusion(r, y, pred.data, labels, 2, cm);
    }
    mlc_matrix_clear(&pred);
    return rc;
}

/* ------------------------------------------------------------------ main */

int cmd_report(const cli_opts *o)
{
    if (o->help)
        return cli_command_help("report");
    if (o->digits > 17)
        return cli_usage_error("--digits takes 0 to 17, got %ld", o->digits);
    mlc_estimator *e;
    mlc_dataset ds;
    int rc = cli_load_model_and_data(o, &e, &ds);
    if (rc)
        return rc;
    rc = cli_apply_params(o, e); /* --threads */
    mlc_task task = mlc_estimator_task(e);
    report r = {o, e, &ds, ds.X.rows, json_object()};
    if (!rc && (task == MLC_TASK_CLASSIFIER || task == MLC_TASK_REGRESSOR) && !ds.y)
        rc = cli_usage_error("a report on a %s needs y: the target column (--target COL) or "
                             "--y FILE.npy",
                             mlc_task_name(task));
    if (!rc && task == MLC_TASK_TRANSFORMER)
        rc = cli_usage_error("%s is a transformer: there is nothing to report (see mlcore "
                             "predict)",
                             mlc_estimator_name(e));
    json_object_set_new(r.json, "command", json_string("report"));
    json_object_set_new(r.json, "estimator", json_string(mlc_estimator_name(e)));
    json_object_set_new(r.json, "task", json_string(mlc_task_name(task)));
    json_object_set_new(r.json, "model", json_string(o->model));
    json_object_set_new(r.json, "data", json_string(o->data));
    json_object_set_new(r.json, "n_samples", json_integer((json_int_t)ds.X.rows));
    if (!rc && !o->json)
        printf("%s (%s) on %s: %zu samples\n\n", mlc_estimator_name(e), mlc_task_name(task),
               o->data, ds.X.rows);
    if (!rc) {
        switch (task) {
        case MLC_TASK_CLASSIFIER: rc = report_classifier(&r); break;
        case MLC_TASK_REGRESSOR: rc = report_regressor(&r); break;
        case MLC_TASK_OUTLIER: rc = report_outliers(&r); break;
        default: rc = report_clusterer(&r); break;
        }
    }
    if (!rc && o->json)
        cli_print_json(r.json);
    if (!rc && !o->json && fflush(stdout) != 0)
        rc = EXIT_FAIL;
    json_decref(r.json);
    mlc_dataset_clear(&ds);
    mlc_estimator_free(e);
    return rc;
}
