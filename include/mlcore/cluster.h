/* Clustering, one section per estimator (scikit-learn 1.2 semantics; see
 * docs/PARITY.md).
 *
 *   KMeans            mlc_kmeans_*          registry name "kmeans"
 *   DBSCAN            mlc_dbscan_*          registry name "dbscan"
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
