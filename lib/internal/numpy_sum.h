/* NumPy's summation orders, so that sums round as scikit-learn's do where
 * the last bit decides an answer (metrics, and the offsets of a
 * rank-deficient least-squares problem). */
#ifndef MLC_INTERNAL_NUMPY_SUM_H
#define MLC_INTERNAL_NUMPY_SUM_H
#include <stddef.h>

/* NumPy's pairwise summation of a contiguous array (what np.sum does for a
 * 1-D float64 array: pairwise within blocks of 8192 elements, the blocks
 * added in order). A reduction over axis 0 of a C-ordered 2-D array with
 * more than one column is instead row after row, in order. */
#define MLC_NUMPY_BUFSIZE 8192
double mlc_sum_pairwise(const double *a, size_t n);

#endif
