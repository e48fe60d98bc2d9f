/* GaussianMixture internals shared by the files of algorithms/mixture/. */
#ifndef MLC_INTERNAL_MIXTURE_IMPL_H
#define MLC_INTERNAL_MIXTURE_IMPL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/parallel.h"
#include "internal/progress.h"
#include "internal/validate.h"
#include "mlcore/cluster.h"
#include "mlcore/mixture.h"

/* The parameters of a mixture, in one buffer so that a run's best can be
 * saved with one copy. Derived arrays (log_det, log_w, precisions_ and the
 * E-step layouts) are recomputed from weights / means / prec_chol by
 * mlc_gmm_derive(). */
typedef struct mlc_gmm_params {
    size_t K, p, csize; /* csize: doubles of one covariance array */
    int type;
    size_t total;       /* doubles in buf */
    double *buf;
    double *weights;    /* K */
    double *means;      /* K x p */
    double *cov;        /* covariances_ */
    double *prec_chol;  /* precisions_cholesky_ */
    double *prec;       /* precisions_ */
    double *log_det;    /* K: sum of log diag of the precision Cholesky factor */
    double *log_w;      /* K: log weights */
    /* E-step layouts, component index fastest so that the per-row loops run
     * over the components in vector lanes: */
    double *pcat;       /* full: p x (p K), column h K + k = column h of factor k;
                         * tied: the p x p factor */
    double *mu_pt;      /* full / tied: p x K, (mean_k . factor_k)[h] at h K + k */
    double *means_t;    /* diag / spherical: p x K means */
    double *prec_t;     /* diag / spherical: p x K precisions (spherical: repeated) */
    int upper;          /* full: every factor is upper triangular (the M-step's are;
                         * a precisions_init's lower, as scikit-learn takes it) */
} mlc_gmm_params;

size_t mlc_gmm_cov_size(int type, size_t K, size_t p);
int mlc_gmm_params_alloc(mlc_gmm_params *g, int type, size_t K, size_t p);
void mlc_gmm_params_clear(mlc_gmm_params *g);
/* dst <- src (same shapes). */
void mlc_gmm_params_copy(mlc_gmm_params *dst, const mlc_gmm_params *src);
/* The derived arrays from weights, means and prec_chol. */
void mlc_gmm_derive(mlc_gmm_params *g);

struct mlc_gaussian_mixture {
    mlc_gaussian_mixture_params params; /* array pointers cleared */
    mlc_gmm_params g;
    int32_t converged;                  /* converged_ */
    int64_t n_iter;                     /* n_iter_ */
    double lower_bound;                 /* lower_bound_ */
};

/* An unfitted model of the right shapes (params copied, array pointers
 * cleared). */
int mlc_gmm_model_alloc(const mlc_gaussian_mixture_params *p, size_t dim,
                        mlc_gaussian_mixture **out);

/* mlc_gaussian_mixture_fit reporting to `progress` (the registry's fit). */
int mlc_gmm_fit(const mlc_gaussian_mixture_params *p, const mlc_matrix *X,
                mlc_progress_ctx *progress, mlc_gaussian_mixture **out);

/* The start arrays' shapes: scikit-learn's (weights (K,), means (K, d),
 * precisions full (K, d, d), tied (d, d), diag (K, d), spherical (K,)) or
 * the 2-D forms the typed API takes (a K-vector as K x 1 or 1 x K, full
 * precisions as their blocks stacked, (K*d, d)). given_*: the shape each
 * was read in (NULL: a caller's matrix, rows x cols). MLC_EBADLEN naming
 * the shape given and scikit-learn's wanted. */
int mlc_gmm_check_init_shapes(const mlc_gaussian_mixture_params *p, size_t dim,
                              const mlc_array_shape *given_weights,
                              const mlc_array_shape *given_means,
                              const mlc_array_shape *given_precisions);

/* ------------------------------------------------------------- E-step */

/* Rows per block of responsibilities. */
size_t mlc_gmm_block_rows(const mlc_gmm_params *g);
/* Scratch doubles one block needs (see mlc_gmm_weighted_log_prob). */
size_t mlc_gmm_block_scratch(const mlc_gmm_params *g, size_t rows);
/* L (nb x K) = log w_k + log N(x_i | k) for rows [r0, r0 + nb) of X. */
void mlc_gmm_weighted_log_prob(const mlc_gmm_params *g, const mlc_matrix *X, size_t r0,
                               size_t nb, double *L, double *scratch);
/* Row-wise log-sum-exp of L (nb x K) into lpn (room for 2 nb + K values:
 * the tail is scratch); with resp, L becomes the responsibilities
 * exp(L - max) / sum exp(L - max). */
void mlc_gmm_normalize(size_t nb, size_t K, double *L, double *lpn, int resp);
/* The logarithm normalize uses (vectorizable; within 2 ulp of libm's). */
double mlc_gmm_log(double x);

/* Sufficient statistics of responsibilities r (per part, then summed in
 * part order). With shifts a_k (K x p) and the data mean c:
 *   R_k = sum r, SX_k = sum r x, S1_k = sum r (x - a_k),
 *   full: S2 is K p rows of p + 1: row (k, f) holds sum r (x_f - a_kf)(x - c)^T
 *         (the lower triangle only: mlc_gmm_scatter_full) and, last,
 *         S1_k[f] (S1 itself unused). The M-step subtracts S1_k (a_k - c)^T:
 *         one centred copy of a block serves all components while the other
 *         factor stays centred on its component;
 *   diag / spherical: about c instead of a_k: S1_k = sum r (x - c),
 *         S2_k = sum r (x - c)^2 per feature (two GEMMs; the M-step moves
 *         them to the means, losing about (|mu_k - c|^2 / var) eps, where
 *         scikit-learn's uncentred formula loses |mu_k|^2 / var eps);
 *   tied: S1 / S2 unused (see mlc_gmm_mstep). */
typedef struct mlc_gmm_stats {
    double *R, *SX, *S1, *S2;
    double lpn_sum;
} mlc_gmm_stats;
size_t mlc_gmm_stats_size(const mlc_gmm_params *g);
void mlc_gmm_stats_bind(mlc_gmm_stats *s, const mlc_gmm_params *g, double *mem);
void mlc_gmm_stats_clear(mlc_gmm_stats *s, const mlc_gmm_params *g);
void mlc_gmm_stats_add(mlc_gmm_stats *dst, const mlc_gmm_stats *src, const mlc_gmm_params *g);
/* L (nb x K) = sum_h ((x P_k)_h - (mu_k P_k)_h)^2 for a block of nb rows at
 * Xb (leading dimension ldx) when g->upper, register-tiled; scratch holds
 * mlc_gmm_quadform_scratch(p, K) values. */
size_t mlc_gmm_quadform_scratch(size_t p, size_t K);
void mlc_gmm_full_quadforms(const mlc_gmm_params *g, const double *Xb, size_t ldx, size_t nb,
                            double *L, double *scratch);
/* mlc_gmm_full_quadforms in the form named (MLC_SIMD_512 where mlc_cpu_wide(),
 * MLC_SIMD_256, or the plain reference: MLC_SIMD_SCALAR with every product
 * fused by fma(), the bits of the forms where they contract (FMA targets,
 * -O2), MLC_GMM_PLAIN_REFERENCE with none, their bits elsewhere): for the
 * tests. */
enum { MLC_GMM_PLAIN_REFERENCE = -1 };
void mlc_gmm_full_quadforms_form(int form, const mlc_gmm_params *g, const double *Xb, size_t ldx,
                                 size_t nb, double *L, double *scratch);
/* The full covariance's S2 rows (k, f), h <= f, and column p (S1) for a
 * block of nb rows at Xb (leading dimension ldx), register-tiled;
 * scratch holds mlc_gmm_scatter_scratch(p) values. */
size_t mlc_gmm_scatter_scratch(size_t p);
void mlc_gmm_scatter_full(const double *Xb, size_t ldx, size_t nb, size_t K, size_t p,
                          const double *resp, const double *shift, const double *center,
                          double *S2, double *scratch);
/* mlc_gmm_scatter_full with the triangle in the form named (see
 * mlc_gmm_full_quadforms_form): for the tests. */
void mlc_gmm_scatter_full_form(int form, const double *Xb, size_t ldx, size_t nb, size_t K,
                               size_t p, const double *resp, const double *shift,
                               const double *center, double *S2, double *scratch);
/* Add a block of responsibilities (nb x K) for rows [r0, r0 + nb). */
void mlc_gmm_stats_accumulate(mlc_gmm_stats *s, const mlc_gmm_params *g, const mlc_matrix *X,
                              size_t r0, size_t nb, const double *resp, const double *shift,
                              const double *center, double *scratch);

/* ------------------------------------------------------------- M-step */

/* The data constants of one fit. */
typedef struct mlc_gmm_data {
    const mlc_matrix *X;
    size_t n, p;
    double *mean;    /* p column means */
    double *scatter; /* p x p: sum (x - mean)(x - mean)^T (tied only, else NULL) */
    int threads;
} mlc_gmm_data;

/* Means, covariances and weights (nk / n when init, nk / sum nk otherwise)
 * from statistics gathered with shifts a (K x p). The caller then factors
 * the precisions (mlc_gmm_precision_cholesky) and derives (mlc_gmm_derive). */
int mlc_gmm_mstep(mlc_gmm_params *g, const mlc_gmm_stats *s, const double *shift,
                  const mlc_gmm_data *d, double reg_covar, int init);
/* Precision Cholesky factors from the covariances (MLC_ESING on failure). */
int mlc_gmm_precision_cholesky(mlc_gmm_params *g);
/* Factors and covariances from user precisions (precisions_init layout). */
int mlc_gmm_from_precisions(mlc_gmm_params *g, const mlc_matrix *prec);

#endif
