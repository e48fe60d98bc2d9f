/* Warnings a fit records where scikit-learn warns (mlc_estimator_warning):
 * ConvergenceWarning, fewer distinct points than clusters, alpha = 0 with
 * coordinate descent. The library records them and never prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test_util.h"

/* Fit `name` with "k=v" settings on a bundled set (y when it has one). */
static mlc_estimator *fit_on(const char *name, const char *data, const char *const *settings)
{
    mlc_dataset ds;
    ck_assert_int_eq(mlc_load_bundled(data, &ds), MLC_OK);
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new(name, &e), MLC_OK);
    for (size_t i = 0; settings && settings[i]; i += 2)
        ck_assert_int_eq(mlc_estimator_set(e, settings[i], settings[i + 1]), MLC_OK);
    mlc_task task = mlc_estimator_task(e);
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    ck_assert_int_eq(mlc_estimator_fit(e, &ds.X, supervised ? ds.y : NULL), MLC_OK);
    mlc_dataset_clear(&ds);
    return e;
}

/* The warning that contains `needle`, or fail listing what there is. */
static void assert_warns(const mlc_estimator *e, const char *needle)
{
    const char *w;
    for (size_t i = 0; (w = mlc_estimator_warning(e, i)) != NULL; i++)
        if (strstr(w, needle))
            return;
    ck_abort_msg("%s: no warning with '%s' (first: %s)", mlc_estimator_name(e), needle,
                 mlc_estimator_warning(e, 0) ? mlc_estimator_warning(e, 0) : "none");
}

START_TEST(convergence_warnings)
{
    static const char *const lasso_short[] = {"alpha", "0.001", "max_iter", "2", NULL};
    mlc_estimator *e = fit_on("lasso", "diabetes", lasso_short);
    assert_warns(e, "lasso did not converge within max_iter = 2");
    assert_warns(e, "ConvergenceWarning");
    /* a refit that converges leaves none */
    ck_assert_int_eq(mlc_estimator_set(e, "max_iter", "1000"), MLC_OK);
    mlc_dataset ds;
    ck_assert_int_eq(mlc_load_bundled("diabetes", &ds), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "alpha", "1"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &ds.X, ds.y), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_warning(e, 0));
    mlc_dataset_clear(&ds);
    mlc_estimator_free(e);

    static const char *const svc_short[] = {"max_iter", "2", NULL};
    e = fit_on("linear_svc", "iris", svc_short);
    assert_warns(e, "linear_svc did not converge within max_iter = 2");
    mlc_estimator_free(e);

    static const char *const gmm_short[] = {"n_components", "3", "max_iter", "2", NULL};
    e = fit_on("gaussian_mixture", "iris", gmm_short);
    assert_warns(e, "did not converge within max_iter = 2 EM iterations");
    mlc_estimator_free(e);

    static const char *const enet_short[] = {"alpha", "0.0001", "max_iter", "1", NULL};
    e = fit_on("elastic_net", "diabetes", enet_short);
    assert_warns(e, "elastic_net did not converge");
    mlc_estimator_free(e);
}
END_TEST

START_TEST(alpha_zero_warnings)
{
    static const char *const zero[] = {"alpha", "0", NULL};
    mlc_estimator *e = fit_on("lasso", "diabetes", zero);
    assert_warns(e, "lasso with alpha = 0 has no penalty");
    assert_warns(e, "linear_regression");
    mlc_estimator_free(e);
    e = fit_on("elastic_net", "diabetes", zero);
    assert_warns(e, "elastic_net with alpha = 0");
    mlc_estimator_free(e);
    /* Ridge with alpha = 0 is a closed form: no warning */
    e = fit_on("ridge", "diabetes", zero);
    ck_assert_ptr_null(mlc_estimator_warning(e, 0));
    mlc_estimator_free(e);
}
END_TEST

START_TEST(kmeans_distinct_points)
{
    /* 5 rows, 2 distinct points, 3 clusters asked */
    double v[10] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2};
    mlc_matrix X = mlc_matrix_wrap(v, 5, 2, 2);
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("kmeans", &e), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "3"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_set(e, "random_state", "0"), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    assert_warns(e, "kmeans found 2 distinct clusters, fewer than n_clusters = 3");
    ck_assert_ptr_null(mlc_estimator_warning(e, 1)); /* said once, not twice */
    mlc_estimator_free(e);
    /* enough distinct points: none */
    static const char *const three[] = {"n_clusters", "3", "random_state", "0", NULL};
    e = fit_on("kmeans", "iris", three);
    ck_assert_ptr_null(mlc_estimator_warning(e, 0));
    mlc_estimator_free(e);
}
END_TEST

START_TEST(no_warning_without_a_fit)
{
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("lasso", &e), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_warning(e, 0));
    ck_assert_ptr_null(mlc_estimator_warning(NULL, 0));
    mlc_estimator_free(e);
    /* a loaded model keeps converged, not the text */
    static const char *const zero[] = {"alpha", "0", NULL};
    e = fit_on("lasso", "diabetes", zero);
    char path[64];
    snprintf(path, sizeof path, "/tmp/mlc_warnings_%ld.json", (long)getpid());
    ck_assert_int_eq(mlc_estimator_save(e, path), MLC_OK);
    mlc_estimator *loaded = NULL;
    ck_assert_int_eq(mlc_estimator_load(path, &loaded), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_warning(loaded, 0));
    /* a clone is unfitted */
    mlc_estimator *c = NULL;
    ck_assert_int_eq(mlc_estimator_clone(e, &c), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_warning(c, 0));
    mlc_estimator_free(c);
    mlc_estimator_free(loaded);
    mlc_estimator_free(e);
    unlink(path);
}
END_TEST

Suite *mlc_warnings_suite(void)
{
    Suite *s = suite_create("warnings");
    TCase *tc = tcase_create("warnings");
    tcase_add_test(tc, convergence_warnings);
    tcase_add_test(tc, alpha_zero_warnings);
    tcase_add_test(tc, kmeans_distinct_points);
    tcase_add_test(tc, no_warning_without_a_fit);
    suite_add_tcase(s, tc);
    return s;
}
