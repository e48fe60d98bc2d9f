/* ElasticNet: the typed API and the registry entry (the fit itself is
 * enet_fit.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_enet.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"

struct mlc_elastic_net {
    mlc_enet_state s;
    mlc_elastic_net_params params;
};

static const char NAME[] = "elastic_net";

mlc_elastic_net_params mlc_elastic_net_params_default(void)
{
    mlc_elastic_net_params p = {1.0,   0.5, 1, MLC_PRECOMPUTE_AUTO, 1000, 1e-4, 0, 0, -1,
                                MLC_SELECTION_CYCLIC, 0};
    return p;
}

void mlc_elastic_net_free(mlc_elastic_net *m)
{
    if (!m)
        return;
    mlc_enet_state_clear(&m->s);
    free(m);
}

int mlc_elastic_net_fit_multi(const mlc_elastic_net_params *p, const mlc_matrix *X,
                              const mlc_matrix *Y, const double *sw, mlc_elastic_net **out)
{
    MLC_THREAD_SCOPE();
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")))
        return st;
    mlc_elastic_net *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("an elastic net");
    m->params = *p;
    if ((st = mlc_enet_fit_state(p, X, Y, sw, NULL, &m->s))) {
        free(m);
        return st;
    }
    *out = m;
    return MLC_OK;
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

int mlc_elastic_net_refit(mlc_elastic_net *m, const mlc_matrix *X, const mlc_matrix *Y,
                          const double *sw)
{
    MLC_THREAD_SCOPE();
    int st = mlc_check_ptr(m, "model");
    if (st)
        return st;
    int warm = m->params.warm_start && X && Y && X->cols == m->s.lm.p && Y->cols == m->s.lm.k;
    mlc_enet_state fresh;
    if ((st = mlc_enet_fit_state(&m->params, X, Y, sw, warm ? m->s.lm.coef : NULL, &fresh)))
        return st;
    mlc_enet_state_clear(&m->s);
    m->s = fresh;
    return MLC_OK;
}

int mlc_elastic_net_predict(const mlc_elastic_net *m, const mlc_matrix *X, double *out)
{
    MLC_THREAD_SCOPE();
    int st = mlc_check_ptr(m, "model");
    return st ? st : mlc_lin_model_predict(&m->s.lm, X, out, m->params.n_threads, NAME);
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

static const mlc_param_info params_table[] = {
    MLC_P_REAL(mlc_elastic_net_params, alpha, "1.0", 0.0, HUGE_VAL,
               "penalty strength (multiplies both penalties)"),
    MLC_P_REAL(mlc_elastic_net_params, l1_ratio, "0.5", 0.0, 1.0,
               "mix of the penalties: 1 = L1 (lasso), 0 = L2"),
    MLC_P_BOOL(mlc_elastic_net_params, fit_intercept, "true", "fit an intercept (centre X and y)"),
    MLC_P_CHOICE(mlc_elastic_net_params, precompute, "auto", "auto|true|false",
                 "Gram-matrix (covariance) updates: auto = when n_samples > n_features"),
    MLC_P_INT(mlc_elastic_net_params, max_iter, "1000", 1, 1e12, "maximum number of epochs"),
    MLC_P_REAL(mlc_elastic_net_params, tol, "0.0001", 0.0, HUGE_VAL,
               "stop when the duality gap < tol * ||y - mean(y)||^2"),
    MLC_P_BOOL(mlc_elastic_net_params, warm_start, "false",
               "C API refits start from coef_ (each registry fit starts from zero)"),
    MLC_P_BOOL(mlc_elastic_net_params, positive, "false", "constrain the coefficients to be >= 0"),
    MLC_P_INT(mlc_elastic_net_params, random_state, "-1", -1, 2147483647.0,
              "seed of selection=random (-1 = from the OS)"),
    MLC_P_CHOICE(mlc_elastic_net_params, selection, "cyclic", "cyclic|random",
                 "coordinate order of each epoch"),
    MLC_P_THREADS(mlc_elastic_net_params),
};

static void reg_default(void *p)
{
    *(mlc_elastic_net_params *)p = mlc_elastic_net_params_default();
}

static int reg_fit(const void *p, const mlc_fit_data *d, void **model)
{
    return mlc_elastic_net_fit_multi(p, d->X, d->Y, d->sample_weight,
                                     (mlc_elastic_net **)model);
}

static void reg_free(void *m)
{
    mlc_elastic_net_free(m);
}

static size_t reg_output_cols(const void *model, mlc_output kind)
{
    return kind == MLC_OUT_PREDICT ? ((const mlc_elastic_net *)model)->s.lm.k : 0;
}

static int reg_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    const mlc_elastic_net *m = model;
    (void)kind;
    return mlc_lin_model_reg_output(&m->s.lm, X, out, m->params.n_threads);
}

static size_t reg_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    size_t n = 0;
    mlc_enet_state_put_attrs(&((const mlc_elastic_net *)model)->s, out, cap, &n);
    return n;
}

static int reg_restore(const void *p, const mlc_attr_set *s, void **model)
{
    mlc_elastic_net *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("an elastic net");
    m->params = *(const mlc_elastic_net_params *)p;
    int st = mlc_enet_state_restore(&m->s, s);
    if (st) {
        free(m);
        return st;
    }
    *model = m;
    return MLC_OK;
}

const mlc_estimator_desc mlc_elastic_net_desc = {
    .name = "elastic_net",
    .summary = "linear regression with combined L1 and L2 penalties (coordinate descent)",
    .task = MLC_TASK_REGRESSOR,
    .params = params_table,
    .n_params = MLC_COUNT_OF(params_table),
    .params_size = sizeof(mlc_elastic_net_params),
    .threads_offset = offsetof(mlc_elastic_net_params, n_threads),
    .params_default = reg_default,
    .fit = reg_fit,
    .free = reg_free,
    .output_cols = reg_output_cols,
    .output = reg_output,
    .score = NULL,
    .attributes = reg_attributes,
    .restore = reg_restore,
};
