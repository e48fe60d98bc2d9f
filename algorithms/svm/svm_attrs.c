/* scikit-learn's attributes of a kernel machine, and a model rebuilt from
 * them (algorithms/svm/svm_api.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/mem.h"
#include "svm_api.h"

static int classifier(const mlc_svm *m)
{
    return m->n_class > 0;
}

static size_t coef_rows(const mlc_svm *m)
{
    return m->n_class > 1 ? m->n_class - 1 : 1;
}

int svm_model_views(svm_model *m)
{
    size_t rows = coef_rows(m), n_sv = m->n_sv, P = m->n_pairs, p = m->p;
    int flip = classifier(m) && m->n_class == 2; /* positive means classes_[1] */
    free(m->dual_coef_view);
    free(m->intercept_view);
    free(m->coef_view);
    m->coef_view = NULL;
    m->dual_coef_view = malloc((rows * n_sv > 0 ? rows * n_sv : 1) * sizeof(double));
    m->intercept_view = malloc(P * sizeof(double));
    if (!m->dual_coef_view || !m->intercept_view)
        return mlc_raise_nomem("the SVM attributes");
    for (size_t i = 0; i < rows * n_sv; i++)
        m->dual_coef_view[i] = flip ? -m->coef[i] : m->coef[i];
    for (size_t q = 0; q < P; q++)
        m->intercept_view[q] = flip ? m->rho[q] : -m->rho[q];
    if (m->kernel.type != MLC_SVM_LINEAR)
        return MLC_OK;
    /* coef_ = the weight vector of each decision function */
    size_t out_rows = classifier(m) && m->n_class > 2 ? P : 1;
    if (!(m->coef_view = calloc(out_rows * p > 0 ? out_rows * p : 1, sizeof(double))))
        return mlc_raise_nomem("coef_");
    if (out_rows == 1) {
        for (size_t s = 0; s < n_sv; s++)
            for (size_t f = 0; f < p; f++)
                m->coef_view[f] += m->dual_coef_view[s] * m->sv[s * p + f];
        return MLC_OK;
    }
    size_t q = 0;
    for (size_t i = 0; i < m->n_class; i++)
        for (size_t j = i + 1; j < m->n_class; j++, q++) {
            double *w = m->coef_view + q * p;
            for (size_t s = m->sv_start[i]; s < m->sv_start[i + 1]; s++)
                for (size_t f = 0; f < p; f++)
                    w[f] += m->coef[(j - 1) * n_sv + s] * m->sv[s * p + f];
            for (size_t s = m->sv_start[j]; s < m->sv_start[j + 1]; s++)
                for (size_t f = 0; f < p; f++)
                    w[f] += m->coef[i * n_sv + s] * m->sv[s * p + f];
        }
    return MLC_OK;
}

size_t svm_attributes(const mlc_svm *m, mlc_attribute *out, size_t cap)
{
    size_t n = 0, n_sv = m->n_sv, P = m->n_pairs;
    size_t p_sv = m->kernel.type == MLC_SVM_PRECOMPUTED ? 0 : m->p;
    mlc_attr_put(out, cap, &n, "support_", MLC_DTYPE_I32, 1, n_sv, 0, 0, m->support);
    mlc_attr_put(out, cap, &n, "support_vectors_", MLC_DTYPE_F64, 2, p_sv ? n_sv : 0, p_sv, 0,
                 m->sv);
    mlc_attr_put(out, cap, &n, "n_support_", MLC_DTYPE_I32, 1, classifier(m) ? m->n_class : 1, 0,
                 0, m->n_support);
    mlc_attr_put(out, cap, &n, "dual_coef_", MLC_DTYPE_F64, 2, coef_rows(m), n_sv, 0,
                 m->dual_coef_view);
    mlc_attr_put(out, cap, &n, "intercept_", MLC_DTYPE_F64, 1, P, 0, 0, m->intercept_view);
    if (m->coef_view)
        mlc_attr_put(out, cap, &n, "coef_", MLC_DTYPE_F64, 2,
                     classifier(m) && m->n_class > 2 ? P : 1, m->p, 0, m->coef_view);
    if (classifier(m)) {
        mlc_attr_put(out, cap, &n, "classes_", MLC_DTYPE_F64, 1, m->n_class, 0, 0, m->classes);
        mlc_attr_put(out, cap, &n, "n_iter_", MLC_DTYPE_I64, 1, P, 0, 0, m->n_iter);
        mlc_attr_put(out, cap, &n, "class_weight_", MLC_DTYPE_F64, 1, m->n_class, 0, 0,
                     m->class_weight);
        size_t n_prob = m->prob_a ? P : 0;
        mlc_attr_put(out, cap, &n, "probA_", MLC_DTYPE_F64, 1, n_prob, 0, 0, m->prob_a);
        mlc_attr_put(out, cap, &n, "probB_", MLC_DTYPE_F64, 1, n_prob, 0, 0, m->prob_b);
    } else {
        mlc_attr_put(out, cap, &n, "n_iter_", MLC_DTYPE_I64, 0, 0, 0, 0, m->n_iter);
    }
    if (m->type == MLC_SVM_ONE_CLASS)
        mlc_attr_put(out, cap, &n, "offset_", MLC_DTYPE_F64, 0, 0, 0, 0, m->rho);
    mlc_attr_put(out, cap, &n, "fit_status_", MLC_DTYPE_I64, 0, 0, 0, 0, &m->fit_status);
    mlc_attr_put(out, cap, &n, "shape_fit_", MLC_DTYPE_I64, 1, 2, 0, 0, m->shape_fit);
    mlc_attr_put(out, cap, &n, "_gamma", MLC_DTYPE_F64, 0, 0, 0, 0, &m->kernel.gamma);
    return n;
}

/* ------------------------------------------------------------- restore */

static int read_counts(const mlc_attr_set *s, const char *name, int ndim, size_t len,
                       int64_t *dst)
{
    const double *d;
    size_t shape[1] = {len};
    int st = mlc_attrs_get(s, name, ndim, ndim ? shape : NULL, &d);
    for (size_t i = 0; !st && i < (ndim ? len : 1); i++) {
        if (!(d[i] >= 0.0 && d[i] <= 9e15 && d[i] == floor(d[i])))
            return mlc_raise(MLC_EFORMAT, "model file: %s holds %g, not a count", name, d[i]);
        dst[i] = (int64_t)d[i];
    }
    return st;
}

static int restore_body(mlc_svm *m, const mlc_attr_set *s)
{
    size_t shape[2] = {0, 0};
    const double *d;
    int st = MLC_OK;
    int is_clf = m->type == MLC_SVM_C_SVC || m->type == MLC_SVM_NU_SVC;
    if (is_clf) {
        if ((st = mlc_attrs_get(s, "classes_", 1, shape, &d)))
            return st;
        if (shape[0] < 2)
            return mlc_raise(MLC_EFORMAT, "model file: classes_ holds %zu classes", shape[0]);
        m->n_class = shape[0];
        m->n_pairs = m->n_class * (m->n_class - 1) / 2;
        if (!(m->classes = malloc(m->n_class * sizeof *m->classes)))
            return mlc_raise_nomem("the classes");
        memcpy(m->classes, d, m->n_class * sizeof *d);
    } else {
        m->n_pairs = 1;
    }
    size_t K = is_clf ? m->n_class : 1, P = m->n_pairs, rows = coef_rows(m);
    shape[0] = 0;
    if ((st = mlc_attrs_get(s, "support_", 1, shape, &d)))
        return st;
    size_t n_sv = m->n_sv = shape[0];
    size_t nb = n_sv ? n_sv : 1;
    m->support = malloc(nb * sizeof *m->support);
    m->n_support = malloc(K * sizeof *m->n_support);
    m->sv_start = malloc((K + 1) * sizeof *m->sv_start);
    m->coef = malloc(rows * nb * sizeof *m->coef);
    m->rho = malloc(P * sizeof *m->rho);
    m->n_iter = malloc(P * sizeof *m->n_iter);
    m->class_weight = malloc(K * sizeof *m->class_weight);
    size_t p_sv = m->kernel.type == MLC_SVM_PRECOMPUTED ? 0 : m->p;
    m->sv = mlc_aligned_alloc(nb * (p_sv ? p_sv : 1), sizeof(double));
    if (!m->support || !m->n_support || !m->sv_start || !m->coef || !m->rho || !m->n_iter ||
        !m->class_weight || !m->sv)
        return mlc_raise_nomem("an SVM model");
    size_t sh1[1] = {n_sv};
    if ((st = mlc_attrs_int32(s, "support_", 1, sh1, m->support, n_sv)))
        return st;
    size_t shk[1] = {K};
    if ((st = mlc_attrs_int32(s, "n_support_", 1, shk, m->n_support, K)))
        return st;
    m->sv_start[0] = 0;
    for (size_t c = 0; c < K; c++) {
        if (m->n_support[c] < 0)
            return mlc_raise(MLC_EFORMAT, "model file: n_support_ is negative");
        m->sv_start[c + 1] = m->sv_start[c] + (size_t)m->n_support[c];
    }
    if (m->sv_start[K] != n_sv)
        return mlc_raise(MLC_EFORMAT, "model file: n_support_ adds up to %zu, support_ holds %zu",
                         m->sv_start[K], n_sv);
    for (size_t i = 0; i < n_sv; i++)
        if (m->support[i] < 0 || (int64_t)m->support[i] >= m->shape_fit[0])
            return mlc_raise(MLC_EFORMAT, "model file: support_[%zu] = %d is not a training row",
                             i, (int)m->support[i]);
    if (p_sv && n_sv) { /* an empty (0, p) array is saved as [] */
        size_t sh2[2] = {n_sv, p_sv};
        if ((st = mlc_attrs_copy(s, "support_vectors_", 2, sh2, m->sv)))
            return st;
    }
    size_t shc[2] = {rows, n_sv};
    if (n_sv && (st = mlc_attrs_copy(s, "dual_coef_", 2, shc, m->coef)))
        return st;
    size_t shp[1] = {P};
    if ((st = mlc_attrs_copy(s, "intercept_", 1, shp, m->rho)))
        return st;
    int flip = is_clf && K == 2;
    for (size_t i = 0; i < rows * n_sv; i++)
        m->coef[i] = flip ? -m->coef[i] : m->coef[i];
    for (size_t q = 0; q < P; q++)
        m->rho[q] = flip ? m->rho[q] : -m->rho[q];
    if ((st = read_counts(s, "n_iter_", is_clf ? 1 : 0, P, m->n_iter)))
        return st;
    if (is_clf) {
        if ((st = mlc_attrs_copy(s, "class_weight_", 1, shk, m->class_weight)))
            return st;
        size_t sa[1] = {0};
        if ((st = mlc_attrs_get(s, "probA_", 1, sa, &d)))
            return st;
        if (sa[0] != 0 && sa[0] != P)
            return mlc_raise(MLC_EFORMAT, "model file: probA_ holds %zu values, not 0 or %zu",
                             sa[0], P);
        if (sa[0]) {
            m->prob_a = malloc(P * sizeof *m->prob_a);
            m->prob_b = malloc(P * sizeof *m->prob_b);
            if (!m->prob_a || !m->prob_b)
                return mlc_raise_nomem("probA_");
            if ((st = mlc_attrs_copy(s, "probA_", 1, shp, m->prob_a)) ||
                (st = mlc_attrs_copy(s, "probB_", 1, shp, m->prob_b)))
                return st;
        }
    } else {
        m->n_support[0] = (int32_t)n_sv;
    }
    if (m->kernel.type == MLC_SVM_RBF) {
        if (!(m->sv_sq = malloc(nb * sizeof *m->sv_sq)))
            return mlc_raise_nomem("an SVM model");
        svm_row_norms(m->sv, n_sv, p_sv, p_sv, m->sv_sq);
    }
    return svm_model_views(m);
}

int svm_restore(mlc_svm_type type, int kernel, long degree, double coef0, int n_threads,
                const mlc_attr_set *s, mlc_svm **out)
{
    *out = NULL;
    mlc_svm *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("an SVM model");
    m->type = type;
    m->kernel.type = (mlc_svm_kernel_type)kernel;
    m->kernel.degree = (int)degree;
    m->kernel.coef0 = coef0;
    m->threads = n_threads;
    int64_t counts[2];
    double gamma;
    int st = mlc_attrs_scalar(s, "_gamma", &gamma);
    if (!st && !(isfinite(gamma) && gamma >= 0.0))
        st = mlc_raise(MLC_EFORMAT, "model file: _gamma = %g", gamma);
    if (!st)
        st = read_counts(s, "shape_fit_", 1, 2, counts);
    if (!st) {
        m->kernel.gamma = gamma;
        m->shape_fit[0] = counts[0];
        m->shape_fit[1] = counts[1];
        m->p = (size_t)counts[1];
        if (m->p != mlc_attrs_n_features(s))
            st = mlc_raise(MLC_EFORMAT, "model file: shape_fit_ says %zu features, the file %zu",
                           m->p, mlc_attrs_n_features(s));
    }
    if (!st)
        st = read_counts(s, "fit_status_", 0, 1, &m->fit_status);
    if (!st)
        st = restore_body(m, s);
    if (st) {
        svm_model_free(m);
        return st;
    }
    *out = m;
    return MLC_OK;
}
