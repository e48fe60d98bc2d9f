/* MinMaxScaler: x * scale_ + min_, mapping [data_min_, data_max_] onto
 * feature_range (constant features get scale as if their range were 1). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/registry.h"
#include "internal/validate.h"
#include "mlcore/preprocessing.h"
#include "mlcore/threads.h"

struct mlc_min_max_scaler {
    mlc_min_max_scaler_params params;
    size_t p;
    double *data_min, *data_max, *data_range, *scale, *min;
};

static const mlc_param_info params_table[] = {
    MLC_P_REAL(mlc_min_max_scaler_params, feature_range_min, "0", -INFINITY, INFINITY,
               "lower end of the target range (feature_range[0])"),
    MLC_P_REAL(mlc_min_max_scaler_params, feature_range_max, "1", -INFINITY, INFINITY,
               "upper end of the target range (feature_range[1])"),
    MLC_P_BOOL(mlc_min_max_scaler_params, clip, "false",
               "clip transformed values of new data to feature_range"),
    MLC_P_THREADS(mlc_min_max_scaler_params),
};

mlc_min_max_scaler_params mlc_min_max_scaler_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_min_max_scaler_params, params_table);
}

void mlc_min_max_scaler_free(mlc_min_max_scaler *m)
{
    if (!m)
        return;
    free(m->data_min);
    free(m);
}

static int mm_alloc(const mlc_min_max_scaler_params *p, size_t cols, mlc_min_max_scaler **out)
{
    mlc_min_max_scaler *m = calloc(1, sizeof *m);
    double *buf = calloc(5 * cols, sizeof *buf);
    if (!m || !buf) {
        free(m);
        free(buf);
        return mlc_raise_nomem("a min-max scaler");
    }
    m->params = *p;
    m->p = cols;
    m->data_min = buf;
    m->data_max = buf + cols;
    m->data_range = buf + 2 * cols;
    m->scale = buf + 3 * cols;
    m->min = buf + 4 * cols;
    *out = m;
    return MLC_OK;
}

static void mm_derive(mlc_min_max_scaler *m)
{
    double lo = m->params.feature_range_min, hi = m->params.feature_range_max;
    for (size_t j = 0; j < m->p; j++) {
        m->data_range[j] = m->data_max[j] - m->data_min[j];
        double r = m->data_range[j] < 10 * DBL_EPSILON ? 1.0 : m->data_range[j];
        m->scale[j] = (hi - lo) / r;
        m->min[j] = lo - m->data_min[j] * m->scale[j];
    }
}

static int check_params(const mlc_min_max_scaler_params *p)
{
    if (!isfinite(p->feature_range_min) || !isfinite(p->feature_range_max) ||
        !(p->feature_range_min < p->feature_range_max))
        return mlc_raise(MLC_EINVAL,
                         "feature_range must satisfy min < max, got (%g, %g)",
                         p->feature_range_min, p->feature_range_max);
    return MLC_OK;
}

int mlc_min_max_scaler_fit(const mlc_min_max_scaler_params *p, const mlc_matrix *X,
                           mlc_min_max_scaler **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = check_params(p)) ||
        (st = mlc_check_threads_max(p->n_threads, NULL)) || (st = mlc_check_X(X, "X")))
        return st;
    mlc_min_max_scaler *m;
    if ((st = mm_alloc(p, X->cols, &m)))
        return st;
    memcpy(m->data_min, X->data, X->cols * sizeof(double));
    memcpy(m->data_max, X->data, X->cols * sizeof(double));
    for (size_t i = 1; i < X->rows; i++) {
        const double *r = mlc_matrix_row(X, i);
        for (size_t j = 0; j < X->cols; j++) {
            if (r[j] < m->data_min[j])
                m->data_min[j] = r[j];
            if (r[j] > m->data_max[j])
                m->data_max[j] = r[j];
        }
    }
    mm_derive(m);
    /* A feature range or data range near DBL_MAX overflows: refuse rather
     * than return a model that transforms to inf / NaN. */
    for (size_t j = 0; j < X->cols; j++)
        if (!isfinite(m->data_range[j]) || !isfinite(m->scale[j]) || !isfinite(m->min[j])) {
            st = mlc_raise(MLC_ERANGE,
                           "feature %zu: scaling its range [%g, %g] to (%g, %g) overflows", j,
                           m->data_min[j], m->data_max[j], p->feature_range_min,
                           p->feature_range_max);
            mlc_min_max_scaler_free(m);
            return st;
        }
    *out = m;
    return MLC_OK;
}

/* One row: x * scale + min (clipped to [lo, hi] with clip), or the inverse
 * (x - min) / scale; the branches sit outside the loops so each vectorizes. */
MLC_HOT static void mm_row(const double *r, double *o, size_t d, const double *scale,
                           const double *mn, int inverse, int clip, double lo, double hi)
{
    if (inverse) {
        for (size_t j = 0; j < d; j++)
            o[j] = (r[j] - mn[j]) / scale[j];
    } else if (clip) {
        for (size_t j = 0; j < d; j++) {
            double v = r[j] * scale[j] + mn[j];
            o[j] = v < lo ? lo : (v > hi ? hi : v);
        }
    } else {
        for (size_t j = 0; j < d; j++)
            o[j] = r[j] * scale[j] + mn[j];
    }
}

static int mm_apply(const mlc_min_max_scaler *m, const mlc_matrix *X, mlc_matrix *out,
                    int inverse)
{
    int st = mlc_check_ptr(m, "scaler");
    if (st || (st = mlc_check_X_predict(X, m->p, "min_max_scaler")) ||
        (st = mlc_check_out(out, X->rows, X->cols, "transform")))
        return st;
    const double *scale = m->scale, *mn = m->min;
    double lo = m->params.feature_range_min, hi = m->params.feature_range_max;
    int clip = m->params.clip && !inverse;
    int threads = X->rows * X->cols > (1u << 17) ? mlc_resolve_threads(m->params.n_threads) : 1;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (size_t i = 0; i < X->rows; i++)
        mm_row(mlc_matrix_row(X, i), mlc_matrix_row(out, i), X->cols, scale, mn, inverse, clip,
               lo, hi);
    return MLC_OK;
}

int mlc_min_max_scaler_transform(const mlc_min_max_scaler *m, const mlc_matrix *X,
                                 mlc_matrix *out)
{
    return mm_apply(m, X, out, 0);
}

int mlc_min_max_scaler_inverse_transform(const mlc_min_max_scaler *m, const mlc_matrix *X,
                                         mlc_matrix *out)
{
    return mm_apply(m, X, out, 1);
}

size_t mlc_min_max_scaler_n_features(const mlc_min_max_scaler *m)
{
    return m ? m->p : 0;
}
const double *mlc_min_max_scaler_data_min(const mlc_min_max_scaler *m)
{
    return m ? m->data_min : NULL;
}
const double *mlc_min_max_scaler_data_max(const mlc_min_max_scaler *m)
{
    return m ? m->data_max : NULL;
}
const double *mlc_min_max_scaler_scale(const mlc_min_max_scaler *m)
{
    return m ? m->scale : NULL;
}
const double *mlc_min_max_scaler_min(const mlc_min_max_scaler *m)
{
    return m ? m->min : NULL;
}

/* ---------------------------------------------------------------- registry */

/* A closed form: no progress to report. */
static int mm_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                  void **model)
{
    (void)progress;
    return mlc_min_max_scaler_fit(p, d->X, (mlc_min_max_scaler **)model);
}

static void mm_free(void *m)
{
    mlc_min_max_scaler_free(m);
}

static size_t mm_output_cols(const void *model, mlc_output kind)
{
    const mlc_min_max_scaler *m = model;
    return kind == MLC_OUT_TRANSFORM || kind == MLC_OUT_INVERSE_TRANSFORM ? m->p : 0;
}

static int mm_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    return mm_apply(model, X, out, kind == MLC_OUT_INVERSE_TRANSFORM);
}

static size_t mm_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_min_max_scaler *m = model;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "data_min_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->data_min);
    mlc_attr_put(out, cap, &n, "data_max_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->data_max);
    mlc_attr_put(out, cap, &n, "data_range_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->data_range);
    mlc_attr_put(out, cap, &n, "scale_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->scale);
    mlc_attr_put(out, cap, &n, "min_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->min);
    return n;
}

static int mm_restore(const void *p, const mlc_attr_set *s, void **model)
{
    size_t d = mlc_attrs_n_features(s);
    int st = check_params(p);
    mlc_min_max_scaler *m;
    if (st || (st = mm_alloc(p, d, &m)))
        return st;
    const mlc_attr_want want[] = {{"data_min_", 1, {d}, m->data_min},
                                  {"data_max_", 1, {d}, m->data_max}};
    if (!(st = mlc_attrs_read(s, want, MLC_COUNT_OF(want))))
        mm_derive(m);
    return mlc_reg_handover(st, m, mm_free, model);
}

const mlc_estimator_desc mlc_min_max_scaler_desc = {
    .name = "min_max_scaler",
    .summary = "scale each feature to a given range (default [0, 1])",
    .task = MLC_TASK_TRANSFORMER,
    MLC_DESC_PARAMS(params_table, mlc_min_max_scaler_params),
    .refuses_sample_weight = 1, /* as MinMaxScaler.fit */
    .fit = mm_fit,
    .free = mm_free,
    .output_cols = mm_output_cols,
    .output = mm_output,
    .attributes = mm_attributes,
    .restore = mm_restore,
};
