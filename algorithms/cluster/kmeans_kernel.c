/* The k-means scoring kernel: for 8 rows at a time, the score
 * bias_j - 2 x.c_j of every centre and its argmin (lowest index on ties).
 *
 * Why not GEMM: for the usual k-means shapes (k and p up to a few dozen)
 * OpenBLAS spends more time on a 256 x k x p block than the whole iteration
 * may take (bench/HISTORY.md), and the distance block must then be re-read
 * for the argmin. This kernel reads each row once, keeps 8 rows x 8 centres
 * in registers and takes the argmin in registers after an 8 x 8 transpose.
 * That form needs AVX-512's 32 registers; elsewhere (AVX2+FMA, baseline
 * x86-64, other CPUs) the same scores run in 256-bit lanes, 4 rows at a
 * time, with the same per-lane arithmetic (internal/hot.h: MLC_WIDE /
 * MLC_NARROW). score8_reference is the plain form both are tested against
 * (mlc_km_score8_form). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "kmeans_impl.h"
#include "internal/mem.h"
#include "internal/vec.h"
#include "mlcore/threads.h"

int mlc_km_centers_alloc(mlc_km_centers *c, size_t k, size_t p)
{
    c->k = k;
    c->p = p;
    c->ntiles = (k + 7) / 8;
    c->wide = mlc_cpu_wide();
    c->ct = mlc_aligned_calloc(c->ntiles * p * 8, sizeof(double));
    c->bias = mlc_aligned_calloc(c->ntiles * 8, sizeof(double));
    if (!c->ct || !c->bias) {
        mlc_km_centers_clear(c);
        return mlc_raise_nomem("k-means centres");
    }
    return MLC_OK;
}

void mlc_km_centers_clear(mlc_km_centers *c)
{
    mlc_aligned_free(c->ct);
    mlc_aligned_free(c->bias);
    c->ct = c->bias = NULL;
}

void mlc_km_centers_set(mlc_km_centers *c, const double *C, const double *m)
{
    size_t p = c->p;
    for (size_t j = 0; j < c->ntiles * 8; j++) {
        size_t t = j / 8, lane = j % 8;
        double *ct = c->ct + t * p * 8 + lane;
        if (j >= c->k) {
            for (size_t f = 0; f < p; f++)
                ct[f * 8] = 0.0;
            c->bias[j] = INFINITY;
            continue;
        }
        const double *cj = C + j * p;
        double sq = 0.0, mc = 0.0;
        for (size_t f = 0; f < p; f++) {
            ct[f * 8] = -2.0 * cj[f];
            sq += cj[f] * cj[f];
            if (m)
                mc += m[f] * cj[f];
        }
        c->bias[j] = sq + 2.0 * mc;
    }
}

/* The scores of centre j for every row, bias_j + sum_f x_f ct_jf in
 * feature order, each product fused (fma(): what the forms do where they
 * contract) or, without `fused`, rounded apart, and the argmin
 * rule every form follows: a strictly lower score wins (the lowest index
 * on ties), the old best becomes the runner-up. The plain reference of
 * every form, a row at a time. */
static void score8_reference(const double *const rows[8], const mlc_km_centers *c,
                             int32_t label[8], double best_out[8], double second_out[8],
                             double *all, int fused)
{
    const size_t p = c->p;
    for (int r = 0; r < 8; r++) {
        double best = INFINITY, second = INFINITY;
        int32_t arg = 0;
        for (size_t j = 0; j < c->k; j++) {
            const double *ct = c->ct + (j / 8) * p * 8 + j % 8;
            double a = c->bias[j];
            for (size_t f = 0; f < p; f++)
                a = fused ? fma(rows[r][f], ct[f * 8], a) : a + rows[r][f] * ct[f * 8];
            if (a < best) {
                second = best;
                best = a;
                arg = (int32_t)j;
            } else if (a < second) {
                second = a;
            }
            if (all)
                all[j * 8 + (size_t)r] = a;
        }
        label[r] = arg;
        if (best_out)
            best_out[r] = best;
        if (second_out)
            second_out[r] = second;
    }
}

MLC_CONTRACT_BEGIN
/* 8 x 8 transpose of r[0 .. 7] in place (rows become columns). */
MLC_BODY void transpose8(mlc_v8d *r)
{
    mlc_v8d t0 = MLC_SHUF8(r[0], r[1], 0, 8, 2, 10, 4, 12, 6, 14);
    mlc_v8d t1 = MLC_SHUF8(r[0], r[1], 1, 9, 3, 11, 5, 13, 7, 15);
    mlc_v8d t2 = MLC_SHUF8(r[2], r[3], 0, 8, 2, 10, 4, 12, 6, 14);
    mlc_v8d t3 = MLC_SHUF8(r[2], r[3], 1, 9, 3, 11, 5, 13, 7, 15);
    mlc_v8d t4 = MLC_SHUF8(r[4], r[5], 0, 8, 2, 10, 4, 12, 6, 14);
    mlc_v8d t5 = MLC_SHUF8(r[4], r[5], 1, 9, 3, 11, 5, 13, 7, 15);
    mlc_v8d t6 = MLC_SHUF8(r[6], r[7], 0, 8, 2, 10, 4, 12, 6, 14);
    mlc_v8d t7 = MLC_SHUF8(r[6], r[7], 1, 9, 3, 11, 5, 13, 7, 15);
    mlc_v8d u0 = MLC_SHUF8(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    mlc_v8d u1 = MLC_SHUF8(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    mlc_v8d u2 = MLC_SHUF8(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    mlc_v8d u3 = MLC_SHUF8(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    mlc_v8d u4 = MLC_SHUF8(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    mlc_v8d u5 = MLC_SHUF8(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    mlc_v8d u6 = MLC_SHUF8(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    mlc_v8d u7 = MLC_SHUF8(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    r[0] = MLC_SHUF8(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11);
    r[1] = MLC_SHUF8(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11);
    r[2] = MLC_SHUF8(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11);
    r[3] = MLC_SHUF8(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11);
    r[4] = MLC_SHUF8(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15);
    r[5] = MLC_SHUF8(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15);
    r[6] = MLC_SHUF8(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15);
    r[7] = MLC_SHUF8(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15);
}

/* Per-lane steps of the body below, by lane count (8: mlc_v8d, 4: mlc_v4d);
 * lanes is a constant where they are inlined. */
/* dst[0 .. lanes) = src[0 .. lanes). */
MLC_BODY void copy_lanes(int lanes, double *dst, const double *src)
{
    if (lanes == 8) {
        mlc_v8d v;
        MLC_LOADV(v, src);
        MLC_STOREV(dst, v);
    } else {
        mlc_v4d v;
        MLC_LOADV(v, src);
        MLC_STOREV(dst, v);
    }
}

/* acc[0 .. lanes) += a * w[0 .. lanes), one FMA per lane. */
MLC_BODY void madd_lanes(int lanes, double *acc, double a, const double *w)
{
    if (lanes == 8) {
        mlc_v8d s, v;
        MLC_LOADV(s, acc);
        MLC_LOADV(v, w);
        s += a * v;
        MLC_STOREV(acc, s);
    } else {
        mlc_v4d s, v;
        MLC_LOADV(s, acc);
        MLC_LOADV(v, w);
        s += a * v;
        MLC_STOREV(acc, s);
    }
}

/* d[0 .. lanes) = v. */
MLC_BODY void fill_lanes(int lanes, double *d, double v)
{
    if (lanes == 8) {
        mlc_v8d u = (mlc_v8d){0} + v;
        MLC_STOREV(d, u);
    } else {
        mlc_v4d u = (mlc_v4d){0} + v;
        MLC_STOREV(d, u);
    }
}

/* The blends as bit masks: m[l] all-ones where a[l] < b[l]. */
MLC_BODY void less_lanes(int lanes, int64_t *m, const double *a, const double *b)
{
    if (lanes == 8) {
        mlc_v8d u, v;
        MLC_LOADV(u, a);
        MLC_LOADV(v, b);
        mlc_v8l r = u < v;
        MLC_STOREV(m, r);
    } else {
        mlc_v4d u, v;
        MLC_LOADV(u, a);
        MLC_LOADV(v, b);
        mlc_v4l r = u < v;
        MLC_STOREV(m, r);
    }
}

/* out[l] = x[l] where m[l], else y[l], bit for bit. */
MLC_BODY void select_lanes(int lanes, double *out, const int64_t *m, const double *x,
                           const double *y)
{
    if (lanes == 8) {
        mlc_v8l k;
        mlc_v8d u, v;
        MLC_LOADV(k, m);
        MLC_LOADV(u, x);
        MLC_LOADV(v, y);
        u = (mlc_v8d)(((mlc_v8l)u & k) | ((mlc_v8l)v & ~k));
        MLC_STOREV(out, u);
    } else {
        mlc_v4l k;
        mlc_v4d u, v;
        MLC_LOADV(k, m);
        MLC_LOADV(u, x);
        MLC_LOADV(v, y);
        u = (mlc_v4d)(((mlc_v4l)u & k) | ((mlc_v4l)v & ~k));
        MLC_STOREV(out, u);
    }
}

/* idx[l] = j where m[l]. */
MLC_BODY void select_index_lanes(int lanes, int64_t *idx, const int64_t *m, int64_t j)
{
    if (lanes == 8) {
        mlc_v8l k, i;
        MLC_LOADV(k, m);
        MLC_LOADV(i, idx);
        i = (k & ((mlc_v8l){0} + j)) | (i & ~k);
        MLC_STOREV(idx, i);
    } else {
        mlc_v4l k, i;
        MLC_LOADV(k, m);
        MLC_LOADV(i, idx);
        i = (k & ((mlc_v4l){0} + j)) | (i & ~k);
        MLC_STOREV(idx, i);
    }
}

/* idx[0 .. lanes) = 0. */
MLC_BODY void zero_index_lanes(int lanes, int64_t *idx)
{
    if (lanes == 8) {
        mlc_v8l i = {0};
        MLC_STOREV(idx, i);
    } else {
        mlc_v4l i = {0};
        MLC_STOREV(idx, i);
    }
}

/* label[l] = idx[l]. */
MLC_BODY void labels_of_lanes(int lanes, int32_t *label, const int64_t *idx)
{
    if (lanes == 8) {
        mlc_v8l i;
        MLC_LOADV(i, idx);
        for (int l = 0; l < 8; l++)
            label[l] = (int32_t)i[l];
    } else {
        mlc_v4l i;
        MLC_LOADV(i, idx);
        for (int l = 0; l < 4; l++)
            label[l] = (int32_t)i[l];
    }
}

/* Fold centre j's scores a (one per row, `lanes` rows) into the running
 * best, runner-up and label by the reference's argmin rule; the runner-up
 * only if want_second; with want_all and j < k, store them at dst. */
MLC_BODY void fold_lanes(int lanes, double *best, double *second, int64_t *idx, const double *a,
                         size_t j, double *dst, size_t k, int want_all, int want_second)
{
    int64_t lt[8];
    less_lanes(lanes, lt, a, best);
    if (want_second) {
        int64_t ls[8];
        double s[8];
        less_lanes(lanes, ls, a, second);
        select_lanes(lanes, s, ls, a, second);
        select_lanes(lanes, second, lt, best, s);
    }
    select_lanes(lanes, best, lt, a, best);
    select_index_lanes(lanes, idx, lt, (int64_t)j);
    if (want_all && j < k)
        copy_lanes(lanes, dst, a);
}

/* Scores of 8 rows against the first 4 centres, a[r][j], in 256-bit lanes:
 * the same per-lane arithmetic as an 8-lane tile, at half its work. */
MLC_BODY_FUSED void
few_lanes(const double *const rows[8], const mlc_km_centers *c, mlc_v4d a[8])
{
    const size_t p = c->p;
    const double *x0 = rows[0], *x1 = rows[1], *x2 = rows[2], *x3 = rows[3];
    const double *x4 = rows[4], *x5 = rows[5], *x6 = rows[6], *x7 = rows[7];
    memcpy(&a[0], c->bias, sizeof a[0]);
    for (int r = 1; r < 8; r++)
        a[r] = a[0];
    for (size_t f = 0; f < p; f++) {
        mlc_v4d w;
        memcpy(&w, c->ct + f * 8, sizeof w); /* lanes 0-3 of the first tile */
        a[0] += x0[f] * w;
        a[1] += x1[f] * w;
        a[2] += x2[f] * w;
        a[3] += x3[f] * w;
        a[4] += x4[f] * w;
        a[5] += x5[f] * w;
        a[6] += x6[f] * w;
        a[7] += x7[f] * w;
    }
}

/* score8 for k <= 4: the reference's argmin rule, a row at a time. */
MLC_BODY_FUSED void
score_few(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
          double best_out[8], double second_out[8], double *all)
{
    mlc_v4d a[8];
    few_lanes(rows, c, a);
    for (int r = 0; r < 8; r++) {
        double best = INFINITY, second = INFINITY;
        int32_t arg = 0;
        for (size_t j = 0; j < c->k; j++) {
            double v = a[r][j];
            if (v < best) {
                second = best;
                best = v;
                arg = (int32_t)j;
            } else if (v < second) {
                second = v;
            }
            if (all)
                all[j * 8 + (size_t)r] = v;
        }
        label[r] = arg;
        if (best_out)
            best_out[r] = best;
        if (second_out)
            second_out[r] = second;
    }
}

/* s[u lanes + r] = a[r 8 + u]: the scores of `lanes` rows (a row per 8)
 * by centre u < 8. */
MLC_BODY void transpose_lanes(int lanes, const double *a, double *s)
{
    if (lanes == 8) {
        mlc_v8d r[8];
#pragma GCC unroll 8
        for (int i = 0; i < 8; i++)
            MLC_LOADV(r[i], a + i * 8);
        transpose8(r);
#pragma GCC unroll 8
        for (int i = 0; i < 8; i++)
            MLC_STOREV(s + i * 8, r[i]);
    } else {
#pragma GCC unroll 2
        for (int h = 0; h < 8; h += 4) { /* centres h .. h + 3 */
            mlc_v4d r0, r1, r2, r3;
            MLC_LOADV(r0, a + h);
            MLC_LOADV(r1, a + 8 + h);
            MLC_LOADV(r2, a + 16 + h);
            MLC_LOADV(r3, a + 24 + h);
            MLC_TRANSPOSE4(r0, r1, r2, r3);
            MLC_STOREV(s + h * 4, r0);
            MLC_STOREV(s + h * 4 + 4, r1);
            MLC_STOREV(s + h * 4 + 8, r2);
            MLC_STOREV(s + h * 4 + 12, r3);
        }
    }
}

/* One body for both forms: `lanes` rows at a time (8 wide, AVX-512; 4 in
 * 256-bit lanes, twice), each tile of 8 centres in registers as 8 / lanes
 * vectors per row (8 accumulators either way: AVX2 has 16 registers).
 * Every lane sums bias + x_f * ct_f over f in order, so the forms give the
 * same bits. lanes, want_all and want_second are constants where it is
 * inlined, so the local arrays live in registers. */
MLC_BODY_FUSED void
score_body(int lanes, const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
           double best_out[8], double second_out[8], double *all, const int want_all,
           const int want_second)
{
    const size_t p = c->p, k = c->k;
    const int nv = 8 / lanes; /* vectors per row of a tile */
    if (k <= 4) {
        score_few(rows, c, label, best_out, second_out, want_all ? all : NULL);
        return;
    }
    for (int h = 0; h < nv; h++) {
        const double *x[8]; /* this pass's rows (registers after inlining) */
#pragma GCC unroll 8
        for (int r = 0; r < lanes; r++)
            x[r] = rows[lanes * h + r];
        double best[8], second[8];
        int64_t idx[8];
        fill_lanes(lanes, best, INFINITY);
        fill_lanes(lanes, second, INFINITY);
        zero_index_lanes(lanes, idx);
        for (size_t t = 0; t < c->ntiles; t++) {
            const double *ct = c->ct + t * p * 8;
            double a[8 * 8], s[8 * 8]; /* a[r 8 + u]: row r, centre u of the tile */
#pragma GCC unroll 8
            for (int r = 0; r < lanes; r++)
#pragma GCC unroll 2
                for (int v = 0; v < nv; v++)
                    copy_lanes(lanes, a + r * 8 + v * lanes, c->bias + t * 8 + v * lanes);
            for (size_t f = 0; f < p; f++)
#pragma GCC unroll 8
                for (int r = 0; r < lanes; r++)
#pragma GCC unroll 2
                    for (int v = 0; v < nv; v++)
                        madd_lanes(lanes, a + r * 8 + v * lanes, x[r][f], ct + f * 8 + v * lanes);
            transpose_lanes(lanes, a, s);
            /* the tile's 8 centres in order (lowest index wins ties) */
#pragma GCC unroll 8
            for (size_t u = 0; u < 8; u++) {
                size_t j = 8 * t + u;
                fold_lanes(lanes, best, second, idx, s + u * (size_t)lanes, j,
                           all + j * 8 + (size_t)(lanes * h), k, want_all, want_second);
            }
        }
        labels_of_lanes(lanes, label + lanes * h, idx);
        if (best_out)
            copy_lanes(lanes, best_out + lanes * h, best);
        if (want_second && second_out)
            copy_lanes(lanes, second_out + lanes * h, second);
    }
}

/* The entry points of each form: the common cases (no `all` output) keep
 * every score in registers, and Lloyd's passes and predict, which need no
 * runner-up, skip its blends (half of the argmin's work). */
MLC_WIDE_FUSED static void score8_wide_entry(const double *const rows[8], const mlc_km_centers *c,
                                      int32_t label[8], double best[8], double second[8],
                                      double *all)
{
    if (all)
        score_body(8, rows, c, label, best, second, all, 1, 1);
    else if (second)
        score_body(8, rows, c, label, best, second, NULL, 0, 1);
    else
        score_body(8, rows, c, label, best, NULL, NULL, 0, 0);
}

MLC_NARROW_FUSED static void score8_narrow_entry(const double *const rows[8], const mlc_km_centers *c,
                                          int32_t label[8], double best[8], double second[8],
                                          double *all)
{
    if (all)
        score_body(4, rows, c, label, best, second, all, 1, 1);
    else if (second)
        score_body(4, rows, c, label, best, second, NULL, 0, 1);
    else
        score_body(4, rows, c, label, best, NULL, NULL, 0, 0);
}

MLC_CLONED_FUSED static void scores_few_lanes(const double *const rows[8], const mlc_km_centers *c,
                                       double *all)
{
    mlc_v4d a[8];
    few_lanes(rows, c, a);
    /* candidate-major: two 4 x 4 transposes, then whole-vector stores, not
     * a store per score */
    MLC_TRANSPOSE4(a[0], a[1], a[2], a[3]);
    MLC_TRANSPOSE4(a[4], a[5], a[6], a[7]);
    for (size_t j = 0; j < c->k && j < 4; j++) {
        MLC_STOREV(all + j * 8, a[j]);
        MLC_STOREV(all + j * 8 + 4, a[4 + j]);
    }
}
MLC_CONTRACT_END

void mlc_km_score8_form(int form, const double *const rows[8], const mlc_km_centers *c,
                        int32_t label[8], double best[8], double second[8], double *all)
{
    if (form == MLC_SIMD_512)
        score8_wide_entry(rows, c, label, best, second, all);
    else if (form == MLC_SIMD_256)
        score8_narrow_entry(rows, c, label, best, second, all);
    else
        score8_reference(rows, c, label, best, second, all, form == MLC_SIMD_SCALAR);
}

void mlc_km_score8(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
                   double best[8], double second[8], double *all)
{
    /* the entries directly: a call per 8 rows is a few percent of them */
    if (c->wide)
        score8_wide_entry(rows, c, label, best, second, all);
    else
        score8_narrow_entry(rows, c, label, best, second, all);
}

void mlc_km_scores_few_form(int form, const double *const rows[8], const mlc_km_centers *c,
                            double *all)
{
    if (form != MLC_SIMD_512 && form != MLC_SIMD_256) {
        int32_t lab[8];
        score8_reference(rows, c, lab, NULL, NULL, all, form == MLC_SIMD_SCALAR);
    } else {
        scores_few_lanes(rows, c, all);
    }
}

void mlc_km_scores_few(const double *const rows[8], const mlc_km_centers *c, double *all)
{
    scores_few_lanes(rows, c, all);
}

void mlc_km_centred_sq_norms(const mlc_km_data *d, const mlc_parts *parts, double *out)
{
    const size_t p = d->p;
    int threads = mlc_threads_for(d->threads, parts->count, (double)d->n * (double)p,
                                  MLC_PARALLEL_MIN_WORK);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (size_t q = 0; q < parts->count; q++) {
        size_t r1 = mlc_part_hi(parts, q);
        for (size_t i = mlc_part_lo(parts, q); i < r1; i++) {
            out[i] = mlc_sqdist_direct(mlc_matrix_row(d->X, i), d->mean, p);
        }
    }
}
