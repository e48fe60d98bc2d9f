/* B'B of a block held in column panels (see algorithms/linear/gram_panels.h). */
#include <string.h>
#include "gram_panels.h"
#include "internal/hot.h"
#include "internal/vec.h"

/* FMA contraction is what makes these kernels fast; every form contracts
 * every product and sums each entry over the rows in order, so the wide
 * and narrow tiles give the same bits. */
#define GRAM_WIDE MLC_WIDE("fp-contract=fast")
#define GRAM_NARROW MLC_NARROW("fp-contract=fast")

size_t mlc_gram_panel_stride(size_t rows)
{
    return rows * MLC_GRAM_PANEL_W + MLC_GRAM_PANEL_W;
}

static void add_tile(const mlc_v8d *t, double *acc, size_t ldc)
{
    for (int i = 0; i < MLC_GRAM_PANEL_W; i++)
        for (int j = 0; j < MLC_GRAM_PANEL_W; j++)
            acc[i * ldc + j] += t[i][j];
}

MLC_CONTRACT_BEGIN
/* Tiles (A, B) and (A, B2): 16 accumulators, each row one broadcast per
 * column of A against two 8-wide loads. */
/* Both kernels also fetch `lines` cache lines from pf, one every 4 rows:
 * the next block's source, read while this one is bound by FMAs. */
GRAM_WIDE static void tile_pair(const double *A, const double *B, const double *B2, size_t m,
                               double *acc, size_t ldc, const char *pf, size_t lines)
{
    mlc_v8d s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0}, s4 = {0}, s5 = {0}, s6 = {0}, s7 = {0};
    mlc_v8d t0 = {0}, t1 = {0}, t2 = {0}, t3 = {0}, t4 = {0}, t5 = {0}, t6 = {0}, t7 = {0};
    for (size_t r = 0; r < m; r++) {
        if ((r & 3) == 0 && r / 4 < lines)
            __builtin_prefetch(pf + r / 4 * 64, 0, 3);
        mlc_v8d x, z;
        MLC_LOADV(x, B + r * 8);
        MLC_LOADV(z, B2 + r * 8);
        const double *a = A + r * 8;
        s0 += a[0] * x, t0 += a[0] * z;
        s1 += a[1] * x, t1 += a[1] * z;
        s2 += a[2] * x, t2 += a[2] * z;
        s3 += a[3] * x, t3 += a[3] * z;
        s4 += a[4] * x, t4 += a[4] * z;
        s5 += a[5] * x, t5 += a[5] * z;
        s6 += a[6] * x, t6 += a[6] * z;
        s7 += a[7] * x, t7 += a[7] * z;
    }
    mlc_v8d s[8] = {s0, s1, s2, s3, s4, s5, s6, s7}, t[8] = {t0, t1, t2, t3, t4, t5, t6, t7};
    add_tile(s, acc, ldc);
    add_tile(t, acc + MLC_GRAM_PANEL_W, ldc);
}

GRAM_WIDE static void tile_one(const double *A, const double *B, size_t m, double *acc,
                              size_t ldc, const char *pf, size_t lines)
{
    mlc_v8d s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0}, s4 = {0}, s5 = {0}, s6 = {0}, s7 = {0};
    for (size_t r = 0; r < m; r++) {
        if ((r & 3) == 0 && r / 4 < lines)
            __builtin_prefetch(pf + r / 4 * 64, 0, 3);
        mlc_v8d x;
        MLC_LOADV(x, B + r * 8);
        const double *a = A + r * 8;
        s0 += a[0] * x, s1 += a[1] * x, s2 += a[2] * x, s3 += a[3] * x;
        s4 += a[4] * x, s5 += a[5] * x, s6 += a[6] * x, s7 += a[7] * x;
    }
    mlc_v8d s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    add_tile(s, acc, ldc);
}

/* One 8 x 8 tile in 256-bit lanes, an 8 x 4 half at a time: 8
 * accumulators, which fit AVX2's 16 registers where the wide tiles'
 * 16 x 8 lanes need AVX-512's 32. */
GRAM_NARROW static void tile_narrow(const double *A, const double *B, size_t m, double *acc,
                                    size_t ldc, const char *pf, size_t lines)
{
    for (int h = 0; h < 2; h++) {
        mlc_v4d s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0}, s4 = {0}, s5 = {0}, s6 = {0}, s7 = {0};
        for (size_t r = 0; r < m; r++) {
            if (h == 0 && (r & 3) == 0 && r / 4 < lines)
                __builtin_prefetch(pf + r / 4 * 64, 0, 3);
            mlc_v4d x;
            MLC_LOADV(x, B + r * 8 + 4 * h);
            const double *a = A + r * 8;
            s0 += a[0] * x, s1 += a[1] * x, s2 += a[2] * x, s3 += a[3] * x;
            s4 += a[4] * x, s5 += a[5] * x, s6 += a[6] * x, s7 += a[7] * x;
        }
        mlc_v4d s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
        for (int i = 0; i < MLC_GRAM_PANEL_W; i++)
            for (int j = 0; j < 4; j++)
                acc[i * ldc + 4 * h + j] += s[i][j];
    }
}
MLC_CONTRACT_END

void mlc_gram_panels_accumulate(const double *panels, size_t panel_stride, size_t m,
                                size_t n_panels, size_t q0, size_t q1, double *acc, size_t ldc,
                                const void *prefetch, size_t prefetch_bytes)
{
    const size_t W = MLC_GRAM_PANEL_W;
    const int wide = mlc_cpu_wide(), step = wide ? 2 : 1;
    size_t calls = 0;
    for (size_t a = q0; a < q1; a++)
        calls += (n_panels - a + (size_t)step - 1) / (size_t)step;
    size_t lines = (prefetch_bytes + 63) / 64, per = calls ? (lines + calls - 1) / calls : 0;
    const char *pf = prefetch;
    for (size_t a = q0; a < q1; a++) {
        const double *A = panels + a * panel_stride;
        double *row = acc + a * W * ldc;
        for (size_t J = a; J < n_panels; J += (size_t)step) {
            size_t now = lines < per ? lines : per;
            const double *B = panels + J * panel_stride;
            if (!wide)
                tile_narrow(A, B, m, row + J * W, ldc, pf, now);
            else if (J + 1 < n_panels)
                tile_pair(A, B, B + panel_stride, m, row + J * W, ldc, pf, now);
            else
                tile_one(A, B, m, row + J * W, ldc, pf, now);
            pf += now * 64;
            lines -= now;
        }
    }
}
