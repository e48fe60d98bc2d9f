/* CBLAS / LAPACKE glue: the one place that includes them, and the thread
 * budget handed to OpenBLAS. */
#ifndef MLC_INTERNAL_BLAS_H
#define MLC_INTERNAL_BLAS_H
#include <cblas.h>
#include <lapacke.h>

/* Let BLAS calls made from serial code use `n` threads (resolved count).
 * Inside an OpenMP parallel region OpenBLAS (OpenMP build) runs serially by
 * itself, so the two never oversubscribe. Call it only inside a thread scope
 * (internal/thread_scope.h): it changes the caller's settings, which the
 * scope puts back. */
void mlc_blas_set_threads(int n);

#endif
