/* Primal coordinate descent for the L1-regularised squared-hinge SVM
 * (Yuan, Chang, Hsieh & Lin 2010, "A comparison of optimization methods
 * and software for large-scale L1-regularized linear classification",
 * Section 4.1.2, and Appendix F of Fan et al. 2008), as liblinear runs it
 * for scikit-learn's LinearSVC(penalty='l1', dual=False):
 *
 *   min_w |w^|_1 + sum_i C_i max(0, b_i)^2,  b_i = 1 - y_i w^'x^_i
 *
 * (the intercept feature's weight is in the L1 term too). One coordinate
 * j: the loss's gradient and generalised second derivative along column
 * j, a Newton direction soft-thresholded by the L1 term, then a
 * backtracking line search (sufficient decrease with sigma = 0.01, step
 * halved up to 20 times) that first tries a cheap upper bound of the loss
 * change. b is kept up to date. Each epoch visits the active coordinates
 * in a random order; a zero weight whose gradient stays well inside
 * [-1, 1] is shrunk. It stops when the summed violation falls to tol times
 * the first epoch's with nothing shrunk. */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "linear_svm_solvers.h"

#define SIGMA 0.01
#define MAX_LINE_SEARCH 20

typedef struct l1_problem {
    const double *Xt; /* columns of x^, n apart */
    const int8_t *y;
    const double *C;
    size_t n;
    double *b; /* 1 - y_i w^'x^_i */
} l1_problem;

/* The loss's gradient (G) and second derivative (H) along column j. */
static void column_derivatives(const l1_problem *q, size_t j, double *G, double *H)
{
    const double *x = q->Xt + j * q->n;
    double g = 0.0, h = 0.0;
    for (size_t i = 0; i < q->n; i++)
        if (q->b[i] > 0.0) {
            double v = q->y[i] * x[i], t = q->C[i] * v;
            g -= t * q->b[i];
            h += t * v;
        }
    *G = 2.0 * g;
    *H = fmax(2.0 * h, 1e-12);
}

/* b -= step y x_j; with losses, also the loss before and after. */
static void move_b(const l1_problem *q, size_t j, double step, double *before, double *after)
{
    const double *x = q->Xt + j * q->n;
    double lo = 0.0, ln = 0.0;
    for (size_t i = 0; i < q->n; i++) {
        double bi = q->b[i];
        if (before && bi > 0.0)
            lo += q->C[i] * bi * bi;
        bi -= step * (q->y[i] * x[i]);
        q->b[i] = bi;
        if (after && bi > 0.0)
            ln += q->C[i] * bi * bi;
    }
    if (before)
        *before = lo;
    if (after)
        *after = ln;
}

/* Newton direction of coordinate j with the L1 term's subgradient. */
static double direction(double G, double H, double wj)
{
    double Gp = G + 1.0, Gn = G - 1.0;
    if (Gp < H * wj)
        return -Gp / H;
    if (Gn > H * wj)
        return -Gn / H;
    return -wj;
}

/* The line search along direction step of coordinate j (w_j not yet
 * moved, b moved as it goes); returns the step taken, or NAN when it gave
 * up (b then needs recomputing). */
static double line_search(const l1_problem *q, size_t j, double wj, double G, double xj_sq,
                          double step)
{
    double delta = fabs(wj + step) - fabs(wj) + G * step, taken = 0.0;
    double loss_old = 0.0, loss_new = 0.0;
    for (int k = 0; k < MAX_LINE_SEARCH; k++) {
        double cond = fabs(wj + step) - fabs(wj) - SIGMA * delta;
        /* an upper bound of the loss change first: no pass over the rows */
        if (xj_sq * step * step + G * step + cond <= 0.0) {
            move_b(q, j, step - taken, NULL, NULL);
            return step;
        }
        move_b(q, j, step - taken, k == 0 ? &loss_old : NULL, &loss_new);
        taken = step;
        if (cond + loss_new - loss_old <= 0.0)
            return step;
        step *= 0.5;
        delta *= 0.5;
    }
    return NAN;
}

static void recompute_b(const l1_problem *q, const double *w, size_t n_var)
{
    for (size_t i = 0; i < q->n; i++)
        q->b[i] = 1.0;
    for (size_t j = 0; j < n_var; j++)
        if (w[j] != 0.0)
            move_b(q, j, w[j], NULL, NULL);
}

int lsvm_svc_l1(const lsvm_data *d, const double *Xt, const int8_t *y, const double *C,
                const lsvm_opts *o, double *w, lsvm_result *r)
{
    size_t n = d->n, n_var = d->p + (d->bias != 0.0);
    double *b = malloc((n ? n : 1) * sizeof *b), *xj_sq = malloc((d->p + 1) * sizeof *xj_sq);
    size_t *index = malloc((d->p + 1) * sizeof *index);
    lsvm_order order;
    lsvm_order_seed(&order, o->seed);
    int st = MLC_OK;
    if (!b || !xj_sq || !index)
        st = mlc_raise_nomem("the L1 LinearSVC problem");
    if (st)
        goto done;
    l1_problem q = {Xt, y, C, n, b};
    for (size_t j = 0; j <= d->p; j++)
        w[j] = 0.0;
    for (size_t i = 0; i < n; i++)
        b[i] = 1.0;
    for (size_t j = 0; j < n_var; j++) {
        const double *x = Xt + j * n;
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += C[i] * x[i] * x[i];
        xj_sq[j] = s;
        index[j] = j;
    }
    size_t active = n_var;
    double g_max_old = INFINITY, g_norm1_init = -1.0, rows = (double)n;
    r->n_iter = 0;
    r->converged = 0;
    while (r->n_iter < o->max_iter) {
        double g_max = 0.0, g_norm1 = 0.0;
        lsvm_order_shuffle(&order, index, active);
        size_t t = 0;
        while (t < active) {
            size_t j = index[t];
            double G, H, v;
            column_derivatives(&q, j, &G, &H);
            double Gp = G + 1.0, Gn = G - 1.0;
            if (w[j] == 0.0) {
                v = Gp < 0.0 ? -Gp : Gn > 0.0 ? Gn : 0.0;
                if (v == 0.0 && Gp > g_max_old / rows && Gn < -g_max_old / rows) {
                    index[t] = index[--active];
                    index[active] = j;
                    continue;
                }
            } else {
                v = w[j] > 0.0 ? fabs(Gp) : fabs(Gn);
            }
            t++;
            g_max = fmax(g_max, v);
            g_norm1 += v;
            double step = direction(G, H, w[j]);
            if (fabs(step) < 1e-12)
                continue;
            double taken = line_search(&q, j, w[j], G, xj_sq[j], step);
            if (isnan(taken)) { /* the search gave up: its last halved step, b afresh */
                w[j] += step / (double)(1u << MAX_LINE_SEARCH);
                recompute_b(&q, w, n_var);
            } else {
                w[j] += taken;
            }
        }
        if (r->n_iter == 0)
            g_norm1_init = g_norm1;
        r->n_iter++;
        if (mlc_progress_tick(o->progress, r->n_iter, o->max_iter, g_norm1, "violation")) {
            st = MLC_EINTERRUPTED;
            break;
        }
        if (g_norm1 <= o->tol * g_norm1_init) {
            if (active == n_var) {
                r->converged = 1;
                break;
            }
            active = n_var;
            g_max_old = INFINITY;
            continue;
        }
        g_max_old = g_max;
    }
done:
    free(b);
    free(xj_sq);
    free(index);
    return st;
}
