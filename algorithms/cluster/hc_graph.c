/* Structured clustering: the connectivity graph of the k nearest neighbours
 * and scikit-learn's ward_tree on it (docs/PARITY.md §9); the other
 * linkages on the graph are in hc_graph_linkage.c.
 *
 * The graph is kneighbors_graph(X, k, include_self=False) plus its
 * transpose (for a precomputed matrix, the neighbours by its distances),
 * completed between connected components as scikit-learn's
 * _fix_connectivity does (for each pair of components, the closest pair of
 * their points under the clustering's metric joined). The ward tree is ward_tree's: a priority queue of the
 * edges ordered by (ward inertia, node, node) - the order of Python's tuple
 * heap, so any heap pops them alike -, merging the first edge whose two
 * ends are still clusters, then linking the new cluster to the clusters its
 * parts were linked to. Merges come in the order they are made (the heights
 * need not increase). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/sqdist.h"
#include "mlcore/neighbors.h"

/* ------------------------------------------------------------ lists */

static int list_push(hc_list *l, size_t v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        size_t *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return mlc_raise_nomem("the connectivity graph");
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    return MLC_OK;
}

void hc_graph_clear(hc_graph *g)
{
    for (size_t i = 0; g->lists && i < g->n_nodes; i++)
        free(g->lists[i].v);
    free(g->lists);
    memset(g, 0, sizeof *g);
}

static int by_value(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Sort a list and drop its repeats. */
static void sort_unique(hc_list *l)
{
    qsort(l->v, l->n, sizeof *l->v, by_value);
    size_t w = 0;
    for (size_t k = 0; k < l->n; k++)
        if (w == 0 || l->v[w - 1] != l->v[k])
            l->v[w++] = l->v[k];
    l->n = w;
}

/* ------------------------------------------------------------ the graph */

/* Component labels numbered by their lowest node, as scipy's
 * connected_components numbers them; returns how many. */
static size_t components(const hc_graph *g, size_t n, size_t *label, size_t *stack)
{
    for (size_t i = 0; i < n; i++)
        label[i] = SIZE_MAX;
    size_t count = 0;
    for (size_t s = 0; s < n; s++) {
        if (label[s] != SIZE_MAX)
            continue;
        size_t top = 0;
        label[s] = count;
        stack[top++] = s;
        while (top) {
            size_t u = stack[--top];
            for (size_t e = 0; e < g->lists[u].n; e++) {
                size_t v = g->lists[u].v[e];
                if (label[v] == SIZE_MAX) {
                    label[v] = count;
                    stack[top++] = v;
                }
            }
        }
        count++;
    }
    return count;
}

/* The distance _fix_connected_components compares between rows a and b
 * (pairwise_distances under the metric; euclidean squared, which orders the
 * same). */
static double join_distance(const mlc_matrix *X, int metric, size_t a, size_t b)
{
    const double *x = mlc_matrix_row(X, a), *y = mlc_matrix_row(X, b);
    size_t d = X->cols;
    if (metric == HC_PRECOMPUTED)
        return x[b];
    if (metric == HC_EUCLIDEAN)
        return mlc_sqdist_direct(x, y, d);
    double v = 0.0, xx = 0.0, yy = 0.0;
    for (size_t f = 0; f < d; f++) {
        if (metric == HC_MANHATTAN) {
            v += fabs(x[f] - y[f]);
        } else {
            v += x[f] * y[f];
            xx += x[f] * x[f];
            yy += y[f] * y[f];
        }
    }
    if (metric == HC_MANHATTAN)
        return v;
    double c = v / (sqrt(xx) * sqrt(yy)); /* cosine: 1 - the similarity, clipped */
    return 1.0 - (c > 1.0 ? 1.0 : c < -1.0 ? -1.0 : c);
}

/* _fix_connected_components: for components i > j, join the closest pair
 * (the first in row-major order of component i's points by j's). */
static int join_components(const mlc_matrix *X, int metric, hc_graph *g, const size_t *label,
                           size_t n_comp)
{
    size_t n = X->rows;
    size_t *order = malloc(n * sizeof *order), *start = calloc(n_comp + 1, sizeof *start);
    if (!order || !start) {
        free(order);
        free(start);
        return mlc_raise_nomem("the connectivity graph");
    }
    for (size_t i = 0; i < n; i++)
        start[label[i] + 1]++;
    for (size_t c = 0; c < n_comp; c++)
        start[c + 1] += start[c];
    size_t *fill = malloc(n_comp * sizeof *fill);
    int st = fill ? MLC_OK : mlc_raise_nomem("the connectivity graph");
    for (size_t c = 0; !st && c < n_comp; c++)
        fill[c] = start[c];
    for (size_t i = 0; !st && i < n; i++)
        order[fill[label[i]]++] = i; /* each component's points in index order */
    for (size_t ci = 0; !st && ci < n_comp; ci++)
        for (size_t cj = 0; !st && cj < ci; cj++) {
            double best = INFINITY;
            size_t bi = SIZE_MAX, bj = SIZE_MAX;
            for (size_t a = start[ci]; a < start[ci + 1]; a++)
                for (size_t b = start[cj]; b < start[cj + 1]; b++) {
                    double d = join_distance(X, metric, order[a], order[b]);
                    if (d < best) {
                        best = d;
                        bi = order[a];
                        bj = order[b];
                    }
                }
            if (bi == SIZE_MAX)
                st = mlc_raise(MLC_ERANGE, "the distances between components overflow");
            if (!st)
                st = list_push(&g->lists[bi], bj);
            if (!st)
                st = list_push(&g->lists[bj], bi);
            if (!st) {
                sort_unique(&g->lists[bi]);
                sort_unique(&g->lists[bj]);
            }
        }
    free(order);
    free(start);
    free(fill);
    return st;
}

int hc_knn_graph(const mlc_matrix *X, size_t k, int metric, int n_threads, hc_graph *g,
                 size_t *n_components)
{
    size_t n = X->rows, kk = k + 1;
    memset(g, 0, sizeof *g);
    g->n_nodes = 2 * n - 1; /* room for the tree's nodes */
    g->lists = calloc(g->n_nodes, sizeof *g->lists);
    double *dist = malloc(n * kk * sizeof *dist);
    size_t *ind = malloc(n * kk * sizeof *ind);
    size_t *label = malloc(n * sizeof *label), *stack = malloc(n * sizeof *stack);
    mlc_neighbors *nn = NULL;
    int st = (!g->lists || !dist || !ind || !label || !stack)
                 ? mlc_raise_nomem("the connectivity graph")
                 : MLC_OK;
    mlc_neighbors_params np = mlc_neighbors_params_default();
    np.n_neighbors = kk;
    np.n_threads = n_threads;
    if (metric == HC_PRECOMPUTED)
        np.metric = MLC_METRIC_PRECOMPUTED;
    if (!st)
        st = mlc_neighbors_build(&np, X, &nn);
    if (!st)
        st = mlc_neighbors_kneighbors(nn, X, kk, dist, ind);
    for (size_t i = 0; !st && i < n; i++) {
        /* kneighbors(X=None): the point itself is dropped, or the first
         * neighbour when duplicates push it out of the list */
        const size_t *row = ind + i * kk;
        size_t skip = 0;
        while (skip < kk && row[skip] != i)
            skip++;
        if (skip == kk)
            skip = 0;
        for (size_t e = 0; !st && e < kk; e++)
            if (e != skip) {
                st = list_push(&g->lists[i], row[e]);
                if (!st)
                    st = list_push(&g->lists[row[e]], i);
            }
    }
    for (size_t i = 0; !st && i < n; i++)
        sort_unique(&g->lists[i]);
    if (!st) {
        *n_components = components(g, n, label, stack);
        if (*n_components > 1)
            st = join_components(X, metric, g, label, *n_components);
    }
    mlc_neighbors_free(nn);
    free(dist);
    free(ind);
    free(label);
    free(stack);
    if (st)
        hc_graph_clear(g);
    return st;
}

/* ------------------------------------------------------------ the tree */

typedef struct edge {
    double inertia;
    size_t i, j;
} edge;

/* Python's tuple order on (inertia, i, j). */
static int edge_less(const edge *a, const edge *b)
{
    if (a->inertia != b->inertia)
        return a->inertia < b->inertia;
    if (a->i != b->i)
        return a->i < b->i;
    return a->j < b->j;
}

typedef struct heap {
    edge *e;
    size_t n, cap;
} heap;

static int heap_push(heap *h, edge x)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        edge *p = realloc(h->e, cap * sizeof *p);
        if (!p)
            return mlc_raise_nomem("the edge queue");
        h->e = p;
        h->cap = cap;
    }
    size_t pos = h->n++;
    while (pos > 0 && edge_less(&x, &h->e[(pos - 1) / 2])) {
        h->e[pos] = h->e[(pos - 1) / 2];
        pos = (pos - 1) / 2;
    }
    h->e[pos] = x;
    return MLC_OK;
}

static edge heap_pop(heap *h)
{
    edge top = h->e[0], last = h->e[--h->n];
    size_t pos = 0;
    for (;;) {
        size_t c = 2 * pos + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && edge_less(&h->e[c + 1], &h->e[c]))
            c++;
        if (!edge_less(&h->e[c], &last))
            break;
        h->e[pos] = h->e[c];
        pos = c;
    }
    if (h->n)
        h->e[pos] = last;
    return top;
}

/* scikit-learn's compute_ward_dist for one pair of nodes. */
static double ward_inertia(const double *m1, const double *m2, size_t d, size_t r, size_t c)
{
    double n = (m1[r] * m1[c]) / (m1[r] + m1[c]), pa = 0.0;
    for (size_t f = 0; f < d; f++) {
        double v = m2[r * d + f] / m1[r] - m2[c * d + f] / m1[c];
        pa += v * v;
    }
    return pa * n;
}

int hc_ward_graph(const mlc_matrix *X, hc_graph *g, mlc_progress_ctx *progress,
                  int64_t *children, double *height, size_t *parent)
{
    size_t n = X->rows, d = X->cols, n_nodes = 2 * n - 1;
    double *m1 = malloc(n_nodes * sizeof *m1), *m2 = malloc(n_nodes * d * sizeof *m2);
    unsigned char *used = malloc(n_nodes);
    size_t *seen = malloc(n_nodes * sizeof *seen); /* the merge that last visited a node */
    heap h = {0};
    int st = (!m1 || !m2 || !used || !seen) ? mlc_raise_nomem("the ward tree") : MLC_OK;
    for (size_t i = 0; !st && i < n_nodes; i++) {
        m1[i] = i < n ? 1.0 : 0.0;
        for (size_t f = 0; f < d; f++)
            m2[i * d + f] = i < n ? mlc_matrix_row(X, i)[f] : 0.0;
        used[i] = 1;
        parent[i] = i;
        seen[i] = SIZE_MAX;
    }
    for (size_t i = 0; !st && i < n; i++)
        for (size_t e = 0; !st && e < g->lists[i].n; e++) {
            size_t c = g->lists[i].v[e];
            if (c < i)
                st = heap_push(&h, (edge){ward_inertia(m1, m2, d, i, c), i, c});
        }
    for (size_t k = n; !st && k < n_nodes; k++) {
        edge top = {0.0, 0, 0};
        do {
            if (h.n == 0) {
                st = mlc_raise(MLC_EINVAL, "the connectivity graph has run out of edges");
                break;
            }
            top = heap_pop(&h);
        } while (!(used[top.i] && used[top.j]));
        if (st)
            break;
        if (isnan(top.inertia)) {
            st = mlc_raise(MLC_ERANGE, "the ward inertia overflows (values too large)");
            break;
        }
        size_t i = top.i, j = top.j, t = k - n;
        parent[i] = parent[j] = k;
        children[2 * t] = (int64_t)j;
        children[2 * t + 1] = (int64_t)i;
        height[t] = sqrt(2.0 * top.inertia);
        used[i] = used[j] = 0;
        m1[k] = m1[i] + m1[j];
        for (size_t f = 0; f < d; f++)
            m2[k * d + f] = m2[i * d + f] + m2[j * d + f];
        /* the clusters linked to i or j, in list order (_get_parents) */
        seen[k] = k;
        size_t parts[2] = {i, j};
        for (int side = 0; !st && side < 2; side++) {
            const hc_list *l = &g->lists[parts[side]];
            for (size_t e = 0; !st && e < l->n; e++) {
                size_t node = l->v[e];
                while (parent[node] != node)
                    node = parent[node];
                if (seen[node] != k) {
                    seen[node] = k;
                    st = list_push(&g->lists[k], node);
                }
            }
        }
        for (size_t e = 0; !st && e < g->lists[k].n; e++) {
            size_t c = g->lists[k].v[e];
            st = list_push(&g->lists[c], k);
            if (!st)
                st = heap_push(&h, (edge){ward_inertia(m1, m2, d, k, c), k, c});
        }
        if (!st && mlc_progress_tick(progress, (int64_t)t + 1, (int64_t)n - 1, NAN, NULL))
            st = MLC_EINTERRUPTED;
    }
    free(m1);
    free(m2);
    free(used);
    free(seen);
    free(h.e);
    return st;
}
