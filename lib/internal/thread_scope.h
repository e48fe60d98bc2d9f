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
 * The rule: a public function that can reach BLAS or mlc_blas_set_threads
 * (other than through another public function that does this) opens a scope
 * on entry and leaves it on its one exit. It is a thin wrapper around a
 * static function that holds the work, so every return path of the work
 * passes through the one leave:
 *
 *     int mlc_ridge_fit_multi(const mlc_ridge_params *p, const mlc_matrix *X,
 *                             const mlc_matrix *Y, const double *sw, mlc_ridge **out)
 *     {
 *         mlc_thread_scope scope = mlc_thread_scope_enter();
 *         return mlc_thread_scope_leave(&scope, ridge_fit(p, X, Y, sw, out));
 *     }
 *
 * A wrapper whose work is one call wraps that call. Plain C11: no cleanup
 * attribute (a GNU C extension), no macro. Code inside keeps setting the
 * BLAS count freely with mlc_blas_set_threads; the scope saves and
 * restores, it sets nothing itself. Nested scopes (the registry calling a
 * typed face, a cross-validation fold fitting through the registry) each
 * restore what their own entry saw, which the outermost one then finds
 * unchanged.
 * tests/test_threads.c fails if a public call leaves a setting changed.
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
/* Put them back (OpenBLAS's count first, since setting it also sets the
 * OpenMP count, then the OpenMP count) and return `status`, the wrapped
 * call's, so a wrapper leaves and returns in one statement. */
int mlc_thread_scope_leave(const mlc_thread_scope *scope, int status);

#endif
