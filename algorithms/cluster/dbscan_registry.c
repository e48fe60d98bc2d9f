/* DBSCAN in the registry ("dbscan", a clusterer): parameters as text (and
 * the typed defaults, from the same table), the fitted labels and core
 * samples as attributes, model files. No outputs: scikit-learn's DBSCAN
 * has no predict (fit_predict gives labels_), and no score. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dbscan_impl.h"
#include "internal/error.h"
#include "internal/registry.h"

typedef mlc_dbscan_params db_params;

static const mlc_param_info params_table[] = {
    MLC_P_REAL_OPEN(db_params, eps, "0.5", 0, 1, 1e300, 0,
                    "neighbourhood radius: points at distance <= eps are neighbours"),
    MLC_P_INT(db_params, min_samples, "5", 1, 1e9,
              "neighbours (the point itself included; with sample_weight, their summed "
              "weight) that make a core point"),
    MLC_P_CHOICE(db_params, metric, "euclidean",
                 "euclidean|manhattan|chebyshev|minkowski|precomputed",
                 "distance; precomputed: X is the n x n matrix of distances"),
    MLC_P_REAL(db_params, p, "2", 1, 1e300, "minkowski's power (p = 2: euclidean)"),
    MLC_P_CHOICE(db_params, algorithm, "auto", "auto|kd_tree|ball_tree|brute",
                 "neighbour search (same labels with each); auto: a grid of cells for 1-3 "
                 "features, else as scikit-learn chooses"),
    MLC_P_INT(db_params, leaf_size, "30", 1, 1e9, "leaf size of the kd-tree or ball tree"),
    MLC_P_THREADS(db_params),
};

mlc_dbscan_params mlc_dbscan_params_default(void)
{
    return MLC_TABLE_DEFAULTS(db_params, params_table);
}

static int db_fit(const void *params, const mlc_fit_data *d, mlc_progress_ctx *progress,
                  void **model)
{
    return mlc_dbscan_fit_progress(params, d->X, d->sample_weight, progress,
                                   (mlc_dbscan **)model);
}

static void db_free(void *model)
{
    mlc_dbscan_free(model);
}

static size_t db_output_cols(const void *model, mlc_output kind)
{
    (void)model;
    (void)kind;
    return 0;
}

static int db_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    (void)model;
    (void)X;
    (void)out;
    return mlc_raise(MLC_EUNSUPPORTED, "dbscan has no %s (as scikit-learn's DBSCAN: its "
                                       "labels_ are the training rows' clusters)",
                     mlc_output_name(kind));
}

static size_t db_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_dbscan *m = model;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "labels_", MLC_DTYPE_I32, 1, m->n, 0, 0, m->labels);
    mlc_attr_put(out, cap, &n, "core_sample_indices_", MLC_DTYPE_I64, 1, m->n_core, 0, 0,
                 m->core);
    mlc_attr_put(out, cap, &n, "components_", MLC_DTYPE_F64, 2, m->n_core, m->p, 0,
                 m->components);
    return n;
}

/* The saved labels must be a DBSCAN labelling of n points with these core
 * points: core indices ascending below n, core points in clusters, labels
 * -1 or cluster numbers. */
static int check_restored(const mlc_dbscan *m)
{
    for (size_t c = 0; c < m->n_core; c++) {
        if (m->core[c] < 0 || (size_t)m->core[c] >= m->n || (c && m->core[c] <= m->core[c - 1]))
            return mlc_raise(MLC_EFORMAT, "core_sample_indices_[%zu] = %lld is not an "
                                          "ascending index below %zu",
                             c, (long long)m->core[c], m->n);
        if (m->labels[m->core[c]] < 0)
            return mlc_raise(MLC_EFORMAT, "core sample %lld has label %d", (long long)m->core[c],
                             m->labels[m->core[c]]);
    }
    for (size_t i = 0; i < m->n; i++)
        if (m->labels[i] < -1)
            return mlc_raise(MLC_EFORMAT, "labels_[%zu] = %d is below -1", i, m->labels[i]);
    return MLC_OK;
}

static int db_restore(const void *params, const mlc_attr_set *s, void **model)
{
    size_t p = mlc_attrs_n_features(s);
    size_t lshape[1] = {0}, cshape[1] = {0};
    const double *labels, *core, *comp;
    int st = mlc_attrs_get(s, "labels_", 1, lshape, &labels);
    if (!st)
        st = mlc_attrs_get(s, "core_sample_indices_", 1, cshape, &core);
    if (st)
        return st;
    size_t n = lshape[0], n_core = cshape[0];
    /* (0, p) is written as [] and reads back as one dimension. */
    size_t kshape[2] = {n_core, p}, none[1] = {0};
    st = n_core ? mlc_attrs_get(s, "components_", 2, kshape, &comp)
                : mlc_attrs_get(s, "components_", 1, none, &comp);
    if (!st && !n_core && none[0])
        st = mlc_raise(MLC_EFORMAT, "components_ has %zu values but there is no core sample",
                       none[0]);
    if (st)
        return st;
    if (n_core > n)
        return mlc_raise(MLC_EFORMAT, "%zu core samples among %zu labels", n_core, n);
    mlc_dbscan *m;
    if ((st = mlc_dbscan_model_alloc(params, n, p, n_core, &m)))
        return st;
    st = mlc_attrs_int32(s, "labels_", 1, lshape, m->labels, n);
    for (size_t c = 0; !st && c < n_core; c++) {
        if (!(core[c] >= 0 && core[c] < (double)n) || core[c] != floor(core[c]))
            st = mlc_raise(MLC_EFORMAT, "core_sample_indices_[%zu] = %g is not an index below "
                                        "%zu",
                           c, core[c], n);
        else
            m->core[c] = (int64_t)core[c];
    }
    if (!st) {
        memcpy(m->components, comp, n_core * p * sizeof *comp);
        st = check_restored(m);
    }
    int32_t top = -1;
    for (size_t i = 0; !st && i < n; i++)
        top = m->labels[i] > top ? m->labels[i] : top;
    m->n_clusters = (size_t)(top + 1);
    return mlc_reg_handover(st, m, db_free, model);
}

const mlc_estimator_desc mlc_dbscan_desc = {
    .name = "dbscan",
    .summary = "DBSCAN density clustering (scikit-learn's labels; O(n) memory; grid of cells "
               "for 1-3 features, else kd-tree / ball tree / brute force)",
    .task = MLC_TASK_CLUSTERER,
    MLC_DESC_PARAMS(params_table, db_params),
    .fit = db_fit,
    .free = db_free,
    .output_cols = db_output_cols,
    .output = db_output,
    .attributes = db_attributes,
    .restore = db_restore,
};
