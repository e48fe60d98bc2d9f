/* GaussianMixture in the registry ("gaussian_mixture", a density estimator
 * that also predicts labels): parameters as text (and the typed defaults,
 * from the same table), outputs, the mean log-likelihood as score, model
 * files. */
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "mixture_impl.h"
#include "internal/registry.h"
#include "mlcore/estimator.h"

typedef mlc_gaussian_mixture_params gmm_p;

static const mlc_param_info params_table[] = {
    MLC_P_INT(gmm_p, n_components, "1", 1, 1e9, "number of mixture components"),
    MLC_P_CHOICE(gmm_p, covariance_type, "full", "full|tied|diag|spherical",
                 "covariance of each component: full, tied (shared), diag or spherical"),
    MLC_P_REAL(gmm_p, tol, "0.001", 0, 1e300,
               "stop when the mean log-likelihood gains less than this"),
    MLC_P_REAL(gmm_p, reg_covar, "1e-06", 0, 1e300,
               "added to the covariance diagonals (keeps them positive definite)"),
    MLC_P_INT(gmm_p, max_iter, "100", 0, 1e9, "maximum EM iterations per run"),
    MLC_P_INT(gmm_p, n_init, "1", 1, 1e9, "runs from different starts, the best kept"),
    MLC_P_CHOICE(gmm_p, init_params, "kmeans", "kmeans|k-means++|random|random_from_data",
                 "how the initial responsibilities are drawn"),
    MLC_P_MATRIX(gmm_p, weights_init, "initial weights, (n_components,)"),
    MLC_P_MATRIX(gmm_p, means_init, "initial means, (n_components, n_features)"),
    MLC_P_MATRIX(gmm_p, precisions_init,
                 "initial precisions: full (n_components, n_features, n_features) or its "
                 "blocks stacked; tied (n_features, n_features); diag (n_components, "
                 "n_features); spherical (n_components,)"),
    MLC_P_INT(gmm_p, random_state, "-1", -1, 2147483647.0,
              "seed of the initialisation and of sample (-1 = a fresh one)"),
    MLC_P_BOOL(gmm_p, warm_start, "false",
               "continue from the previous parameters when the model is fitted again "
               "(mlc_gaussian_mixture_refit); each registry fit starts afresh"),
    MLC_P_THREADS(gmm_p),
};

mlc_gaussian_mixture_params mlc_gaussian_mixture_params_default(void)
{
    return MLC_TABLE_DEFAULTS(gmm_p, params_table);
}

static int gmm_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                   void **model)
{
    return mlc_gmm_fit(p, d->X, progress, (mlc_gaussian_mixture **)model);
}

/* The start arrays' shapes as given (numpy's, when read from files). */
static int gmm_check_arrays(const void *params, const mlc_array_shape *shapes,
                            const mlc_fit_data *d)
{
    const size_t n = MLC_COUNT_OF(params_table);
    return mlc_gmm_check_init_shapes(
        params, d->X->cols, mlc_reg_shape_at(params_table, n, shapes, offsetof(gmm_p, weights_init)),
        mlc_reg_shape_at(params_table, n, shapes, offsetof(gmm_p, means_init)),
        mlc_reg_shape_at(params_table, n, shapes, offsetof(gmm_p, precisions_init)));
}

static void gmm_free(void *m)
{
    mlc_gaussian_mixture_free(m);
}

static size_t gmm_output_cols(const void *model, mlc_output kind)
{
    const mlc_gaussian_mixture *m = model;
    switch (kind) {
    case MLC_OUT_PREDICT:
    case MLC_OUT_SCORE_SAMPLES: return 1;
    case MLC_OUT_PROBA: return m->g.K;
    default: return 0;
    }
}

static int gmm_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    const mlc_gaussian_mixture *m = model;
    if (kind == MLC_OUT_PROBA)
        return mlc_gaussian_mixture_predict_proba(m, X, out);
    int st;
    if (kind == MLC_OUT_SCORE_SAMPLES) {
        double *ll = malloc(X->rows * sizeof *ll);
        if (!ll)
            return mlc_raise_nomem("log-likelihoods");
        st = mlc_gaussian_mixture_score_samples(m, X, ll);
        for (size_t i = 0; !st && i < X->rows; i++)
            MLC_AT(out, i, 0) = ll[i];
        free(ll);
        return st;
    }
    int32_t *labels = malloc(X->rows * sizeof *labels);
    if (!labels)
        return mlc_raise_nomem("labels");
    st = mlc_gaussian_mixture_predict(m, X, labels);
    for (size_t i = 0; !st && i < X->rows; i++)
        MLC_AT(out, i, 0) = labels[i];
    free(labels);
    return st;
}

static int gmm_score(const void *model, const mlc_fit_data *d, double *score)
{
    return mlc_gaussian_mixture_score(model, d->X, score);
}

/* Shape of covariances_ / precisions_ / precisions_cholesky_. */
static int cov_shape(const mlc_gmm_params *g, size_t *shape)
{
    switch (g->type) {
    case MLC_COV_FULL:
        shape[0] = g->K, shape[1] = g->p, shape[2] = g->p;
        return 3;
    case MLC_COV_TIED:
        shape[0] = g->p, shape[1] = g->p, shape[2] = 0;
        return 2;
    case MLC_COV_DIAG:
        shape[0] = g->K, shape[1] = g->p, shape[2] = 0;
        return 2;
    default:
        shape[0] = g->K, shape[1] = shape[2] = 0;
        return 1;
    }
}

static size_t gmm_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_gaussian_mixture *m = model;
    const mlc_gmm_params *g = &m->g;
    size_t n = 0, s[3];
    int nd = cov_shape(g, s);
    mlc_attr_put(out, cap, &n, "weights_", MLC_DTYPE_F64, 1, g->K, 0, 0, g->weights);
    mlc_attr_put(out, cap, &n, "means_", MLC_DTYPE_F64, 2, g->K, g->p, 0, g->means);
    mlc_attr_put(out, cap, &n, "covariances_", MLC_DTYPE_F64, nd, s[0], s[1], s[2], g->cov);
    mlc_attr_put(out, cap, &n, "precisions_", MLC_DTYPE_F64, nd, s[0], s[1], s[2], g->prec);
    mlc_attr_put(out, cap, &n, "precisions_cholesky_", MLC_DTYPE_F64, nd, s[0], s[1], s[2],
                 g->prec_chol);
    mlc_attr_put(out, cap, &n, "converged_", MLC_DTYPE_I32, 0, 0, 0, 0, &m->converged);
    mlc_attr_put(out, cap, &n, "n_iter_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_iter);
    mlc_attr_put(out, cap, &n, "lower_bound_", MLC_DTYPE_F64, 0, 0, 0, 0, &m->lower_bound);
    return n;
}

static int gmm_restore(const void *params, const mlc_attr_set *s, void **model)
{
    const gmm_p *p = params;
    size_t dim = mlc_attrs_n_features(s);
    mlc_gaussian_mixture *m;
    int st = mlc_gmm_model_alloc(p, dim, &m);
    if (st)
        return st;
    mlc_gmm_params *g = &m->g;
    size_t c[3];
    int nd = cov_shape(g, c);
    double conv = 0;
    const mlc_attr_want want[] = {{"weights_", 1, {g->K}, g->weights},
                                  {"means_", 2, {g->K, dim}, g->means},
                                  {"covariances_", nd, {c[0], c[1], c[2]}, g->cov},
                                  {"precisions_cholesky_", nd, {c[0], c[1], c[2]}, g->prec_chol},
                                  {"converged_", 0, {0}, &conv},
                                  {"lower_bound_", 0, {0}, &m->lower_bound}};
    if (!(st = mlc_attrs_read(s, want, MLC_COUNT_OF(want))) &&
        !(st = mlc_attrs_count(s, "n_iter_", &m->n_iter))) {
        m->converged = conv != 0;
        mlc_gmm_derive(g);
    }
    return mlc_reg_handover(st, m, gmm_free, model);
}

/* scikit-learn: "Initialization N did not converge. Try different init
 * parameters, or increase max_iter, tol or check for degenerate data." */
static void gmm_warnings(const void *params, const void *model, mlc_warnings *w)
{
    const mlc_gaussian_mixture *m = model;
    const gmm_p *p = params;
    if (!m->converged)
        mlc_warnings_add(w,
                         "gaussian_mixture: the best of the initialisations did not converge "
                         "within max_iter = %lld EM iterations: try other init parameters, "
                         "increase max_iter or tol, or check for degenerate data "
                         "(scikit-learn's ConvergenceWarning)",
                         (long long)p->max_iter);
}

const mlc_estimator_desc mlc_gaussian_mixture_desc = {
    .name = "gaussian_mixture",
    .summary = "Gaussian mixture fitted by EM (full, tied, diag or spherical covariances)",
    .task = MLC_TASK_DENSITY,
    MLC_DESC_PARAMS(params_table, gmm_p),
    .refuses_sample_weight = 1, /* as GaussianMixture.fit */
    .check_arrays = gmm_check_arrays,
    .fit = gmm_fit,
    .free = gmm_free,
    .output_cols = gmm_output_cols,
    .output = gmm_output,
    .score = gmm_score,
    .attributes = gmm_attributes,
    .restore = gmm_restore,
    .warnings = gmm_warnings,
};
