/* The elastic-net engine shared by Lasso, ElasticNet, the path functions and
 * the CV estimators: a prepared problem (Gram matrix or centred column-major
 * copy of a data view), one fit at one alpha, a path over decreasing alphas
 * with warm starts, and scikit-learn's alpha grid. */
#ifndef MLC_INTERNAL_LINEAR_ENET_H
#define MLC_INTERNAL_LINEAR_ENET_H
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "linear_cd.h"
#include "linear_model.h"
#include "linear_prep.h"
#include "mlcore/linear.h"

/* The forms of a problem. LAZY is the Gram form with only the columns that
 * coordinate descent touches: those of the coefficients that leave zero,
 * fetched in one batch for the strong-rule candidates and one by one for
 * the rare others. HYBRID starts in the column form and moves to the Gram
 * form once the epochs run have cost about as much as forming X'X would
 * (with many features, a fit that converges in a few epochs never pays for
 * the Gram matrix). */
enum mlc_enet_form {
    MLC_ENET_COLS = 0,
    MLC_ENET_GRAM = 1,
    MLC_ENET_LAZY = 2,
    MLC_ENET_HYBRID = 3
};

typedef struct mlc_enet_problem {
    size_t n, p, k;
    int form;             /* mlc_enet_form */
    mlc_lin_data *d;      /* LAZY: the data the columns come from (borrowed) */
    double *Q;            /* p x p (GRAM) */
    mlc_cd_colsrc *cols;  /* LAZY: the column cache */
    double *diag;         /* p: ||X~_j||^2 */
    double *q;            /* k x p: X~'y~_t */
    double *Xc;           /* n x p column-major (COLS), columns ldx apart: X~ + 1 xres' */
    double *xres;         /* p: the offsets left in the copy (mostly 0) */
    size_t ldx;           /* n rounded up to whole cache lines (8 doubles) */
    double *Yc;           /* n x k column-major (COLS) */
    double *y_norm2;      /* k: ||y~_t||^2 */
} mlc_enet_problem;

/* Whether `precompute` (mlc_precompute) means a Gram form for n x p. */
int mlc_enet_use_gram(int precompute, size_t n, size_t p);
/* The Gram form worth using for one alpha: HYBRID with many features, LAZY
 * when forming the whole matrix would dominate the cost, else GRAM. */
int mlc_enet_gram_form(size_t n, size_t p);
/* Build the problem for a data view (Y required); the view must outlive a
 * LAZY problem. */
int mlc_enet_problem_init(mlc_enet_problem *pb, mlc_lin_data *d, int form);
/* LAZY: fetch the columns the sequential strong rule keeps at `alpha` from
 * w = 0 (for every target); when they are not far fewer than p, form the
 * whole Gram matrix instead (the problem becomes GRAM). */
int mlc_enet_prefetch(mlc_enet_problem *pb, double alpha, double l1_ratio, int positive);
void mlc_enet_problem_clear(mlc_enet_problem *pb);

typedef struct mlc_enet_settings {
    double l1_ratio;
    long max_iter;
    double tol;
    int positive;
    mlc_rng *rng; /* non-NULL: random selection */
    mlc_progress_ctx *progress; /* NULL: none */
    int path_level;             /* the stage level of a path's "alpha i/n" */
} mlc_enet_settings;

/* Fit target t at `alpha` starting from w (p values, updated in place).
 * res->gap is on scikit-learn's dual_gap_ scale (divided by n).
 * MLC_EINTERRUPTED (no message) when s->progress says stop. */
int mlc_enet_solve(mlc_enet_problem *pb, size_t t, double alpha,
                    const mlc_enet_settings *s, double *w, mlc_cd_work *ws, mlc_cd_result *res);

/* A path for target t over alphas (decreasing), warm-starting each alpha
 * from the previous solution; w holds the start on entry and the last
 * solution on exit. coefs (path_len x p), gaps, n_iters may be NULL. */
int mlc_enet_path_run(mlc_enet_problem *pb, size_t t, const double *alphas,
                      size_t path_len, const mlc_enet_settings *s, double *w, double *coefs,
                      double *gaps, int64_t *n_iters);

/* scikit-learn's _alpha_grid: alpha_max = max_j ||(X'Y)_j||_2 / (n l1_ratio),
 * alphas[i] = 10^(log10(alpha_max) - i (-log10 eps)/(grid_size-1)) computed
 * as numpy.logspace does, or all 1e-15 when alpha_max <= 1e-15. XtY is k x p. */
void mlc_enet_alpha_grid(const double *XtY, size_t p, size_t k, size_t n, double l1_ratio,
                         double eps, size_t grid_size, double *alphas);

/* The alphas of a path checked: the given ones (alphas_len values, each a
 * finite alpha >= 0), or, with alphas NULL, a grid (grid_size >= 1 points,
 * eps finite and > 0). */
int mlc_enet_check_alphas(const double *alphas, size_t alphas_len, size_t grid_size,
                          double eps);

/* Sort alphas into decreasing order (scikit-learn sorts given alphas). */
void mlc_enet_sort_desc(double *alphas, size_t n);

/* ---- a fitted ElasticNet / Lasso (shared by both and by the CV refits) ---- */
typedef struct mlc_enet_state {
    mlc_linear_model lm;
    int64_t *n_iter;    /* k: epochs per target */
    double *dual_gap;   /* k: on the 1/(2n) scale */
    int32_t *converged; /* k */
} mlc_enet_state;

/* Check ElasticNet's parameters (as the typed params struct holds them). */
int mlc_enet_check_params(const mlc_elastic_net_params *p);
/* Fit on (X, Y, sw); coef_init (k x p) or NULL starts from zero;
 * reporting to progress (NULL: none). */
int mlc_enet_fit_state(const mlc_elastic_net_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                       const double *sw, const double *coef_init, mlc_progress_ctx *progress,
                       mlc_enet_state *out);
void mlc_enet_state_clear(mlc_enet_state *s);
/* Registry glue: coef_, intercept_, n_iter_, dual_gap_, converged. */
void mlc_enet_state_put_attrs(const mlc_enet_state *s, mlc_attribute *out, size_t cap,
                              size_t *n);
int mlc_enet_state_restore(mlc_enet_state *s, const mlc_attr_set *attrs, int n_threads);

/* ---- ElasticNet's model object (elastic_net.c), which is Lasso's too ---- */
/* A Lasso is an elastic net with l1_ratio = 1 that answers to "lasso" in
 * messages (`name`); lasso.c is its typed face and registry entry over
 * these. */
int mlc_enet_model_fit(const mlc_elastic_net_params *p, const mlc_matrix *X,
                       const mlc_matrix *Y, const double *sw, const char *name,
                       mlc_progress_ctx *progress, mlc_elastic_net **out);
/* The registry callbacks of both (restore from the typed params). */
void mlc_enet_reg_free(void *model);
size_t mlc_enet_reg_attributes(const void *model, mlc_attribute *out, size_t cap);
/* The registry's warning for Lasso and ElasticNet with alpha = 0 (no
 * penalty), as scikit-learn's (elastic_net.c). */
void mlc_enet_warn_no_penalty(double alpha, const char *name, mlc_warnings *w);
int mlc_enet_reg_restore(const mlc_elastic_net_params *p, const mlc_attr_set *s,
                         const char *name, void **model);
/* The parameter-table rows of both after alpha (and l1_ratio), over either
 * params struct `st`. */
#define MLC_ENET_SHARED_ROWS(st)                                                           \
    MLC_P_BOOL(st, fit_intercept, "true", "fit an intercept (centre X and y)"),            \
        MLC_P_CHOICE(st, precompute, "auto", "auto|true|false",                            \
                     "Gram-matrix (covariance) updates: auto = when n_samples > n_features"), \
        MLC_P_INT(st, max_iter, "1000", 1, 1e12, "maximum number of epochs"),              \
        MLC_P_REAL(st, tol, "0.0001", 0.0, HUGE_VAL,                                       \
                   "stop when the duality gap < tol * ||y - mean(y)||^2"),                 \
        MLC_P_BOOL(st, warm_start, "false",                                                \
                   "C API refits start from coef_ (each registry fit starts from zero)"),  \
        MLC_P_BOOL(st, positive, "false", "constrain the coefficients to be >= 0"),        \
        MLC_P_INT(st, random_state, "-1", -1, 2147483647.0,                                \
                  "seed of selection=random (-1 = from the OS)"),                          \
        MLC_P_CHOICE(st, selection, "cyclic", "cyclic|random", "coordinate order of each epoch"), \
        MLC_P_THREADS(st)

#endif
