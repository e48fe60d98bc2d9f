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

#ifdef __cplusplus
}
#endif

#endif
