/* exp and tanh over arrays, in place: the transforms of the rbf and
 * sigmoid kernels, most of a kernel row's cost with libm's scalar calls.
 *
 * exp: x = k ln2 / 16 + r with k = round(16 x / ln2) and |r| <= ln2 / 32
 * (Cody & Waite's two-part ln2, so k ln2_hi / 16 is exact), 2^(k mod 16 / 16)
 * from a table of 16 (in two parts), exp(r) - 1 by its Taylor series to
 * degree 7, scaled by 2^floor(k / 16) in two steps so that subnormal results
 * round once (Tang's table-driven method). No branches; the vector forms
 * look the table up with a permute or a gather. Within 1 ulp of libm over
 * the whole range (tests/test_svm.c measures it); a third fewer operations
 * than the table-free degree-13 series it replaced.
 *
 * tanh (the sigmoid kernel): e / (e + 2) with e = expm1(2|x|), expm1 from
 * the same reduction without the cancellation of exp - 1; within a few ulp
 * of libm over the whole range (measured in the same test). */
#ifndef MLC_SVM_MATH_H
#define MLC_SVM_MATH_H
#include <stddef.h>

void svm_exp_inplace(double *v, size_t n);
/* One form (an mlc_cpu_level() value; tests run each against level 0). */
void svm_exp_form(int level, double *v, size_t n);
void svm_tanh_inplace(double *v, size_t n);
void svm_tanh_form(int level, double *v, size_t n);

#endif
