/* The generic estimator: parameters as text, fit, outputs, scores. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal/error.h"
#include "estimator_impl.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/io.h"
#include "mlcore/metrics.h"

const char *mlc_task_name(mlc_task task)
{
    switch (task) {
    case MLC_TASK_REGRESSOR: return "regressor";
    case MLC_TASK_CLASSIFIER: return "classifier";
    case MLC_TASK_CLUSTERER: return "clusterer";
    case MLC_TASK_DENSITY: return "density";
    case MLC_TASK_TRANSFORMER: return "transformer";
    case MLC_TASK_OUTLIER: return "outlier detector";
    }
    return "unknown";
}

const char *mlc_output_name(mlc_output kind)
{
    static const char *const names[MLC_OUT_COUNT] = {
        "predict", "transform", "inverse_transform", "predict_proba", "decision_function",
        "score_samples"};
    return (unsigned)kind < MLC_OUT_COUNT ? names[kind] : "unknown";
}

size_t mlc_attribute_size(const mlc_attribute *a)
{
    if (!a)
        return 0;
    size_t n = 1;
    for (int i = 0; i < a->ndim && i < 3; i++)
        n *= a->shape[i];
    return n;
}

double mlc_attribute_value(const mlc_attribute *a, size_t i)
{
    if (!a || !a->data || i >= mlc_attribute_size(a))
        return NAN;
    switch (a->dtype) {
    case MLC_DTYPE_F64: return ((const double *)a->data)[i];
    case MLC_DTYPE_I32: return ((const int32_t *)a->data)[i];
    case MLC_DTYPE_I64: return (double)((const int64_t *)a->data)[i];
    }
    return NAN;
}

/* ---------------------------------------------------------------- registry */

const mlc_estimator_desc *mlc_registry_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < mlc_registry_table_size; i++)
        if (strcmp(mlc_registry_table[i]->name, name) == 0)
            return mlc_registry_table[i];
    return NULL;
}

static int raise_unknown_estimator(const char *name)
{
    char list[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < mlc_registry_table_size && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 mlc_registry_table[i]->name);
    if (!name) /* mlcore.h: a NULL name is an unknown name */
        return mlc_raise(MLC_ENOTFOUND, "estimator name is NULL; known: %s", list);
    return mlc_raise(MLC_ENOTFOUND, "unknown estimator '%s'; known: %s", name, list);
}

size_t mlc_registry_count(void)
{
    return mlc_registry_table_size;
}

const char *mlc_registry_name(size_t i)
{
    return i < mlc_registry_table_size ? mlc_registry_table[i]->name : NULL;
}

int mlc_registry_lookup(const char *name, mlc_task *task, const char **summary,
                        size_t *n_params)
{
    const mlc_estimator_desc *d = mlc_registry_find(name);
    if (!d)
        return raise_unknown_estimator(name);
    if (task)
        *task = d->task;
    if (summary)
        *summary = d->summary;
    if (n_params)
        *n_params = d->n_params;
    return MLC_OK;
}

const mlc_param_info *mlc_registry_param(const char *name, size_t i)
{
    const mlc_estimator_desc *d = mlc_registry_find(name);
    return d && i < d->n_params ? &d->params[i] : NULL;
}

/* -------------------------------------------------------------- parameters */

long mlc_param_index(const mlc_estimator_desc *d, const char *name)
{
    for (size_t i = 0; i < d->n_aliases; i++)
        if (strcmp(d->aliases[i].alias, name) == 0) {
            name = d->aliases[i].name;
            break;
        }
    for (size_t i = 0; i < d->n_params; i++)
        if (strcmp(d->params[i].name, name) == 0)
            return (long)i;
    return -1;
}

int mlc_param_takes_array(const mlc_param_info *in)
{
    return in->type == MLC_PARAM_MATRIX || in->type == MLC_PARAM_CHOICE_OR_MATRIX;
}

/* Index of `word` in a '|'-separated list, or -1. */
static int choice_index(const char *choices, const char *word)
{
    if (!choices)
        return -1;
    size_t len = strlen(word);
    int idx = 0;
    for (const char *p = choices; *p; idx++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, word, n) == 0)
            return idx;
        if (!bar)
            break;
        p = bar + 1;
    }
    return -1;
}

/* Copy the idx-th keyword of a '|'-separated list into buf. */
static void choice_name(const char *choices, int idx, char *buf, size_t len)
{
    const char *p = choices;
    for (int i = 0; p && i < idx; i++) {
        p = strchr(p, '|');
        if (p)
            p++;
    }
    if (!p) {
        snprintf(buf, len, "?");
        return;
    }
    const char *bar = strchr(p, '|');
    int n = bar ? (int)(bar - p) : (int)strlen(p);
    snprintf(buf, len, "%.*s", n, p);
}

static void describe_range(const mlc_param_info *in, char *buf, size_t len)
{
    char lo[32], hi[32];
    if (isinf(in->min))
        snprintf(lo, sizeof lo, "-inf");
    else
        snprintf(lo, sizeof lo, "%g", in->min);
    if (isinf(in->max))
        snprintf(hi, sizeof hi, "inf");
    else
        snprintf(hi, sizeof hi, "%g", in->max);
    snprintf(buf, len, "%c%s, %s%c", in->min_open || isinf(in->min) ? '(' : '[', lo, hi,
             in->max_open || isinf(in->max) ? ')' : ']');
}

static int in_range(const mlc_param_info *in, double v)
{
    if (v < in->min || (in->min_open && v == in->min))
        return 0;
    if (v > in->max || (in->max_open && v == in->max))
        return 0;
    return 1;
}

static int parse_real(const char *text, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(x))
        return 0;
    *v = x;
    return 1;
}

static int parse_int(const char *text, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE)
        return 0;
    *v = x;
    return 1;
}

static int bad_value(const mlc_param_info *in, const char *text)
{
    char range[96];
    describe_range(in, range, sizeof range);
    switch (in->type) {
    case MLC_PARAM_REAL:
        return mlc_raise(MLC_EINVAL, "%s must be a number in %s, got '%s'", in->name, range, text);
    case MLC_PARAM_INT:
        return mlc_raise(MLC_EINVAL, "%s must be an integer in %s, got '%s'", in->name, range,
                         text);
    case MLC_PARAM_BOOL:
        return mlc_raise(MLC_EINVAL, "%s must be true or false, got '%s'", in->name, text);
    case MLC_PARAM_CHOICE:
        return mlc_raise(MLC_EINVAL, "%s must be one of %s, got '%s'", in->name, in->choices,
                         text);
    case MLC_PARAM_REAL_OR_CHOICE:
        return mlc_raise(MLC_EINVAL, "%s must be one of %s or a number in %s, got '%s'",
                         in->name, in->choices, range, text);
    case MLC_PARAM_INT_OR_CHOICE:
        return mlc_raise(MLC_EINVAL, "%s must be one of %s or an integer in %s, got '%s'",
                         in->name, in->choices, range, text);
    case MLC_PARAM_REAL_LIST:
        return mlc_raise(MLC_EINVAL,
                         "%s must be 1 to %d comma-separated numbers in %s, got '%s'", in->name,
                         MLC_REAL_LIST_MAX, range, text);
    case MLC_PARAM_MATRIX:
        return mlc_raise(MLC_EINVAL, "%s must be an array file (CSV or NPY), got '%s'",
                         in->name, text);
    case MLC_PARAM_CHOICE_OR_MATRIX:
        return mlc_raise(MLC_EINVAL,
                         "%s must be one of %s, or the path of an array file (.npy, or CSV "
                         "with a header row); got '%s', which is neither a keyword nor a file",
                         in->name, in->choices, text);
    case MLC_PARAM_CLASS_WEIGHT:
        return mlc_raise(MLC_EINVAL,
                         "%s must be none, balanced, or up to %d LABEL:WEIGHT pairs with "
                         "integral labels and weights > 0 (\"0:1,2:3.5\"); got '%s'",
                         in->name, MLC_CLASS_WEIGHT_MAX, text);
    }
    return mlc_raise(MLC_EINVAL, "bad value '%s' for %s", text, in->name);
}

int mlc_param_parse(const mlc_param_info *in, const char *text, void *params)
{
    char *slot = (char *)params + in->offset;
    if (!text)
        return mlc_raise(MLC_EINVAL, "no value given for %s", in->name);
    switch (in->type) {
    case MLC_PARAM_REAL: {
        double v;
        if (!parse_real(text, &v) || !in_range(in, v))
            return bad_value(in, text);
        memcpy(slot, &v, sizeof v);
        return MLC_OK;
    }
    case MLC_PARAM_INT: {
        long v;
        if (!parse_int(text, &v) || !in_range(in, (double)v))
            return bad_value(in, text);
        if (in->size == sizeof(int)) {
            if (v < INT_MIN || v > INT_MAX)
                return bad_value(in, text);
            int iv = (int)v;
            memcpy(slot, &iv, sizeof iv);
        } else {
            int64_t wide = v;
            memcpy(slot, &wide, sizeof wide);
        }
        return MLC_OK;
    }
    case MLC_PARAM_BOOL: {
        int v;
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes") ||
            !strcmp(text, "True"))
            v = 1;
        else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no") ||
                 !strcmp(text, "False"))
            v = 0;
        else
            return bad_value(in, text);
        memcpy(slot, &v, sizeof v);
        return MLC_OK;
    }
    case MLC_PARAM_CHOICE: {
        int v = choice_index(in->choices, text);
        if (v < 0)
            return bad_value(in, text);
        memcpy(slot, &v, sizeof v);
        return MLC_OK;
    }
    case MLC_PARAM_REAL_OR_CHOICE: {
        mlc_real_or_choice v = {choice_index(in->choices, text), 0.0};
        if (v.choice < 0 && (!parse_real(text, &v.value) || !in_range(in, v.value)))
            return bad_value(in, text);
        memcpy(slot, &v, sizeof v);
        return MLC_OK;
    }
    case MLC_PARAM_INT_OR_CHOICE: {
        mlc_int_or_choice v = {choice_index(in->choices, text), 0};
        if (v.choice < 0 && (!parse_int(text, &v.value) || !in_range(in, (double)v.value)))
            return bad_value(in, text);
        memcpy(slot, &v, sizeof v);
        return MLC_OK;
    }
    case MLC_PARAM_REAL_LIST: {
        /* Parsed aside, so a bad list leaves the field as it was; on the
         * stack, so that parsing a default cannot fail for want of memory. */
        mlc_real_list list = {0}, *v = &list;
        const char *p = text;
        char item[64];
        int ok = *p != '\0';
        while (ok && *p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (len == 0 || len >= sizeof item || v->n == MLC_REAL_LIST_MAX) {
                ok = 0;
                break;
            }
            memcpy(item, p, len);
            item[len] = '\0';
            if (!parse_real(item, &v->v[v->n]) || !in_range(in, v->v[v->n]))
                ok = 0;
            v->n++;
            p = comma ? comma + 1 : p + len;
            if (comma && !*p)
                ok = 0; /* trailing comma */
        }
        if (ok)
            memcpy(slot, v, sizeof *v);
        return ok ? MLC_OK : bad_value(in, text);
    }
    case MLC_PARAM_CLASS_WEIGHT: {
        mlc_class_weight w = {0}; /* parsed aside: a bad value changes nothing */
        if (strcmp(text, "none") == 0 || strcmp(text, "None") == 0) {
            w.mode = MLC_CLASS_WEIGHT_NONE;
        } else if (strcmp(text, "balanced") == 0) {
            w.mode = MLC_CLASS_WEIGHT_BALANCED;
        } else {
            w.mode = MLC_CLASS_WEIGHT_GIVEN;
            const char *p = text;
            char item[64];
            int ok = *p != '\0';
            while (ok && *p) {
                const char *comma = strchr(p, ',');
                size_t len = comma ? (size_t)(comma - p) : strlen(p);
                const char *colon = memchr(p, ':', len);
                ok = colon && len < sizeof item && w.n < MLC_CLASS_WEIGHT_MAX;
                if (ok) {
                    memcpy(item, p, (size_t)(colon - p));
                    item[colon - p] = '\0';
                    double label, weight;
                    ok = parse_real(item, &label) && isfinite(label) && label == floor(label);
                    size_t wl = len - (size_t)(colon - p) - 1;
                    memcpy(item, colon + 1, wl);
                    item[wl] = '\0';
                    ok = ok && parse_real(item, &weight) && weight > 0.0 && isfinite(weight);
                    for (size_t k = 0; ok && k < w.n; k++)
                        ok = w.label[k] != label; /* a class named twice */
                    if (ok) {
                        w.label[w.n] = label;
                        w.weight[w.n++] = weight;
                    }
                }
                p = comma ? comma + 1 : p + len;
                if (comma && !*p)
                    ok = 0; /* trailing comma */
            }
            if (!ok)
                return bad_value(in, text);
        }
        memcpy(slot, &w, sizeof w);
        return MLC_OK;
    }
    case MLC_PARAM_MATRIX:
        return mlc_raise(MLC_EINVAL, "%s is an array parameter", in->name);
    case MLC_PARAM_CHOICE_OR_MATRIX: {
        /* the keyword; the array is the estimator's to set (mlc_estimator_set) */
        mlc_choice_or_matrix v;
        memcpy(&v, slot, sizeof v);
        v.choice = choice_index(in->choices, text);
        if (v.choice < 0)
            return bad_value(in, text);
        memcpy(slot, &v, sizeof v);
        return MLC_OK;
    }
    }
    return bad_value(in, text);
}

int64_t mlc_param_int_value(const mlc_param_info *in, const void *params)
{
    const char *slot = (const char *)params + in->offset;
    if (in->size == sizeof(int)) {
        int v;
        memcpy(&v, slot, sizeof v);
        return v;
    }
    int64_t v;
    memcpy(&v, slot, sizeof v);
    return v;
}

int mlc_param_format(const mlc_param_info *in, const void *params, char *buf, size_t len)
{
    const char *slot = (const char *)params + in->offset;
    switch (in->type) {
    case MLC_PARAM_REAL: {
        double v;
        memcpy(&v, slot, sizeof v);
        snprintf(buf, len, "%.17g", v);
        break;
    }
    case MLC_PARAM_INT:
        snprintf(buf, len, "%" PRId64, mlc_param_int_value(in, params));
        break;
    case MLC_PARAM_BOOL: {
        int v;
        memcpy(&v, slot, sizeof v);
        snprintf(buf, len, "%s", v ? "true" : "false");
        break;
    }
    case MLC_PARAM_CHOICE: {
        int v;
        memcpy(&v, slot, sizeof v);
        choice_name(in->choices, v, buf, len);
        break;
    }
    case MLC_PARAM_REAL_OR_CHOICE:
    case MLC_PARAM_INT_OR_CHOICE: {
        /* slot is the field: one of the two structs, as the row's type says */
        const mlc_real_or_choice *r = (const void *)slot;
        const mlc_int_or_choice *k = (const void *)slot;
        int real = in->type == MLC_PARAM_REAL_OR_CHOICE, choice = real ? r->choice : k->choice;
        if (choice >= 0)
            choice_name(in->choices, choice, buf, len);
        else if (real)
            snprintf(buf, len, "%.17g", r->value);
        else
            snprintf(buf, len, "%ld", k->value);
        break;
    }
    case MLC_PARAM_CLASS_WEIGHT: {
        const mlc_class_weight *w = (const mlc_class_weight *)slot;
        size_t used = 0;
        if (w->mode != MLC_CLASS_WEIGHT_GIVEN) {
            snprintf(buf, len, "%s", w->mode == MLC_CLASS_WEIGHT_BALANCED ? "balanced" : "none");
            break;
        }
        if (len)
            buf[0] = '\0';
        for (size_t i = 0; i < w->n && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s%.17g:%.17g", i ? "," : "",
                                     w->label[i], w->weight[i]);
        if (used >= len)
            return mlc_raise(MLC_ERANGE, "buffer too small for %s", in->name);
        return MLC_OK;
    }
    case MLC_PARAM_REAL_LIST: {
        const mlc_real_list *v = (const mlc_real_list *)slot;
        size_t used = 0;
        if (len)
            buf[0] = '\0';
        for (size_t i = 0; i < v->n && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s%.17g", i ? "," : "", v->v[i]);
        if (used >= len)
            return mlc_raise(MLC_ERANGE, "buffer too small for %s", in->name);
        return MLC_OK;
    }
    case MLC_PARAM_MATRIX: {
        const mlc_matrix *m;
        memcpy(&m, slot, sizeof m);
        if (m)
            snprintf(buf, len, "<%zu x %zu array>", m->rows, m->cols);
        else
            snprintf(buf, len, "%s", "");
        break;
    }
    case MLC_PARAM_CHOICE_OR_MATRIX: {
        /* the keyword; an estimator's array is mlc_estimator_get's to say */
        mlc_choice_or_matrix v;
        memcpy(&v, slot, sizeof v);
        choice_name(in->choices, v.choice, buf, len);
        break;
    }
    }
    return MLC_OK;
}

/* --------------------------------------------------------------- lifecycle */

int mlc_estimator_create(const mlc_estimator_desc *d, mlc_estimator **out)
{
    mlc_estimator *e = calloc(1, sizeof *e);
    if (!e)
        return mlc_raise_nomem("an estimator");
    e->desc = d;
    e->params = calloc(1, d->params_size ? d->params_size : 1);
    e->matrices = calloc(d->n_params ? d->n_params : 1, sizeof *e->matrices);
    e->shapes = calloc(d->n_params ? d->n_params : 1, sizeof *e->shapes);
    if (!e->params || !e->matrices || !e->shapes) {
        free(e->params);
        free(e->matrices);
        free(e->shapes);
        free(e);
        return mlc_raise_nomem("an estimator");
    }
    mlc_params_defaults(d->params, d->n_params, e->params, d->params_size);
    e->progress_interval = MLC_PROGRESS_INTERVAL;
    *out = e;
    return MLC_OK;
}

int mlc_estimator_new(const char *name, mlc_estimator **out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output pointer is NULL");
    *out = NULL;
    const mlc_estimator_desc *d = mlc_registry_find(name);
    if (!d)
        return raise_unknown_estimator(name);
    return mlc_estimator_create(d, out);
}

static void drop_model(mlc_estimator *e)
{
    if (e->model)
        e->desc->free(e->model);
    e->model = NULL;
    mlc_warnings_clear(&e->warnings);
    mlc_feature_names_drop(e);
    e->n_features = 0;
    e->n_targets = 0;
}

void mlc_estimator_free(mlc_estimator *e)
{
    if (!e)
        return;
    drop_model(e);
    for (size_t i = 0; i < e->desc->n_params; i++)
        mlc_matrix_clear(&e->matrices[i]);
    free(e->matrices);
    free(e->shapes);
    free(e->params);
    free(e);
}

int mlc_estimator_clone(const mlc_estimator *e, mlc_estimator **out)
{
    if (!e || !out)
        return mlc_raise(MLC_EINVAL, "estimator or output pointer is NULL");
    *out = NULL;
    mlc_estimator *c;
    int st = mlc_estimator_create(e->desc, &c);
    if (st)
        return st;
    memcpy(c->params, e->params, e->desc->params_size);
    memcpy(c->shapes, e->shapes, e->desc->n_params * sizeof *e->shapes);
    c->progress = e->progress;
    c->progress_user = e->progress_user;
    c->progress_interval = e->progress_interval;
    for (size_t i = 0; i < e->desc->n_params && !st; i++)
        if (e->matrices[i].data)
            st = mlc_matrix_copy(&e->matrices[i], &c->matrices[i]);
    if (st) {
        mlc_estimator_free(c);
        return st;
    }
    *out = c;
    return MLC_OK;
}

const char *mlc_estimator_name(const mlc_estimator *e)
{
    return e ? e->desc->name : NULL;
}

mlc_task mlc_estimator_task(const mlc_estimator *e)
{
    return e ? e->desc->task : (mlc_task)0;
}

/* The table row of `param` (checks e too). */
static int find_param(const mlc_estimator *e, const char *param, const mlc_param_info **info)
{
    if (!e)
        return mlc_raise(MLC_EINVAL, "estimator is NULL");
    long idx = param ? mlc_param_index(e->desc, param) : -1;
    if (idx < 0) {
        char list[1024] = "";
        size_t used = 0;
        for (size_t i = 0; i < e->desc->n_params && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     e->desc->params[i].name);
        if (!param) /* mlcore.h: a NULL name is an unknown name */
            return mlc_raise(MLC_ENOTFOUND, "parameter name is NULL; %s's parameters: %s",
                             e->desc->name, list);
        return mlc_raise(MLC_ENOTFOUND, "%s has no parameter '%s'; its parameters: %s",
                         e->desc->name, param, list);
    }
    *info = &e->desc->params[idx];
    return MLC_OK;
}

/* Replace array row idx's array by a copy of M (NULL: none), given in
 * `shape` (NULL: a caller's matrix). */
static int store_array(mlc_estimator *e, const mlc_param_info *in, const mlc_matrix *M,
                       const mlc_array_shape *shape)
{
    size_t idx = (size_t)(in - e->desc->params);
    mlc_matrix copy = {0};
    if (M) {
        int st = mlc_check_X(M, in->name);
        if (!st)
            st = mlc_matrix_copy(M, &copy);
        if (st)
            return st;
    }
    mlc_matrix_clear(&e->matrices[idx]);
    e->matrices[idx] = copy;
    e->shapes[idx] = shape && M ? *shape : (mlc_array_shape){0};
    drop_model(e);
    return MLC_OK;
}

/* An array row from text: "" (or NULL) unsets the array, a keyword of a
 * keyword-or-array row chooses it (and drops the array), anything else is
 * a file read by mlc_array_read, its numpy shape kept for the fit's check. */
static int set_array_text(mlc_estimator *e, const mlc_param_info *in, const char *value)
{
    if (!value || !*value)
        return store_array(e, in, NULL, NULL);
    int keyword_row = in->type == MLC_PARAM_CHOICE_OR_MATRIX;
    if (keyword_row && choice_index(in->choices, value) >= 0) {
        int st = mlc_param_parse(in, value, e->params);
        return st ? st : store_array(e, in, NULL, NULL);
    }
    /* Not a keyword and no such file: most likely a mistyped keyword. */
    if (keyword_row && access(value, F_OK) != 0)
        return bad_value(in, value);
    mlc_matrix m;
    mlc_array_shape shape = {0};
    int st = mlc_array_read(value, &m, shape.dim, &shape.ndim);
    if (st)
        return st;
    st = store_array(e, in, &m, &shape);
    mlc_matrix_clear(&m);
    return st;
}

int mlc_estimator_set(mlc_estimator *e, const char *param, const char *value)
{
    const mlc_param_info *in;
    int st = find_param(e, param, &in);
    if (st)
        return st;
    if (mlc_param_takes_array(in))
        return set_array_text(e, in, value);
    st = mlc_param_parse(in, value, e->params);
    if (!st)
        drop_model(e);
    return st;
}

int mlc_estimator_set_matrix(mlc_estimator *e, const char *param, const mlc_matrix *M)
{
    const mlc_param_info *in;
    int st = find_param(e, param, &in);
    if (st)
        return st;
    if (!mlc_param_takes_array(in))
        return mlc_raise(MLC_EINVAL, "%s is not an array parameter", param);
    return store_array(e, in, M, NULL);
}

int mlc_estimator_get(const mlc_estimator *e, const char *param, char *buf, size_t len)
{
    if (!e || !buf || len == 0)
        return mlc_raise(MLC_EINVAL, "estimator or buffer is NULL");
    const mlc_param_info *in;
    int st = find_param(e, param, &in);
    if (st)
        return st;
    size_t idx = (size_t)(in - e->desc->params);
    if (mlc_param_takes_array(in) && e->matrices[idx].data) {
        /* "<2 x 3 x 3 array>": the shape it was given in */
        const mlc_matrix *m = &e->matrices[idx];
        const mlc_array_shape *sh = &e->shapes[idx];
        size_t used = (size_t)snprintf(buf, len, "<");
        if (sh->ndim > 0)
            for (int k = 0; k < sh->ndim && used < len; k++)
                used += (size_t)snprintf(buf + used, len - used, "%s%zu", k ? " x " : "",
                                         sh->dim[k]);
        else if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%zu x %zu", m->rows, m->cols);
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, " array>");
        if (used >= len)
            return mlc_raise(MLC_ERANGE, "buffer too small for %s", in->name);
        return MLC_OK;
    }
    if (in->type == MLC_PARAM_MATRIX) {
        buf[0] = '\0';
        return MLC_OK;
    }
    return mlc_param_format(in, e->params, buf, len);
}

int mlc_estimator_set_threads(mlc_estimator *e, int n_threads)
{
    if (!e)
        return mlc_raise(MLC_EINVAL, "estimator is NULL");
    int st = mlc_check_threads(n_threads, NULL);
    if (st)
        return st;
    if (e->desc->threads_offset != SIZE_MAX)
        memcpy((char *)e->params + e->desc->threads_offset, &n_threads, sizeof n_threads);
    return MLC_OK;
}

int mlc_estimator_set_progress(mlc_estimator *e, mlc_progress_fn fn, void *user)
{
    if (!e)
        return mlc_raise(MLC_EINVAL, "estimator is NULL");
    e->progress = fn;
    e->progress_user = fn ? user : NULL;
    return MLC_OK;
}

void mlc_estimator_progress_init(const mlc_estimator *e, mlc_progress_ctx *c)
{
    mlc_progress_init(c, e->progress, e->progress_user, e->desc->name, e->progress_interval);
}

void mlc_estimator_set_progress_interval(mlc_estimator *e, double seconds)
{
    if (e)
        e->progress_interval = seconds > 0.0 ? seconds : 0.0;
}

void *mlc_estimator_params_for_fit(const mlc_estimator *e)
{
    void *p = malloc(e->desc->params_size ? e->desc->params_size : 1);
    if (!p)
        return NULL;
    memcpy(p, e->params, e->desc->params_size);
    for (size_t i = 0; i < e->desc->n_params; i++) {
        const mlc_param_info *in = &e->desc->params[i];
        const mlc_matrix *m = e->matrices[i].data ? &e->matrices[i] : NULL;
        if (in->type == MLC_PARAM_MATRIX)
            memcpy((char *)p + in->offset, &m, sizeof m);
        else if (in->type == MLC_PARAM_CHOICE_OR_MATRIX)
            memcpy((char *)p + in->offset + offsetof(mlc_choice_or_matrix, matrix), &m, sizeof m);
    }
    return p;
}

/* --------------------------------------------------------------------- fit */

/* What every fit checks before the estimator's own: shapes (the typed fit
 * scans X's values), y present for supervised tasks, y finite, no sample
 * weights for an estimator that takes none. */
static int check_fit_data(const mlc_estimator *e, const mlc_fit_data *data)
{
    if (!e || !data)
        return mlc_raise(MLC_EINVAL, "estimator or data is NULL");
    int st = mlc_check_X_shape(data->X, "X");
    if (st)
        return st;
    mlc_task task = e->desc->task;
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    if (supervised && !data->Y)
        return mlc_raise(MLC_EINVAL, "%s is a %s and needs y", e->desc->name,
                         mlc_task_name(task));
    if (data->Y) {
        if (data->Y->rows != data->X->rows)
            return mlc_raise(MLC_EBADLEN, "y has %zu rows but X has %zu", data->Y->rows,
                             data->X->rows);
        if (task == MLC_TASK_CLASSIFIER && data->Y->cols != 1)
            return mlc_raise(MLC_EBADLEN, "a classifier takes one column of labels, got %zu",
                             data->Y->cols);
        if (data->Y->cols == 0)
            return mlc_raise(MLC_EEMPTY, "y has no columns");
        st = mlc_matrix_check_finite(data->Y, "y");
    }
    /* Refused rather than silently ignored. */
    if (!st && data->sample_weight && e->desc->refuses_sample_weight)
        return mlc_raise(MLC_EUNSUPPORTED, "%s does not take sample weights", e->desc->name);
    return st;
}

/* The descriptor's check of its arrays' shapes as given (before the typed
 * fit's own, which knows only their rows x cols). */
static int check_arrays(const mlc_estimator *e, const void *params, const mlc_fit_data *data)
{
    if (!e->desc->check_arrays)
        return MLC_OK;
    return e->desc->check_arrays(params, e->shapes, data);
}

static void set_fitted_shape(mlc_estimator *e, const mlc_fit_data *data)
{
    e->n_features = data->X->cols;
    e->n_targets = e->desc->task == MLC_TASK_REGRESSOR ? data->Y->cols : 1;
}

/* The fit proper, reporting through `progress` (never NULL). A stop asked
 * by the callback wins over whatever the fit returned: the new model, if
 * any, is dropped and e keeps its earlier state. */
static int estimator_fit(mlc_estimator *e, const mlc_fit_data *data, mlc_progress_ctx *progress)
{
    int st = check_fit_data(e, data);
    if (st)
        return st;
    void *params = mlc_estimator_params_for_fit(e);
    if (!params)
        return mlc_raise_nomem("estimator parameters");
    void *model = NULL;
    st = check_arrays(e, params, data);
    if (!st)
        st = e->desc->fit(params, data, progress, &model);
    if (mlc_progress_stopped(progress)) {
        free(params);
        if (!st && model)
            e->desc->free(model);
        return mlc_raise(MLC_EINTERRUPTED, "%s: fit stopped by the progress callback (at %s)",
                         e->desc->name, mlc_progress_where(progress));
    }
    if (st) {
        free(params);
        return st;
    }
    drop_model(e);
    e->model = model;
    set_fitted_shape(e, data);
    mlc_estimator_collect_warnings(e, params);
    free(params);
    return MLC_OK;
}

int mlc_estimator_fit_within(mlc_estimator *e, const mlc_fit_data *data,
                             mlc_progress_ctx *progress)
{
    if (!e)
        return mlc_raise(MLC_EINVAL, "estimator or data is NULL");
    if (!progress) {
        mlc_progress_ctx own;
        mlc_estimator_progress_init(e, &own);
        return estimator_fit(e, data, &own);
    }
    mlc_progress_mark mark = mlc_progress_enter(progress, e->desc->name);
    int st = estimator_fit(e, data, progress);
    mlc_progress_leave(progress, mark);
    return st;
}

int mlc_estimator_fit_data(mlc_estimator *e, const mlc_fit_data *data)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_estimator_fit_within(e, data, NULL));
}

int mlc_estimator_fit_partition(const mlc_estimator *e, const mlc_fit_data *data,
                                const uint32_t *part, size_t n_parts, mlc_estimator **fitted)
{
    if (!e || !e->desc->fit_partition)
        return MLC_EUNSUPPORTED;
    int st = check_fit_data(e, data);
    void *params = st ? NULL : mlc_estimator_params_for_fit(e);
    void **models = st ? NULL : calloc(n_parts, sizeof *models);
    if (!st && (!params || !models))
        st = mlc_raise_nomem("cross-validation fits");
    if (!st)
        st = check_arrays(e, params, data);
    if (!st)
        st = e->desc->fit_partition(params, data, part, n_parts, models);
    size_t f = 0;
    for (; !st && f < n_parts; f++) {
        if ((st = mlc_estimator_clone(e, &fitted[f])))
            break;
        fitted[f]->model = models[f];
        models[f] = NULL;
        set_fitted_shape(fitted[f], data);
        mlc_estimator_collect_warnings(fitted[f], params);
    }
    free(params);
    if (st) {
        while (f-- > 0) {
            mlc_estimator_free(fitted[f]);
            fitted[f] = NULL;
        }
        for (size_t g = 0; models && g < n_parts; g++)
            if (models[g])
                e->desc->free(models[g]);
    }
    free(models);
    return st;
}

int mlc_estimator_fit(mlc_estimator *e, const mlc_matrix *X, const double *y)
{
    mlc_matrix Y = y && X ? mlc_matrix_wrap((double *)y, X->rows, 1, 1) : (mlc_matrix){0};
    mlc_fit_data d = {X, y ? &Y : NULL, NULL};
    return mlc_estimator_fit_data(e, &d);
}

int mlc_estimator_is_fitted(const mlc_estimator *e)
{
    return e && e->model != NULL;
}

size_t mlc_estimator_n_features(const mlc_estimator *e)
{
    return e ? e->n_features : 0;
}

/* ----------------------------------------------------------------- outputs */

static int check_fitted(const mlc_estimator *e)
{
    if (!e)
        return mlc_raise(MLC_EINVAL, "estimator is NULL");
    if (!e->model)
        return mlc_raise(MLC_ENOTFITTED, "this %s is not fitted yet; call fit first",
                         e->desc->name);
    return MLC_OK;
}

size_t mlc_estimator_output_cols(const mlc_estimator *e, mlc_output kind)
{
    if (!e || !e->model || (unsigned)kind >= MLC_OUT_COUNT)
        return 0;
    return e->desc->output_cols(e->model, kind);
}

static int estimator_output(const mlc_estimator *e, mlc_output kind, const mlc_matrix *X,
                            mlc_matrix *out)
{
    int st = check_fitted(e);
    if (st)
        return st;
    size_t cols = mlc_estimator_output_cols(e, kind);
    if (cols == 0)
        return mlc_raise(MLC_EUNSUPPORTED, "%s does not provide %s", e->desc->name,
                         mlc_output_name(kind));
    size_t in_cols = kind == MLC_OUT_INVERSE_TRANSFORM ? mlc_estimator_output_cols(e, MLC_OUT_TRANSFORM)
                                                      : e->n_features;
    /* The shape here; the typed predict/transform behind desc->output scans
     * the values, so X is read once for validation. */
    st = mlc_check_X_columns(X, in_cols, e->desc->name);
    if (st)
        return st;
    st = mlc_check_out(out, X->rows, cols, mlc_output_name(kind));
    if (st)
        return st;
    return e->desc->output(e->model, kind, X, out);
}

int mlc_estimator_output(const mlc_estimator *e, mlc_output kind, const mlc_matrix *X,
                         mlc_matrix *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, estimator_output(e, kind, X, out));
}

int mlc_estimator_predict(const mlc_estimator *e, const mlc_matrix *X, double *out)
{
    int st = check_fitted(e);
    if (st)
        return st;
    if (!X || !out)
        return mlc_raise(MLC_EINVAL, "X or the output is NULL");
    size_t cols = mlc_estimator_output_cols(e, MLC_OUT_PREDICT);
    /* out holds one value per row: more columns would overrun it. */
    if (cols > 1)
        return mlc_raise(MLC_EBADLEN, "this %s predicts %zu values per row; "
                         "mlc_estimator_predict writes one, use mlc_estimator_output",
                         e->desc->name, cols);
    mlc_matrix o = mlc_matrix_wrap(out, X->rows, cols ? cols : 1, 0);
    return mlc_estimator_output(e, MLC_OUT_PREDICT, X, &o);
}

int mlc_estimator_transform(const mlc_estimator *e, const mlc_matrix *X, mlc_matrix *out)
{
    return mlc_estimator_output(e, MLC_OUT_TRANSFORM, X, out);
}

static int estimator_score(const mlc_estimator *e, const mlc_matrix *X, const double *y,
                           double *score)
{
    int st = check_fitted(e);
    if (st)
        return st;
    if (!score)
        return mlc_raise(MLC_EINVAL, "score output is NULL");
    st = mlc_check_X_columns(X, e->n_features, e->desc->name); /* values: the typed call */
    if (st)
        return st;
    mlc_task task = e->desc->task;
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    if (supervised) {
        st = mlc_check_y(y, X->rows * e->n_targets, "y");
        if (st)
            return st;
    }
    mlc_matrix Y = y ? mlc_matrix_wrap((double *)y, X->rows, e->n_targets, 0) : (mlc_matrix){0};
    mlc_fit_data d = {X, y ? &Y : NULL, NULL};
    if (e->desc->score)
        return e->desc->score(e->model, &d, score);
    if (!supervised)
        return mlc_raise(MLC_EUNSUPPORTED, "%s has no score", e->desc->name);
    size_t cols = mlc_estimator_output_cols(e, MLC_OUT_PREDICT);
    mlc_matrix pred;
    st = mlc_matrix_alloc(&pred, X->rows, cols);
    if (st)
        return st;
    st = estimator_output(e, MLC_OUT_PREDICT, X, &pred);
    if (!st) {
        if (task == MLC_TASK_REGRESSOR)
            st = mlc_r2_score(y, pred.data, X->rows, cols, NULL, MLC_MULTIOUTPUT_UNIFORM, score);
        else
            st = mlc_accuracy_score(y, pred.data, X->rows, NULL, 1, score);
    }
    mlc_matrix_clear(&pred);
    return st;
}

int mlc_estimator_score(const mlc_estimator *e, const mlc_matrix *X, const double *y, double *score)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, estimator_score(e, X, y, score));
}

/* -------------------------------------------------------------- attributes */

size_t mlc_estimator_attributes(const mlc_estimator *e, mlc_attribute *out, size_t cap)
{
    if (!e || !e->model)
        return 0;
    return e->desc->attributes(e->model, out, out ? cap : 0);
}

int mlc_estimator_attribute(const mlc_estimator *e, const char *name, mlc_attribute *out)
{
    int st = check_fitted(e);
    if (st)
        return st;
    if (!name || !out)
        return mlc_raise(MLC_EINVAL, "attribute name or output is NULL");
    size_t n = e->desc->attributes(e->model, NULL, 0);
    mlc_attribute *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return mlc_raise_nomem("attributes");
    e->desc->attributes(e->model, all, n);
    st = mlc_raise(MLC_ENOTFOUND, "%s has no attribute '%s'", e->desc->name, name);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].name, name) == 0) {
            *out = all[i];
            st = MLC_OK;
            mlc_clear_error();
            break;
        }
    free(all);
    return st;
}
