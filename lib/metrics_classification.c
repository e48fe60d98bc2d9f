#include "internal/error.h"
#include "internal/validate.h"
#include "mlcore/metrics.h"

int mlc_accuracy_score(const double *y_true, const double *y_pred, size_t n,
                       const double *sw, int normalize, double *out)
{
    if (!y_true || !y_pred || !out)
        return mlc_raise(MLC_EINVAL, "y_true, y_pred and the output must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input");
    int st = mlc_check_weights(sw, n);
    if (st)
        return st;
    double hit = 0.0, total = 0.0;
    for (size_t i = 0; i < n; i++) {
        double w = sw ? sw[i] : 1.0;
        total += w;
        if (y_true[i] == y_pred[i])
            hit += w;
    }
    *out = normalize ? hit / total : hit;
    return MLC_OK;
}
