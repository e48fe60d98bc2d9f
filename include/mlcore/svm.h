/* Kernel support vector machines (scikit-learn 1.2 semantics, which are
 * libsvm's; see docs/PARITY.md §5):
 *
 *   SVC          C-support vector classification     registry name "svc"
 *   NuSVC        nu-support vector classification    registry name "nu_svc"
 *   SVR          epsilon-support vector regression   registry name "svr"
 *   NuSVR        nu-support vector regression        registry name "nu_svr"
 *   OneClassSVM  one-class novelty detection         registry name "one_class_svm"
 *
 * One solver serves all five: sequential minimal optimisation with
 * second-order working-set selection, shrinking and an LRU cache of kernel
 * rows bounded by cache_size megabytes (never an n x n kernel matrix).
 * Multiclass classification is one-vs-one, as libsvm's, with scikit-learn's
 * attribute layout (support_, dual_coef_, intercept_, ...).
 */
#ifndef MLCORE_SVM_H
#define MLCORE_SVM_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/estimator.h"
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mlc_svm_kernel_type {
    MLC_SVM_LINEAR = 0,     /* <x, z> */
    MLC_SVM_POLY = 1,       /* (gamma <x, z> + coef0)^degree */
    MLC_SVM_RBF = 2,        /* exp(-gamma |x - z|^2) */
    MLC_SVM_SIGMOID = 3,    /* tanh(gamma <x, z> + coef0) */
    MLC_SVM_PRECOMPUTED = 4 /* X is the kernel matrix: n x n at fit, n_test x n_train after */
} mlc_svm_kernel_type;

typedef enum mlc_svm_type {
    MLC_SVM_C_SVC = 0,
    MLC_SVM_NU_SVC = 1,
    MLC_SVM_EPSILON_SVR = 2,
    MLC_SVM_NU_SVR = 3,
    MLC_SVM_ONE_CLASS = 4
} mlc_svm_type;

/* gamma: a number > 0, or one of these (mlc_real_or_choice.choice). */
#define MLC_SVM_GAMMA_SCALE 0 /* 1 / (n_features * X.var()), X.var() over every entry */
#define MLC_SVM_GAMMA_AUTO 1  /* 1 / n_features */

/* decision_function_shape */
#define MLC_SVM_OVR 0
#define MLC_SVM_OVO 1

/* A fitted SVC, NuSVC, SVR, NuSVR or OneClassSVM. */
typedef struct mlc_svm mlc_svm;

typedef struct mlc_svc_params {
    double C;                  /* 1.0, > 0 */
    int kernel;                /* MLC_SVM_RBF */
    long degree;               /* 3, >= 0 (poly) */
    mlc_real_or_choice gamma;  /* MLC_SVM_GAMMA_SCALE, or a number > 0 */
    double coef0;              /* 0.0 (poly, sigmoid) */
    int shrinking;             /* 1 */
    double tol;                /* 0.001, > 0: stop when the KKT violation is below */
    double cache_size;         /* 200, > 0: megabytes of kernel rows kept */
    long max_iter;             /* -1: no limit */
    int probability;           /* 0: 1 fits Platt's sigmoids on an internal 5-fold CV */
    mlc_class_weight class_weight; /* MLC_CLASS_WEIGHT_NONE */
    int decision_function_shape; /* MLC_SVM_OVR */
    int break_ties;            /* 0 */
    int64_t random_state;      /* -1: a fresh seed (the probability folds) */
    int n_threads;             /* 0 = all cores */
} mlc_svc_params;

typedef struct mlc_nu_svc_params {
    double nu;                 /* 0.5, in (0, 1] */
    int kernel;                /* MLC_SVM_RBF */
    long degree;               /* 3, >= 0 (poly) */
    mlc_real_or_choice gamma;  /* MLC_SVM_GAMMA_SCALE, or a number > 0 */
    double coef0;              /* 0.0 (poly, sigmoid) */
    int shrinking;             /* 1 */
    double tol;                /* 0.001, > 0: stop when the KKT violation is below */
    double cache_size;         /* 200, > 0: megabytes of kernel rows kept */
    long max_iter;             /* -1: no limit */
    int probability;           /* 0 */
    mlc_class_weight class_weight; /* MLC_CLASS_WEIGHT_NONE: kept, no effect (as libsvm) */
    int decision_function_shape; /* MLC_SVM_OVR */
    int break_ties;            /* 0 */
    int64_t random_state;      /* -1 */
    int n_threads;             /* 0 */
} mlc_nu_svc_params;

typedef struct mlc_svr_params {
    double C;                  /* 1.0, > 0 */
    double epsilon;            /* 0.1, >= 0 */
    int kernel;                /* MLC_SVM_RBF */
    long degree;               /* 3, >= 0 (poly) */
    mlc_real_or_choice gamma;  /* MLC_SVM_GAMMA_SCALE, or a number > 0 */
    double coef0;              /* 0.0 (poly, sigmoid) */
    int shrinking;             /* 1 */
    double tol;                /* 0.001, > 0: stop when the KKT violation is below */
    double cache_size;         /* 200, > 0: megabytes of kernel rows kept */
    long max_iter;             /* -1: no limit */
    int n_threads;             /* 0 */
} mlc_svr_params;

typedef struct mlc_nu_svr_params {
    double nu;                 /* 0.5, in (0, 1] */
    double C;                  /* 1.0, > 0 */
    int kernel;                /* MLC_SVM_RBF */
    long degree;               /* 3, >= 0 (poly) */
    mlc_real_or_choice gamma;  /* MLC_SVM_GAMMA_SCALE, or a number > 0 */
    double coef0;              /* 0.0 (poly, sigmoid) */
    int shrinking;             /* 1 */
    double tol;                /* 0.001, > 0: stop when the KKT violation is below */
    double cache_size;         /* 200, > 0: megabytes of kernel rows kept */
    long max_iter;             /* -1: no limit */
    int n_threads;             /* 0 */
} mlc_nu_svr_params;

typedef struct mlc_one_class_svm_params {
    double nu;                 /* 0.5, in (0, 1] */
    int kernel;                /* MLC_SVM_RBF */
    long degree;               /* 3, >= 0 (poly) */
    mlc_real_or_choice gamma;  /* MLC_SVM_GAMMA_SCALE, or a number > 0 */
    double coef0;              /* 0.0 (poly, sigmoid) */
    int shrinking;             /* 1 */
    double tol;                /* 0.001, > 0: stop when the KKT violation is below */
    double cache_size;         /* 200, > 0: megabytes of kernel rows kept */
    long max_iter;             /* -1: no limit */
    int n_threads;             /* 0 */
} mlc_one_class_svm_params;

MLC_API mlc_svc_params mlc_svc_params_default(void);
MLC_API mlc_nu_svc_params mlc_nu_svc_params_default(void);
MLC_API mlc_svr_params mlc_svr_params_default(void);
MLC_API mlc_nu_svr_params mlc_nu_svr_params_default(void);
MLC_API mlc_one_class_svm_params mlc_one_class_svm_params_default(void);

/* Fit. X: n x p (precomputed kernel: n x n); y: n values (classifiers:
 * integral class labels, at least two classes); sample_weight: n values or
 * NULL (rows of weight <= 0 are left out, as libsvm does). Errors:
 * MLC_EINVAL (parameters, one class, nu infeasible for the class sizes),
 * MLC_EEMPTY, MLC_EBADLEN, MLC_ENONFINITE, MLC_ENOMEM. */
MLC_API int mlc_svc_fit(const mlc_svc_params *p, const mlc_matrix *X, const double *y,
                        const double *sample_weight, mlc_svm **out);
MLC_API int mlc_nu_svc_fit(const mlc_nu_svc_params *p, const mlc_matrix *X, const double *y,
                           const double *sample_weight, mlc_svm **out);
MLC_API int mlc_svr_fit(const mlc_svr_params *p, const mlc_matrix *X, const double *y,
                        const double *sample_weight, mlc_svm **out);
MLC_API int mlc_nu_svr_fit(const mlc_nu_svr_params *p, const mlc_matrix *X, const double *y,
                           const double *sample_weight, mlc_svm **out);
MLC_API int mlc_one_class_svm_fit(const mlc_one_class_svm_params *p, const mlc_matrix *X,
                                  const double *sample_weight, mlc_svm **out);
MLC_API void mlc_svm_free(mlc_svm *m);

/* predict into out[X->rows]: class labels (classifiers: one-vs-one votes,
 * ties to the lower class; break_ties: the largest ovr value), values
 * (regressors), +1 inlier / -1 outlier (one-class). */
MLC_API int mlc_svm_predict(const mlc_svm *m, const mlc_matrix *X, double *out);
/* decision_function into out (X->rows x mlc_svm_decision_cols(m)):
 * classifiers with two classes one column (> 0 means classes_[1]); more
 * classes one per class (ovr) or per pair (ovo); one column otherwise. */
MLC_API size_t mlc_svm_decision_cols(const mlc_svm *m);
MLC_API int mlc_svm_decision_function(const mlc_svm *m, const mlc_matrix *X, mlc_matrix *out);
/* predict_proba into out (X->rows x n_classes, classes_ order), for a
 * classifier fitted with probability = 1: the pairs' Platt sigmoids coupled
 * by Wu, Lin & Weng's method 2. predict may disagree with the most
 * probable class on a few rows, as in libsvm and scikit-learn (votes and
 * probabilities are different rules). Errors: MLC_EUNSUPPORTED (fitted
 * without probability, or not a classifier). */
MLC_API int mlc_svm_predict_proba(const mlc_svm *m, const mlc_matrix *X, mlc_matrix *out);

/* A fitted attribute by scikit-learn's name (support_, support_vectors_,
 * n_support_, dual_coef_, intercept_, classes_, coef_, n_iter_,
 * fit_status_, shape_fit_, offset_, ...); borrowed until m is freed.
 * Errors: MLC_ENOTFOUND. */
MLC_API int mlc_svm_attribute(const mlc_svm *m, const char *name, mlc_attribute *out);

#ifdef __cplusplus
}
#endif

#endif
