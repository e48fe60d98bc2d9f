/* Class weights (algorithms/svm/svm_class_weight.h). */
#include <math.h>
#include "internal/error.h"
#include "svm_class_weight.h"

int svm_class_weights(const mlc_class_weight *cw, const double *classes, size_t K,
                      const int32_t *codes, size_t n, const char *estimator, double *w)
{
    for (size_t k = 0; k < K; k++)
        w[k] = 1.0;
    if (cw->mode == MLC_CLASS_WEIGHT_NONE)
        return MLC_OK;
    if (cw->mode == MLC_CLASS_WEIGHT_BALANCED) { /* n / (K count), over every row given */
        for (size_t k = 0; k < K; k++)
            w[k] = 0.0;
        for (size_t i = 0; i < n; i++)
            w[codes[i]] += 1.0;
        for (size_t k = 0; k < K; k++)
            w[k] = (double)n / ((double)K * w[k]);
        return MLC_OK;
    }
    if (cw->mode != MLC_CLASS_WEIGHT_GIVEN)
        return mlc_raise(MLC_EINVAL, "%s: class_weight mode must be none (0), balanced (1) or "
                         "given (2), got %d", estimator, cw->mode);
    if (cw->n > MLC_CLASS_WEIGHT_MAX)
        return mlc_raise(MLC_EINVAL, "%s: class_weight names %zu classes, at most %d", estimator,
                         cw->n, MLC_CLASS_WEIGHT_MAX);
    for (size_t t = 0; t < cw->n; t++) {
        size_t k = 0;
        while (k < K && classes[k] != cw->label[t])
            k++;
        if (k == K)
            return mlc_raise(MLC_EINVAL, "%s: class_weight names class %g, which is not in y",
                             estimator, cw->label[t]);
        if (!(cw->weight[t] > 0.0 && isfinite(cw->weight[t])))
            return mlc_raise(MLC_EINVAL, "%s: class_weight of class %g must be a number > 0, "
                             "got %g", estimator, cw->label[t], cw->weight[t]);
        w[k] = cw->weight[t];
    }
    return MLC_OK;
}
