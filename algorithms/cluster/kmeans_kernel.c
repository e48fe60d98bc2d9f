/* The k-means scoring kernel: for 8 rows at a time, the score
 * bias_j - 2 x.c_j of every centre and its argmin (lowest index on ties).
 *
 * Why not GEMM: for the usual k-means shapes (k and p up to a few dozen)
 * OpenBLAS spends more time on a 256 x k x p block than the whole iteration
 * may take (measured 22 ms for 1e6 x 20, k = 8 against a 12 ms pass over the
 * data), and the distance block must then be re-read for the argmin. This
 * kernel reads each row once, keeps 8 rows x 8 centres in registers and takes
 * the argmin in registers after an 8 x 8 transpose. That form needs
 * AVX-512's 32 registers; elsewhere (AVX2+FMA, baseline x86-64, other
 * CPUs) the same scores run in 256-bit lanes, 4 rows at a time, with the
 * same per-lane arithmetic (internal/hot.h: MLC_WIDE / MLC_NARROW). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "kmeans_impl.h"
#include "internal/mem.h"
#include "internal/vec.h"
#include "mlcore/threads.h"

#if defined(__GNUC__) && !defined(__clang__)
#define KM_SIMD 1
/* Contract a*b+c into FMAs where the target has them (GCC turns contraction
 * off in ISO C mode). */
#define KM_OPT __attribute__((optimize("fp-contract=fast")))
#define KM_WIDE MLC_WIDE("fp-contract=fast")
#define KM_NARROW MLC_NARROW("fp-contract=fast")
#if defined(__x86_64__)
#define KM_CLONES                                                                      \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) KM_OPT
#else
#define KM_CLONES KM_OPT
#endif
#else
#define KM_SIMD 0
#endif

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

#if KM_SIMD

#define KM_BLEND(VL, mask, a, b) ((__typeof__(a))(((VL)(a) & (mask)) | ((VL)(b) & ~(mask))))

/* 8 x 8 transpose of r0..r7 in place (rows become columns). */
#define KM_TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7)                                  \
    do {                                                                               \
        mlc_v8d t0_ = MLC_SHUF8(r0, r1, 0, 8, 2, 10, 4, 12, 6, 14);                    \
        mlc_v8d t1_ = MLC_SHUF8(r0, r1, 1, 9, 3, 11, 5, 13, 7, 15);                    \
        mlc_v8d t2_ = MLC_SHUF8(r2, r3, 0, 8, 2, 10, 4, 12, 6, 14);                    \
        mlc_v8d t3_ = MLC_SHUF8(r2, r3, 1, 9, 3, 11, 5, 13, 7, 15);                    \
        mlc_v8d t4_ = MLC_SHUF8(r4, r5, 0, 8, 2, 10, 4, 12, 6, 14);                    \
        mlc_v8d t5_ = MLC_SHUF8(r4, r5, 1, 9, 3, 11, 5, 13, 7, 15);                    \
        mlc_v8d t6_ = MLC_SHUF8(r6, r7, 0, 8, 2, 10, 4, 12, 6, 14);                    \
        mlc_v8d t7_ = MLC_SHUF8(r6, r7, 1, 9, 3, 11, 5, 13, 7, 15);                    \
        mlc_v8d u0_ = MLC_SHUF8(t0_, t2_, 0, 1, 8, 9, 4, 5, 12, 13);                   \
        mlc_v8d u1_ = MLC_SHUF8(t1_, t3_, 0, 1, 8, 9, 4, 5, 12, 13);                   \
        mlc_v8d u2_ = MLC_SHUF8(t0_, t2_, 2, 3, 10, 11, 6, 7, 14, 15);                 \
        mlc_v8d u3_ = MLC_SHUF8(t1_, t3_, 2, 3, 10, 11, 6, 7, 14, 15);                 \
        mlc_v8d u4_ = MLC_SHUF8(t4_, t6_, 0, 1, 8, 9, 4, 5, 12, 13);                   \
        mlc_v8d u5_ = MLC_SHUF8(t5_, t7_, 0, 1, 8, 9, 4, 5, 12, 13);                   \
        mlc_v8d u6_ = MLC_SHUF8(t4_, t6_, 2, 3, 10, 11, 6, 7, 14, 15);                 \
        mlc_v8d u7_ = MLC_SHUF8(t5_, t7_, 2, 3, 10, 11, 6, 7, 14, 15);                 \
        r0 = MLC_SHUF8(u0_, u4_, 0, 1, 2, 3, 8, 9, 10, 11);                            \
        r1 = MLC_SHUF8(u1_, u5_, 0, 1, 2, 3, 8, 9, 10, 11);                            \
        r2 = MLC_SHUF8(u2_, u6_, 0, 1, 2, 3, 8, 9, 10, 11);                            \
        r3 = MLC_SHUF8(u3_, u7_, 0, 1, 2, 3, 8, 9, 10, 11);                            \
        r4 = MLC_SHUF8(u0_, u4_, 4, 5, 6, 7, 12, 13, 14, 15);                          \
        r5 = MLC_SHUF8(u1_, u5_, 4, 5, 6, 7, 12, 13, 14, 15);                          \
        r6 = MLC_SHUF8(u2_, u6_, 4, 5, 6, 7, 12, 13, 14, 15);                          \
        r7 = MLC_SHUF8(u3_, u7_, 4, 5, 6, 7, 12, 13, 14, 15);                          \
    } while (0)

/* Fold centre j's scores (one per row; VL: the lanes' integer vector type)
 * into the running best and, if want_second, the runner-up; with want_all,
 * store them at dst. */
#define KM_FOLD(VL, a, j, dst)                                                         \
    do {                                                                               \
        VL lt_ = (a) < best;                                                           \
        if (want_second) {                                                             \
            VL ls_ = (a) < second;                                                     \
            second = KM_BLEND(VL, lt_, best, KM_BLEND(VL, ls_, (a), second));          \
        }                                                                              \
        best = KM_BLEND(VL, lt_, (a), best);                                           \
        idx = (lt_ & ((VL){0} + (int64_t)(j))) | (idx & ~lt_);                         \
        if (want_all && (size_t)(j) < k)                                               \
            memcpy((dst), &(a), sizeof(a));                                            \
    } while (0)
#define KM_STEP(a, j) KM_FOLD(mlc_v8l, a, j, all + (size_t)(j) * 8)
/* A tile's 8 centres, j0 .. j0 + 7, in order (lowest index wins ties). */
#define KM_FOLD_TILE(STEP, a0, a1, a2, a3, a4, a5, a6, a7, j0)                         \
    do {                                                                               \
        STEP(a0, j0);                                                                  \
        STEP(a1, j0 + 1);                                                              \
        STEP(a2, j0 + 2);                                                              \
        STEP(a3, j0 + 3);                                                              \
        STEP(a4, j0 + 4);                                                              \
        STEP(a5, j0 + 5);                                                              \
        STEP(a6, j0 + 6);                                                              \
        STEP(a7, j0 + 7);                                                              \
    } while (0)

/* Scores of 8 rows against the first 4 centres, a[r][j], in 256-bit lanes:
 * the same per-lane arithmetic as an 8-lane tile, at half its work. */
static inline __attribute__((always_inline)) KM_OPT void
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

/* score8 for k <= 4: the argmin rule of KM_STEP, a row at a time. */
static inline __attribute__((always_inline)) KM_OPT void
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
static inline __attribute__((always_inline)) KM_OPT void
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
        mlc_v8d a0, a1, a2, a3, a4, a5, a6, a7;
        memcpy(&a0, c->bias + t * 8, sizeof a0);
        a1 = a2 = a3 = a4 = a5 = a6 = a7 = a0;
        for (size_t f = 0; f < p; f++) {
            mlc_v8d w = ct[f];
            a0 += x0[f] * w;
            a1 += x1[f] * w;
            a2 += x2[f] * w;
            a3 += x3[f] * w;
            a4 += x4[f] * w;
            a5 += x5[f] * w;
            a6 += x6[f] * w;
            a7 += x7[f] * w;
        }
        KM_TRANSPOSE8(a0, a1, a2, a3, a4, a5, a6, a7);
        size_t j = 8 * t;
        KM_FOLD_TILE(KM_STEP, a0, a1, a2, a3, a4, a5, a6, a7, j);
    }
    for (int r = 0; r < 8; r++)
        label[r] = (int32_t)idx[r];
    if (best_out)
        memcpy(best_out, &best, sizeof best);
    if (want_second && second_out)
        memcpy(second_out, &second, sizeof second);
}

/* KM_STEP for the 4 rows [4h, 4h + 4) of the group. */
#define KM_STEP4(a, j) KM_FOLD(mlc_v4l, a, j, all + (size_t)(j) * 8 + 4 * h)

/* score8 in 256-bit lanes: 4 rows at a time, each tile's 8 centres as two
 * halves of 4 (8 accumulators in all: AVX2 has 16 registers). Every lane
 * sums bias + x_f * ct_f over f in the same order as the wide form. */
static inline __attribute__((always_inline)) KM_OPT void
score8_narrow(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
              double best_out[8], double second_out[8], double *all, const int want_all,
              const int want_second)
{
    const size_t p = c->p, k = c->k;
    if (k <= 4) {
        score_few(rows, c, label, best_out, second_out, want_all ? all : NULL);
        return;
    }
    for (int h = 0; h < 2; h++) {
        const double *x0 = rows[4 * h], *x1 = rows[4 * h + 1];
        const double *x2 = rows[4 * h + 2], *x3 = rows[4 * h + 3];
        mlc_v4d best = (mlc_v4d){0} + INFINITY, second = best;
        mlc_v4l idx = {0};
        for (size_t t = 0; t < c->ntiles; t++) {
            const double *ct = c->ct + t * p * 8;
            mlc_v4d l0, l1, l2, l3, u0, u1, u2, u3;
            MLC_LOADV(l0, c->bias + t * 8);
            MLC_LOADV(u0, c->bias + t * 8 + 4);
            l1 = l2 = l3 = l0;
            u1 = u2 = u3 = u0;
            for (size_t f = 0; f < p; f++) {
                mlc_v4d wl, wu;
                MLC_LOADV(wl, ct + f * 8);
                MLC_LOADV(wu, ct + f * 8 + 4);
                l0 += x0[f] * wl, u0 += x0[f] * wu;
                l1 += x1[f] * wl, u1 += x1[f] * wu;
                l2 += x2[f] * wl, u2 += x2[f] * wu;
                l3 += x3[f] * wl, u3 += x3[f] * wu;
            }
            MLC_TRANSPOSE4(l0, l1, l2, l3);
            MLC_TRANSPOSE4(u0, u1, u2, u3);
            size_t j = 8 * t;
            KM_FOLD_TILE(KM_STEP4, l0, l1, l2, l3, u0, u1, u2, u3, j);
        }
        for (int r = 0; r < 4; r++)
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
#define KM_ENTRY(name, body)                                                           \
    static void name(const double *const rows[8], const mlc_km_centers *c,             \
                     int32_t label[8], double best[8], double second[8], double *all)  \
    {                                                                                  \
        if (all)                                                                       \
            body(rows, c, label, best, second, all, 1, 1);                             \
        else if (second)                                                               \
            body(rows, c, label, best, second, NULL, 0, 1);                            \
        else                                                                           \
            body(rows, c, label, best, NULL, NULL, 0, 0);                              \
    }
KM_WIDE KM_ENTRY(score8_wide_entry, score8)
KM_NARROW KM_ENTRY(score8_narrow_entry, score8_narrow)

void mlc_km_score8(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
                   double best[8], double second[8], double *all)
{
    if (c->wide)
        score8_wide_entry(rows, c, label, best, second, all);
    else
        score8_narrow_entry(rows, c, label, best, second, all);
}

KM_CLONES
void mlc_km_scores_few(const double *const rows[8], const mlc_km_centers *c, double *all)
{
    mlc_v4d a[8];
    few_lanes(rows, c, a);
    /* candidate-major: two 4 x 4 transposes, then whole-vector stores (a
     * store per score was a quarter of this function) */
    MLC_TRANSPOSE4(a[0], a[1], a[2], a[3]);
    MLC_TRANSPOSE4(a[4], a[5], a[6], a[7]);
    for (size_t j = 0; j < c->k && j < 4; j++) {
        MLC_STOREV(all + j * 8, a[j]);
        MLC_STOREV(all + j * 8 + 4, a[4 + j]);
    }
}

#else /* portable scalar version: same scores, same argmin rule */

void mlc_km_score8(const double *const rows[8], const mlc_km_centers *c, int32_t label[8],
                   double best_out[8], double second_out[8], double *all)
{
    const size_t p = c->p;
    for (int r = 0; r < 8; r++) {
        double best = INFINITY, second = INFINITY;
        int32_t arg = 0;
        for (size_t j = 0; j < c->k; j++) {
            const double *ct = c->ct + (j / 8) * p * 8 + j % 8;
            double a = c->bias[j];
            for (size_t f = 0; f < p; f++)
                a += rows[r][f] * ct[f * 8];
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
#endif

#if !KM_SIMD
void mlc_km_scores_few(const double *const rows[8], const mlc_km_centers *c, double *all)
{
    int32_t lab[8];
    mlc_km_score8(rows, c, lab, NULL, NULL, all);
}
#endif

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
