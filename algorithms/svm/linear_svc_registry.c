/* LinearSVC in the registry ("linear_svc", a classifier): its parameter
 * table (the defaults the typed mlc_linear_svc_params_default() reads
 * too), outputs, attributes and a model rebuilt from them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/registry.h"
#include "linear_svm_model.h"

static const mlc_param_info svc_table[] = {
    MLC_P_CHOICE(mlc_linear_svc_params, penalty, "l2", "l1|l2",
                 "the norm of the penalty (l1: sparse weights, squared_hinge and dual=false)"),
    MLC_P_CHOICE(mlc_linear_svc_params, loss, "squared_hinge", "hinge|squared_hinge",
                 "the loss of a margin violation"),
    MLC_P_BOOL(mlc_linear_svc_params, dual, "true",
               "solve the dual problem (penalty l2); false: the primal"),
    MLC_P_REAL_OPEN(mlc_linear_svc_params, tol, "0.0001", 0, 1, 1e300, 0,
                    "tolerance of the stopping test"),
    MLC_P_REAL_OPEN(mlc_linear_svc_params, C, "1.0", 0, 1, 1e300, 0,
                    "penalty of margin violations (> 0)"),
    MLC_P_CHOICE(mlc_linear_svc_params, multi_class, "ovr", "ovr|crammer_singer",
                 "more than two classes: one-vs-rest problems, or one Crammer-Singer problem"),
    MLC_P_BOOL(mlc_linear_svc_params, fit_intercept, "true", "fit an intercept"),
    MLC_P_REAL_OPEN(mlc_linear_svc_params, intercept_scaling, "1", 0, 1, 1e300, 0,
                    "the constant feature whose weight is the intercept (it is regularised)"),
    MLC_P_CLASS_WEIGHT(mlc_linear_svc_params, class_weight,
                       "C times this for a class's rows: none, balanced (n / (n_classes * "
                       "count)) or LABEL:WEIGHT,... (one-vs-rest: the positive class only)"),
    MLC_P_INT(mlc_linear_svc_params, random_state, "-1", -1, 2147483647.0,
              "seed of the order of the rows in each epoch (-1 = a fresh one)"),
    MLC_P_INT(mlc_linear_svc_params, max_iter, "1000", 0, 1e15,
              "epochs (or Newton iterations) per subproblem"),
    MLC_P_THREADS(mlc_linear_svc_params),
};

mlc_linear_svc_params mlc_linear_svc_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_linear_svc_params, svc_table);
}

static int svc_fit_face(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                        void **model)
{
    return lsvm_svc_fit(p, d->X, d->Y->data, d->sample_weight, progress,
                        (mlc_linear_svc **)model);
}

static void svc_free_face(void *m)
{
    mlc_linear_svc_free(m);
}

static size_t svc_output_cols(const void *model, mlc_output kind)
{
    const mlc_linear_svc *m = model;
    if (kind == MLC_OUT_PREDICT)
        return 1;
    return kind == MLC_OUT_DECISION ? m->rows : 0;
}

static int svc_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    const mlc_linear_svc *m = model;
    if (kind == MLC_OUT_DECISION)
        return mlc_linear_svc_decision_function(m, X, out);
    if (kind != MLC_OUT_PREDICT)
        return mlc_raise(MLC_EUNSUPPORTED, "LinearSVC has no %s", mlc_output_name(kind));
    double *col = malloc((X->rows ? X->rows : 1) * sizeof *col);
    if (!col)
        return mlc_raise_nomem("predictions");
    int st = mlc_linear_svc_predict(m, X, col);
    for (size_t i = 0; !st && i < X->rows; i++)
        MLC_AT(out, i, 0) = col[i];
    free(col);
    return st;
}

static size_t svc_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_linear_svc *m = model;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "coef_", MLC_DTYPE_F64, 2, m->rows, m->p, 0, m->coef);
    mlc_attr_put(out, cap, &n, "intercept_", MLC_DTYPE_F64, 1, m->rows, 0, 0, m->intercept);
    mlc_attr_put(out, cap, &n, "classes_", MLC_DTYPE_F64, 1, m->n_class, 0, 0, m->classes);
    mlc_attr_put(out, cap, &n, "n_iter_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_iter);
    mlc_attr_put(out, cap, &n, "converged", MLC_DTYPE_I32, 0, 0, 0, 0, &m->converged);
    return n;
}

static int restore_body(mlc_linear_svc *m, const mlc_attr_set *s)
{
    size_t shape[2] = {0, 0};
    const double *d;
    int st = mlc_attrs_get(s, "classes_", 1, shape, &d);
    if (st)
        return st;
    if (shape[0] < 2)
        return mlc_raise(MLC_EFORMAT, "model file: classes_ holds %zu classes", shape[0]);
    for (size_t k = 0; k < shape[0]; k++)
        if (!isfinite(d[k]) || (k && !(d[k] > d[k - 1])))
            return mlc_raise(MLC_EFORMAT, "model file: classes_ is not ascending");
    m->n_class = shape[0];
    m->rows = m->n_class == 2 ? 1 : m->n_class;
    m->p = mlc_attrs_n_features(s);
    m->classes = malloc(m->n_class * sizeof *m->classes);
    m->coef = malloc(m->rows * (m->p ? m->p : 1) * sizeof *m->coef);
    m->intercept = malloc(m->rows * sizeof *m->intercept);
    if (!m->classes || !m->coef || !m->intercept)
        return mlc_raise_nomem("a LinearSVC model");
    memcpy(m->classes, d, m->n_class * sizeof *d);
    const mlc_attr_want want[] = {
        {"coef_", 2, {m->rows, m->p, 0}, m->coef},
        {"intercept_", 1, {m->rows, 0, 0}, m->intercept},
    };
    if ((st = mlc_attrs_read(s, want, MLC_COUNT_OF(want))))
        return st;
    for (size_t i = 0; i < m->rows * m->p; i++)
        if (!isfinite(m->coef[i]))
            return mlc_raise(MLC_EFORMAT, "model file: coef_ is not finite");
    for (size_t r = 0; r < m->rows; r++)
        if (!isfinite(m->intercept[r]))
            return mlc_raise(MLC_EFORMAT, "model file: intercept_ is not finite");
    return lsvm_read_fit_state(s, &m->n_iter, &m->converged);
}

static int svc_restore(const void *params, const mlc_attr_set *s, void **model)
{
    mlc_linear_svc *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a LinearSVC model");
    m->threads = ((const mlc_linear_svc_params *)params)->n_threads;
    return mlc_reg_handover(restore_body(m, s), m, svc_free_face, model);
}

const mlc_estimator_desc mlc_linear_svc_desc = {
    .name = "linear_svc",
    .summary = "linear support vector classification (liblinear's solvers)",
    .task = MLC_TASK_CLASSIFIER,
    MLC_DESC_PARAMS(svc_table, mlc_linear_svc_params),
    .fit = svc_fit_face,
    .free = svc_free_face,
    .output_cols = svc_output_cols,
    .output = svc_output,
    .attributes = svc_attributes,
    .restore = svc_restore,
};
