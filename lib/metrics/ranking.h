/* The binary ROC machinery shared by the binary and multiclass ROC AUC. */
#ifndef MLC_INTERNAL_METRICS_RANKING_H
#define MLC_INTERNAL_METRICS_RANKING_H
#include <stddef.h>

/* Area under scikit-learn's ROC curve (drop_intermediate, trapezoids summed
 * pairwise) of n scores with positive flags and optional weights (zero
 * weights must already be removed). Both classes must be present. */
int mlc_binary_roc_auc(const double *score, const unsigned char *positive, const double *weight,
                       size_t n, double *out);

#endif
