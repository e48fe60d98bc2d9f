/* Cross-validated elastic net (see algorithms/linear/linear_cv.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "linear_cv.h"
#include "internal/validate.h"
#include "mlcore/threads.h"

void mlc_enet_cv_state_clear(mlc_enet_cv_state *s)
{
    if (!s)
        return;
    mlc_enet_state_clear(&s->fit);
    free(s->l1_ratios);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------ folds */

int mlc_enet_cv_kfold(size_t n, size_t k, mlc_linear_cv_fold **folds, size_t **idx)
{
    *folds = calloc(k, sizeof **folds);
    *idx = malloc(k * n * sizeof **idx);
    if (!*folds || !*idx) {
        free(*folds);
        free(*idx);
        *folds = NULL;
        *idx = NULL;
        return mlc_raise_nomem("cross-validation folds");
    }
    size_t start = 0;
    for (size_t f = 0; f < k; f++) {
        size_t size = n / k + (f < n % k ? 1 : 0);
        size_t *train = *idx + f * n, *test = train + (n - size), t = 0;
        for (size_t i = 0; i < n; i++)
            if (i < start || i >= start + size)
                train[t++] = i;
        for (size_t i = 0; i < size; i++)
            test[i] = start + i;
        mlc_linear_cv_fold fold = {train, n - size, test, size};
        (*folds)[f] = fold;
        start += size;
    }
    return MLC_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int mlc_enet_cv_predefined(const double *test_fold, size_t n, mlc_linear_cv_fold **folds,
                           size_t *n_folds, size_t **idx)
{
    *folds = NULL;
    *idx = NULL;
    *n_folds = 0;
    double *ids = malloc(n * sizeof *ids);
    if (!ids)
        return mlc_raise_nomem("cross-validation folds");
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        double v = test_fold[i];
        if (!(v == floor(v)) || v < -1 || v > 1e9) {
            free(ids);
            return mlc_raise(MLC_EINVAL, "test_fold[%zu] = %g is not a fold number (an integer "
                             ">= 0, or -1 for never tested)", i, v);
        }
        if (v >= 0)
            ids[u++] = v;
    }
    qsort(ids, u, sizeof *ids, cmp_double);
    size_t k = 0;
    for (size_t i = 0; i < u; i++)
        if (i == 0 || ids[i] != ids[k - 1])
            ids[k++] = ids[i];
    if (k < 2) {
        free(ids);
        return mlc_raise(MLC_EINVAL, "test_fold names %zu fold(s); at least 2 are needed", k);
    }
    *folds = calloc(k, sizeof **folds);
    *idx = malloc(k * n * sizeof **idx);
    if (!*folds || !*idx) {
        free(ids);
        free(*folds);
        free(*idx);
        *folds = NULL;
        *idx = NULL;
        return mlc_raise_nomem("cross-validation folds");
    }
    for (size_t f = 0; f < k; f++) {
        size_t *base = *idx + f * n, n_test = 0, n_train = 0;
        for (size_t i = 0; i < n; i++)
            n_test += test_fold[i] == ids[f];
        size_t *train = base, *test = base + (n - n_test);
        n_test = 0;
        for (size_t i = 0; i < n; i++) {
            if (test_fold[i] == ids[f])
                test[n_test++] = i;
            else
                train[n_train++] = i;
        }
        mlc_linear_cv_fold fold = {train, n_train, test, n_test};
        (*folds)[f] = fold;
    }
    free(ids);
    *n_folds = k;
    return MLC_OK;
}

static int check_folds(const mlc_linear_cv_fold *folds, size_t n_folds, size_t n)
{
    if (n_folds < 1)
        return mlc_raise(MLC_EINVAL, "at least one cross-validation fold is needed");
    for (size_t f = 0; f < n_folds; f++) {
        const mlc_linear_cv_fold *F = &folds[f];
        if (!F->train || !F->test || F->n_train == 0 || F->n_test == 0)
            return mlc_raise(MLC_EINVAL, "fold %zu needs at least one training and one test row",
                             f);
        for (size_t i = 0; i < F->n_train; i++)
            if (F->train[i] >= n)
                return mlc_raise(MLC_ERANGE, "fold %zu: training row %zu is out of range for %zu "
                                 "rows", f, F->train[i], n);
        for (size_t i = 0; i < F->n_test; i++)
            if (F->test[i] >= n)
                return mlc_raise(MLC_ERANGE, "fold %zu: test row %zu is out of range for %zu rows",
                                 f, F->test[i], n);
    }
    return MLC_OK;
}

/* ------------------------------------------------------------- parameters */

static int check_params(const mlc_elastic_net_cv_params *p, size_t n)
{
    int st;
    size_t n_l1 = p->l1_ratios ? p->n_l1_ratios : 0;
    const double *l1 = p->l1_ratios;
    if (n_l1 < 1)
        return mlc_raise(MLC_EINVAL, "l1_ratio needs at least one value");
    for (size_t r = 0; r < n_l1; r++) {
        if (!(l1[r] >= 0.0 && l1[r] <= 1.0))
            return mlc_raise(MLC_EINVAL, "l1_ratio must be in [0, 1], got %g", l1[r]);
        if (l1[r] == 0.0 && !p->alphas)
            return mlc_raise(MLC_EINVAL, "the automatic alpha grid needs l1_ratio > 0; give "
                             "the alphas to use l1_ratio = 0");
    }
    if ((st = mlc_enet_check_alphas(p->alphas, p->alphas_len, p->alpha_grid_size, p->eps)))
        return st;
    if (!p->folds) {
        if (p->cv < 2)
            return mlc_raise(MLC_EINVAL, "cv must be >= 2 folds, got %ld", p->cv);
        if ((size_t)p->cv > n)
            return mlc_raise(MLC_EINVAL, "cv = %ld folds is more than the %zu samples", p->cv, n);
    }
    return mlc_lin_check_cd_params(p->max_iter, p->tol, p->selection, p->precompute);
}

/* ------------------------------------------------------------ fold work */

/* mse[a] = (weighted) mean squared error on the test rows of the model
 * coefs[a] (na x p), intercepts[a]. */
static int test_mse(const mlc_matrix *X, const double *y, const double *sw,
                    const mlc_linear_cv_fold *fold, const double *coefs, const double *icpt,
                    size_t na, double *mse)
{
    size_t p = X->cols, b = 256;
    double *xb = malloc((b * p + b * na) * sizeof *xb);
    if (!xb)
        return mlc_raise_nomem("test predictions");
    double *P = xb + b * p, wsum = 0.0;
    memset(mse, 0, na * sizeof *mse);
    for (size_t i0 = 0; i0 < fold->n_test; i0 += b) {
        size_t m = fold->n_test - i0 < b ? fold->n_test - i0 : b;
        for (size_t i = 0; i < m; i++)
            memcpy(xb + i * p, mlc_matrix_row(X, fold->test[i0 + i]), p * sizeof *xb);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)na, (int)p, 1.0, xb,
                    (int)p, coefs, (int)p, 0.0, P, (int)na);
        for (size_t i = 0; i < m; i++) {
            size_t r = fold->test[i0 + i];
            double w = sw ? sw[r] : 1.0;
            wsum += w;
            for (size_t a = 0; a < na; a++) {
                double res = P[i * na + a] + icpt[a] - y[r];
                mse[a] += w * res * res;
            }
        }
    }
    free(xb);
    if (!(wsum > 0.0))
        return mlc_raise(MLC_EINVAL, "the sample weights of the %zu test rows sum to 0",
                         fold->n_test);
    for (size_t a = 0; a < na; a++)
        mse[a] /= wsum;
    return MLC_OK;
}

typedef struct cv_job {
    const mlc_elastic_net_cv_params *p;
    const mlc_matrix *X;
    const double *y, *sw;
    const double *l1_ratios, *alphas;
    size_t n_l1, na, nf;
    double *mse_path;
    mlc_progress_ctx *progress;
} cv_job;

/* All paths of fold f; mse into mse_path[r][a][f]. */
static int run_fold(const cv_job *j, const mlc_linear_cv_fold *fold, size_t f, int threads)
{
    const mlc_elastic_net_cv_params *p = j->p;
    size_t d_p = j->X->cols, na = j->na;
    mlc_matrix Y = mlc_lin_wrap_y(j->X, j->y);
    mlc_lin_data d;
    int st = mlc_lin_data_init(&d, j->X, &Y, j->sw, fold->train, fold->n_train,
                               p->fit_intercept, 1, threads);
    if (st)
        return st;
    mlc_enet_problem pb;
    int form = mlc_enet_use_gram(p->precompute, d.n, d_p) ? MLC_ENET_GRAM : MLC_ENET_COLS;
    if ((st = mlc_enet_problem_init(&pb, &d, form))) {
        mlc_lin_data_clear(&d);
        return st;
    }
    double *coefs = malloc((na * d_p + d_p + 2 * na) * sizeof *coefs);
    if (!coefs)
        st = mlc_raise_nomem("path coefficients");
    double *w = coefs + na * d_p, *icpt = w + d_p, *mse = icpt + na;
    for (size_t r = 0; r < j->n_l1 && !st; r++) {
        mlc_rng *rng = NULL;
        if (p->selection == MLC_SELECTION_RANDOM && (st = mlc_rng_new(p->random_state, &rng)))
            break;
        /* stages: fold, l1_ratio (when several), alpha */
        mlc_progress_stage(j->progress, 0, "fold", f, j->nf);
        if (j->n_l1 > 1)
            mlc_progress_stage(j->progress, 1, "l1_ratio", r, j->n_l1);
        mlc_enet_settings s = {j->l1_ratios[r], p->max_iter,  p->tol, p->positive, rng,
                               j->progress,     j->n_l1 > 1 ? 2 : 1};
        memset(w, 0, d_p * sizeof *w);
        st = mlc_enet_path_run(&pb, 0, j->alphas + r * na, na, &s, w, coefs, NULL, NULL);
        mlc_rng_free(rng);
        for (size_t a = 0; a < na && !st; a++) {
            double s_dot = 0.0;
            for (size_t c = 0; c < d_p; c++)
                s_dot += d.x_offset[c] * coefs[a * d_p + c];
            icpt[a] = d.y_offset[0] - s_dot;
        }
        if (!st)
            st = test_mse(j->X, j->y, j->sw, fold, coefs, icpt, na, mse);
        for (size_t a = 0; a < na && !st; a++)
            j->mse_path[(r * na + a) * j->nf + f] = mse[a];
    }
    free(coefs);
    mlc_enet_problem_clear(&pb);
    mlc_lin_data_clear(&d);
    return st;
}

/* Run every fold, in parallel when it pays; errors raised in worker threads
 * are re-raised on the caller's thread. */
static int run_folds(const cv_job *j, const mlc_linear_cv_fold *folds)
{
    size_t nf = j->nf;
    int threads = mlc_resolve_threads(j->p->n_threads);
    double work = (double)j->X->rows * (double)j->X->cols * (double)(j->X->cols + j->na);
    int par = threads > 1 && nf > 1 && work > 1e7;
    int inner = par ? 1 : threads;
    if (par && threads > (int)nf)
        threads = (int)nf;
    int *status = calloc(nf, sizeof *status);
    char (*msg)[256] = calloc(nf, sizeof *msg);
    if (!status || !msg) {
        free(status);
        free(msg);
        return mlc_raise_nomem("cross-validation bookkeeping");
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (par)
    for (size_t f = 0; f < nf; f++) {
        status[f] = run_fold(j, &folds[f], f, inner);
        if (status[f])
            snprintf(msg[f], sizeof msg[f], "%s", mlc_last_error_message());
    }
    int st = MLC_OK;
    for (size_t f = 0; f < nf && !st; f++)
        if (status[f] == MLC_EINTERRUPTED)
            st = MLC_EINTERRUPTED; /* the registry says so */
        else if (status[f])
            st = mlc_raise(status[f], "cross-validation fold %zu: %s", f, msg[f]);
    free(status);
    free(msg);
    return st;
}

/* ------------------------------------------------------------------ fit */

static int make_alphas(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                       const double *y, mlc_enet_cv_state *s)
{
    size_t na = s->path_len, d_p = X->cols;
    if (p->alphas) {
        for (size_t r = 0; r < s->n_l1; r++) {
            memcpy(s->alphas + r * na, p->alphas, na * sizeof *s->alphas);
            mlc_enet_sort_desc(s->alphas + r * na, na);
        }
        return MLC_OK;
    }
    /* scikit-learn's grid uses all rows, unweighted, centred if fitting an
     * intercept. */
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    mlc_lin_data d;
    int st = mlc_lin_data_init(&d, X, &Y, NULL, NULL, 0, p->fit_intercept, 0, p->n_threads);
    if (st)
        return st;
    double *xty = malloc(d_p * sizeof *xty);
    if (!xty)
        st = mlc_raise_nomem("X'y");
    if (!st)
        st = mlc_lin_xty(&d, xty, NULL, NULL);
    for (size_t r = 0; r < s->n_l1 && !st; r++)
        mlc_enet_alpha_grid(xty, d_p, 1, X->rows, s->l1_ratios[r], p->eps, na,
                            s->alphas + r * na);
    free(xty);
    mlc_lin_data_clear(&d);
    return st;
}

/* Mean over folds; the first minimum per l1_ratio, the first l1_ratio on
 * ties (scikit-learn's strict comparisons). */
static void choose_best(mlc_enet_cv_state *s)
{
    double best = INFINITY;
    s->alpha = s->alphas[0];
    s->l1_ratio = s->l1_ratios[0];
    for (size_t r = 0; r < s->n_l1; r++) {
        size_t ibest = 0;
        double rbest = 0.0;
        for (size_t a = 0; a < s->path_len; a++) {
            double mean = 0.0;
            for (size_t f = 0; f < s->n_folds; f++)
                mean += s->mse_path[(r * s->path_len + a) * s->n_folds + f];
            mean /= (double)s->n_folds;
            if (a == 0 || mean < rbest) {
                rbest = mean;
                ibest = a;
            }
        }
        if (rbest < best) {
            best = rbest;
            s->alpha = s->alphas[r * s->path_len + ibest];
            s->l1_ratio = s->l1_ratios[r];
        }
    }
}

int mlc_enet_cv_fit_state(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                          const double *y, const double *sw, mlc_progress_ctx *progress,
                          mlc_enet_cv_state *out)
{
    memset(out, 0, sizeof *out);
    int st = mlc_check_ptr(p, "params");
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    if (st || (st = mlc_lin_check_fit(X, &Y, sw, p->n_threads)) ||
        (st = check_params(p, X->rows)))
        return st;
    size_t n = X->rows;
    mlc_linear_cv_fold *own_folds = NULL;
    size_t *fold_idx = NULL;
    const mlc_linear_cv_fold *folds = p->folds;
    size_t nf = p->n_folds;
    if (folds)
        st = check_folds(folds, nf, n);
    else if (!(st = mlc_enet_cv_kfold(n, (size_t)p->cv, &own_folds, &fold_idx))) {
        folds = own_folds;
        nf = (size_t)p->cv;
    }
    if (st)
        return st;
    out->n_l1 = p->n_l1_ratios;
    out->path_len = p->alphas ? p->alphas_len : p->alpha_grid_size;
    out->n_folds = nf;
    out->grid = p->alphas == NULL;
    size_t n_l1 = out->n_l1, na = out->path_len;
    out->l1_ratios = malloc((n_l1 + n_l1 * na + n_l1 * na * nf) * sizeof(double));
    if (!out->l1_ratios)
        st = mlc_raise_nomem("cross-validation results");
    if (!st) {
        out->alphas = out->l1_ratios + n_l1;
        out->mse_path = out->alphas + n_l1 * na;
        memcpy(out->l1_ratios, p->l1_ratios, n_l1 * sizeof(double));
        st = make_alphas(p, X, y, out);
    }
    if (!st) {
        cv_job job = {p, X, y, sw, out->l1_ratios, out->alphas, n_l1, na, nf, out->mse_path,
                      progress};
        st = run_folds(&job, folds);
    }
    free(own_folds);
    free(fold_idx);
    if (!st) {
        choose_best(out);
        mlc_elastic_net_params ep = {out->alpha,   out->l1_ratio, p->fit_intercept,
                                     p->precompute, p->max_iter,  p->tol,
                                     0,            p->positive,   p->random_state,
                                     p->selection, p->n_threads};
        mlc_progress_stage(progress, 0, "refit", 0, 0);
        st = mlc_enet_fit_state(&ep, X, &Y, sw, NULL, progress, &out->fit);
    }
    if (st)
        mlc_enet_cv_state_clear(out);
    return st;
}

/* ---------------------------------------------------------------- registry */

void mlc_enet_cv_put_attrs(const mlc_enet_cv_state *s, int with_l1_ratio, mlc_attribute *out,
                           size_t cap, size_t *n)
{
    const mlc_enet_state *f = &s->fit;
    mlc_lin_model_put_attrs(&f->lm, out, cap, n);
    mlc_attr_put(out, cap, n, "alpha_", MLC_DTYPE_F64, 0, 0, 0, 0, &s->alpha);
    /* scikit-learn: one row of alphas_ unless a grid per l1_ratio was made. */
    if (s->n_l1 > 1 && s->grid)
        mlc_attr_put(out, cap, n, "alphas_", MLC_DTYPE_F64, 2, s->n_l1, s->path_len, 0, s->alphas);
    else
        mlc_attr_put(out, cap, n, "alphas_", MLC_DTYPE_F64, 1, s->path_len, 0, 0, s->alphas);
    if (s->n_l1 > 1)
        mlc_attr_put(out, cap, n, "mse_path_", MLC_DTYPE_F64, 3, s->n_l1, s->path_len, s->n_folds,
                     s->mse_path);
    else
        mlc_attr_put(out, cap, n, "mse_path_", MLC_DTYPE_F64, 2, s->path_len, s->n_folds, 0,
                     s->mse_path);
    if (with_l1_ratio)
        mlc_attr_put(out, cap, n, "l1_ratio_", MLC_DTYPE_F64, 0, 0, 0, 0, &s->l1_ratio);
    mlc_attr_put(out, cap, n, "n_iter_", MLC_DTYPE_I64, 0, 0, 0, 0, f->n_iter);
    mlc_attr_put(out, cap, n, "dual_gap_", MLC_DTYPE_F64, 0, 0, 0, 0, f->dual_gap);
    mlc_attr_put(out, cap, n, "converged", MLC_DTYPE_I32, 0, 0, 0, 0, f->converged);
}

int mlc_enet_cv_restore(mlc_enet_cv_state *s, const mlc_attr_set *a, const double *l1_ratios,
                        size_t n_l1, int grid, int with_l1_ratio, int n_threads)
{
    memset(s, 0, sizeof *s);
    if (mlc_attrs_n_targets(a) != 1)
        return mlc_raise(MLC_EFORMAT, "model file: a cross-validated elastic net has one target");
    int st = mlc_enet_state_restore(&s->fit, a, n_threads);
    if (st)
        return st;
    const double *al, *mse;
    size_t ashape[2] = {0, 0}, mshape[3] = {n_l1 > 1 ? n_l1 : 0, 0, 0};
    int arows = n_l1 > 1 && grid ? 2 : 1;
    if (arows == 2)
        ashape[0] = n_l1;
    st = mlc_attrs_get(a, "alphas_", arows, ashape, &al);
    size_t na = arows == 2 ? ashape[1] : ashape[0];
    if (!st) {
        if (n_l1 > 1)
            mshape[1] = na;
        else
            mshape[0] = na;
        st = mlc_attrs_get(a, "mse_path_", n_l1 > 1 ? 3 : 2, mshape, &mse);
    }
    if (!st)
        st = mlc_attrs_scalar(a, "alpha_", &s->alpha);
    s->l1_ratio = n_l1 == 1 ? l1_ratios[0] : 0.0;
    if (!st && with_l1_ratio)
        st = mlc_attrs_scalar(a, "l1_ratio_", &s->l1_ratio);
    size_t nf = n_l1 > 1 ? mshape[2] : mshape[1];
    if (!st && (na == 0 || nf == 0))
        st = mlc_raise(MLC_EFORMAT, "model file: alphas_ or mse_path_ is empty");
    if (!st && !(s->l1_ratios = malloc((n_l1 + n_l1 * na + n_l1 * na * nf) * sizeof(double))))
        st = mlc_raise_nomem("cross-validation results");
    if (st) {
        mlc_enet_cv_state_clear(s);
        return st;
    }
    s->n_l1 = n_l1;
    s->path_len = na;
    s->n_folds = nf;
    s->grid = grid;
    s->alphas = s->l1_ratios + n_l1;
    s->mse_path = s->alphas + n_l1 * na;
    memcpy(s->l1_ratios, l1_ratios, n_l1 * sizeof(double));
    for (size_t r = 0; r < n_l1; r++)
        memcpy(s->alphas + r * na, al + (arows == 2 ? r * na : 0), na * sizeof(double));
    memcpy(s->mse_path, mse, n_l1 * na * nf * sizeof(double));
    return MLC_OK;
}
