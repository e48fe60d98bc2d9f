/* exp and tanh over arrays, in place: the transforms of the rbf and
 * sigmoid kernels, the bulk of a kernel row's cost. */
#ifndef MLC_SVM_MATH_H
#define MLC_SVM_MATH_H
#include <stddef.h>

void svm_exp_inplace(double *v, size_t n);
void svm_tanh_inplace(double *v, size_t n);

#endif
