/* Precision, recall, F-beta and support (precision_recall_fscore_support),
 * with binary / micro / macro / weighted averaging and zero_division, as
 * scikit-learn 1.2. docs/PARITY.md §12. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "prf.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

mlc_prf_options mlc_prf_options_default(void)
{
    mlc_prf_options o = {MLC_AVERAGE_BINARY, 1.0, 1.0, MLC_ZERO_DIVISION_WARN, NULL, 0, NULL};
    return o;
}

static int check_options(const mlc_prf_options *o)
{
    if ((unsigned)o->average > MLC_AVERAGE_NONE)
        return mlc_raise(MLC_EINVAL,
                         "average must be binary, micro, macro, weighted or none, got %d",
                         (int)o->average);
    if ((unsigned)o->zero_division > MLC_ZERO_DIVISION_ONE)
        return mlc_raise(MLC_EINVAL, "zero_division must be warn, 0 or 1, got %d",
                         (int)o->zero_division);
    if (!(o->beta >= 0.0))
        return mlc_raise(MLC_EINVAL, "beta should be >= 0 in the F-beta score, got %g", o->beta);
    if (o->labels && o->n_labels == 0)
        return mlc_raise(MLC_EINVAL, "labels is given but n_labels is 0");
    if (o->labels)
        return mlc_check_class_labels(o->labels, o->n_labels, "labels");
    return MLC_OK;
}

/* Describe up to a few labels for messages. */
static void list_labels(const double *cls, size_t k, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%g", i ? ", " : "", cls[i]);
}

/* Substitute zero_division where the denominator is 0 (_prf_divide). */
static double prf_divide(double num, double den, mlc_zero_division zd)
{
    if (den == 0.0)
        return zd == MLC_ZERO_DIVISION_ONE ? 1.0 : 0.0;
    return num / den;
}

/* np.average(v, weights=w) over k values (w NULL: the mean). */
static double average(const double *v, const double *w, size_t k, double *tmp)
{
    if (!w)
        return mlc_sum_pairwise(v, k) / (double)k;
    for (size_t i = 0; i < k; i++)
        tmp[i] = v[i] * w[i];
    return mlc_sum_pairwise(tmp, k) / mlc_sum_pairwise(w, k);
}

int mlc_prf_compute(const double *y_true, const double *y_pred, size_t n,
                    const mlc_prf_options *opt, double *precision, double *recall,
                    double *fscore, double *support, size_t *n_values)
{
    mlc_prf_options o = opt ? *opt : mlc_prf_options_default();
    if (n_values)
        *n_values = 0;
    if (!y_true || !y_pred)
        return mlc_raise(MLC_EINVAL, "y_true and y_pred must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: y_true and y_pred have no samples");
    int st = check_options(&o);
    if (!st)
        st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st)
        st = mlc_check_class_labels(y_pred, n, "y_pred");
    if (!st)
        st = mlc_check_weights(o.sample_weight, n);
    if (st)
        return st;

    double *present;
    size_t n_present;
    if ((st = mlc_class_union(y_true, n, y_pred, n, &present, &n_present)))
        return st;
    /* The labels to score, in order. */
    const double *sel = o.labels;
    size_t n_sel = o.n_labels;
    if (o.average == MLC_AVERAGE_BINARY) {
        char names[256];
        list_labels(present, n_present, names, sizeof names);
        if (n_present > 2)
            st = mlc_raise(MLC_EINVAL,
                           "target is multiclass (%zu labels) but average is binary; choose "
                           "micro, macro, weighted or none",
                           n_present);
        else if (!isfinite(o.pos_label) || o.pos_label != floor(o.pos_label))
            st = mlc_raise(MLC_EINVAL, "pos_label must be an integral label, got %g",
                           o.pos_label);
        else if (n_present == 2 && mlc_class_find(present, n_present, o.pos_label) < 0)
            st = mlc_raise(MLC_EINVAL, "pos_label=%g is not a valid label; it should be one of %s",
                           o.pos_label, names);
        sel = &o.pos_label;
        n_sel = 1;
    } else if (!sel) {
        sel = present;
        n_sel = n_present;
    }
    /* Counts over the union of present and selected labels. */
    double *all = NULL;
    size_t n_all = 0;
    if (!st)
        st = mlc_class_union(present, n_present, sel, n_sel, &all, &n_all);
    double *counts = NULL;
    if (!st) {
        counts = calloc(3 * n_all + 6 * n_sel, sizeof *counts);
        if (!counts)
            st = mlc_raise_nomem("precision/recall counts");
    }
    if (st) {
        free(present);
        free(all);
        return st;
    }
    double *tp_all = counts, *true_all = tp_all + n_all, *pred_all = true_all + n_all;
    const double *sw = o.sample_weight;
    for (size_t i = 0; i < n; i++) {
        double w = sw ? sw[i] : 1.0;
        long t = mlc_class_find(all, n_all, y_true[i]);
        long p = mlc_class_find(all, n_all, y_pred[i]);
        true_all[t] += w;
        pred_all[p] += w;
        if (t == p)
            tp_all[t] += w;
    }
    double *tp = pred_all + n_all, *ts = tp + n_sel, *ps = ts + n_sel;
    double *P = ps + n_sel, *R = P + n_sel, *F = R + n_sel;
    for (size_t j = 0; j < n_sel; j++) {
        long a = mlc_class_find(all, n_all, sel[j]);
        tp[j] = tp_all[a];
        ts[j] = true_all[a];
        ps[j] = pred_all[a];
    }
    size_t m = n_sel;
    if (o.average == MLC_AVERAGE_MICRO) {
        /* The summed counts, kept in P/R/F's scratch before they are used. */
        double t = mlc_sum_pairwise(tp, n_sel), s = mlc_sum_pairwise(ts, n_sel),
               q = mlc_sum_pairwise(ps, n_sel);
        tp[0] = t;
        ts[0] = s;
        ps[0] = q;
        m = 1;
    }
    double beta2 = o.beta * o.beta;
    for (size_t j = 0; j < m; j++) {
        P[j] = prf_divide(tp[j], ps[j], o.zero_division);
        R[j] = prf_divide(tp[j], ts[j], o.zero_division);
        if (isinf(o.beta)) {
            F[j] = R[j];
        } else {
            double denom = beta2 * P[j] + R[j];
            if (denom == 0.0)
                denom = 1.0;
            F[j] = (1.0 + beta2) * P[j] * R[j] / denom;
        }
    }
    if (o.average == MLC_AVERAGE_NONE) {
        for (size_t j = 0; j < m; j++) {
            if (precision)
                precision[j] = P[j];
            if (recall)
                recall[j] = R[j];
            if (fscore)
                fscore[j] = F[j];
            if (support)
                support[j] = ts[j];
        }
        if (n_values)
            *n_values = m;
    } else {
        double total_support = mlc_sum_pairwise(ts, m);
        double p, r, f;
        if (o.average == MLC_AVERAGE_WEIGHTED && total_support == 0.0) {
            /* No positive labels at all: scikit-learn's special values. */
            double zd = o.zero_division == MLC_ZERO_DIVISION_ONE ? 1.0 : 0.0;
            int no_pred = mlc_sum_pairwise(ps, m) == 0.0;
            p = no_pred ? zd : 0.0;
            r = zd;
            f = no_pred ? zd : 0.0;
        } else {
            const double *w = o.average == MLC_AVERAGE_WEIGHTED ? ts : NULL;
            double *tmp = tp; /* tp is no longer needed */
            p = average(P, w, m, tmp);
            r = average(R, w, m, tmp);
            f = average(F, w, m, tmp);
        }
        if (precision)
            *precision = p;
        if (recall)
            *recall = r;
        if (fscore)
            *fscore = f;
        if (support)
            *support = total_support;
        if (n_values)
            *n_values = 1;
    }
    free(counts);
    free(all);
    free(present);
    return MLC_OK;
}

int mlc_precision_recall_fscore_support(const double *y_true, const double *y_pred, size_t n,
                                        const mlc_prf_options *opt, double *precision,
                                        double *recall, double *fscore, double *support)
{
    return mlc_prf_compute(y_true, y_pred, n, opt, precision, recall, fscore, support, NULL);
}

static int one_score(const double *y_true, const double *y_pred, size_t n,
                     const mlc_prf_options *opt, int which, int f1, double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    mlc_prf_options o = opt ? *opt : mlc_prf_options_default();
    if (f1)
        o.beta = 1.0;
    return mlc_prf_compute(y_true, y_pred, n, &o, which == 0 ? out : NULL,
                           which == 1 ? out : NULL, which == 2 ? out : NULL, NULL, NULL);
}

int mlc_precision_score(const double *y_true, const double *y_pred, size_t n,
                        const mlc_prf_options *opt, double *out)
{
    return one_score(y_true, y_pred, n, opt, 0, 0, out);
}

int mlc_recall_score(const double *y_true, const double *y_pred, size_t n,
                     const mlc_prf_options *opt, double *out)
{
    return one_score(y_true, y_pred, n, opt, 1, 0, out);
}

int mlc_f1_score(const double *y_true, const double *y_pred, size_t n,
                 const mlc_prf_options *opt, double *out)
{
    return one_score(y_true, y_pred, n, opt, 2, 1, out);
}

int mlc_fbeta_score(const double *y_true, const double *y_pred, size_t n,
                    const mlc_prf_options *opt, double *out)
{
    return one_score(y_true, y_pred, n, opt, 2, 0, out);
}
