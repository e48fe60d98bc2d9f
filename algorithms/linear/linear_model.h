/* What every fitted linear model holds and does: coefficients, intercepts,
 * predictions, input checks, and the registry glue for coef_/intercept_.
 * Every linear model object starts with its mlc_linear_model, so one pair of
 * registry output callbacks serves them all. */
#ifndef MLC_INTERNAL_LINEAR_MODEL_H
#define MLC_INTERNAL_LINEAR_MODEL_H
#include <stddef.h>
#include "linear_prep.h"
#include "internal/registry.h"

typedef struct mlc_linear_model {
    size_t p, k;       /* features, targets */
    double *coef;      /* k x p */
    double *intercept; /* k */
    int n_threads;     /* predict's thread budget: the params' n_threads (the
                          estimator sets it; init leaves it) */
} mlc_linear_model;

int mlc_lin_model_init(mlc_linear_model *m, size_t p, size_t k);
void mlc_lin_model_clear(mlc_linear_model *m);
/* intercept_t = y_offset_t - x_offset . coef_t (all 0 without centring). */
void mlc_lin_model_set_intercept(mlc_linear_model *m, const mlc_lin_data *d);
/* The same from the offsets themselves (0 without centring). */
void mlc_lin_model_set_intercept_from(mlc_linear_model *m, int center, const double *x_offset,
                                      const double *y_offset);
/* MLC_ENONFINITE when a coefficient or intercept is not finite (overflow). */
int mlc_lin_model_check_finite(const mlc_linear_model *m, const char *estimator);
/* out (X.rows x k) = X coef' + intercept (algorithms/linear/linear_predict.c).
 * X's values are checked in the result: a NaN or infinity in X gives
 * mlc_check_X's status and message (the outputs are then unspecified). */
int mlc_lin_model_output(const mlc_linear_model *m, const mlc_matrix *X, mlc_matrix *out,
                         int n_threads);
/* The same in the form for a level of mlc_cpu_level() (exposed for the
 * test): MLC_SIMD_512 (AVX-512 target, only where the CPU has it),
 * MLC_SIMD_256, MLC_SIMD_SCALAR (the plain reference). Up to 4 targets
 * every form gives the same bits; more go through GEMM in every form. */
int mlc_lin_model_output_form(int level, const mlc_linear_model *m, const mlc_matrix *X,
                              mlc_matrix *out, int n_threads);
/* The typed API's predict: checks the model (NULL: MLC_EINVAL), X and out
 * (X.rows x k, contiguous, caller allocated), then computes. */
int mlc_lin_model_predict(const mlc_linear_model *m, const mlc_matrix *X, double *out,
                          const char *estimator);

/* A one-target y (X->rows values) as an n x 1 matrix view. */
mlc_matrix mlc_lin_wrap_y(const mlc_matrix *X, const double *y);
/* Checks at the door of every fit: X (finite, non-empty), Y (n x k,
 * finite, k >= 1), sample weights. The finiteness scans of large inputs use
 * up to n_threads threads. */
int mlc_lin_check_fit(const mlc_matrix *X, const mlc_matrix *Y, const double *sw,
                      int n_threads);
/* The same but X's values: for a fit whose data view (all rows) is then
 * marked unchecked, so that its first product checks them (the Gram panels
 * do it without a pass of their own; see mlc_lin_data.unchecked). */
int mlc_lin_check_fit_shapes(const mlc_matrix *X, const mlc_matrix *Y, const double *sw,
                             int n_threads);
/* Validated common parameters. */
int mlc_lin_check_alpha(double alpha, const char *name);
int mlc_lin_check_cd_params(long max_iter, double tol, int selection, int precompute);

/* ---- registry glue ---- */
/* Append coef_ (1-D for one target, k x p otherwise) and intercept_ (scalar
 * for one target, k values otherwise). */
void mlc_lin_model_put_attrs(const mlc_linear_model *m, mlc_attribute *out, size_t cap,
                             size_t *n);
/* Rebuild coef_/intercept_ from a model file, checking their shapes against
 * the file's n_features_in_ and n_targets; predict will use n_threads. */
int mlc_lin_model_restore(mlc_linear_model *m, const mlc_attr_set *s, int n_threads);
/* A per-target attribute: scalar for one target, k values otherwise. */
void mlc_lin_put_per_target(size_t k, mlc_attribute *out, size_t cap, size_t *n,
                            const char *name, mlc_dtype dtype, const void *data);
/* Read a per-target attribute back as doubles into dst (k values). */
int mlc_lin_get_per_target(const mlc_attr_set *s, const char *name, size_t k, double *dst);
/* The descriptors' output_cols and output of every linear model object (its
 * first member is its mlc_linear_model): predict, n_targets columns; X's
 * shape and out were checked by the registry. */
size_t mlc_lin_reg_output_cols(const void *model, mlc_output kind);
int mlc_lin_reg_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out);

#endif
