/* Seed corpus of the model-file fuzz target: every registered estimator
 * fitted on a few rows of iris (classes as y, or the petal width for
 * regressors) and saved as DIR/NAME.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlcore/mlcore.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    mlc_dataset iris;
    if (mlc_load_iris(&iris) != MLC_OK)
        return 1;
    /* Rows 0..9, 50..59, 100..109: three classes, 30 rows. */
    size_t idx[30];
    double yc[30], yr[30];
    for (size_t k = 0; k < 30; k++) {
        idx[k] = (k / 10) * 50 + k % 10;
        yc[k] = iris.y[idx[k]];
        yr[k] = MLC_AT(&iris.X, idx[k], 3);
    }
    mlc_matrix X;
    if (mlc_matrix_gather_rows(&iris.X, idx, 30, &X) != MLC_OK)
        return 1;
    int failed = 0;
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *e = NULL;
        if (mlc_estimator_new(name, &e) != MLC_OK)
            return 1;
        mlc_task task = mlc_estimator_task(e);
        const double *y = task == MLC_TASK_CLASSIFIER ? yc : task == MLC_TASK_REGRESSOR ? yr : NULL;
        mlc_estimator_set_threads(e, 1);
        /* Clusterers with a cluster count: 3 of the 30 rows' classes. */
        mlc_estimator_set(e, "n_clusters", "3");
        mlc_estimator_set(e, "n_components", "2");
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", argv[1], name);
        if (mlc_estimator_fit(e, &X, y) != MLC_OK || mlc_estimator_save(e, path) != MLC_OK) {
            fprintf(stderr, "%s: %s\n", name, mlc_last_error_message());
            failed = 1;
        }
        mlc_estimator_free(e);
    }
    mlc_matrix_clear(&X);
    mlc_dataset_clear(&iris);
    return failed;
}
