/* Complete, average and single linkage with connectivity: scikit-learn
 * 1.2's linkage_tree on a connectivity graph (docs/PARITY.md §9).
 *
 * Only the graph's edges carry distances, scikit-learn's paired_distances
 * of their two rows. Complete and average: a priority queue of the edges by
 * weight; the lightest edge whose two ends are both still clusters merges
 * them, and the new cluster is linked to the clusters either part was
 * linked to, at the larger of the two distances (complete) or at their
 * size-weighted mean where both parts had one, else at the one there is
 * (average; scikit-learn's max_merge and average_merge). The queue compares
 * weights only, so among equal weights the order is that of Python's heapq
 * on the same pushes and pops (hc_pyheap.c copies it).
 *
 * Single: the minimum spanning tree of the graph as scipy's
 * minimum_spanning_tree finds it (Kruskal over the entries sorted by numpy's
 * default argsort: which copy of a symmetric edge it keeps decides the order
 * within a row of children_), its edges sorted stably by weight and
 * labelled by a union-find (hc_label). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/sqdist.h"

/* ------------------------------------------------------------ distances */

/* scikit-learn's paired_distances of rows a and b (precomputed: X[a, b]). */
static double paired_distance(const mlc_matrix *X, int metric, const double *norms, size_t a,
                              size_t b)
{
    const double *x = mlc_matrix_row(X, a), *y = mlc_matrix_row(X, b);
    size_t d = X->cols;
    if (metric == HC_PRECOMPUTED)
        return x[b];
    if (metric == HC_EUCLIDEAN)
        return sqrt(mlc_sqdist_direct(x, y, d));
    double v = 0.0;
    if (metric == HC_MANHATTAN) {
        for (size_t f = 0; f < d; f++)
            v += fabs(x[f] - y[f]);
        return v;
    }
    /* cosine: 0.5 ||x / |x| - y / |y|||^2 */
    for (size_t f = 0; f < d; f++) {
        double t = x[f] / norms[a] - y[f] / norms[b];
        v += t * t;
    }
    return 0.5 * v;
}

/* The rows' norms for the cosine metric (NULL otherwise or on failure). */
static double *cosine_norms(const mlc_matrix *X, int metric, int *st)
{
    if (metric != HC_COSINE)
        return NULL;
    double *norms = malloc(X->rows * sizeof *norms);
    if (!norms) {
        *st = mlc_raise_nomem("the rows' norms");
        return NULL;
    }
    for (size_t i = 0; i < X->rows; i++) {
        const double *x = mlc_matrix_row(X, i);
        double s = 0.0;
        for (size_t f = 0; f < X->cols; f++)
            s += x[f] * x[f];
        norms[i] = sqrt(s);
    }
    return norms;
}

/* ------------------------------------------------------------ weighted lists */

/* A cluster's neighbours and their distances, by increasing id (an
 * IntFloatDict: new clusters get the largest id so far, so appending keeps
 * the order). */
typedef struct wlist {
    size_t *key;
    double *val;
    size_t n, cap;
} wlist;

static int wlist_push(wlist *l, size_t key, double val)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        size_t *k = realloc(l->key, cap * sizeof *k);
        if (!k)
            return mlc_raise_nomem("the linkage lists");
        l->key = k;
        double *v = realloc(l->val, cap * sizeof *v);
        if (!v)
            return mlc_raise_nomem("the linkage lists");
        l->val = v;
        l->cap = cap;
    }
    l->key[l->n] = key;
    l->val[l->n++] = val;
    return MLC_OK;
}

static void wlist_clear(wlist *l)
{
    free(l->key);
    free(l->val);
    memset(l, 0, sizeof *l);
}

/* max_merge / average_merge: a's and b's live keys, in key order; where
 * both have a key, the larger value or (n_a a + n_b b) / (n_a + n_b). */
static int merge_lists(const wlist *a, const wlist *b, const size_t *alive, int method, double n_a,
                       double n_b, wlist *out)
{
    size_t i = 0, j = 0;
    int st = MLC_OK;
    while (!st && (i < a->n || j < b->n)) {
        size_t ka = i < a->n ? a->key[i] : SIZE_MAX, kb = j < b->n ? b->key[j] : SIZE_MAX;
        size_t key = ka < kb ? ka : kb;
        double v;
        if (ka == kb) {
            double va = a->val[i++], vb = b->val[j++];
            v = hc_lance_williams(method, n_a, n_b, va, vb);
        } else if (ka < kb) {
            v = a->val[i++];
        } else {
            v = b->val[j++];
        }
        if (alive[key])
            st = wlist_push(out, key, v);
    }
    return st;
}

/* ------------------------------------------------------------ complete,
 * average */

static int merge_tree(const mlc_matrix *X, int metric, int method, const hc_graph *g,
                      mlc_progress_ctx *progress, int64_t *children, double *height, size_t *parent)
{
    size_t n = X->rows, n_nodes = 2 * n - 1;
    wlist *A = calloc(n_nodes, sizeof *A);
    size_t *alive = malloc(n_nodes * sizeof *alive); /* a live cluster's size, else 0 */
    hc_pyheap h = {0};
    int st = A && alive ? MLC_OK : mlc_raise_nomem("the linkage tree");
    double *norms = st ? NULL : cosine_norms(X, metric, &st);
    /* the points' lists, and the queue of the edges (i, r < i) in list order */
    for (size_t i = 0; !st && i < n; i++)
        for (size_t e = 0; !st && e < g->lists[i].n; e++) {
            size_t r = g->lists[i].v[e];
            double d = paired_distance(X, metric, norms, i, r);
            st = wlist_push(&A[i], r, d);
            if (!st && r < i)
                st = hc_pyheap_append(&h, (hc_pyitem){d, i, r});
        }
    if (!st)
        hc_pyheap_heapify(&h);
    for (size_t i = 0; !st && i < n_nodes; i++) {
        alive[i] = i < n;
        parent[i] = i;
    }
    for (size_t k = n; !st && k < n_nodes; k++) {
        hc_pyitem top = {0.0, 0, 0};
        do {
            if (h.n == 0) {
                st = mlc_raise(MLC_EINVAL, "the connectivity graph has run out of edges");
                break;
            }
            top = hc_pyheap_pop(&h);
        } while (!(alive[top.a] && alive[top.b]));
        if (st)
            break;
        size_t i = top.a, j = top.b, t = k - n;
        height[t] = top.key;
        parent[i] = parent[j] = k;
        children[2 * t] = (int64_t)j;
        children[2 * t + 1] = (int64_t)i;
        double n_i = (double)alive[i], n_j = (double)alive[j];
        alive[k] = alive[i] + alive[j];
        alive[i] = alive[j] = 0;
        st = merge_lists(&A[i], &A[j], alive, method, n_i, n_j, &A[k]);
        for (size_t e = 0; !st && e < A[k].n; e++) {
            size_t col = A[k].key[e];
            st = wlist_push(&A[col], k, A[k].val[e]);
            if (!st)
                st = hc_pyheap_push(&h, (hc_pyitem){A[k].val[e], k, col});
        }
        wlist_clear(&A[i]);
        wlist_clear(&A[j]);
        if (!st && mlc_progress_tick(progress, (int64_t)t + 1, (int64_t)n - 1, NAN, NULL))
            st = MLC_EINTERRUPTED;
    }
    for (size_t i = 0; A && i < n_nodes; i++)
        wlist_clear(&A[i]);
    free(A);
    free(alive);
    free(norms);
    hc_pyheap_clear(&h);
    return st;
}

/* ------------------------------------------------------------ numpy's argsort
 */

#define NPY_SMALL_QUICKSORT 15

/* numpy's heapsort sift: tmp goes down from a[i] in the 1-based heap a[1 .. n].
 */
static void npy_sift(const double *v, size_t *a, size_t i, size_t n, size_t tmp)
{
    for (size_t j = 2 * i; j <= n;) {
        if (j < n && v[a[j]] < v[a[j + 1]])
            j++;
        if (!(v[tmp] < v[a[j]]))
            break;
        a[i] = a[j];
        i = j;
        j += j;
    }
    a[i] = tmp;
}

/* numpy's aheapsort_ on a0[0 .. n). */
static void npy_aheapsort(const double *v, size_t *a0, size_t n)
{
    size_t *a = a0 - 1; /* numpy's 1-based indexing */
    for (size_t l = n >> 1; l > 0; --l)
        npy_sift(v, a, l, n, a[l]);
    for (; n > 1;) {
        size_t tmp = a[n];
        a[n] = a[1];
        n -= 1;
        npy_sift(v, a, 1, n, tmp);
    }
}

static void swap_idx(size_t *a, size_t *b)
{
    size_t t = *a;
    *a = *b;
    *b = t;
}

/* numpy 1.24's aquicksort_ (introsort: median-of-three quicksort, insertion
 * sort below 16 entries, heapsort past a depth of twice log2 n), for values
 * without NaN. Positions are signed so that the pointers' arithmetic can go
 * one below the range, as numpy's does. */
void hc_numpy_argsort(const double *v, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (n < 2)
        return;
    enum { STACK = 2 * 64 };
    ptrdiff_t stack[STACK], *sp = stack;
    int depth[STACK], *dp = depth;
    int cdepth = 0;
    for (size_t m = n; m >>= 1;)
        cdepth++;
    cdepth *= 2;
    ptrdiff_t pl = 0, pr = (ptrdiff_t)n - 1;
    for (;;) {
        if (cdepth < 0) {
            npy_aheapsort(v, order + pl, (size_t)(pr - pl + 1));
            goto pop;
        }
        while (pr - pl > NPY_SMALL_QUICKSORT) {
            ptrdiff_t pm = pl + ((pr - pl) >> 1);
            if (v[order[pm]] < v[order[pl]])
                swap_idx(&order[pm], &order[pl]);
            if (v[order[pr]] < v[order[pm]])
                swap_idx(&order[pr], &order[pm]);
            if (v[order[pm]] < v[order[pl]])
                swap_idx(&order[pm], &order[pl]);
            double vp = v[order[pm]];
            ptrdiff_t pi = pl, pj = pr - 1;
            swap_idx(&order[pm], &order[pj]);
            for (;;) {
                do
                    ++pi;
                while (v[order[pi]] < vp);
                do
                    --pj;
                while (vp < v[order[pj]]);
                if (pi >= pj)
                    break;
                swap_idx(&order[pi], &order[pj]);
            }
            swap_idx(&order[pi], &order[pr - 1]);
            /* the larger part waits on the stack */
            if (pi - pl < pr - pi) {
                *sp++ = pi + 1;
                *sp++ = pr;
                pr = pi - 1;
            } else {
                *sp++ = pl;
                *sp++ = pi - 1;
                pl = pi + 1;
            }
            *dp++ = --cdepth;
        }
        for (ptrdiff_t pi = pl + 1; pi <= pr; ++pi) {
            size_t vi = order[pi];
            double x = v[vi];
            ptrdiff_t pj = pi;
            while (pj > pl && x < v[order[pj - 1]]) {
                order[pj] = order[pj - 1];
                pj--;
            }
            order[pj] = vi;
        }
    pop:
        if (sp == stack)
            break;
        pr = *--sp;
        pl = *--sp;
        cdepth = *--dp;
    }
}

/* ------------------------------------------------------------ single */

static size_t root_of(size_t *up, size_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

static int single_tree(const mlc_matrix *X, int metric, const hc_graph *g, int64_t *children,
                       double *height)
{
    size_t n = X->rows, nnz = 0;
    for (size_t i = 0; i < n; i++)
        nnz += g->lists[i].n;
    size_t cells = nnz ? nnz : 1;
    double *w = calloc(cells, sizeof *w); /* zeroed: gcc cannot see every entry is set */
    size_t *row = malloc(cells * sizeof *row), *col = malloc(cells * sizeof *col);
    size_t *order = malloc(cells * sizeof *order), *up = malloc(n * sizeof *up);
    unsigned char *kept = calloc(cells, 1);
    hc_merge *merges = malloc((n - 1) * sizeof *merges);
    double *Z = malloc(4 * (n - 1) * sizeof *Z);
    int st = w && row && col && order && up && kept && merges && Z
                 ? MLC_OK
                 : mlc_raise_nomem("the spanning tree");
    double *norms = st ? NULL : cosine_norms(X, metric, &st);
    /* the symmetric graph's entries in CSR order; a zero distance becomes
     * DBL_EPSILON, as scikit-learn keeps it from being dropped as sparse */
    for (size_t i = 0, e = 0; !st && i < n; i++)
        for (size_t c = 0; c < g->lists[i].n; c++, e++) {
            row[e] = i;
            col[e] = g->lists[i].v[c];
            double d = paired_distance(X, metric, norms, i, col[e]);
            w[e] = d == 0.0 ? DBL_EPSILON : d;
        }
    size_t edges = 0;
    if (!st) {
        /* Kruskal over the entries in numpy's argsort order */
        hc_numpy_argsort(w, nnz, order);
        for (size_t i = 0; i < n; i++)
            up[i] = i;
        for (size_t s = 0; s < nnz && edges + 1 < n; s++) {
            size_t e = order[s], ra = root_of(up, row[e]), rb = root_of(up, col[e]);
            if (ra != rb) {
                up[ra] = rb;
                kept[e] = 1;
                edges++;
            }
        }
        if (edges + 1 != n)
            st = mlc_raise(MLC_EINVAL, "the connectivity graph is not connected");
    }
    /* the tree's edges in CSR order, their zero weights restored */
    for (size_t e = 0, t = 0; !st && e < nnz; e++)
        if (kept[e])
            merges[t++] = (hc_merge){row[e], col[e], w[e] == DBL_EPSILON ? 0.0 : w[e]};
    if (!st)
        st = hc_label(merges, n, 1, children, Z);
    for (size_t t = 0; !st && t + 1 < n; t++)
        height[t] = Z[4 * t + 2];
    free(w);
    free(row);
    free(col);
    free(order);
    free(up);
    free(kept);
    free(merges);
    free(Z);
    free(norms);
    return st;
}

int hc_linkage_graph(const mlc_matrix *X, int metric, int method, const hc_graph *g,
                     mlc_progress_ctx *progress, int64_t *children, double *height, size_t *parent)
{
    size_t n = X->rows;
    int st;
    if (method == HC_SINGLE) {
        st = single_tree(X, metric, g, children, height);
        if (!st && mlc_progress_tick(progress, (int64_t)n - 1, (int64_t)n - 1, NAN, NULL))
            st = MLC_EINTERRUPTED;
        for (size_t i = 0; !st && i < 2 * n - 1; i++)
            parent[i] = i;
        for (size_t t = 0; !st && t + 1 < n; t++)
            parent[children[2 * t]] = parent[children[2 * t + 1]] = n + t;
        return st;
    }
    return merge_tree(X, metric, method, g, progress, children, height, parent);
}
