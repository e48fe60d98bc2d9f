/* Shapes of array parameters: the one test of "is this the shape wanted"
 * and the one way a shape is written in messages. */
#include <stdio.h>
#include "internal/validate.h"

int mlc_array_shape_is(const mlc_matrix *m, const mlc_array_shape *given, int ndim,
                       const size_t *want)
{
    if (given && given->ndim > 0) {
        if (given->ndim != ndim)
            return 0;
        for (int i = 0; i < ndim; i++)
            if (given->dim[i] != want[i])
                return 0;
        return 1;
    }
    if (!m || ndim < 1)
        return 0;
    size_t rows = 1, cols = ndim > 1 ? want[ndim - 1] : 1;
    for (int i = 0; i < (ndim > 1 ? ndim - 1 : 1); i++)
        rows *= want[i];
    return m->rows == rows && m->cols == cols;
}

int mlc_array_is_vector(const mlc_matrix *m, const mlc_array_shape *given, size_t n)
{
    const size_t col[2] = {n, 1}, row[2] = {1, n};
    return mlc_array_shape_is(m, given, 1, &n) || mlc_array_shape_is(m, given, 2, col) ||
           mlc_array_shape_is(m, given, 2, row);
}

void mlc_shape_text(const size_t *dim, int ndim, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < ndim && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%zu", i ? ", " : "", dim[i]);
    if (used < len)
        snprintf(buf + used, len - used, ndim == 1 ? ",)" : ")");
}

void mlc_array_shape_text(const mlc_matrix *m, const mlc_array_shape *given, char *buf,
                          size_t len)
{
    if (given && given->ndim > 0)
        mlc_shape_text(given->dim, given->ndim, buf, len);
    else if (m)
        snprintf(buf, len, "%zu x %zu", m->rows, m->cols);
    else
        snprintf(buf, len, "(none)");
}
