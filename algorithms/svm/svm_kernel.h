/* Kernel functions of the kernel machines: linear <x,z>, poly
 * (gamma <x,z> + coef0)^degree, rbf exp(-gamma |x - z|^2), sigmoid
 * tanh(gamma <x,z> + coef0), and precomputed (the caller's n x n matrix).
 *
 * Values come a row segment at a time: the inner products of one row with
 * a block of rows are one BLAS GEMV, the squared norms are kept, and the
 * transform runs over the whole segment (docs/PARITY.md §5: the same
 * expansion libsvm trains with, |x|^2 + |z|^2 - 2 <x,z> for rbf). */
#ifndef MLC_SVM_KERNEL_H
#define MLC_SVM_KERNEL_H
#include <stddef.h>
#include "mlcore/svm.h"

typedef struct svm_kernel {
    mlc_svm_kernel_type type;
    int degree;
    double gamma, coef0;
} svm_kernel;

/* Rows a kernel is evaluated against: `rows` row-major (stride ld) with
 * their squared norms `sq` (rbf), or, for a precomputed kernel, the n x n
 * matrix whose row r holds K(r, .) and `index` maps positions to its
 * columns (NULL: position t is column t). */
typedef struct svm_rows {
    const double *x;
    size_t ld, p;
    const double *sq;    /* squared norms (rbf; NULL otherwise) */
    const size_t *index; /* precomputed: the training row of each position */
} svm_rows;

/* K(a, rows[j]) for j in [lo, hi) into out[0 .. hi-lo): `a` is a row of
 * p values with squared norm asq (rbf), or for a precomputed kernel the
 * kernel row of the point (n values, indexed through rows->index). */
void svm_kernel_segment(const svm_kernel *k, const double *a, double asq, const svm_rows *rows,
                        size_t lo, size_t hi, double *out);

/* K(a, a) for a row of p values (not precomputed). */
double svm_kernel_self(const svm_kernel *k, const double *a, size_t p);

/* The kernel's transform of inner products (or squared distances for rbf)
 * in place, the same for training and prediction. */
void svm_kernel_transform(const svm_kernel *k, double *v, size_t n);

/* v[j] = -gamma (asq + sq[j] - 2 v[j]) in place, from inner products v:
 * the rbf kernel's exponent, as svm_kernel_transform forms it from the
 * squared distance. clamp: a squared distance that rounding made negative
 * counts as 0 (prediction; training keeps libsvm's value). */
void svm_rbf_exponents(double *v, const double *sq, double asq, double gamma, int clamp,
                       size_t n);

/* Squared norms of n rows (stride ld). */
void svm_row_norms(const double *x, size_t n, size_t p, size_t ld, double *sq);

#endif
