/* The full covariance's E-step quadratic forms for a block of rows, in
 * register tiles: L[i][k] = sum_h ((x_i P_k)_h - (mu_k P_k)_h)^2 when every
 * factor P_k is upper triangular (what the M-step makes; see
 * mlc_gmm_params.upper).
 *
 * Why not Y = X [P_1 ... P_K] by one GEMM and a pass over Y (what
 * mlc_gmm_weighted_log_prob does for other factors): the GEMM multiplies
 * the zeros below the diagonals too, p^2 products per row and component
 * where p (p + 1) / 2 are needed, and Y (rows x K p) makes a round trip
 * through memory before it is squared and summed. Here the rows go in
 * vector lanes (8 wide, 4 narrow; a transposed copy of 8 rows at a time),
 * each column h of a factor is summed over f <= h only, in registers, and
 * squared where it is formed. */
#include <stddef.h>
#include "internal/hot.h"
#include "mixture_impl.h"
#include "internal/vec.h"

/* Every form contracts every product and sums each (row, component) over
 * h = 0, 1, ... and each column over f = 0, 1, ..., so the wide and narrow
 * forms give the same bits. */
#define QF_WIDE MLC_WIDE("fp-contract=fast")
#define QF_NARROW MLC_NARROW("fp-contract=fast")
#define UNROLL _Pragma("GCC unroll 16")

/* dst[j ldd + i] = src[i lds + j] for i < rows, j < cols: 4 x 4 blocks by
 * shuffles (a scalar copy was a sixth of the E-step), the edges one by
 * one. */
static inline __attribute__((always_inline)) void transpose(const double *src, size_t lds,
                                                            size_t rows, size_t cols,
                                                            double *dst, size_t ldd)
{
    size_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const double *s = src + i * lds;
        size_t j = 0;
        for (; j + 4 <= cols; j += 4) {
            mlc_v4d a, b, c, d;
            MLC_LOADV(a, s + j);
            MLC_LOADV(b, s + lds + j);
            MLC_LOADV(c, s + 2 * lds + j);
            MLC_LOADV(d, s + 3 * lds + j);
            MLC_TRANSPOSE4(a, b, c, d);
            MLC_STOREV(dst + j * ldd + i, a);
            MLC_STOREV(dst + (j + 1) * ldd + i, b);
            MLC_STOREV(dst + (j + 2) * ldd + i, c);
            MLC_STOREV(dst + (j + 3) * ldd + i, d);
        }
        for (; j < cols; j++)
            for (size_t r = 0; r < 4; r++)
                dst[j * ldd + i + r] = s[r * lds + j];
    }
    for (; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            dst[j * ldd + i] = src[i * lds + j];
}

/* Columns h0 .. h0 + NT - 1 of (x P - b) for the rows in the lanes of XT,
 * squared into l[h % 2] in column order (two chains of adds, not one). P is p x p, upper triangular; b[h K] is
 * (mu P)_h. The rectangle f < h0 runs as a loop, the triangle f >= h0
 * unrolled (NT is a constant where it is inlined). */
#define QF_TILE(NAME, V, LANES, NMAX)                                                  \
    static inline __attribute__((always_inline)) void NAME(                            \
        const double *XT, const double *P, size_t p, const double *b, size_t K,        \
        size_t h0, const int NT, V *l)                                                 \
    {                                                                                  \
        V acc[NMAX];                                                                   \
        UNROLL for (int t = 0; t < NT; t++) acc[t] = (V){0} - b[(h0 + (size_t)t) * K]; \
        for (size_t f = 0; f < h0; f++) {                                              \
            V x;                                                                       \
            MLC_LOADV(x, XT + f * LANES);                                              \
            const double *pr = P + f * p + h0;                                         \
            UNROLL for (int t = 0; t < NT; t++) acc[t] += pr[t] * x;                   \
        }                                                                              \
        UNROLL for (int u = 0; u < NT; u++)                                            \
        {                                                                              \
            V x;                                                                       \
            MLC_LOADV(x, XT + (h0 + (size_t)u) * LANES);                               \
            const double *pr = P + (h0 + (size_t)u) * p + h0;                          \
            UNROLL for (int t = u; t < NT; t++) acc[t] += pr[t] * x;                   \
        }                                                                              \
        UNROLL for (int t = 0; t < NT; t++) l[(h0 + (size_t)t) & 1] += acc[t] * acc[t]; \
    }

MLC_CONTRACT_BEGIN
QF_TILE(tile8, mlc_v8d, 8, 16)
QF_TILE(tile4, mlc_v4d, 4, 8)

#define QF_CASE(FN, NT)                                                                \
    case NT:                                                                           \
        FN(XT, P, p, b, K, h0, NT, l);                                                \
        break
#define QF_CASES8(FN)                                                                  \
    QF_CASE(FN, 1);                                                                    \
    QF_CASE(FN, 2);                                                                    \
    QF_CASE(FN, 3);                                                                    \
    QF_CASE(FN, 4);                                                                    \
    QF_CASE(FN, 5);                                                                    \
    QF_CASE(FN, 6);                                                                    \
    QF_CASE(FN, 7);                                                                    \
    QF_CASE(FN, 8)
#define QF_CASES16(FN)                                                                 \
    QF_CASES8(FN);                                                                     \
    QF_CASE(FN, 9);                                                                    \
    QF_CASE(FN, 10);                                                                   \
    QF_CASE(FN, 11);                                                                   \
    QF_CASE(FN, 12);                                                                   \
    QF_CASE(FN, 13);                                                                   \
    QF_CASE(FN, 14);                                                                   \
    QF_CASE(FN, 15);                                                                   \
    QF_CASE(FN, 16)

/* Groups of LANES rows; per component, columns in tiles of up to NMAX
 * (accumulators: 16 of AVX-512's 32 registers, 8 of AVX2's 16). */
#define QF_BLOCK(NAME, ATTR, V, LANES, NMAX, TILE, CASES)                              \
    ATTR static void NAME(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb, \
                          double *L, double *XT)                                       \
    {                                                                                  \
        const size_t K = g->K, p = g->p;                                               \
        double *LT = XT + LANES * p; /* K x LANES: a group's forms by component */    \
        for (size_t i0 = 0; i0 < nb; i0 += LANES) {                                    \
            size_t m = nb - i0 < LANES ? nb - i0 : LANES;                              \
            if (m < LANES) /* the last group: zero lanes */                             \
                for (size_t e = 0; e < LANES * p; e++)                                 \
                    XT[e] = 0.0;                                                       \
            transpose(Xb + i0 * ldx, ldx, m, p, XT, LANES);                            \
            for (size_t k = 0; k < K; k++) {                                           \
                const double *P = g->prec_chol + k * p * p, *b = g->mu_pt + k;         \
                V l[2] = {{0}, {0}};                                                   \
                for (size_t h0 = 0; h0 < p; h0 += NMAX) {                              \
                    switch (p - h0 < NMAX ? p - h0 : NMAX) { CASES(TILE); }            \
                }                                                                      \
                l[0] += l[1];                                                          \
                MLC_STOREV(LT + k * LANES, l[0]);                                      \
            }                                                                          \
            transpose(LT, LANES, K, m, L + i0 * K, K);                                 \
        }                                                                              \
    }

QF_BLOCK(block_wide, QF_WIDE, mlc_v8d, 8, 16, tile8, QF_CASES16)
QF_BLOCK(block_narrow, QF_NARROW, mlc_v4d, 4, 8, tile4, QF_CASES8)
MLC_CONTRACT_END

size_t mlc_gmm_quadform_scratch(size_t p, size_t K)
{
    return 8 * (p + K); /* XT and LT */
}

void mlc_gmm_full_quadforms(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb,
                            double *L, double *scratch)
{
    if (mlc_cpu_wide())
        block_wide(g, Xb, ldx, nb, L, scratch);
    else
        block_narrow(g, Xb, ldx, nb, L, scratch);
}
