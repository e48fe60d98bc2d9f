/* The neighbour index's private state, shared by its build and its queries
 * (docs/PARITY.md §18).
 *
 * Every distance is compared in "reduced" form (rdist), as scikit-learn's
 * trees compare them: the squared distance for euclidean, the sum of
 * |x_f - y_f|^p for minkowski, the distance itself for manhattan,
 * chebyshev and precomputed. One function (nn_rdist) computes it exactly
 * for every algorithm, so the answers do not depend on the algorithm. */
#ifndef MLC_NN_IMPL_H
#define MLC_NN_IMPL_H
#include <math.h>
#include <stddef.h>
#include "internal/sqdist.h"
#include "mlcore/neighbors.h"

/* A node of a tree: the points idx[start .. end) of the permutation. */
typedef struct nn_node {
    size_t start, end;
    int is_leaf;
} nn_node;

struct mlc_neighbors {
    mlc_neighbors_params params;
    mlc_nn_algorithm algorithm; /* resolved: never AUTO */
    mlc_nn_metric metric;       /* effective: minkowski with p 1, 2 or inf is renamed */
    double p;
    const double *X;            /* the caller's rows (a view) */
    size_t n, d, ldx;
    /* A query's private copy of the rows in the tree's order (row k holds
     * point idx[k]), or 0 when X is the caller's. */
    int rows_in_tree_order;
    double *sq_norms;           /* brute euclidean: the rows' squared norms */
    /* Trees (kd_tree, ball_tree): the permutation, the nodes in heap order
     * (children of i at 2i+1, 2i+2), and per node either the box (kd: lo
     * and hi, d each) or the ball (centre, d values, and radius). */
    size_t *idx;
    nn_node *nodes;
    size_t n_nodes, n_levels;
    double *bounds; /* kd: n_nodes x 2d; ball: n_nodes x d centres */
    double *radius; /* ball: n_nodes */
};

static inline const double *nn_row(const mlc_neighbors *nn, size_t i)
{
    return nn->X + i * nn->ldx;
}

/* The row at position k of a tree's permutation (point idx[k]). */
static inline const double *nn_tree_row(const mlc_neighbors *nn, size_t k)
{
    return nn->rows_in_tree_order ? nn->X + k * nn->ldx : nn_row(nn, nn->idx[k]);
}

/* The exact reduced distance between two points of d features. */
static inline double nn_rdist(mlc_nn_metric metric, double p, const double *x, const double *y,
                              size_t d)
{
    double s = 0.0;
    switch (metric) {
    case MLC_METRIC_EUCLIDEAN:
        return mlc_sqdist_direct(x, y, d);
    case MLC_METRIC_MANHATTAN:
        for (size_t f = 0; f < d; f++)
            s += fabs(x[f] - y[f]);
        return s;
    case MLC_METRIC_CHEBYSHEV:
        for (size_t f = 0; f < d; f++) {
            double a = fabs(x[f] - y[f]);
            s = a > s ? a : s;
        }
        return s;
    default: /* minkowski */
        for (size_t f = 0; f < d; f++)
            s += pow(fabs(x[f] - y[f]), p);
        return s;
    }
}

/* Reduced distance <-> distance. */
static inline double nn_rdist_to_dist(mlc_nn_metric metric, double p, double r)
{
    if (metric == MLC_METRIC_EUCLIDEAN)
        return sqrt(r);
    if (metric == MLC_METRIC_MINKOWSKI)
        return pow(r, 1.0 / p);
    return r;
}
static inline double nn_dist_to_rdist(mlc_nn_metric metric, double p, double dist)
{
    if (metric == MLC_METRIC_EUCLIDEAN)
        return dist * dist;
    if (metric == MLC_METRIC_MINKOWSKI)
        return pow(dist, p);
    return dist;
}

/* ------------------------------------------------------ the k best */

/* The k smallest (rdist, index) pairs seen so far, ordered by rdist then
 * index: a max-heap, so results never depend on the order of visits. */
typedef struct nn_heap {
    double *dist;
    size_t *ind;
    size_t k, size;
} nn_heap;

static inline int nn_pair_less(double da, size_t ia, double db, size_t ib)
{
    return da < db || (da == db && ia < ib);
}
/* The worst kept rdist, +inf until the heap is full. */
static inline double nn_heap_worst(const nn_heap *h)
{
    return h->size < h->k ? INFINITY : h->dist[0];
}
void nn_heap_push(nn_heap *h, double dist, size_t ind);
/* Sort the kept pairs in place, ascending. */
void nn_heap_sort(nn_heap *h);

/* ------------------------------------------------------ growing lists */

typedef struct nn_pair {
    double dist; /* reduced */
    size_t ind;
} nn_pair;
typedef struct nn_list {
    nn_pair *a;
    size_t len, cap;
} nn_list;
/* Append; MLC_ENOMEM (no message: the caller raises it) when it cannot grow. */
int nn_list_push(nn_list *l, size_t ind, double dist);
void nn_list_free(nn_list *l);
/* Sort l->a[from ..) by (dist, index), or by index alone. */
void nn_list_sort(nn_list *l, size_t from, int by_distance);

/* ------------------------------------------------------ the searches */

/* What a radius search of one query collects. */
typedef struct nn_radius_out {
    nn_list *list;         /* listing: append (index, rdist) */
    const double *weights; /* counting: NULL counts points */
    double stop_at;        /* counting: stop at this count (0: never) */
    double count;
} nn_radius_out;

/* Add training point j (reduced distance r) to a radius search's result. */
static inline int nn_radius_take(nn_radius_out *o, size_t j, double r)
{
    if (o->list)
        return nn_list_push(o->list, j, r);
    o->count += o->weights ? o->weights[j] : 1.0;
    return MLC_OK;
}
static inline int nn_radius_done(const nn_radius_out *o)
{
    return !o->list && o->stop_at > 0 && o->count >= o->stop_at;
}

/* One query row q (d values; n for precomputed): the k best into h, or the
 * points within reduced radius rr into out. Return MLC_OK or MLC_ENOMEM. */
int nn_brute_knn_row(const mlc_neighbors *nn, const double *q, nn_heap *h);
int nn_brute_radius_row(const mlc_neighbors *nn, const double *q, double rr, nn_radius_out *o);
int nn_tree_knn_row(const mlc_neighbors *nn, const double *q, nn_heap *h);
int nn_tree_radius_row(const mlc_neighbors *nn, const double *q, double rr, nn_radius_out *o);

/* The leaf a query reaches by always taking the nearer child: queries in
 * the order of their leaves visit the same points one after another. */
size_t nn_tree_leaf_of(const mlc_neighbors *nn, const double *q);

/* Brute euclidean over a block of query rows at once: squared-distance tiles
 * (internal/sqdist.h) screen the candidates, exact distances decide. */
int nn_brute_knn_block(const mlc_neighbors *nn, const double *Q, size_t ldq, size_t nq,
                       nn_heap *heaps);
int nn_brute_radius_block(const mlc_neighbors *nn, const double *Q, size_t ldq, size_t nq,
                          double rr, nn_radius_out *outs);

/* The parameters' ranges; a query matrix against the index (shape, finite
 * values, and for precomputed distances one column per training point and
 * no negative entry). */
int nn_check_params(const mlc_neighbors_params *p);
int nn_check_queries(const mlc_neighbors *nn, const mlc_matrix *Q);

/* Build the tree of nn->algorithm over nn's rows. */
int nn_tree_build(mlc_neighbors *nn);

#endif
