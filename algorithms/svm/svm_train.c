/* The kernel-machine problems as SMO problems (algorithms/svm/svm_train.h). */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "svm_train.h"

typedef struct work {
    double *alpha, *p, *C;
    int8_t *y;
} work;

static int work_alloc(work *w, size_t l)
{
    size_t nb = l ? l : 1;
    w->alpha = calloc(nb, sizeof *w->alpha);
    w->p = calloc(nb, sizeof *w->p);
    w->C = calloc(nb, sizeof *w->C);
    w->y = calloc(nb, sizeof *w->y);
    if (w->alpha && w->p && w->C && w->y)
        return MLC_OK;
    return mlc_raise_nomem("the SVM problem");
}

static void work_free(work *w)
{
    free(w->alpha);
    free(w->p);
    free(w->C);
    free(w->y);
}

static double weight(const svm_train_spec *s, size_t i)
{
    return s->w ? s->w[i] : 1.0;
}

/* Variables, linear term, signs, bounds and the starting point. */
static void set_up(const svm_train_spec *s, work *w)
{
    size_t n = s->n;
    switch (s->type) {
    case MLC_SVM_C_SVC:
        for (size_t i = 0; i < n; i++) {
            w->y[i] = s->sign[i];
            w->p[i] = -1.0;
            w->C[i] = weight(s, i) * (s->sign[i] > 0 ? s->Cp : s->Cn);
        }
        break;
    case MLC_SVM_NU_SVC: {
        double total = 0.0;
        for (size_t i = 0; i < n; i++) {
            w->y[i] = s->sign[i];
            w->C[i] = weight(s, i);
            total += s->nu * w->C[i];
        }
        /* nu sum(w) / 2 on each side, filled from the first rows */
        double left[2] = {total / 2.0, total / 2.0};
        for (size_t i = 0; i < n; i++) {
            double *side = &left[w->y[i] > 0 ? 0 : 1];
            w->alpha[i] = fmin(w->C[i], *side);
            *side -= w->alpha[i];
        }
        break;
    }
    case MLC_SVM_ONE_CLASS: {
        double left = 0.0;
        for (size_t i = 0; i < n; i++) {
            w->y[i] = 1;
            w->C[i] = weight(s, i);
            left += w->C[i] * s->nu;
        }
        for (size_t i = 0; i < n && left > 0.0; i++) {
            w->alpha[i] = fmin(w->C[i], left);
            left -= w->alpha[i];
        }
        break;
    }
    case MLC_SVM_EPSILON_SVR:
        for (size_t i = 0; i < n; i++) {
            w->p[i] = s->epsilon - s->y[i];
            w->p[i + n] = s->epsilon + s->y[i];
            w->y[i] = 1;
            w->y[i + n] = -1;
            w->C[i] = w->C[i + n] = weight(s, i) * s->C;
        }
        break;
    case MLC_SVM_NU_SVR: {
        double left = 0.0;
        for (size_t i = 0; i < n; i++) {
            w->C[i] = w->C[i + n] = weight(s, i) * s->C;
            left += w->C[i] * s->nu;
        }
        left /= 2.0;
        for (size_t i = 0; i < n; i++) {
            w->alpha[i] = w->alpha[i + n] = fmin(left, w->C[i]);
            left -= w->alpha[i];
            w->p[i] = -s->y[i];
            w->p[i + n] = s->y[i];
            w->y[i] = 1;
            w->y[i + n] = -1;
        }
        break;
    }
    }
}

int svm_train_one(const svm_train_spec *s, double *coef, svm_solution *sol)
{
    int regression = s->type == MLC_SVM_EPSILON_SVR || s->type == MLC_SVM_NU_SVR;
    size_t n = s->n, l = regression ? 2 * n : n;
    work w = {0};
    int st = work_alloc(&w, l);
    svm_q *Q = NULL;
    if (!st) {
        set_up(s, &w);
        svm_q_spec qs = {s->kernel, s->X,        s->rows,    n, regression ? NULL : w.y,
                         regression, s->cache_mb, s->threads, s->row_sq};
        st = svm_q_new(&qs, &Q);
    }
    if (!st) {
        int nu = s->type == MLC_SVM_NU_SVC || s->type == MLC_SVM_NU_SVR;
        svm_problem pr = {Q, l, w.p, w.y, w.C, s->tol, s->shrinking, s->max_iter, nu,
                          s->progress};
        st = svm_solve(&pr, w.alpha, sol);
    }
    if (!st) {
        switch (s->type) {
        case MLC_SVM_C_SVC:
            for (size_t i = 0; i < n; i++)
                coef[i] = w.alpha[i] * w.y[i];
            break;
        case MLC_SVM_NU_SVC: /* back onto the C scale, as libsvm (r may be tiny) */
            for (size_t i = 0; i < n; i++)
                coef[i] = w.alpha[i] * w.y[i] / sol->r;
            sol->rho /= sol->r;
            sol->obj /= sol->r * sol->r;
            break;
        case MLC_SVM_ONE_CLASS:
            for (size_t i = 0; i < n; i++)
                coef[i] = w.alpha[i];
            break;
        default: /* the two regressions */
            for (size_t i = 0; i < n; i++)
                coef[i] = w.alpha[i] - w.alpha[i + n];
            break;
        }
    }
    svm_q_free(Q);
    work_free(&w);
    return st;
}

double svm_problem_work(size_t rows, const svm_kernel *kernel, size_t features)
{
    double per = kernel->type == MLC_SVM_PRECOMPUTED ? 8.0 : (double)features + 8.0;
    return (double)rows * (double)rows * per;
}
