/* Single linkage by Prim's minimum spanning tree with the distances computed
 * on the fly: O(n d) memory, no distance matrix (Müllner 2011,
 * arXiv:1109.2378, section 3.3 "MST-LINKAGE"; fastcluster's linkage_vector
 * for "single").
 *
 * The steps are scikit-learn's mst_linkage_core (and scipy's
 * mst_single_linkage, the same loop): from node 0, each step adds the
 * outside node nearest the tree, the first in index order among equals,
 * and records (the node added before it, the node, its distance). One step
 * scans the outside nodes in parts on the threads; the parts' minima are
 * compared in part order with the same strict '<', so the tree does not
 * depend on the thread count.
 *
 * The outside nodes' rows are kept feature by feature (a column per feature,
 * compacted as nodes join the tree), so one step computes the distances of
 * the node just added to all of them in vector lanes, each summed over the
 * features in order as scikit-learn's DistanceMetric sums them
 * (mlc_sqdist_columns for the squared euclidean ones). Euclidean
 * steps compare squared distances (the square root is monotone) and take
 * the root of the heights at the end. */
#include <math.h>
#include <stdlib.h>
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/mem.h"
#include "internal/parallel.h"
#include "internal/sqdist.h"
#include "internal/step_team.h"

#define MAX_PARTS 64
#define CHUNK 256 /* outside nodes per pass over the features */

/* Where one step stands. */
typedef struct prim {
    int metric;
    const mlc_matrix *X;  /* the rows, or the precomputed square matrix */
    size_t d;
    double *T;            /* vector metrics: feature f of entry k at T[f * cap + k] */
    size_t cap;
    double *norm;         /* cosine: the entries' norms */
    size_t *node;         /* the outside nodes in index order */
    double *best;         /* their distance to the tree so far; NaN: joined */
    size_t len;           /* entries in use */
    size_t current;       /* the node added last */
    double cur_norm;
    mlc_parts parts;
    double part_min[MAX_PARTS];
    size_t part_at[MAX_PARTS];
    /* the loop's arguments, for the step team */
    size_t n;
    mlc_progress_ctx *progress;
    hc_merge *merges;
} prim;

/* out[k] = the distance of entries [lo, lo + m) to the row c (m <= CHUNK);
 * euclidean: squared, by the distance module. */
MLC_HOT static void chunk_distances(const prim *s, const double *c, size_t lo, size_t m,
                                    double *out)
{
    if (s->metric == HC_EUCLIDEAN) {
        mlc_sqdist_columns(s->T + lo, s->cap, s->d, c, m, out);
        return;
    }
    for (size_t k = 0; k < m; k++)
        out[k] = 0.0;
    for (size_t f = 0; f < s->d; f++) {
        const double *col = s->T + f * s->cap + lo;
        double cf = c[f];
        if (s->metric == HC_MANHATTAN)
            for (size_t k = 0; k < m; k++)
                out[k] += fabs(col[k] - cf);
        else
            for (size_t k = 0; k < m; k++)
                out[k] += col[k] * cf;
    }
    if (s->metric == HC_COSINE) /* scipy's 1 - x.y / (|x| |y|), the cosine clipped */
        for (size_t k = 0; k < m; k++) {
            double cs = out[k] / (s->cur_norm * s->norm[lo + k]);
            cs = cs > 1.0 ? 1.0 : cs < -1.0 ? -1.0 : cs;
            out[k] = 1.0 - cs;
        }
}

static void step_part(void *ctx, size_t q)
{
    prim *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q);
    double min = INFINITY, dist[CHUNK];
    size_t at = SIZE_MAX;
    const double *c = mlc_matrix_row(s->X, s->current);
    for (size_t k0 = lo; k0 < hi; k0 += CHUNK) {
        size_t m = hi - k0 < CHUNK ? hi - k0 : CHUNK;
        if (s->T)
            chunk_distances(s, c, k0, m, dist);
        else
            for (size_t k = 0; k < m; k++)
                dist[k] = c[s->node[k0 + k]]; /* a precomputed row */
        /* a joined entry's NaN fails both comparisons */
        for (size_t k = 0; k < m; k++) {
            double *b = &s->best[k0 + k];
            if (dist[k] < *b)
                *b = dist[k];
            if (*b < min) {
                min = *b;
                at = k0 + k;
            }
        }
    }
    s->part_min[q] = min;
    s->part_at[q] = at;
}

/* Drop the joined entries, keeping the others' order. */
static void compact(prim *s)
{
    size_t w = 0;
    for (size_t k = 0; k < s->len; k++)
        if (!isnan(s->best[k])) {
            s->node[w] = s->node[k];
            s->best[w] = s->best[k];
            if (s->norm)
                s->norm[w] = s->norm[k];
            for (size_t f = 0; s->T && f < s->d; f++)
                s->T[f * s->cap + w] = s->T[f * s->cap + k];
            w++;
        }
    s->len = w;
}

static int prim_loop(void *ctx, mlc_step_team *team)
{
    prim *s = ctx;
    size_t n = s->n;
    s->len = n - 1;
    for (size_t k = 0; k < s->len; k++) {
        s->node[k] = k + 1;
        s->best[k] = INFINITY;
    }
    size_t per_pair = s->T ? s->d : 1;
    size_t dead = 0;
    s->current = 0;
    for (size_t step = 0; step + 1 < n; step++) {
        double work = (double)s->len * (double)per_pair;
        int size = mlc_step_team_size(team);
        size_t parts = size > 1 && work >= HC_STEP_MIN_WORK ? (size_t)size : 1;
        s->parts = mlc_parts_even(s->len, parts < MAX_PARTS ? parts : MAX_PARTS, 8);
        if (s->norm) {
            const double *c = mlc_matrix_row(s->X, s->current);
            double q = 0.0;
            for (size_t f = 0; f < s->d; f++)
                q += c[f] * c[f];
            s->cur_norm = sqrt(q);
        }
        mlc_step_team_parts(team, s->parts.count, step_part, s);
        double min = INFINITY;
        size_t at = SIZE_MAX;
        for (size_t q = 0; q < s->parts.count; q++)
            if (s->part_min[q] < min) {
                min = s->part_min[q];
                at = s->part_at[q];
            }
        if (at == SIZE_MAX) /* every distance infinite: the values overflow */
            return mlc_raise(MLC_ERANGE, "the distances between rows overflow (values too "
                                         "large for double precision)");
        size_t added = s->node[at];
        s->merges[step] = (hc_merge){s->current, added, min};
        s->best[at] = NAN;
        s->current = added;
        if (++dead * 16 > s->len) {
            compact(s);
            dead = 0;
        }
        if (mlc_progress_tick(s->progress, (int64_t)step + 1, (int64_t)n - 1, NAN, NULL))
            return MLC_EINTERRUPTED;
    }
    if (s->metric == HC_EUCLIDEAN)
        for (size_t t = 0; t + 1 < n; t++)
            s->merges[t].height = sqrt(s->merges[t].height);
    return MLC_OK;
}

/* The tree on a team of threads that lives for the whole loop. */
static int prim_run(prim *s, size_t n, int n_threads, mlc_progress_ctx *progress,
                    hc_merge *merges)
{
    s->n = n;
    s->progress = progress;
    s->merges = merges;
    double per_pair = s->T ? (double)s->d : 1.0;
    double first_step = (double)n * per_pair;
    int threads = mlc_threads_for(n_threads, n / 2048 + 1, first_step, HC_STEP_MIN_WORK);
    return mlc_step_team_run(threads, prim_loop, s);
}

int hc_prim_vectors(const mlc_matrix *X, int metric, int n_threads, mlc_progress_ctx *progress,
                    hc_merge *merges)
{
    size_t n = X->rows, d = X->cols;
    prim s = {.metric = metric, .X = X, .d = d, .cap = n};
    s.node = malloc(n * sizeof *s.node);
    s.best = malloc(n * sizeof *s.best);
    s.T = mlc_aligned_alloc(n * d, sizeof *s.T);
    if (metric == HC_COSINE)
        s.norm = malloc(n * sizeof *s.norm);
    int st = MLC_OK;
    if (!s.node || !s.best || !s.T || (metric == HC_COSINE && !s.norm)) {
        st = mlc_raise_nomem("the spanning tree");
    } else {
        /* entry k is row k + 1 (row 0 starts the tree) */
        hc_feature_major(X, 1, n - 1, n, s.T);
        for (size_t k = 0; s.norm && k + 1 < n; k++) {
            const double *x = mlc_matrix_row(X, k + 1);
            double q = 0.0;
            for (size_t f = 0; f < d; f++)
                q += x[f] * x[f];
            s.norm[k] = sqrt(q);
        }
        st = prim_run(&s, n, n_threads, progress, merges);
    }
    free(s.node);
    free(s.best);
    free(s.norm);
    mlc_aligned_free(s.T);
    return st;
}

int hc_prim_square(const mlc_matrix *P, int n_threads, mlc_progress_ctx *progress,
                   hc_merge *merges)
{
    size_t n = P->rows;
    prim s = {.metric = HC_PRECOMPUTED, .X = P, .d = P->cols};
    s.node = malloc(n * sizeof *s.node);
    s.best = malloc(n * sizeof *s.best);
    int st = (!s.node || !s.best) ? mlc_raise_nomem("the spanning tree")
                                  : prim_run(&s, n, n_threads, progress, merges);
    free(s.node);
    free(s.best);
    return st;
}
