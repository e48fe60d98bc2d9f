/* The fitted KMeans model, shared by the typed API (kmeans.c) and its
 * registry face (kmeans_registry.c). */
#ifndef MLC_INTERNAL_KMEANS_MODEL_H
#define MLC_INTERNAL_KMEANS_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/validate.h"
#include "kmeans_impl.h"

struct mlc_kmeans {
    mlc_kmeans_params params; /* init_centers cleared */
    size_t k, p, n;           /* clusters, features, training rows */
    double *centers;          /* cluster_centers_: k x p */
    int32_t *labels;          /* labels_: n */
    double inertia;           /* inertia_ */
    int64_t n_iter;           /* n_iter_ */
    int32_t converged;        /* converged_ */
    size_t n_distinct;
    mlc_km_centers pred;      /* the centres in kernel layout, for predict */
};

/* A model with room for k x p centres and n labels. */
int mlc_kmeans_model_alloc(const mlc_kmeans_params *p, size_t k, size_t dim, size_t n,
                           mlc_kmeans **out);
/* Derive what predict needs (and n_distinct) once centres and labels are set. */
void mlc_kmeans_model_finish(mlc_kmeans *m);
/* Starting centres C of scikit-learn's shape (n_clusters, n_features) = (k,
 * d): given is the shape C was read in (NULL: a caller's matrix, rows x
 * cols); `name` the parameter as the caller knows it (init, init_centers).
 * MLC_EBADLEN naming both shapes. */
int mlc_kmeans_check_init_shape(const mlc_matrix *C, const mlc_array_shape *given, size_t k,
                                size_t d, const char *name);
/* mlc_kmeans_predict with the labels as doubles in out's column 0 (out: n x
 * 1, the registry's predict output), without an int32 buffer between. */
int mlc_kmeans_predict_column(const mlc_kmeans *m, const mlc_matrix *X, mlc_matrix *out);

#endif
