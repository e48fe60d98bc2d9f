/* The distance test DBSCAN's own loops make (the grid's cells, the core
 * pairs the index does not list): is b within eps of a? Compared in the
 * reduced form the trees use (squared for euclidean, p-th power for
 * minkowski), so the answers agree with the index's. */
#ifndef MLC_DBSCAN_METRIC_H
#define MLC_DBSCAN_METRIC_H
#include <math.h>
#include <stddef.h>
#include "internal/sqdist.h"
#include "mlcore/neighbors.h"

typedef struct dbscan_metric {
    mlc_nn_metric metric; /* not precomputed */
    double power;         /* minkowski's p */
    double limit;         /* eps reduced: eps^2, eps, eps^p */
    size_t d;
} dbscan_metric;

static inline dbscan_metric dbscan_metric_make(mlc_nn_metric metric, double p, double eps,
                                               size_t d)
{
    /* Minkowski with p 1 or 2 is the named metric, as in the index. */
    if (metric == MLC_METRIC_MINKOWSKI && (p == 1.0 || p == 2.0))
        metric = p == 1.0 ? MLC_METRIC_MANHATTAN : MLC_METRIC_EUCLIDEAN;
    dbscan_metric m = {metric, p, eps, d};
    if (metric == MLC_METRIC_EUCLIDEAN)
        m.limit = eps * eps;
    else if (metric == MLC_METRIC_MINKOWSKI)
        m.limit = pow(eps, p);
    return m;
}

static inline int dbscan_within(const dbscan_metric *m, const double *a, const double *b)
{
    double s = 0;
    switch (m->metric) {
    case MLC_METRIC_EUCLIDEAN:
        s = mlc_sqdist_direct(a, b, m->d);
        break;
    case MLC_METRIC_MANHATTAN:
        for (size_t k = 0; k < m->d; k++)
            s += fabs(a[k] - b[k]);
        break;
    case MLC_METRIC_CHEBYSHEV:
        for (size_t k = 0; k < m->d; k++)
            s = fmax(s, fabs(a[k] - b[k]));
        break;
    default:
        for (size_t k = 0; k < m->d; k++)
            s += pow(fabs(a[k] - b[k]), m->power);
        break;
    }
    return s <= m->limit;
}

#endif
