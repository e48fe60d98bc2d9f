/* CPython's heapq, copied step for step on items compared by their key
 * alone: scikit-learn's trees and cuts depend on where heapq leaves equal
 * items (docs/PARITY.md §9), so any other heap would give other answers on
 * ties. */
#include <stdlib.h>
#include "hc_tree.h"
#include "internal/error.h"

/* heapq._siftdown: move e[pos] up while it is below its parent. */
static void siftdown(hc_pyitem *e, size_t start, size_t pos)
{
    hc_pyitem item = e[pos];
    while (pos > start) {
        size_t up = (pos - 1) >> 1;
        if (!(item.key < e[up].key))
            break;
        e[pos] = e[up];
        pos = up;
    }
    e[pos] = item;
}

/* heapq._siftup: the smaller child rises until a leaf, then _siftdown. */
static void siftup(hc_pyitem *e, size_t n, size_t pos)
{
    size_t start = pos, child = 2 * pos + 1;
    hc_pyitem item = e[pos];
    while (child < n) {
        size_t right = child + 1;
        if (right < n && !(e[child].key < e[right].key))
            child = right;
        e[pos] = e[child];
        pos = child;
        child = 2 * pos + 1;
    }
    e[pos] = item;
    siftdown(e, start, pos);
}

int hc_pyheap_append(hc_pyheap *h, hc_pyitem x)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        hc_pyitem *p = realloc(h->e, cap * sizeof *p);
        if (!p)
            return mlc_raise_nomem("a priority queue");
        h->e = p;
        h->cap = cap;
    }
    h->e[h->n++] = x;
    return MLC_OK;
}

int hc_pyheap_push(hc_pyheap *h, hc_pyitem x)
{
    int st = hc_pyheap_append(h, x);
    if (!st)
        siftdown(h->e, 0, h->n - 1);
    return st;
}

hc_pyitem hc_pyheap_pop(hc_pyheap *h)
{
    hc_pyitem last = h->e[--h->n];
    if (h->n == 0)
        return last;
    hc_pyitem top = h->e[0];
    h->e[0] = last;
    siftup(h->e, h->n, 0);
    return top;
}

void hc_pyheap_pushpop(hc_pyheap *h, hc_pyitem x)
{
    if (h->n && h->e[0].key < x.key) {
        h->e[0] = x;
        siftup(h->e, h->n, 0);
    }
}

void hc_pyheap_heapify(hc_pyheap *h)
{
    for (size_t i = h->n / 2; i-- > 0;)
        siftup(h->e, h->n, i);
}

void hc_pyheap_clear(hc_pyheap *h)
{
    free(h->e);
    h->e = NULL;
    h->n = h->cap = 0;
}
