/* Fitting the k-nearest-neighbour estimators: checks, the copy of the
 * training rows, the index, and the model's getters. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "knn_model.h"

static int check_params(const knn_params *p, const char *name)
{
    if (!p)
        return mlc_raise(MLC_EINVAL, "%s: params must not be NULL", name);
    if (p->n_neighbors < 1)
        return mlc_raise(MLC_EINVAL, "%s: n_neighbors must be >= 1, got %lld", name,
                         (long long)p->n_neighbors);
    if (p->weights != MLC_KNN_UNIFORM && p->weights != MLC_KNN_DISTANCE)
        return mlc_raise(MLC_EINVAL, "%s: unknown weights %d (uniform or distance)", name,
                         p->weights);
    if (p->leaf_size < 1)
        return mlc_raise(MLC_EINVAL, "%s: leaf_size must be >= 1, got %lld", name,
                         (long long)p->leaf_size);
    return MLC_OK;
}

static mlc_neighbors_params index_params(const knn_params *p)
{
    mlc_neighbors_params q = mlc_neighbors_params_default();
    q.algorithm = p->algorithm;
    q.metric = p->metric;
    q.p = p->p;
    q.leaf_size = (size_t)p->leaf_size;
    q.n_neighbors = (size_t)p->n_neighbors;
    q.n_threads = p->n_threads;
    return q;
}

int knn_fit_rows(knn_model *m, const knn_params *p, const mlc_matrix *X, const char *name)
{
    int st;
    if ((st = check_params(p, name)) || (st = mlc_check_X_mt(X, name, p->n_threads)))
        return st;
    if ((uint64_t)p->n_neighbors > X->rows)
        return mlc_raise(MLC_EINVAL, "%s: expected n_neighbors <= n_samples, got %lld > %zu",
                         name, (long long)p->n_neighbors, X->rows);
    m->params = *p;
    m->n = X->rows;
    m->n_samples_fit = (int64_t)X->rows;
    m->d = X->cols;
    if ((st = mlc_matrix_copy(X, &m->X)))
        return mlc_raise_nomem("the training rows");
    mlc_neighbors_params q = index_params(p);
    return mlc_neighbors_build(&q, &m->X, &m->index);
}

void knn_model_clear(knn_model *m)
{
    mlc_neighbors_free(m->index);
    mlc_matrix_clear(&m->X);
    free(m->classes);
    free(m->codes);
    free(m->y);
    memset(m, 0, sizeof *m);
}

int knn_neighbours(const knn_model *m, const mlc_matrix *Q, size_t *ind, double *w)
{
    size_t k = (size_t)m->params.n_neighbors, nq = Q->rows;
    int st = mlc_neighbors_kneighbors(m->index, Q, k, w, ind);
    if (st || m->params.weights == MLC_KNN_UNIFORM) {
        for (size_t i = 0; !st && i < nq * k; i++)
            w[i] = 1.0;
        return st;
    }
    /* scikit-learn's _get_weights: 1 / dist; a row where some 1 / dist is
     * infinite (a distance 0, or so small its inverse overflows) weighs
     * those neighbours 1 and the others 0. */
    for (size_t i = 0; i < nq; i++) {
        double *row = w + i * k;
        int inf_row = 0;
        for (size_t j = 0; j < k; j++) {
            row[j] = 1.0 / row[j];
            inf_row |= isinf(row[j]);
        }
        if (inf_row)
            for (size_t j = 0; j < k; j++)
                row[j] = isinf(row[j]) ? 1.0 : 0.0;
    }
    return MLC_OK;
}

/* ------------------------------------------------------------ the classifier */

static int classifier_fit(const knn_params *p, const mlc_matrix *X, const double *y,
                          mlc_k_neighbors_classifier **out)
{
    const char *name = "KNeighborsClassifier";
    int st;
    if ((st = mlc_check_ptr(out, "out")))
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(y, "y")))
        return st;
    mlc_k_neighbors_classifier *c = calloc(1, sizeof *c);
    if (!c)
        return mlc_raise_nomem("a KNeighborsClassifier model");
    knn_model *m = &c->m;
    st = knn_fit_rows(m, p, X, name);
    if (!st && !(m->codes = malloc(m->n * sizeof *m->codes)))
        st = mlc_raise_nomem("the class codes");
    if (!st && !(st = mlc_check_y(y, m->n, "y")))
        st = mlc_encode_labels(y, m->n, &m->classes, &m->n_classes, m->codes);
    if (st) {
        mlc_k_neighbors_classifier_free(c);
        return st;
    }
    *out = c;
    return MLC_OK;
}

int mlc_k_neighbors_classifier_fit(const mlc_k_neighbors_classifier_params *p,
                                   const mlc_matrix *X, const double *y,
                                   mlc_k_neighbors_classifier **out)
{
    return classifier_fit(p, X, y, out);
}

void mlc_k_neighbors_classifier_free(mlc_k_neighbors_classifier *m)
{
    if (!m)
        return;
    knn_model_clear(&m->m);
    free(m);
}

size_t mlc_k_neighbors_classifier_n_classes(const mlc_k_neighbors_classifier *m)
{
    return m ? m->m.n_classes : 0;
}
const double *mlc_k_neighbors_classifier_classes(const mlc_k_neighbors_classifier *m)
{
    return m ? m->m.classes : NULL;
}
size_t mlc_k_neighbors_classifier_n_features(const mlc_k_neighbors_classifier *m)
{
    return m ? m->m.d : 0;
}
const mlc_neighbors *mlc_k_neighbors_classifier_index(const mlc_k_neighbors_classifier *m)
{
    return m ? m->m.index : NULL;
}

/* ------------------------------------------------------------ the regressor */

static int regressor_fit(const knn_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                         mlc_k_neighbors_regressor **out)
{
    const char *name = "KNeighborsRegressor";
    int st;
    if ((st = mlc_check_ptr(out, "out")))
        return st;
    *out = NULL;
    if ((st = mlc_check_X_shape(Y, "Y")) || (st = mlc_check_X_shape(X, name)))
        return st;
    if (Y->rows != X->rows)
        return mlc_raise(MLC_EBADLEN, "%s: Y has %zu rows, X %zu", name, Y->rows, X->rows);
    if ((st = mlc_matrix_check_finite(Y, "Y")))
        return st;
    mlc_k_neighbors_regressor *r = calloc(1, sizeof *r);
    if (!r)
        return mlc_raise_nomem("a KNeighborsRegressor model");
    knn_model *m = &r->m;
    st = knn_fit_rows(m, p, X, name);
    if (!st && !(m->y = malloc(Y->rows * Y->cols * sizeof *m->y)))
        st = mlc_raise_nomem("the targets");
    if (st) {
        mlc_k_neighbors_regressor_free(r);
        return st;
    }
    m->n_targets = Y->cols;
    for (size_t i = 0; i < Y->rows; i++)
        memcpy(m->y + i * Y->cols, mlc_matrix_row(Y, i), Y->cols * sizeof *m->y);
    *out = r;
    return MLC_OK;
}

int mlc_k_neighbors_regressor_fit(const mlc_k_neighbors_regressor_params *p,
                                  const mlc_matrix *X, const mlc_matrix *Y,
                                  mlc_k_neighbors_regressor **out)
{
    if (!p)
        return regressor_fit(NULL, X, Y, out);
    knn_params q = {p->n_neighbors, p->weights, p->algorithm, p->leaf_size,
                    p->p,           p->metric,  p->n_threads};
    return regressor_fit(&q, X, Y, out);
}

void mlc_k_neighbors_regressor_free(mlc_k_neighbors_regressor *m)
{
    if (!m)
        return;
    knn_model_clear(&m->m);
    free(m);
}

size_t mlc_k_neighbors_regressor_n_targets(const mlc_k_neighbors_regressor *m)
{
    return m ? m->m.n_targets : 0;
}
size_t mlc_k_neighbors_regressor_n_features(const mlc_k_neighbors_regressor *m)
{
    return m ? m->m.d : 0;
}
const mlc_neighbors *mlc_k_neighbors_regressor_index(const mlc_k_neighbors_regressor *m)
{
    return m ? m->m.index : NULL;
}
