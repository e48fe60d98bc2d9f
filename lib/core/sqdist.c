/* Distance tiles (lib/internal/sqdist.h): one GEMM, then the norms added,
 * the clamp and (for distances) the square root in one vector pass. Fusing
 * the square root into the pass made the silhouette's tiles twice as fast
 * as squared distances followed by a separate square-root loop. */
#include <math.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/hot.h"
#include "internal/vec.h"
#include "internal/sqdist.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SQDIST_HAVE_X86 1
#endif

/* The reference form: row[j] = max((row[j] + asq) + bsq[j], 0), its square
 * root with `root`. Every other form is tested against it. */
static void epilogue_scalar(double *row, const double *bsq, double asq, size_t nc, int root)
{
    for (size_t j = 0; j < nc; j++) {
        double v = row[j] + asq + bsq[j];
        v = v > 0.0 ? v : 0.0;
        row[j] = root ? sqrt(v) : v;
    }
}

#ifdef SQDIST_HAVE_X86
__attribute__((target("avx2"))) static void epilogue_256(double *row, const double *bsq,
                                                         double asq, size_t nc, int root)
{
    __m256d va = _mm256_set1_pd(asq), zero = _mm256_setzero_pd();
    size_t j = 0;
    for (; j + 4 <= nc; j += 4) {
        __m256d v = _mm256_add_pd(_mm256_add_pd(_mm256_loadu_pd(row + j), va),
                                  _mm256_loadu_pd(bsq + j));
        v = _mm256_max_pd(v, zero); /* NaN and -0.0 give 0, as the scalar form */
        _mm256_storeu_pd(row + j, root ? _mm256_sqrt_pd(v) : v);
    }
    epilogue_scalar(row + j, bsq + j, asq, nc - j, root);
}

/* sqrt(v) = v * rsqrt(v): the 14-bit estimate refined twice by Newton's
 * r <- r (1.5 - 0.5 v r^2); v = 0 gives 0. */
__attribute__((target("avx512f"))) static void epilogue_512(double *row, const double *bsq,
                                                            double asq, size_t nc, int root)
{
    __m512d va = _mm512_set1_pd(asq), zero = _mm512_setzero_pd();
    __m512d half = _mm512_set1_pd(0.5), three_halves = _mm512_set1_pd(1.5);
    size_t j = 0;
    for (; j + 8 <= nc; j += 8) {
        __m512d v = _mm512_add_pd(_mm512_add_pd(_mm512_loadu_pd(row + j), va),
                                  _mm512_loadu_pd(bsq + j));
        v = _mm512_max_pd(v, zero);
        if (root) {
            __m512d hv = _mm512_mul_pd(half, v);
            __m512d r = _mm512_rsqrt14_pd(v);
            r = _mm512_mul_pd(r, _mm512_fnmadd_pd(_mm512_mul_pd(hv, r), r, three_halves));
            r = _mm512_mul_pd(r, _mm512_fnmadd_pd(_mm512_mul_pd(hv, r), r, three_halves));
            __mmask8 pos = _mm512_cmp_pd_mask(v, zero, _CMP_GT_OQ);
            v = _mm512_maskz_mul_pd(pos, v, r);
        }
        _mm512_storeu_pd(row + j, v);
    }
    epilogue_scalar(row + j, bsq + j, asq, nc - j, root);
}
#endif

/* Square roots: the reference, and the AVX2 and AVX-512 forms (vsqrtpd is
 * IEEE's correctly rounded root, as sqrt() is). */
static void sqrt_scalar(double *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        v[k] = sqrt(v[k]);
}

#ifdef SQDIST_HAVE_X86
__attribute__((target("avx2"))) static void sqrt_256(double *v, size_t n)
{
    size_t k = 0;
    for (; k + 4 <= n; k += 4)
        _mm256_storeu_pd(v + k, _mm256_sqrt_pd(_mm256_loadu_pd(v + k)));
    sqrt_scalar(v + k, n - k);
}

__attribute__((target("avx512f"))) static void sqrt_512(double *v, size_t n)
{
    size_t k = 0;
    for (; k + 8 <= n; k += 8)
        _mm512_storeu_pd(v + k, _mm512_sqrt_pd(_mm512_loadu_pd(v + k)));
    sqrt_scalar(v + k, n - k);
}
#endif

void mlc_sqrt_form(int level, double *v, size_t n)
{
#ifdef SQDIST_HAVE_X86
    if (level == MLC_SIMD_512) {
        sqrt_512(v, n);
        return;
    }
    if (level == MLC_SIMD_256) {
        sqrt_256(v, n);
        return;
    }
#endif
    (void)level;
    sqrt_scalar(v, n);
}

void mlc_sqrt_inplace(double *v, size_t n)
{
    mlc_sqrt_form(mlc_cpu_level(), v, n);
}

void mlc_sqdist_tile(int level, const double *A, size_t lda, const double *asq, size_t nr,
                     const double *B, size_t ldb, const double *bsq, size_t nc, size_t d,
                     double *out, size_t ldo, int root)
{
    if (nr == 0 || nc == 0)
        return;
    if (d > 0) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nr, (int)nc, (int)d, -2.0, A,
                    (int)lda, B, (int)ldb, 0.0, out, (int)ldo);
    } else {
        for (size_t i = 0; i < nr; i++)
            memset(out + i * ldo, 0, nc * sizeof *out);
    }
    for (size_t i = 0; i < nr; i++) {
        double *row = out + i * ldo;
#ifdef SQDIST_HAVE_X86
        if (level == MLC_SIMD_512) {
            epilogue_512(row, bsq, asq[i], nc, root);
            continue;
        }
        if (level == MLC_SIMD_256) {
            epilogue_256(row, bsq, asq[i], nc, root);
            continue;
        }
#endif
        (void)level;
        epilogue_scalar(row, bsq, asq[i], nc, root);
    }
}

/* 32 points of mlc_sqdist_columns: their sums in four vectors, in
 * registers over all the features, so each feature's column is read once
 * and each output written once (a pass per feature over the whole output
 * read and wrote it d times: the agglomerative distance pass was bound by
 * that traffic, and GCC keeps an array of sums in memory). Each lane sums
 * its point's features in order from 0, as the plain loop below does. */
MLC_CLONED static void columns_block(const double *T, size_t ld, size_t d, const double *c,
                                     double *out)
{
    mlc_v8d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    for (size_t f = 0; f < d; f++) {
        const double *col = T + f * ld;
        double cf = c[f];
        mlc_v8d v0, v1, v2, v3;
        MLC_LOADV(v0, col);
        MLC_LOADV(v1, col + 8);
        MLC_LOADV(v2, col + 16);
        MLC_LOADV(v3, col + 24);
        v0 -= cf;
        v1 -= cf;
        v2 -= cf;
        v3 -= cf;
        a0 += v0 * v0;
        a1 += v1 * v1;
        a2 += v2 * v2;
        a3 += v3 * v3;
    }
    MLC_STOREV(out, a0);
    MLC_STOREV(out + 8, a1);
    MLC_STOREV(out + 16, a2);
    MLC_STOREV(out + 24, a3);
}

MLC_HOT void mlc_sqdist_columns(const double *T, size_t ld, size_t d, const double *c, size_t m,
                                double *out)
{
    size_t k0 = 0;
    for (; k0 + 32 <= m; k0 += 32)
        columns_block(T + k0, ld, d, c, out + k0);
    for (size_t k = k0; k < m; k++)
        out[k] = 0.0;
    for (size_t f = 0; f < d; f++) {
        const double *col = T + f * ld;
        double cf = c[f];
        for (size_t k = k0; k < m; k++) {
            double v = col[k] - cf;
            out[k] += v * v;
        }
    }
}
