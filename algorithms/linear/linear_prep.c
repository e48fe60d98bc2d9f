/* Centring, weighting and the products of the centred rows (see
 * algorithms/linear/linear_prep.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "gram_panels.h"
#include "internal/hot.h"
#include "internal/parallel.h"
#include "linear_prep.h"
#include "internal/numpy_sum.h"
#include "internal/validate.h"
#include "internal/vec.h"
#include "mlcore/threads.h"

/* Chunking depends on the problem only, never on the thread count. */
#define CHUNK_MIN_ROWS 1024
#define CHUNK_MAX 16
#define CHUNK_ACC_MAX_BYTES ((size_t)1 << 20)
/* Up to GRAM_GEMM_MAX wide, a Gram matrix is one full GEMM per block; wider
 * ones go through column panels (algorithms/linear/gram_panels.h). Other
 * products are cut into (at most) GEMM_BLOCKS column blocks. */
#define GEMM_BLOCKS 16
#define GRAM_GEMM_MAX 16
/* Below this much work everything runs on one thread. */
#define SMALL_WORK_FLOPS 4e6
/* Chunks of at most this many unweighted rows are summed by one GEMV. */
#define SUM_GEMV_ROWS 2048
/* Inputs with at most this many values take the two-pass route. */
#define SMALL_DATA_VALUES 32768
/* Rows averaged for the provisional shift of a fused first pass. */
#define SHIFT_ROWS 64
/* Redo a fused pass when its correction removes more than this share of a
 * diagonal entry (more than one bit lost). */
#define SHIFT_MAX_CANCEL 0.5

static size_t row_index(const mlc_lin_data *d, size_t i)
{
    return d->rows ? d->rows[i] : i;
}

double mlc_lin_row_scale(const mlc_lin_data *d, size_t i)
{
    return d->sw ? sqrt(d->sw[row_index(d, i)] * d->w_scale) : 1.0;
}

int mlc_lin_threads_for(const mlc_lin_data *d, double flops)
{
    return mlc_threads_for(d->threads, SIZE_MAX, flops, SMALL_WORK_FLOPS);
}

/* The values of an unchecked X, scanned before a product that does not
 * check them itself. The products taking const data need the offsets, and
 * so come after mlc_lin_data_offsets or a first product: checked_const
 * only keeps that true if a caller ever breaks it. */
static int ensure_checked(mlc_lin_data *d)
{
    if (!d->unchecked)
        return MLC_OK;
    int st = mlc_check_X_mt(d->X, "X", d->threads);
    if (!st)
        d->unchecked = 0;
    return st;
}

int mlc_lin_checked(const mlc_lin_data *d)
{
    return d->unchecked ? mlc_check_X_mt(d->X, "X", d->threads) : MLC_OK;
}

static size_t n_chunks(size_t n, size_t acc_len)
{
    /* A large accumulator (p in the hundreds) makes each block's product
     * big enough to split by itself: one chunk, parallel inside the op. */
    if (acc_len * sizeof(double) > CHUNK_ACC_MAX_BYTES)
        return 1;
    return mlc_parts_count_for(n, CHUNK_MIN_ROWS, CHUNK_MAX);
}

/* Rows per block: a buffer of about 256 KiB, but at least p rows (and 256)
 * so that each SYRK update of the p x p accumulator does enough work. */
static size_t block_rows(size_t p)
{
    size_t b = 32768 / (p ? p : 1);
    if (b < p)
        b = p;
    if (b < 256)
        b = 256;
    if (b > 4096)
        b = 4096;
    return b;
}

void mlc_lin_data_clear(mlc_lin_data *d)
{
    if (!d)
        return;
    free(d->x_offset);
    d->x_offset = d->y_offset = NULL;
}

int mlc_lin_data_init(mlc_lin_data *d, const mlc_matrix *X, const mlc_matrix *Y,
                      const double *sw, const size_t *rows, size_t n_rows, int center,
                      int normalize_weights, int n_threads)
{
    memset(d, 0, sizeof *d);
    d->X = X;
    d->Y = Y;
    d->sw = sw;
    d->rows = rows;
    d->n = rows ? n_rows : X->rows;
    d->p = X->cols;
    d->k = Y ? Y->cols : 0;
    d->center = center;
    d->w_scale = 1.0;
    d->threads = mlc_resolve_threads(n_threads);
    d->have_offsets = !center;
    d->x_offset = calloc(d->p + d->k + 1, sizeof(double));
    if (!d->x_offset)
        return mlc_raise_nomem("linear model offsets");
    d->y_offset = d->x_offset + d->p;
    double wsum = (double)d->n;
    if (sw) {
        wsum = 0.0;
        for (size_t i = 0; i < d->n; i++)
            wsum += sw[row_index(d, i)];
    }
    if (!(wsum > 0.0)) {
        mlc_lin_data_clear(d);
        return mlc_raise(MLC_EINVAL, "the sample weights of the %zu rows used sum to 0", d->n);
    }
    d->sw_sum = wsum;
    if (normalize_weights && sw)
        d->w_scale = (double)d->n / wsum;
    return MLC_OK;
}

/* Weighted sums [sum w x (p) | sum w y (k)] of the rows [lo, hi) into a. */
static void sum_rows(const mlc_lin_data *d, size_t lo, size_t hi, double *a)
{
    size_t p = d->p, k = d->k;
    if (!d->sw && !d->rows && hi - lo <= SUM_GEMV_ROWS) { /* X' 1 in one BLAS call */
        double ones[SUM_GEMV_ROWS];
        for (size_t i = 0; i < hi - lo; i++)
            ones[i] = 1.0;
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)(hi - lo), (int)p, 1.0,
                    mlc_matrix_row(d->X, lo), (int)d->X->stride, ones, 1, 1.0, a, 1);
        for (size_t i = lo; i < hi; i++)
            for (size_t t = 0; t < k; t++)
                a[p + t] += MLC_AT(d->Y, i, t);
        return;
    }
    for (size_t i = lo; i < hi; i++) {
        size_t r = row_index(d, i);
        const double *x = mlc_matrix_row(d->X, r);
        if (d->sw) {
            double w = d->sw[r];
            for (size_t j = 0; j < p; j++)
                a[j] += w * x[j];
            for (size_t t = 0; t < k; t++)
                a[p + t] += w * MLC_AT(d->Y, r, t);
        } else {
#pragma omp simd
            for (size_t j = 0; j < p; j++)
                a[j] += x[j];
            for (size_t t = 0; t < k; t++)
                a[p + t] += MLC_AT(d->Y, r, t);
        }
    }
}

int mlc_lin_data_offsets(mlc_lin_data *d)
{
    if (d->have_offsets) /* no centring, or a product found them */
        return ensure_checked(d);
    size_t p = d->p, k = d->k, n = d->n;
    /* Sums per chunk, combined in order. */
    size_t acc_len = p + k;
    size_t C = n_chunks(n, acc_len);
    mlc_parts P = mlc_parts_even(n, C, 1);
    double *acc = calloc(C * acc_len, sizeof *acc);
    if (!acc)
        return mlc_raise_nomem("linear model offsets");
    int threads = mlc_lin_threads_for(d, (double)n * (double)(p + k));
    if (threads > (int)C)
        threads = (int)C;
    if (threads > 1) {
#pragma omp parallel for schedule(static, 1) num_threads(threads)
        for (size_t c = 0; c < C; c++)
            sum_rows(d, mlc_part_lo(&P, c), mlc_part_hi(&P, c), acc + c * acc_len);
    } else {
        for (size_t c = 0; c < C; c++)
            sum_rows(d, mlc_part_lo(&P, c), mlc_part_hi(&P, c), acc + c * acc_len);
    }
    for (size_t c = 1; c < C; c++)
        for (size_t j = 0; j < acc_len; j++)
            acc[j] += acc[c * acc_len + j];
    /* A NaN or infinity in X makes its column's sum non-finite: only then
     * scan, for the exact status and message (a finite X whose sum
     * overflows passes the scan, as it always did). */
    int finite = 1;
    for (size_t j = 0; j < p; j++)
        finite &= acc[j] - acc[j] == 0.0;
    int st = finite ? MLC_OK : ensure_checked(d);
    if (!st) {
        d->unchecked = 0;
        for (size_t j = 0; j < acc_len; j++)
            d->x_offset[j] = acc[j] / d->sw_sum;
        d->have_offsets = 1;
    }
    free(acc);
    return st;
}

/* One value per used row into buf: y_t, or w y_t, or (y_t < 0) w. */
static void gather_rows(const mlc_lin_data *d, long t, double *buf)
{
    for (size_t i = 0; i < d->n; i++) {
        size_t r = row_index(d, i);
        double w = d->sw ? d->sw[r] : 1.0;
        buf[i] = t < 0 ? w : (d->sw ? w * MLC_AT(d->Y, r, (size_t)t) : MLC_AT(d->Y, r, (size_t)t));
    }
}

int mlc_lin_data_offsets_numpy(mlc_lin_data *d)
{
    if (!d->center)
        return ensure_checked(d);
    int st = ensure_checked(d);
    if (st)
        return st;
    size_t p = d->p, k = d->k, n = d->n;
    double *buf = malloc((n ? n : 1) * sizeof *buf);
    if (!buf)
        return mlc_raise_nomem("linear model offsets");
    double *mx = d->x_offset, *my = d->y_offset;
    memset(mx, 0, (p + k) * sizeof *mx);
    for (size_t i = 0; i < n; i++) { /* X (and several targets): row after row */
        size_t r = row_index(d, i);
        const double *x = mlc_matrix_row(d->X, r);
        double w = d->sw ? d->sw[r] : 1.0;
        for (size_t j = 0; j < p; j++)
            mx[j] += d->sw ? w * x[j] : x[j];
        for (size_t t = 0; k > 1 && t < k; t++)
            my[t] += d->sw ? w * MLC_AT(d->Y, r, t) : MLC_AT(d->Y, r, t);
    }
    if (k == 1) { /* one target is a 1-D y: pairwise */
        gather_rows(d, 0, buf);
        my[0] = mlc_sum_pairwise(buf, n);
    }
    double W = (double)n;
    if (d->sw) {
        gather_rows(d, -1, buf);
        W = mlc_sum_pairwise(buf, n);
    }
    free(buf);
    for (size_t j = 0; j < p + k; j++)
        mx[j] /= W;
    d->have_offsets = 1;
    return MLC_OK;
}

/* Rows i0..i0+m of X~ into xb and of Y~ into yb (if non-NULL), both with
 * leading dimension ld, and the row scales sqrt(w_i) into sb (stride ld) if
 * non-NULL. */
static void fill_rows(const mlc_lin_data *d, size_t i0, size_t m, double *xb, double *yb,
                      double *sb, size_t ld)
{
    size_t p = d->p, k = d->k, xs = d->X->stride;
    const double *mu = d->x_offset, *nu = d->y_offset, *X = d->X->data;
    if (!d->sw && !d->rows && d->center) { /* the common case, vectorised */
        for (size_t i = 0; i < m; i++) {
            const double *x = X + (i0 + i) * xs;
            double *o = xb + i * ld;
#pragma omp simd
            for (size_t j = 0; j < p; j++)
                o[j] = x[j] - mu[j];
            for (size_t t = 0; yb && t < k; t++)
                yb[i * ld + t] = MLC_AT(d->Y, i0 + i, t) - nu[t];
            if (sb)
                sb[i * ld] = 1.0;
        }
        return;
    }
    for (size_t i = 0; i < m; i++) {
        size_t r = d->rows ? d->rows[i0 + i] : i0 + i;
        const double *x = X + r * xs;
        double *o = xb + i * ld;
        double s = d->sw ? sqrt(d->sw[r] * d->w_scale) : 1.0;
        if (d->center && d->sw)
            for (size_t j = 0; j < p; j++)
                o[j] = s * (x[j] - mu[j]);
        else if (d->center)
            for (size_t j = 0; j < p; j++)
                o[j] = x[j] - mu[j];
        else if (d->sw)
            for (size_t j = 0; j < p; j++)
                o[j] = s * x[j];
        else
            memcpy(o, x, p * sizeof *o);
        if (yb) {
            const double *yr = mlc_matrix_row(d->Y, r);
            for (size_t t = 0; t < k; t++)
                yb[i * ld + t] = s * (yr[t] - nu[t]);
        }
        if (sb)
            sb[i * ld] = s;
    }
}

/* A block of rows in the buffer: X~ in columns [0, p), Y~ in [p, p + k)
 * when with_y, the row scales sqrt(w_i) in column p + k when with_scale;
 * rows ld apart. */
typedef struct block_layout {
    int with_y, with_scale;
    /* For a Gram matrix: a narrow block is rounded up to whole GEMM
     * micro-tiles (zero columns); a wider one is held in column panels. */
    int gram;
    int check; /* the panel fill checks that X's values are finite */
} block_layout;

static int layout_panels(const mlc_lin_data *d, block_layout L)
{
    return L.gram && d->p + (L.with_y ? d->k : 0) + (L.with_scale ? 1 : 0) > GRAM_GEMM_MAX;
}

static size_t layout_width(const mlc_lin_data *d, block_layout L)
{
    size_t w = d->p + (L.with_y ? d->k : 0) + (L.with_scale ? 1 : 0);
    if (!L.gram)
        return w;
    size_t tile = w <= GRAM_GEMM_MAX ? 4 : MLC_GRAM_PANEL_W;
    return (w + tile - 1) / tile * tile;
}

/* Rows i0..i0+m of [X~ | Y~ | s] (width columns, zero beyond the data) into
 * column panels `stride` apart: whole panels of X~ in vectors, the rest
 * column by column. The same numbers as fill_rows (x - 0 and 1 * v are
 * exact). Returns whether it met a non-finite value of X (x - x is not 0),
 * which costs nothing next to the memory traffic. */
MLC_HOT static int fill_panels(const mlc_lin_data *d, size_t i0, size_t m, double *buf,
                               size_t stride, size_t width, block_layout L)
{
    const size_t W = MLC_GRAM_PANEL_W;
    size_t p = d->p, k = L.with_y ? d->k : 0, full = p / W;
    const double *mu = d->x_offset, *nu = d->y_offset;
    int bad = 0;
    /* v * 0 is NaN exactly when v is not finite: one add a vector, tested
     * once at the end (a test per value cost the fill a reduction each) */
    mlc_v4d nonfinite = {0};
    for (size_t i = 0; i < m; i++) {
        size_t r = row_index(d, i0 + i);
        const double *x = mlc_matrix_row(d->X, r);
        double s = d->sw ? sqrt(d->sw[r] * d->w_scale) : 1.0;
        double *o = buf + i * W;
        for (size_t q = 0; q < full; q++)
            for (size_t h = 0; h < W; h += 4) {
                mlc_v4d v, c;
                MLC_LOADV(v, x + q * W + h);
                MLC_LOADV(c, mu + q * W + h);
                nonfinite += v * 0.0;
                v = (v - c) * s;
                MLC_STOREV(o + q * stride + h, v);
            }
        for (size_t c = full * W; c < width; c++) {
            double v = 0.0;
            if (c < p) {
                bad |= x[c] - x[c] != 0.0;
                v = s * (x[c] - mu[c]);
            }
            else if (c < p + k)
                v = s * (MLC_AT(d->Y, r, c - p) - nu[c - p]);
            else if (c == p + k && L.with_scale)
                v = s;
            o[(c / W) * stride + c % W] = v;
        }
    }
    for (int h = 0; h < 4; h++)
        bad |= nonfinite[h] != nonfinite[h];
    return bad;
}

/* One block's contribution (m rows, leading dimension ld; for a panel
 * layout, ld is the panel stride) to an accumulator.
 * scratch holds m * scratch_cols doubles. inner > 1: the op may split its
 * work over that many threads (always in the same pieces). */
typedef void (*block_op)(const mlc_lin_data *d, const double *blk, size_t ld, size_t i0,
                         size_t m, double *acc, const void *ctx, double *scratch, int inner);

typedef struct chunk_job {
    const mlc_lin_data *d;
    block_layout L;
    size_t ld, b, scratch_cols;
    block_op op;
    const void *ctx;
    int inner;
    size_t C;
} chunk_job;

/* A thread's working memory, allocated once and reused for every chunk it
 * runs: in a process that fits once, fresh pages cost a fault each, and a
 * buffer per chunk made the first fit ~1.5x slower than the next. */
typedef struct chunk_mem {
    double *buf;     /* the block (and the op's scratch after it) */
    double *acc;     /* one chunk's accumulator (acc_len) */
    size_t len;      /* doubles of the block part of buf */
} chunk_mem;

static int chunk_mem_init(const chunk_job *j, size_t acc_len, int need_acc, chunk_mem *mem)
{
    int panels = layout_panels(j->d, j->L);
    size_t stride = panels ? mlc_gram_panel_stride(j->b) : 0;
    mem->len = panels ? j->ld / MLC_GRAM_PANEL_W * stride : j->b * j->ld;
    /* calloc: padding columns stay zero (fill_rows never writes them) */
    size_t total = mem->len + j->b * j->scratch_cols;
    mem->buf = j->L.gram && !panels ? calloc(total, sizeof(double))
                                    : malloc(total * sizeof(double));
    mem->acc = need_acc ? malloc(acc_len * sizeof(double)) : NULL;
    return !mem->buf || (need_acc && !mem->acc);
}

static void chunk_mem_free(chunk_mem *mem)
{
    free(mem->buf);
    free(mem->acc);
}

/* The rows of chunk c, block by block, into acc. Returns 2 when L.check and
 * a value of X is not finite. */
static int run_chunk(const chunk_job *j, size_t c, const chunk_mem *mem, double *acc)
{
    const mlc_lin_data *d = j->d;
    size_t n = d->n, p = d->p, b = j->b, ld = j->ld;
    mlc_parts P = mlc_parts_even(n, j->C, 1);
    size_t lo = mlc_part_lo(&P, c), hi = mlc_part_hi(&P, c);
    int panels = layout_panels(d, j->L);
    size_t stride = panels ? mlc_gram_panel_stride(b) : 0;
    double *buf = mem->buf, *scratch = buf + mem->len;
    int bad = 0;
    for (size_t i0 = lo; i0 < hi; i0 += b) {
        size_t m = hi - i0 < b ? hi - i0 : b;
        if (panels)
            bad |= fill_panels(d, i0, m, buf, stride, ld, j->L);
        else
            fill_rows(d, i0, m, buf, j->L.with_y ? buf + p : NULL,
                      j->L.with_scale ? buf + p + (j->L.with_y ? d->k : 0) : NULL, ld);
        j->op(d, buf, panels ? stride : ld, i0, m, acc, j->ctx, scratch, j->inner);
    }
    return bad && j->L.check ? 2 : 0;
}

/* result (acc_len) = sum over blocks of op(block), chunked as described in
 * the header: each chunk sums into its own zeroed accumulator, and the
 * chunks' sums are added to result in chunk order (an ordered section), so
 * the bits depend on the chunks only, never on the threads. */
static int reduce_blocks(const mlc_lin_data *d, size_t acc_len, block_layout L,
                         size_t scratch_cols, block_op op, const void *ctx, double *result,
                         double flops)
{
    size_t n = d->n, p = d->p, ld = layout_width(d, L);
    size_t C = n_chunks(n, acc_len);
    size_t b = block_rows(p);
    if (b > (n + C - 1) / C)
        b = (n + C - 1) / C;
    memset(result, 0, acc_len * sizeof *result);
    int threads = mlc_lin_threads_for(d, flops);
    /* Threads inside a single chunk's op pay only for a wide accumulator
     * (a few chunk rows, many columns): with p = 100 they made a fit of
     * 1000 to 8000 rows 1.4-2.3x slower than one thread. */
    int wide = acc_len * sizeof(double) > CHUNK_ACC_MAX_BYTES;
    int par = C > 1 && threads > 1, inner = C > 1 || !wide ? 1 : threads;
    /* BLAS stays on one thread: threaded OpenBLAS kernels do not give the
     * same bits for every thread count. Parallelism comes from the chunks,
     * or inside the op for a single chunk. */
    mlc_blas_set_threads(1);
    if (par && threads > (int)C)
        threads = (int)C;
    int failed = 0;
    chunk_job job = {d, L, ld, b, scratch_cols, op, ctx, inner, C};
    if (par) {
#pragma omp parallel num_threads(threads)
        {
            chunk_mem mem;
            int oom = chunk_mem_init(&job, acc_len, 1, &mem);
#pragma omp for ordered schedule(static, 1)
            for (size_t c = 0; c < C; c++) {
                int rc = 1;
                if (!oom) {
                    memset(mem.acc, 0, acc_len * sizeof *mem.acc);
                    rc = run_chunk(&job, c, &mem, mem.acc);
                }
#pragma omp ordered
                {
                    if (!oom)
                        for (size_t j = 0; j < acc_len; j++)
                            result[j] += mem.acc[j];
                    failed |= rc;
                }
            }
            chunk_mem_free(&mem);
        }
    } else { /* no thread team for serial work: small inputs stay cheap */
        chunk_mem mem;
        failed = chunk_mem_init(&job, acc_len, C > 1, &mem);
        for (size_t c = 0; c < C && !(failed & 1); c++) {
            if (C == 1) {
                failed |= run_chunk(&job, c, &mem, result);
                break;
            }
            memset(mem.acc, 0, acc_len * sizeof *mem.acc);
            failed |= run_chunk(&job, c, &mem, mem.acc);
            for (size_t j = 0; j < acc_len; j++)
                result[j] += mem.acc[j];
        }
        chunk_mem_free(&mem);
    }
    if (failed & 1)
        return mlc_raise_nomem("linear model block buffers");
    return failed ? MLC_ENONFINITE : MLC_OK; /* the caller names the value */
}

/* When the offsets are not known yet, centre the rows on a shift (the mean
 * of the first rows); the products then carry the scale column, from which
 * the offsets and an exact correction follow. Returns whether it shifted. */
void mlc_lin_first_rows_mean(const mlc_lin_data *d, double *out)
{
    size_t p = d->p, k = d->k, m0 = d->n < SHIFT_ROWS ? d->n : SHIFT_ROWS;
    memset(out, 0, (p + k) * sizeof(double));
    for (size_t i = 0; i < m0; i++) {
        size_t r = row_index(d, i);
        const double *x = mlc_matrix_row(d->X, r);
        for (size_t j = 0; j < p; j++)
            out[j] += x[j];
        for (size_t t = 0; t < k; t++)
            out[p + t] += MLC_AT(d->Y, r, t);
    }
    for (size_t j = 0; m0 && j < p + k; j++)
        out[j] /= (double)m0;
}

static int set_shift(mlc_lin_data *d)
{
    if (d->have_offsets)
        return 0;
    /* Data that fit in cache are cheaper to read twice than to carry the
     * extra column: compute the offsets exactly first. */
    if (d->n * (d->p + d->k) <= SMALL_DATA_VALUES && mlc_lin_data_offsets(d) == MLC_OK)
        return 0;
    mlc_lin_first_rows_mean(d, d->x_offset); /* x_offset | y_offset */
    return 1;
}

/* With the scaled sums sx = sum s_i x~_i (p), sy (k) and W = sum s_i^2 of a
 * shifted pass: the offsets become shift + sx / W, and dx, dy get the
 * differences for the correction M - W d d' of each second moment. */
static void finish_shift(mlc_lin_data *d, const double *sx, size_t sx_stride, const double *sy,
                         size_t sy_stride, double W, double *dx, double *dy)
{
    for (size_t j = 0; j < d->p; j++) {
        dx[j] = sx[j * sx_stride] / W;
        d->x_offset[j] += dx[j];
    }
    for (size_t t = 0; t < d->k; t++) {
        dy[t] = sy[t * sy_stride] / W;
        d->y_offset[t] += dy[t];
    }
    d->have_offsets = 1;
}

int mlc_lin_cancels(double m, double c)
{
    return c > SHIFT_MAX_CANCEL * m;
}

/* ------------------------------------------------------------- products */

/* acc[:, c0:c1) (ldc columns) += A' B[:, c0:c1) for column blocks of the
 * output, in the same fixed pieces whatever the thread count. With `upper`,
 * only rows [0, c1) of each block: the upper triangle of a symmetric
 * product (A = B). */
static void gemm_tn_blocks(size_t rows_out, size_t cols_out, size_t m, const double *A,
                           size_t lda, const double *B, size_t ldb, double *acc, size_t ldc,
                           int upper, int inner)
{
    size_t nb = cols_out < GEMM_BLOCKS ? cols_out : GEMM_BLOCKS;
#pragma omp parallel for schedule(dynamic, 1) num_threads(inner) if (inner > 1)
    for (size_t b = 0; b < nb; b++) {
        size_t c0 = b * cols_out / nb, c1 = (b + 1) * cols_out / nb;
        size_t r = upper ? c1 : rows_out;
        if (c1 > c0)
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)r, (int)(c1 - c0), (int)m,
                        1.0, A, (int)lda, B + c0, (int)ldb, 1.0, acc + c0, (int)ldc);
    }
}

void mlc_lin_syrk_nt(const double *A, size_t r, size_t c, size_t lda, double *G, int threads)
{
    size_t nb = r < GEMM_BLOCKS ? r : GEMM_BLOCKS;
    mlc_blas_set_threads(1);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1)
    for (size_t b = 0; b < nb; b++) {
        size_t c0 = b * r / nb, c1 = (b + 1) * r / nb;
        if (c1 > c0) /* rows [0, c1) of columns [c0, c1) */
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)c1, (int)(c1 - c0), (int)c,
                        1.0, A, (int)lda, A + c0 * lda, (int)lda, 0.0, G + c0, (int)r);
    }
    for (size_t i = 0; i < r; i++)
        for (size_t j = i + 1; j < r; j++)
            G[j * r + i] = G[i * r + j];
}

/* acc (P x P upper) += B'B for the whole block [X~ | Y~ | s]: every second
 * moment in one product. ctx: P. A narrow block is one GEMM (row layout,
 * ld = P); a wider one is in panels (ld = the panel stride), split by
 * panel rows over `inner` threads when it is a single chunk. */
static void gram_op(const mlc_lin_data *d, const double *blk, size_t ld, size_t i0, size_t m,
                    double *acc, const void *ctx, double *scratch, int inner)
{
    (void)scratch;
    size_t P = *(const size_t *)ctx;
    if (P <= GRAM_GEMM_MAX) {
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)P, (int)P, (int)m, 1.0, blk,
                    (int)P, blk, (int)P, 1.0, acc, (int)P);
        return;
    }
    size_t np = P / MLC_GRAM_PANEL_W;
    /* Rows stored one after another: fetch the next block's while this one
     * is multiplied, a slice per panel row. */
    const char *next = NULL;
    size_t bytes = 0;
    if (!d->rows && i0 + m < d->n) {
        size_t ahead = d->n - (i0 + m) < m ? d->n - (i0 + m) : m;
        next = (const char *)mlc_matrix_row(d->X, i0 + m);
        bytes = ((ahead - 1) * d->X->stride + d->p) * sizeof(double);
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(inner) if (inner > 1)
    for (size_t q = 0; q < np; q++)
        mlc_gram_panels_accumulate(blk, ld, m, np, q, q + 1, acc, P,
                                   next ? next + q * bytes / np : NULL,
                                   (q + 1) * bytes / np - q * bytes / np);
}

/* Small unweighted data over all rows: the offsets, X~'y~ and y~'y~ from
 * one pass of column sums (mlc_lin_small_sums, which also checks X's
 * values), the Gram matrix from one GEMM straight from X (no centred
 * copy), then M - W mu mu' with the exact means. The targets are centred
 * exactly (their mean is often larger than their spread):
 * X~'y~ = X'(y - nu) - mu sum(y - nu). Returns 0 when it does not apply or
 * when a correction would cost precision (the centred pass then runs, on
 * the means found here); *st gets any error. */
static int gram_small_raw(mlc_lin_data *d, double *G, double *XtY, double *yty, int *st)
{
    size_t n = d->n, p = d->p, k = d->k;
    if (d->sw || d->rows || n * (p + k) > SMALL_DATA_VALUES || p > MLC_LIN_SMALL_SUMS_MAX_P)
        return 0;
    const double *X = d->X->data;
    size_t ld = d->X->stride;
    double W = d->sw_sum;
    /* yc: n centred values per target, then p sums of X (again for targets
     * after the first) and k sums of yc */
    double *yc = malloc((n * k + p + k) * sizeof *yc);
    if (!yc) {
        *st = mlc_raise_nomem("a centred target");
        return 1;
    }
    double *sx = yc + n * k, *syc = sx + p;
    for (size_t t = 0; t < k; t++) {
        double ss;
        mlc_lin_small_center(d->Y->data + t, n, d->Y->stride, W, d->center, yc + t * n,
                             &d->y_offset[t], &syc[t], &ss);
        if (yty)
            yty[t] = ss;
    }
    int bad = mlc_lin_small_sums(X, n, p, ld, k ? yc : NULL, sx, k && XtY ? XtY : NULL);
    if (bad) { /* a NaN or infinity in X (named by the scan), or an overflow */
        *st = d->unchecked ? mlc_check_X_mt(d->X, "X", d->threads) : MLC_OK;
        free(yc);
        if (!*st)
            d->unchecked = 0;
        return *st != MLC_OK; /* overflow: the general route decides */
    }
    d->unchecked = 0;
    for (size_t j = 0; j < p; j++)
        d->x_offset[j] = d->center ? sx[j] / W : 0.0;
    d->have_offsets = 1;
    const double *mu = d->x_offset;
    for (size_t t = 0; XtY && t < k; t++) {
        if (t > 0)
            mlc_lin_small_sums(X, n, p, ld, yc + t * n, sx, XtY + t * p);
        for (size_t j = 0; j < p; j++)
            XtY[t * p + j] -= mu[j] * syc[t];
    }
    free(yc);
    mlc_blas_set_threads(1);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)n, 1.0, X, (int)ld,
                X, (int)ld, 0.0, G, (int)p);
    for (size_t i = 0; i < p; i++) {
        if (mlc_lin_cancels(G[i * p + i], W * mu[i] * mu[i]))
            return 0;
        for (size_t j = i; j < p; j++) /* from the upper triangle: exactly symmetric */
            G[i * p + j] = G[j * p + i] = G[i * p + j] - W * mu[i] * mu[j];
    }
    return 1;
}

int mlc_lin_gram(mlc_lin_data *d, double *G, double *XtY, double *yty)
{
    int small = MLC_OK;
    if (gram_small_raw(d, G, XtY, yty, &small))
        return small;
    size_t p = d->p, k = d->k;
    int shifted = set_shift(d);
    block_layout L = {k > 0, shifted, 1, 0};
    /* the panel fill checks the values on the way; a narrow block does not */
    L.check = d->unchecked && layout_panels(d, L);
    int st = L.check ? MLC_OK : ensure_checked(d);
    if (st)
        return st;
    size_t P = layout_width(d, L), S = p + k; /* S: the scale column */
    double *acc = malloc((P * P + p + k) * sizeof *acc);
    if (!acc)
        return mlc_raise_nomem("a Gram matrix");
    double *dx = acc + P * P, *dy = dx + p;
    double flops = (double)d->n * (double)P * (double)P;
    st = reduce_blocks(d, P * P, L, 0, gram_op, &P, acc, flops);
    if (st == MLC_ENONFINITE) { /* name the value as the scan does */
        st = mlc_check_X_mt(d->X, "X", d->threads);
        if (!st)
            st = mlc_raise(MLC_ENONFINITE, "X has a non-finite value");
    }
    if (!st)
        d->unchecked = 0;
    L.check = 0;
    if (!st && shifted) {
        /* moments of the centred rows = shifted moments - W d d' */
        double W = acc[S * P + S];
        finish_shift(d, acc + S, P, acc + p * P + S, P, W, dx, dy);
        int redo = 0;
        for (size_t i = 0; i < p + k; i++) {
            double di = i < p ? dx[i] : dy[i - p];
            redo |= mlc_lin_cancels(acc[i * P + i], W * di * di);
            for (size_t j = i; j < p + k; j++)
                acc[i * P + j] -= W * di * (j < p ? dx[j] : dy[j - p]);
        }
        if (redo) { /* the first rows were far from the mean: centre exactly */
            L.with_scale = 0;
            P = layout_width(d, L);
            st = reduce_blocks(d, P * P, L, 0, gram_op, &P, acc, flops);
        }
    }
    if (!st) {
        for (size_t i = 0; i < p; i++) {
            G[i * p + i] = acc[i * P + i];
            for (size_t j = i + 1; j < p; j++)
                G[i * p + j] = G[j * p + i] = acc[i * P + j];
        }
        for (size_t t = 0; t < k; t++) {
            for (size_t j = 0; XtY && j < p; j++)
                XtY[t * p + j] = acc[j * P + p + t];
            if (yty)
                yty[t] = acc[(p + t) * P + p + t];
        }
    }
    free(acc);
    return st;
}

/* acc = [[Y~ s]' X~ ((k + e) x p) | [Y~ s]'[Y~ s] upper ((k + e)^2) | column
 * sums of X~^2 (p)], e = 1 with the scale column. */
static void xty_op(const mlc_lin_data *d, const double *blk, size_t ld, size_t i0, size_t m,
                   double *acc, const void *ctx, double *scratch, int inner)
{
    (void)i0;
    (void)ctx;
    (void)scratch;
    (void)inner;
    size_t p = d->p, q = ld - p;
    if (q == 1)
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, (int)p, 1.0, blk, (int)ld, blk + p,
                    (int)ld, 1.0, acc, 1);
    else if (q > 1)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)q, (int)p, (int)m, 1.0,
                    blk + p, (int)ld, blk, (int)ld, 1.0, acc, (int)p);
    double *yy = acc + q * p, *nrm = yy + q * q;
    for (size_t i = 0; i < m; i++) {
        const double *row = blk + i * ld;
        for (size_t a = 0; a < q; a++)
            for (size_t c = a; c < q; c++)
                yy[a * q + c] += row[p + a] * row[p + c];
        for (size_t j = 0; j < p; j++)
            nrm[j] += row[j] * row[j];
    }
}

int mlc_lin_xty(mlc_lin_data *d, double *XtY, double *yty, double *col_norm2)
{
    int st0 = ensure_checked(d);
    if (st0)
        return st0;
    size_t p = d->p, k = d->k;
    int shifted = set_shift(d);
    block_layout L = {k > 0, shifted, 0, 0};
    size_t q = layout_width(d, L) - p, len = q * p + q * q + p;
    double *acc = malloc((len + p + k) * sizeof *acc);
    if (!acc)
        return mlc_raise_nomem("X'y");
    double *dx = acc + len, *dy = dx + p;
    double flops = 2.0 * (double)d->n * (double)p * (double)(q + 1);
    int st = reduce_blocks(d, len, L, 0, xty_op, NULL, acc, flops);
    double *yy = acc + q * p, *nrm = yy + q * q;
    if (!st && shifted) {
        double W = yy[q * q - 1];
        finish_shift(d, acc + k * p, 1, yy + q - 1, q, W, dx, dy);
        int redo = 0;
        for (size_t t = 0; t < k; t++) {
            redo |= mlc_lin_cancels(yy[t * q + t], W * dy[t] * dy[t]);
            yy[t * q + t] -= W * dy[t] * dy[t];
            for (size_t j = 0; j < p; j++)
                acc[t * p + j] -= W * dy[t] * dx[j];
        }
        for (size_t j = 0; j < p; j++) {
            redo |= mlc_lin_cancels(nrm[j], W * dx[j] * dx[j]);
            nrm[j] -= W * dx[j] * dx[j];
        }
        if (redo) {
            L.with_scale = 0;
            q = layout_width(d, L) - p;
            len = q * p + q * q + p;
            st = reduce_blocks(d, len, L, 0, xty_op, NULL, acc, flops);
            yy = acc + q * p;
            nrm = yy + q * q;
        }
    }
    if (!st) {
        if (XtY)
            memcpy(XtY, acc, p * k * sizeof *XtY);
        for (size_t t = 0; yty && t < k; t++)
            yty[t] = yy[t * q + t];
        if (col_norm2)
            memcpy(col_norm2, nrm, p * sizeof *col_norm2);
    }
    free(acc);
    return st;
}

typedef struct cols_ctx {
    const size_t *cols;
    size_t m;
} cols_ctx;

/* acc (m x p) += X~b[:, cols]' X~b, scratch: the gathered columns. */
static void cols_op(const mlc_lin_data *d, const double *blk, size_t ld, size_t i0, size_t rows,
                    double *acc, const void *ctx, double *scratch, int inner)
{
    (void)i0;
    const cols_ctx *c = ctx;
    size_t p = d->p, m = c->m;
    for (size_t i = 0; i < rows; i++)
        for (size_t a = 0; a < m; a++)
            scratch[i * m + a] = blk[i * ld + c->cols[a]];
    gemm_tn_blocks(m, p, rows, scratch, m, blk, ld, acc, p, 0, inner);
}

int mlc_lin_gram_cols(const mlc_lin_data *d, const size_t *cols, size_t m, double *out)
{
    int st = mlc_lin_checked(d);
    if (st)
        return st;
    cols_ctx c = {cols, m};
    block_layout L = {0, 0, 0, 0};
    return reduce_blocks(d, m * d->p, L, m, cols_op, &c, out,
                         2.0 * (double)d->n * (double)d->p * (double)m);
}

/* acc (k x p) += (Y~b - X~b W')' X~b, scratch: m x k residuals. */
static void residual_op(const mlc_lin_data *d, const double *blk, size_t ld, size_t i0,
                        size_t m, double *acc, const void *ctx, double *scratch, int inner)
{
    (void)i0;
    (void)inner;
    const double *W = ctx;
    size_t p = d->p, k = d->k;
    for (size_t i = 0; i < m; i++)
        for (size_t t = 0; t < k; t++)
            scratch[i * k + t] = blk[i * ld + p + t];
    if (k == 1) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)p, -1.0, blk, (int)ld, W, 1, 1.0,
                    scratch, 1);
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, (int)p, 1.0, blk, (int)ld, scratch, 1,
                    1.0, acc, 1);
    } else {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)k, (int)p, -1.0, blk,
                    (int)ld, W, (int)p, 1.0, scratch, (int)k);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)p, (int)m, 1.0,
                    scratch, (int)k, blk, (int)ld, 1.0, acc, (int)p);
    }
}

int mlc_lin_residual_corr(const mlc_lin_data *d, const double *coef, double *out)
{
    int st = mlc_lin_checked(d);
    if (st)
        return st;
    block_layout L = {1, 0, 0, 0};
    return reduce_blocks(d, d->p * d->k, L, d->k, residual_op, coef, out,
                         4.0 * (double)d->n * (double)d->p * (double)d->k);
}

typedef struct copy_ctx {
    double *Xc, *Yc;
    size_t ldx, ldy;
} copy_ctx;

/* Transpose the block into the column-major copies (tiles of 8 rows, so each
 * column gets whole cache lines), then accumulate as xty_op. */
static void copy_op(const mlc_lin_data *d, const double *blk, size_t ld, size_t i0, size_t m,
                    double *acc, const void *ctx, double *scratch, int inner)
{
    const copy_ctx *c = ctx;
    size_t p = d->p, k = d->k;
    for (size_t i = 0; i < m; i += 8) {
        size_t mi = m - i < 8 ? m - i : 8;
        const double *src = blk + i * ld;
        for (size_t j = 0; j < p + k; j++) {
            double *dst = j < p ? c->Xc + j * c->ldx : c->Yc + (j - p) * c->ldy;
            dst += i0 + i;
            for (size_t u = 0; u < mi; u++)
                dst[u] = src[u * ld + j];
        }
    }
    xty_op(d, blk, ld, i0, m, acc, NULL, scratch, inner);
}

int mlc_lin_copy_colmajor_blocks(const mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                                 size_t ldy, double *XtY, double *yty, double *col_norm2)
{
    int st0 = mlc_lin_checked(d);
    if (st0)
        return st0;
    size_t p = d->p, k = d->k, len = k * p + k * k + p;
    double *acc = malloc(len * sizeof *acc);
    if (!acc)
        return mlc_raise_nomem("a centred copy of X");
    block_layout L = {1, 0, 0, 0};
    copy_ctx c = {Xc, Yc, ldx, ldy};
    int st = reduce_blocks(d, len, L, 0, copy_op, &c, acc,
                           2.0 * (double)d->n * (double)p * (double)(k + 2));
    if (!st) {
        memcpy(XtY, acc, k * p * sizeof *XtY);
        for (size_t t = 0; t < k; t++)
            yty[t] = acc[k * p + t * k + t];
        memcpy(col_norm2, acc + k * p + k * k, p * sizeof *col_norm2);
    }
    free(acc);
    return st;
}

size_t mlc_lin_project_nblocks(const mlc_lin_data *d)
{
    size_t b = block_rows(d->p);
    return (d->n + b - 1) / b;
}

int mlc_lin_project_blocks(const mlc_lin_data *d, const double *B, size_t q,
                           mlc_lin_block_fn fn, void *ctx, size_t scratch_per_row)
{
    int st0 = mlc_lin_checked(d);
    if (st0)
        return st0;
    size_t n = d->n, p = d->p, b = block_rows(p);
    size_t nblocks = (n + b - 1) / b;
    int threads = mlc_lin_threads_for(d, 2.0 * (double)n * (double)p * (double)q);
    int par = threads > 1 && nblocks > 1;
    mlc_blas_set_threads(par ? 1 : threads);
    int failed = 0;
#pragma omp parallel num_threads(threads) if (par)
    {
        /* the block of X~, then its projections, then the caller's scratch */
        double *xb = malloc(b * (p + q + scratch_per_row) * sizeof *xb);
        if (!xb) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (size_t blk = 0; blk < nblocks; blk++) {
            if (!xb)
                continue;
            size_t i0 = blk * b, m = n - i0 < b ? n - i0 : b;
            double *zb = xb + b * p;
            fill_rows(d, i0, m, xb, NULL, NULL, p);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)q, (int)p, 1.0, xb,
                        (int)p, B, (int)p, 0.0, zb, (int)q);
            fn(blk, i0, m, zb, q, zb + b * q, ctx);
        }
        free(xb);
    }
    return failed ? mlc_raise_nomem("projection buffers") : MLC_OK;
}

/* The centred, weighted copies, value (i, j) of X~ at Xc[i * xi + j * xj]
 * and value (i, t) of Y~ at Yc[i * yi + t * yt]: one loop for both layouts. */
static void copy_centred(const mlc_lin_data *d, double *Xc, size_t xi, size_t xj, double *Yc,
                         size_t yi, size_t yt)
{
    size_t n = d->n, p = d->p, k = d->k;
    const double *mu = d->x_offset, *nu = d->y_offset;
    int threads = mlc_lin_threads_for(d, (double)n * (double)(p + k) * 4.0);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (size_t i = 0; i < n; i++) {
        size_t r = row_index(d, i);
        double s = mlc_lin_row_scale(d, i);
        if (Xc) {
            const double *x = mlc_matrix_row(d->X, r);
            for (size_t j = 0; j < p; j++)
                Xc[i * xi + j * xj] = s * (x[j] - mu[j]);
        }
        if (Yc) {
            const double *yr = mlc_matrix_row(d->Y, r);
            for (size_t t = 0; t < k; t++)
                Yc[i * yi + t * yt] = s * (yr[t] - nu[t]);
        }
    }
}

void mlc_lin_copy_colmajor(const mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                           size_t ldy)
{
    copy_centred(d, Xc, 1, ldx, Yc, 1, ldy);
}

void mlc_lin_copy_rowmajor(const mlc_lin_data *d, double *Xc, double *Yc)
{
    copy_centred(d, Xc, d->p, 1, Yc, d->k, 1);
}
