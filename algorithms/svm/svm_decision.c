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

/* Each pair's value for the b rows of kb. */
static void pair_values(const svm_model *m, const double *kb, size_t b, double *out)
{
    size_t n_sv = m->n_sv, P = m->n_pairs;
    if (m->n_class == 0) { /* regression, one class: one sum over every vector */
        for (size_t i = 0; i < b; i++)
            out[i] = -m->rho[0];
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)b, (int)n_sv, 1.0, kb, (int)n_sv, m->coef,
                    1, 1.0, out, 1);
        return;
    }
    /* Pair (i, j): the kernel columns of class i's vectors against their
     * coefficients for that pair, plus class j's: two matrix-vector
     * products over the block, each summed by BLAS. */
    size_t K = m->n_class;
    for (size_t r = 0; r < b; r++)
        for (size_t p = 0; p < P; p++)
            out[r * P + p] = -m->rho[p];
    size_t p = 0;
    for (size_t i = 0; i < K; i++)
        for (size_t j = i + 1; j < K; j++, p++) {
            const double *ci = m->coef + (j - 1) * n_sv, *cj = m->coef + i * n_sv;
            size_t si = m->sv_start[i], ni = m->sv_start[i + 1] - si;
            size_t sj = m->sv_start[j], nj = m->sv_start[j + 1] - sj;
            if (ni)
                cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)b, (int)ni, 1.0, kb + si,
                            (int)n_sv, ci + si, 1, 1.0, out + p, (int)P);
            if (nj)
                cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)b, (int)nj, 1.0, kb + sj,
                            (int)n_sv, cj + sj, 1, 1.0, out + p, (int)P);
        }
}

int svm_decision_pairs(const svm_model *m, const mlc_matrix *X, double *out, int threads)
{
    size_t n = X->rows, n_sv = m->n_sv, blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    size_t b_max = n < BLOCK_ROWS ? n : BLOCK_ROWS;
    double work = (double)n * (double)n_sv * (double)(m->p + 8);
    int t = mlc_threads_for(threads, blocks, work, PREDICT_PARALLEL_MIN);
    double *kb = malloc((size_t)(t > 0 ? t : 1) * (b_max * n_sv > 0 ? b_max * n_sv : 1) *
                        sizeof *kb);
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
        double *k = kb + (size_t)me * b_max * n_sv;
        kernel_block(m, X, r0, b, k);
        pair_values(m, k, b, out + r0 * m->n_pairs);
    }
    free(kb);
    return MLC_OK;
}
