/* Building the neighbour index: parameters, the algorithm scikit-learn
 * would choose, and the index over the caller's rows (docs/PARITY.md §18). */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "mlcore/linalg.h"
#include "nn_impl.h"

mlc_neighbors_params mlc_neighbors_params_default(void)
{
    mlc_neighbors_params p = {MLC_NN_AUTO, MLC_METRIC_EUCLIDEAN, 2.0, 30, 5, 0};
    return p;
}

static const char *const algorithm_names[] = {"auto", "kd_tree", "ball_tree", "brute"};

int nn_check_params(const mlc_neighbors_params *p)
{
    if (!p)
        return mlc_raise(MLC_EINVAL, "neighbors: params must not be NULL");
    if ((unsigned)p->algorithm > MLC_NN_BRUTE)
        return mlc_raise(MLC_EINVAL, "neighbors: unknown algorithm %d", (int)p->algorithm);
    if ((unsigned)p->metric > MLC_METRIC_PRECOMPUTED)
        return mlc_raise(MLC_EINVAL, "neighbors: unknown metric %d", (int)p->metric);
    if (p->metric == MLC_METRIC_MINKOWSKI && !(p->p >= 1.0))
        return mlc_raise(MLC_EINVAL, "neighbors: p must be >= 1 for the minkowski metric, got %g",
                         p->p);
    if (p->leaf_size < 1)
        return mlc_raise(MLC_EINVAL, "neighbors: leaf_size must be >= 1, got %zu", p->leaf_size);
    if (mlc_check_threads(p->n_threads, "neighbors"))
        return MLC_EINVAL;
    if (p->metric == MLC_METRIC_PRECOMPUTED &&
        (p->algorithm == MLC_NN_KD_TREE || p->algorithm == MLC_NN_BALL_TREE))
        return mlc_raise(MLC_EINVAL,
                         "neighbors: metric 'precomputed' is valid only for algorithm 'brute' "
                         "or 'auto', not '%s'",
                         algorithm_names[p->algorithm]);
    return MLC_OK;
}

/* scikit-learn 1.2's NearestNeighbors._fit: brute for precomputed
 * distances, more than 15 features, or n_neighbors >= n_samples // 2;
 * otherwise kd_tree, which takes all four metrics here. */
static mlc_nn_algorithm resolve_algorithm(const mlc_neighbors_params *p, size_t n, size_t d)
{
    if (p->algorithm != MLC_NN_AUTO)
        return p->algorithm;
    if (p->metric == MLC_METRIC_PRECOMPUTED || d > 15 ||
        (p->n_neighbors > 0 && p->n_neighbors >= n / 2))
        return MLC_NN_BRUTE;
    return MLC_NN_KD_TREE;
}

/* scikit-learn's effective_metric_: minkowski with p = 1, 2 or inf is
 * manhattan, euclidean or chebyshev. */
static mlc_nn_metric effective_metric(mlc_nn_metric m, double p)
{
    if (m != MLC_METRIC_MINKOWSKI)
        return m;
    if (p == 1.0)
        return MLC_METRIC_MANHATTAN;
    if (p == 2.0)
        return MLC_METRIC_EUCLIDEAN;
    if (isinf(p))
        return MLC_METRIC_CHEBYSHEV;
    return m;
}

/* A precomputed distance matrix: square, every entry >= 0. */
static int check_precomputed(const mlc_matrix *X, const char *what, size_t n_train)
{
    if (X->cols != n_train)
        return mlc_raise(MLC_EINVAL,
                         "neighbors: with metric 'precomputed' %s must have one column per "
                         "training point (%zu), got %zu x %zu",
                         what, n_train, X->rows, X->cols);
    for (size_t i = 0; i < X->rows; i++)
        for (size_t j = 0; j < X->cols; j++)
            if (MLC_AT(X, i, j) < 0)
                return mlc_raise(MLC_EINVAL,
                                 "neighbors: a precomputed distance is negative (%g at row %zu, "
                                 "column %zu)",
                                 MLC_AT(X, i, j), i, j);
    return MLC_OK;
}

int nn_check_queries(const mlc_neighbors *nn, const mlc_matrix *Q)
{
    int st;
    if (!nn)
        return mlc_raise(MLC_EINVAL, "neighbors: the index must not be NULL");
    if (nn->metric == MLC_METRIC_PRECOMPUTED) {
        if ((st = mlc_check_X_mt(Q, "neighbors: the query distances", nn->params.n_threads)))
            return st;
        return check_precomputed(Q, "the query distances", nn->n);
    }
    if ((st = mlc_check_X_mt(Q, "neighbors: the queries", nn->params.n_threads)))
        return st;
    if (Q->cols != nn->d)
        return mlc_raise(MLC_EINVAL,
                         "neighbors: the queries have %zu features, the index was built on %zu",
                         Q->cols, nn->d);
    return MLC_OK;
}

static int build(const mlc_neighbors_params *params, const mlc_matrix *X, mlc_neighbors **out)
{
    int st;
    if ((st = mlc_check_ptr(out, "neighbors: out")))
        return st;
    *out = NULL;
    if ((st = nn_check_params(params)))
        return st;
    if ((st = mlc_check_X_mt(X, "neighbors: X", params->n_threads)))
        return st;
    if (params->metric == MLC_METRIC_PRECOMPUTED) {
        if (X->rows != X->cols)
            return mlc_raise(MLC_EINVAL,
                             "neighbors: with metric 'precomputed' X must be a square matrix of "
                             "distances, got %zu x %zu",
                             X->rows, X->cols);
        if ((st = check_precomputed(X, "X", X->rows)))
            return st;
    }
    mlc_neighbors *nn = calloc(1, sizeof *nn);
    if (!nn)
        return mlc_raise_nomem("neighbors index");
    nn->params = *params;
    nn->metric = effective_metric(params->metric, params->p);
    nn->p = params->p;
    nn->X = X->data;
    nn->n = X->rows;
    nn->d = X->cols;
    nn->ldx = X->stride;
    nn->algorithm = resolve_algorithm(params, nn->n, nn->d);
    if (nn->algorithm == MLC_NN_BRUTE) {
        if (nn->metric == MLC_METRIC_EUCLIDEAN) {
            nn->sq_norms = malloc(nn->n * sizeof *nn->sq_norms);
            if (!nn->sq_norms)
                st = mlc_raise_nomem("neighbors: row norms");
            else
                mlc_row_sq_norms(X, nn->sq_norms);
        }
    } else {
        st = nn_tree_build(nn);
    }
    if (st) {
        mlc_neighbors_free(nn);
        return st;
    }
    *out = nn;
    return MLC_OK;
}

int mlc_neighbors_build(const mlc_neighbors_params *params, const mlc_matrix *X,
                        mlc_neighbors **out)
{
    return build(params, X, out);
}

void mlc_neighbors_free(mlc_neighbors *nn)
{
    if (!nn)
        return;
    free(nn->sq_norms);
    free(nn->idx);
    free(nn->nodes);
    free(nn->bounds);
    free(nn->radius);
    free(nn);
}

mlc_nn_algorithm mlc_neighbors_algorithm(const mlc_neighbors *nn)
{
    return nn ? nn->algorithm : MLC_NN_AUTO;
}

size_t mlc_neighbors_n_samples(const mlc_neighbors *nn)
{
    return nn ? nn->n : 0;
}
