/* ElasticNet: the typed API and the registry entry (the fit itself is
 * enet_fit.c). The model object is Lasso's too (lasso.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_enet.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"

struct mlc_elastic_net {
    mlc_enet_state s; /* first: the object starts with its linear model */
    mlc_elastic_net_params params;
    const char *name; /* what messages call it: "elastic_net" or "lasso" */
};

static const char NAME[] = "elastic_net";

static const mlc_param_info params_table[] = {
    MLC_P_REAL(mlc_elastic_net_params, alpha, "1.0", 0.0, HUGE_VAL,
               "penalty strength (multiplies both penalties)"),
    MLC_P_REAL(mlc_elastic_net_params, l1_ratio, "0.5", 0.0, 1.0,
               "mix of the penalties: 1 = L1 (lasso), 0 = L2"),
    MLC_ENET_SHARED_ROWS(mlc_elastic_net_params),
};

mlc_elastic_net_params mlc_elastic_net_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_elastic_net_params, params_table);
}

void mlc_elastic_net_free(mlc_elastic_net *m)
{
    if (!m)
        return;
    mlc_enet_state_clear(&m->s);
    free(m);
}

static int enet_new(const mlc_elastic_net_params *p, const char *name, mlc_elastic_net **out)
{
    mlc_elastic_net *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem(strcmp(name, "lasso") ? "an elastic net" : "a lasso");
    m->params = *p;
    m->name = name;
    *out = m;
    return MLC_OK;
}

int mlc_enet_model_fit(const mlc_elastic_net_params *p, const mlc_matrix *X,
                       const mlc_matrix *Y, const double *sw, const char *name,
                       mlc_progress_ctx *progress, mlc_elastic_net **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    mlc_elastic_net *m = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = enet_new(p, name, &m)))
        return st;
    st = mlc_enet_fit_state(p, X, Y, sw, NULL, progress, &m->s);
    return mlc_reg_handover(st, m, free, (void **)out);
}

int mlc_elastic_net_fit_multi(const mlc_elastic_net_params *p, const mlc_matrix *X,
                              const mlc_matrix *Y, const double *sw, mlc_elastic_net **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_enet_model_fit(p, X, Y, sw, NAME, NULL, out));
}

int mlc_elastic_net_fit_weighted(const mlc_elastic_net_params *p, const mlc_matrix *X,
                                 const double *y, const double *sw, mlc_elastic_net **out)
{
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    return mlc_elastic_net_fit_multi(p, X, &Y, sw, out);
}

int mlc_elastic_net_fit(const mlc_elastic_net_params *p, const mlc_matrix *X, const double *y,
                        mlc_elastic_net **out)
{
    return mlc_elastic_net_fit_weighted(p, X, y, NULL, out);
}

static int enet_refit(mlc_elastic_net *m, const mlc_matrix *X, const mlc_matrix *Y,
                      const double *sw)
{
    int st = mlc_check_ptr(m, "model");
    if (st)
        return st;
    int warm = m->params.warm_start && X && Y && X->cols == m->s.lm.p && Y->cols == m->s.lm.k;
    mlc_enet_state fresh;
    if ((st = mlc_enet_fit_state(&m->params, X, Y, sw, warm ? m->s.lm.coef : NULL, NULL,
                                 &fresh)))
        return st;
    mlc_enet_state_clear(&m->s);
    m->s = fresh;
    return MLC_OK;
}

int mlc_elastic_net_refit(mlc_elastic_net *m, const mlc_matrix *X, const mlc_matrix *Y,
                          const double *sw)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, enet_refit(m, X, Y, sw));
}

int mlc_elastic_net_predict(const mlc_elastic_net *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(
        &scope, mlc_lin_model_predict(m ? &m->s.lm : NULL, X, out, m ? m->name : NAME));
}

size_t mlc_elastic_net_n_features(const mlc_elastic_net *m)
{
    return m ? m->s.lm.p : 0;
}
size_t mlc_elastic_net_n_targets(const mlc_elastic_net *m)
{
    return m ? m->s.lm.k : 0;
}
const double *mlc_elastic_net_coef(const mlc_elastic_net *m)
{
    return m ? m->s.lm.coef : NULL;
}
const double *mlc_elastic_net_intercept(const mlc_elastic_net *m)
{
    return m ? m->s.lm.intercept : NULL;
}
const int64_t *mlc_elastic_net_n_iter(const mlc_elastic_net *m)
{
    return m ? m->s.n_iter : NULL;
}
const double *mlc_elastic_net_dual_gap(const mlc_elastic_net *m)
{
    return m ? m->s.dual_gap : NULL;
}
const int32_t *mlc_elastic_net_converged(const mlc_elastic_net *m)
{
    return m ? m->s.converged : NULL;
}

/* ---------------------------------------------------------------- registry */

void mlc_enet_reg_free(void *model)
{
    mlc_elastic_net_free(model);
}

size_t mlc_enet_reg_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    size_t n = 0;
    mlc_enet_state_put_attrs(&((const mlc_elastic_net *)model)->s, out, cap, &n);
    return n;
}

int mlc_enet_reg_restore(const mlc_elastic_net_params *p, const mlc_attr_set *s,
                         const char *name, void **model)
{
    mlc_elastic_net *m = NULL;
    int st = enet_new(p, name, &m);
    if (st)
        return st;
    st = mlc_enet_state_restore(&m->s, s, p->n_threads);
    return mlc_reg_handover(st, m, free, model);
}

static int enet_reg_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                        void **model)
{
    return mlc_enet_model_fit(p, d->X, d->Y, d->sample_weight, NAME, progress,
                              (mlc_elastic_net **)model);
}

static int enet_reg_restore(const void *p, const mlc_attr_set *s, void **model)
{
    return mlc_enet_reg_restore(p, s, NAME, model);
}

void mlc_enet_warn_no_penalty(double alpha, const char *name, mlc_warnings *w)
{
    /* scikit-learn's UserWarning: "With alpha=0, this algorithm does not
     * converge well. You are advised to use the LinearRegression estimator". */
    if (alpha == 0)
        mlc_warnings_add(w, "%s with alpha = 0 has no penalty: coordinate descent does not "
                            "converge well without one and is discouraged; use "
                            "linear_regression",
                         name);
}

static void enet_reg_warnings(const void *p, const void *model, mlc_warnings *w)
{
    (void)model;
    mlc_enet_warn_no_penalty(((const mlc_elastic_net_params *)p)->alpha, NAME, w);
}

const mlc_estimator_desc mlc_elastic_net_desc = {
    .name = NAME,
    .summary = "linear regression with combined L1 and L2 penalties (coordinate descent)",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(params_table, mlc_elastic_net_params),
    .fit = enet_reg_fit,
    .free = mlc_enet_reg_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = mlc_enet_reg_attributes,
    .restore = enet_reg_restore,
    .warnings = enet_reg_warnings,
};
