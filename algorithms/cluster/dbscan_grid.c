/* DBSCAN on a grid of cells, for 1 to 3 features: the exact grid method of
 * Gan & Tao, "DBSCAN revisited: mis-claim, un-fixability, and
 * approximation" (SIGMOD 2015), as Wang, Gu & Shun, "Theoretically-efficient
 * and practical parallel DBSCAN" (SIGMOD 2020) run it.
 *
 * Cells have side eps / d^(1/q) (q: the metric's power; a hair less, so that
 * rounding cannot put two points farther than eps apart in one cell): the
 * points of a cell are all neighbours of each other. So a cell whose weight
 * reaches min_samples is all core, other points count their neighbours in
 * the cells within reach (stopping at min_samples), the core points of a
 * cell form one cluster, two cells' clusters join when some pair of their
 * core points is within eps, and a non-core point takes the smallest
 * cluster among the cells holding a core point within its reach.
 *
 * Memory O(n): the points' coordinates in cell order (n x d), a few
 * integers per point and per cell, and a hash table of the occupied cells. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dbscan_impl.h"
#include "dbscan_metric.h"
#include "internal/error.h"
#include "internal/parallel.h"

#define MAX_OFFSETS 343 /* (2 * 3 + 1)^3: manhattan in 3-D reaches 3 cells */
#define NO_CELL UINT32_MAX

typedef struct grid {
    const dbscan_problem *pb;
    size_t n, d, n_cells;
    int metric;             /* MLC_METRIC_* (not precomputed) */
    double power;           /* minkowski's p */
    dbscan_metric dm;
    double lo[3];
    uint64_t span[3];       /* cells along each axis */
    uint64_t *cell_key;     /* n_cells */
    uint32_t *table;        /* open addressing: cell ids, NO_CELL empty */
    size_t table_mask;
    uint32_t *start;        /* n_cells + 1: the cell's points pt[start[c] .. start[c+1]) */
    uint32_t *n_core;       /* n_cells: then cstart (n_cells + 1) */
    uint32_t *cpos;         /* n_core: positions (in pt) of the cells' core points */
    double *weight;         /* n_cells: summed weights (counts without weights) */
    int32_t *pt;            /* n: point indices in cell order, ascending within a cell */
    double *xs;             /* n x d: their coordinates */
    int offsets[MAX_OFFSETS][3];
    size_t n_offsets;
} grid;

static uint64_t hash_key(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static uint32_t lookup(const grid *g, uint64_t key)
{
    for (size_t h = hash_key(key) & g->table_mask;; h = (h + 1) & g->table_mask) {
        uint32_t c = g->table[h];
        if (c == NO_CELL || g->cell_key[c] == key)
            return c;
    }
}

static void table_put(grid *g, uint64_t key, uint32_t id)
{
    size_t h = hash_key(key) & g->table_mask;
    while (g->table[h] != NO_CELL)
        h = (h + 1) & g->table_mask;
    g->table[h] = id;
}

/* Twice the cells' count, rounded to a power of two; rebuilt from cell_key. */
static int table_grow(grid *g)
{
    size_t size = g->table_mask + 1;
    while (size < 4 * (g->n_cells + 1))
        size *= 2;
    free(g->table);
    g->table = malloc(size * sizeof *g->table);
    if (!g->table)
        return mlc_raise_nomem("DBSCAN grid");
    memset(g->table, 0xff, size * sizeof *g->table);
    g->table_mask = size - 1;
    for (size_t c = 0; c < g->n_cells; c++)
        table_put(g, g->cell_key[c], (uint32_t)c);
    return MLC_OK;
}

static inline int within(const grid *g, const double *a, const double *b)
{
    return dbscan_within(&g->dm, a, b);
}

/* The cell coordinates of a key, and the key of cell coordinates (NO key
 * when outside the grid). */
static void key_coords(const grid *g, uint64_t key, uint64_t *c)
{
    for (size_t k = 0; k < g->d; k++) {
        c[k] = key % g->span[k];
        key /= g->span[k];
    }
}

/* The id of cell c + offset o, or NO_CELL. */
static uint32_t neighbour(const grid *g, const uint64_t *c, const int *o)
{
    uint64_t key = 0;
    for (size_t k = g->d; k-- > 0;) {
        int64_t x = (int64_t)c[k] + o[k];
        if (x < 0 || (uint64_t)x >= g->span[k])
            return NO_CELL;
        key = key * g->span[k] + (uint64_t)x;
    }
    return lookup(g, key);
}

/* d^(1/q) for the metric's power q: the side of a cell is eps over it. */
static double root_of_d(const grid *g)
{
    double d = (double)g->d;
    switch (g->metric) {
    case MLC_METRIC_EUCLIDEAN: return sqrt(d);
    case MLC_METRIC_MANHATTAN: return d;
    case MLC_METRIC_CHEBYSHEV: return 1;
    default: return pow(d, 1 / g->power);
    }
}

/* The norm of a gap vector in the metric (for pruning offsets). */
static double gap_norm(const grid *g, const double *gap)
{
    double s = 0;
    for (size_t k = 0; k < g->d; k++) {
        if (g->metric == MLC_METRIC_CHEBYSHEV)
            s = fmax(s, gap[k]);
        else if (g->metric == MLC_METRIC_MANHATTAN)
            s += gap[k];
        else if (g->metric == MLC_METRIC_EUCLIDEAN)
            s += gap[k] * gap[k];
        else
            s += pow(gap[k], g->power);
    }
    return g->metric == MLC_METRIC_EUCLIDEAN ? sqrt(s)
           : g->metric == MLC_METRIC_MINKOWSKI ? pow(s, 1 / g->power)
                                               : s;
}

/* The offsets of the cells that can hold a neighbour: within `reach` cells
 * along every axis, and no farther than eps from box to box. */
static void make_offsets(grid *g, double side, double eps)
{
    int reach = (int)ceil(eps / side);
    int o[3] = {0, 0, 0};
    int lo = -reach, hi = reach;
    int z_hi = g->d > 2 ? hi : 0, y_hi = g->d > 1 ? hi : 0;
    g->n_offsets = 0;
    for (o[2] = g->d > 2 ? lo : 0; o[2] <= z_hi; o[2]++)
        for (o[1] = g->d > 1 ? lo : 0; o[1] <= y_hi; o[1]++)
            for (o[0] = lo; o[0] <= hi; o[0]++) {
                double gap[3];
                for (size_t k = 0; k < g->d; k++)
                    gap[k] = (abs(o[k]) > 1 ? abs(o[k]) - 1 : 0) * side;
                if (gap_norm(g, gap) > eps * (1 + 1e-9) || g->n_offsets == MAX_OFFSETS)
                    continue;
                memcpy(g->offsets[g->n_offsets++], o, sizeof o);
            }
}

/* Cells, their points in cell order, the table. MLC_EUNSUPPORTED (no
 * message) when the keys would not fit 64 bits. */
static int build(grid *g)
{
    const dbscan_problem *pb = g->pb;
    const mlc_matrix *X = pb->X;
    size_t n = g->n, d = g->d;
    double hi[3];
    double side = pb->eps / root_of_d(g) * (1 - 1e-9);
    for (size_t k = 0; k < d; k++)
        g->lo[k] = hi[k] = MLC_AT(X, 0, k);
    for (size_t i = 1; i < n; i++)
        for (size_t k = 0; k < d; k++) {
            double v = MLC_AT(X, i, k);
            g->lo[k] = v < g->lo[k] ? v : g->lo[k];
            hi[k] = v > hi[k] ? v : hi[k];
        }
    double cells = 1;
    for (size_t k = 0; k < d; k++) {
        double span = floor((hi[k] - g->lo[k]) / side) + 1;
        if (!(span < 4e9))
            return MLC_EUNSUPPORTED;
        g->span[k] = (uint64_t)span;
        cells *= span;
    }
    if (!(cells < 1.8e19) || !(side > 0))
        return MLC_EUNSUPPORTED;
    make_offsets(g, side, pb->eps);
    uint32_t *cid = malloc(n * sizeof *cid);
    g->cell_key = malloc(n * sizeof *g->cell_key);
    g->pt = malloc(n * sizeof *g->pt);
    g->xs = malloc(n * d * sizeof *g->xs);
    g->table_mask = 1023;
    int st = MLC_OK;
    if (!cid || !g->cell_key || !g->pt || !g->xs || (st = table_grow(g))) {
        free(cid);
        return st ? st : mlc_raise_nomem("DBSCAN grid");
    }
    for (size_t i = 0; i < n && !st; i++) {
        uint64_t key = 0;
        for (size_t k = d; k-- > 0;) {
            double c = floor((MLC_AT(X, i, k) - g->lo[k]) / side);
            uint64_t ck = c < 0 ? 0 : (uint64_t)c >= g->span[k] ? g->span[k] - 1 : (uint64_t)c;
            key = key * g->span[k] + ck;
        }
        uint32_t c = lookup(g, key);
        if (c == NO_CELL) {
            c = (uint32_t)g->n_cells;
            g->cell_key[g->n_cells++] = key;
            if (4 * g->n_cells > g->table_mask + 1)
                st = table_grow(g);
            else
                table_put(g, key, c);
        }
        cid[i] = c;
    }
    size_t nc = g->n_cells;
    g->start = calloc(nc + 1, sizeof *g->start);
    g->n_core = calloc(nc + 1, sizeof *g->n_core);
    g->weight = calloc(nc, sizeof *g->weight);
    if (!st && (!g->start || !g->n_core || !g->weight))
        st = mlc_raise_nomem("DBSCAN grid");
    if (!st) {
        /* Counting sort by cell, stable: ascending indices within a cell. */
        for (size_t i = 0; i < n; i++) {
            g->start[cid[i] + 1]++;
            g->weight[cid[i]] += pb->weights ? pb->weights[i] : 1.0;
        }
        for (size_t c = 0; c < nc; c++)
            g->start[c + 1] += g->start[c];
        uint32_t *fill = g->n_core; /* as scratch: zero now, zero after */
        for (size_t i = 0; i < n; i++) {
            size_t at = g->start[cid[i]] + fill[cid[i]]++;
            g->pt[at] = (int32_t)i;
            memcpy(g->xs + at * d, mlc_matrix_row(X, i), d * sizeof *g->xs);
        }
        memset(fill, 0, nc * sizeof *fill);
    }
    free(cid);
    return st;
}

/* ------------------------------------------------------------ core points */

typedef struct part_ctx {
    grid *g;
    mlc_parts parts;
} part_ctx;

/* Is the point at position at (cell c) a core point? */
static int is_core(const grid *g, size_t c, size_t at)
{
    const dbscan_problem *pb = g->pb;
    double count = g->weight[c];
    int early = !pb->negative_weights;
    if (early && count >= pb->min_samples)
        return 1;
    uint64_t cc[3];
    key_coords(g, g->cell_key[c], cc);
    const double *x = g->xs + at * g->d;
    for (size_t o = 0; o < g->n_offsets; o++) {
        uint32_t nb = neighbour(g, cc, g->offsets[o]);
        if (nb == NO_CELL || nb == c)
            continue;
        for (size_t b = g->start[nb]; b < g->start[nb + 1]; b++) {
            if (!within(g, x, g->xs + b * g->d))
                continue;
            count += pb->weights ? pb->weights[g->pt[b]] : 1.0;
            if (early && count >= pb->min_samples)
                return 1;
        }
    }
    return count >= pb->min_samples;
}

/* Mark the core points of a part of the cells. */
static void core_part(void *arg, size_t q)
{
    part_ctx *ctx = arg;
    grid *g = ctx->g;
    for (size_t c = mlc_part_lo(&ctx->parts, q); c < mlc_part_hi(&ctx->parts, q); c++) {
        uint32_t k = 0;
        for (size_t at = g->start[c]; at < g->start[c + 1]; at++) {
            int core = is_core(g, c, at);
            g->pb->core[g->pt[at]] = (uint8_t)core;
            k += (uint32_t)core;
        }
        g->n_core[c] = k;
    }
}

/* The cell's core points as positions in pt: cpos[cstart[c] .. cstart[c+1]),
 * n_core turned into cstart. */
static int list_cores(grid *g)
{
    uint32_t *cstart = g->n_core, total = 0;
    for (size_t c = 0; c <= g->n_cells; c++) {
        uint32_t k = c < g->n_cells ? cstart[c] : 0;
        cstart[c] = total;
        total += k;
    }
    g->cpos = malloc((total ? total : 1) * sizeof *g->cpos);
    if (!g->cpos)
        return mlc_raise_nomem("DBSCAN grid");
    for (size_t c = 0, w = 0; c < g->n_cells; c++)
        for (size_t at = g->start[c]; at < g->start[c + 1]; at++)
            if (g->pb->core[g->pt[at]])
                g->cpos[w++] = (uint32_t)at;
    return MLC_OK;
}

/* Is some core point of cell nb within eps of the point x? */
static int reaches_core(const grid *g, uint32_t nb, const double *x)
{
    const uint32_t *cstart = g->n_core;
    for (size_t k = cstart[nb]; k < cstart[nb + 1]; k++)
        if (within(g, x, g->xs + (size_t)g->cpos[k] * g->d))
            return 1;
    return 0;
}

/* The core points of a cell are one cluster; two cells' clusters join when
 * a pair of their core points is within eps (each pair of cells once). */
static void join_cells(grid *g)
{
    const uint32_t *cstart = g->n_core;
    int32_t *parent = g->pb->parent;
    for (size_t c = 0; c < g->n_cells; c++) {
        if (cstart[c] == cstart[c + 1])
            continue;
        int32_t rep = g->pt[g->cpos[cstart[c]]];
        for (size_t k = cstart[c] + 1; k < cstart[c + 1]; k++)
            parent[g->pt[g->cpos[k]]] = rep; /* rep: the cell's lowest core index */
    }
    for (size_t c = 0; c < g->n_cells; c++) {
        if (cstart[c] == cstart[c + 1])
            continue;
        int32_t rep = g->pt[g->cpos[cstart[c]]];
        uint64_t cc[3];
        key_coords(g, g->cell_key[c], cc);
        for (size_t o = 0; o < g->n_offsets; o++) {
            uint32_t nb = neighbour(g, cc, g->offsets[o]);
            if (nb == NO_CELL || nb <= c || cstart[nb] == cstart[nb + 1])
                continue;
            int32_t other = g->pt[g->cpos[cstart[nb]]];
            if (dbscan_find(parent, rep) == dbscan_find(parent, other))
                continue;
            for (size_t k = cstart[c]; k < cstart[c + 1]; k++)
                if (reaches_core(g, nb, g->xs + (size_t)g->cpos[k] * g->d)) {
                    dbscan_union(parent, rep, other);
                    break;
                }
        }
    }
}

/* The non-core points of a part of the cells: the smallest root among the
 * cells holding a core point within eps (parent is flat by now). */
static void border_part(void *arg, size_t q)
{
    part_ctx *ctx = arg;
    grid *g = ctx->g;
    const dbscan_problem *pb = g->pb;
    const uint32_t *cstart = g->n_core;
    for (size_t c = mlc_part_lo(&ctx->parts, q); c < mlc_part_hi(&ctx->parts, q); c++) {
        if (cstart[c + 1] - cstart[c] == g->start[c + 1] - g->start[c])
            continue; /* all core */
        int32_t own = cstart[c] < cstart[c + 1] ? pb->parent[g->pt[g->cpos[cstart[c]]]] : -1;
        uint64_t cc[3];
        key_coords(g, g->cell_key[c], cc);
        for (size_t at = g->start[c]; at < g->start[c + 1]; at++) {
            if (pb->core[g->pt[at]])
                continue;
            int32_t best = own;
            const double *x = g->xs + at * g->d;
            for (size_t o = 0; o < g->n_offsets; o++) {
                uint32_t nb = neighbour(g, cc, g->offsets[o]);
                if (nb == NO_CELL || nb == c || cstart[nb] == cstart[nb + 1])
                    continue;
                int32_t r = pb->parent[g->pt[g->cpos[cstart[nb]]]];
                if ((best < 0 || r < best) && reaches_core(g, nb, x))
                    best = r;
            }
            pb->border[g->pt[at]] = best;
        }
    }
}

static void grid_clear(grid *g)
{
    free(g->cell_key);
    free(g->table);
    free(g->start);
    free(g->n_core);
    free(g->cpos);
    free(g->weight);
    free(g->pt);
    free(g->xs);
}

int mlc_dbscan_grid(dbscan_problem *pb)
{
    const mlc_matrix *X = pb->X;
    grid g = {.pb = pb, .n = X->rows, .d = X->cols, .metric = (int)pb->params->metric,
              .power = pb->params->p};
    g.dm = dbscan_metric_make(pb->params->metric, pb->params->p, pb->eps, g.d);
    if (g.d < 1 || g.d > 3 || g.metric == MLC_METRIC_PRECOMPUTED)
        return MLC_EUNSUPPORTED;
    int st = build(&g);
    if (!st) {
        /* Parts of cells: each part's points are its own (the same result on
         * any number of threads). */
        part_ctx ctx = {&g, mlc_parts_sized(g.n_cells, 256)};
        int threads = mlc_threads_for(pb->params->n_threads, ctx.parts.count,
                                      (double)g.n * (double)g.n_offsets, 2e5);
        mlc_parallel_parts(threads, ctx.parts.count, core_part, &ctx);
        st = list_cores(&g);
        if (!st) {
            join_cells(&g);
            for (size_t i = 0; i < g.n; i++)
                if (pb->core[i])
                    pb->parent[i] = dbscan_find(pb->parent, (int32_t)i);
            mlc_parallel_parts(threads, ctx.parts.count, border_part, &ctx);
        }
    }
    grid_clear(&g);
    return st;
}
