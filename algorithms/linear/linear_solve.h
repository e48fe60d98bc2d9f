/* Closed-form solvers shared by LinearRegression, Ridge and RidgeCV:
 * Cholesky with condition estimate, SVD ridge, minimum-norm least squares
 * (gelsd), non-negative least squares, and the two complete solves
 * (OLS and ridge) that pick among them.
 *
 * Layouts: symmetric matrices are full n x n arrays; right-hand sides and
 * coefficients are k x p row-major (row t belongs to target t); column-major
 * copies of X~ come from mlc_lin_copy_colmajor. */
#ifndef MLC_INTERNAL_LINEAR_SOLVE_H
#define MLC_INTERNAL_LINEAR_SOLVE_H
#include <stddef.h>
#include "linear_prep.h"

/* Cholesky factor of A (n x n, overwritten). With `scale` non-NULL, A is
 * first equilibrated to S A S, scale_j = 1/sqrt(A_jj) (returned).
 * rcond (optional) gets LAPACK's estimate of the reciprocal 1-norm condition
 * number of the (equilibrated) matrix. Returns MLC_ESING without raising a
 * message when A is not positive definite (callers choose a fallback). */
int mlc_lin_cholesky(double *A, size_t n, double *scale, double *rcond);
/* B (k right-hand sides of length n, row-major k x n) <- A^{-1} B with a
 * factor from mlc_lin_cholesky (same `scale`, or NULL). */
void mlc_lin_cholesky_solve(const double *F, size_t n, const double *scale, double *B, size_t k);

/* Ridge through the SVD of X~ (Xc: n x p column-major, destroyed):
 * coef_t = V diag(s / (s^2 + alpha_t)) U'y_t, singular values <= 1e-15
 * dropped (scikit-learn's _solve_svd). Yc: n x k column-major. */
int mlc_lin_svd_ridge(double *Xc, size_t n, size_t p, const double *Yc, size_t k,
                      const double *alphas, double *coef);

/* Minimum-norm least squares through LAPACK gelsd with rcond = machine
 * epsilon (scipy.linalg.lstsq). Xc: n x p column-major (destroyed); B:
 * k columns of length ldb >= max(n, p) holding Y~ (destroyed). rank and sv
 * (min(n, p) singular values, descending) may be NULL. */
int mlc_lin_lstsq(double *Xc, size_t n, size_t p, double *B, size_t ldb, size_t k, double *coef,
                  long *rank, double *sv);

/* Non-negative least squares in normal-equation form:
 * min 1/2 w'Aw - b'w subject to w >= 0 (A symmetric positive semidefinite,
 * p x p), by Lawson and Hanson's active-set method. */
int mlc_lin_nnls(const double *A, const double *b, size_t p, double *w);

/* Ordinary least squares on a data view: coef (k x p), rank and sv
 * (min(n, p) values) as scipy.linalg.lstsq reports them. Well-conditioned
 * designs take the Gram/Cholesky path (with iterative refinement when the
 * equilibrated Gram matrix is moderately ill-conditioned); singular or
 * ill-conditioned ones the gelsd path on a centred copy. */
int mlc_lin_ols_solve(mlc_lin_data *d, double *coef, long *rank, double *sv);

/* Ridge from X~'X~ (G, p x p, not modified) and X~'Y~ (B, k x p, replaced
 * by the coefficients): a Cholesky solve of G + alpha_t I per run of equal
 * alphas. MLC_ESING (no message) when a system is not positive definite. */
int mlc_lin_ridge_from_gram(const double *G, size_t p, const double *alphas, size_t k,
                            double *B);

/* Ridge on a data view: one alpha per target (k values). solver as
 * mlc_ridge_solver; positive solves the non-negative problem. */
int mlc_lin_ridge_solve(mlc_lin_data *d, const double *alphas, int solver, int positive,
                        double *coef);

#endif
