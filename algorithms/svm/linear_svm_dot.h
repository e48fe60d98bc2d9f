/* The inner products of the linear SVM solvers, as bodies inlined into
 * each form (wide: one 8-lane vector; narrow: two 4-lane halves;
 * reference: 8 scalars). Element j of each 8-value block goes to logical
 * lane j % 8; the lanes are added (0 + 4) + (1 + 5) and (2 + 6) + (3 + 7),
 * those two sums added, then the tail in order. No contraction: every form
 * gives the same bits (test_linear_svm: kernel_forms_match_reference). */
#ifndef MLC_LINEAR_SVM_DOT_H
#define MLC_LINEAR_SVM_DOT_H
#include <stddef.h>
#include "internal/hot.h"
#include "internal/vec.h"

MLC_BODY double lsvm_dot_body(int lanes, const double *x, const double *w, size_t p)
{
    double a[8] = {0};
    size_t j = 0;
    if (lanes == 8) {
        mlc_v8d acc = {0}, u, v;
        for (; j + 8 <= p; j += 8) {
            MLC_LOADV(u, x + j);
            MLC_LOADV(v, w + j);
            acc += u * v;
        }
        MLC_STOREV(a, acc);
    } else if (lanes == 4) {
        mlc_v4d lo = {0}, hi = {0}, u, v;
        for (; j + 8 <= p; j += 8) {
            MLC_LOADV(u, x + j);
            MLC_LOADV(v, w + j);
            lo += u * v;
            MLC_LOADV(u, x + j + 4);
            MLC_LOADV(v, w + j + 4);
            hi += u * v;
        }
        MLC_STOREV(a, lo);
        MLC_STOREV(a + 4, hi);
    } else {
        for (; j + 8 <= p; j += 8)
            for (int l = 0; l < 8; l++)
                a[l] += x[j + l] * w[j + l];
    }
    double s = ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
    for (; j < p; j++)
        s += x[j] * w[j];
    return s;
}

/* w += a x, element by element. */
MLC_BODY void lsvm_axpy_body(int lanes, double a, const double *x, double *w, size_t p)
{
    size_t j = 0;
    if (lanes == 8) {
        mlc_v8d av = {a, a, a, a, a, a, a, a}, u, v;
        for (; j + 8 <= p; j += 8) {
            MLC_LOADV(u, x + j);
            MLC_LOADV(v, w + j);
            v += av * u;
            MLC_STOREV(w + j, v);
        }
    } else if (lanes == 4) {
        mlc_v4d av = {a, a, a, a}, u, v;
        for (; j + 4 <= p; j += 4) {
            MLC_LOADV(u, x + j);
            MLC_LOADV(v, w + j);
            v += av * u;
            MLC_STOREV(w + j, v);
        }
    }
    for (; j < p; j++)
        w[j] += a * x[j];
}

/* Pull the row at x (p values) into the cache ahead of its use. */
MLC_BODY void lsvm_prefetch_row(const double *x, size_t p)
{
    for (size_t j = 0; j < p; j += 8)
        MLC_PREFETCH(x + j, 0, 3);
}

#endif
