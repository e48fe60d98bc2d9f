/* Single linkage by Prim's minimum spanning tree with the distances computed
 * on the fly: O(n) memory beyond the data (Müllner 2011, arXiv:1109.2378,
 * section 3.3 "MST-LINKAGE"; fastcluster's linkage_vector for "single").
 *
 * The steps are scikit-learn's mst_linkage_core (and scipy's
 * mst_single_linkage, the same loop): from node 0, each step adds the
 * outside node nearest the tree, the first in index order among equals,
 * and records (the node added before it, the node, its distance). One step
 * scans the outside nodes in parts on the threads; the parts' minima are
 * compared in part order with the same strict '<', so the tree does not
 * depend on the thread count.
 *
 * Euclidean steps compare squared distances (the square root is monotone)
 * and take the root of the heights at the end. */
#include <math.h>
#include <stdlib.h>
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/parallel.h"
#include "internal/sqdist.h"

/* Where one step stands. */
typedef struct prim {
    int metric;
    const mlc_matrix *X;  /* the rows, or the precomputed square matrix */
    const double *norms;  /* cosine: the rows' norms */
    size_t *node;         /* the outside nodes in index order; SIZE_MAX: added */
    double *best;         /* their distance to the tree so far */
    size_t len;           /* entries of node / best in use */
    size_t current;       /* the node added last */
    mlc_parts parts;
    double *part_min;     /* per part: the smallest distance and its entry */
    size_t *part_at;
} prim;

static double manhattan(const double *x, const double *y, size_t d)
{
    double s = 0.0;
    for (size_t f = 0; f < d; f++)
        s += fabs(x[f] - y[f]);
    return s;
}

/* scipy's cosine distance, 1 - x.y / (|x| |y|) with the cosine clipped to
 * [-1, 1]. */
static double cosine(const double *x, const double *y, size_t d, double nx, double ny)
{
    double dot = 0.0;
    for (size_t f = 0; f < d; f++)
        dot += x[f] * y[f];
    double c = dot / (nx * ny);
    if (fabs(c) > 1.0)
        c = c > 0 ? 1.0 : -1.0;
    return 1.0 - c;
}

/* The distance of entry k's node to the node added last. */
static inline double step_distance(const prim *s, const double *xc, size_t j)
{
    const mlc_matrix *X = s->X;
    switch (s->metric) {
    case HC_EUCLIDEAN: return mlc_sqdist_direct(xc, mlc_matrix_row(X, j), X->cols);
    case HC_MANHATTAN: return manhattan(xc, mlc_matrix_row(X, j), X->cols);
    case HC_COSINE:
        return cosine(xc, mlc_matrix_row(X, j), X->cols, s->norms[s->current], s->norms[j]);
    default: return xc[j];
    }
}

static void step_part(void *ctx, size_t q)
{
    prim *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q);
    const double *xc = mlc_matrix_row(s->X, s->current);
    double min = INFINITY;
    size_t at = SIZE_MAX;
    for (size_t k = lo; k < hi; k++) {
        size_t j = s->node[k];
        if (j == SIZE_MAX)
            continue;
        double d = step_distance(s, xc, j);
        if (d < s->best[k])
            s->best[k] = d;
        if (s->best[k] < min) {
            min = s->best[k];
            at = k;
        }
    }
    s->part_min[q] = min;
    s->part_at[q] = at;
}

/* Drop the added nodes' entries, keeping the others' order. */
static void compact(prim *s)
{
    size_t w = 0;
    for (size_t k = 0; k < s->len; k++)
        if (s->node[k] != SIZE_MAX) {
            s->node[w] = s->node[k];
            s->best[w++] = s->best[k];
        }
    s->len = w;
}

static int prim_run(prim *s, size_t n, int n_threads, hc_merge *merges)
{
    size_t max_parts = 64;
    s->node = malloc(n * sizeof *s->node);
    s->best = malloc(n * sizeof *s->best);
    s->part_min = malloc(max_parts * sizeof *s->part_min);
    s->part_at = malloc(max_parts * sizeof *s->part_at);
    int st = MLC_OK;
    if (!s->node || !s->best || !s->part_min || !s->part_at) {
        st = mlc_raise_nomem("the spanning tree");
        goto out;
    }
    s->len = n - 1;
    for (size_t k = 0; k < s->len; k++) {
        s->node[k] = k + 1;
        s->best[k] = INFINITY;
    }
    size_t per_pair = s->metric == HC_PRECOMPUTED ? 1 : s->X->cols;
    size_t dead = 0;
    s->current = 0;
    for (size_t step = 0; step + 1 < n; step++) {
        double work = (double)s->len * (double)per_pair;
        int threads = mlc_threads_for(n_threads, s->len / 2048 + 1, work, 3e4);
        threads = threads < (int)max_parts ? threads : (int)max_parts;
        s->parts = mlc_parts_even(s->len, threads > 1 ? (size_t)threads : 1, 8);
        mlc_parallel_parts(threads, s->parts.count, step_part, s);
        double min = INFINITY;
        size_t at = SIZE_MAX;
        for (size_t q = 0; q < s->parts.count; q++)
            if (s->part_min[q] < min) {
                min = s->part_min[q];
                at = s->part_at[q];
            }
        if (at == SIZE_MAX) { /* every distance infinite: the values overflow */
            st = mlc_raise(MLC_ERANGE, "the distances between rows overflow (values too large "
                                       "for double precision)");
            goto out;
        }
        size_t added = s->node[at];
        merges[step] = (hc_merge){s->current, added, min};
        s->node[at] = SIZE_MAX;
        s->current = added;
        if (++dead * 16 > s->len) {
            compact(s);
            dead = 0;
        }
    }
    if (s->metric == HC_EUCLIDEAN)
        for (size_t t = 0; t + 1 < n; t++)
            merges[t].height = sqrt(merges[t].height);
out:
    free(s->node);
    free(s->best);
    free(s->part_min);
    free(s->part_at);
    return st;
}

int hc_prim_vectors(const mlc_matrix *X, int metric, int n_threads, hc_merge *merges)
{
    prim s = {.metric = metric, .X = X};
    double *norms = NULL;
    if (metric == HC_COSINE) {
        norms = malloc(X->rows * sizeof *norms);
        if (!norms)
            return mlc_raise_nomem("the rows' norms");
        for (size_t i = 0; i < X->rows; i++) {
            const double *x = mlc_matrix_row(X, i);
            double q = 0.0;
            for (size_t f = 0; f < X->cols; f++)
                q += x[f] * x[f];
            norms[i] = sqrt(q);
        }
        s.norms = norms;
    }
    int st = prim_run(&s, X->rows, n_threads, merges);
    free(norms);
    return st;
}

int hc_prim_square(const mlc_matrix *P, int n_threads, hc_merge *merges)
{
    prim s = {.metric = HC_PRECOMPUTED, .X = P};
    return prim_run(&s, P->rows, n_threads, merges);
}
