/* ElasticNetCV: the typed API and the registry entry (the work is
 * enet_cv.c, the model object enet_cv_model.c). */
#include <math.h>
#include <stdlib.h>
#include "linear_cv.h"
#include "internal/thread_scope.h"

struct mlc_elastic_net_cv {
    mlc_enet_cv_model m;
};

static const char NAME[] = "elastic_net_cv";

mlc_elastic_net_cv_params mlc_elastic_net_cv_params_default(void)
{
    mlc_elastic_net_cv_params p = {.l1_ratios = NULL,
                                   .eps = 1e-3,
                                   .alpha_grid_size = 100,
                                   .alphas = NULL,
                                   .fit_intercept = 1,
                                   .precompute = MLC_PRECOMPUTE_AUTO,
                                   .max_iter = 1000,
                                   .tol = 1e-4,
                                   .cv = 5,
                                   .folds = NULL,
                                   .positive = 0,
                                   .random_state = -1,
                                   .selection = MLC_SELECTION_CYCLIC,
                                   .n_threads = 0};
    return p;
}

int mlc_elastic_net_cv_fit_weighted(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                                    const double *y, const double *sw, mlc_elastic_net_cv **out)
{
    MLC_THREAD_SCOPE();
    return mlc_enet_cv_model_fit(p, X, y, sw, 0, sizeof(mlc_elastic_net_cv), (void **)out);
}

int mlc_elastic_net_cv_fit(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                           const double *y, mlc_elastic_net_cv **out)
{
    return mlc_elastic_net_cv_fit_weighted(p, X, y, NULL, out);
}

int mlc_elastic_net_cv_predict(const mlc_elastic_net_cv *m, const mlc_matrix *X, double *out)
{
    MLC_THREAD_SCOPE();
    return mlc_enet_cv_model_predict(m, X, out, NAME);
}

void mlc_elastic_net_cv_free(mlc_elastic_net_cv *m)
{
    mlc_enet_cv_model_free(m);
}

size_t mlc_elastic_net_cv_n_features(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.fit.lm.p : 0;
}
const double *mlc_elastic_net_cv_coef(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.fit.lm.coef : NULL;
}
const double *mlc_elastic_net_cv_intercept(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.fit.lm.intercept : NULL;
}
double mlc_elastic_net_cv_alpha(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.alpha : NAN;
}
double mlc_elastic_net_cv_l1_ratio(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.l1_ratio : NAN;
}
const double *mlc_elastic_net_cv_alphas(const mlc_elastic_net_cv *m, size_t *n_l1_ratios,
                                        size_t *path_len)
{
    if (n_l1_ratios)
        *n_l1_ratios = m ? m->m.s.n_l1 : 0;
    if (path_len)
        *path_len = m ? m->m.s.path_len : 0;
    return m ? m->m.s.alphas : NULL;
}
const double *mlc_elastic_net_cv_mse_path(const mlc_elastic_net_cv *m, size_t *n_folds)
{
    if (n_folds)
        *n_folds = m ? m->m.s.n_folds : 0;
    return m ? m->m.s.mse_path : NULL;
}
int64_t mlc_elastic_net_cv_n_iter(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.fit.n_iter[0] : 0;
}
double mlc_elastic_net_cv_dual_gap(const mlc_elastic_net_cv *m)
{
    return m ? m->m.s.fit.dual_gap[0] : NAN;
}

/* ---------------------------------------------------------------- registry */

#define P mlc_enet_cv_reg_params
static const mlc_param_info params_table[] = {
    MLC_P_REAL_LIST(P, l1_ratio, "0.5", 0.0, 1.0,
                    "L1 share of the penalty; several values are cross-validated too"),
    MLC_P_REAL_OPEN(P, eps, "0.001", 0.0, 1, HUGE_VAL, 0, "alpha_min / alpha_max of the grid"),
    MLC_P_INT(P, n_alphas, "100", 1, 1e6, "number of alphas on the grid"),
    MLC_P_REAL_LIST(P, alphas, "", 0.0, HUGE_VAL, "alphas to try instead of the grid"),
    MLC_P_BOOL(P, fit_intercept, "true", "fit an intercept (centre X and y)"),
    MLC_P_CHOICE(P, precompute, "auto", "auto|true|false",
                 "Gram-matrix (covariance) updates: auto = when n_samples > n_features"),
    MLC_P_INT(P, max_iter, "1000", 1, 1e12, "maximum number of epochs per alpha"),
    MLC_P_REAL(P, tol, "0.0001", 0.0, HUGE_VAL,
               "stop when the duality gap < tol * ||y - mean(y)||^2"),
    MLC_P_INT(P, cv, "5", 2, 1e9, "number of folds (KFold without shuffling)"),
    MLC_P_MATRIX(P, test_fold, "fold number of each row (PredefinedSplit; -1 = never tested); "
                               "overrides cv"),
    MLC_P_BOOL(P, positive, "false", "constrain the coefficients to be >= 0"),
    MLC_P_INT(P, random_state, "-1", -1, 2147483647.0,
              "seed of selection=random (-1 = from the OS)"),
    MLC_P_CHOICE(P, selection, "cyclic", "cyclic|random", "coordinate order of each epoch"),
    MLC_P_THREADS(P),
};
#undef P

static void reg_default(void *p)
{
    mlc_enet_cv_reg_default(p, 0);
}

static int reg_fit(const void *p, const mlc_fit_data *d, void **model)
{
    return mlc_enet_cv_reg_fit(p, d, 0, sizeof(mlc_elastic_net_cv), model);
}

static int reg_restore(const void *p, const mlc_attr_set *s, void **model)
{
    return mlc_enet_cv_reg_restore(p, s, 0, sizeof(mlc_elastic_net_cv), model);
}

const mlc_estimator_desc mlc_elastic_net_cv_desc = {
    .name = "elastic_net_cv",
    .summary = "elastic net with alpha and l1_ratio chosen by cross-validation",
    .task = MLC_TASK_REGRESSOR,
    .params = params_table,
    .n_params = MLC_COUNT_OF(params_table),
    .params_size = sizeof(mlc_enet_cv_reg_params),
    .threads_offset = offsetof(mlc_enet_cv_reg_params, n_threads),
    .params_default = reg_default,
    .fit = reg_fit,
    .free = mlc_enet_cv_model_free,
    .output_cols = mlc_enet_cv_reg_output_cols,
    .output = mlc_enet_cv_reg_output,
    .score = NULL,
    .attributes = mlc_enet_cv_reg_attributes,
    .restore = reg_restore,
};
