#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/blas.h"
#include "internal/parallel.h"
#include "internal/thread_scope.h"
#include "mlcore/threads.h"

/* Counted once per process: omp_get_num_procs asks the kernel for the
 * affinity mask every time (a system call, half a microsecond of a 9 us
 * small-data fit). A process that narrows its affinity later keeps the
 * first count, as OpenMP's own default team size does. */
int mlc_num_cores(void)
{
    static int cached; /* 0 = not counted yet; a racing first count is harmless */
    int n = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (n > 0)
        return n;
#ifdef _OPENMP
    n = omp_get_num_procs();
#else
    long procs = sysconf(_SC_NPROCESSORS_ONLN);
    n = procs > 0 && procs < 4096 ? (int)procs : 1;
#endif
    if (n < 1)
        n = 1;
    __atomic_store_n(&cached, n, __ATOMIC_RELAXED);
    return n;
}

int mlc_resolve_threads(int n_threads)
{
    return n_threads > 0 ? n_threads : mlc_num_cores();
}

void mlc_blas_set_threads(int n)
{
    if (n < 1)
        n = 1;
    /* The OpenMP build of OpenBLAS sizes each call by the calling thread's
     * OpenMP ICV (omp_get_max_threads), which can differ from
     * openblas_get_num_threads(): skipping the call when only the latter
     * already matched let a "1 thread" fit run threaded BLAS and spin up a
     * new team per call (10x slower cross-validation at n_threads = 1).
     * Skipping when both match is safe, and saves the setter's 0.1 us on
     * every call after the first of a fit (the thread scope's restore costs
     * one more). */
#ifdef _OPENMP
    if (openblas_get_num_threads() == n && omp_get_max_threads() == n)
        return;
#endif
    openblas_set_num_threads(n);
}

mlc_thread_scope mlc_thread_scope_enter(void)
{
    mlc_thread_scope s;
#ifdef _OPENMP
    s.omp = omp_get_max_threads();
#else
    s.omp = 1;
#endif
    s.blas = openblas_get_num_threads();
    return s;
}

int mlc_thread_scope_leave(const mlc_thread_scope *s, int status)
{
    if (openblas_get_num_threads() != s->blas)
        openblas_set_num_threads(s->blas);
#ifdef _OPENMP
    if (omp_get_max_threads() != s->omp)
        omp_set_num_threads(s->omp);
#endif
    return status;
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
