/* The solver's Q matrix (algorithms/svm/svm_q.h). */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/mem.h"
#include "internal/parallel.h"
#include "internal/step_team.h"
#include "svm_cache.h"
#include "svm_q.h"

/* Work (values x (features + 8)) below which a row segment is computed on
 * one thread. A solve asks for thousands of rows, one after another: each
 * parallel segment is a team start and a barrier, microseconds on a quiet
 * machine but a scheduler quantum (milliseconds) when another process holds
 * a core. Measured (bench/HISTORY.md): at 20 000 x 20 two threads per row
 * made the fit 2.7x slower than one; only rows of ~100 000 values pay. */
#define SEGMENT_PARALLEL_MIN 3e6
/* The same on the solve's long-lived team (svm_q_set_team), whose step
 * costs well under a microsecond: a row of 2 000 values of 20 features. */
#define SEGMENT_TEAM_MIN 5e4
/* Positions per part below which a regression row is expanded by the
 * caller alone (a gather is about a nanosecond a position). */
#define EXPAND_PART_MIN 4096
/* Expanded regression rows kept (svm_q_row): SVR 7 500 x 20 asks 15 000
 * times for a row, 5 000 of them the row asked for just before and 4 000
 * more one of the three before it. */
#define HELD_ROWS 4

struct svm_q {
    svm_kernel kernel;
    int regression, threads;
    char *enter_from; /* a stretch of fresh cache pages being entered, in parts */
    size_t enter_bytes, enter_parts;
    size_t n, l, p;  /* points, variables, features */
    svm_rows rows;   /* what kernel segments are evaluated against */
    double *xcopy;   /* classification: the rows, in position order */
    double *sq;      /* squared norms (rbf), by row of rows.x */
    size_t *index;   /* position -> point (precomputed / regression) */
    double *sign;    /* +1 / -1 by position (doubles: the row loops vectorise) */
    double *qd;      /* Q_ii by position */
    double *tmp;     /* n kernel values */
    svm_cache *cache;
    float *buffer[HELD_ROWS]; /* regression: expanded rows */
    float *signf;      /* regression: the signs as floats, by position */
    uint32_t *point32; /* regression: the point of each position (2n < 2^31) */
    size_t held[HELD_ROWS], held_len[HELD_ROWS]; /* the position each buffer holds, its length */
    size_t used[HELD_ROWS], uses;                /* when each buffer was last returned */
    const double *kmat; /* precomputed: the n x n matrix */
    size_t kmat_ld;
    mlc_step_team *team; /* the solve's team (NULL: none) */
    /* the segment a team step computes */
    const double *seg_a;
    double seg_asq, seg_yi;
    size_t seg_lo, seg_hi, seg_parts;
    float *seg_out;
    /* the expansion a team step computes */
    float exp_si;
    const float *exp_data;
    float *exp_buf;
    size_t exp_len, exp_parts;
};

void svm_q_free(svm_q *q)
{
    if (!q)
        return;
    mlc_aligned_free(q->xcopy);
    free(q->sq);
    free(q->index);
    free(q->sign);
    free(q->qd);
    free(q->tmp);
    free(q->buffer[0]); /* one block for all */
    free(q->signf);
    free(q->point32);
    svm_cache_free(q->cache);
    free(q);
}

size_t svm_q_size(const svm_q *q)
{
    return q->l;
}

const double *svm_q_diag(const svm_q *q)
{
    return q->qd;
}

/* The point a kernel row is taken from: a row of p values, or of the
 * precomputed matrix. */
static const double *point(const svm_q *q, size_t r)
{
    if (q->kmat)
        return q->kmat + r * q->kmat_ld;
    return q->rows.x + r * q->rows.ld;
}

/* Part `part` of a stretch of the cache's fresh pages. */
static void enter_part(void *ctx, size_t part)
{
    svm_q *q = ctx;
    size_t lo = q->enter_bytes * part / q->enter_parts;
    size_t hi = q->enter_bytes * (part + 1) / q->enter_parts;
    mlc_enter_pages(q->enter_from + lo, hi - lo);
}

/* The cache's stretches of fresh pages, split over the team. */
static void enter_on_team(void *ctx, void *from, size_t bytes)
{
    svm_q *q = ctx;
    q->enter_from = from;
    q->enter_bytes = bytes;
    q->enter_parts = (size_t)mlc_step_team_size(q->team);
    mlc_step_team_parts(q->team, q->enter_parts, enter_part, q);
}

void svm_q_set_team(svm_q *q, mlc_step_team *team)
{
    q->team = team;
    svm_cache_set_enter(q->cache, team ? enter_on_team : NULL, q);
}

int svm_q_team_threads(const svm_q *q)
{
    double row_work = (double)q->n * (double)(q->kmat ? 1 : q->p + 8);
    return mlc_threads_for(q->threads, q->n / 1024 + 1, row_work, SEGMENT_TEAM_MIN);
}

/* out[j] = y_i y_j K_j as floats (sign NULL: K_j), j in [0, n): the row as
 * the cache keeps it. */
MLC_HOT static void store_row(float *restrict out, const double *restrict k, double yi,
                              const double *restrict sign, size_t n)
{
    if (sign)
        for (size_t j = 0; j < n; j++)
            out[j] = (float)(yi * sign[j] * k[j]);
    else
        for (size_t j = 0; j < n; j++)
            out[j] = (float)k[j];
}

/* Positions [a0, a1) of the row being computed: the kernel values, then
 * the floats the cache keeps, while the values are in this core's cache. */
static void segment(svm_q *q, size_t a0, size_t a1)
{
    svm_kernel_segment(&q->kernel, q->seg_a, q->seg_asq, &q->rows, a0, a1, q->tmp + a0);
    store_row(q->seg_out + a0, q->tmp + a0, q->seg_yi, q->regression ? NULL : q->sign + a0,
              a1 - a0);
}

/* Part `part` of the segment of a team step. */
static void segment_part(void *ctx, size_t part)
{
    svm_q *q = ctx;
    size_t lo = q->seg_lo, span = q->seg_hi - q->seg_lo;
    segment(q, lo + span * part / q->seg_parts, lo + span * (part + 1) / q->seg_parts);
}

/* The row of point r over positions [lo, hi) into out[lo, hi):
 * classification y_i y_j K(point r, row j) (yi: y_i), regression K alone;
 * on as many threads as pay. */
static void kernel_values(svm_q *q, size_t r, double yi, size_t lo, size_t hi, float *out)
{
    q->seg_a = point(q, r);
    q->seg_asq = q->sq ? q->sq[r] : 0.0;
    q->seg_yi = yi;
    q->seg_out = out;
    double work = (double)(hi - lo) * (double)(q->kmat ? 1 : q->p + 8);
    if (q->team) {
        int size = mlc_step_team_size(q->team);
        q->seg_parts = size > 1 && work >= SEGMENT_TEAM_MIN ? (size_t)size : 1;
        q->seg_lo = lo;
        q->seg_hi = hi;
        mlc_step_team_parts(q->team, q->seg_parts, segment_part, q);
        return;
    }
    int threads = mlc_threads_for(q->threads, (hi - lo) / 1024 + 1, work, SEGMENT_PARALLEL_MIN);
    if (threads <= 1) {
        segment(q, lo, hi);
        return;
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int t = 0; t < threads; t++)
        segment(q, lo + (hi - lo) * (size_t)t / (size_t)threads,
                lo + (hi - lo) * (size_t)(t + 1) / (size_t)threads);
}

int svm_q_new(const svm_q_spec *s, svm_q **out)
{
    *out = NULL;
    svm_q *q = calloc(1, sizeof *q);
    if (!q)
        return mlc_raise_nomem("the kernel solver");
    const mlc_matrix *X = s->X;
    q->kernel = *s->kernel;
    q->regression = s->regression;
    for (int b = 0; b < HELD_ROWS; b++)
        q->held[b] = SIZE_MAX;
    q->threads = s->threads;
    q->n = s->rows ? s->n_rows : X->rows;
    q->l = s->regression ? 2 * q->n : q->n;
    q->p = X->cols;
    size_t n = q->n, l = q->l, p = q->p;
    int precomputed = q->kernel.type == MLC_SVM_PRECOMPUTED;
    q->qd = malloc((l ? l : 1) * sizeof *q->qd);
    q->sign = malloc((l ? l : 1) * sizeof *q->sign);
    q->tmp = malloc((n ? n : 1) * sizeof *q->tmp);
    int ok = q->qd && q->sign && q->tmp;
    if (ok && (precomputed || s->regression))
        ok = (q->index = malloc((l ? l : 1) * sizeof *q->index)) != NULL;
    if (ok && s->regression)
        ok = (q->buffer[0] = malloc(HELD_ROWS * (l ? l : 1) * sizeof(float))) &&
             (q->signf = malloc((l ? l : 1) * sizeof(float))) &&
             (l > INT32_MAX || (q->point32 = malloc((l ? l : 1) * sizeof(uint32_t))));
    for (int b = 1; ok && s->regression && b < HELD_ROWS; b++)
        q->buffer[b] = q->buffer[0] + (size_t)b * (l ? l : 1);
    if (ok && q->kernel.type == MLC_SVM_RBF)
        ok = (q->sq = malloc((n ? n : 1) * sizeof *q->sq)) != NULL;
    if (ok && !precomputed && !s->regression)
        ok = (q->xcopy = mlc_aligned_alloc(n * p > 0 ? n * p : 1, sizeof(double))) != NULL;
    int st = ok ? svm_cache_new(n, (size_t)(s->cache_mb * 1048576.0), &q->cache)
                : mlc_raise_nomem("the kernel solver");
    if (st) {
        svm_q_free(q);
        return st;
    }
    if (precomputed) {
        q->kmat = X->data;
        q->kmat_ld = X->stride;
        q->rows.x = X->data;
        q->rows.ld = X->stride;
    } else if (q->xcopy) { /* positions move: a private copy */
        for (size_t i = 0; i < n; i++)
            memcpy(q->xcopy + i * p, mlc_matrix_row(X, s->rows ? s->rows[i] : i),
                   p * sizeof(double));
        q->rows.x = q->xcopy;
        q->rows.ld = p;
    } else { /* regression: rows stay in place */
        q->rows.x = X->data;
        q->rows.ld = X->stride;
    }
    q->rows.p = p;
    q->rows.index = s->regression ? NULL : q->index; /* regression rows are in point order */
    if (q->sq) { /* by row of rows.x: the problem's rows in order, or X's */
        if (s->row_sq)
            for (size_t i = 0; i < n; i++)
                q->sq[i] = s->row_sq[s->rows && q->xcopy ? s->rows[i] : i];
        else
            svm_row_norms(q->rows.x, n, p, q->rows.ld, q->sq);
        q->rows.sq = q->sq;
    }
    for (size_t t = 0; t < l; t++) {
        size_t r = t % (n ? n : 1); /* the point, in the problem's order */
        size_t full = s->rows ? s->rows[r] : r; /* its row of X */
        if (q->index)
            q->index[t] = precomputed && !s->regression ? full : r;
        q->sign[t] = s->regression ? (t < n ? 1.0 : -1.0) : s->y ? (double)s->y[t] : 1.0;
        if (q->signf)
            q->signf[t] = (float)q->sign[t];
        if (q->point32)
            q->point32[t] = (uint32_t)r;
        q->qd[t] = precomputed ? q->kmat[full * q->kmat_ld + full]
                               : svm_kernel_self(&q->kernel, point(q, r), p);
        if (!isfinite(q->qd[t])) {
            double v = q->qd[t];
            svm_q_free(q);
            return mlc_raise(MLC_ENONFINITE, "the kernel value K(x, x) of training row %zu is "
                             "%g: the data overflow this kernel (scale them)", full, v);
        }
    }
    *out = q;
    return MLC_OK;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define MLC_X86_GATHER 1
#else
#define MLC_X86_GATHER 0
#endif

/* A regression row over positions: buf[j] = si sign_j K(point_j, .), two
 * positions per point. Every request gathers it anew (libsvm's SVR_Q does
 * the same), so it is the hot loop of a small regression: 32-bit point
 * numbers and float signs let it vectorise (a gather per vector). */
MLC_BODY void expand_body(const float *restrict signf, const uint32_t *restrict point32,
                          const size_t *restrict index, float si, const float *restrict data,
                          size_t len, float *restrict buf)
{
    if (point32)
        for (size_t j = 0; j < len; j++)
            buf[j] = si * signf[j] * data[point32[j]];
    else
        for (size_t j = 0; j < len; j++)
            buf[j] = si * signf[j] * data[index[j]];
}

/* The wide form gathers 16 values an instruction (GCC does not vectorise
 * the gather by itself); the products are the body's, lane by lane. */
MLC_WIDE_EXACT static void expand_wide(const float *signf, const uint32_t *point32, const size_t *index,
                                 float si, const float *data, size_t len, float *buf)
{
    size_t j = 0;
#if MLC_X86_GATHER
    if (point32) {
        __m512 vsi = _mm512_set1_ps(si);
        for (; j + 16 <= len; j += 16) {
            __m512i at = _mm512_loadu_si512((const void *)(point32 + j));
            __m512 d = _mm512_i32gather_ps(at, data, 4);
            __m512 sg = _mm512_mul_ps(vsi, _mm512_loadu_ps(signf + j));
            _mm512_storeu_ps(buf + j, _mm512_mul_ps(sg, d));
        }
    }
#endif
    expand_body(signf + j, point32 ? point32 + j : NULL, index ? index + j : NULL, si, data,
                len - j, buf + j);
}

MLC_NARROW_EXACT static void expand_narrow(const float *signf, const uint32_t *point32,
                                     const size_t *index, float si, const float *data, size_t len,
                                     float *buf)
{
    expand_body(signf, point32, index, si, data, len, buf);
}

MLC_REFERENCE_EXACT static void expand_reference(const float *signf, const size_t *index,
                                                 float si, const float *data, size_t len,
                                                 float *buf)
{
    for (size_t j = 0; j < len; j++)
        buf[j] = si * signf[j] * data[index[j]];
}

void svm_expand_form(int level, const float *signf, const uint32_t *point32, const size_t *index,
                     float si, const float *data, size_t len, float *buf)
{
    if (level >= MLC_SIMD_512)
        expand_wide(signf, point32, index, si, data, len, buf);
    else if (level == MLC_SIMD_256)
        expand_narrow(signf, point32, index, si, data, len, buf);
    else
        expand_reference(signf, index, si, data, len, buf);
}

/* Part `part` of the expansion of a team step (16-aligned bounds keep the
 * wide form's vectors whole). */
static void expand_part(void *ctx, size_t part)
{
    svm_q *q = ctx;
    size_t len = q->exp_len, parts = q->exp_parts;
    size_t lo = part == 0 ? 0 : len * part / parts / 16 * 16;
    size_t hi = part + 1 == parts ? len : len * (part + 1) / parts / 16 * 16;
    svm_expand_form(mlc_cpu_level(), q->signf + lo, q->point32 ? q->point32 + lo : NULL,
                    q->index + lo, q->exp_si, q->exp_data, hi - lo, q->exp_buf + lo);
}

static void expand_row(svm_q *q, float si, const float *data, size_t len, float *buf)
{
    size_t parts = (size_t)mlc_step_team_size(q->team);
    if (parts > len / EXPAND_PART_MIN)
        parts = len / EXPAND_PART_MIN;
    q->exp_si = si;
    q->exp_data = data;
    q->exp_buf = buf;
    q->exp_len = len;
    q->exp_parts = parts ? parts : 1;
    mlc_step_team_parts(q->team, q->exp_parts, expand_part, q);
}

int svm_q_row(svm_q *q, size_t i, size_t len, const float **row)
{
    float *data;
    size_t valid;
    if (!q->regression) {
        int st = svm_cache_row(q->cache, i, len, &data, &valid);
        if (st)
            return st;
        if (valid < len) /* position i's point: its row in the copy, or its matrix row */
            kernel_values(q, q->kmat ? q->index[i] : i, q->sign[i], valid, len, data);
        *row = data;
        return MLC_OK;
    }
    /* The solver asks for row i in the selection and again in the update,
     * and the next steps often come back to a row of the last two: a
     * buffer that still holds it (no swap since) is returned as it is. */
    q->uses++;
    for (int b = 0; b < HELD_ROWS; b++)
        if (q->held[b] == i && q->held_len[b] >= len) {
            q->used[b] = q->uses;
            *row = q->buffer[b];
            return MLC_OK;
        }
    size_t r = q->index[i], n = q->n;
    int st = svm_cache_row(q->cache, r, n, &data, &valid);
    if (st)
        return st;
    if (valid < n)
        kernel_values(q, r, 1.0, valid, n, data);
    int b = 0; /* the least recently returned: the caller holds at most the last one */
    for (int k = 1; k < HELD_ROWS; k++)
        if (q->used[k] < q->used[b])
            b = k;
    float *buf = q->buffer[b];
    expand_row(q, (float)q->sign[i], data, len, buf);
    q->used[b] = q->uses;
    q->held[b] = i;
    q->held_len[b] = len;
    *row = buf;
    return MLC_OK;
}

#define SWAP(type, a, b)                                                                   \
    do {                                                                                   \
        type swap_tmp_ = (a);                                                              \
        (a) = (b);                                                                         \
        (b) = swap_tmp_;                                                                   \
    } while (0)

void svm_q_swap(svm_q *q, size_t i, size_t j)
{
    if (i == j)
        return;
    SWAP(double, q->sign[i], q->sign[j]);
    SWAP(double, q->qd[i], q->qd[j]);
    if (q->index)
        SWAP(size_t, q->index[i], q->index[j]);
    if (q->signf)
        SWAP(float, q->signf[i], q->signf[j]);
    for (int b = 0; b < HELD_ROWS; b++)
        q->held[b] = SIZE_MAX; /* expanded rows are by position */
    if (q->point32)
        SWAP(uint32_t, q->point32[i], q->point32[j]);
    if (q->regression)
        return; /* kernel rows are cached per point, in point order */
    svm_cache_swap(q->cache, i, j);
    if (q->xcopy) {
        double *a = q->xcopy + i * q->p, *b = q->xcopy + j * q->p;
        for (size_t f = 0; f < q->p; f++)
            SWAP(double, a[f], b[f]);
        if (q->sq)
            SWAP(double, q->sq[i], q->sq[j]);
    }
}
