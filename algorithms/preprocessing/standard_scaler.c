/* StandardScaler: z = (x - mean_) / scale_, scikit-learn's statistics
 * (two-pass variance with its correction term; near-constant features get
 * scale 1). */
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

struct mlc_standard_scaler {
    mlc_standard_scaler_params params;
    size_t p;
    double n_samples_seen; /* sum of weights */
    double *mean, *var, *scale;
};

static const mlc_param_info params_table[] = {
    MLC_P_BOOL(mlc_standard_scaler_params, with_mean, "true", "center the data before scaling"),
    MLC_P_BOOL(mlc_standard_scaler_params, with_std, "true", "scale the data to unit variance"),
    MLC_P_THREADS(mlc_standard_scaler_params),
};

mlc_standard_scaler_params mlc_standard_scaler_params_default(void)
{
    return MLC_TABLE_DEFAULTS(mlc_standard_scaler_params, params_table);
}

void mlc_standard_scaler_free(mlc_standard_scaler *m)
{
    if (!m)
        return;
    free(m->mean);
    free(m);
}

static int scaler_alloc(const mlc_standard_scaler_params *p, size_t cols,
                        mlc_standard_scaler **out)
{
    mlc_standard_scaler *m = calloc(1, sizeof *m);
    double *buf = calloc(3 * cols, sizeof *buf);
    if (!m || !buf) {
        free(m);
        free(buf);
        return mlc_raise_nomem("a standard scaler");
    }
    m->params = *p;
    m->p = cols;
    m->mean = buf;
    m->var = buf + cols;
    m->scale = buf + 2 * cols;
    *out = m;
    return MLC_OK;
}

int mlc_standard_scaler_fit(const mlc_standard_scaler_params *p, const mlc_matrix *X,
                            const double *sw, mlc_standard_scaler **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_check_threads_max(p->n_threads, NULL)) ||
        (st = mlc_check_X(X, "X")) ||
        (st = mlc_check_weights(sw, X ? X->rows : 0)))
        return st;
    mlc_standard_scaler *m;
    if ((st = scaler_alloc(p, X->cols, &m)))
        return st;
    size_t n = X->rows, d = X->cols;
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++)
        wsum += sw ? sw[i] : 1.0;
    for (size_t i = 0; i < n; i++) {
        const double *r = mlc_matrix_row(X, i);
        double w = sw ? sw[i] : 1.0;
        for (size_t j = 0; j < d; j++)
            m->mean[j] += w * r[j];
    }
    for (size_t j = 0; j < d; j++)
        m->mean[j] /= wsum;
    /* Second pass: sum w (x - mean)^2 minus (sum w (x - mean))^2 / wsum. */
    double *corr = calloc(d, sizeof *corr);
    if (!corr) {
        mlc_standard_scaler_free(m);
        return mlc_raise_nomem("scaler scratch");
    }
    for (size_t i = 0; i < n; i++) {
        const double *r = mlc_matrix_row(X, i);
        double w = sw ? sw[i] : 1.0;
        for (size_t j = 0; j < d; j++) {
            double t = r[j] - m->mean[j];
            corr[j] += w * t;
            m->var[j] += w * t * t;
        }
    }
    for (size_t j = 0; j < d; j++) {
        double v = (m->var[j] - corr[j] * corr[j] / wsum) / wsum;
        m->var[j] = v;
        double upper = wsum * DBL_EPSILON * v + (wsum * m->mean[j] * DBL_EPSILON) *
                                                    (wsum * m->mean[j] * DBL_EPSILON);
        m->scale[j] = (v <= upper || !p->with_std) ? 1.0 : sqrt(v);
    }
    free(corr);
    m->n_samples_seen = wsum;
    /* Squares of values near DBL_MAX overflow: refuse rather than return a
     * NaN/inf variance. */
    for (size_t j = 0; j < d; j++)
        if (!isfinite(m->mean[j]) || !isfinite(m->var[j]) || !isfinite(m->scale[j])) {
            st = mlc_raise(MLC_ERANGE,
                           "feature %zu: its mean or variance overflows (values too large "
                           "for double precision; rescale X)", j);
            mlc_standard_scaler_free(m);
            return st;
        }
    *out = m;
    return MLC_OK;
}

/* One row: (x - mean) / scale, or x * scale + mean for the inverse (NULL
 * mean or scale: that step is skipped), in numpy's order of operations so
 * the results are scikit-learn's to the bit. The branches sit outside the
 * loops so each one vectorizes. */
MLC_HOT static void scale_row(const double *r, double *o, size_t d, const double *mean,
                              const double *scale, int inverse)
{
    if (!inverse && mean && scale)
        for (size_t j = 0; j < d; j++)
            o[j] = (r[j] - mean[j]) / scale[j];
    else if (inverse && mean && scale)
        for (size_t j = 0; j < d; j++)
            o[j] = r[j] * scale[j] + mean[j];
    else if (!inverse && mean)
        for (size_t j = 0; j < d; j++)
            o[j] = r[j] - mean[j];
    else if (inverse && mean)
        for (size_t j = 0; j < d; j++)
            o[j] = r[j] + mean[j];
    else if (!inverse && scale)
        for (size_t j = 0; j < d; j++)
            o[j] = r[j] / scale[j];
    else if (inverse && scale)
        for (size_t j = 0; j < d; j++)
            o[j] = r[j] * scale[j];
    else
        memmove(o, r, d * sizeof *o);
}

static int apply(const mlc_standard_scaler *m, const mlc_matrix *X, mlc_matrix *out, int inverse)
{
    int st = mlc_check_ptr(m, "scaler");
    if (st || (st = mlc_check_X_predict(X, m->p, "standard_scaler")) ||
        (st = mlc_check_out(out, X->rows, X->cols, "transform")))
        return st;
    const double *mean = m->mean, *scale = m->scale;
    int with_mean = m->params.with_mean, with_std = m->params.with_std;
    int threads = X->rows * X->cols > (1u << 17) ? mlc_resolve_threads(m->params.n_threads) : 1;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (size_t i = 0; i < X->rows; i++)
        scale_row(mlc_matrix_row(X, i), mlc_matrix_row(out, i), X->cols, with_mean ? mean : NULL,
                  with_std ? scale : NULL, inverse);
    return MLC_OK;
}

int mlc_standard_scaler_transform(const mlc_standard_scaler *m, const mlc_matrix *X,
                                  mlc_matrix *out)
{
    return apply(m, X, out, 0);
}

int mlc_standard_scaler_inverse_transform(const mlc_standard_scaler *m, const mlc_matrix *X,
                                          mlc_matrix *out)
{
    return apply(m, X, out, 1);
}

size_t mlc_standard_scaler_n_features(const mlc_standard_scaler *m)
{
    return m ? m->p : 0;
}
const double *mlc_standard_scaler_mean(const mlc_standard_scaler *m)
{
    return m ? m->mean : NULL;
}
const double *mlc_standard_scaler_var(const mlc_standard_scaler *m)
{
    return m ? m->var : NULL;
}
const double *mlc_standard_scaler_scale(const mlc_standard_scaler *m)
{
    return m ? m->scale : NULL;
}

/* ---------------------------------------------------------------- registry */

/* A closed form: no progress to report. */
static int ss_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                  void **model)
{
    (void)progress;
    return mlc_standard_scaler_fit(p, d->X, d->sample_weight, (mlc_standard_scaler **)model);
}

static void ss_free(void *m)
{
    mlc_standard_scaler_free(m);
}

static size_t ss_output_cols(const void *model, mlc_output kind)
{
    const mlc_standard_scaler *m = model;
    return kind == MLC_OUT_TRANSFORM || kind == MLC_OUT_INVERSE_TRANSFORM ? m->p : 0;
}

static int ss_output(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    return apply(model, X, out, kind == MLC_OUT_INVERSE_TRANSFORM);
}

static size_t ss_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_standard_scaler *m = model;
    size_t n = 0;
    mlc_attr_put(out, cap, &n, "mean_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->mean);
    mlc_attr_put(out, cap, &n, "var_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->var);
    mlc_attr_put(out, cap, &n, "scale_", MLC_DTYPE_F64, 1, m->p, 0, 0, m->scale);
    mlc_attr_put(out, cap, &n, "n_samples_seen_", MLC_DTYPE_F64, 0, 0, 0, 0, &m->n_samples_seen);
    return n;
}

static int ss_restore(const void *p, const mlc_attr_set *s, void **model)
{
    size_t d = mlc_attrs_n_features(s);
    mlc_standard_scaler *m;
    int st = scaler_alloc(p, d, &m);
    if (st)
        return st;
    const mlc_attr_want want[] = {{"mean_", 1, {d}, m->mean},
                                  {"var_", 1, {d}, m->var},
                                  {"scale_", 1, {d}, m->scale},
                                  {"n_samples_seen_", 0, {0}, &m->n_samples_seen}};
    st = mlc_attrs_read(s, want, MLC_COUNT_OF(want));
    return mlc_reg_handover(st, m, ss_free, model);
}

const mlc_estimator_desc mlc_standard_scaler_desc = {
    .name = "standard_scaler",
    .summary = "standardize features by removing the mean and scaling to unit variance",
    .task = MLC_TASK_TRANSFORMER,
    MLC_DESC_PARAMS(params_table, mlc_standard_scaler_params),
    .fit = ss_fit,
    .free = ss_free,
    .output_cols = ss_output_cols,
    .output = ss_output,
    .attributes = ss_attributes,
    .restore = ss_restore,
};
