/* Label-based classification metrics: accuracy, the label set, the
 * confusion matrix and the scores derived from it (balanced accuracy,
 * Matthews correlation). docs/PARITY.md §12. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

/* y_true, y_pred non-NULL, n > 0, integral labels, valid weights. */
static int check_labels_pair(const double *y_true, const double *y_pred, size_t n,
                             const double *sw, const void *out)
{
    if (!y_true || !y_pred || !out)
        return mlc_raise(MLC_EINVAL, "y_true, y_pred and the output must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: y_true and y_pred have no samples");
    int st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st)
        st = mlc_check_class_labels(y_pred, n, "y_pred");
    if (!st)
        st = mlc_check_weights(sw, n);
    return st;
}

int mlc_accuracy_score(const double *y_true, const double *y_pred, size_t n, const double *sw,
                       int normalize, double *out)
{
    int st = check_labels_pair(y_true, y_pred, n, sw, out);
    if (st)
        return st;
    double *score = malloc(n * sizeof *score);
    if (!score)
        return mlc_raise_nomem("accuracy scratch");
    for (size_t i = 0; i < n; i++)
        score[i] = (y_true[i] == y_pred[i]) * (sw ? sw[i] : 1.0);
    double hit = mlc_sum_pairwise(score, n);
    if (normalize)
        hit /= sw ? mlc_sum_pairwise(sw, n) : (double)n;
    *out = hit;
    free(score);
    return MLC_OK;
}

int mlc_unique_labels(const double *y_true, const double *y_pred, size_t n, double *labels,
                      size_t cap, size_t *n_labels)
{
    if (!y_true || !n_labels || (!labels && cap > 0))
        return mlc_raise(MLC_EINVAL, "y_true and n_labels must not be NULL");
    *n_labels = 0;
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: no labels");
    int st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st && y_pred)
        st = mlc_check_class_labels(y_pred, n, "y_pred");
    if (st)
        return st;
    double *cls;
    size_t k;
    if ((st = mlc_class_union(y_true, n, y_pred, n, &cls, &k)))
        return st;
    *n_labels = k;
    if (k > cap) {
        free(cls);
        return mlc_raise(MLC_ERANGE, "%zu distinct labels do not fit in room for %zu", k, cap);
    }
    memcpy(labels, cls, k * sizeof *cls);
    free(cls);
    return MLC_OK;
}

/* Maps label values to columns of a confusion matrix: sorted values with
 * their positions (given labels keep the caller's order). */
typedef struct label_map {
    double *sorted; /* distinct values, ascending */
    size_t *pos;    /* matrix index of sorted[i] */
    size_t k;
} label_map;

static void label_map_clear(label_map *m)
{
    free(m->sorted);
    free(m->pos);
}

static long label_map_find(const label_map *m, double v)
{
    long i = mlc_class_find(m->sorted, m->k, v);
    return i < 0 ? -1 : (long)m->pos[i];
}

static int label_map_positions(label_map *m)
{
    m->pos = malloc(m->k * sizeof *m->pos);
    if (!m->pos) {
        label_map_clear(m);
        return mlc_raise_nomem("label map");
    }
    for (size_t i = 0; i < m->k; i++)
        m->pos[i] = i;
    return MLC_OK;
}

/* The map of the sorted union of y_true and y_pred. */
static int label_map_union(const double *y_true, const double *y_pred, size_t n, label_map *m)
{
    memset(m, 0, sizeof *m);
    int st = mlc_class_union(y_true, n, y_pred, n, &m->sorted, &m->k);
    return st ? st : label_map_positions(m);
}

/* The map of given labels (checked: integral, distinct, one of them occurs
 * in y_true), in the caller's order. */
static int label_map_given(const double *y_true, size_t n, const double *labels,
                           size_t n_labels, label_map *m)
{
    memset(m, 0, sizeof *m);
    if (n_labels == 0)
        return mlc_raise(MLC_EINVAL, "labels must contain at least one label");
    int st = mlc_check_class_labels(labels, n_labels, "labels");
    if (!st)
        st = mlc_class_union(labels, n_labels, NULL, 0, &m->sorted, &m->k);
    if (!st)
        st = label_map_positions(m);
    if (st)
        return st;
    if (m->k != n_labels) {
        label_map_clear(m);
        return mlc_raise(MLC_EINVAL, "labels must be distinct (%zu given, %zu distinct)",
                         n_labels, m->k);
    }
    for (size_t j = 0; j < n_labels; j++)
        m->pos[mlc_class_find(m->sorted, m->k, labels[j])] = j;
    for (size_t i = 0; i < n; i++)
        if (mlc_class_find(m->sorted, m->k, y_true[i]) >= 0)
            return MLC_OK;
    label_map_clear(m);
    return mlc_raise(MLC_EINVAL, "at least one of the given labels must occur in y_true");
}

/* Raw (weighted) counts into cm (k x k, zeroed here), in sample order as
 * scipy's coo_matrix.toarray() sums them. */
static void count_pairs(const double *y_true, const double *y_pred, size_t n, const double *sw,
                        const label_map *m, double *cm)
{
    size_t k = m->k;
    memset(cm, 0, k * k * sizeof *cm);
    for (size_t i = 0; i < n; i++) {
        long t = label_map_find(m, y_true[i]);
        long p = label_map_find(m, y_pred[i]);
        if (t >= 0 && p >= 0)
            cm[(size_t)t * k + (size_t)p] += sw ? sw[i] : 1.0;
    }
}

int mlc_confusion_matrix(const double *y_true, const double *y_pred, size_t n,
                         const double *labels, size_t n_labels, const double *sw,
                         mlc_cm_normalize normalize, double *out)
{
    int st = check_labels_pair(y_true, y_pred, n, sw, out);
    if (st)
        return st;
    if ((unsigned)normalize > MLC_CM_NORMALIZE_ALL)
        return mlc_raise(MLC_EINVAL, "normalize must be none, true, pred or all, got %d",
                         (int)normalize);
    label_map m;
    st = labels ? label_map_given(y_true, n, labels, n_labels, &m)
                : label_map_union(y_true, y_pred, n, &m);
    if (st)
        return st;
    if (!labels && m.k != n_labels) {
        label_map_clear(&m);
        return mlc_raise(MLC_EBADLEN,
                         "y_true and y_pred hold %zu distinct labels but n_labels is %zu "
                         "(use mlc_unique_labels to size the output)",
                         m.k, n_labels);
    }
    size_t k = m.k;
    count_pairs(y_true, y_pred, n, sw, &m, out);
    label_map_clear(&m);
    if (normalize == MLC_CM_NORMALIZE_NONE)
        return MLC_OK;
    double *sums = malloc(k * sizeof *sums);
    if (!sums)
        return mlc_raise_nomem("confusion matrix sums");
    /* NumPy's reductions: rows are contiguous (pairwise), columns run down the
     * rows, the total is pairwise over all entries. nan_to_num maps 0/0 to 0. */
    if (normalize == MLC_CM_NORMALIZE_TRUE) {
        for (size_t i = 0; i < k; i++)
            sums[i] = mlc_sum_pairwise(out + i * k, k);
    } else if (normalize == MLC_CM_NORMALIZE_PRED) {
        memset(sums, 0, k * sizeof *sums);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                sums[j] += out[i * k + j];
    }
    double total = normalize == MLC_CM_NORMALIZE_ALL ? mlc_sum_pairwise(out, k * k) : 0.0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double d = normalize == MLC_CM_NORMALIZE_TRUE   ? sums[i]
                       : normalize == MLC_CM_NORMALIZE_PRED ? sums[j]
                                                            : total;
            out[i * k + j] = d != 0.0 ? out[i * k + j] / d : 0.0;
        }
    free(sums);
    return MLC_OK;
}

/* The inputs of a score written to *out checked, then the confusion matrix
 * over the union of labels, malloc'ed into *cm. */
static int union_confusion(const double *y_true, const double *y_pred, size_t n,
                           const double *sw, const double *out, double **cm, size_t *k)
{
    label_map m;
    int st = check_labels_pair(y_true, y_pred, n, sw, out);
    if (!st)
        st = label_map_union(y_true, y_pred, n, &m);
    if (st)
        return st;
    *k = m.k;
    *cm = malloc(m.k * m.k * sizeof **cm);
    if (!*cm) {
        label_map_clear(&m);
        return mlc_raise_nomem("confusion matrix");
    }
    count_pairs(y_true, y_pred, n, sw, &m, *cm);
    label_map_clear(&m);
    return MLC_OK;
}

int mlc_balanced_accuracy_score(const double *y_true, const double *y_pred, size_t n,
                                const double *sw, int adjusted, double *out)
{
    double *cm;
    size_t k;
    int st = union_confusion(y_true, y_pred, n, sw, out, &cm, &k);
    if (st)
        return st;
    /* Recall of each class present in y_true (classes only predicted give
     * 0/0 and are dropped, as scikit-learn does after its warning). */
    double *per_class = malloc(k * sizeof *per_class);
    if (!per_class) {
        free(cm);
        return mlc_raise_nomem("balanced accuracy scratch");
    }
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        double row = mlc_sum_pairwise(cm + i * k, k);
        double r = cm[i * k + i] / row;
        if (!isnan(r))
            per_class[m++] = r;
    }
    double score = mlc_sum_pairwise(per_class, m) / (double)m;
    if (adjusted) {
        double chance = 1.0 / (double)m;
        score -= chance;
        score /= 1.0 - chance;
    }
    *out = score;
    free(per_class);
    free(cm);
    return MLC_OK;
}

int mlc_matthews_corrcoef(const double *y_true, const double *y_pred, size_t n,
                          const double *sw, double *out)
{
    double *cm;
    size_t k;
    int st = union_confusion(y_true, y_pred, n, sw, out, &cm, &k);
    if (st)
        return st;
    double *t_sum = calloc(2 * k, sizeof *t_sum);
    if (!t_sum) {
        free(cm);
        return mlc_raise_nomem("matthews scratch");
    }
    double *p_sum = t_sum + k;
    double correct = 0.0;
    for (size_t i = 0; i < k; i++) {
        t_sum[i] = mlc_sum_pairwise(cm + i * k, k);
        for (size_t j = 0; j < k; j++)
            p_sum[j] += cm[i * k + j];
        correct += cm[i * k + i];
    }
    double samples = mlc_sum_pairwise(p_sum, k);
    double tp = 0.0, pp = 0.0, tt = 0.0;
    for (size_t i = 0; i < k; i++) {
        tp += t_sum[i] * p_sum[i];
        pp += p_sum[i] * p_sum[i];
        tt += t_sum[i] * t_sum[i];
    }
    double cov_ytyp = correct * samples - tp;
    double cov_ypyp = samples * samples - pp;
    double cov_ytyt = samples * samples - tt;
    *out = cov_ypyp * cov_ytyt == 0.0 ? 0.0 : cov_ytyp / sqrt(cov_ytyt * cov_ypyp);
    free(t_sum);
    free(cm);
    return MLC_OK;
}
