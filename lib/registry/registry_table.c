/* The registry table: one line per estimator. Adding an estimator is its
 * folder under algorithms/ plus one line here. */
#include "internal/registry.h"

extern const mlc_estimator_desc mlc_standard_scaler_desc;
extern const mlc_estimator_desc mlc_min_max_scaler_desc;
extern const mlc_estimator_desc mlc_kmeans_desc;
extern const mlc_estimator_desc mlc_agglomerative_clustering_desc;
extern const mlc_estimator_desc mlc_dbscan_desc;
extern const mlc_estimator_desc mlc_gaussian_mixture_desc;
extern const mlc_estimator_desc mlc_linear_regression_desc;
extern const mlc_estimator_desc mlc_ridge_desc;
extern const mlc_estimator_desc mlc_ridge_cv_desc;
extern const mlc_estimator_desc mlc_lasso_desc;
extern const mlc_estimator_desc mlc_lasso_cv_desc;
extern const mlc_estimator_desc mlc_elastic_net_desc;
extern const mlc_estimator_desc mlc_elastic_net_cv_desc;
extern const mlc_estimator_desc mlc_svc_desc;
extern const mlc_estimator_desc mlc_nu_svc_desc;
extern const mlc_estimator_desc mlc_svr_desc;
extern const mlc_estimator_desc mlc_nu_svr_desc;
extern const mlc_estimator_desc mlc_one_class_svm_desc;
extern const mlc_estimator_desc mlc_linear_svc_desc;
extern const mlc_estimator_desc mlc_linear_svr_desc;
extern const mlc_estimator_desc mlc_k_neighbors_classifier_desc;
extern const mlc_estimator_desc mlc_k_neighbors_regressor_desc;

const mlc_estimator_desc *const mlc_registry_table[] = {
    &mlc_standard_scaler_desc,
    &mlc_min_max_scaler_desc,
    &mlc_kmeans_desc,
    &mlc_agglomerative_clustering_desc,
    &mlc_dbscan_desc,
    &mlc_gaussian_mixture_desc,
    &mlc_linear_regression_desc,
    &mlc_ridge_desc,
    &mlc_ridge_cv_desc,
    &mlc_lasso_desc,
    &mlc_lasso_cv_desc,
    &mlc_elastic_net_desc,
    &mlc_elastic_net_cv_desc,
    &mlc_svc_desc,
    &mlc_nu_svc_desc,
    &mlc_svr_desc,
    &mlc_nu_svr_desc,
    &mlc_one_class_svm_desc,
    &mlc_linear_svc_desc,
    &mlc_linear_svr_desc,
    &mlc_k_neighbors_classifier_desc,
    &mlc_k_neighbors_regressor_desc,
};

const size_t mlc_registry_table_size = MLC_COUNT_OF(mlc_registry_table);
