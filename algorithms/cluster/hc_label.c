/* From merges to scipy's linkage matrix and scikit-learn's children_, and
 * scikit-learn's cut of the tree into labels (docs/PARITY.md §9). */
#include <stdlib.h>
#include "hc_tree.h"
#include "internal/error.h"

size_t hc_condensed_bytes(size_t n)
{
    if (n < 2)
        return 0;
    size_t a = n, b = n - 1;
    if (a % 2 == 0)
        a /= 2;
    else
        b /= 2;
    if (a > SIZE_MAX / b || a * b > SIZE_MAX / sizeof(double))
        return 0;
    return a * b * sizeof(double);
}

typedef struct keyed {
    double height;
    size_t index;
} keyed;

/* By height, then by position: a stable order, as numpy's mergesort. */
static int by_height(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->height != b->height)
        return a->height < b->height ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* scipy's LinkageUnionFind.find: the root, with the path compressed. */
static size_t uf_find(size_t *parent, size_t x)
{
    size_t root = x;
    while (parent[root] != root)
        root = parent[root];
    while (parent[x] != root) {
        size_t next = parent[x];
        parent[x] = root;
        x = next;
    }
    return root;
}

int hc_label(hc_merge *merges, size_t n, int sklearn_order, int64_t *children, double *Z)
{
    size_t m = n - 1;
    keyed *order = malloc(m * sizeof *order);
    size_t *parent = malloc((2 * n - 1) * sizeof *parent);
    size_t *size = malloc((2 * n - 1) * sizeof *size);
    if (!order || !parent || !size) {
        free(order);
        free(parent);
        free(size);
        return mlc_raise_nomem("the merge tree");
    }
    for (size_t t = 0; t < m; t++)
        order[t] = (keyed){merges[t].height, t};
    qsort(order, m, sizeof *order, by_height);
    for (size_t i = 0; i < 2 * n - 1; i++) {
        parent[i] = i;
        size[i] = 1;
    }
    for (size_t t = 0; t < m; t++) {
        const hc_merge *g = &merges[order[t].index];
        size_t ra = uf_find(parent, g->a), rb = uf_find(parent, g->b), next = n + t;
        size_t lo = ra < rb ? ra : rb, hi = ra < rb ? rb : ra;
        parent[ra] = parent[rb] = next;
        size[next] = size[ra] + size[rb];
        Z[4 * t] = (double)lo;
        Z[4 * t + 1] = (double)hi;
        Z[4 * t + 2] = g->height;
        Z[4 * t + 3] = (double)size[next];
        children[2 * t] = (int64_t)(sklearn_order ? ra : lo);
        children[2 * t + 1] = (int64_t)(sklearn_order ? rb : hi);
    }
    free(order);
    free(parent);
    free(size);
    return MLC_OK;
}

/* ---------------------------------------------------------------- the cut */

int hc_cut(const int64_t *children, size_t n, size_t k, int32_t *labels)
{
    /* heapq on negated node ids (exact as doubles): the labels are the
     * heap's array positions, so its exact layout matters */
    hc_pyheap heap = {0};
    int32_t *node_label = malloc((2 * n - 1) * sizeof *node_label);
    const int64_t *last = children + 2 * (n - 2);
    int st = node_label ? MLC_OK : mlc_raise_nomem("the cluster labels");
    if (!st)
        st = hc_pyheap_push(
            &heap, (hc_pyitem){-(double)((last[0] > last[1] ? last[0] : last[1]) + 1), 0, 0});
    for (size_t s = 1; !st && s < k; s++) {
        /* the largest id: an inner node, as fewer than n nodes are held */
        const int64_t *ch = children + 2 * ((size_t)-heap.e[0].key - n);
        st = hc_pyheap_push(&heap, (hc_pyitem){-(double)ch[0], 0, 0});
        hc_pyheap_pushpop(&heap, (hc_pyitem){-(double)ch[1], 0, 0});
    }
    if (st) {
        hc_pyheap_clear(&heap);
        free(node_label);
        return st;
    }
    for (size_t i = 0; i < 2 * n - 1; i++)
        node_label[i] = -1;
    for (size_t idx = 0; idx < heap.n; idx++)
        node_label[(size_t)-heap.e[idx].key] = (int32_t)idx;
    /* children have smaller ids than their parent: one pass down the ids */
    for (size_t node = 2 * n - 2; node >= n; node--) {
        int32_t l = node_label[node];
        if (l >= 0) {
            node_label[children[2 * (node - n)]] = l;
            node_label[children[2 * (node - n) + 1]] = l;
        }
    }
    for (size_t i = 0; i < n; i++)
        labels[i] = node_label[i];
    hc_pyheap_clear(&heap);
    free(node_label);
    return MLC_OK;
}
