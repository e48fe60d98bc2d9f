/* The liblinear problems behind LinearSVC and LinearSVR (docs/PARITY.md §6)
 * and their solvers, each written from its paper:
 *
 *   lsvm_svc_dual        L2-regularised hinge / squared hinge, the dual by
 *                        coordinate descent (Hsieh, Chang, Lin, Keerthi &
 *                        Sundararajan 2008, Algorithm 3 with shrinking)
 *   lsvm_svc_l1          L1-regularised squared hinge, primal coordinate
 *                        descent with a Newton step and line search (Yuan,
 *                        Chang, Hsieh & Lin 2010, Appendix F of Fan et al.
 *                        2008)
 *   lsvm_tron            L2-regularised squared hinge / squared epsilon-
 *                        insensitive loss in the primal, trust-region Newton
 *                        with conjugate gradients (Lin, Weng & Keerthi 2008)
 *   lsvm_svr_dual        L2-regularised epsilon-insensitive / squared, the
 *                        dual by coordinate descent (Ho & Lin 2012,
 *                        Algorithm 4)
 *   lsvm_crammer_singer  the multi-class SVM of Crammer & Singer, sequential
 *                        dual method (Keerthi, Sundararajan, Chang, Hsieh &
 *                        Lin 2008)
 *
 * Every solver starts from w = 0 and stops as liblinear does; n_iter counts
 * its outer iterations (epochs, or Newton steps for TRON). Each returns
 * MLC_EINTERRUPTED (no message) when the progress callback says stop. */
#ifndef MLC_LINEAR_SVM_SOLVERS_H
#define MLC_LINEAR_SVM_SOLVERS_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"

/* The training rows x^_i = [X_i, bias], i < n; bias 0 means no intercept
 * feature. Weight vectors have p + 1 entries, the last the intercept
 * feature's (it stays 0 without one). */
typedef struct lsvm_data {
    const double *X; /* n rows of p values, ld apart */
    size_t n, p, ld;
    double bias;
    const double *sq; /* |x^_i|^2 */
    int threads;      /* for TRON's passes over the rows */
} lsvm_data;

typedef struct lsvm_opts {
    double tol;
    int64_t max_iter;
    int64_t seed; /* the random order of rows (or coordinates) in each epoch */
    int level;    /* the kernels' form: mlc_cpu_level() (tests pass each level) */
    mlc_progress_ctx *progress; /* ticked after every outer iteration (NULL: none) */
} lsvm_opts;

typedef struct lsvm_result {
    int64_t n_iter;
    int converged; /* the stopping test passed on the full problem */
} lsvm_result;

/* Binary classification: y_i = +1 / -1, C_i > 0; w (p + 1) out.
 * squared: 1 squared hinge (no bound on the multipliers, 1/(2 C_i) on the
 * diagonal), 0 hinge (0 <= alpha_i <= C_i). Stops when the projected
 * gradient's spread over the whole problem is <= tol. */
int lsvm_svc_dual(const lsvm_data *d, const int8_t *y, const double *C, int squared,
                  const lsvm_opts *o, double *w, lsvm_result *r);
/* Binary classification with |w^|_1 + sum C_i max(0, 1 - y_i w^'x^_i)^2:
 * Xt is x^ by columns ((p + 1) x n, the last column the bias). Stops when
 * the summed optimality violation is <= tol times the first epoch's. */
int lsvm_svc_l1(const lsvm_data *d, const double *Xt, const int8_t *y, const double *C,
                const lsvm_opts *o, double *w, lsvm_result *r);

/* The squared losses TRON minimises: classification (y = +1 / -1 in
 * sign) or regression (targets in target, the tube's half-width epsilon). */
typedef struct lsvm_sq_loss {
    const int8_t *sign;   /* classification, else NULL */
    const double *target; /* regression, else NULL */
    double epsilon;
    const double *C;
} lsvm_sq_loss;
/* Minimise 1/2 |w^|^2 + sum C_i loss_i(w^'x^_i) until |grad| <= tol
 * |grad at 0|. */
int lsvm_tron(const lsvm_data *d, const lsvm_sq_loss *f, const lsvm_opts *o, double *w,
              lsvm_result *r);

/* Regression: 1/2 |w^|^2 + sum C_i max(0, |y_i - w^'x^_i| - epsilon)^q,
 * q = 2 when squared. Stops when the summed violation is <= tol times the
 * first epoch's. */
int lsvm_svr_dual(const lsvm_data *d, const double *y, const double *C, double epsilon,
                  int squared, const lsvm_opts *o, double *w, lsvm_result *r);

/* Crammer-Singer: cls_i < K the class of row i, C_i its bound; W is
 * (p + 1) x K, row j holding feature j's weight of each class. */
int lsvm_crammer_singer(const lsvm_data *d, const int32_t *cls, size_t K, const double *C,
                        const lsvm_opts *o, double *W, lsvm_result *r);

/* The random order of the epochs, from a seed the fit draws from its
 * mlc_rng (random_state): a permutation of idx[0..n) per call. */
typedef struct lsvm_order {
    uint64_t s[4];
} lsvm_order;
void lsvm_order_seed(lsvm_order *o, int64_t seed);
void lsvm_order_shuffle(lsvm_order *o, size_t *idx, size_t n);

/* ---- kernels ----
 * x . w over p values: 8 logical lanes (element j into lane j % 8 of the
 * 8-value blocks), added (0+4, 1+5, 2+6, 3+7) pairwise, then the tail in
 * order; no contraction, so every form gives the same bits. */
typedef double lsvm_dot_fn(const double *x, const double *w, size_t p);
lsvm_dot_fn *lsvm_dot_form(int level);
/* w += a x over p values (element-wise: one answer on every CPU). */
void lsvm_axpy(double a, const double *x, double *w, size_t p);

/* One epoch of lsvm_svc_dual: exported so that the tests can run every
 * form on the same state. Each row's numbers sit together (the rows come
 * in random order: one cache line holds what a row needs besides x). */
typedef struct lsvm_dual_row {
    double alpha, inv_QD; /* the multiplier; 1 / (Q_ii + D_ii) */
    double y;         /* +1 / -1 */
    double bound;     /* squared hinge: D_ii = 1/(2 C_i); hinge: the upper bound C_i */
} lsvm_dual_row;
typedef struct lsvm_dual_state {
    const lsvm_data *d;
    int squared;
    lsvm_dual_row *row;
    double *w;
    size_t *index;
    size_t active;
    double pg_max_old, pg_min_old; /* the shrinking thresholds */
    double pg_max, pg_min;         /* this epoch's projected-gradient extremes */
} lsvm_dual_state;
typedef void lsvm_dual_epoch_fn(lsvm_dual_state *s);
lsvm_dual_epoch_fn *lsvm_dual_epoch_form(int level);

#endif
