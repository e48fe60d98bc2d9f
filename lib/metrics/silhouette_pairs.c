/* Silhouette, pair engine (few clusters): the distance matrix is symmetric,
 * so each pair of tiles (i, j), i <= j, of the cluster-ordered samples is
 * computed once. Tile (i, j) adds its row sums (per cluster of the columns)
 * to the samples of i and its column sums (per cluster of the rows) to the
 * samples of j.
 *
 * Determinism: tiles are grouped in blocks of BLOCK x BLOCK tiles, taken in
 * diagonal steps s = J - I over the blocks. In step s the task of block pair
 * (I, I + s) runs its tiles in a fixed order, adds row sums to block I (no
 * other task touches it in this step) and parks column sums for block J (on
 * the diagonal, s = 0, they go straight to the task's own block); after a
 * barrier each block adds what was parked for it. So every sum receives its
 * terms in the same order whatever the number of threads. Memory: 2 n k sums
 * plus one tile per thread. */
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/error.h"
#include "silhouette.h"

#define TILE 256
#define BLOCK 4 /* tiles per block side: fewer steps, fewer barriers */

typedef struct pair_work {
    double *a, *asq, *b, *bsq, *dist, *col;
} pair_work;

static void work_clear(pair_work *w)
{
    free(w->a);
    free(w->asq);
    free(w->b);
    free(w->bsq);
    free(w->dist);
    free(w->col);
}

static int work_alloc(pair_work *w, size_t d)
{
    w->a = malloc(TILE * d * sizeof *w->a);
    w->b = malloc(TILE * d * sizeof *w->b);
    w->asq = malloc(TILE * sizeof *w->asq);
    w->bsq = malloc(TILE * sizeof *w->bsq);
    w->dist = malloc(TILE * TILE * sizeof *w->dist);
    w->col = malloc(TILE * sizeof *w->col);
    if (w->a && w->b && w->asq && w->bsq && w->dist && w->col)
        return 1;
    work_clear(w);
    memset(w, 0, sizeof *w);
    return 0;
}

/* Clusters overlapping sorted positions [lo, lo + len): calls back with the
 * cluster and the overlap relative to lo. */
typedef struct segment {
    size_t cluster, from, to;
} segment;

static size_t segments(const mlc_sil_plan *p, size_t lo, size_t len, segment *seg)
{
    size_t c = 0, m = 0;
    while (p->start[c + 1] <= lo) /* the first cluster reaching lo */
        c++;
    for (; c < p->k && p->start[c] < lo + len; c++) {
        size_t from = p->start[c] > lo ? p->start[c] - lo : 0;
        size_t to = p->start[c + 1] < lo + len ? p->start[c + 1] - lo : len;
        if (from < to) {
            segment s = {c, from, to};
            seg[m++] = s;
        }
    }
    return m;
}

/* Tile (I, J): row sums added to S (rows of I); unless I == J (the diagonal
 * tile is complete by itself), column sums added to D (rows of J). */
static void one_tile(const mlc_sil_plan *p, pair_work *w, size_t I, size_t J, double *S,
                     double *D, segment *seg_rows, segment *seg_cols)
{
    size_t n = p->n, k = p->k;
    size_t r0 = I * TILE, nr = n - r0 < TILE ? n - r0 : TILE;
    size_t c0 = J * TILE, nc = n - c0 < TILE ? n - c0 : TILE;
    mlc_sil_gather(p, r0, nr, w->a, w->asq);
    const double *bt = w->a, *bsq = w->asq;
    if (I != J) {
        mlc_sil_gather(p, c0, nc, w->b, w->bsq);
        bt = w->b;
        bsq = w->bsq;
    }
    mlc_sil_distances(p, w->a, p->d, w->asq, nr, bt, bsq, nc, w->dist);
    if (I == J)
        for (size_t i = 0; i < nr; i++)
            w->dist[i * nc + i] = 0.0; /* a sample's distance to itself */
    size_t ncs = segments(p, c0, nc, seg_cols);
    for (size_t i = 0; i < nr; i++)
        for (size_t s = 0; s < ncs; s++) {
            const segment *g = &seg_cols[s];
            double part = mlc_sil_sum(p, w->dist + i * nc + g->from, g->to - g->from);
            S[(r0 + i) * k + g->cluster] += part;
        }
    if (I == J)
        return;
    size_t nrs = segments(p, r0, nr, seg_rows);
    for (size_t s = 0; s < nrs; s++) {
        memset(w->col, 0, nc * sizeof *w->col);
        for (size_t i = seg_rows[s].from; i < seg_rows[s].to; i++)
            mlc_sil_add(p, w->col, w->dist + i * nc, nc);
        for (size_t j = 0; j < nc; j++)
            D[(c0 + j) * k + seg_rows[s].cluster] += w->col[j];
    }
}

/* Tiles [first, end) of block b (the last block may be short). */
static void block_tiles(size_t b, size_t T, size_t *first, size_t *end)
{
    *first = b * BLOCK;
    *end = *first + BLOCK < T ? *first + BLOCK : T;
}

/* Block pair (I, J): all its tiles in a fixed order. Column sums go to S
 * itself on the diagonal (the rows are this task's), else to C, zeroed here. */
static void one_block_pair(const mlc_sil_plan *p, pair_work *w, size_t I, size_t J, size_t T,
                           double *S, double *C, segment *seg_rows, segment *seg_cols)
{
    size_t i0, i1, j0, j1, k = p->k;
    block_tiles(I, T, &i0, &i1);
    block_tiles(J, T, &j0, &j1);
    if (I != J) {
        size_t c0 = j0 * TILE, c1 = j1 * TILE < p->n ? j1 * TILE : p->n;
        memset(C + c0 * k, 0, (c1 - c0) * k * sizeof *C);
    }
    for (size_t i = i0; i < i1; i++)
        for (size_t j = I == J ? i : j0; j < j1; j++)
            one_tile(p, w, i, j, S, I == J ? S : C, seg_rows, seg_cols);
}

int mlc_sil_run_pairs(const mlc_sil_plan *p, int threads, double *out)
{
    size_t n = p->n, k = p->k, T = (n + TILE - 1) / TILE, NB = (T + BLOCK - 1) / BLOCK;
    if ((size_t)threads > NB)
        threads = (int)NB;
    double *S = calloc(n * k, sizeof *S), *C = malloc(n * k * sizeof *C);
    pair_work *works = calloc((size_t)threads, sizeof *works);
    segment *segs = malloc(2 * (size_t)threads * (k < TILE ? k : TILE) * sizeof *segs);
    int ok = S && C && works && segs;
    for (int t = 0; ok && t < threads; t++)
        ok = work_alloc(&works[t], p->d);
    if (ok) {
        size_t seg_cap = k < TILE ? k : TILE;
#pragma omp parallel num_threads(threads) if (threads > 1)
        {
#ifdef _OPENMP
            int tid = omp_get_thread_num();
#else
            int tid = 0;
#endif
            pair_work *w = &works[tid];
            segment *seg_rows = segs + 2 * (size_t)tid * seg_cap, *seg_cols = seg_rows + seg_cap;
            for (size_t s = 0; s < NB; s++) {
#pragma omp for schedule(dynamic, 1)
                for (size_t I = 0; I < NB - s; I++)
                    one_block_pair(p, w, I, I + s, T, S, C, seg_rows, seg_cols);
                if (s == 0)
                    continue;
#pragma omp for schedule(static)
                for (size_t J = s; J < NB; J++) {
                    size_t j0, j1;
                    block_tiles(J, T, &j0, &j1);
                    size_t c0 = j0 * TILE, c1 = j1 * TILE < n ? j1 * TILE : n;
                    mlc_sil_add(p, S + c0 * k, C + c0 * k, (c1 - c0) * k);
                }
            }
#pragma omp for schedule(static)
            for (size_t q = 0; q < n; q++)
                out[p->perm[q]] = mlc_sil_value(p, p->perm[q], S + q * k);
        }
    }
    for (int t = 0; works && t < threads; t++)
        work_clear(&works[t]);
    free(works);
    free(segs);
    free(S);
    free(C);
    return ok ? MLC_OK : mlc_raise_nomem("silhouette sums");
}
