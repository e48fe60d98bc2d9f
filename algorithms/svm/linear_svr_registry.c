/* LinearSVR in the registry ("linear_svr", a regressor): its parameter
 * table (the defaults the typed mlc_linear_svr_params_default() reads
 * too), predictions, attributes and a model rebuilt from them. */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "internal/registry.h"
#include "linear_svm_model.h"

static const mlc_param_info svr_table[] = {
    MLC_P_REAL(mlc_linear_svr_params, epsilon, "0.0", 0, 1e300,
               "half-width of the tube in which errors cost nothing"),
    MLC_P_REAL_OPEN(mlc_linear_svr_params, tol, "0.0001", 0, 1, 1e300, 0,
                    "tolerance of the stopping test"),
    MLC_P_REAL_OPEN(mlc_linear_svr_params, C, "1.0", 0, 1, 1e300, 0,
                    "penalty of errors beyond epsilon (> 0)"),
    MLC_P_CHOICE(mlc_linear_svr_params, loss, "epsilon_insensitive",
                 "epsilon_insensitive|squared_epsilon_insensitive",
                 "the loss of an error beyond epsilon: its size, or its square"),
    MLC_P_BOOL(mlc_linear_svr_params, fit_intercept, "true", "fit an intercept"),
    MLC_P_REAL_OPEN(mlc_linear_svr_params, intercept_scaling, "1.0", 0, 1, 1e300, 0,
                    "the constant feature whose weight is the intercept (it is regularised)"),
    MLC_P_BOOL(mlc_linear_svr_params, dual, "true",
               "solve the dual problem; false: the primal (squared loss only)"),
    MLC_P_INT(mlc_linear_svr_params, random_state, "-1", -1, 2147483647.0,
              "seed of the order of the rows in each epoch (-1 = a fresh one)"),
    MLC_P_INT(mlc_linear_svr_params, max_iter, "1000", 0, 1e15,
              "epochs (or Newton iterations)"),
    MLC_P_THREADS(mlc_linear_svr_params),
};

mlc_linear_svr_params mlc_linear_svr_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_linear_svr_params, svr_table);
}

static int svr_fit_face(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                        void **model)
{
    if (d->Y->cols != 1)
        return mlc_raise(MLC_EBADLEN, "LinearSVR takes one target column, got %zu", d->Y->cols);
    return lsvm_svr_fit(p, d->X, d->Y->data, d->sample_weight, progress,
                        (mlc_linear_svr **)model);
}

static void svr_free_face(void *m)
{
    mlc_linear_svr_free(m);
}

static size_t svr_output_cols(const void *model, mlc_output kind)
{
    (void)model;
    return kind == MLC_OUT_PREDICT ? 1 : 0;
}

static int svr_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    if (kind != MLC_OUT_PREDICT)
        return mlc_raise(MLC_EUNSUPPORTED, "LinearSVR has no %s", mlc_output_name(kind));
    double *col = malloc((X->rows ? X->rows : 1) * sizeof *col);
    if (!col)
        return mlc_raise_nomem("predictions");
    int st = mlc_linear_svr_predict(model, X, col);
    for (size_t i = 0; !st && i < X->rows; i++)
        MLC_AT(out, i, 0) = col[i];
    free(col);
    return st;
}

static size_t svr_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_linear_svr *m = model;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "coef_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->coef);
    mlc_attr_put(out, cap, &n, "intercept_", MLC_DTYPE_F64, 1, 1, 0, 0, &m->intercept);
    mlc_attr_put(out, cap, &n, "n_iter_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_iter);
    mlc_attr_put(out, cap, &n, "converged", MLC_DTYPE_I32, 0, 0, 0, 0, &m->converged);
    return n;
}

static int restore_body(mlc_linear_svr *m, const mlc_attr_set *s)
{
    m->p = mlc_attrs_n_features(s);
    if (!(m->coef = malloc((m->p ? m->p : 1) * sizeof *m->coef)))
        return mlc_raise_nomem("a LinearSVR model");
    const mlc_attr_want want[] = {
        {"coef_", 1, {m->p, 0, 0}, m->coef},
        {"intercept_", 1, {1, 0, 0}, &m->intercept},
    };
    int st = mlc_attrs_read(s, want, MLC_COUNT_OF(want));
    if (st)
        return st;
    for (size_t f = 0; f < m->p; f++)
        if (!isfinite(m->coef[f]))
            return mlc_raise(MLC_EFORMAT, "model file: coef_ is not finite");
    if (!isfinite(m->intercept))
        return mlc_raise(MLC_EFORMAT, "model file: intercept_ is not finite");
    return lsvm_read_fit_state(s, &m->n_iter, &m->converged);
}

static int svr_restore(const void *params, const mlc_attr_set *s, void **model)
{
    mlc_linear_svr *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a LinearSVR model");
    m->threads = ((const mlc_linear_svr_params *)params)->n_threads;
    return mlc_reg_handover(restore_body(m, s), m, svr_free_face, model);
}

const mlc_estimator_desc mlc_linear_svr_desc = {
    .name = "linear_svr",
    .summary = "linear support vector regression (liblinear's solvers)",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(svr_table, mlc_linear_svr_params),
    .fit = svr_fit_face,
    .free = svr_free_face,
    .output_cols = svr_output_cols,
    .output = svr_output,
    .attributes = svr_attributes,
    .restore = svr_restore,
};
