/* Dual coordinate descent for the L2-regularised hinge and squared-hinge
 * SVM (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008, "A dual coordinate
 * descent method for large-scale linear SVM", Algorithm 3), as liblinear
 * runs it for scikit-learn's LinearSVC:
 *
 *   min_a 1/2 a'(Q + D)a - e'a,  0 <= a_i <= U_i,  Q_ij = y_i y_j x^_i'x^_j
 *
 * hinge: D = 0, U_i = C_i; squared hinge: D_ii = 1/(2 C_i), U_i = inf.
 * w = sum_i a_i y_i x^_i is kept up to date, so one coordinate costs two
 * passes over its row (x^_i'w, then w += delta x^_i). Each epoch visits
 * the active rows in a fresh random order. A row whose projected gradient
 * is beyond the previous epoch's extremes at a bound is shrunk (left out);
 * when the spread of the projected gradient falls to tol the shrunk rows
 * come back, and the solver stops when that happens with none shrunk. */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "linear_svm_dot.h"
#include "linear_svm_solvers.h"

/* How far ahead rows are prefetched: the order is random, so the hardware
 * prefetcher cannot guess the next row; about this many bytes of rows in
 * flight (measured on 100 000 x 100: 8 rows ahead ran an epoch in 60% of
 * the time 2 rows ahead took), at most PREFETCH_MAX rows. */
#define PREFETCH_BYTES 6400
#define PREFETCH_MAX 16

static inline double min_d(double a, double b)
{
    return b < a ? b : a;
}
static inline double max_d(double a, double b)
{
    return b > a ? b : a;
}

/* One epoch over the active rows in index order (squared: a constant at
 * each call, so each form has a loop per loss). */
MLC_BODY void epoch_body(int lanes, int squared, lsvm_dual_state *s)
{
    const lsvm_data *d = s->d;
    const double *X = d->X, B = d->bias;
    double *w = s->w;
    lsvm_dual_row *row = s->row;
    size_t p = d->p, ld = d->ld, *index = s->index;
    double pg_max = -INFINITY, pg_min = INFINITY;
    size_t t = 0, ahead = PREFETCH_BYTES / (8 * p + 8);
    ahead = ahead < 1 ? 1 : ahead > PREFETCH_MAX ? PREFETCH_MAX : ahead;
    for (size_t k = 0; k < ahead && k < s->active; k++)
        lsvm_prefetch_row(X + index[k] * ld, p);
    while (t < s->active) {
        size_t i = index[t];
        if (t + ahead < s->active) {
            size_t next = index[t + ahead];
            lsvm_prefetch_row(X + next * ld, p);
            MLC_PREFETCH(row + next, 1, 3);
        }
        const double *x = X + i * ld;
        lsvm_dual_row *r = row + i;
        double a = r->alpha, U = squared ? INFINITY : r->bound;
        double G = (lsvm_dot_body(lanes, x, w, p) + B * w[p]) * r->y - 1.0;
        if (squared)
            G += a * r->bound;
        double PG = 0.0;
        if (a == 0.0) {
            if (G > s->pg_max_old) { /* shrink: swap with the last active row */
                index[t] = index[--s->active];
                index[s->active] = i;
                continue;
            }
            if (G < 0.0)
                PG = G;
        } else if (a == U) {
            if (G < s->pg_min_old) {
                index[t] = index[--s->active];
                index[s->active] = i;
                continue;
            }
            if (G > 0.0)
                PG = G;
        } else {
            PG = G;
        }
        pg_max = max_d(pg_max, PG);
        pg_min = min_d(pg_min, PG);
        if (fabs(PG) > 1e-12) {
            double next = min_d(max_d(a - G * r->inv_QD, 0.0), U);
            double delta = (next - a) * r->y;
            r->alpha = next;
            lsvm_axpy_body(lanes, delta, x, w, p);
            w[p] += delta * B;
        }
        t++;
    }
    s->pg_max = pg_max;
    s->pg_min = pg_min;
}

MLC_WIDE_EXACT static void epoch_wide(lsvm_dual_state *s)
{
    s->squared ? epoch_body(8, 1, s) : epoch_body(8, 0, s);
}

MLC_NARROW_EXACT static void epoch_narrow(lsvm_dual_state *s)
{
    s->squared ? epoch_body(4, 1, s) : epoch_body(4, 0, s);
}

MLC_REFERENCE_EXACT static void epoch_reference(lsvm_dual_state *s)
{
    s->squared ? epoch_body(1, 1, s) : epoch_body(1, 0, s);
}

lsvm_dual_epoch_fn *lsvm_dual_epoch_form(int level)
{
    return level >= MLC_SIMD_512 ? epoch_wide
                                 : level == MLC_SIMD_256 ? epoch_narrow : epoch_reference;
}

int lsvm_svc_dual(const lsvm_data *d, const int8_t *y, const double *C, int squared,
                  const lsvm_opts *o, double *w, lsvm_result *r)
{
    size_t n = d->n, nb = n ? n : 1;
    lsvm_dual_row *row = malloc(nb * sizeof *row);
    size_t *index = malloc(nb * sizeof *index);
    lsvm_order order;
    lsvm_order_seed(&order, o->seed);
    int st = MLC_OK;
    if (!row || !index)
        st = mlc_raise_nomem("the LinearSVC dual problem");
    if (st)
        goto done;
    for (size_t i = 0; i < n; i++) {
        double bound = squared ? 0.5 / C[i] : C[i];
        row[i] = (lsvm_dual_row){0.0, 1.0 / (d->sq[i] + (squared ? bound : 0.0)), y[i], bound};
        index[i] = i;
    }
    for (size_t j = 0; j <= d->p; j++)
        w[j] = 0.0;
    lsvm_dual_state s = {.d = d, .squared = squared, .row = row, .w = w, .index = index,
                         .active = n, .pg_max_old = INFINITY, .pg_min_old = -INFINITY};
    lsvm_dual_epoch_fn *epoch = lsvm_dual_epoch_form(o->level);
    r->n_iter = 0;
    r->converged = 0;
    while (r->n_iter < o->max_iter) {
        lsvm_order_shuffle(&order, index, s.active);
        epoch(&s);
        r->n_iter++;
        if (mlc_progress_tick(o->progress, r->n_iter, o->max_iter, s.pg_max - s.pg_min, "gap")) {
            st = MLC_EINTERRUPTED;
            break;
        }
        if (s.pg_max - s.pg_min <= o->tol) {
            if (s.active == n) {
                r->converged = 1;
                break;
            }
            s.active = n; /* unshrink, and check the whole problem again */
            s.pg_max_old = INFINITY;
            s.pg_min_old = -INFINITY;
            continue;
        }
        s.pg_max_old = s.pg_max <= 0.0 ? INFINITY : s.pg_max;
        s.pg_min_old = s.pg_min >= 0.0 ? -INFINITY : s.pg_min;
    }
done:
    free(row);
    free(index);
    return st;
}
