/* Binary ranking metrics: ROC curve, ROC AUC, precision-recall curve and
 * average precision, built as scikit-learn 1.2.1's _binary_clf_curve builds
 * them (stable sort, distinct thresholds, cumulative sums).
 * docs/PARITY.md §12. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "ranking.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

/* Cumulative false/true positives at each distinct threshold, highest first. */
typedef struct clf_curve {
    size_t m;
    double *fps, *tps, *thr; /* one allocation */
} clf_curve;

static void curve_clear(clf_curve *c)
{
    free(c->fps);
    memset(c, 0, sizeof *c);
}

static int clf_curve_build(const double *score, const unsigned char *pos, const double *w,
                           size_t n, clf_curve *c)
{
    memset(c, 0, sizeof *c);
    size_t *order = malloc(n * sizeof *order);
    double *buf = malloc(4 * n * sizeof *buf);
    if (!order || !buf) {
        free(order);
        free(buf);
        return mlc_raise_nomem("ROC curve buffers");
    }
    double *sorted = buf + 3 * n;
    int st = mlc_argsort_stable(score, n, order, sorted);
    if (st) {
        free(order);
        free(buf);
        return st;
    }
    c->fps = buf;
    c->tps = buf + n;
    c->thr = buf + 2 * n;
    /* Descending = the stable ascending order read backwards (NumPy's
     * argsort(kind="mergesort")[::-1]). */
    double tp = 0.0, fp = 0.0;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[n - 1 - k];
        double wi = w ? w[i] : 1.0;
        tp += pos[i] ? wi : 0.0;
        if (w)
            fp += pos[i] ? 0.0 : wi;
        double s = sorted[n - 1 - k];
        if (k == n - 1 || sorted[n - 2 - k] != s) {
            c->tps[m] = tp;
            c->fps[m] = w ? fp : 1.0 + (double)k - tp;
            c->thr[m] = score[i];
            m++;
        }
    }
    c->m = m;
    free(order);
    return MLC_OK;
}

/* scikit-learn's roc_curve from a clf curve: optional dropping of collinear
 * points, a leading (0, 0) point at threshold max + 1, rates. Outputs have
 * room for c->m + 1 values. */
static size_t roc_from_curve(const clf_curve *c, int drop, double *fpr, double *tpr,
                             double *thresholds)
{
    size_t m = c->m, k = 0;
    fpr[k] = 0.0;
    tpr[k] = 0.0;
    if (thresholds)
        thresholds[k] = c->thr[0] + 1.0;
    k++;
    for (size_t i = 0; i < m; i++) {
        if (drop && m > 2 && i > 0 && i < m - 1) {
            /* np.diff(x, 2) != 0 for fps or tps keeps a corner. */
            double f2 = (c->fps[i + 1] - c->fps[i]) - (c->fps[i] - c->fps[i - 1]);
            double t2 = (c->tps[i + 1] - c->tps[i]) - (c->tps[i] - c->tps[i - 1]);
            if (f2 == 0.0 && t2 == 0.0)
                continue;
        }
        fpr[k] = c->fps[i];
        tpr[k] = c->tps[i];
        if (thresholds)
            thresholds[k] = c->thr[i];
        k++;
    }
    double fmax = fpr[k - 1], tmax = tpr[k - 1];
    for (size_t i = 0; i < k; i++) {
        fpr[i] = fmax > 0 ? fpr[i] / fmax : NAN;
        tpr[i] = tmax > 0 ? tpr[i] / tmax : NAN;
    }
    return k;
}

/* sklearn.metrics.auc: np.trapz(y, x) (terms (dx * (y1 + y0)) / 2, summed
 * pairwise), sign flipped for a decreasing x. tmp has k - 1 entries. */
static int trapezoid_auc(const double *x, const double *y, size_t k, double *tmp, double *out)
{
    if (k < 2)
        return mlc_raise(MLC_EINVAL, "at least 2 points are needed to compute an area under "
                                     "a curve, got %zu",
                         k);
    int any_neg = 0, all_nonpos = 1;
    for (size_t i = 0; i + 1 < k; i++) {
        double dx = x[i + 1] - x[i];
        if (dx < 0)
            any_neg = 1;
        if (dx > 0)
            all_nonpos = 0;
        tmp[i] = dx * (y[i + 1] + y[i]) / 2.0;
    }
    if (any_neg && !all_nonpos)
        return mlc_raise(MLC_EINVAL, "x is neither increasing nor decreasing");
    double area = mlc_sum_pairwise(tmp, k - 1);
    *out = any_neg ? -area : area;
    return MLC_OK;
}

/* ---- Unweighted AUC without materialising the curve.
 * Without weights only the counts of positives and negatives at each distinct
 * score matter (they are the clf curve's exact integer fps/tps), so the two
 * groups' score keys are sorted separately and merged from the top. The ROC
 * points, the drop_intermediate filter and the trapezoid terms are produced as
 * streams, and the terms are summed in NumPy's pairwise order (which depends
 * only on their count, taken by a first pass). Memory: the keys. */

typedef struct point_walk {
    const uint64_t *P, *N; /* ascending keys of positives / negatives */
    size_t i, j;           /* how many of each remain (taken from the top) */
    double tp, fp;
} point_walk;

/* Next distinct threshold's cumulative (fp, tp); 0 when there is none. */
static int walk_next(point_walk *w, double *fp, double *tp)
{
    if (w->i == 0 && w->j == 0)
        return 0;
    uint64_t v = w->i == 0 ? w->N[w->j - 1]
                 : w->j == 0 ? w->P[w->i - 1]
                             : (w->P[w->i - 1] > w->N[w->j - 1] ? w->P[w->i - 1] : w->N[w->j - 1]);
    while (w->i > 0 && w->P[w->i - 1] == v) {
        w->tp += 1.0;
        w->i--;
    }
    while (w->j > 0 && w->N[w->j - 1] == v) {
        w->fp += 1.0;
        w->j--;
    }
    *fp = w->fp;
    *tp = w->tp;
    return 1;
}

/* The points roc_curve keeps: a leading (0, 0), then the first, the last and
 * every point where the second difference of fps or tps is not zero. */
typedef struct kept_walk {
    point_walk pw;
    int started, have_cur;
    size_t index;     /* of the current point among the distinct ones */
    double pf, pt;    /* the distinct point before the current one */
    double cf, ct;    /* the current point */
} kept_walk;

static int kept_next(kept_walk *k, double *f, double *t)
{
    if (!k->started) {
        k->started = 1;
        k->have_cur = walk_next(&k->pw, &k->cf, &k->ct);
        *f = *t = 0.0;
        return 1;
    }
    while (k->have_cur) {
        double nf = 0.0, nt = 0.0;
        int have_next = walk_next(&k->pw, &nf, &nt);
        int keep = k->index == 0 || !have_next ||
                   (nf - k->cf) - (k->cf - k->pf) != 0.0 || (nt - k->ct) - (k->ct - k->pt) != 0.0;
        double of = k->cf, ot = k->ct;
        k->pf = k->cf;
        k->pt = k->ct;
        k->cf = nf;
        k->ct = nt;
        k->have_cur = have_next;
        k->index++;
        if (keep) {
            *f = of;
            *t = ot;
            return 1;
        }
    }
    return 0;
}

/* Trapezoid terms (dx * (y1 + y0)) / 2 over the kept points as rates. */
typedef struct term_walk {
    kept_walk kw;
    double F, T;   /* total negatives, positives */
    double x0, y0;
} term_walk;

static double term_next(term_walk *g)
{
    double f = 0.0, t = 0.0;
    kept_next(&g->kw, &f, &t);
    double x = f / g->F, y = t / g->T;
    double term = (x - g->x0) * (y + g->y0) / 2.0;
    g->x0 = x;
    g->y0 = y;
    return term;
}

/* NumPy's pairwise sum of the next n terms, consumed in index order. */
static double pairwise_terms(term_walk *g, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++)
            res += term_next(g);
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (size_t j = 0; j < 8; j++)
            r[j] = term_next(g);
        size_t i;
        for (i = 8; i < n - (n % 8); i += 8)
            for (size_t j = 0; j < 8; j++)
                r[j] += term_next(g);
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += term_next(g);
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    double left = pairwise_terms(g, n2); /* the left half first: the terms are a stream */
    double right = pairwise_terms(g, n - n2);
    return left + right;
}

/* AUC from the sorted keys of np positives and nn negatives (both > 0). */
static double auc_from_keys(const uint64_t *P, size_t np, const uint64_t *N, size_t nn)
{
    kept_walk k = {{P, N, np, nn, 0.0, 0.0}, 0, 0, 0, 0.0, 0.0, 0.0, 0.0};
    size_t kept = 0;
    double f, t;
    while (kept_next(&k, &f, &t))
        kept++;
    term_walk g = {{{P, N, np, nn, 0.0, 0.0}, 0, 0, 0, 0.0, 0.0, 0.0, 0.0},
                   (double)nn, (double)np, 0.0, 0.0};
    kept_next(&g.kw, &f, &t); /* the leading (0, 0) */
    size_t terms = kept - 1;
    if (terms <= MLC_NUMPY_BUFSIZE)
        return pairwise_terms(&g, terms);
    double s = 0.0; /* NumPy's buffer-sized blocks, as mlc_sum_pairwise */
    for (size_t i = 0; i < terms; i += MLC_NUMPY_BUFSIZE)
        s += pairwise_terms(&g, terms - i < MLC_NUMPY_BUFSIZE ? terms - i : MLC_NUMPY_BUFSIZE);
    return s;
}

/* Unweighted AUC of scores with positive flags (pos NULL: positive when
 * label[i] == positive_label). */
static int auc_unweighted(const double *score, const unsigned char *pos, const double *label,
                          double positive_label, size_t n, double *out)
{
    uint64_t *keys = malloc(2 * n * sizeof *keys);
    if (!keys)
        return mlc_raise_nomem("ROC AUC keys");
    size_t np = 0, nn = 0;
    for (size_t i = 0; i < n; i++)
        if (pos ? pos[i] : label[i] == positive_label)
            np++;
    uint64_t *P = keys, *N = keys + np;
    for (size_t i = 0; i < n; i++) {
        if (pos ? pos[i] : label[i] == positive_label)
            *P++ = mlc_sort_key(score[i]);
        else
            N[nn++] = mlc_sort_key(score[i]);
    }
    P = keys;
    int st = MLC_OK;
    if (np == 0 || nn == 0)
        st = mlc_raise(MLC_EINVAL, "only one class present in y_true; ROC AUC is not defined "
                                   "in that case");
    if (!st)
        st = mlc_sort_keys(P, np, keys + n);
    if (!st)
        st = mlc_sort_keys(N, nn, keys + n);
    if (!st)
        *out = auc_from_keys(P, np, N, nn);
    free(keys);
    return st;
}

int mlc_binary_roc_auc(const double *score, const unsigned char *positive, const double *weight,
                       size_t n, double *out)
{
    if (!weight)
        return auc_unweighted(score, positive, NULL, 0.0, n, out);
    clf_curve c;
    int st = clf_curve_build(score, positive, weight, n, &c);
    if (st)
        return st;
    double *buf = malloc(3 * (c.m + 1) * sizeof *buf);
    if (!buf) {
        curve_clear(&c);
        return mlc_raise_nomem("ROC buffers");
    }
    size_t k = roc_from_curve(&c, 1, buf, buf + c.m + 1, NULL);
    st = trapezoid_auc(buf, buf + c.m + 1, k, buf + 2 * (c.m + 1), out);
    free(buf);
    curve_clear(&c);
    return st;
}

/* --------------------------------------------------------- binary inputs */

/* Scores, positive flags and weights with zero-weight samples removed
 * (scikit-learn drops them before building curves). */
typedef struct binary_input {
    size_t n;
    double *score;
    unsigned char *pos;
    double *w; /* NULL without sample weights */
} binary_input;

static void binary_input_clear(binary_input *b)
{
    free(b->score);
    free(b->pos);
    free(b->w);
    memset(b, 0, sizeof *b);
}

static int check_scores(const double *y_true, const double *y_score, size_t n,
                        const double *sw)
{
    if (!y_true || !y_score)
        return mlc_raise(MLC_EINVAL, "y_true and y_score must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: y_true and y_score have no samples");
    int st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st)
        st = mlc_array_check_finite(y_score, n, "y_score");
    if (!st)
        st = mlc_check_weights(sw, n);
    return st;
}

/* _binary_clf_curve's target checks: binary y_true, or multiclass with an
 * explicit pos_label; pos_label NAN must be inferable from {0,1}/{-1,1}. */
static int binary_input_make(const double *y_true, const double *y_score, size_t n,
                             double pos_label, const double *sw, binary_input *b)
{
    memset(b, 0, sizeof *b);
    int st = check_scores(y_true, y_score, n, sw);
    if (st)
        return st;
    if (!isnan(pos_label) && (!isfinite(pos_label) || pos_label != floor(pos_label)))
        return mlc_raise(MLC_EINVAL, "pos_label must be an integral label or NAN, got %g",
                         pos_label);
    double *cls;
    size_t k;
    if ((st = mlc_class_union(y_true, n, NULL, 0, &cls, &k)))
        return st;
    if (k > 2 && isnan(pos_label)) {
        free(cls);
        return mlc_raise(MLC_EINVAL, "y_true is multiclass (%zu labels); a binary curve needs "
                                     "two labels or an explicit pos_label",
                         k);
    }
    free(cls);
    b->score = malloc(n * sizeof *b->score);
    b->pos = malloc(n);
    b->w = sw ? malloc(n * sizeof *b->w) : NULL;
    if (!b->score || !b->pos || (sw && !b->w)) {
        binary_input_clear(b);
        return mlc_raise_nomem("curve inputs");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (sw && sw[i] == 0.0)
            continue;
        b->score[m] = y_score[i];
        b->pos[m] = 0;
        if (sw)
            b->w[m] = sw[i];
        m++;
    }
    b->n = m;
    /* _check_pos_label_consistency on the kept labels. */
    double *kept;
    size_t nk;
    double *labels = malloc((m ? m : 1) * sizeof *labels);
    if (!labels) {
        binary_input_clear(b);
        return mlc_raise_nomem("curve inputs");
    }
    for (size_t i = 0, j = 0; i < n; i++)
        if (!(sw && sw[i] == 0.0))
            labels[j++] = y_true[i];
    st = mlc_class_union(labels, m, NULL, 0, &kept, &nk);
    if (!st && isnan(pos_label)) {
        int ok = (nk == 2 && ((kept[0] == 0 && kept[1] == 1) || (kept[0] == -1 && kept[1] == 1))) ||
                 (nk == 1 && (kept[0] == 0 || kept[0] == -1 || kept[0] == 1));
        if (!ok)
            st = mlc_raise(MLC_EINVAL,
                           "y_true takes values other than {0, 1} or {-1, 1} and pos_label is "
                           "not specified; give pos_label explicitly");
        pos_label = 1.0;
    }
    if (!st)
        for (size_t i = 0; i < m; i++)
            b->pos[i] = labels[i] == pos_label;
    free(kept);
    free(labels);
    if (st)
        binary_input_clear(b);
    return st;
}

int mlc_roc_curve(const double *y_true, const double *y_score, size_t n, double pos_label,
                  const double *sw, int drop_intermediate, double *fpr, double *tpr,
                  double *thresholds, size_t *n_points)
{
    if (!fpr || !tpr || !thresholds || !n_points)
        return mlc_raise(MLC_EINVAL, "fpr, tpr, thresholds and n_points must not be NULL");
    *n_points = 0;
    binary_input b;
    int st = binary_input_make(y_true, y_score, n, pos_label, sw, &b);
    if (st)
        return st;
    if (b.n == 0) {
        binary_input_clear(&b);
        return mlc_raise(MLC_EINVAL, "every sample has zero weight");
    }
    clf_curve c;
    st = clf_curve_build(b.score, b.pos, b.w, b.n, &c);
    binary_input_clear(&b);
    if (st)
        return st;
    *n_points = roc_from_curve(&c, drop_intermediate, fpr, tpr, thresholds);
    curve_clear(&c);
    return MLC_OK;
}

int mlc_roc_auc_score(const double *y_true, const double *y_score, size_t n, const double *sw,
                      double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    int st = check_scores(y_true, y_score, n, sw);
    if (st)
        return st;
    double *cls;
    size_t k;
    if ((st = mlc_class_union(y_true, n, NULL, 0, &cls, &k)))
        return st;
    double positive = cls[k - 1];
    free(cls);
    if (k > 2)
        return mlc_raise(MLC_EINVAL, "y_true is multiclass (%zu labels); use "
                                     "mlc_roc_auc_multiclass (one-vs-rest or one-vs-one)",
                         k);
    if (k < 2)
        return mlc_raise(MLC_EINVAL, "only one class present in y_true; ROC AUC is not "
                                     "defined in that case");
    /* The greater label is positive (label_binarize); zero weights dropped. */
    if (!sw)
        return auc_unweighted(y_score, NULL, y_true, positive, n, out);
    unsigned char *pos = malloc(n);
    double *score = malloc(n * sizeof *score);
    double *w = sw ? malloc(n * sizeof *w) : NULL;
    if (!pos || !score || (sw && !w)) {
        free(pos);
        free(score);
        free(w);
        return mlc_raise_nomem("ROC AUC inputs");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (sw && sw[i] == 0.0)
            continue;
        pos[m] = y_true[i] == positive;
        score[m] = y_score[i];
        if (w)
            w[m] = sw[i];
        m++;
    }
    st = mlc_binary_roc_auc(score, pos, w, m, out);
    free(pos);
    free(score);
    free(w);
    return st;
}

/* Precision/recall at each threshold (highest first) from a clf curve. */
static int pr_from_input(const binary_input *b, double *precision, double *recall,
                         double *thresholds, size_t *n_points)
{
    clf_curve c;
    int st = clf_curve_build(b->score, b->pos, b->w, b->n, &c);
    if (st)
        return st;
    size_t m = c.m;
    double total_tp = c.tps[m - 1];
    /* Reversed so that recall decreases, then the (1, 0) end point. */
    for (size_t i = 0; i < m; i++) {
        size_t s = m - 1 - i;
        double ps = c.tps[s] + c.fps[s];
        precision[i] = ps != 0.0 ? c.tps[s] / ps : 0.0;
        recall[i] = total_tp == 0.0 ? 1.0 : c.tps[s] / total_tp;
        if (thresholds)
            thresholds[i] = c.thr[s];
    }
    precision[m] = 1.0;
    recall[m] = 0.0;
    *n_points = m + 1;
    curve_clear(&c);
    return MLC_OK;
}

int mlc_precision_recall_curve(const double *y_true, const double *probas_pred, size_t n,
                               double pos_label, const double *sw, double *precision,
                               double *recall, double *thresholds, size_t *n_points)
{
    if (!precision || !recall || !thresholds || !n_points)
        return mlc_raise(MLC_EINVAL,
                         "precision, recall, thresholds and n_points must not be NULL");
    *n_points = 0;
    binary_input b;
    int st = binary_input_make(y_true, probas_pred, n, pos_label, sw, &b);
    if (st)
        return st;
    if (b.n == 0)
        st = mlc_raise(MLC_EINVAL, "every sample has zero weight");
    else
        st = pr_from_input(&b, precision, recall, thresholds, n_points);
    binary_input_clear(&b);
    return st;
}

int mlc_average_precision_score(const double *y_true, const double *y_score, size_t n,
                                double pos_label, const double *sw, double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    int st = check_scores(y_true, y_score, n, sw);
    if (st)
        return st;
    if (!isfinite(pos_label) || pos_label != floor(pos_label))
        return mlc_raise(MLC_EINVAL, "pos_label must be an integral label, got %g", pos_label);
    double *cls;
    size_t k;
    if ((st = mlc_class_union(y_true, n, NULL, 0, &cls, &k)))
        return st;
    int valid = mlc_class_find(cls, k, pos_label) >= 0;
    double lo = cls[0], hi = cls[k - 1];
    free(cls);
    if (k > 2)
        return mlc_raise(MLC_EINVAL, "y_true is multiclass (%zu labels); average precision "
                                     "needs binary targets",
                         k);
    if (k == 2 && !valid)
        return mlc_raise(MLC_EINVAL, "pos_label=%g is not a valid label; it should be one of "
                                     "%g, %g",
                         pos_label, lo, hi);
    binary_input b;
    if ((st = binary_input_make(y_true, y_score, n, pos_label, sw, &b)))
        return st;
    if (b.n == 0) {
        binary_input_clear(&b);
        return mlc_raise(MLC_EINVAL, "every sample has zero weight");
    }
    double *buf = malloc(3 * (b.n + 1) * sizeof *buf);
    if (!buf) {
        binary_input_clear(&b);
        return mlc_raise_nomem("average precision buffers");
    }
    double *prec = buf, *rec = buf + b.n + 1, *terms = rec + b.n + 1;
    size_t np;
    st = pr_from_input(&b, prec, rec, NULL, &np);
    if (!st) {
        /* -np.sum(np.diff(recall) * precision[:-1]) */
        for (size_t i = 0; i + 1 < np; i++)
            terms[i] = (rec[i + 1] - rec[i]) * prec[i];
        *out = -mlc_sum_pairwise(terms, np - 1);
    }
    free(buf);
    binary_input_clear(&b);
    return st;
}
