/* DBSCAN on the library's neighbour index (mlcore/neighbors.h), without
 * listing every neighbourhood as scikit-learn does (all pairs within eps:
 * ~1e8 at 100 000 x 10).
 *
 * 1. Core points: counting queries that stop at min_samples.
 * 2. A net of centres: the lowest-index core point not yet covered becomes
 *    a centre and covers the core points within eps of it (they share its
 *    cluster: each is a core neighbour of a core point). Every core
 *    neighbour of a centre is joined to it.
 * 3. Joins between balls: two core points within eps of each other, in the
 *    balls of centres c and c', put c and c' within 3 eps of each other. An
 *    index over the centres finds those pairs; a pair whose clusters still
 *    differ is joined if some member of one ball is within eps of some
 *    member of the other (a member farther than 2 eps from the other centre
 *    cannot be). Where the net is fine (few members per centre: eps small
 *    for the data), listing every core point's neighbourhood is cheaper,
 *    and is done instead.
 * 4. A non-core point takes the smallest cluster root among its core
 *    neighbours (its neighbourhood is short: fewer than min_samples).
 *
 * Every list comes a block of query rows at a time, sized to keep the lists
 * near LIST_BUDGET entries: memory O(n + block), whatever eps. The result
 * is the connected components of the core points, numbered by their lowest
 * index: it does not depend on the order of the joins. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dbscan_impl.h"
#include "dbscan_metric.h"
#include "internal/error.h"

#define LIST_BUDGET ((size_t)1 << 19)
#define BLOCK_MIN 16
#define BLOCK_MAX 4096
/* Values of the gathered query rows at most (a precomputed X's rows are n
 * long). */
#define QUERY_BUDGET ((size_t)1 << 19)
/* The net pays when its centres cover this many core points each on
 * average; below, every core point lists its neighbourhood. */
#define NET_MIN_COVER 4
/* Rows per block while the net is made (two parts of the index's 64). */
#define NET_BLOCK 128

typedef struct index_run {
    dbscan_problem *pb;
    const mlc_neighbors *nn;
    dbscan_metric dm, dm2; /* eps and 2 eps */
    int precomputed;
    mlc_matrix Q;          /* max_rows x cols: the gathered query rows */
    size_t max_rows;
    size_t *rows;          /* the block's row indices */
    int32_t *centre_of;    /* n: a core point's centre (its row), -1 before */
    int32_t *members;      /* the core points, grouped by centre ... */
    size_t *member_start;  /* ... centre k's at members[member_start[k] ..) */
    int32_t *centres;      /* the centres' rows, ascending */
    size_t n_centres;
} index_run;

/* Is core point b within eps of core point a? */
static int close_pair(const index_run *r, size_t a, size_t b)
{
    const mlc_matrix *X = r->pb->X;
    if (r->precomputed)
        return MLC_AT(X, a, b) <= r->pb->eps;
    return dbscan_within(&r->dm, mlc_matrix_row(X, a), mlc_matrix_row(X, b));
}

/* The rows `pick` selects (in index order), a block at a time, each handed to `visit` with its radius list. pick and visit see the
 * state the previous blocks left. */
typedef int (*pick_fn)(index_run *r, size_t row);
typedef void (*visit_fn)(index_run *r, size_t row, const size_t *ind, size_t len);

static int for_each_list(index_run *r, const char *stage, double radius, size_t max_block,
                         pick_fn pick, visit_fn visit)
{
    const mlc_matrix *X = r->pb->X;
    max_block = max_block < r->max_rows ? max_block : r->max_rows;
    size_t count = X->rows, block = max_block < 256 ? max_block : 256, i = 0;
    int st = MLC_OK;
    while (i < count && !st) {
        size_t b = 0;
        for (; i < count && b < block; i++) {
            size_t row = i;
            if (!pick(r, row))
                continue;
            r->rows[b] = row;
            memcpy(mlc_matrix_row(&r->Q, b), mlc_matrix_row(X, row), X->cols * sizeof(double));
            b++;
        }
        if (b == 0)
            break;
        mlc_matrix Qb = mlc_matrix_rows(&r->Q, 0, b);
        mlc_neighbor_lists L = {0};
        if ((st = mlc_neighbors_radius(r->nn, &Qb, radius, 0, 0, &L)))
            break;
        for (size_t q = 0; q < b; q++)
            visit(r, r->rows[q], L.ind + L.offset[q], L.offset[q + 1] - L.offset[q]);
        size_t per_row = L.offset[b] / b + 1;
        mlc_neighbor_lists_clear(&L);
        /* A checkpoint per block: the rows gone through so far. */
        if (mlc_progress_tick(r->pb->progress, (int64_t)i, (int64_t)count, NAN, stage))
            return MLC_EINTERRUPTED;
        block = LIST_BUDGET / per_row;
        block = block < BLOCK_MIN ? BLOCK_MIN : block;
        block = block > max_block ? max_block : block;
    }
    return st;
}

/* ------------------------------------------------------------- the net */

static int uncovered_core(index_run *r, size_t row)
{
    return r->pb->core[row] && r->centre_of[row] < 0;
}

/* A core point not covered by an earlier centre (of this block too)
 * becomes a centre; it covers its uncovered core neighbours and joins them
 * all. */
static void make_centre(index_run *r, size_t row, const size_t *ind, size_t len)
{
    dbscan_problem *pb = r->pb;
    if (r->centre_of[row] >= 0)
        return; /* covered by a centre earlier in this block */
    r->centres[r->n_centres++] = (int32_t)row;
    for (size_t k = 0; k < len; k++) {
        size_t j = ind[k];
        if (!pb->core[j])
            continue;
        if (r->centre_of[j] < 0)
            r->centre_of[j] = (int32_t)row;
        dbscan_union(pb->parent, (int32_t)row, (int32_t)j);
    }
}

/* members / member_start from centre_of (centres ascending, members too). */
static int group_members(index_run *r, size_t n_core)
{
    size_t n = r->pb->X->rows, m = r->n_centres;
    r->members = malloc((n_core ? n_core : 1) * sizeof *r->members);
    r->member_start = calloc(m + 1, sizeof *r->member_start);
    if (!r->members || !r->member_start)
        return mlc_raise_nomem("DBSCAN");
    /* Centres are ascending rows: a binary search gives a centre's rank. */
    for (size_t i = 0; i < n; i++) {
        if (!r->pb->core[i])
            continue;
        int32_t c = r->centre_of[i];
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (r->centres[mid] < c)
                lo = mid + 1;
            else
                hi = mid;
        }
        r->centre_of[i] = (int32_t)lo; /* from now on: the centre's rank */
        r->member_start[lo + 1]++;
    }
    for (size_t k = 0; k < m; k++)
        r->member_start[k + 1] += r->member_start[k];
    size_t *fill = calloc(m ? m : 1, sizeof *fill);
    if (!fill)
        return mlc_raise_nomem("DBSCAN");
    for (size_t i = 0; i < n; i++)
        if (r->pb->core[i]) {
            size_t k = (size_t)r->centre_of[i];
            r->members[r->member_start[k] + fill[k]++] = (int32_t)i;
        }
    free(fill);
    return MLC_OK;
}

/* Is some member of ball k within eps of some member of ball t? */
static int balls_touch(const index_run *r, size_t k, size_t t)
{
    const mlc_matrix *X = r->pb->X;
    size_t ct = (size_t)r->centres[t];
    for (size_t u = r->member_start[k]; u < r->member_start[k + 1]; u++) {
        size_t a = (size_t)r->members[u];
        int near = r->precomputed ? MLC_AT(X, a, ct) <= 2 * r->pb->eps
                                  : dbscan_within(&r->dm2, mlc_matrix_row(X, a),
                                                  mlc_matrix_row(X, ct));
        if (!near)
            continue;
        for (size_t v = r->member_start[t]; v < r->member_start[t + 1]; v++)
            if (close_pair(r, a, (size_t)r->members[v]))
                return 1;
    }
    return 0;
}

/* The centres' rows (precomputed: their distances to each other). */
static int gather_centres(const index_run *r, mlc_matrix *C)
{
    const mlc_matrix *X = r->pb->X;
    size_t m = r->n_centres, cols = r->precomputed ? m : X->cols;
    if (mlc_matrix_alloc(C, m, cols))
        return mlc_raise_nomem("DBSCAN");
    for (size_t k = 0; k < m; k++) {
        const double *row = mlc_matrix_row(X, (size_t)r->centres[k]);
        if (!r->precomputed)
            memcpy(mlc_matrix_row(C, k), row, cols * sizeof *row);
        else
            for (size_t t = 0; t < m; t++)
                MLC_AT(C, k, t) = row[r->centres[t]];
    }
    return MLC_OK;
}

static int join_centres(index_run *r, const mlc_neighbors_params *np)
{
    dbscan_problem *pb = r->pb;
    size_t m = r->n_centres;
    mlc_matrix C = {0};
    mlc_neighbors *cn = NULL;
    int st = gather_centres(r, &C);
    if (!st)
        st = mlc_neighbors_build(np, &C, &cn);
    size_t k0 = 0, block = 256;
    while (!st && k0 < m) {
        size_t b = block < m - k0 ? block : m - k0;
        mlc_matrix Q = mlc_matrix_rows(&C, k0, b);
        mlc_neighbor_lists L = {0};
        if ((st = mlc_neighbors_radius(cn, &Q, 3 * pb->eps, 0, 0, &L)))
            break;
        for (size_t q = 0; q < b; q++) {
            size_t k = k0 + q;
            int32_t ck = r->centres[k];
            for (size_t e = L.offset[q]; e < L.offset[q + 1]; e++) {
                size_t t = L.ind[e];
                if (t <= k ||
                    dbscan_find(pb->parent, ck) == dbscan_find(pb->parent, r->centres[t]))
                    continue;
                if (balls_touch(r, k, t))
                    dbscan_union(pb->parent, ck, r->centres[t]);
            }
        }
        size_t per_row = L.offset[b] / b + 1;
        mlc_neighbor_lists_clear(&L);
        k0 += b;
        block = LIST_BUDGET / per_row;
        block = block < BLOCK_MIN ? BLOCK_MIN : block > BLOCK_MAX ? BLOCK_MAX : block;
    }
    mlc_neighbors_free(cn);
    mlc_matrix_clear(&C);
    return st;
}

/* ---------------------------------------------- the plain neighbourhoods */

static int core_not_centre(index_run *r, size_t row)
{
    return r->pb->core[row] && r->centre_of[row] != (int32_t)row;
}

/* A core point joins every core neighbour below it (each pair is seen from
 * both ends; one is enough). */
static void join_core(index_run *r, size_t row, const size_t *ind, size_t len)
{
    for (size_t k = 0; k < len; k++)
        if (r->pb->core[ind[k]])
            dbscan_union(r->pb->parent, (int32_t)row, (int32_t)ind[k]);
}

static int not_core(index_run *r, size_t row)
{
    return !r->pb->core[row];
}

/* A non-core point takes the smallest root among its core neighbours. */
static void reach_border(index_run *r, size_t row, const size_t *ind, size_t len)
{
    dbscan_problem *pb = r->pb;
    int32_t best = -1;
    for (size_t k = 0; k < len; k++) {
        if (!pb->core[ind[k]])
            continue;
        int32_t root = dbscan_find(pb->parent, (int32_t)ind[k]);
        if (best < 0 || root < best)
            best = root;
    }
    pb->border[row] = best;
}

static int run(index_run *r, const mlc_neighbors_params *np)
{
    dbscan_problem *pb = r->pb;
    size_t n = pb->X->rows;
    double *count = malloc(n * sizeof *count);
    if (!count)
        return mlc_raise_nomem("DBSCAN");
    int st = mlc_neighbors_radius_count(r->nn, pb->X, pb->eps, pb->weights,
                                        pb->negative_weights ? 0 : pb->min_samples, count);
    size_t n_core = 0;
    for (size_t i = 0; !st && i < n; i++) {
        pb->core[i] = count[i] >= pb->min_samples;
        n_core += pb->core[i];
    }
    free(count);
    if (st)
        return st;
    r->centre_of = malloc(n * sizeof *r->centre_of);
    r->centres = malloc((n_core ? n_core : 1) * sizeof *r->centres);
    if (!r->centre_of || !r->centres)
        return mlc_raise_nomem("DBSCAN");
    for (size_t i = 0; i < n; i++)
        r->centre_of[i] = -1;
    /* Small blocks: a point listed in a block may be covered by a centre
     * made earlier in the same block, and its list is then wasted. */
    st = for_each_list(r, "rows (net)", pb->eps, NET_BLOCK, uncovered_core, make_centre);
    if (st)
        return st;
    /* One ball (or none) is one cluster already. */
    if (r->n_centres >= 2 && r->n_centres * NET_MIN_COVER <= n_core) {
        if (!(st = group_members(r, n_core)))
            st = join_centres(r, np);
    } else if (r->n_centres >= 2) {
        st = for_each_list(r, "rows (joins)", pb->eps, BLOCK_MAX, core_not_centre, join_core);
    }
    if (!st)
        st = for_each_list(r, "rows (borders)", pb->eps, BLOCK_MAX, not_core, reach_border);
    return st;
}

int mlc_dbscan_index(dbscan_problem *pb)
{
    const mlc_dbscan_params *p = pb->params;
    const mlc_matrix *X = pb->X;
    mlc_neighbors_params np = mlc_neighbors_params_default();
    np.algorithm = p->algorithm;
    np.metric = p->metric;
    np.p = p->p;
    np.leaf_size = (size_t)p->leaf_size;
    np.n_threads = p->n_threads;
    mlc_neighbors *nn = NULL;
    int st = mlc_neighbors_build(&np, X, &nn);
    if (st)
        return st;
    index_run r = {.pb = pb, .nn = nn, .precomputed = p->metric == MLC_METRIC_PRECOMPUTED};
    r.dm = dbscan_metric_make(p->metric, p->p, pb->eps, X->cols);
    r.dm2 = dbscan_metric_make(p->metric, p->p, 2 * pb->eps, X->cols);
    r.max_rows = QUERY_BUDGET / X->cols;
    r.max_rows = r.max_rows < 1 ? 1 : r.max_rows > BLOCK_MAX ? BLOCK_MAX : r.max_rows;
    r.rows = malloc(r.max_rows * sizeof *r.rows);
    if (!r.rows || mlc_matrix_alloc(&r.Q, r.max_rows, X->cols))
        st = mlc_raise_nomem("DBSCAN");
    if (!st)
        st = run(&r, &np);
    free(r.rows);
    free(r.centre_of);
    free(r.centres);
    free(r.members);
    free(r.member_start);
    mlc_matrix_clear(&r.Q);
    mlc_neighbors_free(nn);
    return st;
}
