/* The k best pairs of one query, and the growing lists of radius queries. */
#include <stdlib.h>
#include "mlcore/status.h"
#include "nn_impl.h"

void nn_heap_push(nn_heap *h, double dist, size_t ind)
{
    size_t i;
    if (h->size < h->k) {
        /* Sift up from the new last slot. */
        i = h->size++;
        while (i > 0) {
            size_t up = (i - 1) / 2;
            if (!nn_pair_less(h->dist[up], h->ind[up], dist, ind))
                break;
            h->dist[i] = h->dist[up];
            h->ind[i] = h->ind[up];
            i = up;
        }
        h->dist[i] = dist;
        h->ind[i] = ind;
        return;
    }
    if (!nn_pair_less(dist, ind, h->dist[0], h->ind[0]))
        return;
    /* Replace the worst (the root) and sift down. */
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, big = i;
        double bd = dist;
        size_t bi = ind;
        if (l < h->size && nn_pair_less(bd, bi, h->dist[l], h->ind[l])) {
            big = l;
            bd = h->dist[l];
            bi = h->ind[l];
        }
        if (r < h->size && nn_pair_less(bd, bi, h->dist[r], h->ind[r]))
            big = r;
        if (big == i)
            break;
        h->dist[i] = h->dist[big];
        h->ind[i] = h->ind[big];
        i = big;
    }
    h->dist[i] = dist;
    h->ind[i] = ind;
}

void nn_heap_sort(nn_heap *h)
{
    /* Heapsort: move the worst to the end, shrink, repeat. */
    size_t size = h->size;
    while (h->size > 1) {
        size_t last = h->size - 1;
        double d = h->dist[last];
        size_t ind = h->ind[last];
        h->dist[last] = h->dist[0];
        h->ind[last] = h->ind[0];
        h->size = last;
        h->k = last; /* sift the moved pair down within the shrunk heap */
        h->dist[0] = INFINITY;
        h->ind[0] = (size_t)-1;
        nn_heap_push(h, d, ind);
    }
    h->size = h->k = size;
}

int nn_list_push(nn_list *l, size_t ind, double dist)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        nn_pair *a = realloc(l->a, cap * sizeof *a);
        if (!a)
            return MLC_ENOMEM;
        l->a = a;
        l->cap = cap;
    }
    l->a[l->len].dist = dist;
    l->a[l->len].ind = ind;
    l->len++;
    return MLC_OK;
}

void nn_list_free(nn_list *l)
{
    free(l->a);
    l->a = NULL;
    l->len = l->cap = 0;
}

static int by_dist(const void *a, const void *b)
{
    const nn_pair *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return x->ind < y->ind ? -1 : x->ind > y->ind;
}
static int by_index(const void *a, const void *b)
{
    const nn_pair *x = a, *y = b;
    return x->ind < y->ind ? -1 : x->ind > y->ind;
}

void nn_list_sort(nn_list *l, size_t from, int by_distance)
{
    if (l->len - from > 1)
        qsort(l->a + from, l->len - from, sizeof *l->a, by_distance ? by_dist : by_index);
}
