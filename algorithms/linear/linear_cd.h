/* Coordinate descent for the elastic net, scikit-learn's cd_fast updates and
 * stopping rule (docs/PARITY.md §3), on the unnormalised problem
 *     1/2 ||y - Xw||^2 + l1 ||w||_1 + l2/2 ||w||^2
 * in two equivalent forms:
 *   - Gram form (covariance updates): works on Q = X'X and q = X'y, each
 *     coordinate step costs O(1) plus O(p) when the coefficient changes;
 *   - column form: works on the columns of X (column-major) and a residual;
 *     a coefficient that is zero and provably stays zero is not recomputed
 *     (its last correlation plus ||X_j|| times how far the residual has
 *     moved since stays below l1), which skips work without changing any
 *     iterate. Its sums over rows are taken over parts of rows fixed by n,
 *     so threads (each on whole parts, exchanging two sums per coordinate
 *     they visit) run the same iterates as one thread: an epoch is memory
 *     bound, and two cores stream X at about twice the rate of one.
 * Both visit the coordinates in the same order and give the same iterates in
 * exact arithmetic. */
#ifndef MLC_INTERNAL_LINEAR_CD_H
#define MLC_INTERNAL_LINEAR_CD_H
#include <stddef.h>
#include "internal/progress.h"
#include "mlcore/rng.h"

typedef struct mlc_cd_opts {
    double l1, l2;  /* alpha * l1_ratio * n, alpha * (1 - l1_ratio) * n */
    double tol;     /* stop when gap < tol * ||y||^2 */
    long max_iter;  /* epochs in all */
    int positive;
    mlc_rng *rng;   /* non-NULL: random coordinate selection */
    long it0;       /* epochs already run (resuming in the other form) */
    long pause;     /* > 0: return after this many epochs of this call */
    mlc_progress_ctx *progress; /* ticked after every epoch (NULL: none) */
} mlc_cd_opts;

typedef struct mlc_cd_result {
    double gap;    /* duality gap of the unnormalised problem */
    long n_iter;   /* epochs run in all */
    int converged; /* gap < tol * ||y||^2 was reached */
    int paused;    /* stopped by opts.pause, to be resumed */
    int stopped;   /* stopped by the progress callback (the fit ends) */
} mlc_cd_result;

/* Where the Gram form gets column j of Q when the whole matrix is not formed
 * (glmnet's covariance updates: a column is needed only once its coefficient
 * leaves zero). get returns NULL, with an error raised, on failure. */
typedef struct mlc_cd_colsrc mlc_cd_colsrc;
struct mlc_cd_colsrc {
    const double *(*get)(mlc_cd_colsrc *self, size_t j);
};

typedef struct mlc_cd_gram {
    size_t p;
    const double *Q;     /* p x p, full symmetric, or NULL: columns from src */
    mlc_cd_colsrc *src;
    const double *diag;  /* Q_jj */
    const double *q;     /* X'y */
    double y_norm2;      /* y'y */
} mlc_cd_gram;

typedef struct mlc_cd_cols {
    size_t n, p;
    const double *X;     /* column j at X + j * ldx: X~_j + xres[j] */
    size_t ldx;
    const double *xres;  /* p offsets left in X's columns, or NULL (none) */
    const double *y;     /* n */
    const double *norm2; /* ||X_j||^2 */
    double y_norm2;
    int threads;         /* at most this many (1 with random selection) */
} mlc_cd_cols;

/* Scratch space for one solver, sized once and reused along a path. */
typedef struct mlc_cd_work {
    size_t n, p;
    double *R;     /* n: residual (column form) */
    double *Rref;  /* n: the residual at the start of the epoch (column form) */
    double *H;     /* p: Qw (Gram form) / X'R */
    double *corr;  /* p: last X_j'R of each coordinate (column form) */
    double *stamp; /* p: distance of that residual from Rref, -1 = none */
    double *xnorm; /* p: ||X_j|| */
    double *gpart; /* the duality gap's sums per row part (column form) */
    double *own;   /* the own w, corr, dist, xnorm, XtA of threads 1.. (column form) */
} mlc_cd_work;

/* n = 0 for the Gram form. */
int mlc_cd_work_alloc(mlc_cd_work *ws, size_t n, size_t p);
void mlc_cd_work_clear(mlc_cd_work *ws);

/* Run coordinate descent from w (warm start; zeros for a cold one). The
 * Gram form fails only when a column source does. */
int mlc_cd_gram_solve(const mlc_cd_gram *g, const mlc_cd_opts *o, double *w, mlc_cd_work *ws,
                      mlc_cd_result *res);
void mlc_cd_cols_solve(const mlc_cd_cols *c, const mlc_cd_opts *o, double *w, mlc_cd_work *ws,
                       mlc_cd_result *res);

/* The column form's kernel on n rows (exposed for its test): with Xp,
 * R -= delta (Xp - mp) first; then out = {(Xj - mj)'R, (Xj - mj)'Rref}.
 * mlc_cd_dots_form gives its form for a level of mlc_cpu_level()
 * (MLC_SIMD_512: AVX-512, callable only where mlc_cpu_wide(); MLC_SIMD_256;
 * MLC_SIMD_SCALAR: the plain reference). Every form gives the same bits. */
typedef void mlc_cd_dots_fn(size_t n, const double *Xj, double mj, double *R,
                            const double *Rref, const double *Xp, double mp, double delta,
                            double *out);
mlc_cd_dots_fn *mlc_cd_dots_form(int level);

#endif
