/* precision_recall_fscore_support with the number of values written, shared
 * by the public wrappers, the classification report and the scorers. */
#ifndef MLC_INTERNAL_METRICS_PRF_H
#define MLC_INTERNAL_METRICS_PRF_H
#include <stddef.h>
#include "mlcore/metrics.h"

/* As mlc_precision_recall_fscore_support; *n_values (may be NULL) gets the
 * number of values written to each output. */
int mlc_prf_compute(const double *y_true, const double *y_pred, size_t n,
                    const mlc_prf_options *opt, double *precision, double *recall,
                    double *fscore, double *support, size_t *n_values);

#endif
