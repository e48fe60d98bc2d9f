/* scikit-learn's compute_class_weight, shared by the kernel and the linear
 * SVMs: one weight per class (classes_ order) from a class_weight setting. */
#ifndef MLC_SVM_CLASS_WEIGHT_H
#define MLC_SVM_CLASS_WEIGHT_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/estimator.h"

/* w[0..K): 1 (none), n / (K * count of the class over the n codes)
 * (balanced), or the given weights (others 1). A class named that is not
 * among `classes`, a weight that is not > 0, or a bad mode is MLC_EINVAL
 * naming `estimator`. */
int svm_class_weights(const mlc_class_weight *cw, const double *classes, size_t K,
                      const int32_t *codes, size_t n, const char *estimator, double *w);

#endif
