/* One ElasticNet / Lasso fit, shared by both estimators and by the refits of
 * the CV estimators (scikit-learn's ElasticNet.fit). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_enet.h"
#include "internal/validate.h"

int mlc_enet_check_params(const mlc_elastic_net_params *p)
{
    int st = mlc_check_ptr(p, "params");
    if (st || (st = mlc_lin_check_alpha(p->alpha, "alpha")))
        return st;
    if (!(p->l1_ratio >= 0.0 && p->l1_ratio <= 1.0))
        return mlc_raise(MLC_EINVAL, "l1_ratio must be in [0, 1], got %g", p->l1_ratio);
    return mlc_lin_check_cd_params(p->max_iter, p->tol, p->selection, p->precompute);
}

void mlc_enet_state_clear(mlc_enet_state *s)
{
    if (!s)
        return;
    mlc_lin_model_clear(&s->lm);
    free(s->n_iter);
    memset(s, 0, sizeof *s);
}

static int state_init(mlc_enet_state *s, size_t p, size_t k, int n_threads)
{
    memset(s, 0, sizeof *s);
    int st = mlc_lin_model_init(&s->lm, p, k);
    if (st)
        return st;
    s->lm.n_threads = n_threads;
    /* One block: n_iter (int64) | dual_gap (double) | converged (int32). */
    s->n_iter = calloc(k, sizeof(int64_t) + sizeof(double) + sizeof(int32_t));
    if (!s->n_iter) {
        mlc_enet_state_clear(s);
        return mlc_raise_nomem("coordinate descent results");
    }
    s->dual_gap = (double *)(s->n_iter + k);
    s->converged = (int32_t *)(s->dual_gap + k);
    return MLC_OK;
}

int mlc_enet_fit_state(const mlc_elastic_net_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                       const double *sw, const double *coef_init, mlc_progress_ctx *progress,
                       mlc_enet_state *out)
{
    memset(out, 0, sizeof *out);
    int st;
    if ((st = mlc_enet_check_params(p)) || (st = mlc_lin_check_fit_shapes(X, Y, sw, p->n_threads)))
        return st;
    size_t n = X->rows, d_p = X->cols, k = Y->cols;
    mlc_lin_data d;
    if ((st = mlc_lin_data_init(&d, X, Y, sw, NULL, 0, p->fit_intercept, 1, p->n_threads)))
        return st;
    d.unchecked = 1; /* the first product checks X (mlc_lin_check_fit_shapes) */
    int form = mlc_enet_use_gram(p->precompute, n, d_p) ? mlc_enet_gram_form(n, d_p)
                                                         : MLC_ENET_COLS;
    /* A warm start may need any column: no lazy Gram then. */
    if (coef_init && form == MLC_ENET_LAZY)
        form = MLC_ENET_GRAM;
    mlc_enet_problem pb;
    st = mlc_enet_problem_init(&pb, &d, form);
    if (!st && (st = mlc_enet_prefetch(&pb, p->alpha, p->l1_ratio, p->positive)))
        mlc_enet_problem_clear(&pb);
    if (!st && (st = state_init(out, d_p, k, p->n_threads)))
        mlc_enet_problem_clear(&pb);
    if (st) {
        mlc_lin_data_clear(&d);
        return st;
    }
    mlc_cd_work ws;
    st = mlc_cd_work_alloc(&ws, pb.Xc ? n : 0, d_p);
    for (size_t t = 0; t < k && !st; t++) {
        /* scikit-learn seeds each target's path afresh from random_state. */
        mlc_rng *rng = NULL;
        if (p->selection == MLC_SELECTION_RANDOM && (st = mlc_rng_new(p->random_state, &rng)))
            break;
        mlc_enet_settings s = {p->l1_ratio, p->max_iter, p->tol, p->positive, rng, progress, 0};
        if (k > 1)
            mlc_progress_stage(progress, 0, "target", t, k);
        double *w = out->lm.coef + t * d_p;
        if (coef_init)
            memcpy(w, coef_init + t * d_p, d_p * sizeof *w);
        mlc_cd_result res;
        st = mlc_enet_solve(&pb, t, p->alpha, &s, w, &ws, &res);
        out->n_iter[t] = res.n_iter;
        out->dual_gap[t] = res.gap;
        out->converged[t] = res.converged;
        mlc_rng_free(rng);
    }
    mlc_cd_work_clear(&ws);
    if (!st) {
        mlc_lin_model_set_intercept(&out->lm, &d);
        st = mlc_lin_model_check_finite(&out->lm, "coordinate descent");
    }
    mlc_enet_problem_clear(&pb);
    mlc_lin_data_clear(&d);
    if (st)
        mlc_enet_state_clear(out);
    return st;
}

void mlc_enet_state_put_attrs(const mlc_enet_state *s, mlc_attribute *out, size_t cap, size_t *n)
{
    size_t k = s->lm.k;
    mlc_lin_model_put_attrs(&s->lm, out, cap, n);
    mlc_lin_put_per_target(k, out, cap, n, "n_iter_", MLC_DTYPE_I64, s->n_iter);
    mlc_lin_put_per_target(k, out, cap, n, "dual_gap_", MLC_DTYPE_F64, s->dual_gap);
    mlc_lin_put_per_target(k, out, cap, n, "converged", MLC_DTYPE_I32, s->converged);
}

int mlc_enet_state_restore(mlc_enet_state *s, const mlc_attr_set *attrs, int n_threads)
{
    size_t p = mlc_attrs_n_features(attrs), k = mlc_attrs_n_targets(attrs);
    int st = state_init(s, p, k, n_threads);
    if (st)
        return st;
    mlc_lin_model_clear(&s->lm);
    st = mlc_lin_model_restore(&s->lm, attrs, n_threads);
    double *tmp = st ? NULL : malloc(2 * k * sizeof *tmp);
    if (!st && !tmp)
        st = mlc_raise_nomem("model attributes");
    if (!st && !(st = mlc_lin_get_per_target(attrs, "n_iter_", k, tmp)) &&
        !(st = mlc_lin_get_per_target(attrs, "converged", k, tmp + k)))
        for (size_t t = 0; t < k && !st; t++) {
            if (!(tmp[t] >= 0 && tmp[t] <= 9e15 && tmp[t] == floor(tmp[t])) ||
                !(tmp[k + t] == 0 || tmp[k + t] == 1)) {
                st = mlc_raise(MLC_EFORMAT, "model file: n_iter_ or converged is not a count");
                break; /* before converting a value that may not fit */
            }
            s->n_iter[t] = (int64_t)tmp[t];
            s->converged[t] = (int32_t)tmp[k + t];
        }
    if (!st)
        st = mlc_lin_get_per_target(attrs, "dual_gap_", k, s->dual_gap);
    free(tmp);
    if (st)
        mlc_enet_state_clear(s);
    return st;
}
