/* Cholesky factorisation, solves and triangular inverse of small matrices
 * in plain loops (lib/core/small_chol.c). LAPACK's per-call costs (argument and
 * NaN checks, workspace, the blocked drivers) were most of the time of the
 * 4 x 4 and 10 x 10 systems that Gaussian mixtures and linear models on
 * small data factor at every step; above MLC_SMALL_CHOL_MAX, LAPACK. */
#ifndef MLC_INTERNAL_SMALL_CHOL_H
#define MLC_INTERNAL_SMALL_CHOL_H
#include <stddef.h>

#define MLC_SMALL_CHOL_MAX 32

/* A (n x n, row-major) = R'R with R upper triangular, written over A's
 * upper triangle (the lower one is neither read nor written): the factor
 * LAPACK's dpotrf('L') gives in column-major storage. Right-looking, each
 * trailing row updated with contiguous loops. Returns 0 when A is not
 * positive definite (a pivot <= 0, infinite or NaN). */
int mlc_chol_small(double *A, size_t n);
/* b = (R'R)^{-1} b for R from mlc_chol_small. */
void mlc_chol_small_solve(const double *R, size_t n, double *b);
/* Rinv (n x n, row-major) = R^{-1} for upper triangular R (row-major), zeros
 * below the diagonal. */
void mlc_tri_upper_inverse(const double *R, size_t n, double *Rinv);

#endif
