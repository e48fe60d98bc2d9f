/* Squared Euclidean distances: the one module that every distance in the
 * library goes through (k-means, silhouette, the public mlc_sq_distances,
 * hierarchical clustering, and the kernel rows and neighbour queries to
 * come).
 *
 * Three forms (the third, feature-major columns, below):
 *  - direct, for one pair or a few features: sum of (x_f - y_f)^2;
 *  - tiles, for blocks of rows: the expansion ||a||^2 - 2 a.b + ||b||^2
 *    with the products in one GEMM and the norms added in a vector pass,
 *    in scikit-learn's order ((-2 a.b + ||a||^2) + ||b||^2), clamped at 0.
 *    The expansion loses digits when a and b are close relative to their
 *    norms, as scikit-learn's euclidean_distances does; callers that need
 *    more centre their data first. */
#ifndef MLC_INTERNAL_SQDIST_H
#define MLC_INTERNAL_SQDIST_H
#include <stddef.h>

/* ||x - y||^2 over p features in four interleaved sums (four dependency
 * chains instead of one), folded as (s0 + s2) + (s1 + s3), then the last
 * p % 4 features. */
static inline double mlc_sqdist_direct(const double *x, const double *y, size_t p)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t f = 0;
    for (; f + 4 <= p; f += 4) {
        double v0 = x[f] - y[f], v1 = x[f + 1] - y[f + 1];
        double v2 = x[f + 2] - y[f + 2], v3 = x[f + 3] - y[f + 3];
        s0 += v0 * v0;
        s1 += v1 * v1;
        s2 += v2 * v2;
        s3 += v3 * v3;
    }
    double s = (s0 + s2) + (s1 + s3);
    for (; f < p; f++) {
        double v = x[f] - y[f];
        s += v * v;
    }
    return s;
}

/* out[k] = ||T_k - c||^2 for m points stored feature by feature (feature f
 * of point k at T[f * ld + k]), each summed over the features in order, as
 * scikit-learn's DistanceMetric sums it: one point against many in vector
 * lanes, for a scan that compares one row with all the others (Prim's
 * spanning tree, the ward chain over centroids). */
void mlc_sqdist_columns(const double *T, size_t ld, size_t d, const double *c, size_t m,
                        double *out);

/* v[k] = sqrt(v[k]) for k < n (v[k] >= 0 or NaN), in the vector form
 * `level` names (MLC_SIMD_* of internal/hot.h, at most mlc_cpu_level());
 * every form takes the correctly rounded root, so all give the same bits.
 * mlc_sqrt_inplace picks the CPU's form. */
void mlc_sqrt_form(int level, double *v, size_t n);
void mlc_sqrt_inplace(double *v, size_t n);
/* out[i * ldo + j] (i < nr, j < nc) = max((-2 A_i.B_j + asq[i]) + bsq[j], 0)
 * for the nr rows of A (row stride lda) and the nc rows of B (row stride
 * ldb) over d features; with `root`, its square root instead (the
 * Euclidean distance). asq / bsq are the rows' squared norms. One GEMM on
 * the calling thread's BLAS budget, then the epilogue in the vector form
 * `level` names (MLC_SIMD_* of internal/hot.h, at most mlc_cpu_level()).
 * Every form gives the same bits without `root`; with it, the AVX-512 form
 * takes its square roots from a refined reciprocal estimate (within 3 ulp)
 * at about four times the throughput. */
void mlc_sqdist_tile(int level, const double *A, size_t lda, const double *asq, size_t nr,
                     const double *B, size_t ldb, const double *bsq, size_t nc, size_t d,
                     double *out, size_t ldo, int root);

#endif
