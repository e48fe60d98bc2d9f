/* The multi-class SVM of Crammer & Singer (2001), solved in the dual one
 * row at a time (Keerthi, Sundararajan, Chang, Hsieh & Lin 2008, "A
 * sequential dual method for large scale multi-class linear SVMs"), as
 * liblinear runs it for scikit-learn's LinearSVC(multi_class=
 * 'crammer_singer'):
 *
 *   min_a 1/2 sum_m |w_m|^2 + sum_i sum_{m != y_i} a_i^m,
 *   w_m = sum_i a_i^m x^_i,  a_i^m <= C_i [m = y_i],  sum_m a_i^m = 0
 *
 * Each row's K multipliers are optimised together in closed form (a
 * sorting step finds the threshold beta). A class of a row sits at its
 * bound with a gradient below the row's smallest free one is shrunk, and
 * a row with one active class left is shrunk as a whole; the shrinking
 * tolerance halves from max(10 tol, 1) down to tol, and the solver stops
 * when an epoch that started from the whole problem moves no row's
 * gradient spread above tol. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_svm_solvers.h"

typedef struct cs_work {
    const lsvm_data *d;
    const int32_t *cls;
    const double *C;
    size_t K;
    double *W, *alpha, *QD, *G, *B, *D, *alpha_new, *d_val;
    int32_t *alpha_index, *y_index, *active_i, *d_ind;
    size_t *index;
} cs_work;

/* The new multipliers of one row from B (Keerthi et al., Section 3). */
static void solve_row(cs_work *c, double A, int32_t yi, double C_yi, int32_t act)
{
    double *D = c->D;
    memcpy(D, c->B, (size_t)act * sizeof *D);
    if (yi < act)
        D[yi] += A * C_yi;
    for (int32_t a = 1; a < act; a++) { /* descending insertion sort: K is small */
        double v = D[a];
        int32_t b = a;
        for (; b > 0 && D[b - 1] < v; b--)
            D[b] = D[b - 1];
        D[b] = v;
    }
    double beta = D[0] - A * C_yi;
    int32_t r = 1;
    for (; r < act && beta < r * D[r]; r++)
        beta += D[r];
    beta /= r;
    for (int32_t m = 0; m < act; m++)
        c->alpha_new[m] = fmin(m == yi ? C_yi : 0.0, (beta - c->B[m]) / A);
}

static int shrinkable(const cs_work *c, int32_t m, int32_t yi, double alpha, double C_i,
                      double minG)
{
    return alpha == (m == yi ? C_i : 0.0) && c->G[m] < minG;
}

/* One row's step; returns its gradient spread (0: none to take) or -1
 * when the row is shrunk. */
static double row_step(cs_work *c, size_t i)
{
    const lsvm_data *d = c->d;
    size_t K = c->K, p = d->p;
    double A = c->QD[i], C_i = c->C[i], *alpha = c->alpha + i * K, *G = c->G;
    int32_t *idx = c->alpha_index + i * K, act = c->active_i[i], *yi = &c->y_index[i];
    const double *x = d->X + i * d->ld;
    for (int32_t m = 0; m < act; m++)
        G[m] = m == *yi ? 0.0 : 1.0;
    for (size_t j = 0; j <= p; j++) {
        double xj = j < p ? x[j] : d->bias;
        const double *wj = c->W + j * K;
        for (int32_t m = 0; m < act; m++)
            G[m] += wj[idx[m]] * xj;
    }
    double minG = INFINITY, maxG = -INFINITY;
    for (int32_t m = 0; m < act; m++) {
        if (alpha[idx[m]] < 0.0 && G[m] < minG)
            minG = G[m];
        maxG = fmax(maxG, G[m]);
    }
    if (*yi < act && alpha[c->cls[i]] < C_i && G[*yi] < minG)
        minG = G[*yi];
    for (int32_t m = 0; m < act; m++) {
        if (!shrinkable(c, m, *yi, alpha[idx[m]], C_i, minG))
            continue;
        /* swap in the last class that stays, or shrink down to m */
        for (act--; act > m; act--)
            if (!shrinkable(c, act, *yi, alpha[idx[act]], C_i, minG)) {
                int32_t ti = idx[m];
                idx[m] = idx[act];
                idx[act] = ti;
                double tg = G[m];
                G[m] = G[act];
                G[act] = tg;
                if (*yi == act)
                    *yi = m;
                else if (*yi == m)
                    *yi = act;
                break;
            }
    }
    c->active_i[i] = act;
    if (act <= 1)
        return -1.0;
    if (maxG - minG <= 1e-12)
        return 0.0;
    for (int32_t m = 0; m < act; m++)
        c->B[m] = G[m] - A * alpha[idx[m]];
    solve_row(c, A, *yi, C_i, act);
    int32_t nz = 0;
    for (int32_t m = 0; m < act; m++) {
        double step = c->alpha_new[m] - alpha[idx[m]];
        alpha[idx[m]] = c->alpha_new[m];
        if (fabs(step) >= 1e-12) {
            c->d_ind[nz] = idx[m];
            c->d_val[nz++] = step;
        }
    }
    for (size_t j = 0; j <= p; j++) {
        double xj = j < p ? x[j] : d->bias;
        double *wj = c->W + j * K;
        for (int32_t m = 0; m < nz; m++)
            wj[c->d_ind[m]] += c->d_val[m] * xj;
    }
    return maxG - minG;
}

static int solve(cs_work *c, const lsvm_opts *o, lsvm_order *order, lsvm_result *r)
{
    size_t n = c->d->n, K = c->K, active = n;
    double eps_shrink = fmax(10.0 * o->tol, 1.0);
    int from_all = 1;
    r->n_iter = 0;
    r->converged = 0;
    while (r->n_iter < o->max_iter) {
        double stopping = -INFINITY;
        lsvm_order_shuffle(order, c->index, active);
        size_t t = 0;
        while (t < active) {
            size_t i = c->index[t];
            double spread = c->QD[i] > 0.0 ? row_step(c, i) : 0.0;
            if (spread < 0.0) {
                c->index[t] = c->index[--active];
                c->index[active] = i;
                continue;
            }
            stopping = fmax(stopping, spread > 1e-12 ? spread : -INFINITY);
            t++;
        }
        r->n_iter++;
        if (mlc_progress_tick(o->progress, r->n_iter, o->max_iter, stopping, "gap"))
            return MLC_EINTERRUPTED;
        if (stopping < eps_shrink) {
            if (stopping < o->tol && from_all) {
                r->converged = 1;
                break;
            }
            active = n; /* unshrink everything */
            for (size_t i = 0; i < n; i++)
                c->active_i[i] = (int32_t)K;
            eps_shrink = fmax(eps_shrink / 2.0, o->tol);
            from_all = 1;
        } else {
            from_all = 0;
        }
    }
    return MLC_OK;
}

int lsvm_crammer_singer(const lsvm_data *d, const int32_t *cls, size_t K, const double *C,
                        const lsvm_opts *o, double *W, lsvm_result *r)
{
    size_t n = d->n, nb = n ? n : 1;
    cs_work c = {.d = d, .cls = cls, .C = C, .K = K, .W = W};
    c.alpha = calloc(nb * K, sizeof *c.alpha);
    c.alpha_index = malloc(nb * K * sizeof *c.alpha_index);
    c.QD = malloc(nb * sizeof *c.QD);
    c.y_index = malloc(nb * sizeof *c.y_index);
    c.active_i = malloc(nb * sizeof *c.active_i);
    c.index = malloc(nb * sizeof *c.index);
    double *scratch = malloc(6 * K * sizeof *scratch);
    c.d_ind = malloc(K * sizeof *c.d_ind);
    lsvm_order order;
    lsvm_order_seed(&order, o->seed);
    int st = MLC_OK;
    if (!c.alpha || !c.alpha_index || !c.QD || !c.y_index || !c.active_i || !c.index ||
        !scratch || !c.d_ind)
        st = mlc_raise_nomem("the Crammer-Singer problem");
    if (!st) {
        c.G = scratch;
        c.B = scratch + K;
        c.D = scratch + 2 * K;
        c.alpha_new = scratch + 3 * K;
        c.d_val = scratch + 4 * K;
        memset(W, 0, (d->p + 1) * K * sizeof *W);
        for (size_t i = 0; i < n; i++) {
            for (size_t m = 0; m < K; m++)
                c.alpha_index[i * K + m] = (int32_t)m;
            c.QD[i] = d->sq[i];
            c.active_i[i] = (int32_t)K;
            c.y_index[i] = cls[i];
            c.index[i] = i;
        }
        st = solve(&c, o, &order, r);
    }
    free(c.alpha);
    free(c.alpha_index);
    free(c.QD);
    free(c.y_index);
    free(c.active_i);
    free(c.index);
    free(scratch);
    free(c.d_ind);
    return st;
}
