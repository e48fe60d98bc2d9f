#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "mlcore/threads.h"

int mlc_check_ptr(const void *p, const char *what)
{
    if (!p)
        return mlc_raise(MLC_EINVAL, "%s is NULL", what);
    return MLC_OK;
}

int mlc_check_X_shape(const mlc_matrix *X, const char *what)
{
    if (!X)
        return mlc_raise(MLC_EINVAL, "%s is NULL", what);
    if (X->rows == 0)
        return mlc_raise(MLC_EEMPTY, "%s has 0 rows; at least 1 is required", what);
    if (X->cols == 0)
        return mlc_raise(MLC_EEMPTY, "%s has 0 columns; at least 1 is required", what);
    if (!X->data)
        return mlc_raise(MLC_EINVAL, "%s has no data", what);
    if (X->stride < X->cols)
        return mlc_raise(MLC_EINVAL, "%s has stride %zu < %zu columns", what, X->stride, X->cols);
    return MLC_OK;
}

int mlc_check_X_mt(const mlc_matrix *X, const char *what, int n_threads)
{
    int st = mlc_check_X_shape(X, what);
    return st ? st : mlc_matrix_check_finite_mt(X, what, n_threads);
}

int mlc_check_X(const mlc_matrix *X, const char *what)
{
    return mlc_check_X_mt(X, what, 1);
}

int mlc_check_X_columns(const mlc_matrix *X, size_t n_features, const char *estimator)
{
    int st = mlc_check_X_shape(X, "X");
    if (st)
        return st;
    if (X->cols != n_features)
        return mlc_raise(MLC_EBADLEN, "X has %zu columns but the %s model was fit on %zu",
                         X->cols, estimator, n_features);
    return MLC_OK;
}

int mlc_check_X_predict_mt(const mlc_matrix *X, size_t n_features, const char *estimator,
                           int n_threads)
{
    int st = mlc_check_X_columns(X, n_features, estimator);
    return st ? st : mlc_matrix_check_finite_mt(X, "X", n_threads);
}

int mlc_check_X_predict(const mlc_matrix *X, size_t n_features, const char *estimator)
{
    return mlc_check_X_predict_mt(X, n_features, estimator, 1);
}

int mlc_check_y(const double *y, size_t n, const char *what)
{
    if (!y)
        return mlc_raise(MLC_EINVAL, "%s is NULL", what);
    return mlc_array_check_finite(y, n, what);
}

int mlc_check_weights(const double *sw, size_t n)
{
    if (!sw)
        return MLC_OK;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(sw[i]))
            return mlc_raise(MLC_ENONFINITE, "sample_weight[%zu] is not finite", i);
        if (sw[i] < 0)
            return mlc_raise(MLC_EINVAL, "sample_weight[%zu] = %g is negative", i, sw[i]);
        sum += sw[i];
    }
    if (!(sum > 0))
        return mlc_raise(MLC_EINVAL, "sample weights sum to 0");
    return MLC_OK;
}

int mlc_check_out(const mlc_matrix *out, size_t rows, size_t cols, const char *what)
{
    if (!out || (!out->data && rows * cols > 0))
        return mlc_raise(MLC_EINVAL, "%s output is NULL", what);
    if (out->rows != rows || out->cols != cols)
        return mlc_raise(MLC_EBADLEN, "%s output is %zu x %zu, expected %zu x %zu", what,
                         out->rows, out->cols, rows, cols);
    return MLC_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define FEW_CLASSES 64

int mlc_encode_labels(const double *y, size_t n, double **classes, size_t *n_classes,
                      int32_t *codes)
{
    *classes = NULL;
    *n_classes = 0;
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "y is empty");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            return mlc_raise(MLC_ENONFINITE, "y[%zu] is not finite", i);
        if (y[i] != floor(y[i]) || fabs(y[i]) > 2147483647.0)
            return mlc_raise(MLC_EINVAL,
                             "y[%zu] = %g is not an integer class label (a classifier needs "
                             "integer labels)",
                             i, y[i]);
    }
    double *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return mlc_raise_nomem("class labels");
    /* Few classes (the usual case): kept sorted as they are met, each label
     * found by bisection; sorting all n labels cost a third of a k-NN fit. */
    size_t k = 0;
    for (size_t i = 0; i < n && k <= FEW_CLASSES; i++) {
        size_t lo = 0, hi = k;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sorted[mid] < y[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < k && sorted[lo] == y[i])
            continue;
        memmove(sorted + lo + 1, sorted + lo, (k - lo) * sizeof *sorted);
        sorted[lo] = y[i];
        k++;
    }
    if (k > FEW_CLASSES) { /* many: sort them all */
        memcpy(sorted, y, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_double);
        k = 0;
        for (size_t i = 0; i < n; i++)
            if (i == 0 || sorted[i] != sorted[k - 1])
                sorted[k++] = sorted[i];
    }
    double *cls = realloc(sorted, k * sizeof *cls);
    if (!cls)
        cls = sorted;
    if (codes) {
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = k;
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (cls[mid] <= y[i])
                    lo = mid;
                else
                    hi = mid;
            }
            codes[i] = (int32_t)lo;
        }
    }
    *classes = cls;
    *n_classes = k;
    return MLC_OK;
}

int mlc_check_threads(int n_threads, const char *who)
{
    if (n_threads >= 0 && n_threads <= MLC_THREADS_MAX)
        return MLC_OK;
    return mlc_raise(MLC_EINVAL, "%s%sn_threads must be an integer in [0, %d] (0 = all cores), "
                     "got %d", who ? who : "", who ? ": " : "", MLC_THREADS_MAX, n_threads);
}

int mlc_check_threads_max(int n_threads, const char *who)
{
    return n_threads > MLC_THREADS_MAX ? mlc_check_threads(n_threads, who) : MLC_OK;
}
