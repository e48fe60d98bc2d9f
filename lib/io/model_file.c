/* Model files: {"format": "mlcore-model", "version": 1, "estimator": ...,
 * "params": {...}, "n_features_in_": p, "attributes": {...}} through jansson.
 * Doubles are written in the fewest digits that round-trip exactly;
 * non-finite values as the strings "nan", "inf", "-inf". Arrays are compact
 * (a vector on one line, a matrix one row per line: lib/io/json_layout.c);
 * loading takes any JSON layout. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal/error.h"
#include "internal/thread_scope.h"
#include "io_util.h"
#include "registry/estimator_impl.h"
#include "mlcore/version.h"

#define MODEL_FORMAT "mlcore-model"
#define MODEL_VERSION 1

/* ------------------------------------------------------------------ saving */

static json_t *number_json(double v)
{
    if (isnan(v))
        return json_string("nan");
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

static json_t *matrix_json(const mlc_matrix *m)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < m->rows; i++) {
        json_t *row = json_array();
        for (size_t j = 0; row && j < m->cols; j++)
            json_array_append_new(row, number_json(MLC_AT(m, i, j)));
        json_array_append_new(rows, row);
    }
    return rows;
}

static json_t *params_json(const mlc_estimator *e)
{
    json_t *obj = json_object();
    char buf[MLC_REAL_LIST_MAX * 26];
    for (size_t i = 0; obj && i < e->desc->n_params; i++) {
        const mlc_param_info *in = &e->desc->params[i];
        const char *slot = (const char *)e->params + in->offset;
        json_t *v = NULL;
        switch (in->type) {
        case MLC_PARAM_REAL: {
            double d;
            memcpy(&d, slot, sizeof d);
            v = number_json(d);
            break;
        }
        case MLC_PARAM_INT:
            v = json_integer(mlc_param_int_value(in, e->params));
            break;
        case MLC_PARAM_BOOL: {
            int b;
            memcpy(&b, slot, sizeof b);
            v = json_boolean(b);
            break;
        }
        case MLC_PARAM_MATRIX:
            v = e->matrices[i].data ? matrix_json(&e->matrices[i]) : json_null();
            break;
        case MLC_PARAM_CHOICE_OR_MATRIX: /* the array when one is set, else the keyword */
            if (e->matrices[i].data)
                v = matrix_json(&e->matrices[i]);
            else if (mlc_param_format(in, e->params, buf, sizeof buf) == MLC_OK)
                v = json_string(buf);
            break;
        case MLC_PARAM_REAL_LIST: {
            const mlc_real_list *l = (const mlc_real_list *)slot;
            v = json_array();
            for (size_t k = 0; v && k < l->n; k++)
                json_array_append_new(v, number_json(l->v[k]));
            break;
        }
        default: /* choices and number-or-keyword: their text form */
            if (mlc_param_format(in, e->params, buf, sizeof buf) == MLC_OK) {
                mlc_real_or_choice rc;
                mlc_int_or_choice ic;
                if (in->type == MLC_PARAM_REAL_OR_CHOICE &&
                    (memcpy(&rc, slot, sizeof rc), rc.choice < 0))
                    v = number_json(rc.value);
                else if (in->type == MLC_PARAM_INT_OR_CHOICE &&
                         (memcpy(&ic, slot, sizeof ic), ic.choice < 0))
                    v = json_integer(ic.value);
                else
                    v = json_string(buf);
            }
            break;
        }
        if (!v || json_object_set_new(obj, in->name, v)) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

/* feature_names_in_: the columns' names, when the fit's data had them. */
static json_t *names_json(const mlc_estimator *e)
{
    json_t *list = json_array();
    for (size_t j = 0; list && j < e->n_feature_names; j++)
        if (json_array_append_new(list, json_string(e->feature_names[j]))) {
            json_decref(list);
            return NULL;
        }
    return list;
}

/* Everything but the attributes, which are written straight from the
 * model (mlc_json_write_model). */
static json_t *model_json(const mlc_estimator *e)
{
    json_t *root = json_object();
    json_t *params = params_json(e);
    int ok = root && params &&
             !json_object_set_new(root, "format", json_string(MODEL_FORMAT)) &&
             !json_object_set_new(root, "version", json_integer(MODEL_VERSION)) &&
             !json_object_set_new(root, "estimator", json_string(e->desc->name)) &&
             !json_object_set_new(root, "mlcore_version", json_string(mlc_version())) &&
             !json_object_set_new(root, "n_features_in_", json_integer((json_int_t)e->n_features)) &&
             !json_object_set_new(root, "n_targets", json_integer((json_int_t)e->n_targets)) &&
             !json_object_set(root, "params", params);
    json_decref(params);
    if (ok && e->feature_names)
        ok = !json_object_set_new(root, "feature_names_in_", names_json(e));
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

typedef struct model_doc {
    const json_t *rest;
    const mlc_attribute *attrs;
    size_t n_attrs;
} model_doc;

static int write_model(FILE *f, const void *ctx)
{
    const model_doc *doc = ctx;
    return mlc_json_write_model(f, doc->attrs, doc->n_attrs, doc->rest);
}

int mlc_estimator_save(const mlc_estimator *e, const char *path)
{
    if (!e || !path)
        return mlc_raise(MLC_EINVAL, "estimator or path is NULL");
    if (!e->model)
        return mlc_raise(MLC_ENOTFITTED, "this %s is not fitted yet; nothing to save",
                         e->desc->name);
    json_t *root = model_json(e);
    size_t n = e->desc->attributes(e->model, NULL, 0);
    mlc_attribute *attrs = malloc((n ? n : 1) * sizeof *attrs);
    if (!root || !attrs) {
        json_decref(root);
        free(attrs);
        return mlc_raise_nomem("the model document");
    }
    e->desc->attributes(e->model, attrs, n);
    model_doc doc = {root, attrs, n};
    int st = mlc_write_file_atomic(path, write_model, &doc);
    free(attrs);
    json_decref(root);
    return st;
}

/* ----------------------------------------------------------------- loading */

typedef struct attr_entry {
    const char *name;
    int ndim;
    size_t shape[3];
    double *data;
} attr_entry;

struct mlc_attr_set {
    const char *path;
    size_t n_features; /* the file's n_features_in_ */
    size_t n_targets;
    size_t n;
    attr_entry *items;
};

static int json_number_or_nonfinite(json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 1;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (!strcmp(s, "nan"))
            *out = NAN;
        else if (!strcmp(s, "inf"))
            *out = INFINITY;
        else if (!strcmp(s, "-inf"))
            *out = -INFINITY;
        else
            return 0;
        return 1;
    }
    return 0;
}

/* Shape of a nested array: every sub-array at one depth must have one length. */
static int json_shape(json_t *v, int depth, int *ndim, size_t *shape)
{
    if (!json_is_array(v)) {
        if (*ndim < 0)
            *ndim = depth;
        return *ndim == depth;
    }
    if (depth >= 3)
        return 0;
    size_t len = json_array_size(v);
    if (*ndim >= 0 && depth >= *ndim)
        return 0;
    if (shape[depth] == (size_t)-1)
        shape[depth] = len;
    else if (shape[depth] != len)
        return 0;
    if (len == 0) {
        if (*ndim < 0)
            *ndim = depth + 1;
        return *ndim == depth + 1;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) if (!json_shape(e, depth + 1, ndim, shape)) return 0;
    return 1;
}

static int json_fill(json_t *v, double *out, size_t *k)
{
    if (!json_is_array(v))
        return json_number_or_nonfinite(v, &out[(*k)++]);
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) if (!json_fill(e, out, k)) return 0;
    return 1;
}

static void attr_set_clear(mlc_attr_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].data);
    free(s->items);
}

static int attr_set_build(json_t *attrs, const char *path, mlc_attr_set *s)
{
    s->path = path;
    s->n = 0;
    s->items = calloc(json_object_size(attrs) + 1, sizeof *s->items);
    if (!s->items)
        return mlc_raise_nomem("model attributes");
    const char *key;
    json_t *v;
    json_object_foreach(attrs, key, v)
    {
        attr_entry *a = &s->items[s->n];
        a->name = key;
        a->ndim = -1;
        a->shape[0] = a->shape[1] = a->shape[2] = (size_t)-1;
        if (!json_shape(v, 0, &a->ndim, a->shape))
            return mlc_raise(MLC_EFORMAT, "%s: attribute %s is not a number or a rectangular "
                             "array of numbers", path, key);
        size_t total = 1;
        for (int d = 0; d < a->ndim; d++)
            total *= a->shape[d];
        a->data = malloc((total ? total : 1) * sizeof *a->data);
        if (!a->data)
            return mlc_raise_nomem("model attributes");
        s->n++;
        size_t k = 0;
        if (!json_fill(v, a->data, &k) || k != total)
            return mlc_raise(MLC_EFORMAT, "%s: attribute %s holds a value that is not a number",
                             path, key);
    }
    return MLC_OK;
}

int mlc_attrs_get(const mlc_attr_set *s, const char *name, int ndim, size_t *shape,
                  const double **data)
{
    for (size_t i = 0; i < s->n; i++) {
        const attr_entry *a = &s->items[i];
        if (strcmp(a->name, name) != 0)
            continue;
        if (a->ndim != ndim)
            return mlc_raise(MLC_EFORMAT, "%s: attribute %s has %d dimensions, expected %d",
                             s->path, name, a->ndim, ndim);
        for (int d = 0; d < ndim; d++) {
            if (shape[d] != 0 && shape[d] != a->shape[d])
                return mlc_raise(MLC_EFORMAT,
                                 "%s: attribute %s has length %zu in dimension %d, expected %zu",
                                 s->path, name, a->shape[d], d, shape[d]);
        }
        for (int d = 0; d < ndim; d++)
            shape[d] = a->shape[d];
        *data = a->data;
        return MLC_OK;
    }
    return mlc_raise(MLC_EFORMAT, "%s: attribute %s is missing", s->path, name);
}

size_t mlc_attrs_n_features(const mlc_attr_set *s)
{
    return s->n_features;
}

size_t mlc_attrs_n_targets(const mlc_attr_set *s)
{
    return s->n_targets;
}

int mlc_attrs_scalar(const mlc_attr_set *s, const char *name, double *value)
{
    const double *d;
    int st = mlc_attrs_get(s, name, 0, NULL, &d);
    if (!st)
        *value = d[0];
    return st;
}

int mlc_attrs_count(const mlc_attr_set *s, const char *name, int64_t *value)
{
    double v;
    int st = mlc_attrs_scalar(s, name, &v);
    if (st)
        return st;
    /* a count a double holds exactly; a tampered 1e308 must not reach the
     * (undefined) conversion */
    if (!(v >= 0.0 && v <= 9e15 && v == floor(v)))
        return mlc_raise(MLC_EFORMAT, "model file: %s = %g is not a count", name, v);
    *value = (int64_t)v;
    return MLC_OK;
}

int mlc_attrs_int32(const mlc_attr_set *s, const char *name, int ndim, size_t *shape,
                    int32_t *dst, size_t cap)
{
    const double *d;
    int st = mlc_attrs_get(s, name, ndim, shape, &d);
    if (st)
        return st;
    size_t total = 1;
    for (int k = 0; k < ndim; k++)
        total *= shape[k];
    if (total > cap)
        return mlc_raise(MLC_EFORMAT, "%s: attribute %s has %zu values, expected at most %zu",
                         s->path, name, total, cap);
    for (size_t i = 0; i < total; i++) {
        if (d[i] != floor(d[i]) || fabs(d[i]) > 2147483647.0)
            return mlc_raise(MLC_EFORMAT, "%s: attribute %s holds a non-integer %g", s->path,
                             name, d[i]);
        dst[i] = (int32_t)d[i];
    }
    return MLC_OK;
}

/* A list parameter from a JSON array, checked like text (count, range,
 * finiteness): an unchecked list would size the restored model wrongly. Empty
 * only where the table's default is empty ("use the grid"). */
static int load_real_list(mlc_estimator *e, const mlc_param_info *in, json_t *v,
                          const char *path)
{
    size_t n = json_array_size(v);
    if (n == 0) {
        if (in->default_text[0] != '\0')
            return mlc_raise(MLC_EFORMAT, "%s: parameter %s is an empty list", path, in->name);
        ((mlc_real_list *)((char *)e->params + in->offset))->n = 0;
        return MLC_OK;
    }
    if (n > MLC_REAL_LIST_MAX)
        return mlc_raise(MLC_EFORMAT, "%s: parameter %s is too long", path, in->name);
    char *text = malloc(n * 32);
    if (!text)
        return mlc_raise_nomem("a parameter list");
    size_t used = 0, i;
    json_t *x;
    int st = MLC_OK;
    json_array_foreach(v, i, x)
    {
        double d;
        if (!json_number_or_nonfinite(x, &d)) {
            st = mlc_raise(MLC_EFORMAT, "%s: parameter %s holds a non-number", path, in->name);
            break;
        }
        used += (size_t)snprintf(text + used, n * 32 - used, "%s%.17g", i ? "," : "", d);
    }
    if (!st)
        st = mlc_param_parse(in, text, e->params);
    free(text);
    return st;
}

static int load_params(mlc_estimator *e, json_t *params, const char *path)
{
    if (!json_is_object(params))
        return mlc_raise(MLC_EFORMAT, "%s: \"params\" is missing or not an object", path);
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v)
    {
        long idx = mlc_param_index(e->desc, key);
        if (idx < 0)
            return mlc_raise(MLC_EFORMAT, "%s: unknown parameter %s for %s", path, key,
                             e->desc->name);
        const mlc_param_info *in = &e->desc->params[idx];
        int st;
        char text[64];
        /* An array, or null for none (an older file's init_centers, an alias
         * of k-means' init, is null when unset). */
        if (in->type == MLC_PARAM_MATRIX ||
            (in->type == MLC_PARAM_CHOICE_OR_MATRIX && (json_is_array(v) || json_is_null(v)))) {
            if (json_is_null(v))
                continue;
            mlc_attr_set one = {path, 0, 0, 0, NULL};
            json_t *wrap = json_pack("{sO}", key, v);
            st = wrap ? attr_set_build(wrap, path, &one) : mlc_raise_nomem("a parameter");
            if (!st && one.items[0].ndim != 2)
                st = mlc_raise(MLC_EFORMAT, "%s: parameter %s must be a 2-D array", path, key);
            if (!st) {
                mlc_matrix m = mlc_matrix_wrap(one.items[0].data, one.items[0].shape[0],
                                               one.items[0].shape[1], 0);
                st = mlc_estimator_set_matrix(e, key, &m);
            }
            attr_set_clear(&one);
            json_decref(wrap);
        } else if (in->type == MLC_PARAM_REAL_LIST && json_is_array(v)) {
            st = load_real_list(e, in, v, path);
        } else if (json_is_string(v)) {
            st = mlc_param_parse(in, json_string_value(v), e->params);
        } else if (json_is_boolean(v)) {
            st = mlc_param_parse(in, json_is_true(v) ? "true" : "false", e->params);
        } else if (json_is_integer(v)) {
            snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            st = mlc_param_parse(in, text, e->params);
        } else if (json_is_real(v)) {
            snprintf(text, sizeof text, "%.17g", json_real_value(v));
            st = mlc_param_parse(in, text, e->params);
        } else {
            st = mlc_raise(MLC_EFORMAT, "%s: parameter %s has a value of the wrong type", path,
                           key);
        }
        if (st) {
            if (st != MLC_EFORMAT && st != MLC_ENOMEM) {
                char msg[512];
                snprintf(msg, sizeof msg, "%s", mlc_last_error_message());
                st = mlc_raise(MLC_EFORMAT, "%s: bad parameter: %s", path, msg);
            }
            return st;
        }
    }
    return MLC_OK;
}

static int size_field(json_t *root, const char *key, const char *path, size_t *out)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return mlc_raise(MLC_EFORMAT, "%s: \"%s\" is missing or not a positive integer", path,
                         key);
    *out = (size_t)json_integer_value(v);
    return MLC_OK;
}

/* The optional "feature_names_in_" (a file written before there were
 * names, or from data without them, has none): n_features strings. */
static int load_feature_names(mlc_estimator *e, json_t *v, const char *path)
{
    if (!v)
        return MLC_OK;
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n != e->n_features)
        return mlc_raise(MLC_EFORMAT, "%s: \"feature_names_in_\" is not a list of %zu names "
                         "(n_features_in_)", path, e->n_features);
    const char **names = malloc(n * sizeof *names);
    if (!names)
        return mlc_raise_nomem("feature names");
    int st = MLC_OK;
    for (size_t j = 0; j < n && !st; j++) {
        names[j] = json_string_value(json_array_get(v, j));
        if (!names[j])
            st = mlc_raise(MLC_EFORMAT, "%s: \"feature_names_in_\" holds a value that is not "
                           "a string", path);
    }
    if (!st && (st = mlc_estimator_set_feature_names(e, names, n)) == MLC_EINVAL) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", mlc_last_error_message());
        st = mlc_raise(MLC_EFORMAT, "%s: %s", path, msg);
    }
    free(names);
    return st;
}

/* Restores size their arrays by n_features_in_ x n_targets before reading
 * them: a tampered 1e15 must be refused first. A model that wide stores at
 * least that many values; below SMALL_WIDTH (8 MiB of doubles) nothing is
 * checked, as a model may store nothing per feature (DBSCAN without core
 * samples). */
#define SMALL_WIDTH ((size_t)1 << 20)

static int check_width(const mlc_attr_set *s, const char *path)
{
    size_t values = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t total = 1;
        for (int d = 0; d < s->items[i].ndim; d++)
            total *= s->items[i].shape[d];
        values += total;
    }
    size_t width = s->n_features, k = s->n_targets;
    int wide = k > SIZE_MAX / width || width * k > SMALL_WIDTH;
    if (wide && (k > SIZE_MAX / width || width * k > values))
        return mlc_raise(MLC_EFORMAT, "%s: n_features_in_ = %zu and n_targets = %zu, but the "
                         "attributes hold only %zu values; the file is corrupt", path, width, k,
                         values);
    return MLC_OK;
}

static int load_estimator(const char *path, const char *name, mlc_estimator **out)
{
    if (!path || !out)
        return mlc_raise(MLC_EINVAL, "path or output pointer is NULL");
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return mlc_raise(MLC_EIO, "%s: cannot open (%s)", path, strerror(errno));
        fclose(f);
        return mlc_raise(MLC_EFORMAT, "%s: line %d, column %d: not a valid model file: %s", path,
                         jerr.line, jerr.column, jerr.text);
    }
    int st = MLC_OK;
    json_t *fmt = json_object_get(root, "format");
    json_t *ver = json_object_get(root, "version");
    json_t *est = json_object_get(root, "estimator");
    const mlc_estimator_desc *d = NULL;
    mlc_estimator *e = NULL;
    mlc_attr_set attrs = {path, 0, 0, 0, NULL};
    if (!json_is_object(root) || !json_is_string(fmt) ||
        strcmp(json_string_value(fmt), MODEL_FORMAT) != 0)
        st = mlc_raise(MLC_EFORMAT, "%s: not an mlcore model file (\"format\" is not \"%s\")",
                       path, MODEL_FORMAT);
    else if (!json_is_integer(ver))
        st = mlc_raise(MLC_EFORMAT, "%s: \"version\" is missing", path);
    else if (json_integer_value(ver) != MODEL_VERSION)
        st = mlc_raise(MLC_EVERSION, "%s: model file version %" JSON_INTEGER_FORMAT
                       " is not supported (this library reads version %d)",
                       path, json_integer_value(ver), MODEL_VERSION);
    else if (!json_is_string(est))
        st = mlc_raise(MLC_EFORMAT, "%s: \"estimator\" is missing", path);
    else if (name && strcmp(name, json_string_value(est)) != 0)
        st = mlc_raise(MLC_EFORMAT, "%s: holds a %s model, not a %s model", path,
                       json_string_value(est), name);
    else if (!(d = mlc_registry_find(json_string_value(est))))
        st = mlc_raise(MLC_EFORMAT, "%s: unknown estimator '%s'", path, json_string_value(est));
    if (!st)
        st = mlc_estimator_create(d, &e);
    if (!st)
        st = load_params(e, json_object_get(root, "params"), path);
    size_t n_features = 0, n_targets = 0;
    if (!st)
        st = size_field(root, "n_features_in_", path, &n_features);
    if (!st)
        st = size_field(root, "n_targets", path, &n_targets);
    if (!st && !json_is_object(json_object_get(root, "attributes")))
        st = mlc_raise(MLC_EFORMAT, "%s: \"attributes\" is missing", path);
    if (!st)
        st = attr_set_build(json_object_get(root, "attributes"), path, &attrs);
    attrs.n_features = n_features;
    attrs.n_targets = n_targets;
    if (!st)
        st = check_width(&attrs, path);
    if (!st) {
        void *params = mlc_estimator_params_for_fit(e);
        st = params ? d->restore(params, &attrs, &e->model) : mlc_raise_nomem("parameters");
        free(params);
    }
    if (!st) {
        e->n_features = n_features;
        e->n_targets = n_targets;
        /* The stored input width must agree with what the model expects. */
        size_t t = d->output_cols(e->model, MLC_OUT_PREDICT);
        if (d->task == MLC_TASK_REGRESSOR && t != n_targets)
            st = mlc_raise(MLC_EFORMAT, "%s: n_targets is %zu but the model predicts %zu", path,
                           n_targets, t);
        /* score reads rows x n_targets values of y: only a regressor has more than one
         * (found by fuzzing: a linear_svc file claiming 2 overran y). */
        else if (d->task != MLC_TASK_REGRESSOR && n_targets != 1)
            st = mlc_raise(MLC_EFORMAT, "%s: n_targets is %zu but a %s has one", path,
                           n_targets, mlc_task_name(d->task));
    }
    if (!st)
        st = load_feature_names(e, json_object_get(root, "feature_names_in_"), path);
    attr_set_clear(&attrs);
    json_decref(root);
    if (st) {
        mlc_estimator_free(e);
        return st;
    }
    *out = e;
    return MLC_OK;
}

int mlc_estimator_load_as(const char *path, const char *name, mlc_estimator **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, load_estimator(path, name, out));
}

int mlc_estimator_load(const char *path, mlc_estimator **out)
{
    return mlc_estimator_load_as(path, NULL, out);
}
