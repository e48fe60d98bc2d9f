/* Data sets read from CSV/NPY files, and releasing any data set.
 *
 * Ownership (for every producer of an mlc_dataset): X is an owned matrix
 * (allocated, or an NPY file mapped by mlc_npy_read);
 * y, name, each feature name (X.cols of them, NULL entries allowed), each
 * target name (n_target_names) and the two name arrays come from malloc, so
 * mlc_dataset_clear releases them with free(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "io_util.h"
#include "mlcore/dataset.h"
#include "mlcore/io.h"

void mlc_dataset_clear(mlc_dataset *d)
{
    if (!d)
        return;
    if (d->feature_names) {
        for (size_t j = 0; j < d->X.cols; j++)
            free(d->feature_names[j]);
        free(d->feature_names);
    }
    if (d->target_names) {
        for (size_t k = 0; k < d->n_target_names; k++)
            free(d->target_names[k]);
        free(d->target_names);
    }
    free(d->y);
    free(d->name);
    mlc_matrix_clear(&d->X);
    memset(d, 0, sizeof *d);
}

/* X from an .npy must be 2-D, as scikit-learn's check_array wants it (a
 * 1-D array would be a column or a row: it says which to make of it). */
static int refuse_shape(const char *path, const size_t *shape, int ndim)
{
    if (ndim == 1)
        return mlc_raise(MLC_EFORMAT, "%s: expected a 2D array, got a 1D array of shape (%zu,) "
                         "instead; reshape your data either using array.reshape(-1, 1) if your "
                         "data has a single feature or array.reshape(1, -1) if it contains a "
                         "single sample", path, shape[0]);
    return mlc_raise(MLC_EFORMAT, "%s: found an array with %d dimensions; X must be 2-D "
                     "(samples x features)", path, ndim);
}

/* MLC_CSV_FINITE for an .npy: the first NaN or infinity, by numpy's
 * (0-based) indices. This is the first pass over a freshly mapped file, so
 * it runs on every core and at memory speed; the cell is looked for only
 * when there is one. */
static int npy_finite(const char *path, const mlc_matrix *X)
{
    if (mlc_matrix_all_finite(X, 0))
        return MLC_OK;
    for (size_t i = 0; i < X->rows; i++)
        for (size_t j = 0; j < X->cols; j++) {
            double v = MLC_AT(X, i, j);
            if (!isfinite(v))
                return mlc_raise(MLC_ENONFINITE, "%s: X[%zu, %zu] is %s; only finite numbers "
                                 "are accepted", path, i, j, isnan(v) ? "NaN" : "infinite");
        }
    return MLC_OK;
}

/* An NPY array as a table with columns "x0", "x1", ... */
static int read_npy_table(const char *path, unsigned flags, mlc_table *t)
{
    memset(t, 0, sizeof *t);
    size_t shape[MLC_ARRAY_MAX_DIMS];
    int ndim = 0;
    int st = mlc_npy_read_array(path, &t->data, shape, &ndim);
    if (!st && ndim != 2)
        st = refuse_shape(path, shape, ndim);
    if (!st && (flags & MLC_CSV_FINITE))
        st = npy_finite(path, &t->data);
    if (st) {
        mlc_matrix_clear(&t->data);
        return st;
    }
    size_t p = t->data.cols;
    t->names = calloc(p ? p : 1, sizeof *t->names);
    if (!t->names) {
        mlc_table_clear(t);
        return mlc_raise_nomem("column names");
    }
    for (size_t j = 0; j < p; j++) {
        char buf[32];
        snprintf(buf, sizeof buf, "x%zu", j);
        t->names[j] = strdup(buf);
        if (!t->names[j]) {
            mlc_table_clear(t);
            return mlc_raise_nomem("column names");
        }
    }
    return MLC_OK;
}

static int no_such_column(const char *path, const char *target, const mlc_table *t)
{
    char list[320];
    size_t k = 0;
    list[0] = '\0';
    for (size_t j = 0; j < t->data.cols; j++) {
        const char *nm = t->names[j] ? t->names[j] : "";
        size_t need = strlen(nm) + 2;
        if (k + need + 4 >= sizeof list) {
            snprintf(list + k, sizeof list - k, "%s...", j ? ", " : "");
            break;
        }
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", j ? ", " : "", nm);
    }
    return mlc_raise(MLC_ENOTFOUND, "%s has no column named '%s'; its columns are: %s", path,
                     target, list);
}

/* Move the table into *out: column `target` (or none, if < 0) becomes y. */
static int split_table(const char *path, mlc_table *t, long target, mlc_dataset *out)
{
    if (target < 0) {
        out->X = t->data;
        out->feature_names = t->names;
        memset(t, 0, sizeof *t);
        return MLC_OK;
    }
    size_t n = t->data.rows, p = t->data.cols, tc = (size_t)target;
    if (p == 1)
        return mlc_raise(MLC_EEMPTY, "%s: the target '%s' is the only column, which leaves no "
                         "feature columns", path, t->names[tc]);
    int st = mlc_matrix_alloc(&out->X, n, p - 1);
    if (st)
        return st;
    out->y = malloc((n ? n : 1) * sizeof *out->y);
    out->feature_names = malloc((p - 1) * sizeof *out->feature_names);
    if (!out->y || !out->feature_names) {
        free(out->feature_names);
        out->feature_names = NULL;
        return mlc_raise_nomem("the data set");
    }
    for (size_t i = 0; i < n; i++) {
        const double *src = mlc_matrix_row(&t->data, i);
        double *dst = mlc_matrix_row(&out->X, i);
        memcpy(dst, src, tc * sizeof *dst);
        memcpy(dst + tc, src + tc + 1, (p - 1 - tc) * sizeof *dst);
        out->y[i] = src[tc];
    }
    for (size_t j = 0, k = 0; j < p; j++) {
        if (j == tc)
            continue;
        out->feature_names[k++] = t->names[j];
        t->names[j] = NULL; /* moved */
    }
    mlc_table_clear(t);
    return MLC_OK;
}

int mlc_dataset_read(const char *path, const char *target, mlc_dataset *out)
{
    return mlc_dataset_read_flags(path, target, 0, out);
}

int mlc_dataset_read_flags(const char *path, const char *target, unsigned flags,
                           mlc_dataset *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output data set is NULL");
    memset(out, 0, sizeof *out);
    if (!path)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    if (flags & ~(unsigned)(MLC_CSV_NO_HEADER | MLC_CSV_FINITE))
        return mlc_raise(MLC_EINVAL, "unknown flags 0x%x (MLC_CSV_NO_HEADER and MLC_CSV_FINITE "
                         "are known)", flags);
    mlc_table t;
    int st = mlc_path_is_npy(path) ? read_npy_table(path, flags, &t)
                                   : mlc_csv_read_flags(path, flags, &t);
    if (st)
        return st;
    long col = mlc_table_column(&t, target ? target : "target");
    if (target && col < 0)
        st = no_such_column(path, target, &t);
    if (!st)
        st = split_table(path, &t, col, out);
    if (!st) {
        out->name = strdup(path);
        if (!out->name)
            st = mlc_raise_nomem("the data set name");
    }
    mlc_table_clear(&t);
    if (st)
        mlc_dataset_clear(out);
    return st;
}
