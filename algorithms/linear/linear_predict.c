/* Predictions of every linear model, X coef' + intercept, with X's values
 * checked in the result (see mlc_lin_model_output in
 * algorithms/linear/linear_model.h). */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "linear_model.h"
#include "internal/parallel.h"
#include "internal/validate.h"
#include "internal/vec.h"
#include "mlcore/threads.h"

/* Up to this many targets, dot products row by row (the result is checked
 * on the way); more go to one GEMM after a scan of X. */
#define OWN_MAX_TARGETS 4
/* Rows per part of the work, and the work (n p k) from which parts run on
 * several threads. */
#define PART_ROWS 2048
#define THREADED_WORK 1e6

/* x . w: 4-wide products accumulated over the columns in chunks of 4;
 * when p is not a multiple of 4 (and p >= 4), one more chunk, the last 4
 * columns against `tail` (w's last p % 4 weights, zeros before them), so
 * no column is read twice into the sum; then the lanes folded as
 * (a0 + a2) + (a1 + a3). Fewer than 4 columns: in order, one by one.
 * dot4 does exactly this for 4 rows at once, so a row's result does not
 * depend on its place in the blocks. */
MLC_BODY double dot1(const double *x, const double *w,
                                                         size_t p, const mlc_v4d *tail)
{
    if (p < 4) {
        double s = 0.0;
        for (size_t j = 0; j < p; j++)
            s += x[j] * w[j];
        return s;
    }
    mlc_v4d a = {0}, u, v;
    size_t j = 0;
    for (; j + 4 <= p; j += 4) {
        MLC_LOADV(u, x + j);
        MLC_LOADV(v, w + j);
        a += u * v;
    }
    if (j < p) {
        MLC_LOADV(u, x + p - 4);
        a += u * *tail;
    }
    return (a[0] + a[2]) + (a[1] + a[3]);
}


MLC_BODY void dot4(const double *x, size_t ldx,
                                                       const double *w, size_t p,
                                                       const mlc_v4d *tail, mlc_v4d *out)
{
    const double *x0 = x, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
    if (p < 4) {
        mlc_v4d s = {0};
        for (size_t j = 0; j < p; j++) {
            mlc_v4d c = {x0[j], x1[j], x2[j], x3[j]};
            s += c * w[j];
        }
        *out = s;
        return;
    }
    mlc_v4d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, u, v;
    size_t j = 0;
    for (; j + 4 <= p; j += 4) {
        MLC_LOADV(v, w + j);
        MLC_LOADV(u, x0 + j);
        a0 += u * v;
        MLC_LOADV(u, x1 + j);
        a1 += u * v;
        MLC_LOADV(u, x2 + j);
        a2 += u * v;
        MLC_LOADV(u, x3 + j);
        a3 += u * v;
    }
    if (j < p) {
        size_t e = p - 4;
        MLC_LOADV(u, x0 + e);
        a0 += u * *tail;
        MLC_LOADV(u, x1 + e);
        a1 += u * *tail;
        MLC_LOADV(u, x2 + e);
        a2 += u * *tail;
        MLC_LOADV(u, x3 + e);
        a3 += u * *tail;
    }
    /* {a0[0] + a0[2], a0[1] + a0[3], a1[0] + a1[2], a1[1] + a1[3]}, ... */
    mlc_v4d h01 = MLC_SHUF4(a0, a1, 0, 1, 4, 5) + MLC_SHUF4(a0, a1, 2, 3, 6, 7);
    mlc_v4d h23 = MLC_SHUF4(a2, a3, 0, 1, 4, 5) + MLC_SHUF4(a2, a3, 2, 3, 6, 7);
    *out = MLC_SHUF4(h01, h23, 0, 2, 4, 6) + MLC_SHUF4(h01, h23, 1, 3, 5, 7);
}

/* The plain reference of dot1 (and so of each row of dot4): the same
 * lanes, products and fold, in doubles. */
static double dot_reference(const double *x, const double *w, size_t p, const double *tail)
{
    double s = 0.0, a[4] = {0.0, 0.0, 0.0, 0.0};
    if (p < 4) {
        for (size_t j = 0; j < p; j++)
            s += x[j] * w[j];
        return s;
    }
    size_t j = 0;
    for (; j + 4 <= p; j += 4)
        for (int l = 0; l < 4; l++)
            a[l] += x[j + (size_t)l] * w[j + (size_t)l];
    if (j < p)
        for (int l = 0; l < 4; l++)
            a[l] += x[p - 4 + (size_t)l] * tail[l];
    return (a[0] + a[2]) + (a[1] + a[3]);
}

typedef struct output_job {
    int level; /* the form: an mlc_cpu_level() value */
    const mlc_linear_model *m;
    const mlc_matrix *X;
    mlc_matrix *out;
    int *bad; /* one flag per part: a non-finite output */
    mlc_parts parts;
} output_job;

/* One body for every form: vec (a constant at each call) 1 takes rows 4
 * at a time through dot4, the rest through dot1; 0 (the reference) every
 * row through dot_reference. Every form gives the same bits
 * (test_linear_predict: forms_match_reference). */
MLC_BODY void output_body(int vec, const output_job *j,
                                                              size_t q)
{
    const size_t p = j->m->p, k = j->m->k, ldx = j->X->stride, ldo = j->out->stride;
    const double *coef = j->m->coef, *b = j->m->intercept;
    size_t lo = mlc_part_lo(&j->parts, q), hi = mlc_part_hi(&j->parts, q);
    /* sums of v - v: 0 unless some output v is NaN or infinite */
    mlc_v4d bad4 = {0};
    double bad = 0.0;
    for (size_t t = 0; t < k; t++) {
        const double *x = j->X->data + lo * ldx, *w = coef + t * p;
        mlc_v4d tail = {0};
        for (size_t c = p - p % 4; p >= 4 && c < p; c++)
            tail[4 - (p - c)] = w[c];
        double *o = j->out->data + lo * ldo + t;
        size_t i = lo;
        for (; vec && i + 4 <= hi; i += 4, x += 4 * ldx, o += 4 * ldo) {
            mlc_v4d v;
            dot4(x, ldx, w, p, &tail, &v);
            v += b[t];
            bad4 += v - v;
            if (ldo == 1) {
                memcpy(o, &v, sizeof v);
            } else {
                for (int r = 0; r < 4; r++)
                    o[r * ldo] = v[r];
            }
        }
        for (; i < hi; i++, x += ldx, o += ldo) {
            double d = vec ? dot1(x, w, p, &tail) : dot_reference(x, w, p, (const double *)&tail);
            double v = b[t] + d;
            bad += v - v;
            *o = v;
        }
    }
    bad += (bad4[0] + bad4[1]) + (bad4[2] + bad4[3]);
    j->bad[q] = bad != 0.0; /* NaN != 0 too */
}

MLC_WIDE_EXACT static void output_part_wide(void *ctx, size_t q)
{
    output_body(1, ctx, q);
}

MLC_NARROW_EXACT static void output_part_narrow(void *ctx, size_t q)
{
    output_body(1, ctx, q);
}

MLC_REFERENCE_EXACT static void output_part_reference(void *ctx, size_t q)
{
    output_body(0, ctx, q);
}

static void output_part(void *ctx, size_t q)
{
    const output_job *j = ctx;
    if (j->level >= MLC_SIMD_512)
        output_part_wide(ctx, q);
    else if (j->level == MLC_SIMD_256)
        output_part_narrow(ctx, q);
    else
        output_part_reference(ctx, q);
}

int mlc_lin_model_output(const mlc_linear_model *m, const mlc_matrix *X, mlc_matrix *out,
                         int n_threads)
{
    return mlc_lin_model_output_form(mlc_cpu_level(), m, X, out, n_threads);
}

int mlc_lin_model_output_form(int level, const mlc_linear_model *m, const mlc_matrix *X,
                              mlc_matrix *out, int n_threads)
{
    size_t n = X->rows, p = m->p, k = m->k;
    double work = (double)n * (double)p * (double)k;
    int threads = mlc_threads_for(n_threads, SIZE_MAX, work, THREADED_WORK);
    if (k > OWN_MAX_TARGETS) {
        int st = mlc_matrix_check_finite_mt(X, "X", threads);
        if (st)
            return st;
        for (size_t i = 0; i < n; i++)
            memcpy(mlc_matrix_row(out, i), m->intercept, k * sizeof(double));
        mlc_blas_set_threads(threads);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, (int)p, 1.0,
                    X->data, (int)X->stride, m->coef, (int)p, 1.0, out->data, (int)out->stride);
        return MLC_OK;
    }
    mlc_parts P = mlc_parts_sized(n, PART_ROWS);
    size_t parts = P.count;
    int bad_one, *bad = parts > 1 ? calloc(parts, sizeof *bad) : &bad_one;
    if (!bad)
        return mlc_raise_nomem("prediction flags");
    output_job job = {level, m, X, out, bad, P};
    mlc_parallel_parts(threads, parts, output_part, &job);
    int any = 0;
    for (size_t q = 0; q < parts; q++)
        any |= bad[q];
    if (bad != &bad_one)
        free(bad);
    /* The coefficients are finite (checked at fit and load), so a NaN or an
     * infinity in a row makes its output non-finite: only then scan X for
     * the exact status and message. A finite row whose output overflows
     * keeps it, as scikit-learn's would. */
    return any ? mlc_matrix_check_finite_mt(X, "X", threads) : MLC_OK;
}
