/* The common part of every linear model (see algorithms/linear/linear_model.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "linear_model.h"
#include "internal/validate.h"
#include "mlcore/threads.h"

int mlc_lin_model_init(mlc_linear_model *m, size_t p, size_t k)
{
    m->p = p;
    m->k = k;
    m->coef = calloc(k * p + k, sizeof(double));
    if (!m->coef)
        return mlc_raise_nomem("linear model coefficients");
    m->intercept = m->coef + k * p;
    return MLC_OK;
}

void mlc_lin_model_clear(mlc_linear_model *m)
{
    if (!m)
        return;
    free(m->coef);
    m->coef = m->intercept = NULL;
}

void mlc_lin_model_set_intercept_from(mlc_linear_model *m, int center, const double *x_offset,
                                      const double *y_offset)
{
    for (size_t t = 0; t < m->k; t++) {
        double s = 0.0;
        if (center) {
            const double *w = m->coef + t * m->p;
            for (size_t j = 0; j < m->p; j++)
                s += x_offset[j] * w[j];
            s = y_offset[t] - s;
        }
        m->intercept[t] = s;
    }
}

void mlc_lin_model_set_intercept(mlc_linear_model *m, const mlc_lin_data *d)
{
    mlc_lin_model_set_intercept_from(m, d->center, d->x_offset, d->y_offset);
}

int mlc_lin_model_check_finite(const mlc_linear_model *m, const char *estimator)
{
    for (size_t i = 0; i < m->k * m->p + m->k; i++)
        if (!isfinite(m->coef[i]))
            return mlc_raise(MLC_ENONFINITE,
                             "%s produced non-finite coefficients; the input has values too "
                             "large for double precision and needs rescaling",
                             estimator);
    return MLC_OK;
}

int mlc_lin_model_predict(const mlc_linear_model *m, const mlc_matrix *X, double *out,
                          const char *estimator)
{
    int st;
    if ((st = mlc_check_ptr(m, "model")) || (st = mlc_check_X_columns(X, m->p, estimator)) ||
        (st = mlc_check_ptr(out, "output")))
        return st;
    mlc_matrix o = mlc_matrix_wrap(out, X->rows, m->k, 0);
    return mlc_lin_model_output(m, X, &o, m->n_threads);
}

mlc_matrix mlc_lin_wrap_y(const mlc_matrix *X, const double *y)
{
    return mlc_matrix_wrap((double *)y, X ? X->rows : 0, 1, 1);
}

static int check_fit(const mlc_matrix *X, const mlc_matrix *Y, const double *sw, int n_threads,
                     int scan_x)
{
    int st = mlc_check_threads_max(n_threads, NULL);
    if (st)
        return st;
    st = scan_x ? mlc_check_X_mt(X, "X", n_threads) : mlc_check_X_shape(X, "X");
    if (st)
        return st;
    if (!Y || !Y->data)
        return mlc_raise(MLC_EINVAL, "y is NULL");
    if (Y->rows != X->rows)
        return mlc_raise(MLC_EBADLEN, "y has %zu rows but X has %zu", Y->rows, X->rows);
    if (Y->cols == 0)
        return mlc_raise(MLC_EEMPTY, "y has no columns (targets)");
    if (Y->stride < Y->cols)
        return mlc_raise(MLC_EINVAL, "y has stride %zu < %zu columns", Y->stride, Y->cols);
    if ((st = mlc_matrix_check_finite_mt(Y, "y", n_threads)))
        return st;
    return mlc_check_weights(sw, X->rows);
}

int mlc_lin_check_fit(const mlc_matrix *X, const mlc_matrix *Y, const double *sw,
                      int n_threads)
{
    return check_fit(X, Y, sw, n_threads, 1);
}

int mlc_lin_check_fit_shapes(const mlc_matrix *X, const mlc_matrix *Y, const double *sw,
                             int n_threads)
{
    return check_fit(X, Y, sw, n_threads, 0);
}

int mlc_lin_check_alpha(double alpha, const char *name)
{
    if (!(alpha >= 0.0) || isinf(alpha))
        return mlc_raise(MLC_EINVAL, "%s must be a finite number >= 0, got %g", name, alpha);
    return MLC_OK;
}

int mlc_lin_check_cd_params(long max_iter, double tol, int selection, int precompute)
{
    if (max_iter < 1)
        return mlc_raise(MLC_EINVAL, "max_iter must be >= 1, got %ld", max_iter);
    if (!(tol >= 0.0) || isinf(tol))
        return mlc_raise(MLC_EINVAL, "tol must be a finite number >= 0, got %g", tol);
    if (selection != 0 && selection != 1)
        return mlc_raise(MLC_EINVAL, "selection must be cyclic (0) or random (1), got %d",
                         selection);
    if (precompute < 0 || precompute > 2)
        return mlc_raise(MLC_EINVAL, "precompute must be auto (0), true (1) or false (2), got %d",
                         precompute);
    return MLC_OK;
}

/* ---------------------------------------------------------------- registry */

void mlc_lin_put_per_target(size_t k, mlc_attribute *out, size_t cap, size_t *n,
                            const char *name, mlc_dtype dtype, const void *data)
{
    if (k == 1)
        mlc_attr_put(out, cap, n, name, dtype, 0, 0, 0, 0, data);
    else
        mlc_attr_put(out, cap, n, name, dtype, 1, k, 0, 0, data);
}

void mlc_lin_model_put_attrs(const mlc_linear_model *m, mlc_attribute *out, size_t cap,
                             size_t *n)
{
    if (m->k == 1)
        mlc_attr_put(out, cap, n, "coef_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->coef);
    else
        mlc_attr_put(out, cap, n, "coef_", MLC_DTYPE_F64, 2, m->k, m->p, 0, m->coef);
    mlc_lin_put_per_target(m->k, out, cap, n, "intercept_", MLC_DTYPE_F64, m->intercept);
}

int mlc_lin_get_per_target(const mlc_attr_set *s, const char *name, size_t k, double *dst)
{
    return mlc_attrs_copy(s, name, k == 1 ? 0 : 1, &k, dst);
}

int mlc_lin_model_restore(mlc_linear_model *m, const mlc_attr_set *s, int n_threads)
{
    size_t p = mlc_attrs_n_features(s), k = mlc_attrs_n_targets(s);
    int st = mlc_lin_model_init(m, p, k);
    if (st)
        return st;
    m->n_threads = n_threads;
    size_t shape[2] = {k == 1 ? p : k, p};
    if (!(st = mlc_attrs_copy(s, "coef_", k == 1 ? 1 : 2, shape, m->coef)))
        st = mlc_lin_get_per_target(s, "intercept_", k, m->intercept);
    for (size_t i = 0; !st && i < k * p + k; i++)
        if (!isfinite(m->coef[i]))
            st = mlc_raise(MLC_EFORMAT, "model file: coef_ or intercept_ is not finite");
    if (st)
        mlc_lin_model_clear(m);
    return st;
}

size_t mlc_lin_reg_output_cols(const void *model, mlc_output kind)
{
    return kind == MLC_OUT_PREDICT ? ((const mlc_linear_model *)model)->k : 0;
}

int mlc_lin_reg_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    const mlc_linear_model *m = model;
    (void)kind;
    return mlc_lin_model_output(m, X, out, m->n_threads);
}
