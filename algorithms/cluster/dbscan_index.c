/* DBSCAN on the library's neighbour index (mlcore/neighbors.h): core points
 * by counting queries that stop at min_samples, then radius lists for a
 * block of rows at a time (core rows: unions; the other rows: their
 * clusters), so memory stays O(n + block) whatever eps. */
#include <stdlib.h>
#include <string.h>
#include "dbscan_impl.h"
#include "internal/error.h"

/* Entries of a block's neighbour lists aimed at: the block grows or shrinks
 * by the last block's count (4 MiB of indices). */
#define LIST_BUDGET ((size_t)1 << 19)
#define BLOCK_MIN 16
#define BLOCK_MAX 8192
/* Values of the gathered query rows at most (4 MiB; a precomputed X's rows
 * are n long). */
#define QUERY_BUDGET ((size_t)1 << 19)

typedef struct block_pass {
    const mlc_neighbors *nn;
    const dbscan_problem *pb;
    mlc_matrix Q;     /* max_rows x p rows gathered from X */
    size_t max_rows;
    size_t *rows;     /* the block's row indices */
} block_pass;

/* Radius lists of the rows of X with core[i] == want_core, a block at a
 * time; `visit` sees each row with its list. */
typedef void (*visit_fn)(const dbscan_problem *pb, size_t row, const size_t *ind, size_t len);

static int for_each_list(block_pass *bp, int want_core, visit_fn visit)
{
    const dbscan_problem *pb = bp->pb;
    const mlc_matrix *X = pb->X;
    size_t n = X->rows, block = bp->max_rows < 256 ? bp->max_rows : 256, i = 0;
    int st = MLC_OK;
    while (i < n && !st) {
        size_t b = 0;
        for (; i < n && b < block; i++) {
            if (pb->core[i] != want_core)
                continue;
            bp->rows[b] = i;
            memcpy(mlc_matrix_row(&bp->Q, b), mlc_matrix_row(X, i), X->cols * sizeof(double));
            b++;
        }
        if (b == 0)
            break;
        mlc_matrix Qb = mlc_matrix_rows(&bp->Q, 0, b);
        mlc_neighbor_lists L = {0};
        st = mlc_neighbors_radius(bp->nn, &Qb, pb->eps, 0, 0, &L);
        if (st)
            break;
        for (size_t q = 0; q < b; q++)
            visit(pb, bp->rows[q], L.ind + L.offset[q], L.offset[q + 1] - L.offset[q]);
        size_t total = L.offset[b];
        mlc_neighbor_lists_clear(&L);
        /* The next block: about LIST_BUDGET entries at this density. */
        size_t per_row = total / b + 1;
        block = LIST_BUDGET / per_row;
        block = block < BLOCK_MIN ? BLOCK_MIN : block;
        block = block > bp->max_rows ? bp->max_rows : block;
    }
    return st;
}

/* A core point joins every core neighbour below it (each pair is seen from
 * both ends; one is enough). */
static void join_core(const dbscan_problem *pb, size_t row, const size_t *ind, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (ind[k] < row && pb->core[ind[k]])
            dbscan_union(pb->parent, (int32_t)row, (int32_t)ind[k]);
}

/* A non-core point takes the smallest root among its core neighbours. */
static void reach_border(const dbscan_problem *pb, size_t row, const size_t *ind, size_t len)
{
    int32_t best = -1;
    for (size_t k = 0; k < len; k++) {
        if (!pb->core[ind[k]])
            continue;
        int32_t r = dbscan_find(pb->parent, (int32_t)ind[k]);
        if (best < 0 || r < best)
            best = r;
    }
    pb->border[row] = best;
}

int mlc_dbscan_index(dbscan_problem *pb)
{
    const mlc_dbscan_params *p = pb->params;
    const mlc_matrix *X = pb->X;
    size_t n = X->rows;
    mlc_neighbors_params np = mlc_neighbors_params_default();
    np.algorithm = p->algorithm;
    np.metric = p->metric;
    np.p = p->p;
    np.leaf_size = (size_t)p->leaf_size;
    np.n_threads = p->n_threads;
    mlc_neighbors *nn = NULL;
    int st = mlc_neighbors_build(&np, X, &nn);
    if (st)
        return st;
    /* Core points: counts (or weight sums) that stop at min_samples. */
    double *count = malloc(n * sizeof *count);
    block_pass bp = {.nn = nn, .pb = pb};
    bp.max_rows = QUERY_BUDGET / X->cols;
    bp.max_rows = bp.max_rows < 1 ? 1 : bp.max_rows > BLOCK_MAX ? BLOCK_MAX : bp.max_rows;
    bp.rows = malloc(bp.max_rows * sizeof *bp.rows);
    if (!count || !bp.rows || mlc_matrix_alloc(&bp.Q, bp.max_rows, X->cols)) {
        st = mlc_raise_nomem("DBSCAN");
        goto done;
    }
    st = mlc_neighbors_radius_count(nn, X, pb->eps, pb->weights,
                                     pb->negative_weights ? 0 : pb->min_samples, count);
    for (size_t i = 0; !st && i < n; i++)
        pb->core[i] = count[i] >= pb->min_samples;
    free(count);
    count = NULL;
    if (!st)
        st = for_each_list(&bp, 1, join_core);
    if (!st)
        st = for_each_list(&bp, 0, reach_border);
done:
    free(count);
    free(bp.rows);
    mlc_matrix_clear(&bp.Q);
    mlc_neighbors_free(nn);
    return st;
}
