/* The k-nearest-neighbour estimators' model: the training rows and
 * targets (copies), and the index over the rows (docs/PARITY.md §18). */
#ifndef MLC_KNN_MODEL_H
#define MLC_KNN_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/registry.h"
#include "mlcore/neighbors.h"

/* The classifier's params; the regressor's are the same fields. */
typedef mlc_k_neighbors_classifier_params knn_params;

typedef struct knn_model {
    knn_params params;
    mlc_matrix X;         /* owned copy of the training rows */
    size_t n, d;
    mlc_neighbors *index; /* over X */
    /* classifier: the classes (ascending) and each row's class index */
    double *classes;
    size_t n_classes;
    int32_t *codes;
    int64_t n_samples_fit; /* n_samples_fit_ (an attribute) */
    /* regressor: n x n_targets */
    double *y;
    size_t n_targets;
} knn_model;

struct mlc_k_neighbors_classifier {
    knn_model m;
};
struct mlc_k_neighbors_regressor {
    knn_model m;
};

/* Validate the params and X, copy X and build the index: the common part
 * of both fits (and of a restore, from the saved rows). */
int knn_fit_rows(knn_model *m, const knn_params *p, const mlc_matrix *X, const char *name);
void knn_model_clear(knn_model *m);
/* The neighbours of rows [0, nq) of Q, with their weights (n_q x k): 1, or
 * 1 / d with scikit-learn's rule for zero distances. */
int knn_neighbours(const knn_model *m, const mlc_matrix *Q, size_t *ind, double *w);

#endif
