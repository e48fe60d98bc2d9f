/* JSON laid out for people and for size (lib/io/io_util.h): objects one
 * member per line, indented, keys sorted; an array of scalars on one line;
 * an array of arrays one element per line, so a matrix is one row per line
 * and a million labels are one line, not a million. Reals are written in the
 * fewest significant digits (15, 16 or 17) that read back to the same
 * double, integers as integers; model arrays go straight from the model's
 * memory to the stream, through a buffer. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "io_util.h"

#define INDENT 1
#define OUT_BUF 65536

typedef struct json_out {
    FILE *f;
    size_t len;
    char buf[OUT_BUF];
} json_out;

static void out_flush(json_out *o)
{
    if (o->len)
        fwrite(o->buf, 1, o->len, o->f);
    o->len = 0;
}

static void out_bytes(json_out *o, const char *s, size_t n)
{
    if (o->len + n > OUT_BUF) {
        out_flush(o);
        if (n > OUT_BUF) {
            fwrite(s, 1, n, o->f);
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void out_text(json_out *o, const char *s)
{
    out_bytes(o, s, strlen(s));
}

static void out_indent(json_out *o, int depth)
{
    static const char spaces[] = "                                ";
    size_t n = (size_t)depth * INDENT;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        out_bytes(o, spaces, k);
        n -= k;
    }
}

static void out_int(json_out *o, int64_t v)
{
    char tmp[24];
    size_t k = sizeof tmp;
    uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--k] = (char)('0' + u % 10u);
        u /= 10u;
    } while (u);
    if (v < 0)
        tmp[--k] = '-';
    out_bytes(o, tmp + k, sizeof tmp - k);
}

/* The shortest "%.Ng" that round-trips, with ".0" added to a whole number
 * so that it reads back as a real; non-finite values as the strings "nan",
 * "inf", "-inf" (JSON has no such numbers). The caller runs under the "C"
 * locale. */
static void out_real(json_out *o, double v)
{
    if (!isfinite(v)) {
        out_text(o, isnan(v) ? "\"nan\"" : v > 0 ? "\"inf\"" : "\"-inf\"");
        return;
    }
    char tmp[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(tmp, sizeof tmp, "%.*g", digits, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    out_text(o, tmp);
    if (!strpbrk(tmp, ".e"))
        out_bytes(o, ".0", 2);
}

static int out_scalar(json_out *o, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        out_int(o, (int64_t)json_integer_value(v));
        return MLC_OK;
    case JSON_REAL:
        out_real(o, json_real_value(v));
        return MLC_OK;
    case JSON_TRUE:
        out_text(o, "true");
        return MLC_OK;
    case JSON_FALSE:
        out_text(o, "false");
        return MLC_OK;
    case JSON_NULL:
        out_text(o, "null");
        return MLC_OK;
    default: { /* a string: jansson escapes it */
        char *s = json_dumps(v, JSON_ENCODE_ANY);
        if (!s)
            return mlc_raise_nomem("a model file string");
        out_text(o, s);
        free(s);
        return MLC_OK;
    }
    }
}

static int out_key(json_out *o, const char *key, int depth)
{
    out_indent(o, depth);
    json_t *name = json_string(key);
    int st = name ? out_scalar(o, name) : mlc_raise_nomem("a model file key");
    json_decref(name);
    out_bytes(o, ": ", 2);
    return st;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int out_value(json_out *o, const json_t *v, int depth);

/* The members of obj, sorted, one per line at `depth`, each line but the
 * last ending in ','. */
static int out_members(json_out *o, const json_t *obj, int depth)
{
    size_t n = json_object_size(obj), k = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return mlc_raise_nomem("model file keys");
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)obj, key, member) keys[k++] = key;
    qsort(keys, n, sizeof *keys, compare_keys);
    int st = MLC_OK;
    for (k = 0; !st && k < n; k++) {
        st = out_key(o, keys[k], depth);
        if (!st)
            st = out_value(o, json_object_get(obj, keys[k]), depth);
        out_text(o, k + 1 < n ? ",\n" : "\n");
    }
    free(keys);
    return st;
}

static int out_array(json_out *o, const json_t *arr, int depth)
{
    size_t n = json_array_size(arr);
    int nested = 0;
    for (size_t i = 0; i < n && !nested; i++)
        nested = json_is_object(json_array_get(arr, i)) || json_is_array(json_array_get(arr, i));
    int st = MLC_OK;
    out_bytes(o, "[", 1);
    for (size_t i = 0; !st && i < n; i++) {
        if (nested) {
            out_bytes(o, "\n", 1);
            out_indent(o, depth + 1);
        }
        st = out_value(o, json_array_get(arr, i), depth + 1);
        if (i + 1 < n)
            out_text(o, nested ? "," : ", ");
    }
    if (nested && n) {
        out_bytes(o, "\n", 1);
        out_indent(o, depth);
    }
    out_bytes(o, "]", 1);
    return st;
}

static int out_value(json_out *o, const json_t *v, int depth)
{
    if (json_is_object(v)) {
        if (json_object_size(v) == 0) {
            out_text(o, "{}");
            return MLC_OK;
        }
        out_text(o, "{\n");
        int st = out_members(o, v, depth + 1);
        out_indent(o, depth);
        out_bytes(o, "}", 1);
        return st;
    }
    if (json_is_array(v))
        return out_array(o, v, depth);
    return out_scalar(o, v);
}

/* Dimensions [dim, ndim) of an attribute from flat index *k, laid out as
 * out_array lays out nested arrays. */
static void out_attribute_dims(json_out *o, const mlc_attribute *a, int dim, size_t *k,
                               int depth)
{
    if (dim == a->ndim) {
        size_t i = (*k)++;
        if (!a->data)
            out_text(o, "null");
        else if (a->dtype == MLC_DTYPE_F64)
            out_real(o, ((const double *)a->data)[i]);
        else if (a->dtype == MLC_DTYPE_I32)
            out_int(o, ((const int32_t *)a->data)[i]);
        else
            out_int(o, ((const int64_t *)a->data)[i]);
        return;
    }
    int nested = dim + 1 < a->ndim;
    size_t n = a->shape[dim];
    out_bytes(o, "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (nested) {
            out_bytes(o, "\n", 1);
            out_indent(o, depth + 1);
        }
        out_attribute_dims(o, a, dim + 1, k, depth + 1);
        if (i + 1 < n)
            out_text(o, nested ? "," : ", ");
    }
    if (nested && n) {
        out_bytes(o, "\n", 1);
        out_indent(o, depth);
    }
    out_bytes(o, "]", 1);
}

static int compare_attributes(const void *a, const void *b)
{
    return strcmp(((const mlc_attribute *)a)->name, ((const mlc_attribute *)b)->name);
}

int mlc_json_write_model(FILE *f, const mlc_attribute *attrs, size_t n_attrs,
                         const json_t *rest)
{
    json_out *o = malloc(sizeof *o);
    mlc_attribute *sorted = malloc((n_attrs ? n_attrs : 1) * sizeof *sorted);
    if (!o || !sorted) {
        free(o);
        free(sorted);
        return mlc_raise_nomem("the model file writer");
    }
    o->f = f;
    o->len = 0;
    memcpy(sorted, attrs, n_attrs * sizeof *sorted);
    qsort(sorted, n_attrs, sizeof *sorted, compare_attributes);
    out_text(o, "{\n");
    int st = out_key(o, "attributes", 1);
    out_text(o, n_attrs ? "{\n" : "{}");
    for (size_t i = 0; !st && i < n_attrs; i++) {
        st = out_key(o, sorted[i].name, 2);
        size_t k = 0;
        out_attribute_dims(o, &sorted[i], 0, &k, 2);
        out_text(o, i + 1 < n_attrs ? ",\n" : "\n");
    }
    if (n_attrs)
        out_indent(o, 1), out_bytes(o, "}", 1);
    out_text(o, json_object_size(rest) ? ",\n" : "\n");
    if (!st)
        st = out_members(o, rest, 1);
    out_text(o, "}\n");
    out_flush(o);
    free(sorted);
    free(o);
    return st;
}
