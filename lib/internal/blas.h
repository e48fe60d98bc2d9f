/* CBLAS / LAPACKE glue: the one place that includes them, and the thread
 * budget handed to OpenBLAS. */
#ifndef MLC_INTERNAL_BLAS_H
#define MLC_INTERNAL_BLAS_H
#include <cblas.h>
#include <lapacke.h>

/* Let BLAS calls made from serial code use `n` threads (resolved count).
 * Inside an OpenMP parallel region OpenBLAS (OpenMP build) runs serially by
 * itself, so the two never oversubscribe. */
void mlc_blas_set_threads(int n);

#endif
