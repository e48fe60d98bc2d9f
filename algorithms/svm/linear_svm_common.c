/* What LinearSVC and LinearSVR share: the training rows, the decision
 * values and the checks of the common settings
 * (algorithms/svm/linear_svm_model.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/mem.h"
#include "internal/parallel.h"
#include "internal/validate.h"
#include "linear_svm_model.h"

int lsvm_check_common(double C, double tol, double intercept_scaling, int64_t max_iter,
                      int n_threads, const char *who)
{
    if (!(C > 0.0 && isfinite(C)))
        return mlc_raise(MLC_EINVAL, "%s: C must be a number > 0, got %g", who, C);
    if (!(tol > 0.0 && isfinite(tol)))
        return mlc_raise(MLC_EINVAL, "%s: tol must be a number > 0, got %g", who, tol);
    if (!(intercept_scaling > 0.0 && isfinite(intercept_scaling)))
        return mlc_raise(MLC_EINVAL, "%s: intercept_scaling must be a number > 0, got %g", who,
                         intercept_scaling);
    if (max_iter < 0)
        return mlc_raise(MLC_EINVAL, "%s: max_iter must be >= 0, got %lld", who,
                         (long long)max_iter);
    return mlc_check_threads(n_threads, who);
}

void lsvm_train_clear(lsvm_train *t)
{
    mlc_aligned_free(t->copy);
    free(t->sq);
    free(t->w);
    free(t->keep);
    memset(t, 0, sizeof *t);
}

int lsvm_train_init(lsvm_train *t, const mlc_matrix *X, const double *sw, double bias,
                    int threads)
{
    memset(t, 0, sizeof *t);
    size_t n = X->rows, p = X->cols, kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += !sw || sw[i] > 0.0;
    size_t nb = kept ? kept : 1;
    t->sq = malloc(nb * sizeof *t->sq);
    if (sw)
        t->w = malloc(nb * sizeof *t->w);
    if (kept < n) {
        t->keep = malloc(nb * sizeof *t->keep);
        t->copy = mlc_aligned_alloc(nb * (p ? p : 1), sizeof(double));
    }
    if (!t->sq || (sw && !t->w) || (kept < n && (!t->keep || !t->copy))) {
        lsvm_train_clear(t);
        return mlc_raise_nomem("the training rows");
    }
    t->d = (lsvm_data){X->data, kept, p, X->stride, bias, t->sq, threads};
    if (kept < n) {
        for (size_t i = 0, k = 0; i < n; i++)
            if (sw[i] > 0.0) {
                memcpy(t->copy + k * p, mlc_matrix_row(X, i), p * sizeof(double));
                t->keep[k++] = i;
            }
        t->d.X = t->copy;
        t->d.ld = p;
    }
    for (size_t k = 0; k < kept; k++)
        if (sw)
            t->w[k] = sw[t->keep ? t->keep[k] : k];
    lsvm_dot_fn *dot = lsvm_dot_form(mlc_cpu_level());
    for (size_t k = 0; k < kept; k++) {
        const double *x = t->d.X + k * t->d.ld;
        t->sq[k] = dot(x, x, p) + bias * bias;
    }
    return MLC_OK;
}

typedef struct decision_job {
    const mlc_matrix *X;
    const double *coef, *intercept;
    size_t rows, p, ld_out;
    double *out;
    lsvm_dot_fn *dot;
    mlc_parts parts;
} decision_job;

static void decision_part(void *ctx, size_t q)
{
    const decision_job *j = ctx;
    for (size_t i = mlc_part_lo(&j->parts, q); i < mlc_part_hi(&j->parts, q); i++) {
        const double *x = mlc_matrix_row(j->X, i);
        for (size_t k = 0; k < j->rows; k++)
            j->out[i * j->ld_out + k] = j->dot(x, j->coef + k * j->p, j->p) + j->intercept[k];
    }
}

int lsvm_decision(const mlc_matrix *X, const double *coef, const double *intercept,
                  size_t rows, size_t p, int threads, double *out, size_t ld_out)
{
    decision_job j = {X, coef, intercept, rows, p, ld_out, out, lsvm_dot_form(mlc_cpu_level()),
                      mlc_parts_sized(X->rows, 1024)};
    double work = (double)X->rows * (double)p * (double)rows;
    int t = mlc_threads_for(threads, j.parts.count, work, MLC_PARALLEL_MIN_WORK);
    mlc_parallel_parts(t, j.parts.count, decision_part, &j);
    return MLC_OK;
}

int lsvm_read_fit_state(const mlc_attr_set *s, int64_t *n_iter, int32_t *converged)
{
    double it, conv;
    const mlc_attr_want want[] = {
        {"n_iter_", 0, {0, 0, 0}, &it},
        {"converged", 0, {0, 0, 0}, &conv},
    };
    int st = mlc_attrs_read(s, want, MLC_COUNT_OF(want));
    if (st)
        return st;
    if (!(it >= 0.0 && it <= 9e15 && it == floor(it)) || !(conv == 0.0 || conv == 1.0))
        return mlc_raise(MLC_EFORMAT, "model file: n_iter_ or converged is not a count");
    *n_iter = (int64_t)it;
    *converged = (int32_t)conv;
    return MLC_OK;
}
