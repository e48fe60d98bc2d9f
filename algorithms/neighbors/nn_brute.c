/* Brute force: every training row against every query row.
 *
 * Euclidean blocks go through the squared-distance tiles of
 * internal/sqdist.h (one GEMM per tile), but only to screen: the tile's
 * expansion ||q||^2 - 2 q.x + ||x||^2 is off by at most a few ulp of
 * (||q|| + ||x||)^2, so a pair is skipped only when its tile value is
 * beyond the bound by more than that, and every pair that may count is
 * measured exactly (nn_rdist). The answers are then those of the trees,
 * bit for bit, where scikit-learn's brute force and trees differ in the
 * last digits. */
#include <float.h>
#include <stdlib.h>
#include "internal/hot.h"
#include "internal/mem.h"
#include "mlcore/linalg.h"
#include "mlcore/status.h"
#include "nn_impl.h"

/* Training rows per tile. */
#define NN_TILE_COLS 256

/* The tile's error bound for a pair: C * (||q||^2 + ||x||^2). The products
 * and norms each carry at most ~(d + 2) ulp of their magnitude, and
 * 2|q.x| <= ||q||^2 + ||x||^2; a factor 4 to spare. */
static double tile_slack(size_t d)
{
    return 4.0 * (double)(d + 4) * DBL_EPSILON;
}

static void query_norms(const double *Q, size_t ldq, size_t nq, size_t d, double *qsq)
{
    mlc_matrix rows = mlc_matrix_wrap((double *)Q, nq, d, ldq);
    mlc_row_sq_norms(&rows, qsq);
}

int nn_brute_knn_block(const mlc_neighbors *nn, const double *Q, size_t ldq, size_t nq,
                       nn_heap *heaps)
{
    size_t d = nn->d;
    double *tile = mlc_aligned_alloc(nq * NN_TILE_COLS, sizeof *tile);
    double *qsq = malloc(nq * sizeof *qsq);
    if (!tile || !qsq) {
        mlc_aligned_free(tile);
        free(qsq);
        return MLC_ENOMEM;
    }
    query_norms(Q, ldq, nq, d, qsq);
    double c = tile_slack(d);
    int level = mlc_cpu_level();
    for (size_t x0 = 0; x0 < nn->n; x0 += NN_TILE_COLS) {
        size_t nc = nn->n - x0 < NN_TILE_COLS ? nn->n - x0 : NN_TILE_COLS;
        const double *bsq = nn->sq_norms + x0;
        mlc_sqdist_tile(level, Q, ldq, qsq, nq, nn_row(nn, x0), nn->ldx, bsq, nc, d, tile,
                        NN_TILE_COLS, 0);
        for (size_t i = 0; i < nq; i++) {
            nn_heap *h = &heaps[i];
            const double *q = Q + i * ldq, *t = tile + i * NN_TILE_COLS;
            double worst = nn_heap_worst(h), cq = c * qsq[i];
            for (size_t j = 0; j < nc; j++) {
                if (t[j] - (cq + c * bsq[j]) > worst)
                    continue;
                nn_heap_push(h, mlc_sqdist_direct(q, nn_row(nn, x0 + j), d), x0 + j);
                worst = nn_heap_worst(h);
            }
        }
    }
    mlc_aligned_free(tile);
    free(qsq);
    return MLC_OK;
}

int nn_brute_radius_block(const mlc_neighbors *nn, const double *Q, size_t ldq, size_t nq,
                          double rr, nn_radius_out *outs)
{
    size_t d = nn->d;
    double *tile = mlc_aligned_alloc(nq * NN_TILE_COLS, sizeof *tile);
    double *qsq = malloc(nq * sizeof *qsq);
    if (!tile || !qsq) {
        mlc_aligned_free(tile);
        free(qsq);
        return MLC_ENOMEM;
    }
    query_norms(Q, ldq, nq, d, qsq);
    double c = tile_slack(d);
    int level = mlc_cpu_level(), st = MLC_OK;
    for (size_t x0 = 0; x0 < nn->n && !st; x0 += NN_TILE_COLS) {
        size_t nc = nn->n - x0 < NN_TILE_COLS ? nn->n - x0 : NN_TILE_COLS;
        const double *bsq = nn->sq_norms + x0;
        mlc_sqdist_tile(level, Q, ldq, qsq, nq, nn_row(nn, x0), nn->ldx, bsq, nc, d, tile,
                        NN_TILE_COLS, 0);
        for (size_t i = 0; i < nq && !st; i++) {
            nn_radius_out *o = &outs[i];
            if (nn_radius_done(o))
                continue;
            const double *q = Q + i * ldq, *t = tile + i * NN_TILE_COLS;
            double cq = c * qsq[i];
            for (size_t j = 0; j < nc && !st; j++) {
                double slack = cq + c * bsq[j];
                if (t[j] - slack > rr)
                    continue;
                if (!o->list && t[j] + slack < rr) {
                    /* Surely inside: counting needs no exact distance. */
                    st = nn_radius_take(o, x0 + j, 0.0);
                } else {
                    double r = mlc_sqdist_direct(q, nn_row(nn, x0 + j), d);
                    if (r <= rr)
                        st = nn_radius_take(o, x0 + j, r);
                }
                if (nn_radius_done(o))
                    break;
            }
        }
    }
    mlc_aligned_free(tile);
    free(qsq);
    return st;
}

/* One query row, any metric but euclidean-by-tiles; precomputed rows hold
 * the distances themselves. */
int nn_brute_knn_row(const mlc_neighbors *nn, const double *q, nn_heap *h)
{
    if (nn->metric == MLC_METRIC_PRECOMPUTED) {
        for (size_t j = 0; j < nn->n; j++)
            nn_heap_push(h, q[j], j);
        return MLC_OK;
    }
    for (size_t j = 0; j < nn->n; j++)
        nn_heap_push(h, nn_rdist(nn->metric, nn->p, q, nn_row(nn, j), nn->d), j);
    return MLC_OK;
}

int nn_brute_radius_row(const mlc_neighbors *nn, const double *q, double rr, nn_radius_out *o)
{
    int st = MLC_OK;
    for (size_t j = 0; j < nn->n && !st && !nn_radius_done(o); j++) {
        double r = nn->metric == MLC_METRIC_PRECOMPUTED
                       ? q[j]
                       : nn_rdist(nn->metric, nn->p, q, nn_row(nn, j), nn->d);
        if (r <= rr)
            st = nn_radius_take(o, j, r);
    }
    return st;
}
