/* Nearest neighbours: one spatial index for the whole library (scikit-learn
 * 1.2's NearestNeighbors semantics; docs/PARITY.md §18).
 *
 *   mlc_neighbors_params p = mlc_neighbors_params_default();
 *   mlc_neighbors *nn = NULL;
 *   int st = mlc_neighbors_build(&p, &X, &nn);          // X must outlive nn
 *   st = mlc_neighbors_kneighbors(nn, &Q, 5, dist, ind);  // Q: n_q x p
 *   mlc_neighbor_lists L = {0};
 *   st = mlc_neighbors_radius(nn, &Q, 0.5, 1, &L);        // CSR lists
 *   mlc_neighbor_lists_clear(&L);
 *   mlc_neighbors_free(nn);
 *
 * The index keeps a view of X's rows (no copy when X is a plain matrix);
 * building it is O(n) memory beyond X (a permutation and the nodes). A
 * tree query of many rows (at least n / 20) works on a temporary copy of
 * X's rows in the tree's order and answers the rows in the order of the
 * leaves they fall in (the same answers; the copy is freed when it returns).
 *
 * Distances are inclusive at the radius (dist <= r), as scikit-learn's
 * radius_neighbors. k-nearest results are sorted by distance, ties broken
 * by the smaller training index (scikit-learn's own order among equal
 * distances depends on its algorithm). Every algorithm measures every
 * distance that decides an answer exactly (brute force's GEMM tiles only
 * screen), so indices and distances are the same bits for every algorithm
 * and every n_threads; only weighted counts may differ in the last bit (the
 * weights are summed in the order the points are found).
 *
 * algorithm AUTO is scikit-learn 1.2's NearestNeighbors rule: brute for
 * precomputed distances, more than 15 features, or n_neighbors >= n // 2
 * (n_neighbors from the params, 0 = no such test); kd_tree otherwise.
 * The trees have a depth fixed by n and leaf_size (a complete binary tree
 * of floor(log2(max(1, (n - 1) / leaf_size))) + 1 levels) and are searched
 * without recursion, whatever the data (sorted, duplicated).
 *
 * Metric "precomputed": X (build) is the n x n matrix of distances between
 * training points, and every query matrix Q is n_q x n (distances from the
 * query points to the training points); only brute force applies.
 */
#ifndef MLCORE_NEIGHBORS_H
#define MLCORE_NEIGHBORS_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mlc_nn_algorithm {
    MLC_NN_AUTO = 0,      /* as scikit-learn chooses (docs/PARITY.md) */
    MLC_NN_KD_TREE = 1,
    MLC_NN_BALL_TREE = 2,
    MLC_NN_BRUTE = 3
} mlc_nn_algorithm;

typedef enum mlc_nn_metric {
    MLC_METRIC_EUCLIDEAN = 0,
    MLC_METRIC_MANHATTAN = 1,
    MLC_METRIC_CHEBYSHEV = 2,
    MLC_METRIC_MINKOWSKI = 3, /* with p >= 1 (p = 2 is euclidean, p = 1 manhattan) */
    MLC_METRIC_PRECOMPUTED = 4
} mlc_nn_metric;

typedef struct mlc_neighbors_params {
    mlc_nn_algorithm algorithm; /* default MLC_NN_AUTO */
    mlc_nn_metric metric;       /* default MLC_METRIC_EUCLIDEAN */
    double p;                   /* Minkowski power, >= 1; default 2 */
    size_t leaf_size;           /* >= 1; default 30 */
    /* For algorithm auto only: the n_neighbors of the scikit-learn estimator
     * that chooses (brute when n_neighbors >= n // 2); 0 = none, as a
     * RadiusNeighbors* estimator. Default 5 (NearestNeighbors', DBSCAN's). */
    size_t n_neighbors;
    int n_threads;              /* 0 = all cores (queries run over blocks of query rows) */
} mlc_neighbors_params;

MLC_API mlc_neighbors_params mlc_neighbors_params_default(void);

typedef struct mlc_neighbors mlc_neighbors;

/* Build the index over X (n x p, finite, n >= 1). X is never copied: it
 * must outlive the index and stay unchanged. Errors: MLC_EINVAL (NULL
 * argument, leaf_size < 1, minkowski p < 1 or NaN, unknown metric or
 * algorithm, n_threads < 0 or > MLC_THREADS_MAX, precomputed X not square
 * or with a negative entry, precomputed with a tree), MLC_EEMPTY, MLC_ENONFINITE, MLC_ENOMEM.
 * *out is NULL after a failure. */
MLC_API int mlc_neighbors_build(const mlc_neighbors_params *params, const mlc_matrix *X,
                                mlc_neighbors **out);
MLC_API void mlc_neighbors_free(mlc_neighbors *nn);
/* The algorithm actually used (AUTO resolved); AUTO for NULL. */
MLC_API mlc_nn_algorithm mlc_neighbors_algorithm(const mlc_neighbors *nn);
/* The number of training points (0 for NULL). */
MLC_API size_t mlc_neighbors_n_samples(const mlc_neighbors *nn);

/* The k nearest training points of every row of Q (n_q x p, or n_q x n for
 * precomputed, no negative entry), 1 <= k <= n: dist and ind are n_q x k,
 * row-major, sorted by distance, ties by index. Errors: MLC_EINVAL (NULL,
 * wrong width, k out of range), MLC_EEMPTY, MLC_ENONFINITE, MLC_ENOMEM. */
MLC_API int mlc_neighbors_kneighbors(const mlc_neighbors *nn, const mlc_matrix *Q, size_t k,
                                     double *dist, size_t *ind);

/* Neighbours within `radius` (inclusive) of every row of Q, as compressed
 * rows: the neighbours of query i are ind[offset[i] .. offset[i+1]) with
 * their distances in dist (NULL when not asked for). `sorted`: by distance,
 * ties by index; otherwise by index. radius: finite, >= 0. *out is
 * overwritten (it must hold nothing) and empty after a failure; release it
 * with mlc_neighbor_lists_clear. */
typedef struct mlc_neighbor_lists {
    size_t n_queries;
    size_t *offset; /* n_queries + 1 */
    size_t *ind;
    double *dist;   /* or NULL */
} mlc_neighbor_lists;

MLC_API int mlc_neighbors_radius(const mlc_neighbors *nn, const mlc_matrix *Q, double radius,
                                 int sorted, int with_distances, mlc_neighbor_lists *out);
MLC_API void mlc_neighbor_lists_clear(mlc_neighbor_lists *l);

/* Counting only: count[i] = the number of training points within `radius`
 * of row i of Q (or, with weights (n values), the sum of their weights).
 * The search for a row stops once its count reaches `stop_at` (0 = never
 * stop): count[i] is then some value >= stop_at, which is all DBSCAN needs
 * to know a core point. Weights must be finite and may be negative
 * (scikit-learn's DBSCAN allows it); a negative weight turns the early stop
 * off. count: n_q values, caller allocated. */
MLC_API int mlc_neighbors_radius_count(const mlc_neighbors *nn, const mlc_matrix *Q,
                                       double radius, const double *weights, double stop_at,
                                       double *count);

/* ------------------------------------------------------------------------
 * k-nearest-neighbour estimators (scikit-learn 1.2's KNeighborsClassifier
 * and KNeighborsRegressor; docs/PARITY.md §18), registered as
 * "k_neighbors_classifier" and "k_neighbors_regressor". A model holds a
 * copy of its training rows and targets (as scikit-learn's do) and the
 * index over them.
 *
 * weights: uniform (each of the k neighbours counts 1) or distance (1 / d;
 * when some neighbours are at distance 0, those count 1 and the others 0).
 * With metric precomputed, fit takes the n x n training distances and
 * predict the n_q x n distances from the query points.
 */

/* weights */
#define MLC_KNN_UNIFORM 0
#define MLC_KNN_DISTANCE 1

typedef struct mlc_k_neighbors_classifier_params {
    int64_t n_neighbors;        /* 5, >= 1 and <= n_samples */
    int weights;                /* MLC_KNN_UNIFORM */
    mlc_nn_algorithm algorithm; /* MLC_NN_AUTO */
    int64_t leaf_size;          /* 30, >= 1 */
    double p;                   /* 2, >= 1: the minkowski power */
    mlc_nn_metric metric;       /* MLC_METRIC_MINKOWSKI */
    int n_threads;              /* 0 = all cores */
} mlc_k_neighbors_classifier_params;

typedef struct mlc_k_neighbors_regressor_params {
    int64_t n_neighbors;        /* 5, >= 1 and <= n_samples */
    int weights;                /* MLC_KNN_UNIFORM */
    mlc_nn_algorithm algorithm; /* MLC_NN_AUTO */
    int64_t leaf_size;          /* 30, >= 1 */
    double p;                   /* 2, >= 1: the minkowski power */
    mlc_nn_metric metric;       /* MLC_METRIC_MINKOWSKI */
    int n_threads;              /* 0 = all cores */
} mlc_k_neighbors_regressor_params;

typedef struct mlc_k_neighbors_classifier mlc_k_neighbors_classifier;
typedef struct mlc_k_neighbors_regressor mlc_k_neighbors_regressor;

MLC_API mlc_k_neighbors_classifier_params mlc_k_neighbors_classifier_params_default(void);
MLC_API mlc_k_neighbors_regressor_params mlc_k_neighbors_regressor_params_default(void);

/* Fit: X n x p finite (or n x n precomputed distances), y n integral class
 * labels (any integers, one class is allowed) / Y n x n_targets. Errors:
 * MLC_EINVAL (NULL, a parameter out of range, n_neighbors > n, labels not
 * integral, precomputed X not square or negative), MLC_EEMPTY,
 * MLC_ENONFINITE, MLC_EBADLEN (Y's rows), MLC_ENOMEM. */
MLC_API int mlc_k_neighbors_classifier_fit(const mlc_k_neighbors_classifier_params *p,
                                           const mlc_matrix *X, const double *y,
                                           mlc_k_neighbors_classifier **out);
MLC_API int mlc_k_neighbors_regressor_fit(const mlc_k_neighbors_regressor_params *p,
                                          const mlc_matrix *X, const mlc_matrix *Y,
                                          mlc_k_neighbors_regressor **out);

/* predict into out[X->rows]: the class of largest (weighted) vote, the
 * smallest label among equal votes (scikit-learn's mode). */
MLC_API int mlc_k_neighbors_classifier_predict(const mlc_k_neighbors_classifier *m,
                                               const mlc_matrix *X, double *out);
/* predict_proba into out (X->rows x n_classes, columns in classes order):
 * the votes divided by their sum. */
MLC_API int mlc_k_neighbors_classifier_predict_proba(const mlc_k_neighbors_classifier *m,
                                                     const mlc_matrix *X, mlc_matrix *out);
/* predict into out (X->rows x n_targets): the mean of the neighbours'
 * targets, or their weighted mean. */
MLC_API int mlc_k_neighbors_regressor_predict(const mlc_k_neighbors_regressor *m,
                                              const mlc_matrix *X, mlc_matrix *out);

/* Getters: 0 / NULL for NULL. classes: n_classes ascending labels
 * (borrowed). The index answers kneighbors / radius queries on the
 * training rows (borrowed, freed with the model). */
MLC_API size_t mlc_k_neighbors_classifier_n_classes(const mlc_k_neighbors_classifier *m);
MLC_API const double *mlc_k_neighbors_classifier_classes(const mlc_k_neighbors_classifier *m);
MLC_API size_t mlc_k_neighbors_classifier_n_features(const mlc_k_neighbors_classifier *m);
MLC_API const mlc_neighbors *mlc_k_neighbors_classifier_index(const mlc_k_neighbors_classifier *m);
MLC_API size_t mlc_k_neighbors_regressor_n_targets(const mlc_k_neighbors_regressor *m);
MLC_API size_t mlc_k_neighbors_regressor_n_features(const mlc_k_neighbors_regressor *m);
MLC_API const mlc_neighbors *mlc_k_neighbors_regressor_index(const mlc_k_neighbors_regressor *m);

MLC_API void mlc_k_neighbors_classifier_free(mlc_k_neighbors_classifier *m);
MLC_API void mlc_k_neighbors_regressor_free(mlc_k_neighbors_regressor *m);

#ifdef __cplusplus
}
#endif
#endif
