/* The model object shared by LassoCV and ElasticNetCV, and their common
 * registry glue (see algorithms/linear/linear_cv.h). */
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
                          const double *y, const double *sw, int lasso, size_t size, void **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")))
        return st;
    mlc_enet_cv_model *m = calloc(1, size);
    if (!m)
        return mlc_raise_nomem("a cross-validated elastic net");
    if ((st = mlc_enet_cv_fit_state(p, X, y, sw, &m->s))) {
        free(m);
        return st;
    }
    own_params(m, p);
    m->lasso = lasso;
    *out = m;
    return MLC_OK;
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
    int st = mlc_check_ptr(m, "model");
    return st ? st : mlc_lin_model_predict(&m->s.fit.lm, X, out, m->params.n_threads, estimator);
}

/* ---------------------------------------------------------------- registry */

void mlc_enet_cv_reg_default(mlc_enet_cv_reg_params *p, int lasso)
{
    memset(p, 0, sizeof *p);
    p->l1_ratio.n = 1;
    p->l1_ratio.v[0] = lasso ? 1.0 : 0.5;
    p->eps = 1e-3;
    p->n_alphas = 100;
    p->fit_intercept = 1;
    p->precompute = MLC_PRECOMPUTE_AUTO;
    p->max_iter = 1000;
    p->tol = 1e-4;
    p->cv = 5;
    p->random_state = -1;
    p->selection = MLC_SELECTION_CYCLIC;
}

static mlc_elastic_net_cv_params typed_params(const mlc_enet_cv_reg_params *r, int lasso)
{
    mlc_elastic_net_cv_params p = mlc_elastic_net_cv_params_default();
    p.l1_ratios = lasso ? &LASSO_RATIO : r->l1_ratio.v;
    p.n_l1_ratios = lasso ? 1 : r->l1_ratio.n;
    p.eps = r->eps;
    p.alpha_grid_size = r->n_alphas > 0 ? (size_t)r->n_alphas : 0;
    p.alphas = r->alphas.n ? r->alphas.v : NULL;
    p.alphas_len = r->alphas.n;
    p.fit_intercept = r->fit_intercept;
    p.precompute = r->precompute;
    p.max_iter = r->max_iter;
    p.tol = r->tol;
    p.cv = r->cv;
    p.positive = r->positive;
    p.random_state = r->random_state;
    p.selection = r->selection;
    p.n_threads = r->n_threads;
    return p;
}

int mlc_enet_cv_reg_fit(const mlc_enet_cv_reg_params *r, const mlc_fit_data *d, int lasso,
                        size_t size, void **model)
{
    const mlc_matrix *X = d->X, *Y = d->Y;
    size_t n = X->rows;
    if (Y->cols != 1)
        return mlc_raise(MLC_EINVAL, "%s takes one target, y has %zu columns",
                         lasso ? "lasso_cv" : "elastic_net_cv", Y->cols);
    mlc_elastic_net_cv_params p = typed_params(r, lasso);
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
        if (T->rows * T->cols != n || (T->rows != 1 && T->cols != 1))
            st = mlc_raise(MLC_EBADLEN, "test_fold is %zu x %zu but X has %zu rows (one fold "
                           "number per row is needed)", T->rows, T->cols, n);
        for (size_t i = 0; !st && i < n; i++)
            ids[i] = T->cols == 1 ? MLC_AT(T, i, 0) : MLC_AT(T, 0, i);
        if (!st)
            st = mlc_enet_cv_predefined(ids, n, &folds, &p.n_folds, &idx);
        p.folds = folds;
    }
    if (!st)
        st = mlc_enet_cv_model_fit(&p, X, y, d->sample_weight, lasso, size, model);
    free(folds);
    free(idx);
    free(buf);
    return st;
}

size_t mlc_enet_cv_reg_output_cols(const void *model, mlc_output kind)
{
    (void)model;
    return kind == MLC_OUT_PREDICT ? 1 : 0;
}

int mlc_enet_cv_reg_output(const void *model, mlc_output kind, const mlc_matrix *X,
                           mlc_matrix *out)
{
    const mlc_enet_cv_model *m = model;
    (void)kind;
    return mlc_lin_model_reg_output(&m->s.fit.lm, X, out, m->params.n_threads);
}

size_t mlc_enet_cv_reg_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_enet_cv_model *m = model;
    size_t n = 0;
    mlc_enet_cv_put_attrs(&m->s, !m->lasso, out, cap, &n);
    return n;
}

int mlc_enet_cv_reg_restore(const mlc_enet_cv_reg_params *r, const mlc_attr_set *s, int lasso,
                            size_t size, void **model)
{
    mlc_elastic_net_cv_params p = typed_params(r, lasso);
    mlc_enet_cv_model *m = calloc(1, size);
    if (!m)
        return mlc_raise_nomem("a cross-validated elastic net");
    int st = mlc_enet_cv_restore(&m->s, s, p.l1_ratios, p.n_l1_ratios, p.alphas == NULL, !lasso);
    if (st) {
        free(m);
        return st;
    }
    own_params(m, &p);
    m->lasso = lasso;
    *model = m;
    return MLC_OK;
}
