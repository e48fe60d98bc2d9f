/* Small Cholesky factorisations, solves and inverses (see
 * lib/internal/small_chol.h). */
#include <math.h>
#include "internal/small_chol.h"

int mlc_chol_small(double *A, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double *rj = A + j * n, d = rj[j];
        if (!(d > 0.0) || isinf(d))
            return 0;
        d = sqrt(d);
        rj[j] = d;
        for (size_t l = j + 1; l < n; l++)
            rj[l] /= d;
        for (size_t i = j + 1; i < n; i++) {
            double *ri = A + i * n, f = rj[i];
            for (size_t l = i; l < n; l++)
                ri[l] -= f * rj[l];
        }
    }
    return 1;
}

void mlc_chol_small_solve(const double *R, size_t n, double *b)
{
    for (size_t i = 0; i < n; i++) { /* R' z = b, column by column */
        const double *ri = R + i * n;
        double z = b[i] / ri[i];
        b[i] = z;
        for (size_t l = i + 1; l < n; l++)
            b[l] -= ri[l] * z;
    }
    for (size_t i = n; i-- > 0;) { /* R x = z */
        const double *ri = R + i * n;
        double s = b[i];
        for (size_t l = i + 1; l < n; l++)
            s -= ri[l] * b[l];
        b[i] = s / ri[i];
    }
}

void mlc_tri_upper_inverse(const double *R, size_t n, double *Rinv)
{
    /* column j of R^{-1} from the bottom up: X_jj = 1 / R_jj,
     * X_ij = -(sum_{i < k <= j} R_ik X_kj) / R_ii */
    for (size_t j = 0; j < n; j++) {
        for (size_t i = j + 1; i < n; i++)
            Rinv[i * n + j] = 0.0;
        Rinv[j * n + j] = 1.0 / R[j * n + j];
        for (size_t i = j; i-- > 0;) {
            double s = 0.0;
            for (size_t k = i + 1; k <= j; k++)
                s += R[i * n + k] * Rinv[k * n + j];
            Rinv[i * n + j] = -s / R[i * n + i];
        }
    }
}
