/* Loading --data: a bundled data set by name, a CSV (target column by name)
 * or an NPY file (y from --y); and --model with its data (predict, score,
 * report). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int cli_load_data(const cli_opts *o, mlc_dataset *ds)
{
    memset(ds, 0, sizeof *ds);
    if (!o->data)
        return cli_usage_error("%s needs --data FILE (a CSV, an .npy, or a bundled data set: "
                               "iris, wine, breast_cancer, digits, diabetes)",
                               o->command);
    int st;
    for (size_t i = 0; mlc_bundled_name(i); i++) {
        if (strcmp(o->data, mlc_bundled_name(i)) != 0)
            continue;
        if (o->target && strcmp(o->target, "target") != 0)
            return cli_usage_error("bundled data set %s has its target in column 'target'",
                                   o->data);
        st = mlc_load_bundled(o->data, ds);
        return st ? cli_fail(o->data, st) : EXIT_OK;
    }
    if (has_suffix(o->data, ".npy")) {
        if (o->target)
            return cli_usage_error("--target names a CSV column; for .npy data give y with --y "
                                   "FILE.npy");
        st = mlc_dataset_read(o->data, NULL, ds);
        if (st)
            return cli_fail(o->data, st);
        if (o->y_file) {
            mlc_matrix y;
            st = mlc_npy_read(o->y_file, &y);
            if (st) {
                mlc_dataset_clear(ds);
                return cli_fail(o->y_file, st);
            }
            if (y.cols != 1 || y.rows != ds->X.rows) {
                fprintf(stderr, "mlcore: %s: y has shape %zu x %zu, expected %zu values\n",
                        o->y_file, y.rows, y.cols, ds->X.rows);
                mlc_matrix_clear(&y);
                mlc_dataset_clear(ds);
                return EXIT_FAIL;
            }
            ds->y = malloc(y.rows * sizeof *ds->y);
            if (!ds->y) {
                mlc_matrix_clear(&y);
                mlc_dataset_clear(ds);
                return cli_fail(o->y_file, MLC_ENOMEM);
            }
            memcpy(ds->y, y.data, y.rows * sizeof *ds->y);
            mlc_matrix_clear(&y);
        }
        return EXIT_OK;
    }
    if (o->y_file)
        return cli_usage_error("--y is for .npy data; in a CSV name the target column with "
                               "--target");
    st = mlc_dataset_read(o->data, o->target, ds);
    return st ? cli_fail(o->data, st) : EXIT_OK;
}

static int no_params(const cli_opts *o)
{
    if (o->n_params)
        return cli_usage_error("unknown option --%s for %s", o->param_names[0], o->command);
    if (o->positional)
        return cli_usage_error("unexpected argument '%s' for %s", o->positional, o->command);
    if (!o->model)
        return cli_usage_error("%s needs --model MODEL.json", o->command);
    return EXIT_OK;
}

int cli_load_model_and_data(const cli_opts *o, mlc_estimator **e, mlc_dataset *ds)
{
    int rc = no_params(o);
    if (rc)
        return rc;
    int st = mlc_estimator_load(o->model, e);
    if (st)
        return cli_fail(o->model, st);
    rc = cli_load_data(o, ds);
    if (rc) {
        mlc_estimator_free(*e);
        return rc;
    }
    if (ds->X.cols != mlc_estimator_n_features(*e)) {
        fprintf(stderr, "mlcore: %s has %zu feature columns but the model was fit on %zu\n",
                o->data, ds->X.cols, mlc_estimator_n_features(*e));
        mlc_dataset_clear(ds);
        mlc_estimator_free(*e);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
