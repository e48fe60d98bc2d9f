/* KMeans internals shared by algorithms/cluster/kmeans*.c and by the
 * Gaussian mixture (which starts from a k-means run on its own generator).
 *
 * Coordinates: a fit works in coordinates centred on the column mean m of X
 * (scikit-learn does the same); X itself is never copied. Centres are held
 * centred (c' = c - m) and rows are centred on the fly where needed. */
#ifndef MLC_INTERNAL_KMEANS_IMPL_H
#define MLC_INTERNAL_KMEANS_IMPL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/hot.h"
#include "internal/parallel.h"
#include "internal/progress.h"
#include "internal/sqdist.h"
#include "mlcore/cluster.h"
#include "mlcore/rng.h"

/* ---------------------------------------------------------------- kernel */

/* Centres laid out for the scoring kernel, in tiles of 8:
 *   score_j(x) = bias_j + sum_f x_f * ct_j[f],  bias_j = ||c'_j||^2 + 2 m.c'_j,
 *   ct_j = -2 c'_j,
 * so that score_j(x) = ||x - m - c'_j||^2 - ||x - m||^2 and the nearest centre
 * of a raw row x is the argmin of the scores (scikit-learn's ||c||^2 - 2 x.c
 * rule, lowest index on ties). Padding lanes have bias +inf. */
typedef struct mlc_km_centers {
    size_t k, p, ntiles;
    double *ct;   /* ntiles x p x 8 */
    double *bias; /* ntiles x 8 */
    int wide;     /* mlc_cpu_wide() at allocation: which kernel form runs */
} mlc_km_centers;

int mlc_km_centers_alloc(mlc_km_centers *c, size_t k, size_t p);
void mlc_km_centers_clear(mlc_km_centers *c);
/* C: k x p centres in coordinates centred on m (m NULL: uncentred). */
void mlc_km_centers_set(mlc_km_centers *c, const double *C, const double *m);

/* Score 8 raw rows (pointers; repeat a row to fill a short group) against
 * every centre: label[r] = argmin (lowest index on ties), best[r] / second[r]
 * = smallest and second smallest score (second = +inf when k = 1). `all`, if
 * not NULL, gets every score, centre-major: all[j * 8 + r]. The arithmetic of
 * a row's scores does not depend on the other rows of the group. For k <= 4
 * the scores run in 256-bit lanes (the same per-lane arithmetic: same bits,
 * half the work of a half-empty 8-lane tile). */
void mlc_km_score8(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
                   double best[8], double second[8], double *all);
/* For at most 4 centres (k-means++ candidates, a new centre): only `all`,
 * in 256-bit lanes. The same per-lane arithmetic as mlc_km_score8, so the
 * same numbers, at half its work where an 8-lane tile would be half empty. */
void mlc_km_scores_few(const double *const rows[8], const mlc_km_centers *c, double *all);
/* The two above in the form named (MLC_SIMD_* of internal/hot.h):
 * MLC_SIMD_512 (where mlc_cpu_wide()), MLC_SIMD_256, or the plain
 * reference: MLC_SIMD_SCALAR with every product fused by fma() (the bits
 * of the forms where they contract: FMA targets, -O2),
 * MLC_KM_PLAIN_REFERENCE with none (the forms' bits elsewhere). For the
 * tests. */
enum { MLC_KM_PLAIN_REFERENCE = -1 };
void mlc_km_score8_form(int form, const double *const rows[8], const mlc_km_centers *c,
                        int32_t label[8], double best[8], double second[8], double *all);
void mlc_km_scores_few_form(int form, const double *const rows[8], const mlc_km_centers *c,
                            double *all);

/* Load one byte of every cache line of rows [first, first + count) of X,
 * in address order, just before the kernel reads them. The kernel walks 8
 * rows side by side; by itself that pattern streams from memory at about
 * half the rate of a sequential read here (1e5 x 50: 3.2-3.8 ms a pass
 * against 1.6), and so did software prefetches issued a few groups ahead.
 * Touching the lines in order first keeps the stream sequential. */
static inline void mlc_km_touch_rows(const mlc_matrix *X, size_t first, size_t count)
{
    const char *line = (const char *)mlc_matrix_row(X, first);
    const char *end = (const char *)(mlc_matrix_row(X, first + count - 1) + X->cols);
    for (; line < end; line = (const char *)(((uintptr_t)line | 63u) + 1u))
        (void)*(volatile const char *)line;
}

/* Touching pays only for data streamed from memory: up to 8 MB (a quarter
 * of this machine's 32 MB L3) X stays in cache between passes, and the
 * touches only stall on its latency (blobs 1e4 x 50, 4 MB: a fit 7% faster
 * without them; 4e4 x 50, 16 MB: 12 ms with, 21 without; 8 MB: even). */
#define MLC_KM_TOUCH_MIN_DOUBLES ((size_t)1 << 20)

/* The kernel's group of nr (1..8) rows from `first`: row pointers (a short
 * group repeats its last row), lines touched in address order when X is
 * larger than the cache. */
static inline void mlc_km_group_rows(const mlc_matrix *X, size_t first, size_t nr,
                                     const double *rows[8])
{
    for (size_t t = 0; t < 8; t++)
        rows[t] = mlc_matrix_row(X, first + (t < nr ? t : nr - 1));
    if (X->rows * X->stride > MLC_KM_TOUCH_MIN_DOUBLES)
        mlc_km_touch_rows(X, first, nr);
}

/* ---------------------------------------------------------------- data */

/* The training data of one fit, in centred coordinates. */
typedef struct mlc_km_data {
    const mlc_matrix *X;  /* raw rows */
    const double *sw;     /* n weights, NULL = all ones */
    const double *mean;   /* p column means */
    double mean_norm;     /* ||mean|| */
    size_t n, p;
    int threads;          /* resolved thread budget */
    mlc_progress_ctx *progress; /* NULL: none */
} mlc_km_data;

/* ||x_i - m||^2 for every row (bounds, k-means++). */
void mlc_km_centred_sq_norms(const mlc_km_data *d, const mlc_parts *parts, double *out);

/* ------------------------------------------------------------- seeding */

/* Greedy k-means++ (scikit-learn's _kmeans_plusplus, sample weights
 * ignored as in 1.2): centres (k x p, centred) and, if not NULL, the chosen
 * row indices. x_sq (n, caller allocated) gets ||x_i - m||^2. */
int mlc_km_plusplus(const mlc_km_data *d, double *x_sq, size_t k, mlc_rng *rng,
                    double *centers, size_t *indices);
/* k distinct rows at random (rs.permutation(n)[:k]), centred. */
int mlc_km_random_rows(const mlc_km_data *d, size_t k, mlc_rng *rng, double *centers);

/* ------------------------------------------------------------- the fit */

/* mlc_kmeans_fit reporting to `progress` (the registry's fit). */
int mlc_km_fit(const mlc_kmeans_params *p, const mlc_matrix *X, const double *sample_weight,
               mlc_progress_ctx *progress, mlc_kmeans **out);

/* ----------------------------------------------------------- one run */

typedef struct mlc_km_result {
    double *centers;   /* k x p, centred (caller allocated) */
    int32_t *labels;   /* n (caller allocated) */
    double inertia;
    long n_iter;
    int converged;     /* stopped by a rule before max_iter */
} mlc_km_result;

/* One k-means run from `init` (k x p, centred) with the given algorithm.
 * tol is already scaled (scikit-learn's _tol). */
int mlc_km_single_run(const mlc_km_data *d, const double *init, size_t k, int algorithm,
                      long max_iter, double tol, mlc_km_result *res);

#endif
