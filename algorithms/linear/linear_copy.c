/* The centred column-major copy of unweighted data over all rows, with
 * X~'y~, ||y~||^2 and the column norms in the same pass (the common case of
 * mlc_lin_copy_colmajor_stats, algorithms/linear/linear_prep.h): straight from X
 * in groups of 4 rows, 4 x 4 register transposes, no row buffer.
 *
 * When every column starts on a cache line (ldx a multiple of 8, as the
 * elastic net pads it), rows go 8 at a time and each column's 64 bytes are
 * written with non-temporal stores: whole lines, so the copy is never read
 * into cache before being written (a copy bigger than the cache goes to
 * memory either way); the next 8 rows are prefetched (bench/HISTORY.md).
 *
 * Before the offsets are known (a coordinate descent fit), the copy centres
 * on the mean of the first rows and sums its columns too: the offsets come
 * from those sums, the small differences stay in the copy for coordinate
 * descent to subtract on the fly, and the statistics are corrected
 * exactly, so that X is read once instead of twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "internal/hot.h"
#include "linear_prep.h"
#include "internal/parallel.h"
#include "internal/vec.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_STREAM 1
#else
#define HAVE_STREAM 0
#endif

/* Rows per part: the parts depend on n only, and their sums are added in
 * order, so the statistics do not depend on the thread count. */
#define PART_ROWS 4096

typedef struct copy_job {
    int level; /* the form: an mlc_cpu_level() value */
    const mlc_lin_data *d;
    const double *mu; /* p: subtracted from every row */
    double *Xc, *Yc;
    size_t ldx, ldy;
    double *acc; /* per part: XtY (k x p) | yty (k) | norms (p) | sums (p) */
    size_t acc_len;
    mlc_parts parts;
} copy_job;

/* Rows [lo, hi) one by one, columns [j0, p): every column's sums over
 * the rows in order, as rows4 adds them, so it is also the plain reference
 * of the whole part. */
static void copy_rows_scalar(const copy_job *c, size_t lo, size_t hi, size_t j0, double *xty,
                             double *nrm)
{
    const mlc_lin_data *d = c->d;
    size_t p = d->p, k = d->k;
    double *sum = nrm + p;
    for (size_t i = lo; i < hi; i++) {
        const double *x = mlc_matrix_row(d->X, i);
        for (size_t j = j0; j < p; j++) {
            double v = x[j] - c->mu[j];
            c->Xc[j * c->ldx + i] = v;
            nrm[j] += v * v;
            sum[j] += v;
            for (size_t t = 0; t < k; t++)
                xty[t * p + j] += v * c->Yc[t * c->ldy + i];
        }
    }
}

/* One column's 8 rows (lanes lo, then hi) to o, a whole cache line,
 * streamed past the cache where SSE2 can. */
MLC_BODY void store_line(double *o, const mlc_v4d *lo,
                                                             const mlc_v4d *hi)
{
#if HAVE_STREAM
    _mm_stream_pd(o, (__m128d){(*lo)[0], (*lo)[1]});
    _mm_stream_pd(o + 2, (__m128d){(*lo)[2], (*lo)[3]});
    _mm_stream_pd(o + 4, (__m128d){(*hi)[0], (*hi)[1]});
    _mm_stream_pd(o + 6, (__m128d){(*hi)[2], (*hi)[3]});
#else
    MLC_STOREV(o, *lo);
    MLC_STOREV(o + 4, *hi);
#endif
}

/* Rows r[0..3] (columns j .. j + 3 of 4 consecutive rows, centred) into
 * the column norms, sums (nrm + p) and X~'y~ in row order, and transposed:
 * cols[h] holds column j + h of the 4 rows. */
MLC_BODY void rows4(const mlc_v4d r[4], double *nrm,
                                                        double *xty, const copy_job *c,
                                                        size_t i0, size_t j, size_t p, size_t k,
                                                        mlc_v4d cols[4])
{
    mlc_v4d s, a = r[0], b = r[1], e = r[2], f = r[3];
    MLC_LOADV(s, nrm + j);
    s += a * a;
    s += b * b;
    s += e * e;
    s += f * f;
    MLC_STOREV(nrm + j, s);
    MLC_LOADV(s, nrm + p + j);
    s += a;
    s += b;
    s += e;
    s += f;
    MLC_STOREV(nrm + p + j, s);
    for (size_t t = 0; t < k; t++) {
        const double *yc = c->Yc + t * c->ldy + i0;
        MLC_LOADV(s, xty + t * p + j);
        s += a * yc[0];
        s += b * yc[1];
        s += e * yc[2];
        s += f * yc[3];
        MLC_STOREV(xty + t * p + j, s);
    }
    mlc_v4d t0 = MLC_SHUF4(a, b, 0, 4, 2, 6), t1 = MLC_SHUF4(a, b, 1, 5, 3, 7);
    mlc_v4d t2 = MLC_SHUF4(e, f, 0, 4, 2, 6), t3 = MLC_SHUF4(e, f, 1, 5, 3, 7);
    cols[0] = MLC_SHUF4(t0, t2, 0, 1, 4, 5);
    cols[1] = MLC_SHUF4(t1, t3, 0, 1, 4, 5);
    cols[2] = MLC_SHUF4(t0, t2, 2, 3, 6, 7);
    cols[3] = MLC_SHUF4(t1, t3, 2, 3, 6, 7);
}

/* One body for every form: vec (a constant at each call) 1 takes rows 8
 * (streamed) or 4 at a time through rows4, the rest one by one; 0 (the
 * reference) every row one by one. Every form gives the same bits
 * (test_linear_prep: copy_forms_match_reference). */
MLC_BODY void copy_body(int vec, const copy_job *c, size_t q)
{
    const mlc_lin_data *d = c->d;
    const size_t p = d->p, k = d->k, xs = d->X->stride, ldx = c->ldx;
    const double *mu = c->mu;
    size_t lo = mlc_part_lo(&c->parts, q), hi = mlc_part_hi(&c->parts, q);
    double *xty = c->acc + q * c->acc_len, *yy = xty + k * p, *nrm = yy + k;
    memset(xty, 0, c->acc_len * sizeof *xty);
    for (size_t t = 0; t < k; t++) {
        double *yc = c->Yc + t * c->ldy, s = 0.0;
        for (size_t i = lo; i < hi; i++) {
            double v = MLC_AT(d->Y, i, t) - d->y_offset[t];
            yc[i] = v;
            s += v * v;
        }
        yy[t] = s;
    }
    size_t i0 = lo, p4 = p / 4 * 4;
    const int stream = vec && ldx % 8 == 0 && (uintptr_t)c->Xc % 64 == 0;
    for (; stream && i0 + 8 <= hi; i0 += 8) {
        const double *x0 = d->X->data + i0 * xs;
        for (size_t j = 0; j < p4; j += 4) {
            mlc_v4d m, r[8], lo4[4], hi4[4];
            if (j % 8 == 0 && i0 + 16 <= hi)
                for (int h = 8; h < 16; h++)
                    MLC_PREFETCH(x0 + h * xs + j, 0, 3);
            MLC_LOADV(m, mu + j);
            for (int h = 0; h < 8; h++) {
                MLC_LOADV(r[h], x0 + h * xs + j);
                r[h] -= m;
            }
            rows4(r, nrm, xty, c, i0, j, p, k, lo4);
            rows4(r + 4, nrm, xty, c, i0 + 4, j, p, k, hi4);
            double *o = c->Xc + j * ldx + i0;
            for (int h = 0; h < 4; h++)
                store_line(o + h * ldx, &lo4[h], &hi4[h]);
        }
        if (p4 < p)
            copy_rows_scalar(c, i0, i0 + 8, p4, xty, nrm);
    }
    for (; vec && i0 + 4 <= hi; i0 += 4) {
        const double *x0 = d->X->data + i0 * xs, *x1 = x0 + xs, *x2 = x1 + xs, *x3 = x2 + xs;
        for (size_t j = 0; j < p4; j += 4) {
            mlc_v4d m, r[4], cols[4];
            MLC_LOADV(m, mu + j);
            MLC_LOADV(r[0], x0 + j);
            MLC_LOADV(r[1], x1 + j);
            MLC_LOADV(r[2], x2 + j);
            MLC_LOADV(r[3], x3 + j);
            for (int h = 0; h < 4; h++)
                r[h] -= m;
            rows4(r, nrm, xty, c, i0, j, p, k, cols);
            double *o = c->Xc + j * ldx + i0;
            for (int h = 0; h < 4; h++)
                MLC_STOREV(o + h * ldx, cols[h]);
        }
        if (p4 < p)
            copy_rows_scalar(c, i0, i0 + 4, p4, xty, nrm);
    }
    copy_rows_scalar(c, i0, hi, 0, xty, nrm);
#if HAVE_STREAM
    if (stream)
        _mm_sfence(); /* the streamed lines reach memory before the copy is read */
#endif
}

MLC_WIDE_EXACT static void copy_part_wide(void *ctx, size_t q)
{
    copy_body(1, ctx, q);
}

MLC_NARROW_EXACT static void copy_part_narrow(void *ctx, size_t q)
{
    copy_body(1, ctx, q);
}

MLC_REFERENCE_EXACT static void copy_part_reference(void *ctx, size_t q)
{
    copy_body(0, ctx, q);
}

static void copy_part(void *ctx, size_t q)
{
    const copy_job *c = ctx;
    if (c->level >= MLC_SIMD_512)
        copy_part_wide(ctx, q);
    else if (c->level == MLC_SIMD_256)
        copy_part_narrow(ctx, q);
    else
        copy_part_reference(ctx, q);
}

int mlc_lin_copy_plain(const mlc_lin_data *d, const double *mu, double *Xc, size_t ldx,
                       double *Yc, size_t ldy, double *XtY, double *yty, double *col_norm2,
                       double *col_sum)
{
    return mlc_lin_copy_plain_form(mlc_cpu_level(), d, mu, Xc, ldx, Yc, ldy, XtY, yty, col_norm2,
                                   col_sum);
}

int mlc_lin_copy_plain_form(int level, const mlc_lin_data *d, const double *mu, double *Xc,
                            size_t ldx, double *Yc, size_t ldy, double *XtY, double *yty,
                            double *col_norm2, double *col_sum)
{
    size_t p = d->p, k = d->k, len = k * p + k + 2 * p;
    mlc_parts P = mlc_parts_sized(d->n, PART_ROWS);
    size_t parts = P.count;
    double *acc = malloc(parts * len * sizeof *acc);
    if (!acc)
        return mlc_raise_nomem("a centred copy of X");
    copy_job job = {level, d, mu, Xc, Yc, ldx, ldy, acc, len, P};
    int threads = mlc_lin_threads_for(d, 2.0 * (double)d->n * (double)p * (double)(k + 2));
    mlc_parallel_parts(threads, parts, copy_part, &job);
    for (size_t q = 1; q < parts; q++)
        for (size_t j = 0; j < len; j++)
            acc[j] += acc[q * len + j];
    memcpy(XtY, acc, k * p * sizeof *XtY);
    memcpy(yty, acc + k * p, k * sizeof *yty);
    memcpy(col_norm2, acc + k * p + k, p * sizeof *col_norm2);
    if (col_sum)
        memcpy(col_sum, acc + k * p + k + p, p * sizeof *col_sum);
    free(acc);
    return MLC_OK;
}

int mlc_lin_copy_colmajor_stats(const mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                                size_t ldy, double *XtY, double *yty, double *col_norm2)
{
    if (d->sw || d->rows) /* weighted or a subset of rows: through row buffers */
        return mlc_lin_copy_colmajor_blocks(d, Xc, ldx, Yc, ldy, XtY, yty, col_norm2);
    int st = mlc_lin_checked(d);
    if (st)
        return st;
    return mlc_lin_copy_plain(d, d->x_offset, Xc, ldx, Yc, ldy, XtY, yty, col_norm2, NULL);
}

int mlc_lin_copy_colmajor_fused(mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                                size_t ldy, double *XtY, double *yty, double *col_norm2,
                                double *resid)
{
    size_t n = d->n, p = d->p, k = d->k;
    memset(resid, 0, p * sizeof *resid);
    if (d->have_offsets || d->sw || d->rows || n == 0) {
        int st = mlc_lin_data_offsets(d);
        return st ? st : mlc_lin_copy_colmajor_stats(d, Xc, ldx, Yc, ldy, XtY, yty, col_norm2);
    }
    /* The shift: the mean of the first rows; the targets' means exactly
     * (n k values). */
    double *shift = malloc((p + k) * sizeof *shift);
    if (!shift)
        return mlc_raise_nomem("a centred copy of X");
    double *ysum = shift + p; /* the first rows' y means are not used */
    mlc_lin_first_rows_mean(d, shift);
    for (size_t t = 0; t < k; t++) {
        double sy = 0.0;
        for (size_t i = 0; i < n; i++)
            sy += MLC_AT(d->Y, i, t);
        d->y_offset[t] = sy / (double)n;
    }
    int st = mlc_lin_copy_plain(d, shift, Xc, ldx, Yc, ldy, XtY, yty, col_norm2, resid);
    /* a NaN or infinity in X makes its column's sum non-finite: only then
     * scan, for the exact status and message */
    int finite = 1;
    for (size_t j = 0; !st && j < p; j++)
        finite &= resid[j] - resid[j] == 0.0;
    if (!st && !finite && (st = mlc_check_X_mt(d->X, "X", d->threads)))
        memset(resid, 0, p * sizeof *resid);
    if (st) {
        free(shift);
        return st;
    }
    for (size_t t = 0; t < k; t++) {
        const double *yc = Yc + t * ldy;
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += yc[i];
        ysum[t] = s;
    }
    for (size_t j = 0; j < p; j++) {
        double m = resid[j] / (double)n, *v = Xc + j * ldx;
        resid[j] = m;
        d->x_offset[j] = shift[j] + m;
        /* sum (v - m)^2 = sum v^2 - n m^2, or again over the copy when
         * that cancels */
        if (mlc_lin_cancels(col_norm2[j], (double)n * m * m)) {
            double s = 0.0;
            for (size_t i = 0; i < n; i++)
                s += (v[i] - m) * (v[i] - m);
            col_norm2[j] = s;
        } else {
            col_norm2[j] -= (double)n * m * m;
        }
        for (size_t t = 0; t < k; t++)
            XtY[t * p + j] -= m * ysum[t];
    }
    d->have_offsets = 1;
    d->unchecked = 0;
    free(shift);
    return MLC_OK;
}
