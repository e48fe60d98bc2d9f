/* Clustering, one section per estimator (scikit-learn 1.2 semantics; see
 * docs/PARITY.md).
 *
 *   KMeans                    mlc_kmeans_*                    registry name "kmeans"
 *   AgglomerativeClustering   mlc_agglomerative_clustering_*  "agglomerative_clustering"
 *   DBSCAN                    mlc_dbscan_*                    "dbscan"
 */
#ifndef MLCORE_CLUSTER_H
#define MLCORE_CLUSTER_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"
#include "mlcore/neighbors.h"
#include "mlcore/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * KMeans
 *
 *   mlc_kmeans_params p = mlc_kmeans_params_default();
 *   p.n_clusters = 3;
 *   mlc_kmeans *km = NULL;
 *   int st = mlc_kmeans_fit(&p, &X, NULL, &km);
 *   st = mlc_kmeans_predict(km, &Xnew, labels);
 *   mlc_kmeans_free(km);
 *
 * As scikit-learn: the data are centred on their column means before the
 * iterations (results are reported in the original coordinates); `tol` is
 * relative to the mean feature variance; a run stops when the labels no
 * longer change ("strict convergence") or when the summed squared centre
 * shift is <= tol * mean(var(X)), in which case one more assignment step
 * makes the labels match the final centres. Empty clusters are given the
 * points farthest from their centres. Among several runs (n_init) the one
 * with the lowest inertia is kept.
 *
 * Algorithms: lloyd (scikit-learn's default), elkan (triangle-inequality
 * bounds, n x n_clusters extra memory, as scikit-learn's) and hamerly (one
 * lower bound per point: O(n) extra memory; fastest when clusters are
 * distinct, e.g. many centres at low dimension). All three give the same
 * labels, centres, inertia and iteration counts, bit for bit: the bounds
 * only skip distance computations that provably cannot change a label, and
 * every label is decided by the same arithmetic as Lloyd's. Results do not
 * depend on n_threads.
 *
 * Memory: X is never copied; lloyd needs O(n + p k) beyond it (labels and
 * per-part sums). k-means++ keeps (2 + ln k) distances per row when that is
 * less than a row of X (it saves one pass over X per centre); it ignores
 * sample_weight, as scikit-learn 1.2 does.
 *
 * Finding fewer distinct clusters than n_clusters (e.g. fewer distinct
 * points than clusters) is not an error: the fit completes, `converged` is 0
 * and mlc_kmeans_n_distinct() tells how many clusters were found, as
 * scikit-learn's ConvergenceWarning does.
 * ====================================================================== */

typedef enum mlc_kmeans_init_method {
    MLC_KMEANS_INIT_KMEANS_PLUS_PLUS = 0, /* greedy k-means++, 2 + floor(ln k) local trials */
    MLC_KMEANS_INIT_RANDOM = 1            /* n_clusters distinct rows chosen at random */
} mlc_kmeans_init_method;

/* All four give the same bits (labels, centres, inertia, n_iter): the
 * bounds of elkan and hamerly only skip distance computations that cannot
 * change a label. AUTO picks by shape: hamerly from 48 clusters on, where
 * its bounds pay (measured 1.2-2.5x faster than lloyd at 4-50 features),
 * lloyd below (up to 2.3x faster than hamerly at 8 clusters). */
typedef enum mlc_kmeans_algorithm {
    MLC_KMEANS_LLOYD = 0,
    MLC_KMEANS_ELKAN = 1,
    MLC_KMEANS_HAMERLY = 2,
    MLC_KMEANS_AUTO = 3
} mlc_kmeans_algorithm;

/* n_init = MLC_KMEANS_N_INIT_AUTO: one run for k-means++, ten for random
 * (scikit-learn >= 1.4's 'auto'). */
#define MLC_KMEANS_N_INIT_AUTO 0

typedef struct mlc_kmeans_params {
    long n_clusters;                /* 8 */
    int init;                       /* MLC_KMEANS_INIT_KMEANS_PLUS_PLUS */
    int algorithm;                  /* MLC_KMEANS_AUTO */
    /* NULL, or n_clusters x n_features starting centres (forces one run, as
     * scikit-learn's init=array; the registry's init parameter takes them
     * as a keyword-or-array, init_centers its alias). Only read during
     * fit; the model keeps no pointer to it. */
    const mlc_matrix *init_centers;
    long n_init;                    /* MLC_KMEANS_N_INIT_AUTO */
    int64_t max_iter;               /* 300 */
    double tol;                     /* 1e-4 */
    int64_t random_state;           /* -1 = a fresh seed (None) */
    int n_threads;                  /* 0 = all cores */
} mlc_kmeans_params;

typedef struct mlc_kmeans mlc_kmeans;

MLC_API mlc_kmeans_params mlc_kmeans_params_default(void);

/* The functions follow the typed-estimator pattern of mlcore.h. */

/* Fit on X (n x p). sample_weight: n non-negative weights or NULL. Errors:
 * n_clusters < 1 or > n (MLC_EINVAL), NaN/Inf in X or init_centers
 * (MLC_ENONFINITE), init_centers of the wrong shape (MLC_EBADLEN), bad
 * n_init / max_iter / tol (MLC_EINVAL), values so large that the inertia
 * overflows (MLC_ERANGE). */
MLC_API int mlc_kmeans_fit(const mlc_kmeans_params *p, const mlc_matrix *X,
                           const double *sample_weight, mlc_kmeans **out);
/* mlc_kmeans_fit drawing its random numbers from a caller's generator
 * instead of one seeded by p->random_state: for a caller running k-means
 * inside its own seeded procedure (the Gaussian mixture's k-means start
 * shares its stream this way, as scikit-learn's does). The generator is
 * advanced, not kept. Errors: as mlc_kmeans_fit. */
MLC_API int mlc_kmeans_fit_rng(const mlc_kmeans_params *p, const mlc_matrix *X,
                               const double *sample_weight, mlc_rng *rng, mlc_kmeans **out);
/* k-means++ seeding (scikit-learn's kmeans_plusplus: greedy, 2 + log k
 * candidates per centre, drawing from rng): indices[n_clusters] gets the
 * chosen rows of X and, if centers is not NULL, centers[n_clusters x p] the
 * rows themselves (both caller allocated). Errors: MLC_EINVAL (n_clusters < 1
 * or > n), MLC_EBADLEN (X empty), MLC_ENONFINITE. */
MLC_API int mlc_kmeans_plusplus(const mlc_matrix *X, size_t n_clusters, mlc_rng *rng,
                                int n_threads, double *centers, size_t *indices);
/* Fit, then copy labels_ into labels[n] (caller allocated). out may be NULL
 * (model discarded). Errors: as mlc_kmeans_fit. */
MLC_API int mlc_kmeans_fit_predict(const mlc_kmeans_params *p, const mlc_matrix *X,
                                   const double *sample_weight, int32_t *labels,
                                   mlc_kmeans **out);
/* Index of the nearest centre of every row (lowest index on ties) into
 * labels[X->rows]. */
MLC_API int mlc_kmeans_predict(const mlc_kmeans *m, const mlc_matrix *X, int32_t *labels);
/* dist (n x n_clusters, caller allocated) = Euclidean distances to the centres. */
MLC_API int mlc_kmeans_transform(const mlc_kmeans *m, const mlc_matrix *X, mlc_matrix *dist);
/* score = -inertia of X under the fitted centres (sample_weight may be NULL). */
MLC_API int mlc_kmeans_score(const mlc_kmeans *m, const mlc_matrix *X,
                             const double *sample_weight, double *score);

/* Getters (arrays borrowed from the model, valid until it is freed). */
MLC_API size_t mlc_kmeans_n_clusters(const mlc_kmeans *m);
MLC_API size_t mlc_kmeans_n_features(const mlc_kmeans *m);
/* cluster_centers_: n_clusters x n_features, row-major. */
MLC_API const double *mlc_kmeans_cluster_centers(const mlc_kmeans *m);
/* labels_ of the training rows (mlc_kmeans_n_samples() of them). */
MLC_API const int32_t *mlc_kmeans_labels(const mlc_kmeans *m);
MLC_API size_t mlc_kmeans_n_samples(const mlc_kmeans *m);
MLC_API double mlc_kmeans_inertia(const mlc_kmeans *m);  /* inertia_ */
MLC_API int64_t mlc_kmeans_n_iter(const mlc_kmeans *m);  /* n_iter_ of the kept run */
/* 1 if the kept run stopped by a convergence rule before max_iter and found
 * n_clusters distinct clusters. */
MLC_API int mlc_kmeans_converged(const mlc_kmeans *m);
/* Number of distinct labels in labels_ (< n_clusters: scikit-learn warns). */
MLC_API size_t mlc_kmeans_n_distinct(const mlc_kmeans *m);
MLC_API void mlc_kmeans_free(mlc_kmeans *m);

/* ======================================================================
 * AgglomerativeClustering
 *
 *   mlc_agglomerative_clustering_params p =
 *       mlc_agglomerative_clustering_params_default();
 *   p.linkage = MLC_AGGLOMERATIVE_AVERAGE;
 *   p.n_clusters = 3;
 *   mlc_agglomerative_clustering *ac = NULL;
 *   int st = mlc_agglomerative_clustering_fit(&p, &X, &ac);
 *   const int32_t *labels = mlc_agglomerative_clustering_labels(ac);
 *   mlc_agglomerative_clustering_free(ac);
 *
 * As scikit-learn 1.2 without a connectivity matrix: the whole tree is
 * built, then cut into n_clusters clusters, or at distance_threshold (every
 * merge below it kept). With n_neighbors, the connectivity is
 * scikit-learn's kneighbors_graph(X, n_neighbors, include_self=False) (with
 * a precomputed matrix, the neighbours by its distances) and the tree its
 * ward_tree or linkage_tree on that graph (ward, complete, average: merges
 * in the order made; single: the graph's minimum spanning tree; a partial
 * tree where compute_full_tree resolves to false, as scikit-learn's). children_ is scikit-learn's (for ward, complete and
 * average scipy's Z[:, :2]; for single linkage on euclidean or manhattan
 * scikit-learn's own order within a row), labels_ are numbered as its
 * _hc_cut numbers them (docs/PARITY.md §9). There is no predict, as in
 * scikit-learn: the labels are those of the training rows.
 *
 * Algorithms (Müllner 2011, arXiv:1109.2378): ward by the nearest-neighbour
 * chain over cluster centroids and single linkage by Prim's spanning tree
 * with distances computed on the fly, both in O(n) memory beyond X; complete
 * and average by the nearest-neighbour chain over the condensed matrix of
 * n (n - 1) / 2 distances (8 bytes each: 1.6 GB at 20 000 rows), refused
 * with MLC_ENOMEM, naming its size, when it cannot fit. Results do not
 * depend on n_threads.
 *
 * The tree is also kept as scipy's linkage matrix Z (n - 1 rows: the two
 * merged nodes, smaller id first, the height, the new cluster's size), what
 * scipy.cluster.hierarchy.dendrogram draws.
 * ====================================================================== */

typedef enum mlc_agglomerative_linkage {
    MLC_AGGLOMERATIVE_WARD = 0,     /* minimum variance growth (euclidean only) */
    MLC_AGGLOMERATIVE_COMPLETE = 1, /* largest pairwise distance */
    MLC_AGGLOMERATIVE_AVERAGE = 2,  /* mean pairwise distance */
    MLC_AGGLOMERATIVE_SINGLE = 3    /* smallest pairwise distance */
} mlc_agglomerative_linkage;

typedef enum mlc_agglomerative_metric {
    MLC_AGGLOMERATIVE_EUCLIDEAN = 0,
    MLC_AGGLOMERATIVE_MANHATTAN = 1,
    MLC_AGGLOMERATIVE_COSINE = 2,     /* 1 - cosine similarity; no zero rows */
    MLC_AGGLOMERATIVE_PRECOMPUTED = 3 /* X is the n x n distance matrix */
} mlc_agglomerative_metric;

/* compute_full_tree: without connectivity the whole tree is always built;
 * FALSE only refuses a distance_threshold, as scikit-learn does. */
typedef enum mlc_agglomerative_full_tree {
    MLC_AGGLOMERATIVE_FULL_TREE_AUTO = 0,
    MLC_AGGLOMERATIVE_FULL_TREE_TRUE = 1,
    MLC_AGGLOMERATIVE_FULL_TREE_FALSE = 2
} mlc_agglomerative_full_tree;

/* n_neighbors = None: no connectivity. */
#define MLC_AGGLOMERATIVE_N_NEIGHBORS_NONE 0
/* n_clusters = None: the tree is cut at distance_threshold. */
#define MLC_AGGLOMERATIVE_N_CLUSTERS_NONE 0
/* distance_threshold = None: the tree is cut into n_clusters clusters. */
#define MLC_AGGLOMERATIVE_DISTANCE_THRESHOLD_NONE -1

/* Exactly one of n_clusters and distance_threshold is set. */
typedef struct mlc_agglomerative_clustering_params {
    long n_clusters;           /* 2 (or MLC_AGGLOMERATIVE_N_CLUSTERS_NONE) */
    double distance_threshold; /* MLC_AGGLOMERATIVE_DISTANCE_THRESHOLD_NONE (or >= 0) */
    int linkage;               /* MLC_AGGLOMERATIVE_WARD */
    int metric;                /* MLC_AGGLOMERATIVE_EUCLIDEAN */
    int compute_full_tree;     /* MLC_AGGLOMERATIVE_FULL_TREE_AUTO */
    int compute_distances;     /* 0: distances_ only with a distance_threshold */
    /* connectivity = kneighbors_graph(X, n_neighbors, include_self=False)
     * (1 <= n_neighbors < n) */
    long n_neighbors;          /* MLC_AGGLOMERATIVE_N_NEIGHBORS_NONE */
    int n_threads;             /* 0 = all cores */
} mlc_agglomerative_clustering_params;

typedef struct mlc_agglomerative_clustering mlc_agglomerative_clustering;

MLC_API mlc_agglomerative_clustering_params mlc_agglomerative_clustering_params_default(void);

/* Fit on X (n x p, n >= 2; with MLC_AGGLOMERATIVE_PRECOMPUTED the n x n
 * distance matrix, whose upper triangle is used). Errors: both or neither
 * of n_clusters and distance_threshold, n_clusters < 0 or > n, ward with
 * another metric, a distance_threshold with compute_full_tree FALSE, a bad
 * enum (MLC_EINVAL); fewer than 2 rows (MLC_EINVAL); a precomputed matrix
 * that is not square (MLC_EBADLEN), not symmetric (to 1e-10 relative) or
 * negative (MLC_EINVAL); cosine with a zero row (MLC_EINVAL); NaN/Inf
 * (MLC_ENONFINITE); values so large that the distances overflow
 * (MLC_ERANGE); a condensed matrix larger than the machine's memory
 * (MLC_ENOMEM, naming its size); n_neighbors < 0 or >= n (MLC_EINVAL). */
MLC_API int mlc_agglomerative_clustering_fit(const mlc_agglomerative_clustering_params *p,
                                             const mlc_matrix *X,
                                             mlc_agglomerative_clustering **out);
/* Fit, then copy labels_ into labels[n] (caller allocated). out may be NULL
 * (model discarded). Errors: as the fit. */
MLC_API int mlc_agglomerative_clustering_fit_predict(
    const mlc_agglomerative_clustering_params *p, const mlc_matrix *X, int32_t *labels,
    mlc_agglomerative_clustering **out);

/* Getters (arrays borrowed from the model, valid until it is freed; 0 or
 * NULL for NULL). */
/* n_leaves_: the training rows. */
MLC_API size_t mlc_agglomerative_clustering_n_leaves(const mlc_agglomerative_clustering *m);
/* n_clusters_: the clusters of the cut. */
MLC_API size_t mlc_agglomerative_clustering_n_clusters(const mlc_agglomerative_clustering *m);
/* n_connected_components_ (1 without connectivity). */
MLC_API size_t mlc_agglomerative_clustering_n_connected_components(
    const mlc_agglomerative_clustering *m);
/* labels_[n_leaves]. */
MLC_API const int32_t *mlc_agglomerative_clustering_labels(const mlc_agglomerative_clustering *m);
/* Rows of children_: n_leaves - 1, or n_leaves - n_clusters for a partial
 * tree (connectivity with compute_full_tree false). */
MLC_API size_t mlc_agglomerative_clustering_n_children(const mlc_agglomerative_clustering *m);
/* children_: n_children x 2, row t merging two nodes into node n_leaves + t
 * (ids below n_leaves are rows). */
MLC_API const int64_t *mlc_agglomerative_clustering_children(
    const mlc_agglomerative_clustering *m);
/* distances_[n_children], the merge heights; NULL unless compute_distances
 * or distance_threshold was set, as scikit-learn. */
MLC_API const double *mlc_agglomerative_clustering_distances(
    const mlc_agglomerative_clustering *m);
/* scipy's linkage matrix Z: (n_leaves - 1) x 4 (the whole tree), always
 * kept. */
MLC_API const double *mlc_agglomerative_clustering_linkage_matrix(
    const mlc_agglomerative_clustering *m);
MLC_API void mlc_agglomerative_clustering_free(mlc_agglomerative_clustering *m);

/* ======================================================================
 * DBSCAN
 *
 *   mlc_dbscan_params p = mlc_dbscan_params_default();
 *   p.eps = 0.3;
 *   p.min_samples = 10;
 *   mlc_dbscan *db = NULL;
 *   int st = mlc_dbscan_fit(&p, &X, NULL, &db);
 *   const int32_t *labels = mlc_dbscan_labels(db);   // -1: noise
 *   mlc_dbscan_free(db);
 *
 * scikit-learn 1.2's DBSCAN (docs/PARITY.md §8): the eps-neighbourhood of a
 * point holds every point at distance <= eps, itself included; a point is a
 * core point when its neighbourhood holds min_samples points (with
 * sample_weight: when their weights sum to min_samples or more; weights may
 * be negative, as scikit-learn allows). Core points within eps of each other
 * share a cluster; a non-core point within eps of a core point joins the
 * lowest-numbered such cluster; the rest is noise (-1). Clusters are
 * numbered in the order of their lowest-index core point: the labels equal
 * scikit-learn's as arrays, whatever the algorithm and n_threads (except
 * for floating-point ties at exactly eps).
 *
 * Memory: O(n) beyond X and the neighbour index, whatever eps (scikit-learn
 * keeps every neighbourhood). Core points come from counting queries that
 * stop at min_samples, clusters from a union-find over core pairs found a
 * block of rows at a time. With algorithm AUTO, 1 to 3 features and a
 * metric other than precomputed, a grid of cells of diameter eps replaces
 * the tree (Gan & Tao 2015).
 *
 * DBSCAN has no predict, as scikit-learn's: the model holds labels_,
 * core_sample_indices_ and components_ (the core rows of X).
 * ====================================================================== */

typedef struct mlc_dbscan_params {
    double eps;                 /* 0.5 */
    long min_samples;           /* 5 */
    mlc_nn_metric metric;       /* MLC_METRIC_EUCLIDEAN */
    double p;                   /* 2 */
    mlc_nn_algorithm algorithm; /* MLC_NN_AUTO */
    long leaf_size;             /* 30 */
    int n_threads;              /* 0 = all cores */
} mlc_dbscan_params;

typedef struct mlc_dbscan mlc_dbscan;

MLC_API mlc_dbscan_params mlc_dbscan_params_default(void);

/* Fit on X (n x p; with MLC_METRIC_PRECOMPUTED the n x n distances).
 * sample_weight: n finite weights or NULL. Errors: eps <= 0, min_samples < 1,
 * leaf_size < 1, p < 1, an unknown metric or algorithm (MLC_EINVAL); NaN/Inf
 * in X or the weights (MLC_ENONFINITE); a precomputed matrix that is not
 * square or has a negative entry (MLC_EINVAL, from mlc_neighbors_build);
 * more than INT32_MAX rows (MLC_ERANGE). */
MLC_API int mlc_dbscan_fit(const mlc_dbscan_params *p, const mlc_matrix *X,
                           const double *sample_weight, mlc_dbscan **out);
/* Fit, then copy labels_ into labels[n] (caller allocated). out may be NULL
 * (model discarded). Errors: as mlc_dbscan_fit. */
MLC_API int mlc_dbscan_fit_predict(const mlc_dbscan_params *p, const mlc_matrix *X,
                                   const double *sample_weight, int32_t *labels,
                                   mlc_dbscan **out);

/* Getters (arrays borrowed from the model, valid until it is freed). */
MLC_API size_t mlc_dbscan_n_samples(const mlc_dbscan *m);
MLC_API size_t mlc_dbscan_n_features(const mlc_dbscan *m);
/* labels_: n cluster numbers, -1 for noise. */
MLC_API const int32_t *mlc_dbscan_labels(const mlc_dbscan *m);
/* Number of clusters (the largest label + 1). */
MLC_API size_t mlc_dbscan_n_clusters(const mlc_dbscan *m);
/* core_sample_indices_: mlc_dbscan_n_core_samples() indices, ascending. */
MLC_API size_t mlc_dbscan_n_core_samples(const mlc_dbscan *m);
MLC_API const int64_t *mlc_dbscan_core_sample_indices(const mlc_dbscan *m);
/* components_: the core rows of X, n_core_samples x n_features, row-major
 * (NULL when there is no core point). */
MLC_API const double *mlc_dbscan_components(const mlc_dbscan *m);
MLC_API void mlc_dbscan_free(mlc_dbscan *m);

#ifdef __cplusplus
}
#endif

#endif
