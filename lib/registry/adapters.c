/* What the descriptors' callbacks share (see lib/internal/registry.h): the
 * defaults from a parameter table, the end of a restore, attribute copies. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "estimator_impl.h"
#include "mlcore/status.h"

void *mlc_params_defaults(const mlc_param_info *table, size_t n, void *params, size_t size)
{
    /* The texts have '.' for the decimal point whatever the caller's locale
     * (with "de_DE" strtod would stop at it): parsed under "C", on this
     * thread only, and the thread's locale put back. */
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
    memset(params, 0, size);
    for (size_t i = 0; i < n; i++)
        if (table[i].type != MLC_PARAM_MATRIX && table[i].default_text[0])
            mlc_param_parse(&table[i], table[i].default_text, params);
    if (old)
        uselocale(old);
    if (c_locale)
        freelocale(c_locale);
    return params;
}

const mlc_array_shape *mlc_reg_shape_at(const mlc_param_info *table, size_t n,
                                        const mlc_array_shape *shapes, size_t offset)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].offset == offset)
            return &shapes[i];
    return NULL;
}

int mlc_reg_handover(int st, void *model, void (*free_model)(void *), void **out)
{
    if (st) {
        free_model(model);
        return st;
    }
    *out = model;
    return MLC_OK;
}

int mlc_attrs_copy(const mlc_attr_set *s, const char *name, int ndim, const size_t *shape,
                   double *dst)
{
    size_t got[3] = {0, 0, 0}, total = 1;
    for (int d = 0; d < ndim; d++) {
        got[d] = shape[d];
        total *= shape[d];
    }
    const double *v;
    int st = mlc_attrs_get(s, name, ndim, got, &v);
    if (!st && total)
        memcpy(dst, v, total * sizeof *v);
    return st;
}

int mlc_attrs_read(const mlc_attr_set *s, const mlc_attr_want *want, size_t n)
{
    int st = MLC_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = mlc_attrs_copy(s, want[i].name, want[i].ndim, want[i].shape, want[i].dst);
    return st;
}
