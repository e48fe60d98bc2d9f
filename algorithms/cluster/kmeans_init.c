/* Initial centres: greedy k-means++ and random rows (scikit-learn 1.2's
 * _kmeans_plusplus and rs.permutation(n)[:k]; the random streams differ). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "kmeans_impl.h"
#include "internal/parallel.h"
#include "internal/mem.h"

static void centred_row(const mlc_km_data *d, size_t i, double *out)
{
    const double *x = mlc_matrix_row(d->X, i);
    for (size_t f = 0; f < d->p; f++)
        out[f] = x[f] - d->mean[f];
}

/* Squared distance from a kernel score: max(0, score + ||x - m||^2), as
 * scikit-learn's _euclidean_distances clamps. */
static inline double sq_from_score(double score, double xs)
{
    double v = score + xs;
    return v > 0.0 ? v : 0.0;
}

/* Fold a group of 8 rows' candidate scores (all[t * 8 + r]) into the
 * candidates' potentials: v = min(d2_r, max(0, score + ||x_r - m||^2)),
 * lane[t * 8 + r] += v and store[t][r] = v. Rows r >= nr (padding of a
 * short group) are left out. Vectorised over the 8 rows: each lane sums
 * every 8th row of a part, and the part's potential adds the lanes in order,
 * so the sums do not depend on the thread count. */
MLC_HOT
static void pp_group(const double *restrict all, const double *restrict xs,
                     const double *restrict cur, size_t ntr, size_t nr, double *const *store,
                     double *restrict lane)
{
    if (nr == 8) {
        for (size_t t = 0; t < ntr; t++) {
            double v[8];
            for (size_t r = 0; r < 8; r++) {
                double s = all[t * 8 + r] + xs[r];
                s = s > 0.0 ? s : 0.0;
                v[r] = s < cur[r] ? s : cur[r];
                lane[t * 8 + r] += v[r];
            }
            if (store)
                memcpy(store[t], v, sizeof v);
        }
        return;
    }
    for (size_t t = 0; t < ntr; t++)
        for (size_t r = 0; r < nr; r++) {
            double s = all[t * 8 + r] + xs[r];
            s = s > 0.0 ? s : 0.0;
            double v = s < cur[r] ? s : cur[r];
            lane[t * 8 + r] += v;
            if (store)
                store[t][r] = v;
        }
}

/* The arguments of one pass (pp_pass, pp_fold), shared by its parts. */
typedef struct pp_ctx {
    const mlc_km_data *d;
    const mlc_parts *parts;
    const mlc_km_centers *kc;
    size_t ntr;
    int first;
    double *x_sq, *d2, *pots;
    double *const *store;
} pp_ctx;

static void pp_pass_part(void *ctx, size_t q)
{
    const pp_ctx *c = ctx;
    const mlc_km_data *d = c->d;
    const mlc_km_centers *kc = c->kc;
    const size_t p = d->p, ntr = c->ntr;
    double *x_sq = c->x_sq, *d2 = c->d2;
    double *const *store = c->store;
    double all[8 * 8], lane[8 * 8];
    double *acc = c->pots + q * 8;
    size_t r0 = mlc_part_lo(c->parts, q), r1 = mlc_part_hi(c->parts, q);
    for (size_t t = 0; t < 8 * 8; t++)
        lane[t] = 0.0;
    for (size_t i = r0; i < r1; i += 8) {
        const double *rows[8];
        int32_t lab[8];
        size_t nr = r1 - i < 8 ? r1 - i : 8;
        mlc_km_group_rows(d->X, i, nr, rows);
        if (kc->k <= 4)
            mlc_km_scores_few(rows, kc, all);
        else
            mlc_km_score8(rows, kc, lab, NULL, NULL, all);
        if (!c->first) {
            double *st[8];
            for (size_t t = 0; store && t < ntr; t++)
                st[t] = store[t] + i;
            pp_group(all, x_sq + i, d2 + i, ntr, nr, store ? st : NULL, lane);
            continue;
        }
        for (size_t r = 0; r < nr; r++) {
            double s = mlc_sqdist_direct(rows[r], d->mean, p);
            x_sq[i + r] = s;
            d2[i + r] = sq_from_score(all[r], s);
        }
    }
    for (size_t t = 0; t < 8; t++) {
        double s = 0.0;
        for (size_t r = 0; r < 8; r++)
            s += lane[t * 8 + r];
        acc[t] = s;
    }
}

/* One pass over the rows against the centres in kc.
 *   first: x_sq <- ||x - m||^2 and d2 <- distance to centre 0;
 *   else:  pots[part][t] = sum of min(d2, dist(t)) over the ntr candidates,
 *          and, if store is not NULL, store[t][i] = min(d2_i, dist_i(t)). */
static void pp_pass(const mlc_km_data *d, const mlc_parts *parts, const mlc_km_centers *kc,
                    size_t ntr, int first, double *x_sq, double *d2, double *pots,
                    double *const *store, int threads)
{
    pp_ctx c = {d, parts, kc, ntr, first, x_sq, d2, pots, store};
    mlc_parallel_parts(threads, parts->count, pp_pass_part, &c);
}

static void pp_fold_part(void *ctx, size_t q)
{
    const pp_ctx *c = ctx;
    const mlc_km_data *d = c->d;
    const mlc_parts *parts = c->parts;
    const mlc_km_centers *kc = c->kc;
    const double *x_sq = c->x_sq;
    double *d2 = c->d2;
    size_t r0 = mlc_part_lo(parts, q), r1 = mlc_part_hi(parts, q);
    for (size_t i = r0; i < r1; i += 8) {
        const double *rows[8];
        double best[8];
        size_t nr = r1 - i < 8 ? r1 - i : 8;
        mlc_km_group_rows(d->X, i, nr, rows);
        mlc_km_scores_few(rows, kc, best); /* kc holds one centre */
        for (size_t r = 0; r < nr; r++) {
            double v = sq_from_score(best[r], x_sq[i + r]);
            if (v < d2[i + r])
                d2[i + r] = v;
        }
    }
}

/* d2 <- min(d2, distance to the centre in kc) (kc holds one centre). */
static void pp_fold(const mlc_km_data *d, const mlc_parts *parts, const mlc_km_centers *kc,
                    const double *x_sq, double *d2, int threads)
{
    pp_ctx c = {d, parts, kc, 1, 0, (double *)x_sq, d2, NULL, NULL};
    mlc_parallel_parts(threads, parts->count, pp_fold_part, &c);
}

/* First index whose running sum of d2 reaches each value (numpy's
 * searchsorted(cumsum(d2), v), clipped to n - 1). */
static void search_cumsum(const double *d2, size_t n, const double *vals, size_t nv, size_t *out)
{
    size_t order[8];
    for (size_t t = 0; t < nv; t++)
        order[t] = t;
    for (size_t a = 1; a < nv; a++) /* insertion sort of at most 8 values */
        for (size_t b = a; b > 0 && vals[order[b]] < vals[order[b - 1]]; b--) {
            size_t tmp = order[b];
            order[b] = order[b - 1];
            order[b - 1] = tmp;
        }
    double run = 0.0;
    size_t i = 0, t = 0;
    for (; i < n && t < nv; i++) {
        run += d2[i];
        while (t < nv && run >= vals[order[t]])
            out[order[t++]] = i;
    }
    for (; t < nv; t++)
        out[order[t]] = n - 1;
}

int mlc_km_plusplus(const mlc_km_data *d, double *x_sq, size_t k, mlc_rng *rng, double *centers,
                    size_t *indices)
{
    const size_t n = d->n, p = d->p;
    size_t trials = 2 + (size_t)log((double)k);
    if (trials > 8)
        trials = 8; /* from k >= e^7 (1097) on: one kernel tile of candidates */
    mlc_parts parts = mlc_parts_with_scratch(n, 8);
    int threads = mlc_threads_for(d->threads, parts.count, (double)n * (double)p * 8.0,
                                  MLC_PARALLEL_MIN_WORK);
    /* Keeping each candidate's distances costs `trials` doubles a row; when
     * that is less than a row of X, it replaces a second pass over X per
     * centre. The numbers are the same either way. */
    int keep = k > 1 && trials < p;
    /* d2 and the candidates' rows share one block (huge pages: fewer page
     * faults on first touch); choosing a candidate swaps its row with d2's. */
    double *block = mlc_aligned_alloc((keep ? trials + 1 : 1) * n, sizeof *block);
    double *pots = malloc(parts.count * 8 * sizeof *pots);
    double *cand = malloc(8 * p * sizeof *cand);
    double *d2 = block, *store_rows[8] = {NULL};
    for (size_t t = 0; keep && block && t < trials; t++)
        store_rows[t] = block + (t + 1) * n;
    double *const *store = keep ? store_rows : NULL;
    mlc_km_centers kc = {0};
    int st = (!block || !pots || !cand) ? mlc_raise_nomem("k-means++ scratch")
                                        : mlc_km_centers_alloc(&kc, 8, p);
    if (st)
        goto done;

    size_t first = mlc_rng_index(rng, n);
    centred_row(d, first, centers);
    if (indices)
        indices[0] = first;
    kc.k = 1;
    mlc_km_centers_set(&kc, centers, d->mean);
    pp_pass(d, &parts, &kc, 0, 1, x_sq, d2, pots, NULL, threads);
    double pot = 0.0;
    for (size_t i = 0; i < n; i++)
        pot += d2[i];

    for (size_t c = 1; c < k; c++) {
        double vals[8];
        size_t ids[8];
        for (size_t t = 0; t < trials; t++)
            vals[t] = mlc_rng_uniform(rng) * pot;
        search_cumsum(d2, n, vals, trials, ids);
        for (size_t t = 0; t < trials; t++)
            centred_row(d, ids[t], cand + t * p);
        kc.k = trials;
        mlc_km_centers_set(&kc, cand, d->mean);
        pp_pass(d, &parts, &kc, trials, 0, x_sq, d2, pots, store, threads);
        size_t best = 0;
        double best_pot = INFINITY;
        for (size_t t = 0; t < trials; t++) {
            double s = 0.0;
            for (size_t q = 0; q < parts.count; q++)
                s += pots[q * 8 + t];
            if (s < best_pot) {
                best_pot = s;
                best = t;
            }
        }
        pot = best_pot;
        memcpy(centers + c * p, cand + best * p, p * sizeof *centers);
        if (indices)
            indices[c] = ids[best];
        if (c + 1 == k)
            break;
        /* k-means++ for many clusters takes a while: centres chosen so far */
        if (mlc_progress_tick(d->progress, (int64_t)c + 1, (int64_t)k, pot, "potential")) {
            st = MLC_EINTERRUPTED;
            break;
        }
        /* fold the new centre into d2 for the next draw */
        if (store) { /* the best candidate's distances become d2 (a swap, not a copy) */
            double *tmp = d2;
            d2 = store_rows[best];
            store_rows[best] = tmp;
        } else {
            kc.k = 1;
            mlc_km_centers_set(&kc, centers + c * p, d->mean);
            pp_fold(d, &parts, &kc, x_sq, d2, threads);
        }
    }
done:
    mlc_km_centers_clear(&kc);
    mlc_aligned_free(block);
    free(pots);
    free(cand);
    return st;
}

int mlc_km_random_rows(const mlc_km_data *d, size_t k, mlc_rng *rng, double *centers)
{
    size_t *perm = malloc(d->n * sizeof *perm);
    if (!perm)
        return mlc_raise_nomem("a permutation");
    mlc_rng_permutation(rng, perm, d->n);
    for (size_t j = 0; j < k; j++)
        centred_row(d, perm[j], centers + j * d->p);
    free(perm);
    return MLC_OK;
}
