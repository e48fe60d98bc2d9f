/* Mixture parameters: storage, the M-step (scikit-learn's
 * _estimate_gaussian_parameters) and the Cholesky factors of the precisions
 * (_compute_precision_cholesky). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "mixture_impl.h"
#include "internal/small_chol.h"

size_t mlc_gmm_cov_size(int type, size_t K, size_t p)
{
    switch (type) {
    case MLC_COV_FULL: return K * p * p;
    case MLC_COV_TIED: return p * p;
    case MLC_COV_DIAG: return K * p;
    default: return K;
    }
}

int mlc_gmm_params_alloc(mlc_gmm_params *g, int type, size_t K, size_t p)
{
    memset(g, 0, sizeof *g);
    g->K = K;
    g->p = p;
    g->type = type;
    g->csize = mlc_gmm_cov_size(type, K, p);
    int chol = type == MLC_COV_FULL || type == MLC_COV_TIED;
    size_t pcat = type == MLC_COV_FULL ? p * K * p : type == MLC_COV_TIED ? p * p : 0;
    g->total = K + K * p + 3 * g->csize + 2 * K + pcat + (chol ? K * p : 2 * K * p);
    g->buf = calloc(g->total, sizeof *g->buf);
    if (!g->buf)
        return mlc_raise_nomem("mixture parameters");
    double *b = g->buf;
    g->weights = b;
    b += K;
    g->means = b;
    b += K * p;
    g->cov = b;
    b += g->csize;
    g->prec_chol = b;
    b += g->csize;
    g->prec = b;
    b += g->csize;
    g->log_det = b;
    b += K;
    g->log_w = b;
    b += K;
    if (chol) {
        g->pcat = b;
        b += pcat;
        g->mu_pt = b;
    } else {
        g->means_t = b;
        g->prec_t = b + K * p;
    }
    return MLC_OK;
}

void mlc_gmm_params_clear(mlc_gmm_params *g)
{
    free(g->buf);
    g->buf = NULL;
}

void mlc_gmm_params_copy(mlc_gmm_params *dst, const mlc_gmm_params *src)
{
    memcpy(dst->buf, src->buf, src->total * sizeof *src->buf);
    dst->upper = src->upper;
}

void mlc_gmm_derive(mlc_gmm_params *g)
{
    const size_t K = g->K, p = g->p;
    for (size_t k = 0; k < K; k++)
        g->log_w[k] = log(g->weights[k]);
    switch (g->type) {
    case MLC_COV_FULL:
    case MLC_COV_TIED: {
        size_t nf = g->type == MLC_COV_FULL ? K : 1;
        int upper = g->type == MLC_COV_FULL;
        for (size_t c = 0; c < nf; c++) {
            const double *P = g->prec_chol + c * p * p;
            double *Q = g->prec + c * p * p;
            double ld = 0.0;
            for (size_t f = 0; f < p; f++)
                ld += log(P[f * p + f]);
            for (size_t f = 0; f < p; f++)
                for (size_t h = 0; h < p; h++) {
                    double s = 0.0;
                    for (size_t t = 0; t < p; t++)
                        s += P[f * p + t] * P[h * p + t];
                    Q[f * p + h] = s;
                }
            if (g->type == MLC_COV_FULL) {
                g->log_det[c] = ld;
                for (size_t f = 1; f < p; f++)
                    for (size_t h = 0; h < f; h++)
                        upper = upper && P[f * p + h] == 0.0;
                for (size_t f = 0; f < p; f++)
                    for (size_t h = 0; h < p; h++)
                        g->pcat[f * p * K + h * K + c] = P[f * p + h];
            } else {
                for (size_t k = 0; k < K; k++)
                    g->log_det[k] = ld;
                memcpy(g->pcat, P, p * p * sizeof *P);
            }
        }
        g->upper = upper;
        /* (mean_k . P_k)[h] (scikit-learn's np.dot(mu, prec_chol)) */
        for (size_t k = 0; k < K; k++) {
            const double *P = g->prec_chol + (g->type == MLC_COV_FULL ? k * p * p : 0);
            for (size_t h = 0; h < p; h++) {
                double s = 0.0;
                for (size_t f = 0; f < p; f++)
                    s += g->means[k * p + f] * P[f * p + h];
                g->mu_pt[h * K + k] = s;
            }
        }
        return;
    }
    case MLC_COV_DIAG:
        for (size_t k = 0; k < K; k++) {
            double ld = 0.0;
            for (size_t f = 0; f < p; f++) {
                double c = g->prec_chol[k * p + f];
                ld += log(c);
                g->prec[k * p + f] = c * c;
                g->prec_t[f * K + k] = c * c;
            }
            g->log_det[k] = ld;
        }
        break;
    default:
        for (size_t k = 0; k < K; k++) {
            double c = g->prec_chol[k];
            g->log_det[k] = (double)p * log(c);
            g->prec[k] = c * c;
            for (size_t f = 0; f < p; f++)
                g->prec_t[f * K + k] = c * c;
        }
        break;
    }
    for (size_t k = 0; k < K; k++)
        for (size_t f = 0; f < p; f++)
            g->means_t[f * K + k] = g->means[k * p + f];
}

static int not_pd(size_t k, int tied)
{
    if (tied)
        return mlc_raise(MLC_ESING,
                         "the tied covariance is not positive definite (collapsed or duplicated "
                         "samples?); increase reg_covar or use fewer components");
    return mlc_raise(MLC_ESING,
                     "the covariance of component %zu is not positive definite (a component "
                     "collapsed onto too few distinct samples?); increase reg_covar or use "
                     "fewer components",
                     k);
}

/* Numerically singular: a variance no larger than the rounding noise of a
 * mean of duplicated points ((1024 eps mu)^2), or (full / tied) a Cholesky
 * pivot below 16 p eps of its variance, i.e. a feature that is a linear
 * function of the others to working precision. LAPACK alone lets such
 * matrices through or not depending on the rounding. */
static double dup_floor(double mu)
{
    double t = 1024.0 * DBL_EPSILON * mu;
    return t * t;
}

/* Whether a pivot of the factor F (its diagonal) is too small to trust:
 * below the rounding of C's diagonal, or below dup_floor. */
static int bad_pivot(const double *F, const double *C, const double *mu_max, size_t p)
{
    for (size_t f = 0; f < p; f++) {
        double piv = F[f * p + f] * F[f * p + f];
        if (piv <= 16.0 * (double)p * DBL_EPSILON * C[f * p + f] || piv <= dup_floor(mu_max[f]))
            return 1;
    }
    return 0;
}

/* P = (L^-1)^T with L = cholesky(C, lower): C is p x p (lower triangle read),
 * mu_max[f] the largest |mean| of feature f over the components it serves;
 * work is p x p scratch. Returns nonzero if C is not positive definite. */
static int chol_inverse_t(const double *C, const double *mu_max, size_t p, double *work,
                          double *P)
{
    if (p <= MLC_SMALL_CHOL_MAX) { /* plain loops: C = R'R, P = R^{-1} */
        for (size_t f = 0; f < p; f++)
            for (size_t h = 0; h < p; h++)
                work[f * p + h] = h >= f ? C[h * p + f] : 0.0;
        for (size_t i = 0; i < p * p; i++)
            if (!isfinite(work[i]))
                return 1;
        if (!mlc_chol_small(work, p) || bad_pivot(work, C, mu_max, p))
            return 1;
        mlc_tri_upper_inverse(work, p, P);
        return 0;
    }
    for (size_t f = 0; f < p; f++)
        for (size_t h = 0; h < p; h++)
            work[f * p + h] = h <= f ? C[f * p + h] : 0.0;
    for (size_t i = 0; i < p * p; i++)
        if (!isfinite(work[i]))
            return 1;
    /* Row-major lower = column-major upper: the _work LAPACKE calls then run
     * without a transposed copy (these matrices are small and factored at
     * every EM iteration). */
    if (LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)p, work, (lapack_int)p) != 0 ||
        bad_pivot(work, C, mu_max, p))
        return 1;
    if (LAPACKE_dtrtri_work(LAPACK_COL_MAJOR, 'U', 'N', (lapack_int)p, work, (lapack_int)p) != 0)
        return 1;
    for (size_t f = 0; f < p; f++)
        for (size_t h = 0; h < p; h++)
            P[f * p + h] = f <= h ? work[h * p + f] : 0.0;
    return 0;
}

int mlc_gmm_precision_cholesky(mlc_gmm_params *g)
{
    const size_t K = g->K, p = g->p;
    if (g->type == MLC_COV_FULL || g->type == MLC_COV_TIED) {
        double *work = malloc((p * p + p) * sizeof *work), *mu_max = work + p * p;
        if (!work)
            return mlc_raise_nomem("a Cholesky factor");
        size_t nf = g->type == MLC_COV_FULL ? K : 1;
        for (size_t c = 0; c < nf; c++) {
            for (size_t f = 0; f < p; f++) {
                mu_max[f] = 0.0;
                for (size_t k = (nf > 1 ? c : 0); k < (nf > 1 ? c + 1 : K); k++)
                    if (fabs(g->means[k * p + f]) > mu_max[f])
                        mu_max[f] = fabs(g->means[k * p + f]);
            }
            if (chol_inverse_t(g->cov + c * p * p, mu_max, p, work, g->prec_chol + c * p * p)) {
                free(work);
                return not_pd(c, g->type == MLC_COV_TIED);
            }
        }
        free(work);
        return MLC_OK;
    }
    for (size_t i = 0; i < g->csize; i++) {
        double mu = 0.0; /* largest |mean| the variance serves */
        if (g->type == MLC_COV_DIAG)
            mu = fabs(g->means[i]);
        else
            for (size_t f = 0; f < p; f++)
                if (fabs(g->means[i * p + f]) > mu)
                    mu = fabs(g->means[i * p + f]);
        if (!(g->cov[i] > dup_floor(mu)) || isinf(g->cov[i]))
            return not_pd(g->type == MLC_COV_DIAG ? i / p : i, 0);
        g->prec_chol[i] = 1.0 / sqrt(g->cov[i]);
    }
    return MLC_OK;
}

int mlc_gmm_from_precisions(mlc_gmm_params *g, const mlc_matrix *prec)
{
    const size_t K = g->K, p = g->p;
    if (g->type == MLC_COV_FULL || g->type == MLC_COV_TIED) {
        size_t nf = g->type == MLC_COV_FULL ? K : 1;
        for (size_t c = 0; c < nf; c++) {
            double *L = g->prec_chol + c * p * p, *C = g->cov + c * p * p;
            for (size_t f = 0; f < p; f++)
                for (size_t h = 0; h < p; h++)
                    L[f * p + h] = h <= f ? MLC_AT(prec, c * p + f, h) : 0.0;
            /* scikit-learn: precisions_cholesky_ = cholesky(precision, lower) */
            if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)p, L, (lapack_int)p) != 0)
                return mlc_raise(MLC_EINVAL, "precisions_init %s%zu is not positive definite",
                                 nf > 1 ? "block " : "", nf > 1 ? c : (size_t)0);
            /* covariances_ = precision^-1 (only reported if max_iter = 0) */
            memcpy(C, L, p * p * sizeof *C);
            if (LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'L', (lapack_int)p, C, (lapack_int)p) != 0)
                return mlc_raise(MLC_EINVAL, "precisions_init is singular");
            for (size_t f = 0; f < p; f++)
                for (size_t h = f + 1; h < p; h++)
                    C[f * p + h] = C[h * p + f];
        }
        return MLC_OK;
    }
    for (size_t i = 0; i < g->csize; i++) {
        double v = g->type == MLC_COV_DIAG ? MLC_AT(prec, i / p, i % p)
                   : prec->rows == 1         ? MLC_AT(prec, 0, i)
                                             : MLC_AT(prec, i, 0);
        g->prec_chol[i] = sqrt(v);
        g->cov[i] = 1.0 / v;
    }
    return MLC_OK;
}

int mlc_gmm_mstep(mlc_gmm_params *g, const mlc_gmm_stats *s, const double *shift,
                  const mlc_gmm_data *d, double reg_covar, int init)
{
    const size_t K = g->K, p = g->p;
    const double eps10 = 10.0 * DBL_EPSILON;
    double nk_sum = 0.0;
    for (size_t k = 0; k < K; k++) {
        double nk = s->R[k] + eps10;
        nk_sum += nk;
        for (size_t f = 0; f < p; f++)
            g->means[k * p + f] = s->SX[k * p + f] / nk;
    }
    for (size_t k = 0; k < K; k++)
        g->weights[k] = (s->R[k] + eps10) / (init ? (double)d->n : nk_sum);

    switch (g->type) {
    case MLC_COV_FULL:
        for (size_t k = 0; k < K; k++) {
            /* sum r (x - a)(x - a)^T = S2 - S1 (a - c)^T (see mlc_gmm_stats);
             * sum r (x - mu)(x - mu)^T = that - s m^T - m s^T + R m m^T,
             * m = mu - a, s = S1 */
            const size_t q = p + 1;
            const double *S2 = s->S2 + k * p * q, *a = shift + k * p;
            double R = s->R[k], nk = R + eps10;
            double *C = g->cov + k * p * p;
            for (size_t f = 0; f < p; f++) {
                double mf = g->means[k * p + f] - a[f], s1f = S2[f * q + p];
                for (size_t h = 0; h <= f; h++) {
                    double mh = g->means[k * p + h] - a[h], s1h = S2[h * q + p];
                    double s2 = S2[f * q + h] - s1f * (a[h] - d->mean[h]);
                    double v = s2 - s1f * mh - mf * s1h + R * mf * mh;
                    v /= nk;
                    C[f * p + h] = v;
                    C[h * p + f] = v;
                }
                C[f * p + f] += reg_covar;
            }
        }
        break;
    case MLC_COV_TIED: {
        /* (sum (x - xbar)(x - xbar)^T - sum_k nk m_k m_k^T) / sum nk, m = mu - xbar:
         * scikit-learn's (X^T X - sum_k nk mu_k mu_k^T) / sum nk without its
         * cancellation. */
        double *C = g->cov;
        for (size_t f = 0; f < p; f++)
            for (size_t h = 0; h <= f; h++) {
                double v = d->scatter[f * p + h];
                for (size_t k = 0; k < K; k++) {
                    double nk = s->R[k] + eps10;
                    v -= nk * (g->means[k * p + f] - d->mean[f]) *
                         (g->means[k * p + h] - d->mean[h]);
                }
                v /= nk_sum;
                C[f * p + h] = v;
                C[h * p + f] = v;
            }
        for (size_t f = 0; f < p; f++)
            C[f * p + f] += reg_covar;
        break;
    }
    default: /* diag, spherical: statistics about the data mean */
        for (size_t k = 0; k < K; k++) {
            double R = s->R[k], nk = R + eps10, mean_var = 0.0;
            for (size_t f = 0; f < p; f++) {
                double mf = g->means[k * p + f] - d->mean[f];
                double v = (s->S2[k * p + f] - 2.0 * mf * s->S1[k * p + f] + R * mf * mf) / nk +
                           reg_covar;
                if (g->type == MLC_COV_DIAG)
                    g->cov[k * p + f] = v;
                mean_var += v;
            }
            if (g->type == MLC_COV_SPHERICAL)
                g->cov[k] = mean_var / (double)p;
        }
        break;
    }
    return MLC_OK;
}
