#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/mem.h"
#include "mlcore/matrix.h"

int mlc_matrix_alloc(mlc_matrix *m, size_t rows, size_t cols)
{
    memset(m, 0, sizeof *m);
    if (cols != 0 && rows > SIZE_MAX / sizeof(double) / cols)
        return mlc_raise(MLC_ENOMEM, "matrix of %zu x %zu is too large", rows, cols);
    size_t n = rows * cols;
    if (n > 0) {
        m->data = mlc_aligned_calloc(n, sizeof(double));
        if (!m->data)
            return mlc_raise(MLC_ENOMEM, "out of memory allocating a %zu x %zu matrix", rows, cols);
    }
    m->rows = rows;
    m->cols = cols;
    m->stride = cols;
    m->owns = 1;
    return MLC_OK;
}

void mlc_matrix_free(mlc_matrix *m)
{
    if (!m)
        return;
    if (m->owns)
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
    mlc_vector v = {m->rows, m->stride, (m->data && j < m->cols) ? m->data + j : NULL};
    if (!v.data)
        v.len = 0;
    return v;
}

int mlc_matrix_copy(const mlc_matrix *src, mlc_matrix *dst)
{
    int st = mlc_matrix_alloc(dst, src->rows, src->cols);
    if (st)
        return st;
    for (size_t i = 0; i < src->rows; i++)
        memcpy(mlc_matrix_row(dst, i), mlc_matrix_row(src, i), src->cols * sizeof(double));
    return MLC_OK;
}

int mlc_matrix_gather_rows(const mlc_matrix *src, const size_t *idx, size_t n, mlc_matrix *dst)
{
    for (size_t k = 0; k < n; k++)
        if (idx[k] >= src->rows)
            return mlc_raise(MLC_ERANGE, "row index %zu is out of range for %zu rows", idx[k],
                             src->rows);
    int st = mlc_matrix_alloc(dst, n, src->cols);
    if (st)
        return st;
    for (size_t k = 0; k < n; k++)
        memcpy(mlc_matrix_row(dst, k), mlc_matrix_row(src, idx[k]), src->cols * sizeof(double));
    return MLC_OK;
}

int mlc_vector_gather(const double *src, size_t len, const size_t *idx, size_t n, double *dst)
{
    for (size_t k = 0; k < n; k++) {
        if (idx[k] >= len)
            return mlc_raise(MLC_ERANGE, "index %zu is out of range for length %zu", idx[k], len);
        dst[k] = src[idx[k]];
    }
    return MLC_OK;
}

/* x * 0 is 0 for a finite x and NaN otherwise, so a sum of them is non-zero
 * (NaN) exactly when some element is not finite. Eight independent sums let
 * the compiler vectorise without reassociating a single chain. */
static int row_all_finite(const double *r, size_t n)
{
    double a[8] = {0};
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; k++)
            a[k] += r[j + (size_t)k] * 0.0;
    for (; j < n; j++)
        a[0] += r[j] * 0.0;
    return (a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7]) == 0.0;
}

int mlc_matrix_check_finite(const mlc_matrix *m, const char *what)
{
    int contiguous = m->stride == m->cols;
    size_t rows = contiguous ? 1 : m->rows;
    size_t len = contiguous ? m->rows * m->cols : m->cols;
    for (size_t i = 0; i < rows; i++) {
        if (row_all_finite(m->data + i * m->stride, len))
            continue;
        /* Slow path: find and name the first offender. */
        for (size_t k = i * m->stride, end = k + (contiguous ? len : m->cols); k < end; k++) {
            if (isfinite(m->data[k]))
                continue;
            size_t off = contiguous ? k : k - i * m->stride;
            size_t row = contiguous ? off / (m->cols ? m->cols : 1) : i;
            size_t col = contiguous ? off % (m->cols ? m->cols : 1) : off;
            return mlc_raise(MLC_ENONFINITE, "%s contains %s at row %zu, column %zu", what,
                             isnan(m->data[k]) ? "NaN" : "infinity", row, col);
        }
    }
    return MLC_OK;
}

int mlc_array_check_finite(const double *x, size_t n, const char *what)
{
    mlc_matrix m = mlc_matrix_wrap((double *)x, n, 1, 1);
    return mlc_matrix_check_finite(&m, what);
}
