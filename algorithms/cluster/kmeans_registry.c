/* KMeans in the registry ("kmeans", a clusterer): parameters as text (and
 * the typed defaults, from the same table), labels / distances as outputs,
 * -inertia as score, model files. */
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "kmeans_impl.h"
#include "kmeans_model.h"
#include "internal/registry.h"
#include "mlcore/estimator.h"

/* The typed params plus n_init as "auto" or a count, and init as
 * scikit-learn's: a keyword or the starting centres (the typed init and
 * init_centers in one parameter). */
typedef struct km_reg_params {
    mlc_kmeans_params p;
    mlc_int_or_choice n_init;
    mlc_choice_or_matrix init;
} km_reg_params;

#define KM_ROW(type, field, def, lo, hi, choices, doc)                                   \
    {#field, type, def, lo, hi, 0, 0, choices, doc, offsetof(km_reg_params, p.field),      \
     MLC_FIELD_SIZE(km_reg_params, p.field)}

static const mlc_param_info params_table[] = {
    KM_ROW(MLC_PARAM_INT, n_clusters, "8", 1, 1e9, NULL, "number of clusters"),
    MLC_P_CHOICE_OR_MATRIX(km_reg_params, init, "k-means++", "k-means++|random",
                           "the initial centres: k-means++, random, or an (n_clusters, "
                           "n_features) array file to start from (one run; alias "
                           "init_centers)"),
    MLC_P_INT_OR_CHOICE(km_reg_params, n_init, "auto", 1, 1e9, "auto",
                        "runs with different seeds, the best kept ('auto': 1 for k-means++, "
                        "10 for random)"),
    KM_ROW(MLC_PARAM_INT, max_iter, "300", 1, 1e9, NULL, "maximum iterations of a run"),
    KM_ROW(MLC_PARAM_REAL, tol, "0.0001", 0, 1e300, NULL,
           "stop when the squared centre shift is <= tol * mean feature variance"),
    KM_ROW(MLC_PARAM_INT, random_state, "-1", -1, 2147483647.0, NULL,
           "seed of the initialisation (-1 = a fresh one)"),
    KM_ROW(MLC_PARAM_CHOICE, algorithm, "auto", 0, 0, "lloyd|elkan|hamerly|auto",
           "lloyd, or the same labels with elkan's / hamerly's bounds; auto: hamerly "
           "from 48 clusters on, else lloyd"),
    {"n_threads", MLC_PARAM_INT, "0", 0, MLC_THREADS_MAX, 0, 0, NULL,
     "threads for fit and predict (0 = all cores)", offsetof(km_reg_params, p.n_threads),
     MLC_FIELD_SIZE(km_reg_params, p.n_threads)},
};

/* The typed params of the registry's (n_init "auto" or a count). */
static mlc_kmeans_params typed_params(const km_reg_params *rp)
{
    mlc_kmeans_params p = rp->p;
    p.n_init = rp->n_init.choice >= 0 ? MLC_KMEANS_N_INIT_AUTO : rp->n_init.value;
    p.init = rp->init.choice;
    p.init_centers = rp->init.matrix;
    return p;
}

mlc_kmeans_params mlc_kmeans_params_default(void)
{
    km_reg_params rp = MLC_TABLE_DEFAULTS(km_reg_params, params_table);
    return typed_params(&rp);
}

static int km_fit(const void *params, const mlc_fit_data *d, mlc_progress_ctx *progress,
                  void **model)
{
    mlc_kmeans_params p = typed_params(params);
    return mlc_km_fit(&p, d->X, d->sample_weight, progress, (mlc_kmeans **)model);
}

/* The starting centres' shape as given (numpy's, when read from a file). */
static int km_check_arrays(const void *params, const mlc_array_shape *shapes,
                           const mlc_fit_data *d)
{
    const km_reg_params *rp = params;
    if (!rp->init.matrix)
        return MLC_OK;
    const mlc_array_shape *given = mlc_reg_shape_at(params_table, MLC_COUNT_OF(params_table),
                                                    shapes, offsetof(km_reg_params, init));
    return mlc_kmeans_check_init_shape(rp->init.matrix, given, (size_t)rp->p.n_clusters,
                                       d->X->cols, "init");
}

static void km_free(void *model)
{
    mlc_kmeans_free(model);
}

static size_t km_output_cols(const void *model, mlc_output kind)
{
    const mlc_kmeans *m = model;
    if (kind == MLC_OUT_PREDICT)
        return 1;
    if (kind == MLC_OUT_TRANSFORM)
        return m->k;
    return 0;
}

static int km_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    const mlc_kmeans *m = model;
    if (kind == MLC_OUT_TRANSFORM)
        return mlc_kmeans_transform(m, X, out);
    return mlc_kmeans_predict_column(m, X, out);
}

static int km_score(const void *model, const mlc_fit_data *d, double *score)
{
    return mlc_kmeans_score(model, d->X, d->sample_weight, score);
}

static size_t km_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_kmeans *m = model;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "cluster_centers_", MLC_DTYPE_F64, 2, m->k, m->p, 0, m->centers);
    mlc_attr_put(out, cap, &n, "labels_", MLC_DTYPE_I32, 1, m->n, 0, 0, m->labels);
    mlc_attr_put(out, cap, &n, "inertia_", MLC_DTYPE_F64, 0, 0, 0, 0, &m->inertia);
    mlc_attr_put(out, cap, &n, "n_iter_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->n_iter);
    mlc_attr_put(out, cap, &n, "converged_", MLC_DTYPE_I32, 0, 0, 0, 0, &m->converged);
    return n;
}

static int km_restore(const void *params, const mlc_attr_set *s, void **model)
{
    const km_reg_params *rp = params;
    size_t p = mlc_attrs_n_features(s);
    size_t cshape[2] = {0, p}, lshape[1] = {0};
    const double *centers, *labels;
    int st = mlc_attrs_get(s, "cluster_centers_", 2, cshape, &centers);
    if (st || (st = mlc_attrs_get(s, "labels_", 1, lshape, &labels)))
        return st;
    size_t k = cshape[0], n = lshape[0];
    if (k < 1 || k != (size_t)rp->p.n_clusters)
        return mlc_raise(MLC_EFORMAT, "cluster_centers_ has %zu rows but n_clusters is %ld", k,
                         rp->p.n_clusters);
    mlc_kmeans *m;
    mlc_kmeans_params tp = typed_params(rp);
    if ((st = mlc_kmeans_model_alloc(&tp, k, p, n, &m)))
        return st;
    memcpy(m->centers, centers, k * p * sizeof *centers);
    double converged = 0;
    int64_t n_iter = 0;
    if (!st)
        st = mlc_attrs_int32(s, "labels_", 1, lshape, m->labels, n);
    if (!st)
        st = mlc_attrs_scalar(s, "inertia_", &m->inertia);
    if (!st)
        st = mlc_attrs_count(s, "n_iter_", &n_iter);
    if (!st)
        st = mlc_attrs_scalar(s, "converged_", &converged);
    for (size_t i = 0; !st && i < n; i++)
        if (m->labels[i] < 0 || (size_t)m->labels[i] >= k)
            st = mlc_raise(MLC_EFORMAT, "labels_[%zu] = %d is not a cluster index below %zu", i,
                           m->labels[i], k);
    if (!st) {
        m->n_iter = n_iter;
        m->converged = converged != 0;
        mlc_kmeans_model_finish(m);
    }
    return mlc_reg_handover(st, m, km_free, model);
}

/* scikit-learn's ConvergenceWarning: "Number of distinct clusters (k') found
 * smaller than n_clusters (k). Possibly due to duplicate points in X." */
static void km_warnings(const void *params, const void *model, mlc_warnings *w)
{
    (void)params;
    const mlc_kmeans *m = model;
    if (m->n_distinct < m->k)
        mlc_warnings_add(w,
                         "kmeans found %zu distinct clusters, fewer than n_clusters = %zu, "
                         "probably because X has duplicate points: lower n_clusters "
                         "(scikit-learn's ConvergenceWarning)",
                         m->n_distinct, m->k);
}

/* init_centers: the array's name before init took arrays. */
static const mlc_param_alias km_aliases[] = {{"init_centers", "init"}};

const mlc_estimator_desc mlc_kmeans_desc = {
    .name = "kmeans",
    .summary = "k-means clustering (lloyd, elkan or hamerly; k-means++ or random starts)",
    .task = MLC_TASK_CLUSTERER,
    .params = params_table,
    .n_params = MLC_COUNT_OF(params_table),
    .params_size = sizeof(km_reg_params),
    .threads_offset = offsetof(km_reg_params, p.n_threads),
    .aliases = km_aliases,
    .n_aliases = MLC_COUNT_OF(km_aliases),
    .check_arrays = km_check_arrays,
    .fit = km_fit,
    .free = km_free,
    .output_cols = km_output_cols,
    .output = km_output,
    .score = km_score,
    .attributes = km_attributes,
    .restore = km_restore,
    .warnings = km_warnings,
};
