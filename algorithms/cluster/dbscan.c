/* DBSCAN (Ester, Kriegel, Sander & Xu 1996) with scikit-learn 1.2's labels
 * (docs/PARITY.md §8), in O(n) memory: the checks, the choice between the
 * grid and the index, the numbering of clusters, the model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dbscan_impl.h"
#include "internal/error.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"

static int check_params(const mlc_dbscan_params *p)
{
    if (!(p->eps > 0) || isinf(p->eps))
        return mlc_raise(MLC_EINVAL, "eps must be finite and > 0, got %g", p->eps);
    if (p->min_samples < 1)
        return mlc_raise(MLC_EINVAL, "min_samples must be >= 1, got %ld", p->min_samples);
    if (p->leaf_size < 1)
        return mlc_raise(MLC_EINVAL, "leaf_size must be >= 1, got %ld", p->leaf_size);
    if (!(p->p >= 1))
        return mlc_raise(MLC_EINVAL, "p must be >= 1, got %g", p->p);
    if ((int)p->metric < 0 || (int)p->metric > MLC_METRIC_PRECOMPUTED)
        return mlc_raise(MLC_EINVAL, "unknown metric %d (euclidean, manhattan, chebyshev, "
                                     "minkowski or precomputed)",
                         (int)p->metric);
    if ((int)p->algorithm < 0 || (int)p->algorithm > MLC_NN_BRUTE)
        return mlc_raise(MLC_EINVAL, "unknown algorithm %d (auto, kd_tree, ball_tree or brute)",
                         (int)p->algorithm);
    if (mlc_check_threads(p->n_threads, NULL))
        return MLC_EINVAL;
    return MLC_OK;
}

static int check_input(const mlc_dbscan_params *p, const mlc_matrix *X, const double *sw)
{
    int st = check_params(p);
    if (!st)
        st = mlc_check_X_mt(X, "X", p->n_threads);
    if (!st && X->rows > INT32_MAX)
        st = mlc_raise(MLC_ERANGE, "DBSCAN takes at most %d rows, got %zu", INT32_MAX, X->rows);
    if (!st && sw)
        st = mlc_check_y(sw, X->rows, "sample_weight");
    return st;
}

int mlc_dbscan_model_alloc(const mlc_dbscan_params *params, size_t n, size_t p, size_t n_core,
                           mlc_dbscan **out)
{
    mlc_dbscan *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("DBSCAN model");
    m->params = *params;
    m->n = n;
    m->p = p;
    m->n_core = n_core;
    m->labels = malloc((n ? n : 1) * sizeof *m->labels);
    m->core = malloc((n_core ? n_core : 1) * sizeof *m->core);
    m->components = malloc((n_core * p > 0 ? n_core * p : 1) * sizeof *m->components);
    if (!m->labels || !m->core || !m->components) {
        mlc_dbscan_free(m);
        return mlc_raise_nomem("DBSCAN model");
    }
    *out = m;
    return MLC_OK;
}

/* Number the clusters by their roots (lowest-index core points), in index
 * order, and label every point; the model's arrays from the problem's. */
static int finish(const dbscan_problem *pb, mlc_dbscan **out)
{
    const mlc_matrix *X = pb->X;
    size_t n = X->rows, n_core = 0;
    for (size_t i = 0; i < n; i++)
        n_core += pb->core[i];
    mlc_dbscan *m;
    int st = mlc_dbscan_model_alloc(pb->params, n, X->cols, n_core, &m);
    if (st)
        return st;
    int32_t next = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pb->core[i])
            continue;
        int32_t r = dbscan_find(pb->parent, (int32_t)i);
        m->labels[i] = r == (int32_t)i ? next++ : m->labels[r];
        m->core[c] = (int64_t)i;
        memcpy(m->components + c * X->cols, mlc_matrix_row(X, i), X->cols * sizeof(double));
        c++;
    }
    for (size_t i = 0; i < n; i++)
        if (!pb->core[i])
            m->labels[i] = pb->border[i] >= 0 ? m->labels[pb->border[i]] : -1;
    m->n_clusters = (size_t)next;
    *out = m;
    return MLC_OK;
}

static int dbscan_fit(const mlc_dbscan_params *p, const mlc_matrix *X, const double *sw,
                      mlc_progress_ctx *progress, mlc_dbscan **out)
{
    int st = check_input(p, X, sw);
    if (st)
        return st;
    size_t n = X->rows;
    dbscan_problem pb = {.X = X, .weights = sw, .eps = p->eps,
                         .min_samples = (double)p->min_samples, .params = p,
                         .progress = progress};
    for (size_t i = 0; sw && i < n; i++)
        pb.negative_weights |= sw[i] < 0;
    pb.core = calloc(n, sizeof *pb.core);
    pb.parent = malloc(n * sizeof *pb.parent);
    pb.border = malloc(n * sizeof *pb.border);
    if (!pb.core || !pb.parent || !pb.border) {
        st = mlc_raise_nomem("DBSCAN");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        pb.parent[i] = (int32_t)i;
        pb.border[i] = -1;
    }
    /* Few features: the grid (it declines data spanning too many cells). */
    st = MLC_EUNSUPPORTED;
    if (p->algorithm == MLC_NN_AUTO && p->metric != MLC_METRIC_PRECOMPUTED && X->cols <= 3)
        st = mlc_dbscan_grid(&pb);
    if (st == MLC_EUNSUPPORTED)
        st = mlc_dbscan_index(&pb);
    if (!st)
        st = finish(&pb, out);
done:
    free(pb.core);
    free(pb.parent);
    free(pb.border);
    return st;
}

int mlc_dbscan_fit_progress(const mlc_dbscan_params *p, const mlc_matrix *X,
                            const double *sample_weight, mlc_progress_ctx *progress,
                            mlc_dbscan **out)
{
    if (!p || !X || !out)
        return mlc_raise(MLC_EINVAL, "params, X and out must not be NULL");
    *out = NULL;
    return dbscan_fit(p, X, sample_weight, progress, out);
}

int mlc_dbscan_fit(const mlc_dbscan_params *p, const mlc_matrix *X, const double *sample_weight,
                   mlc_dbscan **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope,
                                  mlc_dbscan_fit_progress(p, X, sample_weight, NULL, out));
}

int mlc_dbscan_fit_predict(const mlc_dbscan_params *p, const mlc_matrix *X,
                           const double *sample_weight, int32_t *labels, mlc_dbscan **out)
{
    if (out)
        *out = NULL;
    if (!labels)
        return mlc_raise(MLC_EINVAL, "labels must not be NULL");
    mlc_dbscan *m = NULL;
    int st = mlc_dbscan_fit(p, X, sample_weight, &m);
    if (st)
        return st;
    memcpy(labels, m->labels, m->n * sizeof *labels);
    if (out)
        *out = m;
    else
        mlc_dbscan_free(m);
    return MLC_OK;
}

size_t mlc_dbscan_n_samples(const mlc_dbscan *m)
{
    return m ? m->n : 0;
}

size_t mlc_dbscan_n_features(const mlc_dbscan *m)
{
    return m ? m->p : 0;
}

const int32_t *mlc_dbscan_labels(const mlc_dbscan *m)
{
    return m ? m->labels : NULL;
}

size_t mlc_dbscan_n_clusters(const mlc_dbscan *m)
{
    return m ? m->n_clusters : 0;
}

size_t mlc_dbscan_n_core_samples(const mlc_dbscan *m)
{
    return m ? m->n_core : 0;
}

const int64_t *mlc_dbscan_core_sample_indices(const mlc_dbscan *m)
{
    return m && m->n_core ? m->core : NULL;
}

const double *mlc_dbscan_components(const mlc_dbscan *m)
{
    return m && m->n_core ? m->components : NULL;
}

void mlc_dbscan_free(mlc_dbscan *m)
{
    if (!m)
        return;
    free(m->labels);
    free(m->core);
    free(m->components);
    free(m);
}
