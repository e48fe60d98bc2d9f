/* KMeans: validation, the n_init loop and the fitted model (the parameters
 * and their defaults: kmeans_registry.c)
 * (scikit-learn 1.2's KMeans.fit / predict / transform / score). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "kmeans_impl.h"
#include "kmeans_model.h"
#include "internal/parallel.h"
#include "internal/validate.h"
#include "mlcore/linalg.h"
#include "mlcore/threads.h"

void mlc_kmeans_free(mlc_kmeans *m)
{
    if (!m)
        return;
    free(m->centers);
    free(m->labels);
    mlc_km_centers_clear(&m->pred);
    free(m);
}

int mlc_kmeans_model_alloc(const mlc_kmeans_params *p, size_t k, size_t dim, size_t n,
                           mlc_kmeans **out)
{
    mlc_kmeans *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a k-means model");
    m->params = *p;
    m->params.init_centers = NULL; /* never keep a pointer to caller data */
    m->k = k;
    m->p = dim;
    m->n = n;
    m->centers = malloc(k * dim * sizeof *m->centers);
    m->labels = malloc((n ? n : 1) * sizeof *m->labels);
    int st = (!m->centers || !m->labels) ? mlc_raise_nomem("a k-means model")
                                         : mlc_km_centers_alloc(&m->pred, k, dim);
    if (st) {
        mlc_kmeans_free(m);
        return st;
    }
    *out = m;
    return MLC_OK;
}

void mlc_kmeans_model_finish(mlc_kmeans *m)
{
    mlc_km_centers_set(&m->pred, m->centers, NULL);
    /* distinct labels */
    char *seen = calloc(m->k, 1);
    size_t distinct = 0;
    if (seen) {
        for (size_t i = 0; i < m->n; i++)
            if (m->labels[i] >= 0 && (size_t)m->labels[i] < m->k && !seen[m->labels[i]]) {
                seen[m->labels[i]] = 1;
                distinct++;
            }
        free(seen);
    }
    m->n_distinct = distinct;
}

/* --------------------------------------------------------------- checks */

int mlc_kmeans_check_init_shape(const mlc_matrix *C, const mlc_array_shape *given, size_t k,
                                size_t d, const char *name)
{
    const size_t want[2] = {k, d};
    if (mlc_array_shape_is(C, given, 2, want))
        return MLC_OK;
    char got[96];
    mlc_array_shape_text(C, given, got, sizeof got);
    return mlc_raise(MLC_EBADLEN, "%s has shape %s but needs (n_clusters, n_features) = (%zu, %zu)",
                     name, got, k, d);
}

static int check_params(const mlc_kmeans_params *p, const mlc_matrix *X)
{
    if (p->n_clusters < 1)
        return mlc_raise(MLC_EINVAL, "n_clusters must be >= 1, got %ld", p->n_clusters);
    if ((size_t)p->n_clusters > X->rows)
        return mlc_raise(MLC_EINVAL, "n_samples=%zu should be >= n_clusters=%ld", X->rows,
                         p->n_clusters);
    if (p->init != MLC_KMEANS_INIT_KMEANS_PLUS_PLUS && p->init != MLC_KMEANS_INIT_RANDOM)
        return mlc_raise(MLC_EINVAL, "init must be k-means++ (0) or random (1), got %d", p->init);
    if (p->algorithm != MLC_KMEANS_LLOYD && p->algorithm != MLC_KMEANS_ELKAN &&
        p->algorithm != MLC_KMEANS_HAMERLY && p->algorithm != MLC_KMEANS_AUTO)
        return mlc_raise(MLC_EINVAL,
                         "algorithm must be lloyd (0), elkan (1), hamerly (2) or auto (3), got %d",
                         p->algorithm);
    if (p->n_init < 0)
        return mlc_raise(MLC_EINVAL, "n_init must be >= 1 or 'auto' (0), got %ld", p->n_init);
    if (p->max_iter < 1)
        return mlc_raise(MLC_EINVAL, "max_iter must be >= 1, got %" PRId64, p->max_iter);
    if (!(p->tol >= 0) || isinf(p->tol))
        return mlc_raise(MLC_EINVAL, "tol must be a finite number >= 0, got %g", p->tol);
    if (mlc_check_threads(p->n_threads, NULL))
        return MLC_EINVAL;
    if (p->init_centers) {
        const mlc_matrix *c = p->init_centers;
        int st = mlc_check_X(c, "init_centers");
        if (st)
            return st;
        st = mlc_kmeans_check_init_shape(c, NULL, (size_t)p->n_clusters, X->cols,
                                         "init_centers");
        if (st)
            return st;
    }
    return MLC_OK;
}

/* ------------------------------------------------------------------ fit */

/* Column means (numpy's X.mean(axis=0): sum, then divide) and the
 * tolerance tol * mean(var(X, axis=0)), in one pass: the variances are
 * taken about the first row (a shift that keeps them accurate), which is all
 * a stopping threshold needs. */
MLC_HOT
static double prepare(const mlc_matrix *X, double tol, double *restrict mean,
                      double *restrict work)
{
    const size_t n = X->rows, p = X->cols;
    const double *x0 = mlc_matrix_row(X, 0);
    double *restrict s1 = work, *restrict s2 = work + p;
    for (size_t f = 0; f < p; f++)
        mean[f] = s1[f] = s2[f] = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *restrict x = mlc_matrix_row(X, i);
        for (size_t f = 0; f < p; f++) {
            double v = x[f] - x0[f];
            mean[f] += x[f];
            s1[f] += v;
            s2[f] += v * v;
        }
    }
    double mv = 0.0;
    for (size_t f = 0; f < p; f++) {
        mean[f] /= (double)n;
        double var = (s2[f] - s1[f] * s1[f] / (double)n) / (double)n;
        mv += var > 0.0 ? var : 0.0;
    }
    return tol == 0.0 ? 0.0 : mv / (double)p * tol;
}

/* scikit-learn's _is_same_clustering: b is a relabelling of a. */
static int same_clustering(const int32_t *a, const int32_t *b, size_t n, size_t k, int32_t *map)
{
    for (size_t j = 0; j < k; j++)
        map[j] = -1;
    for (size_t i = 0; i < n; i++) {
        if (map[a[i]] == -1)
            map[a[i]] = b[i];
        else if (map[a[i]] != b[i])
            return 0;
    }
    return 1;
}

/* The fit, reporting to `progress` (NULL: none). */
static int kmeans_fit(const mlc_kmeans_params *p, const mlc_matrix *X,
                      const double *sample_weight, mlc_rng *rng, mlc_progress_ctx *progress,
                      mlc_kmeans **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    /* X's shape and its first row here; the other rows' finiteness is read
     * off the column sums of prepare() (saves a pass over X): a NaN or an
     * infinity anywhere in a column leaves its sum non-finite. */
    mlc_matrix head;
    if (X) {
        head = *X;
        head.rows = X->rows > 0;
    }
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_check_X(X ? &head : NULL, "X")) ||
        (st = mlc_check_weights(sample_weight, X->rows)) || (st = check_params(p, X)) ||
        (st = mlc_check_ptr(rng, "random generator")))
        return st;
    const size_t n = X->rows, dim = X->cols, k = (size_t)p->n_clusters;
    long n_init = p->n_init;
    if (n_init == MLC_KMEANS_N_INIT_AUTO)
        n_init = p->init == MLC_KMEANS_INIT_RANDOM && !p->init_centers ? 10 : 1;
    if (p->init_centers)
        n_init = 1;
    int want_sq = !p->init_centers && p->init == MLC_KMEANS_INIT_KMEANS_PLUS_PLUS;

    mlc_kmeans *m;
    if ((st = mlc_kmeans_model_alloc(p, k, dim, n, &m)))
        return st;
    double *mean = malloc(3 * dim * sizeof *mean);
    double *x_sq = want_sq ? malloc(n * sizeof *x_sq) : NULL;
    double *init = malloc(k * dim * sizeof *init);
    double *cur_c = malloc(k * dim * sizeof *cur_c);
    double *best_c = malloc(k * dim * sizeof *best_c);
    int32_t *cur_l = malloc(n * sizeof *cur_l);
    int32_t *map = malloc(k * sizeof *map);
    if (!mean || (want_sq && !x_sq) || !init || !cur_c || !best_c || !cur_l || !map) {
        st = mlc_raise_nomem("k-means scratch");
        goto done;
    }
    double tol = prepare(X, p->tol, mean, mean + dim);
    double mnorm = 0.0;
    int sums_finite = isfinite(tol);
    for (size_t f = 0; f < dim; f++) {
        mnorm += mean[f] * mean[f];
        sums_finite &= isfinite(mean[f]) != 0;
    }
    /* Non-finite sums: find the culprit (or, if the sums only overflowed,
     * carry on as before). */
    if (!sums_finite && (st = mlc_matrix_check_finite(X, "X")))
        goto done;
    mlc_km_data d = {X, sample_weight, mean, sqrt(mnorm), n, dim,
                     mlc_resolve_threads(p->n_threads), progress};

    /* auto: see mlc_kmeans_algorithm for the measurements behind 48 */
    int algorithm = p->algorithm != MLC_KMEANS_AUTO ? p->algorithm
                    : k >= 48                       ? MLC_KMEANS_HAMERLY
                                                    : MLC_KMEANS_LLOYD;
    double best_inertia = INFINITY;
    int have_best = 0;
    for (long run = 0; run < n_init && !st; run++) {
        if (n_init > 1)
            mlc_progress_stage(progress, 0, "init", (size_t)run, (size_t)n_init);
        if (p->init_centers) {
            for (size_t j = 0; j < k; j++)
                for (size_t f = 0; f < dim; f++)
                    init[j * dim + f] = MLC_AT(p->init_centers, j, f) - mean[f];
        } else if (p->init == MLC_KMEANS_INIT_RANDOM) {
            st = mlc_km_random_rows(&d, k, rng, init);
        } else {
            st = mlc_km_plusplus(&d, x_sq, k, rng, init, NULL);
        }
        if (st)
            break;
        mlc_km_result res = {cur_c, cur_l, 0.0, 0, 0};
        st = mlc_km_single_run(&d, init, k, algorithm, p->max_iter, tol, &res);
        if (st)
            break;
        if (!have_best ||
            (res.inertia < best_inertia && !same_clustering(cur_l, m->labels, n, k, map))) {
            have_best = 1;
            best_inertia = res.inertia;
            m->n_iter = res.n_iter;
            m->converged = res.converged;
            double *tc = best_c;
            best_c = cur_c;
            cur_c = tc;
            int32_t *tl = m->labels;
            m->labels = cur_l;
            cur_l = tl;
        }
    }
    if (!st && !isfinite(best_inertia)) /* squared distances overflowed */
        st = mlc_raise(MLC_ERANGE, "k-means inertia overflows: X's values are too large for "
                       "squared distances in double precision; rescale X");
    if (!st) {
        for (size_t j = 0; j < k; j++)
            for (size_t f = 0; f < dim; f++)
                m->centers[j * dim + f] = best_c[j * dim + f] + mean[f];
        m->inertia = best_inertia;
        mlc_kmeans_model_finish(m);
        if (m->n_distinct < k)
            m->converged = 0; /* scikit-learn's ConvergenceWarning */
    }
done:
    free(mean);
    free(x_sq);
    free(init);
    free(cur_c);
    free(best_c);
    free(cur_l);
    free(map);
    if (st) {
        mlc_kmeans_free(m);
        return st;
    }
    *out = m;
    return MLC_OK;
}

int mlc_kmeans_fit_rng(const mlc_kmeans_params *p, const mlc_matrix *X,
                       const double *sample_weight, mlc_rng *rng, mlc_kmeans **out)
{
    return kmeans_fit(p, X, sample_weight, rng, NULL, out);
}

int mlc_kmeans_plusplus(const mlc_matrix *X, size_t n_clusters, mlc_rng *rng, int n_threads,
                        double *centers, size_t *indices)
{
    int st;
    if ((st = mlc_check_ptr(rng, "random generator")) || (st = mlc_check_ptr(indices, "indices")) ||
        (st = mlc_check_X_mt(X, "X", n_threads)))
        return st;
    const size_t n = X->rows, p = X->cols;
    if (n_clusters < 1 || n_clusters > n)
        return mlc_raise(MLC_EINVAL, "n_samples=%zu should be >= n_clusters=%zu", n, n_clusters);
    /* The seeding works in coordinates centred on the column means (sum,
     * then divide, as numpy's mean). */
    double *mean = calloc(p, sizeof *mean), *x_sq = malloc(n * sizeof *x_sq);
    double *scratch = malloc(n_clusters * p * sizeof *scratch);
    if (!mean || !x_sq || !scratch) {
        st = mlc_raise_nomem("k-means++ scratch");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const double *x = mlc_matrix_row(X, i);
        for (size_t f = 0; f < p; f++)
            mean[f] += x[f];
    }
    double mnorm = 0.0;
    for (size_t f = 0; f < p; f++) {
        mean[f] /= (double)n;
        mnorm += mean[f] * mean[f];
    }
    mlc_km_data kd = {X, NULL, mean, sqrt(mnorm), n, p, mlc_resolve_threads(n_threads), NULL};
    st = mlc_km_plusplus(&kd, x_sq, n_clusters, rng, scratch, indices);
    for (size_t j = 0; !st && centers && j < n_clusters; j++)
        memcpy(centers + j * p, mlc_matrix_row(X, indices[j]), p * sizeof *centers);
done:
    free(mean);
    free(x_sq);
    free(scratch);
    return st;
}

int mlc_km_fit(const mlc_kmeans_params *p, const mlc_matrix *X, const double *sample_weight,
               mlc_progress_ctx *progress, mlc_kmeans **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")))
        return st;
    mlc_rng *rng;
    if ((st = mlc_rng_new(p->random_state, &rng)))
        return st;
    st = kmeans_fit(p, X, sample_weight, rng, progress, out);
    mlc_rng_free(rng);
    return st;
}

int mlc_kmeans_fit(const mlc_kmeans_params *p, const mlc_matrix *X, const double *sample_weight,
                   mlc_kmeans **out)
{
    return mlc_km_fit(p, X, sample_weight, NULL, out);
}

int mlc_kmeans_fit_predict(const mlc_kmeans_params *p, const mlc_matrix *X,
                           const double *sample_weight, int32_t *labels, mlc_kmeans **out)
{
    int st = mlc_check_ptr(labels, "labels output");
    if (st)
        return st;
    if (out)
        *out = NULL;
    mlc_kmeans *m;
    if ((st = mlc_kmeans_fit(p, X, sample_weight, &m)))
        return st;
    memcpy(labels, m->labels, m->n * sizeof *labels);
    if (out)
        *out = m;
    else
        mlc_kmeans_free(m);
    return MLC_OK;
}

/* -------------------------------------------------------------- predict */

typedef struct assign_ctx {
    const mlc_kmeans *m;
    const mlc_matrix *X;
    const double *sw;
    int32_t *labels;       /* labels out, or NULL */
    mlc_matrix *out;       /* or labels out as column 0 of a matrix, or NULL */
    double *part;          /* per-part inertia, or NULL */
    unsigned char *doubt;  /* per part: a row scored non-finite */
    mlc_parts parts;
} assign_ctx;

/* Part q of assign(). */
static void assign_part(void *ctx, size_t q)
{
    const assign_ctx *ac = ctx;
    const mlc_kmeans *m = ac->m;
    const mlc_matrix *X = ac->X;
    const double *sw = ac->sw;
    int32_t *labels = ac->labels;
    double *part = ac->part;
    const mlc_parts parts = ac->parts;
    const size_t p = m->p;
    size_t r0 = mlc_part_lo(&parts, q), r1 = mlc_part_hi(&parts, q);
    double s = 0.0;
    for (size_t i = r0; i < r1; i += 8) {
        const double *rows[8];
        int32_t lab[8];
        double best[8];
        size_t nr = r1 - i < 8 ? r1 - i : 8;
        mlc_km_group_rows(X, i, nr, rows);
        mlc_km_score8(rows, &m->pred, lab, best, NULL, NULL);
        for (size_t t = 0; t < nr; t++) {
            if (labels)
                labels[i + t] = lab[t];
            else if (ac->out)
                MLC_AT(ac->out, i + t, 0) = lab[t];
            if (!isfinite(best[t]))
                ac->doubt[q] = 1;
            if (!part)
                continue;
            const double *x = rows[t], *c = m->centers + (size_t)lab[t] * p;
            double dsq = 0.0;
            size_t f = 0;
            for (; f + 4 <= p; f += 4) {
                double d0 = x[f] - c[f], d1 = x[f + 1] - c[f + 1];
                double d2 = x[f + 2] - c[f + 2], d3 = x[f + 3] - c[f + 3];
                dsq += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
            }
            for (; f < p; f++)
                dsq += (x[f] - c[f]) * (x[f] - c[f]);
            s += dsq * (sw ? sw[i + t] : 1.0);
        }
    }
    if (part)
        part[q] = s;
}

/* Labels of X's rows (to labels, or as doubles to column 0 of out, or
 * nowhere) and, if inertia is not NULL, sum w ||x - c||^2.
 * X's values are checked by the scoring itself rather than by a pass of
 * their own (a second read of X, 40% of a predict at 1e5 x 50): with
 * finite centres, a NaN or an infinity anywhere in a row makes every score
 * of the row non-finite. Only then does the exact scan run, for its status
 * and message; a finite row whose score merely overflowed keeps its label. */
static int assign(const mlc_kmeans *m, const mlc_matrix *X, const double *sw, int32_t *labels,
                  mlc_matrix *out, double *inertia)
{
    int st = mlc_check_ptr(m, "k-means model");
    if (st || (st = mlc_check_X_columns(X, m->p, "kmeans")) ||
        (st = mlc_check_weights(sw, X->rows)) ||
        (out && (st = mlc_check_out(out, X->rows, 1, "predict"))))
        return st;
    const size_t n = X->rows, p = m->p;
    mlc_parts parts = mlc_parts_with_scratch(n, 1);
    int threads = mlc_threads_for(m->params.n_threads, parts.count,
                                  (double)n * (double)p * (double)m->k, MLC_PARALLEL_MIN_WORK);
    double *part = inertia ? calloc(parts.count, sizeof *part) : NULL;
    unsigned char *doubt = calloc(parts.count, 1);
    if ((inertia && !part) || !doubt) {
        free(part);
        free(doubt);
        return mlc_raise_nomem("k-means assignment scratch");
    }
    assign_ctx c = {m, X, sw, labels, out, part, doubt, parts};
    mlc_parallel_parts(threads, parts.count, assign_part, &c);
    int any_doubt = 0;
    for (size_t q = 0; q < parts.count; q++)
        any_doubt |= doubt[q];
    free(doubt);
    if (any_doubt)
        st = mlc_matrix_check_finite(X, "X");
    if (st) {
        free(part);
        return st;
    }
    if (part) {
        double total = 0.0;
        for (size_t q = 0; q < parts.count; q++)
            total += part[q];
        *inertia = total;
        free(part);
    }
    return MLC_OK;
}

int mlc_kmeans_predict(const mlc_kmeans *m, const mlc_matrix *X, int32_t *labels)
{
    int st = mlc_check_ptr(labels, "labels output");
    return st ? st : assign(m, X, NULL, labels, NULL, NULL);
}

int mlc_kmeans_predict_column(const mlc_kmeans *m, const mlc_matrix *X, mlc_matrix *out)
{
    int st = mlc_check_ptr(out, "predict output");
    return st ? st : assign(m, X, NULL, NULL, out, NULL);
}

int mlc_kmeans_score(const mlc_kmeans *m, const mlc_matrix *X, const double *sample_weight,
                     double *score)
{
    int st = mlc_check_ptr(score, "score output");
    if (st || (st = mlc_check_ptr(m, "k-means model")) ||
        (st = mlc_check_X_columns(X, m->p, "kmeans"))) /* values: in assign() */
        return st;
    double inertia = 0.0;
    st = assign(m, X, sample_weight, NULL, NULL, &inertia);
    if (!st)
        *score = -inertia;
    return st;
}

int mlc_kmeans_transform(const mlc_kmeans *m, const mlc_matrix *X, mlc_matrix *dist)
{
    int st = mlc_check_ptr(m, "k-means model");
    if (st || (st = mlc_check_X_predict(X, m->p, "kmeans")) ||
        (st = mlc_check_out(dist, X->rows, m->k, "transform")))
        return st;
    mlc_matrix C = mlc_matrix_wrap(m->centers, m->k, m->p, 0);
    if ((st = mlc_sq_distances(X, NULL, &C, NULL, dist, m->params.n_threads)))
        return st;
    for (size_t i = 0; i < X->rows; i++) {
        double *r = mlc_matrix_row(dist, i);
        for (size_t j = 0; j < m->k; j++)
            r[j] = sqrt(r[j]);
    }
    return MLC_OK;
}

/* -------------------------------------------------------------- getters */

size_t mlc_kmeans_n_clusters(const mlc_kmeans *m)
{
    return m ? m->k : 0;
}
size_t mlc_kmeans_n_features(const mlc_kmeans *m)
{
    return m ? m->p : 0;
}
const double *mlc_kmeans_cluster_centers(const mlc_kmeans *m)
{
    return m ? m->centers : NULL;
}
const int32_t *mlc_kmeans_labels(const mlc_kmeans *m)
{
    return m ? m->labels : NULL;
}
size_t mlc_kmeans_n_samples(const mlc_kmeans *m)
{
    return m ? m->n : 0;
}
double mlc_kmeans_inertia(const mlc_kmeans *m)
{
    return m ? m->inertia : NAN;
}
int64_t mlc_kmeans_n_iter(const mlc_kmeans *m)
{
    return m ? (int64_t)m->n_iter : 0;
}
int mlc_kmeans_converged(const mlc_kmeans *m)
{
    return m ? m->converged : 0;
}
size_t mlc_kmeans_n_distinct(const mlc_kmeans *m)
{
    return m ? m->n_distinct : 0;
}
