#include "test_util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fx_path(const char *file)
{
    static _Thread_local char path[1024];
    snprintf(path, sizeof path, "%s/%s", MLC_FIXTURE_DIR, file);
    return path;
}

json_t *fx_load(const char *name)
{
    char file[512];
    snprintf(file, sizeof file, "%s.json", name);
    json_error_t err;
    json_t *root = json_load_file(fx_path(file), 0, &err);
    ck_assert_msg(root != NULL, "fixture %s: %s (line %d)", file, err.text, err.line);
    return root;
}

static void count_shape(json_t *v, size_t *rows, size_t *cols)
{
    if (json_is_array(v)) {
        *rows = json_array_size(v);
        json_t *first = json_array_get(v, 0);
        if (first && json_is_array(first)) {
            /* Flatten trailing dimensions into cols. */
            size_t r2 = 0, c2 = 0;
            count_shape(first, &r2, &c2);
            *cols = r2 * c2;
        } else {
            *cols = 1;
        }
    } else {
        *rows = 1;
        *cols = 1;
    }
}

static void flatten(json_t *v, double *out, size_t *k)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) flatten(e, out, k);
    } else if (json_is_number(v)) {
        out[(*k)++] = json_number_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        out[(*k)++] = strtod(s, NULL); /* "nan", "inf", "-inf" */
    } else if (json_is_boolean(v)) {
        out[(*k)++] = json_is_true(v) ? 1.0 : 0.0;
    } else {
        out[(*k)++] = NAN;
    }
}

double *fx_doubles(json_t *root, const char *key, size_t *rows, size_t *cols)
{
    json_t *v = json_object_get(root, key);
    ck_assert_msg(v != NULL, "fixture has no key %s", key);
    size_t r = 0, c = 0;
    count_shape(v, &r, &c);
    double *out = malloc((r * c + 1) * sizeof *out);
    size_t k = 0;
    flatten(v, out, &k);
    ck_assert_msg(k == r * c, "fixture key %s is ragged", key);
    if (rows)
        *rows = r;
    if (cols)
        *cols = c;
    return out;
}

int32_t *fx_ints(json_t *root, const char *key, size_t *n)
{
    size_t r, c;
    double *d = fx_doubles(root, key, &r, &c);
    int32_t *out = malloc((r * c + 1) * sizeof *out);
    for (size_t i = 0; i < r * c; i++)
        out[i] = (int32_t)d[i];
    free(d);
    if (n)
        *n = r * c;
    return out;
}

mlc_matrix fx_matrix(json_t *root, const char *key)
{
    size_t r, c;
    double *d = fx_doubles(root, key, &r, &c);
    mlc_matrix m;
    ck_assert_int_eq(mlc_matrix_alloc(&m, r, c), MLC_OK);
    for (size_t i = 0; i < r * c; i++)
        m.data[i] = d[i];
    free(d);
    return m;
}

double fx_number(json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    ck_assert_msg(v != NULL, "fixture has no key %s", key);
    double out = 0;
    size_t k = 0;
    flatten(v, &out, &k);
    return out;
}

double max_rel_diff(const double *a, const double *b, size_t n, double floor)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double scale = fabs(b[i]) > floor ? fabs(b[i]) : floor;
        double d = fabs(a[i] - b[i]) / scale;
        if (isnan(a[i]) != isnan(b[i]))
            d = INFINITY;
        else if (isnan(a[i]))
            d = 0.0;
        if (d > worst)
            worst = d;
    }
    return worst;
}

double max_abs_diff(const double *a, const double *b, size_t n)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (d > worst)
            worst = d;
    }
    return worst;
}

void write_npy_nd(const char *path, const double *data, const size_t *shape, int ndim)
{
    char dict[256], header[256];
    size_t used = (size_t)snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, "
                                                      "'shape': (");
    size_t n = 1;
    for (int i = 0; i < ndim; i++) {
        used += (size_t)snprintf(dict + used, sizeof dict - used, "%zu,%s", shape[i],
                                 i + 1 < ndim ? " " : "");
        n *= shape[i];
    }
    snprintf(dict + used, sizeof dict - used, "), }");
    /* magic (6) + version (2) + length (2) + dict + padding + '\n': a multiple of 64 */
    size_t len = strlen(dict), total = (10 + len + 1 + 63) / 64 * 64, hl = total - 10;
    memset(header, ' ', sizeof header);
    memcpy(header, dict, len);
    header[hl - 1] = '\n';
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 0xff),
                             (unsigned char)(hl >> 8)};
    ck_assert_uint_eq(fwrite(pre, 1, 10, f), 10);
    ck_assert_uint_eq(fwrite(header, 1, hl, f), hl);
    ck_assert_uint_eq(fwrite(data, sizeof *data, n, f), n); /* little-endian hosts only */
    fclose(f);
}
