/* The solver's Q matrix, a row at a time (never the whole matrix).
 *
 * Classification and one-class (l = n variables): Q_ij = y_i y_j K(x_i, x_j)
 * over positions that shrinking permutes; the rows are swapped in a private
 * copy of X, so a row segment is one GEMV over contiguous rows, and cached
 * rows keep the prefix that is valid for the current order.
 *
 * Regression (l = 2n variables, alpha and alpha*): variable t stands for
 * point t mod n with sign +1 (t < n) or -1; Q_st = s_s s_t K(x_s, x_t).
 * Kernel rows are cached per point over all n points and expanded into one
 * of two buffers, so the two rows of an update stay valid together. */
#ifndef MLC_SVM_Q_H
#define MLC_SVM_Q_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/matrix.h"
#include "svm_kernel.h"

typedef struct svm_q svm_q;

/* X: the training rows (or, precomputed, the square kernel matrix); rows:
 * the n rows of X the problem uses (NULL: all of them; classification
 * only); y: n signs (+1/-1) for classification, NULL for one-class (all
 * +1); regression: l = 2n variables. */
typedef struct svm_q_spec {
    const svm_kernel *kernel;
    const mlc_matrix *X;
    const size_t *rows;
    size_t n_rows;
    const int8_t *y;
    int regression;
    double cache_mb;
    int threads;
    const double *row_sq; /* rbf: squared norms by row of X, as svm_row_norms sums them
                             (NULL: computed here); many problems on one X share them */
} svm_q_spec;

int svm_q_new(const svm_q_spec *spec, svm_q **out);
void svm_q_free(svm_q *q);
/* Number of variables l. */
size_t svm_q_size(const svm_q *q);
/* Row i over positions [0, len): valid until the second next call. */
int svm_q_row(svm_q *q, size_t i, size_t len, const float **row);
/* Q_ii by position. */
const double *svm_q_diag(const svm_q *q);
/* Positions i and j exchange places. */
void svm_q_swap(svm_q *q, size_t i, size_t j);
/* The threads a solve's team is worth (1: rows too short to split, or one
 * thread allowed); the team a solve runs on (NULL: none), on which long
 * rows are computed in parts. */
int svm_q_team_threads(const svm_q *q);
struct mlc_step_team;
void svm_q_set_team(svm_q *q, struct mlc_step_team *team);

/* The regression row's expansion, buf[j] = (si signf[j]) data[point_j], one
 * form (an mlc_cpu_level() value): point_j = point32[j] in the vector forms
 * (when point32 is not NULL), index[j] in the reference; tests run each form
 * against level 0. */
void svm_expand_form(int level, const float *signf, const uint32_t *point32, const size_t *index,
                     float si, const float *data, size_t len, float *buf);

#endif
