/* Synthetic data sets: make_blobs, make_regression, make_classification with
 * scikit-learn 1.2's parameters, defaults and distributions (not numpy's
 * random stream). Parameter ranges are those of scikit-learn's later
 * parameter validation (n_informative >= 1, 0 <= flip_y <= 1, class_sep > 0,
 * ...); 1.2 accepts some of these and then fails or misbehaves.
 *
 * Where a shuffle cannot change the distribution it is done in the cheapest
 * equivalent way (labels shuffled before the rows are drawn, coefficients
 * placed at random columns); make_classification, whose rows and columns are
 * not exchangeable, permutes its matrix in place. Nothing is allocated per
 * sample, so 1,000,000 x 100 costs one pass of random draws. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/dataset.h"
#include "mlcore/rng.h"
#include "mlcore/threads.h"

/* Above this many multiply-adds a BLAS call may use every core. */
#define BIG_BLAS_WORK 50000000.0

mlc_blobs_params mlc_blobs_params_default(void)
{
    mlc_blobs_params p = {0};
    p.n_samples = 100;
    p.n_features = 2;
    p.centers = 3;
    p.center_coords = NULL;
    p.cluster_std = 1.0;
    p.center_box_lo = -10.0;
    p.center_box_hi = 10.0;
    p.shuffle = 1;
    p.random_state = -1;
    return p;
}

mlc_regression_params mlc_regression_params_default(void)
{
    mlc_regression_params p = {0};
    p.n_samples = 100;
    p.n_features = 100;
    p.n_informative = 10;
    p.bias = 0.0;
    p.effective_rank = 0;
    p.tail_strength = 0.5;
    p.noise = 0.0;
    p.shuffle = 1;
    p.random_state = -1;
    return p;
}

mlc_classification_params mlc_classification_params_default(void)
{
    mlc_classification_params p = {0};
    p.n_samples = 100;
    p.n_features = 20;
    p.n_informative = 2;
    p.n_redundant = 2;
    p.n_repeated = 0;
    p.n_classes = 2;
    p.n_clusters_per_class = 2;
    p.weights = NULL;
    p.n_weights = 0;
    p.flip_y = 0.01;
    p.class_sep = 1.0;
    p.hypercube = 1;
    p.shift = 0.0;
    p.scale = 1.0;
    p.shift_random = 0;
    p.scale_random = 0;
    p.shuffle = 1;
    p.random_state = -1;
    return p;
}

/* ---- shared helpers ---------------------------------------------------- */

/* An empty data set of n x p with y and feature names "x0", "x1", ... */
static int dataset_new(mlc_dataset *out, size_t n, size_t p, const char *name)
{
    int st = mlc_matrix_alloc(&out->X, n, p);
    if (st)
        return st;
    out->y = malloc(n * sizeof *out->y);
    out->feature_names = calloc(p, sizeof *out->feature_names);
    out->name = strdup(name);
    if (!out->y || !out->feature_names || !out->name)
        return mlc_raise_nomem("a generated data set");
    for (size_t j = 0; j < p; j++) {
        char buf[32];
        snprintf(buf, sizeof buf, "x%zu", j);
        if (!(out->feature_names[j] = strdup(buf)))
            return mlc_raise_nomem("feature names");
    }
    return MLC_OK;
}

static void fill_normal(mlc_rng *rng, double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = mlc_rng_normal(rng);
}

/* Uniform on [-1, 1), scikit-learn's `2 * uniform() - 1`. */
static void fill_signed_uniform(mlc_rng *rng, double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = 2.0 * mlc_rng_uniform(rng) - 1.0;
}

static void shuffle_doubles(mlc_rng *rng, double *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = mlc_rng_index(rng, i);
        double t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static void big_blas(double work)
{
    if (work > BIG_BLAS_WORK)
        mlc_blas_set_threads(mlc_resolve_threads(0));
}

static int lapack_status(int info, const char *what)
{
    if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
        return mlc_raise_nomem(what);
    return mlc_raise(MLC_EINVAL, "%s failed (LAPACK info %d)", what, info);
}

/* ---- make_blobs -------------------------------------------------------- */

static int check_blobs(const mlc_blobs_params *p, const mlc_dataset *out, size_t *k, size_t *d)
{
    int st;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_check_ptr(out, "output data set")))
        return st;
    if (p->n_samples < 1)
        return mlc_raise(MLC_EINVAL, "n_samples must be >= 1, got %zu", p->n_samples);
    if (p->center_coords) {
        if ((st = mlc_check_X(p->center_coords, "center_coords")))
            return st;
        *k = p->center_coords->rows;
        *d = p->center_coords->cols;
    } else {
        if (p->centers < 1)
            return mlc_raise(MLC_EINVAL, "centers must be >= 1, got %zu", p->centers);
        if (p->n_features < 1)
            return mlc_raise(MLC_EINVAL, "n_features must be >= 1, got %zu", p->n_features);
        if (!isfinite(p->center_box_lo) || !isfinite(p->center_box_hi))
            return mlc_raise(MLC_ENONFINITE, "center_box must be finite, got (%g, %g)",
                             p->center_box_lo, p->center_box_hi);
        if (p->center_box_lo > p->center_box_hi)
            return mlc_raise(MLC_EINVAL, "center_box (%g, %g) must have low <= high",
                             p->center_box_lo, p->center_box_hi);
        *k = p->centers;
        *d = p->n_features;
    }
    if (!isfinite(p->cluster_std))
        return mlc_raise(MLC_ENONFINITE, "cluster_std must be finite, got %g", p->cluster_std);
    if (p->cluster_std < 0)
        return mlc_raise(MLC_EINVAL, "cluster_std must be >= 0, got %g", p->cluster_std);
    return MLC_OK;
}

static void blobs_fill(const mlc_blobs_params *p, size_t k, size_t d, mlc_rng *rng,
                       double *centres, mlc_dataset *out)
{
    size_t n = p->n_samples;
    if (p->center_coords) {
        for (size_t c = 0; c < k; c++)
            memcpy(centres + c * d, mlc_matrix_row(p->center_coords, c), d * sizeof *centres);
    } else {
        for (size_t i = 0; i < k * d; i++)
            centres[i] = mlc_rng_uniform_range(rng, p->center_box_lo, p->center_box_hi);
    }
    /* floor(n / k) per centre, the first n mod k get one more. */
    size_t row = 0;
    for (size_t c = 0; c < k; c++) {
        size_t count = n / k + (c < n % k ? 1 : 0);
        for (size_t i = 0; i < count; i++)
            out->y[row++] = (double)c;
    }
    /* The rows are i.i.d. given their label, so shuffling the labels first is
     * the same distribution as scikit-learn's shuffle of the finished rows. */
    if (p->shuffle)
        shuffle_doubles(rng, out->y, n);
    for (size_t i = 0; i < n; i++) {
        const double *c = centres + (size_t)out->y[i] * d;
        double *x = mlc_matrix_row(&out->X, i);
        for (size_t j = 0; j < d; j++)
            x[j] = c[j] + p->cluster_std * mlc_rng_normal(rng);
    }
}

int mlc_make_blobs(const mlc_blobs_params *p, mlc_dataset *out, mlc_matrix *centers_out)
{
    size_t k = 0, d = 0;
    if (out)
        memset(out, 0, sizeof *out);
    int st = check_blobs(p, out, &k, &d);
    if (st)
        return st;
    if (centers_out && (st = mlc_check_out(centers_out, k, d, "centers_out")))
        return st;
    if (k > SIZE_MAX / sizeof(double) / d)
        return mlc_raise(MLC_ENOMEM, "%zu centres of %zu features are too many", k, d);
    double *centres = malloc(k * d * sizeof *centres);
    mlc_rng *rng = NULL;
    if (!centres)
        return mlc_raise_nomem("blob centres");
    if (!(st = mlc_rng_new(p->random_state, &rng)) &&
        !(st = dataset_new(out, p->n_samples, d, "make_blobs")))
        blobs_fill(p, k, d, rng, centres, out);
    if (!st && centers_out)
        for (size_t c = 0; c < k; c++)
            memcpy(mlc_matrix_row(centers_out, c), centres + c * d, d * sizeof *centres);
    mlc_rng_free(rng);
    free(centres);
    if (st)
        mlc_dataset_clear(out);
    return st;
}

/* ---- make_regression --------------------------------------------------- */

/* Orthonormal columns: Q of the thin QR of a (rows x cols) Gaussian matrix,
 * rows >= cols, in place in `a`. The entries are i.i.d., so the matrix is
 * drawn straight in LAPACK's column-major order (leading dimension rows)
 * and LAPACK needs no transposed copy. */
static int random_orthonormal(mlc_rng *rng, double *a, size_t rows, size_t cols, double *tau)
{
    fill_normal(rng, a, rows * cols);
    big_blas(4.0 * (double)rows * (double)cols * (double)cols);
    int info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)rows, (lapack_int)cols, a,
                              (lapack_int)rows, tau);
    if (info)
        return lapack_status(info, "QR of a random matrix");
    info = LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)rows, (lapack_int)cols, (lapack_int)cols,
                          a, (lapack_int)rows, tau);
    if (info)
        return lapack_status(info, "forming Q of a random matrix");
    return MLC_OK;
}

/* scikit-learn's make_low_rank_matrix: U diag(s) V^T with U, V the Q factors
 * of Gaussian matrices and the bell-shaped profile plus a fat tail
 * s_i = (1 - t) exp(-(i / r)^2) + t exp(-0.1 i / r). */
static int low_rank_matrix(mlc_rng *rng, size_t rank, double tail, mlc_matrix *X)
{
    size_t n = X->rows, p = X->cols, k = n < p ? n : p;
    if ((n > SIZE_MAX / sizeof(double) / k) || (p > SIZE_MAX / sizeof(double) / k))
        return mlc_raise(MLC_ENOMEM, "a low-rank matrix of %zu x %zu is too large", n, p);
    double *u = malloc(n * k * sizeof *u); /* column-major n x k */
    double *v = malloc(p * k * sizeof *v); /* column-major p x k */
    double *tau = malloc(k * sizeof *tau);
    int st = MLC_OK;
    if (!u || !v || !tau)
        st = mlc_raise_nomem("a low-rank matrix");
    if (!st)
        st = random_orthonormal(rng, u, n, k, tau);
    if (!st)
        st = random_orthonormal(rng, v, p, k, tau);
    if (!st) {
        /* V diag(s): column i of v is contiguous. */
        for (size_t i = 0; i < k; i++) {
            double t = (double)i / (double)rank;
            double s = (1.0 - tail) * exp(-1.0 * t * t) + tail * exp(-0.1 * (double)i /
                                                                  (double)rank);
            for (size_t r = 0; r < p; r++)
                v[i * p + r] *= s;
        }
        /* As row-major arrays u is U^T (k x n) and v is (V diag(s))^T (k x p):
         * X = U (V diag(s))^T = u^T v. */
        big_blas((double)n * (double)p * (double)k);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)p, (int)k, 1.0, u,
                    (int)n, v, (int)p, 0.0, X->data, (int)X->stride);
    }
    free(u);
    free(v);
    free(tau);
    return st;
}

static int check_regression(const mlc_regression_params *p, const mlc_dataset *out)
{
    int st;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_check_ptr(out, "output data set")))
        return st;
    if (p->n_samples < 1)
        return mlc_raise(MLC_EINVAL, "n_samples must be >= 1, got %zu", p->n_samples);
    if (p->n_features < 1)
        return mlc_raise(MLC_EINVAL, "n_features must be >= 1, got %zu", p->n_features);
    if (!isfinite(p->bias))
        return mlc_raise(MLC_ENONFINITE, "bias must be finite, got %g", p->bias);
    if (!isfinite(p->noise))
        return mlc_raise(MLC_ENONFINITE, "noise must be finite, got %g", p->noise);
    if (p->noise < 0)
        return mlc_raise(MLC_EINVAL, "noise must be >= 0, got %g", p->noise);
    if (p->effective_rank > 0 && !(p->tail_strength >= 0 && p->tail_strength <= 1))
        return mlc_raise(MLC_EINVAL, "tail_strength must be in [0, 1], got %g",
                         p->tail_strength);
    if (p->effective_rank > 0 && (p->n_samples > INT32_MAX || p->n_features > INT32_MAX))
        return mlc_raise(MLC_ERANGE, "effective_rank needs n_samples and n_features < 2^31");
    return MLC_OK;
}

/* y = X coef + bias summed over the non-zero coefficients in column order,
 * which is bit-for-bit the full dot product in column order (the other terms
 * are exact zeros). */
static void regression_targets(const mlc_matrix *X, const double *coef, size_t *nz, double bias,
                               double *y)
{
    size_t m = 0;
    for (size_t j = 0; j < X->cols; j++)
        if (coef[j] != 0.0)
            nz[m++] = j;
    for (size_t i = 0; i < X->rows; i++) {
        const double *x = mlc_matrix_row(X, i);
        double s = 0.0;
        for (size_t t = 0; t < m; t++)
            s += x[nz[t]] * coef[nz[t]];
        y[i] = s + bias;
    }
}

static int make_regression(const mlc_regression_params *p, mlc_dataset *out, double *coef_out)
{
    if (out)
        memset(out, 0, sizeof *out);
    int st = check_regression(p, out);
    if (st)
        return st;
    size_t n = p->n_samples, d = p->n_features;
    /* scikit-learn clips n_informative to n_features. */
    size_t n_inf = p->n_informative < d ? p->n_informative : d;
    mlc_rng *rng = NULL;
    double *truth = malloc(d * sizeof *truth);
    double *coef = malloc(d * sizeof *coef);
    size_t *idx = malloc(d * sizeof *idx);
    if (!truth || !coef || !idx) {
        st = mlc_raise_nomem("regression coefficients");
        goto done;
    }
    if ((st = mlc_rng_new(p->random_state, &rng)) ||
        (st = dataset_new(out, n, d, "make_regression")))
        goto done;
    if (p->effective_rank > 0)
        st = low_rank_matrix(rng, p->effective_rank, p->tail_strength, &out->X);
    else
        fill_normal(rng, out->X.data, n * d);
    if (st)
        goto done;
    for (size_t j = 0; j < d; j++)
        truth[j] = j < n_inf ? 100.0 * mlc_rng_uniform(rng) : 0.0;
    /* scikit-learn shuffles the rows, then permutes the columns of X together
     * with the coefficients. The rows are exchangeable (i.i.d., or rows of
     * U diag(s) V^T with U from the QR of a Gaussian matrix), and so are the
     * columns, independently of the coefficients: drawing X as it is and
     * putting the coefficients at permuted positions, coef = truth[perm], gives
     * the same joint distribution without moving X. */
    if (p->shuffle) {
        mlc_rng_permutation(rng, idx, d);
        for (size_t j = 0; j < d; j++)
            coef[j] = truth[idx[j]];
    } else {
        memcpy(coef, truth, d * sizeof *coef);
    }
    regression_targets(&out->X, coef, idx, p->bias, out->y);
    if (p->noise > 0)
        for (size_t i = 0; i < n; i++)
            out->y[i] += p->noise * mlc_rng_normal(rng);
    if (coef_out)
        memcpy(coef_out, coef, d * sizeof *coef);
done:
    mlc_rng_free(rng);
    free(truth);
    free(coef);
    free(idx);
    if (st && out)
        mlc_dataset_clear(out);
    return st;
}

int mlc_make_regression(const mlc_regression_params *p, mlc_dataset *out, double *coef_out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, make_regression(p, out, coef_out));
}

/* ---- make_classification ----------------------------------------------- */

static int check_classification(const mlc_classification_params *p, const mlc_dataset *out)
{
    int st;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_check_ptr(out, "output data set")))
        return st;
    size_t d = p->n_features;
    if (p->n_samples < 1)
        return mlc_raise(MLC_EINVAL, "n_samples must be >= 1, got %zu", p->n_samples);
    if (d < 1)
        return mlc_raise(MLC_EINVAL, "n_features must be >= 1, got %zu", d);
    if (p->n_samples > INT32_MAX || d > INT32_MAX)
        return mlc_raise(MLC_ERANGE, "n_samples and n_features must be < 2^31");
    if (p->n_informative < 1)
        return mlc_raise(MLC_EINVAL, "n_informative must be >= 1, got %zu", p->n_informative);
    if (p->n_informative > d || p->n_redundant > d - p->n_informative ||
        p->n_repeated > d - p->n_informative - p->n_redundant)
        return mlc_raise(MLC_EINVAL,
                         "n_informative (%zu) + n_redundant (%zu) + n_repeated (%zu) must be "
                         "<= n_features (%zu)",
                         p->n_informative, p->n_redundant, p->n_repeated, d);
    if (p->n_classes < 1)
        return mlc_raise(MLC_EINVAL, "n_classes must be >= 1, got %zu", p->n_classes);
    if (p->n_clusters_per_class < 1)
        return mlc_raise(MLC_EINVAL, "n_clusters_per_class must be >= 1, got %zu",
                         p->n_clusters_per_class);
    size_t k = p->n_classes, c = p->n_clusters_per_class, bits = p->n_informative;
    if (k > SIZE_MAX / c || (bits < 64 && k * c > ((uint64_t)1 << bits)))
        return mlc_raise(MLC_EINVAL,
                         "n_classes (%zu) * n_clusters_per_class (%zu) must be <= "
                         "2^n_informative (2^%zu)",
                         k, c, bits);
    /* The vertices come from 2^30 distinct values at most, as in scikit-learn. */
    if (k * c > ((size_t)1 << 30))
        return mlc_raise(MLC_EINVAL,
                         "n_classes (%zu) * n_clusters_per_class (%zu) must be <= 2^30", k, c);
    if (!(p->flip_y >= 0 && p->flip_y <= 1))
        return mlc_raise(MLC_EINVAL, "flip_y must be in [0, 1], got %g", p->flip_y);
    if (!isfinite(p->class_sep) || !(p->class_sep > 0))
        return mlc_raise(MLC_EINVAL, "class_sep must be finite and > 0, got %g", p->class_sep);
    if (!p->shift_random && !isfinite(p->shift))
        return mlc_raise(MLC_ENONFINITE, "shift must be finite, got %g", p->shift);
    if (!p->scale_random && (!isfinite(p->scale) || !(p->scale > 0)))
        return mlc_raise(MLC_EINVAL, "scale must be finite and > 0, got %g", p->scale);
    return MLC_OK;
}

/* The class weights (n_classes values): given, completed with 1 - sum, or
 * balanced. Their sum may be below 1 (the rest of the samples is dealt out
 * round-robin, as scikit-learn does) but not above. */
static int class_weights(const mlc_classification_params *p, double *w)
{
    size_t k = p->n_classes;
    if (!p->weights) {
        for (size_t c = 0; c < k; c++)
            w[c] = 1.0 / (double)k;
        return MLC_OK;
    }
    size_t m = p->n_weights ? p->n_weights : k;
    if (m != k && m != k - 1)
        return mlc_raise(MLC_EBADLEN,
                         "weights has %zu values; n_classes (%zu) or n_classes - 1 are allowed",
                         m, k);
    double sum = 0.0;
    for (size_t c = 0; c < m; c++) {
        if (!isfinite(p->weights[c]))
            return mlc_raise(MLC_ENONFINITE, "weights[%zu] is not finite", c);
        if (p->weights[c] < 0)
            return mlc_raise(MLC_EINVAL, "weights[%zu] = %g is negative", c, p->weights[c]);
        w[c] = p->weights[c];
        sum += w[c];
    }
    if (sum > 1.0 + 1e-9)
        return mlc_raise(MLC_EINVAL, "weights sum to %.17g; the sum must be <= 1", sum);
    if (m == k - 1)
        w[k - 1] = sum < 1.0 ? 1.0 - sum : 0.0;
    return MLC_OK;
}

/* Samples per cluster: floor(n w_class / clusters_per_class), the remainder
 * one at a time round-robin over the clusters; cluster j has class j mod K. */
static int cluster_sizes(const mlc_classification_params *p, const double *w, size_t *counts)
{
    size_t n = p->n_samples, k = p->n_classes, c = p->n_clusters_per_class, m = k * c;
    size_t total = 0;
    for (size_t j = 0; j < m; j++) {
        counts[j] = (size_t)((double)n * w[j % k] / (double)c);
        total += counts[j];
    }
    if (total > n)
        return mlc_raise(MLC_EINVAL, "weights ask for %zu samples, more than n_samples (%zu)",
                         total, n);
    for (size_t i = 0; i < n - total; i++)
        counts[i % m]++;
    return MLC_OK;
}

/* k distinct integers of [0, N), in random order. */
static int sample_distinct(mlc_rng *rng, size_t N, size_t k, uint32_t *out)
{
    if (2 * k > N) { /* dense: partial Fisher-Yates over all N values */
        uint32_t *all = malloc(N * sizeof *all);
        if (!all)
            return mlc_raise_nomem("hypercube vertices");
        for (size_t i = 0; i < N; i++)
            all[i] = (uint32_t)i;
        for (size_t i = 0; i < k; i++) {
            size_t j = i + mlc_rng_index(rng, N - i);
            uint32_t t = all[i];
            all[i] = all[j];
            all[j] = t;
            out[i] = all[i];
        }
        free(all);
        return MLC_OK;
    }
    /* sparse: rejection against an open-addressing set (values < 2^30, so
     * UINT32_MAX marks an empty slot); at most half the values are taken, so
     * a draw is accepted with probability >= 1/2. */
    size_t cap = 16;
    while (cap < 2 * k)
        cap *= 2;
    uint32_t *set = malloc(cap * sizeof *set);
    if (!set)
        return mlc_raise_nomem("hypercube vertices");
    memset(set, 0xff, cap * sizeof *set);
    for (size_t i = 0; i < k;) {
        uint32_t x = (uint32_t)mlc_rng_index(rng, N);
        size_t h = ((size_t)x * 2654435761u) & (cap - 1);
        while (set[h] != UINT32_MAX && set[h] != x)
            h = (h + 1) & (cap - 1);
        if (set[h] == x)
            continue;
        set[h] = x;
        out[i++] = x;
    }
    free(set);
    return MLC_OK;
}

/* Distinct vertices of {-class_sep, +class_sep}^dims, one row per cluster;
 * past 30 dimensions the leading ones are free random bits (as scikit-learn's
 * _generate_hypercube). hypercube = 0 multiplies them by random factors per
 * cluster and per dimension. */
static int centroids_init(const mlc_classification_params *p, mlc_rng *rng, size_t m,
                          double *cent)
{
    size_t dims = p->n_informative, low = dims < 30 ? dims : 30, high = dims - low;
    uint32_t *v = malloc(m * sizeof *v);
    if (!v)
        return mlc_raise_nomem("hypercube vertices");
    int st = sample_distinct(rng, (size_t)1 << low, m, v);
    if (!st) {
        double sep = p->class_sep;
        for (size_t i = 0; i < m; i++) {
            double *c = cent + i * dims;
            for (size_t j = 0; j < high; j++)
                c[j] = (double)mlc_rng_index(rng, 2);
            for (size_t b = 0; b < low; b++)
                c[high + b] = (double)((v[i] >> (low - 1 - b)) & 1u);
            for (size_t j = 0; j < dims; j++)
                c[j] = c[j] * (2 * sep) - sep;
        }
        if (!p->hypercube) {
            for (size_t i = 0; i < m; i++) {
                double f = mlc_rng_uniform(rng);
                for (size_t j = 0; j < dims; j++)
                    cent[i * dims + j] *= f;
            }
            for (size_t j = 0; j < dims; j++) {
                double f = mlc_rng_uniform(rng);
                for (size_t i = 0; i < m; i++)
                    cent[i * dims + j] *= f;
            }
        }
    }
    free(v);
    return st;
}

/* X = X[rperm][:, cperm] and y = y[rperm] in place, following the cycles of
 * the row permutation with one spare row. */
static int shuffle_rows_and_columns(mlc_rng *rng, mlc_matrix *X, double *y)
{
    size_t n = X->rows, d = X->cols;
    size_t *rperm = malloc(n * sizeof *rperm), *cperm = malloc(d * sizeof *cperm);
    double *spare = malloc(d * sizeof *spare);
    unsigned char *done = calloc(n, 1);
    int st = MLC_OK;
    if (!rperm || !cperm || !spare || !done) {
        st = mlc_raise_nomem("shuffle indices");
        goto out;
    }
    mlc_rng_permutation(rng, rperm, n);
    mlc_rng_permutation(rng, cperm, d);
    for (size_t s = 0; s < n; s++) {
        if (done[s])
            continue;
        memcpy(spare, mlc_matrix_row(X, s), d * sizeof *spare);
        double ys = y[s];
        for (size_t j = s;;) {
            size_t k = rperm[j];
            const double *src = k == s ? spare : mlc_matrix_row(X, k);
            double *dst = mlc_matrix_row(X, j);
            for (size_t c = 0; c < d; c++)
                dst[c] = src[cperm[c]];
            y[j] = k == s ? ys : y[k];
            done[j] = 1;
            if (k == s)
                break;
            j = k;
        }
    }
out:
    free(rperm);
    free(cperm);
    free(spare);
    free(done);
    return st;
}

/* Scratch for make_classification, sized once. */
typedef struct class_work {
    double *w;        /* n_classes weights */
    size_t *counts;   /* samples per cluster */
    double *cent;     /* clusters x n_informative centroids */
    double *z;        /* n x n_informative normals, then the informative block */
    double *a;        /* n_informative x max(n_informative, n_redundant) */
    double *vec;      /* n_features: shift, then scale */
} class_work;

static void class_work_clear(class_work *w)
{
    free(w->w);
    free(w->counts);
    free(w->cent);
    free(w->z);
    free(w->a);
    free(w->vec);
}

static int class_work_alloc(const mlc_classification_params *p, class_work *w)
{
    size_t n = p->n_samples, inf = p->n_informative, m = p->n_classes * p->n_clusters_per_class;
    size_t acols = inf > p->n_redundant ? inf : p->n_redundant;
    memset(w, 0, sizeof *w);
    if (m > SIZE_MAX / sizeof(double) / inf || n > SIZE_MAX / sizeof(double) / inf ||
        acols > SIZE_MAX / sizeof(double) / inf)
        return mlc_raise(MLC_ENOMEM, "make_classification: the problem is too large");
    w->w = malloc(p->n_classes * sizeof *w->w);
    w->counts = malloc(m * sizeof *w->counts);
    w->cent = malloc(m * inf * sizeof *w->cent);
    w->z = malloc(n * inf * sizeof *w->z);
    w->a = malloc(inf * acols * sizeof *w->a);
    w->vec = malloc(p->n_features * sizeof *w->vec);
    if (!w->w || !w->counts || !w->cent || !w->z || !w->a || !w->vec)
        return mlc_raise_nomem("make_classification scratch");
    return MLC_OK;
}

/* Informative columns: per cluster, normals times a random A ~ U(-1, 1)^(inf x inf)
 * plus the centroid; y = cluster mod n_classes. */
static void informative_block(const mlc_classification_params *p, mlc_rng *rng, class_work *w,
                              mlc_matrix *X, double *y)
{
    size_t n = X->rows, inf = p->n_informative, m = p->n_classes * p->n_clusters_per_class;
    fill_normal(rng, w->z, n * inf);
    big_blas((double)n * (double)inf * (double)inf);
    size_t row = 0;
    for (size_t k = 0; k < m; k++) {
        size_t cnt = w->counts[k];
        fill_signed_uniform(rng, w->a, inf * inf);
        if (cnt == 0)
            continue;
        double *xk = mlc_matrix_row(X, row);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)cnt, (int)inf, (int)inf, 1.0,
                    w->z + row * inf, (int)inf, w->a, (int)inf, 0.0, xk, (int)X->stride);
        const double *c = w->cent + k * inf;
        for (size_t i = 0; i < cnt; i++) {
            double *x = xk + i * X->stride;
            for (size_t j = 0; j < inf; j++)
                x[j] += c[j];
            y[row + i] = (double)(k % p->n_classes);
        }
        row += cnt;
    }
}

/* Redundant (informative x B), repeated (copies of earlier columns) and
 * useless (normal) columns. */
static void other_columns(const mlc_classification_params *p, mlc_rng *rng, class_work *w,
                          mlc_matrix *X)
{
    size_t n = X->rows, d = X->cols, inf = p->n_informative, red = p->n_redundant;
    size_t base = inf + red, rep = p->n_repeated, useless = d - base - rep;
    if (red > 0) {
        fill_signed_uniform(rng, w->a, inf * red);
        /* Copy the informative block out so BLAS never reads and writes one buffer. */
        for (size_t i = 0; i < n; i++)
            memcpy(w->z + i * inf, mlc_matrix_row(X, i), inf * sizeof *w->z);
        big_blas((double)n * (double)inf * (double)red);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)red, (int)inf, 1.0,
                    w->z, (int)inf, w->a, (int)red, 0.0, X->data + inf, (int)X->stride);
    }
    for (size_t r = 0; r < rep; r++) {
        size_t src = (size_t)((double)(base - 1) * mlc_rng_uniform(rng) + 0.5);
        for (size_t i = 0; i < n; i++)
            MLC_AT(X, i, base + r) = MLC_AT(X, i, src);
    }
    if (useless > 0)
        for (size_t i = 0; i < n; i++)
            fill_normal(rng, mlc_matrix_row(X, i) + (d - useless), useless);
}

/* Label noise, then X = (X + shift) * scale per feature. */
static void flip_shift_scale(const mlc_classification_params *p, mlc_rng *rng, class_work *w,
                             mlc_matrix *X, double *y)
{
    size_t n = X->rows, d = X->cols;
    if (p->flip_y > 0)
        for (size_t i = 0; i < n; i++)
            if (mlc_rng_uniform(rng) < p->flip_y)
                y[i] = (double)mlc_rng_index(rng, p->n_classes);
    if (p->shift_random || p->shift != 0.0) {
        for (size_t j = 0; j < d; j++)
            w->vec[j] = p->shift_random ? (2.0 * mlc_rng_uniform(rng) - 1.0) * p->class_sep
                                        : p->shift;
        for (size_t i = 0; i < n; i++) {
            double *x = mlc_matrix_row(X, i);
            for (size_t j = 0; j < d; j++)
                x[j] += w->vec[j];
        }
    }
    if (p->scale_random || p->scale != 1.0) {
        for (size_t j = 0; j < d; j++)
            w->vec[j] = p->scale_random ? 1.0 + 100.0 * mlc_rng_uniform(rng) : p->scale;
        for (size_t i = 0; i < n; i++) {
            double *x = mlc_matrix_row(X, i);
            for (size_t j = 0; j < d; j++)
                x[j] *= w->vec[j];
        }
    }
}

static int make_classification(const mlc_classification_params *p, mlc_dataset *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    int st = check_classification(p, out);
    if (st)
        return st;
    size_t m = p->n_classes * p->n_clusters_per_class;
    class_work w;
    mlc_rng *rng = NULL;
    if ((st = class_work_alloc(p, &w)) || (st = class_weights(p, w.w)) ||
        (st = cluster_sizes(p, w.w, w.counts)) || (st = mlc_rng_new(p->random_state, &rng)) ||
        (st = dataset_new(out, p->n_samples, p->n_features, "make_classification")) ||
        (st = centroids_init(p, rng, m, w.cent)))
        goto done;
    informative_block(p, rng, &w, &out->X, out->y);
    other_columns(p, rng, &w, &out->X);
    flip_shift_scale(p, rng, &w, &out->X, out->y);
    if (p->shuffle)
        st = shuffle_rows_and_columns(rng, &out->X, out->y);
done:
    mlc_rng_free(rng);
    class_work_clear(&w);
    if (st)
        mlc_dataset_clear(out);
    return st;
}

int mlc_make_classification(const mlc_classification_params *p, mlc_dataset *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, make_classification(p, out));
}
