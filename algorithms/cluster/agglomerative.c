/* AgglomerativeClustering: validation, the tree builder each linkage takes,
 * the cut and the fitted model (scikit-learn 1.2's
 * AgglomerativeClustering.fit without connectivity; docs/PARITY.md §9). The
 * parameters and their defaults: agglomerative_registry.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "agglomerative_model.h"
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/mem.h"
#include "internal/validate.h"

void mlc_agglomerative_clustering_free(mlc_agglomerative_clustering *m)
{
    if (!m)
        return;
    free(m->labels);
    free(m->children);
    free(m->Z);
    free(m->distances);
    free(m);
}

int mlc_agglo_keeps_distances(const mlc_agglomerative_clustering_params *p)
{
    return p->compute_distances || p->distance_threshold >= 0;
}

int mlc_agglo_model_alloc(const mlc_agglomerative_clustering_params *p, size_t n,
                          int with_distances, mlc_agglomerative_clustering **out)
{
    mlc_agglomerative_clustering *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("an agglomerative clustering model");
    m->params = *p;
    m->n = n;
    m->n_leaves = (int64_t)n;
    m->n_children = n - 1;
    m->n_components = 1;
    m->labels = malloc(n * sizeof *m->labels);
    m->children = malloc(2 * (n - 1) * sizeof *m->children);
    m->Z = malloc(4 * (n - 1) * sizeof *m->Z);
    m->distances = with_distances ? malloc((n - 1) * sizeof *m->distances) : NULL;
    if (!m->labels || !m->children || !m->Z || (with_distances && !m->distances)) {
        mlc_agglomerative_clustering_free(m);
        return mlc_raise_nomem("an agglomerative clustering model");
    }
    *out = m;
    return MLC_OK;
}

int mlc_agglo_check_params(const mlc_agglomerative_clustering_params *p)
{
    if (p->linkage < MLC_AGGLOMERATIVE_WARD || p->linkage > MLC_AGGLOMERATIVE_SINGLE)
        return mlc_raise(MLC_EINVAL, "linkage must be ward, complete, average or single (%d)",
                         p->linkage);
    if (p->metric < MLC_AGGLOMERATIVE_EUCLIDEAN || p->metric > MLC_AGGLOMERATIVE_PRECOMPUTED)
        return mlc_raise(MLC_EINVAL,
                         "metric must be euclidean, manhattan, cosine or precomputed (%d)",
                         p->metric);
    if (p->compute_full_tree < MLC_AGGLOMERATIVE_FULL_TREE_AUTO ||
        p->compute_full_tree > MLC_AGGLOMERATIVE_FULL_TREE_FALSE)
        return mlc_raise(MLC_EINVAL, "compute_full_tree must be auto, true or false (%d)",
                         p->compute_full_tree);
    int has_k = p->n_clusters != MLC_AGGLOMERATIVE_N_CLUSTERS_NONE;
    int has_t = !(p->distance_threshold < 0); /* NaN counts as given, and is refused */
    if (has_k == has_t)
        return mlc_raise(MLC_EINVAL,
                         "exactly one of n_clusters and distance_threshold has to be set "
                         "(the other none): n_clusters=%ld, distance_threshold=%s",
                         p->n_clusters, has_t ? "given" : "none");
    if (has_k && p->n_clusters < 1)
        return mlc_raise(MLC_EINVAL, "n_clusters must be >= 1, got %ld", p->n_clusters);
    if (has_t && !isfinite(p->distance_threshold))
        return mlc_raise(MLC_EINVAL, "distance_threshold must be a finite number >= 0, got %g",
                         p->distance_threshold);
    if (p->n_neighbors < 0)
        return mlc_raise(MLC_EINVAL, "n_neighbors must be >= 1 (or none), got %ld",
                         p->n_neighbors);
    if (has_t && p->compute_full_tree == MLC_AGGLOMERATIVE_FULL_TREE_FALSE)
        return mlc_raise(MLC_EINVAL, "compute_full_tree must be true (or auto) when "
                                     "distance_threshold is set");
    if (p->linkage == MLC_AGGLOMERATIVE_WARD && p->metric != MLC_AGGLOMERATIVE_EUCLIDEAN)
        return mlc_raise(MLC_EINVAL, "ward linkage works only with the euclidean metric, got "
                                     "metric %s",
                         p->metric == MLC_AGGLOMERATIVE_MANHATTAN ? "manhattan"
                         : p->metric == MLC_AGGLOMERATIVE_COSINE  ? "cosine"
                                                                  : "precomputed");
    return MLC_OK;
}

/* A precomputed matrix: square, symmetric, no negative distance (its
 * values already known to be finite). */
static int check_precomputed(const mlc_matrix *P)
{
    size_t n = P->rows;
    for (size_t i = 0; i < n; i++) {
        const double *row = mlc_matrix_row(P, i);
        for (size_t j = i; j < n; j++) {
            double a = row[j], b = mlc_matrix_row(P, j)[i];
            if (a < 0 || b < 0)
                return mlc_raise(MLC_EINVAL,
                                 "a precomputed distance matrix has no negative entries, but "
                                 "[%zu, %zu] = %g",
                                 a < 0 ? i : j, a < 0 ? j : i, a < 0 ? a : b);
            if (fabs(a - b) > 1e-10 * fmax(a, b))
                return mlc_raise(MLC_EINVAL,
                                 "a precomputed distance matrix must be symmetric, but [%zu, "
                                 "%zu] = %.17g and [%zu, %zu] = %.17g",
                                 i, j, a, j, i, b);
        }
    }
    return MLC_OK;
}

/* Cosine distances are undefined for a zero row (scikit-learn's message). */
static int check_cosine(const mlc_matrix *X)
{
    for (size_t i = 0; i < X->rows; i++) {
        const double *x = mlc_matrix_row(X, i);
        size_t f = 0;
        while (f < X->cols && x[f] == 0)
            f++;
        if (f == X->cols)
            return mlc_raise(MLC_EINVAL, "cosine affinity cannot be used when X contains zero "
                                         "vectors (row %zu)",
                             i);
    }
    return MLC_OK;
}

static int check_input(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X)
{
    int st = mlc_check_X_shape(X, "X");
    if (st)
        return st;
    size_t n = X->rows;
    if (n < 2)
        return mlc_raise(MLC_EINVAL, "agglomerative clustering needs at least 2 samples, got %zu",
                         n);
    if (p->n_clusters > 0 && (size_t)p->n_clusters > n)
        return mlc_raise(MLC_EINVAL, "cannot extract more clusters than samples: n_clusters=%ld "
                                     "for %zu samples",
                         p->n_clusters, n);
    if (p->n_neighbors > 0 && (size_t)p->n_neighbors >= n)
        return mlc_raise(MLC_EINVAL, "n_neighbors=%ld must be below the number of samples (%zu)",
                         p->n_neighbors, n);
    if (p->metric == MLC_AGGLOMERATIVE_PRECOMPUTED && X->cols != n)
        return mlc_raise(MLC_EBADLEN, "a precomputed distance matrix must be square, got %zu x %zu",
                         n, X->cols);
    /* the matrix's size is known from the shape: refused before X is read */
    int condensed = p->n_neighbors <= 0 && (p->linkage == MLC_AGGLOMERATIVE_COMPLETE ||
                                            p->linkage == MLC_AGGLOMERATIVE_AVERAGE);
    if (condensed && hc_condensed_bytes(n) == 0)
        return mlc_raise(MLC_ENOMEM, "the condensed distance matrix of %zu rows does not fit in "
                                     "the address space",
                         n);
    if ((st = mlc_check_threads_max(p->n_threads, NULL)) ||
        (st = mlc_check_X_mt(X, "X", p->n_threads)))
        return st;
    if (p->metric == MLC_AGGLOMERATIVE_PRECOMPUTED)
        return check_precomputed(X);
    if (p->metric == MLC_AGGLOMERATIVE_COSINE)
        return check_cosine(X);
    return MLC_OK;
}

/* Rows from which complete and average linkage take Müllner's generic
 * algorithm (hc_generic.c) on a matrix built with the rows in locality
 * order (hc_locality_order): the chain's searches and the update's reads
 * down a column then miss the core's caches (at 2 000 rows of blobs the
 * order alone takes 10 % off the fit, at 10 000 rows 8 %; the generic
 * algorithm a further 20-40 %). Below, scipy's own chain on the rows as
 * they come: its tree to the letter, even where distances tie. */
#define GENERIC_MIN_ROWS 1024

/* Complete or average linkage: the condensed matrix, then the chain or
 * the generic algorithm; the merges in X's row numbers. */
static int matrix_tree(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X,
                       mlc_progress_ctx *progress, hc_merge *merges)
{
    size_t n = X->rows;
    int generic = n >= GENERIC_MIN_ROWS;
    double *D = NULL, *near_dist = NULL;
    size_t *near_at = NULL, *perm = NULL;
    int st = MLC_OK;
    if (generic) {
        near_dist = malloc(n * sizeof *near_dist);
        near_at = malloc(n * sizeof *near_at);
        if (!near_dist || !near_at)
            st = mlc_raise_nomem("the rows' nearest rows");
    }
    mlc_matrix ordered = {0};
    const mlc_matrix *rows = X;
    if (!st && generic && p->metric != MLC_AGGLOMERATIVE_PRECOMPUTED) {
        perm = malloc(n * sizeof *perm);
        st = perm ? hc_locality_order(X, perm) : mlc_raise_nomem("the rows' order");
        if (!st)
            st = mlc_matrix_alloc(&ordered, n, X->cols);
        for (size_t i = 0; !st && i < n; i++)
            memcpy(mlc_matrix_row(&ordered, i), mlc_matrix_row(X, perm[i]),
                   X->cols * sizeof(double));
        rows = &ordered;
    }
    if (!st)
        st = hc_distances(rows, p->metric, p->n_threads, &D, near_dist, near_at);
    if (!st)
        st = generic ? hc_generic_linkage(D, n, near_dist, near_at, p->linkage, p->n_threads,
                                          progress, merges)
                     : hc_nn_chain(D, n, p->linkage, p->n_threads, progress, merges);
    for (size_t t = 0; !st && perm && t + 1 < n; t++) {
        merges[t].a = perm[merges[t].a];
        merges[t].b = perm[merges[t].b];
    }
    mlc_aligned_free(D);
    mlc_matrix_clear(&ordered);
    free(near_dist);
    free(near_at);
    free(perm);
    return st;
}

/* The merges of the linkage, in the order its algorithm finds them. */
static int build_tree(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X,
                      mlc_progress_ctx *progress, hc_merge *merges)
{
    switch (p->linkage) {
    case MLC_AGGLOMERATIVE_WARD: return hc_ward_vectors(X, p->n_threads, progress, merges);
    case MLC_AGGLOMERATIVE_SINGLE:
        return p->metric == MLC_AGGLOMERATIVE_PRECOMPUTED
                   ? hc_prim_square(X, p->n_threads, progress, merges)
                   : hc_prim_vectors(X, p->metric, p->n_threads, progress, merges);
    default: return matrix_tree(p, X, progress, merges);
    }
}

int mlc_agglo_cut(mlc_agglomerative_clustering *m)
{
    size_t n = m->n;
    if (m->params.distance_threshold >= 0) {
        /* every merge below the threshold is kept */
        size_t above = 0;
        for (size_t t = 0; t + 1 < n; t++)
            above += m->Z[4 * t + 2] >= m->params.distance_threshold;
        m->n_clusters = (int64_t)above + 1;
    } else {
        m->n_clusters = m->params.n_clusters;
    }
    return hc_cut(m->children, n, (size_t)m->n_clusters, m->labels);
}

int mlc_agglomerative_clustering_fit(const mlc_agglomerative_clustering_params *p,
                                     const mlc_matrix *X, mlc_agglomerative_clustering **out)
{
    return mlc_agglo_fit(p, X, NULL, out);
}

/* The whole tree without connectivity: the linkage's builder, then sorted
 * and relabelled as scipy does. */
static int unstructured_tree(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X,
                             mlc_progress_ctx *progress, mlc_agglomerative_clustering *m)
{
    size_t n = X->rows;
    hc_merge *merges = malloc((n - 1) * sizeof *merges);
    int st = merges ? build_tree(p, X, progress, merges) : mlc_raise_nomem("the merges");
    for (size_t t = 0; !st && t + 1 < n; t++)
        if (!isfinite(merges[t].height))
            st = mlc_raise(MLC_ERANGE, "merge %zu has height %g: the distances overflow (values "
                                       "too large for double precision)",
                           t, merges[t].height);
    /* scikit-learn's own single linkage (euclidean, manhattan) keeps the
     * order of its edge within a row; scipy's linkage puts the smaller id first */
    int sklearn_order = p->linkage == MLC_AGGLOMERATIVE_SINGLE &&
                        (p->metric == MLC_AGGLOMERATIVE_EUCLIDEAN ||
                         p->metric == MLC_AGGLOMERATIVE_MANHATTAN);
    if (!st)
        st = hc_label(merges, n, sklearn_order, m->children, m->Z);
    free(merges);
    return st;
}

/* Whether scikit-learn builds the whole tree under connectivity: always with
 * a distance_threshold or compute_full_tree true; with auto while n_clusters
 * < max(100, 0.02 n) (its heuristic). */
static int full_tree(const mlc_agglomerative_clustering_params *p, size_t n)
{
    if (p->distance_threshold >= 0 || p->compute_full_tree == MLC_AGGLOMERATIVE_FULL_TREE_TRUE)
        return 1;
    if (p->compute_full_tree == MLC_AGGLOMERATIVE_FULL_TREE_FALSE)
        return 0;
    return (double)p->n_clusters < fmax(100.0, 0.02 * (double)n);
}

/* ward_tree or linkage_tree on the k-nearest-neighbour graph: the merges as
 * scikit-learn writes them; Z from them with the clusters' sizes (smaller
 * id first). A partial tree labels the clusters by their roots' order after
 * the first n - n_clusters merges, as scikit-learn's hc_get_heads +
 * searchsorted, and exposes those merges (single linkage: all of them, as
 * scikit-learn's spanning tree gives them). */
static int structured_tree(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X,
                           mlc_progress_ctx *progress, mlc_agglomerative_clustering *m,
                           int *labelled)
{
    size_t n = X->rows, n_comp = 0;
    hc_graph g;
    double *height = malloc((n - 1) * sizeof *height);
    size_t *parent = malloc((2 * n - 1) * sizeof *parent);
    double *size = malloc((2 * n - 1) * sizeof *size);
    int st = height && parent && size ? MLC_OK : mlc_raise_nomem("the ward tree");
    if (!st)
        st = hc_knn_graph(X, (size_t)p->n_neighbors, p->metric, p->n_threads, &g, &n_comp);
    if (!st) {
        st = p->linkage == MLC_AGGLOMERATIVE_WARD
                 ? hc_ward_graph(X, &g, progress, m->children, height, parent)
                 : hc_linkage_graph(X, p->metric, p->linkage, &g, progress, m->children, height,
                                    parent);
        hc_graph_clear(&g);
    }
    for (size_t t = 0; !st && t + 1 < n; t++)
        if (!isfinite(height[t]))
            st = mlc_raise(MLC_ERANGE, "merge %zu has height %g: the distances overflow (values "
                                       "too large for double precision)",
                           t, height[t]);
    for (size_t i = 0; !st && i < 2 * n - 1; i++)
        size[i] = i < n ? 1.0 : size[m->children[2 * (i - n)]] + size[m->children[2 * (i - n) + 1]];
    for (size_t t = 0; !st && t + 1 < n; t++) {
        int64_t a = m->children[2 * t], b = m->children[2 * t + 1];
        m->Z[4 * t] = (double)(a < b ? a : b);
        m->Z[4 * t + 1] = (double)(a < b ? b : a);
        m->Z[4 * t + 2] = height[t];
        m->Z[4 * t + 3] = size[n + t];
    }
    m->n_components = (int64_t)n_comp;
    if (!st && !full_tree(&m->params, n)) {
        /* the roots after the first n - K merges, numbered in id order */
        size_t K = (size_t)p->n_clusters, last = 2 * n - K; /* nodes below `last` exist */
        m->n_children = p->linkage == MLC_AGGLOMERATIVE_SINGLE ? n - 1 : n - K;
        int32_t *rank = (int32_t *)size; /* reused: the roots' numbers */
        for (size_t v = 0; v < last; v++)
            rank[v] = -1;
        for (size_t i = 0; i < n; i++) {
            size_t r = i;
            while (parent[r] != r && parent[r] < last)
                r = parent[r];
            rank[r] = 0;
            m->labels[i] = (int32_t)r; /* the root's id for now */
        }
        int32_t next = 0;
        for (size_t v = 0; v < last; v++)
            if (rank[v] == 0)
                rank[v] = next++;
        for (size_t i = 0; i < n; i++)
            m->labels[i] = rank[m->labels[i]];
        m->n_clusters = (int64_t)K;
        *labelled = 1;
    }
    free(height);
    free(parent);
    free(size);
    return st;
}

int mlc_agglo_fit(const mlc_agglomerative_clustering_params *p, const mlc_matrix *X,
                  mlc_progress_ctx *progress, mlc_agglomerative_clustering **out)
{
    int st;
    if ((st = mlc_check_ptr(out, "out")))
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_agglo_check_params(p)) ||
        (st = check_input(p, X)))
        return st;
    size_t n = X->rows;
    mlc_agglomerative_clustering *m = NULL;
    if ((st = mlc_agglo_model_alloc(p, n, mlc_agglo_keeps_distances(p), &m)))
        return st;
    int labelled = 0;
    st = p->n_neighbors > 0 ? structured_tree(p, X, progress, m, &labelled)
                            : unstructured_tree(p, X, progress, m);
    if (!st && m->distances)
        for (size_t t = 0; t < m->n_children; t++)
            m->distances[t] = m->Z[4 * t + 2];
    if (!st && !labelled)
        st = mlc_agglo_cut(m);
    if (st) {
        mlc_agglomerative_clustering_free(m);
        return st;
    }
    *out = m;
    return MLC_OK;
}

int mlc_agglomerative_clustering_fit_predict(const mlc_agglomerative_clustering_params *p,
                                             const mlc_matrix *X, int32_t *labels,
                                             mlc_agglomerative_clustering **out)
{
    int st;
    if (out)
        *out = NULL;
    if ((st = mlc_check_ptr(labels, "labels")))
        return st;
    mlc_agglomerative_clustering *m = NULL;
    if ((st = mlc_agglomerative_clustering_fit(p, X, &m)))
        return st;
    memcpy(labels, m->labels, m->n * sizeof *labels);
    if (out)
        *out = m;
    else
        mlc_agglomerative_clustering_free(m);
    return MLC_OK;
}

size_t mlc_agglomerative_clustering_n_leaves(const mlc_agglomerative_clustering *m)
{
    return m ? m->n : 0;
}

size_t mlc_agglomerative_clustering_n_children(const mlc_agglomerative_clustering *m)
{
    return m ? m->n_children : 0;
}

size_t mlc_agglomerative_clustering_n_clusters(const mlc_agglomerative_clustering *m)
{
    return m ? (size_t)m->n_clusters : 0;
}

size_t
mlc_agglomerative_clustering_n_connected_components(const mlc_agglomerative_clustering *m)
{
    return m ? (size_t)m->n_components : 0;
}

const int32_t *mlc_agglomerative_clustering_labels(const mlc_agglomerative_clustering *m)
{
    return m ? m->labels : NULL;
}

const int64_t *mlc_agglomerative_clustering_children(const mlc_agglomerative_clustering *m)
{
    return m ? m->children : NULL;
}

const double *mlc_agglomerative_clustering_distances(const mlc_agglomerative_clustering *m)
{
    return m ? m->distances : NULL;
}

const double *mlc_agglomerative_clustering_linkage_matrix(const mlc_agglomerative_clustering *m)
{
    return m ? m->Z : NULL;
}
