/* Decision values of a fitted kernel machine: the kernel between a block
 * of rows and every support vector as one GEMM, then each pair's sum over
 * the vectors of its two classes (algorithms/svm/svm_model.h). */
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/parallel.h"
#include "svm_math.h"
#include "svm_model.h"

#define BLOCK_ROWS 128
/* Work (rows x vectors x (features + 8)) below which prediction runs on one
 * thread: under a few milliseconds of work a team's start and barrier cost
 * more than they save (and far more on a machine whose other core is busy). */
#define PREDICT_PARALLEL_MIN 5e6

/* K(rows [r0, r0+b) of X, every support vector) into kb (b x n_sv). */
static void kernel_block(const svm_model *m, const mlc_matrix *X, size_t r0, size_t b, double *kb)
{
    size_t n_sv = m->n_sv, p = m->p;
    if (m->kernel.type == MLC_SVM_PRECOMPUTED) {
        for (size_t i = 0; i < b; i++) {
            const double *x = mlc_matrix_row(X, r0 + i);
            for (size_t s = 0; s < n_sv; s++)
                kb[i * n_sv + s] = x[m->support[s]];
        }
        return;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)b, (int)n_sv, (int)p, 1.0,
                mlc_matrix_row(X, r0), (int)X->stride, m->sv, (int)p, 0.0, kb, (int)n_sv);
    if (m->kernel.type != MLC_SVM_RBF) {
        svm_kernel_transform(&m->kernel, kb, b * n_sv);
        return;
    }
    for (size_t i = 0; i < b; i++) {
        const double *x = mlc_matrix_row(X, r0 + i);
        double xsq = 0.0;
        for (size_t f = 0; f < p; f++)
            xsq += x[f] * x[f];
        svm_rbf_exponents(kb + i * n_sv, m->sv_sq, xsq, m->kernel.gamma, 1, n_sv);
    }
    svm_exp_inplace(kb, b * n_sv);
}

/* Pair p = (i, j), i < j, in libsvm's order. */
static size_t pair_index(size_t K, size_t i, size_t j)
{
    return i * (2 * K - i - 1) / 2 + (j - i - 1);
}

/* Each pair's value for the b rows of kb; g holds b x (K - 1) values.
 * Class c's vectors carry one coefficient for each other class (row r of
 * coef: the pair with class r when r < c, with class r + 1 otherwise), so
 * one GEMM per class gives every pair's share of that class at once: each
 * product is a pair's term and none is computed for nothing, in K calls
 * rather than K (K - 1) matrix-vector products over the block. */
static void pair_values(const svm_model *m, const double *kb, size_t b, double *g, double *out)
{
    size_t n_sv = m->n_sv, P = m->n_pairs;
    if (m->n_class == 0) { /* regression, one class: one sum over every vector */
        for (size_t i = 0; i < b; i++)
            out[i] = -m->rho[0];
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)b, (int)n_sv, 1.0, kb, (int)n_sv, m->coef,
                    1, 1.0, out, 1);
        return;
    }
    size_t K = m->n_class, R = K - 1;
    for (size_t r = 0; r < b; r++)
        for (size_t p = 0; p < P; p++)
            out[r * P + p] = -m->rho[p];
    for (size_t c = 0; c < K; c++) {
        size_t s = m->sv_start[c], nc = m->sv_start[c + 1] - s;
        if (nc == 0)
            continue;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)b, (int)R, (int)nc, 1.0,
                    kb + s, (int)n_sv, m->coef + s, (int)n_sv, 0.0, g, (int)R);
        for (size_t r = 0; r < R; r++) {
            size_t other = r < c ? r : r + 1;
            size_t p = c < other ? pair_index(K, c, other) : pair_index(K, other, c);
            for (size_t i = 0; i < b; i++)
                out[i * P + p] += g[i * R + r];
        }
    }
}

int svm_decision_pairs(const svm_model *m, const mlc_matrix *X, double *out, int threads)
{
    size_t n = X->rows, n_sv = m->n_sv, blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    size_t b_max = n < BLOCK_ROWS ? n : BLOCK_ROWS;
    double work = (double)n * (double)n_sv * (double)(m->p + 8);
    int t = mlc_threads_for(threads, blocks, work, PREDICT_PARALLEL_MIN);
    /* per thread: the block's kernel values, then its GEMM outputs */
    size_t R = m->n_class > 1 ? m->n_class - 1 : 1, each = b_max * (n_sv + R);
    double *kb = malloc((size_t)(t > 0 ? t : 1) * (each > 0 ? each : 1) * sizeof *kb);
    if (!kb)
        return mlc_raise_nomem("the kernel values of a block of rows");
    mlc_blas_set_threads(1); /* the blocks are the parallel loop */
#pragma omp parallel for schedule(dynamic, 1) num_threads(t) if (t > 1)
    for (size_t q = 0; q < blocks; q++) {
        int me = 0;
#ifdef _OPENMP
        me = omp_get_thread_num();
#endif
        size_t r0 = q * BLOCK_ROWS, b = n - r0 < BLOCK_ROWS ? n - r0 : BLOCK_ROWS;
        double *k = kb + (size_t)me * each;
        kernel_block(m, X, r0, b, k);
        pair_values(m, k, b, k + b_max * n_sv, out + r0 * m->n_pairs);
    }
    free(kb);
    return MLC_OK;
}
