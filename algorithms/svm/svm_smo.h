/* Sequential minimal optimisation for the kernel machines' duals:
 *
 *     min  1/2 a'Q a + p'a   subject to  0 <= a_t <= C_t,  y'a = constant
 *
 * (y_t = +1/-1), and the nu form, which keeps y'a and e'a constant, so that
 * every update moves two variables of the same sign (Chang & Lin 2001).
 * Platt (1998) for the two-variable steps; Fan, Chen & Lin (2005) for the
 * second-order working-set selection (WSS 3: i maximises -y_t grad_t over
 * I_up, j minimises the second-order decrease over I_low); Chang & Lin's
 * libsvm guide (2011, section 5) for shrinking and gradient reconstruction.
 * It stops when the maximal KKT violation m(a) - M(a) falls below eps, as
 * libsvm does, with ties broken toward the last index. */
#ifndef MLC_SVM_SMO_H
#define MLC_SVM_SMO_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"
#include "svm_q.h"

typedef struct svm_problem {
    svm_q *Q;
    size_t l;
    const double *p;   /* linear term (l) */
    const int8_t *y;   /* signs (l) */
    const double *C;   /* upper bounds (l) */
    double eps;        /* stopping tolerance */
    int shrinking;
    int64_t max_iter;  /* -1: no limit */
    int nu;            /* the nu form */
    mlc_progress_ctx *progress; /* ticked every 1024 iterations (NULL: none) */
} svm_problem;

typedef struct svm_solution {
    double rho;       /* the decision function is sum_t a_t y_t K(., x_t) - rho */
    double r;         /* nu form: the scale of the solution */
    double obj;       /* the dual objective */
    int64_t iter;     /* iterations (two-variable updates) */
    int hit_max_iter; /* stopped by max_iter before tolerance */
} svm_solution;

/* alpha (l values) holds a feasible start on entry and the solution on exit,
 * in the problem's own order. MLC_EINTERRUPTED (no message) when the
 * progress callback says stop. */
int svm_solve(const svm_problem *pr, double *alpha, svm_solution *out);

#endif
