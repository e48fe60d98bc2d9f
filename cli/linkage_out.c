/* fit --linkage-out Z.csv: a hierarchical clustering's merge tree as scipy's
 * linkage matrix (the two merged nodes, the height, the new cluster's size:
 * what scipy.cluster.hierarchy.dendrogram draws). */
#include <string.h>
#include "cli.h"
#include "table_out.h"

int cli_write_linkage(const cli_opts *o, const mlc_estimator *e)
{
    mlc_attribute a;
    if (mlc_estimator_attribute(e, "linkage_matrix_", &a) != MLC_OK || a.ndim != 2 ||
        a.shape[1] != 4)
        return cli_usage_error("--linkage-out: %s builds no merge tree "
                               "(agglomerative_clustering does)",
                               mlc_estimator_name(e));
    mlc_matrix Z = {0};
    if (mlc_matrix_alloc(&Z, a.shape[0], 4))
        return cli_fail("linkage matrix", MLC_ENOMEM);
    memcpy(Z.data, a.data, a.shape[0] * 4 * sizeof(double));
    static const char *const names[4] = {"node_a", "node_b", "height", "size"};
    int rc = cli_write_table(o->linkage_out, &Z, names);
    mlc_matrix_clear(&Z);
    return rc;
}
