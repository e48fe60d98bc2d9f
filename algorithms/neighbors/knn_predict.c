/* Predictions of the k-nearest-neighbour estimators, in scikit-learn
 * 1.2.1's arithmetic (sklearn/neighbors/_classification.py, _regression.py,
 * utils/extmath.weighted_mode; docs/PARITY.md §18). Queries go in blocks
 * of rows, so the neighbour lists of a block are all that is kept. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/numpy_sum.h"
#include "internal/validate.h"
#include "knn_model.h"

#define KNN_BLOCK 4096

/* What one block of query rows writes. */
typedef int (*knn_block_fn)(const knn_model *m, const size_t *ind, const double *w, size_t nq,
                            size_t first, double *scratch, void *out);

/* The model present, X of its width (the training points' count for
 * precomputed distances). The index's queries scan the values, one block
 * at a time (the one pass over X). */
static int check_X(const knn_model *m, const mlc_matrix *X, const char *name)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "%s: the model must not be NULL", name);
    size_t want_cols = m->params.metric == MLC_METRIC_PRECOMPUTED ? m->n : m->d;
    return mlc_check_X_columns(X, want_cols, name);
}

/* Run fn over blocks of X's rows (checked) with their neighbours. */
static int knn_blocks(const knn_model *m, const mlc_matrix *X, size_t scratch_n, knn_block_fn fn,
                      void *out)
{
    int st = MLC_OK;
    size_t k = (size_t)m->params.n_neighbors, rows = X->rows < KNN_BLOCK ? X->rows : KNN_BLOCK;
    size_t *ind = malloc(rows * k * sizeof *ind);
    double *w = malloc(rows * k * sizeof *w);
    double *scratch = malloc((scratch_n ? scratch_n : 1) * sizeof *scratch);
    if (!ind || !w || !scratch)
        st = mlc_raise_nomem("neighbour lists");
    for (size_t r0 = 0; !st && r0 < X->rows; r0 += KNN_BLOCK) {
        mlc_matrix Q = mlc_matrix_rows(X, r0, KNN_BLOCK);
        if (!(st = knn_neighbours(m, &Q, ind, w)))
            st = fn(m, ind, w, Q.rows, r0, scratch, out);
    }
    free(ind);
    free(w);
    free(scratch);
    return st;
}

/* ------------------------------------------------------------ classifier */

/* predict: weighted_mode / stats.mode. A class's score is np.sum over the
 * k neighbours of (w where the neighbour is of that class, else 0), a
 * pairwise sum; classes are tried in ascending order and a later one wins
 * only with a strictly larger score, so the smallest label takes a tie.
 * Only the classes among the neighbours can score above 0. scratch: 2k. */
static int vote_block(const knn_model *m, const size_t *ind, const double *w, size_t nq,
                      size_t first, double *scratch, void *out)
{
    size_t k = (size_t)m->params.n_neighbors;
    double *pred = out, *terms = scratch, *present = scratch + k;
    for (size_t i = 0; i < nq; i++) {
        const size_t *ri = ind + i * k;
        const double *rw = w + i * k;
        /* The distinct classes of the row, ascending (insertion). */
        size_t n_present = 0;
        for (size_t j = 0; j < k; j++) {
            double c = (double)m->codes[ri[j]];
            size_t at = 0;
            while (at < n_present && present[at] < c)
                at++;
            if (at < n_present && present[at] == c)
                continue;
            memmove(present + at + 1, present + at, (n_present - at) * sizeof *present);
            present[at] = c;
            n_present++;
        }
        double best = present[0], best_score = 0.0;
        for (size_t q = 0; q < n_present; q++) {
            for (size_t j = 0; j < k; j++)
                terms[j] = (double)m->codes[ri[j]] == present[q] ? rw[j] : 0.0;
            double score = mlc_sum_pairwise(terms, k);
            if (score > best_score) {
                best_score = score;
                best = present[q];
            }
        }
        pred[first + i] = m->classes[(size_t)best];
    }
    return MLC_OK;
}

int mlc_k_neighbors_classifier_predict(const mlc_k_neighbors_classifier *c, const mlc_matrix *X,
                                       double *out)
{
    int st;
    if ((st = check_X(c ? &c->m : NULL, X, "KNeighborsClassifier")) ||
        (st = mlc_check_ptr(out, "out")))
        return st;
    return knn_blocks(&c->m, X, 2 * (size_t)c->m.params.n_neighbors, vote_block, out);
}

/* predict_proba: the weights added class by class in neighbour order, each
 * row divided by its (pairwise) sum, a zero sum taken as 1. */
static int proba_block(const knn_model *m, const size_t *ind, const double *w, size_t nq,
                       size_t first, double *scratch, void *out)
{
    (void)scratch;
    size_t k = (size_t)m->params.n_neighbors, K = m->n_classes;
    mlc_matrix *P = out;
    for (size_t i = 0; i < nq; i++) {
        double *row = mlc_matrix_row(P, first + i);
        memset(row, 0, K * sizeof *row);
        for (size_t j = 0; j < k; j++)
            row[m->codes[ind[i * k + j]]] += w[i * k + j];
        double norm = mlc_sum_pairwise(row, K);
        if (norm == 0.0)
            norm = 1.0;
        for (size_t c = 0; c < K; c++)
            row[c] /= norm;
    }
    return MLC_OK;
}

int mlc_k_neighbors_classifier_predict_proba(const mlc_k_neighbors_classifier *c,
                                             const mlc_matrix *X, mlc_matrix *out)
{
    int st;
    if ((st = check_X(c ? &c->m : NULL, X, "KNeighborsClassifier")) ||
        (st = mlc_check_out(out, X->rows, c->m.n_classes, "predict_proba")))
        return st;
    return knn_blocks(&c->m, X, 0, proba_block, out);
}

/* ------------------------------------------------------------ regressor */

/* Uniform: np.mean over the neighbours (a pairwise sum for one target; for
 * several, numpy adds the neighbours' rows in order), divided by k.
 * Distance: np.sum(y_j * w) / np.sum(w), both pairwise. */
static int regress_block(const knn_model *m, const size_t *ind, const double *w, size_t nq,
                         size_t first, double *scratch, void *out)
{
    size_t k = (size_t)m->params.n_neighbors, t = m->n_targets;
    mlc_matrix *Y = out;
    int uniform = m->params.weights == MLC_KNN_UNIFORM;
    for (size_t i = 0; i < nq; i++) {
        const size_t *ri = ind + i * k;
        const double *rw = w + i * k;
        double *row = mlc_matrix_row(Y, first + i);
        double denom = uniform ? (double)k : mlc_sum_pairwise(rw, k);
        if (uniform && t > 1) {
            for (size_t c = 0; c < t; c++)
                row[c] = 0.0;
            for (size_t j = 0; j < k; j++)
                for (size_t c = 0; c < t; c++)
                    row[c] += m->y[ri[j] * t + c];
            for (size_t c = 0; c < t; c++)
                row[c] /= denom;
            continue;
        }
        for (size_t c = 0; c < t; c++) {
            for (size_t j = 0; j < k; j++)
                scratch[j] = uniform ? m->y[ri[j] * t + c] : m->y[ri[j] * t + c] * rw[j];
            row[c] = mlc_sum_pairwise(scratch, k) / denom;
        }
    }
    return MLC_OK;
}

int mlc_k_neighbors_regressor_predict(const mlc_k_neighbors_regressor *r, const mlc_matrix *X,
                                      mlc_matrix *out)
{
    int st;
    if ((st = check_X(r ? &r->m : NULL, X, "KNeighborsRegressor")) ||
        (st = mlc_check_out(out, X->rows, r->m.n_targets, "predict")))
        return st;
    return knn_blocks(&r->m, X, (size_t)r->m.params.n_neighbors, regress_block, out);
}
