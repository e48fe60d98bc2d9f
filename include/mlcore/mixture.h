/* Gaussian mixture models (scikit-learn 1.2's GaussianMixture; see
 * docs/PARITY.md §10). Registry name "gaussian_mixture" (a density
 * estimator that also predicts component labels).
 *
 *   mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
 *   p.n_components = 3;
 *   mlc_gaussian_mixture *g = NULL;
 *   int st = mlc_gaussian_mixture_fit(&p, &X, &g);
 *   st = mlc_gaussian_mixture_predict_proba(g, &Xnew, &proba);
 *   mlc_gaussian_mixture_free(g);
 *
 * EM in log space with the Cholesky factors of the precisions (never an
 * explicit inverse); responsibilities are formed one block of rows at a time
 * and reduced to sufficient statistics, so memory is O(n_features^2 *
 * n_components) plus one block, whatever n. As scikit-learn: lower_bound_ is
 * the mean log-likelihood of the E-step of the last iteration (before its
 * M-step), a run stops when it changes by less than tol, and the run with the
 * highest lower bound among n_init is kept. A covariance that is not
 * positive definite is MLC_ESING, never a NaN model; that includes one that
 * is singular to working precision (a component on duplicated points with
 * reg_covar = 0, or a feature that is an exact linear function of others),
 * which scikit-learn lets through for some covariance types as variances of
 * order 1e-30. Results do not depend on n_threads. */
#ifndef MLCORE_MIXTURE_H
#define MLCORE_MIXTURE_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mlc_covariance_type {
    MLC_COV_FULL = 0,     /* each component its own p x p covariance */
    MLC_COV_TIED = 1,     /* one p x p covariance shared by all components */
    MLC_COV_DIAG = 2,     /* each component a diagonal covariance (p variances) */
    MLC_COV_SPHERICAL = 3 /* each component one variance */
} mlc_covariance_type;

typedef enum mlc_gmm_init {
    MLC_GMM_INIT_KMEANS = 0,          /* responsibilities from a k-means run (one-hot) */
    MLC_GMM_INIT_KMEANS_PLUS_PLUS = 1,/* one-hot at k-means++ seed rows */
    MLC_GMM_INIT_RANDOM = 2,          /* uniform random responsibilities */
    MLC_GMM_INIT_RANDOM_FROM_DATA = 3 /* one-hot at random distinct rows */
} mlc_gmm_init;

typedef struct mlc_gaussian_mixture_params {
    long n_components;     /* 1 */
    int covariance_type;   /* MLC_COV_FULL */
    int init_params;       /* MLC_GMM_INIT_KMEANS */
    double tol;            /* 1e-3 */
    double reg_covar;      /* 1e-6, added to the covariance diagonals */
    int64_t max_iter;      /* 100 (0: keep the initial parameters) */
    long n_init;           /* 1 */
    /* Optional starting parameters, only read during fit (no pointer kept):
     *   weights_init:    K values (K x 1 or 1 x K), in [0, 1], summing to 1;
     *   means_init:      K x p;
     *   precisions_init: full: K stacked p x p blocks ((K*p) x p); tied: p x p;
     *                    diag: K x p; spherical: K values (K x 1 or 1 x K).
     * (The registry reads them from files in scikit-learn's shapes as
     * well: weights (K,), precisions (K, p, p) full, (K, p) diag, (K,)
     * spherical.) Those given replace the ones estimated from the initial
     * responsibilities (init_params); with all three the start does not
     * depend on init_params or random_state. */
    const mlc_matrix *weights_init;
    const mlc_matrix *means_init;
    const mlc_matrix *precisions_init;
    int warm_start;        /* 0; see mlc_gaussian_mixture_refit */
    int64_t random_state;  /* -1 = a fresh seed (None) */
    int n_threads;         /* 0 = all cores */
} mlc_gaussian_mixture_params;

typedef struct mlc_gaussian_mixture mlc_gaussian_mixture;

MLC_API mlc_gaussian_mixture_params mlc_gaussian_mixture_params_default(void);

/* The functions follow the typed-estimator pattern of mlcore.h. */

/* Fit on X (n x p, n >= 2, n >= n_components). Errors: bad parameters or
 * starting arrays (MLC_EINVAL / MLC_EBADLEN), NaN/Inf (MLC_ENONFINITE), a
 * covariance that is not positive definite (MLC_ESING: increase reg_covar). */
MLC_API int mlc_gaussian_mixture_fit(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                                     mlc_gaussian_mixture **out);
/* Fit, then labels[n] (caller allocated) = the components of the final
 * E-step (scikit-learn's fit_predict). out may be NULL (model discarded). */
MLC_API int mlc_gaussian_mixture_fit_predict(const mlc_gaussian_mixture_params *p,
                                             const mlc_matrix *X, int32_t *labels,
                                             mlc_gaussian_mixture **out);
/* Fit m again on X with its own params (scikit-learn's second fit() on the
 * same object): with warm_start = 1, one EM run continues from m's current
 * parameters and lower bound; otherwise a fresh fit. On error m is unchanged;
 * on success arrays borrowed from m before are invalid. Errors: as fit. */
MLC_API int mlc_gaussian_mixture_refit(mlc_gaussian_mixture *m, const mlc_matrix *X);

/* Most probable component of each row, into labels[X->rows]. */
MLC_API int mlc_gaussian_mixture_predict(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                         int32_t *labels);
/* proba: n x n_components (caller allocated), rows sum to 1. */
MLC_API int mlc_gaussian_mixture_predict_proba(const mlc_gaussian_mixture *m,
                                               const mlc_matrix *X, mlc_matrix *proba);
/* out[n] = log-likelihood of each row. */
MLC_API int mlc_gaussian_mixture_score_samples(const mlc_gaussian_mixture *m,
                                               const mlc_matrix *X, double *out);
/* Mean log-likelihood of the rows. */
MLC_API int mlc_gaussian_mixture_score(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                       double *score);
/* Bayesian / Akaike information criteria on X (lower is better). */
MLC_API int mlc_gaussian_mixture_bic(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                     double *bic);
MLC_API int mlc_gaussian_mixture_aic(const mlc_gaussian_mixture *m, const mlc_matrix *X,
                                     double *aic);
/* Draw n_samples rows (X: n_samples x p, caller allocated) and their
 * components (labels, may be NULL), grouped by component as scikit-learn
 * returns them. Uses random_state like scikit-learn: the same seed gives the
 * same draw on every call (m is not changed: concurrent calls are safe).
 * Errors: MLC_EBADLEN (X not n_samples x n_features). */
MLC_API int mlc_gaussian_mixture_sample(const mlc_gaussian_mixture *m, size_t n_samples,
                                        mlc_matrix *X, int32_t *labels);

/* Getters (arrays borrowed from the model, valid until it is refit or freed). */
MLC_API size_t mlc_gaussian_mixture_n_components(const mlc_gaussian_mixture *m);
MLC_API size_t mlc_gaussian_mixture_n_features(const mlc_gaussian_mixture *m);
/* An mlc_covariance_type; -1 for NULL. */
MLC_API int mlc_gaussian_mixture_covariance_type(const mlc_gaussian_mixture *m);
/* Number of doubles in covariances_ / precisions_ / precisions_cholesky_:
 * full K*p*p, tied p*p, diag K*p, spherical K. */
MLC_API size_t mlc_gaussian_mixture_covariance_size(const mlc_gaussian_mixture *m);
MLC_API const double *mlc_gaussian_mixture_weights(const mlc_gaussian_mixture *m);     /* K */
MLC_API const double *mlc_gaussian_mixture_means(const mlc_gaussian_mixture *m);       /* K x p */
MLC_API const double *mlc_gaussian_mixture_covariances(const mlc_gaussian_mixture *m);
MLC_API const double *mlc_gaussian_mixture_precisions(const mlc_gaussian_mixture *m);
MLC_API const double *mlc_gaussian_mixture_precisions_cholesky(const mlc_gaussian_mixture *m);
MLC_API int mlc_gaussian_mixture_converged(const mlc_gaussian_mixture *m);     /* converged_ */
MLC_API int64_t mlc_gaussian_mixture_n_iter(const mlc_gaussian_mixture *m);    /* n_iter_ */
MLC_API double mlc_gaussian_mixture_lower_bound(const mlc_gaussian_mixture *m);/* lower_bound_ */
MLC_API void mlc_gaussian_mixture_free(mlc_gaussian_mixture *m);

#ifdef __cplusplus
}
#endif

#endif
