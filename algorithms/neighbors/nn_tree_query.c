/* Queries of the kd-tree and the ball tree: depth-first over an explicit
 * stack no deeper than the tree (n_levels, fixed at build), nearer child
 * first, pruning a node whose lower bound is beyond what is kept.
 *
 * The bounds are made conservative by a relative 1e-12 (lower bounds
 * shrunk, upper bounds grown), so rounding in a bound never prunes a point
 * whose exact distance qualifies, nor takes a whole node whose points do not
 * all qualify: the answers are those of brute force's exact distances. */
#include <math.h>
#include "internal/error.h"
#include "nn_impl.h"

#define NN_SLACK 1e-12

/* The reduced distance from q to the nearest (lower) and farthest (upper)
 * point a node can hold. */
static void kd_bounds(const mlc_neighbors *nn, size_t i_node, const double *q, double *lower,
                      double *upper)
{
    size_t d = nn->d;
    const double *lo = nn->bounds + i_node * 2 * d, *hi = lo + d;
    double sl = 0.0, su = 0.0;
    for (size_t f = 0; f < d; f++) {
        double a = lo[f] - q[f], b = q[f] - hi[f];
        double gap = a > 0 ? a : (b > 0 ? b : 0.0);
        double far = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
        switch (nn->metric) {
        case MLC_METRIC_EUCLIDEAN:
            sl += gap * gap;
            su += far * far;
            break;
        case MLC_METRIC_MANHATTAN:
            sl += gap;
            su += far;
            break;
        case MLC_METRIC_CHEBYSHEV:
            sl = gap > sl ? gap : sl;
            su = far > su ? far : su;
            break;
        default:
            sl += pow(gap, nn->p);
            su += pow(far, nn->p);
            break;
        }
    }
    *lower = sl * (1.0 - NN_SLACK);
    *upper = su * (1.0 + NN_SLACK);
}

static void ball_bounds(const mlc_neighbors *nn, size_t i_node, const double *q, double *lower,
                        double *upper)
{
    const double *centre = nn->bounds + i_node * nn->d;
    double dc = nn_rdist_to_dist(nn->metric, nn->p, nn_rdist(nn->metric, nn->p, q, centre, nn->d));
    double r = nn->radius[i_node] * (1.0 + NN_SLACK);
    double lo = dc * (1.0 - NN_SLACK) - r, hi = (dc + r) * (1.0 + NN_SLACK);
    *lower = lo > 0 ? nn_dist_to_rdist(nn->metric, nn->p, lo) * (1.0 - NN_SLACK) : 0.0;
    *upper = nn_dist_to_rdist(nn->metric, nn->p, hi) * (1.0 + NN_SLACK);
}

static void node_bounds(const mlc_neighbors *nn, size_t i_node, const double *q, double *lower,
                        double *upper)
{
    if (nn->algorithm == MLC_NN_KD_TREE)
        kd_bounds(nn, i_node, q, lower, upper);
    else
        ball_bounds(nn, i_node, q, lower, upper);
}

size_t nn_tree_leaf_of(const mlc_neighbors *nn, const double *q)
{
    size_t node = 0;
    while (!nn->nodes[node].is_leaf) {
        double la, lb, upper;
        node_bounds(nn, 2 * node + 1, q, &la, &upper);
        node_bounds(nn, 2 * node + 2, q, &lb, &upper);
        node = la <= lb ? 2 * node + 1 : 2 * node + 2;
    }
    return node;
}

/* A stack entry: a node and its lower bound. Each pop pushes at most two
 * children one level down, so the stack never holds more than n_levels + 1
 * entries; 2 * 64 covers any tree a size_t can index. */
typedef struct nn_visit {
    size_t node;
    double lower;
} nn_visit;
#define NN_STACK 130

int nn_tree_knn_row(const mlc_neighbors *nn, const double *q, nn_heap *h)
{
    nn_visit stack[NN_STACK];
    size_t top = 0;
    double lower, upper;
    node_bounds(nn, 0, q, &lower, &upper);
    stack[top++] = (nn_visit){0, lower};
    while (top > 0) {
        nn_visit v = stack[--top];
        if (v.lower > nn_heap_worst(h))
            continue;
        const nn_node *node = &nn->nodes[v.node];
        if (node->is_leaf) {
            double worst = nn_heap_worst(h);
            for (size_t k = node->start; k < node->end; k++) {
                double r = nn_rdist(nn->metric, nn->p, q, nn_tree_row(nn, k), nn->d);
                if (r <= worst) { /* the heap decides ties by index */
                    nn_heap_push(h, r, nn->idx[k]);
                    worst = nn_heap_worst(h);
                }
            }
            continue;
        }
        size_t a = 2 * v.node + 1, b = a + 1;
        double la, lb;
        node_bounds(nn, a, q, &la, &upper);
        node_bounds(nn, b, q, &lb, &upper);
        /* The nearer child on top, visited first. */
        if (la <= lb) {
            stack[top++] = (nn_visit){b, lb};
            stack[top++] = (nn_visit){a, la};
        } else {
            stack[top++] = (nn_visit){a, la};
            stack[top++] = (nn_visit){b, lb};
        }
    }
    return MLC_OK;
}

int nn_tree_radius_row(const mlc_neighbors *nn, const double *q, double rr, nn_radius_out *o)
{
    size_t stack[NN_STACK], top = 0;
    int st = MLC_OK;
    stack[top++] = 0;
    while (top > 0 && !st && !nn_radius_done(o)) {
        size_t i_node = stack[--top];
        const nn_node *node = &nn->nodes[i_node];
        double lower, upper;
        node_bounds(nn, i_node, q, &lower, &upper);
        if (lower > rr)
            continue;
        if (upper <= rr) {
            /* Every point of the node is inside. */
            for (size_t k = node->start; k < node->end && !st && !nn_radius_done(o); k++) {
                double r = o->list ? nn_rdist(nn->metric, nn->p, q, nn_tree_row(nn, k), nn->d)
                                   : 0.0;
                st = nn_radius_take(o, nn->idx[k], r);
            }
        } else if (node->is_leaf) {
            for (size_t k = node->start; k < node->end && !st && !nn_radius_done(o); k++) {
                double r = nn_rdist(nn->metric, nn->p, q, nn_tree_row(nn, k), nn->d);
                if (r <= rr)
                    st = nn_radius_take(o, nn->idx[k], r);
            }
        } else if (o->stop_at > 0 && !o->list) {
            /* A count that may stop early: the nearer child first, where
             * the points are (DBSCAN's core test, 10-D: 2.7 s -> 0.2 s) */
            double la, lb, u;
            node_bounds(nn, 2 * i_node + 1, q, &la, &u);
            node_bounds(nn, 2 * i_node + 2, q, &lb, &u);
            int near_left = la <= lb;
            stack[top++] = near_left ? 2 * i_node + 2 : 2 * i_node + 1;
            stack[top++] = near_left ? 2 * i_node + 1 : 2 * i_node + 2;
        } else {
            stack[top++] = 2 * i_node + 2;
            stack[top++] = 2 * i_node + 1;
        }
    }
    return st;
}
