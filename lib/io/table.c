/* Tables read from files, and the matrix reader that picks a format by file
 * extension. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal/error.h"
#include "io_util.h"
#include "mlcore/io.h"

void mlc_table_clear(mlc_table *t)
{
    if (!t)
        return;
    if (t->names) {
        for (size_t j = 0; j < t->data.cols; j++)
            free(t->names[j]);
        free(t->names);
    }
    mlc_matrix_clear(&t->data);
    memset(t, 0, sizeof *t);
}

long mlc_table_column(const mlc_table *t, const char *name)
{
    if (!t || !t->names || !name)
        return -1;
    for (size_t j = 0; j < t->data.cols; j++)
        if (t->names[j] && strcmp(t->names[j], name) == 0)
            return (long)j;
    return -1;
}

int mlc_matrix_read(const char *path, mlc_matrix *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output matrix is NULL");
    memset(out, 0, sizeof *out);
    if (!path)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    if (mlc_path_is_npy(path))
        return mlc_npy_read(path, out);
    mlc_table t;
    int st = mlc_csv_read(path, &t);
    if (st)
        return st;
    *out = t.data;
    t.data.data = NULL; /* moved: mlc_table_clear releases only the names */
    t.data.owns = 0;
    mlc_table_clear(&t);
    return MLC_OK;
}

int mlc_array_read(const char *path, mlc_matrix *out, size_t shape[MLC_ARRAY_MAX_DIMS], int *ndim)
{
    if (ndim)
        *ndim = 0;
    if (path && mlc_path_is_npy(path))
        return mlc_npy_read_array(path, out, shape, ndim);
    int st = mlc_matrix_read(path, out);
    if (!st && shape) {
        shape[0] = out->rows;
        shape[1] = out->cols;
    }
    if (!st && ndim)
        *ndim = 2;
    return st;
}
