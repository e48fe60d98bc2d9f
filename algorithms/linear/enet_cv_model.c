/* The model object shared by LassoCV and ElasticNetCV, and their common
 * registry glue (see algorithms/linear/linear_cv.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_cv.h"
#include "internal/validate.h"

static const double LASSO_RATIO = 1.0;

/* Point the params copy at the model's own arrays. */
static void own_params(mlc_enet_cv_model *m, const mlc_elastic_net_cv_params *p)
{
    m->params = *p;
    m->params.l1_ratios = m->s.l1_ratios;
    m->params.n_l1_ratios = m->s.n_l1;
    if (p->alphas) {
        m->params.alphas = m->s.alphas;
        m->params.alphas_len = m->s.path_len;
    }
    m->params.folds = NULL;
    m->params.n_folds = 0;
}

int mlc_enet_cv_model_fit(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                          const double *y, const double *sw, int lasso,
                          mlc_progress_ctx *progress, void **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")))
        return st;
    mlc_enet_cv_model *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a cross-validated elastic net");
    if (!(st = mlc_enet_cv_fit_state(p, X, y, sw, progress, &m->s))) {
        own_params(m, p);
        m->lasso = lasso;
    }
    return mlc_reg_handover(st, m, free, out);
}

void mlc_enet_cv_model_free(void *model)
{
    mlc_enet_cv_model *m = model;
    if (!m)
        return;
    mlc_enet_cv_state_clear(&m->s);
    free(m);
}

int mlc_enet_cv_model_predict(const void *model, const mlc_matrix *X, double *out,
                              const char *estimator)
{
    const mlc_enet_cv_model *m = model;
    return mlc_lin_model_predict(m ? &m->s.fit.lm : NULL, X, out, estimator);
}

/* ---------------------------------------------------------------- registry */

#define P mlc_enet_cv_reg_params
const mlc_param_info mlc_enet_cv_params_table[MLC_ENET_CV_N_PARAMS] = {
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
    MLC_P_MATRIX(P, test_fold, "fold number of each row, (n_samples,) (PredefinedSplit; "
                               "-1 = never tested); overrides cv"),
    MLC_P_BOOL(P, positive, "false", "constrain the coefficients to be >= 0"),
    MLC_P_INT(P, random_state, "-1", -1, 2147483647.0,
              "seed of selection=random (-1 = from the OS)"),
    MLC_P_CHOICE(P, selection, "cyclic", "cyclic|random", "coordinate order of each epoch"),
    MLC_P_THREADS(P),
};
#undef P

mlc_enet_cv_reg_params mlc_enet_cv_reg_defaults(void)
{
    return MLC_TABLE_DEFAULTS(mlc_enet_cv_reg_params, mlc_enet_cv_params_table);
}

mlc_elastic_net_cv_params mlc_enet_cv_typed_params(const mlc_enet_cv_reg_params *r, int lasso)
{
    mlc_elastic_net_cv_params p = {
        .l1_ratios = lasso ? &LASSO_RATIO : r->l1_ratio.v,
        .n_l1_ratios = lasso ? 1 : r->l1_ratio.n,
        .eps = r->eps,
        .alpha_grid_size = r->n_alphas > 0 ? (size_t)r->n_alphas : 0,
        .alphas = r->alphas.n ? r->alphas.v : NULL,
        .alphas_len = r->alphas.n,
        .fit_intercept = r->fit_intercept,
        .precompute = r->precompute,
        .max_iter = r->max_iter,
        .tol = r->tol,
        .cv = r->cv,
        .positive = r->positive,
        .random_state = r->random_state,
        .selection = r->selection,
        .n_threads = r->n_threads};
    return p;
}

/* test_fold as given (NULL: a caller's matrix): one fold number per row. */
static int check_test_fold(const mlc_matrix *T, const mlc_array_shape *given, size_t n)
{
    if (mlc_array_is_vector(T, given, n))
        return MLC_OK;
    char got[96];
    mlc_array_shape_text(T, given, got, sizeof got);
    return mlc_raise(MLC_EBADLEN, "test_fold has shape %s but needs (n_samples,) = (%zu,): one "
                     "fold number per row of X", got, n);
}

int mlc_enet_cv_check_arrays(const void *p, const mlc_array_shape *shapes, const mlc_fit_data *d,
                             int lasso)
{
    const mlc_enet_cv_reg_params *r = p;
    if (!r->test_fold)
        return MLC_OK;
    /* LassoCV's table is ElasticNetCV's without its first row */
    const mlc_array_shape *given = mlc_reg_shape_at(
        mlc_enet_cv_params_table + (lasso ? 1 : 0), MLC_ENET_CV_N_PARAMS - (lasso ? 1 : 0),
        shapes, offsetof(mlc_enet_cv_reg_params, test_fold));
    return check_test_fold(r->test_fold, given, d->X->rows);
}

int mlc_enet_cv_reg_fit(const mlc_enet_cv_reg_params *r, const mlc_fit_data *d, int lasso,
                        mlc_progress_ctx *progress, void **model)
{
    const mlc_matrix *X = d->X, *Y = d->Y;
    size_t n = X->rows;
    if (Y->cols != 1)
        return mlc_raise(MLC_EINVAL, "%s takes one target, y has %zu columns",
                         lasso ? "lasso_cv" : "elastic_net_cv", Y->cols);
    mlc_elastic_net_cv_params p = mlc_enet_cv_typed_params(r, lasso);
    double *buf = malloc(2 * n * sizeof *buf);
    if (!buf)
        return mlc_raise_nomem("cross-validation input");
    double *y = buf, *ids = buf + n;
    for (size_t i = 0; i < n; i++)
        y[i] = MLC_AT(Y, i, 0);
    mlc_linear_cv_fold *folds = NULL;
    size_t *idx = NULL;
    int st = MLC_OK;
    if (r->test_fold) {
        const mlc_matrix *T = r->test_fold;
        st = check_test_fold(T, NULL, n);
        for (size_t i = 0; !st && i < n; i++)
            ids[i] = T->cols == 1 ? MLC_AT(T, i, 0) : MLC_AT(T, 0, i);
        if (!st)
            st = mlc_enet_cv_predefined(ids, n, &folds, &p.n_folds, &idx);
        p.folds = folds;
    }
    if (!st)
        st = mlc_enet_cv_model_fit(&p, X, y, d->sample_weight, lasso, progress, model);
    free(folds);
    free(idx);
    free(buf);
    return st;
}

size_t mlc_enet_cv_reg_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_enet_cv_model *m = model;
    size_t n = 0;
    mlc_enet_cv_put_attrs(&m->s, !m->lasso, out, cap, &n);
    return n;
}

int mlc_enet_cv_reg_restore(const mlc_enet_cv_reg_params *r, const mlc_attr_set *s, int lasso,
                            void **model)
{
    mlc_elastic_net_cv_params p = mlc_enet_cv_typed_params(r, lasso);
    mlc_enet_cv_model *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a cross-validated elastic net");
    int st = mlc_enet_cv_restore(&m->s, s, p.l1_ratios, p.n_l1_ratios, p.alphas == NULL, !lasso,
                                 p.n_threads);
    if (!st) {
        own_params(m, &p);
        m->lasso = lasso;
    }
    return mlc_reg_handover(st, m, free, model);
}
