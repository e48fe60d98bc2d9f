/* The shared dense matrix type: row-major double with a row stride.
 *
 * `stride` is the distance in elements between the starts of two rows
 * (>= cols); it is passed straight to CBLAS/LAPACKE as the leading dimension.
 * Views (row ranges, submatrices, wrapped caller arrays) are returned by value,
 * do not own their data and need no free; mlc_matrix_clear() on a view only
 * resets it. Owned buffers are 64-byte aligned. */
#ifndef MLCORE_MATRIX_H
#define MLCORE_MATRIX_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mlc_matrix {
    size_t rows;
    size_t cols;
    size_t stride; /* elements between row starts, >= cols */
    double *data;
    int owns;      /* 1 if data was allocated by mlc_matrix_alloc */
} mlc_matrix;

/* A strided vector (e.g. one column of a matrix). */
typedef struct mlc_vector {
    size_t len;
    size_t stride;
    double *data;
} mlc_vector;

/* Element access; no bounds check. */
#define MLC_AT(m, i, j) ((m)->data[(size_t)(i) * (m)->stride + (size_t)(j)])

static inline double *mlc_matrix_row(const mlc_matrix *m, size_t i)
{
    return m->data + i * m->stride;
}

/* Allocate a rows x cols matrix of zeros (stride = cols). rows or cols may be
 * 0 (then data may be NULL). On failure *m is left empty. */
MLC_API int mlc_matrix_alloc(mlc_matrix *m, size_t rows, size_t cols);
/* Release an owned matrix; resets *m to empty. Safe on views and NULL. */
MLC_API void mlc_matrix_clear(mlc_matrix *m);

/* View of a caller's array (stride = cols when stride is 0). */
MLC_API mlc_matrix mlc_matrix_wrap(double *data, size_t rows, size_t cols, size_t stride);
/* View of rows [first, first+count). Clamped to the matrix. */
MLC_API mlc_matrix mlc_matrix_rows(const mlc_matrix *m, size_t first, size_t count);
/* View of the block starting at (row, col). Clamped to the matrix. */
MLC_API mlc_matrix mlc_matrix_submatrix(const mlc_matrix *m, size_t row, size_t col,
                                        size_t rows, size_t cols);
/* View of column j as a strided vector. */
MLC_API mlc_vector mlc_matrix_column(const mlc_matrix *m, size_t j);

/* Owned, compact (stride = cols) copy. *dst must not own memory. */
MLC_API int mlc_matrix_copy(const mlc_matrix *src, mlc_matrix *dst);
/* Owned matrix of the rows src[idx[0]], src[idx[1]], ... (for CV folds).
 * Indices out of range give MLC_ERANGE. */
MLC_API int mlc_matrix_gather_rows(const mlc_matrix *src, const size_t *idx, size_t n,
                                   mlc_matrix *dst);
/* Gather elements of a plain vector: dst[k] = src[idx[k]]. */
MLC_API int mlc_vector_gather(const double *src, size_t len, const size_t *idx, size_t n,
                              double *dst);

/* MLC_OK if every element is finite; MLC_ENONFINITE naming `what`, the row and
 * the column otherwise. */
MLC_API int mlc_matrix_check_finite(const mlc_matrix *m, const char *what);
/* Same for a plain array of n doubles. */
MLC_API int mlc_array_check_finite(const double *x, size_t n, const char *what);

#ifdef __cplusplus
}
#endif

#endif
