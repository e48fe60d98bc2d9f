/* The shared dense matrix type: row-major double with a row stride.
 *
 * `stride` is the distance in elements between the starts of two rows
 * (>= cols); it is passed straight to CBLAS/LAPACKE as the leading dimension.
 * Views (row ranges, submatrices, wrapped caller arrays) are returned by value,
 * do not own their data and need no clear; mlc_matrix_clear() on a view only
 * resets it. Owned matrices (mlc_matrix_alloc, _copy, _gather_rows, the
 * readers of io.h) are filled structs (mlcore.h): release them with
 * mlc_matrix_clear(). Allocated buffers are 64-byte aligned; the NPY reader
 * may instead hand out a mapped file (MLC_MATRIX_MAPPED, io.h), whose data
 * is 8-byte aligned (64 for files numpy wrote). Release an owned matrix only
 * with mlc_matrix_clear, never free(m.data).
 *
 * NULL arguments follow mlcore.h: the fallible functions return MLC_EINVAL
 * (also for a matrix without data that has rows and columns), the views of a
 * NULL matrix are empty; only the inline accessors below check nothing. None
 * keeps a pointer to its arguments. */
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
    int owns;      /* MLC_MATRIX_VIEW, _ALLOCATED or _MAPPED */
} mlc_matrix;

/* What a matrix's data is, in `owns`: nonzero means mlc_matrix_clear must
 * release it. */
#define MLC_MATRIX_VIEW 0      /* borrowed: a view, or a caller's array */
#define MLC_MATRIX_ALLOCATED 1 /* allocated by the library (mlc_matrix_alloc ...) */
#define MLC_MATRIX_MAPPED 2    /* a private mapping of a file (mlc_npy_read) */

/* A strided vector (e.g. one column of a matrix). */
typedef struct mlc_vector {
    size_t len;
    size_t stride;
    double *data;
} mlc_vector;

/* Element access and the start of row i for the library's inner loops: no
 * check at all (a NULL test here costs the hot loops), m must be valid. */
#define MLC_AT(m, i, j) ((m)->data[(size_t)(i) * (m)->stride + (size_t)(j)])

static inline double *mlc_matrix_row(const mlc_matrix *m, size_t i)
{
    return m->data + i * m->stride;
}

/* Allocate a rows x cols matrix of zeros (stride = cols) into *m (a filled
 * struct: mlc_matrix_clear releases it). rows or cols may be 0 (then data may
 * be NULL). Errors: MLC_ENOMEM only; *m is then left empty. */
MLC_API int mlc_matrix_alloc(mlc_matrix *m, size_t rows, size_t cols);
/* Release an owned matrix and reset *m to empty. Safe on views, on an empty
 * matrix and on NULL. */
MLC_API void mlc_matrix_clear(mlc_matrix *m);

/* Views: they borrow the array or matrix they look into, which must outlive
 * them. View of a caller's array (stride = cols when stride is 0). */
MLC_API mlc_matrix mlc_matrix_wrap(double *data, size_t rows, size_t cols, size_t stride);
/* View of rows [first, first+count). Clamped to the matrix. */
MLC_API mlc_matrix mlc_matrix_rows(const mlc_matrix *m, size_t first, size_t count);
/* View of the block starting at (row, col). Clamped to the matrix. */
MLC_API mlc_matrix mlc_matrix_submatrix(const mlc_matrix *m, size_t row, size_t col,
                                        size_t rows, size_t cols);
/* View of column j as a strided vector. */
MLC_API mlc_vector mlc_matrix_column(const mlc_matrix *m, size_t j);

/* Owned, compact (stride = cols) copy into *dst, which must not own memory
 * (it is overwritten). Errors: MLC_ENOMEM; *dst is left empty after any
 * failure. */
MLC_API int mlc_matrix_copy(const mlc_matrix *src, mlc_matrix *dst);
/* Owned matrix of the rows src[idx[0]], src[idx[1]], ... (for CV folds) into
 * *dst, as mlc_matrix_copy. Errors: MLC_ERANGE (an index >= src->rows),
 * MLC_ENOMEM; *dst is left empty after any failure. */
MLC_API int mlc_matrix_gather_rows(const mlc_matrix *src, const size_t *idx, size_t n,
                                   mlc_matrix *dst);
/* Gather elements of a plain vector: dst[k] = src[idx[k]] (dst: n values,
 * caller allocated). Errors: MLC_ERANGE (an index >= len; dst is then
 * partly written). */
MLC_API int mlc_vector_gather(const double *src, size_t len, const size_t *idx, size_t n,
                              double *dst);

/* MLC_OK if every element is finite; MLC_ENONFINITE naming `what` (NULL:
 * "matrix" / "array"), the row and the column otherwise. */
MLC_API int mlc_matrix_check_finite(const mlc_matrix *m, const char *what);
/* Same for a plain array of n doubles. */
MLC_API int mlc_array_check_finite(const double *x, size_t n, const char *what);

#ifdef __cplusplus
}
#endif

#endif
