/* Centroid-based internal clustering indices: Calinski-Harabasz and
 * Davies-Bouldin, as scikit-learn 1.2 computes them (NumPy's summation
 * order, Euclidean distances by the dot-product expansion). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

/* Samples grouped by cluster (index order within each). */
typedef struct groups {
    size_t n, d, k;
    size_t *members; /* by cluster */
    size_t *start;   /* cluster c: members[start[c] .. start[c+1]) */
} groups;

static void groups_clear(groups *g)
{
    free(g->members);
    free(g->start);
}

/* A score's inputs checked (out too), and X's rows grouped by label. */
static int groups_build(const mlc_matrix *X, const int32_t *labels, const double *out,
                        groups *g)
{
    memset(g, 0, sizeof *g);
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    int st = mlc_check_X(X, "X");
    if (st)
        return st;
    if (!labels)
        return mlc_raise(MLC_EINVAL, "labels must not be NULL");
    size_t n = X->rows;
    int32_t *code = malloc(n * sizeof *code), *classes = NULL;
    if (!code)
        return mlc_raise_nomem("cluster codes");
    if ((st = mlc_encode_int_labels(labels, n, &classes, &g->k, code))) {
        free(code);
        return st;
    }
    free(classes);
    if (g->k < 2 || g->k > n - 1) {
        free(code);
        return mlc_raise(MLC_EINVAL, "number of labels is %zu; valid values are 2 to "
                                     "n_samples - 1 (%zu) inclusive",
                         g->k, n - 1);
    }
    g->n = n;
    g->d = X->cols;
    g->members = malloc(n * sizeof *g->members);
    g->start = calloc(g->k + 1, sizeof *g->start);
    size_t *fill = malloc(g->k * sizeof *fill);
    if (!g->members || !g->start || !fill) {
        free(code);
        free(fill);
        groups_clear(g);
        return mlc_raise_nomem("cluster groups");
    }
    for (size_t i = 0; i < n; i++)
        g->start[code[i] + 1]++;
    for (size_t c = 0; c < g->k; c++)
        g->start[c + 1] += g->start[c];
    memcpy(fill, g->start, g->k * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        g->members[fill[code[i]]++] = i;
    free(fill);
    free(code);
    return MLC_OK;
}

/* np.mean(X[rows], axis=0): row after row for several columns, pairwise for
 * one column. tmp has m entries. */
static void column_mean(const mlc_matrix *X, const size_t *rows, size_t m, double *tmp,
                        double *mean)
{
    size_t d = X->cols;
    if (d == 1) {
        for (size_t i = 0; i < m; i++)
            tmp[i] = MLC_AT(X, rows ? rows[i] : i, 0);
        mean[0] = mlc_sum_pairwise(tmp, m) / (double)m;
        return;
    }
    memset(mean, 0, d * sizeof *mean);
    for (size_t i = 0; i < m; i++) {
        const double *r = mlc_matrix_row(X, rows ? rows[i] : i);
        for (size_t j = 0; j < d; j++)
            mean[j] += r[j];
    }
    for (size_t j = 0; j < d; j++)
        mean[j] /= (double)m;
}

/* np.sum((X[rows] - mu) ** 2) over the m x d block, pairwise over the
 * flattened elements as NumPy sums a contiguous array; leaves of at most 128
 * elements are materialised one at a time. */
static double sq_dev_sum(const mlc_matrix *X, const size_t *rows, const double *mu,
                         size_t first, size_t count)
{
    size_t d = X->cols;
    if (count <= 128) {
        double leaf[128];
        for (size_t e = 0; e < count; e++) {
            size_t r = (first + e) / d, c = (first + e) % d;
            double v = MLC_AT(X, rows[r], c) - mu[c];
            leaf[e] = v * v;
        }
        return mlc_sum_pairwise(leaf, count);
    }
    size_t half = count / 2;
    half -= half % 8;
    return sq_dev_sum(X, rows, mu, first, half) +
           sq_dev_sum(X, rows, mu, first + half, count - half);
}

int mlc_calinski_harabasz_score(const mlc_matrix *X, const int32_t *labels, double *out)
{
    groups g;
    int st = groups_build(X, labels, out, &g);
    if (st)
        return st;
    size_t d = g.d;
    double *buf = malloc((g.n + 3 * d) * sizeof *buf);
    if (!buf) {
        groups_clear(&g);
        return mlc_raise_nomem("Calinski-Harabasz scratch");
    }
    double *mean = buf + g.n, *mean_k = mean + d, *diff = mean_k + d;
    column_mean(X, NULL, g.n, buf, mean);
    double extra = 0.0, intra = 0.0;
    for (size_t c = 0; c < g.k; c++) {
        const size_t *rows = g.members + g.start[c];
        size_t m = g.start[c + 1] - g.start[c];
        column_mean(X, rows, m, buf, mean_k);
        for (size_t j = 0; j < d; j++) {
            double v = mean_k[j] - mean[j];
            diff[j] = v * v;
        }
        extra += (double)m * mlc_sum_pairwise(diff, d);
        intra += sq_dev_sum(X, rows, mean_k, 0, m * d);
    }
    double n = (double)g.n, k = (double)g.k;
    *out = intra == 0.0 ? 1.0 : extra * (n - k) / (intra * (k - 1.0));
    free(buf);
    groups_clear(&g);
    return MLC_OK;
}

static double sq_norm(const double *x, size_t d)
{
    double s = 0.0;
    for (size_t j = 0; j < d; j++)
        s += x[j] * x[j];
    return s;
}

/* euclidean_distances(x, y) for two vectors: sqrt(max(-2 x.y + |x|^2 + |y|^2, 0)). */
static double expanded_distance(const double *x, double xsq, const double *y, double ysq,
                                size_t d)
{
    double dot = 0.0;
    for (size_t j = 0; j < d; j++)
        dot += x[j] * y[j];
    double v = -2.0 * dot + xsq + ysq;
    return sqrt(v > 0.0 ? v : 0.0);
}

int mlc_davies_bouldin_score(const mlc_matrix *X, const int32_t *labels, double *out)
{
    groups g;
    int st = groups_build(X, labels, out, &g);
    if (st)
        return st;
    size_t d = g.d, k = g.k;
    double *buf = malloc((g.n + k * d + 3 * k + k * k) * sizeof *buf);
    if (!buf) {
        groups_clear(&g);
        return mlc_raise_nomem("Davies-Bouldin scratch");
    }
    double *cent = buf + g.n, *csq = cent + k * d, *intra = csq + k, *scores = intra + k,
           *cdist = scores + k;
    for (size_t c = 0; c < k; c++) {
        const size_t *rows = g.members + g.start[c];
        size_t m = g.start[c + 1] - g.start[c];
        double *mu = cent + c * d;
        column_mean(X, rows, m, buf, mu);
        csq[c] = sq_norm(mu, d);
        for (size_t i = 0; i < m; i++) {
            const double *x = mlc_matrix_row(X, rows[i]);
            buf[i] = expanded_distance(x, sq_norm(x, d), mu, csq[c], d);
        }
        intra[c] = mlc_sum_pairwise(buf, m) / (double)m;
    }
    int intra_zero = 1, cent_zero = 1;
    for (size_t c = 0; c < k; c++) {
        if (fabs(intra[c]) > 1e-8)
            intra_zero = 0;
        for (size_t e = 0; e < k; e++) {
            double v = c == e ? 0.0 : expanded_distance(cent + c * d, csq[c], cent + e * d,
                                                        csq[e], d);
            cdist[c * k + e] = v;
            if (fabs(v) > 1e-8)
                cent_zero = 0;
        }
    }
    if (intra_zero || cent_zero) {
        *out = 0.0;
    } else {
        for (size_t c = 0; c < k; c++) {
            double best = -INFINITY;
            for (size_t e = 0; e < k; e++) {
                double dist = cdist[c * k + e] == 0.0 ? INFINITY : cdist[c * k + e];
                double r = (intra[c] + intra[e]) / dist;
                if (r > best)
                    best = r;
            }
            scores[c] = best;
        }
        *out = mlc_sum_pairwise(scores, k) / (double)k;
    }
    free(buf);
    groups_clear(&g);
    return MLC_OK;
}
