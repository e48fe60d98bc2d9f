/* The full covariance's M-step sums of a block of rows, in register tiles
 * (see mlc_gmm_stats): for each component k, row (k, f) of S2 gains
 * sum_i r_ik (x_if - a_kf)(x_ih - c_h) for h <= f, and S1_k[f] in column p.
 *
 * What this replaced: W = [r_1 (x - a_1), ..., r_K (x - a_K)] (rows x K p)
 * written out, then one GEMM W^T [X - c, 1]. W went through L2 for every
 * block and the GEMM formed the whole p x (p + 1) square, of which the
 * M-step reads the lower triangle (bench/HISTORY.md). Here a sub-block of rows is centred once
 * (D = x - c) and weighted per component (Wk = r_k (x - a_k)), both in L1,
 * and tiles of the lower triangle sum Wk[i][f] D[i][h] over its rows with
 * the accumulators in registers. */
#include <math.h>
#include <stddef.h>
#include "internal/hot.h"
#include "mixture_impl.h"
#include "internal/vec.h"

/* Every form contracts every product and sums each entry over the rows of
 * a sub-block in order, so the wide and narrow tiles give the same bits. */

/* Row length of D and Wk: p rounded up to whole 8-lane vectors. */
static size_t padded(size_t p)
{
    return (p + 7) / 8 * 8;
}

/* Rows per sub-block: D and Wk together within 16 KiB (L1). It depends on
 * p alone, so both forms sum the same rows into each partial sum. */
static size_t sub_rows(size_t p)
{
    size_t b = 1024 / padded(p);
    return b < 1 ? 1 : b > 128 ? 128 : b;
}

size_t mlc_gmm_scatter_scratch(size_t p)
{
    return (2 * sub_rows(p) + 2) * padded(p) + 8;
}

#define UNROLL _Pragma("GCC unroll 8")

MLC_CONTRACT_BEGIN
/* acc[0 .. lanes) += w * d[0 .. lanes), one FMA per lane. */
MLC_BODY void madd_lanes(int lanes, double *acc, double w, const double *d)
{
    if (lanes == 8) {
        mlc_v8d s, v;
        MLC_LOADV(s, acc);
        MLC_LOADV(v, d);
        s += w * v;
        MLC_STOREV(acc, s);
    } else {
        mlc_v4d s, v;
        MLC_LOADV(s, acc);
        MLC_LOADV(v, d);
        s += w * v;
        MLC_STOREV(acc, s);
    }
}

/* row[l] += acc[l] for the lanes l with h0 + l <= f (the triangle's part of
 * a chunk of columns h0 .. h0 + lanes - 1), read as one vector so that acc
 * never leaves the registers. */
MLC_BODY void add_lanes_upto(int lanes, double *row, const double *acc, size_t h0, size_t f)
{
    if (lanes == 8) {
        mlc_v8d a;
        MLC_LOADV(a, acc);
        UNROLL
        for (int l = 0; l < 8; l++)
            if (h0 + (size_t)l <= f)
                row[l] += a[l];
    } else {
        mlc_v4d a;
        MLC_LOADV(a, acc);
        UNROLL
        for (int l = 0; l < 4; l++)
            if (h0 + (size_t)l <= f)
                row[l] += a[l];
    }
}

/* One tile: rows f0 .. f0 + nt - 1 of S2k against the `lanes`-wide chunks
 * j0 .. j0 + jt - 1 of D (columns h = lanes j + l), summed over m rows;
 * only h <= f is added to S2k. lanes, nt and jt are constants where it is
 * inlined, so the local array acc lives in registers; each entry is
 * triangle_reference's arithmetic. */
#define TILE_CHUNK 24 /* acc row stride: up to 3 chunks of 8 */
MLC_BODY void tile_body(int lanes, int nt, int jt, const double *D, const double *Wk, size_t ld,
                        size_t m, size_t f0, size_t j0, double *S2k, size_t q)
{
    double acc[8 * TILE_CHUNK] = {0};
    for (size_t i = 0; i < m; i++) {
        const double *d = D + i * ld + j0 * (size_t)lanes, *w = Wk + i * ld + f0;
        UNROLL
        for (int t = 0; t < nt; t++)
            UNROLL
            for (int j = 0; j < jt; j++)
                madd_lanes(lanes, acc + t * TILE_CHUNK + j * lanes, w[t], d + j * lanes);
    }
    UNROLL
    for (int t = 0; t < nt; t++) {
        size_t f = f0 + (size_t)t, h0 = j0 * (size_t)lanes;
        UNROLL
        for (int j = 0; j < jt; j++)
            add_lanes_upto(lanes, S2k + f * q + h0 + (size_t)(j * lanes),
                           acc + t * TILE_CHUNK + j * lanes, h0 + (size_t)(j * lanes), f);
    }
}

/* The lower triangle in groups of L rows; group G needs chunks 0 .. G,
 * taken JMAX at a time (accumulators: 8 x 3 of 32 registers wide, 4 x 2
 * of 16 narrow). */
MLC_WIDE_FUSED static void triangle_wide(const double *D, const double *Wk, size_t ld, size_t m,
                                       size_t p, double *S2k, size_t q)
{
    for (size_t f0 = 0, G = 0; f0 < p; f0 += 8, G++)
        for (size_t j0 = 0; j0 <= G; j0 += 3) {
            int nt = (int)(p - f0 < 8 ? p - f0 : 8);
            int jt = (int)(G + 1 - j0 < 3 ? G + 1 - j0 : 3);
            switch (nt * 4 + jt) { /* the tile with those constants */
            case 1 * 4 + 1: tile_body(8, 1, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 1 * 4 + 2: tile_body(8, 1, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 1 * 4 + 3: tile_body(8, 1, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 2 * 4 + 1: tile_body(8, 2, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 2 * 4 + 2: tile_body(8, 2, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 2 * 4 + 3: tile_body(8, 2, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 3 * 4 + 1: tile_body(8, 3, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 3 * 4 + 2: tile_body(8, 3, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 3 * 4 + 3: tile_body(8, 3, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 4 * 4 + 1: tile_body(8, 4, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 4 * 4 + 2: tile_body(8, 4, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 4 * 4 + 3: tile_body(8, 4, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 5 * 4 + 1: tile_body(8, 5, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 5 * 4 + 2: tile_body(8, 5, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 5 * 4 + 3: tile_body(8, 5, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 6 * 4 + 1: tile_body(8, 6, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 6 * 4 + 2: tile_body(8, 6, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 6 * 4 + 3: tile_body(8, 6, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 7 * 4 + 1: tile_body(8, 7, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 7 * 4 + 2: tile_body(8, 7, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 7 * 4 + 3: tile_body(8, 7, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 8 * 4 + 1: tile_body(8, 8, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 8 * 4 + 2: tile_body(8, 8, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 8 * 4 + 3: tile_body(8, 8, 3, D, Wk, ld, m, f0, j0, S2k, q); break;
            }
        }
}

MLC_NARROW_FUSED static void triangle_narrow(const double *D, const double *Wk, size_t ld, size_t m,
                                           size_t p, double *S2k, size_t q)
{
    for (size_t f0 = 0, G = 0; f0 < p; f0 += 4, G++)
        for (size_t j0 = 0; j0 <= G; j0 += 2) {
            int nt = (int)(p - f0 < 4 ? p - f0 : 4);
            int jt = (int)(G + 1 - j0 < 2 ? G + 1 - j0 : 2);
            switch (nt * 4 + jt) { /* the tile with those constants */
            case 1 * 4 + 1: tile_body(4, 1, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 1 * 4 + 2: tile_body(4, 1, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 2 * 4 + 1: tile_body(4, 2, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 2 * 4 + 2: tile_body(4, 2, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 3 * 4 + 1: tile_body(4, 3, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 3 * 4 + 2: tile_body(4, 3, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 4 * 4 + 1: tile_body(4, 4, 1, D, Wk, ld, m, f0, j0, S2k, q); break;
            case 4 * 4 + 2: tile_body(4, 4, 2, D, Wk, ld, m, f0, j0, S2k, q); break;
            }
        }
}
MLC_CONTRACT_END

/* The plain reference: each entry h <= f summed over the rows in order,
 * each product fused (fma(): what the forms do where they contract) or,
 * without `fused`, rounded apart. */
static void triangle_reference(const double *D, const double *Wk, size_t ld, size_t m, size_t p,
                               double *S2k, size_t q, int fused)
{
    for (size_t f = 0; f < p; f++)
        for (size_t h = 0; h <= f; h++) {
            double acc = 0.0;
            for (size_t i = 0; i < m; i++)
                acc = fused ? fma(Wk[i * ld + f], D[i * ld + h], acc)
                            : acc + Wk[i * ld + f] * D[i * ld + h];
            S2k[f * q + h] += acc;
        }
}

/* D (m x ld) = x - c, zero past column p. */
MLC_HOT static void fill_centred(const double *Xb, size_t ldx, size_t m, size_t p, size_t ld,
                                 const double *center, double *restrict D)
{
    for (size_t i = 0; i < m; i++) {
        const double *restrict x = Xb + i * ldx;
        double *restrict d = D + i * ld;
        for (size_t f = 0; f < p; f++)
            d[f] = x[f] - center[f];
        for (size_t f = p; f < ld; f++)
            d[f] = 0.0;
    }
}

/* Wk (m x ld) = r_k (x - a_k), formed as r_k (D + (c - a_k)) with ca =
 * c - a_k zero past column p, and s1 = its column sums in row order: a
 * chunk of 8 columns at a time down the rows, so the sums stay in registers
 * (a running sum per row through memory waits on its own store), even and
 * odd rows apart (one chain waits on its own adds). */
MLC_CLONED static void fill_weighted(const double *D, size_t ld, size_t m, const double *r,
                                     size_t ldr, const double *ca, double *restrict Wk,
                                     double *restrict s1)
{
    for (size_t c0 = 0; c0 < ld; c0 += 8) {
        mlc_v8d s = {0}, t = {0}, a;
        MLC_LOADV(a, ca + c0);
        size_t i = 0;
        for (; i + 2 <= m; i += 2) {
            mlc_v8d d, e, w, v;
            MLC_LOADV(d, D + i * ld + c0);
            MLC_LOADV(e, D + (i + 1) * ld + c0);
            w = r[i * ldr] * (d + a);
            v = r[(i + 1) * ldr] * (e + a);
            MLC_STOREV(Wk + i * ld + c0, w);
            MLC_STOREV(Wk + (i + 1) * ld + c0, v);
            s += w;
            t += v;
        }
        if (i < m) {
            mlc_v8d d, w;
            MLC_LOADV(d, D + i * ld + c0);
            w = r[i * ldr] * (d + a);
            MLC_STOREV(Wk + i * ld + c0, w);
            s += w;
        }
        s += t;
        MLC_STOREV(s1 + c0, s);
    }
}

void mlc_gmm_scatter_full_form(int form, const double *Xb, size_t ldx, size_t nb, size_t K,
                               size_t p, const double *resp, const double *shift,
                               const double *center, double *S2, double *scratch)
{
    const size_t ld = padded(p), B = sub_rows(p), q = p + 1;
    /* a cache line between D and Wk: 4 KiB apart, stores to Wk would
     * stall the loads from D at the same offsets */
    double *D = scratch, *Wk = D + B * ld + 8, *s1 = Wk + B * ld, *ca = s1 + ld;
    for (size_t f = p; f < ld; f++)
        ca[f] = 0.0;
    for (size_t i0 = 0; i0 < nb; i0 += B) {
        size_t m = nb - i0 < B ? nb - i0 : B;
        const double *X0 = Xb + i0 * ldx;
        fill_centred(X0, ldx, m, p, ld, center, D);
        for (size_t k = 0; k < K; k++) {
            double *S2k = S2 + k * p * q;
            for (size_t f = 0; f < p; f++)
                ca[f] = center[f] - shift[k * p + f];
            fill_weighted(D, ld, m, resp + i0 * K + k, K, ca, Wk, s1);
            for (size_t f = 0; f < p; f++)
                S2k[f * q + p] += s1[f];
            if (form == MLC_SIMD_512)
                triangle_wide(D, Wk, ld, m, p, S2k, q);
            else if (form == MLC_SIMD_256)
                triangle_narrow(D, Wk, ld, m, p, S2k, q);
            else
                triangle_reference(D, Wk, ld, m, p, S2k, q, form == MLC_SIMD_SCALAR);
        }
    }
}

void mlc_gmm_scatter_full(const double *Xb, size_t ldx, size_t nb, size_t K, size_t p,
                          const double *resp, const double *shift, const double *center,
                          double *S2, double *scratch)
{
    mlc_gmm_scatter_full_form(mlc_cpu_wide() ? MLC_SIMD_512 : MLC_SIMD_256, Xb, ldx, nb, K, p,
                              resp, shift, center, S2, scratch);
}
