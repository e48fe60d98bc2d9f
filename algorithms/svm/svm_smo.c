/* Sequential minimal optimisation (algorithms/svm/svm_smo.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/parallel.h"
#include "internal/step_team.h"
#include "svm_scan.h"
#include "svm_smo.h"

#define TAU 1e-12 /* a non-positive curvature is taken as this (Fan et al. 2005, sec. 4) */
/* Active positions per part below which a scan runs on the caller alone: a
 * part of a scan is a few nanoseconds a position, a handover about a
 * microsecond. */
#define SCAN_PART_MIN 2048
#define MAX_SCAN_PARTS 16
#define LOWER 0
#define UPPER 1
#define FREE 2

typedef struct smo {
    svm_q *Q;
    size_t l, active; /* variables; the first `active` positions are not shrunk */
    double *alpha, *G, *G_bar, *p, *C;
    int8_t *y;
    unsigned char *status;
    /* The selection's view of each position, kept with status: the sign as
     * a double, and membership of I_up / I_low (1 or 0), so that its scans
     * are branch-free loops the compiler vectorises. */
    double *yd;
    unsigned char *in_up, *in_low;
    size_t *original; /* position -> index in the caller's order */
    double eps;
    double violation; /* the last selection's m(a) - M(a) on the active set (progress) */
    int nu, unshrink;
    /* Scans of the active set on the solve's team (NULL: none): each part
     * keeps its own result and the caller combines them in part order, so
     * the answer does not depend on the team. */
    mlc_step_team *team;
    mlc_parts parts;
    const float *Qi, *Qj; /* a step's arguments */
    double dai, daj, QDi, yi, Gmax;
    double part_a[MAX_SCAN_PARTS], part_b[MAX_SCAN_PARTS];
    double part_c[MAX_SCAN_PARTS], part_d[MAX_SCAN_PARTS];
    size_t part_i[MAX_SCAN_PARTS], part_k[MAX_SCAN_PARTS];
    const float *Qip, *Qin; /* the nu selection's rows, their Q_ii, and maxima */
    double QDp, QDn, Gmaxp, Gmaxn;
} smo;

static void set_status(smo *s, size_t t)
{
    s->status[t] = s->alpha[t] >= s->C[t] ? UPPER : s->alpha[t] <= 0.0 ? LOWER : FREE;
    int pos = s->y[t] == 1;
    s->in_up[t] = pos ? s->status[t] != UPPER : s->status[t] != LOWER;
    s->in_low[t] = pos ? s->status[t] != LOWER : s->status[t] != UPPER;
}

static int upper(const smo *s, size_t t)
{
    return s->status[t] == UPPER;
}

static int lower(const smo *s, size_t t)
{
    return s->status[t] == LOWER;
}

static void swap_positions(smo *s, size_t i, size_t j)
{
    if (i == j)
        return;
    svm_q_swap(s->Q, i, j);
#define SWAP_AT(arr, type)                                                                 \
    do {                                                                                   \
        type t_ = s->arr[i];                                                               \
        s->arr[i] = s->arr[j];                                                             \
        s->arr[j] = t_;                                                                    \
    } while (0)
    SWAP_AT(alpha, double);
    SWAP_AT(G, double);
    SWAP_AT(G_bar, double);
    SWAP_AT(p, double);
    SWAP_AT(C, double);
    SWAP_AT(y, int8_t);
    SWAP_AT(status, unsigned char);
    SWAP_AT(yd, double);
    SWAP_AT(in_up, unsigned char);
    SWAP_AT(in_low, unsigned char);
    SWAP_AT(original, size_t);
#undef SWAP_AT
}

/* G_t for the shrunk positions t >= active, from G_bar and the free
 * variables (libsvm guide, sec. 5.3): by rows of the inactive positions or
 * of the free ones, whichever touches fewer kernel values. */
static int reconstruct_gradient(smo *s)
{
    size_t l = s->l, act = s->active;
    if (act == l)
        return MLC_OK;
    size_t n_free = 0;
    for (size_t t = act; t < l; t++)
        s->G[t] = s->G_bar[t] + s->p[t];
    for (size_t t = 0; t < act; t++)
        n_free += s->status[t] == FREE;
    const float *Qi;
    if ((double)n_free * (double)l > 2.0 * (double)act * (double)(l - act)) {
        for (size_t i = act; i < l; i++) {
            int st = svm_q_row(s->Q, i, act, &Qi);
            if (st)
                return st;
            for (size_t j = 0; j < act; j++)
                if (s->status[j] == FREE)
                    s->G[i] += s->alpha[j] * Qi[j];
        }
    } else {
        for (size_t i = 0; i < act; i++) {
            if (s->status[i] != FREE)
                continue;
            int st = svm_q_row(s->Q, i, l, &Qi);
            if (st)
                return st;
            svm_gbar_step(s->G + act, Qi + act, s->alpha[i], l - act); /* G += a_i Q_i */
        }
    }
    return MLC_OK;
}

/* The parts of a scan of the first n positions: one per thread of the
 * team while each part keeps SCAN_PART_MIN positions. */
static void split_scan(smo *s, size_t n)
{
    size_t parts = s->team ? (size_t)mlc_step_team_size(s->team) : 1;
    if (parts > n / SCAN_PART_MIN)
        parts = n / SCAN_PART_MIN;
    if (parts > MAX_SCAN_PARTS)
        parts = MAX_SCAN_PARTS;
    s->parts = mlc_parts_even(n, parts ? parts : 1, 8);
}

static void up_max_part(void *ctx, size_t q)
{
    smo *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q), at;
    s->part_a[q] = svm_up_max(s->in_up + lo, s->yd + lo, s->G + lo, hi - lo, &at);
    s->part_i[q] = at == SIZE_MAX ? SIZE_MAX : lo + at;
}

static void low_best_part(void *ctx, size_t q)
{
    smo *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q), at;
    svm_low_args a = {.in_low = s->in_low + lo,
                      .yd = s->yd + lo,
                      .G = s->G + lo,
                      .QD = svm_q_diag(s->Q) + lo,
                      .Qi = s->Qi + lo,
                      .QDi = s->QDi,
                      .yi = s->yi,
                      .Gmax = s->Gmax,
                      .tau = TAU};
    s->part_a[q] = svm_low_best(&a, hi - lo, &s->part_b[q], &at);
    s->part_i[q] = at == SIZE_MAX ? SIZE_MAX : lo + at;
}

/* G += Q_i da_i + Q_j da_j over a part (the pair's step). */
static void gradient_part(void *ctx, size_t q)
{
    smo *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q);
    svm_gradient_step(s->G + lo, s->Qi + lo, s->Qj + lo, s->dai, s->daj, hi - lo);
}

/* G_bar += c Q_t over a part (dai holds c, Qi the row). */
static void gbar_part(void *ctx, size_t q)
{
    smo *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q);
    svm_gbar_step(s->G_bar + lo, s->Qi + lo, s->dai, hi - lo);
}

/* WSS 3 (Fan, Chen & Lin 2005): i = argmax over I_up of -y_t grad_t, j the
 * index of I_low with the largest second-order decrease of the objective,
 * ties to the last index (as libsvm's >= and <=). Returns 1 when the KKT
 * violation is below eps (optimal), else sets i, j. */
static int select_standard(smo *s, size_t *out_i, size_t *out_j, int *err)
{
    size_t n = s->active, i, j;
    split_scan(s, n);
    mlc_step_team_parts(s->team, s->parts.count, up_max_part, s);
    double Gmax = svm_scan_combine(s->part_a, s->part_i, s->parts.count, 1, &i);
    if (i == SIZE_MAX) /* nothing can move up: optimal */
        return 1;
    const float *Qi = NULL;
    if ((*err = svm_q_row(s->Q, i, n, &Qi)))
        return 1;
    s->Qi = Qi;
    s->QDi = svm_q_diag(s->Q)[i];
    s->yi = s->yd[i];
    s->Gmax = Gmax;
    mlc_step_team_parts(s->team, s->parts.count, low_best_part, s);
    double best = svm_scan_combine(s->part_a, s->part_i, s->parts.count, 0, &j);
    double Gmax2 = -INFINITY;
    for (size_t q = 0; q < s->parts.count; q++)
        Gmax2 = s->part_b[q] > Gmax2 ? s->part_b[q] : Gmax2;
    s->violation = Gmax + Gmax2;
    if (Gmax + Gmax2 < s->eps || j == SIZE_MAX || best == INFINITY)
        return 1;
    *out_i = i;
    *out_j = j;
    return 0;
}

/* The nu form's first pass over a part (svm_scan_nu.c). */
static void nu_first_part(void *ctx, size_t q)
{
    smo *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q), ip, in;
    s->part_a[q] = svm_up_max_signs(s->in_up + lo, s->yd + lo, s->G + lo, hi - lo, &ip,
                                    &s->part_b[q], &in);
    s->part_i[q] = ip == SIZE_MAX ? SIZE_MAX : lo + ip;
    s->part_k[q] = in == SIZE_MAX ? SIZE_MAX : lo + in;
}

/* The second pass over a part: the least second-order score at its last
 * position (libsvm's <=), and the two maxima of the stopping rule. */
static void nu_second_part(void *ctx, size_t q)
{
    smo *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q), j;
    svm_nu_args a = {.in_low = s->in_low + lo,
                     .yd = s->yd + lo,
                     .G = s->G + lo,
                     .QD = svm_q_diag(s->Q) + lo,
                     .Qp = s->Qip ? s->Qip + lo : NULL,
                     .Qn = s->Qin ? s->Qin + lo : NULL,
                     .QDp = s->QDp,
                     .QDn = s->QDn,
                     .Gmaxp = s->Gmaxp,
                     .Gmaxn = s->Gmaxn,
                     .tau = TAU};
    s->part_c[q] = svm_nu_best(&a, hi - lo, &s->part_d[q], &s->part_b[q], &j);
    s->part_i[q] = j == SIZE_MAX ? SIZE_MAX : lo + j;
}

/* The nu form: i is chosen within j's sign, so both move together. Parts
 * are combined in position order with the scan's own tie rules, so the
 * choice is the one scan's. */
static int select_nu(smo *s, size_t *out_i, size_t *out_j, int *err)
{
    split_scan(s, s->active);
    mlc_step_team_parts(s->team, s->parts.count, nu_first_part, s);
    double Gmaxp = -INFINITY, Gmaxn = -INFINITY;
    size_t ip = SIZE_MAX, in = SIZE_MAX;
    for (size_t q = 0; q < s->parts.count; q++) {
        if (s->part_i[q] != SIZE_MAX && s->part_a[q] >= Gmaxp) {
            Gmaxp = s->part_a[q];
            ip = s->part_i[q];
        }
        if (s->part_k[q] != SIZE_MAX && s->part_b[q] >= Gmaxn) {
            Gmaxn = s->part_b[q];
            in = s->part_k[q];
        }
    }
    const float *Qip = NULL, *Qin = NULL;
    if (ip != SIZE_MAX && (*err = svm_q_row(s->Q, ip, s->active, &Qip)))
        return 1;
    if (in != SIZE_MAX && (*err = svm_q_row(s->Q, in, s->active, &Qin)))
        return 1;
    s->Qip = Qip;
    s->Qin = Qin;
    s->Gmaxp = Gmaxp;
    s->Gmaxn = Gmaxn;
    s->QDp = Qip ? svm_q_diag(s->Q)[ip] : 0.0;
    s->QDn = Qin ? svm_q_diag(s->Q)[in] : 0.0;
    mlc_step_team_parts(s->team, s->parts.count, nu_second_part, s);
    double Gmaxp2 = -INFINITY, Gmaxn2 = -INFINITY, obj_min = INFINITY;
    size_t j = SIZE_MAX;
    for (size_t q = 0; q < s->parts.count; q++) {
        if (s->part_i[q] != SIZE_MAX && s->part_c[q] <= obj_min) {
            obj_min = s->part_c[q];
            j = s->part_i[q];
        }
        Gmaxp2 = s->part_d[q] > Gmaxp2 ? s->part_d[q] : Gmaxp2;
        Gmaxn2 = s->part_b[q] > Gmaxn2 ? s->part_b[q] : Gmaxn2;
    }
    s->violation = fmax(Gmaxp + Gmaxp2, Gmaxn + Gmaxn2);
    if (fmax(Gmaxp + Gmaxp2, Gmaxn + Gmaxn2) < s->eps || j == SIZE_MAX)
        return 1;
    *out_i = s->y[j] == 1 ? ip : in;
    *out_j = j;
    return 0;
}

/* Whether position t is bound and its gradient says it will stay so. */
static int be_shrunk(const smo *s, size_t t, const double *g)
{
    if (!s->nu) { /* g: Gmax1 (I_up), Gmax2 (I_low) */
        if (upper(s, t))
            return s->y[t] == 1 ? -s->G[t] > g[0] : -s->G[t] > g[1];
        if (lower(s, t))
            return s->y[t] == 1 ? s->G[t] > g[1] : s->G[t] > g[0];
        return 0;
    }
    /* g: the four maxima of the nu form, per sign */
    if (upper(s, t))
        return s->y[t] == 1 ? -s->G[t] > g[0] : -s->G[t] > g[3];
    if (lower(s, t))
        return s->y[t] == 1 ? s->G[t] > g[1] : s->G[t] > g[2];
    return 0;
}

static int do_shrinking(smo *s)
{
    double g[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    for (size_t t = 0; t < s->active; t++) {
        int pos = s->y[t] == 1;
        if (!s->nu) { /* g[0]: max -y G over I_up; g[1]: max y G over I_low */
            if (pos) {
                if (!upper(s, t) && -s->G[t] > g[0])
                    g[0] = -s->G[t];
                if (!lower(s, t) && s->G[t] > g[1])
                    g[1] = s->G[t];
            } else {
                if (!upper(s, t) && -s->G[t] > g[1])
                    g[1] = -s->G[t];
                if (!lower(s, t) && s->G[t] > g[0])
                    g[0] = s->G[t];
            }
        } else {
            if (!upper(s, t)) {
                if (pos && -s->G[t] > g[0])
                    g[0] = -s->G[t];
                else if (!pos && -s->G[t] > g[3])
                    g[3] = -s->G[t];
            }
            if (!lower(s, t)) {
                if (pos && s->G[t] > g[1])
                    g[1] = s->G[t];
                else if (!pos && s->G[t] > g[2])
                    g[2] = s->G[t];
            }
        }
    }
    double gap = s->nu ? fmax(g[0] + g[1], g[2] + g[3]) : g[0] + g[1];
    if (!s->unshrink && gap <= 10.0 * s->eps) {
        /* Close to the end: restore every position once, with exact
         * gradients, so the final check sees the whole problem. */
        s->unshrink = 1;
        int st = reconstruct_gradient(s);
        if (st)
            return st;
        s->active = s->l;
    }
    for (size_t t = 0; t < s->active; t++) {
        if (!be_shrunk(s, t, g))
            continue;
        s->active--;
        while (s->active > t) {
            if (!be_shrunk(s, s->active, g)) {
                swap_positions(s, t, s->active);
                break;
            }
            s->active--;
        }
    }
    return MLC_OK;
}

/* The two-variable step of Platt's SMO, clipped to the box. */
static void update_pair(smo *s, size_t i, size_t j, const float *Qi, const float *Qj)
{
    const double *QD = svm_q_diag(s->Q);
    double Ci = s->C[i], Cj = s->C[j];
    double ai = s->alpha[i], aj = s->alpha[j];
    if (s->y[i] != s->y[j]) {
        double quad = QD[i] + QD[j] + 2.0 * Qi[j];
        double delta = (-s->G[i] - s->G[j]) / (quad > 0.0 ? quad : TAU);
        double diff = ai - aj;
        ai += delta;
        aj += delta;
        if (diff > 0.0) {
            if (aj < 0.0) {
                aj = 0.0;
                ai = diff;
            }
        } else if (ai < 0.0) {
            ai = 0.0;
            aj = -diff;
        }
        if (diff > Ci - Cj) {
            if (ai > Ci) {
                ai = Ci;
                aj = Ci - diff;
            }
        } else if (aj > Cj) {
            aj = Cj;
            ai = Cj + diff;
        }
    } else {
        double quad = QD[i] + QD[j] - 2.0 * Qi[j];
        double delta = (s->G[i] - s->G[j]) / (quad > 0.0 ? quad : TAU);
        double sum = ai + aj;
        ai -= delta;
        aj += delta;
        if (sum > Ci) {
            if (ai > Ci) {
                ai = Ci;
                aj = sum - Ci;
            }
        } else if (aj < 0.0) {
            aj = 0.0;
            ai = sum;
        }
        if (sum > Cj) {
            if (aj > Cj) {
                aj = Cj;
                ai = sum - Cj;
            }
        } else if (ai < 0.0) {
            ai = 0.0;
            aj = sum;
        }
    }
    double dai = ai - s->alpha[i], daj = aj - s->alpha[j];
    s->alpha[i] = ai;
    s->alpha[j] = aj;
    s->Qi = Qi;
    s->Qj = Qj;
    s->dai = dai;
    s->daj = daj;
    split_scan(s, s->active);
    mlc_step_team_parts(s->team, s->parts.count, gradient_part, s);
}

/* G_bar follows the variables at their upper bound. */
static int update_gbar(smo *s, size_t t, int was_upper)
{
    set_status(s, t);
    if (was_upper == upper(s, t))
        return MLC_OK;
    const float *Qt;
    int st = svm_q_row(s->Q, t, s->l, &Qt);
    if (st)
        return st;
    s->Qi = Qt;
    s->dai = was_upper ? -s->C[t] : s->C[t];
    split_scan(s, s->l);
    mlc_step_team_parts(s->team, s->parts.count, gbar_part, s);
    return MLC_OK;
}

/* rho: the mean of y_t G_t over free variables, else the middle of the
 * interval the bound ones allow. */
static double rho_standard(const smo *s)
{
    double ub = INFINITY, lb = -INFINITY, sum = 0.0;
    size_t n_free = 0;
    for (size_t t = 0; t < s->active; t++) {
        double yG = s->y[t] * s->G[t];
        if (upper(s, t)) {
            if (s->y[t] == -1)
                ub = fmin(ub, yG);
            else
                lb = fmax(lb, yG);
        } else if (lower(s, t)) {
            if (s->y[t] == 1)
                ub = fmin(ub, yG);
            else
                lb = fmax(lb, yG);
        } else {
            n_free++;
            sum += yG;
        }
    }
    return n_free ? sum / (double)n_free : (ub + lb) / 2.0;
}

/* The nu form: r1 and r2 per sign; rho = (r1 - r2) / 2, r = (r1 + r2) / 2. */
static double rho_nu(const smo *s, double *r)
{
    double ub[2] = {INFINITY, INFINITY}, lb[2] = {-INFINITY, -INFINITY}, sum[2] = {0.0, 0.0};
    size_t n_free[2] = {0, 0};
    for (size_t t = 0; t < s->active; t++) {
        int k = s->y[t] == 1 ? 0 : 1;
        if (upper(s, t))
            lb[k] = fmax(lb[k], s->G[t]);
        else if (lower(s, t))
            ub[k] = fmin(ub[k], s->G[t]);
        else {
            n_free[k]++;
            sum[k] += s->G[t];
        }
    }
    double r1 = n_free[0] ? sum[0] / (double)n_free[0] : (ub[0] + lb[0]) / 2.0;
    double r2 = n_free[1] ? sum[1] / (double)n_free[1] : (ub[1] + lb[1]) / 2.0;
    *r = (r1 + r2) / 2.0;
    return (r1 - r2) / 2.0;
}

static void smo_free(smo *s)
{
    free(s->yd);
    free(s->in_up);
    free(s->in_low);
    free(s->alpha);
    free(s->G);
    free(s->G_bar);
    free(s->p);
    free(s->C);
    free(s->y);
    free(s->status);
    free(s->original);
}

/* The gradient of the starting point: G = Q a + p, G_bar = sum over upper
 * bound t of C_t Q_t. */
static int initial_gradient(smo *s)
{
    size_t l = s->l;
    for (size_t t = 0; t < l; t++) {
        s->G[t] = s->p[t];
        s->G_bar[t] = 0.0;
    }
    for (size_t i = 0; i < l; i++) {
        if (lower(s, i))
            continue;
        const float *Qi;
        int st = svm_q_row(s->Q, i, l, &Qi);
        if (st)
            return st;
        svm_gbar_step(s->G, Qi, s->alpha[i], l); /* G += a_i Q_i, in vector lanes */
        if (upper(s, i))
            svm_gbar_step(s->G_bar, Qi, s->C[i], l);
    }
    return MLC_OK;
}

static int solve(const svm_problem *pr, double *alpha, svm_solution *out, mlc_step_team *team)
{
    memset(out, 0, sizeof *out);
    size_t l = pr->l;
    smo s = {0};
    s.team = team;
    s.Q = pr->Q;
    s.l = s.active = l;
    s.eps = pr->eps;
    s.nu = pr->nu;
    size_t nb = l ? l : 1;
    s.alpha = malloc(nb * sizeof *s.alpha);
    s.G = malloc(nb * sizeof *s.G);
    s.G_bar = malloc(nb * sizeof *s.G_bar);
    s.p = malloc(nb * sizeof *s.p);
    s.C = malloc(nb * sizeof *s.C);
    s.y = malloc(nb * sizeof *s.y);
    s.status = malloc(nb);
    s.original = malloc(nb * sizeof *s.original);
    s.yd = malloc(nb * sizeof *s.yd);
    s.in_up = malloc(nb);
    s.in_low = malloc(nb);
    if (!s.alpha || !s.G || !s.G_bar || !s.p || !s.C || !s.y || !s.status || !s.original ||
        !s.yd || !s.in_up || !s.in_low) {
        smo_free(&s);
        return mlc_raise_nomem("the SMO solver");
    }
    memcpy(s.alpha, alpha, l * sizeof *alpha);
    memcpy(s.p, pr->p, l * sizeof *s.p);
    memcpy(s.C, pr->C, l * sizeof *s.C);
    memcpy(s.y, pr->y, l * sizeof *s.y);
    for (size_t t = 0; t < l; t++) {
        s.original[t] = t;
        s.yd[t] = s.y[t];
        set_status(&s, t);
    }
    int st = initial_gradient(&s);
    int64_t iter = 0;
    /* Without a limit, libsvm's own: enough for any problem that converges,
     * a bound for a degenerate one that would cycle. */
    int64_t max_iter = pr->max_iter >= 0 ? pr->max_iter
                                         : (int64_t)(l > 100000 ? 100 * l : 10000000);
    size_t counter = (l < 1000 ? l : 1000) + 1;
    while (!st) {
        if (iter >= max_iter) {
            out->hit_max_iter = 1;
            break;
        }
        if (--counter == 0) {
            counter = l < 1000 ? l : 1000;
            if (pr->shrinking && (st = do_shrinking(&s)))
                break;
        }
        size_t i = 0, j = 0;
        int err = 0;
        int optimal = s.nu ? select_nu(&s, &i, &j, &err) : select_standard(&s, &i, &j, &err);
        if (err) {
            st = err;
            break;
        }
        if (optimal) {
            /* Optimal on the active set: check the whole problem. */
            if ((st = reconstruct_gradient(&s)))
                break;
            s.active = l;
            optimal = s.nu ? select_nu(&s, &i, &j, &err) : select_standard(&s, &i, &j, &err);
            if (err) {
                st = err;
                break;
            }
            if (optimal)
                break;
            counter = 1; /* shrink again at the next iteration */
        }
        /* a tick costs far less than the 1024 steps between two */
        if ((iter & 1023) == 0 &&
            mlc_progress_tick(pr->progress, iter, pr->max_iter >= 0 ? pr->max_iter : 0,
                              s.violation, "gap")) {
            st = MLC_EINTERRUPTED;
            break;
        }
        iter++;
        const float *Qi, *Qj;
        if ((st = svm_q_row(s.Q, i, s.active, &Qi)) || (st = svm_q_row(s.Q, j, s.active, &Qj)))
            break;
        int ui = upper(&s, i), uj = upper(&s, j);
        update_pair(&s, i, j, Qi, Qj);
        if ((st = update_gbar(&s, i, ui)) || (st = update_gbar(&s, j, uj)))
            break;
    }
    if (!st && s.active < l) { /* stopped by max_iter while shrunk */
        st = reconstruct_gradient(&s);
        s.active = l;
    }
    if (!st) {
        out->iter = iter;
        out->rho = s.nu ? rho_nu(&s, &out->r) : rho_standard(&s);
        double v = 0.0;
        for (size_t t = 0; t < l; t++)
            v += s.alpha[t] * (s.G[t] + s.p[t]);
        out->obj = v / 2.0;
        for (size_t t = 0; t < l; t++)
            alpha[s.original[t]] = s.alpha[t];
    }
    smo_free(&s);
    return st;
}

/* What a solve on a team needs. */
typedef struct solve_job {
    const svm_problem *pr;
    double *alpha;
    svm_solution *out;
} solve_job;

static int solve_on_team(void *ctx, mlc_step_team *team)
{
    solve_job *job = ctx;
    svm_q_set_team(job->pr->Q, team);
    int st = solve(job->pr, job->alpha, job->out, team);
    svm_q_set_team(job->pr->Q, NULL);
    return st;
}

/* The solve on a team of the Q matrix's threads that lives for the whole
 * solve: its kernel rows are computed in parts, one handshake per row. */
int svm_solve(const svm_problem *pr, double *alpha, svm_solution *out)
{
    int threads = svm_q_team_threads(pr->Q);
    if (threads <= 1)
        return solve(pr, alpha, out, NULL);
    solve_job job = {pr, alpha, out};
    return mlc_step_team_run(threads, solve_on_team, &job);
}
