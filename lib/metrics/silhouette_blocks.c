/* Silhouette, row-block engine (any number of clusters): each block of rows
 * (one task, in parallel) walks all columns in tiles of the cluster-ordered
 * samples and adds each tile's distances per cluster into the block's sums.
 * A row's sums are taken in a fixed tile order, so results do not depend on
 * the thread count. Memory per thread: one tile of distances, one gathered
 * tile and rows x k sums. */
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/blas.h"
#include "internal/error.h"
#include "silhouette.h"

#define BLOCK_ROWS 128
#define TILE_COLS 512

typedef struct block_work {
    double *tile, *tsq, *dist, *sums;
} block_work;

static void work_clear(block_work *w)
{
    free(w->tile);
    free(w->tsq);
    free(w->dist);
    free(w->sums);
}

static int work_alloc(block_work *w, size_t d, size_t k)
{
    w->tile = malloc(TILE_COLS * d * sizeof *w->tile);
    w->tsq = malloc(TILE_COLS * sizeof *w->tsq);
    w->dist = malloc(BLOCK_ROWS * TILE_COLS * sizeof *w->dist);
    w->sums = malloc(BLOCK_ROWS * k * sizeof *w->sums);
    if (w->tile && w->tsq && w->dist && w->sums)
        return 1;
    work_clear(w);
    memset(w, 0, sizeof *w);
    return 0;
}

static void one_block(const mlc_sil_plan *p, block_work *w, size_t r0, size_t nr, double *out)
{
    size_t k = p->k, n = p->n;
    memset(w->sums, 0, nr * k * sizeof *w->sums);
    size_t first_cluster = 0;
    for (size_t c0 = 0; c0 < n; c0 += TILE_COLS) {
        size_t nc = n - c0 < TILE_COLS ? n - c0 : TILE_COLS;
        while (p->start[first_cluster + 1] <= c0)
            first_cluster++;
        mlc_sil_gather(p, c0, nc, w->tile, w->tsq);
        mlc_sil_distances(p, mlc_matrix_row(p->X, r0), p->X->stride, p->sq + r0, nr, w->tile,
                          w->tsq, nc, w->dist);
        for (size_t i = 0; i < nr; i++) { /* a sample's distance to itself is 0 */
            size_t self = p->where[r0 + i];
            if (self >= c0 && self < c0 + nc)
                w->dist[i * nc + (self - c0)] = 0.0;
        }
        for (size_t c = first_cluster; c < k && p->start[c] < c0 + nc; c++) {
            size_t lo = p->start[c] > c0 ? p->start[c] - c0 : 0;
            size_t hi = p->start[c + 1] < c0 + nc ? p->start[c + 1] - c0 : nc;
            for (size_t i = 0; lo < hi && i < nr; i++)
                w->sums[i * k + c] += mlc_sil_sum(p, w->dist + i * nc + lo, hi - lo);
        }
    }
    for (size_t i = 0; i < nr; i++)
        out[r0 + i] = mlc_sil_value(p, r0 + i, w->sums + i * k);
}

int mlc_sil_run_blocks(const mlc_sil_plan *p, int threads, double *out)
{
    size_t nblocks = (p->n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    if ((size_t)threads > nblocks)
        threads = (int)nblocks;
    block_work *works = calloc((size_t)threads, sizeof *works);
    if (!works)
        return mlc_raise_nomem("silhouette scratch");
    int ok = 1;
    for (int t = 0; t < threads; t++)
        ok = ok && work_alloc(&works[t], p->d, p->k);
    if (ok) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1)
        for (size_t b = 0; b < nblocks; b++) {
#ifdef _OPENMP
            block_work *w = &works[omp_get_thread_num()];
#else
            block_work *w = &works[0];
#endif
            size_t r0 = b * BLOCK_ROWS;
            one_block(p, w, r0, p->n - r0 < BLOCK_ROWS ? p->n - r0 : BLOCK_ROWS, out);
        }
    }
    for (int t = 0; t < threads; t++)
        work_clear(&works[t]);
    free(works);
    return ok ? MLC_OK : mlc_raise_nomem("silhouette scratch");
}
