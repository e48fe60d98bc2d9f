/* Column sums of small data held in cache, in 4-wide lanes (see
 * mlc_lin_small_sums in algorithms/linear/linear_prep.h). */
#include <string.h>
#include "internal/hot.h"
#include "linear_prep.h"
#include "internal/vec.h"

/* The sums of one chunk of 4 columns starting at column j, over all rows:
 * even and odd rows in separate accumulators (two dependency chains),
 * added at the end. Chunk by chunk keeps every accumulator in a register
 * whatever p. */
MLC_BODY void chunk_sums(const double *X, size_t n,
                                                             size_t ld, size_t j,
                                                             const double *yc, mlc_v4d *s,
                                                             mlc_v4d *t)
{
    mlc_v4d s0 = {0}, s1 = {0}, t0 = {0}, t1 = {0}, u0, u1;
    const double *x = X + j;
    size_t i = 0;
    for (; i + 2 <= n; i += 2, x += 2 * ld) {
        MLC_LOADV(u0, x);
        MLC_LOADV(u1, x + ld);
        s0 += u0;
        s1 += u1;
        if (yc) {
            t0 += u0 * yc[i];
            t1 += u1 * yc[i + 1];
        }
    }
    if (i < n) {
        MLC_LOADV(u0, x);
        s0 += u0;
        if (yc)
            t0 += u0 * yc[i];
    }
    *s = s0 + s1;
    *t = t0 + t1;
}

MLC_CLONED int mlc_lin_small_sums(const double *X, size_t n, size_t p, size_t ld,
                                const double *yc, double *sx, double *sxy)
{
    if (p < 4) { /* fewer columns than a chunk: one by one */
        double bad = 0.0;
        for (size_t j = 0; j < p; j++) {
            double s = 0.0, t = 0.0;
            for (size_t i = 0; i < n; i++) {
                s += X[i * ld + j];
                if (yc)
                    t += X[i * ld + j] * yc[i];
            }
            sx[j] = s;
            if (sxy)
                sxy[j] = t;
            bad += s - s;
        }
        return bad != 0.0;
    }
    /* Chunks of 4 columns, the last one ending at column p: when it
     * overlaps the one before (p % 4 != 0), the lanes counted there are
     * not stored again. */
    const double *y = sxy ? yc : NULL;
    mlc_v4d bad = {0};
    for (size_t j0 = 0; j0 < p; j0 += 4) {
        size_t j = j0 + 4 <= p ? j0 : p - 4;
        mlc_v4d s, t;
        chunk_sums(X, n, ld, j, y, &s, &t);
        bad += s - s;
        for (size_t l = j0 - j; l < 4; l++) {
            sx[j + l] = s[l];
            if (sxy)
                sxy[j + l] = t[l];
        }
    }
    return (bad[0] + bad[1]) + (bad[2] + bad[3]) != 0.0;
}

/* Sum of c[0..n) in 4 lanes (then the lanes, then the last n % 4 in order);
 * with sq, also the sum of squares. */
MLC_BODY double lane_sums(const double *c, size_t n,
                                                              double *sq)
{
    mlc_v4d s = {0}, q = {0}, u;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        MLC_LOADV(u, c + i);
        s += u;
        q += u * u;
    }
    double a = (s[0] + s[1]) + (s[2] + s[3]), b = (q[0] + q[1]) + (q[2] + q[3]);
    for (; i < n; i++) {
        a += c[i];
        b += c[i] * c[i];
    }
    if (sq)
        *sq = b;
    return a;
}

MLC_CLONED void mlc_lin_small_center(const double *y, size_t n, size_t stride, double W,
                                     int center, double *yc, double *nu, double *sum,
                                     double *sumsq)
{
    for (size_t i = 0; i < n; i++)
        yc[i] = y[i * stride];
    *nu = center ? lane_sums(yc, n, NULL) / W : 0.0;
    for (size_t i = 0; i < n; i++)
        yc[i] -= *nu;
    *sum = lane_sums(yc, n, sumsq);
}
