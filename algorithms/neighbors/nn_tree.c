/* Building the kd-tree and the ball tree (scikit-learn's BinaryTree layout,
 * sklearn/neighbors/_binary_tree.pxi; Bentley 1975 for the kd-tree,
 * Omohundro 1989 for the ball tree).
 *
 * Both are complete binary trees in one array: n_levels = floor(log2(
 * max(1, (n - 1) / leaf_size))) + 1 levels, node i's children at 2i + 1 and
 * 2i + 2, each node a range of one permutation of the rows, split at its
 * median along the dimension of largest spread. The depth is fixed by n and
 * leaf_size alone, whatever the data (sorted, or all rows equal), so the
 * build and the queries loop over levels and never recurse. Memory: the
 * permutation, and per node a range and a box (2d values) or a ball (d + 1):
 * about 2n / leaf_size nodes. */
#include <math.h>
#include <stdlib.h>
#include "internal/error.h"
#include "nn_impl.h"

/* The selection's key: the row's value in one dimension, ties by index (a
 * strict order, so duplicates cost nothing and the result is unique). */
typedef struct select_ctx {
    const mlc_neighbors *nn;
    size_t dim;
} select_ctx;

static int key_less(const select_ctx *c, size_t a, size_t b)
{
    double va = nn_row(c->nn, a)[c->dim], vb = nn_row(c->nn, b)[c->dim];
    return va < vb || (va == vb && a < b);
}

static void swap_idx(size_t *a, size_t i, size_t j)
{
    size_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Heapsort of a[0..n): the fallback that bounds the selection's time. */
static void sift_down(const select_ctx *c, size_t *a, size_t i, size_t n)
{
    for (;;) {
        size_t l = 2 * i + 1, big = i;
        if (l < n && key_less(c, a[big], a[l]))
            big = l;
        if (l + 1 < n && key_less(c, a[big], a[l + 1]))
            big = l + 1;
        if (big == i)
            return;
        swap_idx(a, i, big);
        i = big;
    }
}
static void heap_sort(const select_ctx *c, size_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(c, a, i, n);
    for (size_t end = n; end-- > 1;) {
        swap_idx(a, 0, end);
        sift_down(c, a, 0, end);
    }
}

/* Put the nth smallest of a[0..n) at a[nth], smaller before, larger after:
 * quickselect with a median-of-three pivot, heapsort after 2 log2 n + 8
 * rounds (introselect), so no input makes it quadratic. */
static void select_nth(const select_ctx *c, size_t *a, size_t n, size_t nth)
{
    size_t lo = 0, hi = n - 1, rounds = 0, limit = 8;
    for (size_t m = n; m > 1; m >>= 1)
        limit += 2;
    while (hi > lo) {
        if (++rounds > limit) {
            heap_sort(c, a + lo, hi - lo + 1);
            return;
        }
        size_t mid = lo + (hi - lo) / 2;
        if (key_less(c, a[mid], a[lo]))
            swap_idx(a, mid, lo);
        if (key_less(c, a[hi], a[lo]))
            swap_idx(a, hi, lo);
        if (key_less(c, a[hi], a[mid]))
            swap_idx(a, hi, mid);
        /* a[lo] <= a[mid] <= a[hi]: partition around a[mid] moved to hi - 1. */
        if (hi - lo < 3)
            return;
        swap_idx(a, mid, hi - 1);
        size_t pivot = a[hi - 1], i = lo, j = hi - 1;
        for (;;) {
            while (key_less(c, a[++i], pivot)) {
            }
            while (key_less(c, pivot, a[--j])) {
            }
            if (i >= j)
                break;
            swap_idx(a, i, j);
        }
        swap_idx(a, i, hi - 1);
        if (i == nth)
            return;
        if (nth < i)
            hi = i - 1;
        else
            lo = i + 1;
    }
}

/* The node's box (kd) or ball, and the dimension of largest spread (the
 * first among equals). lohi: 2d scratch for the ball tree's box. */
static size_t node_bounds(mlc_neighbors *nn, size_t i_node, double *lohi)
{
    const nn_node *node = &nn->nodes[i_node];
    size_t d = nn->d;
    double *lo = nn->algorithm == MLC_NN_KD_TREE ? nn->bounds + i_node * 2 * d : lohi;
    double *hi = lo + d;
    for (size_t f = 0; f < d; f++) {
        lo[f] = INFINITY;
        hi[f] = -INFINITY;
    }
    for (size_t k = node->start; k < node->end; k++) {
        const double *x = nn_row(nn, nn->idx[k]);
        for (size_t f = 0; f < d; f++) {
            lo[f] = x[f] < lo[f] ? x[f] : lo[f];
            hi[f] = x[f] > hi[f] ? x[f] : hi[f];
        }
    }
    if (nn->algorithm == MLC_NN_BALL_TREE) {
        /* The centre is the mean, the radius the largest distance to it. */
        double *centre = nn->bounds + i_node * d, count = (double)(node->end - node->start);
        for (size_t f = 0; f < d; f++)
            centre[f] = 0.0;
        for (size_t k = node->start; k < node->end; k++) {
            const double *x = nn_row(nn, nn->idx[k]);
            for (size_t f = 0; f < d; f++)
                centre[f] += x[f];
        }
        for (size_t f = 0; f < d; f++)
            centre[f] /= count;
        double r = 0.0;
        for (size_t k = node->start; k < node->end; k++) {
            double rd = nn_rdist(nn->metric, nn->p, centre, nn_row(nn, nn->idx[k]), d);
            r = rd > r ? rd : r;
        }
        nn->radius[i_node] = nn_rdist_to_dist(nn->metric, nn->p, r);
    }
    size_t split = 0;
    double spread = -1.0;
    for (size_t f = 0; f < d; f++)
        if (hi[f] - lo[f] > spread) {
            spread = hi[f] - lo[f];
            split = f;
        }
    return split;
}

int nn_tree_build(mlc_neighbors *nn)
{
    size_t n = nn->n, d = nn->d, leaf = nn->params.leaf_size;
    size_t ratio = (n - 1) / leaf, levels = 1;
    while (ratio >= 2) { /* floor(log2(max(1, (n - 1) / leaf_size))) + 1 */
        ratio >>= 1;
        levels++;
    }
    nn->n_levels = levels;
    nn->n_nodes = ((size_t)1 << levels) - 1;
    int kd = nn->algorithm == MLC_NN_KD_TREE;
    double *lohi = kd ? NULL : malloc(2 * d * sizeof *lohi);
    nn->idx = malloc(n * sizeof *nn->idx);
    nn->nodes = calloc(nn->n_nodes, sizeof *nn->nodes);
    nn->bounds = malloc(nn->n_nodes * (kd ? 2 * d : d) * sizeof *nn->bounds);
    nn->radius = kd ? NULL : malloc(nn->n_nodes * sizeof *nn->radius);
    if (!nn->idx || !nn->nodes || !nn->bounds || (!kd && (!nn->radius || !lohi))) {
        free(lohi);
        return mlc_raise_nomem("neighbors: tree");
    }
    for (size_t i = 0; i < n; i++)
        nn->idx[i] = i;
    nn->nodes[0].start = 0;
    nn->nodes[0].end = n;
    /* Parents come before children in the array: one pass builds the tree. */
    for (size_t i = 0; i < nn->n_nodes; i++) {
        nn_node *node = &nn->nodes[i];
        if (i > 0 && nn->nodes[(i - 1) / 2].is_leaf) {
            node->is_leaf = 2; /* below a leaf: unused */
            continue;
        }
        size_t split = node_bounds(nn, i, lohi), count = node->end - node->start;
        if (2 * i + 1 >= nn->n_nodes || count < 2) {
            node->is_leaf = 1;
            continue;
        }
        size_t mid = count / 2;
        select_ctx c = {nn, split};
        select_nth(&c, nn->idx + node->start, count, mid);
        nn->nodes[2 * i + 1].start = node->start;
        nn->nodes[2 * i + 1].end = node->start + mid;
        nn->nodes[2 * i + 2].start = node->start + mid;
        nn->nodes[2 * i + 2].end = node->end;
    }
    free(lohi);
    return MLC_OK;
}
