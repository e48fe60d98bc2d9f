/* Hierarchical clustering: the merge-tree builders behind
 * agglomerative_clustering, and what turns their merges into scipy's
 * linkage matrix, scikit-learn's children_ and its labels (docs/PARITY.md §9).
 *
 * The builders follow Müllner, "Modern hierarchical, agglomerative
 * clustering algorithms" (2011, arXiv:1109.2378), as fastcluster does:
 *  - ward on the data vectors: the nearest-neighbour chain over cluster
 *    centroids, O(n) memory beyond X (hc_nn_chain.c);
 *  - complete and average over the condensed distance matrix with the
 *    Lance-Williams updates: the nearest-neighbour chain for the smaller
 *    fits (hc_nn_chain.c, scipy's tree even under ties), Müllner's generic
 *    algorithm for the larger (hc_generic.c);
 *  - single: Prim's minimum spanning tree, on the vectors with distances
 *    computed on the fly, or on a precomputed matrix (hc_mst.c).
 * Each writes n - 1 merges (two cluster slots and a height) in the order it
 * found them; hc_label sorts and relabels them as scipy does. Each ticks
 * `progress` (NULL: none) after every merge and returns MLC_EINTERRUPTED,
 * without a message, when it asks to stop. */
#ifndef MLC_CLUSTER_HC_TREE_H
#define MLC_CLUSTER_HC_TREE_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"
#include "mlcore/matrix.h"

/* Operations (distance terms) below which one step of a chain or of Prim's
 * tree runs on the calling thread alone: the steps run on a team that lives
 * for the whole loop (internal/step_team.h), so a step's handshake costs
 * well under a microsecond, about 2 000 terms. */
#define HC_STEP_MIN_WORK 2e4

/* The orders of the public enums (mlcore/cluster.h). */
enum { HC_WARD = 0, HC_COMPLETE = 1, HC_AVERAGE = 2, HC_SINGLE = 3 };
enum { HC_EUCLIDEAN = 0, HC_MANHATTAN = 1, HC_COSINE = 2, HC_PRECOMPUTED = 3 };

/* d(x, a u b) from d(x, a) and d(x, b) by the Lance-Williams formulas
 * (Lance & Williams 1967): complete linkage the larger, average linkage
 * (n_a d_a + n_b d_b) / (n_a + n_b), as scipy's _complete and _average
 * compute them (cluster sizes n_a, n_b). */
static inline double hc_lance_williams(int method, double n_a, double n_b, double d_a, double d_b)
{
    if (method == HC_COMPLETE)
        return d_a > d_b ? d_a : d_b;
    return (n_a * d_a + n_b * d_b) / (n_a + n_b);
}

/* The condensed matrix (scipy's pdist layout, the upper triangle row by
 * row): d(i, j), i < j, is D[row_i + j] with row_i = hc_condensed_row(n, i)
 * (i (2n - i - 1) / 2 - i - 1, taken modulo 2^N: row_0 + j is j - 1). */
static inline size_t hc_condensed_row(size_t n, size_t i)
{
    return i * (2 * n - i - 1) / 2 - i - 1;
}

/* d(i, j), i != j, of a condensed matrix D whose rows start at row[]. */
static inline double *hc_condensed_at(double *D, const size_t *row, size_t i, size_t j)
{
    return i < j ? &D[row[i] + j] : &D[row[j] + i];
}

/* One merge as a builder finds it: slots a and b (a leaf index or the slot a
 * merged cluster took over), the height of the merge. */
typedef struct hc_merge {
    size_t a, b;
    double height;
} hc_merge;

/* Ward's method on the rows of X (n >= 2), without a distance matrix:
 * merges[n - 1]. Heights are scipy's sqrt(2 n_a n_b / (n_a + n_b)) ||mu_a -
 * mu_b||. Errors: MLC_ENOMEM. */
int hc_ward_vectors(const mlc_matrix *X, int n_threads, mlc_progress_ctx *progress,
                    hc_merge *merges);

/* Complete or average linkage by scipy's nearest-neighbour chain on the
 * condensed distances D (hc_distances), which it overwrites: merges[n - 1],
 * scipy's to the letter, ties included. Errors: MLC_ENOMEM, MLC_ERANGE. */
int hc_nn_chain(double *D, size_t n, int method, int n_threads, mlc_progress_ctx *progress,
                hc_merge *merges);

/* Complete or average linkage by Müllner's generic algorithm on the
 * condensed distances D (hc_distances: scipy's pdist order), which it
 * overwrites: merges[n - 1] (n >= 2). near_dist / near_at: each row's
 * nearest row above it as hc_distances gives them, or NULL (found here).
 * Errors: MLC_ENOMEM, MLC_ERANGE (the distances overflow). */
int hc_generic_linkage(double *D, size_t n, const double *near_dist, const size_t *near_at,
                       int method, int n_threads, mlc_progress_ctx *progress,
                       hc_merge *merges);

/* Single linkage: Prim's tree from row 0, the edges as (the node added
 * before, the node added, its distance to the tree) as scikit-learn's
 * mst_linkage_core and scipy's mst_single_linkage write them. On the rows of
 * X (metric euclidean, manhattan or cosine; cosine needs no zero row), or on
 * a square precomputed matrix P. Errors: MLC_ENOMEM. */
int hc_prim_vectors(const mlc_matrix *X, int metric, int n_threads, mlc_progress_ctx *progress,
                    hc_merge *merges);
int hc_prim_square(const mlc_matrix *P, int n_threads, mlc_progress_ctx *progress,
                   hc_merge *merges);

/* The distances between X's rows under metric (euclidean, manhattan,
 * cosine), or those of a square precomputed matrix X (its upper triangle),
 * into *D (mlc_aligned_alloc'ed): the condensed n (n - 1) / 2, in scipy's
 * pdist order. near_dist / near_at (n each, or NULL): each row's nearest
 * row above it (hc_row_nearest; the last row: INFINITY, SIZE_MAX), taken
 * as the rows are written. Refuses, with MLC_ENOMEM naming the size, a
 * matrix larger than the machine's memory. */
int hc_distances(const mlc_matrix *X, int metric, int n_threads, double **D,
                 double *near_dist, size_t *near_at);

/* The least of v[0 .. m) into *dist and first + its position into *at,
 * the first of equals (INFINITY and SIZE_MAX when none is below INFINITY). */
void hc_row_nearest(const double *v, size_t m, size_t first, double *dist, size_t *at);

/* perm[s] = the row of X that slot s takes in the distance matrix: the
 * leaves of a k-d tree in order (hc_order.c). Errors: MLC_ENOMEM. */
int hc_locality_order(const mlc_matrix *X, size_t *perm);

/* Rows [first, first + m) of X feature by feature into T: feature f of row
 * first + k at T[f * ld + k] (ld >= m). The layout of the vector scans
 * (mlc_sqdist_columns): ward's centroids, Prim's outside nodes, the
 * euclidean distance matrix. */
void hc_feature_major(const mlc_matrix *X, size_t first, size_t m, size_t ld, double *T);

/* Bytes of the condensed matrix of n rows; 0 when that overflows size_t. */
size_t hc_condensed_bytes(size_t n);

/* Sort the merges by height (stable, as numpy's mergesort) and relabel them
 * by a union-find: children[(n - 1) x 2] gets scikit-learn's children_,
 * Z[(n - 1) x 4] scipy's linkage matrix (smaller id first, height, size).
 * sklearn_order: children_ rows keep (find(a), find(b)), as scikit-learn's
 * own single linkage writes them; else they are Z's pairs. Errors:
 * MLC_ENOMEM. */
int hc_label(hc_merge *merges, size_t n, int sklearn_order, int64_t *children, double *Z);

/* ---- structured clustering (connectivity), hc_graph.c and
 * hc_graph_linkage.c */

/* A growable list of node ids. */
typedef struct hc_list {
    size_t *v;
    size_t n, cap;
} hc_list;

/* Adjacency lists of the 2n - 1 nodes of a tree over n points (the points'
 * lists sorted; the merged clusters' added as the tree grows). */
typedef struct hc_graph {
    hc_list *lists;
    size_t n_nodes;
} hc_graph;

/* scikit-learn's connectivity from kneighbors_graph(X, k, include_self=
 * False) (1 <= k < n; for metric HC_PRECOMPUTED, X is the square distance
 * matrix and the neighbours are by its distances), made symmetric and
 * completed between its *n_components connected components (counted before
 * completion) by the closest pair under metric. Errors: MLC_ENOMEM, those
 * of the neighbours index. */
int hc_knn_graph(const mlc_matrix *X, size_t k, int metric, int n_threads, hc_graph *g,
                 size_t *n_components);
void hc_graph_clear(hc_graph *g);

/* scikit-learn's ward_tree with connectivity: n - 1 merges in the order
 * made, children[(n - 1) x 2] (smaller id first), height[n - 1] and
 * parent[2n - 1] (every node's parent, the root its own). Adds the merged
 * clusters' lists to g. Errors: MLC_ENOMEM, MLC_ERANGE, MLC_EINTERRUPTED. */
int hc_ward_graph(const mlc_matrix *X, hc_graph *g, mlc_progress_ctx *progress,
                  int64_t *children, double *height, size_t *parent);

/* scikit-learn's linkage_tree with connectivity for complete, average or
 * single linkage (method HC_COMPLETE, HC_AVERAGE, HC_SINGLE) under metric,
 * on the graph g from hc_knn_graph: children[(n - 1) x 2] and height[n - 1]
 * as scikit-learn writes them (complete and average: in the order made,
 * smaller id first; single: sorted by height, each row as its minimum
 * spanning tree edge gives it), parent[2n - 1] (every node's parent, the
 * root its own). Errors: MLC_ENOMEM, MLC_EINTERRUPTED. */
int hc_linkage_graph(const mlc_matrix *X, int metric, int method, const hc_graph *g,
                     mlc_progress_ctx *progress, int64_t *children, double *height,
                     size_t *parent);

/* numpy 1.24's default argsort (introsort) of v[n] into order[n]: the same
 * permutation among equal values, which scipy's minimum spanning tree
 * depends on. */
void hc_numpy_argsort(const double *v, size_t n, size_t *order);

/* ---- CPython's heapq (hc_pyheap.c), on items compared by key alone */

typedef struct hc_pyitem {
    double key;
    size_t a, b;
} hc_pyitem;

typedef struct hc_pyheap {
    hc_pyitem *e;
    size_t n, cap;
} hc_pyheap;

/* list.append (no reordering), heappush, heappop (h non-empty),
 * heappushpop with its result dropped, heapify. Errors: MLC_ENOMEM. */
int hc_pyheap_append(hc_pyheap *h, hc_pyitem x);
int hc_pyheap_push(hc_pyheap *h, hc_pyitem x);
hc_pyitem hc_pyheap_pop(hc_pyheap *h);
void hc_pyheap_pushpop(hc_pyheap *h, hc_pyitem x);
void hc_pyheap_heapify(hc_pyheap *h);
void hc_pyheap_clear(hc_pyheap *h);

/* scikit-learn's _hc_cut: labels[n] of the cut of the tree into k clusters
 * (1 <= k <= n), numbered as its heap leaves them. Errors: MLC_ENOMEM. */
int hc_cut(const int64_t *children, size_t n, size_t k, int32_t *labels);

#endif
