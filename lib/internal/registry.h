/* What an algorithm contributes to the registry.
 *
 * Each estimator defines one `const mlc_estimator_desc` (in its own folder)
 * and adds it to the table in lib/registry/registry_table.c. Everything generic - text
 * parameters, thread budget, fitted-state checks, column checks at predict,
 * default scores, model files - is done once in lib/registry/registry.c.
 *
 * The parameter table is the one statement of an estimator's defaults: the
 * registry starts every estimator from its rows' default texts, the typed
 * `*_params_default()` reads them through mlc_params_defaults, `mlcore
 * estimators NAME` prints them, and tests/test_registry_defaults.c holds
 * the typed defaults and the public headers' comments to them. */
#ifndef MLC_INTERNAL_REGISTRY_H
#define MLC_INTERNAL_REGISTRY_H
#include <stddef.h>
#include <stdint.h>
#include "internal/progress.h"
#include "internal/validate.h"
#include "internal/warnings.h"
#include "mlcore/estimator.h"
#include "mlcore/threads.h"

/* Attributes read back from a model file, handed to `restore`. Every array is
 * held as doubles (exact for the integers models store). */
typedef struct mlc_attr_set mlc_attr_set;

/* Find attribute `name` with `ndim` dimensions. For each of shape[0..ndim),
 * a non-zero entry must match; a zero entry is filled from the file. Missing
 * or mis-shaped attributes are MLC_EFORMAT with a message naming them. */
int mlc_attrs_get(const mlc_attr_set *s, const char *name, int ndim, size_t *shape,
                  const double **data);
/* The model file's n_features_in_ and n_targets (restore sizes by them). */
size_t mlc_attrs_n_features(const mlc_attr_set *s);
size_t mlc_attrs_n_targets(const mlc_attr_set *s);
/* A scalar attribute. */
int mlc_attrs_scalar(const mlc_attr_set *s, const char *name, double *value);
/* A scalar attribute that must be a count (an integer in [0, 9e15]), else
 * MLC_EFORMAT naming it. */
int mlc_attrs_count(const mlc_attr_set *s, const char *name, int64_t *value);
/* A 1-D/2-D attribute copied into a caller array as int32 (checks integrality). */
int mlc_attrs_int32(const mlc_attr_set *s, const char *name, int ndim, size_t *shape,
                    int32_t *dst, size_t cap);
/* An attribute of exactly `shape` copied into dst (as many doubles as the
 * shape's entries multiply to; an entry 0 matches any length and copies
 * nothing). */
int mlc_attrs_copy(const mlc_attr_set *s, const char *name, int ndim, const size_t *shape,
                   double *dst);
/* What a restore reads back: mlc_attrs_copy of each, in order, until one
 * fails (ndim 0: a scalar). */
typedef struct mlc_attr_want {
    const char *name;
    int ndim;
    size_t shape[3];
    double *dst;
} mlc_attr_want;
int mlc_attrs_read(const mlc_attr_set *s, const mlc_attr_want *want, size_t n);

/* Another name a parameter answers to (an older one, kept working). */
typedef struct mlc_param_alias {
    const char *alias, *name;
} mlc_param_alias;

typedef struct mlc_estimator_desc {
    const char *name;    /* registry name: scikit-learn's class in snake_case */
    const char *summary; /* one line */
    mlc_task task;
    const mlc_param_info *params;
    size_t n_params;
    size_t params_size;  /* sizeof the params struct */
    size_t threads_offset; /* offset of an `int n_threads` field, or SIZE_MAX */
    /* 1: fit takes no sample weights, as scikit-learn's (the registry
     * refuses them: MLC_EUNSUPPORTED). */
    int refuses_sample_weight;

    const mlc_param_alias *aliases;
    size_t n_aliases;

    /* Optional: check the array parameters' shapes against the data before
     * a fit (its shapes checked, its values not yet), naming the shape each
     * was given in. shapes[i] is table row i's (mlc_reg_shape_at finds a
     * field's); the params are those fit gets (their arrays set). The typed
     * fit checks the same shapes on the matrices alone; this check knows
     * numpy's shape, so it refuses a (4, 2, 4) array where (2, 4, 4) is
     * wanted (both are 8 x 4 matrices) and names it in the message. */
    int (*check_arrays)(const void *params, const mlc_array_shape *shapes,
                        const mlc_fit_data *data);
    /* Validate and fit; *model is a new model on success. The generic face
     * has checked the shapes only: fit scans the values (NaN/Inf) itself,
     * so X is scanned once, not twice. An iterative fit reports to
     * `progress` (internal/progress.h: ticks at its checkpoints, stops with
     * MLC_EINTERRUPTED when told to); the others ignore it. */
    int (*fit)(const void *params, const mlc_fit_data *data, mlc_progress_ctx *progress,
               void **model);
    /* Optional: K-fold cross-validation's fits at once, sharing the work
     * between them. part[i] < n_parts is row i's part; models[f] gets the
     * fit on every row outside part f (what fit would give on those rows, to
     * rounding). MLC_EUNSUPPORTED (no message) declines, and the caller fits
     * fold by fold. */
    int (*fit_partition)(const void *params, const mlc_fit_data *data, const uint32_t *part,
                         size_t n_parts, void **models);
    void (*free)(void *model);
    /* Columns of an output, 0 if unsupported. */
    size_t (*output_cols)(const void *model, mlc_output kind);
    /* X has been checked for shape and columns and out is sized; output
     * scans X's values itself (as the typed predict does). tests/
     * test_robustness.c holds every registered estimator to both rules. */
    int (*output)(const void *model, mlc_output kind, const mlc_matrix *X, mlc_matrix *out);
    /* Own default score (optional: NULL uses R^2 / accuracy by task). */
    int (*score)(const void *model, const mlc_fit_data *data, double *score);
    /* Fitted attributes, in a stable order; returns the count even past cap. */
    size_t (*attributes)(const void *model, mlc_attribute *out, size_t cap);
    /* Rebuild a model from saved attributes (every shape checked). */
    int (*restore)(const void *params, const mlc_attr_set *attrs, void **model);
    /* Optional: what a fit with `params` that gave `model` should warn of,
     * where scikit-learn warns (internal/warnings.h). An attribute called
     * "converged" (one value, or one per target) that holds a 0 already
     * gives the ConvergenceWarning without this. */
    void (*warnings)(const void *params, const void *model, mlc_warnings *w);
} mlc_estimator_desc;

/* The parameter fields of a descriptor whose params struct `type` has an
 * `int n_threads` field. */
#define MLC_DESC_PARAMS(table, type)                                                   \
    .params = (table), .n_params = MLC_COUNT_OF(table), .params_size = sizeof(type),   \
    .threads_offset = offsetof(type, n_threads)

/* The table (lib/registry/registry_table.c). */
extern const mlc_estimator_desc *const mlc_registry_table[];
extern const size_t mlc_registry_table_size;

const mlc_estimator_desc *mlc_registry_find(const char *name);

/* Parameter-table rows. */
#define MLC_FIELD_SIZE(st, field) sizeof(((st *)0)->field)
#define MLC_P_REAL(st, field, def, lo, hi, doc) \
    {#field, MLC_PARAM_REAL, def, lo, hi, 0, 0, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_REAL_OPEN(st, field, def, lo, lo_open, hi, hi_open, doc) \
    {#field, MLC_PARAM_REAL, def, lo, hi, lo_open, hi_open, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_INT(st, field, def, lo, hi, doc) \
    {#field, MLC_PARAM_INT, def, lo, hi, 0, 0, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_BOOL(st, field, def, doc) \
    {#field, MLC_PARAM_BOOL, def, 0, 1, 0, 0, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_CHOICE(st, field, def, choices, doc) \
    {#field, MLC_PARAM_CHOICE, def, 0, 0, 0, 0, choices, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_REAL_OR_CHOICE(st, field, def, lo, hi, choices, doc) \
    {#field, MLC_PARAM_REAL_OR_CHOICE, def, lo, hi, 0, 0, choices, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_INT_OR_CHOICE(st, field, def, lo, hi, choices, doc) \
    {#field, MLC_PARAM_INT_OR_CHOICE, def, lo, hi, 0, 0, choices, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_REAL_LIST(st, field, def, lo, hi, doc) \
    {#field, MLC_PARAM_REAL_LIST, def, lo, hi, 0, 0, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_MATRIX(st, field, doc) \
    {#field, MLC_PARAM_MATRIX, "", 0, 0, 0, 0, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_CHOICE_OR_MATRIX(st, field, def, choices, doc) \
    {#field, MLC_PARAM_CHOICE_OR_MATRIX, def, 0, 0, 0, 0, choices, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
#define MLC_P_CLASS_WEIGHT(st, field, doc) \
    {#field, MLC_PARAM_CLASS_WEIGHT, "none", 0, 0, 0, 0, NULL, doc, offsetof(st, field), MLC_FIELD_SIZE(st, field)}
/* The common thread-budget parameter (an `int n_threads` field). */
#define MLC_P_THREADS(st)                                                              \
    {"n_threads", MLC_PARAM_INT, "0", 0, MLC_THREADS_MAX, 0, 0, NULL,                  \
     "threads for fit and predict (0 = all cores)", offsetof(st, n_threads), MLC_FIELD_SIZE(st, n_threads)}

#define MLC_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Set a params struct of `size` bytes to the table's defaults: zero, then
 * each row's default text parsed as mlc_estimator_set parses it (rows with
 * no default text stay zero); returns params. A typed `*_params_default()`
 * is this over its estimator's table (tests/test_registry_defaults.c checks
 * that every default text parses). */
void *mlc_params_defaults(const mlc_param_info *table, size_t n, void *params, size_t size);
/* The same as an expression: the defaults of a static `table` as a value of
 * its params struct `type`. */
#define MLC_TABLE_DEFAULTS(type, table)                                                  \
    (*(type *)mlc_params_defaults((table), MLC_COUNT_OF(table), &(type){0}, sizeof(type)))

/* In a check_arrays callback: the shape of the array parameter whose field
 * is at `offset` in the params struct (offsetof), NULL if no row of the
 * table has that offset. */
const mlc_array_shape *mlc_reg_shape_at(const mlc_param_info *table, size_t n,
                                        const mlc_array_shape *shapes, size_t offset);

/* The end of a `restore` (or a fit) that built `model` with status st: on
 * failure the model is freed and st returned, on success it is handed to
 * *out. */
int mlc_reg_handover(int st, void *model, void (*free_model)(void *), void **out);

/* Attribute list builders for `attributes` callbacks. */
static inline void mlc_attr_put(mlc_attribute *out, size_t cap, size_t *n, const char *name,
                                mlc_dtype dtype, int ndim, size_t d0, size_t d1, size_t d2,
                                const void *data)
{
    if (*n < cap) {
        mlc_attribute a = {name, dtype, ndim, {d0, d1, d2}, data};
        out[*n] = a;
    }
    (*n)++;
}

#endif
