/* Silhouette coefficients (Euclidean), as scikit-learn's silhouette_samples
 * defines them but without its n x chunk distance matrix:
 *
 *  - samples are ordered by cluster (stable), so each cluster's columns are
 *    one contiguous range and a per-cluster distance sum is a plain sum;
 *  - distances come in tiles, each one GEMM plus the clamped expansion
 *    sqrt(max(-2 x.y + |x|^2 + |y|^2, 0)) with self-distances 0, as
 *    scikit-learn's euclidean_distances;
 *  - with few clusters the pair engine computes each pair of tiles once
 *    (lib/metrics/silhouette_pairs.c); otherwise the row-block engine
 *    (lib/metrics/silhouette_blocks.c) keeps only per-block sums.
 *
 * Both engines give results that do not depend on the thread count. Extra
 * memory is O(n) (times the number of clusters for the pair engine, which is
 * used only when that is at most PAIR_MAX_CLUSTERS) plus one tile per thread. */
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/hot.h"
#include "internal/error.h"
#include "silhouette.h"
#include "metrics_util.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/linalg.h"
#include "mlcore/metrics.h"
#include "mlcore/threads.h"

#define PAIR_MAX_CLUSTERS 32

int mlc_silhouette_samples(const mlc_matrix *X, const int32_t *labels, int n_threads,
                           double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope,
                                  mlc_sil_samples_simd(X, labels, n_threads, mlc_cpu_level(), out));
}

int mlc_sil_samples_simd(const mlc_matrix *X, const int32_t *labels, int n_threads, int simd,
                         double *out)
{
    int st = mlc_check_X(X, "X");
    if (st)
        return st;
    if (!labels || !out)
        return mlc_raise(MLC_EINVAL, "labels and the output must not be NULL");
    if ((st = mlc_check_threads(n_threads, NULL)))
        return st;
    size_t n = X->rows, d = X->cols;
    if (n > (size_t)INT32_MAX || d > (size_t)INT32_MAX || X->stride > (size_t)INT32_MAX)
        return mlc_raise(MLC_ERANGE, "X is too large (%zu x %zu) for BLAS int sizes", n, d);
    int32_t *code = malloc(n * sizeof *code), *classes = NULL;
    size_t *perm = malloc(n * sizeof *perm), *where = malloc(n * sizeof *where);
    double *sq = malloc(n * sizeof *sq);
    size_t *start = NULL, *fill = NULL, k = 0;
    if (!code || !perm || !where || !sq) {
        st = mlc_raise_nomem("silhouette buffers");
        goto done;
    }
    if ((st = mlc_encode_int_labels(labels, n, &classes, &k, code)))
        goto done;
    if (k < 2 || k > n - 1) {
        st = mlc_raise(MLC_EINVAL, "number of labels is %zu; valid values are 2 to n_samples - 1 "
                                   "(%zu) inclusive",
                       k, n - 1);
        goto done;
    }
    start = calloc(k + 1, sizeof *start);
    fill = malloc(k * sizeof *fill);
    if (!start || !fill) {
        st = mlc_raise_nomem("silhouette buffers");
        goto done;
    }
    /* Counting sort by cluster (stable: index order within a cluster). */
    for (size_t i = 0; i < n; i++)
        start[code[i] + 1]++;
    for (size_t c = 0; c < k; c++)
        start[c + 1] += start[c];
    memcpy(fill, start, k * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        size_t pos = fill[code[i]]++;
        perm[pos] = i;
        where[i] = pos;
    }
    mlc_row_sq_norms(X, sq);
    mlc_sil_plan plan = {X, n, d, k, code, perm, start, where, sq, simd};
    int threads = mlc_resolve_threads(n_threads);
    if (n < 512)
        threads = 1; /* small inputs stay serial */
    if (threads == 1)
        mlc_blas_set_threads(1); /* the tiles are small GEMMs */
    st = k <= PAIR_MAX_CLUSTERS ? mlc_sil_run_pairs(&plan, threads, out)
                                : mlc_sil_run_blocks(&plan, threads, out);
done:
    free(code);
    free(classes);
    free(perm);
    free(where);
    free(sq);
    free(start);
    free(fill);
    return st;
}

int mlc_silhouette_score(const mlc_matrix *X, const int32_t *labels, int n_threads,
                         double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    size_t n = X ? X->rows : 0;
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return mlc_raise_nomem("silhouette values");
    int st = mlc_silhouette_samples(X, labels, n_threads, s);
    if (!st)
        *out = mlc_sum_pairwise(s, n) / (double)n;
    free(s);
    return st;
}
