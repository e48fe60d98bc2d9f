/* Multiclass ROC AUC: one-vs-rest (macro, weighted, micro, per class) and
 * one-vs-one (Hand & Till, macro or prevalence-weighted), as scikit-learn
 * 1.2's _multiclass_roc_auc_score. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "ranking.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

/* Validate inputs; codes[i] = column of y_true[i]. */
static int prepare(const double *y_true, const double *y_score, size_t n, size_t k,
                   const double *labels, mlc_multiclass mc, mlc_average average,
                   const double *sw, int32_t *codes)
{
    if (mc != MLC_MULTICLASS_OVR && mc != MLC_MULTICLASS_OVO)
        return mlc_raise(MLC_EINVAL, "multi_class must be ovr or ovo, got %d", (int)mc);
    int avg_ok = average == MLC_AVERAGE_MACRO || average == MLC_AVERAGE_WEIGHTED ||
                 (mc == MLC_MULTICLASS_OVR &&
                  (average == MLC_AVERAGE_MICRO || average == MLC_AVERAGE_NONE));
    if (!avg_ok)
        return mlc_raise(MLC_EINVAL, "average must be macro or weighted (ovr also micro or none) "
                                     "for multiclass ROC AUC, got %d",
                         (int)average);
    if (k < 3)
        return mlc_raise(MLC_EINVAL, "multiclass ROC AUC needs at least 3 score columns, got "
                                     "%zu; for two classes use mlc_roc_auc_score with the "
                                     "scores of the greater label",
                         k);
    int st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st)
        st = mlc_array_check_finite(y_score, n * k, "y_score");
    if (!st)
        st = mlc_check_weights(sw, n);
    if (st)
        return st;
    if (mc == MLC_MULTICLASS_OVO && sw)
        return mlc_raise(MLC_EINVAL, "sample weights are not supported for one-vs-one ROC AUC");
    for (size_t i = 0; i < n; i++) {
        double s = mlc_sum_pairwise(y_score + i * k, k);
        if (!(fabs(1.0 - s) <= 1e-8 + 1e-5 * fabs(s)))
            return mlc_raise(MLC_EINVAL,
                             "target scores need to be probabilities for multiclass ROC AUC: "
                             "row %zu sums to %.17g, not 1",
                             i, s);
    }
    double *classes;
    size_t nc;
    if (labels) {
        if ((st = mlc_check_class_labels(labels, k, "labels")))
            return st;
        for (size_t j = 1; j < k; j++)
            if (!(labels[j] > labels[j - 1]))
                return mlc_raise(MLC_EINVAL, "labels must be distinct and sorted ascending "
                                             "(labels[%zu] = %g after %g)",
                                 j, labels[j], labels[j - 1]);
        for (size_t i = 0; i < n; i++) {
            long c = mlc_class_find(labels, k, y_true[i]);
            if (c < 0)
                return mlc_raise(MLC_EINVAL, "y_true[%zu] = %g is not one of the given labels",
                                 i, y_true[i]);
            codes[i] = (int32_t)c;
        }
        return MLC_OK;
    }
    if ((st = mlc_class_union(y_true, n, NULL, 0, &classes, &nc)))
        return st;
    if (nc != k) {
        free(classes);
        return mlc_raise(MLC_EBADLEN, "y_true has %zu classes but y_score has %zu columns; give "
                                      "labels when y_true lacks some classes",
                         nc, k);
    }
    for (size_t i = 0; i < n; i++)
        codes[i] = (int32_t)mlc_class_find(classes, k, y_true[i]);
    free(classes);
    return MLC_OK;
}

/* One binary AUC: positives flagged, both classes required. */
static int checked_auc(const double *score, const unsigned char *pos, const double *w, size_t m,
                       double *out)
{
    size_t npos = 0;
    for (size_t i = 0; i < m; i++)
        npos += pos[i];
    if (npos == 0 || npos == m)
        return mlc_raise(MLC_EINVAL, "only one class present in y_true; ROC AUC is not "
                                     "defined in that case");
    return mlc_binary_roc_auc(score, pos, w, m, out);
}

/* The one-vs-rest samples of classes [c0, c1), rows outer (the indicator
 * matrix raveled row-major), zero-weight samples dropped: their scores,
 * whether positive, and weights (with sw); returns how many. */
static size_t ovr_samples(const double *y_score, const int32_t *codes, size_t n, size_t k,
                          size_t c0, size_t c1, const double *sw, double *score,
                          unsigned char *pos, double *w)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = c0; c < c1; c++) {
            if (sw && sw[i] == 0.0)
                continue;
            score[m] = y_score[i * k + c];
            pos[m] = codes[i] == (int32_t)c;
            if (sw)
                w[m] = sw[i];
            m++;
        }
    return m;
}

static int ovr(const double *y_score, const int32_t *codes, size_t n, size_t k,
               mlc_average average, const double *sw, double *out)
{
    int st = MLC_OK;
    size_t cap = average == MLC_AVERAGE_MICRO ? n * k : n;
    double *score = malloc(cap * sizeof *score);
    double *w = sw ? malloc(cap * sizeof *w) : NULL;
    unsigned char *pos = malloc(cap);
    double *per = malloc(3 * k * sizeof *per);
    if (!score || !pos || !per || (sw && !w)) {
        st = mlc_raise_nomem("ROC AUC buffers");
        goto done;
    }
    if (average == MLC_AVERAGE_MICRO) {
        size_t m = ovr_samples(y_score, codes, n, k, 0, k, sw, score, pos, w);
        st = checked_auc(score, pos, w, m, out);
        goto done;
    }
    double *weight = per + k, *tmp = weight + k;
    for (size_t c = 0; c < k && !st; c++) {
        size_t m = ovr_samples(y_score, codes, n, k, c, c + 1, sw, score, pos, w);
        st = checked_auc(score, pos, w, m, &per[c]);
    }
    if (st)
        goto done;
    if (average == MLC_AVERAGE_NONE) {
        memcpy(out, per, k * sizeof *out);
        goto done;
    }
    if (average == MLC_AVERAGE_MACRO) {
        *out = mlc_sum_pairwise(per, k) / (double)k;
        goto done;
    }
    /* weighted: by (weighted) prevalence; np.sum(axis=0) runs down the rows. */
    memset(weight, 0, k * sizeof *weight);
    for (size_t i = 0; i < n; i++)
        weight[codes[i]] += sw ? sw[i] : 1.0;
    double total = mlc_sum_pairwise(weight, k);
    if (fabs(total) <= 1e-8) {
        *out = 0.0;
        goto done;
    }
    for (size_t c = 0; c < k; c++) {
        if (weight[c] == 0.0)
            per[c] = 0.0;
        tmp[c] = per[c] * weight[c];
    }
    *out = mlc_sum_pairwise(tmp, k) / total;
done:
    free(score);
    free(w);
    free(pos);
    free(per);
    return st;
}

static int ovo(const double *y_score, const int32_t *codes, size_t n, size_t k,
               mlc_average average, double *out)
{
    /* Only classes present in y_true form pairs. */
    size_t *count = calloc(k, sizeof *count);
    size_t *present = malloc(k * sizeof *present);
    double *score = malloc(n * sizeof *score);
    unsigned char *pos = malloc(n);
    double *pair = malloc(k * k * sizeof *pair);
    double *prev = malloc(k * k * sizeof *prev);
    double *tmp = malloc(k * k * sizeof *tmp);
    int st = MLC_OK;
    if (!count || !present || !score || !pos || !pair || !prev || !tmp) {
        st = mlc_raise_nomem("ROC AUC buffers");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        count[codes[i]]++;
    size_t np = 0;
    for (size_t c = 0; c < k; c++)
        if (count[c])
            present[np++] = c;
    size_t ix = 0;
    for (size_t p = 0; p < np && !st; p++)
        for (size_t q = p + 1; q < np && !st; q++, ix++) {
            int32_t a = (int32_t)present[p], b = (int32_t)present[q];
            double sa = 0.0, sb = 0.0;
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (codes[i] == a || codes[i] == b) {
                    score[m] = y_score[i * k + (size_t)a];
                    pos[m++] = codes[i] == a;
                }
            st = checked_auc(score, pos, NULL, m, &sa);
            m = 0;
            for (size_t i = 0; i < n; i++)
                if (codes[i] == a || codes[i] == b) {
                    score[m] = y_score[i * k + (size_t)b];
                    pos[m++] = codes[i] == b;
                }
            if (!st)
                st = checked_auc(score, pos, NULL, m, &sb);
            pair[ix] = (sa + sb) / 2.0;
            prev[ix] = (double)m / (double)n; /* np.average(ab_mask) */
        }
    if (st)
        goto done;
    if (ix == 0) {
        st = mlc_raise(MLC_EINVAL, "only one class present in y_true; ROC AUC is not defined");
    } else if (average == MLC_AVERAGE_WEIGHTED) {
        for (size_t i = 0; i < ix; i++)
            tmp[i] = pair[i] * prev[i];
        *out = mlc_sum_pairwise(tmp, ix) / mlc_sum_pairwise(prev, ix);
    } else {
        *out = mlc_sum_pairwise(pair, ix) / (double)ix;
    }
done:
    free(count);
    free(present);
    free(score);
    free(pos);
    free(pair);
    free(prev);
    free(tmp);
    return st;
}

int mlc_roc_auc_multiclass(const double *y_true, const double *y_score, size_t n,
                           size_t n_classes, const double *labels, mlc_multiclass mc,
                           mlc_average average, const double *sw, double *out)
{
    if (!y_true || !y_score || !out)
        return mlc_raise(MLC_EINVAL, "y_true, y_score and the output must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: y_true and y_score have no samples");
    int32_t *codes = malloc(n * sizeof *codes);
    if (!codes)
        return mlc_raise_nomem("class codes");
    int st = prepare(y_true, y_score, n, n_classes, labels, mc, average, sw, codes);
    if (!st)
        st = mc == MLC_MULTICLASS_OVR ? ovr(y_score, codes, n, n_classes, average, sw, out)
                                      : ovo(y_score, codes, n, n_classes, average, out);
    free(codes);
    return st;
}
