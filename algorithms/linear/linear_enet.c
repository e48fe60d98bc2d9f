/* The elastic-net engine (see algorithms/linear/linear_enet.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "linear_enet.h"
#include "internal/mem.h"
#include "mlcore/linear.h"

/* LAZY pays when the whole Gram matrix costs more than a few passes over X
 * and p is large enough for the strong rule to drop many columns. */
#define LAZY_MIN_P 160
#define LAZY_MIN_FLOPS 1e8
/* Fetch the strong set only when it has at most p / LAZY_MAX_SHARE columns. */
#define LAZY_MAX_SHARE 3
/* Start in the column form above this many features; switch to the Gram
 * form after about p / HYBRID_EPOCH_RATIO epochs, when an epoch over the
 * columns (n p memory-bound) has cost about what X'X (n p^2 compute-bound)
 * would. */
#define HYBRID_MIN_P 256
#define HYBRID_EPOCH_RATIO 40

int mlc_enet_use_gram(int precompute, size_t n, size_t p)
{
    if (precompute == MLC_PRECOMPUTE_TRUE)
        return 1;
    if (precompute == MLC_PRECOMPUTE_FALSE)
        return 0;
    return n > p; /* scikit-learn's 'auto' */
}

int mlc_enet_gram_form(size_t n, size_t p)
{
    if (p > HYBRID_MIN_P)
        return MLC_ENET_HYBRID;
    return p >= LAZY_MIN_P && (double)n * (double)p * (double)p >= LAZY_MIN_FLOPS
               ? MLC_ENET_LAZY
               : MLC_ENET_GRAM;
}

/* ------------------------------------------------------- the column cache */

typedef struct lazy_cols {
    mlc_cd_colsrc base;
    const mlc_lin_data *d;
    size_t p;
    const double **slot; /* p: column j, or NULL before it is fetched */
    double **blocks;     /* fetched batches */
    size_t n_blocks, cap_blocks;
} lazy_cols;

static void lazy_clear(mlc_cd_colsrc *src)
{
    lazy_cols *L = (lazy_cols *)src;
    if (!L)
        return;
    for (size_t b = 0; b < L->n_blocks; b++)
        free(L->blocks[b]);
    free(L->blocks);
    free(L->slot);
    free(L);
}

/* Fetch the columns js[0..m) not fetched yet, in one pass over the data. */
static int lazy_fetch(lazy_cols *L, const size_t *js, size_t m)
{
    if (m == 0)
        return MLC_OK;
    if (L->n_blocks == L->cap_blocks) {
        size_t cap = L->cap_blocks ? 2 * L->cap_blocks : 8;
        double **b = realloc(L->blocks, cap * sizeof *b);
        if (!b)
            return mlc_raise_nomem("Gram columns");
        L->blocks = b;
        L->cap_blocks = cap;
    }
    double *blk = malloc(m * L->p * sizeof *blk);
    if (!blk)
        return mlc_raise_nomem("Gram columns");
    int st = mlc_lin_gram_cols(L->d, js, m, blk);
    if (st) {
        free(blk);
        return st;
    }
    L->blocks[L->n_blocks++] = blk;
    for (size_t a = 0; a < m; a++)
        L->slot[js[a]] = blk + a * L->p;
    return MLC_OK;
}

static const double *lazy_get(mlc_cd_colsrc *src, size_t j)
{
    lazy_cols *L = (lazy_cols *)src;
    if (!L->slot[j] && lazy_fetch(L, &j, 1) != MLC_OK)
        return NULL;
    return L->slot[j];
}

static int lazy_new(const mlc_lin_data *d, mlc_cd_colsrc **out)
{
    lazy_cols *L = calloc(1, sizeof *L);
    if (!L || !(L->slot = calloc(d->p, sizeof *L->slot))) {
        free(L);
        return mlc_raise_nomem("the Gram column cache");
    }
    L->base.get = lazy_get;
    L->d = d;
    L->p = d->p;
    *out = &L->base;
    return MLC_OK;
}

/* ---------------------------------------------------------------- problem */

void mlc_enet_problem_clear(mlc_enet_problem *pb)
{
    if (!pb)
        return;
    free(pb->Q);
    lazy_clear(pb->cols);
    free(pb->diag);
    free(pb->q);
    mlc_aligned_free(pb->Xc);
    free(pb->xres);
    free(pb->Yc);
    free(pb->y_norm2);
    memset(pb, 0, sizeof *pb);
}

static int init_cols_form(mlc_enet_problem *pb, mlc_lin_data *d)
{
    size_t n = pb->n, p = pb->p, k = pb->k;
    /* large: 2 MiB aligned, huge pages (internal/mem.h); every column on
     * whole cache lines, which the copy then writes past the cache */
    pb->ldx = (n + 7) / 8 * 8;
    if (!(pb->Xc = mlc_aligned_alloc(pb->ldx * p, sizeof *pb->Xc)) ||
        !(pb->xres = malloc(p * sizeof *pb->xres)) ||
        !(pb->Yc = malloc(n * k * sizeof *pb->Yc)))
        return mlc_raise_nomem("a centred copy of X");
    /* q is needed by the alpha grid of the paths; the copy finds the
     * offsets itself when they are not known (no pass before it) */
    return mlc_lin_copy_colmajor_fused(d, pb->Xc, pb->ldx, pb->Yc, n, pb->q, pb->y_norm2,
                                       pb->diag, pb->xres);
}

int mlc_enet_problem_init(mlc_enet_problem *pb, mlc_lin_data *d, int form)
{
    memset(pb, 0, sizeof *pb);
    size_t p = d->p, k = d->k;
    pb->n = d->n;
    pb->p = p;
    pb->k = k;
    pb->form = form;
    pb->d = d;
    pb->q = malloc(k * p * sizeof *pb->q);
    pb->y_norm2 = malloc(k * sizeof *pb->y_norm2);
    pb->diag = malloc(p * sizeof *pb->diag);
    int st = pb->q && pb->y_norm2 && pb->diag ? MLC_OK
                                               : mlc_raise_nomem("the coordinate descent problem");
    if (!st && (form == MLC_ENET_COLS || form == MLC_ENET_HYBRID)) {
        st = init_cols_form(pb, d);
    } else if (!st && form == MLC_ENET_GRAM) {
        if (!(pb->Q = malloc(p * p * sizeof *pb->Q)))
            st = mlc_raise_nomem("the Gram matrix");
        if (!st)
            st = mlc_lin_gram(d, pb->Q, pb->q, pb->y_norm2);
        for (size_t j = 0; !st && j < p; j++)
            pb->diag[j] = pb->Q[j * p + j];
    } else if (!st) {
        st = mlc_lin_xty(d, pb->q, pb->y_norm2, pb->diag);
        if (!st)
            st = lazy_new(d, &pb->cols);
    }
    if (st)
        mlc_enet_problem_clear(pb);
    return st;
}

int mlc_enet_prefetch(mlc_enet_problem *pb, double alpha, double l1_ratio, int positive)
{
    if (pb->form != MLC_ENET_LAZY)
        return MLC_OK;
    size_t p = pb->p, m = 0;
    size_t *keep = malloc(p * sizeof *keep);
    unsigned char *mark = calloc(p, 1);
    if (!keep || !mark) {
        free(keep);
        free(mark);
        return mlc_raise_nomem("the strong set");
    }
    /* Sequential strong rule from w = 0 (previous penalty l1_max): keep j
     * when |q_j| >= 2 l1 - l1_max. */
    double l1 = alpha * l1_ratio * (double)pb->n;
    for (size_t t = 0; t < pb->k; t++) {
        const double *q = pb->q + t * p;
        double l1_max = 0.0;
        for (size_t j = 0; j < p; j++)
            l1_max = fabs(q[j]) > l1_max ? fabs(q[j]) : l1_max;
        for (size_t j = 0; j < p; j++) {
            double c = positive ? q[j] : fabs(q[j]);
            if (!mark[j] && c >= 2.0 * l1 - l1_max && pb->diag[j] > 0.0) {
                mark[j] = 1;
                keep[m++] = j;
            }
        }
    }
    int st;
    if (m * LAZY_MAX_SHARE <= p) {
        st = lazy_fetch((lazy_cols *)pb->cols, keep, m);
    } else {
        /* Most columns will be needed: the whole matrix in one SYRK pass. */
        if (!(pb->Q = malloc(p * p * sizeof *pb->Q)))
            st = mlc_raise_nomem("the Gram matrix");
        else
            st = mlc_lin_gram(pb->d, pb->Q, NULL, NULL);
        if (!st) {
            lazy_clear(pb->cols);
            pb->cols = NULL;
            pb->form = MLC_ENET_GRAM;
        }
    }
    free(keep);
    free(mark);
    return st;
}

/* HYBRID -> GRAM: X'X from the column copy, which is then dropped. */
static int hybrid_to_gram(mlc_enet_problem *pb)
{
    size_t n = pb->n, p = pb->p;
    if (!(pb->Q = malloc(p * p * sizeof *pb->Q)))
        return mlc_raise_nomem("the Gram matrix");
    /* the Gram matrix of X~: the offsets left in the copy go first */
    for (size_t j = 0; j < p; j++)
        if (pb->xres[j] != 0.0)
            for (size_t i = 0; i < n; i++)
                pb->Xc[j * pb->ldx + i] -= pb->xres[j];
    /* the column-major copy read row-major is X~' (p x n) */
    mlc_lin_syrk_nt(pb->Xc, p, n, pb->ldx, pb->Q,
                    mlc_lin_threads_for(pb->d, (double)n * (double)p * (double)p));
    mlc_aligned_free(pb->Xc);
    free(pb->Yc);
    pb->Xc = pb->Yc = NULL;
    pb->form = MLC_ENET_GRAM;
    return MLC_OK;
}

int mlc_enet_solve(mlc_enet_problem *pb, size_t t, double alpha, const mlc_enet_settings *s,
                   double *w, mlc_cd_work *ws, mlc_cd_result *res)
{
    double n = (double)pb->n;
    mlc_cd_opts o = {alpha * s->l1_ratio * n, alpha * (1.0 - s->l1_ratio) * n, s->tol,
                     s->max_iter, s->positive, s->rng, 0, 0, s->progress};
    /* The penalties scale with n: overflow would make the duality gap NaN. */
    if (!isfinite(o.l1) || !isfinite(o.l2))
        return mlc_raise(MLC_ERANGE, "alpha = %g times %zu samples overflows; use a smaller alpha",
                         alpha, pb->n);
    int st = MLC_OK, gram = pb->form == MLC_ENET_GRAM || pb->form == MLC_ENET_LAZY;
    if (!gram) {
        if (pb->form == MLC_ENET_HYBRID)
            o.pause = (long)(pb->p / HYBRID_EPOCH_RATIO);
        mlc_cd_cols c = {pb->n, pb->p, pb->Xc, pb->ldx, pb->xres, pb->Yc + t * pb->n, pb->diag,
                         pb->y_norm2[t],
                         mlc_lin_threads_for(pb->d, 4.0 * (double)pb->n * (double)pb->p)};
        mlc_cd_cols_solve(&c, &o, w, ws, res);
        if (res->stopped)
            return MLC_EINTERRUPTED;
        if (res->paused) { /* the same iterates go on in the Gram form */
            if ((st = hybrid_to_gram(pb)))
                return st;
            o.it0 = res->n_iter;
            o.pause = 0;
            gram = 1;
        }
    }
    if (gram) {
        mlc_cd_gram g = {pb->p, pb->Q, pb->cols, pb->diag, pb->q + t * pb->p, pb->y_norm2[t]};
        st = mlc_cd_gram_solve(&g, &o, w, ws, res);
        if (!st && res->stopped)
            return MLC_EINTERRUPTED;
    }
    res->gap /= n;
    if (!st && !isfinite(res->gap)) /* residual norms overflowed */
        st = mlc_raise(MLC_ERANGE, "the duality gap overflows: X or y has values too large "
                       "for double precision; rescale them");
    return st;
}

int mlc_enet_path_run(mlc_enet_problem *pb, size_t t, const double *alphas,
                      size_t path_len, const mlc_enet_settings *s, double *w, double *coefs,
                      double *gaps, int64_t *n_iters)
{
    mlc_cd_work ws;
    int st = mlc_cd_work_alloc(&ws, pb->Xc ? pb->n : 0, pb->p);
    for (size_t i = 0; i < path_len && !st; i++) {
        mlc_cd_result res;
        mlc_progress_stage(s->progress, s->path_level, "alpha", i, path_len);
        if ((st = mlc_enet_solve(pb, t, alphas[i], s, w, &ws, &res)))
            break;
        if (coefs)
            memcpy(coefs + i * pb->p, w, pb->p * sizeof *w);
        if (gaps)
            gaps[i] = res.gap;
        if (n_iters)
            n_iters[i] = res.n_iter;
    }
    mlc_cd_work_clear(&ws);
    return st;
}

int mlc_enet_check_alphas(const double *alphas, size_t alphas_len, size_t grid_size,
                          double eps)
{
    if (alphas) {
        if (alphas_len < 1)
            return mlc_raise(MLC_EINVAL, "alphas needs at least one value");
        for (size_t i = 0; i < alphas_len; i++) {
            int st = mlc_lin_check_alpha(alphas[i], "every alpha");
            if (st)
                return st;
        }
        return MLC_OK;
    }
    if (grid_size < 1)
        return mlc_raise(MLC_EINVAL, "alpha_grid_size (n_alphas) must be >= 1, got %zu",
                         grid_size);
    if (!(eps > 0.0) || isinf(eps))
        return mlc_raise(MLC_EINVAL, "eps must be a finite number > 0, got %g", eps);
    return MLC_OK;
}

void mlc_enet_alpha_grid(const double *XtY, size_t p, size_t k, size_t n, double l1_ratio,
                         double eps, size_t grid_size, double *alphas)
{
    double amax = 0.0;
    for (size_t j = 0; j < p; j++) {
        /* One target: |X'y| directly (sqrt(x * x) == |x| except where x * x
         * overflows, as it does for data around 1e100). */
        double s = k == 1 ? fabs(XtY[j]) : 0.0;
        for (size_t t = 0; k > 1 && t < k; t++)
            s += XtY[t * p + j] * XtY[t * p + j];
        if (k > 1)
            s = sqrt(s);
        if (k > 1 && isinf(s)) { /* overflowed: the same norm, scaled */
            double m = 0.0, q = 0.0;
            for (size_t t = 0; t < k; t++)
                m = fmax(m, fabs(XtY[t * p + j]));
            for (size_t t = 0; t < k; t++)
                q += (XtY[t * p + j] / m) * (XtY[t * p + j] / m);
            s = m * sqrt(q);
        }
        amax = s > amax ? s : amax;
    }
    amax /= (double)n * l1_ratio;
    if (amax <= 1e-15) { /* numpy's finfo(float).resolution */
        for (size_t i = 0; i < grid_size; i++)
            alphas[i] = 1e-15;
        return;
    }
    /* numpy.logspace(log10(amax * eps), log10(amax), grid_size)[::-1] */
    double start = log10(amax * eps), stop = log10(amax);
    if (!isfinite(start)) /* amax * eps over/underflowed */
        start = log10(amax) + log10(eps);
    if (grid_size == 1) {
        alphas[0] = pow(10.0, start);
        return;
    }
    double step = (stop - start) / (double)(grid_size - 1);
    for (size_t i = 0; i < grid_size; i++) {
        double y = i == grid_size - 1 ? stop : (double)i * step + start;
        alphas[grid_size - 1 - i] = pow(10.0, y);
    }
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

void mlc_enet_sort_desc(double *alphas, size_t n)
{
    qsort(alphas, n, sizeof *alphas, cmp_desc);
}
