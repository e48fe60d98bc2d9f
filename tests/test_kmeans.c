/* KMeans against scikit-learn 1.2 (tests/fixtures/fx_kmeans.py). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal/hot.h"
#include "cluster/kmeans_impl.h"
#include "test_util.h"

#define N_ALGORITHMS 4
static const int algorithms[N_ALGORITHMS] = {MLC_KMEANS_LLOYD, MLC_KMEANS_ELKAN,
                                           MLC_KMEANS_HAMERLY, MLC_KMEANS_AUTO};

static double ari(const int32_t *a, const int32_t *b, size_t n)
{
    double v = -1.0;
    ck_assert_int_eq(mlc_adjusted_rand_score(a, b, n, &v), MLC_OK);
    return v;
}

/* A deterministic uniform matrix (tests that need more rows than a fixture). */
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

typedef struct given_case {
    json_t *obj;
    mlc_matrix X, init;
    double *sw;
    mlc_kmeans_params p;
} given_case;

static void load_case(json_t *root, size_t i, given_case *out)
{
    given_case c;
    memset(&c, 0, sizeof c);
    c.obj = json_array_get(json_object_get(root, "cases"), i);
    ck_assert_ptr_nonnull(c.obj);
    c.X = fx_matrix(c.obj, "X");
    c.init = fx_matrix(c.obj, "init");
    if (json_object_get(c.obj, "sw"))
        c.sw = fx_doubles(c.obj, "sw", NULL, NULL);
    c.p = mlc_kmeans_params_default();
    c.p.n_clusters = (long)c.init.rows;
    c.p.tol = fx_number(c.obj, "tol");
    c.p.max_iter = (long)fx_number(c.obj, "max_iter");
    *out = c;
    out->p.init_centers = &out->init;
}

static void free_case(given_case *c)
{
    mlc_matrix_clear(&c->X);
    mlc_matrix_clear(&c->init);
    free(c->sw);
}

/* ------------------------------------------------------------------ core */

START_TEST(given_centres_match_sklearn)
{
    json_t *root = fx_load("kmeans");
    size_t ncases = json_array_size(json_object_get(root, "cases"));
    ck_assert_uint_ge(ncases, 10);
    for (size_t ci = 0; ci < ncases; ci++) {
        given_case c;
        load_case(root, ci, &c);
        const char *name = json_string_value(json_object_get(c.obj, "name"));
        json_t *ref = json_object_get(c.obj, "lloyd");
        size_t n, kp;
        int32_t *labels = fx_ints(ref, "labels", &n);
        double *centers = fx_doubles(ref, "centers", NULL, NULL);
        kp = c.init.rows * c.init.cols;
        for (int a = 0; a < N_ALGORITHMS; a++) {
            c.p.algorithm = algorithms[a];
            mlc_kmeans *m = NULL;
            ck_assert_int_eq(mlc_kmeans_fit(&c.p, &c.X, c.sw, &m), MLC_OK);
            ck_assert_uint_eq(mlc_kmeans_n_samples(m), n);
            ck_assert_msg(memcmp(mlc_kmeans_labels(m), labels, n * sizeof *labels) == 0,
                          "%s (algorithm %d): labels differ from scikit-learn", name, a);
            ck_assert_close(mlc_kmeans_cluster_centers(m), centers, kp, 1e-10, name);
            double inertia = mlc_kmeans_inertia(m), ref_inertia = fx_number(ref, "inertia");
            ck_assert_msg(fabs(inertia - ref_inertia) <= 1e-10 * ref_inertia,
                          "%s: inertia %.17g vs %.17g", name, inertia, ref_inertia);
            ck_assert_int_eq(mlc_kmeans_n_iter(m), (long)fx_number(ref, "n_iter"));
            mlc_kmeans_free(m);
        }
        /* scikit-learn's own elkan agrees as well */
        int32_t *elkan = fx_ints(json_object_get(c.obj, "elkan"), "labels", NULL);
        ck_assert_int_eq(memcmp(elkan, labels, n * sizeof *labels), 0);
        free(elkan);
        free(labels);
        free(centers);
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

/* The bounds only skip work: the three algorithms give bit-identical
 * labels, centres, inertia and iteration counts. */
START_TEST(algorithms_bit_identical)
{
    json_t *root = fx_load("kmeans");
    size_t ncases = json_array_size(json_object_get(root, "cases"));
    for (size_t ci = 0; ci < ncases; ci++) {
        given_case c;
        load_case(root, ci, &c);
        mlc_kmeans *m[N_ALGORITHMS];
        for (int a = 0; a < N_ALGORITHMS; a++) {
            c.p.algorithm = algorithms[a];
            ck_assert_int_eq(mlc_kmeans_fit(&c.p, &c.X, c.sw, &m[a]), MLC_OK);
        }
        size_t kp = c.init.rows * c.init.cols;
        for (int a = 1; a < N_ALGORITHMS; a++) {
            ck_assert_int_eq(memcmp(mlc_kmeans_labels(m[a]), mlc_kmeans_labels(m[0]),
                                    c.X.rows * sizeof(int32_t)), 0);
            ck_assert_int_eq(memcmp(mlc_kmeans_cluster_centers(m[a]),
                                    mlc_kmeans_cluster_centers(m[0]), kp * sizeof(double)), 0);
            ck_assert(mlc_kmeans_inertia(m[a]) == mlc_kmeans_inertia(m[0]));
            ck_assert_int_eq(mlc_kmeans_n_iter(m[a]), mlc_kmeans_n_iter(m[0]));
        }
        for (int a = 0; a < N_ALGORITHMS; a++)
            mlc_kmeans_free(m[a]);
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

/* The 256-bit kernel (CPUs without AVX-512) gives the wide kernel's bits:
 * every score, best, runner-up and label for k from 1 to 20 (k <= 4, whole
 * and padded tiles), and whole fits of the fixtures with every algorithm.
 * Where the CPU has no AVX-512 both runs take the narrow form. */
START_TEST(narrow_kernel_same_bits)
{
    mlc_matrix X = lcg_matrix(64, 7, 3), C = lcg_matrix(20, 7, 4);
    for (size_t k = 1; k <= 20; k++) {
        mlc_km_centers kc[2];
        double all[2][24 * 8], best[2][8], second[2][8];
        int32_t lab[2][8];
        for (int f = 0; f < 2; f++) {
            ck_assert_int_eq(mlc_km_centers_alloc(&kc[f], k, X.cols), MLC_OK);
            mlc_km_centers_set(&kc[f], C.data, NULL);
        }
        kc[1].wide = 0;
        for (size_t i = 0; i < X.rows; i += 8) {
            const double *rows[8];
            for (int t = 0; t < 8; t++)
                rows[t] = mlc_matrix_row(&X, i + (size_t)t);
            for (int f = 0; f < 2; f++) {
                memset(all[f], 0, sizeof all[f]);
                mlc_km_score8(rows, &kc[f], lab[f], best[f], second[f], all[f]);
            }
            ck_assert_int_eq(memcmp(lab[0], lab[1], sizeof lab[0]), 0);
            ck_assert_int_eq(memcmp(best[0], best[1], sizeof best[0]), 0);
            ck_assert_int_eq(memcmp(second[0], second[1], sizeof second[0]), 0);
            ck_assert_int_eq(memcmp(all[0], all[1], k * 8 * sizeof(double)), 0);
            for (int f = 0; f < 2; f++) /* labels and bests without the other outputs */
                mlc_km_score8(rows, &kc[f], lab[f], best[f], NULL, NULL);
            ck_assert_int_eq(memcmp(lab[0], lab[1], sizeof lab[0]), 0);
            ck_assert_int_eq(memcmp(best[0], best[1], sizeof best[0]), 0);
        }
        mlc_km_centers_clear(&kc[0]);
        mlc_km_centers_clear(&kc[1]);
    }
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&C);

    json_t *root = fx_load("kmeans");
    size_t ncases = json_array_size(json_object_get(root, "cases"));
    for (size_t ci = 0; ci < ncases; ci++) {
        given_case c;
        load_case(root, ci, &c);
        for (int a = 0; a < N_ALGORITHMS; a++) {
            mlc_kmeans *m[2];
            c.p.algorithm = algorithms[a];
            for (int f = 0; f < 2; f++) {
                mlc_cpu_force_narrow(f);
                ck_assert_int_eq(mlc_kmeans_fit(&c.p, &c.X, c.sw, &m[f]), MLC_OK);
            }
            mlc_cpu_force_narrow(0);
            size_t kp = c.init.rows * c.init.cols;
            ck_assert_int_eq(memcmp(mlc_kmeans_labels(m[1]), mlc_kmeans_labels(m[0]),
                                    c.X.rows * sizeof(int32_t)), 0);
            ck_assert_int_eq(memcmp(mlc_kmeans_cluster_centers(m[1]),
                                    mlc_kmeans_cluster_centers(m[0]), kp * sizeof(double)), 0);
            ck_assert(mlc_kmeans_inertia(m[1]) == mlc_kmeans_inertia(m[0]));
            ck_assert_int_eq(mlc_kmeans_n_iter(m[1]), mlc_kmeans_n_iter(m[0]));
            mlc_kmeans_free(m[0]);
            mlc_kmeans_free(m[1]);
        }
        free_case(&c);
    }
    json_decref(root);
}
END_TEST

/* Which plain reference a vector form follows: 1 fused, 0 unfused, -1
 * not yet told apart. A form must give the bits of one of the two, and
 * the same one on every input. */
static int follows_one(int *which, int eq_fused, int eq_plain)
{
    if (*which < 0 && eq_fused != eq_plain)
        *which = eq_fused;
    return *which == 1 ? eq_fused : *which == 0 ? eq_plain : eq_fused || eq_plain;
}

/* Every form of the scoring kernel (AVX-512 where the CPU has it, 256-bit,
 * and the k <= 4 scorer) against the plain references, for widths 1 to 33
 * and centre counts on both sides of every tile edge, with and without the
 * runner-up and the scores: bit for bit the fused reference (fma(): the
 * forms where they contract, FMA targets at -O2) or the unfused one (the
 * baseline clone, -O1 builds), the same one for every form and input: the
 * forms a CPU has either all contract (AVX-512 and the 256-bit FMA clone,
 * at -O2) or none does. Shown to fail with the wide form's last row
 * unfused and with the narrow form's fourth row unfused. */
START_TEST(every_form_matches_reference)
{
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 33};
    int which = -1; /* every form the CPU has contracts alike (see the note above) */
    for (size_t p = 1; p <= 33; p++) {
        mlc_matrix X = lcg_matrix(16, p, 7 + p), C = lcg_matrix(33, p, 9 + p);
        for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
            const size_t k = ks[ki];
            mlc_km_centers kc;
            ck_assert_int_eq(mlc_km_centers_alloc(&kc, k, p), MLC_OK);
            mlc_km_centers_set(&kc, C.data, p % 2 ? X.data : NULL);
            for (size_t i = 0; i < X.rows; i += 8) {
                const double *rows[8];
                for (int t = 0; t < 8; t++)
                    rows[t] = mlc_matrix_row(&X, i + (size_t)t);
                /* [0]: fused reference, [1]: unfused, [2]: the form */
                double all[3][33 * 8], best[3][8], second[3][8];
                int32_t lab[3][8];
                mlc_km_score8_form(MLC_SIMD_SCALAR, rows, &kc, lab[0], best[0], second[0],
                                   all[0]);
                mlc_km_score8_form(MLC_KM_PLAIN_REFERENCE, rows, &kc, lab[1], best[1],
                                   second[1], all[1]);
                for (int form = MLC_SIMD_256; form <= mlc_cpu_level(); form++) {
                    for (int outputs = 0; outputs < 3; outputs++) {
                        int eq[2] = {1, 1};
                        mlc_km_score8_form(form, rows, &kc, lab[2], best[2],
                                           outputs > 0 ? second[2] : NULL,
                                           outputs > 1 ? all[2] : NULL);
                        for (int f = 0; f < 2; f++) {
                            eq[f] &= memcmp(lab[2], lab[f], sizeof lab[f]) == 0;
                            eq[f] &= memcmp(best[2], best[f], sizeof best[f]) == 0;
                            if (outputs > 0)
                                eq[f] &= memcmp(second[2], second[f], sizeof second[f]) == 0;
                            if (outputs > 1)
                                eq[f] &= memcmp(all[2], all[f], k * 8 * sizeof(double)) == 0;
                        }
                        ck_assert_msg(follows_one(&which, eq[0], eq[1]),
                                      "form %d p %zu k %zu outputs %d: neither reference's bits",
                                      form, p, k, outputs);
                    }
                    if (k <= 4) { /* the k-means++ candidates' scorer */
                        mlc_km_scores_few_form(form, rows, &kc, all[2]);
                        size_t n = k * 8 * sizeof(double);
                        ck_assert(follows_one(&which, memcmp(all[2], all[0], n) == 0,
                                              memcmp(all[2], all[1], n) == 0));
                    }
                }
            }
            mlc_km_centers_clear(&kc);
        }
        mlc_matrix_clear(&X);
        mlc_matrix_clear(&C);
    }
}
END_TEST

/* auto picks hamerly from 48 clusters on: still lloyd's bits, on one and
 * two threads, and with sample weights. */
START_TEST(auto_many_clusters_same_bits)
{
    mlc_matrix X = lcg_matrix(3000, 5, 11);
    double *sw = malloc(X.rows * sizeof *sw);
    for (size_t i = 0; i < X.rows; i++)
        sw[i] = 0.5 + (double)(i % 7);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 50;
    p.random_state = 3;
    for (int threads = 1; threads <= 2; threads++)
        for (int weighted = 0; weighted < 2; weighted++) {
            mlc_kmeans *m[2];
            p.n_threads = threads;
            for (int a = 0; a < 2; a++) {
                p.algorithm = a ? MLC_KMEANS_AUTO : MLC_KMEANS_LLOYD;
                ck_assert_int_eq(mlc_kmeans_fit(&p, &X, weighted ? sw : NULL, &m[a]), MLC_OK);
            }
            ck_assert_int_gt(mlc_kmeans_n_iter(m[0]), 2);
            ck_assert_int_eq(memcmp(mlc_kmeans_labels(m[1]), mlc_kmeans_labels(m[0]),
                                    X.rows * sizeof(int32_t)), 0);
            ck_assert_int_eq(memcmp(mlc_kmeans_cluster_centers(m[1]),
                                    mlc_kmeans_cluster_centers(m[0]), 50 * 5 * sizeof(double)),
                             0);
            ck_assert(mlc_kmeans_inertia(m[1]) == mlc_kmeans_inertia(m[0]));
            ck_assert_int_eq(mlc_kmeans_n_iter(m[1]), mlc_kmeans_n_iter(m[0]));
            mlc_kmeans_free(m[0]);
            mlc_kmeans_free(m[1]);
        }
    free(sw);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(kmeanspp_on_separated_blobs)
{
    json_t *root = fx_load("kmeans");
    json_t *sep = json_object_get(root, "sep");
    mlc_matrix X = fx_matrix(sep, "X");
    size_t n;
    int32_t *ref = fx_ints(sep, "labels", &n);
    int32_t *ref_rnd = fx_ints(sep, "random_labels", NULL);
    int32_t *labels = malloc(n * sizeof *labels);
    for (int a = 0; a < N_ALGORITHMS; a++) {
        for (long seed = 0; seed < 3; seed++) {
            mlc_kmeans_params p = mlc_kmeans_params_default();
            p.n_clusters = 5;
            p.random_state = seed;
            p.algorithm = algorithms[a];
            ck_assert_int_eq(mlc_kmeans_fit_predict(&p, &X, NULL, labels, NULL), MLC_OK);
            ck_assert_double_ge(ari(labels, ref, n), 0.99);
            mlc_kmeans *m;
            ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
            ck_assert_double_le(fabs(mlc_kmeans_inertia(m) - fx_number(sep, "inertia")),
                                1e-6 * fx_number(sep, "inertia"));
            ck_assert(mlc_kmeans_converged(m));
            mlc_kmeans_free(m);
        }
    }
    /* random starts, n_init 'auto' = 10 */
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 5;
    p.init = MLC_KMEANS_INIT_RANDOM;
    p.random_state = 3;
    mlc_kmeans *m;
    ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
    ck_assert_double_ge(ari(mlc_kmeans_labels(m), ref_rnd, n), 0.99);
    ck_assert_double_le(fabs(mlc_kmeans_inertia(m) - fx_number(sep, "random_inertia")),
                        1e-6 * fx_number(sep, "random_inertia"));
    mlc_kmeans_free(m);
    free(labels);
    free(ref);
    free(ref_rnd);
    mlc_matrix_clear(&X);
    json_decref(root);
}
END_TEST

START_TEST(plusplus_seeds_public)
{
    json_t *root = fx_load("kmeans");
    json_t *sep = json_object_get(root, "sep");
    mlc_matrix X = fx_matrix(sep, "X");
    size_t n;
    int32_t *ref = fx_ints(sep, "labels", &n);
    size_t idx[2][5];
    double centers[5 * 8];
    ck_assert_uint_le(X.cols, 8);
    for (int t = 0; t < 2; t++) {
        mlc_rng *rng;
        ck_assert_int_eq(mlc_rng_new(7, &rng), MLC_OK);
        ck_assert_int_eq(mlc_kmeans_plusplus(&X, 5, rng, t + 1, centers, idx[t]), MLC_OK);
        mlc_rng_free(rng);
    }
    /* the same seeds on one thread or two; one seed in each separated blob;
     * the centres are the chosen rows */
    ck_assert_int_eq(memcmp(idx[0], idx[1], sizeof idx[0]), 0);
    int seen[64] = {0};
    for (size_t j = 0; j < 5; j++) {
        ck_assert_uint_lt(idx[0][j], n);
        ck_assert_int_lt(ref[idx[0][j]], 64);
        ck_assert_int_eq(seen[ref[idx[0][j]]]++, 0);
        ck_assert_int_eq(memcmp(centers + j * X.cols, mlc_matrix_row(&X, idx[0][j]),
                                X.cols * sizeof(double)), 0);
    }
    /* errors */
    mlc_rng *rng;
    ck_assert_int_eq(mlc_rng_new(1, &rng), MLC_OK);
    ck_assert_status(mlc_kmeans_plusplus(&X, 0, rng, 1, NULL, idx[0]), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_plusplus(&X, n + 1, rng, 1, NULL, idx[0]), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_plusplus(&X, 2, NULL, 1, NULL, idx[0]), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_plusplus(&X, 2, rng, 1, NULL, NULL), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_plusplus(NULL, 2, rng, 1, NULL, idx[0]), MLC_EINVAL);
    MLC_AT(&X, 3, 1) = NAN;
    ck_assert_status(mlc_kmeans_plusplus(&X, 2, rng, 1, NULL, idx[0]), MLC_ENONFINITE);
    mlc_rng_free(rng);
    free(ref);
    mlc_matrix_clear(&X);
    json_decref(root);
}
END_TEST

START_TEST(same_seed_same_result)
{
    mlc_matrix X = lcg_matrix(500, 3, 11);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 7;
    p.random_state = 42;
    mlc_kmeans *a, *b;
    ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &a), MLC_OK);
    ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &b), MLC_OK);
    ck_assert_int_eq(memcmp(mlc_kmeans_cluster_centers(a), mlc_kmeans_cluster_centers(b),
                            7 * 3 * sizeof(double)), 0);
    ck_assert(mlc_kmeans_inertia(a) == mlc_kmeans_inertia(b));
    mlc_kmeans_free(a);
    mlc_kmeans_free(b);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(predict_transform_score_match_sklearn)
{
    json_t *root = fx_load("kmeans");
    given_case c;
        load_case(root, 0, &c); /* iris, k = 3 */
    json_t *pred = json_object_get(root, "pred");
    mlc_matrix Xnew = fx_matrix(pred, "Xnew");
    double *swnew = fx_doubles(pred, "swnew", NULL, NULL);
    size_t n;
    int32_t *ref = fx_ints(pred, "predict", &n);
    double *ref_t = fx_doubles(pred, "transform", NULL, NULL);
    mlc_kmeans *m;
    ck_assert_int_eq(mlc_kmeans_fit(&c.p, &c.X, NULL, &m), MLC_OK);
    int32_t *labels = malloc(n * sizeof *labels);
    ck_assert_int_eq(mlc_kmeans_predict(m, &Xnew, labels), MLC_OK);
    ck_assert_int_eq(memcmp(labels, ref, n * sizeof *labels), 0);
    mlc_matrix D;
    ck_assert_int_eq(mlc_matrix_alloc(&D, n, 3), MLC_OK);
    ck_assert_int_eq(mlc_kmeans_transform(m, &Xnew, &D), MLC_OK);
    ck_assert_close(D.data, ref_t, n * 3, 1e-10, "transform");
    double s;
    ck_assert_int_eq(mlc_kmeans_score(m, &Xnew, NULL, &s), MLC_OK);
    ck_assert_double_le(fabs(s - fx_number(pred, "score")), 1e-10 * fabs(fx_number(pred, "score")));
    ck_assert_int_eq(mlc_kmeans_score(m, &Xnew, swnew, &s), MLC_OK);
    ck_assert_double_le(fabs(s - fx_number(pred, "score_weighted")),
                        1e-10 * fabs(fx_number(pred, "score_weighted")));
    /* score on the training data is -inertia_ */
    ck_assert_int_eq(mlc_kmeans_score(m, &c.X, NULL, &s), MLC_OK);
    ck_assert_double_le(fabs(s + mlc_kmeans_inertia(m)), 1e-10 * mlc_kmeans_inertia(m));
    mlc_kmeans_free(m);
    mlc_matrix_clear(&D);
    mlc_matrix_clear(&Xnew);
    free(labels);
    free(ref);
    free(ref_t);
    free(swnew);
    free_case(&c);
    json_decref(root);
}
END_TEST

/* Parts of the row partition are combined in a fixed order: one thread and
 * two give bit-identical fits (20000 rows make several parts). */
START_TEST(thread_count_independent)
{
    mlc_matrix X = lcg_matrix(20000, 3, 5);
    for (int a = 0; a < N_ALGORITHMS; a++) {
        mlc_kmeans_params p = mlc_kmeans_params_default();
        p.n_clusters = 9;
        p.random_state = 1;
        p.algorithm = algorithms[a];
        mlc_kmeans *m[2];
        for (int t = 0; t < 2; t++) {
            p.n_threads = t + 1;
            ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m[t]), MLC_OK);
        }
        ck_assert_int_eq(memcmp(mlc_kmeans_cluster_centers(m[0]), mlc_kmeans_cluster_centers(m[1]),
                                9 * 3 * sizeof(double)), 0);
        ck_assert_int_eq(memcmp(mlc_kmeans_labels(m[0]), mlc_kmeans_labels(m[1]),
                                X.rows * sizeof(int32_t)), 0);
        ck_assert(mlc_kmeans_inertia(m[0]) == mlc_kmeans_inertia(m[1]));
        mlc_kmeans_free(m[0]);
        mlc_kmeans_free(m[1]);
    }
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(registry_fit_save_load)
{
    json_t *root = fx_load("kmeans");
    given_case c;
        load_case(root, 0, &c);
    mlc_estimator *e = NULL, *back = NULL;
    ck_assert_int_eq(mlc_estimator_new("kmeans", &e), MLC_OK);
    ck_assert_int_eq(mlc_estimator_task(e), MLC_TASK_CLUSTERER);
    ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "3"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "algorithm", "hamerly"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set_matrix(e, "init_centers", &c.init), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(e, "cluster_centers_", &a), MLC_OK);
    ck_assert_int_eq(a.ndim, 2);
    ck_assert_uint_eq(a.shape[0], 3);
    ck_assert_uint_eq(a.shape[1], 4);
    double *ref_c = fx_doubles(json_object_get(c.obj, "lloyd"), "centers", NULL, NULL);
    ck_assert_close((const double *)a.data, ref_c, 12, 1e-10, "registry centres");
    ck_assert_int_eq(mlc_estimator_attribute(e, "labels_", &a), MLC_OK);
    ck_assert_int_eq(a.dtype, MLC_DTYPE_I32);
    ck_assert_uint_eq(a.shape[0], c.X.rows);

    double *pred = malloc(c.X.rows * sizeof *pred), *pred2 = malloc(c.X.rows * sizeof *pred2);
    ck_assert_int_eq(mlc_estimator_predict(e, &c.X, pred), MLC_OK);
    for (size_t i = 0; i < c.X.rows; i++)
        ck_assert_int_eq((int)pred[i], ((const int32_t *)a.data)[i]);
    double score, inertia;
    ck_assert_int_eq(mlc_estimator_score(e, &c.X, NULL, &score), MLC_OK);
    ck_assert_int_eq(mlc_estimator_attribute(e, "inertia_", &a), MLC_OK);
    inertia = *(const double *)a.data;
    ck_assert_double_le(fabs(score + inertia), 1e-10 * inertia);
    ck_assert_uint_eq(mlc_estimator_output_cols(e, MLC_OUT_TRANSFORM), 3);

    char path[] = "/tmp/mlc_kmeans_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
    ck_assert_int_eq(mlc_estimator_load_as(path, "kmeans", &back), MLC_OK);
    remove(path);
    ck_assert_int_eq(mlc_estimator_predict(back, &c.X, pred2), MLC_OK);
    ck_assert_int_eq(memcmp(pred, pred2, c.X.rows * sizeof *pred), 0);
    mlc_matrix T1, T2;
    ck_assert_int_eq(mlc_matrix_alloc(&T1, c.X.rows, 3), MLC_OK);
    ck_assert_int_eq(mlc_matrix_alloc(&T2, c.X.rows, 3), MLC_OK);
    ck_assert_int_eq(mlc_estimator_transform(e, &c.X, &T1), MLC_OK);
    ck_assert_int_eq(mlc_estimator_transform(back, &c.X, &T2), MLC_OK);
    ck_assert_int_eq(memcmp(T1.data, T2.data, T1.rows * 3 * sizeof(double)), 0);
    double score2;
    ck_assert_int_eq(mlc_estimator_score(back, &c.X, NULL, &score2), MLC_OK);
    ck_assert(score == score2);
    ck_assert_int_eq(mlc_estimator_attribute(back, "n_iter_", &a), MLC_OK);
    ck_assert_int_eq((long)mlc_attribute_value(&a, 0),
                     (long)fx_number(json_object_get(c.obj, "lloyd"), "n_iter"));

    /* n_init as 'auto' or a count, checked against the table */
    ck_assert_int_eq(mlc_estimator_set(e, "n_init", "4"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "n_init", "auto"), MLC_OK);
    mlc_matrix_clear(&T1);
    mlc_matrix_clear(&T2);
    free(pred);
    free(pred2);
    free(ref_c);
    mlc_estimator_free(e);
    mlc_estimator_free(back);
    free_case(&c);
    json_decref(root);
}
END_TEST

/* ------------------------------------------------------------------ edge */

START_TEST(single_point)
{
    double x[3] = {1.5, -2.0, 4.0};
    mlc_matrix X = mlc_matrix_wrap(x, 1, 3, 0);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 1;
    mlc_kmeans *m;
    ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
    ck_assert_int_eq(mlc_kmeans_labels(m)[0], 0);
    ck_assert_double_eq(mlc_kmeans_inertia(m), 0.0);
    for (int f = 0; f < 3; f++)
        ck_assert_double_eq_tol(mlc_kmeans_cluster_centers(m)[f], x[f], 1e-15);
    ck_assert(mlc_kmeans_converged(m));
    mlc_kmeans_free(m);
}
END_TEST

START_TEST(k_equals_n)
{
    double x[5] = {0.0, 1.0, 3.0, 7.0, 15.0};
    mlc_matrix X = mlc_matrix_wrap(x, 5, 1, 0);
    for (int a = 0; a < N_ALGORITHMS; a++) {
        mlc_kmeans_params p = mlc_kmeans_params_default();
        p.n_clusters = 5;
        p.random_state = 0;
        p.algorithm = algorithms[a];
        mlc_kmeans *m;
        ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
        ck_assert_double_eq_tol(mlc_kmeans_inertia(m), 0.0, 1e-20);
        ck_assert_uint_eq(mlc_kmeans_n_distinct(m), 5);
        mlc_kmeans_free(m);
    }
}
END_TEST

/* Fewer distinct points than clusters: scikit-learn warns and continues. */
START_TEST(fewer_distinct_points_than_clusters)
{
    double x[12] = {1, 2, 1, 2, 1, 2, 1, 2, 5, 5, 5, 5};
    mlc_matrix X = mlc_matrix_wrap(x, 6, 2, 0);
    for (int a = 0; a < N_ALGORITHMS; a++)
        for (int init = 0; init < 2; init++) {
            mlc_kmeans_params p = mlc_kmeans_params_default();
            p.n_clusters = 4;
            p.random_state = 3;
            p.init = init;
            p.algorithm = algorithms[a];
            mlc_kmeans *m;
            ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
            ck_assert_uint_le(mlc_kmeans_n_distinct(m), 2);
            ck_assert_int_eq(mlc_kmeans_converged(m), 0);
            ck_assert_double_eq_tol(mlc_kmeans_inertia(m), 0.0, 1e-20);
            mlc_kmeans_free(m);
        }
}
END_TEST

START_TEST(constant_column_and_zero_weights)
{
    mlc_matrix X = lcg_matrix(60, 3, 9);
    for (size_t i = 0; i < 60; i++)
        MLC_AT(&X, i, 1) = 4.0;
    double sw[60];
    for (size_t i = 0; i < 60; i++)
        sw[i] = i % 3 == 0 ? 0.0 : 1.0;
    for (int a = 0; a < N_ALGORITHMS; a++) {
        mlc_kmeans_params p = mlc_kmeans_params_default();
        p.n_clusters = 4;
        p.random_state = 2;
        p.algorithm = algorithms[a];
        mlc_kmeans *m;
        ck_assert_int_eq(mlc_kmeans_fit(&p, &X, sw, &m), MLC_OK);
        const double *c = mlc_kmeans_cluster_centers(m);
        for (int j = 0; j < 4; j++)
            ck_assert_double_eq_tol(c[j * 3 + 1], 4.0, 1e-12);
        /* weighted inertia ignores zero-weight rows */
        double s;
        ck_assert_int_eq(mlc_kmeans_score(m, &X, sw, &s), MLC_OK);
        ck_assert_double_le(fabs(s + mlc_kmeans_inertia(m)), 1e-10 * mlc_kmeans_inertia(m));
        mlc_kmeans_free(m);
    }
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(strided_input)
{
    /* a view with stride > cols gives the same fit as a compact copy */
    mlc_matrix big = lcg_matrix(200, 5, 3);
    mlc_matrix view = mlc_matrix_submatrix(&big, 0, 1, 200, 3), copy = {0};
    ck_assert_int_eq(mlc_matrix_copy(&view, &copy), MLC_OK);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 4;
    p.random_state = 8;
    mlc_kmeans *a, *b;
    ck_assert_int_eq(mlc_kmeans_fit(&p, &view, NULL, &a), MLC_OK);
    ck_assert_int_eq(mlc_kmeans_fit(&p, &copy, NULL, &b), MLC_OK);
    ck_assert_int_eq(memcmp(mlc_kmeans_cluster_centers(a), mlc_kmeans_cluster_centers(b),
                            12 * sizeof(double)), 0);
    mlc_kmeans_free(a);
    mlc_kmeans_free(b);
    mlc_matrix_clear(&copy);
    mlc_matrix_clear(&big);
}
END_TEST

START_TEST(large_input_labels_are_nearest_centres)
{
    /* Over 8 MB, the passes touch each group's cache lines before scoring
     * (algorithms/cluster/kmeans_impl.h): every label is still the nearest final
     * centre, the inertia their sum, and predict gives the same labels. */
    const size_t n = 131200, d = 8, k = 5;
    mlc_matrix X = lcg_matrix(n, d, 21);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = k;
    p.random_state = 4;
    p.max_iter = 20;
    p.n_threads = 2;
    mlc_kmeans *m;
    ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
    const double *C = mlc_kmeans_cluster_centers(m);
    const int32_t *lab = mlc_kmeans_labels(m);
    int32_t *pred = malloc(n * sizeof *pred);
    ck_assert_ptr_nonnull(pred);
    ck_assert_int_eq(mlc_kmeans_predict(m, &X, pred), MLC_OK);
    double inertia = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double *x = mlc_matrix_row(&X, i);
        double dmin = INFINITY, dl = 0.0;
        for (size_t j = 0; j < k; j++) {
            double s = 0.0;
            for (size_t f = 0; f < d; f++)
                s += (x[f] - C[j * d + f]) * (x[f] - C[j * d + f]);
            dmin = s < dmin ? s : dmin;
            if ((int32_t)j == lab[i])
                dl = s;
        }
        ck_assert_double_le(dl, dmin * (1.0 + 1e-9) + 1e-12);
        ck_assert_int_eq(pred[i], lab[i]);
        inertia += dl;
    }
    ck_assert_double_eq_tol(mlc_kmeans_inertia(m), inertia, 1e-9 * inertia);
    free(pred);
    mlc_kmeans_free(m);
    mlc_matrix_clear(&X);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(bad_inputs)
{
    mlc_matrix X = lcg_matrix(10, 2, 1);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    mlc_kmeans *m = NULL;

    p.n_clusters = 0;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_null(m);
    p.n_clusters = 11;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p = mlc_kmeans_params_default();
    p.n_clusters = 3;
    p.n_init = -1;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p.n_init = 1;
    p.max_iter = 0;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p.max_iter = 300;
    p.tol = -1.0;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p.tol = NAN;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p.tol = 1e-4;
    p.algorithm = 7;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p.algorithm = MLC_KMEANS_LLOYD;
    p.init = 5;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EINVAL);
    p.init = MLC_KMEANS_INIT_RANDOM;

    /* non-finite data */
    MLC_AT(&X, 4, 1) = NAN;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_ENONFINITE);
    MLC_AT(&X, 4, 1) = INFINITY;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_ENONFINITE);
    MLC_AT(&X, 4, 1) = 0.5;

    /* weights */
    double sw[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, -1};
    ck_assert_status(mlc_kmeans_fit(&p, &X, sw, &m), MLC_EINVAL);
    sw[9] = NAN;
    ck_assert_status(mlc_kmeans_fit(&p, &X, sw, &m), MLC_ENONFINITE);

    /* starting centres of the wrong shape or with NaN */
    mlc_matrix C;
    ck_assert_int_eq(mlc_matrix_alloc(&C, 2, 2), MLC_OK);
    p.init_centers = &C;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EBADLEN);
    mlc_matrix_clear(&C);
    ck_assert_int_eq(mlc_matrix_alloc(&C, 3, 3), MLC_OK);
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EBADLEN);
    mlc_matrix_clear(&C);
    ck_assert_int_eq(mlc_matrix_alloc(&C, 3, 2), MLC_OK);
    C.data[3] = NAN;
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_ENONFINITE);
    mlc_matrix_clear(&C);
    p.init_centers = NULL;

    /* empty input and NULL pointers */
    mlc_matrix empty = mlc_matrix_wrap(X.data, 0, 2, 0);
    ck_assert_status(mlc_kmeans_fit(&p, &empty, NULL, &m), MLC_EEMPTY);
    ck_assert_status(mlc_kmeans_fit(&p, NULL, NULL, &m), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_fit(NULL, &X, NULL, &m), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_fit(&p, &X, NULL, NULL), MLC_EINVAL);
    ck_assert_ptr_null(m);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(bad_predict_inputs)
{
    mlc_matrix X = lcg_matrix(30, 2, 4);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 3;
    p.random_state = 0;
    mlc_kmeans *m;
    ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
    mlc_matrix X3 = lcg_matrix(5, 3, 4);
    int32_t labels[30];
    ck_assert_status(mlc_kmeans_predict(m, &X3, labels), MLC_EBADLEN);
    mlc_matrix D;
    ck_assert_int_eq(mlc_matrix_alloc(&D, 30, 2), MLC_OK);
    ck_assert_status(mlc_kmeans_transform(m, &X, &D), MLC_EBADLEN);
    double s;
    ck_assert_status(mlc_kmeans_score(m, &X3, NULL, &s), MLC_EBADLEN);
    ck_assert_status(mlc_kmeans_predict(m, &X, NULL), MLC_EINVAL);
    ck_assert_status(mlc_kmeans_predict(NULL, &X, labels), MLC_EINVAL);
    MLC_AT(&X, 0, 0) = NAN;
    ck_assert_status(mlc_kmeans_predict(m, &X, labels), MLC_ENONFINITE);
    ck_assert_status(mlc_kmeans_fit_predict(&p, &X, NULL, NULL, NULL), MLC_EINVAL);
    mlc_matrix_clear(&D);
    mlc_matrix_clear(&X3);
    mlc_matrix_clear(&X);
    mlc_kmeans_free(m);
    mlc_kmeans_free(NULL);
}
END_TEST

/* predict and score check X's values in the scoring: NaN or an infinity
 * anywhere gets the scan's status and message, at 1 and 2 threads; a finite
 * row whose scores overflow is not an error. */
START_TEST(predict_checks_values_in_the_scoring)
{
    mlc_matrix X = lcg_matrix(9001, 8, 21); /* two row parts, enough work for 2 threads */
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 5;
    p.random_state = 0;
    mlc_kmeans *m = NULL;
    int32_t *labels = malloc(X.rows * sizeof *labels);
    const size_t rows[4] = {0, 4100, 8999, 9000}, cols[4] = {0, 3, 7, 5};
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    char want[512];
    for (int threads = 1; threads <= 2; threads++) {
        p.n_threads = threads;
        mlc_kmeans_free(m);
        ck_assert_int_eq(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_OK);
        for (size_t at = 0; at < 4; at++)
            for (size_t b = 0; b < 3; b++) {
                double keep = MLC_AT(&X, rows[at], cols[at]);
                MLC_AT(&X, rows[at], cols[at]) = bad[b];
                ck_assert_status(mlc_matrix_check_finite(&X, "X"), MLC_ENONFINITE);
                snprintf(want, sizeof want, "%s", mlc_last_error_message());
                ck_assert_status(mlc_kmeans_predict(m, &X, labels), MLC_ENONFINITE);
                ck_assert_str_eq(mlc_last_error_message(), want);
                double score = 0.0;
                ck_assert_status(mlc_kmeans_score(m, &X, NULL, &score), MLC_ENONFINITE);
                ck_assert_str_eq(mlc_last_error_message(), want);
                MLC_AT(&X, rows[at], cols[at]) = keep;
            }
    }
    MLC_AT(&X, 4100, 0) = 1e300;
    MLC_AT(&X, 4100, 1) = -1e300;
    ck_assert_int_eq(mlc_kmeans_predict(m, &X, labels), MLC_OK);
    free(labels);
    mlc_kmeans_free(m);
    mlc_matrix_clear(&X);
}
END_TEST

/* ------------------------------------------- init: a keyword or an array */

/* labels_, cluster_centers_, inertia_ and n_iter_ of two fitted estimators
 * are the same bits. */
static void expect_same_fit(const mlc_estimator *a, const mlc_estimator *b, const char *what)
{
    static const char *const names[4] = {"labels_", "cluster_centers_", "inertia_", "n_iter_"};
    for (int i = 0; i < 4; i++) {
        mlc_attribute x, y;
        ck_assert_int_eq(mlc_estimator_attribute(a, names[i], &x), MLC_OK);
        ck_assert_int_eq(mlc_estimator_attribute(b, names[i], &y), MLC_OK);
        size_t n = mlc_attribute_size(&x);
        ck_assert_uint_eq(n, mlc_attribute_size(&y));
        for (size_t k = 0; k < n; k++)
            ck_assert_msg(mlc_attribute_value(&x, k) == mlc_attribute_value(&y, k),
                          "%s: %s[%zu] differs", what, names[i], k);
    }
}

static mlc_estimator *kmeans_with(const char *param, const char *value)
{
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("kmeans", &e), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "3"), MLC_OK);
    if (param)
        ck_assert_status(mlc_estimator_set(e, param, value), MLC_OK);
    return e;
}

static void expect_param(const mlc_estimator *e, const char *param, const char *want)
{
    char buf[64];
    ck_assert_int_eq(mlc_estimator_get(e, param, buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, want);
}

/* init as scikit-learn's KMeans takes it: a keyword, or the starting centres
 * as an array (from an .npy or a CSV file, or a matrix); the same bits as
 * init_centers, the name it had before (an alias now). */
START_TEST(registry_init_takes_an_array)
{
    json_t *root = fx_load("kmeans");
    given_case c;
    load_case(root, 0, &c); /* iris, init = rows 0, 50, 100 */
    mlc_estimator *ref = kmeans_with(NULL, NULL);
    ck_assert_int_eq(mlc_estimator_set_matrix(ref, "init_centers", &c.init), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(ref, &c.X, NULL), MLC_OK);
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(ref, "cluster_centers_", &a), MLC_OK);
    double *ref_c = fx_doubles(json_object_get(c.obj, "lloyd"), "centers", NULL, NULL);
    ck_assert_close((const double *)a.data, ref_c, 12, 1e-10, "centres from init_centers");

    const char *files[2] = {"kmeans/iris_k3_init.npy", "kmeans/iris_k3_init.csv"};
    for (int f = 0; f < 2; f++) {
        mlc_estimator *e = kmeans_with("init", fx_path(files[f]));
        expect_param(e, "init", "<3 x 4 array>");
        expect_param(e, "init_centers", "<3 x 4 array>");
        ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
        expect_same_fit(e, ref, files[f]);
        /* the alias reads a file too */
        mlc_estimator *old = kmeans_with("init_centers", fx_path(files[f]));
        ck_assert_int_eq(mlc_estimator_fit(old, &c.X, NULL), MLC_OK);
        expect_same_fit(old, ref, "init_centers from a file");
        mlc_estimator_free(old);
        /* a clone keeps the array and the shape it was given in */
        mlc_estimator *cl = NULL;
        ck_assert_int_eq(mlc_estimator_clone(e, &cl), MLC_OK);
        expect_param(cl, "init", "<3 x 4 array>");
        ck_assert_int_eq(mlc_estimator_fit(cl, &c.X, NULL), MLC_OK);
        expect_same_fit(cl, ref, "a clone");
        mlc_estimator_free(cl);
        mlc_estimator_free(e);
    }
    mlc_estimator *e = kmeans_with(NULL, NULL);
    ck_assert_int_eq(mlc_estimator_set_matrix(e, "init", &c.init), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
    expect_same_fit(e, ref, "set_matrix init");

    /* n_init with an array: one run, as scikit-learn's (which warns) */
    ck_assert_int_eq(mlc_estimator_set(e, "n_init", "10"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
    expect_same_fit(e, ref, "n_init 10 with an array");
    json_t *many = json_object_get(root, "array_n_init");
    ck_assert_int_eq(mlc_estimator_attribute(e, "labels_", &a), MLC_OK);
    int32_t *ref_l = fx_ints(many, "labels", NULL);
    ck_assert_int_eq(memcmp(a.data, ref_l, c.X.rows * sizeof *ref_l), 0);
    ck_assert_int_eq(mlc_estimator_attribute(e, "n_iter_", &a), MLC_OK);
    ck_assert_int_eq((long)mlc_attribute_value(&a, 0), (long)fx_number(many, "n_iter"));
    free(ref_l);

    /* A keyword chooses it and drops the array: one Lloyd step from random
     * rows is not one from the given centres. */
    ck_assert_int_eq(mlc_estimator_set(e, "max_iter", "1"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "random_state", "0"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "n_init", "1"), MLC_OK);
    mlc_estimator *from_array = NULL, *random = NULL;
    ck_assert_int_eq(mlc_estimator_clone(e, &from_array), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(from_array, &c.X, NULL), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "init", "random"), MLC_OK);
    expect_param(e, "init", "random");
    ck_assert_int_eq(mlc_estimator_clone(e, &random), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set_matrix(random, "init", &c.init), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set_matrix(random, "init_centers", NULL), MLC_OK);
    expect_param(random, "init", "random"); /* unset: back to the keyword */
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(random, &c.X, NULL), MLC_OK);
    expect_same_fit(e, random, "init random");
    mlc_attribute x, y;
    ck_assert_int_eq(mlc_estimator_attribute(e, "cluster_centers_", &x), MLC_OK);
    ck_assert_int_eq(mlc_estimator_attribute(from_array, "cluster_centers_", &y), MLC_OK);
    ck_assert_int_ne(memcmp(x.data, y.data, 12 * sizeof(double)), 0);
    /* "" unsets the array too */
    ck_assert_int_eq(mlc_estimator_set(e, "init", fx_path(files[0])), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "init", ""), MLC_OK);
    expect_param(e, "init", "random");
    ck_assert_int_eq(mlc_estimator_set(e, "init", "k-means++"), MLC_OK);
    expect_param(e, "init_centers", "k-means++");
    mlc_estimator_free(from_array);
    mlc_estimator_free(random);
    mlc_estimator_free(e);
    mlc_estimator_free(ref);
    free(ref_c);
    free_case(&c);
    json_decref(root);
}
END_TEST

/* Model files keep the array (and load the older init_centers form). */
START_TEST(registry_init_array_in_model_files)
{
    json_t *root = fx_load("kmeans");
    given_case c;
    load_case(root, 0, &c);
    mlc_estimator *e = kmeans_with("init", fx_path("kmeans/iris_k3_init.npy")), *back = NULL;
    ck_assert_int_eq(mlc_estimator_fit(e, &c.X, NULL), MLC_OK);
    char path[] = "/tmp/mlc_kmeans_init_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
    json_error_t jerr;
    json_t *file = json_load_file(path, 0, &jerr);
    ck_assert_ptr_nonnull(file);
    json_t *params = json_object_get(file, "params");
    json_t *init = json_object_get(params, "init");
    ck_assert(json_is_array(init) && json_array_size(init) == 3);
    ck_assert_ptr_null(json_object_get(params, "init_centers"));
    ck_assert_int_eq(mlc_estimator_load(path, &back), MLC_OK);
    expect_param(back, "init", "<3 x 4 array>");
    double *p1 = malloc(c.X.rows * sizeof *p1), *p2 = malloc(c.X.rows * sizeof *p2);
    ck_assert_int_eq(mlc_estimator_predict(e, &c.X, p1), MLC_OK);
    ck_assert_int_eq(mlc_estimator_predict(back, &c.X, p2), MLC_OK);
    ck_assert_int_eq(memcmp(p1, p2, c.X.rows * sizeof *p1), 0);
    ck_assert_int_eq(mlc_estimator_fit(back, &c.X, NULL), MLC_OK); /* refit from the file's start */
    expect_same_fit(back, e, "refit from a model file");
    mlc_estimator_free(back);

    /* An older file: init a keyword, the array in init_centers (or null). */
    json_object_set_new(params, "init_centers", json_deep_copy(init));
    json_object_set_new(params, "init", json_string("random"));
    ck_assert_int_eq(json_dump_file(file, path, 0), 0);
    ck_assert_int_eq(mlc_estimator_load(path, &back), MLC_OK);
    expect_param(back, "init", "<3 x 4 array>");
    ck_assert_int_eq(mlc_estimator_fit(back, &c.X, NULL), MLC_OK);
    expect_same_fit(back, e, "an older file's init_centers");
    mlc_estimator_free(back);
    json_object_set_new(params, "init_centers", json_null());
    ck_assert_int_eq(json_dump_file(file, path, 0), 0);
    ck_assert_int_eq(mlc_estimator_load(path, &back), MLC_OK);
    expect_param(back, "init", "random");
    mlc_estimator_free(back);
    json_object_set_new(params, "init", json_integer(3));
    ck_assert_int_eq(json_dump_file(file, path, 0), 0);
    ck_assert_status(mlc_estimator_load(path, &back), MLC_EFORMAT);
    remove(path);
    json_decref(file);
    free(p1);
    free(p2);
    mlc_estimator_free(e);
    free_case(&c);
    json_decref(root);
}
END_TEST

/* The status of `call` is `status` and its message holds `needle`. */
#define ck_assert_message(call, status, needle)                                            \
    do {                                                                                   \
        ck_assert_status((call), (status));                                                \
        ck_assert_msg(strstr(mlc_last_error_message(), (needle)) != NULL,                  \
                      "message '%s' lacks '%s'", mlc_last_error_message(), (needle));      \
    } while (0)

START_TEST(registry_init_errors)
{
    mlc_matrix X = lcg_matrix(20, 4, 3);
    mlc_estimator *e = kmeans_with(NULL, NULL);
    /* neither a keyword nor a file: both named */
    ck_assert_message(mlc_estimator_set(e, "init", "kmeans++"), MLC_EINVAL, "k-means++|random");
    ck_assert_message(mlc_estimator_set(e, "init", "kmeans++"), MLC_EINVAL, "array file");
    ck_assert_message(mlc_estimator_set(e, "init_centers", "/nonexistent/c.npy"), MLC_EINVAL,
                      "neither a keyword nor a file");
    expect_param(e, "init", "k-means++");
    /* a file that is not an array: the reader's error */
    char dir[] = "/tmp/mlc_kmeans_arrays_XXXXXX", file[96];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/text.npy", dir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("not an array\n", f);
    fclose(f);
    ck_assert_status(mlc_estimator_set(e, "init", file), MLC_EFORMAT);
    expect_param(e, "init", "k-means++");
    /* wrong shapes, named as numpy has them, at fit */
    static const struct {
        int ndim;
        size_t shape[3];
        const char *given;
    } wrong[] = {
        {3, {3, 2, 4}, "(3, 2, 4)"},
        {3, {1, 3, 4}, "(1, 3, 4)"}, /* read as 3 x 4: the right matrix, not the right array */
        {1, {4}, "(4,)"},
        {2, {2, 4}, "(2, 4)"},
        {2, {3, 5}, "(3, 5)"},
    };
    double zeros[40] = {0};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        unlink(file);
        write_npy_nd(file, zeros, wrong[i].shape, wrong[i].ndim);
        ck_assert_status(mlc_estimator_set(e, "init", file), MLC_OK);
        char want[128];
        snprintf(want, sizeof want,
                 "init has shape %s but needs (n_clusters, n_features) = (3, 4)", wrong[i].given);
        ck_assert_message(mlc_estimator_fit(e, &X, NULL), MLC_EBADLEN, want);
    }
    unlink(file);
    /* a caller's matrix: rows x cols */
    mlc_matrix C = lcg_matrix(2, 4, 5);
    ck_assert_int_eq(mlc_estimator_set_matrix(e, "init", &C), MLC_OK);
    char small[8];
    ck_assert_status(mlc_estimator_get(e, "init", small, sizeof small), MLC_ERANGE);
    ck_assert_message(mlc_estimator_fit(e, &X, NULL), MLC_EBADLEN,
                      "init has shape 2 x 4 but needs (n_clusters, n_features) = (3, 4)");
    C.data[1] = NAN;
    ck_assert_status(mlc_estimator_set_matrix(e, "init", &C), MLC_ENONFINITE);
    mlc_kmeans_params p = mlc_kmeans_params_default();
    p.n_clusters = 3;
    p.init_centers = &C;
    mlc_kmeans *m = NULL;
    C.data[1] = 0.5;
    ck_assert_message(mlc_kmeans_fit(&p, &X, NULL, &m), MLC_EBADLEN,
                      "init_centers has shape 2 x 4 but needs (n_clusters, n_features) = (3, 4)");
    rmdir(dir);
    mlc_matrix_clear(&C);
    mlc_matrix_clear(&X);
    mlc_estimator_free(e);
}
END_TEST

START_TEST(bad_registry_inputs)
{
    mlc_estimator *e;
    ck_assert_int_eq(mlc_estimator_new("kmeans", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "n_init", "0"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "n_clusters", "0"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "algorithm", "full"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "init", "kmeans"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set(e, "tol", "-1"), MLC_EINVAL);
    mlc_matrix X = lcg_matrix(4, 2, 1);
    double out[4];
    ck_assert_status(mlc_estimator_predict(e, &X, out), MLC_ENOTFITTED);
    ck_assert_status(mlc_estimator_fit(e, &X, NULL), MLC_EINVAL); /* 8 clusters > 4 rows */
    mlc_matrix_clear(&X);
    mlc_estimator_free(e);
}
END_TEST

Suite *mlc_kmeans_suite(void)
{
    Suite *s = suite_create("kmeans");
    TCase *core = tcase_create("core");
    tcase_add_test(core, given_centres_match_sklearn);
    tcase_add_test(core, algorithms_bit_identical);
    tcase_add_test(core, narrow_kernel_same_bits);
    tcase_add_test(core, every_form_matches_reference);
    tcase_add_test(core, auto_many_clusters_same_bits);
    tcase_add_test(core, kmeanspp_on_separated_blobs);
    tcase_add_test(core, plusplus_seeds_public);
    tcase_add_test(core, same_seed_same_result);
    tcase_add_test(core, predict_transform_score_match_sklearn);
    tcase_add_test(core, thread_count_independent);
    tcase_add_test(core, registry_fit_save_load);
    tcase_add_test(core, registry_init_takes_an_array);
    tcase_add_test(core, registry_init_array_in_model_files);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, single_point);
    tcase_add_test(edge, k_equals_n);
    tcase_add_test(edge, fewer_distinct_points_than_clusters);
    tcase_add_test(edge, constant_column_and_zero_weights);
    tcase_add_test(edge, strided_input);
    tcase_add_test(edge, large_input_labels_are_nearest_centres);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, bad_inputs);
    tcase_add_test(errors, bad_predict_inputs);
    tcase_add_test(errors, predict_checks_values_in_the_scoring);
    tcase_add_test(errors, bad_registry_inputs);
    tcase_add_test(errors, registry_init_errors);
    suite_add_tcase(s, errors);
    return s;
}
