/* The kernel machines in the registry: "svc", "nu_svc" (classifiers),
 * "svr", "nu_svr" (regressors), "one_class_svm" (an outlier detector).
 * One parameter table each states the defaults, which the typed
 * *_params_default() read too. */
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "svm_api.h"

#define KERNELS "linear|poly|rbf|sigmoid|precomputed"

/* The rows every kernel machine has, for params struct `st`. */
#define SVM_KERNEL_ROWS(st)                                                                \
    MLC_P_CHOICE(st, kernel, "rbf", KERNELS, "the kernel function"),                       \
        MLC_P_INT(st, degree, "3", 0, 1e9, "degree of the poly kernel"),                   \
        MLC_P_REAL_OR_CHOICE(st, gamma, "scale", 0, 1e300, "scale|auto",                   \
                             "kernel coefficient of rbf, poly and sigmoid: scale = 1 / "  \
                             "(n_features * X.var()), auto = 1 / n_features, or a number " \
                             "> 0"),                                                        \
        MLC_P_REAL(st, coef0, "0.0", -1e300, 1e300, "the constant of poly and sigmoid"),   \
        MLC_P_BOOL(st, shrinking, "true", "shrink the working problem (same answer)"),    \
        MLC_P_REAL_OPEN(st, tol, "0.001", 0, 1, 1e300, 0,                                  \
                        "stop when the maximal KKT violation is below tol"),               \
        MLC_P_REAL_OPEN(st, cache_size, "200", 0, 1, 1e300, 0,                             \
                        "megabytes of kernel rows kept between iterations"),               \
        MLC_P_INT(st, max_iter, "-1", -1, 1e9, "iteration limit of a solve (-1 = none)")

#define SVM_CLASSIFIER_ROWS(st)                                                            \
    MLC_P_BOOL(st, probability, "false",                                                   \
               "fit Platt sigmoids on an internal 5-fold CV (predict_proba)"),             \
        MLC_P_CLASS_WEIGHT(st, class_weight,                                               \
                           "none, balanced, or LABEL:WEIGHT,... (C times the weight for "  \
                           "the class's rows; NuSVC keeps it without effect, as libsvm)"), \
        MLC_P_CHOICE(st, decision_function_shape, "ovr", "ovr|ovo",                            \
                 "decision_function per class (ovr) or per pair of classes (ovo)"),         \
        MLC_P_BOOL(st, break_ties, "false",                                                \
                   "predict by the largest ovr value instead of one-vs-one votes"),        \
        MLC_P_INT(st, random_state, "-1", -1, 2147483647.0,                                \
                  "seed of the probability estimates' folds (-1 = a fresh one)")

static const mlc_param_info svc_table[] = {
    MLC_P_REAL_OPEN(mlc_svc_params, C, "1.0", 0, 1, 1e300, 0,
                    "penalty of margin violations (> 0)"),
    SVM_KERNEL_ROWS(mlc_svc_params),
    SVM_CLASSIFIER_ROWS(mlc_svc_params),
    MLC_P_THREADS(mlc_svc_params),
};

static const mlc_param_info nu_svc_table[] = {
    MLC_P_REAL_OPEN(mlc_nu_svc_params, nu, "0.5", 0, 1, 1, 0,
                    "bound on the fraction of margin errors, in (0, 1]"),
    SVM_KERNEL_ROWS(mlc_nu_svc_params),
    SVM_CLASSIFIER_ROWS(mlc_nu_svc_params),
    MLC_P_THREADS(mlc_nu_svc_params),
};

static const mlc_param_info svr_table[] = {
    MLC_P_REAL_OPEN(mlc_svr_params, C, "1.0", 0, 1, 1e300, 0,
                    "penalty of errors beyond epsilon (> 0)"),
    MLC_P_REAL(mlc_svr_params, epsilon, "0.1", 0, 1e300,
               "half-width of the tube in which errors cost nothing"),
    SVM_KERNEL_ROWS(mlc_svr_params),
    MLC_P_THREADS(mlc_svr_params),
};

static const mlc_param_info nu_svr_table[] = {
    MLC_P_REAL_OPEN(mlc_nu_svr_params, nu, "0.5", 0, 1, 1, 0,
                    "bound on the fraction of support vectors, in (0, 1]"),
    MLC_P_REAL_OPEN(mlc_nu_svr_params, C, "1.0", 0, 1, 1e300, 0, "penalty of errors (> 0)"),
    SVM_KERNEL_ROWS(mlc_nu_svr_params),
    MLC_P_THREADS(mlc_nu_svr_params),
};

static const mlc_param_info one_class_table[] = {
    MLC_P_REAL_OPEN(mlc_one_class_svm_params, nu, "0.5", 0, 1, 1, 0,
                    "bound on the fraction of outliers, in (0, 1]"),
    SVM_KERNEL_ROWS(mlc_one_class_svm_params),
    MLC_P_THREADS(mlc_one_class_svm_params),
};

mlc_svc_params mlc_svc_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_svc_params, svc_table);
}
mlc_nu_svc_params mlc_nu_svc_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_nu_svc_params, nu_svc_table);
}
mlc_svr_params mlc_svr_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_svr_params, svr_table);
}
mlc_nu_svr_params mlc_nu_svr_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_nu_svr_params, nu_svr_table);
}
mlc_one_class_svm_params mlc_one_class_svm_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_one_class_svm_params, one_class_table);
}

/* ---------------------------------------------------------------- faces */

static int svc_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                   void **model)
{
    return svm_fit_typed(MLC_SVM_C_SVC, p, d->X, d->Y->data, d->sample_weight, progress,
                         (mlc_svm **)model);
}
static int nu_svc_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                      void **model)
{
    return svm_fit_typed(MLC_SVM_NU_SVC, p, d->X, d->Y->data, d->sample_weight, progress,
                         (mlc_svm **)model);
}
/* One target, as scikit-learn's SVR (y of shape (n,)). */
static int one_target(const mlc_fit_data *d, const char *name)
{
    if (d->Y->cols != 1)
        return mlc_raise(MLC_EBADLEN, "%s takes one target column, got %zu", name, d->Y->cols);
    return MLC_OK;
}
static int svr_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                   void **model)
{
    int st = one_target(d, "SVR");
    return st ? st
              : svm_fit_typed(MLC_SVM_EPSILON_SVR, p, d->X, d->Y->data, d->sample_weight,
                              progress, (mlc_svm **)model);
}
static int nu_svr_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                      void **model)
{
    int st = one_target(d, "NuSVR");
    return st ? st
              : svm_fit_typed(MLC_SVM_NU_SVR, p, d->X, d->Y->data, d->sample_weight, progress,
                              (mlc_svm **)model);
}
static int one_class_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                         void **model)
{
    return svm_fit_typed(MLC_SVM_ONE_CLASS, p, d->X, NULL, d->sample_weight, progress,
                         (mlc_svm **)model);
}

static void svm_free_model(void *m)
{
    mlc_svm_free(m);
}

static size_t svm_output_cols(const void *model, mlc_output kind)
{
    const mlc_svm *m = model;
    switch (kind) {
    case MLC_OUT_PREDICT:
        return 1;
    case MLC_OUT_DECISION:
        return mlc_svm_decision_cols(m);
    case MLC_OUT_SCORE_SAMPLES:
        return m->type == MLC_SVM_ONE_CLASS ? 1 : 0;
    case MLC_OUT_PROBA:
        return m->prob_a ? m->n_class : 0;
    default:
        return 0;
    }
}

static int svm_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    const mlc_svm *m = model;
    int st;
    switch (kind) {
    case MLC_OUT_PREDICT: {
        double *col = malloc((X->rows ? X->rows : 1) * sizeof *col);
        if (!col)
            return mlc_raise_nomem("predictions");
        st = mlc_svm_predict(m, X, col);
        for (size_t i = 0; !st && i < X->rows; i++)
            MLC_AT(out, i, 0) = col[i];
        free(col);
        return st;
    }
    case MLC_OUT_DECISION:
        return mlc_svm_decision_function(m, X, out);
    case MLC_OUT_PROBA:
        return mlc_svm_predict_proba(m, X, out);
    case MLC_OUT_SCORE_SAMPLES: /* score_samples = decision_function + offset_ */
        st = mlc_svm_decision_function(m, X, out);
        for (size_t i = 0; !st && i < X->rows; i++)
            MLC_AT(out, i, 0) += m->rho[0];
        return st;
    default:
        return mlc_raise(MLC_EUNSUPPORTED, "this SVM has no %s", mlc_output_name(kind));
    }
}

static size_t svm_attrs_face(const void *model, mlc_attribute *out, size_t cap)
{
    return svm_attributes(model, out, cap);
}

/* restore: the kernel settings come from the restored params. */
#define SVM_RESTORE(fn, st, type)                                                          \
    static int fn(const void *params, const mlc_attr_set *s, void **model)                 \
    {                                                                                      \
        const st *p = params;                                                              \
        return svm_restore(type, p->kernel, p->degree, p->coef0, p->n_threads, s,         \
                           (mlc_svm **)model);                                             \
    }
SVM_RESTORE(svc_restore, mlc_svc_params, MLC_SVM_C_SVC)
SVM_RESTORE(nu_svc_restore, mlc_nu_svc_params, MLC_SVM_NU_SVC)
SVM_RESTORE(svr_restore, mlc_svr_params, MLC_SVM_EPSILON_SVR)
SVM_RESTORE(nu_svr_restore, mlc_nu_svr_params, MLC_SVM_NU_SVR)
SVM_RESTORE(one_class_restore, mlc_one_class_svm_params, MLC_SVM_ONE_CLASS)

/* Restored classifiers also need their output settings. */
static int svc_restore_all(const void *params, const mlc_attr_set *s, void **model)
{
    int st = svc_restore(params, s, model);
    if (!st) {
        const mlc_svc_params *p = params;
        ((mlc_svm *)*model)->decision_shape = p->decision_function_shape;
        ((mlc_svm *)*model)->break_ties = p->break_ties;
    }
    return st;
}
static int nu_svc_restore_all(const void *params, const mlc_attr_set *s, void **model)
{
    int st = nu_svc_restore(params, s, model);
    if (!st) {
        const mlc_nu_svc_params *p = params;
        ((mlc_svm *)*model)->decision_shape = p->decision_function_shape;
        ((mlc_svm *)*model)->break_ties = p->break_ties;
    }
    return st;
}

#define SVM_DESC(var, nm, text, kind, table, st, fitfn, restorefn)                         \
    const mlc_estimator_desc var = {                                                       \
        .name = nm,                                                                        \
        .summary = text,                                                                   \
        .task = kind,                                                                      \
        MLC_DESC_PARAMS(table, st),                                                        \
        .fit = fitfn,                                                                      \
        .free = svm_free_model,                                                            \
        .output_cols = svm_output_cols,                                                    \
        .output = svm_output,                                                              \
        .attributes = svm_attrs_face,                                                      \
        .restore = restorefn,                                                              \
    }

SVM_DESC(mlc_svc_desc, "svc", "C-support vector classification (libsvm's SMO, one-vs-one)",
         MLC_TASK_CLASSIFIER, svc_table, mlc_svc_params, svc_fit, svc_restore_all);
SVM_DESC(mlc_nu_svc_desc, "nu_svc", "nu-support vector classification (one-vs-one)",
         MLC_TASK_CLASSIFIER, nu_svc_table, mlc_nu_svc_params, nu_svc_fit, nu_svc_restore_all);
SVM_DESC(mlc_svr_desc, "svr", "epsilon-support vector regression", MLC_TASK_REGRESSOR,
         svr_table, mlc_svr_params, svr_fit, svr_restore);
SVM_DESC(mlc_nu_svr_desc, "nu_svr", "nu-support vector regression", MLC_TASK_REGRESSOR,
         nu_svr_table, mlc_nu_svr_params, nu_svr_fit, nu_svr_restore);
SVM_DESC(mlc_one_class_svm_desc, "one_class_svm",
         "one-class SVM: novelty and outlier detection (predict +1 / -1)", MLC_TASK_OUTLIER,
         one_class_table, mlc_one_class_svm_params, one_class_fit, one_class_restore);
