/* Silhouette kernels: gathering rows, distance tiles (the core's
 * mlc_sqdist_tile with square roots), sums. On x86-64 CPUs with AVX2
 * (mlc_cpu_level, checked at run time) the sums use 4-wide vectors;
 * elsewhere portable scalar loops compute the same quantities. */
#include <math.h>
#include <string.h>
#include "internal/hot.h"
#include "internal/sqdist.h"
#include "silhouette.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SIL_HAVE_AVX2 1
#endif

void mlc_sil_gather(const mlc_sil_plan *p, size_t first, size_t count, double *buf,
                    double *bsq)
{
    for (size_t j = 0; j < count; j++) {
        size_t s = p->perm[first + j];
        memcpy(buf + j * p->d, mlc_matrix_row(p->X, s), p->d * sizeof *buf);
        bsq[j] = p->sq[s];
    }
}

/* ---------------------------------------------------------- scalar loops */

/* Four interleaved partial sums break the add latency chain. */
static double sum_scalar(const double *x, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        s0 += x[j];
        s1 += x[j + 1];
        s2 += x[j + 2];
        s3 += x[j + 3];
    }
    for (; j < n; j++)
        s0 += x[j];
    return (s0 + s1) + (s2 + s3);
}

static void add_scalar(double *acc, const double *x, size_t n)
{
    for (size_t j = 0; j < n; j++)
        acc[j] += x[j];
}

/* ------------------------------------------------------------ AVX2 loops */
#ifdef SIL_HAVE_AVX2
__attribute__((target("avx2"))) static double sum_avx2(const double *x, size_t n)
{
    __m256d a = _mm256_setzero_pd(), b = _mm256_setzero_pd();
    size_t j = 0;
    for (; j + 8 <= n; j += 8) {
        a = _mm256_add_pd(a, _mm256_loadu_pd(x + j));
        b = _mm256_add_pd(b, _mm256_loadu_pd(x + j + 4));
    }
    double l[4];
    _mm256_storeu_pd(l, _mm256_add_pd(a, b));
    double s = (l[0] + l[1]) + (l[2] + l[3]);
    for (; j < n; j++)
        s += x[j];
    return s;
}

__attribute__((target("avx2"))) static void add_avx2(double *acc, const double *x, size_t n)
{
    size_t j = 0;
    for (; j + 4 <= n; j += 4)
        _mm256_storeu_pd(acc + j,
                         _mm256_add_pd(_mm256_loadu_pd(acc + j), _mm256_loadu_pd(x + j)));
    add_scalar(acc + j, x + j, n - j);
}
#endif

/* --------------------------------------------------------------- dispatch */

void mlc_sil_distances(const mlc_sil_plan *p, const double *A, size_t lda, const double *asq,
                       size_t nr, const double *Bt, const double *bsq, size_t nc, double *dist)
{
    mlc_sqdist_tile(p->simd, A, lda, asq, nr, Bt, p->d, bsq, nc, p->d, dist, nc, 1);
}

double mlc_sil_sum(const mlc_sil_plan *p, const double *x, size_t n)
{
#ifdef SIL_HAVE_AVX2
    if (p->simd != MLC_SIMD_SCALAR)
        return sum_avx2(x, n);
#endif
    (void)p;
    return sum_scalar(x, n);
}

void mlc_sil_add(const mlc_sil_plan *p, double *acc, const double *x, size_t n)
{
#ifdef SIL_HAVE_AVX2
    if (p->simd != MLC_SIMD_SCALAR) {
        add_avx2(acc, x, n);
        return;
    }
#endif
    (void)p;
    add_scalar(acc, x, n);
}

double mlc_sil_value(const mlc_sil_plan *p, size_t sample, const double *sums)
{
    size_t own = (size_t)p->code[sample];
    double size_own = (double)(p->start[own + 1] - p->start[own]);
    double a = sums[own] / (size_own - 1.0); /* 0/0 = NaN for a singleton */
    double b = INFINITY;
    for (size_t c = 0; c < p->k; c++) {
        if (c == own)
            continue;
        double m = sums[c] / (double)(p->start[c + 1] - p->start[c]);
        if (m < b)
            b = m;
    }
    double v = (b - a) / (a > b ? a : b);
    return isnan(v) ? 0.0 : v; /* np.nan_to_num */
}
