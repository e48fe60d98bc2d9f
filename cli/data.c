/* Loading --data: a bundled data set by name, a CSV (target column by name;
 * --no-header for a file without names) or an NPY file (y from --y); every
 * value finite, or the message names the line and column; and --model with
 * its data (predict, score, report), the columns taken by the names the
 * model was fit on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli.h"

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_bundled(const char *name)
{
    for (size_t i = 0; mlc_bundled_name(i); i++)
        if (!strcmp(name, mlc_bundled_name(i)))
            return 1;
    return 0;
}

int cli_data_has_names(const cli_opts *o)
{
    if (!o->data)
        return 0;
    if (is_bundled(o->data))
        return 1;
    return !has_suffix(o->data, ".npy") && !o->no_header;
}

/* The CSV reader's flags for the command's files. */
static unsigned csv_flags(const cli_opts *o, int finite)
{
    return (o->no_header ? MLC_CSV_NO_HEADER : 0) | (finite ? MLC_CSV_FINITE : 0);
}

int cli_read_table(const cli_opts *o, const char *path, mlc_table *t)
{
    if (has_suffix(path, ".npy")) {
        memset(t, 0, sizeof *t);
        return mlc_npy_read(path, &t->data);
    }
    return mlc_csv_read_flags(path, csv_flags(o, 0), t);
}

int cli_set_param(const cli_opts *o, mlc_estimator *e, const char *name, const char *value)
{
    /* --no-header reaches an array parameter's CSV file too; a keyword never
     * ends in ".csv". */
    size_t n = strlen(value);
    if (!o->no_header || n < 4 || strcasecmp(value + n - 4, ".csv") != 0 ||
        access(value, R_OK) != 0)
        return mlc_estimator_set(e, name, value);
    mlc_table t;
    int st = mlc_csv_read_flags(value, MLC_CSV_NO_HEADER, &t);
    if (!st)
        st = mlc_estimator_set_matrix(e, name, &t.data);
    mlc_table_clear(&t);
    return st;
}

/* The .npy X that cli_load_data did not scan for NaN and infinities. Every
 * fit, predict and transform of the library scans the X it is given, where
 * it can, inside its own first pass over the data (the linear models' Gram
 * panels, their predictions); a separate scan of a freshly mapped 80 MB
 * file cost 2-3 ms of a 30 ms `mlcore fit lasso`. So the cell is looked for
 * only when the library refuses a value (cli_fail). */
static const char *unscanned_npy;

int cli_locate_nonfinite(void)
{
    if (!unscanned_npy)
        return 0;
    mlc_dataset again;
    int st = mlc_dataset_read_flags(unscanned_npy, NULL, MLC_CSV_FINITE, &again);
    mlc_dataset_clear(&again);
    if (st != MLC_ENONFINITE)
        return 0;
    fprintf(stderr, "mlcore: %s\n", mlc_last_error_message());
    return 1;
}

int cli_load_data(const cli_opts *o, mlc_dataset *ds)
{
    memset(ds, 0, sizeof *ds);
    if (!o->data)
        return cli_usage_error("%s needs --data FILE (a CSV, an .npy, or a bundled data set: "
                               "iris, wine, breast_cancer, digits, diabetes)",
                               o->command);
    int st;
    if (is_bundled(o->data)) {
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
        /* Not scanned for NaN here: see cli_locate_nonfinite. */
        st = mlc_dataset_read_flags(o->data, NULL, 0, ds);
        if (st)
            return cli_fail(o->data, st);
        unscanned_npy = o->data;
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
            mlc_matrix_clear(&y); /* y.rows is 0 from here */
            for (size_t i = 0; i < ds->X.rows; i++)
                if (!isfinite(ds->y[i])) {
                    fprintf(stderr, "mlcore: %s: y[%zu] is %s; only finite numbers are "
                            "accepted\n", o->y_file, i, isnan(ds->y[i]) ? "NaN" : "infinite");
                    mlc_dataset_clear(ds);
                    return EXIT_FAIL;
                }
        }
        return EXIT_OK;
    }
    if (o->y_file)
        return cli_usage_error("--y is for .npy data; in a CSV name the target column with "
                               "--target");
    st = mlc_dataset_read_flags(o->data, o->target, csv_flags(o, 1), ds);
    return st ? cli_fail(o->data, st) : EXIT_OK;
}

int cli_record_names(const cli_opts *o, mlc_estimator *e, const mlc_dataset *ds)
{
    if (!cli_data_has_names(o) || !ds->feature_names)
        return EXIT_OK;
    int st = mlc_estimator_set_feature_names(e, (const char *const *)ds->feature_names,
                                             ds->X.cols);
    return st ? cli_fail(o->data, st) : EXIT_OK;
}

/* ds's columns in the model's order: column j of the new X is column
 * index[j] of the old (names moved along). */
static int reorder_columns(mlc_dataset *ds, const size_t *index)
{
    size_t p = ds->X.cols, j = 0;
    while (j < p && index[j] == j)
        j++;
    if (j == p)
        return MLC_OK;
    mlc_matrix X;
    char **names = malloc(p * sizeof *names);
    int st = names ? mlc_matrix_alloc(&X, ds->X.rows, p) : MLC_ENOMEM;
    if (st) {
        free(names);
        return st;
    }
    for (size_t i = 0; i < X.rows; i++) {
        const double *src = mlc_matrix_row(&ds->X, i);
        double *dst = mlc_matrix_row(&X, i);
        for (j = 0; j < p; j++)
            dst[j] = src[index[j]];
    }
    for (j = 0; j < p; j++)
        names[j] = ds->feature_names[index[j]];
    free(ds->feature_names);
    ds->feature_names = names;
    mlc_matrix_clear(&ds->X);
    ds->X = X;
    return MLC_OK;
}

/* The data's columns matched to the model's by name (a named input and a
 * model with names), else by position. */
static int match_columns(const cli_opts *o, const mlc_estimator *e, mlc_dataset *ds)
{
    const char *const *fitted = mlc_estimator_feature_names(e);
    int named = cli_data_has_names(o) && ds->feature_names;
    size_t p = mlc_estimator_n_features(e);
    if (!fitted || !named) {
        if (ds->X.cols != p) {
            fprintf(stderr, "mlcore: %s has %zu feature columns but the model was fit on %zu\n",
                    o->data, ds->X.cols, p);
            return EXIT_FAIL;
        }
        if (fitted) /* scikit-learn's warning for an array given to a model with names */
            fprintf(stderr, "mlcore: warning: %s has no column names, but the model was fit "
                    "with feature names; its columns are taken by position\n", o->data);
        return EXIT_OK;
    }
    size_t *index = malloc((p ? p : 1) * sizeof *index);
    if (!index)
        return cli_fail(o->data, MLC_ENOMEM);
    int st = mlc_estimator_match_columns(e, (const char *const *)ds->feature_names, ds->X.cols,
                                         index);
    if (!st)
        st = reorder_columns(ds, index);
    free(index);
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
    rc = match_columns(o, *e, ds);
    if (rc) {
        mlc_dataset_clear(ds);
        mlc_estimator_free(*e);
        return rc;
    }
    return EXIT_OK;
}
