/* Pooled second moments of a row partition (see algorithms/linear/linear_folds.h). */
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "linear_folds.h"
#include "linear_prep.h"

void mlc_lin_folds_clear(mlc_lin_folds *f)
{
    if (!f)
        return;
    free(f->count);
    free(f->mean);
    free(f->G);
    free(f->C);
    memset(f, 0, sizeof *f);
}

/* Part g's moments: a view of X when its rows are one run (an unshuffled
 * KFold part), else the row list. */
static int part_moments(mlc_lin_folds *f, const mlc_matrix *X, const mlc_matrix *Y,
                        const size_t *rows, size_t m, size_t g, int n_threads)
{
    size_t p = f->p, k = f->k;
    int run = rows[m - 1] - rows[0] == m - 1;
    mlc_matrix Xv = mlc_matrix_rows(X, rows[0], m), Yv = mlc_matrix_rows(Y, rows[0], m);
    mlc_lin_data d;
    int st = run ? mlc_lin_data_init(&d, &Xv, &Yv, NULL, NULL, 0, f->center, 0, n_threads)
                 : mlc_lin_data_init(&d, X, Y, NULL, rows, m, f->center, 0, n_threads);
    if (st)
        return st;
    st = mlc_lin_gram(&d, f->G + g * p * p, f->C + g * k * p, NULL);
    if (!st) {
        f->count[g] = (double)m;
        memcpy(f->mean + g * (p + k), d.x_offset, p * sizeof(double));
        memcpy(f->mean + g * (p + k) + p, d.y_offset, k * sizeof(double));
    }
    mlc_lin_data_clear(&d);
    return st;
}

int mlc_lin_folds_init(mlc_lin_folds *f, const mlc_matrix *X, const mlc_matrix *Y,
                       const uint32_t *part, size_t n_parts, int center, int n_threads)
{
    memset(f, 0, sizeof *f);
    size_t n = X->rows, p = X->cols, k = Y->cols;
    f->n_parts = n_parts;
    f->p = p;
    f->k = k;
    f->center = center;
    f->count = calloc(n_parts, sizeof *f->count);
    f->mean = calloc(n_parts * (p + k), sizeof *f->mean);
    f->G = malloc(n_parts * p * p * sizeof *f->G);
    f->C = malloc(n_parts * k * p * sizeof *f->C);
    size_t *rows = malloc(n * sizeof *rows), *start = calloc(n_parts + 1, sizeof *start);
    int st = f->count && f->mean && f->G && f->C && rows && start
                 ? MLC_OK
                 : mlc_raise_nomem("the moments of the cross-validation parts");
    /* rows grouped by part, ascending within each (a counting sort) */
    for (size_t i = 0; !st && i < n; i++)
        start[part[i] + 1]++;
    for (size_t g = 0; !st && g < n_parts; g++)
        start[g + 1] += start[g];
    for (size_t g = 0; !st && g < n_parts; g++)
        if (start[g + 1] == start[g])
            st = mlc_raise(MLC_EINVAL, "cross-validation part %zu has no rows", g);
    size_t *next = st ? NULL : malloc(n_parts * sizeof *next);
    if (!st && !next)
        st = mlc_raise_nomem("the cross-validation parts");
    if (!st) {
        memcpy(next, start, n_parts * sizeof *next);
        for (size_t i = 0; i < n; i++)
            rows[next[part[i]]++] = i;
    }
    for (size_t g = 0; !st && g < n_parts; g++)
        st = part_moments(f, X, Y, rows + start[g], start[g + 1] - start[g], g, n_threads);
    free(next);
    free(rows);
    free(start);
    if (st)
        mlc_lin_folds_clear(f);
    return st;
}

void mlc_lin_folds_train(const mlc_lin_folds *f, size_t out, double *G, double *XtY,
                         double *x_offset, double *y_offset, double *n_rows)
{
    size_t p = f->p, k = f->k, w = p + k;
    double N = 0.0;
    memset(x_offset, 0, p * sizeof *x_offset);
    memset(y_offset, 0, k * sizeof *y_offset);
    for (size_t g = 0; g < f->n_parts; g++) {
        if (g == out)
            continue;
        N += f->count[g];
        for (size_t j = 0; j < p; j++)
            x_offset[j] += f->count[g] * f->mean[g * w + j];
        for (size_t t = 0; t < k; t++)
            y_offset[t] += f->count[g] * f->mean[g * w + p + t];
    }
    for (size_t j = 0; j < p; j++)
        x_offset[j] /= N;
    for (size_t t = 0; t < k; t++)
        y_offset[t] /= N;
    memset(G, 0, p * p * sizeof *G);
    memset(XtY, 0, k * p * sizeof *XtY);
    for (size_t g = 0; g < f->n_parts; g++) {
        if (g == out)
            continue;
        const double *Gg = f->G + g * p * p, *Cg = f->C + g * k * p, *mg = f->mean + g * w;
        double ng = f->count[g];
        for (size_t i = 0; i < p * p; i++)
            G[i] += Gg[i];
        for (size_t i = 0; i < k * p; i++)
            XtY[i] += Cg[i];
        if (!f->center)
            continue;
        /* + n_g d d' with d = the part's mean minus the pooled mean */
        for (size_t i = 0; i < p; i++) {
            double di = ng * (mg[i] - x_offset[i]);
            for (size_t j = 0; j < p; j++)
                G[i * p + j] += di * (mg[j] - x_offset[j]);
        }
        for (size_t t = 0; t < k; t++) {
            double et = ng * (mg[p + t] - y_offset[t]);
            for (size_t j = 0; j < p; j++)
                XtY[t * p + j] += et * (mg[j] - x_offset[j]);
        }
    }
    *n_rows = N;
}
