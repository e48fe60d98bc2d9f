/* Metrics, as scikit-learn 1.2 defines them (SKLEARN_PARITY.md §11-13).
 *
 * Regression targets are row-major n x n_outputs arrays. Classification labels
 * are doubles holding integral class values (any values, as the registry's
 * predictions are). Clustering labels are int32 (noise = -1). */
#ifndef MLCORE_METRICS_H
#define MLCORE_METRICS_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

typedef enum mlc_multioutput {
    MLC_MULTIOUTPUT_UNIFORM = 0,   /* 'uniform_average' (default): one value */
    MLC_MULTIOUTPUT_RAW,           /* 'raw_values': n_outputs values */
    MLC_MULTIOUTPUT_VARIANCE       /* 'variance_weighted' (r2, explained variance) */
} mlc_multioutput;

/* R^2 with force_finite=True. out gets 1 value, or n_outputs for RAW. */
MLC_API int mlc_r2_score(const double *y_true, const double *y_pred, size_t n, size_t n_outputs,
                         const double *sample_weight, mlc_multioutput mo, double *out);

/* Fraction (normalize=1) or count of exact matches. */
MLC_API int mlc_accuracy_score(const double *y_true, const double *y_pred, size_t n,
                               const double *sample_weight, int normalize, double *out);

#endif
