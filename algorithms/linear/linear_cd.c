/* Elastic-net coordinate descent (see algorithms/linear/linear_cd.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/parallel.h"
#include "linear_cd.h"
#include "internal/vec.h"

/* A zero coefficient is skipped only when its correlation bound is below
 * l1 by this relative margin, far above rounding, so a skipped coordinate is
 * one scikit-learn's update would also leave at exactly zero. */
#define SKIP_MARGIN (1.0 - 1e-7)

/* The column form's sums over rows (X_j'R, X_j'Rref, the gap's X'R) are
 * sums over parts of rows fixed by n alone, added in order: threads take
 * whole parts, so the iterates are the same for any thread count. */
#define PART_MIN_ROWS 4096
#define PARTS_MAX 4

static size_t n_parts(size_t n)
{
    return mlc_parts_count_for(n, PART_MIN_ROWS, PARTS_MAX);
}

int mlc_cd_work_alloc(mlc_cd_work *ws, size_t n, size_t p)
{
    memset(ws, 0, sizeof *ws);
    ws->n = n;
    ws->p = p;
    /* the column form: the gap's sums per part, and the own state (5 p
     * values) of every thread but the first that its parts allow */
    size_t gap_parts = n ? PARTS_MAX * (p + 2) : 0, own = n ? (n_parts(n) - 1) * 5 * p : 0;
    ws->H = malloc((4 * p + 2 * n + gap_parts + own + 1) * sizeof(double));
    if (!ws->H)
        return mlc_raise_nomem("coordinate descent workspace");
    ws->corr = ws->H + p;
    ws->stamp = ws->corr + p;
    ws->xnorm = ws->stamp + p;
    ws->R = ws->xnorm + p;
    ws->Rref = ws->R + n;
    ws->gpart = n ? ws->Rref + n : NULL;
    ws->own = n ? ws->gpart + gap_parts : NULL;
    return MLC_OK;
}

void mlc_cd_work_clear(mlc_cd_work *ws)
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
    res->stopped = 0;
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
        if (mlc_progress_tick(o->progress, it + 1, o->max_iter,
                              w_max > 0.0 ? d_w_max / w_max : 0.0, "change")) {
            res->stopped = 1;
            it++;
            break;
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

/* ------------------------------------------------------- the column form */

/* The column form's kernel on n rows (mlc_cd_dots_form, linear_cd.h). A
 * coefficient's move is applied to R when the next coordinate visited reads
 * R, in the same pass as that coordinate's X_j'R and X_j'Rref: X_j is read
 * once, from memory, and the move and X_j'Rref ride along. Software
 * prefetch (into L2) runs PREFETCH_AHEAD values ahead: the hardware
 * prefetcher stops at every 4 KiB page, and this runs on into the next
 * column, most often the next one visited.
 *
 * One body (dots_body) for every form, by lane width: 8-row steps whose
 * row i + l goes to logical lane l (one 8-wide vector in the wide form, two
 * 4-wide halves in the 256-bit one, 8 doubles in the reference), R updated
 * as r - delta x, no contraction, the lanes added in one fixed order, then
 * the tail rows in order: every form gives the same bits
 * (test_linear_cd: dots_forms_match_reference). */
#define PREFETCH_AHEAD 1024

/* The lanes [h, h + 4) of one step: with move, R -= delta (Xp - mp) (and
 * stored); then a += (x - mj) R, b += (x - mj) Rref. Every pointer is at
 * the step's first row. */
MLC_BODY void step_lanes4(int move, int h, const double *x, double mj, double *R,
                           const double *Rref, const double *Xp, double mp, double delta,
                           double *a, double *b)
{
    mlc_v4d xv, rv, qv, av, bv, mjv = {mj, mj, mj, mj};
    MLC_LOADV(xv, x + h);
    MLC_LOADV(rv, R + h);
    MLC_LOADV(qv, Rref + h);
    MLC_LOADV(av, a + h);
    MLC_LOADV(bv, b + h);
    xv -= mjv;
    if (move) {
        mlc_v4d pv, mpv = {mp, mp, mp, mp}, dv = {delta, delta, delta, delta};
        MLC_LOADV(pv, Xp + h);
        rv -= dv * (pv - mpv);
        MLC_STOREV(R + h, rv);
    }
    av += xv * rv;
    bv += xv * qv;
    MLC_STOREV(a + h, av);
    MLC_STOREV(b + h, bv);
}

/* All 8 lanes of one step in one vector: the same per-lane arithmetic. */
MLC_BODY void step_lanes8(int move, const double *x, double mj, double *R, const double *Rref,
                           const double *Xp, double mp, double delta, double *a, double *b)
{
    mlc_v8d xv, rv, qv, av, bv, mjv = {mj, mj, mj, mj, mj, mj, mj, mj};
    MLC_LOADV(xv, x);
    MLC_LOADV(rv, R);
    MLC_LOADV(qv, Rref);
    MLC_LOADV(av, a);
    MLC_LOADV(bv, b);
    xv -= mjv;
    if (move) {
        mlc_v8d pv, mpv = {mp, mp, mp, mp, mp, mp, mp, mp};
        mlc_v8d dv = {delta, delta, delta, delta, delta, delta, delta, delta};
        MLC_LOADV(pv, Xp);
        rv -= dv * (pv - mpv);
        MLC_STOREV(R, rv);
    }
    av += xv * rv;
    bv += xv * qv;
    MLC_STOREV(a, av);
    MLC_STOREV(b, bv);
}

/* One lane (row) of a step, or of the tail: the same arithmetic again. */
MLC_BODY void step_lane1(int move, double x, double mj, double *R, double rref, double xp,
                          double mp, double delta, double *a, double *b)
{
    double xv = x - mj, r = *R;
    if (move) {
        r -= delta * (xp - mp);
        *R = r;
    }
    *a += xv * r;
    *b += xv * rref;
}

/* One 8-row step at width lanes (8, 4 or 1: a constant at each call). The
 * accumulators a and b (8 lanes each) are local arrays of dots_body:
 * after inlining GCC keeps them in registers. */
MLC_BODY void dots_step(int lanes, int move, const double *x, double mj, double *R,
                         const double *Rref, const double *Xp, double mp, double delta,
                         double *a, double *b)
{
    MLC_PREFETCH(x + PREFETCH_AHEAD, 0, 1);
    if (lanes == 8) {
        step_lanes8(move, x, mj, R, Rref, Xp, mp, delta, a, b);
    } else if (lanes == 4) {
        step_lanes4(move, 0, x, mj, R, Rref, Xp, mp, delta, a, b);
        step_lanes4(move, 4, x, mj, R, Rref, Xp, mp, delta, a, b);
    } else {
        for (int l = 0; l < 8; l++)
            step_lane1(move, x[l], mj, R + l, Rref[l], move ? Xp[l] : 0.0, mp, delta, a + l,
                       b + l);
    }
}

/* Columns are x - m (m: the offset left in a copy column, mostly 0). With
 * Xp: R -= delta (Xp - mp) first; then out = {(Xj - mj)'R, (Xj - mj)'Rref}. */
MLC_BODY void dots_body(int lanes, size_t n, const double *Xj, double mj, double *R,
                         const double *Rref, const double *Xp, double mp, double delta,
                         double *out)
{
    double a[8] = {0}, b[8] = {0};
    size_t i = 0;
    if (Xp)
        for (; i + 8 <= n; i += 8)
            dots_step(lanes, 1, Xj + i, mj, R + i, Rref + i, Xp + i, mp, delta, a, b);
    else
        for (; i + 8 <= n; i += 8)
            dots_step(lanes, 0, Xj + i, mj, R + i, Rref + i, NULL, mp, delta, a, b);
    /* lanes h and h + 4 first: the 256-bit form's two halves added */
    double s = ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
    double sr = ((b[0] + b[4]) + (b[1] + b[5])) + ((b[2] + b[6]) + (b[3] + b[7]));
    for (; i < n; i++)
        step_lane1(Xp != NULL, Xj[i], mj, R + i, Rref[i], Xp ? Xp[i] : 0.0, mp, delta, &s, &sr);
    out[0] = s;
    out[1] = sr;
}

MLC_WIDE_EXACT static void dots_wide(size_t n, const double *Xj, double mj, double *R,
                              const double *Rref, const double *Xp, double mp, double delta,
                              double *out)
{
    dots_body(8, n, Xj, mj, R, Rref, Xp, mp, delta, out);
}

MLC_NARROW_EXACT static void dots_narrow(size_t n, const double *Xj, double mj, double *R,
                                  const double *Rref, const double *Xp, double mp,
                                  double delta, double *out)
{
    dots_body(4, n, Xj, mj, R, Rref, Xp, mp, delta, out);
}

MLC_REFERENCE_EXACT static void dots_reference(size_t n, const double *Xj, double mj, double *R,
                                        const double *Rref, const double *Xp, double mp,
                                        double delta, double *out)
{
    dots_body(1, n, Xj, mj, R, Rref, Xp, mp, delta, out);
}

mlc_cd_dots_fn *mlc_cd_dots_form(int level)
{
    return level >= MLC_SIMD_512 ? dots_wide : level == MLC_SIMD_256 ? dots_narrow
                                                                     : dots_reference;
}

/* R -= delta (Xp - mp), as the kernel does it (lane-wise: every clone
 * gives the same bits). */
MLC_CLONED static void update(size_t n, double *R, const double *Xp, double mp, double delta)
{
    mlc_v4d dv = {delta, delta, delta, delta}, mpv = {mp, mp, mp, mp};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        mlc_v4d r, x;
        MLC_LOADV(r, R + i);
        MLC_LOADV(x, Xp + i);
        r -= dv * (x - mpv);
        MLC_STOREV(R + i, r);
    }
    for (; i < n; i++)
        R[i] -= delta * (Xp[i] - mp);
}

/* What the threads share: the problem, R and Rref (each thread writes only
 * the rows of its parts), and the partial sums they exchange. */
typedef struct cols_team {
    const mlc_cd_cols *c;
    const mlc_cd_opts *o;
    mlc_cd_result *res;
    double *R, *Rref;
    mlc_parts parts; /* row parts, each starting on a cache line */
    int T;         /* threads; thread t takes parts t, t + T, ... */
    double *part;  /* 2 x PARTS_MAX x 2 (alternating) : per part sums */
    double *gpart; /* P x (p + 2): the gap's partial sums */
    /* The progress callback's answer, which thread 0 alone asks at the end
     * of epoch e and every thread reads after the first sum of epoch e + 1
     * (a barrier): stop[(e + 1) & 1], alternating so that thread 0, an
     * epoch ahead, never overwrites one that another still reads. */
    int *stop;
} cols_team;

/* What each thread keeps for itself: every thread runs the same scalar
 * iteration on the same sums, so all hold the same values. */
typedef struct cols_own {
    double *w, *corr, *dist, *xnorm, *XtA;
} cols_own;

static void team_barrier(const cols_team *tm)
{
    if (tm->T > 1) {
#pragma omp barrier
    }
}

/* The sums over all parts of m values per part (m <= 2), after each
 * thread has written its parts' values into slot (alternating buffers, so
 * that a thread ahead never overwrites sums another still reads). */
static void team_sum(const cols_team *tm, const double *slot, size_t m, double *out)
{
    team_barrier(tm);
    for (size_t v = 0; v < m; v++) {
        double s = 0.0;
        for (size_t q = 0; q < tm->parts.count; q++)
            s += slot[q * 2 + v];
        out[v] = s;
    }
}

/* The offset m_j left in column j of a copy (0: none). */
static double col_offset(const mlc_cd_cols *c, size_t j)
{
    return c->xres ? c->xres[j] : 0.0;
}

static void cols_run(const cols_team *tm, int t, cols_own *me)
{
    const mlc_cd_cols *c = tm->c;
    const mlc_cd_opts *o = tm->o;
    size_t n = c->n, p = c->p, ldx = c->ldx, P = tm->parts.count;
    const double *X = c->X;
    double *R = tm->R, *Rref = tm->Rref, *w = me->w, *corr = me->corr, *dist = me->dist,
           *xnorm = me->xnorm, *XtA = me->XtA;
    double tol_abs = o->tol * c->y_norm2;
    double l1_skip = o->l1 * SKIP_MARGIN;
    unsigned flip = 0;
    mlc_cd_dots_fn *update_then_dots = mlc_cd_dots_form(mlc_cpu_wide() ? MLC_SIMD_512
                                                                       : MLC_SIMD_256);
    /* thread t takes the parts t, t + T, ... */
    const size_t q0 = (size_t)t, dq = (size_t)tm->T;
    for (size_t q = q0; q < P; q += dq)
    {
        size_t lo = mlc_part_lo(&tm->parts, q), m = mlc_part_hi(&tm->parts, q) - lo;
        memcpy(R + lo, c->y + lo, m * sizeof *R);
        for (size_t j = 0; j < p; j++)
            if (w[j] != 0.0)
                update(m, R + lo, X + j * ldx + lo, col_offset(c, j), w[j]);
    }
    for (size_t j = 0; j < p; j++) {
        xnorm[j] = sqrt(c->norm2[j]);
        dist[j] = -1.0; /* no correlation yet */
    }
    /* The skip test: corr[j] = X_j'R(t) was taken when the residual was
     * dist[j] away from the reference residual Rref, which is D away from
     * the current one, so |X_j'R| <= |corr[j]| + ||X_j|| (dist[j] + D). */
    double D = 0.0, D2 = 0.0, D2err = 0.0, sums[2];
    double gap = tol_abs + 1.0;
    int converged = 0, paused = 0, stopped = 0;
    long it;
    for (it = o->it0; it < o->max_iter; it++) {
        if (o->pause > 0 && it - o->it0 == o->pause) {
            paused = 1;
            break;
        }
        /* A new reference residual each epoch keeps the distances tight. */
        for (size_t j = 0; j < p; j++)
            if (dist[j] >= 0.0)
                dist[j] += D;
        double *slot = tm->part + (flip++ & 1) * PARTS_MAX * 2;
        for (size_t q = q0; q < P; q += dq)
        {
            size_t lo = mlc_part_lo(&tm->parts, q), m = mlc_part_hi(&tm->parts, q) - lo;
            memcpy(Rref + lo, R + lo, m * sizeof *R);
            slot[q * 2] = cblas_ddot((int)m, Rref + lo, 1, Rref + lo, 1);
        }
        team_sum(tm, slot, 1, sums);
        if (tm->stop[it & 1]) {
            stopped = 1;
            break;
        }
        double ref_norm = sqrt(sums[0]);
        D = D2 = D2err = 0.0;
        double w_max = 0.0, d_w_max = 0.0;
        const double *Xp = NULL; /* a move not applied to R yet: R -= dp (Xp - mp) */
        double dp = 0.0, mp = 0.0;
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
            /* the last move, then X_i'R and X_i'Rref, in one pass */
            slot = tm->part + (flip++ & 1) * PARTS_MAX * 2;
            for (size_t q = q0; q < P; q += dq)
            {
                size_t lo = mlc_part_lo(&tm->parts, q), m = mlc_part_hi(&tm->parts, q) - lo;
                update_then_dots(m, Xi + lo, col_offset(c, ii), R + lo, Rref + lo,
                                 Xp ? Xp + lo : NULL, mp, dp, slot + q * 2);
            }
            Xp = NULL;
            team_sum(tm, slot, 2, sums);
            /* X_i'(R + w_ii X_i): the correlation without coordinate ii */
            double xr = sums[0];
            double tmp = xr + w_ii * nrm;
            double nw = soft_threshold(tmp, o->l1, nrm + o->l2, o->positive);
            w[ii] = nw;
            if (nw != w_ii) {
                /* ||R - delta X_i - Rref||^2 from X_i'R and X_i'Rref, with a
                 * rounding budget (dot products err by n eps ||x|| ||y||) so
                 * that D never understates the distance. */
                double delta = nw - w_ii;
                double xref = sums[1];
                double t1 = 2.0 * delta * (xr - xref), t2 = delta * delta * nrm;
                D2 += t2 - t1;
                D2err += 4.0 * DBL_EPSILON *
                         (fabs(t1) + t2 + fabs(D2) +
                          2.0 * (double)n * fabs(delta) * xnorm[ii] * (2.0 * ref_norm + D));
                D = sqrt((D2 > 0.0 ? D2 : 0.0) + D2err);
                Xp = Xi;
                dp = delta;
                mp = col_offset(c, ii);
            }
            corr[ii] = tmp;
            dist[ii] = D;
            double d = fabs(nw - w_ii);
            d_w_max = d > d_w_max ? d : d_w_max;
            w_max = fabs(nw) > w_max ? fabs(nw) : w_max;
        }
        if (Xp)
            for (size_t q = q0; q < P; q += dq)
            {
                size_t lo = mlc_part_lo(&tm->parts, q);
                update(mlc_part_hi(&tm->parts, q) - lo, R + lo, Xp + lo, mp, dp);
            }
        if (t == 0) /* read by every thread at the start of the next epoch */
            tm->stop[(it + 1) & 1] = mlc_progress_tick(o->progress, it + 1, o->max_iter,
                                                       w_max > 0.0 ? d_w_max / w_max : 0.0,
                                                       "change");
        if (w_max == 0.0 || d_w_max / w_max < o->tol || it == o->max_iter - 1) {
            /* X'R, ||R||^2 and R'y, part by part */
            for (size_t q = q0; q < P; q += dq)
            {
                size_t lo = mlc_part_lo(&tm->parts, q), m = mlc_part_hi(&tm->parts, q) - lo;
                double *g = tm->gpart + q * (p + 2);
                cblas_dgemv(CblasColMajor, CblasTrans, (int)m, (int)p, 1.0, X + lo, (int)ldx,
                            R + lo, 1, 0.0, g, 1);
                if (c->xres) { /* (X_j - m_j)'R */
                    double sr = 0.0;
                    for (size_t i = lo; i < lo + m; i++)
                        sr += R[i];
                    for (size_t j = 0; j < p; j++)
                        g[j] -= c->xres[j] * sr;
                }
                g[p] = cblas_ddot((int)m, R + lo, 1, R + lo, 1);
                g[p + 1] = cblas_ddot((int)m, R + lo, 1, c->y + lo, 1);
            }
            team_barrier(tm);
            double R_norm2 = 0.0, Ry = 0.0;
            for (size_t j = 0; j < p; j++) {
                double v = 0.0;
                for (size_t q = 0; q < P; q++)
                    v += tm->gpart[q * (p + 2) + j];
                corr[j] = v; /* fresh correlations for the skip test */
                dist[j] = D;
                XtA[j] = v - o->l2 * w[j];
            }
            for (size_t q = 0; q < P; q++) {
                R_norm2 += tm->gpart[q * (p + 2) + p];
                Ry += tm->gpart[q * (p + 2) + p + 1];
            }
            /* every thread has read the partial sums before any writes more */
            team_barrier(tm);
            gap = duality_gap(XtA, w, p, R_norm2, Ry, o);
            if (gap < tol_abs) {
                converged = 1;
                it++;
                break;
            }
        }
    }
    if (t == 0) {
        tm->res->gap = gap;
        tm->res->converged = converged;
        tm->res->paused = paused;
        tm->res->stopped = stopped;
        tm->res->n_iter = it;
    }
}

void mlc_cd_cols_solve(const mlc_cd_cols *c, const mlc_cd_opts *o, double *w, mlc_cd_work *ws,
                       mlc_cd_result *res)
{
    size_t p = c->p, P = n_parts(c->n);
    double part[2 * PARTS_MAX * 2];
    /* Random selection draws from one generator: one thread. */
    int T = o->rng || c->threads < 2 ? 1 : c->threads;
    if ((size_t)T > P)
        T = (int)P;
    int stop[2] = {0, 0};
    cols_team tm = {c, o, res, ws->R, ws->Rref, mlc_parts_even(c->n, P, 8), T, part, ws->gpart,
                    stop};
    /* BLAS level-1 calls stay single-threaded: many short calls, and sums
     * that must not depend on the thread count. */
    mlc_blas_set_threads(1);
    cols_own own0 = {w, ws->corr, ws->stamp, ws->xnorm, ws->H};
    if (T == 1) {
        cols_run(&tm, 0, &own0);
    } else {
#pragma omp parallel num_threads(T)
        {
            int t = omp_get_thread_num();
            cols_own me = own0;
            if (t > 0) {
                double *b = ws->own + (size_t)(t - 1) * 5 * p;
                me = (cols_own){b, b + p, b + 2 * p, b + 3 * p, b + 4 * p};
                memcpy(me.w, w, p * sizeof *w);
            }
            /* the team may be smaller than asked (inside another parallel
             * region): its size decides who takes which parts */
#pragma omp single
            tm.T = omp_get_num_threads();
            cols_run(&tm, t, &me);
        }
    }
}
