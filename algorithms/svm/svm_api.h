/* What the typed faces (svm_api.c) and the registry faces
 * (svm_registry.c, svm_attrs.c) of the kernel machines share. */
#ifndef MLC_SVM_API_H
#define MLC_SVM_API_H
#include "internal/registry.h"
#include "mlcore/svm.h"
#include "svm_model.h"

#define SVM_MAX_ATTRIBUTES 20

/* The typed fit of a kernel machine of `type` (p its params struct:
 * mlc_svc_params for C-SVC, ...; y NULL for one-class), reporting to
 * progress (NULL: none): the registry's fits and the typed faces. */
int svm_fit_typed(mlc_svm_type type, const void *p, const mlc_matrix *X, const double *y,
                  const double *sw, mlc_progress_ctx *progress, mlc_svm **out);

/* The fitted attributes in scikit-learn's names and shapes, for this
 * model's kind; returns the count even past cap. */
size_t svm_attributes(const mlc_svm *m, mlc_attribute *out, size_t cap);
/* A model from its saved attributes; kernel, degree and coef0 from the
 * restored params, every shape checked. */
int svm_restore(mlc_svm_type type, int kernel, long degree, double coef0, int n_threads,
                const mlc_attr_set *s, mlc_svm **out);

#endif
