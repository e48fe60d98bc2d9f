/* LinearSVR (include/mlcore/linear_svm.h): scikit-learn's checks, one
 * liblinear regression problem (docs/PARITY.md §6), predictions. */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"
#include "linear_svm_model.h"
#include "mlcore/rng.h"

static const char *const loss_name[] = {"epsilon_insensitive", "squared_epsilon_insensitive"};

static int check_params(const mlc_linear_svr_params *p)
{
    if (p->loss != MLC_LINEAR_SVR_EPSILON_INSENSITIVE &&
        p->loss != MLC_LINEAR_SVR_SQUARED_EPSILON_INSENSITIVE)
        return mlc_raise(MLC_EINVAL, "LinearSVR: loss must be epsilon_insensitive (0) or "
                         "squared_epsilon_insensitive (1), got %d", p->loss);
    if (!(p->epsilon >= 0.0 && isfinite(p->epsilon)))
        return mlc_raise(MLC_EINVAL, "LinearSVR: epsilon must be a number >= 0, got %g",
                         p->epsilon);
    int st = lsvm_check_common(p->C, p->tol, p->intercept_scaling, p->max_iter, p->n_threads,
                               "LinearSVR");
    if (!st && p->loss == MLC_LINEAR_SVR_EPSILON_INSENSITIVE && !p->dual)
        st = mlc_raise(MLC_EINVAL, "LinearSVR: Unsupported set of arguments: The combination of "
                       "penalty='l2' and loss='%s' are not supported when dual=False, "
                       "Parameters: penalty='l2', loss='%s', dual=False", loss_name[p->loss],
                       loss_name[p->loss]);
    return st;
}

void mlc_linear_svr_free(mlc_linear_svr *m)
{
    if (!m)
        return;
    free(m->coef);
    free(m);
}

static int solve(const mlc_linear_svr_params *p, const lsvm_train *tr, const double *y,
                 mlc_progress_ctx *progress, double *w, lsvm_result *res)
{
    size_t n = tr->d.n;
    double *C = malloc((n ? n : 1) * sizeof *C), *target = malloc((n ? n : 1) * sizeof *target);
    int st = MLC_OK;
    if (!C || !target)
        st = mlc_raise_nomem("the LinearSVR problem");
    for (size_t k = 0; !st && k < n; k++) {
        C[k] = tr->w ? p->C * tr->w[k] : p->C;
        target[k] = y[tr->keep ? tr->keep[k] : k];
    }
    mlc_rng *rng = NULL;
    if (!st)
        st = mlc_rng_new(p->random_state, &rng);
    if (!st) {
        lsvm_opts o = {p->tol, p->max_iter, mlc_rng_seed(rng), mlc_cpu_level(), progress};
        if (p->dual) {
            int squared = p->loss == MLC_LINEAR_SVR_SQUARED_EPSILON_INSENSITIVE;
            st = lsvm_svr_dual(&tr->d, target, C, p->epsilon, squared, &o, w, res);
        } else {
            lsvm_sq_loss f = {NULL, target, p->epsilon, C};
            st = lsvm_tron(&tr->d, &f, &o, w, res);
        }
    }
    mlc_rng_free(rng);
    free(C);
    free(target);
    return st;
}

static int svr_fit(const mlc_linear_svr_params *p, const mlc_matrix *X, const double *y,
                   const double *sw, mlc_progress_ctx *progress, mlc_linear_svr **out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "LinearSVR: the output pointer is NULL");
    *out = NULL;
    if (!p)
        return mlc_raise(MLC_EINVAL, "LinearSVR: params are NULL");
    int st = check_params(p);
    if (!st)
        st = mlc_check_X_mt(X, "X", p->n_threads);
    if (!st)
        st = mlc_check_y(y, X->rows, "y");
    if (!st)
        st = mlc_check_weights(sw, X->rows);
    if (st)
        return st;
    size_t pf = X->cols;
    mlc_linear_svr *m = calloc(1, sizeof *m);
    double *w = malloc((pf + 1) * sizeof *w);
    lsvm_train tr = {0};
    if (!m || !w || !(m->coef = malloc((pf ? pf : 1) * sizeof *m->coef)))
        st = mlc_raise_nomem("a LinearSVR model");
    double bias = p->fit_intercept ? p->intercept_scaling : 0.0;
    if (!st)
        st = lsvm_train_init(&tr, X, sw, bias, p->n_threads);
    lsvm_result res = {0, 0};
    if (!st)
        st = solve(p, &tr, y, progress, w, &res);
    if (!st) {
        for (size_t f = 0; f < pf; f++)
            m->coef[f] = w[f];
        m->intercept = bias * w[pf];
        m->p = pf;
        m->n_iter = res.n_iter;
        m->converged = res.converged;
        m->threads = p->n_threads;
        *out = m;
    } else {
        mlc_linear_svr_free(m);
    }
    lsvm_train_clear(&tr);
    free(w);
    return st;
}

int mlc_linear_svr_fit(const mlc_linear_svr_params *p, const mlc_matrix *X, const double *y,
                       const double *sample_weight, mlc_linear_svr **out)
{
    return lsvm_svr_fit(p, X, y, sample_weight, NULL, out);
}

int lsvm_svr_fit(const mlc_linear_svr_params *p, const mlc_matrix *X, const double *y,
                 const double *sw, mlc_progress_ctx *progress, mlc_linear_svr **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, svr_fit(p, X, y, sw, progress, out));
}

static int predict(const mlc_linear_svr *m, const mlc_matrix *X, double *out)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "LinearSVR: the model is NULL");
    int st = mlc_check_X_predict_mt(X, m->p, "LinearSVR predict", m->threads);
    if (!st && !out)
        st = mlc_raise(MLC_EINVAL, "LinearSVR predict: the output is NULL");
    return st ? st : lsvm_decision(X, m->coef, &m->intercept, 1, m->p, m->threads, out, 1);
}

int mlc_linear_svr_predict(const mlc_linear_svr *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, predict(m, X, out));
}

size_t mlc_linear_svr_n_features(const mlc_linear_svr *m)
{
    return m ? m->p : 0;
}
const double *mlc_linear_svr_coef(const mlc_linear_svr *m)
{
    return m ? m->coef : NULL;
}
const double *mlc_linear_svr_intercept(const mlc_linear_svr *m)
{
    return m ? &m->intercept : NULL;
}
int64_t mlc_linear_svr_n_iter(const mlc_linear_svr *m)
{
    return m ? m->n_iter : 0;
}
int mlc_linear_svr_converged(const mlc_linear_svr *m)
{
    return m ? m->converged : 0;
}
