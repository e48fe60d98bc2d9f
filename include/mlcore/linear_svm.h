/* Linear support vector machines (scikit-learn 1.2 semantics, which are
 * liblinear's; see docs/PARITY.md §6):
 *
 *   LinearSVC  linear classification   registry name "linear_svc"
 *   LinearSVR  linear regression       registry name "linear_svr"
 *
 * Both fit w and an intercept on x^ = [x, intercept_scaling], so the
 * intercept is regularised like the weights (intercept_ = intercept_scaling
 * * w^[p]); nothing is centred. Per binary problem LinearSVC minimises
 *
 *   1/2 |w^|^2 + sum_i C_i max(0, 1 - y_i w^'x^_i)^q     (penalty l2)
 *   |w^|_1     + sum_i C_i max(0, 1 - y_i w^'x^_i)^2     (penalty l1)
 *
 * with q = 1 (hinge) or 2 (squared_hinge) and C_i = C * class weight *
 * sample weight; more than two classes are one-vs-rest problems (the
 * positive class gets C * its class weight, the rest plain C) or one
 * Crammer-Singer problem. LinearSVR minimises 1/2 |w^|^2 + sum_i C_i
 * max(0, |y_i - w^'x^_i| - epsilon)^q (q = 1: epsilon_insensitive,
 * 2: squared_epsilon_insensitive). Rows of weight 0 are left out, as
 * liblinear does.
 *
 * The solvers, by (penalty, loss, dual):
 *   l2, squared_hinge / hinge, dual   dual coordinate descent (Hsieh et al.
 *                                     2008) with shrinking and a seeded
 *                                     random order of the rows each epoch
 *   l2, squared_hinge, primal         TRON, a trust-region Newton method
 *                                     (Lin, Weng & Keerthi 2008)
 *   l1, squared_hinge, primal         coordinate descent with a Newton step
 *                                     and line search per coordinate (Yuan,
 *                                     Chang, Hsieh & Lin 2010)
 *   multi_class crammer_singer        sequential dual method (Keerthi et al.
 *                                     2008); penalty, loss, dual ignored
 *   LinearSVR dual                    dual coordinate descent (Ho & Lin 2012)
 *   LinearSVR squared, primal         TRON
 * n_iter is the epochs (TRON: Newton iterations) of the longest
 * subproblem; not meeting tol within max_iter is not an error (converged
 * is 0). The random order cannot follow scikit-learn's generator, so
 * results agree with it to the solver's tolerance, not bit for bit. With
 * more than two classes (one-vs-rest) the subproblems run on n_threads
 * threads; the result does not depend on the thread count.
 *
 * Everything else follows the typed-estimator pattern of mlcore.h. */
#ifndef MLCORE_LINEAR_SVM_H
#define MLCORE_LINEAR_SVM_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/estimator.h"
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* penalty */
#define MLC_LINEAR_SVC_L1 0
#define MLC_LINEAR_SVC_L2 1
/* loss (LinearSVC) */
#define MLC_LINEAR_SVC_HINGE 0
#define MLC_LINEAR_SVC_SQUARED_HINGE 1
/* multi_class */
#define MLC_LINEAR_SVC_OVR 0
#define MLC_LINEAR_SVC_CRAMMER_SINGER 1
/* loss (LinearSVR) */
#define MLC_LINEAR_SVR_EPSILON_INSENSITIVE 0
#define MLC_LINEAR_SVR_SQUARED_EPSILON_INSENSITIVE 1

typedef struct mlc_linear_svc_params {
    int penalty;              /* MLC_LINEAR_SVC_L2 */
    int loss;                 /* MLC_LINEAR_SVC_SQUARED_HINGE */
    int dual;                 /* 1: solve the dual (l1 needs 0, hinge needs 1) */
    double tol;               /* 1e-4, > 0 */
    double C;                 /* 1.0, > 0 */
    int multi_class;          /* MLC_LINEAR_SVC_OVR */
    int fit_intercept;        /* 1 */
    double intercept_scaling; /* 1, > 0: the constant feature of the intercept */
    mlc_class_weight class_weight; /* MLC_CLASS_WEIGHT_NONE */
    int64_t random_state;     /* -1: a fresh seed; the order of the rows in each epoch */
    int64_t max_iter;         /* 1000, >= 0 */
    int n_threads;            /* 0 = all cores */
} mlc_linear_svc_params;

typedef struct mlc_linear_svr_params {
    double epsilon;           /* 0.0, >= 0: half-width of the free tube */
    double tol;               /* 1e-4, > 0 */
    double C;                 /* 1.0, > 0 */
    int loss;                 /* MLC_LINEAR_SVR_EPSILON_INSENSITIVE */
    int fit_intercept;        /* 1 */
    double intercept_scaling; /* 1.0, > 0 */
    int dual;                 /* 1 (epsilon_insensitive needs 1) */
    int64_t random_state;     /* -1 */
    int64_t max_iter;         /* 1000, >= 0 */
    int n_threads;            /* 0 = all cores */
} mlc_linear_svr_params;

/* A fitted LinearSVC / LinearSVR. */
typedef struct mlc_linear_svc mlc_linear_svc;
typedef struct mlc_linear_svr mlc_linear_svr;

MLC_API mlc_linear_svc_params mlc_linear_svc_params_default(void);
MLC_API mlc_linear_svr_params mlc_linear_svr_params_default(void);

/* Fit. y: n integral class labels (at least two classes) / n targets;
 * sample_weight: n values >= 0 or NULL. Errors: MLC_EINVAL (parameters or
 * a combination scikit-learn refuses: penalty l1 with hinge, l2 with hinge
 * and dual = 0, l1 with dual = 1, epsilon_insensitive with dual = 0; one
 * class; a class_weight naming a class not in y), MLC_EEMPTY, MLC_EBADLEN,
 * MLC_ENONFINITE. */
MLC_API int mlc_linear_svc_fit(const mlc_linear_svc_params *p, const mlc_matrix *X,
                               const double *y, const double *sample_weight,
                               mlc_linear_svc **out);
MLC_API int mlc_linear_svr_fit(const mlc_linear_svr_params *p, const mlc_matrix *X,
                               const double *y, const double *sample_weight,
                               mlc_linear_svr **out);

/* predict into out[X->rows]: class labels (two classes: classes_[1] where
 * the decision is > 0; more: the largest decision, the first on ties) /
 * values. */
MLC_API int mlc_linear_svc_predict(const mlc_linear_svc *m, const mlc_matrix *X, double *out);
MLC_API int mlc_linear_svr_predict(const mlc_linear_svr *m, const mlc_matrix *X, double *out);
/* decision_function X coef_' + intercept_ into out (X->rows x
 * mlc_linear_svc_n_rows(m): one column for two classes, else one per
 * class). */
MLC_API int mlc_linear_svc_decision_function(const mlc_linear_svc *m, const mlc_matrix *X,
                                             mlc_matrix *out);

/* Getters (borrowed arrays). coef_ is n_rows x n_features (row-major) and
 * intercept_ n_rows values (zeros without fit_intercept), n_rows = 1 for two
 * classes, else n_classes; LinearSVR: n_features and one value. */
MLC_API size_t mlc_linear_svc_n_features(const mlc_linear_svc *m);
MLC_API size_t mlc_linear_svc_n_classes(const mlc_linear_svc *m);
MLC_API size_t mlc_linear_svc_n_rows(const mlc_linear_svc *m);
MLC_API const double *mlc_linear_svc_classes(const mlc_linear_svc *m);
MLC_API const double *mlc_linear_svc_coef(const mlc_linear_svc *m);
MLC_API const double *mlc_linear_svc_intercept(const mlc_linear_svc *m);
/* n_iter_: epochs (or Newton iterations) of the longest subproblem. */
MLC_API int64_t mlc_linear_svc_n_iter(const mlc_linear_svc *m);
/* 1 when every subproblem met tol within max_iter. */
MLC_API int mlc_linear_svc_converged(const mlc_linear_svc *m);
MLC_API void mlc_linear_svc_free(mlc_linear_svc *m);

MLC_API size_t mlc_linear_svr_n_features(const mlc_linear_svr *m);
MLC_API const double *mlc_linear_svr_coef(const mlc_linear_svr *m);
MLC_API const double *mlc_linear_svr_intercept(const mlc_linear_svr *m);
MLC_API int64_t mlc_linear_svr_n_iter(const mlc_linear_svr *m);
MLC_API int mlc_linear_svr_converged(const mlc_linear_svr *m);
MLC_API void mlc_linear_svr_free(mlc_linear_svr *m);

#ifdef __cplusplus
}
#endif

#endif
