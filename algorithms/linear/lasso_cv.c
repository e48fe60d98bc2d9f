/* LassoCV: ElasticNetCV with l1_ratio = 1. A LassoCV model is an
 * ElasticNetCV's (enet_cv_model.c) with no l1_ratio_ attribute, its
 * parameter table ElasticNetCV's without l1_ratio; this file is only
 * LassoCV's typed face and registry entry over them. */
#include <math.h>
#include "linear_cv.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"

static const char NAME[] = "lasso_cv";
static const double LASSO_RATIO = 1.0;

/* ElasticNetCV's defaults (the same table) but the l1_ratios. */
mlc_lasso_cv_params mlc_lasso_cv_params_default(void)
{
    mlc_elastic_net_cv_params e = mlc_elastic_net_cv_params_default();
    mlc_lasso_cv_params p = {.eps = e.eps,
                             .alpha_grid_size = e.alpha_grid_size,
                             .fit_intercept = e.fit_intercept,
                             .precompute = e.precompute,
                             .max_iter = e.max_iter,
                             .tol = e.tol,
                             .cv = e.cv,
                             .positive = e.positive,
                             .random_state = e.random_state,
                             .selection = e.selection,
                             .n_threads = e.n_threads};
    return p;
}

static int fit_as_elastic_net_cv(const mlc_lasso_cv_params *p, const mlc_matrix *X, const double *y,
                                 const double *sw, mlc_lasso_cv **out)
{
    int st = mlc_check_ptr(p, "params");
    if (st)
        return st;
    mlc_elastic_net_cv_params e = {.l1_ratios = &LASSO_RATIO,
                                   .n_l1_ratios = 1,
                                   .eps = p->eps,
                                   .alpha_grid_size = p->alpha_grid_size,
                                   .alphas = p->alphas,
                                   .alphas_len = p->alphas_len,
                                   .fit_intercept = p->fit_intercept,
                                   .precompute = p->precompute,
                                   .max_iter = p->max_iter,
                                   .tol = p->tol,
                                   .cv = p->cv,
                                   .folds = p->folds,
                                   .n_folds = p->n_folds,
                                   .positive = p->positive,
                                   .random_state = p->random_state,
                                   .selection = p->selection,
                                   .n_threads = p->n_threads};
    return mlc_enet_cv_model_fit(&e, X, y, sw, 1, NULL, (void **)out);
}

int mlc_lasso_cv_fit_weighted(const mlc_lasso_cv_params *p, const mlc_matrix *X, const double *y,
                              const double *sw, mlc_lasso_cv **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, fit_as_elastic_net_cv(p, X, y, sw, out));
}

int mlc_lasso_cv_fit(const mlc_lasso_cv_params *p, const mlc_matrix *X, const double *y,
                     mlc_lasso_cv **out)
{
    return mlc_lasso_cv_fit_weighted(p, X, y, NULL, out);
}

int mlc_lasso_cv_predict(const mlc_lasso_cv *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_enet_cv_model_predict(m, X, out, NAME));
}

/* An mlc_lasso_cv is what an mlc_elastic_net_cv is: the getters are its. */
static const mlc_elastic_net_cv *as_enet_cv(const mlc_lasso_cv *m)
{
    return (const mlc_elastic_net_cv *)m;
}
void mlc_lasso_cv_free(mlc_lasso_cv *m)
{
    mlc_enet_cv_model_free(m);
}
size_t mlc_lasso_cv_n_features(const mlc_lasso_cv *m)
{
    return mlc_elastic_net_cv_n_features(as_enet_cv(m));
}
const double *mlc_lasso_cv_coef(const mlc_lasso_cv *m)
{
    return mlc_elastic_net_cv_coef(as_enet_cv(m));
}
const double *mlc_lasso_cv_intercept(const mlc_lasso_cv *m)
{
    return mlc_elastic_net_cv_intercept(as_enet_cv(m));
}
double mlc_lasso_cv_alpha(const mlc_lasso_cv *m)
{
    return mlc_elastic_net_cv_alpha(as_enet_cv(m));
}
const double *mlc_lasso_cv_alphas(const mlc_lasso_cv *m, size_t *path_len)
{
    return mlc_elastic_net_cv_alphas(as_enet_cv(m), NULL, path_len);
}
const double *mlc_lasso_cv_mse_path(const mlc_lasso_cv *m, size_t *n_folds)
{
    return mlc_elastic_net_cv_mse_path(as_enet_cv(m), n_folds);
}
int64_t mlc_lasso_cv_n_iter(const mlc_lasso_cv *m)
{
    return mlc_elastic_net_cv_n_iter(as_enet_cv(m));
}
double mlc_lasso_cv_dual_gap(const mlc_lasso_cv *m)
{
    return mlc_elastic_net_cv_dual_gap(as_enet_cv(m));
}

/* ---------------------------------------------------------------- registry */

static int lasso_cv_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                        void **model)
{
    return mlc_enet_cv_reg_fit(p, d, 1, progress, model);
}

static int lasso_cv_check_arrays(const void *p, const mlc_array_shape *shapes,
                                 const mlc_fit_data *d)
{
    return mlc_enet_cv_check_arrays(p, shapes, d, 1);
}

static int lasso_cv_restore(const void *p, const mlc_attr_set *s, void **model)
{
    return mlc_enet_cv_reg_restore(p, s, 1, model);
}

const mlc_estimator_desc mlc_lasso_cv_desc = {
    .name = NAME,
    .summary = "lasso with alpha chosen by cross-validation along the regularisation path",
    .task = MLC_TASK_REGRESSOR,
    .params = mlc_enet_cv_params_table + 1, /* no l1_ratio */
    .n_params = MLC_ENET_CV_N_PARAMS - 1,
    .params_size = sizeof(mlc_enet_cv_reg_params),
    .threads_offset = offsetof(mlc_enet_cv_reg_params, n_threads),
    .check_arrays = lasso_cv_check_arrays,
    .fit = lasso_cv_fit,
    .free = mlc_enet_cv_model_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = mlc_enet_cv_reg_attributes,
    .restore = lasso_cv_restore,
};
