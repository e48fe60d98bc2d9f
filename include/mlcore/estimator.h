/* The generic face over every estimator: the registry.
 *
 *   mlc_estimator *e = NULL;
 *   mlc_estimator_new("ridge", &e);
 *   mlc_estimator_set(e, "alpha", "0.5");     checked against the table
 *   mlc_estimator_fit(e, &X, y);
 *   mlc_estimator_save(e, "model.json");
 *   mlc_estimator_free(e);
 *
 * Cross-validation, grid search, the CLI, model files and the bench runner are
 * written once against this face. Each algorithm contributes a descriptor
 * (name, task, parameter table, functions); see lib/internal/registry.h.
 *
 * An mlc_estimator is an object (mlcore.h): created by mlc_estimator_new,
 * _clone or _load*, destroyed by mlc_estimator_free. Names, summaries and
 * parameter-table rows are static. Functions taking a const estimator may run
 * concurrently on one fitted estimator; the others need it exclusively.
 * Statuses common to the functions below that need a fitted model:
 * MLC_ENOTFITTED (not fitted yet), MLC_EBADLEN (X with another number of
 * columns than at fit, an output of the wrong shape), MLC_EEMPTY (X without
 * rows), MLC_ENONFINITE (NaN/Inf in X). */
#ifndef MLCORE_ESTIMATOR_H
#define MLCORE_ESTIMATOR_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mlc_task {
    MLC_TASK_REGRESSOR = 1,  /* y: n x n_targets doubles; score = R^2 */
    MLC_TASK_CLASSIFIER = 2, /* y: n integer class labels; score = accuracy */
    MLC_TASK_CLUSTERER = 3,  /* no y; labels_ after fit */
    MLC_TASK_DENSITY = 4,    /* no y; score = mean log-likelihood */
    MLC_TASK_TRANSFORMER = 5, /* no y; transform / inverse_transform */
    MLC_TASK_OUTLIER = 6      /* no y; predict +1 (inlier) / -1 (outlier), score_samples */
} mlc_task;

/* "regressor", "classifier", ... (static; "unknown" for other values). */
MLC_API const char *mlc_task_name(mlc_task task);

/* How a parameter is stored in an estimator's params struct and parsed from
 * text. */
typedef enum mlc_param_type {
    MLC_PARAM_REAL = 1,       /* double */
    MLC_PARAM_INT,            /* int or int64_t (the table records the field's size) */
    MLC_PARAM_BOOL,           /* int, 0 or 1; text true/false/1/0/yes/no */
    MLC_PARAM_CHOICE,         /* int: index into `choices` */
    MLC_PARAM_REAL_OR_CHOICE, /* mlc_real_or_choice: a number or a keyword ("scale") */
    MLC_PARAM_INT_OR_CHOICE,  /* mlc_int_or_choice: an integer or a keyword ("auto") */
    MLC_PARAM_REAL_LIST,      /* mlc_real_list: comma-separated numbers */
    MLC_PARAM_MATRIX,         /* const mlc_matrix *: an array (a file path from text) */
    MLC_PARAM_CHOICE_OR_MATRIX, /* mlc_choice_or_matrix: a keyword of `choices`, or an array
                                  (a file path from text), as scikit-learn's KMeans(init=) */
    MLC_PARAM_CLASS_WEIGHT      /* mlc_class_weight: "none", "balanced" or "LABEL:W,..." */
} mlc_param_type;

#define MLC_REAL_LIST_MAX 256
typedef struct mlc_real_or_choice {
    int choice;   /* index into choices, or -1 when `value` is used */
    double value;
} mlc_real_or_choice;
typedef struct mlc_int_or_choice {
    int choice;   /* index into choices, or -1 when `value` is used */
    long value;
} mlc_int_or_choice;
/* The field of an MLC_PARAM_CHOICE_OR_MATRIX parameter. An estimator keeps
 * its array itself (mlc_estimator_set_matrix copies it); `matrix` points at
 * it only in the params handed to a fit. */
typedef struct mlc_choice_or_matrix {
    int choice;               /* index into choices: the keyword, in effect when matrix is NULL */
    const mlc_matrix *matrix; /* the array, or NULL */
} mlc_choice_or_matrix;
typedef struct mlc_real_list {
    size_t n;
    double v[MLC_REAL_LIST_MAX];
} mlc_real_list;
/* scikit-learn's class_weight: None, 'balanced' (n / (n_classes * the
 * class's count)), or a weight per named class (the others 1). From text:
 * "none", "balanced", or "LABEL:WEIGHT,..." such as "0:1,2:3.5". */
#define MLC_CLASS_WEIGHT_NONE 0
#define MLC_CLASS_WEIGHT_BALANCED 1
#define MLC_CLASS_WEIGHT_GIVEN 2
#define MLC_CLASS_WEIGHT_MAX 64
typedef struct mlc_class_weight {
    int mode;                            /* MLC_CLASS_WEIGHT_NONE */
    size_t n;                            /* GIVEN: how many classes are named */
    double label[MLC_CLASS_WEIGHT_MAX];  /* their labels */
    double weight[MLC_CLASS_WEIGHT_MAX]; /* their weights (> 0) */
} mlc_class_weight;

/* One row of an estimator's parameter table. Numeric bounds apply to numbers
 * (and to each element of a list); *_open makes a bound exclusive. */
typedef struct mlc_param_info {
    const char *name;         /* scikit-learn's name: "alpha", "n_clusters" */
    mlc_param_type type;
    const char *default_text; /* the default, as text ("1.0", "auto", "" for none) */
    double min, max;
    int min_open, max_open;
    const char *choices;      /* keywords separated by '|', or NULL */
    const char *doc;          /* one line */
    size_t offset;            /* where the value lives in the params struct */
    size_t size;              /* sizeof that field (int or int64_t for MLC_PARAM_INT) */
} mlc_param_info;

/* What an estimator can compute for new rows. */
typedef enum mlc_output {
    MLC_OUT_PREDICT = 0,       /* regressor: n x targets; classifier/clusterer: labels */
    MLC_OUT_TRANSFORM,         /* transformers; k-means distances */
    MLC_OUT_INVERSE_TRANSFORM,
    MLC_OUT_PROBA,             /* n x n_classes (columns in classes_ order) */
    MLC_OUT_DECISION,          /* decision_function */
    MLC_OUT_SCORE_SAMPLES,     /* per-sample log-likelihood */
    MLC_OUT_COUNT
} mlc_output;

/* "predict", "transform", ... (static). */
MLC_API const char *mlc_output_name(mlc_output kind);

/* A named array of a fitted model (scikit-learn's attribute names: "coef_",
 * "cluster_centers_", "labels_"...). ndim 0 is a scalar. Data is owned by
 * the model and valid until it is refit or freed. */
typedef enum mlc_dtype { MLC_DTYPE_F64 = 1, MLC_DTYPE_I32, MLC_DTYPE_I64 } mlc_dtype;
typedef struct mlc_attribute {
    const char *name;
    mlc_dtype dtype;
    int ndim;          /* 0..3 */
    size_t shape[3];
    const void *data;
} mlc_attribute;
/* Number of elements of an attribute (1 for a scalar). */
MLC_API size_t mlc_attribute_size(const mlc_attribute *a);
/* Element i (< mlc_attribute_size) as a double whatever the dtype; NaN for
 * NULL, an attribute without data or i out of range. */
MLC_API double mlc_attribute_value(const mlc_attribute *a, size_t i);

/* Data for a fit. Y is n x n_targets for regressors, n x 1 class labels
 * (integral values) for classifiers, NULL for the others. */
typedef struct mlc_fit_data {
    const mlc_matrix *X;
    const mlc_matrix *Y;
    const double *sample_weight; /* n weights or NULL */
} mlc_fit_data;

typedef struct mlc_estimator mlc_estimator;

/* ---- the registry (fixed at build time; these cannot change) ---- */
MLC_API size_t mlc_registry_count(void);
/* Name of the i-th registered estimator, NULL past the end. */
MLC_API const char *mlc_registry_name(size_t i);
/* Facts about a registered estimator: task, one-line summary (static),
 * number of parameters; any output may be NULL. Errors: MLC_ENOTFOUND (no
 * such estimator; the message lists the names). */
MLC_API int mlc_registry_lookup(const char *name, mlc_task *task, const char **summary,
                                size_t *n_params);
/* The i-th row of an estimator's parameter table (static), NULL past the end
 * or for an unknown name. */
MLC_API const mlc_param_info *mlc_registry_param(const char *name, size_t i);

/* ---- one estimator ---- */
/* A new estimator with the default parameters. Errors: MLC_ENOTFOUND. */
MLC_API int mlc_estimator_new(const char *name, mlc_estimator **out);
MLC_API void mlc_estimator_free(mlc_estimator *e);
/* A new unfitted estimator with the same name and parameters (array
 * parameters copied), thread budget and progress callback. */
MLC_API int mlc_estimator_clone(const mlc_estimator *e, mlc_estimator **out);
/* The registry name (static; NULL for NULL) and task (0 for NULL). */
MLC_API const char *mlc_estimator_name(const mlc_estimator *e);
MLC_API mlc_task mlc_estimator_task(const mlc_estimator *e);

/* Set a parameter from text, checked against the table: an unknown name or a
 * bad value is MLC_ENOTFOUND / MLC_EINVAL with a message saying what is
 * allowed. Setting a parameter makes a fitted estimator unfitted.
 * Array parameters take a file path: an .npy of scikit-learn's shape (any
 * number of dimensions: read by mlc_array_read, the last dimension the
 * columns) or a CSV with a header row (2-D); "" unsets the array. A
 * keyword-or-array parameter (MLC_PARAM_CHOICE_OR_MATRIX, k-means' init)
 * takes one of its keywords, which drops any array, or a file path, which
 * sets the array (a keyword wins over a file of the same name: write
 * ./random); a value that is neither is MLC_EINVAL naming both. A file that
 * cannot be read is the reader's error (MLC_EIO, MLC_EFORMAT, ...). The
 * array's shape is checked at fit (MLC_EBADLEN naming scikit-learn's shape
 * and the one given). Some estimators take an older name as an alias
 * (k-means: init_centers for init). */
MLC_API int mlc_estimator_set(mlc_estimator *e, const char *param, const char *value);
/* Set an array parameter (MLC_PARAM_MATRIX or MLC_PARAM_CHOICE_OR_MATRIX);
 * the estimator keeps a copy, M NULL unsets it (a keyword-or-array parameter
 * then goes back to its keyword). Errors: MLC_ENOTFOUND, MLC_EINVAL (not an
 * array parameter), MLC_ENONFINITE. */
MLC_API int mlc_estimator_set_matrix(mlc_estimator *e, const char *param, const mlc_matrix *M);
/* Current value as text into buf[len]: the form mlc_estimator_set accepts,
 * or for an array "<2 x 3 x 3 array>" (the shape it was given in; "" when
 * an array parameter is unset). Errors: MLC_ENOTFOUND, MLC_ERANGE (buf too
 * small). */
MLC_API int mlc_estimator_get(const mlc_estimator *e, const char *param, char *buf, size_t len);
/* Thread budget of fit/predict: 0 = all cores (the default). Keeps the
 * fitted model. Errors: MLC_EINVAL outside [0, MLC_THREADS_MAX] (the range
 * of the parameter table's n_threads row). */
MLC_API int mlc_estimator_set_threads(mlc_estimator *e, int n_threads);

/* ---- progress of a long fit ----
 * What a fit reports to a progress callback. The strings belong to the
 * library and are valid during the call only. */
typedef struct mlc_progress {
    const char *estimator;    /* registry name of the estimator being fit ("svc") */
    const char *stage;        /* where the fit is: "fit", "pair 3/45", "init 2/10",
                                 "fold 2/5, alpha 12/100" (outermost first) */
    int64_t iter;             /* iterations of the solver run under way (epochs, SMO
                                 steps, EM steps, Newton steps) */
    int64_t max_iter;         /* that run's limit, 0 when it has none */
    double measure;           /* the solver's current gap, objective or change, NaN when
                                 it has none */
    const char *measure_name; /* what `measure` is: "gap", "change", "shift", ... ("") */
    double fraction;          /* of the whole fit done, in [0, 1], counted in stages
                                 (pairs, folds, inits; never decreasing); -1 when
                                 unknown */
    double elapsed;           /* seconds since the fit started (monotonic clock) */
} mlc_progress;

/* A progress callback: return 0 to go on, anything else to ask the fit to
 * stop. `user` is the pointer given with it. */
typedef int (*mlc_progress_fn)(const mlc_progress *p, void *user);

/* Have fit (and cross-validation or grid search of this estimator, whose
 * clones take the callback with them, as mlc_estimator_clone does) report
 * its progress to fn(p, user); fn NULL turns it off. Keeps the fitted model;
 * model files do not keep it. Iterative estimators call it (k-means, the
 * Gaussian mixture, Lasso/ElasticNet and their CV, the SVMs, LinearSVC/SVR,
 * DBSCAN on the neighbour index: a checkpoint per block of queries);
 * the others (OLS, Ridge, RidgeCV, the scalers, the nearest neighbours)
 * never do, except through cross-validation and grid search, which report
 * each finished split.
 *
 * When: at the solvers' checkpoints (after an epoch, an EM or k-means step,
 * a batch of SMO steps), at most about every 50 ms of wall time, and once at
 * the first checkpoint of a fit. The clock is read only every so many
 * checkpoints (about once a millisecond), so a callback costs well under
 * 1 % of the fit; without one, nothing is measured.
 * Where: only on the thread that called fit (or cross-validation, grid
 * search), never on another. Where that thread works in a team (a solver's,
 * or folds or one-vs-one pairs side by side) it makes the call between its
 * steps while the others wait or go on, so the callback should be quick
 * (drawing a line is); library calls made from it then run on one thread.
 * The callback must not change or free the estimator.
 * Stop: when fn returns non-zero, the fit ends at the next checkpoint and
 * returns MLC_EINTERRUPTED ("fit stopped by the progress callback ..."),
 * leaving the estimator as it was before the fit (unfitted, or with its
 * earlier fit intact); cross-validation and grid search then return
 * MLC_EINTERRUPTED too, with empty results. Nothing leaks. */
MLC_API int mlc_estimator_set_progress(mlc_estimator *e, mlc_progress_fn fn, void *user);

/* Fit, replacing any earlier fit (pointers from the earlier model are then
 * invalid). y is NULL for unsupervised estimators, else n values (one
 * target). Errors: those of the estimator's typed fit (MLC_EEMPTY,
 * MLC_EBADLEN, MLC_ENONFINITE, MLC_ESING, ... with the estimator's own
 * message); MLC_EINVAL (y missing for a supervised estimator);
 * MLC_EUNSUPPORTED (sample weights the estimator does not take);
 * MLC_EINTERRUPTED (stopped by the progress callback). On failure the
 * estimator keeps its earlier fit, if any. */
MLC_API int mlc_estimator_fit(mlc_estimator *e, const mlc_matrix *X, const double *y);
MLC_API int mlc_estimator_fit_data(mlc_estimator *e, const mlc_fit_data *data);
/* 1 when fitted, 0 otherwise (or for NULL); features seen at fit (0 before). */
MLC_API int mlc_estimator_is_fitted(const mlc_estimator *e);
/* The i-th warning of the last fit, one line of text, where scikit-learn
 * warns: an iterative solver that stopped at max_iter without converging
 * (its ConvergenceWarning: Lasso, ElasticNet and their CV, LinearSVC/SVR,
 * Gaussian mixtures), k-means finding fewer distinct clusters than
 * n_clusters (duplicate points), Lasso or ElasticNet with alpha = 0. NULL
 * past the last one, before a fit, for a loaded model (the file keeps
 * `converged`, not the text) and for NULL. The library never prints them;
 * the text lives until the estimator is refit or freed. The fit still
 * succeeds: the model is what scikit-learn would return. */
MLC_API const char *mlc_estimator_warning(const mlc_estimator *e, size_t i);
MLC_API size_t mlc_estimator_n_features(const mlc_estimator *e);

/* Names of the columns the model was fit on: scikit-learn's
 * feature_names_in_, which a fit on a DataFrame records. The C fit takes a
 * matrix, so the caller records them after the fit (the command does for a
 * CSV with a header and the bundled data sets): n = mlc_estimator_n_features
 * distinct names, copied; names NULL or n 0 forgets them. A new fit, a
 * parameter set and freeing drop them; model files keep them
 * ("feature_names_in_") and a file without them loads without them.
 * Errors: MLC_EINVAL (NULL e, a NULL or repeated name), MLC_ENOTFITTED,
 * MLC_EBADLEN (n is not the model's width). */
MLC_API int mlc_estimator_set_feature_names(mlc_estimator *e, const char *const *names, size_t n);
/* The recorded names (mlc_estimator_n_features of them; borrowed, valid
 * until they change), or NULL: none, unfitted, or NULL e. */
MLC_API const char *const *mlc_estimator_feature_names(const mlc_estimator *e);
/* Where the model's columns are in an input whose columns are called
 * names[0..n): index[j] (mlc_estimator_n_features entries, caller's) gets
 * the input column of the model's feature j, so columns given in another
 * order are taken by name. The names must be the model's, each once:
 * otherwise MLC_EINVAL listing the names "unseen at fit time" and those
 * "seen at fit time, yet now missing" (scikit-learn's words; it also
 * refuses extra columns). A model without names, or names NULL (an input
 * without names: scikit-learn takes an array's columns by position, with a
 * warning when the model has names), matches by position: then n must be
 * the model's width (MLC_EBADLEN). Errors also: MLC_ENOTFITTED, MLC_EINVAL
 * (NULL e or index, a NULL name, a name given twice), MLC_ENOMEM. */
MLC_API int mlc_estimator_match_columns(const mlc_estimator *e, const char *const *names,
                                        size_t n, size_t *index);

/* Columns of an output for this fitted model; 0 if it does not provide it. */
MLC_API size_t mlc_estimator_output_cols(const mlc_estimator *e, mlc_output kind);
/* Compute an output into `out` (caller allocated, X->rows x output_cols).
 * Errors: the common ones above; MLC_EUNSUPPORTED (no such output). */
MLC_API int mlc_estimator_output(const mlc_estimator *e, mlc_output kind, const mlc_matrix *X,
                                 mlc_matrix *out);
/* Shorthands: predictions into out[X->rows] (MLC_EBADLEN for an estimator
 * that predicts several values per row), and transform. */
MLC_API int mlc_estimator_predict(const mlc_estimator *e, const mlc_matrix *X, double *out);
MLC_API int mlc_estimator_transform(const mlc_estimator *e, const mlc_matrix *X, mlc_matrix *out);

/* The estimator's default score: R^2 (regressor), accuracy (classifier), the
 * estimator's own score (clusterer, density: e.g. -inertia, mean
 * log-likelihood). y as for fit. Errors: the common ones above;
 * MLC_EUNSUPPORTED (an estimator with no score, e.g. a scaler). */
MLC_API int mlc_estimator_score(const mlc_estimator *e, const mlc_matrix *X, const double *y,
                                double *score);

/* Attributes of the fitted model (borrowed: valid until the estimator is
 * refit, changed or freed). Errors: MLC_ENOTFITTED, MLC_ENOTFOUND. */
MLC_API int mlc_estimator_attribute(const mlc_estimator *e, const char *name,
                                    mlc_attribute *out);
/* Fill up to cap attributes (out NULL: none); returns how many there are (0
 * unfitted). */
MLC_API size_t mlc_estimator_attributes(const mlc_estimator *e, mlc_attribute *out, size_t cap);

/* Model files (JSON, DESIGN.md): written to a temporary file then renamed.
 * Errors: MLC_ENOTFITTED, MLC_EIO. */
MLC_API int mlc_estimator_save(const mlc_estimator *e, const char *path);
/* Load any model file into a new fitted estimator; checks format, version,
 * estimator and every shape. Errors: MLC_EIO, MLC_EFORMAT, MLC_EVERSION,
 * MLC_ENOTFOUND (an estimator this library does not have). */
MLC_API int mlc_estimator_load(const char *path, mlc_estimator **out);
/* Load a file that must hold the named estimator (MLC_EFORMAT otherwise);
 * name NULL accepts any, as mlc_estimator_load. */
MLC_API int mlc_estimator_load_as(const char *path, const char *name, mlc_estimator **out);

#ifdef __cplusplus
}
#endif

#endif
