/* Log loss (cross-entropy) as scikit-learn 1.2.1: clip to [eps, 1 - eps],
 * renormalise each row, average -log p(true class). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

static double clip(double p, double eps)
{
    return p < eps ? eps : p > 1.0 - eps ? 1.0 - eps : p;
}

int mlc_log_loss(const double *y_true, const double *y_prob, size_t n, size_t n_cols,
                 const double *labels, size_t n_labels, const double *sw, int normalize,
                 double eps, double *out)
{
    if (!y_true || !y_prob || !out)
        return mlc_raise(MLC_EINVAL, "y_true, y_prob and the output must not be NULL");
    if (n == 0 || n_cols == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: %zu samples, %zu probability columns", n,
                         n_cols);
    if (labels && n_labels == 0)
        return mlc_raise(MLC_EINVAL, "labels is given but n_labels is 0");
    if (isnan(eps) || eps >= 0.5)
        return mlc_raise(MLC_EINVAL, "eps must be in (0, 0.5) (or <= 0 for auto), got %g", eps);
    if (eps <= 0.0)
        eps = DBL_EPSILON; /* eps="auto": np.finfo(float64).eps */
    int st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st && labels)
        st = mlc_check_class_labels(labels, n_labels, "labels");
    if (!st)
        st = mlc_array_check_finite(y_prob, n * n_cols, "y_prob");
    if (!st)
        st = mlc_check_weights(sw, n);
    if (st)
        return st;
    double *classes;
    size_t k;
    st = labels ? mlc_class_union(labels, n_labels, NULL, 0, &classes, &k)
                : mlc_class_union(y_true, n, NULL, 0, &classes, &k);
    if (st)
        return st;
    size_t cols = n_cols == 1 ? 2 : n_cols;
    if (k == 1)
        st = labels ? mlc_raise(MLC_EINVAL, "the labels array needs to contain at least two "
                                            "labels for log_loss, got one (%g)",
                                classes[0])
                    : mlc_raise(MLC_EINVAL,
                                "y_true contains only one label (%g); give the true labels "
                                "explicitly through labels",
                                classes[0]);
    else if (k != cols)
        st = labels ? mlc_raise(MLC_EBADLEN,
                                "labels has %zu classes but y_prob has %zu columns", k, cols)
                    : mlc_raise(MLC_EBADLEN,
                                "y_true has %zu classes but y_prob has %zu columns; give the "
                                "true labels explicitly through labels",
                                k, cols);
    double *loss = NULL;
    int32_t *code = NULL;
    if (!st) {
        loss = malloc(n * (sizeof *loss + cols * sizeof(double)));
        code = malloc(n * sizeof *code);
        if (!loss || !code)
            st = mlc_raise_nomem("log loss scratch");
    }
    for (size_t i = 0; i < n && !st; i++) {
        long c = mlc_class_find(classes, k, y_true[i]);
        if (c < 0)
            st = mlc_raise(MLC_EINVAL, "y_true[%zu] = %g is not one of the given labels", i,
                           y_true[i]);
        else
            code[i] = (int32_t)c;
    }
    if (!st) {
        double *row = loss + n;
        for (size_t i = 0; i < n; i++) {
            double *r = row + i * cols;
            if (n_cols == 1) {
                double p = clip(y_prob[i], eps);
                r[0] = 1.0 - p;
                r[1] = p;
            } else {
                for (size_t j = 0; j < cols; j++)
                    r[j] = clip(y_prob[i * cols + j], eps);
            }
            double s = mlc_sum_pairwise(r, cols);
            loss[i] = -log(r[code[i]] / s);
        }
        if (sw) {
            double *wl = row; /* reuse: the rows are no longer needed */
            for (size_t i = 0; i < n; i++)
                wl[i] = loss[i] * sw[i];
            double total = mlc_sum_pairwise(wl, n);
            *out = normalize ? total / mlc_sum_pairwise(sw, n) : total;
        } else {
            double total = mlc_sum_pairwise(loss, n);
            *out = normalize ? total / (double)n : total;
        }
    }
    free(loss);
    free(code);
    free(classes);
    return st;
}
