/* Silhouette internals shared by lib/metrics/silhouette*.c: the plan (samples
 * ordered by cluster), the distance-tile kernels and the two engines that
 * produce each sample's per-cluster distance sums. */
#ifndef MLC_INTERNAL_METRICS_SILHOUETTE_H
#define MLC_INTERNAL_METRICS_SILHOUETTE_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/matrix.h"

typedef struct mlc_sil_plan {
    const mlc_matrix *X;
    size_t n, d, k;
    const int32_t *code;  /* cluster of each sample, 0..k-1 */
    const size_t *perm;   /* sorted position -> sample (by cluster, stable) */
    const size_t *start;  /* cluster c occupies positions start[c] .. start[c+1] */
    const size_t *where;  /* sample -> sorted position */
    const double *sq;     /* squared row norms, by sample */
    int simd;             /* the kernels' form: MLC_SIMD_* of internal/hot.h */
} mlc_sil_plan;

/* mlc_silhouette_samples with the kernels of a given level (no higher than
 * mlc_cpu_level()): lets the tests check every code path. */
int mlc_sil_samples_simd(const mlc_matrix *X, const int32_t *labels, int n_threads, int simd,
                         double *out);

/* Copy the rows at sorted positions [first, first + count) into buf (count x
 * d) and their squared norms into bsq. */
void mlc_sil_gather(const mlc_sil_plan *p, size_t first, size_t count, double *buf,
                    double *bsq);

/* dist (nr x nc, row stride nc) = sqrt(max(-2 a.b + |a|^2 + |b|^2, 0)) for
 * the nr rows of A (row stride lda) and the nc rows of Bt (contiguous): the
 * expansion of scikit-learn's euclidean_distances (mlc_sqdist_tile). */
void mlc_sil_distances(const mlc_sil_plan *p, const double *A, size_t lda, const double *asq,
                       size_t nr, const double *Bt, const double *bsq, size_t nc, double *dist);

/* Sum of x[0..n) (vectorised, fixed association). */
double mlc_sil_sum(const mlc_sil_plan *p, const double *x, size_t n);
/* acc[0..n) += x[0..n). */
void mlc_sil_add(const mlc_sil_plan *p, double *acc, const double *x, size_t n);

/* s(i) from sample i's per-cluster distance sums (k values); singletons and
 * 0/0 give 0 as scikit-learn's nan_to_num. */
double mlc_sil_value(const mlc_sil_plan *p, size_t sample, const double *sums);

/* Engines: out[i] = s(i) for every sample. The row-block engine needs
 * O(block x k) memory per thread; the pair engine computes each pair of
 * tiles once (half the distances) and keeps 2 n k sums. Both give results
 * independent of the thread count. */
int mlc_sil_run_blocks(const mlc_sil_plan *p, int threads, double *out);
int mlc_sil_run_pairs(const mlc_sil_plan *p, int threads, double *out);

#endif
