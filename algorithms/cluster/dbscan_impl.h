/* DBSCAN's pieces (docs/PARITY.md §8): the model, the union-find every
 * method joins core points with, and the two ways of finding neighbours:
 * the library's index (mlcore/neighbors.h) and a grid of cells for 1-3
 * features. */
#ifndef MLC_DBSCAN_IMPL_H
#define MLC_DBSCAN_IMPL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"
#include "mlcore/cluster.h"

struct mlc_dbscan {
    mlc_dbscan_params params;
    size_t n, p;            /* training rows, features (n for precomputed) */
    int32_t *labels;        /* labels_: n */
    size_t n_core;
    int64_t *core;          /* core_sample_indices_: n_core, ascending */
    double *components;     /* components_: n_core x p */
    size_t n_clusters;
};

/* mlc_dbscan_fit reporting to a progress context (the registry's; NULL
 * none): the index path ticks after each block of queries and stops with
 * MLC_EINTERRUPTED when asked. No thread scope of its own. */
int mlc_dbscan_fit_progress(const mlc_dbscan_params *p, const mlc_matrix *X,
                            const double *sample_weight, mlc_progress_ctx *progress,
                            mlc_dbscan **out);

/* A model with room for n labels, n_core indices and their rows. */
int mlc_dbscan_model_alloc(const mlc_dbscan_params *params, size_t n, size_t p, size_t n_core,
                           mlc_dbscan **out);

/* The labelling problem both methods solve. A method fills core[i] (0/1),
 * joins every two core points within eps through dbscan_union, and then
 * sets border[j] for each non-core j to the smallest dbscan_find root among
 * its core neighbours (-1 if none). The union keeps the smaller index as
 * the root, so a cluster's root is its lowest-index core point: the order
 * scikit-learn numbers clusters in, and the one its depth-first search
 * gives a border point reachable from several clusters. */
typedef struct dbscan_problem {
    const mlc_matrix *X;
    const double *weights;   /* NULL: every point weighs 1 */
    int negative_weights;    /* some weight < 0: counts cannot stop early */
    double eps;
    double min_samples;
    const mlc_dbscan_params *params;
    mlc_progress_ctx *progress; /* NULL from the typed API */
    uint8_t *core;           /* n */
    int32_t *parent;         /* n: union-find over the core points */
    int32_t *border;         /* n: the non-core points' cluster roots */
} dbscan_problem;

static inline int32_t dbscan_find(int32_t *parent, int32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]]; /* path halving */
        i = parent[i];
    }
    return i;
}

/* Join the clusters of i and j; the smaller root becomes the root. */
static inline void dbscan_union(int32_t *parent, int32_t i, int32_t j)
{
    int32_t a = dbscan_find(parent, i), b = dbscan_find(parent, j);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* The grid of cells (1-3 features, any metric but precomputed).
 * MLC_EUNSUPPORTED without a message when the data span too many cells
 * for the grid's keys: the caller then uses the index. */
int mlc_dbscan_grid(dbscan_problem *pb);
/* The library's neighbour index (kd-tree, ball tree or brute force). */
int mlc_dbscan_index(dbscan_problem *pb);

#endif
