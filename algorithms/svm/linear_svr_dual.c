/* Dual coordinate descent for L2-regularised support vector regression
 * (Ho & Lin 2012, "Large-scale linear support vector regression",
 * Algorithm 4), as liblinear runs it for scikit-learn's LinearSVR:
 *
 *   min_b 1/2 b'(Q + D)b - y'b + epsilon |b|_1,  -U_i <= b_i <= U_i,
 *   Q_ij = x^_i'x^_j
 *
 * epsilon-insensitive loss: D = 0, U_i = C_i; squared: D_ii = 1/(2 C_i),
 * U_i = inf. w = sum_i b_i x^_i. Each epoch visits the active rows in a
 * random order and takes the exact minimiser of the one-variable problem
 * (a soft-threshold of the Newton step, clipped to the bounds); rows at a
 * bound (or at 0) whose gradient is well inside their optimality range are
 * shrunk. It stops when the summed violation falls to tol times the first
 * epoch's, with nothing shrunk. */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "linear_svm_solvers.h"

/* The violation of row i's optimality condition, or -1 to shrink it. */
static double violation(double beta, double U, double Gp, double Gn, double g_max_old)
{
    if (beta == 0.0) {
        if (Gp < 0.0)
            return -Gp;
        if (Gn > 0.0)
            return Gn;
        return Gp > g_max_old && Gn < -g_max_old ? -1.0 : 0.0;
    }
    if (beta >= U)
        return Gp > 0.0 ? Gp : Gp < -g_max_old ? -1.0 : 0.0;
    if (beta <= -U)
        return Gn < 0.0 ? -Gn : Gn > g_max_old ? -1.0 : 0.0;
    return beta > 0.0 ? fabs(Gp) : fabs(Gn);
}

int lsvm_svr_dual(const lsvm_data *d, const double *y, const double *C, double epsilon,
                  int squared, const lsvm_opts *o, double *w, lsvm_result *r)
{
    size_t n = d->n, p = d->p, nb = n ? n : 1;
    double *beta = calloc(nb, sizeof *beta), *lambda = malloc(nb * sizeof *lambda);
    double *ub = malloc(nb * sizeof *ub);
    size_t *index = malloc(nb * sizeof *index);
    lsvm_order order;
    lsvm_order_seed(&order, o->seed);
    int st = MLC_OK;
    if (!beta || !lambda || !ub || !index)
        st = mlc_raise_nomem("the LinearSVR dual problem");
    if (st)
        goto done;
    for (size_t i = 0; i < n; i++) {
        lambda[i] = squared ? 0.5 / C[i] : 0.0;
        ub[i] = squared ? INFINITY : C[i];
        index[i] = i;
    }
    for (size_t j = 0; j <= p; j++)
        w[j] = 0.0;
    lsvm_dot_fn *dot = lsvm_dot_form(o->level);
    size_t active = n;
    double g_max_old = INFINITY, g_norm1_init = -1.0;
    r->n_iter = 0;
    r->converged = 0;
    while (r->n_iter < o->max_iter) {
        double g_max = 0.0, g_norm1 = 0.0;
        lsvm_order_shuffle(&order, index, active);
        size_t t = 0;
        while (t < active) {
            size_t i = index[t];
            const double *x = d->X + i * d->ld;
            double G = dot(x, w, p) + d->bias * w[p] - y[i] + lambda[i] * beta[i];
            double H = d->sq[i] + lambda[i], Gp = G + epsilon, Gn = G - epsilon;
            double v = violation(beta[i], ub[i], Gp, Gn, g_max_old);
            if (v < 0.0) {
                index[t] = index[--active];
                index[active] = i;
                continue;
            }
            t++;
            g_max = fmax(g_max, v);
            g_norm1 += v;
            double step = Gp < H * beta[i] ? -Gp / H : Gn > H * beta[i] ? -Gn / H : -beta[i];
            if (fabs(step) < 1e-12)
                continue;
            double old = beta[i];
            beta[i] = fmin(fmax(beta[i] + step, -ub[i]), ub[i]);
            step = beta[i] - old;
            if (step != 0.0) {
                lsvm_axpy(step, x, w, p);
                w[p] += step * d->bias;
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
            if (active == n) {
                r->converged = 1;
                break;
            }
            active = n;
            g_max_old = INFINITY;
            continue;
        }
        g_max_old = g_max;
    }
done:
    free(beta);
    free(lambda);
    free(ub);
    free(index);
    return st;
}
