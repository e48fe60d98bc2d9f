/* The nearest-neighbour chain (Müllner 2011, arXiv:1109.2378, section 3.2
 * "NN-chain-linkage"; Benzécri 1982, Murtagh 1983), in two spaces:
 *  - ward on the cluster centroids, without a distance matrix (O(n d)
 *    memory, as fastcluster's linkage_vector, Müllner 2011 section 5): the
 *    distance of clusters a and b is 2 n_a n_b / (n_a + n_b) ||mu_a -
 *    mu_b||^2, the square of scipy's ward height;
 *  - complete and average on the condensed distance matrix, updated by the
 *    Lance-Williams formulas (Lance & Williams 1967), for the smaller fits
 *    (agglomerative.c): scipy's steps to the letter, so its tree even
 *    where distances tie. A search reads the column part of a row, a
 *    cache line per entry, about three times a merge: larger fits take
 *    Müllner's generic algorithm (hc_generic.c).
 *
 * The steps are scipy's nn_chain (the version scikit-learn 1.2 calls): a
 * chain starts at the first active cluster; the next link is the nearest
 * active cluster, the previous link kept on ties and otherwise the first in
 * index order; two mutual nearest neighbours merge into the slot of the
 * larger index. Only the active clusters are scanned (a list, compacted as
 * clusters go), and a long scan or update runs in parts on the threads;
 * every minimum is taken by (distance, slot index), so the merges do not
 * depend on the thread count. */
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
/* Entries ahead whose strided distance is prefetched: a scan or update
 * down a column touches a new cache line per row. */
#define AHEAD 16

typedef struct chain_state {
    double *D;       /* the condensed distances, or NULL for ward */
    size_t *row;     /* D: d(i, j), i < j, is D[row[i] + j] */
    int method;
    /* ward: the active clusters' centroids feature by feature (feature f of
     * entry e of `active` at T[f * n + e]) and sizes (NaN: merged away) */
    double *T, *wsize;
    double *c;       /* ward: the centroid of the cluster scanned from */
    size_t n, d;
    size_t *pos;     /* slot -> its entry of active */
    size_t *size;    /* members of the cluster in slot i, 0 when merged away */
    size_t *active;  /* the active slots in index order; SIZE_MAX: merged away */
    size_t alen;
    mlc_parts parts;
    /* the scan */
    size_t x;
    double part_min[MAX_PARTS];
    size_t part_at[MAX_PARTS];
    /* the merge */
    size_t y, nx, ny;
    /* the loop's arguments, and the team it runs on */
    mlc_step_team *team;
    mlc_progress_ctx *progress;
    hc_merge *merges;
} chain_state;

/* Whether (d, j) is less than (min, at): by distance, then by slot index
 * (no slot is found at an infinite or NaN distance). */
static inline int nearer(double d, size_t j, double min, size_t at)
{
    return d < min || (d == min && j < at && min < INFINITY);
}

/* The squared ward height of merging clusters of sizes sx and si whose
 * centroids are sq apart (squared). */
static inline double ward_height2(double sx, double si, double sq)
{
    return 2.0 * sx * si / (sx + si) * sq;
}

/* The same for slots x and i, the squared distance summed feature by
 * feature in order, as mlc_sqdist_columns sums it in ward_chunk. */
static double ward_dist(const chain_state *s, size_t x, size_t i)
{
    size_t ex = s->pos[x], ei = s->pos[i];
    double sq = 0.0;
    for (size_t f = 0; f < s->d; f++) {
        double v = s->T[f * s->n + ei] - s->T[f * s->n + ex];
        sq += v * v;
    }
    return ward_height2(s->wsize[ex], s->wsize[ei], sq);
}

/* The distance of slots x and i in the chain's space. */
static inline double distance(const chain_state *s, size_t x, size_t i)
{
    return s->D ? *hc_condensed_at(s->D, s->row, x, i) : ward_dist(s, x, i);
}

#define CHUNK 256

/* out[k] = the squared ward height of entry lo + k with the centroid c of
 * a cluster of size sx (m <= CHUNK; NaN for merged entries). */
static void ward_chunk(const chain_state *s, const double *c, double sx, size_t lo, size_t m,
                       double *out)
{
    mlc_sqdist_columns(s->T + lo, s->n, s->d, c, m, out);
    for (size_t k = 0; k < m; k++)
        out[k] = ward_height2(sx, s->wsize[lo + k], out[k]);
}

static void scan_part(void *ctx, size_t q)
{
    chain_state *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q), x = s->x;
    double min = INFINITY;
    size_t at = SIZE_MAX;
    if (s->D) {
        for (size_t k = lo; k < hi; k++) {
            size_t i = s->active[k];
            if (k + AHEAD < hi && s->active[k + AHEAD] < x)
                MLC_PREFETCH(hc_condensed_at(s->D, s->row, s->active[k + AHEAD], x), 0, 3);
            if (i == SIZE_MAX || i == x)
                continue;
            double d = *hc_condensed_at(s->D, s->row, x, i);
            if (d < min) { /* in index order, the first of equals: nearer() */
                min = d;
                at = i;
            }
        }
    } else {
        size_t ex = s->pos[x];
        double d[CHUNK];
        for (size_t k0 = lo; k0 < hi; k0 += CHUNK) {
            size_t m = hi - k0 < CHUNK ? hi - k0 : CHUNK;
            ward_chunk(s, s->c, s->wsize[ex], k0, m, d);
            for (size_t k = 0; k < m; k++)
                /* in index order, the first of equals (nearer()); NaN (merged) fails */
                if (d[k] < min && k0 + k != ex) {
                    min = d[k];
                    at = s->active[k0 + k];
                }
        }
    }
    s->part_min[q] = min;
    s->part_at[q] = at;
}

/* The matrix: d(i, y) rewritten for the active entries of part q (x merged
 * into y). */
static void update_part(void *ctx, size_t q)
{
    chain_state *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q);
    size_t x = s->x, y = s->y;
    double nx = (double)s->nx, ny = (double)s->ny;
    for (size_t k = lo; k < hi; k++) {
        size_t i = s->active[k];
        if (k + AHEAD < hi && s->active[k + AHEAD] != SIZE_MAX) {
            /* the strided entries: a column of the triangle */
            size_t a = s->active[k + AHEAD];
            if (a < y)
                MLC_PREFETCH(hc_condensed_at(s->D, s->row, a, y), 1, 3);
            if (a < x)
                MLC_PREFETCH(hc_condensed_at(s->D, s->row, a, x), 0, 3);
        }
        if (i == SIZE_MAX || i == y)
            continue;
        double *dyi = hc_condensed_at(s->D, s->row, y, i);
        *dyi = hc_lance_williams(s->method, nx, ny, *hc_condensed_at(s->D, s->row, x, i), *dyi);
    }
}

/* Parts of a scan or an update: one per thread of the team, or one while
 * the step is shorter than HC_STEP_MIN_WORK. */
static void split(chain_state *s)
{
    double work = s->D ? (double)s->alen : (double)s->alen * (double)s->d;
    int size = mlc_step_team_size(s->team);
    size_t parts = size > 1 && work >= HC_STEP_MIN_WORK ? (size_t)size : 1;
    s->parts = mlc_parts_even(s->alen, parts < MAX_PARTS ? parts : MAX_PARTS, 8);
}

/* The active cluster nearest x: `prev` (the chain's previous link) unless
 * another is strictly nearer, the first such in index order. */
static size_t nearest(chain_state *s, size_t x, size_t prev, double *dist)
{
    s->x = x;
    for (size_t f = 0; s->T && f < s->d; f++)
        s->c[f] = s->T[f * s->n + s->pos[x]];
    split(s);
    mlc_step_team_parts(s->team, s->parts.count, scan_part, s);
    double min = INFINITY;
    size_t at = SIZE_MAX;
    for (size_t q = 0; q < s->parts.count; q++)
        if (nearer(s->part_min[q], s->part_at[q], min, at)) {
            min = s->part_min[q];
            at = s->part_at[q];
        }
    if (prev != SIZE_MAX) { /* kept unless another is strictly nearer */
        double dp = distance(s, x, prev);
        if (!(dp > min)) {
            min = dp;
            at = prev;
        }
    }
    *dist = min;
    return at;
}

static void compact(chain_state *s)
{
    size_t w = 0;
    for (size_t k = 0; k < s->alen; k++)
        if (s->active[k] != SIZE_MAX) {
            s->active[w] = s->active[k];
            if (s->T) {
                s->wsize[w] = s->wsize[k];
                for (size_t f = 0; f < s->d; f++)
                    s->T[f * s->n + w] = s->T[f * s->n + k];
            }
            w++;
        }
    s->alen = w;
    for (size_t e = 0; e < s->alen; e++)
        s->pos[s->active[e]] = e;
}

/* Merge x into y's centroid (y's slot holds the union). */
static void ward_merge(chain_state *s)
{
    size_t ex = s->pos[s->x], ey = s->pos[s->y];
    double nx = (double)s->nx, ny = (double)s->ny, nxy = nx + ny;
    for (size_t f = 0; f < s->d; f++) {
        double *col = s->T + f * s->n;
        col[ey] = (nx * col[ex] + ny * col[ey]) / nxy;
    }
    s->wsize[ey] = nxy;
    s->wsize[ex] = NAN;
}

/* The chain (on the team: s is the chain_state). */
static int chain_loop(void *ctx, mlc_step_team *team)
{
    chain_state *sp = ctx;
    chain_state s = *sp;
    s.team = team;
    size_t n = s.n;
    hc_merge *merges = s.merges;
    mlc_progress_ctx *progress = s.progress;
    s.alen = n;
    s.row = s.D ? malloc(n * sizeof *s.row) : NULL;
    s.size = malloc(n * sizeof *s.size);
    s.active = malloc(n * sizeof *s.active);
    size_t *chain = malloc(n * sizeof *chain);
    s.pos = malloc(n * sizeof *s.pos);
    int st = MLC_OK;
    if ((s.D && !s.row) || !s.size || !s.active || !chain || !s.pos) {
        st = mlc_raise_nomem("the nearest-neighbour chain");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (s.row)
            s.row[i] = hc_condensed_row(n, i);
        s.size[i] = 1;
        s.active[i] = i;
        s.pos[i] = i;
    }
    size_t len = 0, dead = 0, first = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        if (len == 0) { /* the first active slot (slots never come back) */
            while (s.size[first] == 0)
                first++;
            chain[len++] = first;
        }
        size_t x, y;
        double dist;
        for (;;) {
            x = chain[len - 1];
            size_t prev = len > 1 ? chain[len - 2] : SIZE_MAX;
            y = nearest(&s, x, prev, &dist);
            if (y == SIZE_MAX) { /* every distance infinite: the values overflow */
                st = mlc_raise(MLC_ERANGE, "the distances between clusters overflow (values "
                                           "too large for double precision)");
                goto out;
            }
            if (len > 1 && y == prev)
                break;
            chain[len++] = y;
        }
        len -= 2;
        if (x > y) {
            size_t t = x;
            x = y;
            y = t;
        }
        merges[k] = (hc_merge){x, y, dist};
        s.nx = s.size[x];
        s.ny = s.size[y];
        s.size[x] = 0;
        s.size[y] = s.nx + s.ny;
        s.x = x;
        s.y = y;
        s.active[s.pos[x]] = SIZE_MAX;
        if (s.D) {
            split(&s);
            mlc_step_team_parts(team, s.parts.count, update_part, &s);
        } else {
            ward_merge(&s);
        }
        if (++dead * 16 > s.alen) {
            compact(&s);
            dead = 0;
        }
        if (mlc_progress_tick(progress, (int64_t)k + 1, (int64_t)n - 1, NAN, NULL)) {
            st = MLC_EINTERRUPTED;
            goto out;
        }
    }
out:
    free(s.row);
    free(s.size);
    free(s.active);
    free(chain);
    free(s.pos);
    return st;
}

/* The chain on a team of threads that lives for the whole loop. */
static int chain_run(chain_state s, int n_threads, mlc_progress_ctx *progress, hc_merge *merges)
{
    s.progress = progress;
    s.merges = merges;
    double first_step = s.D ? (double)s.n : (double)s.n * (double)s.d;
    int threads = mlc_threads_for(n_threads, s.n / 1024 + 1, first_step, HC_STEP_MIN_WORK);
    return mlc_step_team_run(threads, chain_loop, &s);
}

int hc_nn_chain(double *D, size_t n, int method, int n_threads, mlc_progress_ctx *progress,
                hc_merge *merges)
{
    chain_state s = {.D = D, .n = n, .method = method};
    return chain_run(s, n_threads, progress, merges);
}

int hc_ward_vectors(const mlc_matrix *X, int n_threads, mlc_progress_ctx *progress,
                    hc_merge *merges)
{
    size_t n = X->rows, d = X->cols;
    chain_state s = {.n = n, .d = d, .method = HC_WARD};
    s.T = mlc_aligned_alloc(n * d, sizeof *s.T);
    s.wsize = malloc(n * sizeof *s.wsize);
    s.c = malloc(d * sizeof *s.c);
    int st = MLC_OK;
    if (!s.T || !s.wsize || !s.c) {
        st = mlc_raise_nomem("the ward centroids");
    } else {
        hc_feature_major(X, 0, n, n, s.T);
        for (size_t i = 0; i < n; i++)
            s.wsize[i] = 1.0;
        st = chain_run(s, n_threads, progress, merges);
    }
    for (size_t t = 0; !st && t + 1 < n; t++)
        merges[t].height = sqrt(merges[t].height);
    mlc_aligned_free(s.T);
    free(s.wsize);
    free(s.c);
    return st;
}
