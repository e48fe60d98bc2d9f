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

/* Fold centre j's scores a (one per row, 8 rows or 4) into the running
 * best, runner-up and label by the reference's argmin rule; the runner-up
 * only if want_second; with want_all and j < k, store them at dst. */
MLC_BODY void
fold8(mlc_v8d *best, mlc_v8d *second, mlc_v8l *idx, const mlc_v8d *a, size_t j, double *dst,
      size_t k, int want_all, int want_second)
{
    /* the blends as bit masks: a lane's all-ones where the comparison holds */
    mlc_v8l lt = *a < *best, av = (mlc_v8l)*a, bv = (mlc_v8l)*best;
    if (want_second) {
        mlc_v8l ls = *a < *second, sv = (mlc_v8l)*second;
        *second = (mlc_v8d)((bv & lt) | (((av & ls) | (sv & ~ls)) & ~lt));
    }
    *best = (mlc_v8d)((av & lt) | (bv & ~lt));
    *idx = (lt & ((mlc_v8l){0} + (int64_t)j)) | (*idx & ~lt);
    if (want_all && j < k)
        memcpy(dst, a, sizeof *a);
}
MLC_BODY void
fold4(mlc_v4d *best, mlc_v4d *second, mlc_v4l *idx, const mlc_v4d *a, size_t j, double *dst,
      size_t k, int want_all, int want_second)
{
    /* the blends as bit masks: a lane's all-ones where the comparison holds */
    mlc_v4l lt = *a < *best, av = (mlc_v4l)*a, bv = (mlc_v4l)*best;
    if (want_second) {
        mlc_v4l ls = *a < *second, sv = (mlc_v4l)*second;
        *second = (mlc_v4d)((bv & lt) | (((av & ls) | (sv & ~ls)) & ~lt));
    }
    *best = (mlc_v4d)((av & lt) | (bv & ~lt));
    *idx = (lt & ((mlc_v4l){0} + (int64_t)j)) | (*idx & ~lt);
    if (want_all && j < k)
        memcpy(dst, a, sizeof *a);
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

/* The wide body (AVX-512): 8 rows x a tile of 8 centres in registers. */
MLC_BODY_FUSED void
score8(const double *const rows[8], const mlc_km_centers *c, int32_t label[8], double best_out[8],
       double second_out[8], double *all, const int want_all, const int want_second)
{
    const size_t p = c->p, k = c->k;
    if (k <= 4) {
        score_few(rows, c, label, best_out, second_out, want_all ? all : NULL);
        return;
    }
    const double *x0 = rows[0], *x1 = rows[1], *x2 = rows[2], *x3 = rows[3];
    const double *x4 = rows[4], *x5 = rows[5], *x6 = rows[6], *x7 = rows[7];
    mlc_v8d best = (mlc_v8d){0} + INFINITY, second = best;
    mlc_v8l idx = {0};
    for (size_t t = 0; t < c->ntiles; t++) {
        const mlc_v8d *ct = (const mlc_v8d *)(c->ct + t * p * 8);
        mlc_v8d a[8];
        memcpy(&a[0], c->bias + t * 8, sizeof a[0]);
        a[1] = a[2] = a[3] = a[4] = a[5] = a[6] = a[7] = a[0];
        for (size_t f = 0; f < p; f++) {
            mlc_v8d w = ct[f];
            a[0] += x0[f] * w;
            a[1] += x1[f] * w;
            a[2] += x2[f] * w;
            a[3] += x3[f] * w;
            a[4] += x4[f] * w;
            a[5] += x5[f] * w;
            a[6] += x6[f] * w;
            a[7] += x7[f] * w;
        }
        transpose8(a);
        /* the tile's 8 centres in order (lowest index wins ties) */
#pragma GCC unroll 8
        for (size_t u = 0; u < 8; u++) {
            size_t j = 8 * t + u;
            fold8(&best, &second, &idx, &a[u], j, all + j * 8, k, want_all, want_second);
        }
    }
    for (int r = 0; r < 8; r++)
        label[r] = (int32_t)idx[r];
    if (best_out)
        memcpy(best_out, &best, sizeof best);
    if (want_second && second_out)
        memcpy(second_out, &second, sizeof second);
}

/* score8 in 256-bit lanes: 4 rows at a time, each tile's 8 centres as two
 * halves of 4 (8 accumulators in all: AVX2 has 16 registers). Every lane
 * sums bias + x_f * ct_f over f in the same order as the wide form. */
MLC_BODY_FUSED void
score8_narrow(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
              double best_out[8], double second_out[8], double *all, const int want_all,
              const int want_second)
{
    const size_t p = c->p, k = c->k;
    if (k <= 4) {
        score_few(rows, c, label, best_out, second_out, want_all ? all : NULL);
        return;
    }
    for (size_t h = 0; h < 2; h++) {
        const double *x0 = rows[4 * h], *x1 = rows[4 * h + 1];
        const double *x2 = rows[4 * h + 2], *x3 = rows[4 * h + 3];
        mlc_v4d best = (mlc_v4d){0} + INFINITY, second = best;
        mlc_v4l idx = {0};
        for (size_t t = 0; t < c->ntiles; t++) {
            const double *ct = c->ct + t * p * 8;
            mlc_v4d a[8]; /* a[0 .. 3]: centres 0-3 of the tile, a[4 .. 7]: 4-7 */
            MLC_LOADV(a[0], c->bias + t * 8);
            MLC_LOADV(a[4], c->bias + t * 8 + 4);
            a[1] = a[2] = a[3] = a[0];
            a[5] = a[6] = a[7] = a[4];
            for (size_t f = 0; f < p; f++) {
                mlc_v4d wl, wu;
                MLC_LOADV(wl, ct + f * 8);
                MLC_LOADV(wu, ct + f * 8 + 4);
                a[0] += x0[f] * wl, a[4] += x0[f] * wu;
                a[1] += x1[f] * wl, a[5] += x1[f] * wu;
                a[2] += x2[f] * wl, a[6] += x2[f] * wu;
                a[3] += x3[f] * wl, a[7] += x3[f] * wu;
            }
            MLC_TRANSPOSE4(a[0], a[1], a[2], a[3]);
            MLC_TRANSPOSE4(a[4], a[5], a[6], a[7]);
#pragma GCC unroll 8
            for (size_t u = 0; u < 8; u++) {
                size_t j = 8 * t + u;
                fold4(&best, &second, &idx, &a[u], j, all + j * 8 + 4 * h, k, want_all,
                      want_second);
            }
        }
        for (size_t r = 0; r < 4; r++)
            label[4 * h + r] = (int32_t)idx[r];
        if (best_out)
            memcpy(best_out + 4 * h, &best, sizeof best);
        if (want_second && second_out)
            memcpy(second_out + 4 * h, &second, sizeof second);
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
        score8(rows, c, label, best, second, all, 1, 1);
    else if (second)
        score8(rows, c, label, best, second, NULL, 0, 1);
    else
        score8(rows, c, label, best, NULL, NULL, 0, 0);
}

MLC_NARROW_FUSED static void score8_narrow_entry(const double *const rows[8], const mlc_km_centers *c,
                                          int32_t label[8], double best[8], double second[8],
                                          double *all)
{
    if (all)
        score8_narrow(rows, c, label, best, second, all, 1, 1);
    else if (second)
        score8_narrow(rows, c, label, best, second, NULL, 0, 1);
    else
        score8_narrow(rows, c, label, best, NULL, NULL, 0, 0);
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
