/* The distances that complete and average linkage update in place: the
 * condensed matrix (scipy's pdist layout: the upper triangle row by row). */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/mem.h"
#include "internal/parallel.h"
#include "internal/sqdist.h"

/* The machine's memory in bytes (0 when unknown). */
static double physical_bytes(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page : 0.0;
}

/* Row i's distances to the rows after it, into out[0 .. n - 1 - i).
 * Euclidean: from T, X feature by feature (feature f of row j at
 * T[f * n + j]), each pair summed over the features in order as scipy's
 * pdist sums it, in vector lanes across the rows, then the roots. */
static void condensed_row(const mlc_matrix *X, int metric, const double *T, const double *norms,
                          size_t i, double *out)
{
    size_t n = X->rows, d = X->cols;
    const double *x = mlc_matrix_row(X, i);
    if (metric == HC_EUCLIDEAN) {
        mlc_sqdist_columns(T + i + 1, n, d, x, n - i - 1, out);
        mlc_sqrt_inplace(out, n - i - 1);
        return;
    }
    for (size_t j = i + 1; j < n; j++) {
        const double *y = mlc_matrix_row(X, j);
        double v;
        if (metric == HC_MANHATTAN) {
            v = 0.0;
            for (size_t f = 0; f < d; f++)
                v += fabs(x[f] - y[f]);
        } else if (metric == HC_COSINE) {
            double dot = 0.0;
            for (size_t f = 0; f < d; f++)
                dot += x[f] * y[f];
            double c = dot / (norms[i] * norms[j]);
            if (fabs(c) > 1.0)
                c = c > 0 ? 1.0 : -1.0;
            v = 1.0 - c;
        } else {
            v = x[j]; /* the precomputed matrix's upper triangle */
        }
        out[j - i - 1] = v;
    }
}

void hc_feature_major(const mlc_matrix *X, size_t first, size_t m, size_t ld, double *T)
{
    for (size_t f = 0; f < X->cols; f++)
        for (size_t k = 0; k < m; k++)
            T[f * ld + k] = mlc_matrix_row(X, first + k)[f];
}

void hc_row_nearest(const double *v, size_t m, size_t first, double *dist, size_t *at)
{
    double min = INFINITY;
    size_t where = SIZE_MAX;
    for (size_t k = 0; k < m; k++)
        if (v[k] < min) {
            min = v[k];
            where = first + k;
        }
    *dist = min;
    *at = where;
}

/* Bytes of the matrix entered in one call (see hc_distances). */
#define ENTER_STRETCH ((size_t)16 << 20)

int hc_distances(const mlc_matrix *X, int metric, int n_threads, double **D,
                 double *near_dist, size_t *near_at)
{
    size_t n = X->rows, bytes = hc_condensed_bytes(n);
    double have = physical_bytes();
    double count = (double)n * (double)(n - 1) / 2;
    if (bytes == 0 || (have > 0 && (double)bytes > have))
        return mlc_raise(MLC_ENOMEM,
                         "the condensed distance matrix of %zu rows holds %.0f distances "
                         "(%.3g GB) and does not fit in this machine's %.3g GB; ward and "
                         "single linkage need no matrix",
                         n, count, count * 8 / 1e9, have / 1e9);
    /* Ordinary pages: their TLB misses down a column (the linkage's
     * updates) cost less than faulting in fresh huge pages (internal/mem.h). */
    double *out = mlc_aligned_alloc_small_pages(bytes / sizeof(double), sizeof(double));
    if (!out)
        return mlc_raise(MLC_ENOMEM,
                         "cannot allocate the condensed distance matrix of %zu rows "
                         "(%.0f distances, %.3g GB)",
                         n, count, count * 8 / 1e9);
    double *norms = NULL, *T = NULL;
    if (metric == HC_EUCLIDEAN) {
        T = mlc_aligned_alloc(n * X->cols, sizeof *T);
        if (!T) {
            mlc_aligned_free(out);
            return mlc_raise_nomem("the rows feature by feature");
        }
        hc_feature_major(X, 0, n, n, T);
    }
    if (metric == HC_COSINE) {
        norms = malloc(n * sizeof *norms);
        if (!norms) {
            mlc_aligned_free(out);
            return mlc_raise_nomem("the rows' norms");
        }
        for (size_t i = 0; i < n; i++) {
            const double *x = mlc_matrix_row(X, i);
            double q = 0.0;
            for (size_t f = 0; f < X->cols; f++)
                q += x[f] * x[f];
            norms[i] = sqrt(q);
        }
    }
    double work = count * (metric == HC_PRECOMPUTED ? 1.0 : (double)X->cols);
    int threads = mlc_threads_for(n_threads, n, work, 2e5);
    /* The matrix's pages entered first, in large stretches split over the
     * threads, rather than a fault per page as the rows are written: a
     * fifth of a one-thread complete-linkage fit at 10 000 rows went to
     * those faults (mlc_enter_pages says what a stretch saves). */
    size_t total = bytes;
    size_t stretches = (total + ENTER_STRETCH - 1) / ENTER_STRETCH;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (size_t k = 0; k < stretches; k++)
        mlc_enter_pages((char *)out + k * ENTER_STRETCH,
                        k + 1 < stretches ? ENTER_STRETCH : total - k * ENTER_STRETCH);
    /* rows shrink along the triangle: small dynamic chunks balance them;
     * every entry is computed alone, so the split does not change a bit */
#pragma omp parallel for schedule(dynamic, 16) num_threads(threads) if (threads > 1)
    for (size_t i = 0; i < n - 1; i++) {
        double *row = out + hc_condensed_row(n, i) + i + 1;
        condensed_row(X, metric, T, norms, i, row);
        if (near_dist) /* while the row is in this core's cache */
            hc_row_nearest(row, n - 1 - i, i + 1, &near_dist[i], &near_at[i]);
    }
    if (near_dist) {
        near_dist[n - 1] = INFINITY;
        near_at[n - 1] = SIZE_MAX;
    }
    free(norms);
    mlc_aligned_free(T);
    *D = out;
    return MLC_OK;
}
