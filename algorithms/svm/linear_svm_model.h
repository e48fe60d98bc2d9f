/* Fitted LinearSVC / LinearSVR models and what their typed faces
 * (linear_svc.c, linear_svr.c) and registry faces share. */
#ifndef MLC_LINEAR_SVM_MODEL_H
#define MLC_LINEAR_SVM_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/registry.h"
#include "linear_svm_solvers.h"
#include "mlcore/linear_svm.h"

struct mlc_linear_svc {
    size_t p, n_class, rows; /* rows of coef_: 1 for two classes, else n_class */
    double *classes;         /* n_class labels, ascending */
    double *coef;            /* rows x p */
    double *intercept;       /* rows */
    int64_t n_iter;
    int32_t converged;
    int threads;             /* for predictions */
};

struct mlc_linear_svr {
    size_t p;
    double *coef;     /* p */
    double intercept; /* 0 without fit_intercept */
    int64_t n_iter;
    int32_t converged;
    int threads;
};

/* The rows a fit trains on: those of positive weight (liblinear leaves the
 * others out), compacted into a copy only when some are left out, with
 * |x^_i|^2. keep[k] is the k-th kept row's index in X (NULL: all), w its
 * weight (NULL: all 1). */
typedef struct lsvm_train {
    lsvm_data d;
    double *copy, *sq, *w;
    size_t *keep;
} lsvm_train;
int lsvm_train_init(lsvm_train *t, const mlc_matrix *X, const double *sw, double bias,
                    int threads);
void lsvm_train_clear(lsvm_train *t);

/* out (n x rows) = X coef' + intercept, rows of coef p apart; one answer
 * for any thread count. */
int lsvm_decision(const mlc_matrix *X, const double *coef, const double *intercept,
                  size_t rows, size_t p, int threads, double *out, size_t ld_out);

/* scikit-learn's checks of the common settings (C, tol, intercept_scaling,
 * max_iter, n_threads), naming `who`. */
int lsvm_check_common(double C, double tol, double intercept_scaling, int64_t max_iter,
                      int n_threads, const char *who);

/* n_iter_ and converged from a model file, checked. */
int lsvm_read_fit_state(const mlc_attr_set *s, int64_t *n_iter, int32_t *converged);

/* mlc_linear_svc_fit and mlc_linear_svr_fit reporting to `progress` (the
 * registry's fits; the typed faces pass NULL). */
int lsvm_svc_fit(const mlc_linear_svc_params *p, const mlc_matrix *X, const double *y,
                 const double *sw, mlc_progress_ctx *progress, mlc_linear_svc **out);
int lsvm_svr_fit(const mlc_linear_svr_params *p, const mlc_matrix *X, const double *y,
                 const double *sw, mlc_progress_ctx *progress, mlc_linear_svr **out);

#endif
