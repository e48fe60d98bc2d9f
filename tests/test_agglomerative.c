/* AgglomerativeClustering against scikit-learn 1.2 and scipy
 * (tests/fixtures/fx_agglomerative.py). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cluster/hc_tree.h"
#include "internal/mem.h"
#include "test_util.h"

static const char *const LINKAGES[] = {"ward", "complete", "average", "single"};
static const char *const METRICS[] = {"euclidean", "manhattan", "cosine", "precomputed"};

static int index_of(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    ck_abort_msg("unknown name %s", name);
    return -1;
}

/* scikit-learn's pairwise_distances(X, metric="manhattan"). */
static mlc_matrix manhattan_matrix(const mlc_matrix *X)
{
    mlc_matrix D;
    ck_assert_int_eq(mlc_matrix_alloc(&D, X->rows, X->rows), MLC_OK);
    for (size_t i = 0; i < X->rows; i++)
        for (size_t j = 0; j < X->rows; j++) {
            double s = 0;
            for (size_t f = 0; f < X->cols; f++)
                s += fabs(MLC_AT(X, i, f) - MLC_AT(X, j, f));
            MLC_AT(&D, i, j) = s;
        }
    return D;
}

/* A deterministic uniform matrix. */
static mlc_matrix lcg_matrix(size_t n, size_t p, uint64_t seed)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, n, p), MLC_OK);
    for (size_t i = 0; i < n * p; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        X.data[i] = (double)(seed >> 11) / 9007199254740992.0;
    }
    return X;
}

static mlc_agglomerative_clustering *fit_ok(const mlc_agglomerative_clustering_params *p,
                                            const mlc_matrix *X)
{
    mlc_agglomerative_clustering *m = NULL;
    ck_assert_msg(mlc_agglomerative_clustering_fit(p, X, &m) == MLC_OK, "fit: %s",
                  mlc_last_error_message());
    return m;
}

/* ================================================================ core */

/* Every tree of the fixture: children_, distances_, scipy's Z and the
 * labels of every cut. */
START_TEST(trees_match_sklearn)
{
    json_t *root = fx_load("agglomerative");
    json_t *trees = json_object_get(root, "trees");
    json_t *data = json_object_get(root, "data");
    for (size_t c = 0; c < json_array_size(trees); c++) {
        json_t *t = json_array_get(trees, c);
        const char *dname = json_string_value(json_object_get(t, "data"));
        const char *lname = json_string_value(json_object_get(t, "linkage"));
        const char *mname = json_string_value(json_object_get(t, "metric"));
        char what[128];
        snprintf(what, sizeof what, "%s %s %s", dname, lname, mname);
        mlc_matrix X = fx_matrix(data, dname);
        mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
        p.linkage = index_of(LINKAGES, 4, lname);
        p.metric = index_of(METRICS, 4, mname);
        p.compute_distances = 1;
        p.n_threads = 1;
        mlc_matrix in = X;
        if (p.metric == MLC_AGGLOMERATIVE_PRECOMPUTED)
            in = manhattan_matrix(&X);
        size_t n = X.rows, nc, rows, cols;
        int32_t *children = fx_ints(t, "children", &nc);
        double *dist = fx_doubles(t, "distances", NULL, NULL);
        double *Z = fx_doubles(t, "Z", &rows, &cols);
        ck_assert_uint_eq(nc, 2 * (n - 1));
        ck_assert(rows == n - 1 && cols == 4);

        mlc_agglomerative_clustering *m = fit_ok(&p, &in);
        const int64_t *ch = mlc_agglomerative_clustering_children(m);
        for (size_t i = 0; i < 2 * (n - 1); i++)
            ck_assert_msg(ch[i] == children[i], "%s: children_[%zu][%zu] = %lld, sklearn %d",
                          what, i / 2, i % 2, (long long)ch[i], children[i]);
        /* cosine distances near 0 lose digits to 1 - cos in both codes */
        double floor = p.metric == MLC_AGGLOMERATIVE_COSINE ? 1e-4 : 1e-300;
        ck_assert_close_floor(mlc_agglomerative_clustering_distances(m), dist, n - 1, 1e-10,
                              floor, what);
        const double *mz = mlc_agglomerative_clustering_linkage_matrix(m);
        for (size_t i = 0; i < n - 1; i++) {
            ck_assert_msg(mz[4 * i] == Z[4 * i] && mz[4 * i + 1] == Z[4 * i + 1] &&
                              mz[4 * i + 3] == Z[4 * i + 3],
                          "%s: Z row %zu is (%g, %g, %g), scipy's (%g, %g, %g)", what, i,
                          mz[4 * i], mz[4 * i + 1], mz[4 * i + 3], Z[4 * i], Z[4 * i + 1],
                          Z[4 * i + 3]);
            ck_assert_msg(fabs(mz[4 * i + 2] - Z[4 * i + 2]) <=
                              1e-10 * fmax(fabs(Z[4 * i + 2]), floor),
                          "%s: Z height %zu: %.17g, scipy's %.17g", what, i, mz[4 * i + 2],
                          Z[4 * i + 2]);
        }
        ck_assert_uint_eq(mlc_agglomerative_clustering_n_leaves(m), n);
        ck_assert_uint_eq(mlc_agglomerative_clustering_n_connected_components(m), 1);
        mlc_agglomerative_clustering_free(m);

        json_t *cuts = json_object_get(t, "cuts");
        int32_t *labels = malloc(n * sizeof *labels);
        for (size_t k = 0; k < json_array_size(cuts); k++) {
            json_t *cut = json_array_get(cuts, k);
            mlc_agglomerative_clustering_params q = p;
            q.compute_distances = 0;
            if (json_object_get(cut, "n_clusters")) {
                q.n_clusters = (long)fx_number(cut, "n_clusters");
            } else {
                q.n_clusters = MLC_AGGLOMERATIVE_N_CLUSTERS_NONE;
                q.distance_threshold = fx_number(cut, "distance_threshold");
            }
            size_t nl;
            int32_t *want = fx_ints(cut, "labels", &nl);
            ck_assert_uint_eq(nl, n);
            mlc_agglomerative_clustering *mk = NULL;
            ck_assert_int_eq(mlc_agglomerative_clustering_fit_predict(&q, &in, labels, &mk),
                             MLC_OK);
            for (size_t i = 0; i < n; i++)
                ck_assert_msg(labels[i] == want[i], "%s cut %zu: labels_[%zu] = %d, sklearn %d",
                              what, k, i, labels[i], want[i]);
            if (json_object_get(cut, "n_clusters_"))
                ck_assert_uint_eq(mlc_agglomerative_clustering_n_clusters(mk),
                                  (size_t)fx_number(cut, "n_clusters_"));
            else
                ck_assert_uint_eq(mlc_agglomerative_clustering_n_clusters(mk),
                                  (size_t)q.n_clusters);
            /* distances_ only when asked for or with a threshold, as scikit-learn */
            ck_assert_int_eq(mlc_agglomerative_clustering_distances(mk) != NULL,
                             q.n_clusters == MLC_AGGLOMERATIVE_N_CLUSTERS_NONE);
            mlc_agglomerative_clustering_free(mk);
            free(want);
        }
        free(labels);
        free(children);
        free(dist);
        free(Z);
        if (in.data != X.data)
            mlc_matrix_clear(&in);
        mlc_matrix_clear(&X);
    }
    json_decref(root);
}
END_TEST

/* Every linkage and metric with connectivity (the k-nearest-neighbour
 * graph, completed between components): the tree as scikit-learn writes it,
 * the cuts, a partial tree. */
START_TEST(structured_trees_match_sklearn)
{
    json_t *root = fx_load("agglomerative");
    json_t *cases = json_object_get(root, "structured");
    json_t *data = json_object_get(root, "data");
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *t = json_array_get(cases, c);
        const char *dname = json_string_value(json_object_get(t, "data"));
        const char *lname = json_string_value(json_object_get(t, "linkage"));
        const char *mname = json_string_value(json_object_get(t, "metric"));
        long k = (long)fx_number(t, "n_neighbors");
        char what[128];
        snprintf(what, sizeof what, "%s %s %s n_neighbors=%ld", dname, lname, mname, k);
        mlc_matrix X0 = fx_matrix(data, dname);
        size_t n = X0.rows, nc;
        mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
        p.linkage = index_of(LINKAGES, 4, lname);
        p.metric = index_of(METRICS, 4, mname);
        mlc_matrix X = X0;
        if (p.metric == MLC_AGGLOMERATIVE_PRECOMPUTED)
            X = manhattan_matrix(&X0);
        p.n_neighbors = k;
        p.n_clusters = MLC_AGGLOMERATIVE_N_CLUSTERS_NONE;
        p.distance_threshold = 0.0;
        mlc_agglomerative_clustering *m = fit_ok(&p, &X);
        int32_t *children = fx_ints(t, "children", &nc);
        double *dist = fx_doubles(t, "distances", NULL, NULL);
        ck_assert_uint_eq(mlc_agglomerative_clustering_n_children(m), n - 1);
        const int64_t *ch = mlc_agglomerative_clustering_children(m);
        for (size_t i = 0; i < 2 * (n - 1); i++)
            ck_assert_msg(ch[i] == children[i], "%s: children_[%zu][%zu] = %lld, sklearn %d",
                          what, i / 2, i % 2, (long long)ch[i], children[i]);
        /* cosine distances near 0 lose digits to rounding in both codes */
        double floor = p.metric == MLC_AGGLOMERATIVE_COSINE ? 1e-4 : 1e-300;
        ck_assert_close_floor(mlc_agglomerative_clustering_distances(m), dist, n - 1, 1e-12,
                              floor, what);
        ck_assert_uint_eq(mlc_agglomerative_clustering_n_connected_components(m),
                          (size_t)fx_number(t, "n_connected_components"));
        mlc_agglomerative_clustering_free(m);
        free(children);
        free(dist);

        json_t *cuts = json_object_get(t, "cuts");
        int32_t *labels = malloc(n * sizeof *labels);
        for (size_t j = 0; j <= json_array_size(cuts); j++) {
            json_t *cut = j < json_array_size(cuts) ? json_array_get(cuts, j)
                                                    : json_object_get(t, "partial");
            mlc_agglomerative_clustering_params q = p;
            q.distance_threshold = MLC_AGGLOMERATIVE_DISTANCE_THRESHOLD_NONE;
            if (json_object_get(cut, "n_clusters")) {
                q.n_clusters = (long)fx_number(cut, "n_clusters");
            } else {
                q.n_clusters = MLC_AGGLOMERATIVE_N_CLUSTERS_NONE;
                q.distance_threshold = fx_number(cut, "distance_threshold");
            }
            int partial = j == json_array_size(cuts);
            if (partial) {
                q.compute_full_tree = MLC_AGGLOMERATIVE_FULL_TREE_FALSE;
                q.compute_distances = 1;
            }
            size_t nl;
            int32_t *want = fx_ints(cut, "labels", &nl);
            mlc_agglomerative_clustering *mk = NULL;
            ck_assert_int_eq(mlc_agglomerative_clustering_fit_predict(&q, &X, labels, &mk),
                             MLC_OK);
            for (size_t i = 0; i < n; i++)
                ck_assert_msg(labels[i] == want[i], "%s cut %zu: labels_[%zu] = %d, sklearn %d",
                              what, j, i, labels[i], want[i]);
            if (json_object_get(cut, "n_clusters_"))
                ck_assert_uint_eq(mlc_agglomerative_clustering_n_clusters(mk),
                                  (size_t)fx_number(cut, "n_clusters_"));
            if (partial) {
                /* the first n - 6 merges, and their heights */
                int32_t *pc = fx_ints(cut, "children", &nc);
                double *pd = fx_doubles(cut, "distances", NULL, NULL);
                size_t rows = mlc_agglomerative_clustering_n_children(mk);
                /* single linkage reports its whole spanning tree */
                ck_assert_uint_eq(rows, p.linkage == MLC_AGGLOMERATIVE_SINGLE ? n - 1 : n - 6);
                ck_assert_uint_eq(nc, 2 * rows);
                for (size_t i = 0; i < 2 * rows; i++)
                    ck_assert(mlc_agglomerative_clustering_children(mk)[i] == pc[i]);
                ck_assert_close_floor(mlc_agglomerative_clustering_distances(mk), pd, rows,
                                      1e-12, floor, what);
                free(pc);
                free(pd);
            }
            mlc_agglomerative_clustering_free(mk);
            free(want);
        }
        free(labels);
        if (X.data != X0.data)
            mlc_matrix_clear(&X);
        mlc_matrix_clear(&X0);
    }
    json_decref(root);
}
END_TEST

/* numpy's default argsort, which scipy's spanning tree sorts the graph's
 * entries by: the same permutation among ties. */
START_TEST(argsort_matches_numpy)
{
    json_t *root = fx_load("agglomerative");
    json_t *cases = json_object_get(root, "argsorts");
    ck_assert(json_array_size(cases) > 0);
    for (size_t c = 0; c < json_array_size(cases); c++) {
        json_t *t = json_array_get(cases, c);
        size_t n, no;
        double *v = fx_doubles(t, "values", &n, NULL);
        int32_t *want = fx_ints(t, "order", &no);
        ck_assert_uint_eq(n, no);
        size_t *order = malloc(n * sizeof *order);
        hc_numpy_argsort(v, n, order);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(order[i] == (size_t)want[i], "case %zu (n = %zu): order[%zu] = %zu, "
                          "numpy %d", c, n, i, order[i], want[i]);
        free(order);
        free(v);
        free(want);
    }
    json_decref(root);
}
END_TEST

/* The trees do not depend on the thread count, bit for bit (sizes where
 * every builder's scans run in parts on the threads). */
START_TEST(threads_give_the_same_tree)
{
    /* n x d past HC_STEP_MIN_WORK for most steps */
    struct {
        int linkage, metric;
        size_t n, d;
    } runs[] = {
        {MLC_AGGLOMERATIVE_WARD, MLC_AGGLOMERATIVE_EUCLIDEAN, 3000, 200},
        {MLC_AGGLOMERATIVE_SINGLE, MLC_AGGLOMERATIVE_EUCLIDEAN, 3000, 200},
        {MLC_AGGLOMERATIVE_SINGLE, MLC_AGGLOMERATIVE_MANHATTAN, 3000, 200},
        {MLC_AGGLOMERATIVE_SINGLE, MLC_AGGLOMERATIVE_COSINE, 3000, 200},
        {MLC_AGGLOMERATIVE_AVERAGE, MLC_AGGLOMERATIVE_EUCLIDEAN, 1500, 200},
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        mlc_matrix X = lcg_matrix(runs[r].n, runs[r].d, 7 + r);
        mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
        p.linkage = runs[r].linkage;
        p.metric = runs[r].metric;
        p.n_clusters = 7;
        p.n_threads = 1;
        mlc_agglomerative_clustering *one = fit_ok(&p, &X);
        p.n_threads = 2;
        mlc_agglomerative_clustering *two = fit_ok(&p, &X);
        size_t n = X.rows;
        ck_assert(memcmp(mlc_agglomerative_clustering_linkage_matrix(one),
                         mlc_agglomerative_clustering_linkage_matrix(two),
                         4 * (n - 1) * sizeof(double)) == 0);
        ck_assert(memcmp(mlc_agglomerative_clustering_labels(one),
                         mlc_agglomerative_clustering_labels(two), n * sizeof(int32_t)) == 0);
        mlc_agglomerative_clustering_free(one);
        mlc_agglomerative_clustering_free(two);
        mlc_matrix_clear(&X);
    }
}
END_TEST

/* scipy's nn_chain written plainly on a full matrix (which it overwrites):
 * the reference for the merges of complete and average linkage. */
static void plain_chain(double *D, size_t n, int method, hc_merge *out)
{
    size_t *size = malloc(n * sizeof *size), *chain = malloc(n * sizeof *chain);
    ck_assert(size && chain);
    for (size_t i = 0; i < n; i++)
        size[i] = 1;
    size_t len = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        for (size_t i = 0; len == 0 && i < n; i++)
            if (size[i])
                chain[len++] = i;
        size_t x, y;
        double cur;
        for (;;) {
            x = chain[len - 1];
            size_t prev = len > 1 ? chain[len - 2] : SIZE_MAX;
            y = prev;
            cur = prev == SIZE_MAX ? INFINITY : D[x * n + prev];
            for (size_t i = 0; i < n; i++)
                if (size[i] && i != x && D[x * n + i] < cur) {
                    cur = D[x * n + i];
                    y = i;
                }
            if (len > 1 && y == prev)
                break;
            chain[len++] = y;
        }
        len -= 2;
        if (x > y) {
            size_t t = x;
            x = y;
            y = t;
        }
        out[k] = (hc_merge){x, y, cur};
        double nx = (double)size[x], ny = (double)size[y];
        size[y] += size[x];
        size[x] = 0;
        for (size_t i = 0; i < n; i++) {
            if (!size[i] || i == y)
                continue;
            double a = D[x * n + i], b = D[y * n + i];
            double v = method == HC_COMPLETE ? (a > b ? a : b) : (nx * a + ny * b) / (nx + ny);
            D[y * n + i] = D[i * n + y] = v;
        }
    }
    free(size);
    free(chain);
}

/* P (n x n) from the condensed matrix C: both triangles, zero diagonal. */
static void square_of(const double *C, size_t n, double *P)
{
    for (size_t i = 0, w = 0; i < n; i++) {
        P[i * n + i] = 0.0;
        for (size_t j = i + 1; j < n; j++, w++)
            P[i * n + j] = P[j * n + i] = C[w];
    }
}

/* The chain on the condensed matrix (the fits below 1 024 rows) gives
 * scipy's merges bit for bit, in scipy's order: on random rows, and on rows
 * of small integers, where most distances tie (ties go to the lower slot,
 * the previous link kept). */
START_TEST(chain_gives_scipys_merges)
{
    mlc_matrix X = _i == 0 ? lcg_matrix(700, 4, 11) : lcg_matrix(400, 3, 5);
    if (_i == 1)
        for (size_t i = 0; i < X.rows; i++)
            for (size_t f = 0; f < X.cols; f++) /* 1, 2 or 3: cosine needs no zero row */
                MLC_AT(&X, i, f) = 1.0 + fmod(floor(MLC_AT(&X, i, f) * 1e3), 3.0);
    size_t n = X.rows;
    for (int metric = HC_EUCLIDEAN; metric <= HC_COSINE; metric++)
        for (int method = HC_COMPLETE; method <= HC_AVERAGE; method++) {
            double *C = NULL, *P = malloc(n * n * sizeof *P);
            ck_assert_ptr_nonnull(P);
            ck_assert_int_eq(hc_distances(&X, metric, 2, &C, NULL, NULL), MLC_OK);
            square_of(C, n, P);
            hc_merge *a = malloc((n - 1) * sizeof *a), *r = malloc((n - 1) * sizeof *r);
            ck_assert(a && r);
            ck_assert_int_eq(hc_nn_chain(C, n, method, 2, NULL, a), MLC_OK);
            plain_chain(P, n, method, r);
            for (size_t t = 0; t + 1 < n; t++)
                ck_assert_msg(a[t].a == r[t].a && a[t].b == r[t].b && a[t].height == r[t].height,
                              "merge %zu: (%zu, %zu, %.17g) against scipy's (%zu, %zu, %.17g)", t,
                              a[t].a, a[t].b, a[t].height, r[t].a, r[t].b, r[t].height);
            free(a);
            free(r);
            free(P);
            mlc_aligned_free(C);
        }
    mlc_matrix_clear(&X);
}
END_TEST

/* Z (scipy's linkage matrix) of a builder's merges. */
static double *linkage_of(hc_merge *merges, size_t n)
{
    double *Z = malloc(4 * (n - 1) * sizeof *Z);
    int64_t *children = malloc(2 * (n - 1) * sizeof *children);
    ck_assert(Z && children);
    ck_assert_int_eq(hc_label(merges, n, 0, children, Z), MLC_OK);
    free(children);
    return Z;
}

/* Müllner's generic algorithm on the condensed matrix, on one and two
 * threads, gives the tree of scipy's nn_chain (plainly on the full
 * matrix): the same linkage matrix, heights equal for complete linkage and
 * within rounding for average (whose updates it sums in another order),
 * on rows with no tied distances. On rows of small integers, where most
 * distances tie and the tree is not defined, a tree all the same: n - 1
 * merges joining everything, heights in order. */
START_TEST(generic_linkage_gives_the_chains_tree)
{
    int tied = _i == 1;
    mlc_matrix X = tied ? lcg_matrix(400, 3, 5) : lcg_matrix(700, 4, 11);
    if (tied)
        for (size_t i = 0; i < X.rows; i++)
            for (size_t f = 0; f < X.cols; f++) /* 1, 2 or 3: cosine needs no zero row */
                MLC_AT(&X, i, f) = 1.0 + fmod(floor(MLC_AT(&X, i, f) * 1e3), 3.0);
    size_t n = X.rows, pairs = n * (n - 1) / 2;
    for (int metric = HC_EUCLIDEAN; metric <= HC_COSINE; metric++)
        for (int method = HC_COMPLETE; method <= HC_AVERAGE; method++) {
            double *C = NULL, *near_dist = malloc(n * sizeof *near_dist);
            size_t *near_at = malloc(n * sizeof *near_at);
            ck_assert(near_dist && near_at);
            ck_assert_int_eq(hc_distances(&X, metric, 2, &C, near_dist, near_at), MLC_OK);
            double *P = malloc(n * n * sizeof *P), *C2 = malloc(pairs * sizeof *C2);
            ck_assert(P && C2);
            square_of(C, n, P);
            memcpy(C2, C, pairs * sizeof *C2);
            hc_merge *a = malloc((n - 1) * sizeof *a), *b = malloc((n - 1) * sizeof *b);
            hc_merge *r = malloc((n - 1) * sizeof *r);
            ck_assert(a && b && r);
            /* the first candidates from the distances' pass, and found anew */
            ck_assert_int_eq(hc_generic_linkage(C, n, near_dist, near_at, method, 1, NULL, a),
                             MLC_OK);
            ck_assert_int_eq(hc_generic_linkage(C2, n, NULL, NULL, method, 2, NULL, b), MLC_OK);
            plain_chain(P, n, method, r);
            double *Za = linkage_of(a, n), *Zb = linkage_of(b, n), *Zr = linkage_of(r, n);
            ck_assert(memcmp(Za, Zb, 4 * (n - 1) * sizeof *Za) == 0);
            for (size_t t = 0; t + 1 < n; t++) {
                const double *za = Za + 4 * t, *zr = Zr + 4 * t;
                if (tied) {
                    ck_assert(t == 0 || za[2] >= za[-2]);
                    continue;
                }
                double tol = method == HC_COMPLETE ? 0.0 : 1e-12 * fabs(zr[2]);
                ck_assert_msg(za[0] == zr[0] && za[1] == zr[1] && za[3] == zr[3] &&
                                  fabs(za[2] - zr[2]) <= tol,
                              "metric %d, method %d, merge %zu: (%g, %g, %.17g, %g) against "
                              "scipy's (%g, %g, %.17g, %g)", metric, method, t, za[0], za[1],
                              za[2], za[3], zr[0], zr[1], zr[2], zr[3]);
            }
            ck_assert(Za[4 * (n - 2) + 3] == (double)n);
            free(Za);
            free(Zb);
            free(Zr);
            free(a);
            free(b);
            free(r);
            free(P);
            free(C2);
            free(near_dist);
            free(near_at);
            mlc_aligned_free(C);
        }
    mlc_matrix_clear(&X);
}
END_TEST

/* From 1 024 rows the fit takes the generic algorithm on a matrix built in
 * the order of hc_locality_order (a permutation of the rows); it still
 * gives, in X's row numbers, the tree of scipy's chain on the rows as they
 * come (no ties: 3 random coordinates). */
START_TEST(locality_order_keeps_the_tree)
{
    mlc_matrix X = lcg_matrix(1500, 3, 21);
    size_t n = X.rows, *perm = malloc(n * sizeof *perm);
    char *seen = calloc(n, 1);
    ck_assert(perm && seen);
    ck_assert_int_eq(hc_locality_order(&X, perm), MLC_OK);
    for (size_t s = 0; s < n; s++) {
        ck_assert(perm[s] < n && !seen[perm[s]]);
        seen[perm[s]] = 1;
    }
    size_t moved = 0;
    for (size_t s = 0; s < n; s++)
        moved += perm[s] != s;
    ck_assert(moved > n / 2);
    for (int linkage = MLC_AGGLOMERATIVE_COMPLETE; linkage <= MLC_AGGLOMERATIVE_AVERAGE;
         linkage++) {
        int method = linkage == MLC_AGGLOMERATIVE_COMPLETE ? HC_COMPLETE : HC_AVERAGE;
        mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
        p.linkage = linkage;
        p.n_clusters = 5;
        p.n_threads = 2;
        mlc_agglomerative_clustering *m = fit_ok(&p, &X);
        const double *Z = mlc_agglomerative_clustering_linkage_matrix(m);
        double *C = NULL, *P = malloc(n * n * sizeof *P);
        ck_assert_ptr_nonnull(P);
        ck_assert_int_eq(hc_distances(&X, HC_EUCLIDEAN, 2, &C, NULL, NULL), MLC_OK);
        square_of(C, n, P);
        hc_merge *r = malloc((n - 1) * sizeof *r);
        ck_assert_ptr_nonnull(r);
        plain_chain(P, n, method, r);
        double *Zr = linkage_of(r, n);
        for (size_t t = 0; t + 1 < n; t++) {
            const double *z = Z + 4 * t, *zr = Zr + 4 * t;
            double tol = method == HC_COMPLETE ? 0.0 : 1e-12 * fabs(zr[2]);
            ck_assert_msg(z[0] == zr[0] && z[1] == zr[1] && z[3] == zr[3] &&
                              fabs(z[2] - zr[2]) <= tol,
                          "linkage %d, merge %zu: (%g, %g, %.17g) against scipy's (%g, %g, %.17g)",
                          linkage, t, z[0], z[1], z[2], zr[0], zr[1], zr[2]);
        }
        free(Zr);
        free(r);
        free(P);
        mlc_aligned_free(C);
        mlc_agglomerative_clustering_free(m);
    }
    free(perm);
    free(seen);
    mlc_matrix_clear(&X);
}
END_TEST

/* Through the registry: n_clusters none with a threshold, the attributes,
 * a model file holding the whole tree, no predict and no score. */
START_TEST(registry_face)
{
    json_t *root = fx_load("agglomerative");
    mlc_matrix X = fx_matrix(json_object_get(root, "data"), "iris");
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("agglomerative_clustering", &e), MLC_OK);
    ck_assert_int_eq(mlc_estimator_task(e), MLC_TASK_CLUSTERER);
    ck_assert_int_eq(mlc_estimator_set(e, "linkage", "average"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "none"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "distance_threshold", "2.5"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(e, "distances_", &a), MLC_OK);
    ck_assert_uint_eq(a.shape[0], X.rows - 1);
    ck_assert_int_eq(mlc_estimator_attribute(e, "children_", &a), MLC_OK);
    ck_assert(a.ndim == 2 && a.shape[0] == X.rows - 1 && a.shape[1] == 2);
    ck_assert_int_eq(mlc_estimator_attribute(e, "n_clusters_", &a), MLC_OK);
    double k = mlc_attribute_value(&a, 0);
    ck_assert(k >= 2);
    ck_assert_uint_eq(mlc_estimator_output_cols(e, MLC_OUT_PREDICT), 0);
    double s;
    ck_assert_status(mlc_estimator_score(e, &X, NULL, &s), MLC_EUNSUPPORTED);
    ck_assert_status(mlc_estimator_predict(e, &X, &s), MLC_EUNSUPPORTED);

    char path[64];
    snprintf(path, sizeof path, "/tmp/mlc_agglo_%d.json", (int)getpid());
    ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
    mlc_estimator *back = NULL;
    ck_assert_int_eq(mlc_estimator_load(path, &back), MLC_OK);
    const char *names[] = {"labels_", "children_", "distances_", "linkage_matrix_",
                           "n_clusters_", "n_leaves_", "n_connected_components_"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        mlc_attribute x, y;
        ck_assert_int_eq(mlc_estimator_attribute(e, names[i], &x), MLC_OK);
        ck_assert_msg(mlc_estimator_attribute(back, names[i], &y) == MLC_OK, "%s", names[i]);
        ck_assert_uint_eq(mlc_attribute_size(&x), mlc_attribute_size(&y));
        for (size_t j = 0; j < mlc_attribute_size(&x); j++)
            ck_assert(mlc_attribute_value(&x, j) == mlc_attribute_value(&y, j));
    }
    mlc_estimator_free(back);

    /* a damaged file: a child naming a node not yet made */
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char *text = calloc(1, 1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    ck_assert(len > 0);
    json_t *j = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(j);
    json_t *ch = json_object_get(json_object_get(j, "attributes"), "children_");
    json_array_set_new(json_array_get(ch, 0), 0, json_integer(100000));
    ck_assert_int_eq(json_dump_file(j, path, 0), 0);
    json_decref(j);
    free(text);
    ck_assert_status(mlc_estimator_load(path, &back), MLC_EFORMAT);
    unlink(path);

    /* distances_ only when asked for */
    ck_assert_int_eq(mlc_estimator_set(e, "distance_threshold", "none"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "3"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    ck_assert_int_eq(mlc_estimator_attribute(e, "distances_", &a), MLC_ENOTFOUND);
    ck_assert_int_eq(mlc_estimator_set(e, "compute_distances", "true"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    ck_assert_int_eq(mlc_estimator_attribute(e, "distances_", &a), MLC_OK);
    mlc_estimator_free(e);
    mlc_matrix_clear(&X);
    json_decref(root);
}
END_TEST

/* ================================================================ errors */

START_TEST(bad_parameters)
{
    mlc_matrix X = lcg_matrix(20, 3, 1);
    mlc_agglomerative_clustering *m = NULL;
    mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
    p.distance_threshold = 1.0; /* both */
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    ck_assert_ptr_null(m);
    p.n_clusters = MLC_AGGLOMERATIVE_N_CLUSTERS_NONE;
    p.distance_threshold = MLC_AGGLOMERATIVE_DISTANCE_THRESHOLD_NONE; /* neither */
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p = mlc_agglomerative_clustering_params_default();
    p.n_clusters = -3;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.n_clusters = 21; /* more clusters than samples */
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.n_clusters = 20;
    mlc_agglomerative_clustering_free(fit_ok(&p, &X));
    p = mlc_agglomerative_clustering_params_default();
    p.metric = MLC_AGGLOMERATIVE_MANHATTAN; /* ward is euclidean only */
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.metric = MLC_AGGLOMERATIVE_COSINE;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p = mlc_agglomerative_clustering_params_default();
    p.n_clusters = MLC_AGGLOMERATIVE_N_CLUSTERS_NONE;
    p.distance_threshold = NAN;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.distance_threshold = INFINITY;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.distance_threshold = 0.5;
    p.compute_full_tree = MLC_AGGLOMERATIVE_FULL_TREE_FALSE;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p = mlc_agglomerative_clustering_params_default();
    p.linkage = 4;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.linkage = MLC_AGGLOMERATIVE_SINGLE;
    p.metric = -1;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.metric = MLC_AGGLOMERATIVE_EUCLIDEAN;
    p.compute_full_tree = 3;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    /* connectivity: 1 <= n_neighbors < n */
    p = mlc_agglomerative_clustering_params_default();
    p.n_neighbors = -1;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.n_neighbors = 20;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    p.n_neighbors = 19;
    mlc_agglomerative_clustering_free(fit_ok(&p, &X));
    p.n_neighbors = 3;
    X.data[5] = NAN;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_ENONFINITE);
    X.data[5] = 0.25;
    mlc_matrix big = lcg_matrix(20, 3, 5);
    for (size_t i = 0; i < 60; i++)
        big.data[i] *= 1e300;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &big, &m), MLC_ERANGE);
    mlc_matrix_clear(&big);
    p = mlc_agglomerative_clustering_params_default();
    p.compute_full_tree = 3;

    int32_t labels[20];
    ck_assert_status(mlc_agglomerative_clustering_fit_predict(&p, &X, NULL, NULL), MLC_EINVAL);
    ck_assert_status(mlc_agglomerative_clustering_fit_predict(&p, &X, labels, NULL),
                     MLC_EINVAL);

    /* the registry: n_clusters is >= 1 or none */
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("agglomerative_clustering", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "n_clusters", "0"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "distance_threshold", "-1"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "linkage", "centroid"), MLC_EINVAL);
    ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "none"), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &X, NULL), MLC_EINVAL); /* neither */
    mlc_estimator_free(e);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(bad_data)
{
    mlc_matrix X = lcg_matrix(20, 3, 2);
    mlc_agglomerative_clustering *m = NULL;
    mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
    for (int link = 0; link < 4; link++) {
        p.linkage = link;
        X.data[17] = NAN;
        ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_ENONFINITE);
        X.data[17] = -INFINITY;
        ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_ENONFINITE);
        X.data[17] = 0.5;
        /* values whose squared distances overflow */
        mlc_matrix big = lcg_matrix(20, 3, 3);
        for (size_t i = 0; i < 60; i++)
            big.data[i] *= 1e300;
        ck_assert_status(mlc_agglomerative_clustering_fit(&p, &big, &m), MLC_ERANGE);
        mlc_matrix_clear(&big);
    }
    mlc_matrix one = mlc_matrix_wrap(X.data, 1, 3, 3);
    p.n_clusters = 1;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &one, &m), MLC_EINVAL);
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, NULL, &m), MLC_EINVAL);

    /* cosine of a zero row */
    p = mlc_agglomerative_clustering_params_default();
    p.linkage = MLC_AGGLOMERATIVE_AVERAGE;
    p.metric = MLC_AGGLOMERATIVE_COSINE;
    for (size_t f = 0; f < 3; f++)
        MLC_AT(&X, 4, f) = 0.0;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &X, &m), MLC_EINVAL);
    mlc_matrix_clear(&X);

    /* precomputed: square, symmetric, not negative */
    X = lcg_matrix(6, 6, 4);
    mlc_matrix D = manhattan_matrix(&X);
    p = mlc_agglomerative_clustering_params_default();
    p.metric = MLC_AGGLOMERATIVE_PRECOMPUTED;
    for (int link = 1; link < 4; link++) {
        p.linkage = link;
        mlc_agglomerative_clustering_free(fit_ok(&p, &D));
        mlc_matrix wide = mlc_matrix_wrap(D.data, 5, 6, 6);
        ck_assert_status(mlc_agglomerative_clustering_fit(&p, &wide, &m), MLC_EBADLEN);
        double keep = MLC_AT(&D, 1, 3);
        MLC_AT(&D, 1, 3) = keep * 1.01;
        ck_assert_status(mlc_agglomerative_clustering_fit(&p, &D, &m), MLC_EINVAL);
        MLC_AT(&D, 1, 3) = MLC_AT(&D, 3, 1) = -keep;
        ck_assert_status(mlc_agglomerative_clustering_fit(&p, &D, &m), MLC_EINVAL);
        MLC_AT(&D, 1, 3) = MLC_AT(&D, 3, 1) = keep;
    }
    mlc_matrix_clear(&D);
    mlc_matrix_clear(&X);

    /* a condensed matrix that cannot fit: 3e6 rows, 36 TB of distances,
     * refused from the shape before any allocation */
    size_t big_n = 3000000;
    double *col = calloc(big_n, sizeof *col);
    ck_assert_ptr_nonnull(col);
    for (size_t i = 0; i < big_n; i++)
        col[i] = (double)i;
    mlc_matrix tall = mlc_matrix_wrap(col, big_n, 1, 1);
    p = mlc_agglomerative_clustering_params_default();
    p.linkage = MLC_AGGLOMERATIVE_COMPLETE;
    ck_assert_status(mlc_agglomerative_clustering_fit(&p, &tall, &m), MLC_ENOMEM);
    ck_assert_msg(strstr(mlc_last_error_message(), "GB") != NULL, "%s",
                  mlc_last_error_message());
    free(col);
}
END_TEST

/* ================================================================ edge */

START_TEST(small_and_tied)
{
    /* n = 2: one merge */
    double two[4] = {0.0, 0.0, 3.0, 4.0};
    mlc_matrix X = mlc_matrix_wrap(two, 2, 2, 2);
    mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
    p.compute_distances = 1;
    for (int link = 0; link < 4; link++) {
        p.linkage = link;
        mlc_agglomerative_clustering *m = fit_ok(&p, &X);
        const int64_t *ch = mlc_agglomerative_clustering_children(m);
        ck_assert(ch[0] == 0 && ch[1] == 1);
        ck_assert_double_eq_tol(mlc_agglomerative_clustering_distances(m)[0], 5.0, 1e-15);
        const int32_t *l = mlc_agglomerative_clustering_labels(m);
        ck_assert(l[0] != l[1]);
        mlc_agglomerative_clustering_free(m);
    }
    /* identical rows: every height 0, one cluster per cut still */
    mlc_matrix same;
    ck_assert_int_eq(mlc_matrix_alloc(&same, 10, 2), MLC_OK);
    for (int link = 0; link < 4; link++) {
        p.linkage = link;
        p.n_clusters = 3;
        mlc_agglomerative_clustering *m = fit_ok(&p, &same);
        const double *d = mlc_agglomerative_clustering_distances(m);
        for (size_t t = 0; t < 9; t++)
            ck_assert(d[t] == 0.0);
        int seen[3] = {0};
        for (size_t i = 0; i < 10; i++)
            seen[mlc_agglomerative_clustering_labels(m)[i]] = 1;
        ck_assert(seen[0] && seen[1] && seen[2]);
        mlc_agglomerative_clustering_free(m);
    }
    mlc_matrix_clear(&same);
    /* one column; n_clusters = n gives every row its own cluster */
    mlc_matrix col = lcg_matrix(30, 1, 9);
    p.n_clusters = 30;
    for (int link = 0; link < 4; link++) {
        p.linkage = link;
        mlc_agglomerative_clustering *m = fit_ok(&p, &col);
        int seen[30] = {0};
        for (size_t i = 0; i < 30; i++)
            seen[mlc_agglomerative_clustering_labels(m)[i]]++;
        for (size_t i = 0; i < 30; i++)
            ck_assert_int_eq(seen[i], 1);
        mlc_agglomerative_clustering_free(m);
    }
    mlc_matrix_clear(&col);
}
END_TEST

Suite *MLC_SUITE_FN(void)
{
    Suite *s = suite_create("agglomerative");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_test(core, trees_match_sklearn);
    tcase_add_test(core, structured_trees_match_sklearn);
    tcase_add_test(core, argsort_matches_numpy);
    tcase_add_test(core, threads_give_the_same_tree);
    tcase_add_loop_test(core, chain_gives_scipys_merges, 0, 2);
    tcase_add_loop_test(core, generic_linkage_gives_the_chains_tree, 0, 2);
    tcase_add_test(core, locality_order_keeps_the_tree);
    tcase_add_test(core, registry_face);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, bad_parameters);
    tcase_add_test(errors, bad_data);
    suite_add_tcase(s, errors);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, small_and_tied);
    suite_add_tcase(s, edge);
    return s;
}
