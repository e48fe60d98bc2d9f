/* The fitted AgglomerativeClustering model, shared by the typed API
 * (agglomerative.c) and its registry face (agglomerative_registry.c). */
#ifndef MLC_CLUSTER_AGGLOMERATIVE_MODEL_H
#define MLC_CLUSTER_AGGLOMERATIVE_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"
#include "mlcore/cluster.h"

struct mlc_agglomerative_clustering {
    mlc_agglomerative_clustering_params params;
    size_t n;                    /* n_leaves_ */
    int64_t n_leaves;            /* the same, as the attribute holds it */
    int64_t n_clusters;          /* n_clusters_ */
    int64_t n_components;        /* n_connected_components_ */
    int32_t *labels;             /* labels_[n] */
    size_t n_children;           /* rows of children_: n - 1, or n - n_clusters (partial) */
    int64_t *children;           /* children_: (n - 1) x 2 (the first n_children exposed) */
    double *Z;                   /* scipy's linkage matrix: (n - 1) x 4 */
    double *distances;           /* distances_[n_children], or NULL when not asked for */
};

/* mlc_agglomerative_clustering_fit reporting to `progress` (NULL: none; the
 * registry's fit passes its own). */
int mlc_agglo_fit(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X,
                  mlc_progress_ctx *progress, mlc_agglomerative_clustering **out);
/* A model with room for n leaves (distances_ when `with_distances`). */
int mlc_agglo_model_alloc(const mlc_agglomerative_clustering_params *p, size_t n,
                          int with_distances, mlc_agglomerative_clustering **out);
/* Whether distances_ is kept under these parameters. */
int mlc_agglo_keeps_distances(const mlc_agglomerative_clustering_params *p);
/* The parameters alone (no data): MLC_EINVAL naming the first bad one. */
int mlc_agglo_check_params(const mlc_agglomerative_clustering_params *p);
/* A fitted tree's labels and n_clusters_ from its Z and children_ (the
 * parameters' cut). */
int mlc_agglo_cut(mlc_agglomerative_clustering *m);

#endif
