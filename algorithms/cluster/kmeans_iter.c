/* One k-means run: Lloyd iterations, optionally with Elkan's or Hamerly's
 * bounds (scikit-learn 1.2's _kmeans_single_lloyd / _elkan, docs/PARITY.md §7).
 *
 * Centre sums are kept per cluster and updated only by the rows whose label
 * changed (a row moving from a to b adds w(x - m) to b and subtracts it from
 * a), so an iteration reads X once for the assignment and touches again only
 * the rows that moved. Changes are gathered per part of a fixed row
 * partition and combined in part order: results do not depend on the thread
 * count, and since the three algorithms produce the same label sequence they
 * produce bit-identical centres.
 *
 * Bounds never decide a label: a row whose bounds leave any doubt (gap below
 * a margin that covers the rounding of the scores) is rescored with the same
 * kernel as Lloyd's, so Elkan and Hamerly give Lloyd's labels exactly. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "kmeans_impl.h"
#include "internal/parallel.h"

typedef struct km_run {
    const mlc_km_data *d;
    size_t n, p, k;
    int algorithm;
    mlc_parts parts;
    int threads;
    int32_t *labels;
    double *centers;     /* centres of the current assignment pass (k x p) */
    double *centers_new; /* next centres (k x p) */
    double *sums, *wsum; /* sum of w (x - m) and of w over each cluster's rows */
    long *npos;          /* rows of positive weight in each cluster */
    double *delta;       /* per part: k x p sums then k weights */
    long *dcount;        /* per part: k counts then the number of changed rows */
    double *shift;       /* k: ||new - old|| of the last centre update */
    mlc_km_centers kc;
    double *scores;      /* per part: k x 8 scores (elkan) */
    /* bounds */
    double *x_sq;        /* ||x - m||^2 */
    double *upper;       /* n: >= distance to own centre */
    double *lower;       /* hamerly: n, elkan: n x k */
    double *half;        /* k: half the distance to the nearest other centre */
    double *cc;          /* k x k centre distances (elkan) */
    double shift_max1, shift_max2;
    size_t shift_arg;
    double cmax, mu;
    double *part_inertia; /* per part, from a pass that also summed the inertia */
    int unchanged;        /* the last centre update reproduced the centres */
} km_run;

static inline double row_weight(const km_run *r, size_t i)
{
    return r->d->sw ? r->d->sw[i] : 1.0;
}

/* ||(x - m) - c||^2 summed as scikit-learn's _euclidean_dense_dense. */
static inline double sq_dist(const double *x, const double *m, const double *c, size_t p)
{
    double s = 0.0;
    size_t f = 0;
    for (; f + 4 <= p; f += 4) {
        double d0 = (x[f] - m[f]) - c[f], d1 = (x[f + 1] - m[f + 1]) - c[f + 1];
        double d2 = (x[f + 2] - m[f + 2]) - c[f + 2], d3 = (x[f + 3] - m[f + 3]) - c[f + 3];
        s += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
    }
    for (; f < p; f++) {
        double v = (x[f] - m[f]) - c[f];
        s += v * v;
    }
    return s;
}

static inline double exact_dist(const km_run *r, size_t i, int32_t j)
{
    return sqrt(sq_dist(mlc_matrix_row(r->d->X, i), r->d->mean, r->centers + (size_t)j * r->p,
                        r->p));
}

/* Rounding margin (squared units) of row i's scores: a bound gap larger than
 * this cannot hide a smaller Lloyd score. */
static inline double margin(const km_run *r, double xs)
{
    return r->mu * (xs + r->cmax * r->cmax + 2.0 * (sqrt(xs) + 2.0 * r->d->mean_norm) * r->cmax);
}

/* Every other centre is provably farther than the own one by > M. */
static inline int prunable(double L, double u, double M)
{
    return L > u && (L - u) * (L + u) > M;
}

static void part_range(const km_run *r, size_t q, size_t *r0, size_t *r1)
{
    *r0 = mlc_part_lo(&r->parts, q);
    *r1 = mlc_part_hi(&r->parts, q);
}

static void part_clear(km_run *r, size_t q)
{
    memset(r->delta + q * (r->k * r->p + r->k), 0, (r->k * r->p + r->k) * sizeof(double));
    memset(r->dcount + q * (r->k + 1), 0, (r->k + 1) * sizeof(long));
}

/* Row i moves from cluster a (-1: none yet) to b. (Vectorized: element by
 * element, so the same numbers as the scalar loop.) */
MLC_HOT
static void record_move(km_run *r, size_t q, size_t i, int32_t a, int32_t b, int update)
{
    long *cnt = r->dcount + q * (r->k + 1);
    cnt[r->k]++;
    if (!update)
        return;
    const size_t p = r->p;
    double *ds = r->delta + q * (r->k * p + r->k), *dw = ds + r->k * p;
    const double *x = mlc_matrix_row(r->d->X, i), *m = r->d->mean;
    double w = row_weight(r, i);
    double *to = ds + (size_t)b * p;
    if (a >= 0) {
        double *from = ds + (size_t)a * p;
        for (size_t f = 0; f < p; f++) {
            double v = (x[f] - m[f]) * w;
            to[f] += v;
            from[f] -= v;
        }
        dw[a] -= w;
        if (w > 0)
            cnt[a]--;
    } else {
        for (size_t f = 0; f < p; f++)
            to[f] += (x[f] - m[f]) * w;
    }
    dw[b] += w;
    if (w > 0)
        cnt[b]++;
}

/* Fold the parts' changes into the cluster sums, in part order. Returns the
 * number of rows whose label changed. */
static size_t combine_parts(km_run *r, int update)
{
    const size_t k = r->k, p = r->p;
    size_t changed = 0;
    for (size_t q = 0; q < r->parts.count; q++) {
        const long *cnt = r->dcount + q * (k + 1);
        changed += (size_t)cnt[k];
        if (!update || cnt[k] == 0)
            continue;
        const double *ds = r->delta + q * (k * p + k), *dw = ds + k * p;
        for (size_t j = 0; j < k * p; j++)
            r->sums[j] += ds[j];
        for (size_t j = 0; j < k; j++) {
            r->wsum[j] += dw[j];
            r->npos[j] += cnt[j];
        }
    }
    /* A cluster left without positive weight has exactly zero sums (drop
     * the rounding residue of the updates). */
    for (size_t j = 0; update && j < k; j++)
        if (r->npos[j] == 0) {
            memset(r->sums + j * p, 0, p * sizeof(double));
            r->wsum[j] = 0.0;
        }
    return changed;
}

/* ------------------------------------------------------------ passes */

/* Bounds of a row just scored as lane t of a kernel group with label a:
 * the exact distance to its centre, and the lower bound(s) from the
 * scores (all: every centre's, for elkan; second: the runner-up's). */
static void record_bounds(km_run *r, size_t row, int32_t a, const double *all,
                          const double *second, size_t t)
{
    double xs = r->x_sq[row], M = margin(r, xs);
    r->upper[row] = exact_dist(r, row, a);
    if (r->algorithm == MLC_KMEANS_ELKAN) {
        double *lb = r->lower + row * r->k;
        for (size_t j = 0; j < r->k; j++) {
            double v = all[j * 8 + t] + xs - M;
            lb[j] = v > 0.0 ? sqrt(v) : 0.0;
        }
    } else {
        double v = second[t] + xs - M;
        r->lower[row] = v > 0.0 ? sqrt(v) : 0.0;
    }
}

typedef struct pass_ctx {
    km_run *r;
    int update, with_inertia;
} pass_ctx;

/* a[0..nr) == b[0..nr): a whole group in four 8-byte compares, inline
 * (a libc memcmp call was 4.5% of a Lloyd fit at 1e6 x 20). */
static inline int same_labels(const int32_t *a, const int32_t *b, size_t nr)
{
    if (nr < 8)
        return !memcmp(a, b, nr * sizeof *a);
    uint64_t x[4], y[4];
    memcpy(x, a, sizeof x);
    memcpy(y, b, sizeof y);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

/* Full assignment of part q's rows with the kernel (Lloyd's step; also the
 * first step of elkan / hamerly, which records the bounds). */
static void pass_full_part(void *ctx, size_t q)
{
    km_run *r = ((pass_ctx *)ctx)->r;
    const int update = ((pass_ctx *)ctx)->update, with_inertia = ((pass_ctx *)ctx)->with_inertia;
    const int bounds = r->algorithm != MLC_KMEANS_LLOYD;
    const int elkan = r->algorithm == MLC_KMEANS_ELKAN;
    const size_t k = r->k;
    size_t r0, r1;
    part_range(r, q, &r0, &r1);
    part_clear(r, q);
    double inert = 0.0;
    double *all = elkan ? r->scores + q * k * 8 : NULL;
    for (size_t i = r0; i < r1; i += 8) {
        const double *rows[8];
        int32_t lab[8];
        double second[8];
        size_t nr = r1 - i < 8 ? r1 - i : 8;
        mlc_km_group_rows(r->d->X, i, nr, rows);
        mlc_km_score8(rows, &r->kc, lab, NULL, bounds ? second : NULL, all);
        /* the common case late in a run: no row of the group moved */
        if (!bounds && !with_inertia && same_labels(lab, r->labels + i, nr))
            continue;
        for (size_t t = 0; t < nr; t++) {
            size_t row = i + t;
            if (bounds)
                record_bounds(r, row, lab[t], all, second, t);
            if (lab[t] != r->labels[row]) {
                record_move(r, q, row, r->labels[row], lab[t], update);
                r->labels[row] = lab[t];
            }
            if (with_inertia) /* as inertia() sums it */
                inert += sq_dist(rows[t], r->d->mean, r->centers + (size_t)lab[t] * r->p,
                                 r->p) *
                         row_weight(r, row);
        }
    }
    r->part_inertia[q] = inert;
}

static void pass_full(km_run *r, int update, int with_inertia)
{
    pass_ctx c = {r, update, with_inertia};
    mlc_parallel_parts(r->threads, r->parts.count, pass_full_part, &c);
}

/* Rescore up to 8 queued rows and refresh their bounds. */
static void flush_queue(km_run *r, size_t q, const size_t *queue, size_t nq, int update)
{
    const size_t k = r->k;
    const int elkan = r->algorithm == MLC_KMEANS_ELKAN;
    double *all = elkan ? r->scores + q * k * 8 : NULL;
    const double *rows[8];
    int32_t lab[8];
    double second[8];
    for (size_t t = 0; t < 8; t++)
        rows[t] = mlc_matrix_row(r->d->X, queue[t < nq ? t : nq - 1]);
    mlc_km_score8(rows, &r->kc, lab, NULL, second, all);
    for (size_t t = 0; t < nq; t++) {
        size_t row = queue[t];
        record_bounds(r, row, lab[t], all, second, t);
        if (lab[t] != r->labels[row]) {
            record_move(r, q, row, r->labels[row], lab[t], update);
            r->labels[row] = lab[t];
        }
    }
}

/* Does any other centre possibly score below the own one? (Elkan's tests:
 * d(x, c_j) >= max(l_j, d(c_a, c_j) - u).) */
static int elkan_doubt(const km_run *r, const double *lb, int32_t a, double u, double M)
{
    const double *cca = r->cc + (size_t)a * r->k;
    for (size_t j = 0; j < r->k; j++) {
        if ((int32_t)j == a)
            continue;
        double L = cca[j] - u;
        if (lb[j] > L)
            L = lb[j];
        if (!prunable(L, u, M))
            return 1;
    }
    return 0;
}

/* Assignment with bounds (iterations after the first, final E-step). */
static void pass_bounds_part(void *ctx, size_t q)
{
    km_run *r = ((pass_ctx *)ctx)->r;
    const int update = ((pass_ctx *)ctx)->update;
    const int elkan = r->algorithm == MLC_KMEANS_ELKAN;
    const size_t k = r->k;
    size_t r0, r1, queue[8], nq = 0;
    part_range(r, q, &r0, &r1);
    part_clear(r, q);
    for (size_t i = r0; i < r1; i++) {
        int32_t a = r->labels[i];
        double xs = r->x_sq[i], M = margin(r, xs);
        double u = r->upper[i] + r->shift[a];
        int doubt;
        if (elkan) {
            double *lb = r->lower + i * k;
            for (size_t j = 0; j < k; j++) {
                double v = lb[j] - r->shift[j];
                lb[j] = v > 0.0 ? v : 0.0;
            }
            doubt = !prunable(2.0 * r->half[a] - u, u, M) && elkan_doubt(r, lb, a, u, M);
            if (doubt) {
                u = exact_dist(r, i, a);
                doubt = elkan_doubt(r, lb, a, u, M);
            }
        } else {
            double l = r->lower[i] - ((size_t)a == r->shift_arg ? r->shift_max2 : r->shift_max1);
            double L = 2.0 * r->half[a] - u;
            doubt = !prunable(L > l ? L : l, u, M);
            if (doubt) {
                u = exact_dist(r, i, a);
                L = 2.0 * r->half[a] - u;
                doubt = !prunable(L > l ? L : l, u, M);
            }
            r->lower[i] = l;
        }
        r->upper[i] = u;
        if (doubt) {
            queue[nq++] = i;
            if (nq == 8) {
                flush_queue(r, q, queue, nq, update);
                nq = 0;
            }
        }
    }
    if (nq)
        flush_queue(r, q, queue, nq, update);
}

static void pass_bounds(km_run *r, int update)
{
    pass_ctx c = {r, update, 0};
    mlc_parallel_parts(r->threads, r->parts.count, pass_bounds_part, &c);
}

/* ------------------------------------------------------ centre update */

/* Centre distances for the bounds of the next pass. */
static void centre_geometry(km_run *r)
{
    const size_t k = r->k, p = r->p;
    double cmax = 0.0;
    for (size_t j = 0; j < k; j++) {
        double s = 0.0;
        for (size_t f = 0; f < p; f++)
            s += r->centers[j * p + f] * r->centers[j * p + f];
        if (s > cmax)
            cmax = s;
        r->half[j] = INFINITY;
    }
    r->cmax = sqrt(cmax);
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++) {
            double s = 0.0;
            for (size_t f = 0; f < p; f++) {
                double v = r->centers[a * p + f] - r->centers[b * p + f];
                s += v * v;
            }
            double dist = sqrt(s);
            if (r->cc) {
                r->cc[a * k + b] = dist;
                r->cc[b * k + a] = dist;
            }
            if (dist / 2.0 < r->half[a])
                r->half[a] = dist / 2.0;
            if (dist / 2.0 < r->half[b])
                r->half[b] = dist / 2.0;
        }
}

typedef struct far_ctx {
    km_run *r;
    size_t far_n;
    double *bd;
    size_t *bi;
} far_ctx;

/* Part q's far_n farthest rows, farthest first, into its slice of bd / bi. */
static void farthest_part(void *ctx, size_t q)
{
    const far_ctx *c = ctx;
    const km_run *r = c->r;
    const size_t far_n = c->far_n;
    size_t r0, r1, have = 0;
    double *d = c->bd + q * far_n;
    size_t *ix = c->bi + q * far_n;
    part_range(r, q, &r0, &r1);
    for (size_t i = r0; i < r1; i++) {
        double v = sq_dist(mlc_matrix_row(r->d->X, i), r->d->mean,
                           r->centers + (size_t)r->labels[i] * r->p, r->p);
        if (have == far_n && !(v > d[far_n - 1]))
            continue;
        size_t pos = have < far_n ? have++ : far_n - 1;
        while (pos > 0 && v > d[pos - 1]) {
            d[pos] = d[pos - 1];
            ix[pos] = ix[pos - 1];
            pos--;
        }
        d[pos] = v;
        ix[pos] = i;
    }
    for (size_t t = have; t < far_n; t++) {
        d[t] = -INFINITY;
        ix[t] = SIZE_MAX;
    }
}

/* The far_n rows farthest from their centre, farthest first (ties: lower
 * row first), as scikit-learn's relocation of empty clusters takes them. */
static int farthest_rows(km_run *r, size_t far_n, size_t *far)
{
    const size_t parts = r->parts.count;
    double *bd = malloc(parts * far_n * sizeof *bd);
    size_t *bi = malloc(parts * far_n * sizeof *bi);
    if (!bd || !bi) {
        free(bd);
        free(bi);
        return mlc_raise_nomem("empty-cluster relocation");
    }
    far_ctx fc = {r, far_n, bd, bi};
    mlc_parallel_parts(r->threads, parts, farthest_part, &fc);
    /* Merge the parts' lists in part order (earlier rows win ties). */
    for (size_t t = 0; t < far_n; t++) {
        size_t best = SIZE_MAX;
        for (size_t c = 0; c < parts * far_n; c++) {
            if (bi[c] == SIZE_MAX)
                continue;
            if (best == SIZE_MAX || bd[c] > bd[best] || (bd[c] == bd[best] && bi[c] < bi[best]))
                best = c;
        }
        far[t] = bi[best];
        bi[best] = SIZE_MAX;
    }
    free(bd);
    free(bi);
    return MLC_OK;
}

/* centers_new from the sums: empty clusters get the farthest rows, then
 * the average (scikit-learn's relocate / average / center_shift). */
static int update_centres(km_run *r)
{
    const size_t k = r->k, p = r->p;
    double *cn = r->centers_new, *wn = r->shift; /* shift doubles as weight scratch */
    memcpy(cn, r->sums, k * p * sizeof *cn);
    memcpy(wn, r->wsum, k * sizeof *wn);
    size_t n_empty = 0;
    for (size_t j = 0; j < k; j++)
        n_empty += r->wsum[j] == 0.0;
    if (n_empty > 0) {
        size_t *far = malloc(n_empty * sizeof *far);
        if (!far)
            return mlc_raise_nomem("empty-cluster relocation");
        int st = farthest_rows(r, n_empty, far);
        if (st) {
            free(far);
            return st;
        }
        size_t e = 0;
        for (size_t j = 0; j < k; j++) {
            if (r->wsum[j] != 0.0)
                continue;
            size_t i = far[e++];
            const double *x = mlc_matrix_row(r->d->X, i), *m = r->d->mean;
            double w = row_weight(r, i);
            int32_t old = r->labels[i];
            for (size_t f = 0; f < p; f++) {
                double v = (x[f] - m[f]) * w;
                cn[(size_t)old * p + f] -= v;
                cn[j * p + f] = v;
            }
            wn[j] = w;
            wn[old] -= w;
        }
        free(far);
    }
    for (size_t j = 0; j < k; j++)
        if (wn[j] > 0) {
            double alpha = 1.0 / wn[j];
            for (size_t f = 0; f < p; f++)
                cn[j * p + f] *= alpha;
        }
    /* shift[j] = ||new - old||; then the new centres become current. */
    r->shift_max1 = r->shift_max2 = 0.0;
    r->shift_arg = 0;
    for (size_t j = 0; j < k; j++) {
        double s = 0.0;
        for (size_t f = 0; f < p; f++) {
            double v = cn[j * p + f] - r->centers[j * p + f];
            s += v * v;
        }
        r->shift[j] = sqrt(s);
        if (r->shift[j] > r->shift_max1) {
            r->shift_max2 = r->shift_max1;
            r->shift_max1 = r->shift[j];
            r->shift_arg = j;
        } else if (r->shift[j] > r->shift_max2) {
            r->shift_max2 = r->shift[j];
        }
    }
    r->unchanged = memcmp(r->centers, cn, k * p * sizeof *cn) == 0;
    memcpy(r->centers, cn, k * p * sizeof *cn);
    mlc_km_centers_set(&r->kc, r->centers, r->d->mean);
    if (r->algorithm != MLC_KMEANS_LLOYD)
        centre_geometry(r);
    return MLC_OK;
}

typedef struct inertia_ctx {
    const km_run *r;
    double *part;
} inertia_ctx;

static void inertia_part(void *ctx, size_t q)
{
    const km_run *r = ((inertia_ctx *)ctx)->r;
    size_t r0, r1;
    part_range(r, q, &r0, &r1);
    double s = 0.0;
    for (size_t i = r0; i < r1; i++)
        s += sq_dist(mlc_matrix_row(r->d->X, i), r->d->mean,
                     r->centers + (size_t)r->labels[i] * r->p, r->p) *
             row_weight(r, i);
    ((inertia_ctx *)ctx)->part[q] = s;
}

static double inertia(const km_run *r)
{
    double *part = calloc(r->parts.count, sizeof *part);
    if (!part)
        return NAN;
    inertia_ctx c = {r, part};
    mlc_parallel_parts(r->threads, r->parts.count, inertia_part, &c);
    double total = 0.0;
    for (size_t q = 0; q < r->parts.count; q++)
        total += part[q];
    free(part);
    return total;
}

/* ------------------------------------------------------------------ run */

static void run_clear(km_run *r)
{
    free(r->centers_new);
    free(r->sums);
    free(r->npos);
    free(r->delta);
    free(r->dcount);
    free(r->shift);
    free(r->part_inertia);
    free(r->scores);
    free(r->x_sq);
    free(r->upper);
    free(r->lower);
    free(r->half);
    free(r->cc);
    mlc_km_centers_clear(&r->kc);
}

static int run_alloc(km_run *r)
{
    const size_t n = r->n, k = r->k, p = r->p, parts = r->parts.count;
    int bounds = r->algorithm != MLC_KMEANS_LLOYD, elkan = r->algorithm == MLC_KMEANS_ELKAN;
    r->centers_new = malloc(k * p * sizeof(double));
    r->sums = calloc(k * p + k, sizeof(double));
    r->npos = calloc(k, sizeof(long));
    r->delta = malloc(parts * (k * p + k) * sizeof(double));
    r->dcount = malloc(parts * (k + 1) * sizeof(long));
    r->shift = calloc(k, sizeof(double));
    r->part_inertia = calloc(parts, sizeof(double));
    int ok = r->centers_new && r->sums && r->npos && r->delta && r->dcount && r->shift &&
             r->part_inertia;
    if (ok && bounds) {
        r->x_sq = malloc(n * sizeof(double));
        r->upper = malloc(n * sizeof(double));
        r->lower = malloc((elkan ? n * k : n) * sizeof(double));
        r->half = malloc(k * sizeof(double));
        ok = r->x_sq && r->upper && r->lower && r->half;
        if (ok && elkan) {
            r->cc = calloc(k * k, sizeof(double));
            r->scores = malloc(parts * k * 8 * sizeof(double));
            ok = r->cc && r->scores;
        }
    }
    if (!ok)
        return mlc_raise_nomem("k-means scratch");
    r->wsum = r->sums + k * p;
    return mlc_km_centers_alloc(&r->kc, k, p);
}

int mlc_km_single_run(const mlc_km_data *d, const double *init, size_t k, int algorithm,
                      long max_iter, double tol, mlc_km_result *res)
{
    km_run r;
    memset(&r, 0, sizeof r);
    r.d = d;
    r.n = d->n;
    r.p = d->p;
    r.k = k;
    r.algorithm = algorithm;
    r.labels = res->labels;
    r.centers = res->centers;
    size_t scratch = k * d->p + k + (algorithm == MLC_KMEANS_ELKAN ? 8 * k : 0);
    r.parts = mlc_parts_with_scratch(d->n, scratch);
    r.threads = mlc_threads_for(d->threads, r.parts.count, (double)d->n * (double)d->p * (double)k,
                                MLC_PARALLEL_MIN_WORK);
    r.mu = 1e-9 + 64.0 * (double)d->p * DBL_EPSILON;
    int st = run_alloc(&r);
    if (st) {
        run_clear(&r);
        return st;
    }
    memcpy(r.centers, init, k * d->p * sizeof(double));
    for (size_t i = 0; i < d->n; i++)
        r.labels[i] = -1;
    mlc_km_centers_set(&r.kc, r.centers, d->mean);
    if (algorithm != MLC_KMEANS_LLOYD) {
        mlc_km_centred_sq_norms(d, &r.parts, r.x_sq);
        centre_geometry(&r);
    }

    /* Near convergence (and on the second pass, where well separated data
     * usually converges), Lloyd's passes also sum the inertia: when the pass
     * changes no label and the centres come out the same, the run ends
     * without a separate inertia pass. */
    int strict = 0, stopped = 0, have_inertia = 0;
    size_t prev_changed = d->n;
    long it = 0;
    for (; it < max_iter; it++) {
        int spec = algorithm == MLC_KMEANS_LLOYD && it > 0 &&
                   (it == 1 || prev_changed <= d->n / 1000);
        if (it == 0 || algorithm == MLC_KMEANS_LLOYD)
            pass_full(&r, 1, spec);
        else
            pass_bounds(&r, 1);
        size_t changed = combine_parts(&r, 1);
        if ((st = update_centres(&r)))
            break;
        if (changed == 0) {
            strict = stopped = 1;
            have_inertia = spec && r.unchanged;
            break;
        }
        prev_changed = changed;
        double tot = 0.0;
        for (size_t j = 0; j < k; j++)
            tot += r.shift[j] * r.shift[j];
        if (tot <= tol) {
            stopped = 1;
            break;
        }
        if (mlc_progress_tick(d->progress, it + 1, max_iter, tot, "shift")) {
            st = MLC_EINTERRUPTED;
            break;
        }
    }
    if (!st) {
        if (!strict) {
            /* Final E-step so that the labels match the final centres. */
            if (algorithm == MLC_KMEANS_LLOYD) {
                pass_full(&r, 0, 1);
                have_inertia = 1;
            } else {
                pass_bounds(&r, 0);
            }
        }
        res->n_iter = it < max_iter ? it + 1 : max_iter;
        res->converged = stopped;
        if (have_inertia) {
            res->inertia = 0.0;
            for (size_t q = 0; q < r.parts.count; q++)
                res->inertia += r.part_inertia[q];
        } else {
            res->inertia = inertia(&r);
            if (isnan(res->inertia))
                st = mlc_raise_nomem("inertia scratch");
        }
    }
    run_clear(&r);
    return st;
}
