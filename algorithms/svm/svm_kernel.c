/* Kernel functions (algorithms/svm/svm_kernel.h). */
#include <math.h>
#include "internal/blas.h"
#include "internal/hot.h"
#include "mlcore/linalg.h"
#include "svm_kernel.h"
#include "svm_math.h"

/* x^d by repeated squaring, as libsvm's powi (pow() rounds differently). */
static double powi(double x, int d)
{
    double r = 1.0;
    for (int t = d; t > 0; t /= 2) {
        if (t % 2 == 1)
            r *= x;
        x *= x;
    }
    return r;
}

void svm_kernel_transform(const svm_kernel *k, double *v, size_t n)
{
    switch (k->type) {
    case MLC_SVM_POLY:
        for (size_t j = 0; j < n; j++)
            v[j] = powi(k->gamma * v[j] + k->coef0, k->degree);
        break;
    case MLC_SVM_RBF:
        for (size_t j = 0; j < n; j++)
            v[j] = -k->gamma * v[j];
        svm_exp_inplace(v, n);
        break;
    case MLC_SVM_SIGMOID:
        for (size_t j = 0; j < n; j++)
            v[j] = k->gamma * v[j] + k->coef0;
        svm_tanh_inplace(v, n);
        break;
    default: /* linear: the inner products themselves */
        break;
    }
}

void svm_kernel_segment(const svm_kernel *k, const double *a, double asq, const svm_rows *rows,
                        size_t lo, size_t hi, double *out)
{
    size_t m = hi - lo;
    if (m == 0)
        return;
    if (k->type == MLC_SVM_PRECOMPUTED) {
        for (size_t j = 0; j < m; j++)
            out[j] = a[rows->index ? rows->index[lo + j] : lo + j];
        return;
    }
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)rows->p, 1.0, rows->x + lo * rows->ld,
                (int)rows->ld, a, 1, 0.0, out, 1);
    if (k->type != MLC_SVM_RBF) {
        svm_kernel_transform(k, out, m);
        return;
    }
    svm_rbf_exponents(out, rows->sq + lo, asq, k->gamma, 0, m); /* as libsvm trains */
    svm_exp_inplace(out, m);
}

/* One pass the compiler vectorises (the same operations as the squared
 * distance, then svm_kernel_transform's product, so the same bits). */
MLC_HOT static void rbf_exponents(double *v, const double *sq, double asq, double gamma,
                                  int clamp, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double d = asq + sq[j] - 2.0 * v[j];
        d = clamp && d < 0.0 ? 0.0 : d;
        v[j] = -gamma * d;
    }
}

void svm_rbf_exponents(double *v, const double *sq, double asq, double gamma, int clamp,
                       size_t n)
{
    rbf_exponents(v, sq, asq, gamma, clamp, n);
}

double svm_kernel_self(const svm_kernel *k, const double *a, size_t p)
{
    double v = 0.0; /* rbf: ||x - x||^2 = 0, whatever x */
    for (size_t j = 0; k->type != MLC_SVM_RBF && j < p; j++)
        v += a[j] * a[j];
    svm_kernel_transform(k, &v, 1);
    return v;
}

void svm_row_norms(const double *x, size_t n, size_t p, size_t ld, double *sq)
{
    mlc_matrix rows = mlc_matrix_wrap((double *)x, n, p, ld);
    mlc_row_sq_norms(&rows, sq);
}
