/* The typed faces of the kernel machines (include/mlcore/svm.h): checks,
 * gamma and class weights resolved, then svm_fit; predictions and
 * decision functions in scikit-learn's conventions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"
#include "svm_api.h"
#include "svm_class_weight.h"
#include "svm_prob.h"

/* The settings every kernel machine shares, from whichever params struct. */
typedef struct common {
    int kernel;
    long degree;
    mlc_real_or_choice gamma;
    double coef0, tol, cache_size;
    int shrinking, n_threads;
    long max_iter;
} common;

#define COMMON_OF(p)                                                                       \
    ((common){(p)->kernel, (p)->degree, (p)->gamma, (p)->coef0, (p)->tol, (p)->cache_size, \
              (p)->shrinking, (p)->n_threads, (p)->max_iter})

static int check_common(const common *c, const char *name)
{
    if (c->kernel < MLC_SVM_LINEAR || c->kernel > MLC_SVM_PRECOMPUTED)
        return mlc_raise(MLC_EINVAL, "%s: kernel must be linear (0), poly (1), rbf (2), "
                         "sigmoid (3) or precomputed (4), got %d", name, c->kernel);
    if (c->degree < 0)
        return mlc_raise(MLC_EINVAL, "%s: degree must be >= 0, got %ld", name, c->degree);
    if (c->gamma.choice < 0 && !(c->gamma.value > 0.0 && isfinite(c->gamma.value)))
        return mlc_raise(MLC_EINVAL, "%s: gamma must be 'scale', 'auto' or a number > 0, got %g",
                         name, c->gamma.value);
    if (c->gamma.choice > MLC_SVM_GAMMA_AUTO)
        return mlc_raise(MLC_EINVAL, "%s: gamma must be 'scale' (0), 'auto' (1) or a number",
                         name);
    if (!(c->tol > 0.0))
        return mlc_raise(MLC_EINVAL, "%s: tol must be > 0, got %g", name, c->tol);
    if (!(c->cache_size > 0.0))
        return mlc_raise(MLC_EINVAL, "%s: cache_size must be > 0 (megabytes), got %g", name,
                         c->cache_size);
    if (!isfinite(c->coef0))
        return mlc_raise(MLC_EINVAL, "%s: coef0 must be finite", name);
    if (c->max_iter < -1)
        return mlc_raise(MLC_EINVAL, "%s: max_iter must be -1 (no limit) or >= 0, got %ld", name,
                         c->max_iter);
    if (mlc_check_threads(c->n_threads, name))
        return MLC_EINVAL;
    return MLC_OK;
}

static int check_real(double v, double lo, int lo_open, double hi, const char *what,
                      const char *name)
{
    int ok = isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
    if (ok)
        return MLC_OK;
    return mlc_raise(MLC_EINVAL, "%s: %s must be in %s%g, %g], got %g", name, what,
                     lo_open ? "(" : "[", lo, hi, v);
}

/* gamma = 1 / (p * X.var()) over every entry for 'scale' (1 when the
 * variance is 0), 1 / p for 'auto'. */
static double resolve_gamma(const common *c, const mlc_matrix *X)
{
    if (c->gamma.choice < 0)
        return c->gamma.value;
    double p = (double)X->cols;
    if (c->gamma.choice == MLC_SVM_GAMMA_AUTO)
        return 1.0 / p;
    double n = (double)X->rows * p, mean = 0.0, var = 0.0;
    for (size_t i = 0; i < X->rows; i++) {
        const double *x = mlc_matrix_row(X, i);
        for (size_t j = 0; j < X->cols; j++)
            mean += x[j];
    }
    mean /= n;
    for (size_t i = 0; i < X->rows; i++) {
        const double *x = mlc_matrix_row(X, i);
        for (size_t j = 0; j < X->cols; j++)
            var += (x[j] - mean) * (x[j] - mean);
    }
    var /= n;
    return var > 0.0 ? 1.0 / (p * var) : 1.0;
}

static void fill_common(svm_fit_params *fp, const common *c, const mlc_matrix *X)
{
    fp->kernel.type = (mlc_svm_kernel_type)c->kernel;
    fp->kernel.degree = (int)c->degree;
    fp->kernel.coef0 = c->coef0;
    fp->kernel.gamma = c->kernel == MLC_SVM_PRECOMPUTED ? 0.0 : resolve_gamma(c, X);
    fp->tol = c->tol;
    fp->cache_mb = c->cache_size;
    fp->shrinking = c->shrinking != 0;
    fp->threads = c->n_threads;
    fp->max_iter = c->max_iter;
}

static int check_X(const common *c, const mlc_matrix *X, const double *sw, const char *name)
{
    int st = mlc_check_X_mt(X, "X", c->n_threads);
    if (!st && c->kernel == MLC_SVM_PRECOMPUTED && X->rows != X->cols)
        st = mlc_raise(MLC_EBADLEN, "%s: a precomputed kernel must be square (n x n), got "
                       "%zu x %zu", name, X->rows, X->cols);
    if (!st)
        st = mlc_check_weights(sw, X->rows);
    return st;
}

/* Per-class weights in classes_ order; *out NULL when there are none. */
static int class_weights(const mlc_class_weight *cw, const double *classes, size_t K,
                         const int32_t *codes, size_t n, const char *name, double **out)
{
    *out = NULL;
    if (cw->mode == MLC_CLASS_WEIGHT_NONE)
        return MLC_OK;
    double *w = malloc(K * sizeof *w);
    if (!w)
        return mlc_raise_nomem("class weights");
    int st = svm_class_weights(cw, classes, K, codes, n, name, w);
    if (st)
        free(w);
    else
        *out = w;
    return st;
}

/* nu-SVC is feasible when nu (n_i + n_j) / 2 <= min(n_i, n_j) for every
 * pair of classes, n counting (weighted) rows (Chang & Lin 2001). */
static int check_nu_feasible(double nu, const int32_t *codes, const double *sw, size_t n,
                             size_t K)
{
    double *count = calloc(K, sizeof *count);
    if (!count)
        return mlc_raise_nomem("class sizes");
    for (size_t i = 0; i < n; i++)
        count[codes[i]] += sw ? (sw[i] > 0.0 ? sw[i] : 0.0) : 1.0;
    int st = MLC_OK;
    for (size_t i = 0; !st && i < K; i++)
        for (size_t j = i + 1; !st && j < K; j++)
            if (nu * (count[i] + count[j]) / 2.0 > fmin(count[i], count[j]))
                st = mlc_raise(MLC_EINVAL, "specified nu is infeasible: nu = %g is too large for "
                               "classes %zu and %zu of sizes %g and %g (nu (n1 + n2) / 2 must "
                               "not exceed min(n1, n2))", nu, i, j, count[i], count[j]);
    free(count);
    return st;
}

/* Classifiers: labels encoded, class weights, nu feasibility, fit. */
static int fit_classifier(svm_fit_params *fp, const mlc_class_weight *cw, double nu,
                          const mlc_matrix *X, const double *y, const double *sw,
                          const char *name, mlc_svm **out)
{
    size_t n = X->rows, K = 0;
    double *classes = NULL, *weights = NULL;
    int32_t *codes = malloc((n ? n : 1) * sizeof *codes);
    if (!codes)
        return mlc_raise_nomem("class codes");
    int st = mlc_check_y(y, n, "y");
    if (!st)
        st = mlc_encode_labels(y, n, &classes, &K, codes);
    if (!st && K < 2)
        st = mlc_raise(MLC_EINVAL, "%s: the number of classes has to be greater than one; got "
                       "%zu class", name, K);
    if (!st && fp->type == MLC_SVM_NU_SVC)
        st = check_nu_feasible(nu, codes, sw, n, K);
    if (!st)
        st = class_weights(cw, classes, K, codes, n, name, &weights);
    if (!st) {
        /* nu-SVC keeps class_weight_ but its solver ignores it, as libsvm's */
        fp->class_weight = fp->type == MLC_SVM_C_SVC ? weights : NULL;
        st = svm_fit(fp, X, codes, classes, K, NULL, sw, out);
        if (!st && weights)
            memcpy((*out)->class_weight, weights, K * sizeof *weights);
    }
    free(codes);
    free(classes);
    free(weights);
    return st;
}

static int start(const void *p, mlc_svm **out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output pointer is NULL");
    *out = NULL;
    return p ? MLC_OK : mlc_raise(MLC_EINVAL, "params are NULL");
}

static int svc_fit(const mlc_svc_params *p, const mlc_matrix *X, const double *y,
                   const double *sw, mlc_progress_ctx *progress, mlc_svm **out)
{
    int st = start(p, out);
    if (st)
        return st;
    common c = COMMON_OF(p);
    if ((st = check_common(&c, "SVC")) || (st = check_real(p->C, 0.0, 1, INFINITY, "C", "SVC")) ||
        (st = check_X(&c, X, sw, "SVC")))
        return st;
    svm_fit_params fp = {0};
    fp.progress = progress;
    fp.type = MLC_SVM_C_SVC;
    fp.C = p->C;
    fp.probability = p->probability != 0;
    fp.random_state = p->random_state;
    fill_common(&fp, &c, X);
    st = fit_classifier(&fp, &p->class_weight, 0.0, X, y, sw, "SVC", out);
    if (!st) {
        (*out)->decision_shape = p->decision_function_shape;
        (*out)->break_ties = p->break_ties;
    }
    return st;
}

static int nu_svc_fit(const mlc_nu_svc_params *p, const mlc_matrix *X, const double *y,
                      const double *sw, mlc_progress_ctx *progress, mlc_svm **out)
{
    int st = start(p, out);
    if (st)
        return st;
    common c = COMMON_OF(p);
    if ((st = check_common(&c, "NuSVC")) || (st = check_real(p->nu, 0.0, 1, 1.0, "nu", "NuSVC")) ||
        (st = check_X(&c, X, sw, "NuSVC")))
        return st;
    svm_fit_params fp = {0};
    fp.progress = progress;
    fp.type = MLC_SVM_NU_SVC;
    fp.nu = p->nu;
    fp.probability = p->probability != 0;
    fp.random_state = p->random_state;
    fill_common(&fp, &c, X);
    st = fit_classifier(&fp, &p->class_weight, p->nu, X, y, sw, "NuSVC", out);
    if (!st) {
        (*out)->decision_shape = p->decision_function_shape;
        (*out)->break_ties = p->break_ties;
    }
    return st;
}

static int regressor_fit(svm_fit_params *fp, const common *c, const mlc_matrix *X,
                         const double *y, const double *sw, mlc_svm **out)
{
    fill_common(fp, c, X);
    int st = mlc_check_y(y, X->rows, "y");
    return st ? st : svm_fit(fp, X, NULL, NULL, 0, y, sw, out);
}

static int svr_fit(const mlc_svr_params *p, const mlc_matrix *X, const double *y,
                   const double *sw, mlc_progress_ctx *progress, mlc_svm **out)
{
    int st = start(p, out);
    if (st)
        return st;
    common c = COMMON_OF(p);
    if ((st = check_common(&c, "SVR")) || (st = check_real(p->C, 0.0, 1, INFINITY, "C", "SVR")) ||
        (st = check_real(p->epsilon, 0.0, 0, INFINITY, "epsilon", "SVR")) ||
        (st = check_X(&c, X, sw, "SVR")))
        return st;
    svm_fit_params fp = {0};
    fp.progress = progress;
    fp.type = MLC_SVM_EPSILON_SVR;
    fp.C = p->C;
    fp.epsilon = p->epsilon;
    return regressor_fit(&fp, &c, X, y, sw, out);
}

static int nu_svr_fit(const mlc_nu_svr_params *p, const mlc_matrix *X, const double *y,
                      const double *sw, mlc_progress_ctx *progress, mlc_svm **out)
{
    int st = start(p, out);
    if (st)
        return st;
    common c = COMMON_OF(p);
    if ((st = check_common(&c, "NuSVR")) ||
        (st = check_real(p->C, 0.0, 1, INFINITY, "C", "NuSVR")) ||
        (st = check_real(p->nu, 0.0, 1, 1.0, "nu", "NuSVR")) || (st = check_X(&c, X, sw, "NuSVR")))
        return st;
    svm_fit_params fp = {0};
    fp.progress = progress;
    fp.type = MLC_SVM_NU_SVR;
    fp.C = p->C;
    fp.nu = p->nu;
    return regressor_fit(&fp, &c, X, y, sw, out);
}

static int one_class_fit(const mlc_one_class_svm_params *p, const mlc_matrix *X,
                         const double *sw, mlc_progress_ctx *progress, mlc_svm **out)
{
    int st = start(p, out);
    if (st)
        return st;
    common c = COMMON_OF(p);
    if ((st = check_common(&c, "OneClassSVM")) ||
        (st = check_real(p->nu, 0.0, 1, 1.0, "nu", "OneClassSVM")) ||
        (st = check_X(&c, X, sw, "OneClassSVM")))
        return st;
    svm_fit_params fp = {0};
    fp.progress = progress;
    fp.type = MLC_SVM_ONE_CLASS;
    fp.nu = p->nu;
    fill_common(&fp, &c, X);
    return svm_fit(&fp, X, NULL, NULL, 0, NULL, sw, out);
}

int svm_fit_typed(mlc_svm_type type, const void *p, const mlc_matrix *X, const double *y,
                  const double *sw, mlc_progress_ctx *progress, mlc_svm **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    int st;
    switch (type) {
    case MLC_SVM_C_SVC:
        st = svc_fit(p, X, y, sw, progress, out);
        break;
    case MLC_SVM_NU_SVC:
        st = nu_svc_fit(p, X, y, sw, progress, out);
        break;
    case MLC_SVM_EPSILON_SVR:
        st = svr_fit(p, X, y, sw, progress, out);
        break;
    case MLC_SVM_NU_SVR:
        st = nu_svr_fit(p, X, y, sw, progress, out);
        break;
    default:
        st = one_class_fit(p, X, sw, progress, out);
        break;
    }
    return mlc_thread_scope_leave(&scope, st);
}

int mlc_svc_fit(const mlc_svc_params *p, const mlc_matrix *X, const double *y,
                const double *sample_weight, mlc_svm **out)
{
    return svm_fit_typed(MLC_SVM_C_SVC, p, X, y, sample_weight, NULL, out);
}

int mlc_nu_svc_fit(const mlc_nu_svc_params *p, const mlc_matrix *X, const double *y,
                   const double *sample_weight, mlc_svm **out)
{
    return svm_fit_typed(MLC_SVM_NU_SVC, p, X, y, sample_weight, NULL, out);
}

int mlc_svr_fit(const mlc_svr_params *p, const mlc_matrix *X, const double *y,
                const double *sample_weight, mlc_svm **out)
{
    return svm_fit_typed(MLC_SVM_EPSILON_SVR, p, X, y, sample_weight, NULL, out);
}

int mlc_nu_svr_fit(const mlc_nu_svr_params *p, const mlc_matrix *X, const double *y,
                   const double *sample_weight, mlc_svm **out)
{
    return svm_fit_typed(MLC_SVM_NU_SVR, p, X, y, sample_weight, NULL, out);
}

int mlc_one_class_svm_fit(const mlc_one_class_svm_params *p, const mlc_matrix *X,
                          const double *sample_weight, mlc_svm **out)
{
    return svm_fit_typed(MLC_SVM_ONE_CLASS, p, X, NULL, sample_weight, NULL, out);
}

void mlc_svm_free(mlc_svm *m)
{
    svm_model_free(m);
}

/* ------------------------------------------------------------- outputs */

static int is_classifier(const mlc_svm *m)
{
    return m->n_class > 0;
}

size_t mlc_svm_decision_cols(const mlc_svm *m)
{
    if (!m)
        return 0;
    if (!is_classifier(m) || m->n_class == 2)
        return 1;
    return m->decision_shape == MLC_SVM_OVO ? m->n_pairs : m->n_class;
}

static int check_predict_X(const mlc_svm *m, const mlc_matrix *X, const char *what)
{
    if (!m)
        return mlc_raise(MLC_EINVAL, "model is NULL");
    size_t want = m->kernel.type == MLC_SVM_PRECOMPUTED ? (size_t)m->shape_fit[0] : m->p;
    int st = mlc_check_X_predict(X, want, what);
    if (st && m->kernel.type == MLC_SVM_PRECOMPUTED && X && X->data && X->cols != want)
        return mlc_raise(MLC_EBADLEN, "%s: a precomputed kernel for prediction must be "
                         "n_test x n_train = ? x %zu, got %zu x %zu", what, want, X->rows,
                         X->cols);
    return st;
}

/* scikit-learn's ovr transform of the one-vs-one values (votes plus
 * confidences squashed into (-1/3, 1/3)). */
static void ovr_from_pairs(size_t K, const double *d, double *out, double *conf)
{
    for (size_t k = 0; k < K; k++)
        out[k] = conf[k] = 0.0;
    size_t p = 0;
    for (size_t i = 0; i < K; i++)
        for (size_t j = i + 1; j < K; j++, p++) {
            conf[i] += d[p];
            conf[j] -= d[p];
            out[d[p] < 0.0 ? j : i] += 1.0;
        }
    for (size_t k = 0; k < K; k++)
        out[k] += conf[k] / (3.0 * (fabs(conf[k]) + 1.0));
}

/* The pair values of every row (n x n_pairs), allocated. */
static int pair_values(const mlc_svm *m, const mlc_matrix *X, double **out)
{
    *out = malloc((X->rows * m->n_pairs > 0 ? X->rows * m->n_pairs : 1) * sizeof **out);
    if (!*out)
        return mlc_raise_nomem("decision values");
    int st = svm_decision_pairs(m, X, *out, m->threads);
    if (st) {
        free(*out);
        *out = NULL;
    }
    return st;
}

static int decision(const mlc_svm *m, const mlc_matrix *X, mlc_matrix *out)
{
    int st = check_predict_X(m, X, "decision_function");
    size_t cols = mlc_svm_decision_cols(m);
    if (!st)
        st = mlc_check_out(out, X->rows, cols, "decision_function output");
    double *d = NULL, *conf = NULL;
    if (!st)
        st = pair_values(m, X, &d);
    if (!st && !(conf = malloc((m->n_class ? m->n_class : 1) * sizeof *conf)))
        st = mlc_raise_nomem("decision values");
    if (st) {
        free(d);
        return st;
    }
    for (size_t i = 0; i < X->rows; i++) {
        const double *di = d + i * m->n_pairs;
        double *o = mlc_matrix_row(out, i);
        if (!is_classifier(m))
            o[0] = di[0];
        else if (m->n_class == 2)
            o[0] = -di[0]; /* positive means classes_[1] */
        else if (m->decision_shape == MLC_SVM_OVO)
            memcpy(o, di, m->n_pairs * sizeof *o);
        else
            ovr_from_pairs(m->n_class, di, o, conf);
    }
    free(d);
    free(conf);
    return MLC_OK;
}

int mlc_svm_decision_function(const mlc_svm *m, const mlc_matrix *X, mlc_matrix *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, decision(m, X, out));
}

/* libsvm's vote: d > 0 for class i, else j; the most votes, ties to the
 * lower class. break_ties (more than two classes, ovr): the largest ovr
 * value instead. */
static double vote(const mlc_svm *m, const double *d, double *score)
{
    size_t K = m->n_class;
    if (m->break_ties && K > 2 && m->decision_shape == MLC_SVM_OVR) {
        ovr_from_pairs(K, d, score, score + K);
    } else {
        for (size_t k = 0; k < K; k++)
            score[k] = 0.0;
        size_t p = 0;
        for (size_t i = 0; i < K; i++)
            for (size_t j = i + 1; j < K; j++, p++)
                score[d[p] > 0.0 ? i : j] += 1.0;
    }
    size_t best = 0;
    for (size_t k = 1; k < K; k++)
        if (score[k] > score[best])
            best = k;
    return m->classes[best];
}

static int predict(const mlc_svm *m, const mlc_matrix *X, double *out)
{
    int st = check_predict_X(m, X, "predict");
    if (!st && !out)
        st = mlc_raise(MLC_EINVAL, "output is NULL");
    double *d = NULL, *score = NULL;
    if (!st)
        st = pair_values(m, X, &d);
    if (!st && !(score = malloc(2 * (m->n_class ? m->n_class : 1) * sizeof *score)))
        st = mlc_raise_nomem("votes");
    if (st) {
        free(d);
        return st;
    }
    for (size_t i = 0; i < X->rows; i++) {
        const double *di = d + i * m->n_pairs;
        if (is_classifier(m))
            out[i] = vote(m, di, score);
        else if (m->type == MLC_SVM_ONE_CLASS)
            out[i] = di[0] > 0.0 ? 1.0 : -1.0;
        else
            out[i] = di[0];
    }
    free(d);
    free(score);
    return MLC_OK;
}

int mlc_svm_predict(const mlc_svm *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, predict(m, X, out));
}

static int predict_proba(const mlc_svm *m, const mlc_matrix *X, mlc_matrix *out)
{
    int st = check_predict_X(m, X, "predict_proba");
    if (!st && !m->prob_a)
        st = mlc_raise(MLC_EUNSUPPORTED, "predict_proba is not available: the model was fitted "
                       "without probability (set probability = true)");
    if (!st)
        st = mlc_check_out(out, X->rows, m->n_class, "predict_proba output");
    if (st)
        return st;
    size_t K = m->n_class;
    double *d = NULL, *scratch = NULL;
    if (!st)
        st = pair_values(m, X, &d);
    if (!st && !(scratch = malloc((K * K + 2 * K) * sizeof *scratch)))
        st = mlc_raise_nomem("probability estimates");
    for (size_t i = 0; !st && i < X->rows; i++)
        svm_pair_coupling(K, d + i * m->n_pairs, m->prob_a, m->prob_b, mlc_matrix_row(out, i),
                          scratch);
    free(d);
    free(scratch);
    return st;
}

int mlc_svm_predict_proba(const mlc_svm *m, const mlc_matrix *X, mlc_matrix *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, predict_proba(m, X, out));
}

int mlc_svm_attribute(const mlc_svm *m, const char *name, mlc_attribute *out)
{
    if (!m || !name || !out)
        return mlc_raise(MLC_EINVAL, "model, name or output is NULL");
    mlc_attribute all[SVM_MAX_ATTRIBUTES];
    size_t n = svm_attributes(m, all, SVM_MAX_ATTRIBUTES);
    for (size_t i = 0; i < n && i < SVM_MAX_ATTRIBUTES; i++)
        if (strcmp(all[i].name, name) == 0) {
            *out = all[i];
            return MLC_OK;
        }
    return mlc_raise(MLC_ENOTFOUND, "this SVM has no attribute '%s'", name);
}
