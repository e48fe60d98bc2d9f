/* NumPy's pairwise summation (lib/internal/numpy_sum.h). */
#include "internal/numpy_sum.h"

/* NumPy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src): blocks of
 * at most 128 values summed with 8 accumulators, halves above that. np.sum
 * applies it to blocks of MLC_NUMPY_BUFSIZE elements. */
static double pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (size_t j = 0; j < 8; j++)
            r[j] = a[j];
        size_t i;
        for (i = 8; i < n - (n % 8); i += 8)
            for (size_t j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double mlc_sum_pairwise(const double *a, size_t n)
{
    if (n <= MLC_NUMPY_BUFSIZE)
        return pairwise(a, n);
    /* NumPy reduces long arrays in buffer-sized blocks, added one by one. */
    double s = 0.0;
    for (size_t i = 0; i < n; i += MLC_NUMPY_BUFSIZE)
        s += pairwise(a + i, n - i < MLC_NUMPY_BUFSIZE ? n - i : MLC_NUMPY_BUFSIZE);
    return s;
}
