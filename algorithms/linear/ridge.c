/* Ridge: ||y - Xw||^2 + alpha ||w||^2, docs/PARITY.md §2. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_folds.h"
#include "linear_model.h"
#include "linear_solve.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/linear.h"

struct mlc_ridge {
    mlc_linear_model lm;
    mlc_ridge_params params; /* target_alphas points at `alphas` */
    double *alphas;          /* the alpha of each target */
};

static const char NAME[] = "ridge";

/* The registry's view: alpha is a list (one value, or one per target). */
typedef struct ridge_reg_params {
    mlc_real_list alpha;
    int fit_intercept;
    int solver;
    int positive;
    int n_threads;
} ridge_reg_params;

static const mlc_param_info params_table[] = {
    MLC_P_REAL_LIST(ridge_reg_params, alpha, "1.0", 0.0, HUGE_VAL,
                    "L2 penalty: one value, or one per target"),
    MLC_P_BOOL(ridge_reg_params, fit_intercept, "true", "fit an intercept (centre X and y)"),
    MLC_P_CHOICE(ridge_reg_params, solver, "auto", "auto|cholesky|svd",
                 "auto/cholesky: Cholesky on X'X + alpha I (kernel form when p > n); svd"),
    MLC_P_BOOL(ridge_reg_params, positive, "false", "constrain the coefficients to be >= 0"),
    MLC_P_THREADS(ridge_reg_params),
};

/* The typed params of the registry's (target_alphas points into r). */
static mlc_ridge_params typed_params(const ridge_reg_params *r)
{
    mlc_ridge_params p = {r->alpha.n ? r->alpha.v[0] : 1.0, NULL, 0, r->fit_intercept,
                          r->solver, r->positive, r->n_threads};
    if (r->alpha.n > 1) {
        p.target_alphas = r->alpha.v;
        p.n_target_alphas = r->alpha.n;
    }
    return p;
}

mlc_ridge_params mlc_ridge_params_default(void)
{
    ridge_reg_params r = MLC_TABLE_DEFAULTS(ridge_reg_params, params_table);
    return typed_params(&r);
}

void mlc_ridge_free(mlc_ridge *m)
{
    if (!m)
        return;
    mlc_lin_model_clear(&m->lm);
    free(m->alphas);
    free(m);
}

static void ridge_free(void *m)
{
    mlc_ridge_free(m);
}

/* A model with its own copy of the params and one alpha per target. */
static int ridge_new(const mlc_ridge_params *p, size_t n_features, size_t k, mlc_ridge **out)
{
    int st;
    if (p->target_alphas) {
        if (p->n_target_alphas != k)
            return mlc_raise(MLC_EBADLEN, "alpha has %zu values but y has %zu targets",
                             p->n_target_alphas, k);
        for (size_t t = 0; t < k; t++)
            if ((st = mlc_lin_check_alpha(p->target_alphas[t], "alpha")))
                return st;
    } else if ((st = mlc_lin_check_alpha(p->alpha, "alpha"))) {
        return st;
    }
    if (p->solver < MLC_RIDGE_AUTO || p->solver > MLC_RIDGE_SVD)
        return mlc_raise(MLC_EINVAL, "solver must be auto (0), cholesky (1) or svd (2), got %d",
                         p->solver);
    mlc_ridge *m = calloc(1, sizeof *m);
    if (!m || !(m->alphas = malloc(k * sizeof *m->alphas))) {
        free(m);
        return mlc_raise_nomem("a ridge model");
    }
    for (size_t t = 0; t < k; t++)
        m->alphas[t] = p->target_alphas ? p->target_alphas[t] : p->alpha;
    m->params = *p;
    if (p->target_alphas)
        m->params.target_alphas = m->alphas;
    m->lm.n_threads = p->n_threads;
    st = mlc_lin_model_init(&m->lm, n_features, k);
    return mlc_reg_handover(st, m, ridge_free, (void **)out);
}

static int ridge_fit(const mlc_ridge_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                     const double *sw, mlc_ridge **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_lin_check_fit_shapes(X, Y, sw, p->n_threads)))
        return st;
    mlc_ridge *m;
    if ((st = ridge_new(p, X->cols, Y->cols, &m)))
        return st;
    mlc_lin_data d;
    st = mlc_lin_data_init(&d, X, Y, sw, NULL, 0, p->fit_intercept, 0, p->n_threads);
    d.unchecked = 1; /* the first product checks X (mlc_lin_check_fit_shapes) */
    if (!st)
        st = mlc_lin_ridge_solve(&d, m->alphas, p->solver, p->positive, m->lm.coef);
    if (!st) {
        mlc_lin_model_set_intercept(&m->lm, &d);
        st = mlc_lin_model_check_finite(&m->lm, NAME);
    }
    mlc_lin_data_clear(&d);
    return mlc_reg_handover(st, m, ridge_free, (void **)out);
}

int mlc_ridge_fit_multi(const mlc_ridge_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                        const double *sw, mlc_ridge **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, ridge_fit(p, X, Y, sw, out));
}

int mlc_ridge_fit_weighted(const mlc_ridge_params *p, const mlc_matrix *X, const double *y,
                           const double *sw, mlc_ridge **out)
{
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    return mlc_ridge_fit_multi(p, X, &Y, sw, out);
}

int mlc_ridge_fit(const mlc_ridge_params *p, const mlc_matrix *X, const double *y,
                  mlc_ridge **out)
{
    return mlc_ridge_fit_weighted(p, X, y, NULL, out);
}

int mlc_ridge_predict(const mlc_ridge *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_lin_model_predict(m ? &m->lm : NULL, X, out, NAME));
}

size_t mlc_ridge_n_features(const mlc_ridge *m)
{
    return m ? m->lm.p : 0;
}
size_t mlc_ridge_n_targets(const mlc_ridge *m)
{
    return m ? m->lm.k : 0;
}
const double *mlc_ridge_coef(const mlc_ridge *m)
{
    return m ? m->lm.coef : NULL;
}
const double *mlc_ridge_intercept(const mlc_ridge *m)
{
    return m ? m->lm.intercept : NULL;
}

/* ---------------------------------------------------------------- registry */

/* A closed form: no progress to report. */
static int ridge_reg_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                         void **model)
{
    (void)progress;
    mlc_ridge_params tp = typed_params(p);
    return mlc_ridge_fit_multi(&tp, d->X, d->Y, d->sample_weight, (mlc_ridge **)model);
}

/* K-fold fits at once (the descriptor's fit_partition): one pass of
 * products over X for all the parts, then a Cholesky solve per fold. It
 * declines (MLC_EUNSUPPORTED, no message) where the fold-by-fold fit takes a
 * path pooled moments do not reproduce: sample weights, positive, the SVD
 * solver, the kernel form (p > a fold's training rows), a singular system,
 * or more parts than pooling pays for. */
static int ridge_fit_partition(const void *p, const mlc_fit_data *d, const uint32_t *part,
                             size_t n_parts, void **models)
{
    mlc_ridge_params tp = typed_params(p);
    if (d->sample_weight || tp.positive || tp.solver == MLC_RIDGE_SVD || n_parts < 2 ||
        n_parts > MLC_LIN_FOLDS_MAX || !d->Y)
        return MLC_EUNSUPPORTED;
    int st = mlc_lin_check_fit(d->X, d->Y, NULL, tp.n_threads);
    if (st)
        return st;
    size_t pf = d->X->cols, k = d->Y->cols;
    /* the models first: ridge_new checks alpha before the moments are formed */
    for (size_t h = 0; !st && h < n_parts; h++) {
        mlc_ridge *m = NULL;
        st = ridge_new(&tp, pf, k, &m);
        models[h] = m;
    }
    mlc_lin_folds f = {0};
    if (!st)
        st = mlc_lin_folds_init(&f, d->X, d->Y, part, n_parts, tp.fit_intercept, tp.n_threads);
    double *G = st ? NULL : malloc(pf * pf * sizeof *G);
    double *offsets = st ? NULL : malloc((pf + k) * sizeof *offsets);
    if (!st && (!G || !offsets))
        st = mlc_raise_nomem("the cross-validation fits");
    for (size_t h = 0; !st && h < n_parts; h++) {
        mlc_ridge *m = models[h];
        double n_train;
        mlc_lin_folds_train(&f, h, G, m->lm.coef, offsets, offsets + pf, &n_train);
        st = (double)pf > n_train ? MLC_EUNSUPPORTED
                                  : mlc_lin_ridge_from_gram(G, pf, m->alphas, k, m->lm.coef);
        if (st == MLC_ESING)
            st = MLC_EUNSUPPORTED;
        if (!st) {
            mlc_lin_model_set_intercept_from(&m->lm, tp.fit_intercept, offsets, offsets + pf);
            st = mlc_lin_model_check_finite(&m->lm, NAME);
        }
    }
    if (st)
        for (size_t h = 0; h < n_parts; h++) {
            mlc_ridge_free(models[h]);
            models[h] = NULL;
        }
    free(G);
    free(offsets);
    mlc_lin_folds_clear(&f);
    return st;
}

static size_t ridge_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    size_t n = 0;
    mlc_lin_model_put_attrs(&((const mlc_ridge *)model)->lm, out, cap, &n);
    return n;
}

static int ridge_restore(const void *p, const mlc_attr_set *s, void **model)
{
    mlc_ridge_params tp = typed_params(p);
    if (tp.target_alphas && tp.n_target_alphas != mlc_attrs_n_targets(s))
        return mlc_raise(MLC_EFORMAT, "model file: alpha has %zu values for %zu targets",
                         tp.n_target_alphas, mlc_attrs_n_targets(s));
    mlc_ridge *m;
    int st = ridge_new(&tp, mlc_attrs_n_features(s), mlc_attrs_n_targets(s), &m);
    if (st)
        return st;
    mlc_lin_model_clear(&m->lm);
    st = mlc_lin_model_restore(&m->lm, s, tp.n_threads);
    return mlc_reg_handover(st, m, ridge_free, model);
}

const mlc_estimator_desc mlc_ridge_desc = {
    .name = NAME,
    .summary = "linear least squares with an L2 penalty (Cholesky, kernel form or SVD)",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(params_table, ridge_reg_params),
    .fit = ridge_reg_fit,
    .fit_partition = ridge_fit_partition,
    .free = ridge_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = ridge_attributes,
    .restore = ridge_restore,
};
