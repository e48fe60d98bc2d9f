/* Linear models: LinearRegression, Ridge, RidgeCV, Lasso, ElasticNet, their
 * regularisation paths and LassoCV / ElasticNetCV, with scikit-learn 1.2's
 * objectives, defaults and answers (docs/PARITY.md §§1-4).
 *
 *   mlc_lasso_params p = mlc_lasso_params_default();
 *   p.alpha = 0.1;
 *   mlc_lasso *m = NULL;
 *   int st = mlc_lasso_fit(&p, &X, y, &m);
 *   st = mlc_lasso_predict(m, &Xtest, yhat);        n x n_targets, caller allocated
 *   const double *w = mlc_lasso_coef(m);            n_targets x n_features
 *   mlc_lasso_free(m);
 *
 * Every estimator has three fit variants: `_fit` (one target y of n values),
 * `_fit_weighted` (y and optional sample weights) and `_fit_multi` (Y as an
 * n x n_targets matrix, optional sample weights). Coefficients are stored as
 * an n_targets x n_features row-major array; intercepts as n_targets values
 * (0 when fit_intercept is off). Models never point into the caller's data.
 *
 * The functions follow the typed-estimator pattern of mlcore.h: predict
 * writes X.rows x n_targets values into a caller-allocated out; the getters'
 * arrays are borrowed from the model (valid until it is refit or freed).
 * Every fit may also return MLC_ENONFINITE when the coefficients overflow
 * (data near DBL_MAX) and MLC_ESING when LAPACK fails to factorise or
 * converge; other errors are listed with each estimator.
 *
 * With fit_intercept, X and y are centred by their (sample-weighted) means and
 * intercept_ = y_offset - x_offset . coef_, as scikit-learn does; sample
 * weights scale the rows of the centred data by sqrt(weight). */
#ifndef MLCORE_LINEAR_H
#define MLCORE_LINEAR_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Coordinate order of coordinate descent (scikit-learn's `selection`). */
typedef enum mlc_cd_selection {
    MLC_SELECTION_CYCLIC = 0,
    MLC_SELECTION_RANDOM = 1
} mlc_cd_selection;

/* Whether coordinate descent works on the Gram matrix X'X (covariance
 * updates) or on the columns of X. AUTO uses a Gram form when
 * n_samples > n_features, TRUE whatever the shape: with up to 256 features
 * the whole X'X, or only the columns that coordinate descent touches when
 * the strong rule expects few non-zero coefficients; with more features it
 * starts on the columns and forms X'X only once the epochs run have cost
 * as much. Every form gives the same iterates in exact arithmetic, so the
 * answers agree to rounding (and with scikit-learn's). */
typedef enum mlc_precompute {
    MLC_PRECOMPUTE_AUTO = 0,
    MLC_PRECOMPUTE_TRUE = 1,
    MLC_PRECOMPUTE_FALSE = 2
} mlc_precompute;

/* ================================================== LinearRegression */
/* Ordinary least squares. The Gram matrix is built with SYRK from centred
 * row blocks (X is never copied) and solved by Cholesky with iterative
 * refinement; an ill-conditioned or rank-deficient design falls back to
 * LAPACK's gelsd (SVD), which returns the minimum-norm solution exactly as
 * scipy.linalg.lstsq does. positive=1 solves non-negative least squares.
 * As for every linear model, Y without columns is MLC_EEMPTY and Y with
 * another number of rows than X MLC_EBADLEN. */
typedef struct mlc_linear_regression_params {
    int fit_intercept; /* 1 */
    int positive;      /* 0 */
    int n_threads;     /* 0 = all cores */
} mlc_linear_regression_params;
typedef struct mlc_linear_regression mlc_linear_regression;
MLC_API mlc_linear_regression_params mlc_linear_regression_params_default(void);
MLC_API int mlc_linear_regression_fit(const mlc_linear_regression_params *p, const mlc_matrix *X,
                                      const double *y, mlc_linear_regression **out);
MLC_API int mlc_linear_regression_fit_weighted(const mlc_linear_regression_params *p,
                                               const mlc_matrix *X, const double *y,
                                               const double *sample_weight,
                                               mlc_linear_regression **out);
MLC_API int mlc_linear_regression_fit_multi(const mlc_linear_regression_params *p,
                                            const mlc_matrix *X, const mlc_matrix *Y,
                                            const double *sample_weight,
                                            mlc_linear_regression **out);
/* out: X.rows x n_targets. */
MLC_API int mlc_linear_regression_predict(const mlc_linear_regression *m, const mlc_matrix *X,
                                          double *out);
MLC_API size_t mlc_linear_regression_n_features(const mlc_linear_regression *m);
MLC_API size_t mlc_linear_regression_n_targets(const mlc_linear_regression *m);
MLC_API const double *mlc_linear_regression_coef(const mlc_linear_regression *m);
MLC_API const double *mlc_linear_regression_intercept(const mlc_linear_regression *m);
/* rank_ and singular_ (min(n, p) values) of the centred, weighted X; -1 /
 * NULL with positive=1 (scikit-learn does not set them then) or no model. */
MLC_API long mlc_linear_regression_rank(const mlc_linear_regression *m);
MLC_API const double *mlc_linear_regression_singular(const mlc_linear_regression *m,
                                                     size_t *count);
MLC_API void mlc_linear_regression_free(mlc_linear_regression *m);

/* ============================================================= Ridge */
/* Minimises ||y - Xw||^2 + alpha ||w||^2. SOLVER_AUTO: Cholesky on
 * X'X + alpha I when n_features <= n_samples, on the kernel XX' + alpha I
 * (w = X'a) otherwise, and the SVD when the system is singular (a
 * factorisation that fails, or, with alpha = 0, one whose reciprocal
 * condition number is below 1e-10, the rule of LinearRegression's Gram path).
 * positive=1 solves the non-negative problem by an active-set method.
 * Errors: target_alphas not of n_targets values (MLC_EBADLEN). */
typedef enum mlc_ridge_solver {
    MLC_RIDGE_AUTO = 0,
    MLC_RIDGE_CHOLESKY = 1,
    MLC_RIDGE_SVD = 2
} mlc_ridge_solver;
typedef struct mlc_ridge_params {
    double alpha;                /* 1.0, >= 0 */
    const double *target_alphas; /* NULL, or one alpha per target (overrides alpha) */
    size_t n_target_alphas;      /* length of target_alphas */
    int fit_intercept;           /* 1 */
    int solver;                  /* MLC_RIDGE_AUTO */
    int positive;                /* 0 */
    int n_threads;               /* 0 = all cores */
} mlc_ridge_params;
typedef struct mlc_ridge mlc_ridge;
MLC_API mlc_ridge_params mlc_ridge_params_default(void);
MLC_API int mlc_ridge_fit(const mlc_ridge_params *p, const mlc_matrix *X, const double *y,
                          mlc_ridge **out);
MLC_API int mlc_ridge_fit_weighted(const mlc_ridge_params *p, const mlc_matrix *X,
                                   const double *y, const double *sample_weight, mlc_ridge **out);
MLC_API int mlc_ridge_fit_multi(const mlc_ridge_params *p, const mlc_matrix *X,
                                const mlc_matrix *Y, const double *sample_weight,
                                mlc_ridge **out);
MLC_API int mlc_ridge_predict(const mlc_ridge *m, const mlc_matrix *X, double *out);
MLC_API size_t mlc_ridge_n_features(const mlc_ridge *m);
MLC_API size_t mlc_ridge_n_targets(const mlc_ridge *m);
MLC_API const double *mlc_ridge_coef(const mlc_ridge *m);
MLC_API const double *mlc_ridge_intercept(const mlc_ridge *m);
MLC_API void mlc_ridge_free(mlc_ridge *m);

/* =========================================================== RidgeCV */
/* Ridge with efficient leave-one-out selection of alpha (scikit-learn's
 * default cv=None, scoring=None): one decomposition serves every alpha.
 * GCV_AUTO decomposes X'X when n_samples > n_features ("svd" in
 * scikit-learn's terms) and XX' otherwise ("eigen"). best_score_ is minus
 * the mean squared LOO error (errors scaled by sqrt(sample_weight)). Errors: an
 * alpha <= 0 (MLC_EINVAL). */
typedef enum mlc_gcv_mode { MLC_GCV_AUTO = 0, MLC_GCV_SVD = 1, MLC_GCV_EIGEN = 2 } mlc_gcv_mode;
typedef struct mlc_ridge_cv_params {
    const double *alphas;  /* NULL = {0.1, 1, 10}; every alpha > 0 */
    size_t alphas_len;     /* length of alphas */
    int fit_intercept;     /* 1 */
    int gcv_mode;          /* MLC_GCV_AUTO */
    int store_cv_values;   /* 0 */
    int alpha_per_target;  /* 0 */
    int n_threads;         /* 0 = all cores */
} mlc_ridge_cv_params;
typedef struct mlc_ridge_cv mlc_ridge_cv;
MLC_API mlc_ridge_cv_params mlc_ridge_cv_params_default(void);
MLC_API int mlc_ridge_cv_fit(const mlc_ridge_cv_params *p, const mlc_matrix *X, const double *y,
                             mlc_ridge_cv **out);
MLC_API int mlc_ridge_cv_fit_weighted(const mlc_ridge_cv_params *p, const mlc_matrix *X,
                                      const double *y, const double *sample_weight,
                                      mlc_ridge_cv **out);
MLC_API int mlc_ridge_cv_fit_multi(const mlc_ridge_cv_params *p, const mlc_matrix *X,
                                   const mlc_matrix *Y, const double *sample_weight,
                                   mlc_ridge_cv **out);
MLC_API int mlc_ridge_cv_predict(const mlc_ridge_cv *m, const mlc_matrix *X, double *out);
MLC_API size_t mlc_ridge_cv_n_features(const mlc_ridge_cv *m);
MLC_API size_t mlc_ridge_cv_n_targets(const mlc_ridge_cv *m);
MLC_API const double *mlc_ridge_cv_coef(const mlc_ridge_cv *m);
MLC_API const double *mlc_ridge_cv_intercept(const mlc_ridge_cv *m);
/* alpha_: one value, or n_targets values with alpha_per_target. */
MLC_API const double *mlc_ridge_cv_alpha(const mlc_ridge_cv *m, size_t *count);
/* best_score_: one value, or n_targets values with alpha_per_target. */
MLC_API const double *mlc_ridge_cv_best_score(const mlc_ridge_cv *m, size_t *count);
/* cv_values_ (squared LOO errors), n x n_targets x alphas_len (3 for the
 * default alphas) row-major, or NULL unless store_cv_values was set. */
MLC_API const double *mlc_ridge_cv_cv_values(const mlc_ridge_cv *m);
MLC_API void mlc_ridge_cv_free(mlc_ridge_cv *m);

/* ============================================= Lasso and ElasticNet */
/* Minimise 1/(2n) ||y - Xw||^2 + alpha l1_ratio ||w||_1
 *          + alpha (1 - l1_ratio)/2 ||w||^2
 * by cyclic (or random) coordinate descent, stopping as scikit-learn does:
 * the duality gap is checked when the largest coefficient change falls below
 * tol * max|w|, and the fit stops when gap < tol * ||y - mean(y)||^2.
 * Not converging within max_iter epochs is not an error: converged = 0.
 * Sample weights are rescaled to sum to n first (scikit-learn's rule).
 * Errors: alpha so large that alpha * n overflows, or a duality gap that
 * overflows (MLC_ERANGE). */
typedef struct mlc_elastic_net_params {
    double alpha;          /* 1.0, >= 0 */
    double l1_ratio;       /* 0.5, in [0, 1] */
    int fit_intercept;     /* 1 */
    int precompute;        /* MLC_PRECOMPUTE_AUTO (scikit-learn's default is False;
                              the answers agree to rounding) */
    int64_t max_iter;      /* 1000, >= 1 */
    double tol;            /* 1e-4, >= 0 */
    int warm_start;        /* 0; 1: mlc_*_refit starts from the current coef_ */
    int positive;          /* 0 */
    int64_t random_state;  /* -1 = random (selection=random only) */
    int selection;         /* MLC_SELECTION_CYCLIC */
    int n_threads;         /* 0 = all cores */
} mlc_elastic_net_params;
typedef struct mlc_elastic_net mlc_elastic_net;
MLC_API mlc_elastic_net_params mlc_elastic_net_params_default(void);
MLC_API int mlc_elastic_net_fit(const mlc_elastic_net_params *p, const mlc_matrix *X,
                                const double *y, mlc_elastic_net **out);
MLC_API int mlc_elastic_net_fit_weighted(const mlc_elastic_net_params *p, const mlc_matrix *X,
                                         const double *y, const double *sample_weight,
                                         mlc_elastic_net **out);
MLC_API int mlc_elastic_net_fit_multi(const mlc_elastic_net_params *p, const mlc_matrix *X,
                                      const mlc_matrix *Y, const double *sample_weight,
                                      mlc_elastic_net **out);
/* Fit m again on new data with its own params (scikit-learn's repeated fit):
 * with warm_start = 1 and the same shapes, coordinate descent starts from
 * the current coef_. On failure m is unchanged; on success arrays borrowed
 * from m before are invalid. Errors: as fit. */
MLC_API int mlc_elastic_net_refit(mlc_elastic_net *m, const mlc_matrix *X, const mlc_matrix *Y,
                                  const double *sample_weight);
MLC_API int mlc_elastic_net_predict(const mlc_elastic_net *m, const mlc_matrix *X, double *out);
MLC_API size_t mlc_elastic_net_n_features(const mlc_elastic_net *m);
MLC_API size_t mlc_elastic_net_n_targets(const mlc_elastic_net *m);
MLC_API const double *mlc_elastic_net_coef(const mlc_elastic_net *m);
MLC_API const double *mlc_elastic_net_intercept(const mlc_elastic_net *m);
/* Per target: epochs run, duality gap (on the 1/(2n) scale), converged flag. */
MLC_API const int64_t *mlc_elastic_net_n_iter(const mlc_elastic_net *m);
MLC_API const double *mlc_elastic_net_dual_gap(const mlc_elastic_net *m);
MLC_API const int32_t *mlc_elastic_net_converged(const mlc_elastic_net *m);
MLC_API void mlc_elastic_net_free(mlc_elastic_net *m);

/* Lasso: ElasticNet with l1_ratio = 1 (the same functions and errors). */
typedef struct mlc_lasso_params {
    double alpha;         /* 1.0, >= 0 */
    int fit_intercept;    /* 1 */
    int precompute;       /* MLC_PRECOMPUTE_AUTO */
    int64_t max_iter;     /* 1000 */
    double tol;           /* 1e-4 */
    int warm_start;       /* 0 */
    int positive;         /* 0 */
    int64_t random_state; /* -1 */
    int selection;        /* MLC_SELECTION_CYCLIC */
    int n_threads;        /* 0 = all cores */
} mlc_lasso_params;
typedef struct mlc_lasso mlc_lasso;
MLC_API mlc_lasso_params mlc_lasso_params_default(void);
MLC_API int mlc_lasso_fit(const mlc_lasso_params *p, const mlc_matrix *X, const double *y,
                          mlc_lasso **out);
MLC_API int mlc_lasso_fit_weighted(const mlc_lasso_params *p, const mlc_matrix *X,
                                   const double *y, const double *sample_weight, mlc_lasso **out);
MLC_API int mlc_lasso_fit_multi(const mlc_lasso_params *p, const mlc_matrix *X,
                                const mlc_matrix *Y, const double *sample_weight,
                                mlc_lasso **out);
MLC_API int mlc_lasso_refit(mlc_lasso *m, const mlc_matrix *X, const mlc_matrix *Y,
                            const double *sample_weight);
MLC_API int mlc_lasso_predict(const mlc_lasso *m, const mlc_matrix *X, double *out);
MLC_API size_t mlc_lasso_n_features(const mlc_lasso *m);
MLC_API size_t mlc_lasso_n_targets(const mlc_lasso *m);
MLC_API const double *mlc_lasso_coef(const mlc_lasso *m);
MLC_API const double *mlc_lasso_intercept(const mlc_lasso *m);
MLC_API const int64_t *mlc_lasso_n_iter(const mlc_lasso *m);
MLC_API const double *mlc_lasso_dual_gap(const mlc_lasso *m);
MLC_API const int32_t *mlc_lasso_converged(const mlc_lasso *m);
MLC_API void mlc_lasso_free(mlc_lasso *m);

/* ============================================================ paths */
/* scikit-learn's enet_path / lasso_path on X and y as given (no centring,
 * no intercept): alphas from the grid alpha_max * eps^(i/(alpha_grid_size-1)),
 * alpha_max = max_j |X_j'y| / (n l1_ratio), or the given alphas sorted in
 * decreasing order; warm starts down the path from w = 0. The path has
 * path_len alphas: alphas_len when alphas is given, else alpha_grid_size. */
typedef struct mlc_enet_path_params {
    double l1_ratio;        /* 0.5 (ignored by mlc_lasso_path); the grid needs > 0 */
    double eps;             /* 1e-3 */
    size_t alpha_grid_size; /* 100 (scikit-learn's n_alphas) */
    const double *alphas;   /* NULL = the grid */
    size_t alphas_len;      /* length of alphas */
    int precompute;         /* MLC_PRECOMPUTE_AUTO */
    int64_t max_iter;       /* 1000 */
    double tol;             /* 1e-4 */
    int positive;           /* 0 */
    int64_t random_state;   /* -1 */
    int selection;          /* MLC_SELECTION_CYCLIC */
    int n_threads;          /* 0 = all cores */
} mlc_enet_path_params;
MLC_API mlc_enet_path_params mlc_enet_path_params_default(void);
/* Outputs (caller allocated, path_len entries each): alphas_out (the alphas
 * used, decreasing), coefs (path_len x n_features, row i = coefficients at
 * alphas_out[i]; scikit-learn returns the transpose), dual_gaps and n_iters
 * (either may be NULL). Errors: as ElasticNet's fit; coefs not
 * path_len x n_features (MLC_EBADLEN). */
MLC_API int mlc_enet_path(const mlc_enet_path_params *p, const mlc_matrix *X, const double *y,
                          double *alphas_out, mlc_matrix *coefs, double *dual_gaps,
                          int64_t *n_iters);
MLC_API int mlc_lasso_path(const mlc_enet_path_params *p, const mlc_matrix *X, const double *y,
                           double *alphas_out, mlc_matrix *coefs, double *dual_gaps,
                           int64_t *n_iters);

/* ======================================== LassoCV and ElasticNetCV */
/* One cross-validation split: row indices of the training and test parts. */
typedef struct mlc_linear_cv_fold {
    const size_t *train;
    size_t n_train;
    const size_t *test;
    size_t n_test;
} mlc_linear_cv_fold;

/* Cross-validated alpha (and l1_ratio) over a path per fold, then a refit on
 * all data (scikit-learn's LinearModelCV). Folds are the caller's (`folds`)
 * or KFold(cv) without shuffling. One target only, as in scikit-learn.
 * Errors: as ElasticNet's fit; a fold index >= n (MLC_ERANGE), a fold with an
 * empty part or cv > n (MLC_EINVAL). */
typedef struct mlc_elastic_net_cv_params {
    const double *l1_ratios; /* NULL = {0.5}; each in [0, 1] (0 needs given alphas) */
    size_t n_l1_ratios;
    double eps;              /* 1e-3 */
    size_t alpha_grid_size;  /* 100 (scikit-learn's n_alphas) */
    const double *alphas;    /* NULL = a grid per l1_ratio; else alphas_len values >= 0 */
    size_t alphas_len;
    int fit_intercept;       /* 1 */
    int precompute;          /* MLC_PRECOMPUTE_AUTO */
    int64_t max_iter;        /* 1000 */
    double tol;              /* 1e-4 */
    long cv;                 /* 5 folds (KFold, no shuffle) when folds is NULL */
    const mlc_linear_cv_fold *folds; /* NULL, or n_folds explicit splits */
    size_t n_folds;
    int positive;            /* 0 */
    int64_t random_state;    /* -1 */
    int selection;           /* MLC_SELECTION_CYCLIC */
    int n_threads;           /* 0 = all cores */
} mlc_elastic_net_cv_params;
typedef struct mlc_elastic_net_cv mlc_elastic_net_cv;
MLC_API mlc_elastic_net_cv_params mlc_elastic_net_cv_params_default(void);
MLC_API int mlc_elastic_net_cv_fit(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                                   const double *y, mlc_elastic_net_cv **out);
MLC_API int mlc_elastic_net_cv_fit_weighted(const mlc_elastic_net_cv_params *p,
                                            const mlc_matrix *X, const double *y,
                                            const double *sample_weight,
                                            mlc_elastic_net_cv **out);
MLC_API int mlc_elastic_net_cv_predict(const mlc_elastic_net_cv *m, const mlc_matrix *X,
                                       double *out);
MLC_API size_t mlc_elastic_net_cv_n_features(const mlc_elastic_net_cv *m);
MLC_API const double *mlc_elastic_net_cv_coef(const mlc_elastic_net_cv *m);
MLC_API const double *mlc_elastic_net_cv_intercept(const mlc_elastic_net_cv *m);
MLC_API double mlc_elastic_net_cv_alpha(const mlc_elastic_net_cv *m);    /* alpha_ */
MLC_API double mlc_elastic_net_cv_l1_ratio(const mlc_elastic_net_cv *m); /* l1_ratio_ */
/* alphas_: n_l1_ratios x path_len row-major (path_len: alphas_len when alphas
 * were given, else alpha_grid_size). */
MLC_API const double *mlc_elastic_net_cv_alphas(const mlc_elastic_net_cv *m, size_t *n_l1_ratios,
                                                size_t *path_len);
/* mse_path_: n_l1_ratios x path_len x n_folds row-major. */
MLC_API const double *mlc_elastic_net_cv_mse_path(const mlc_elastic_net_cv *m, size_t *n_folds);
MLC_API int64_t mlc_elastic_net_cv_n_iter(const mlc_elastic_net_cv *m);
MLC_API double mlc_elastic_net_cv_dual_gap(const mlc_elastic_net_cv *m);
MLC_API void mlc_elastic_net_cv_free(mlc_elastic_net_cv *m);

/* LassoCV: ElasticNetCV with l1_ratio = 1 (the same functions and errors). */
typedef struct mlc_lasso_cv_params {
    double eps;             /* 1e-3 */
    size_t alpha_grid_size; /* 100 (scikit-learn's n_alphas) */
    const double *alphas;   /* NULL = the grid */
    size_t alphas_len;
    int fit_intercept;      /* 1 */
    int precompute;         /* MLC_PRECOMPUTE_AUTO */
    int64_t max_iter;       /* 1000 */
    double tol;             /* 1e-4 */
    long cv;                /* 5 */
    const mlc_linear_cv_fold *folds;
    size_t n_folds;
    int positive;           /* 0 */
    int64_t random_state;   /* -1 */
    int selection;          /* MLC_SELECTION_CYCLIC */
    int n_threads;          /* 0 = all cores */
} mlc_lasso_cv_params;
typedef struct mlc_lasso_cv mlc_lasso_cv;
MLC_API mlc_lasso_cv_params mlc_lasso_cv_params_default(void);
MLC_API int mlc_lasso_cv_fit(const mlc_lasso_cv_params *p, const mlc_matrix *X, const double *y,
                             mlc_lasso_cv **out);
MLC_API int mlc_lasso_cv_fit_weighted(const mlc_lasso_cv_params *p, const mlc_matrix *X,
                                      const double *y, const double *sample_weight,
                                      mlc_lasso_cv **out);
MLC_API int mlc_lasso_cv_predict(const mlc_lasso_cv *m, const mlc_matrix *X, double *out);
MLC_API size_t mlc_lasso_cv_n_features(const mlc_lasso_cv *m);
MLC_API const double *mlc_lasso_cv_coef(const mlc_lasso_cv *m);
MLC_API const double *mlc_lasso_cv_intercept(const mlc_lasso_cv *m);
MLC_API double mlc_lasso_cv_alpha(const mlc_lasso_cv *m);
/* alphas_: path_len values (alphas_len, or alpha_grid_size for the grid). */
MLC_API const double *mlc_lasso_cv_alphas(const mlc_lasso_cv *m, size_t *path_len);
/* mse_path_: path_len x n_folds row-major. */
MLC_API const double *mlc_lasso_cv_mse_path(const mlc_lasso_cv *m, size_t *n_folds);
MLC_API int64_t mlc_lasso_cv_n_iter(const mlc_lasso_cv *m);
MLC_API double mlc_lasso_cv_dual_gap(const mlc_lasso_cv *m);
MLC_API void mlc_lasso_cv_free(mlc_lasso_cv *m);

#ifdef __cplusplus
}
#endif

#endif
