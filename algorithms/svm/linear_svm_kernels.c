/* The forms of the linear SVM solvers' inner product, and their axpy
 * (algorithms/svm/linear_svm_dot.h). */
#include "linear_svm_dot.h"
#include "linear_svm_solvers.h"

MLC_WIDE_EXACT static double dot_wide(const double *x, const double *w, size_t p)
{
    return lsvm_dot_body(8, x, w, p);
}

MLC_NARROW_EXACT static double dot_narrow(const double *x, const double *w, size_t p)
{
    return lsvm_dot_body(4, x, w, p);
}

MLC_REFERENCE_EXACT static double dot_reference(const double *x, const double *w, size_t p)
{
    return lsvm_dot_body(1, x, w, p);
}

lsvm_dot_fn *lsvm_dot_form(int level)
{
    return level >= MLC_SIMD_512 ? dot_wide : level == MLC_SIMD_256 ? dot_narrow : dot_reference;
}

MLC_HOT void lsvm_axpy(double a, const double *x, double *w, size_t p)
{
    for (size_t j = 0; j < p; j++)
        w[j] += a * x[j];
}
