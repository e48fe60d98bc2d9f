/* Clustering metrics against scikit-learn 1.2 (fixture metrics_clustering).
 * Silhouette and Davies-Bouldin use Euclidean distances by the dot-product
 * expansion, so they are compared at 1e-10; the rest at 1e-12. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/hot.h"
#include "metrics/silhouette.h"
#include "test_util.h"

static double g_worst_exact = 0.0, g_worst_dist = 0.0;

static void expect(const double *got, json_t *fx, const char *key, size_t n, double tol)
{
    size_t r, c;
    double *want = fx_doubles(fx, key, &r, &c);
    ck_assert_msg(r * c == n, "%s: fixture has %zu values, expected %zu", key, r * c, n);
    double d = max_rel_diff(got, want, n, 1.0);
    ck_assert_msg(d <= tol, "%s differs: max rel diff %.3g", key, d);
    double *worst = tol > 1e-12 ? &g_worst_dist : &g_worst_exact;
    if (d > *worst)
        *worst = d;
    free(want);
}

START_TEST(test_geometry)
{
    json_t *fx = fx_load("metrics_clustering");
    mlc_matrix X = fx_matrix(fx, "X"), X1 = fx_matrix(fx, "X1");
    size_t n;
    int32_t *noisy = fx_ints(fx, "noisy", &n);
    int32_t *single = fx_ints(fx, "single", NULL);
    double *s = malloc(n * sizeof *s), v;
    for (int threads = 1; threads <= 3; threads++) {
        ck_assert_status(mlc_silhouette_samples(&X, noisy, threads, s), MLC_OK);
        expect(s, fx, "silhouette_samples", n, 1e-10);
    }
    ck_assert_status(mlc_silhouette_score(&X, noisy, 0, &v), MLC_OK);
    expect(&v, fx, "silhouette", 1, 1e-10);
    ck_assert_status(mlc_silhouette_samples(&X, single, 0, s), MLC_OK);
    expect(s, fx, "silhouette_samples_single", n, 1e-10);
    ck_assert_double_eq(s[0], 0.0);
    ck_assert_double_eq(s[1], 0.0);
    ck_assert_status(mlc_calinski_harabasz_score(&X, noisy, &v), MLC_OK);
    expect(&v, fx, "calinski_harabasz", 1, 1e-12);
    ck_assert_status(mlc_davies_bouldin_score(&X, noisy, &v), MLC_OK);
    expect(&v, fx, "davies_bouldin", 1, 1e-10);
    ck_assert_status(mlc_silhouette_score(&X1, noisy, 0, &v), MLC_OK);
    expect(&v, fx, "silhouette_1d", 1, 1e-10);
    ck_assert_status(mlc_calinski_harabasz_score(&X1, noisy, &v), MLC_OK);
    expect(&v, fx, "calinski_harabasz_1d", 1, 1e-12);
    ck_assert_status(mlc_davies_bouldin_score(&X1, noisy, &v), MLC_OK);
    expect(&v, fx, "davies_bouldin_1d", 1, 1e-10);
    /* A strided view gives the same numbers. */
    mlc_matrix wide;
    ck_assert_int_eq(mlc_matrix_alloc(&wide, X.rows, X.cols + 3), MLC_OK);
    for (size_t i = 0; i < X.rows; i++)
        memcpy(mlc_matrix_row(&wide, i), mlc_matrix_row(&X, i), X.cols * sizeof(double));
    mlc_matrix view = mlc_matrix_submatrix(&wide, 0, 0, X.rows, X.cols);
    ck_assert_status(mlc_silhouette_score(&view, noisy, 2, &v), MLC_OK);
    expect(&v, fx, "silhouette", 1, 1e-10);
    ck_assert_status(mlc_davies_bouldin_score(&view, noisy, &v), MLC_OK);
    expect(&v, fx, "davies_bouldin", 1, 1e-10);
    mlc_matrix_clear(&wide);
    free(s);
    free(noisy);
    free(single);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&X1);
    json_decref(fx);
}
END_TEST

START_TEST(test_duplicates)
{
    json_t *fx = fx_load("metrics_clustering");
    mlc_matrix Xd = fx_matrix(fx, "Xd");
    int32_t *ld = fx_ints(fx, "ld", NULL);
    double v;
    ck_assert_status(mlc_silhouette_score(&Xd, ld, 1, &v), MLC_OK);
    expect(&v, fx, "silhouette_dup", 1, 1e-10);
    ck_assert_status(mlc_calinski_harabasz_score(&Xd, ld, &v), MLC_OK);
    expect(&v, fx, "calinski_harabasz_dup", 1, 0);
    ck_assert_status(mlc_davies_bouldin_score(&Xd, ld, &v), MLC_OK);
    expect(&v, fx, "davies_bouldin_dup", 1, 0);
    free(ld);
    mlc_matrix_clear(&Xd);
    json_decref(fx);
}
END_TEST

START_TEST(test_label_scores)
{
    json_t *fx = fx_load("metrics_clustering");
    size_t n;
    int32_t *a = fx_ints(fx, "a", &n);
    int32_t *b = fx_ints(fx, "b", NULL);
    mlc_contingency c;
    ck_assert_status(mlc_contingency_matrix(a, b, n, &c), MLC_OK);
    ck_assert_uint_eq(c.n_true, 5);
    ck_assert_uint_eq(c.n_pred, 9);
    double *cd = malloc(c.n_true * c.n_pred * sizeof *cd);
    for (size_t i = 0; i < c.n_true * c.n_pred; i++)
        cd[i] = (double)c.counts[i];
    expect(cd, fx, "contingency", c.n_true * c.n_pred, 0);
    ck_assert_int_eq(c.classes_pred[0], -2);
    free(cd);
    mlc_contingency_clear(&c);
    mlc_contingency_clear(NULL);
    int64_t pc[4];
    ck_assert_status(mlc_pair_confusion_matrix(a, b, n, pc), MLC_OK);
    double pcd[4] = {(double)pc[0], (double)pc[1], (double)pc[2], (double)pc[3]};
    expect(pcd, fx, "pair_confusion", 4, 0);
    double v, h, cc, vm;
    ck_assert_status(mlc_rand_score(a, b, n, &v), MLC_OK);
    expect(&v, fx, "rand", 1, 1e-15);
    ck_assert_status(mlc_adjusted_rand_score(a, b, n, &v), MLC_OK);
    expect(&v, fx, "ari", 1, 1e-15);
    ck_assert_status(mlc_fowlkes_mallows_score(a, b, n, &v), MLC_OK);
    expect(&v, fx, "fmi", 1, 1e-15);
    ck_assert_status(mlc_mutual_info_score(a, b, n, &v), MLC_OK);
    expect(&v, fx, "mi", 1, 1e-12);
    const char *methods[4] = {"arithmetic", "geometric", "min", "max"};
    for (int m = 0; m < 4; m++) {
        char key[32];
        snprintf(key, sizeof key, "nmi_%s", methods[m]);
        ck_assert_status(mlc_normalized_mutual_info_score(a, b, n, (mlc_average_method)m, &v),
                         MLC_OK);
        expect(&v, fx, key, 1, 1e-12);
        snprintf(key, sizeof key, "ami_%s", methods[m]);
        ck_assert_status(mlc_adjusted_mutual_info_score(a, b, n, (mlc_average_method)m, &v),
                         MLC_OK);
        expect(&v, fx, key, 1, 1e-12);
    }
    ck_assert_status(mlc_homogeneity_completeness_v_measure(a, b, n, 1.0, &h, &cc, &vm), MLC_OK);
    double hcv[3] = {h, cc, vm};
    expect(hcv, fx, "hcv", 3, 1e-12);
    ck_assert_status(mlc_homogeneity_completeness_v_measure(a, b, n, 2.0, &h, &cc, &vm), MLC_OK);
    double hcv2[3] = {h, cc, vm};
    expect(hcv2, fx, "hcv_beta2", 3, 1e-12);
    ck_assert_status(mlc_homogeneity_score(a, b, n, &v), MLC_OK);
    ck_assert_double_eq(v, hcv[0]);
    ck_assert_status(mlc_completeness_score(a, b, n, &v), MLC_OK);
    ck_assert_double_eq(v, hcv[1]);
    ck_assert_status(mlc_v_measure_score(a, b, n, 1.0, &v), MLC_OK);
    ck_assert_double_eq(v, hcv[2]);

    int32_t *ba = fx_ints(fx, "big_a", &n), *bb = fx_ints(fx, "big_b", NULL);
    ck_assert_status(mlc_adjusted_mutual_info_score(ba, bb, n, MLC_AVERAGE_METHOD_ARITHMETIC,
                                                    &v),
                     MLC_OK);
    expect(&v, fx, "big_ami", 1, 1e-12);
    ck_assert_status(mlc_adjusted_rand_score(ba, bb, n, &v), MLC_OK);
    expect(&v, fx, "big_ari", 1, 1e-15);
    fprintf(stderr, "clustering metrics: max rel diff vs scikit-learn %.3g (distance-based "
                    "%.3g)\n",
            g_worst_exact, g_worst_dist);
    free(ba);
    free(bb);
    free(a);
    free(b);
    json_decref(fx);
}
END_TEST

START_TEST(test_edge)
{
    json_t *fx = fx_load("metrics_clustering");
    int32_t same[6] = {3, 3, 1, 1, 2, 2}, perm[6] = {0, 0, 5, 5, 9, 9};
    int32_t zeros[6] = {0}, ones[6] = {1, 1, 1, 1, 1, 1}, ar[6] = {0, 1, 2, 3, 4, 5},
            rev[6] = {5, 4, 3, 2, 1, 0};
    double v, h, c, vm;
    ck_assert_status(mlc_adjusted_rand_score(same, perm, 6, &v), MLC_OK);
    expect(&v, fx, "ari_identical", 1, 0);
    ck_assert_double_eq(v, 1.0);
    ck_assert_status(mlc_adjusted_rand_score(ar, rev, 6, &v), MLC_OK);
    expect(&v, fx, "ari_singletons", 1, 0);
    ck_assert_status(mlc_adjusted_rand_score(zeros, ones, 6, &v), MLC_OK);
    expect(&v, fx, "ari_one_cluster", 1, 0);
    ck_assert_status(mlc_adjusted_rand_score(zeros, ar, 6, &v), MLC_OK);
    expect(&v, fx, "ari_one_vs_singletons", 1, 0);
    ck_assert_status(mlc_normalized_mutual_info_score(zeros, ones, 6,
                                                      MLC_AVERAGE_METHOD_ARITHMETIC, &v),
                     MLC_OK);
    expect(&v, fx, "nmi_one_cluster", 1, 0);
    ck_assert_status(mlc_normalized_mutual_info_score(zeros, ar, 6,
                                                      MLC_AVERAGE_METHOD_ARITHMETIC, &v),
                     MLC_OK);
    expect(&v, fx, "nmi_zero_mi", 1, 0);
    ck_assert_status(mlc_adjusted_mutual_info_score(zeros, ones, 6,
                                                    MLC_AVERAGE_METHOD_ARITHMETIC, &v),
                     MLC_OK);
    expect(&v, fx, "ami_one_cluster", 1, 0);
    ck_assert_status(mlc_adjusted_mutual_info_score(same, perm, 6,
                                                    MLC_AVERAGE_METHOD_ARITHMETIC, &v),
                     MLC_OK);
    expect(&v, fx, "ami_identical", 1, 1e-12);
    ck_assert_status(mlc_homogeneity_completeness_v_measure(zeros, zeros, 6, 1.0, &h, &c, &vm),
                     MLC_OK);
    double hcv[3] = {h, c, vm};
    expect(hcv, fx, "hcv_one_cluster", 3, 0);
    ck_assert_status(mlc_fowlkes_mallows_score(ar, ar, 6, &v), MLC_OK);
    expect(&v, fx, "fmi_singletons", 1, 0);
    ck_assert_status(mlc_rand_score(ar, ar, 6, &v), MLC_OK);
    expect(&v, fx, "rand_singletons", 1, 0);
    /* n = 1 labelings. */
    ck_assert_status(mlc_adjusted_rand_score(same, perm, 1, &v), MLC_OK);
    ck_assert_double_eq(v, 1.0);
    /* Silhouette with k = n - 1 (one pair, the rest singletons). */
    double pts[8] = {0, 0, 0, 1, 5, 5, 9, 9};
    mlc_matrix X = mlc_matrix_wrap(pts, 4, 2, 0);
    int32_t lab[4] = {0, 0, 1, 2};
    double s[4];
    ck_assert_status(mlc_silhouette_samples(&X, lab, 1, s), MLC_OK);
    ck_assert_double_eq(s[2], 0.0);
    ck_assert_double_eq(s[3], 0.0);
    ck_assert(s[0] > 0.8);
    json_decref(fx);
}
END_TEST

/* Naive O(n^2) silhouette with direct distances, the definition itself. */
static void naive_silhouette(const mlc_matrix *X, const int32_t *lab, int32_t k, double *out)
{
    size_t n = X->rows;
    double *sums = malloc((size_t)k * sizeof *sums);
    size_t *count = calloc((size_t)k, sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[lab[i]]++;
    for (size_t i = 0; i < n; i++) {
        memset(sums, 0, (size_t)k * sizeof *sums);
        for (size_t j = 0; j < n; j++) {
            double d2 = 0.0;
            for (size_t c = 0; c < X->cols; c++) {
                double t = MLC_AT(X, i, c) - MLC_AT(X, j, c);
                d2 += t * t;
            }
            sums[lab[j]] += sqrt(d2);
        }
        double a = sums[lab[i]] / (double)(count[lab[i]] - 1), b = INFINITY;
        for (int32_t c = 0; c < k; c++)
            if (c != lab[i] && sums[c] / (double)count[c] < b)
                b = sums[c] / (double)count[c];
        double v = (b - a) / (a > b ? a : b);
        out[i] = isnan(v) ? 0.0 : v;
    }
    free(sums);
    free(count);
}

/* Both engines (few clusters: pairs of tiles; many: row blocks), against the
 * definition, and bit-identical whatever the thread count. */
START_TEST(test_silhouette_engines)
{
    const size_t n = 1300, d = 3;
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, n, d), MLC_OK);
    mlc_rng *rng;
    ck_assert_int_eq(mlc_rng_new(5, &rng), MLC_OK);
    int32_t *lab = malloc(n * sizeof *lab);
    double *ref = malloc(n * sizeof *ref), *got = malloc(n * sizeof *got),
           *again = malloc(n * sizeof *again);
    const int32_t ks[2] = {5, 40};
    for (int e = 0; e < 2; e++) {
        for (size_t i = 0; i < n; i++) {
            lab[i] = (int32_t)mlc_rng_index(rng, (size_t)ks[e]);
            for (size_t c = 0; c < d; c++)
                MLC_AT(&X, i, c) = 0.3 * (double)(lab[i] % 7) + mlc_rng_normal(rng);
        }
        lab[7] = ks[e]; /* a singleton cluster */
        naive_silhouette(&X, lab, ks[e] + 1, ref);
        /* Every kernel this CPU can run (scalar, AVX2, AVX-512). */
        for (int simd = MLC_SIMD_SCALAR; simd <= mlc_cpu_level(); simd++) {
            ck_assert_status(mlc_sil_samples_simd(&X, lab, 2, simd, got), MLC_OK);
            ck_assert_close(got, ref, n, 1e-10, "silhouette vs its definition");
        }
        ck_assert_status(mlc_silhouette_samples(&X, lab, 1, got), MLC_OK);
        ck_assert_close(got, ref, n, 1e-10, "silhouette vs its definition");
        ck_assert_double_eq(got[7], 0.0);
        for (int t = 2; t <= 4; t++) {
            ck_assert_status(mlc_silhouette_samples(&X, lab, t, again), MLC_OK);
            ck_assert_msg(memcmp(got, again, n * sizeof *got) == 0,
                          "%d threads changed the result (k = %d)", t, ks[e]);
        }
    }
    mlc_rng_free(rng);
    free(lab);
    free(ref);
    free(got);
    free(again);
    mlc_matrix_clear(&X);
}
END_TEST

START_TEST(test_errors)
{
    double pts[8] = {0, 0, 0, 1, 5, 5, 9, NAN};
    mlc_matrix X = mlc_matrix_wrap(pts, 3, 2, 0), Xnan = mlc_matrix_wrap(pts, 4, 2, 0);
    mlc_matrix X0 = mlc_matrix_wrap(pts, 0, 2, 0);
    int32_t one[3] = {0, 0, 0}, all[3] = {0, 1, 2}, ok[3] = {0, 0, 1}, ok4[4] = {0, 0, 1, 1};
    double v, s[4];
    typedef int (*geo_fn)(const mlc_matrix *, const int32_t *, double *);
    geo_fn geo[2] = {mlc_calinski_harabasz_score, mlc_davies_bouldin_score};
    for (int g = 0; g < 2; g++) {
        ck_assert_status(geo[g](&X, one, &v), MLC_EINVAL); /* one label */
        ck_assert_status(geo[g](&X, all, &v), MLC_EINVAL); /* n labels */
        ck_assert_status(geo[g](&X, NULL, &v), MLC_EINVAL);
        ck_assert_status(geo[g](&X, ok, NULL), MLC_EINVAL);
        ck_assert_status(geo[g](&X0, ok, &v), MLC_EEMPTY);
        ck_assert_status(geo[g](&Xnan, ok4, &v), MLC_ENONFINITE);
        ck_assert_status(geo[g](NULL, ok, &v), MLC_EINVAL);
    }
    ck_assert_status(mlc_silhouette_samples(&X, one, 1, s), MLC_EINVAL);
    ck_assert_status(mlc_silhouette_samples(&X, all, 1, s), MLC_EINVAL);
    ck_assert_status(mlc_silhouette_samples(&X, ok, -1, s), MLC_EINVAL);
    ck_assert_status(mlc_silhouette_samples(&X, ok, 1, NULL), MLC_EINVAL);
    ck_assert_status(mlc_silhouette_samples(&Xnan, ok4, 1, s), MLC_ENONFINITE);
    ck_assert_status(mlc_silhouette_score(&X0, ok, 1, &v), MLC_EEMPTY);
    ck_assert_status(mlc_silhouette_score(&X, ok, 1, NULL), MLC_EINVAL);
    int64_t pc[4];
    mlc_contingency c;
    ck_assert_status(mlc_pair_confusion_matrix(NULL, ok, 3, pc), MLC_EINVAL);
    ck_assert_status(mlc_pair_confusion_matrix(ok, ok, 0, pc), MLC_EEMPTY);
    ck_assert_status(mlc_contingency_matrix(ok, ok, 0, &c), MLC_EEMPTY);
    ck_assert_status(mlc_contingency_matrix(ok, NULL, 3, &c), MLC_EINVAL);
    ck_assert_status(mlc_contingency_matrix(ok, ok, 3, NULL), MLC_EINVAL);
    ck_assert_status(mlc_adjusted_rand_score(ok, ok, 0, &v), MLC_EEMPTY);
    ck_assert_status(mlc_adjusted_rand_score(ok, ok, 3, NULL), MLC_EINVAL);
    ck_assert_status(mlc_rand_score(NULL, ok, 3, &v), MLC_EINVAL);
    ck_assert_status(mlc_fowlkes_mallows_score(ok, ok, 0, &v), MLC_EEMPTY);
    ck_assert_status(mlc_mutual_info_score(ok, NULL, 3, &v), MLC_EINVAL);
    ck_assert_status(mlc_normalized_mutual_info_score(ok, ok, 3, (mlc_average_method)9, &v),
                     MLC_EINVAL);
    ck_assert_status(mlc_adjusted_mutual_info_score(ok, ok, 3, (mlc_average_method)9, &v),
                     MLC_EINVAL);
    ck_assert_status(mlc_adjusted_mutual_info_score(ok, ok, 0, MLC_AVERAGE_METHOD_MIN, &v),
                     MLC_EEMPTY);
    ck_assert_status(mlc_homogeneity_completeness_v_measure(ok, ok, 3, -1.0, &v, NULL, NULL),
                     MLC_EINVAL);
    ck_assert_status(mlc_v_measure_score(ok, ok, 3, 1.0, NULL), MLC_EINVAL);
    ck_assert_status(mlc_homogeneity_score(ok, ok, 0, &v), MLC_EEMPTY);
    ck_assert_status(mlc_completeness_score(NULL, ok, 3, &v), MLC_EINVAL);
}
END_TEST

Suite *mlc_metrics_clustering_suite(void)
{
    Suite *s = suite_create("metrics_clustering");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_geometry);
    tcase_add_test(core, test_label_scores);
    tcase_add_test(core, test_silhouette_engines);
    suite_add_tcase(s, core);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, test_duplicates);
    tcase_add_test(edge, test_edge);
    suite_add_tcase(s, edge);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors);
    suite_add_tcase(s, errors);
    return s;
}
