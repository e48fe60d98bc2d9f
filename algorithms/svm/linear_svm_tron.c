/* TRON, the trust-region Newton method of Lin, Weng & Keerthi (2008),
 * "Trust region Newton method for large-scale logistic regression"
 * (Algorithm 2 with the conjugate-gradient subproblem of Steihaug), on the
 * primal of the L2-regularised squared hinge (LinearSVC, dual=False) and
 * squared epsilon-insensitive (LinearSVR, dual=False) losses, as liblinear
 * runs it for scikit-learn:
 *
 *   f(w) = 1/2 |w|^2 + sum_i C_i r_i(w)^2,
 *   r_i = max(0, 1 - y_i w'x^_i)  or  max(0, |w'x^_i - y_i| - epsilon)
 *
 * f is once differentiable; its generalised Hessian is I + 2 X_I' C X_I
 * over the rows I with r_i > 0. Each Newton step solves H s = -g by CG
 * inside the trust region |s| <= delta (stopping at |r| <= 0.1 |g|), is
 * taken when f falls by more than 1e-4 of the predicted decrease, and the
 * region grows or shrinks with the ratio of the two (eta = 1e-4, 0.25,
 * 0.75; sigma = 0.25, 0.5, 4). It stops when |g| <= tol |g(0)|.
 *
 * The passes over the rows (f with X w, g and H s with X_I') are cut into
 * fixed parts whose sums are added in part order: the same bits on any
 * number of threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/parallel.h"
#include "linear_svm_solvers.h"

typedef struct tron_fun {
    const lsvm_data *d;
    const lsvm_sq_loss *f;
    lsvm_dot_fn *dot;
    size_t nv;     /* variables: p + 1 */
    double *z;     /* x^_i'w at the last fun() */
    size_t *I;     /* rows with a positive loss at the last grad() */
    double *coef;  /* their coefficients (grad: dloss/dz / 2; Hv: C_i) */
    size_t n_I;
    mlc_parts parts;
    double *acc;   /* parts x nv partial sums */
    double *loss;  /* per part */
    int threads;
} tron_fun;

/* ---------------------------------------------------------- row passes */

typedef struct pass {
    tron_fun *t;
    const double *v; /* fun: w; xtv: unused; hv: s */
    int kind;        /* 0: fun, 1: X_I' coef, 2: H s */
} pass;

/* The loss of row i at z = x^_i'w, and its derivative / 2 (NAN: none). */
static double row_loss(const lsvm_sq_loss *f, size_t i, double z, double *half_grad)
{
    double r;
    if (f->sign) {
        double m = f->sign[i] * z;
        if (m >= 1.0) {
            *half_grad = NAN;
            return 0.0;
        }
        r = 1.0 - m;
        *half_grad = -f->C[i] * f->sign[i] * r;
    } else {
        double e = z - f->target[i];
        if (e > f->epsilon)
            r = e - f->epsilon;
        else if (e < -f->epsilon)
            r = e + f->epsilon;
        else {
            *half_grad = NAN;
            return 0.0;
        }
        *half_grad = f->C[i] * r;
    }
    return f->C[i] * r * r;
}

static void pass_part(void *ctx, size_t q)
{
    const pass *ps = ctx;
    tron_fun *t = ps->t;
    const lsvm_data *d = t->d;
    size_t lo = mlc_part_lo(&t->parts, q), hi = mlc_part_hi(&t->parts, q), p = d->p;
    if (ps->kind == 0) {
        double loss = 0.0, hg;
        for (size_t i = lo; i < hi; i++) {
            t->z[i] = t->dot(d->X + i * d->ld, ps->v, p) + d->bias * ps->v[p];
            loss += row_loss(t->f, i, t->z[i], &hg);
        }
        t->loss[q] = loss;
        return;
    }
    double *acc = t->acc + q * t->nv;
    memset(acc, 0, t->nv * sizeof *acc);
    for (size_t k = lo; k < hi; k++) {
        size_t i = t->I[k];
        const double *x = d->X + i * d->ld;
        double a = t->coef[k];
        if (ps->kind == 2)
            a *= t->dot(x, ps->v, p) + d->bias * ps->v[p];
        lsvm_axpy(a, x, acc, p);
        acc[p] += a * d->bias;
    }
}

/* Run a pass over `rows` rows (all of them, or I); kinds 1 and 2 add the
 * parts' sums into out in part order. */
static void run_pass(tron_fun *t, int kind, const double *v, size_t rows, double *out)
{
    t->parts = mlc_parts_with_scratch(rows, t->nv);
    pass ps = {t, v, kind};
    double work = (double)rows * (double)t->nv;
    int threads = mlc_threads_for(t->threads, t->parts.count, work, MLC_PARALLEL_MIN_WORK);
    mlc_parallel_parts(threads, t->parts.count, pass_part, &ps);
    if (kind == 0)
        return;
    memset(out, 0, t->nv * sizeof *out);
    for (size_t q = 0; q < t->parts.count; q++)
        for (size_t j = 0; j < t->nv; j++)
            out[j] += t->acc[q * t->nv + j];
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t j = 0; j < n; j++)
        s += a[j] * b[j];
    return s;
}

/* f(w); keeps X w for grad. */
static double fun(tron_fun *t, const double *w)
{
    run_pass(t, 0, w, t->d->n, NULL);
    double f = 0.5 * dot(w, w, t->nv);
    for (size_t q = 0; q < t->parts.count; q++)
        f += t->loss[q];
    return f;
}

/* g at the w of the last fun(); keeps the rows with a loss for Hv. */
static void grad(tron_fun *t, const double *w, double *g)
{
    t->n_I = 0;
    for (size_t i = 0; i < t->d->n; i++) {
        double hg;
        row_loss(t->f, i, t->z[i], &hg);
        if (!isnan(hg)) {
            t->I[t->n_I] = i;
            t->coef[t->n_I++] = hg;
        }
    }
    run_pass(t, 1, NULL, t->n_I, g);
    for (size_t j = 0; j < t->nv; j++)
        g[j] = w[j] + 2.0 * g[j];
    for (size_t k = 0; k < t->n_I; k++) /* Hv's weights */
        t->coef[k] = t->f->C[t->I[k]];
}

static void hv(tron_fun *t, const double *s, double *Hs)
{
    run_pass(t, 2, s, t->n_I, Hs);
    for (size_t j = 0; j < t->nv; j++)
        Hs[j] = s[j] + 2.0 * Hs[j];
}

static void axpy(double a, const double *x, double *y, size_t n)
{
    for (size_t j = 0; j < n; j++)
        y[j] += a * x[j];
}

/* Steihaug's CG on H s = -g inside |s| <= delta; r = -g - H s on return. */
static void trcg(tron_fun *t, double delta, const double *g, double *s, double *r, double *dv,
                 double *Hd)
{
    size_t n = t->nv;
    for (size_t j = 0; j < n; j++) {
        s[j] = 0.0;
        r[j] = -g[j];
        dv[j] = r[j];
    }
    double cgtol = 0.1 * sqrt(dot(g, g, n)), rTr = dot(r, r, n);
    while (sqrt(rTr) > cgtol) {
        hv(t, dv, Hd);
        double alpha = rTr / dot(dv, Hd, n);
        axpy(alpha, dv, s, n);
        if (sqrt(dot(s, s, n)) > delta) { /* back to the boundary of the region */
            axpy(-alpha, dv, s, n);
            double std = dot(s, dv, n), sts = dot(s, s, n), dtd = dot(dv, dv, n);
            double dsq = delta * delta, rad = sqrt(std * std + dtd * (dsq - sts));
            alpha = std >= 0.0 ? (dsq - sts) / (std + rad) : (rad - std) / dtd;
            axpy(alpha, dv, s, n);
            axpy(-alpha, Hd, r, n);
            return;
        }
        axpy(-alpha, Hd, r, n);
        double rnew = dot(r, r, n), beta = rnew / rTr;
        for (size_t j = 0; j < n; j++)
            dv[j] = beta * dv[j] + r[j];
        rTr = rnew;
    }
}

/* The trust region's next radius from the actual and predicted decrease. */
static double next_delta(double delta, double actred, double prered, double alpha,
                         double snorm)
{
    if (actred < 1e-4 * prered)
        return fmin(fmax(alpha, 0.25) * snorm, 0.5 * delta);
    if (actred < 0.25 * prered)
        return fmax(0.25 * delta, fmin(alpha * snorm, 0.5 * delta));
    if (actred < 0.75 * prered)
        return fmax(0.25 * delta, fmin(alpha * snorm, 4.0 * delta));
    return fmax(delta, fmin(alpha * snorm, 4.0 * delta));
}

static int minimise(tron_fun *t, const lsvm_opts *o, double *w, double *v, lsvm_result *res)
{
    size_t n = t->nv;
    double *g = v, *s = v + n, *r = v + 2 * n, *w_new = v + 3 * n, *dv = v + 4 * n;
    double *Hd = v + 5 * n;
    memset(w, 0, n * sizeof *w);
    double f = fun(t, w);
    grad(t, w, g);
    double gnorm0 = sqrt(dot(g, g, n)), delta = gnorm0;
    res->n_iter = 0;
    res->converged = gnorm0 <= o->tol * gnorm0;
    for (int64_t iter = 1; iter <= o->max_iter && !res->converged;) {
        trcg(t, delta, g, s, r, dv, Hd);
        memcpy(w_new, w, n * sizeof *w);
        axpy(1.0, s, w_new, n);
        double gs = dot(g, s, n), prered = -0.5 * (gs - dot(s, r, n));
        double fnew = fun(t, w_new), actred = f - fnew, snorm = sqrt(dot(s, s, n));
        if (iter == 1)
            delta = fmin(delta, snorm);
        double alpha = fnew - f - gs <= 0.0 ? 4.0 : fmax(0.25, -0.5 * (gs / (fnew - f - gs)));
        delta = next_delta(delta, actred, prered, alpha, snorm);
        if (actred > 1e-4 * prered) {
            iter++;
            res->n_iter++;
            memcpy(w, w_new, n * sizeof *w);
            f = fnew;
            grad(t, w, g);
            double gnorm = sqrt(dot(g, g, n));
            if (gnorm <= o->tol * gnorm0) {
                res->converged = 1;
                break;
            }
            if (mlc_progress_tick(o->progress, res->n_iter, o->max_iter, gnorm, "|grad|"))
                return MLC_EINTERRUPTED;
        }
        /* no decrease left to find in floating point: as converged as it gets */
        if ((fabs(actred) <= 0.0 && prered <= 0.0) ||
            (fabs(actred) <= 1e-12 * fabs(f) && fabs(prered) <= 1e-12 * fabs(f))) {
            res->converged = 1;
            break;
        }
    }
    return MLC_OK;
}

int lsvm_tron(const lsvm_data *d, const lsvm_sq_loss *f, const lsvm_opts *o, double *w,
              lsvm_result *r)
{
    size_t n = d->n, nb = n ? n : 1, nv = d->p + 1;
    mlc_parts most = mlc_parts_with_scratch(n, nv);
    tron_fun t = {.d = d, .f = f, .dot = lsvm_dot_form(o->level), .nv = nv,
                  .threads = d->threads};
    t.z = malloc(nb * sizeof *t.z);
    t.I = malloc(nb * sizeof *t.I);
    t.coef = malloc(nb * sizeof *t.coef);
    t.acc = malloc(most.count * nv * sizeof *t.acc);
    t.loss = malloc(most.count * sizeof *t.loss);
    double *v = malloc(6 * nv * sizeof *v);
    int st = MLC_OK;
    if (!t.z || !t.I || !t.coef || !t.acc || !t.loss || !v)
        st = mlc_raise_nomem("the TRON solver");
    else
        st = minimise(&t, o, w, v, r);
    free(t.z);
    free(t.I);
    free(t.coef);
    free(t.acc);
    free(t.loss);
    free(v);
    return st;
}
