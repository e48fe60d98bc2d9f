/* Row norms and blocked squared distances (through the core distance
 * tiles of lib/core/sqdist.c). */
#include <stdlib.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/mem.h"
#include "internal/sqdist.h"
#include "internal/thread_scope.h"
#include "mlcore/linalg.h"
#include "mlcore/threads.h"

void mlc_row_sq_norms(const mlc_matrix *X, double *out)
{
    if (!X || !out || (!X->data && X->rows > 0))
        return;
    size_t i = 0, d = X->cols;
    /* Four rows at a time: four independent sums instead of one chain of
     * dependent adds; each row is still summed over its features in order
     * (libsvm's dot(x, x)), so the bits are those of the loop below. */
    for (; i + 4 <= X->rows; i += 4) {
        const double *r0 = mlc_matrix_row(X, i), *r1 = mlc_matrix_row(X, i + 1);
        const double *r2 = mlc_matrix_row(X, i + 2), *r3 = mlc_matrix_row(X, i + 3);
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (size_t j = 0; j < d; j++) {
            s0 += r0[j] * r0[j];
            s1 += r1[j] * r1[j];
            s2 += r2[j] * r2[j];
            s3 += r3[j] * r3[j];
        }
        out[i] = s0;
        out[i + 1] = s1;
        out[i + 2] = s2;
        out[i + 3] = s3;
    }
    for (; i < X->rows; i++) {
        const double *r = mlc_matrix_row(X, i);
        double s = 0.0;
        for (size_t j = 0; j < d; j++)
            s += r[j] * r[j];
        out[i] = s;
    }
}

size_t mlc_distance_block_rows(size_t k)
{
    /* Keep a block of distances (rows x k doubles) around 256 KiB. */
    size_t rows = (32768 + k - 1) / (k ? k : 1);
    if (rows < 16)
        rows = 16;
    if (rows > 1024)
        rows = 1024;
    return rows;
}

/* Present, with data unless empty. */
static int check_operand(const mlc_matrix *m, const char *what)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "%s matrix is NULL", what);
    if (!m->data && m->rows > 0 && m->cols > 0)
        return mlc_raise(MLC_EINVAL, "%s matrix has no data", what);
    return MLC_OK;
}

static int sq_distances(const mlc_matrix *X, const double *x_sq, const mlc_matrix *C,
                        const double *c_sq, mlc_matrix *D, int n_threads)
{
    int st;
    if ((st = check_operand(X, "points")) || (st = check_operand(C, "centres")) ||
        (st = check_operand(D, "distance")))
        return st;
    if (X->cols != C->cols)
        return mlc_raise(MLC_EBADLEN, "points have %zu columns but centres have %zu", X->cols,
                         C->cols);
    if (D->rows != X->rows || D->cols != C->rows)
        return mlc_raise(MLC_EBADLEN, "distance matrix is %zu x %zu, expected %zu x %zu", D->rows,
                         D->cols, X->rows, C->rows);
    if (X->rows == 0 || C->rows == 0)
        return MLC_OK;
    double *xs = NULL, *cs = NULL;
    if (!x_sq) {
        xs = malloc(X->rows * sizeof *xs);
        if (!xs)
            return mlc_raise_nomem("row norms");
        mlc_row_sq_norms(X, xs);
        x_sq = xs;
    }
    if (!c_sq) {
        cs = malloc(C->rows * sizeof *cs);
        if (!cs) {
            free(xs);
            return mlc_raise_nomem("row norms");
        }
        mlc_row_sq_norms(C, cs);
        c_sq = cs;
    }
    size_t block = mlc_distance_block_rows(C->rows);
    size_t nblocks = (X->rows + block - 1) / block;
    int threads = mlc_resolve_threads(n_threads);
    if (nblocks < 2 || X->cols == 0)
        threads = 1;
    int level = mlc_cpu_level();
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (size_t b = 0; b < nblocks; b++) {
        size_t r0 = b * block;
        size_t nr = X->rows - r0 < block ? X->rows - r0 : block;
        mlc_sqdist_tile(level, mlc_matrix_row(X, r0), X->stride, x_sq + r0, nr, C->data,
                        C->stride, c_sq, C->rows, X->cols, mlc_matrix_row(D, r0), D->stride, 0);
    }
    free(xs);
    free(cs);
    return MLC_OK;
}

int mlc_sq_distances(const mlc_matrix *X, const double *x_sq, const mlc_matrix *C,
                     const double *c_sq, mlc_matrix *D, int n_threads)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, sq_distances(X, x_sq, C, c_sq, D, n_threads));
}
