/* JSON output helpers: parameters, scalar attributes, printing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void cli_print_json(json_t *obj)
{
    json_dumpf(obj, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    fflush(stdout);
}

json_t *cli_params_json(const mlc_estimator *e)
{
    json_t *obj = json_object();
    const char *name = mlc_estimator_name(e);
    char buf[8192];
    for (size_t i = 0;; i++) {
        const mlc_param_info *p = mlc_registry_param(name, i);
        if (!p)
            break;
        if (mlc_estimator_get(e, p->name, buf, sizeof buf) == MLC_OK)
            json_object_set_new(obj, p->name, json_string(buf));
    }
    return obj;
}

static json_t *number(double v)
{
    return isfinite(v) ? json_real(v) : json_string(isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
}

json_t *cli_scalar_attributes_json(const mlc_estimator *e)
{
    json_t *obj = json_object();
    size_t n = mlc_estimator_attributes(e, NULL, 0);
    mlc_attribute *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return obj;
    mlc_estimator_attributes(e, all, n);
    for (size_t i = 0; i < n; i++) {
        const mlc_attribute *a = &all[i];
        if (a->ndim == 0) {
            double v = mlc_attribute_value(a, 0);
            json_object_set_new(obj, a->name, a->dtype == MLC_DTYPE_F64
                                                  ? number(v) : json_integer((json_int_t)v));
        } else if (mlc_attribute_size(a) <= 16) {
            json_t *arr = json_array();
            for (size_t k = 0; k < mlc_attribute_size(a); k++)
                json_array_append_new(arr, a->dtype == MLC_DTYPE_F64
                                               ? number(mlc_attribute_value(a, k))
                                               : json_integer((json_int_t)mlc_attribute_value(a, k)));
            json_object_set_new(obj, a->name, arr);
        }
    }
    free(all);
    return obj;
}
