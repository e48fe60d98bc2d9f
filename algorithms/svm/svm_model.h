/* A fitted kernel machine, in libsvm's layout (docs/PARITY.md §5):
 *
 *   support vectors grouped by class in class order, ascending within a
 *   class; for the one-vs-one pair p = (i, j), i < j, the coefficients of
 *   class i's vectors are in row j-1 of coef, those of class j's in row i;
 *   f_p(x) = sum coef K(x, sv) - rho[p] > 0 votes for class i.
 *
 * scikit-learn's attributes are views of it: for two classes dual_coef_ and
 * intercept_ change sign (a positive decision means classes_[1]);
 * intercept_ = -rho otherwise. Regression and one-class models have one row
 * of coefficients and one rho. */
#ifndef MLC_SVM_MODEL_H
#define MLC_SVM_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"
#include "mlcore/svm.h"
#include "svm_kernel.h"

typedef struct svm_fit_params {
    mlc_svm_type type;
    svm_kernel kernel; /* gamma resolved */
    double C, nu, epsilon, tol, cache_mb;
    int shrinking, probability, threads; /* probability: Platt's sigmoids per pair */
    int64_t max_iter, random_state;
    const double *class_weight; /* per class (classes_ order), NULL: 1 */
    mlc_progress_ctx *progress; /* NULL: none */
} svm_fit_params;

typedef struct mlc_svm svm_model;

struct mlc_svm {
    mlc_svm_type type;
    svm_kernel kernel;
    size_t p;          /* features (precomputed: training rows) */
    size_t n_class;    /* classifiers: K >= 2; else 0 */
    size_t n_pairs;    /* K(K-1)/2, or 1 */
    size_t n_sv;
    double *classes;   /* K labels, ascending */
    int32_t *n_support; /* K (classifiers) */
    size_t *sv_start;  /* K + 1: class c's vectors are [sv_start[c], sv_start[c+1]) */
    int32_t *support;  /* n_sv training-row indices */
    double *sv;        /* n_sv x p (empty for a precomputed kernel) */
    double *sv_sq;     /* squared norms of sv (rbf) */
    double *coef;      /* max(K-1, 1) x n_sv */
    double *rho;       /* n_pairs */
    double *prob_a, *prob_b; /* n_pairs, or NULL without probability */
    int64_t *n_iter;   /* n_pairs */
    double *class_weight; /* K */
    int64_t fit_status;  /* 0, or 1 if a pair stopped at max_iter */
    int64_t shape_fit[2]; /* the training X's rows and columns */
    int decision_shape, break_ties, threads; /* how outputs are given */
    /* scikit-learn's views (svm_attrs.c): dual_coef_ and intercept_ with
     * its signs, coef_ for the linear kernel */
    double *dual_coef_view, *intercept_view, *coef_view;
};

void svm_model_free(svm_model *m);

/* Fit (X checked, y encoded): classifiers pass codes[i] < n_class (NULL
 * for the others), regressions y. Rows with weight <= 0 are left out, as
 * libsvm does. */
int svm_fit(const svm_fit_params *fp, const mlc_matrix *X, const int32_t *codes,
            const double *classes, size_t n_class, const double *y, const double *sw,
            svm_model **out);

/* scikit-learn's views of the model (dual_coef_, intercept_, coef_),
 * derived once after a fit or a restore. */
int svm_model_views(svm_model *m);

/* Decision values of every pair (n x n_pairs, libsvm's signs and order)
 * for rows of X (n x p, or precomputed n x n_train). */
int svm_decision_pairs(const svm_model *m, const mlc_matrix *X, double *out, int threads);

#endif
