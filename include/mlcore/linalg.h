/* Dense kernels shared by the algorithms: row norms and pairwise squared
 * Euclidean distances through GEMM (||x||^2 - 2 x.c + ||c||^2), computed in
 * cache-sized row blocks. Outputs are caller allocated. */
#ifndef MLCORE_LINALG_H
#define MLCORE_LINALG_H
#include <stddef.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out[i] = ||X_i||^2 for every row (out: X->rows values). Cannot fail; does
 * nothing given NULL or a matrix without data. */
MLC_API void mlc_row_sq_norms(const mlc_matrix *X, double *out);

/* D (X.rows x C.rows, caller allocated) = squared distances between rows of X
 * and rows of C, clamped at 0. x_sq / c_sq are the precomputed squared row
 * norms, or NULL to compute them. n_threads as in the params (0 = all).
 * Errors: MLC_EBADLEN (X and C differ in columns, or D is not
 * X.rows x C.rows). */
MLC_API int mlc_sq_distances(const mlc_matrix *X, const double *x_sq, const mlc_matrix *C,
                             const double *c_sq, mlc_matrix *D, int n_threads);

/* Rows per block for a distance block against k centres, sized so one block
 * of distances stays in cache (used by the chunked algorithms). */
MLC_API size_t mlc_distance_block_rows(size_t k);

#ifdef __cplusplus
}
#endif

#endif
