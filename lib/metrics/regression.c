/* Regression metrics (docs/PARITY.md §11). Sums follow NumPy's order:
 * pairwise for one output ((n, 1) arrays reduce contiguously), row by row for
 * several, so results round as scikit-learn's do. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

static int check_pair(const double *a, const double *b, size_t n, size_t n_outputs,
                      const double *sw, const void *out)
{
    if (!a || !b || !out)
        return mlc_raise(MLC_EINVAL, "y_true, y_pred and the output must not be NULL");
    if (n == 0 || n_outputs == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: %zu samples, %zu outputs", n, n_outputs);
    int st = mlc_array_check_finite(a, n * n_outputs, "y_true");
    if (!st)
        st = mlc_array_check_finite(b, n * n_outputs, "y_pred");
    if (!st)
        st = mlc_check_weights(sw, n);
    return st;
}

static int check_multioutput(mlc_multioutput mo, int variance_allowed)
{
    if (mo == MLC_MULTIOUTPUT_UNIFORM || mo == MLC_MULTIOUTPUT_RAW)
        return MLC_OK;
    if (mo == MLC_MULTIOUTPUT_VARIANCE && variance_allowed)
        return MLC_OK;
    if (mo == MLC_MULTIOUTPUT_VARIANCE)
        return mlc_raise(MLC_EINVAL, "multioutput 'variance_weighted' is only defined for r2 and "
                                     "explained variance; use uniform or raw");
    return mlc_raise(MLC_EINVAL, "multioutput must be uniform, raw or variance_weighted, got %d",
                     (int)mo);
}

/* The inputs of a multi-output score: check_pair, then check_multioutput. */
static int check_scored(const double *a, const double *b, size_t n, size_t n_outputs,
                        const double *sw, const void *out, mlc_multioutput mo,
                        int variance_allowed)
{
    int st = check_pair(a, b, n, n_outputs, sw, out);
    return st ? st : check_multioutput(mo, variance_allowed);
}

/* Sum over rows of column j of v (n x k), weighted: NumPy's order. tmp has n
 * entries. */
static double column_sum(const double *v, size_t n, size_t k, size_t j, const double *sw,
                         double *tmp)
{
    if (k == 1) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = sw ? v[i] * sw[i] : v[i];
        return mlc_sum_pairwise(tmp, n);
    }
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += sw ? v[i * k + j] * sw[i] : v[i * k + j];
    return s;
}

/* np.average(v, axis=0, weights=sw) into out[0..k). */
static void column_average(const double *v, size_t n, size_t k, const double *sw, double *tmp,
                           double *out)
{
    double scale = sw ? mlc_sum_pairwise(sw, n) : (double)n;
    for (size_t j = 0; j < k; j++)
        out[j] = column_sum(v, n, k, j, sw, tmp) / scale;
}

/* Combine per-output errors as multioutput asks (UNIFORM or RAW). */
static void combine(const double *errors, size_t k, mlc_multioutput mo, double *out)
{
    if (mo == MLC_MULTIOUTPUT_RAW)
        memcpy(out, errors, k * sizeof *out);
    else
        out[0] = mlc_sum_pairwise(errors, k) / (double)k;
}

enum elementwise { EW_SQUARED, EW_ABSOLUTE, EW_PERCENTAGE };

/* Mean of an elementwise error, shared by MSE, RMSE, MAE and MAPE. */
static int mean_error(const double *yt, const double *yp, size_t n, size_t k, const double *sw,
                      mlc_multioutput mo, enum elementwise kind, int root, double *out)
{
    int st = check_scored(yt, yp, n, k, sw, out, mo, 0);
    if (st)
        return st;
    if (n > SIZE_MAX / k / 2)
        return mlc_raise(MLC_ERANGE, "%zu x %zu targets are too many", n, k);
    double *v = malloc((n * k + n + k) * sizeof *v);
    if (!v)
        return mlc_raise_nomem("metric scratch");
    double *tmp = v + n * k, *errors = tmp + n;
    for (size_t i = 0; i < n * k; i++) {
        double d = yt[i] - yp[i];
        if (kind == EW_SQUARED)
            v[i] = d * d;
        else if (kind == EW_ABSOLUTE)
            v[i] = fabs(yp[i] - yt[i]);
        else
            v[i] = fabs(yp[i] - yt[i]) / fmax(fabs(yt[i]), DBL_EPSILON);
    }
    column_average(v, n, k, sw, tmp, errors);
    if (root)
        for (size_t j = 0; j < k; j++)
            errors[j] = sqrt(errors[j]);
    combine(errors, k, mo, out);
    free(v);
    return MLC_OK;
}

int mlc_mean_squared_error(const double *y_true, const double *y_pred, size_t n,
                           size_t n_outputs, const double *sw, mlc_multioutput mo, double *out)
{
    return mean_error(y_true, y_pred, n, n_outputs, sw, mo, EW_SQUARED, 0, out);
}

int mlc_root_mean_squared_error(const double *y_true, const double *y_pred, size_t n,
                                size_t n_outputs, const double *sw, mlc_multioutput mo,
                                double *out)
{
    return mean_error(y_true, y_pred, n, n_outputs, sw, mo, EW_SQUARED, 1, out);
}

int mlc_mean_absolute_error(const double *y_true, const double *y_pred, size_t n,
                            size_t n_outputs, const double *sw, mlc_multioutput mo, double *out)
{
    return mean_error(y_true, y_pred, n, n_outputs, sw, mo, EW_ABSOLUTE, 0, out);
}

int mlc_mean_absolute_percentage_error(const double *y_true, const double *y_pred, size_t n,
                                       size_t n_outputs, const double *sw, mlc_multioutput mo,
                                       double *out)
{
    return mean_error(y_true, y_pred, n, n_outputs, sw, mo, EW_PERCENTAGE, 0, out);
}

/* scikit-learn's _weighted_percentile(values, sw, 50) of one column. */
static int weighted_median(const double *values, size_t n, const double *sw, size_t *order,
                           double *cdf, double *out)
{
    int st = mlc_argsort_stable(values, n, order, NULL);
    if (st)
        return st;
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        acc += sw[order[i]];
        cdf[i] = acc;
    }
    double target = 0.5 * cdf[n - 1];
    if (target == 0.0)
        target = nextafter(0.0, 1.0);
    size_t lo = mlc_search_left(cdf, n, target);
    if (lo > n - 1)
        lo = n - 1;
    *out = values[order[lo]];
    return MLC_OK;
}

int mlc_median_absolute_error(const double *y_true, const double *y_pred, size_t n,
                              size_t n_outputs, const double *sw, mlc_multioutput mo,
                              double *out)
{
    size_t k = n_outputs;
    int st = check_scored(y_true, y_pred, n, k, sw, out, mo, 0);
    if (st)
        return st;
    double *col = malloc((2 * n + k) * sizeof *col);
    size_t *order = sw ? malloc(n * sizeof *order) : NULL;
    if (!col || (sw && !order)) {
        free(col);
        free(order);
        return mlc_raise_nomem("metric scratch");
    }
    double *cdf = col + n, *errors = cdf + n;
    for (size_t j = 0; j < k && !st; j++) {
        for (size_t i = 0; i < n; i++)
            col[i] = fabs(y_pred[i * k + j] - y_true[i * k + j]);
        if (sw) {
            st = weighted_median(col, n, sw, order, cdf, &errors[j]);
        } else {
            st = mlc_sort_doubles(col, n);
            errors[j] = n % 2 ? col[n / 2] : (col[n / 2 - 1] + col[n / 2]) / 2.0;
        }
    }
    if (!st)
        combine(errors, k, mo, out);
    free(col);
    free(order);
    return st;
}

int mlc_max_error(const double *y_true, const double *y_pred, size_t n, double *out)
{
    int st = check_pair(y_true, y_pred, n, 1, NULL, out);
    if (st)
        return st;
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(y_true[i] - y_pred[i]);
        if (d > m)
            m = d;
    }
    *out = m;
    return MLC_OK;
}

/* _assemble_r2_explained_variance with force_finite=True. */
static void assemble_r2(const double *num, const double *den, size_t k, mlc_multioutput mo,
                        double *scores, double *out)
{
    int any_nonzero_den = 0;
    for (size_t j = 0; j < k; j++) {
        if (den[j] != 0.0)
            any_nonzero_den = 1;
        if (num[j] == 0.0)
            scores[j] = 1.0;
        else if (den[j] == 0.0)
            scores[j] = 0.0;
        else
            scores[j] = 1.0 - num[j] / den[j];
    }
    if (mo == MLC_MULTIOUTPUT_RAW) {
        memcpy(out, scores, k * sizeof *out);
    } else if (mo == MLC_MULTIOUTPUT_VARIANCE && any_nonzero_den) {
        /* np.average(scores, weights=den): both sums pairwise. */
        double *prod = scores + k;
        for (size_t j = 0; j < k; j++)
            prod[j] = scores[j] * den[j];
        out[0] = mlc_sum_pairwise(prod, k) / mlc_sum_pairwise(den, k);
    } else {
        /* All outputs constant: scikit-learn falls back to the uniform mean. */
        out[0] = mlc_sum_pairwise(scores, k) / (double)k;
    }
}

int mlc_r2_score(const double *y_true, const double *y_pred, size_t n, size_t n_outputs,
                 const double *sw, mlc_multioutput mo, double *out)
{
    size_t k = n_outputs;
    int st = check_scored(y_true, y_pred, n, k, sw, out, mo, 1);
    if (st)
        return st;
    if (n < 2) {
        /* scikit-learn warns and returns NaN. */
        size_t m = mo == MLC_MULTIOUTPUT_RAW ? k : 1;
        for (size_t j = 0; j < m; j++)
            out[j] = NAN;
        return MLC_OK;
    }
    double *v = malloc((n * k + n + 5 * k) * sizeof *v);
    if (!v)
        return mlc_raise_nomem("r2 scratch");
    double *tmp = v + n * k, *mean = tmp + n, *num = mean + k, *den = num + k,
           *scores = den + k;
    for (size_t i = 0; i < n * k; i++) {
        double d = y_true[i] - y_pred[i];
        v[i] = d * d;
    }
    for (size_t j = 0; j < k; j++)
        num[j] = column_sum(v, n, k, j, sw, tmp);
    column_average(y_true, n, k, sw, tmp, mean);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            double c = y_true[i * k + j] - mean[j];
            v[i * k + j] = c * c;
        }
    for (size_t j = 0; j < k; j++)
        den[j] = column_sum(v, n, k, j, sw, tmp);
    assemble_r2(num, den, k, mo, scores, out);
    free(v);
    return MLC_OK;
}

int mlc_explained_variance_score(const double *y_true, const double *y_pred, size_t n,
                                 size_t n_outputs, const double *sw, mlc_multioutput mo,
                                 double *out)
{
    size_t k = n_outputs;
    int st = check_scored(y_true, y_pred, n, k, sw, out, mo, 1);
    if (st)
        return st;
    double *v = malloc((n * k + n + 6 * k) * sizeof *v);
    if (!v)
        return mlc_raise_nomem("explained variance scratch");
    double *tmp = v + n * k, *diff_avg = tmp + n, *true_avg = diff_avg + k, *num = true_avg + k,
           *den = num + k, *scores = den + k;
    for (size_t i = 0; i < n * k; i++)
        v[i] = y_true[i] - y_pred[i];
    column_average(v, n, k, sw, tmp, diff_avg);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            double c = y_true[i * k + j] - y_pred[i * k + j] - diff_avg[j];
            v[i * k + j] = c * c;
        }
    column_average(v, n, k, sw, tmp, num);
    column_average(y_true, n, k, sw, tmp, true_avg);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            double c = y_true[i * k + j] - true_avg[j];
            v[i * k + j] = c * c;
        }
    column_average(v, n, k, sw, tmp, den);
    assemble_r2(num, den, k, mo, scores, out);
    free(v);
    return MLC_OK;
}
