/* The data side of every linear model: which rows are used, their weights,
 * centring, and the products built from the centred, weighted rows
 *     x~_i = sqrt(w_i) (x_i - x_offset),   y~_i = sqrt(w_i) (y_i - y_offset)
 * (scikit-learn's _preprocess_data + _rescale_data) without ever forming the
 * centred copy of X unless a caller asks for one.
 *
 * Products over all rows are computed on blocks of centred rows copied into
 * a small buffer (no XtX - n mu mu' cancellation), in a fixed number of
 * chunks that depends only on the problem size; chunks run in parallel and
 * are summed in order, so results do not depend on the thread count.
 *
 * The offsets (weighted means) are found by the first product that needs
 * them: mlc_lin_gram and mlc_lin_xty centre the rows on a provisional shift
 * (the mean of the first rows) and correct exactly for the difference in the
 * same pass, so fitting reads X once; when the correction is large enough to
 * cost precision, they redo the pass centred on the true means. The other
 * products need the offsets first (mlc_lin_data_offsets). */
#ifndef MLC_INTERNAL_LINEAR_PREP_H
#define MLC_INTERNAL_LINEAR_PREP_H
#include <stddef.h>
#include "mlcore/matrix.h"

typedef struct mlc_lin_data {
    const mlc_matrix *X; /* all rows (borrowed) */
    const mlc_matrix *Y; /* n_total x k targets (borrowed), or NULL */
    const double *sw;    /* n_total weights, or NULL */
    const size_t *rows;  /* the rows used (a CV training part), or NULL = all */
    size_t n, p, k;      /* rows used, features, targets */
    int center;          /* fit_intercept */
    double w_scale;      /* multiplies every weight (n / sum(w) for the CD models) */
    double sw_sum;       /* sum of the used weights before w_scale (n without weights) */
    double *x_offset;    /* p: weighted column means, 0 without centring (owned) */
    double *y_offset;    /* k (owned) */
    int have_offsets;    /* x_offset / y_offset are final */
    int threads;         /* resolved thread budget */
    /* X's values are not checked yet (set by a fit that checked only X's
     * shape, over all rows): the first product checks them, for free when
     * it reads every value anyway (the Gram panels), else by a scan first.
     * A non-finite value gives mlc_check_X's status and message. */
    int unchecked;
} mlc_lin_data;

/* Set up a data view (no pass over X). rows/n_rows select a subset (NULL =
 * all X->rows). normalize_weights rescales the weights to sum to n
 * (ElasticNet's convention). Y may be NULL (then k = 0). Indices are trusted
 * (checked by the caller). */
int mlc_lin_data_init(mlc_lin_data *d, const mlc_matrix *X, const mlc_matrix *Y,
                      const double *sw, const size_t *rows, size_t n_rows, int center,
                      int normalize_weights, int n_threads);
void mlc_lin_data_clear(mlc_lin_data *d);
/* Compute the offsets if no product has yet (one pass over the rows). */
int mlc_lin_data_offsets(mlc_lin_data *d);
/* The offsets recomputed in NumPy's summation order, as scikit-learn's
 * np.average finds them: X (and several targets) row after row, one target
 * and the weights' total pairwise (internal/numpy_sum.h). The
 * rank-deficient least-squares path uses these: centring leaves X~ a
 * singular value at rounding level, and on which side of gelsd's cut-off it
 * falls, and so the minimum-norm answer, depends on the last bit of every
 * offset. */
int mlc_lin_data_offsets_numpy(mlc_lin_data *d);

/* sqrt of the (scaled) weight of used row i. */
double mlc_lin_row_scale(const mlc_lin_data *d, size_t i);

/* G (p x p, full symmetric, leading dimension p) = X~'X~; XtY (k x p: row t
 * is X~'y~_t, the layout of coefficients) ; yty (k) = column sums of Y~^2.
 * XtY and yty may be NULL. Finds the offsets if needed. */
int mlc_lin_gram(mlc_lin_data *d, double *G, double *XtY, double *yty);
/* XtY and yty only (no Gram); col_norm2 (optional, p values) gets the
 * diagonal of the Gram matrix, ||X~_j||^2. Finds the offsets if needed. */
int mlc_lin_xty(mlc_lin_data *d, double *XtY, double *yty, double *col_norm2);

/* The following need the offsets (and so the values checked, as
 * mlc_lin_data_offsets does). */
/* Selected columns of the Gram matrix: out row c (p values) = X~'X~_{cols[c]}
 * for c < m. Costs 2 n p m flops instead of the n p^2 of the whole matrix. */
int mlc_lin_gram_cols(const mlc_lin_data *d, const size_t *cols, size_t m, double *out);
/* out (k x p, row t = X~'(y~_t - X~ w_t)), W = coef (k x p): the
 * normal-equation residual used by iterative refinement. */
int mlc_lin_residual_corr(const mlc_lin_data *d, const double *coef, double *out);
/* The projections Z = X~ B' of the centred rows for B (q x p, row-major),
 * handed block by block to fn: block blk (of mlc_lin_project_nblocks), rows
 * i0..i0+m of Z (row-major, ld q, the callee may overwrite it) and
 * m * scratch_per_row doubles of the calling thread's own. The blocks depend
 * on the data's size only; fn runs on several threads at once (each block
 * once) and must only write what belongs to its block. Z is never stored. */
typedef void (*mlc_lin_block_fn)(size_t blk, size_t i0, size_t m, double *Z, size_t ld,
                                 double *scratch, void *ctx);
size_t mlc_lin_project_nblocks(const mlc_lin_data *d);
int mlc_lin_project_blocks(const mlc_lin_data *d, const double *B, size_t q,
                           mlc_lin_block_fn fn, void *ctx, size_t scratch_per_row);
/* Centred, weighted copies. Column-major: column j of X~ at Xc + j*ldx
 * (ldx >= n), target t of Y~ at Yc + t*ldy. Row-major: row i at Xc + i*p
 * and Yc + i*k. Either output may be NULL. */
void mlc_lin_copy_colmajor(const mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                           size_t ldy);
void mlc_lin_copy_rowmajor(const mlc_lin_data *d, double *Xc, double *Yc);
/* MLC_OK once X's values are known finite (scanned now if they were not):
 * every product on const data starts here. */
int mlc_lin_checked(const mlc_lin_data *d);

/* The column copies of X~ and Y~ (algorithms/linear/linear_copy.c builds on
 * the passes above; nothing here calls it). */

/* The column-major copies (Xc and Yc required) and, in the same pass, XtY,
 * yty and col_norm2 as mlc_lin_xty gives them. */
int mlc_lin_copy_colmajor_stats(const mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                                size_t ldy, double *XtY, double *yty, double *col_norm2);
/* The same through the blocked row passes (weighted rows or a subset of
 * rows: what mlc_lin_copy_colmajor_stats hands on). */
int mlc_lin_copy_colmajor_blocks(const mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                                 size_t ldy, double *XtY, double *yty, double *col_norm2);
/* mlc_lin_copy_colmajor_stats for unweighted data over all rows, in one
 * pass straight from X, the copy centred on mu (p values; d's y offsets
 * for Y); col_sum (p, optional) gets the column sums of the copy. */
int mlc_lin_copy_plain(const mlc_lin_data *d, const double *mu, double *Xc, size_t ldx,
                       double *Yc, size_t ldy, double *XtY, double *yty, double *col_norm2,
                       double *col_sum);
/* The same in the form for a level of mlc_cpu_level() (exposed for the
 * test): MLC_SIMD_512 (AVX-512 target, only where the CPU has it),
 * MLC_SIMD_256, MLC_SIMD_SCALAR (the plain reference, row by row). Every
 * form gives the same bits. */
int mlc_lin_copy_plain_form(int level, const mlc_lin_data *d, const double *mu, double *Xc,
                            size_t ldx, double *Yc, size_t ldy, double *XtY, double *yty,
                            double *col_norm2, double *col_sum);
/* mlc_lin_copy_colmajor_stats without a pass for the offsets first, when
 * they are not known yet (unweighted data over all rows): the copy is
 * centred on a provisional shift, holds X~ + 1 resid' (resid: p small
 * offsets, 0 in every other case), and d has its offsets and checked
 * values after it. XtY, yty and col_norm2 are those of X~. */
int mlc_lin_copy_colmajor_fused(mlc_lin_data *d, double *Xc, size_t ldx, double *Yc,
                                size_t ldy, double *XtY, double *yty, double *col_norm2,
                                double *resid);

/* The provisional shift of a pass made before the offsets are known:
 * out (p + k) = the mean of the first used rows of X | of Y. */
void mlc_lin_first_rows_mean(const mlc_lin_data *d, double *out);
/* Whether correcting a second moment m by c (m - c) loses more than one
 * bit (such a pass is then redone, or the moment summed again). */
int mlc_lin_cancels(double m, double c);

/* G (r x r, full symmetric) = A A' for A (r x c, row-major, leading
 * dimension lda), in fixed column blocks spread over `threads` threads: the
 * same bits for any thread count (threaded BLAS SYRK does not give that). */
void mlc_lin_syrk_nt(const double *A, size_t r, size_t c, size_t lda, double *G, int threads);

/* Small data in cache (the two-pass route): sx (p values) = the column
 * sums of row-major X (n x p, row stride ld) and, when sxy is given,
 * sxy (p) = X' yc, in one pass of 4-wide lanes
 * (algorithms/linear/linear_small.c). Returns nonzero when a sum is not
 * finite: a NaN or infinity in X, or an overflow. */
#define MLC_LIN_SMALL_SUMS_MAX_P 64
int mlc_lin_small_sums(const double *X, size_t n, size_t p, size_t ld, const double *yc,
                       double *sx, double *sxy);
/* yc (n) = y - nu for the n values y[i * stride], nu = sum(y) / W (0
 * without centring); sum and sumsq get the sums of yc and yc^2. */
void mlc_lin_small_center(const double *y, size_t n, size_t stride, double W, int center,
                          double *yc, double *nu, double *sum, double *sumsq);

/* Threads to use for work of about `flops` floating-point operations:
 * 1 for small work (no thread start-up for small inputs). */
int mlc_lin_threads_for(const mlc_lin_data *d, double flops);

#endif
