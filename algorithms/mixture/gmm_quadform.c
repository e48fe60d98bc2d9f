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
#include <math.h>
#include <stddef.h>
#include "internal/hot.h"
#include "mixture_impl.h"
#include "internal/vec.h"

/* Every form contracts every product and sums each (row, component) over
 * h = 0, 1, ... and each column over f = 0, 1, ..., so the wide and narrow
 * forms give the same bits. */
#define UNROLL _Pragma("GCC unroll 16")

/* dst[j ldd + i] = src[i lds + j] for i < rows, j < cols: 4 x 4 blocks by
 * shuffles (a scalar copy was slow: bench/HISTORY.md), the edges one by
 * one. */
MLC_BODY void transpose(const double *src, size_t lds,
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

/* The plain reference of one lane: column h of (x P - b) summed over f <=
 * h in order and squared into the chain of h's parity, each product fused
 * (fma(): what the forms do where they contract) or, without `fused`,
 * rounded apart. Outside the contracting region (clang). */
static double qf_reference(const double *XT, size_t lanes, size_t lane, const double *P,
                           size_t p, const double *b, size_t K, int fused)
{
    double l[2] = {0.0, 0.0};
    for (size_t h = 0; h < p; h++) {
        double acc = 0.0 - b[h * K];
        for (size_t f = 0; f <= h; f++)
            acc = fused ? fma(P[f * p + h], XT[f * lanes + lane], acc)
                        : acc + P[f * p + h] * XT[f * lanes + lane];
        l[h & 1] = fused ? fma(acc, acc, l[h & 1]) : l[h & 1] + acc * acc;
    }
    return l[0] + l[1];
}

MLC_CONTRACT_BEGIN
/* acc[0 .. lanes) = 0 - b (each lane). */
MLC_BODY void negate_into_lanes(int lanes, double *acc, double b)
{
    if (lanes == 8) {
        mlc_v8d s = (mlc_v8d){0} - b;
        MLC_STOREV(acc, s);
    } else {
        mlc_v4d s = (mlc_v4d){0} - b;
        MLC_STOREV(acc, s);
    }
}

/* acc[0 .. lanes) += a * x[0 .. lanes), one FMA per lane. */
MLC_BODY void madd_lanes(int lanes, double *acc, double a, const double *x)
{
    if (lanes == 8) {
        mlc_v8d s, v;
        MLC_LOADV(s, acc);
        MLC_LOADV(v, x);
        s += a * v;
        MLC_STOREV(acc, s);
    } else {
        mlc_v4d s, v;
        MLC_LOADV(s, acc);
        MLC_LOADV(v, x);
        s += a * v;
        MLC_STOREV(acc, s);
    }
}

/* l[0 .. lanes) += a[0 .. lanes)^2, one FMA per lane. */
MLC_BODY void square_add_lanes(int lanes, double *l, const double *a)
{
    if (lanes == 8) {
        mlc_v8d s, v;
        MLC_LOADV(s, l);
        MLC_LOADV(v, a);
        s += v * v;
        MLC_STOREV(l, s);
    } else {
        mlc_v4d s, v;
        MLC_LOADV(s, l);
        MLC_LOADV(v, a);
        s += v * v;
        MLC_STOREV(l, s);
    }
}

/* out[0 .. lanes) = l[0 .. lanes) + m[0 .. lanes). */
MLC_BODY void add_lanes_to(int lanes, double *out, const double *l, const double *m)
{
    if (lanes == 8) {
        mlc_v8d a, b;
        MLC_LOADV(a, l);
        MLC_LOADV(b, m);
        a += b;
        MLC_STOREV(out, a);
    } else {
        mlc_v4d a, b;
        MLC_LOADV(a, l);
        MLC_LOADV(b, m);
        a += b;
        MLC_STOREV(out, a);
    }
}

/* Columns h0 .. h0 + nt - 1 of (x P - b) for the rows in the `lanes` lanes
 * of XT, squared into chain h % 2 of l (l + 8 (h % 2): two chains of adds,
 * not one) in column order. P is p x p, upper triangular; b[h K] is
 * (mu P)_h. The rectangle f < h0 runs as a loop, the triangle f >= h0
 * unrolled. lanes and nt are constants where it is inlined, so the local
 * array acc lives in registers; each lane is qf_reference's arithmetic. */
MLC_BODY void tile_body(int lanes, int nt, const double *XT, const double *P, size_t p,
                        const double *b, size_t K, size_t h0, double *l)
{
    double acc[16 * 8];
    UNROLL for (int t = 0; t < nt; t++) negate_into_lanes(lanes, acc + t * lanes,
                                                           b[(h0 + (size_t)t) * K]);
    for (size_t f = 0; f < h0; f++) {
        const double *x = XT + f * (size_t)lanes, *pr = P + f * p + h0;
        UNROLL for (int t = 0; t < nt; t++) madd_lanes(lanes, acc + t * lanes, pr[t], x);
    }
    UNROLL for (int u = 0; u < nt; u++)
    {
        const double *x = XT + (h0 + (size_t)u) * (size_t)lanes;
        const double *pr = P + (h0 + (size_t)u) * p + h0;
        UNROLL for (int t = u; t < nt; t++) madd_lanes(lanes, acc + t * lanes, pr[t], x);
    }
    UNROLL for (int t = 0; t < nt; t++) square_add_lanes(lanes, l + 8 * ((h0 + (size_t)t) & 1),
                                                          acc + t * lanes);
}

/* One component's forms for the `lanes` rows in XT, to out[0 .. lanes):
 * columns in tiles of up to 2 lanes (16 wide: 16 accumulators of
 * AVX-512's 32 registers; 8 narrow: 8 of AVX2's 16), each tile width a
 * constant. */
MLC_BODY void forms_body(int lanes, const double *XT, const double *P, size_t p, const double *b,
                         size_t K, double *out)
{
    double l[2 * 8] = {0};
    const size_t T = 2 * (size_t)lanes;
    for (size_t h0 = 0; h0 < p; h0 += T) {
        switch (p - h0 < T ? p - h0 : T) {
        case 1: tile_body(lanes, 1, XT, P, p, b, K, h0, l); break;
        case 2: tile_body(lanes, 2, XT, P, p, b, K, h0, l); break;
        case 3: tile_body(lanes, 3, XT, P, p, b, K, h0, l); break;
        case 4: tile_body(lanes, 4, XT, P, p, b, K, h0, l); break;
        case 5: tile_body(lanes, 5, XT, P, p, b, K, h0, l); break;
        case 6: tile_body(lanes, 6, XT, P, p, b, K, h0, l); break;
        case 7: tile_body(lanes, 7, XT, P, p, b, K, h0, l); break;
        case 8: tile_body(lanes, 8, XT, P, p, b, K, h0, l); break;
        case 9: tile_body(lanes, 9, XT, P, p, b, K, h0, l); break;
        case 10: tile_body(lanes, 10, XT, P, p, b, K, h0, l); break;
        case 11: tile_body(lanes, 11, XT, P, p, b, K, h0, l); break;
        case 12: tile_body(lanes, 12, XT, P, p, b, K, h0, l); break;
        case 13: tile_body(lanes, 13, XT, P, p, b, K, h0, l); break;
        case 14: tile_body(lanes, 14, XT, P, p, b, K, h0, l); break;
        case 15: tile_body(lanes, 15, XT, P, p, b, K, h0, l); break;
        case 16: tile_body(lanes, 16, XT, P, p, b, K, h0, l); break;
        }
    }
    add_lanes_to(lanes, out, l, l + 8);
}

/* The block in groups of LANES rows (8 or 4: forms_body, else the
 * reference a lane at a time, in groups of 8); one body for every form,
 * LANES a constant where it is inlined. */
MLC_BODY void
block_body(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb, double *L,
           double *XT, const size_t LANES, const int fused)
{
    const size_t K = g->K, p = g->p;
    double *LT = XT + LANES * p; /* K x LANES: a group's forms by component */
    for (size_t i0 = 0; i0 < nb; i0 += LANES) {
        size_t m = nb - i0 < LANES ? nb - i0 : LANES;
        if (m < LANES) /* the last group: zero lanes */
            for (size_t e = 0; e < LANES * p; e++)
                XT[e] = 0.0;
        transpose(Xb + i0 * ldx, ldx, m, p, XT, LANES);
        for (size_t k = 0; k < K; k++) {
            const double *P = g->prec_chol + k * p * p, *b = g->mu_pt + k;
            if (LANES == 8 || LANES == 4)
                forms_body((int)LANES, XT, P, p, b, K, LT + k * LANES);
            else
                for (size_t r = 0; r < LANES; r++)
                    LT[k * LANES + r] = qf_reference(XT, LANES, r, P, p, b, K, fused);
        }
        transpose(LT, LANES, K, m, L + i0 * K, K);
    }
}

MLC_WIDE_FUSED static void block_wide(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb,
                               double *L, double *XT)
{
    block_body(g, Xb, ldx, nb, L, XT, 8, 1);
}

MLC_NARROW_FUSED static void block_narrow(const mlc_gmm_params *g, const double *Xb, size_t ldx,
                                   size_t nb, double *L, double *XT)
{
    block_body(g, Xb, ldx, nb, L, XT, 4, 1);
}
MLC_CONTRACT_END

static void block_reference(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb,
                            double *L, double *XT, int fused)
{
    block_body(g, Xb, ldx, nb, L, XT, 7, fused); /* 7: no vector form, odd-sized groups */
}

size_t mlc_gmm_quadform_scratch(size_t p, size_t K)
{
    return 8 * (p + K); /* XT and LT */
}

void mlc_gmm_full_quadforms_form(int form, const mlc_gmm_params *g, const double *Xb, size_t ldx,
                                 size_t nb, double *L, double *scratch)
{
    if (form == MLC_SIMD_512)
        block_wide(g, Xb, ldx, nb, L, scratch);
    else if (form == MLC_SIMD_256)
        block_narrow(g, Xb, ldx, nb, L, scratch);
    else
        block_reference(g, Xb, ldx, nb, L, scratch, form == MLC_SIMD_SCALAR);
}

void mlc_gmm_full_quadforms(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb,
                            double *L, double *scratch)
{
    mlc_gmm_full_quadforms_form(mlc_cpu_wide() ? MLC_SIMD_512 : MLC_SIMD_256, g, Xb, ldx, nb, L,
                                scratch);
}
