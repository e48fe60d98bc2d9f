/* Thread-count control. OpenMP loops and OpenBLAS share one budget, so that
 * the two never oversubscribe the cores: parallel regions of the library call
 * BLAS single-threaded, and serial code lets BLAS use the budget. */
#ifndef MLCORE_THREADS_H
#define MLCORE_THREADS_H
#include "mlcore/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest thread budget a `n_threads` parameter takes (the parameter
 * tables' range is [0, MLC_THREADS_MAX]). */
#define MLC_THREADS_MAX 4096

/* Number of cores the process may use (measured once per process). Neither
 * function can fail. */
MLC_API int mlc_num_cores(void);
/* Resolve an `n_threads` parameter: 0 (or negative) means all cores. */
MLC_API int mlc_resolve_threads(int n_threads);

#ifdef __cplusplus
}
#endif

#endif
