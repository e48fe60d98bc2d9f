#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

static int check_pair(const double *a, const double *b, size_t n, size_t n_outputs,
                      const double *sw, void *out)
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

int mlc_r2_score(const double *y_true, const double *y_pred, size_t n, size_t n_outputs,
                 const double *sw, mlc_multioutput mo, double *out)
{
    int st = check_pair(y_true, y_pred, n, n_outputs, sw, out);
    if (st)
        return st;
    if (n < 2)
        return mlc_raise(MLC_EINVAL, "R^2 is not well-defined with fewer than two samples");
    double *num = calloc(2 * n_outputs, sizeof *num);
    if (!num)
        return mlc_raise_nomem("r2 scratch");
    double *den = num + n_outputs;
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++)
        wsum += sw ? sw[i] : 1.0;
    for (size_t k = 0; k < n_outputs; k++) {
        double mean = 0.0;
        for (size_t i = 0; i < n; i++)
            mean += (sw ? sw[i] : 1.0) * y_true[i * n_outputs + k];
        mean /= wsum;
        double nu = 0.0, de = 0.0;
        for (size_t i = 0; i < n; i++) {
            double w = sw ? sw[i] : 1.0;
            double r = y_true[i * n_outputs + k] - y_pred[i * n_outputs + k];
            double c = y_true[i * n_outputs + k] - mean;
            nu += w * r * r;
            de += w * c * c;
        }
        num[k] = nu;
        den[k] = de;
    }
    double total = 0.0, total_den = 0.0, uniform = 0.0;
    for (size_t k = 0; k < n_outputs; k++) {
        double score;
        if (den[k] != 0.0)
            score = 1.0 - num[k] / den[k];
        else
            score = num[k] == 0.0 ? 1.0 : 0.0; /* force_finite */
        if (mo == MLC_MULTIOUTPUT_RAW)
            out[k] = score;
        total += den[k] * score;
        uniform += score;
        total_den += den[k];
    }
    if (mo == MLC_MULTIOUTPUT_UNIFORM)
        out[0] = uniform / (double)n_outputs;
    else if (mo == MLC_MULTIOUTPUT_VARIANCE)
        /* scikit-learn: all-constant outputs fall back to the uniform average. */
        out[0] = total_den != 0.0 ? total / total_den : uniform / (double)n_outputs;
    free(num);
    return MLC_OK;
}
