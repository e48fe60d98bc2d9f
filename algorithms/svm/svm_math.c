/* exp and tanh over arrays (algorithms/svm/svm_math.h). */
#include <math.h>
#include "svm_math.h"

void svm_exp_inplace(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = exp(v[i]);
}

void svm_tanh_inplace(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = tanh(v[i]);
}
