#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/file_map.h"
#include "internal/hot.h"
#include "internal/mem.h"
#include "internal/validate.h"
#include "mlcore/threads.h"
#include "mlcore/matrix.h"

/* A rows x cols matrix, zero-filled unless the caller writes every entry
 * (a copy: zeroing first was a second pass over fresh pages). */
static int matrix_alloc(mlc_matrix *m, size_t rows, size_t cols, int zero)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "output matrix is NULL");
    memset(m, 0, sizeof *m);
    if (cols != 0 && rows > SIZE_MAX / sizeof(double) / cols)
        return mlc_raise(MLC_ENOMEM, "matrix of %zu x %zu is too large", rows, cols);
    size_t n = rows * cols;
    if (n > 0) {
        m->data = zero ? mlc_aligned_calloc(n, sizeof(double))
                       : mlc_aligned_alloc(n, sizeof(double));
        if (!m->data)
            return mlc_raise(MLC_ENOMEM, "out of memory allocating a %zu x %zu matrix", rows, cols);
    }
    m->rows = rows;
    m->cols = cols;
    m->stride = cols;
    m->owns = MLC_MATRIX_ALLOCATED;
    return MLC_OK;
}

int mlc_matrix_alloc(mlc_matrix *m, size_t rows, size_t cols)
{
    return matrix_alloc(m, rows, cols, 1);
}

void mlc_matrix_clear(mlc_matrix *m)
{
    if (!m)
        return;
    if (m->owns == MLC_MATRIX_MAPPED)
        mlc_file_map_release(m->data);
    else if (m->owns)
        mlc_aligned_free(m->data);
    memset(m, 0, sizeof *m);
}

mlc_matrix mlc_matrix_wrap(double *data, size_t rows, size_t cols, size_t stride)
{
    mlc_matrix m = {rows, cols, stride ? stride : cols, data, 0};
    return m;
}

mlc_matrix mlc_matrix_rows(const mlc_matrix *m, size_t first, size_t count)
{
    if (!m)
        return (mlc_matrix){0};
    if (first > m->rows)
        first = m->rows;
    if (count > m->rows - first)
        count = m->rows - first;
    mlc_matrix v = {count, m->cols, m->stride, m->data ? m->data + first * m->stride : NULL, 0};
    return v;
}

mlc_matrix mlc_matrix_submatrix(const mlc_matrix *m, size_t row, size_t col, size_t rows,
                                size_t cols)
{
    if (!m)
        return (mlc_matrix){0};
    if (row > m->rows)
        row = m->rows;
    if (col > m->cols)
        col = m->cols;
    if (rows > m->rows - row)
        rows = m->rows - row;
    if (cols > m->cols - col)
        cols = m->cols - col;
    mlc_matrix v = {rows, cols, m->stride, m->data ? m->data + row * m->stride + col : NULL, 0};
    return v;
}

mlc_vector mlc_matrix_column(const mlc_matrix *m, size_t j)
{
    if (!m)
        return (mlc_vector){0};
    mlc_vector v = {m->rows, m->stride, (m->data && j < m->cols) ? m->data + j : NULL};
    if (!v.data)
        v.len = 0;
    return v;
}

/* A matrix that may be read: present, with data unless it is empty. */
static int check_readable(const mlc_matrix *m, const char *what)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "%s is NULL", what);
    if (!m->data && m->rows > 0 && m->cols > 0)
        return mlc_raise(MLC_EINVAL, "%s has no data", what);
    return MLC_OK;
}

int mlc_matrix_copy(const mlc_matrix *src, mlc_matrix *dst)
{
    if (!dst)
        return mlc_raise(MLC_EINVAL, "destination matrix is NULL");
    memset(dst, 0, sizeof *dst);
    int st = check_readable(src, "source matrix");
    if (st || (st = matrix_alloc(dst, src->rows, src->cols, 0)))
        return st;
    for (size_t i = 0; i < src->rows && src->cols > 0; i++)
        memcpy(mlc_matrix_row(dst, i), mlc_matrix_row(src, i), src->cols * sizeof(double));
    return MLC_OK;
}

int mlc_matrix_gather_rows(const mlc_matrix *src, const size_t *idx, size_t n, mlc_matrix *dst)
{
    if (!dst)
        return mlc_raise(MLC_EINVAL, "destination matrix is NULL");
    memset(dst, 0, sizeof *dst);
    int st = check_readable(src, "source matrix");
    if (st)
        return st;
    if (!idx && n > 0)
        return mlc_raise(MLC_EINVAL, "row indices are NULL");
    for (size_t k = 0; k < n; k++)
        if (idx[k] >= src->rows)
            return mlc_raise(MLC_ERANGE, "row index %zu is out of range for %zu rows", idx[k],
                             src->rows);
    if ((st = matrix_alloc(dst, n, src->cols, 0)))
        return st;
    for (size_t k = 0; k < n && src->cols > 0; k++)
        memcpy(mlc_matrix_row(dst, k), mlc_matrix_row(src, idx[k]), src->cols * sizeof(double));
    return MLC_OK;
}

int mlc_vector_gather(const double *src, size_t len, const size_t *idx, size_t n, double *dst)
{
    if (n > 0 && (!src || !idx || !dst))
        return mlc_raise(MLC_EINVAL, "%s is NULL",
                         !src ? "source vector" : !idx ? "indices" : "destination vector");
    for (size_t k = 0; k < n; k++) {
        if (idx[k] >= len)
            return mlc_raise(MLC_ERANGE, "index %zu is out of range for length %zu", idx[k], len);
        dst[k] = src[idx[k]];
    }
    return MLC_OK;
}

/* A double is not finite exactly when its 11 exponent bits are all ones;
 * adding one at the bottom of the exponent field then carries into the sign
 * bit. An OR of integers needs no ordered reduction, so this vectorizes and
 * runs at memory speed. */
MLC_HOT static int span_all_finite(const double *x, size_t n)
{
    const uint64_t exponent = 0x7ff0000000000000u, exponent_one = 0x0010000000000000u;
    uint64_t acc = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t u;
        memcpy(&u, x + j, sizeof u);
        acc |= (u & exponent) + exponent_one;
    }
    return !(acc >> 63);
}

/* Below this many values one thread scans faster than a team starts. */
#define MLC_FINITE_PARALLEL_MIN ((size_t)1 << 20)
#define MLC_FINITE_CHUNK ((size_t)1 << 16)

int mlc_matrix_all_finite(const mlc_matrix *m, int n_threads)
{
    size_t rows = m->rows, cols = m->cols;
    if (m->stride == cols) { /* contiguous: one long row */
        cols *= rows;
        rows = rows ? 1 : 0;
    }
    int threads = rows * cols < MLC_FINITE_PARALLEL_MIN ? 1 : mlc_resolve_threads(n_threads);
    if (threads == 1) {
        for (size_t i = 0; i < rows; i++)
            if (!span_all_finite(m->data + i * m->stride, cols))
                return 0;
        return 1;
    }
    size_t pieces = (cols + MLC_FINITE_CHUNK - 1) / MLC_FINITE_CHUNK;
    int bad = 0;
#pragma omp parallel for collapse(2) schedule(static) reduction(| : bad) num_threads(threads)
    for (size_t i = 0; i < rows; i++)
        for (size_t c = 0; c < pieces; c++) {
            size_t j = c * MLC_FINITE_CHUNK;
            size_t len = j + MLC_FINITE_CHUNK < cols ? MLC_FINITE_CHUNK : cols - j;
            bad |= !span_all_finite(m->data + i * m->stride + j, len);
        }
    return !bad;
}

int mlc_matrix_check_finite_mt(const mlc_matrix *m, const char *what, int n_threads)
{
    if (mlc_matrix_all_finite(m, n_threads))
        return MLC_OK;
    /* Slow path: find and name the first offender. */
    for (size_t i = 0; i < m->rows; i++) {
        const double *r = m->data + i * m->stride;
        for (size_t j = 0; j < m->cols; j++)
            if (!isfinite(r[j]))
                return mlc_raise(MLC_ENONFINITE, "%s contains %s at row %zu, column %zu", what,
                                 isnan(r[j]) ? "NaN" : "infinity", i, j);
    }
    return MLC_OK;
}

int mlc_matrix_check_finite(const mlc_matrix *m, const char *what)
{
    if (!what)
        what = "matrix";
    int st = check_readable(m, what);
    return st ? st : mlc_matrix_check_finite_mt(m, what, 1);
}

int mlc_array_check_finite(const double *x, size_t n, const char *what)
{
    if (!what)
        what = "array";
    if (!x && n > 0)
        return mlc_raise(MLC_EINVAL, "%s is NULL", what);
    mlc_matrix m = mlc_matrix_wrap((double *)x, n, 1, 1);
    return mlc_matrix_check_finite(&m, what);
}
