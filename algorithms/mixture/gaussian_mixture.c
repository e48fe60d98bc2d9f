/* GaussianMixture: validation, initialisation, the EM loop and the fitted
 * model's outputs (scikit-learn 1.2's BaseMixture.fit_predict and
 * GaussianMixture, docs/PARITY.md §10). */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "mixture_impl.h"
#include "internal/parallel.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/threads.h"

void mlc_gaussian_mixture_free(mlc_gaussian_mixture *m)
{
    if (!m)
        return;
    mlc_gmm_params_clear(&m->g);
    free(m);
}

int mlc_gmm_model_alloc(const mlc_gaussian_mixture_params *p, size_t dim,
                        mlc_gaussian_mixture **out)
{
    mlc_gaussian_mixture *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a Gaussian mixture");
    m->params = *p;
    m->params.weights_init = m->params.means_init = m->params.precisions_init = NULL;
    int st = mlc_gmm_params_alloc(&m->g, p->covariance_type, (size_t)p->n_components, dim);
    if (st) {
        free(m);
        return st;
    }
    m->lower_bound = -INFINITY;
    *out = m;
    return MLC_OK;
}

/* --------------------------------------------------------------- checks */

/* One value of a K-vector given as K x 1 or 1 x K. */
static double vec_at(const mlc_matrix *v, size_t i)
{
    return v->rows == 1 ? MLC_AT(v, 0, i) : MLC_AT(v, i, 0);
}

static const char *const cov_names[4] = {"full", "tied", "diag", "spherical"};

int mlc_gmm_check_init_shapes(const mlc_gaussian_mixture_params *p, size_t dim,
                              const mlc_array_shape *given_weights,
                              const mlc_array_shape *given_means,
                              const mlc_array_shape *given_precisions)
{
    const size_t K = (size_t)p->n_components, d = dim;
    char got[96];
    if (p->weights_init && !mlc_array_is_vector(p->weights_init, given_weights, K)) {
        mlc_array_shape_text(p->weights_init, given_weights, got, sizeof got);
        return mlc_raise(MLC_EBADLEN,
                         "weights_init has shape %s but needs (n_components,) = (%zu,)", got, K);
    }
    const size_t kd[2] = {K, d};
    if (p->means_init && !mlc_array_shape_is(p->means_init, given_means, 2, kd)) {
        mlc_array_shape_text(p->means_init, given_means, got, sizeof got);
        return mlc_raise(MLC_EBADLEN,
                         "means_init has shape %s but needs (n_components, n_features) = "
                         "(%zu, %zu)",
                         got, K, d);
    }
    const mlc_matrix *pr = p->precisions_init;
    if (!pr)
        return MLC_OK;
    const mlc_array_shape *g = given_precisions;
    const size_t full[3] = {K, d, d}, stacked[2] = {K * d, d}, dd[2] = {d, d};
    int type = p->covariance_type, ok;
    const char *names;
    char want[96];
    switch (type) {
    case MLC_COV_FULL:
        ok = mlc_array_shape_is(pr, g, 3, full) || mlc_array_shape_is(pr, g, 2, stacked);
        names = "(n_components, n_features, n_features)";
        snprintf(want, sizeof want, "(%zu, %zu, %zu) (or its blocks stacked, (%zu, %zu))", K, d,
                 d, K * d, d);
        break;
    case MLC_COV_TIED:
        ok = mlc_array_shape_is(pr, g, 2, dd);
        names = "(n_features, n_features)";
        mlc_shape_text(dd, 2, want, sizeof want);
        break;
    case MLC_COV_DIAG:
        ok = mlc_array_shape_is(pr, g, 2, kd);
        names = "(n_components, n_features)";
        mlc_shape_text(kd, 2, want, sizeof want);
        break;
    default:
        ok = mlc_array_is_vector(pr, g, K);
        names = "(n_components,)";
        mlc_shape_text(&K, 1, want, sizeof want);
        break;
    }
    if (ok)
        return MLC_OK;
    mlc_array_shape_text(pr, g, got, sizeof got);
    return mlc_raise(MLC_EBADLEN, "precisions_init has shape %s but covariance_type '%s' needs %s = %s",
                     got, type >= 0 && type < 4 ? cov_names[type] : "?", names, want);
}

/* The start arrays: finite, of the right shapes, and valid values. */
static int check_init_arrays(const mlc_gaussian_mixture_params *p, size_t dim)
{
    const size_t K = (size_t)p->n_components;
    int st;
    if ((p->weights_init && (st = mlc_check_X(p->weights_init, "weights_init"))) ||
        (p->means_init && (st = mlc_check_X(p->means_init, "means_init"))) ||
        (p->precisions_init && (st = mlc_check_X(p->precisions_init, "precisions_init"))))
        return st;
    if ((st = mlc_gmm_check_init_shapes(p, dim, NULL, NULL, NULL)))
        return st;
    if (p->weights_init) {
        const mlc_matrix *w = p->weights_init;
        double sum = 0.0;
        for (size_t k = 0; k < K; k++) {
            double v = vec_at(w, k);
            if (v < 0.0 || v > 1.0)
                return mlc_raise(MLC_EINVAL, "weights_init[%zu] = %g is outside [0, 1]", k, v);
            sum += v;
        }
        if (!(fabs(1.0 - sum) <= 1e-8))
            return mlc_raise(MLC_EINVAL, "weights_init must sum to 1, got %.17g", sum);
    }
    if (p->precisions_init) {
        const mlc_matrix *pr = p->precisions_init;
        int type = p->covariance_type;
        if (type == MLC_COV_FULL || type == MLC_COV_TIED) {
            size_t blocks = type == MLC_COV_FULL ? K : 1;
            for (size_t b = 0; b < blocks; b++)
                for (size_t f = 0; f < dim; f++)
                    for (size_t h = 0; h < f; h++) {
                        double a = MLC_AT(pr, b * dim + f, h), c = MLC_AT(pr, b * dim + h, f);
                        if (fabs(a - c) > 1e-8 + 1e-5 * fabs(c))
                            return mlc_raise(MLC_EINVAL,
                                             "precisions_init must be symmetric, positive-definite "
                                             "(block %zu differs at (%zu, %zu))",
                                             b, f, h);
                    }
        } else {
            for (size_t i = 0; i < (type == MLC_COV_DIAG ? K * dim : K); i++) {
                double v = type == MLC_COV_DIAG ? MLC_AT(pr, i / dim, i % dim) : vec_at(pr, i);
                if (!(v > 0.0))
                    return mlc_raise(MLC_EINVAL, "precisions_init must be positive, got %g", v);
            }
        }
    }
    return MLC_OK;
}

static int check_params(const mlc_gaussian_mixture_params *p, const mlc_matrix *X)
{
    if (p->n_components < 1)
        return mlc_raise(MLC_EINVAL, "n_components must be >= 1, got %ld", p->n_components);
    if (p->covariance_type < MLC_COV_FULL || p->covariance_type > MLC_COV_SPHERICAL)
        return mlc_raise(MLC_EINVAL,
                         "covariance_type must be full (0), tied (1), diag (2) or spherical (3), "
                         "got %d",
                         p->covariance_type);
    if (p->init_params < MLC_GMM_INIT_KMEANS || p->init_params > MLC_GMM_INIT_RANDOM_FROM_DATA)
        return mlc_raise(MLC_EINVAL,
                         "init_params must be kmeans (0), k-means++ (1), random (2) or "
                         "random_from_data (3), got %d",
                         p->init_params);
    if (!(p->tol >= 0))
        return mlc_raise(MLC_EINVAL, "tol must be >= 0, got %g", p->tol);
    if (!(p->reg_covar >= 0) || isinf(p->reg_covar))
        return mlc_raise(MLC_EINVAL, "reg_covar must be a finite number >= 0, got %g",
                         p->reg_covar);
    if (p->max_iter < 0)
        return mlc_raise(MLC_EINVAL, "max_iter must be >= 0, got %" PRId64, p->max_iter);
    if (p->n_init < 1)
        return mlc_raise(MLC_EINVAL, "n_init must be >= 1, got %ld", p->n_init);
    if (mlc_check_threads(p->n_threads, NULL))
        return MLC_EINVAL;
    if (X->rows < 2)
        return mlc_raise(MLC_EINVAL, "a Gaussian mixture needs at least 2 samples, got %zu",
                         X->rows);
    if ((size_t)p->n_components > X->rows)
        return mlc_raise(MLC_EINVAL,
                         "n_samples=%zu must be >= n_components=%ld", X->rows, p->n_components);
    return check_init_arrays(p, X->cols);
}

/* ------------------------------------------------------------ fit state */

typedef struct gmm_ctx {
    const mlc_gaussian_mixture_params *p;
    mlc_gmm_data d;
    mlc_gmm_params *g;
    mlc_parts parts;
    int threads;
    size_t B, per_thread;  /* rows per block; scratch doubles per thread */
    double *scratch;       /* threads x per_thread */
    double *pmem;          /* per-part statistics */
    mlc_gmm_stats *pstats;
    double *tmem;
    mlc_gmm_stats total;
    double *shift;         /* K x p */
    mlc_progress_ctx *progress; /* NULL: none */
} gmm_ctx;

static void ctx_clear(gmm_ctx *c)
{
    free(c->scratch);
    free(c->pmem);
    free(c->pstats);
    free(c->tmem);
    free(c->shift);
    free(c->d.mean);
    free(c->d.scatter);
}

/* The scratch slot of the thread running a part: its number in the team
 * that mlc_parallel_parts started for `threads`. With one thread there is
 * no team of the fit's own (the parts run in the calling thread), and
 * omp_get_thread_num() would number the caller's team instead - a
 * cross-validation fold on worker 1 wrote past a one-slot scratch. */
static size_t scratch_slot(int threads)
{
#ifdef _OPENMP
    return threads > 1 ? (size_t)omp_get_thread_num() : 0;
#else
    (void)threads;
    return 0;
#endif
}

/* Column means and, for tied covariances, sum (x - mean)(x - mean)^T. */
static void data_constants(gmm_ctx *c)
{
    const mlc_matrix *X = c->d.X;
    const size_t n = X->rows, p = X->cols;
    for (size_t i = 0; i < n; i++) {
        const double *x = mlc_matrix_row(X, i);
        for (size_t f = 0; f < p; f++)
            c->d.mean[f] += x[f];
    }
    for (size_t f = 0; f < p; f++)
        c->d.mean[f] /= (double)n;
    if (!c->d.scatter)
        return;
    double *D = c->scratch;
    for (size_t r0 = 0; r0 < n; r0 += c->B) {
        size_t nb = n - r0 < c->B ? n - r0 : c->B;
        for (size_t i = 0; i < nb; i++) {
            const double *x = mlc_matrix_row(X, r0 + i);
            for (size_t f = 0; f < p; f++)
                D[i * p + f] = x[f] - c->d.mean[f];
        }
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)nb, 1.0, D,
                    (int)p, D, (int)p, 1.0, c->d.scatter, (int)p);
    }
}

static int ctx_init(gmm_ctx *c, const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                    mlc_gmm_params *g)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    c->g = g;
    c->d.X = X;
    c->d.n = X->rows;
    c->d.p = X->cols;
    const size_t K = g->K, dim = X->cols, ss = mlc_gmm_stats_size(g);
    c->parts = mlc_parts_with_scratch(X->rows, ss);
    double work = (double)X->rows * (double)K * (double)dim * (double)(dim + 2);
    c->threads = mlc_threads_for(p->n_threads, c->parts.count, work, MLC_PARALLEL_MIN_WORK);
    c->d.threads = c->threads;
    c->B = mlc_gmm_block_rows(g);
    size_t blk = mlc_gmm_block_scratch(g, c->B);
    if (blk < c->B * dim)
        blk = c->B * dim;
    c->per_thread = c->B * K + c->B + blk;
    c->scratch = malloc((size_t)c->threads * c->per_thread * sizeof *c->scratch);
    c->pmem = malloc(c->parts.count * ss * sizeof *c->pmem);
    c->pstats = malloc(c->parts.count * sizeof *c->pstats);
    c->tmem = malloc(ss * sizeof *c->tmem);
    c->shift = malloc(K * dim * sizeof *c->shift);
    c->d.mean = calloc(dim, sizeof *c->d.mean);
    if (g->type == MLC_COV_TIED)
        c->d.scatter = calloc(dim * dim, sizeof *c->d.scatter);
    if (!c->scratch || !c->pmem || !c->pstats || !c->tmem || !c->shift || !c->d.mean ||
        (g->type == MLC_COV_TIED && !c->d.scatter)) {
        ctx_clear(c);
        return mlc_raise_nomem("Gaussian mixture scratch");
    }
    for (size_t q = 0; q < c->parts.count; q++)
        mlc_gmm_stats_bind(&c->pstats[q], g, c->pmem + q * ss);
    mlc_gmm_stats_bind(&c->total, g, c->tmem);
    /* The block GEMMs are small; the parallelism is over parts. */
    mlc_blas_set_threads(1);
    data_constants(c);
    return MLC_OK;
}

static void combine(gmm_ctx *c)
{
    mlc_gmm_stats_clear(&c->total, c->g);
    for (size_t q = 0; q < c->parts.count; q++)
        mlc_gmm_stats_add(&c->total, &c->pstats[q], c->g);
}

/* The E-step of part q, reduced to its statistics. */
static void em_part(void *ctx, size_t q)
{
    gmm_ctx *c = ctx;
    const mlc_gmm_params *g = c->g;
    const size_t K = g->K;
    double *L = c->scratch + scratch_slot(c->threads) * c->per_thread;
    double *lpn = L + c->B * K, *blk = lpn + c->B;
    mlc_gmm_stats *s = &c->pstats[q];
    mlc_gmm_stats_clear(s, g);
    size_t r1 = mlc_part_hi(&c->parts, q);
    for (size_t r0 = mlc_part_lo(&c->parts, q); r0 < r1; r0 += c->B) {
        size_t nb = r1 - r0 < c->B ? r1 - r0 : c->B;
        mlc_gmm_weighted_log_prob(g, c->d.X, r0, nb, L, blk);
        mlc_gmm_normalize(nb, K, L, lpn, 1);
        for (size_t i = 0; i < nb; i++)
            s->lpn_sum += lpn[i];
        mlc_gmm_stats_accumulate(s, g, c->d.X, r0, nb, L, c->shift, c->d.mean, blk);
    }
}

/* One E-step over all rows, reduced to the statistics of the M-step (shifts
 * = the current means). Returns mean(log_prob_norm). */
static double em_pass(gmm_ctx *c)
{
    const mlc_gmm_params *g = c->g;
    const size_t n = c->d.n;
    memcpy(c->shift, g->means, g->K * g->p * sizeof *c->shift);
    mlc_parallel_parts(c->threads, c->parts.count, em_part, c);
    combine(c);
    return c->total.lpn_sum / (double)n;
}

/* ------------------------------------------------------- initialisation */

/* acc[f] += x[f]: one accumulator per entry, so vector lanes over f give
 * the same sums as the scalar loop. */
MLC_HOT static void add_row(double *restrict acc, const double *restrict x, size_t p)
{
    for (size_t f = 0; f < p; f++)
        acc[f] += x[f];
}

/* s1 += x - m and s2 += (x - m)^2, entry by entry. */
MLC_HOT static void add_centred(double *restrict s1, double *restrict s2,
                                const double *restrict x, const double *restrict m, size_t p)
{
    for (size_t f = 0; f < p; f++) {
        double w = x[f] - m[f];
        s1[f] += w;
        s2[f] += w * w;
    }
}

/* The full covariance's sums of one row: (x - a)(x - m)^T (lower triangle)
 * and S1 += x - a, as mlc_gmm_stats; xm: scratch for x - m. */
MLC_HOT static void add_outer(double *restrict S2, const double *restrict x,
                              const double *restrict a, const double *restrict m,
                              double *restrict xm, size_t p)
{
    for (size_t h = 0; h < p; h++)
        xm[h] = x[h] - m[h];
    for (size_t f = 0; f < p; f++) {
        double v = x[f] - a[f], *row = S2 + f * (p + 1);
        for (size_t h = 0; h <= f; h++)
            row[h] += v * xm[h];
        row[p] += v;
    }
}

/* Parameters from one-hot responsibilities (labels[i] = component, -1 for
 * rows with none), computed in two passes: means, then the scatter about
 * them. Fails only when out of memory. */
static int hard_stats(gmm_ctx *c, const int32_t *labels)
{
    const mlc_gmm_params *g = c->g;
    const size_t K = g->K, p = g->p, n = c->d.n;
    mlc_gmm_stats *t = &c->total;
    mlc_gmm_stats_clear(t, g);
    for (size_t i = 0; i < n; i++) {
        if (labels[i] < 0)
            continue;
        t->R[labels[i]] += 1.0;
        add_row(t->SX + (size_t)labels[i] * p, mlc_matrix_row(c->d.X, i), p);
    }
    for (size_t k = 0; k < K; k++)
        for (size_t f = 0; f < p; f++)
            c->shift[k * p + f] = t->SX[k * p + f] / (t->R[k] + 10.0 * DBL_EPSILON);
    if (g->type == MLC_COV_TIED)
        return MLC_OK;
    double *xm = g->type == MLC_COV_FULL ? malloc(p * sizeof *xm) : NULL;
    if (g->type == MLC_COV_FULL && !xm)
        return mlc_raise_nomem("initial statistics");
    for (size_t i = 0; i < n; i++) {
        if (labels[i] < 0)
            continue;
        size_t k = (size_t)labels[i];
        const double *x = mlc_matrix_row(c->d.X, i);
        if (g->type == MLC_COV_FULL)
            add_outer(t->S2 + k * p * (p + 1), x, c->shift + k * p, c->d.mean, xm, p);
        else /* about the data mean, as mlc_gmm_stats */
            add_centred(t->S1 + k * p, t->S2 + k * p, x, c->d.mean, p);
    }
    free(xm);
    return MLC_OK;
}

/* Uniform random responsibilities, normalised per row (one pass, shifts =
 * the data mean, which every component's mean is close to). */
static void random_stats(gmm_ctx *c, mlc_rng *rng)
{
    const mlc_gmm_params *g = c->g;
    const size_t K = g->K, p = g->p, n = c->d.n;
    for (size_t k = 0; k < K; k++)
        memcpy(c->shift + k * p, c->d.mean, p * sizeof *c->shift);
    mlc_gmm_stats_clear(&c->total, g);
    double *R = c->scratch, *blk = R + c->B * K + c->B;
    for (size_t r0 = 0; r0 < n; r0 += c->B) {
        size_t nb = n - r0 < c->B ? n - r0 : c->B;
        for (size_t i = 0; i < nb; i++) {
            double s = 0.0;
            for (size_t k = 0; k < K; k++) {
                R[i * K + k] = mlc_rng_uniform(rng);
                s += R[i * K + k];
            }
            for (size_t k = 0; k < K; k++)
                R[i * K + k] /= s;
        }
        mlc_gmm_stats_accumulate(&c->total, g, c->d.X, r0, nb, R, c->shift, c->d.mean, blk);
    }
}

static int init_labels(gmm_ctx *c, mlc_rng *rng, int32_t *labels)
{
    const size_t K = c->g->K, n = c->d.n;
    int st = MLC_OK;
    if (c->p->init_params == MLC_GMM_INIT_KMEANS) {
        mlc_kmeans_params kp = mlc_kmeans_params_default();
        kp.n_clusters = (long)K;
        kp.n_init = 1;
        kp.n_threads = c->p->n_threads;
        mlc_kmeans *km;
        if ((st = mlc_kmeans_fit_rng(&kp, c->d.X, NULL, rng, &km)))
            return st;
        memcpy(labels, mlc_kmeans_labels(km), n * sizeof *labels);
        mlc_kmeans_free(km);
        return MLC_OK;
    }
    for (size_t i = 0; i < n; i++)
        labels[i] = -1;
    size_t *idx = malloc((c->p->init_params == MLC_GMM_INIT_KMEANS_PLUS_PLUS ? K : n) * sizeof *idx);
    if (!idx)
        st = mlc_raise_nomem("initial responsibilities");
    else if (c->p->init_params == MLC_GMM_INIT_KMEANS_PLUS_PLUS)
        st = mlc_kmeans_plusplus(c->d.X, K, rng, c->threads, NULL, idx);
    else /* random_from_data: rng.choice(n, K, replace=False) */
        mlc_rng_permutation(rng, idx, n);
    for (size_t k = 0; !st && k < K; k++)
        labels[idx[k]] = (int32_t)k;
    free(idx);
    return st;
}

/* scikit-learn's _initialize_parameters + _initialize. */
static int initialize(gmm_ctx *c, mlc_rng *rng)
{
    const mlc_gaussian_mixture_params *p = c->p;
    mlc_gmm_params *g = c->g;
    const size_t K = g->K, dim = g->p;
    int st = MLC_OK;
    /* With all three given, the responsibilities would be overwritten. */
    if (!(p->weights_init && p->means_init && p->precisions_init)) {
        if (p->init_params == MLC_GMM_INIT_RANDOM) {
            random_stats(c, rng);
        } else {
            int32_t *labels = malloc(c->d.n * sizeof *labels);
            if (!labels)
                return mlc_raise_nomem("initial labels");
            st = init_labels(c, rng, labels);
            if (!st)
                st = hard_stats(c, labels);
            free(labels);
            if (st)
                return st;
        }
        if ((st = mlc_gmm_mstep(g, &c->total, c->shift, &c->d, p->reg_covar, 1)))
            return st;
        if (!p->precisions_init && (st = mlc_gmm_precision_cholesky(g)))
            return st;
    }
    if (p->weights_init)
        for (size_t k = 0; k < K; k++)
            g->weights[k] = vec_at(p->weights_init, k);
    if (p->means_init)
        for (size_t k = 0; k < K; k++)
            for (size_t f = 0; f < dim; f++)
                g->means[k * dim + f] = MLC_AT(p->means_init, k, f);
    if (p->precisions_init && (st = mlc_gmm_from_precisions(g, p->precisions_init)))
        return st;
    mlc_gmm_derive(g);
    return MLC_OK;
}

/* ------------------------------------------------------------------ fit */

typedef struct gmm_outcome {
    double lower_bound;
    long n_iter;
    int converged;
} gmm_outcome;

/* EM from the current parameters; lb is the starting lower bound. */
static int em_run(gmm_ctx *c, double lb, gmm_outcome *o)
{
    long it;
    for (it = 1; it <= c->p->max_iter; it++) {
        double prev = lb;
        double lpn_mean = em_pass(c);
        int st = mlc_gmm_mstep(c->g, &c->total, c->shift, &c->d, c->p->reg_covar, 0);
        if (!st)
            st = mlc_gmm_precision_cholesky(c->g);
        if (st)
            return st;
        mlc_gmm_derive(c->g);
        lb = lpn_mean;
        if (fabs(lb - prev) < c->p->tol) {
            o->converged = 1;
            break;
        }
        double change = fabs(lb - prev); /* infinite after the first step */
        if (mlc_progress_tick(c->progress, it, c->p->max_iter, isfinite(change) ? change : NAN,
                              "change"))
            return MLC_EINTERRUPTED;
    }
    o->n_iter = it <= c->p->max_iter ? it : c->p->max_iter;
    o->lower_bound = lb;
    return MLC_OK;
}

/* Fit g on X: n_init runs from fresh starts, or (warm) one run from g with
 * starting bound lb0. The best parameters end in g. */
static int fit_params(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                      mlc_gmm_params *g, int warm, double lb0, mlc_progress_ctx *progress,
                      gmm_outcome *best)
{
    gmm_ctx c;
    int st = ctx_init(&c, p, X, g);
    if (st)
        return st;
    c.progress = progress;
    mlc_gmm_params keep;
    mlc_rng *rng = NULL;
    if ((st = mlc_gmm_params_alloc(&keep, g->type, g->K, g->p)) ||
        (st = mlc_rng_new(p->random_state, &rng))) {
        mlc_gmm_params_clear(&keep);
        ctx_clear(&c);
        return st;
    }
    long n_init = warm ? 1 : p->n_init;
    double max_lb = -INFINITY;
    best->converged = 0;
    best->n_iter = 0;
    for (long run = 0; run < n_init && !st; run++) {
        if (n_init > 1)
            mlc_progress_stage(progress, 0, "init", (size_t)run, (size_t)n_init);
        if (!warm && (st = initialize(&c, rng)))
            break;
        if (p->max_iter == 0) {
            mlc_gmm_params_copy(&keep, g);
            best->n_iter = 0;
            continue;
        }
        gmm_outcome o = {0.0, 0, 0};
        if ((st = em_run(&c, warm ? lb0 : -INFINITY, &o)))
            break;
        best->converged |= o.converged; /* scikit-learn never resets it between runs */
        if (o.lower_bound > max_lb || max_lb == -INFINITY) {
            max_lb = o.lower_bound;
            mlc_gmm_params_copy(&keep, g);
            best->n_iter = o.n_iter;
        }
    }
    if (!st) {
        mlc_gmm_params_copy(g, &keep);
        best->lower_bound = max_lb;
    }
    mlc_rng_free(rng);
    mlc_gmm_params_clear(&keep);
    ctx_clear(&c);
    return st;
}

static int fit_model(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                     mlc_progress_ctx *progress, mlc_gaussian_mixture **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_check_X(X, "X")) ||
        (st = check_params(p, X)))
        return st;
    mlc_gaussian_mixture *m;
    if ((st = mlc_gmm_model_alloc(p, X->cols, &m)))
        return st;
    gmm_outcome o;
    if ((st = fit_params(p, X, &m->g, 0, -INFINITY, progress, &o))) {
        mlc_gaussian_mixture_free(m);
        return st;
    }
    m->converged = o.converged;
    m->n_iter = o.n_iter;
    m->lower_bound = o.lower_bound;
    *out = m;
    return MLC_OK;
}

int mlc_gaussian_mixture_fit(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                             mlc_gaussian_mixture **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, fit_model(p, X, NULL, out));
}

int mlc_gmm_fit(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                mlc_progress_ctx *progress, mlc_gaussian_mixture **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, fit_model(p, X, progress, out));
}

static int refit_model(mlc_gaussian_mixture *m, const mlc_matrix *X)
{
    int st = mlc_check_ptr(m, "Gaussian mixture");
    if (st || (st = mlc_check_X(X, "X")) || (st = check_params(&m->params, X)))
        return st;
    if (X->cols != m->g.p)
        return mlc_raise(MLC_EBADLEN, "X has %zu columns but the gaussian_mixture model was fit on %zu",
                         X->cols, m->g.p);
    mlc_gmm_params g;
    if ((st = mlc_gmm_params_alloc(&g, m->g.type, m->g.K, m->g.p)))
        return st;
    mlc_gmm_params_copy(&g, &m->g);
    gmm_outcome o;
    int warm = m->params.warm_start != 0;
    if ((st = fit_params(&m->params, X, &g, warm, m->lower_bound, NULL, &o))) {
        mlc_gmm_params_clear(&g);
        return st;
    }
    mlc_gmm_params_copy(&m->g, &g);
    mlc_gmm_params_clear(&g);
    m->converged = o.converged;
    m->n_iter = o.n_iter;
    m->lower_bound = o.lower_bound;
    return MLC_OK;
}

int mlc_gaussian_mixture_refit(mlc_gaussian_mixture *m, const mlc_matrix *X)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, refit_model(m, X));
}

/* ---------------------------------------------------------- evaluation */

enum { EVAL_PREDICT, EVAL_FIT_PREDICT, EVAL_PROBA, EVAL_SCORE_SAMPLES };

typedef struct eval_ctx {
    const mlc_gmm_params *g;
    const mlc_matrix *X;
    mlc_parts parts;
    int threads;
    size_t B, per;
    double *scratch;
    int mode;
    void *out;
} eval_ctx;

static void evaluate_part(void *ctx, size_t q)
{
    const eval_ctx *e = ctx;
    const mlc_gmm_params *g = e->g;
    const mlc_matrix *X = e->X;
    const size_t K = g->K, B = e->B;
    const int mode = e->mode;
    void *out = e->out;
    double *L = e->scratch + scratch_slot(e->threads) * e->per, *lpn = L + B * K;
    double *blk = lpn + B;
    size_t r1 = mlc_part_hi(&e->parts, q);
    for (size_t r0 = mlc_part_lo(&e->parts, q); r0 < r1; r0 += B) {
        size_t nb = r1 - r0 < B ? r1 - r0 : B;
        mlc_gmm_weighted_log_prob(g, X, r0, nb, L, blk);
        if (mode != EVAL_PREDICT)
            mlc_gmm_normalize(nb, K, L, lpn, 0);
        for (size_t i = 0; i < nb; i++) {
            const double *l = L + i * K;
            if (mode == EVAL_SCORE_SAMPLES) {
                ((double *)out)[r0 + i] = lpn[i];
            } else if (mode == EVAL_PROBA) {
                double *pr = mlc_matrix_row((const mlc_matrix *)out, r0 + i);
                for (size_t k = 0; k < K; k++)
                    pr[k] = exp(l[k] - lpn[i]);
            } else {
                /* argmax of the weighted log probabilities (predict) or
                 * of the log responsibilities (fit_predict) */
                double shift = mode == EVAL_FIT_PREDICT ? lpn[i] : 0.0;
                size_t best = 0;
                double bv = l[0] - shift;
                for (size_t k = 1; k < K; k++)
                    if (l[k] - shift > bv) {
                        bv = l[k] - shift;
                        best = k;
                    }
                ((int32_t *)out)[r0 + i] = (int32_t)best;
            }
        }
    }
}

/* Block-wise evaluation of X under the model. out: labels (int32_t *),
 * probabilities (mlc_matrix *) or log-likelihoods (double *). */
static int evaluate(const mlc_gaussian_mixture *m, const mlc_matrix *X, int mode, void *out)
{
    int st = mlc_check_ptr(m, "Gaussian mixture");
    if (st || (st = mlc_check_X_predict(X, m->g.p, "gaussian_mixture")) ||
        (st = mlc_check_ptr(out, "output")))
        return st;
    if (mode == EVAL_PROBA && (st = mlc_check_out(out, X->rows, m->g.K, "predict_proba")))
        return st;
    const mlc_gmm_params *g = &m->g;
    const size_t K = g->K, n = X->rows;
    mlc_parts parts = mlc_parts_with_scratch(n, 1);
    double work = (double)n * (double)K * (double)g->p * (double)(g->p + 2);
    int threads = mlc_threads_for(m->params.n_threads, parts.count, work, MLC_PARALLEL_MIN_WORK);
    size_t B = mlc_gmm_block_rows(g);
    size_t per = B * K + B + mlc_gmm_block_scratch(g, B);
    double *scratch = malloc((size_t)threads * per * sizeof *scratch);
    if (!scratch)
        return mlc_raise_nomem("Gaussian mixture scratch");
    mlc_blas_set_threads(1);
    eval_ctx e = {g, X, parts, threads, B, per, scratch, mode, out};
    mlc_parallel_parts(threads, parts.count, evaluate_part, &e);
    free(scratch);
    return MLC_OK;
}

static int fit_and_label(const mlc_gaussian_mixture_params *p, const mlc_matrix *X, int32_t *labels,
                         mlc_gaussian_mixture **out)
{
    int st = mlc_check_ptr(labels, "labels output");
    if (st)
        return st;
    if (out)
        *out = NULL;
    mlc_gaussian_mixture *m;
    if ((st = fit_model(p, X, NULL, &m)))
        return st;
    st = evaluate(m, X, EVAL_FIT_PREDICT, labels);
    if (st || !out)
        mlc_gaussian_mixture_free(m);
    else
        *out = m;
    return st;
}

int mlc_gaussian_mixture_fit_predict(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                                     int32_t *labels, mlc_gaussian_mixture **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, fit_and_label(p, X, labels, out));
}

int mlc_gaussian_mixture_predict(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                 int32_t *labels)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, evaluate(m, X, EVAL_PREDICT, labels));
}

int mlc_gaussian_mixture_predict_proba(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                       mlc_matrix *proba)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, evaluate(m, X, EVAL_PROBA, proba));
}

int mlc_gaussian_mixture_score_samples(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                       double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, evaluate(m, X, EVAL_SCORE_SAMPLES, out));
}

static int mean_log_likelihood(const mlc_gaussian_mixture *m, const mlc_matrix *X, double *score)
{
    int st = mlc_check_ptr(score, "score output");
    if (st || (st = mlc_check_ptr(m, "Gaussian mixture")) ||
        (st = mlc_check_X_predict(X, m->g.p, "gaussian_mixture")))
        return st;
    double *ll = malloc(X->rows * sizeof *ll);
    if (!ll)
        return mlc_raise_nomem("log-likelihoods");
    if (!(st = evaluate(m, X, EVAL_SCORE_SAMPLES, ll))) {
        double s = 0.0;
        for (size_t i = 0; i < X->rows; i++)
            s += ll[i];
        *score = s / (double)X->rows;
    }
    free(ll);
    return st;
}

int mlc_gaussian_mixture_score(const mlc_gaussian_mixture *m, const mlc_matrix *X, double *score)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mean_log_likelihood(m, X, score));
}

static double n_parameters(const mlc_gaussian_mixture *m)
{
    double K = (double)m->g.K, p = (double)m->g.p, cov;
    switch (m->g.type) {
    case MLC_COV_FULL: cov = K * p * (p + 1) / 2.0; break;
    case MLC_COV_TIED: cov = p * (p + 1) / 2.0; break;
    case MLC_COV_DIAG: cov = K * p; break;
    default: cov = K; break;
    }
    return floor(cov + p * K + K - 1);
}

int mlc_gaussian_mixture_bic(const mlc_gaussian_mixture *m, const mlc_matrix *X, double *bic)
{
    double s;
    int st = mlc_check_ptr(bic, "bic output");
    if (st || (st = mlc_gaussian_mixture_score(m, X, &s)))
        return st;
    *bic = -2.0 * s * (double)X->rows + n_parameters(m) * log((double)X->rows);
    return MLC_OK;
}

int mlc_gaussian_mixture_aic(const mlc_gaussian_mixture *m, const mlc_matrix *X, double *aic)
{
    double s;
    int st = mlc_check_ptr(aic, "aic output");
    if (st || (st = mlc_gaussian_mixture_score(m, X, &s)))
        return st;
    *aic = -2.0 * s * (double)X->rows + 2.0 * n_parameters(m);
    return MLC_OK;
}

static int draw_samples(const mlc_gaussian_mixture *m, size_t n_samples, mlc_matrix *X,
                        int32_t *labels)
{
    int st = mlc_check_ptr(m, "Gaussian mixture");
    if (st)
        return st;
    if (n_samples < 1)
        return mlc_raise(MLC_EINVAL, "n_samples must be >= 1, got %zu", n_samples);
    const mlc_gmm_params *g = &m->g;
    const size_t K = g->K, p = g->p;
    if ((st = mlc_check_out(X, n_samples, p, "sample")))
        return st;
    size_t *counts = calloc(K, sizeof *counts);
    double *L = malloc((g->type == MLC_COV_FULL ? K : 1) * p * p * sizeof *L);
    double *z = malloc(p * sizeof *z);
    mlc_rng *rng = NULL;
    if (!counts || !L || !z)
        st = mlc_raise_nomem("sampling scratch");
    else
        st = mlc_rng_new(m->params.random_state, &rng);
    /* lower Cholesky factors of the covariances for full / tied */
    size_t nf = g->type == MLC_COV_FULL ? K : g->type == MLC_COV_TIED ? 1 : 0;
    for (size_t c = 0; !st && c < nf; c++) {
        double *Lc = L + c * p * p;
        for (size_t f = 0; f < p; f++)
            for (size_t h = 0; h < p; h++)
                Lc[f * p + h] = h <= f ? g->cov[c * p * p + f * p + h] : 0.0;
        if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)p, Lc, (lapack_int)p) != 0)
            st = mlc_raise(MLC_ESING, "covariance %zu is not positive definite", c);
    }
    if (!st) {
        /* component counts: a multinomial draw */
        for (size_t i = 0; i < n_samples; i++) {
            double u = mlc_rng_uniform(rng), cum = 0.0;
            size_t k = 0;
            for (; k + 1 < K; k++) {
                cum += g->weights[k];
                if (u < cum)
                    break;
            }
            counts[k]++;
        }
        size_t row = 0;
        for (size_t k = 0; k < K; k++)
            for (size_t j = 0; j < counts[k]; j++, row++) {
                double *x = mlc_matrix_row(X, row);
                const double *mu = g->means + k * p;
                for (size_t f = 0; f < p; f++)
                    z[f] = mlc_rng_normal(rng);
                for (size_t f = 0; f < p; f++) {
                    double v;
                    if (nf) {
                        const double *Lc = L + (g->type == MLC_COV_FULL ? k : 0) * p * p + f * p;
                        v = 0.0;
                        for (size_t h = 0; h <= f; h++)
                            v += Lc[h] * z[h];
                    } else {
                        double var = g->type == MLC_COV_DIAG ? g->cov[k * p + f] : g->cov[k];
                        v = z[f] * sqrt(var);
                    }
                    x[f] = mu[f] + v;
                }
                if (labels)
                    labels[row] = (int32_t)k;
            }
    }
    mlc_rng_free(rng);
    free(counts);
    free(L);
    free(z);
    return st;
}

int mlc_gaussian_mixture_sample(const mlc_gaussian_mixture *m, size_t n_samples, mlc_matrix *X,
                                int32_t *labels)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, draw_samples(m, n_samples, X, labels));
}

/* -------------------------------------------------------------- getters */

size_t mlc_gaussian_mixture_n_components(const mlc_gaussian_mixture *m)
{
    return m ? m->g.K : 0;
}
size_t mlc_gaussian_mixture_n_features(const mlc_gaussian_mixture *m)
{
    return m ? m->g.p : 0;
}
int mlc_gaussian_mixture_covariance_type(const mlc_gaussian_mixture *m)
{
    return m ? m->g.type : -1;
}
size_t mlc_gaussian_mixture_covariance_size(const mlc_gaussian_mixture *m)
{
    return m ? m->g.csize : 0;
}
const double *mlc_gaussian_mixture_weights(const mlc_gaussian_mixture *m)
{
    return m ? m->g.weights : NULL;
}
const double *mlc_gaussian_mixture_means(const mlc_gaussian_mixture *m)
{
    return m ? m->g.means : NULL;
}
const double *mlc_gaussian_mixture_covariances(const mlc_gaussian_mixture *m)
{
    return m ? m->g.cov : NULL;
}
const double *mlc_gaussian_mixture_precisions(const mlc_gaussian_mixture *m)
{
    return m ? m->g.prec : NULL;
}
const double *mlc_gaussian_mixture_precisions_cholesky(const mlc_gaussian_mixture *m)
{
    return m ? m->g.prec_chol : NULL;
}
int mlc_gaussian_mixture_converged(const mlc_gaussian_mixture *m)
{
    return m ? m->converged : 0;
}
int64_t mlc_gaussian_mixture_n_iter(const mlc_gaussian_mixture *m)
{
    return m ? (int64_t)m->n_iter : 0;
}
double mlc_gaussian_mixture_lower_bound(const mlc_gaussian_mixture *m)
{
    return m ? m->lower_bound : NAN;
}
