/* ElasticNetCV: the typed API and the registry entry (the work is
 * enet_cv.c, the model object and parameter table enet_cv_model.c). */
#include <math.h>
#include <stdlib.h>
#include "linear_cv.h"
#include "internal/thread_scope.h"

static const char NAME[] = "elastic_net_cv";

/* An mlc_elastic_net_cv is an mlc_enet_cv_model. */
static const mlc_enet_cv_state *cv(const mlc_elastic_net_cv *m)
{
    return &((const mlc_enet_cv_model *)m)->s;
}

/* The table's defaults (enet_cv_model.c), with no lists: NULL l1_ratios are
 * the table's, put in at the fit; NULL alphas, the grid. */
mlc_elastic_net_cv_params mlc_elastic_net_cv_params_default(void)
{
    mlc_enet_cv_reg_params r = mlc_enet_cv_reg_defaults();
    mlc_elastic_net_cv_params p = mlc_enet_cv_typed_params(&r, 0);
    p.l1_ratios = NULL;
    p.n_l1_ratios = 0;
    return p;
}

static int fit_with_default_ratios(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                                   const double *y, const double *sw, mlc_elastic_net_cv **out)
{
    mlc_enet_cv_reg_params r;
    mlc_elastic_net_cv_params given;
    if (p && !p->l1_ratios) {
        r = mlc_enet_cv_reg_defaults();
        given = *p;
        given.l1_ratios = r.l1_ratio.v;
        given.n_l1_ratios = r.l1_ratio.n;
        p = &given;
    }
    return mlc_enet_cv_model_fit(p, X, y, sw, 0, NULL, (void **)out);
}

int mlc_elastic_net_cv_fit_weighted(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                                    const double *y, const double *sw, mlc_elastic_net_cv **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, fit_with_default_ratios(p, X, y, sw, out));
}

int mlc_elastic_net_cv_fit(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                           const double *y, mlc_elastic_net_cv **out)
{
    return mlc_elastic_net_cv_fit_weighted(p, X, y, NULL, out);
}

int mlc_elastic_net_cv_predict(const mlc_elastic_net_cv *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_enet_cv_model_predict(m, X, out, NAME));
}

void mlc_elastic_net_cv_free(mlc_elastic_net_cv *m)
{
    mlc_enet_cv_model_free(m);
}

size_t mlc_elastic_net_cv_n_features(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->fit.lm.p : 0;
}
const double *mlc_elastic_net_cv_coef(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->fit.lm.coef : NULL;
}
const double *mlc_elastic_net_cv_intercept(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->fit.lm.intercept : NULL;
}
double mlc_elastic_net_cv_alpha(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->alpha : NAN;
}
double mlc_elastic_net_cv_l1_ratio(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->l1_ratio : NAN;
}
const double *mlc_elastic_net_cv_alphas(const mlc_elastic_net_cv *m, size_t *n_l1_ratios,
                                        size_t *path_len)
{
    if (n_l1_ratios)
        *n_l1_ratios = m ? cv(m)->n_l1 : 0;
    if (path_len)
        *path_len = m ? cv(m)->path_len : 0;
    return m ? cv(m)->alphas : NULL;
}
const double *mlc_elastic_net_cv_mse_path(const mlc_elastic_net_cv *m, size_t *n_folds)
{
    if (n_folds)
        *n_folds = m ? cv(m)->n_folds : 0;
    return m ? cv(m)->mse_path : NULL;
}
int64_t mlc_elastic_net_cv_n_iter(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->fit.n_iter[0] : 0;
}
double mlc_elastic_net_cv_dual_gap(const mlc_elastic_net_cv *m)
{
    return m ? cv(m)->fit.dual_gap[0] : NAN;
}

/* ---------------------------------------------------------------- registry */

static int enet_cv_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                       void **model)
{
    return mlc_enet_cv_reg_fit(p, d, 0, progress, model);
}

static int enet_cv_check_arrays(const void *p, const mlc_array_shape *shapes,
                                const mlc_fit_data *d)
{
    return mlc_enet_cv_check_arrays(p, shapes, d, 0);
}

static int enet_cv_restore(const void *p, const mlc_attr_set *s, void **model)
{
    return mlc_enet_cv_reg_restore(p, s, 0, model);
}

const mlc_estimator_desc mlc_elastic_net_cv_desc = {
    .name = NAME,
    .summary = "elastic net with alpha and l1_ratio chosen by cross-validation",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(mlc_enet_cv_params_table, mlc_enet_cv_reg_params),
    .check_arrays = enet_cv_check_arrays,
    .fit = enet_cv_fit,
    .free = mlc_enet_cv_model_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = mlc_enet_cv_reg_attributes,
    .restore = enet_cv_restore,
};
