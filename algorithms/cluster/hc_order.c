/* The order of the rows in the distance matrix (algorithms/cluster/hc_tree.h):
 * the leaves of a k-d tree (Bentley 1975), each cell split at the median of
 * its widest coordinate, so that rows near each other in space sit near
 * each other in the matrix. The linkage's update reads d(x, a) and d(x, b)
 * from row x for every slot x below a: when a and b are a few slots apart,
 * as clusters that merge then mostly are, both come in one cache line. */
#include <stdlib.h>
#include "hc_tree.h"
#include "internal/error.h"

/* Cells of at most this many rows are not split. */
#define LEAF_ROWS 8

typedef struct keyed_row {
    double v;
    size_t row;
} keyed_row;

static int before(const keyed_row *p, const keyed_row *q)
{
    return p->v < q->v || (p->v == q->v && p->row < q->row);
}

static void swap_rows(keyed_row *k, size_t i, size_t j)
{
    keyed_row t = k[i];
    k[i] = k[j];
    k[j] = t;
}

/* k[0 .. m) rearranged so that k[h] is the one a sort would put there,
 * with none after it before it and none before it after it (Hoare's
 * selection, the middle element as the pivot). */
static void select_nth(keyed_row *k, size_t m, size_t h)
{
    size_t lo = 0, hi = m; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        swap_rows(k, lo + (hi - lo) / 2, hi - 1);
        keyed_row pivot = k[hi - 1];
        size_t w = lo;
        for (size_t i = lo; i + 1 < hi; i++)
            if (before(&k[i], &pivot))
                swap_rows(k, i, w++);
        swap_rows(k, w, hi - 1);
        if (w == h)
            return;
        if (h < w)
            hi = w;
        else
            lo = w + 1;
    }
}

static void split_cell(const mlc_matrix *X, keyed_row *k, size_t m, size_t *perm)
{
    while (m > LEAF_ROWS) {
        size_t widest = 0;
        double spread = -1.0;
        for (size_t f = 0; f < X->cols; f++) {
            double lo = mlc_matrix_row(X, k[0].row)[f], hi = lo;
            for (size_t i = 1; i < m; i++) {
                double v = mlc_matrix_row(X, k[i].row)[f];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            if (hi - lo > spread) {
                spread = hi - lo;
                widest = f;
            }
        }
        for (size_t i = 0; i < m; i++)
            k[i].v = mlc_matrix_row(X, k[i].row)[widest];
        size_t h = m / 2;
        select_nth(k, m, h);
        split_cell(X, k, h, perm);
        k += h;
        perm += h;
        m -= h;
    }
    for (size_t i = 0; i < m; i++)
        perm[i] = k[i].row;
}

int hc_locality_order(const mlc_matrix *X, size_t *perm)
{
    size_t n = X->rows;
    keyed_row *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return mlc_raise_nomem("the rows' order");
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed_row){0.0, i};
    if (X->cols > 0) /* no coordinates: the rows as they come */
        split_cell(X, k, n, perm);
    else
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
    free(k);
    return MLC_OK;
}
