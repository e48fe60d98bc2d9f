/* Helpers shared by the metric files: a stable radix argsort, and label
 * checks/encodings (NumPy's sums are internal/numpy_sum.h). */
#ifndef MLC_INTERNAL_METRICS_UTIL_H
#define MLC_INTERNAL_METRICS_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/numpy_sum.h"

/* order = the stable ascending argsort of x[0..n) (NumPy's
 * argsort(kind="mergesort")); -0.0 and 0.0 compare equal. x must be free of
 * NaN. sorted (may be NULL) gets x[order[i]]. */
int mlc_argsort_stable(const double *x, size_t n, size_t *order, double *sorted);

/* Sort x[0..n) ascending in place (values only). */
int mlc_sort_doubles(double *x, size_t n);

/* An unsigned key with the order of the doubles (-0.0 and 0.0 equal), and
 * an ascending radix sort of such keys (scratch holds n keys). */
uint64_t mlc_sort_key(double v);
int mlc_sort_keys(uint64_t *keys, size_t n, uint64_t *scratch);

/* y[0..n) must hold finite integral class labels; `what` names the array. */
int mlc_check_class_labels(const double *y, size_t n, const char *what);

/* Sorted distinct values of a[0..na) and b[0..nb) (b may be NULL). *classes
 * is malloc'ed. */
int mlc_class_union(const double *a, size_t na, const double *b, size_t nb, double **classes,
                    size_t *n_classes);

/* numpy.searchsorted(a, v, side='left') on the sorted a[0..n): the first
 * index whose value is not below v (n if none). */
size_t mlc_search_left(const double *a, size_t n, double v);

/* Position of v in the sorted array classes[0..k), or -1. */
long mlc_class_find(const double *classes, size_t k, double v);

/* Encode int32 cluster labels: *classes (malloc'ed, sorted, distinct) and
 * codes[i] = index of labels[i] in classes (codes may be NULL). */
int mlc_encode_int_labels(const int32_t *labels, size_t n, int32_t **classes, size_t *k,
                          int32_t *codes);

/* 1 for a scorer reported as is where lower is better (davies_bouldin):
 * grid search cannot rank by it. */
int mlc_scorer_lower_is_better(const char *name);

#endif
