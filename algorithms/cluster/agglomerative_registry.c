/* AgglomerativeClustering in the registry ("agglomerative_clustering", a
 * clusterer without predict, as scikit-learn's: labels_ of the training
 * rows): parameters as text (and the typed defaults, from the same table),
 * attributes, model files holding the whole tree. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "agglomerative_model.h"
#include "internal/error.h"
#include "internal/registry.h"

/* The typed params with n_clusters and distance_threshold as scikit-learn's
 * "int or None" and "float or None". */
typedef struct agg_reg_params {
    mlc_agglomerative_clustering_params p;
    mlc_int_or_choice n_clusters;
    mlc_real_or_choice distance_threshold;
    mlc_int_or_choice n_neighbors;
} agg_reg_params;

#define AGG_ROW(type, field, def, lo, hi, choices, doc)                                    \
    {#field, type, def, lo, hi, 0, 0, choices, doc, offsetof(agg_reg_params, p.field),      \
     MLC_FIELD_SIZE(agg_reg_params, p.field)}

static const mlc_param_info params_table[] = {
    MLC_P_INT_OR_CHOICE(agg_reg_params, n_clusters, "2", 1, 1e9, "none",
                        "clusters to cut the tree into (none: cut at distance_threshold)"),
    MLC_P_REAL_OR_CHOICE(agg_reg_params, distance_threshold, "none", 0, 1e300, "none",
                         "cut the tree at this height: merges below it are kept (then "
                         "n_clusters must be none)"),
    AGG_ROW(MLC_PARAM_CHOICE, linkage, "ward", 0, 0, "ward|complete|average|single",
            "ward (variance, euclidean only), complete (max), average (mean) or single "
            "(min) distance between clusters"),
    AGG_ROW(MLC_PARAM_CHOICE, metric, "euclidean", 0, 0,
            "euclidean|manhattan|cosine|precomputed",
            "distance between rows (precomputed: X is the n x n distance matrix)"),
    AGG_ROW(MLC_PARAM_CHOICE, compute_full_tree, "auto", 0, 0, "auto|true|false",
            "the whole tree is always built without connectivity; false refuses a "
            "distance_threshold"),
    AGG_ROW(MLC_PARAM_BOOL, compute_distances, "false", 0, 1, NULL,
            "keep distances_ (the merge heights) without a distance_threshold"),
    MLC_P_INT_OR_CHOICE(agg_reg_params, n_neighbors, "none", 1, 1e9, "none",
                        "connectivity: the k-nearest-neighbour graph of the rows "
                        "(kneighbors_graph(X, n_neighbors, include_self=False); with a precomputed "
                        "metric, the neighbours by those distances)"),
    AGG_ROW(MLC_PARAM_INT, n_threads, "0", 0, MLC_THREADS_MAX, NULL,
            "threads for fit (0 = all cores)"),
};

static mlc_agglomerative_clustering_params typed_params(const agg_reg_params *rp)
{
    mlc_agglomerative_clustering_params p = rp->p;
    p.n_clusters = rp->n_clusters.choice >= 0 ? MLC_AGGLOMERATIVE_N_CLUSTERS_NONE
                                              : rp->n_clusters.value;
    p.distance_threshold = rp->distance_threshold.choice >= 0
                               ? MLC_AGGLOMERATIVE_DISTANCE_THRESHOLD_NONE
                               : rp->distance_threshold.value;
    p.n_neighbors = rp->n_neighbors.choice >= 0 ? MLC_AGGLOMERATIVE_N_NEIGHBORS_NONE
                                                : rp->n_neighbors.value;
    return p;
}

mlc_agglomerative_clustering_params mlc_agglomerative_clustering_params_default(void)
{
    agg_reg_params rp = MLC_TABLE_DEFAULTS(agg_reg_params, params_table);
    return typed_params(&rp);
}

static int agg_fit(const void *params, const mlc_fit_data *d, mlc_progress_ctx *progress,
                   void **model)
{
    mlc_agglomerative_clustering_params p = typed_params(params);
    return mlc_agglo_fit(&p, d->X, progress, (mlc_agglomerative_clustering **)model);
}

static void agg_free(void *model)
{
    mlc_agglomerative_clustering_free(model);
}

/* No outputs for new rows: scikit-learn has fit_predict only. */
static size_t agg_output_cols(const void *model, mlc_output kind)
{
    (void)model;
    (void)kind;
    return 0;
}

static int agg_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    (void)model;
    (void)X;
    (void)out;
    return mlc_raise(MLC_EUNSUPPORTED, "agglomerative_clustering has no %s (labels_ are the "
                                       "training rows')",
                     mlc_output_name(kind));
}

static size_t agg_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_agglomerative_clustering *m = model;
    size_t n = 0, t = m->n_children;
    mlc_attr_put(out, cap, &n, "labels_", MLC_DTYPE_I32, 1, m->n, 0, 0, m->labels);
    mlc_attr_put(out, cap, &n, "n_clusters_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_clusters);
    mlc_attr_put(out, cap, &n, "n_leaves_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_leaves);
    mlc_attr_put(out, cap, &n, "n_connected_components_", MLC_DTYPE_I64, 0, 0, 0, 0,
                 &m->n_components);
    mlc_attr_put(out, cap, &n, "children_", MLC_DTYPE_I64, 2, t, 2, 0, m->children);
    if (m->distances)
        mlc_attr_put(out, cap, &n, "distances_", MLC_DTYPE_F64, 1, t, 0, 0, m->distances);
    /* scipy's linkage matrix, for scipy.cluster.hierarchy.dendrogram */
    mlc_attr_put(out, cap, &n, "linkage_matrix_", MLC_DTYPE_F64, 2, m->n - 1, 4, 0, m->Z);
    return n;
}

/* The saved tree must be one: children and Z's pairs name nodes below the
 * new one, Z's heights are finite and its sizes positive. */
static int check_tree(const mlc_agglomerative_clustering *m)
{
    size_t n = m->n;
    for (size_t t = 0; t + 1 < n; t++) {
        for (int c = 0; c < 2; c++) {
            int64_t ch = t < m->n_children ? m->children[2 * t + c] : 0;
            double z = m->Z[4 * t + c];
            if (ch < 0 || (size_t)ch >= n + t || !(z >= 0 && z < (double)(n + t)))
                return mlc_raise(MLC_EFORMAT, "merge %zu of the saved tree names node %lld / "
                                              "%g, not one below %zu",
                                 t, (long long)ch, z, n + t);
        }
        if (!isfinite(m->Z[4 * t + 2]) || !(m->Z[4 * t + 3] >= 2))
            return mlc_raise(MLC_EFORMAT, "merge %zu of the saved tree has height %g and size %g",
                             t, m->Z[4 * t + 2], m->Z[4 * t + 3]);
    }
    return MLC_OK;
}

static int agg_restore(const void *params, const mlc_attr_set *s, void **model)
{
    mlc_agglomerative_clustering_params p = typed_params(params);
    size_t lshape[1] = {0};
    const double *labels;
    int st = mlc_attrs_get(s, "labels_", 1, lshape, &labels);
    if (st)
        return st;
    size_t n = lshape[0];
    if (n < 2)
        return mlc_raise(MLC_EFORMAT, "labels_ has %zu entries; a tree needs at least 2", n);
    mlc_agglomerative_clustering *m = NULL;
    if ((st = mlc_agglo_model_alloc(&p, n, mlc_agglo_keeps_distances(&p), &m)))
        return st;
    size_t cshape[2] = {0, 2};
    const double *children;
    int64_t k = 0, leaves = 0;
    st = mlc_attrs_get(s, "children_", 2, cshape, &children);
    if (!st && (cshape[0] < 1 || cshape[0] > n - 1))
        st = mlc_raise(MLC_EFORMAT, "children_ has %zu rows for %zu leaves", cshape[0], n);
    if (!st)
        m->n_children = cshape[0];
    mlc_attr_want want[2] = {
        {"linkage_matrix_", 2, {n - 1, 4, 0}, m->Z},
        {"distances_", 1, {m->n_children, 0, 0}, m->distances},
    };
    if (!st)
        st = mlc_attrs_read(s, want, m->distances ? 2 : 1);
    if (!st)
        st = mlc_attrs_int32(s, "labels_", 1, lshape, m->labels, n);
    if (!st)
        st = mlc_attrs_count(s, "n_clusters_", &k);
    if (!st)
        st = mlc_attrs_count(s, "n_leaves_", &leaves);
    if (!st && ((size_t)leaves != n || k < 1 || (size_t)k > n))
        st = mlc_raise(MLC_EFORMAT, "n_leaves_ = %lld and n_clusters_ = %lld do not fit %zu "
                                    "labels",
                       (long long)leaves, (long long)k, n);
    for (size_t t = 0; !st && t < 2 * m->n_children; t++) {
        if (children[t] != floor(children[t]) || fabs(children[t]) > 9e15)
            st = mlc_raise(MLC_EFORMAT, "children_ holds %g, not a node id", children[t]);
        else
            m->children[t] = (int64_t)children[t];
    }
    if (!st)
        st = check_tree(m);
    for (size_t i = 0; !st && i < n; i++)
        if (m->labels[i] < 0 || m->labels[i] >= k)
            st = mlc_raise(MLC_EFORMAT, "labels_[%zu] = %d is not a cluster below %lld", i,
                           m->labels[i], (long long)k);
    if (!st)
        m->n_clusters = k;
    return mlc_reg_handover(st, m, agg_free, model);
}

const mlc_estimator_desc mlc_agglomerative_clustering_desc = {
    .name = "agglomerative_clustering",
    .summary = "hierarchical clustering (ward, complete, average or single linkage)",
    .task = MLC_TASK_CLUSTERER,
    .params = params_table,
    .n_params = MLC_COUNT_OF(params_table),
    .params_size = sizeof(agg_reg_params),
    .threads_offset = offsetof(agg_reg_params, p.n_threads),
    .refuses_sample_weight = 1,
    .fit = agg_fit,
    .free = agg_free,
    .output_cols = agg_output_cols,
    .output = agg_output,
    .attributes = agg_attributes,
    .restore = agg_restore,
};
