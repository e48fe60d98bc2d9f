/* The k-nearest-neighbour estimators in the registry:
 * "k_neighbors_classifier" and "k_neighbors_regressor". The parameter
 * tables state the defaults (scikit-learn 1.2's), which the typed
 * *_params_default() read too. A model file holds the training rows and
 * targets, as scikit-learn's pickles do; the index is rebuilt from them on
 * load (the same tree, so the same predictions). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/registry.h"
#include "knn_model.h"

#define KNN_ROWS(st)                                                                        \
    MLC_P_INT(st, n_neighbors, "5", 1, 1e15, "number of neighbours that vote (<= n_samples)"), \
        MLC_P_CHOICE(st, weights, "uniform", "uniform|distance",                             \
                     "uniform: each neighbour counts 1; distance: 1 / its distance (those " \
                     "at distance 0 take all the weight)"),                                 \
        MLC_P_CHOICE(st, algorithm, "auto", "auto|kd_tree|ball_tree|brute",                  \
                     "the neighbour search (the same answers; auto as scikit-learn "        \
                     "chooses)"),                                                           \
        MLC_P_INT(st, leaf_size, "30", 1, 1e15, "points per leaf of the trees"),            \
        MLC_P_REAL(st, p, "2", 1, 1e300, "power of the minkowski metric (>= 1)"),           \
        MLC_P_CHOICE(st, metric, "minkowski",                                               \
                     "euclidean|manhattan|chebyshev|minkowski|precomputed",                 \
                     "the distance (precomputed: X holds distances to the training "        \
                     "points)"),                                                            \
        MLC_P_THREADS(st)

static const mlc_param_info classifier_table[] = {KNN_ROWS(mlc_k_neighbors_classifier_params)};
static const mlc_param_info regressor_table[] = {KNN_ROWS(mlc_k_neighbors_regressor_params)};

mlc_k_neighbors_classifier_params mlc_k_neighbors_classifier_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_k_neighbors_classifier_params, classifier_table);
}
mlc_k_neighbors_regressor_params mlc_k_neighbors_regressor_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_k_neighbors_regressor_params, regressor_table);
}

/* ------------------------------------------------------------ classifier */

/* Building the index is no iteration: no progress to report. */
static int classifier_fit_face(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                               void **model)
{
    (void)progress;
    return mlc_k_neighbors_classifier_fit(p, d->X, d->Y->data,
                                          (mlc_k_neighbors_classifier **)model);
}
static void classifier_free_face(void *m)
{
    mlc_k_neighbors_classifier_free(m);
}
static size_t classifier_output_cols(const void *model, mlc_output kind)
{
    const mlc_k_neighbors_classifier *c = model;
    if (kind == MLC_OUT_PREDICT)
        return 1;
    return kind == MLC_OUT_PROBA ? c->m.n_classes : 0;
}
static int classifier_output(const void *model, mlc_output kind, const mlc_matrix *X,
                             mlc_matrix *out)
{
    if (kind == MLC_OUT_PROBA)
        return mlc_k_neighbors_classifier_predict_proba(model, X, out);
    if (kind != MLC_OUT_PREDICT)
        return mlc_raise(MLC_EUNSUPPORTED, "KNeighborsClassifier has no %s",
                         mlc_output_name(kind));
    double *col = malloc((X->rows ? X->rows : 1) * sizeof *col);
    if (!col)
        return mlc_raise_nomem("predictions");
    int st = mlc_k_neighbors_classifier_predict(model, X, col);
    for (size_t i = 0; !st && i < X->rows; i++)
        MLC_AT(out, i, 0) = col[i];
    free(col);
    return st;
}
static size_t classifier_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const knn_model *m = &((const mlc_k_neighbors_classifier *)model)->m;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "classes_", MLC_DTYPE_F64, 1, m->n_classes, 0, 0, m->classes);
    mlc_attr_put(out, cap, &n, "_fit_X", MLC_DTYPE_F64, 2, m->n, m->d, 0, m->X.data);
    mlc_attr_put(out, cap, &n, "_y", MLC_DTYPE_I32, 1, m->n, 0, 0, m->codes);
    mlc_attr_put(out, cap, &n, "n_samples_fit_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_samples_fit);
    return n;
}

/* The saved training rows, refitted: the same index, the same answers. */
static int restore_rows(knn_model *m, const knn_params *p, const mlc_attr_set *s,
                        const char *name)
{
    size_t shape[2] = {0, mlc_attrs_n_features(s)};
    const double *x;
    int st = mlc_attrs_get(s, "_fit_X", 2, shape, &x);
    if (st)
        return st;
    mlc_matrix X = mlc_matrix_wrap((double *)x, shape[0], shape[1], 0);
    return knn_fit_rows(m, p, &X, name);
}

static int classifier_restore_body(knn_model *m, const knn_params *p, const mlc_attr_set *s)
{
    int st = restore_rows(m, p, s, "KNeighborsClassifier");
    if (st)
        return st;
    size_t shape[1] = {0};
    const double *cls;
    if ((st = mlc_attrs_get(s, "classes_", 1, shape, &cls)))
        return st;
    if (shape[0] < 1)
        return mlc_raise(MLC_EFORMAT, "model file: classes_ is empty");
    for (size_t k = 0; k < shape[0]; k++)
        if (!isfinite(cls[k]) || cls[k] != floor(cls[k]) || (k && !(cls[k] > cls[k - 1])))
            return mlc_raise(MLC_EFORMAT, "model file: classes_ is not ascending integers");
    m->n_classes = shape[0];
    m->classes = malloc(m->n_classes * sizeof *m->classes);
    m->codes = malloc(m->n * sizeof *m->codes);
    if (!m->classes || !m->codes)
        return mlc_raise_nomem("a KNeighborsClassifier model");
    memcpy(m->classes, cls, m->n_classes * sizeof *cls);
    size_t yshape[1] = {m->n};
    if ((st = mlc_attrs_int32(s, "_y", 1, yshape, m->codes, m->n)))
        return st;
    for (size_t i = 0; i < m->n; i++)
        if (m->codes[i] < 0 || (size_t)m->codes[i] >= m->n_classes)
            return mlc_raise(MLC_EFORMAT, "model file: _y[%zu] = %d is not a class index", i,
                             (int)m->codes[i]);
    return MLC_OK;
}

static int classifier_restore(const void *params, const mlc_attr_set *s, void **model)
{
    mlc_k_neighbors_classifier *c = calloc(1, sizeof *c);
    if (!c)
        return mlc_raise_nomem("a KNeighborsClassifier model");
    return mlc_reg_handover(classifier_restore_body(&c->m, params, s), c, classifier_free_face,
                            model);
}

const mlc_estimator_desc mlc_k_neighbors_classifier_desc = {
    .name = "k_neighbors_classifier",
    .summary = "k-nearest-neighbour classification (kd-tree, ball tree or brute force)",
    .task = MLC_TASK_CLASSIFIER,
    MLC_DESC_PARAMS(classifier_table, mlc_k_neighbors_classifier_params),
    .refuses_sample_weight = 1, /* as KNeighborsClassifier.fit */
    .fit = classifier_fit_face,
    .free = classifier_free_face,
    .output_cols = classifier_output_cols,
    .output = classifier_output,
    .attributes = classifier_attributes,
    .restore = classifier_restore,
};

/* ------------------------------------------------------------ regressor */

static int regressor_fit_face(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                              void **model)
{
    (void)progress;
    return mlc_k_neighbors_regressor_fit(p, d->X, d->Y, (mlc_k_neighbors_regressor **)model);
}
static void regressor_free_face(void *m)
{
    mlc_k_neighbors_regressor_free(m);
}
static size_t regressor_output_cols(const void *model, mlc_output kind)
{
    return kind == MLC_OUT_PREDICT ? ((const mlc_k_neighbors_regressor *)model)->m.n_targets : 0;
}
static int regressor_output(const void *model, mlc_output kind, const mlc_matrix *X,
                            mlc_matrix *out)
{
    if (kind != MLC_OUT_PREDICT)
        return mlc_raise(MLC_EUNSUPPORTED, "KNeighborsRegressor has no %s",
                         mlc_output_name(kind));
    return mlc_k_neighbors_regressor_predict(model, X, out);
}
static size_t regressor_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const knn_model *m = &((const mlc_k_neighbors_regressor *)model)->m;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "_fit_X", MLC_DTYPE_F64, 2, m->n, m->d, 0, m->X.data);
    mlc_attr_put(out, cap, &n, "_y", MLC_DTYPE_F64, 2, m->n, m->n_targets, 0, m->y);
    mlc_attr_put(out, cap, &n, "n_samples_fit_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_samples_fit);
    return n;
}

static int regressor_restore_body(knn_model *m, const mlc_k_neighbors_regressor_params *p,
                                  const mlc_attr_set *s)
{
    knn_params q = {p->n_neighbors, p->weights, p->algorithm, p->leaf_size,
                    p->p,           p->metric,  p->n_threads};
    int st = restore_rows(m, &q, s, "KNeighborsRegressor");
    if (st)
        return st;
    size_t shape[2] = {m->n, 0};
    const double *y;
    if ((st = mlc_attrs_get(s, "_y", 2, shape, &y)))
        return st;
    if (shape[1] < 1)
        return mlc_raise(MLC_EFORMAT, "model file: _y has no target column");
    m->n_targets = shape[1];
    if (!(m->y = malloc(m->n * m->n_targets * sizeof *m->y)))
        return mlc_raise_nomem("a KNeighborsRegressor model");
    memcpy(m->y, y, m->n * m->n_targets * sizeof *y);
    return mlc_array_check_finite(m->y, m->n * m->n_targets, "model file: _y");
}

static int regressor_restore(const void *params, const mlc_attr_set *s, void **model)
{
    mlc_k_neighbors_regressor *r = calloc(1, sizeof *r);
    if (!r)
        return mlc_raise_nomem("a KNeighborsRegressor model");
    return mlc_reg_handover(regressor_restore_body(&r->m, params, s), r, regressor_free_face,
                            model);
}

const mlc_estimator_desc mlc_k_neighbors_regressor_desc = {
    .name = "k_neighbors_regressor",
    .summary = "k-nearest-neighbour regression: the (weighted) mean of the neighbours' targets",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(regressor_table, mlc_k_neighbors_regressor_params),
    .refuses_sample_weight = 1, /* as KNeighborsRegressor.fit */
    .fit = regressor_fit_face,
    .free = regressor_free_face,
    .output_cols = regressor_output_cols,
    .output = regressor_output,
    .attributes = regressor_attributes,
    .restore = regressor_restore,
};
