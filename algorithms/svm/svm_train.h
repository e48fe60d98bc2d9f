/* The five kernel-machine problems as SMO problems (the formulations of
 * Chang & Lin, "LIBSVM: a library for support vector machines", 2011,
 * section 2), each one decision function: coefficients per training point
 * and rho, with f(x) = sum_i coef_i K(x_i, x) - rho.
 *
 *   C-SVC     min 1/2 a'Qa - e'a, 0 <= a_i <= C_i, y'a = 0; coef = y a
 *   nu-SVC    min 1/2 a'Qa, 0 <= a_i <= w_i, y'a = 0, e'a = nu sum(w);
 *             rescaled by 1/r onto the C scale
 *   one-class min 1/2 a'Ka, 0 <= a_i <= w_i, e'a = nu sum(w)
 *   eps-SVR   2n variables (a, a*), linear term eps -/+ y; coef = a - a*
 *   nu-SVR    2n variables, e'(a + a*) = C nu sum(w); coef = a - a*
 *
 * C_i = C * (class weight) * sample_weight_i. Starting points are
 * libsvm's, so the solver walks the same path. */
#ifndef MLC_SVM_TRAIN_H
#define MLC_SVM_TRAIN_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/svm.h"
#include "svm_smo.h"

typedef struct svm_train_spec {
    mlc_svm_type type;
    const svm_kernel *kernel;
    const mlc_matrix *X;
    const size_t *rows;  /* the n rows of X used (NULL: all; classification) */
    size_t n;
    const int8_t *sign;  /* classification: +1 / -1 per used row */
    const double *y;     /* regression targets per used row */
    const double *w;     /* sample weights per used row (NULL: 1) */
    const double *row_sq; /* rbf: squared norms by row of X (NULL: computed per problem) */
    double C, nu, epsilon;
    double Cp, Cn;       /* C-SVC: C times the class weight of the +1 / -1 side */
    double tol, cache_mb;
    int shrinking, threads;
    int64_t max_iter;
    mlc_progress_ctx *progress; /* NULL: none */
} svm_train_spec;

/* The work of a problem of `rows` rows, as a full kernel matrix would cost
 * (rows^2 x (features + 8); a precomputed kernel: rows^2 x 8), and the
 * total below which independent problems (the one-vs-one pairs, the
 * probability folds) run in order instead of side by side on the threads:
 * iris's three pairs take 0.1 ms, and a thread team costs as much on a
 * quiet machine, milliseconds on a busy one. digits's 45 pairs are ~4e8. */
#define SVM_SIDE_BY_SIDE_MIN_WORK 3e7
double svm_problem_work(size_t rows, const svm_kernel *kernel, size_t features);

/* coef: n values; sol: rho (and r, obj, iter, hit_max_iter). */
int svm_train_one(const svm_train_spec *s, double *coef, svm_solution *sol);

#endif
