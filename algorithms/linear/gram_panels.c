/* B'B of a block held in column panels (see algorithms/linear/gram_panels.h). */
#include <math.h>
#include <string.h>
#include "gram_panels.h"
#include "internal/hot.h"
#include "internal/vec.h"

/* FMA contraction is what makes these kernels fast; every form contracts
 * every product and sums each entry over the rows in order, so the wide
 * and narrow tiles give the same bits (test_linear_prep). */

size_t mlc_gram_panel_stride(size_t rows)
{
    return rows * MLC_GRAM_PANEL_W + MLC_GRAM_PANEL_W;
}


/* One body (tile_body) for the vector forms, by lane width: a tile row
 * block is the 8 columns of panel A against nvec vectors of `lanes` columns
 * of B (vector v at B + v * vstride), every entry summed over the rows in
 * order with one FMA per row. The wide form takes 2 vectors of 8 (tiles
 * (A, B) and (A, B2): 16 accumulators, which need AVX-512's 32 registers)
 * or 1 at the last panel; the 256-bit form an 8 x 4 half at a time (8
 * accumulators, within AVX2's 16). The sum per entry is the same, so are
 * the bits; tile_reference is the plain form (fma(), the same rounding). */
#define TILE_ROW 16 /* accumulator row stride: up to 16 columns */

/* From here to MLC_CONTRACT_END clang contracts (GCC: the forms' optimize
 * attribute), the inlined body included. */
MLC_CONTRACT_BEGIN
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

/* acc[0 .. lanes) += s[0 .. lanes) (no product: nothing to contract). */
MLC_BODY void add_lanes(int lanes, double *acc, const double *s)
{
    if (lanes == 8) {
        mlc_v8d a, v;
        MLC_LOADV(a, acc);
        MLC_LOADV(v, s);
        a += v;
        MLC_STOREV(acc, a);
    } else {
        mlc_v4d a, v;
        MLC_LOADV(a, acc);
        MLC_LOADV(v, s);
        a += v;
        MLC_STOREV(acc, a);
    }
}

/* The body also fetches `lines` cache lines from pf, one every 4 rows: the
 * next block's source, read while this one is bound by FMAs. The
 * accumulators s are a local array: after inlining GCC keeps them in
 * registers. */
MLC_BODY void tile_body(int lanes, int nvec, const double *A, const double *B,
                           size_t vstride, size_t m, double *acc, size_t ldc, const char *pf,
                           size_t lines)
{
    double s[MLC_GRAM_PANEL_W * TILE_ROW] = {0};
    for (size_t r = 0; r < m; r++) {
        if ((r & 3) == 0 && r / 4 < lines)
            MLC_PREFETCH(pf + r / 4 * 64, 0, 3);
        const double *a = A + r * MLC_GRAM_PANEL_W;
        /* unrolled in full, so that every accumulator is a register */
#pragma GCC unroll 8
        for (int i = 0; i < MLC_GRAM_PANEL_W; i++)
#pragma GCC unroll 2
            for (int v = 0; v < nvec; v++)
                madd_lanes(lanes, s + i * TILE_ROW + v * lanes, a[i],
                           B + (size_t)v * vstride + r * MLC_GRAM_PANEL_W);
    }
    /* acc += s, a vector at a time, so that s never leaves the registers */
#pragma GCC unroll 8
    for (int i = 0; i < MLC_GRAM_PANEL_W; i++)
#pragma GCC unroll 2
        for (int v = 0; v < nvec; v++)
            add_lanes(lanes, acc + (size_t)i * ldc + (size_t)(v * lanes),
                      s + i * TILE_ROW + v * lanes);
}

/* Tiles (A, B) and (A, B + stride), or (A, B) alone at the last panel. */
MLC_WIDE_FUSED static void tile_wide(const double *A, const double *B, size_t stride, int pair,
                                size_t m, double *acc, size_t ldc, const char *pf,
                                size_t lines)
{
    if (pair)
        tile_body(8, 2, A, B, stride, m, acc, ldc, pf, lines);
    else
        tile_body(8, 1, A, B, stride, m, acc, ldc, pf, lines);
}

/* Tile (A, B), one 8 x 4 half at a time (the prefetch in the first). */
MLC_NARROW_FUSED static void tile_narrow(const double *A, const double *B, size_t m, double *acc,
                                    size_t ldc, const char *pf, size_t lines)
{
    tile_body(4, 1, A, B, 0, m, acc, ldc, pf, lines);
    tile_body(4, 1, A, B + 4, 0, m, acc + 4, ldc, pf, 0);
}
MLC_CONTRACT_END

/* The plain reference of tile (A, B): every entry fma'd over the rows in
 * order, as the vector forms contract it. */
MLC_REFERENCE_EXACT
static void tile_reference(const double *A, const double *B, size_t m, double *acc, size_t ldc)
{
    for (int i = 0; i < MLC_GRAM_PANEL_W; i++)
        for (int j = 0; j < MLC_GRAM_PANEL_W; j++) {
            double s = 0.0;
            for (size_t r = 0; r < m; r++)
                s = fma(A[r * MLC_GRAM_PANEL_W + (size_t)i], B[r * MLC_GRAM_PANEL_W + (size_t)j],
                        s);
            acc[(size_t)i * ldc + (size_t)j] += s;
        }
}

void mlc_gram_panels_accumulate(const double *panels, size_t panel_stride, size_t m,
                                size_t n_panels, size_t q0, size_t q1, double *acc, size_t ldc,
                                const void *prefetch, size_t prefetch_bytes)
{
    mlc_gram_panels_accumulate_form(mlc_cpu_wide() ? MLC_SIMD_512 : MLC_SIMD_256, panels,
                                    panel_stride, m, n_panels, q0, q1, acc, ldc, prefetch,
                                    prefetch_bytes);
}

void mlc_gram_panels_accumulate_form(int level, const double *panels, size_t panel_stride,
                                     size_t m, size_t n_panels, size_t q0, size_t q1,
                                     double *acc, size_t ldc, const void *prefetch,
                                     size_t prefetch_bytes)
{
    const size_t W = MLC_GRAM_PANEL_W;
    const int wide = level >= MLC_SIMD_512, step = wide ? 2 : 1;
    size_t calls = 0;
    for (size_t a = q0; a < q1; a++)
        calls += (n_panels - a + (size_t)step - 1) / (size_t)step;
    size_t lines = prefetch ? (prefetch_bytes + 63) / 64 : 0;
    size_t per = calls ? (lines + calls - 1) / calls : 0;
    const char *pf = prefetch;
    for (size_t a = q0; a < q1; a++) {
        const double *A = panels + a * panel_stride;
        double *row = acc + a * W * ldc;
        for (size_t J = a; J < n_panels; J += (size_t)step) {
            size_t now = lines < per ? lines : per;
            const double *B = panels + J * panel_stride;
            if (wide)
                tile_wide(A, B, panel_stride, J + 1 < n_panels, m, row + J * W, ldc, pf, now);
            else if (level == MLC_SIMD_256)
                tile_narrow(A, B, m, row + J * W, ldc, pf, now);
            else
                tile_reference(A, B, m, row + J * W, ldc);
            if (now) /* pf may be NULL: no arithmetic on it then */
                pf += now * 64;
            lines -= now;
        }
    }
}
