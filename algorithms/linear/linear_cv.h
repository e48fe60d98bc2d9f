/* LassoCV / ElasticNetCV (scikit-learn's LinearModelCV): a path per fold and
 * l1_ratio, mse_path_, the best alpha (first index on ties), and the refit on
 * all data. Shared by both estimators. */
#ifndef MLC_INTERNAL_LINEAR_CV_H
#define MLC_INTERNAL_LINEAR_CV_H
#include <stddef.h>
#include "linear_enet.h"
#include "mlcore/linear.h"

typedef struct mlc_enet_cv_state {
    mlc_enet_state fit;   /* the refit (one target) */
    double alpha;         /* alpha_ */
    double l1_ratio;      /* l1_ratio_ */
    size_t n_l1, path_len, n_folds; /* path_len: alphas per l1_ratio */
    double *l1_ratios;    /* n_l1 */
    double *alphas;       /* n_l1 x path_len */
    double *mse_path;     /* n_l1 x path_len x n_folds */
    int grid;             /* 1 when the alphas came from the grid */
} mlc_enet_cv_state;

/* p->l1_ratios must be given (ElasticNetCV's face puts its default in for
 * NULL). Reports to progress (NULL: none): fold, l1_ratio, alpha; refit. */
int mlc_enet_cv_fit_state(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                          const double *y, const double *sw, mlc_progress_ctx *progress,
                          mlc_enet_cv_state *out);
void mlc_enet_cv_state_clear(mlc_enet_cv_state *s);

/* KFold(n_folds) without shuffling: fold f tests a consecutive block (the
 * first n % n_folds blocks one row longer); train is the rest, ascending.
 * *idx (malloc'ed) holds all index arrays the folds point into. */
int mlc_enet_cv_kfold(size_t n, size_t n_folds, mlc_linear_cv_fold **folds, size_t **idx);
/* Folds from per-sample test-fold ids (scikit-learn's PredefinedSplit:
 * fold f tests the rows with the f-th smallest non-negative id; -1 = never
 * tested). */
int mlc_enet_cv_predefined(const double *test_fold, size_t n, mlc_linear_cv_fold **folds,
                           size_t *n_folds, size_t **idx);

/* Registry glue: coef_, intercept_, alpha_, alphas_, mse_path_, (l1_ratio_),
 * n_iter_, dual_gap_, converged, with scikit-learn's shapes. */
void mlc_enet_cv_put_attrs(const mlc_enet_cv_state *s, int with_l1_ratio, mlc_attribute *out,
                           size_t cap, size_t *n);
/* l1_ratios: the n_l1 ratios the params name; grid: alphas were not given. */
int mlc_enet_cv_restore(mlc_enet_cv_state *s, const mlc_attr_set *a, const double *l1_ratios,
                        size_t n_l1, int grid, int with_l1_ratio, int n_threads);

/* ---- the model object of both estimators and their registry glue ---- */
/* What an mlc_lasso_cv or mlc_elastic_net_cv is (neither struct is defined:
 * their pointers are converted to this). */
typedef struct mlc_enet_cv_model {
    mlc_enet_cv_state s;
    mlc_elastic_net_cv_params params; /* l1_ratios/alphas point into s; folds not kept */
    int lasso;                        /* LassoCV: no l1_ratio_ attribute */
} mlc_enet_cv_model;

int mlc_enet_cv_model_fit(const mlc_elastic_net_cv_params *p, const mlc_matrix *X,
                          const double *y, const double *sw, int lasso,
                          mlc_progress_ctx *progress, void **out);
void mlc_enet_cv_model_free(void *model);
int mlc_enet_cv_model_predict(const void *model, const mlc_matrix *X, double *out,
                              const char *estimator);

/* The registry's parameters of both: ElasticNetCV's table is
 * mlc_enet_cv_params_table, LassoCV's the same without its first row
 * (l1_ratio). */
typedef struct mlc_enet_cv_reg_params {
    mlc_real_list l1_ratio;
    double eps;
    long n_alphas;        /* the grid size (alpha_grid_size of the typed params) */
    mlc_real_list alphas; /* empty: the grid */
    int fit_intercept;
    int precompute;
    long max_iter;
    double tol;
    long cv;
    const mlc_matrix *test_fold; /* optional fold id per sample (PredefinedSplit) */
    int positive;
    long random_state;
    int selection;
    int n_threads;
} mlc_enet_cv_reg_params;

#define MLC_ENET_CV_N_PARAMS 14
extern const mlc_param_info mlc_enet_cv_params_table[MLC_ENET_CV_N_PARAMS];
/* The table's defaults. */
mlc_enet_cv_reg_params mlc_enet_cv_reg_defaults(void);
/* The typed params of the registry's (the lists point into r; LassoCV's
 * l1_ratios are {1}). */
mlc_elastic_net_cv_params mlc_enet_cv_typed_params(const mlc_enet_cv_reg_params *r, int lasso);
int mlc_enet_cv_reg_fit(const mlc_enet_cv_reg_params *p, const mlc_fit_data *d, int lasso,
                        mlc_progress_ctx *progress, void **model);
/* The descriptors' check_arrays: test_fold is scikit-learn's (n_samples,)
 * (or n x 1 / 1 x n), named as given when it is not. */
int mlc_enet_cv_check_arrays(const void *p, const mlc_array_shape *shapes, const mlc_fit_data *d,
                             int lasso);
size_t mlc_enet_cv_reg_attributes(const void *model, mlc_attribute *out, size_t cap);
int mlc_enet_cv_reg_restore(const mlc_enet_cv_reg_params *p, const mlc_attr_set *s, int lasso,
                            void **model);

#endif
