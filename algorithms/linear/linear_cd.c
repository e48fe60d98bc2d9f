/* Elastic-net coordinate descent (see lib/internal/linear_cd.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/linear_cd.h"

/* A zero coefficient is skipped only when its correlation bound is below
 * l1 by this relative margin, far above rounding, so a skipped coordinate is
 * one scikit-learn's update would also leave at exactly zero. */
#define SKIP_MARGIN (1.0 - 1e-7)

int mlc_cd_work_alloc(mlc_cd_work *ws, size_t n, size_t p)
{
    memset(ws, 0, sizeof *ws);
    ws->n = n;
    ws->p = p;
    ws->H = malloc((4 * p + 2 * n + 1) * sizeof(double));
    if (!ws->H)
        return mlc_raise_nomem("coordinate descent workspace");
    ws->corr = ws->H + p;
    ws->stamp = ws->corr + p;
    ws->xnorm = ws->stamp + p;
    ws->R = ws->xnorm + p;
    ws->Rref = ws->R + n;
    return MLC_OK;
}

void mlc_cd_work_free(mlc_cd_work *ws)
{
    if (ws)
        free(ws->H);
    if (ws)
        ws->H = NULL;
}

static double soft_threshold(double t, double l1, double denom, int positive)
{
    if (positive && t < 0.0)
        return 0.0;
    double a = fabs(t) - l1;
    /* |t| within 4 ulps of l1 is at the threshold: a coefficient made of
     * rounding noise would change at random every epoch, and the stopping
     * test (largest change < tol * largest coefficient) would never pass. */
    if (a <= 4.0 * DBL_EPSILON * fabs(t))
        return 0.0;
    return (t > 0.0 ? a : -a) / denom;
}

/* The duality gap from the pieces both forms compute (scikit-learn's
 * formula): XtA = X'R - l2 w, R_norm2 = ||R||^2, Ry = R'y. */
static double duality_gap(const double *XtA, const double *w, size_t p, double R_norm2,
                          double Ry, const mlc_cd_opts *o)
{
    double dual_norm = o->positive ? -INFINITY : 0.0, l1_norm = 0.0, w_norm2 = 0.0;
    for (size_t j = 0; j < p; j++) {
        double v = o->positive ? XtA[j] : fabs(XtA[j]);
        dual_norm = v > dual_norm ? v : dual_norm;
        l1_norm += fabs(w[j]);
        w_norm2 += w[j] * w[j];
    }
    double cst = 1.0, gap = R_norm2;
    if (dual_norm > o->l1) {
        cst = o->l1 / dual_norm;
        gap = 0.5 * (R_norm2 + R_norm2 * cst * cst);
    }
    return gap + o->l1 * l1_norm - cst * Ry + 0.5 * o->l2 * (1.0 + cst * cst) * w_norm2;
}

static const double *gram_col(const mlc_cd_gram *g, size_t j)
{
    return g->Q ? g->Q + j * g->p : g->src->get(g->src, j);
}

int mlc_cd_gram_solve(const mlc_cd_gram *g, const mlc_cd_opts *o, double *w, mlc_cd_work *ws,
                      mlc_cd_result *res)
{
    size_t p = g->p;
    const double *q = g->q, *diag = g->diag;
    double *H = ws->H, *XtA = ws->corr;
    double tol_abs = o->tol * g->y_norm2;
    /* H = Q w */
    memset(H, 0, p * sizeof *H);
    for (size_t j = 0; j < p; j++)
        if (w[j] != 0.0) {
            const double *Qj = gram_col(g, j);
            if (!Qj)
                return MLC_ENOMEM;
            for (size_t i = 0; i < p; i++)
                H[i] += w[j] * Qj[i];
        }
    res->gap = tol_abs + 1.0;
    res->converged = 0;
    res->paused = 0;
    long it;
    for (it = o->it0; it < o->max_iter; it++) {
        if (o->pause > 0 && it - o->it0 == o->pause) {
            res->paused = 1;
            break;
        }
        double w_max = 0.0, d_w_max = 0.0;
        for (size_t f = 0; f < p; f++) {
            size_t ii = o->rng ? mlc_rng_index(o->rng, p) : f;
            double Qii = diag[ii];
            if (Qii == 0.0)
                continue;
            double w_ii = w[ii];
            /* scikit-learn's order: take coordinate ii out of H, update,
             * put it back. A coefficient that does not move then gives
             * exactly the same update again (no rounding drift). */
            const double *Qi = NULL;
            if (w_ii != 0.0) {
                if (!(Qi = gram_col(g, ii)))
                    return MLC_ENOMEM;
#pragma omp simd
                for (size_t i = 0; i < p; i++)
                    H[i] -= w_ii * Qi[i];
            }
            double tmp = q[ii] - H[ii];
            double nw = soft_threshold(tmp, o->l1, Qii + o->l2, o->positive);
            if (nw != 0.0) {
                if (!Qi && !(Qi = gram_col(g, ii)))
                    return MLC_ENOMEM;
#pragma omp simd
                for (size_t i = 0; i < p; i++)
                    H[i] += nw * Qi[i];
            }
            w[ii] = nw;
            double d = fabs(nw - w_ii);
            d_w_max = d > d_w_max ? d : d_w_max;
            w_max = fabs(nw) > w_max ? fabs(nw) : w_max;
        }
        if (w_max == 0.0 || d_w_max / w_max < o->tol || it == o->max_iter - 1) {
            double q_dot_w = 0.0, wH = 0.0;
            for (size_t j = 0; j < p; j++) {
                XtA[j] = q[j] - H[j] - o->l2 * w[j];
                q_dot_w += w[j] * q[j];
                wH += w[j] * H[j];
            }
            double R_norm2 = g->y_norm2 + wH - 2.0 * q_dot_w;
            res->gap = duality_gap(XtA, w, p, R_norm2, g->y_norm2 - q_dot_w, o);
            if (res->gap < tol_abs) {
                res->converged = 1;
                it++;
                break;
            }
        }
    }
    res->n_iter = it;
    return MLC_OK;
}

void mlc_cd_cols_solve(const mlc_cd_cols *c, const mlc_cd_opts *o, double *w, mlc_cd_work *ws,
                       mlc_cd_result *res)
{
    size_t n = c->n, p = c->p, ldx = c->ldx;
    const double *X = c->X;
    double *R = ws->R, *Rref = ws->Rref, *XtA = ws->H, *corr = ws->corr, *dist = ws->stamp,
           *xnorm = ws->xnorm;
    double tol_abs = o->tol * c->y_norm2;
    double l1_skip = o->l1 * SKIP_MARGIN;
    /* BLAS level-1 calls stay single-threaded: many short calls, and sums
     * that must not depend on the thread count. */
    mlc_blas_set_threads(1);
    memcpy(R, c->y, n * sizeof *R);
    for (size_t j = 0; j < p; j++) {
        if (w[j] != 0.0)
            cblas_daxpy((int)n, -w[j], X + j * ldx, 1, R, 1);
        xnorm[j] = sqrt(c->norm2[j]);
        dist[j] = -1.0; /* no correlation yet */
    }
    /* The skip test: corr[j] = X_j'R(t) was taken when the residual was
     * dist[j] away from the reference residual Rref, which is D away from
     * the current one, so |X_j'R| <= |corr[j]| + ||X_j|| (dist[j] + D). */
    double D = 0.0, D2 = 0.0, D2err = 0.0;
    res->gap = tol_abs + 1.0;
    res->converged = 0;
    res->paused = 0;
    long it;
    for (it = o->it0; it < o->max_iter; it++) {
        if (o->pause > 0 && it - o->it0 == o->pause) {
            res->paused = 1;
            break;
        }
        /* A new reference residual each epoch keeps the distances tight. */
        for (size_t j = 0; j < p; j++)
            if (dist[j] >= 0.0)
                dist[j] += D;
        memcpy(Rref, R, n * sizeof *R);
        D = D2 = D2err = 0.0;
        double ref_norm = sqrt(cblas_ddot((int)n, Rref, 1, Rref, 1));
        double w_max = 0.0, d_w_max = 0.0;
        for (size_t f = 0; f < p; f++) {
            size_t ii = o->rng ? mlc_rng_index(o->rng, p) : f;
            double nrm = c->norm2[ii];
            if (nrm == 0.0)
                continue;
            double w_ii = w[ii];
            if (w_ii == 0.0 && dist[ii] >= 0.0) {
                double cj = o->positive ? corr[ii] : fabs(corr[ii]);
                if (cj + xnorm[ii] * (dist[ii] + D) < l1_skip)
                    continue; /* stays exactly zero */
            }
            const double *Xi = X + ii * ldx;
            /* X_i'(R + w_ii X_i): the correlation without coordinate ii */
            double xr = cblas_ddot((int)n, Xi, 1, R, 1);
            double tmp = xr + w_ii * nrm;
            double nw = soft_threshold(tmp, o->l1, nrm + o->l2, o->positive);
            w[ii] = nw;
            if (nw != w_ii) {
                /* ||R - delta X_i - Rref||^2 from X_i'R and X_i'Rref, with a
                 * rounding budget (dot products err by n eps ||x|| ||y||) so
                 * that D never understates the distance. */
                double delta = nw - w_ii;
                double xref = cblas_ddot((int)n, Xi, 1, Rref, 1);
                double t1 = 2.0 * delta * (xr - xref), t2 = delta * delta * nrm;
                D2 += t2 - t1;
                D2err += 4.0 * DBL_EPSILON *
                         (fabs(t1) + t2 + fabs(D2) +
                          2.0 * (double)n * fabs(delta) * xnorm[ii] * (2.0 * ref_norm + D));
                cblas_daxpy((int)n, -delta, Xi, 1, R, 1);
                D = sqrt((D2 > 0.0 ? D2 : 0.0) + D2err);
            }
            corr[ii] = tmp;
            dist[ii] = D;
            double d = fabs(nw - w_ii);
            d_w_max = d > d_w_max ? d : d_w_max;
            w_max = fabs(nw) > w_max ? fabs(nw) : w_max;
        }
        if (w_max == 0.0 || d_w_max / w_max < o->tol || it == o->max_iter - 1) {
            cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)p, 1.0, X, (int)ldx, R, 1, 0.0,
                        XtA, 1);
            for (size_t j = 0; j < p; j++) {
                corr[j] = XtA[j]; /* fresh correlations for the skip test */
                dist[j] = D;
                XtA[j] -= o->l2 * w[j];
            }
            double R_norm2 = cblas_ddot((int)n, R, 1, R, 1);
            double Ry = cblas_ddot((int)n, R, 1, c->y, 1);
            res->gap = duality_gap(XtA, w, p, R_norm2, Ry, o);
            if (res->gap < tol_abs) {
                res->converged = 1;
                it++;
                break;
            }
        }
    }
    res->n_iter = it;
}
