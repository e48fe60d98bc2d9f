/* LinearRegression: ordinary (or non-negative) least squares,
 * docs/PARITY.md §1. */
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_model.h"
#include "linear_solve.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/linear.h"

struct mlc_linear_regression {
    mlc_linear_model lm;
    mlc_linear_regression_params params;
    int64_t rank;     /* rank_, -1 with positive */
    double *singular; /* singular_ (n_singular values), NULL with positive */
    size_t n_singular;
};

static const char NAME[] = "linear_regression";

static const mlc_param_info params_table[] = {
    MLC_P_BOOL(mlc_linear_regression_params, fit_intercept, "true",
               "fit an intercept (centre X and y)"),
    MLC_P_BOOL(mlc_linear_regression_params, positive, "false",
               "constrain the coefficients to be >= 0 (non-negative least squares)"),
    MLC_P_THREADS(mlc_linear_regression_params),
};

mlc_linear_regression_params mlc_linear_regression_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_linear_regression_params, params_table);
}

void mlc_linear_regression_free(mlc_linear_regression *m)
{
    if (!m)
        return;
    mlc_lin_model_clear(&m->lm);
    free(m->singular);
    free(m);
}

static void lr_free(void *m)
{
    mlc_linear_regression_free(m);
}

static int lr_new(const mlc_linear_regression_params *p, size_t n_features, size_t n_targets,
                  size_t n_singular, mlc_linear_regression **out)
{
    mlc_linear_regression *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a linear regression");
    m->params = *p;
    m->rank = -1;
    m->lm.n_threads = p->n_threads;
    int st = mlc_lin_model_init(&m->lm, n_features, n_targets);
    if (!st && !p->positive) {
        m->n_singular = n_singular;
        m->singular = calloc(n_singular ? n_singular : 1, sizeof *m->singular);
        if (!m->singular)
            st = mlc_raise_nomem("singular values");
    }
    return mlc_reg_handover(st, m, lr_free, (void **)out);
}

static int nnls_fit(mlc_lin_data *d, double *coef)
{
    size_t p = d->p;
    double *G = malloc((p * p + d->k * p) * sizeof *G);
    if (!G)
        return mlc_raise_nomem("the Gram matrix");
    double *XtY = G + p * p;
    int st = mlc_lin_gram(d, G, XtY, NULL);
    for (size_t t = 0; !st && t < d->k; t++)
        st = mlc_lin_nnls(G, XtY + t * p, p, coef + t * p);
    free(G);
    return st;
}

static int fit_least_squares(const mlc_linear_regression_params *p, const mlc_matrix *X,
                             const mlc_matrix *Y, const double *sw, mlc_linear_regression **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_lin_check_fit_shapes(X, Y, sw, p->n_threads)))
        return st;
    mlc_lin_data d;
    if ((st = mlc_lin_data_init(&d, X, Y, sw, NULL, 0, p->fit_intercept, 0, p->n_threads)))
        return st;
    d.unchecked = 1; /* the first product checks X (mlc_lin_check_fit_shapes) */
    mlc_linear_regression *m = NULL;
    size_t n_sv = X->rows < X->cols ? X->rows : X->cols;
    st = lr_new(p, X->cols, Y->cols, n_sv, &m);
    if (!st && p->positive) {
        st = nnls_fit(&d, m->lm.coef);
    } else if (!st) {
        long rank = 0;
        st = mlc_lin_ols_solve(&d, m->lm.coef, &rank, m->singular);
        m->rank = rank;
    }
    if (!st) {
        mlc_lin_model_set_intercept(&m->lm, &d);
        st = mlc_lin_model_check_finite(&m->lm, NAME);
    }
    mlc_lin_data_clear(&d);
    return mlc_reg_handover(st, m, lr_free, (void **)out);
}

int mlc_linear_regression_fit_multi(const mlc_linear_regression_params *p, const mlc_matrix *X,
                                    const mlc_matrix *Y, const double *sw,
                                    mlc_linear_regression **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, fit_least_squares(p, X, Y, sw, out));
}

int mlc_linear_regression_fit_weighted(const mlc_linear_regression_params *p, const mlc_matrix *X,
                                       const double *y, const double *sw,
                                       mlc_linear_regression **out)
{
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    return mlc_linear_regression_fit_multi(p, X, &Y, sw, out);
}

int mlc_linear_regression_fit(const mlc_linear_regression_params *p, const mlc_matrix *X,
                              const double *y, mlc_linear_regression **out)
{
    return mlc_linear_regression_fit_weighted(p, X, y, NULL, out);
}

int mlc_linear_regression_predict(const mlc_linear_regression *m, const mlc_matrix *X,
                                  double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_lin_model_predict(m ? &m->lm : NULL, X, out, NAME));
}

size_t mlc_linear_regression_n_features(const mlc_linear_regression *m)
{
    return m ? m->lm.p : 0;
}
size_t mlc_linear_regression_n_targets(const mlc_linear_regression *m)
{
    return m ? m->lm.k : 0;
}
const double *mlc_linear_regression_coef(const mlc_linear_regression *m)
{
    return m ? m->lm.coef : NULL;
}
const double *mlc_linear_regression_intercept(const mlc_linear_regression *m)
{
    return m ? m->lm.intercept : NULL;
}
long mlc_linear_regression_rank(const mlc_linear_regression *m)
{
    return m ? (long)m->rank : -1;
}
const double *mlc_linear_regression_singular(const mlc_linear_regression *m, size_t *count)
{
    if (count)
        *count = m ? m->n_singular : 0;
    return m ? m->singular : NULL;
}

/* ---------------------------------------------------------------- registry */

/* A closed form: no progress to report. */
static int lr_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                  void **model)
{
    (void)progress;
    return mlc_linear_regression_fit_multi(p, d->X, d->Y, d->sample_weight,
                                           (mlc_linear_regression **)model);
}

static size_t lr_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_linear_regression *m = model;
    size_t n = 0;
    mlc_lin_model_put_attrs(&m->lm, out, cap, &n);
    if (m->singular) {
        mlc_attr_put(out, cap, &n, "rank_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->rank);
        mlc_attr_put(out, cap, &n, "singular_", MLC_DTYPE_F64, 1, m->n_singular, 0, 0,
                     m->singular);
    }
    return n;
}

static int lr_restore(const void *p, const mlc_attr_set *s, void **model)
{
    const mlc_linear_regression_params *prm = p;
    mlc_linear_regression *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a linear regression");
    m->params = *prm;
    m->rank = -1;
    int st = mlc_lin_model_restore(&m->lm, s, prm->n_threads);
    if (!st && !prm->positive) {
        double rank;
        const double *sv;
        size_t shape[1] = {0};
        st = mlc_attrs_scalar(s, "rank_", &rank);
        if (!st)
            st = mlc_attrs_get(s, "singular_", 1, shape, &sv);
        if (!st && (shape[0] > m->lm.p || !(rank >= 0 && rank <= (double)shape[0])))
            st = mlc_raise(MLC_EFORMAT, "model file: rank_ %g or %zu singular_ values do not fit "
                           "%zu features", rank, shape[0], m->lm.p);
        if (!st && !(m->singular = malloc((shape[0] ? shape[0] : 1) * sizeof *sv)))
            st = mlc_raise_nomem("singular values");
        if (!st) {
            m->rank = (int64_t)rank;
            m->n_singular = shape[0];
            memcpy(m->singular, sv, shape[0] * sizeof *sv);
        }
    }
    return mlc_reg_handover(st, m, lr_free, model);
}

const mlc_estimator_desc mlc_linear_regression_desc = {
    .name = NAME,
    .summary = "ordinary least squares (minimum-norm on rank-deficient X) or non-negative least "
               "squares",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(params_table, mlc_linear_regression_params),
    .fit = lr_fit,
    .free = lr_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = lr_attributes,
    .restore = lr_restore,
};
