/* LinearSVC's outputs and getters (include/mlcore/linear_svm.h): the
 * decision function X coef_' + intercept_ and scikit-learn's prediction
 * from it (LinearClassifierMixin.predict). */
#include <stdlib.h>
#include "internal/error.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"
#include "linear_svm_model.h"

void mlc_linear_svc_free(mlc_linear_svc *m)
{
    if (!m)
        return;
    free(m->classes);
    free(m->coef);
    free(m->intercept);
    free(m);
}

static int decision(const mlc_linear_svc *m, const mlc_matrix *X, mlc_matrix *out)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "LinearSVC: the model is NULL");
    int st = mlc_check_X_predict_mt(X, m->p, "LinearSVC decision_function", m->threads);
    if (!st)
        st = mlc_check_out(out, X->rows, m->rows, "decision_function output");
    if (!st)
        st = lsvm_decision(X, m->coef, m->intercept, m->rows, m->p, m->threads, out->data,
                           out->stride);
    return st;
}

int mlc_linear_svc_decision_function(const mlc_linear_svc *m, const mlc_matrix *X,
                                     mlc_matrix *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, decision(m, X, out));
}

/* Two classes: classes_[1] where the decision is > 0; more: the largest,
 * the first of equal ones (numpy's argmax). */
static int predict(const mlc_linear_svc *m, const mlc_matrix *X, double *out)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "LinearSVC: the model is NULL");
    int st = mlc_check_X_predict_mt(X, m->p, "LinearSVC predict", m->threads);
    if (!st && !out)
        st = mlc_raise(MLC_EINVAL, "LinearSVC predict: the output is NULL");
    if (st)
        return st;
    size_t n = X->rows, R = m->rows;
    double *d = malloc((n * R > 0 ? n * R : 1) * sizeof *d);
    if (!d)
        return mlc_raise_nomem("the decision values");
    lsvm_decision(X, m->coef, m->intercept, R, m->p, m->threads, d, R);
    for (size_t i = 0; i < n; i++) {
        const double *di = d + i * R;
        size_t best = 0;
        if (R == 1) {
            best = di[0] > 0.0;
        } else {
            for (size_t k = 1; k < R; k++)
                if (di[k] > di[best])
                    best = k;
        }
        out[i] = m->classes[best];
    }
    free(d);
    return MLC_OK;
}

int mlc_linear_svc_predict(const mlc_linear_svc *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, predict(m, X, out));
}

size_t mlc_linear_svc_n_features(const mlc_linear_svc *m)
{
    return m ? m->p : 0;
}
size_t mlc_linear_svc_n_classes(const mlc_linear_svc *m)
{
    return m ? m->n_class : 0;
}
size_t mlc_linear_svc_n_rows(const mlc_linear_svc *m)
{
    return m ? m->rows : 0;
}
const double *mlc_linear_svc_classes(const mlc_linear_svc *m)
{
    return m ? m->classes : NULL;
}
const double *mlc_linear_svc_coef(const mlc_linear_svc *m)
{
    return m ? m->coef : NULL;
}
const double *mlc_linear_svc_intercept(const mlc_linear_svc *m)
{
    return m ? m->intercept : NULL;
}
int64_t mlc_linear_svc_n_iter(const mlc_linear_svc *m)
{
    return m ? m->n_iter : 0;
}
int mlc_linear_svc_converged(const mlc_linear_svc *m)
{
    return m ? m->converged : 0;
}
