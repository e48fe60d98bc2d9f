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

/* What a column sum adds up: the value at flat index i (row i / k, column
 * j = i % k) of an elementwise array NumPy would have built first. Made on
 * the fly, so that a score of n values needs no n-sized scratch. */
enum elementwise {
    EW_SQUARED,     /* (a - b)^2 */
    EW_ABSOLUTE,    /* |b - a| */
    EW_PERCENTAGE,  /* |b - a| / max(|a|, eps) */
    EW_PLAIN,       /* a */
    EW_DIFF,        /* a - b */
    EW_SQ_CENTRED,  /* (a - c_j)^2 */
    EW_SQ_DIFF_CEN, /* (a - b - c_j)^2 */
};

typedef struct term {
    enum elementwise kind;
    const double *a, *b, *c;
} term;

static double term_at(const term *t, size_t i, size_t j)
{
    double d;
    switch (t->kind) {
    case EW_SQUARED:
        d = t->a[i] - t->b[i];
        return d * d;
    case EW_ABSOLUTE:
        return fabs(t->b[i] - t->a[i]);
    case EW_PERCENTAGE:
        return fabs(t->b[i] - t->a[i]) / fmax(fabs(t->a[i]), DBL_EPSILON);
    case EW_PLAIN:
        return t->a[i];
    case EW_DIFF:
        return t->a[i] - t->b[i];
    case EW_SQ_CENTRED:
        d = t->a[i] - t->c[j];
        return d * d;
    case EW_SQ_DIFF_CEN:
        d = t->a[i] - t->b[i] - t->c[j];
        return d * d;
    }
    return 0.0;
}

/* Scratch of a column sum: one NumPy buffer. */
#define SUM_SCRATCH MLC_NUMPY_BUFSIZE

/* Sum over rows of column j of the term (n x k), weighted, in NumPy's
 * order: pairwise within buffers of MLC_NUMPY_BUFSIZE values for one
 * column (mlc_sum_pairwise of each, added in order), row by row for
 * several. tmp holds min(n, SUM_SCRATCH) values. */
static double column_sum(const term *t, size_t n, size_t k, size_t j, const double *sw,
                         double *tmp)
{
    if (k == 1) {
        double s = 0.0;
        for (size_t i0 = 0; i0 < n; i0 += SUM_SCRATCH) {
            size_t m = n - i0 < SUM_SCRATCH ? n - i0 : SUM_SCRATCH;
            for (size_t i = 0; i < m; i++) {
                double v = term_at(t, i0 + i, 0);
                tmp[i] = sw ? v * sw[i0 + i] : v;
            }
            double part = mlc_sum_pairwise(tmp, m);
            s = n <= SUM_SCRATCH ? part : s + part;
        }
        return s;
    }
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = term_at(t, i * k + j, j);
        s += sw ? v * sw[i] : v;
    }
    return s;
}

/* np.average(term, axis=0, weights=sw) into out[0..k). */
static void column_average(const term *t, size_t n, size_t k, const double *sw, double *tmp,
                           double *out)
{
    double scale = sw ? mlc_sum_pairwise(sw, n) : (double)n;
    for (size_t j = 0; j < k; j++)
        out[j] = column_sum(t, n, k, j, sw, tmp) / scale;
}

/* Scratch for column sums and k (or extra * k) results. */
static double *sum_scratch(size_t n, size_t k, size_t extra)
{
    size_t m = n < SUM_SCRATCH ? n : SUM_SCRATCH;
    if (k > (SIZE_MAX / sizeof(double) - m) / extra)
        return NULL;
    return malloc((m + extra * k) * sizeof(double));
}

/* Combine per-output errors as multioutput asks (UNIFORM or RAW). */
static void combine(const double *errors, size_t k, mlc_multioutput mo, double *out)
{
    if (mo == MLC_MULTIOUTPUT_RAW)
        memcpy(out, errors, k * sizeof *out);
    else
        out[0] = mlc_sum_pairwise(errors, k) / (double)k;
}

/* Mean of an elementwise error, shared by MSE, RMSE, MAE and MAPE. */
static int mean_error(const double *yt, const double *yp, size_t n, size_t k, const double *sw,
                      mlc_multioutput mo, enum elementwise kind, int root, double *out)
{
    int st = check_scored(yt, yp, n, k, sw, out, mo, 0);
    if (st)
        return st;
    double *tmp = sum_scratch(n, k, 1);
    if (!tmp)
        return mlc_raise_nomem("metric scratch");
    double *errors = tmp + (n < SUM_SCRATCH ? n : SUM_SCRATCH);
    term t = {kind, yt, yp, NULL};
    column_average(&t, n, k, sw, tmp, errors);
    if (root)
        for (size_t j = 0; j < k; j++)
            errors[j] = sqrt(errors[j]);
    combine(errors, k, mo, out);
    free(tmp);
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
    double *tmp = sum_scratch(n, k, 5);
    if (!tmp)
        return mlc_raise_nomem("r2 scratch");
    double *mean = tmp + (n < SUM_SCRATCH ? n : SUM_SCRATCH), *num = mean + k, *den = num + k,
           *scores = den + k;
    term sq = {EW_SQUARED, y_true, y_pred, NULL}, plain = {EW_PLAIN, y_true, NULL, NULL};
    for (size_t j = 0; j < k; j++)
        num[j] = column_sum(&sq, n, k, j, sw, tmp);
    column_average(&plain, n, k, sw, tmp, mean);
    term centred = {EW_SQ_CENTRED, y_true, NULL, mean};
    for (size_t j = 0; j < k; j++)
        den[j] = column_sum(&centred, n, k, j, sw, tmp);
    assemble_r2(num, den, k, mo, scores, out);
    free(tmp);
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
    double *tmp = sum_scratch(n, k, 6);
    if (!tmp)
        return mlc_raise_nomem("explained variance scratch");
    double *diff_avg = tmp + (n < SUM_SCRATCH ? n : SUM_SCRATCH), *true_avg = diff_avg + k,
           *num = true_avg + k, *den = num + k, *scores = den + k;
    term diff = {EW_DIFF, y_true, y_pred, NULL}, plain = {EW_PLAIN, y_true, NULL, NULL};
    column_average(&diff, n, k, sw, tmp, diff_avg);
    term resid = {EW_SQ_DIFF_CEN, y_true, y_pred, diff_avg};
    column_average(&resid, n, k, sw, tmp, num);
    column_average(&plain, n, k, sw, tmp, true_avg);
    term centred = {EW_SQ_CENTRED, y_true, NULL, true_avg};
    column_average(&centred, n, k, sw, tmp, den);
    assemble_r2(num, den, k, mo, scores, out);
    free(tmp);
    return MLC_OK;
}
