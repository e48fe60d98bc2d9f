/* enet_path / lasso_path: coordinate descent down a grid of alphas with warm
 * starts, on X and y as given (scikit-learn's functions do not centre). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_enet.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"

mlc_enet_path_params mlc_enet_path_params_default(void)
{
    mlc_enet_path_params p = {.l1_ratio = 0.5,
                              .eps = 1e-3,
                              .alpha_grid_size = 100,
                              .alphas = NULL,
                              .alphas_len = 0,
                              .precompute = MLC_PRECOMPUTE_AUTO,
                              .max_iter = 1000,
                              .tol = 1e-4,
                              .positive = 0,
                              .random_state = -1,
                              .selection = MLC_SELECTION_CYCLIC,
                              .n_threads = 0};
    return p;
}

static int check_path_params(const mlc_enet_path_params *p, double l1_ratio)
{
    if (!(l1_ratio >= 0.0 && l1_ratio <= 1.0))
        return mlc_raise(MLC_EINVAL, "l1_ratio must be in [0, 1], got %g", l1_ratio);
    int st = mlc_enet_check_alphas(p->alphas, p->alphas_len, p->alpha_grid_size, p->eps);
    if (st)
        return st;
    if (!p->alphas && l1_ratio == 0.0)
        return mlc_raise(MLC_EINVAL, "the automatic alpha grid needs l1_ratio > 0; give "
                         "the alphas for l1_ratio = 0");
    return mlc_lin_check_cd_params(p->max_iter, p->tol, p->selection, p->precompute);
}

/* Alphas on the path: the given ones, or the grid's. */
static size_t path_len(const mlc_enet_path_params *p)
{
    return p->alphas ? p->alphas_len : p->alpha_grid_size;
}

static int run_path(const mlc_enet_path_params *p, double l1_ratio, const mlc_matrix *X,
                    const double *y, double *alphas_out, mlc_matrix *coefs, double *dual_gaps,
                    int64_t *n_iters)
{
    int st;
    if ((st = mlc_check_ptr(p, "params")) || (st = check_path_params(p, l1_ratio)))
        return st;
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    if ((st = mlc_lin_check_fit(X, &Y, NULL, p->n_threads)) ||
        (st = mlc_check_ptr(alphas_out, "alphas_out")) ||
        (st = mlc_check_out(coefs, path_len(p), X->cols, "coefs")))
        return st;
    size_t n = X->rows, d_p = X->cols, na = path_len(p);
    mlc_lin_data d;
    if ((st = mlc_lin_data_init(&d, X, &Y, NULL, NULL, 0, 0, 0, p->n_threads)))
        return st;
    mlc_enet_problem pb;
    int form = mlc_enet_use_gram(p->precompute, n, d_p) ? MLC_ENET_GRAM : MLC_ENET_COLS;
    if ((st = mlc_enet_problem_init(&pb, &d, form))) {
        mlc_lin_data_clear(&d);
        return st;
    }
    if (p->alphas) {
        memcpy(alphas_out, p->alphas, na * sizeof *alphas_out);
        mlc_enet_sort_desc(alphas_out, na);
    } else {
        mlc_enet_alpha_grid(pb.q, d_p, 1, n, l1_ratio, p->eps, na, alphas_out);
    }
    double *w = calloc(d_p + na * d_p, sizeof *w);
    mlc_rng *rng = NULL;
    if (!w)
        st = mlc_raise_nomem("path coefficients");
    else if (p->selection == MLC_SELECTION_RANDOM)
        st = mlc_rng_new(p->random_state, &rng);
    if (!st) {
        mlc_enet_settings s = {l1_ratio, p->max_iter, p->tol, p->positive, rng, NULL, 0};
        st = mlc_enet_path_run(&pb, 0, alphas_out, na, &s, w, w + d_p, dual_gaps, n_iters);
    }
    for (size_t i = 0; !st && i < na; i++)
        memcpy(mlc_matrix_row(coefs, i), w + d_p + i * d_p, d_p * sizeof *w);
    mlc_rng_free(rng);
    free(w);
    mlc_enet_problem_clear(&pb);
    mlc_lin_data_clear(&d);
    return st;
}

int mlc_enet_path(const mlc_enet_path_params *p, const mlc_matrix *X, const double *y,
                  double *alphas_out, mlc_matrix *coefs, double *dual_gaps, int64_t *n_iters)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(
        &scope, run_path(p, p ? p->l1_ratio : 0.0, X, y, alphas_out, coefs, dual_gaps, n_iters));
}

int mlc_lasso_path(const mlc_enet_path_params *p, const mlc_matrix *X, const double *y,
                   double *alphas_out, mlc_matrix *coefs, double *dual_gaps, int64_t *n_iters)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope,
                                  run_path(p, 1.0, X, y, alphas_out, coefs, dual_gaps, n_iters));
}
