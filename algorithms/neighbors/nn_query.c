/* The queries: k nearest, radius listing, radius counting, each over blocks
 * of query rows on the index's threads. A query row's answer depends on
 * that row alone, so the results are the same for any thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/parallel.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"
#include "nn_impl.h"

/* Query rows per block: a tile's rows for brute force, and the unit of
 * work a thread takes. */
#define NN_BLOCK_ROWS 64

/* What a parallel query shares with its blocks. */
typedef struct nn_job {
    const mlc_neighbors *nn;
    const mlc_matrix *Q;
    const size_t *order; /* the query rows in the order they are answered, or NULL */
    mlc_parts parts;
    int *status; /* per block */
    /* k nearest */
    size_t k;
    double *dist;
    size_t *ind;
    /* radius */
    double rr;
    int by_distance;
    nn_list *lists;     /* listing: one per block */
    size_t *row_counts; /* listing: neighbours of each query row */
    const double *weights;
    double stop_at;
    double *count;
} nn_job;

static int use_tiles(const mlc_neighbors *nn)
{
    return nn->algorithm == MLC_NN_BRUTE && nn->metric == MLC_METRIC_EUCLIDEAN;
}

/* The threads a query of nq rows is worth. */
static int query_threads(const mlc_neighbors *nn, const mlc_parts *P, size_t nq)
{
    double per_row = nn->algorithm == MLC_NN_BRUTE
                         ? (double)nn->n * (double)(nn->d ? nn->d : 1)
                         : (double)nn->params.leaf_size * (double)nn->d * 8.0 *
                               (double)(nn->n_levels + 1);
    return mlc_threads_for(nn->params.n_threads, P->count, per_row * (double)nq,
                           MLC_PARALLEL_MIN_WORK);
}

static void knn_block(void *ctx, size_t part)
{
    nn_job *job = ctx;
    const mlc_neighbors *nn = job->nn;
    size_t lo = mlc_part_lo(&job->parts, part), hi = mlc_part_hi(&job->parts, part), k = job->k;
    nn_heap heaps[NN_BLOCK_ROWS];
    for (size_t i = lo; i < hi; i++) {
        size_t qi = job->order ? job->order[i] : i;
        nn_heap h = {job->dist + qi * k, job->ind + qi * k, k, 0};
        heaps[i - lo] = h;
    }
    int st = MLC_OK;
    if (use_tiles(nn)) {
        st = nn_brute_knn_block(nn, mlc_matrix_row(job->Q, lo), job->Q->stride, hi - lo, heaps);
    } else {
        for (size_t i = lo; i < hi && !st; i++) {
            const double *q = mlc_matrix_row(job->Q, job->order ? job->order[i] : i);
            st = nn->algorithm == MLC_NN_BRUTE ? nn_brute_knn_row(nn, q, &heaps[i - lo])
                                               : nn_tree_knn_row(nn, q, &heaps[i - lo]);
        }
    }
    for (size_t i = lo; i < hi && !st; i++) {
        nn_heap_sort(&heaps[i - lo]);
        for (size_t j = 0; j < k; j++)
            heaps[i - lo].dist[j] = nn_rdist_to_dist(nn->metric, nn->p, heaps[i - lo].dist[j]);
    }
    job->status[part] = st;
}

static void radius_block(void *ctx, size_t part)
{
    nn_job *job = ctx;
    const mlc_neighbors *nn = job->nn;
    size_t lo = mlc_part_lo(&job->parts, part), hi = mlc_part_hi(&job->parts, part);
    nn_list *list = job->lists ? &job->lists[part] : NULL;
    nn_radius_out outs[NN_BLOCK_ROWS];
    for (size_t i = lo; i < hi; i++) {
        nn_radius_out o = {list, job->weights, job->stop_at, 0.0};
        outs[i - lo] = o;
    }
    int st = MLC_OK;
    if (job->order) { /* a count in the leaves' order */
        for (size_t i = lo; i < hi && !st; i++)
            st = nn_tree_radius_row(nn, mlc_matrix_row(job->Q, job->order[i]), job->rr,
                                    &outs[i - lo]);
        for (size_t i = lo; i < hi; i++)
            job->count[job->order[i]] = outs[i - lo].count;
    } else if (use_tiles(nn) && !list) {
        st = nn_brute_radius_block(nn, mlc_matrix_row(job->Q, lo), job->Q->stride, hi - lo,
                                   job->rr, outs);
    } else {
        /* One row at a time, so each row's pairs are contiguous in the
         * block's list. */
        for (size_t i = lo; i < hi && !st; i++) {
            const double *q = mlc_matrix_row(job->Q, i);
            size_t from = list ? list->len : 0;
            if (use_tiles(nn))
                st = nn_brute_radius_block(nn, q, job->Q->stride, 1, job->rr, &outs[i - lo]);
            else if (nn->algorithm == MLC_NN_BRUTE)
                st = nn_brute_radius_row(nn, q, job->rr, &outs[i - lo]);
            else
                st = nn_tree_radius_row(nn, q, job->rr, &outs[i - lo]);
            if (list) {
                job->row_counts[i] = list->len - from;
                /* Brute force finds them by index already. */
                if (job->by_distance || nn->algorithm != MLC_NN_BRUTE)
                    nn_list_sort(list, from, job->by_distance);
            }
        }
    }
    if (!list && !job->order)
        for (size_t i = lo; i < hi; i++)
            job->count[i] = outs[i - lo].count;
    job->status[part] = st;
}

/* Queries per training point from which a tree query copies the rows into
 * the tree's order first: a leaf's points are then one contiguous run
 * instead of scattered rows. The copy (n x d, freed after the query) costs
 * about one pass over X; at 100 000 x 10 it made a kd-tree kneighbors of
 * every row about 1.6-2x faster. */
#define NN_TREE_ORDER_MIN_QUERIES 0.05

/* The rows in the tree's order, or NULL (brute force, few queries, or no
 * memory: the caller's rows serve then). */
static double *tree_ordered_rows(const mlc_neighbors *nn, size_t nq)
{
    if (nn->algorithm == MLC_NN_BRUTE || nn->rows_in_tree_order ||
        (double)nq < NN_TREE_ORDER_MIN_QUERIES * (double)nn->n)
        return NULL;
    double *rows = malloc(nn->n * nn->d * sizeof *rows);
    for (size_t k = 0; rows && k < nn->n; k++)
        memcpy(rows + k * nn->d, nn_row(nn, nn->idx[k]), nn->d * sizeof *rows);
    return rows;
}

/* The query rows sorted by the leaf each reaches (a counting sort, stable),
 * so that queries near each other run one after another; NULL when not
 * worth it (the conditions of tree_ordered_rows) or without memory. */
static size_t *leaf_order(const mlc_neighbors *nn, const mlc_matrix *Q)
{
    size_t nq = Q->rows;
    if (nn->algorithm == MLC_NN_BRUTE || (double)nq < NN_TREE_ORDER_MIN_QUERIES * (double)nn->n)
        return NULL;
    size_t *leaf = malloc(nq * sizeof *leaf), *start = calloc(nn->n_nodes + 1, sizeof *start);
    size_t *order = malloc(nq * sizeof *order);
    if (leaf && start && order) {
        for (size_t i = 0; i < nq; i++) {
            leaf[i] = nn_tree_leaf_of(nn, mlc_matrix_row(Q, i));
            start[leaf[i] + 1]++;
        }
        for (size_t v = 0; v < nn->n_nodes; v++)
            start[v + 1] += start[v];
        for (size_t i = 0; i < nq; i++)
            order[start[leaf[i]]++] = i;
    } else {
        free(order);
        order = NULL;
    }
    free(leaf);
    free(start);
    return order;
}

/* Run `body` over the blocks of Q; the first block's failure is returned
 * (raised here, on the calling thread, where messages are kept). A tree
 * query of many rows answers them in the leaves' order over a copy of the
 * rows in the tree's order (`ordered`: radius listings keep the rows'
 * order, as their lists are gathered block by block). */
static int run_blocks_(nn_job *job, mlc_part_body body, int ordered_queries)
{
    size_t nq = job->Q->rows;
    const mlc_neighbors *caller = job->nn;
    mlc_neighbors ordered;
    double *rows = tree_ordered_rows(caller, nq);
    size_t *order = rows && ordered_queries ? leaf_order(caller, job->Q) : NULL;
    if (rows) {
        ordered = *caller;
        ordered.X = rows;
        ordered.ldx = caller->d;
        ordered.rows_in_tree_order = 1;
        job->nn = &ordered;
    }
    job->order = order;
    job->parts = mlc_parts_sized(nq, NN_BLOCK_ROWS);
    job->status = calloc(job->parts.count, sizeof *job->status);
    if (!job->status) {
        job->nn = caller;
        job->order = NULL;
        free(rows);
        free(order);
        return mlc_raise_nomem("neighbors: query blocks");
    }
    if (use_tiles(job->nn))
        mlc_blas_set_threads(1); /* the tiles are small GEMMs */
    mlc_parallel_parts(query_threads(job->nn, &job->parts, nq), job->parts.count, body, job);
    int st = MLC_OK;
    for (size_t q = 0; q < job->parts.count && !st; q++)
        st = job->status[q];
    free(job->status);
    job->status = NULL;
    job->nn = caller;
    job->order = NULL;
    free(rows);
    free(order);
    return st ? mlc_raise_nomem("neighbors: query results") : MLC_OK;
}

static int run_blocks(nn_job *job, mlc_part_body body)
{
    return run_blocks_(job, body, !job->lists);
}

static int kneighbors(const mlc_neighbors *nn, const mlc_matrix *Q, size_t k, double *dist,
                      size_t *ind)
{
    int st;
    if ((st = nn_check_queries(nn, Q)))
        return st;
    if (k < 1 || k > nn->n)
        return mlc_raise(MLC_EINVAL,
                         "neighbors: expected 1 <= n_neighbors <= n_samples_fit = %zu, got %zu",
                         nn->n, k);
    if ((st = mlc_check_ptr(dist, "neighbors: dist")) || (st = mlc_check_ptr(ind, "neighbors: ind")))
        return st;
    nn_job job = {.nn = nn, .Q = Q, .k = k, .dist = dist, .ind = ind};
    return run_blocks(&job, knn_block);
}

int mlc_neighbors_kneighbors(const mlc_neighbors *nn, const mlc_matrix *Q, size_t k, double *dist,
                             size_t *ind)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, kneighbors(nn, Q, k, dist, ind));
}

static int check_radius(double radius)
{
    if (!(radius >= 0) || isinf(radius))
        return mlc_raise(MLC_EINVAL, "neighbors: radius must be finite and >= 0, got %g", radius);
    return MLC_OK;
}

/* The blocks' lists, in order, as one compressed result. */
static int gather_lists(const mlc_neighbors *nn, nn_job *job, int with_distances,
                        mlc_neighbor_lists *out)
{
    size_t nq = job->Q->rows, total = 0;
    for (size_t q = 0; q < job->parts.count; q++)
        total += job->lists[q].len;
    out->offset = malloc((nq + 1) * sizeof *out->offset);
    out->ind = malloc((total ? total : 1) * sizeof *out->ind);
    out->dist = with_distances ? malloc((total ? total : 1) * sizeof *out->dist) : NULL;
    if (!out->offset || !out->ind || (with_distances && !out->dist)) {
        mlc_neighbor_lists_clear(out);
        return mlc_raise_nomem("neighbors: radius lists");
    }
    out->n_queries = nq;
    out->offset[0] = 0;
    for (size_t i = 0; i < nq; i++)
        out->offset[i + 1] = out->offset[i] + job->row_counts[i];
    size_t at = 0;
    for (size_t q = 0; q < job->parts.count; q++) {
        const nn_list *l = &job->lists[q];
        for (size_t j = 0; j < l->len; j++, at++) {
            out->ind[at] = l->a[j].ind;
            if (with_distances)
                out->dist[at] = nn_rdist_to_dist(nn->metric, nn->p, l->a[j].dist);
        }
    }
    return MLC_OK;
}

static int radius(const mlc_neighbors *nn, const mlc_matrix *Q, double r, int sorted,
                  int with_distances, mlc_neighbor_lists *out)
{
    int st;
    if ((st = mlc_check_ptr(out, "neighbors: out")))
        return st;
    memset(out, 0, sizeof *out);
    if ((st = nn_check_queries(nn, Q)) || (st = check_radius(r)))
        return st;
    nn_job job = {.nn = nn, .Q = Q, .rr = nn_dist_to_rdist(nn->metric, nn->p, r),
                  .by_distance = sorted != 0};
    size_t n_parts = mlc_parts_sized(Q->rows, NN_BLOCK_ROWS).count;
    job.lists = calloc(n_parts, sizeof *job.lists);
    job.row_counts = malloc(Q->rows * sizeof *job.row_counts);
    if (!job.lists || !job.row_counts)
        st = mlc_raise_nomem("neighbors: radius lists");
    if (!st)
        st = run_blocks(&job, radius_block);
    if (!st)
        st = gather_lists(nn, &job, with_distances, out);
    if (job.lists)
        for (size_t q = 0; q < n_parts; q++)
            nn_list_free(&job.lists[q]);
    free(job.lists);
    free(job.row_counts);
    return st;
}

int mlc_neighbors_radius(const mlc_neighbors *nn, const mlc_matrix *Q, double radius_,
                         int sorted, int with_distances, mlc_neighbor_lists *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, radius(nn, Q, radius_, sorted, with_distances, out));
}

void mlc_neighbor_lists_clear(mlc_neighbor_lists *l)
{
    if (!l)
        return;
    free(l->offset);
    free(l->ind);
    free(l->dist);
    memset(l, 0, sizeof *l);
}

static int radius_count(const mlc_neighbors *nn, const mlc_matrix *Q, double r,
                        const double *weights, double stop_at, double *count)
{
    int st;
    if ((st = nn_check_queries(nn, Q)) || (st = check_radius(r)) ||
        (st = mlc_check_ptr(count, "neighbors: count")))
        return st;
    if (!(stop_at >= 0) || isinf(stop_at))
        return mlc_raise(MLC_EINVAL, "neighbors: stop_at must be finite and >= 0, got %g",
                         stop_at);
    if (weights) {
        if ((st = mlc_array_check_finite(weights, nn->n, "neighbors: weights")))
            return st;
        /* A negative weight (scikit-learn's DBSCAN allows them) can lower a
         * count again: no early stop then. */
        for (size_t i = 0; i < nn->n; i++)
            if (weights[i] < 0)
                stop_at = 0;
    }
    nn_job job = {.nn = nn, .Q = Q, .rr = nn_dist_to_rdist(nn->metric, nn->p, r),
                  .weights = weights, .stop_at = stop_at, .count = count};
    return run_blocks(&job, radius_block);
}

int mlc_neighbors_radius_count(const mlc_neighbors *nn, const mlc_matrix *Q, double r,
                               const double *weights, double stop_at, double *count)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, radius_count(nn, Q, r, weights, stop_at, count));
}
