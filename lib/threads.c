#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/blas.h"
#include "internal/parallel.h"
#include "mlcore/threads.h"

int mlc_num_cores(void)
{
#ifdef _OPENMP
    int n = omp_get_num_procs();
#else
    long n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
    return n > 0 ? (int)n : 1;
}

int mlc_resolve_threads(int n_threads)
{
    int cores = mlc_num_cores();
    if (n_threads <= 0)
        return cores;
    return n_threads;
}

void mlc_blas_set_threads(int n)
{
    if (n < 1)
        n = 1;
    /* Always set it: the OpenMP build of OpenBLAS sizes each call by the
     * calling thread's OpenMP ICV (omp_get_max_threads), which can differ
     * from openblas_get_num_threads(); skipping the call when the latter
     * already matched let a "1 thread" fit run threaded BLAS and spin up a
     * new team per call (10x slower cross-validation at n_threads = 1). */
    openblas_set_num_threads(n);
}

void mlc_parallel_parts(int threads, size_t count, mlc_part_body body, void *ctx)
{
    if (threads <= 1 || count <= 1) {
        for (size_t q = 0; q < count; q++)
            body(ctx, q);
        return;
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t q = 0; q < count; q++)
        body(ctx, q);
}
