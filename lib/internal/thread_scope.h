/* The thread scope: a public call leaves its caller's thread settings as it
 * found them.
 *
 * Two process settings change while the library runs BLAS:
 * - OpenBLAS's thread count (openblas_get_num_threads), one per process. The
 *   library sets it (mlc_blas_set_threads: 1 for bit-identical LAPACK, the
 *   call's budget for big products), and OpenBLAS's OpenMP build resets it
 *   to the calling thread's OpenMP count whenever a threaded BLAS call runs
 *   outside a parallel region.
 * - The calling thread's OpenMP count (omp_get_max_threads, the nthreads-var
 *   ICV that sizes its `#pragma omp parallel` regions): the OpenMP build's
 *   openblas_set_num_threads sets it too. Unrestored, a program that fitted
 *   with n_threads = 1 ran its own parallel regions on one thread.
 *
 * The rule: every public function that can reach BLAS or mlc_blas_set_threads
 * (other than through another public function that does this) opens a scope
 * on entry - MLC_THREAD_SCOPE() as its first line - and the scope puts both
 * settings back on every return path. Code inside keeps setting the BLAS
 * count freely with mlc_blas_set_threads; the scope saves and restores, it
 * sets nothing itself. Nested scopes (the registry calling a typed face, a
 * cross-validation fold fitting through the registry) each restore what
 * their own entry saw, which the outermost one then finds unchanged.
 *
 * Cost: entering reads both counts; leaving reads them again and calls a
 * setter only for a count that changed (openblas_set_num_threads costs
 * about 0.1 us, the reads a few ns). The OpenBLAS count is global to the
 * process: threads that call the library concurrently with different
 * settings race on it, as they would calling openblas_set_num_threads. */
#ifndef MLC_INTERNAL_THREAD_SCOPE_H
#define MLC_INTERNAL_THREAD_SCOPE_H

typedef struct mlc_thread_scope {
    int omp;  /* the caller's omp_get_max_threads() (1 without OpenMP) */
    int blas; /* the caller's openblas_get_num_threads() */
} mlc_thread_scope;

/* Save the caller's settings. */
mlc_thread_scope mlc_thread_scope_enter(void);
/* Put them back: OpenBLAS's count first, since setting it also sets the
 * OpenMP count, then the OpenMP count. */
void mlc_thread_scope_leave(mlc_thread_scope *scope);

/* A scope for the rest of the enclosing block: left when the block exits,
 * however it exits (return, goto out of it, end of block). `cleanup` is a
 * GNU C attribute that gcc and clang both have; `unused` because clang
 * counts a variable that is only cleaned up as unused. */
#define MLC_THREAD_SCOPE()                                                                  \
    mlc_thread_scope mlc_thread_scope_                                                      \
        __attribute__((cleanup(mlc_thread_scope_leave), unused)) = mlc_thread_scope_enter()

#endif
