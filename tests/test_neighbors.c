/* The neighbour index (mlcore/neighbors.h) against scikit-learn 1.2's
 * NearestNeighbors (fixtures: tests/fixtures/fx_neighbors.py), and the
 * k-nearest-neighbour estimators. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test_util.h"

static const mlc_nn_algorithm ALGORITHMS[] = {MLC_NN_BRUTE, MLC_NN_KD_TREE, MLC_NN_BALL_TREE,
                                              MLC_NN_AUTO};

static mlc_nn_metric metric_named(const char *name)
{
    if (!strcmp(name, "manhattan"))
        return MLC_METRIC_MANHATTAN;
    if (!strcmp(name, "chebyshev"))
        return MLC_METRIC_CHEBYSHEV;
    if (!strcmp(name, "minkowski"))
        return MLC_METRIC_MINKOWSKI;
    if (!strcmp(name, "precomputed"))
        return MLC_METRIC_PRECOMPUTED;
    return MLC_METRIC_EUCLIDEAN;
}

typedef struct nn_case {
    const char *name;
    mlc_matrix X, Q;
    mlc_neighbors_params params;
    size_t k;
    double radius;
    double *dist, *r_dist;
    int32_t *ind, *r_ind, *r_count;
    size_t n_r;
} nn_case;

static nn_case load_case(json_t *root, size_t c)
{
    json_t *cj = json_array_get(json_object_get(root, "cases"), c);
    json_t *data = json_array_get(json_object_get(root, "data"), (size_t)fx_number(cj, "data"));
    nn_case t = {0};
    size_t r, cols, n;
    t.name = json_string_value(json_object_get(cj, "name"));
    t.X = fx_matrix(data, "X");
    t.Q = fx_matrix(data, "Q");
    t.params = mlc_neighbors_params_default();
    t.params.metric = metric_named(json_string_value(json_object_get(cj, "metric")));
    t.params.p = fx_number(cj, "p");
    t.k = (size_t)fx_number(cj, "k");
    t.radius = fx_number(cj, "radius");
    t.dist = fx_doubles(cj, "dist", &r, &cols);
    t.ind = fx_ints(cj, "ind", &n);
    t.r_count = fx_ints(cj, "r_count", &n);
    t.r_ind = fx_ints(cj, "r_ind", &t.n_r);
    t.r_dist = fx_doubles(cj, "r_dist", &r, &cols);
    return t;
}

static void free_case(nn_case *t)
{
    mlc_matrix_clear(&t->X);
    mlc_matrix_clear(&t->Q);
    free(t->dist);
    free(t->ind);
    free(t->r_count);
    free(t->r_ind);
    free(t->r_dist);
}

/* Every query of one built index against the fixture. */
static void check_index(const nn_case *t, const mlc_neighbors *nn, const char *what)
{
    size_t nq = t->Q.rows, k = t->k;
    double *dist = malloc(nq * k * sizeof *dist);
    size_t *ind = malloc(nq * k * sizeof *ind);
    ck_assert_int_eq(mlc_neighbors_kneighbors(nn, &t->Q, k, dist, ind), MLC_OK);
    for (size_t i = 0; i < nq * k; i++)
        ck_assert_msg(ind[i] == (size_t)t->ind[i], "%s %s: kneighbors index %zu: %zu, want %d",
                      t->name, what, i, ind[i], t->ind[i]);
    ck_assert_close_floor(dist, t->dist, nq * k, 1e-12, 1e-300, "kneighbors distances");

    /* Sorted listing, with distances. */
    mlc_neighbor_lists L = {0};
    ck_assert_int_eq(mlc_neighbors_radius(nn, &t->Q, t->radius, 1, 1, &L), MLC_OK);
    ck_assert_uint_eq(L.n_queries, nq);
    ck_assert_uint_eq(L.offset[nq], t->n_r);
    for (size_t i = 0; i < nq; i++)
        ck_assert_msg(L.offset[i + 1] - L.offset[i] == (size_t)t->r_count[i],
                      "%s %s: query %zu has %zu neighbours, want %d", t->name, what, i,
                      L.offset[i + 1] - L.offset[i], t->r_count[i]);
    for (size_t j = 0; j < t->n_r; j++)
        ck_assert_msg(L.ind[j] == (size_t)t->r_ind[j], "%s %s: radius index %zu", t->name, what,
                      j);
    ck_assert_close_floor(L.dist, t->r_dist, t->n_r, 1e-12, 1e-300, "radius distances");
    mlc_neighbor_lists_clear(&L);

    /* Unsorted, no distances: the same sets, by index. */
    ck_assert_int_eq(mlc_neighbors_radius(nn, &t->Q, t->radius, 0, 0, &L), MLC_OK);
    ck_assert_ptr_null(L.dist);
    for (size_t i = 0, at = 0; i < nq; i++) {
        size_t cnt = (size_t)t->r_count[i];
        size_t *want = malloc((cnt ? cnt : 1) * sizeof *want);
        for (size_t j = 0; j < cnt; j++)
            want[j] = (size_t)t->r_ind[at + j];
        for (size_t a = 1; a < cnt; a++) /* insertion sort by index */
            for (size_t b = a; b > 0 && want[b - 1] > want[b]; b--) {
                size_t tmp = want[b];
                want[b] = want[b - 1];
                want[b - 1] = tmp;
            }
        for (size_t j = 0; j < cnt; j++)
            ck_assert_msg(L.ind[L.offset[i] + j] == want[j], "%s %s: unsorted radius row %zu",
                          t->name, what, i);
        at += cnt;
        free(want);
    }
    mlc_neighbor_lists_clear(&L);

    /* Counting, then counting with an early stop at 3. */
    double *count = malloc(nq * sizeof *count);
    ck_assert_int_eq(mlc_neighbors_radius_count(nn, &t->Q, t->radius, NULL, 0, count), MLC_OK);
    for (size_t i = 0; i < nq; i++)
        ck_assert_msg(count[i] == t->r_count[i], "%s %s: count %zu", t->name, what, i);
    ck_assert_int_eq(mlc_neighbors_radius_count(nn, &t->Q, t->radius, NULL, 3, count), MLC_OK);
    for (size_t i = 0; i < nq; i++)
        ck_assert_msg(t->r_count[i] >= 3 ? count[i] >= 3 && count[i] <= t->r_count[i]
                                         : count[i] == t->r_count[i],
                      "%s %s: count with stop_at %zu", t->name, what, i);
    free(count);
    free(dist);
    free(ind);
}

START_TEST(matches_sklearn)
{
    json_t *root = fx_load("neighbors");
    size_t n_cases = json_array_size(json_object_get(root, "cases"));
    ck_assert_uint_ge(n_cases, 18);
    for (size_t c = 0; c < n_cases; c++) {
        nn_case t = load_case(root, c);
        for (size_t a = 0; a < 4; a++) {
            if (t.params.metric == MLC_METRIC_PRECOMPUTED &&
                (ALGORITHMS[a] == MLC_NN_KD_TREE || ALGORITHMS[a] == MLC_NN_BALL_TREE))
                continue;
            static const size_t leaves[] = {30, 1, 4};
            static const int threads[] = {1, 2, 1};
            for (size_t v = 0; v < 3; v++) {
                mlc_neighbors_params p = t.params;
                p.algorithm = ALGORITHMS[a];
                p.leaf_size = leaves[v];
                p.n_threads = threads[v];
                mlc_neighbors *nn = NULL;
                ck_assert_int_eq(mlc_neighbors_build(&p, &t.X, &nn), MLC_OK);
                if (ALGORITHMS[a] != MLC_NN_AUTO)
                    ck_assert_int_eq(mlc_neighbors_algorithm(nn), ALGORITHMS[a]);
                ck_assert_uint_eq(mlc_neighbors_n_samples(nn), t.X.rows);
                char what[64];
                snprintf(what, sizeof what, "algorithm %d leaf %zu threads %d", (int)p.algorithm,
                         p.leaf_size, p.n_threads);
                check_index(&t, nn, what);
                mlc_neighbors_free(nn);
            }
        }
        free_case(&t);
    }
    json_decref(root);
}
END_TEST

START_TEST(weighted_counts)
{
    json_t *root = fx_load("neighbors");
    json_t *cj = json_object_get(root, "counts");
    mlc_matrix X = fx_matrix(cj, "X");
    size_t r, c;
    double *w = fx_doubles(cj, "w", &r, &c);
    double *want = fx_doubles(cj, "wcount", &r, &c);
    int32_t *want_n = fx_ints(cj, "count", &r);
    double radius = fx_number(cj, "radius"), *count = malloc(X.rows * sizeof *count);
    for (size_t a = 0; a < 4; a++) {
        mlc_neighbors_params p = mlc_neighbors_params_default();
        p.algorithm = ALGORITHMS[a];
        mlc_neighbors *nn = NULL;
        ck_assert_int_eq(mlc_neighbors_build(&p, &X, &nn), MLC_OK);
        ck_assert_int_eq(mlc_neighbors_radius_count(nn, &X, radius, w, 0, count), MLC_OK);
        ck_assert_close(count, want, X.rows, 1e-12, "weighted counts");
        ck_assert_int_eq(mlc_neighbors_radius_count(nn, &X, radius, NULL, 0, count), MLC_OK);
        for (size_t i = 0; i < X.rows; i++)
            ck_assert(count[i] == want_n[i]);
        /* A negative weight turns the early stop off: the full sums. */
        double w0 = w[0], *full = malloc(X.rows * sizeof *full);
        w[0] = -1.0;
        ck_assert_int_eq(mlc_neighbors_radius_count(nn, &X, radius, w, 2, count), MLC_OK);
        ck_assert_int_eq(mlc_neighbors_radius_count(nn, &X, radius, w, 0, full), MLC_OK);
        for (size_t i = 0; i < X.rows; i++)
            ck_assert(count[i] == full[i]);
        w[0] = w0;
        free(full);
        mlc_neighbors_free(nn);
    }
    free(count);
    free(w);
    free(want);
    free(want_n);
    mlc_matrix_clear(&X);
    json_decref(root);
}
END_TEST

/* scikit-learn's NearestNeighbors choice: brute beyond 15 features or when
 * n_neighbors >= n // 2, kd_tree otherwise; brute for precomputed. */
START_TEST(auto_rule)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, 20, 16), MLC_OK);
    for (size_t i = 0; i < 20 * 16; i++)
        X.data[i] = (double)(i % 7);
    mlc_neighbors_params p = mlc_neighbors_params_default();
    mlc_neighbors *nn = NULL;
    ck_assert_int_eq(mlc_neighbors_build(&p, &X, &nn), MLC_OK);
    ck_assert_int_eq(mlc_neighbors_algorithm(nn), MLC_NN_BRUTE); /* 16 features */
    mlc_neighbors_free(nn);
    mlc_matrix X15 = mlc_matrix_submatrix(&X, 0, 0, 20, 15);
    ck_assert_int_eq(mlc_neighbors_build(&p, &X15, &nn), MLC_OK);
    ck_assert_int_eq(mlc_neighbors_algorithm(nn), MLC_NN_KD_TREE);
    mlc_neighbors_free(nn);
    p.n_neighbors = 10; /* 10 >= 20 // 2 */
    ck_assert_int_eq(mlc_neighbors_build(&p, &X15, &nn), MLC_OK);
    ck_assert_int_eq(mlc_neighbors_algorithm(nn), MLC_NN_BRUTE);
    mlc_neighbors_free(nn);
    p.n_neighbors = 9;
    p.metric = MLC_METRIC_MINKOWSKI;
    p.p = 4;
    ck_assert_int_eq(mlc_neighbors_build(&p, &X15, &nn), MLC_OK);
    ck_assert_int_eq(mlc_neighbors_algorithm(nn), MLC_NN_KD_TREE);
    mlc_neighbors_free(nn);
    p.n_neighbors = 0; /* radius estimators: none */
    mlc_matrix X3 = mlc_matrix_submatrix(&X, 0, 0, 3, 3);
    ck_assert_int_eq(mlc_neighbors_build(&p, &X3, &nn), MLC_OK);
    ck_assert_int_eq(mlc_neighbors_algorithm(nn), MLC_NN_KD_TREE);
    mlc_neighbors_free(nn);
    mlc_matrix_clear(&X);
}
END_TEST

/* The trees' depth is fixed by n and leaf_size: 100 000 equal rows or
 * sorted rows build and query without deep recursion, ties by index. */
START_TEST(degenerate_data)
{
    size_t n = 100000;
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, n, 2), MLC_OK);
    for (size_t i = 0; i < 2 * n; i++)
        X.data[i] = 1.5;
    mlc_matrix Q = mlc_matrix_rows(&X, 0, 1);
    for (size_t a = 0; a < 3; a++) {
        mlc_neighbors_params p = mlc_neighbors_params_default();
        p.algorithm = ALGORITHMS[a];
        p.leaf_size = 1;
        mlc_neighbors *nn = NULL;
        ck_assert_int_eq(mlc_neighbors_build(&p, &X, &nn), MLC_OK);
        double dist[3], count;
        size_t ind[3];
        ck_assert_int_eq(mlc_neighbors_kneighbors(nn, &Q, 3, dist, ind), MLC_OK);
        for (size_t j = 0; j < 3; j++) {
            ck_assert_uint_eq(ind[j], j);
            ck_assert(dist[j] == 0.0);
        }
        ck_assert_int_eq(mlc_neighbors_radius_count(nn, &Q, 0.0, NULL, 0, &count), MLC_OK);
        ck_assert(count == (double)n);
        ck_assert_int_eq(mlc_neighbors_radius_count(nn, &Q, 0.0, NULL, 5, &count), MLC_OK);
        ck_assert(count >= 5);
        mlc_neighbors_free(nn);
    }
    /* Sorted rows: x_i = (i, -i). */
    for (size_t i = 0; i < n; i++) {
        X.data[2 * i] = (double)i;
        X.data[2 * i + 1] = -(double)i;
    }
    double q[2] = {500.2, -500.2};
    mlc_matrix Q1 = mlc_matrix_wrap(q, 1, 2, 0);
    for (size_t a = 0; a < 3; a++) {
        mlc_neighbors_params p = mlc_neighbors_params_default();
        p.algorithm = ALGORITHMS[a];
        p.leaf_size = 2;
        mlc_neighbors *nn = NULL;
        ck_assert_int_eq(mlc_neighbors_build(&p, &X, &nn), MLC_OK);
        double dist[3];
        size_t ind[3];
        ck_assert_int_eq(mlc_neighbors_kneighbors(nn, &Q1, 3, dist, ind), MLC_OK);
        ck_assert_uint_eq(ind[0], 500);
        ck_assert_uint_eq(ind[1], 501);
        ck_assert_uint_eq(ind[2], 499);
        mlc_neighbor_lists L = {0};
        ck_assert_int_eq(mlc_neighbors_radius(nn, &Q1, 3.0, 1, 1, &L), MLC_OK);
        ck_assert_uint_eq(L.offset[1], 4); /* 499 .. 502 within 3 */
        ck_assert_uint_eq(L.ind[0], 500);
        mlc_neighbor_lists_clear(&L);
        mlc_neighbors_free(nn);
    }
    mlc_matrix_clear(&X);
}
END_TEST

/* One row, one feature; a view with a stride. */
START_TEST(edge_shapes)
{
    double x[1] = {2.0}, q[2] = {0.0, 5.0};
    mlc_matrix X = mlc_matrix_wrap(x, 1, 1, 0), Q = mlc_matrix_wrap(q, 2, 1, 0);
    for (size_t a = 0; a < 4; a++) {
        mlc_neighbors_params p = mlc_neighbors_params_default();
        p.algorithm = ALGORITHMS[a];
        mlc_neighbors *nn = NULL;
        ck_assert_int_eq(mlc_neighbors_build(&p, &X, &nn), MLC_OK);
        double dist[2];
        size_t ind[2];
        ck_assert_int_eq(mlc_neighbors_kneighbors(nn, &Q, 1, dist, ind), MLC_OK);
        ck_assert(dist[0] == 2.0 && dist[1] == 3.0 && ind[0] == 0 && ind[1] == 0);
        mlc_neighbor_lists L = {0};
        ck_assert_int_eq(mlc_neighbors_radius(nn, &Q, 2.0, 1, 1, &L), MLC_OK); /* inclusive */
        ck_assert_uint_eq(L.offset[1], 1);
        ck_assert_uint_eq(L.offset[2], 1);
        mlc_neighbor_lists_clear(&L);
        mlc_neighbors_free(nn);
    }
    /* Every other column of a 6 x 2 array: stride 2. */
    double data[12] = {0, 9, 1, 9, 2, 9, 3, 9, 4, 9, 5, 9};
    mlc_matrix V = mlc_matrix_wrap(data, 6, 1, 2);
    double q2 = 3.9;
    mlc_matrix Q2 = mlc_matrix_wrap(&q2, 1, 1, 0);
    for (size_t a = 0; a < 3; a++) {
        mlc_neighbors_params p = mlc_neighbors_params_default();
        p.algorithm = ALGORITHMS[a];
        p.leaf_size = 1;
        mlc_neighbors *nn = NULL;
        ck_assert_int_eq(mlc_neighbors_build(&p, &V, &nn), MLC_OK);
        double dist[2];
        size_t ind[2];
        ck_assert_int_eq(mlc_neighbors_kneighbors(nn, &Q2, 2, dist, ind), MLC_OK);
        ck_assert_uint_eq(ind[0], 4);
        ck_assert_uint_eq(ind[1], 3);
        mlc_neighbors_free(nn);
    }
}
END_TEST

START_TEST(errors)
{
    double x[6] = {0, 1, 2, 3, 4, 5}, d2[4] = {0, 1, 1, 0};
    mlc_matrix X = mlc_matrix_wrap(x, 3, 2, 0);
    mlc_neighbors_params p = mlc_neighbors_params_default();
    mlc_neighbors *nn = NULL;
    ck_assert_status(mlc_neighbors_build(NULL, &X, &nn), MLC_EINVAL);
    ck_assert_status(mlc_neighbors_build(&p, NULL, &nn), MLC_EINVAL);
    ck_assert_status(mlc_neighbors_build(&p, &X, NULL), MLC_EINVAL);
    mlc_matrix E = mlc_matrix_wrap(x, 0, 2, 0);
    ck_assert_status(mlc_neighbors_build(&p, &E, &nn), MLC_EEMPTY);
    p.leaf_size = 0;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    p = mlc_neighbors_params_default();
    p.metric = MLC_METRIC_MINKOWSKI;
    p.p = 0.5;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    p.p = NAN;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    p = mlc_neighbors_params_default();
    p.metric = (mlc_nn_metric)9;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    p = mlc_neighbors_params_default();
    p.algorithm = (mlc_nn_algorithm)7;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    p = mlc_neighbors_params_default();
    p.n_threads = -1;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    /* Precomputed: square, >= 0, brute only, queries one column per point. */
    p = mlc_neighbors_params_default();
    p.metric = MLC_METRIC_PRECOMPUTED;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_EINVAL);
    mlc_matrix D = mlc_matrix_wrap(d2, 2, 2, 0);
    d2[1] = -1;
    ck_assert_status(mlc_neighbors_build(&p, &D, &nn), MLC_EINVAL);
    d2[1] = 1;
    p.algorithm = MLC_NN_KD_TREE;
    ck_assert_status(mlc_neighbors_build(&p, &D, &nn), MLC_EINVAL);
    p.algorithm = MLC_NN_BALL_TREE;
    ck_assert_status(mlc_neighbors_build(&p, &D, &nn), MLC_EINVAL);
    p.algorithm = MLC_NN_AUTO;
    ck_assert_int_eq(mlc_neighbors_build(&p, &D, &nn), MLC_OK);
    ck_assert_int_eq(mlc_neighbors_algorithm(nn), MLC_NN_BRUTE);
    double dist[4], cnt[3];
    size_t ind[4];
    mlc_matrix W3 = mlc_matrix_wrap(x, 2, 3, 0); /* 3 columns for 2 training points */
    ck_assert_status(mlc_neighbors_kneighbors(nn, &W3, 1, dist, ind), MLC_EINVAL);
    double dq[2] = {0.5, -0.5};
    mlc_matrix DQ = mlc_matrix_wrap(dq, 1, 2, 0);
    ck_assert_status(mlc_neighbors_kneighbors(nn, &DQ, 1, dist, ind), MLC_EINVAL);
    dq[1] = 0.5;
    ck_assert_int_eq(mlc_neighbors_kneighbors(nn, &DQ, 2, dist, ind), MLC_OK);
    ck_assert(ind[0] == 0 && ind[1] == 1 && dist[0] == 0.5);
    mlc_neighbors_free(nn);
    /* NaN / Inf in the data and the queries. */
    p = mlc_neighbors_params_default();
    x[3] = NAN;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_ENONFINITE);
    x[3] = INFINITY;
    ck_assert_status(mlc_neighbors_build(&p, &X, &nn), MLC_ENONFINITE);
    x[3] = 3;
    for (size_t a = 0; a < 3; a++) {
        p.algorithm = ALGORITHMS[a];
        ck_assert_int_eq(mlc_neighbors_build(&p, &X, &nn), MLC_OK);
        double qd[2] = {NAN, 0};
        mlc_matrix Q = mlc_matrix_wrap(qd, 1, 2, 0);
        ck_assert_status(mlc_neighbors_kneighbors(nn, &Q, 1, dist, ind), MLC_ENONFINITE);
        qd[0] = 0;
        ck_assert_status(mlc_neighbors_kneighbors(nn, &Q, 0, dist, ind), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_kneighbors(nn, &Q, 4, dist, ind), MLC_EINVAL); /* k > n */
        ck_assert_status(mlc_neighbors_kneighbors(nn, &Q, 1, NULL, ind), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_kneighbors(nn, &Q, 1, dist, NULL), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_kneighbors(NULL, &Q, 1, dist, ind), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_kneighbors(nn, NULL, 1, dist, ind), MLC_EINVAL);
        mlc_matrix Q3 = mlc_matrix_wrap(x, 2, 3, 0);
        ck_assert_status(mlc_neighbors_kneighbors(nn, &Q3, 1, dist, ind), MLC_EINVAL);
        mlc_neighbor_lists L = {0};
        ck_assert_status(mlc_neighbors_radius(nn, &Q, -1, 1, 1, &L), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius(nn, &Q, NAN, 1, 1, &L), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius(nn, &Q, INFINITY, 1, 1, &L), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius(nn, &Q, 1, 1, 1, NULL), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius(nn, &Q3, 1, 1, 1, &L), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius_count(nn, &Q, -1, NULL, 0, cnt), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius_count(nn, &Q, 1, NULL, -1, cnt), MLC_EINVAL);
        ck_assert_status(mlc_neighbors_radius_count(nn, &Q, 1, NULL, 0, NULL), MLC_EINVAL);
        double w[3] = {1, NAN, 1};
        ck_assert_status(mlc_neighbors_radius_count(nn, &Q, 1, w, 0, cnt), MLC_ENONFINITE);
        mlc_neighbors_free(nn);
    }
    mlc_neighbors_free(NULL);
    mlc_neighbor_lists_clear(NULL);
    ck_assert_int_eq(mlc_neighbors_algorithm(NULL), MLC_NN_AUTO);
    ck_assert_uint_eq(mlc_neighbors_n_samples(NULL), 0);
}
END_TEST

/* ------------------------------------------------ the k-NN estimators */

/* The fixture's params dict onto the typed params. */
static mlc_k_neighbors_classifier_params knn_params_of(json_t *params)
{
    mlc_k_neighbors_classifier_params p = mlc_k_neighbors_classifier_params_default();
    json_t *v;
    if ((v = json_object_get(params, "n_neighbors")))
        p.n_neighbors = json_integer_value(v);
    if ((v = json_object_get(params, "weights")))
        p.weights = strcmp(json_string_value(v), "distance") ? MLC_KNN_UNIFORM : MLC_KNN_DISTANCE;
    if ((v = json_object_get(params, "metric")))
        p.metric = metric_named(json_string_value(v));
    if ((v = json_object_get(params, "p")))
        p.p = json_number_value(v);
    if ((v = json_object_get(params, "leaf_size")))
        p.leaf_size = json_integer_value(v);
    if ((v = json_object_get(params, "algorithm"))) {
        const char *a = json_string_value(v);
        p.algorithm = !strcmp(a, "brute")       ? MLC_NN_BRUTE
                      : !strcmp(a, "kd_tree")   ? MLC_NN_KD_TREE
                      : !strcmp(a, "ball_tree") ? MLC_NN_BALL_TREE
                                                : MLC_NN_AUTO;
    }
    return p;
}

static mlc_k_neighbors_regressor_params regressor_params_of(json_t *params)
{
    mlc_k_neighbors_classifier_params c = knn_params_of(params);
    mlc_k_neighbors_regressor_params p = {c.n_neighbors, c.weights, c.algorithm, c.leaf_size,
                                          c.p,           c.metric,  c.n_threads};
    return p;
}

START_TEST(classifier_matches_sklearn)
{
    json_t *root = fx_load("neighbors_knn");
    json_t *sets = json_object_get(root, "classifier");
    ck_assert_uint_eq(json_array_size(sets), 3);
    for (size_t s = 0; s < json_array_size(sets); s++) {
        json_t *set = json_array_get(sets, s);
        mlc_matrix X = fx_matrix(set, "X"), Xq = fx_matrix(set, "Xq");
        size_t n, r, c;
        double *y = fx_doubles(set, "y", &n, &c);
        json_t *runs = json_object_get(set, "runs");
        for (size_t k = 0; k < json_array_size(runs); k++) {
            json_t *run = json_array_get(runs, k);
            double *want = fx_doubles(run, "predict", &r, &c);
            double *proba = fx_doubles(run, "proba", &r, &c);
            double *classes = fx_doubles(run, "classes", &r, &c);
            size_t K = r;
            mlc_k_neighbors_classifier_params p = knn_params_of(json_object_get(run, "params"));
            for (size_t a = 0; a < 4; a++) {
                if (a > 0)
                    p.algorithm = ALGORITHMS[a - 1];
                p.n_threads = (int)(a % 2) + 1;
                mlc_k_neighbors_classifier *m = NULL;
                ck_assert_int_eq(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_OK);
                ck_assert_uint_eq(mlc_k_neighbors_classifier_n_classes(m), K);
                ck_assert_uint_eq(mlc_k_neighbors_classifier_n_features(m), X.cols);
                ck_assert_ptr_nonnull(mlc_k_neighbors_classifier_index(m));
                for (size_t j = 0; j < K; j++)
                    ck_assert(mlc_k_neighbors_classifier_classes(m)[j] == classes[j]);
                double *pred = malloc(Xq.rows * sizeof *pred);
                mlc_matrix P;
                ck_assert_int_eq(mlc_matrix_alloc(&P, Xq.rows, K), MLC_OK);
                ck_assert_int_eq(mlc_k_neighbors_classifier_predict(m, &Xq, pred), MLC_OK);
                for (size_t i = 0; i < Xq.rows; i++)
                    ck_assert_msg(pred[i] == want[i], "set %zu run %zu algorithm %zu row %zu: %g, "
                                  "want %g", s, k, a, i, pred[i], want[i]);
                ck_assert_int_eq(mlc_k_neighbors_classifier_predict_proba(m, &Xq, &P), MLC_OK);
                ck_assert_close(P.data, proba, Xq.rows * K, 1e-12, "predict_proba");
                mlc_matrix_clear(&P);
                free(pred);
                mlc_k_neighbors_classifier_free(m);
            }
            free(want);
            free(proba);
            free(classes);
        }
        free(y);
        mlc_matrix_clear(&X);
        mlc_matrix_clear(&Xq);
    }
    json_decref(root);
}
END_TEST

START_TEST(regressor_matches_sklearn)
{
    json_t *root = fx_load("neighbors_knn");
    json_t *set = json_object_get(root, "regressor");
    mlc_matrix X = fx_matrix(set, "X"), Xq = fx_matrix(set, "Xq"), Y = fx_matrix(set, "y");
    mlc_matrix Y1 = mlc_matrix_submatrix(&Y, 0, 0, Y.rows, 1);
    json_t *runs = json_object_get(set, "runs");
    for (size_t k = 0; k < json_array_size(runs); k++) {
        json_t *run = json_array_get(runs, k);
        size_t r, c;
        double *want1 = fx_doubles(run, "predict1", &r, &c);
        double *want2 = fx_doubles(run, "predict2", &r, &c);
        mlc_k_neighbors_regressor_params p = regressor_params_of(json_object_get(run, "params"));
        for (size_t a = 0; a < 4; a++) {
            if (a > 0)
                p.algorithm = ALGORITHMS[a - 1];
            for (size_t t = 1; t <= 2; t++) {
                mlc_k_neighbors_regressor *m = NULL;
                ck_assert_int_eq(mlc_k_neighbors_regressor_fit(&p, &X, t == 1 ? &Y1 : &Y, &m),
                                 MLC_OK);
                ck_assert_uint_eq(mlc_k_neighbors_regressor_n_targets(m), t);
                ck_assert_uint_eq(mlc_k_neighbors_regressor_n_features(m), X.cols);
                ck_assert_ptr_nonnull(mlc_k_neighbors_regressor_index(m));
                mlc_matrix P;
                ck_assert_int_eq(mlc_matrix_alloc(&P, Xq.rows, t), MLC_OK);
                ck_assert_int_eq(mlc_k_neighbors_regressor_predict(m, &Xq, &P), MLC_OK);
                ck_assert_close_floor(P.data, t == 1 ? want1 : want2, Xq.rows * t, 1e-12, 1e-6,
                                      "regressor predict");
                mlc_matrix_clear(&P);
                mlc_k_neighbors_regressor_free(m);
            }
        }
        free(want1);
        free(want2);
    }
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Xq);
    mlc_matrix_clear(&Y);
    json_decref(root);
}
END_TEST

/* Equal votes: the smallest label (scikit-learn's mode). */
START_TEST(vote_ties)
{
    json_t *root = fx_load("neighbors_knn");
    json_t *t = json_object_get(root, "vote_tie");
    mlc_matrix X = fx_matrix(t, "X"), Xq = fx_matrix(t, "Xq");
    size_t n, r, c;
    double *y = fx_doubles(t, "y", &n, &c), *want = fx_doubles(t, "predict", &r, &c);
    double *proba = fx_doubles(t, "proba", &r, &c), pred[2];
    mlc_k_neighbors_classifier_params p = mlc_k_neighbors_classifier_params_default();
    p.n_neighbors = 4;
    mlc_k_neighbors_classifier *m = NULL;
    ck_assert_int_eq(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_OK);
    ck_assert_int_eq(mlc_k_neighbors_classifier_predict(m, &Xq, pred), MLC_OK);
    ck_assert(pred[0] == want[0] && pred[1] == want[1]);
    mlc_matrix P;
    ck_assert_int_eq(mlc_matrix_alloc(&P, 2, 3), MLC_OK);
    ck_assert_int_eq(mlc_k_neighbors_classifier_predict_proba(m, &Xq, &P), MLC_OK);
    ck_assert_close(P.data, proba, 6, 1e-15, "tie proba");
    mlc_matrix_clear(&P);
    mlc_k_neighbors_classifier_free(m);
    free(y);
    free(want);
    free(proba);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Xq);
    json_decref(root);
}
END_TEST

/* Through the registry: saved and loaded, the same bits. */
START_TEST(saved_models_predict_the_same)
{
    json_t *root = fx_load("neighbors_knn");
    json_t *set = json_array_get(json_object_get(root, "classifier"), 0);
    mlc_matrix X = fx_matrix(set, "X"), Xq = fx_matrix(set, "Xq");
    size_t n, c;
    double *y = fx_doubles(set, "y", &n, &c);
    static const char *const names[] = {"k_neighbors_classifier", "k_neighbors_regressor"};
    for (size_t e = 0; e < 2; e++) {
        mlc_estimator *est = NULL, *back = NULL;
        ck_assert_int_eq(mlc_estimator_new(names[e], &est), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(est, "n_neighbors", "6"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(est, "weights", "distance"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(est, "metric", "manhattan"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(est, "algorithm", "ball_tree"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(est, "leaf_size", "5"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_fit(est, &X, y), MLC_OK);
        char path[] = "/tmp/mlc_knn_XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(mlc_estimator_save(est, path), MLC_OK);
        ck_assert_int_eq(mlc_estimator_load(path, &back), MLC_OK);
        unlink(path);
        for (int kind = 0; kind < 2; kind++) {
            mlc_output out_kind = kind ? MLC_OUT_PROBA : MLC_OUT_PREDICT;
            if (e == 1 && kind)
                continue;
            size_t cols = e == 0 && kind ? 3 : 1;
            mlc_matrix A, B;
            ck_assert_int_eq(mlc_matrix_alloc(&A, Xq.rows, cols), MLC_OK);
            ck_assert_int_eq(mlc_matrix_alloc(&B, Xq.rows, cols), MLC_OK);
            ck_assert_int_eq(mlc_estimator_output(est, out_kind, &Xq, &A), MLC_OK);
            ck_assert_int_eq(mlc_estimator_output(back, out_kind, &Xq, &B), MLC_OK);
            ck_assert(memcmp(A.data, B.data, Xq.rows * cols * sizeof *A.data) == 0);
            mlc_matrix_clear(&A);
            mlc_matrix_clear(&B);
        }
        mlc_estimator_free(est);
        mlc_estimator_free(back);
    }
    free(y);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Xq);
    json_decref(root);
}
END_TEST

START_TEST(knn_errors)
{
    double x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[4] = {1, 2, 1, 2}, out[4];
    mlc_matrix X = mlc_matrix_wrap(x, 4, 2, 0), Y = mlc_matrix_wrap(y, 4, 1, 0);
    mlc_k_neighbors_classifier_params p = mlc_k_neighbors_classifier_params_default();
    mlc_k_neighbors_regressor_params q = mlc_k_neighbors_regressor_params_default();
    mlc_k_neighbors_classifier *m = NULL;
    mlc_k_neighbors_regressor *r = NULL;
    /* n_neighbors = 5 > 4 samples */
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    ck_assert_status(mlc_k_neighbors_regressor_fit(&q, &X, &Y, &r), MLC_EINVAL);
    p.n_neighbors = 0;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    p.n_neighbors = 2;
    p.weights = 7;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    p.weights = MLC_KNN_DISTANCE;
    p.leaf_size = 0;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    p.leaf_size = 30;
    p.p = 0.5;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    p.p = 2;
    p.metric = MLC_METRIC_PRECOMPUTED; /* 4 x 2 is not square */
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    p.metric = MLC_METRIC_EUCLIDEAN;
    y[1] = 2.5;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_EINVAL);
    y[1] = NAN;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_ENONFINITE);
    y[1] = 2;
    x[3] = INFINITY;
    ck_assert_status(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_ENONFINITE);
    x[3] = 3;
    mlc_matrix Y3 = mlc_matrix_wrap(y, 3, 1, 0);
    q.n_neighbors = 2;
    ck_assert_status(mlc_k_neighbors_regressor_fit(&q, &X, &Y3, &r), MLC_EBADLEN);
    y[2] = NAN;
    ck_assert_status(mlc_k_neighbors_regressor_fit(&q, &X, &Y, &r), MLC_ENONFINITE);
    y[2] = 1;
    ck_assert_int_eq(mlc_k_neighbors_classifier_fit(&p, &X, y, &m), MLC_OK);
    ck_assert_int_eq(mlc_k_neighbors_regressor_fit(&q, &X, &Y, &r), MLC_OK);
    mlc_matrix W = mlc_matrix_wrap(x, 2, 4, 0), P = mlc_matrix_wrap(out, 4, 1, 0);
    ck_assert_status(mlc_k_neighbors_classifier_predict(m, &W, out), MLC_EBADLEN);
    ck_assert_status(mlc_k_neighbors_regressor_predict(r, &W, &P), MLC_EBADLEN);
    x[0] = NAN;
    ck_assert_status(mlc_k_neighbors_classifier_predict(m, &X, out), MLC_ENONFINITE);
    ck_assert_status(mlc_k_neighbors_regressor_predict(r, &X, &P), MLC_ENONFINITE);
    x[0] = 0;
    mlc_matrix P2 = mlc_matrix_wrap(out, 2, 2, 0); /* predict_proba wants 4 x 2 */
    ck_assert_status(mlc_k_neighbors_classifier_predict_proba(m, &X, &P2), MLC_EBADLEN);
    /* One class is allowed: every probability 1. */
    double one[4] = {3, 3, 3, 3};
    mlc_k_neighbors_classifier *m1 = NULL;
    ck_assert_int_eq(mlc_k_neighbors_classifier_fit(&p, &X, one, &m1), MLC_OK);
    ck_assert_int_eq(mlc_k_neighbors_classifier_predict_proba(m1, &X, &P), MLC_OK);
    ck_assert(out[0] == 1.0 && out[3] == 1.0);
    mlc_k_neighbors_classifier_free(m1);
    /* Precomputed: the queries are distances to the 4 training points. */
    double d[16], dq[4] = {0.5, 0.1, 3, 4};
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            d[i * 4 + j] = fabs((double)i - (double)j);
    mlc_matrix D = mlc_matrix_wrap(d, 4, 4, 0), DQ = mlc_matrix_wrap(dq, 1, 4, 0);
    p.metric = MLC_METRIC_PRECOMPUTED;
    p.n_neighbors = 1;
    mlc_k_neighbors_classifier *mp = NULL;
    ck_assert_int_eq(mlc_k_neighbors_classifier_fit(&p, &D, y, &mp), MLC_OK);
    ck_assert_int_eq(mlc_k_neighbors_classifier_predict(mp, &DQ, out), MLC_OK);
    ck_assert(out[0] == y[1]);
    ck_assert_status(mlc_k_neighbors_classifier_predict(mp, &X, out), MLC_EBADLEN);
    mlc_k_neighbors_classifier_free(mp);
    mlc_k_neighbors_classifier_free(m);
    mlc_k_neighbors_regressor_free(r);
}
END_TEST

Suite *mlc_neighbors_suite(void)
{
    Suite *s = suite_create("neighbors");
    TCase *core = tcase_create("core");
    tcase_add_test(core, matches_sklearn);
    tcase_add_test(core, weighted_counts);
    tcase_add_test(core, auto_rule);
    tcase_add_test(core, classifier_matches_sklearn);
    tcase_add_test(core, regressor_matches_sklearn);
    tcase_add_test(core, vote_ties);
    tcase_add_test(core, saved_models_predict_the_same);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, degenerate_data);
    tcase_add_test(edge, edge_shapes);
    suite_add_tcase(s, edge);
    TCase *errors_tc = tcase_create("errors");
    tcase_add_test(errors_tc, errors);
    tcase_add_test(errors_tc, knn_errors);
    suite_add_tcase(s, errors_tc);
    return s;
}
