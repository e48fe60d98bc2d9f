/* The E-step of a block of rows (scikit-learn's _estimate_log_gaussian_prob
 * and logsumexp) and the sufficient statistics its responsibilities add to
 * the M-step. A block is the only place an n x K array exists. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/hot.h"
#include "mixture_impl.h"

static const double LOG_2PI = 1.8378770664093453; /* log(2 pi) */

size_t mlc_gmm_block_rows(const mlc_gmm_params *g)
{
    size_t width = g->type == MLC_COV_FULL ? g->K * g->p : g->K + g->p;
    size_t rows = (size_t)65536 / (width ? width : 1);
    if (rows < 64)
        rows = 64;
    if (rows > 1024)
        rows = 1024;
    return rows / 8 * 8;
}

size_t mlc_gmm_block_scratch(const mlc_gmm_params *g, size_t rows)
{
    /* E-step: Y (rows x K p or rows x p; the full covariance's tiles need
     * only 8 (p + K) of it, less than rows K p as rows >= 64); statistics:
     * squares and Dc (rows x p each, diag / spherical), K block sums, then
     * the full covariance's tiles */
    size_t kp = g->K * g->p;
    return rows * (kp + g->p + 1) + g->K + mlc_gmm_scatter_scratch(g->p);
}

/* How a row's sum over features f of term(f, k) is formed for every
 * component k: the table T (p x K, f-major) gives t = T[f K + k]. */
enum { SUM_PLAIN = 0, SUM_SQDIFF = 1, SUM_SQDIFF_SCALED = 2 };

/* l[k] = sum over f of: t (PLAIN), (x_f - t)^2 (SQDIFF) or (x_f - t)^2 s
 * with s = S[f K + k] (SQDIFF_SCALED), the terms added in order f = 0, 1,
 * ... . Components go 8 at a time through a local accumulator the compiler
 * keeps in registers (summing into l itself chains a store and a reload
 * per feature), then one at a time. */
MLC_BODY void
row_sums(const double *x, const double *T, const double *S, size_t p, size_t K, int how,
         double *restrict l)
{
    size_t k0 = 0;
    for (; k0 + 8 <= K; k0 += 8) {
        double acc[8] = {0};
        for (size_t f = 0; f < p; f++) {
            const double *t = T + f * K + k0;
            for (int j = 0; j < 8; j++) {
                double v = how == SUM_PLAIN ? t[j] : x[f] - t[j];
                acc[j] += how == SUM_PLAIN ? v : how == SUM_SQDIFF ? v * v : v * v * S[f * K + k0 + (size_t)j];
            }
        }
        for (int j = 0; j < 8; j++)
            l[k0 + (size_t)j] = acc[j];
    }
    for (size_t k = k0; k < K; k++) {
        double acc = 0.0;
        for (size_t f = 0; f < p; f++) {
            double t = T[f * K + k];
            double v = how == SUM_PLAIN ? t : x[f] - t;
            acc += how == SUM_PLAIN ? v : how == SUM_SQDIFF ? v * v : v * v * S[f * K + k];
        }
        l[k] = acc;
    }
}

/* row_sums(y, y, NULL, p, K, SUM_PLAIN, l) with the component count a
 * constant too when it is small (the full covariance's sums over h of
 * ((x - mu_k) P_k)_h^2 are then independent chains, not one after the
 * other). */
MLC_BODY void full_row_sums(const double *y, size_t p,
                                                                size_t K, double *l)
{
    /* 1 to 4: a constant where row_sums is inlined (its loops unroll); the
     * arithmetic is the same in every case */
    switch (K) {
    case 1: row_sums(y, y, NULL, p, 1, SUM_PLAIN, l); break;
    case 2: row_sums(y, y, NULL, p, 2, SUM_PLAIN, l); break;
    case 3: row_sums(y, y, NULL, p, 3, SUM_PLAIN, l); break;
    case 4: row_sums(y, y, NULL, p, 4, SUM_PLAIN, l); break;
    default: row_sums(y, y, NULL, p, K, SUM_PLAIN, l);
    }
}

MLC_BODY void
log_prob_body(const mlc_gmm_params *g, const mlc_matrix *X, size_t r0, size_t nb, double *L,
              double *scratch, const size_t p)
{
    const size_t K = g->K;
    const double *Xb = mlc_matrix_row(X, r0);
    const double c0 = (double)p * LOG_2PI;
    if (g->type == MLC_COV_FULL && g->upper) {
        mlc_gmm_full_quadforms(g, Xb, X->stride, nb, L, scratch);
    } else if (g->type == MLC_COV_FULL || g->type == MLC_COV_TIED) {
        /* y = x P_k - mu_k P_k for all k with one GEMM: Y = X [P_1 ... P_K]
         * (columns interleaved so that Y[i][h K + k] = (x_i P_k)[h]) */
        const int full = g->type == MLC_COV_FULL;
        size_t w = full ? K * p : p;
        double *Y = scratch;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)nb, (int)w, (int)p, 1.0, Xb,
                    (int)X->stride, g->pcat, (int)w, 0.0, Y, (int)w);
        if (full) /* squared residuals over the whole row, then sums over h */
            for (size_t i = 0; i < nb; i++) {
                double *restrict y = Y + i * w;
                for (size_t j = 0; j < w; j++) {
                    double v = y[j] - g->mu_pt[j];
                    y[j] = v * v;
                }
            }
        for (size_t i = 0; i < nb; i++) {
            const double *y = Y + i * w;
            if (full)
                full_row_sums(y, p, K, L + i * K);
            else
                row_sums(y, g->mu_pt, NULL, p, K, SUM_SQDIFF, L + i * K);
        }
    } else {
        const int diag = g->type == MLC_COV_DIAG;
        for (size_t i = 0; i < nb; i++) {
            const double *x = Xb + i * X->stride;
            double *restrict l = L + i * K;
            if (diag) {
                row_sums(x, g->means_t, g->prec_t, p, K, SUM_SQDIFF_SCALED, l);
            } else {
                row_sums(x, g->means_t, NULL, p, K, SUM_SQDIFF, l);
                for (size_t k = 0; k < K; k++)
                    l[k] *= g->prec[k];
            }
        }
    }
    for (size_t i = 0; i < nb; i++) {
        double *restrict l = L + i * K;
        for (size_t k = 0; k < K; k++)
            l[k] = -0.5 * (c0 + l[k]) + g->log_det[k] + g->log_w[k];
    }
}

MLC_HOT /* the per-row loops run over the components (or features) in lanes */
void mlc_gmm_weighted_log_prob(const mlc_gmm_params *g, const mlc_matrix *X, size_t r0,
                               size_t nb, double *L, double *scratch)
{
    /* small widths as constants (see full_row_sums) */
    switch (g->p) {
    case 1: log_prob_body(g, X, r0, nb, L, scratch, 1); break;
    case 2: log_prob_body(g, X, r0, nb, L, scratch, 2); break;
    case 3: log_prob_body(g, X, r0, nb, L, scratch, 3); break;
    case 4: log_prob_body(g, X, r0, nb, L, scratch, 4); break;
    default: log_prob_body(g, X, r0, nb, L, scratch, g->p);
    }
}

/* exp(x) for x <= 0 in straight-line arithmetic the vectorizer can use:
 * x = k ln2 + r (Cody-Waite), e^r by its Taylor series to r^13 (relative
 * error < 1e-16 for |r| <= ln2 / 2), 2^k from the exponent bits. Within a
 * few ulp of libm's exp; 0 below -708 where libm returns subnormals or 0
 * (such terms are below 1e-307 of the largest one, which is 1). NaN gives
 * NaN. */
static inline double exp_nonpos(double x)
{
    const double shift = 0x1.8p52;
    double xc = x > -708.0 ? x : -708.0;
    double z = xc * 0x1.71547652b82fep0 + shift; /* k = round(x / ln 2) in the low bits */
    double kd = z - shift;
    double r = (xc - kd * 0x1.62e42fefa39efp-1) - kd * 0x1.abc9e3b39803fp-56;
    double q = 1.0 / 6227020800.0;
    q = q * r + 1.0 / 479001600.0;
    q = q * r + 1.0 / 39916800.0;
    q = q * r + 1.0 / 3628800.0;
    q = q * r + 1.0 / 362880.0;
    q = q * r + 1.0 / 40320.0;
    q = q * r + 1.0 / 5040.0;
    q = q * r + 1.0 / 720.0;
    q = q * r + 1.0 / 120.0;
    q = q * r + 1.0 / 24.0;
    q = q * r + 1.0 / 6.0;
    q = q * r + 0.5;
    q = q * r + 1.0;
    q = q * r + 1.0;
    uint64_t bits;
    memcpy(&bits, &z, sizeof bits);
    bits = (bits + 1023) << 52; /* 2^k: the low bits of z hold k */
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    double e = q * scale;
    return x >= -708.0 ? e : x < -708.0 ? 0.0 : x;
}

/* log(x) in straight-line arithmetic the vectorizer can use (libm's log
 * is a call per row): x = 2^e m with m in [sqrt(1/2), sqrt(2)),
 * log m = 2 atanh(t), t = (m - 1) / (m + 1), by its series to t^21 (|t| <=
 * 0.1716), and e ln 2 in two parts. Within 2 ulp of libm's log (the
 * mixture tests compare it over the whole range); 0 gives -inf, +inf
 * gives +inf, NaN and negative values give NaN. */
static inline double log_pos(double x)
{
    double xs = x < DBL_MIN ? x * 0x1p54 : x; /* subnormals: scaled up first */
    uint64_t bits;
    memcpy(&bits, &xs, sizeof bits);
    /* the biased exponent E as 2^52 + E - 2^52 (integer conversions of
     * vectors need AVX-512) */
    uint64_t ebits = 0x4330000000000000ULL | ((bits >> 52) & 0x7ff);
    double e;
    memcpy(&e, &ebits, sizeof e);
    e = e - 0x1p52 - 1023.0 - (x < DBL_MIN ? 54.0 : 0.0);
    bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL; /* m in [1, 2) */
    double m;
    memcpy(&m, &bits, sizeof m);
    int big = m > 1.4142135623730951;
    m = big ? 0.5 * m : m;
    e = big ? e + 1.0 : e;
    double f = m - 1.0, t = f / (2.0 + f), t2 = t * t;
    double q = 1.0 / 21.0;
    q = q * t2 + 1.0 / 19.0;
    q = q * t2 + 1.0 / 17.0;
    q = q * t2 + 1.0 / 15.0;
    q = q * t2 + 1.0 / 13.0;
    q = q * t2 + 1.0 / 11.0;
    q = q * t2 + 1.0 / 9.0;
    q = q * t2 + 1.0 / 7.0;
    q = q * t2 + 1.0 / 5.0;
    q = q * t2 + 1.0 / 3.0;
    double lm = 2.0 * t + 2.0 * t * t2 * q;
    double r = e * 0x1.62e42fefa3800p-1 + (e * 0x1.ef35793c76730p-45 + lm);
    int ok = (x > 0.0) & (x < INFINITY); /* no short circuit: no branch */
    double special = x == 0.0 ? -INFINITY : x > 0.0 ? x : NAN;
    return ok ? r : special;
}

double mlc_gmm_log(double x)
{
    return log_pos(x);
}

MLC_BODY void normalize_body(size_t nb, size_t K, double *L,
                                                                 double *lpn, int resp)
{
    /* scipy's logsumexp per row: log(sum exp(l - max)) + max. The exps run
     * over the whole block (long vector loops even for a few components);
     * lpn holds the row maxima meanwhile. */
    double *restrict T = L;
    for (size_t i = 0; i < nb; i++) {
        const double *l = L + i * K;
        double amax = l[0];
        for (size_t k = 1; k < K; k++)
            amax = l[k] > amax ? l[k] : amax;
        lpn[i] = isfinite(amax) ? amax : 0.0;
    }
    /* the row sums of the exps, then their logs in one vector loop */
    double *restrict sum = lpn + nb;
    if (!resp) { /* keep L: the exps go to the scratch after the sums, a row at a time */
        double *restrict t = sum + nb;
        for (size_t i = 0; i < nb; i++) {
            const double *restrict l = L + i * K;
            double amax = lpn[i], s = 0.0;
            for (size_t k = 0; k < K; k++)
                t[k] = exp_nonpos(l[k] - amax);
            for (size_t k = 0; k < K; k++)
                s += t[k];
            sum[i] = s;
        }
        for (size_t i = 0; i < nb; i++)
            lpn[i] = log_pos(sum[i]) + lpn[i];
        return;
    }
    for (size_t i = 0; i < nb; i++) {
        double amax = lpn[i];
        for (size_t k = 0; k < K; k++)
            T[i * K + k] -= amax;
    }
    for (size_t j = 0; j < nb * K; j++)
        T[j] = exp_nonpos(T[j]);
    for (size_t i = 0; i < nb; i++) {
        const double *restrict t = T + i * K;
        double s = 0.0;
        for (size_t k = 0; k < K; k++)
            s += t[k];
        sum[i] = s;
    }
    for (size_t i = 0; i < nb; i++) {
        lpn[i] = log_pos(sum[i]) + lpn[i];
        sum[i] = 1.0 / sum[i]; /* one division per row, not per component */
    }
    for (size_t i = 0; i < nb; i++) {
        double *restrict t = T + i * K, r = sum[i];
        for (size_t k = 0; k < K; k++)
            t[k] *= r;
    }
}

MLC_HOT
void mlc_gmm_normalize(size_t nb, size_t K, double *L, double *lpn, int resp)
{
    /* small component counts as constants (see full_row_sums) */
    switch (K) {
    case 1: normalize_body(nb, 1, L, lpn, resp); break;
    case 2: normalize_body(nb, 2, L, lpn, resp); break;
    case 3: normalize_body(nb, 3, L, lpn, resp); break;
    case 4: normalize_body(nb, 4, L, lpn, resp); break;
    default: normalize_body(nb, K, L, lpn, resp);
    }
}

/* ------------------------------------------------------------ statistics */

static size_t s2_size(const mlc_gmm_params *g)
{
    if (g->type == MLC_COV_FULL)
        return g->K * g->p * (g->p + 1);
    if (g->type == MLC_COV_TIED)
        return 0;
    return g->K * g->p;
}

size_t mlc_gmm_stats_size(const mlc_gmm_params *g)
{
    return g->K + 2 * g->K * g->p + s2_size(g);
}

void mlc_gmm_stats_bind(mlc_gmm_stats *s, const mlc_gmm_params *g, double *mem)
{
    s->R = mem;
    s->SX = mem + g->K;
    s->S1 = s->SX + g->K * g->p;
    s->S2 = s->S1 + g->K * g->p;
    s->lpn_sum = 0.0;
}

void mlc_gmm_stats_clear(mlc_gmm_stats *s, const mlc_gmm_params *g)
{
    memset(s->R, 0, mlc_gmm_stats_size(g) * sizeof(double));
    s->lpn_sum = 0.0;
}

void mlc_gmm_stats_add(mlc_gmm_stats *dst, const mlc_gmm_stats *src, const mlc_gmm_params *g)
{
    size_t n = mlc_gmm_stats_size(g);
    for (size_t i = 0; i < n; i++)
        dst->R[i] += src->R[i];
    dst->lpn_sum += src->lpn_sum;
}

MLC_HOT
void mlc_gmm_stats_accumulate(mlc_gmm_stats *s, const mlc_gmm_params *g, const mlc_matrix *X,
                              size_t r0, size_t nb, const double *resp, const double *shift,
                              const double *center, double *scratch)
{
    const size_t K = g->K, p = g->p, kp = K * p;
    const double *Xb = mlc_matrix_row(X, r0);
    const size_t ld = X->stride;
    double *restrict W = scratch, *restrict Dc = W + nb * kp, *restrict rb = Dc + nb * p;
    /* column sums of resp, 4 rows at a time (one running sum per row
     * chains a store and a reload through rb per row) */
    for (size_t k = 0; k < K; k++)
        rb[k] = 0.0;
    size_t i4 = 0;
    for (; i4 + 4 <= nb; i4 += 4) {
        const double *restrict r = resp + i4 * K;
        for (size_t k = 0; k < K; k++)
            rb[k] += (r[k] + r[K + k]) + (r[2 * K + k] + r[3 * K + k]);
    }
    for (; i4 < nb; i4++)
        for (size_t k = 0; k < K; k++)
            rb[k] += resp[i4 * K + k];
    for (size_t k = 0; k < K; k++)
        s->R[k] += rb[k];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)K, (int)p, (int)nb, 1.0, resp,
                (int)K, Xb, (int)ld, 1.0, s->SX, (int)p);
    if (g->type == MLC_COV_TIED)
        return;
    if (g->type == MLC_COV_FULL) {
        mlc_gmm_scatter_full(Xb, ld, nb, K, p, resp, shift, center, s->S2, rb + K);
        return;
    }
    /* diag / spherical: about the data mean c, S1 = R^T (X - c) and
     * S2 = R^T (X - c)^2, two GEMMs (the M-step moves them to the means) */
    double *restrict sq = W;
    for (size_t i = 0; i < nb; i++) {
        const double *restrict x = Xb + i * ld;
        double *restrict dc = Dc + i * p, *restrict d2 = sq + i * p;
        for (size_t f = 0; f < p; f++) {
            double v = x[f] - center[f];
            dc[f] = v;
            d2[f] = v * v;
        }
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)K, (int)p, (int)nb, 1.0, resp,
                (int)K, Dc, (int)p, 1.0, s->S1, (int)p);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)K, (int)p, (int)nb, 1.0, resp,
                (int)K, sq, (int)p, 1.0, s->S2, (int)p);
}
