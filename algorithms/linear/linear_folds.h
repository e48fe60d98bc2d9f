/* Second moments of the parts of a row partition (K-fold cross-validation),
 * pooled into the statistics of "every row outside part f" for each f, so
 * that K closed-form fits cost one pass of products over X instead of K - 1.
 *
 * Each part's moments are centred on the part's own mean (mlc_lin_gram), and
 * parts are pooled with the pairwise update of Chan, Golub and LeVeque:
 *     M = sum_g [M_g + n_g (m_g - m)(m_g - m)'],  m = sum_g n_g m_g / N,
 * a sum of positive semidefinite terms, so pooling loses no precision (no
 * "total minus part" subtraction). Unweighted rows only. */
#ifndef MLC_INTERNAL_LINEAR_FOLDS_H
#define MLC_INTERNAL_LINEAR_FOLDS_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/matrix.h"

/* Pooling costs n_parts^2 (p + k) p: past this many parts (LeaveOneOut)
 * separate fits are cheaper. */
#define MLC_LIN_FOLDS_MAX 32

typedef struct mlc_lin_folds {
    size_t n_parts, p, k;
    int center;
    double *count; /* n_parts rows per part */
    double *mean;  /* n_parts x (p + k): means of [X | Y] per part (0 without centring) */
    double *G;     /* n_parts x p x p: centred X'X per part */
    double *C;     /* n_parts x k x p: centred X'Y per part (row t: target t) */
} mlc_lin_folds;

/* The moments of every part; part[i] < n_parts is row i's part (every part
 * non-empty). X and Y are trusted (checked by the caller). */
int mlc_lin_folds_init(mlc_lin_folds *f, const mlc_matrix *X, const mlc_matrix *Y,
                       const uint32_t *part, size_t n_parts, int center, int n_threads);
void mlc_lin_folds_clear(mlc_lin_folds *f);

/* The pooled statistics of the rows outside part `out`: G (p x p), XtY
 * (k x p), the offsets (p and k values) and the row count. */
void mlc_lin_folds_train(const mlc_lin_folds *f, size_t out, double *G, double *XtY,
                         double *x_offset, double *y_offset, double *n_rows);

#endif
