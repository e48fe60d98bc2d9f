/* Lasso: ElasticNet with l1_ratio = 1. A Lasso model is an elastic net's
 * (elastic_net.c) that answers to "lasso"; this file is only Lasso's typed
 * face and registry entry over it. */
#include <math.h>
#include "linear_enet.h"
#include "internal/thread_scope.h"

static const char NAME[] = "lasso";

static const mlc_param_info params_table[] = {
    MLC_P_REAL(mlc_lasso_params, alpha, "1.0", 0.0, HUGE_VAL, "L1 penalty strength"),
    MLC_ENET_SHARED_ROWS(mlc_lasso_params),
};

mlc_lasso_params mlc_lasso_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_lasso_params, params_table);
}

static mlc_elastic_net_params enet_params(const mlc_lasso_params *p)
{
    mlc_elastic_net_params e = {p->alpha,      1.0,         p->fit_intercept, p->precompute,
                                p->max_iter,   p->tol,      p->warm_start,    p->positive,
                                p->random_state, p->selection, p->n_threads};
    return e;
}

/* Every mlc_lasso is an mlc_elastic_net. */
static mlc_elastic_net *as_enet(const mlc_lasso *m)
{
    return (mlc_elastic_net *)m;
}

int mlc_lasso_fit_multi(const mlc_lasso_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                        const double *sw, mlc_lasso **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    mlc_elastic_net_params ep = p ? enet_params(p) : (mlc_elastic_net_params){0};
    return mlc_thread_scope_leave(&scope, mlc_enet_model_fit(p ? &ep : NULL, X, Y, sw, NAME,
                                                             NULL, (mlc_elastic_net **)out));
}

int mlc_lasso_fit_weighted(const mlc_lasso_params *p, const mlc_matrix *X, const double *y,
                           const double *sw, mlc_lasso **out)
{
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    return mlc_lasso_fit_multi(p, X, &Y, sw, out);
}

int mlc_lasso_fit(const mlc_lasso_params *p, const mlc_matrix *X, const double *y,
                  mlc_lasso **out)
{
    return mlc_lasso_fit_weighted(p, X, y, NULL, out);
}

int mlc_lasso_refit(mlc_lasso *m, const mlc_matrix *X, const mlc_matrix *Y, const double *sw)
{
    return mlc_elastic_net_refit(as_enet(m), X, Y, sw);
}

int mlc_lasso_predict(const mlc_lasso *m, const mlc_matrix *X, double *out)
{
    return mlc_elastic_net_predict(as_enet(m), X, out);
}

size_t mlc_lasso_n_features(const mlc_lasso *m)
{
    return mlc_elastic_net_n_features(as_enet(m));
}
size_t mlc_lasso_n_targets(const mlc_lasso *m)
{
    return mlc_elastic_net_n_targets(as_enet(m));
}
const double *mlc_lasso_coef(const mlc_lasso *m)
{
    return mlc_elastic_net_coef(as_enet(m));
}
const double *mlc_lasso_intercept(const mlc_lasso *m)
{
    return mlc_elastic_net_intercept(as_enet(m));
}
const int64_t *mlc_lasso_n_iter(const mlc_lasso *m)
{
    return mlc_elastic_net_n_iter(as_enet(m));
}
const double *mlc_lasso_dual_gap(const mlc_lasso *m)
{
    return mlc_elastic_net_dual_gap(as_enet(m));
}
const int32_t *mlc_lasso_converged(const mlc_lasso *m)
{
    return mlc_elastic_net_converged(as_enet(m));
}
void mlc_lasso_free(mlc_lasso *m)
{
    mlc_elastic_net_free(as_enet(m));
}

/* ---------------------------------------------------------------- registry */

static int lasso_reg_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                         void **model)
{
    mlc_elastic_net_params ep = enet_params(p);
    return mlc_enet_model_fit(&ep, d->X, d->Y, d->sample_weight, NAME, progress,
                              (mlc_elastic_net **)model);
}

static int lasso_reg_restore(const void *p, const mlc_attr_set *s, void **model)
{
    mlc_elastic_net_params ep = enet_params(p);
    return mlc_enet_reg_restore(&ep, s, NAME, model);
}

static void lasso_reg_warnings(const void *p, const void *model, mlc_warnings *w)
{
    (void)model;
    mlc_enet_warn_no_penalty(((const mlc_lasso_params *)p)->alpha, NAME, w);
}

const mlc_estimator_desc mlc_lasso_desc = {
    .name = NAME,
    .summary = "linear regression with an L1 penalty (coordinate descent)",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(params_table, mlc_lasso_params),
    .fit = lasso_reg_fit,
    .free = mlc_enet_reg_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = mlc_enet_reg_attributes,
    .restore = lasso_reg_restore,
    .warnings = lasso_reg_warnings,
};
