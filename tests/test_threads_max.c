/* Every typed face refuses n_threads above MLC_THREADS_MAX as the registry
 * does (mlc_estimator_set_threads): MLC_EINVAL and a message that gives the
 * range, before any work. The largest count is accepted. */
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

#define TOO_MANY (MLC_THREADS_MAX + 1)

static double xs[40], ys[20];
static mlc_matrix X;

static void setup(void)
{
    for (int i = 0; i < 20; i++) {
        xs[2 * i] = (double)i;
        xs[2 * i + 1] = (double)((i * 7) % 5);
        ys[i] = (double)(i % 2);
    }
    X = mlc_matrix_wrap(xs, 20, 2, 2);
}

/* `st` is the refusal: MLC_EINVAL, the range in the message. */
static void expect_refused(int st, const char *call)
{
    ck_assert_msg(st == MLC_EINVAL, "%s with n_threads %d: status %d", call, TOO_MANY, st);
    const char *msg = mlc_last_error_message();
    ck_assert_msg(msg && strstr(msg, "n_threads must be an integer in [0, 4096]"),
                  "%s: message '%s'", call, msg ? msg : "");
}

START_TEST(linear_refuse)
{
    mlc_linear_regression_params lp = mlc_linear_regression_params_default();
    lp.n_threads = TOO_MANY;
    mlc_linear_regression *lm = NULL;
    expect_refused(mlc_linear_regression_fit(&lp, &X, ys, &lm), "linear_regression");
    mlc_ridge_params rp = mlc_ridge_params_default();
    rp.n_threads = TOO_MANY;
    mlc_ridge *r = NULL;
    expect_refused(mlc_ridge_fit(&rp, &X, ys, &r), "ridge");
    mlc_ridge_cv_params rcp = mlc_ridge_cv_params_default();
    rcp.n_threads = TOO_MANY;
    mlc_ridge_cv *rc = NULL;
    expect_refused(mlc_ridge_cv_fit(&rcp, &X, ys, &rc), "ridge_cv");
    mlc_lasso_params lap = mlc_lasso_params_default();
    lap.n_threads = TOO_MANY;
    mlc_lasso *la = NULL;
    expect_refused(mlc_lasso_fit(&lap, &X, ys, &la), "lasso");
    mlc_elastic_net_params ep = mlc_elastic_net_params_default();
    ep.n_threads = TOO_MANY;
    mlc_elastic_net *en = NULL;
    expect_refused(mlc_elastic_net_fit(&ep, &X, ys, &en), "elastic_net");
    mlc_lasso_cv_params lcp = mlc_lasso_cv_params_default();
    lcp.n_threads = TOO_MANY;
    mlc_lasso_cv *lc = NULL;
    expect_refused(mlc_lasso_cv_fit(&lcp, &X, ys, &lc), "lasso_cv");
    mlc_elastic_net_cv_params ecp = mlc_elastic_net_cv_params_default();
    ecp.n_threads = TOO_MANY;
    mlc_elastic_net_cv *ec = NULL;
    expect_refused(mlc_elastic_net_cv_fit(&ecp, &X, ys, &ec), "elastic_net_cv");
    mlc_enet_path_params pp = mlc_enet_path_params_default();
    pp.n_threads = TOO_MANY;
    pp.alpha_grid_size = 3;
    double alphas[3], coef_data[6];
    mlc_matrix coefs = mlc_matrix_wrap(coef_data, 3, 2, 2);
    expect_refused(mlc_enet_path(&pp, &X, ys, alphas, &coefs, NULL, NULL), "enet_path");
    ck_assert(!lm && !r && !rc && !la && !en && !lc && !ec);
}
END_TEST

START_TEST(svm_refuse)
{
    mlc_linear_svc_params lc = mlc_linear_svc_params_default();
    lc.n_threads = TOO_MANY;
    mlc_linear_svc *lsvc = NULL;
    expect_refused(mlc_linear_svc_fit(&lc, &X, ys, NULL, &lsvc), "linear_svc");
    mlc_linear_svr_params lr = mlc_linear_svr_params_default();
    lr.n_threads = TOO_MANY;
    mlc_linear_svr *lsvr = NULL;
    expect_refused(mlc_linear_svr_fit(&lr, &X, ys, NULL, &lsvr), "linear_svr");
    mlc_svm *m = NULL;
    mlc_svc_params sp = mlc_svc_params_default();
    sp.n_threads = TOO_MANY;
    expect_refused(mlc_svc_fit(&sp, &X, ys, NULL, &m), "svc");
    mlc_nu_svc_params np = mlc_nu_svc_params_default();
    np.n_threads = TOO_MANY;
    expect_refused(mlc_nu_svc_fit(&np, &X, ys, NULL, &m), "nu_svc");
    mlc_svr_params rp = mlc_svr_params_default();
    rp.n_threads = TOO_MANY;
    expect_refused(mlc_svr_fit(&rp, &X, ys, NULL, &m), "svr");
    mlc_nu_svr_params nrp = mlc_nu_svr_params_default();
    nrp.n_threads = TOO_MANY;
    expect_refused(mlc_nu_svr_fit(&nrp, &X, ys, NULL, &m), "nu_svr");
    mlc_one_class_svm_params op = mlc_one_class_svm_params_default();
    op.n_threads = TOO_MANY;
    expect_refused(mlc_one_class_svm_fit(&op, &X, NULL, &m), "one_class_svm");
    ck_assert(!lsvc && !lsvr && !m);
}
END_TEST

START_TEST(cluster_mixture_neighbors_refuse)
{
    mlc_kmeans_params kp = mlc_kmeans_params_default();
    kp.n_clusters = 2;
    kp.n_threads = TOO_MANY;
    mlc_kmeans *km = NULL;
    expect_refused(mlc_kmeans_fit(&kp, &X, NULL, &km), "kmeans");
    mlc_dbscan_params dp = mlc_dbscan_params_default();
    dp.n_threads = TOO_MANY;
    mlc_dbscan *db = NULL;
    expect_refused(mlc_dbscan_fit(&dp, &X, NULL, &db), "dbscan");
    mlc_agglomerative_clustering_params ap = mlc_agglomerative_clustering_params_default();
    ap.n_threads = TOO_MANY;
    mlc_agglomerative_clustering *ag = NULL;
    expect_refused(mlc_agglomerative_clustering_fit(&ap, &X, &ag), "agglomerative");
    mlc_gaussian_mixture_params gp = mlc_gaussian_mixture_params_default();
    gp.n_threads = TOO_MANY;
    mlc_gaussian_mixture *gm = NULL;
    expect_refused(mlc_gaussian_mixture_fit(&gp, &X, &gm), "gaussian_mixture");
    mlc_neighbors_params np = mlc_neighbors_params_default();
    np.n_threads = TOO_MANY;
    mlc_neighbors *nn = NULL;
    expect_refused(mlc_neighbors_build(&np, &X, &nn), "neighbors");
    mlc_k_neighbors_classifier_params cp = mlc_k_neighbors_classifier_params_default();
    cp.n_threads = TOO_MANY;
    mlc_k_neighbors_classifier *kc = NULL;
    expect_refused(mlc_k_neighbors_classifier_fit(&cp, &X, ys, &kc), "k_neighbors_classifier");
    mlc_k_neighbors_regressor_params rp = mlc_k_neighbors_regressor_params_default();
    rp.n_threads = TOO_MANY;
    mlc_k_neighbors_regressor *kr = NULL;
    mlc_matrix Y = mlc_matrix_wrap(ys, 20, 1, 1);
    expect_refused(mlc_k_neighbors_regressor_fit(&rp, &X, &Y, &kr), "k_neighbors_regressor");
    ck_assert(!km && !db && !ag && !gm && !nn && !kc && !kr);
}
END_TEST

START_TEST(preprocessing_metrics_cv_refuse)
{
    mlc_standard_scaler_params sp = mlc_standard_scaler_params_default();
    sp.n_threads = TOO_MANY;
    mlc_standard_scaler *ss = NULL;
    expect_refused(mlc_standard_scaler_fit(&sp, &X, NULL, &ss), "standard_scaler");
    mlc_min_max_scaler_params mp = mlc_min_max_scaler_params_default();
    mp.n_threads = TOO_MANY;
    mlc_min_max_scaler *mm = NULL;
    expect_refused(mlc_min_max_scaler_fit(&mp, &X, &mm), "min_max_scaler");
    int32_t labels[20];
    for (int i = 0; i < 20; i++)
        labels[i] = i % 2;
    double s = 0;
    expect_refused(mlc_silhouette_score(&X, labels, TOO_MANY, &s), "silhouette_score");
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new("ridge", &e), MLC_OK);
    mlc_cv_options o = mlc_cv_options_default();
    o.n_threads = TOO_MANY;
    mlc_cv_results res;
    memset(&res, 0, sizeof res);
    expect_refused(mlc_cross_validate(e, &X, ys, &o, &res), "cross_validate");
    mlc_estimator_free(e);
    ck_assert(!ss && !mm);
}
END_TEST

/* MLC_THREADS_MAX itself is a valid count (the loops use no more threads
 * than they have pieces of work). */
START_TEST(largest_count_accepted)
{
    mlc_ridge_params rp = mlc_ridge_params_default();
    rp.n_threads = MLC_THREADS_MAX;
    mlc_ridge *r = NULL;
    ck_assert_int_eq(mlc_ridge_fit(&rp, &X, ys, &r), MLC_OK);
    mlc_ridge_free(r);
    mlc_kmeans_params kp = mlc_kmeans_params_default();
    kp.n_clusters = 2;
    kp.n_threads = MLC_THREADS_MAX;
    mlc_kmeans *km = NULL;
    ck_assert_int_eq(mlc_kmeans_fit(&kp, &X, NULL, &km), MLC_OK);
    mlc_kmeans_free(km);
}
END_TEST

Suite *mlc_threads_max_suite(void)
{
    Suite *s = suite_create("threads_max");
    TCase *tc = tcase_create("refuse");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, linear_refuse);
    tcase_add_test(tc, svm_refuse);
    tcase_add_test(tc, cluster_mixture_neighbors_refuse);
    tcase_add_test(tc, preprocessing_metrics_cv_refuse);
    tcase_add_test(tc, largest_count_accepted);
    suite_add_tcase(s, tc);
    return s;
}
