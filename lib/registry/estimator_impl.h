/* The generic estimator object, shared by lib/registry/registry.c (parameters, fit,
 * outputs) and lib/io/model_file.c (save/load). */
#ifndef MLC_INTERNAL_ESTIMATOR_IMPL_H
#define MLC_INTERNAL_ESTIMATOR_IMPL_H
#include "internal/progress.h"
#include "internal/registry.h"
#include "internal/warnings.h"

struct mlc_estimator {
    const mlc_estimator_desc *desc;
    void *params;            /* desc->params_size bytes */
    mlc_matrix *matrices;    /* owned copies for the array rows, by param index */
    mlc_array_shape *shapes; /* the shape each array was given in (ndim 0: set as a matrix) */
    void *model;             /* NULL until fitted */
    size_t n_features;       /* columns seen at fit */
    size_t n_targets;        /* regressor outputs (1 otherwise) */
    char **feature_names;    /* feature_names_in_ (n_feature_names = n_features), or NULL */
    size_t n_feature_names;
    mlc_progress_fn progress; /* mlc_estimator_set_progress: NULL = none */
    void *progress_user;
    double progress_interval; /* seconds between calls (MLC_PROGRESS_INTERVAL) */
    mlc_warnings warnings;    /* of the last fit (none for a loaded model) */
};

/* Forget the feature names (lib/registry/feature_names.c); a model dropped
 * takes them with it. */
void mlc_feature_names_drop(mlc_estimator *e);

/* Whether a row holds an array (MLC_PARAM_MATRIX, MLC_PARAM_CHOICE_OR_MATRIX). */
int mlc_param_takes_array(const mlc_param_info *info);
/* Parse `text` into the params struct for table row `info` (messages name the
 * parameter and what is allowed). Not for MLC_PARAM_MATRIX; the keywords
 * only of MLC_PARAM_CHOICE_OR_MATRIX. */
int mlc_param_parse(const mlc_param_info *info, const char *text, void *params);
/* Format the current value of row `info` as text (of a keyword-or-array
 * row, the keyword). */
int mlc_param_format(const mlc_param_info *info, const void *params, char *buf, size_t len);
/* The value of an MLC_PARAM_INT row (an int or an int64_t field). */
int64_t mlc_param_int_value(const mlc_param_info *info, const void *params);
/* Index of the parameter called `name` or aliased so, or -1. */
long mlc_param_index(const mlc_estimator_desc *d, const char *name);

/* Create an unfitted estimator for a descriptor with default params. */
int mlc_estimator_create(const mlc_estimator_desc *d, mlc_estimator **out);
/* Cross-validation: fitted clones of e, fitted[f] on the rows outside part
 * f, through the descriptor's fit_partition. MLC_EUNSUPPORTED (no message)
 * when the estimator has none or declines: fit fold by fold then. */
int mlc_estimator_fit_partition(const mlc_estimator *e, const mlc_fit_data *data,
                                const uint32_t *part, size_t n_parts, mlc_estimator **fitted);
/* Fit e on data within a running progress context (a cross-validation
 * fold or a grid search's refit): its stages go below the context's
 * current ones and a stop asked there stops this fit. progress NULL: a
 * context of e's own callback, as mlc_estimator_fit_data. */
int mlc_estimator_fit_within(mlc_estimator *e, const mlc_fit_data *data,
                             mlc_progress_ctx *progress);
/* A progress context on the calling thread for e's callback (a fit, or a
 * cross-validation or grid search of e). */
void mlc_estimator_progress_init(const mlc_estimator *e, mlc_progress_ctx *c);
/* For the tests: seconds between progress calls (0: at every checkpoint);
 * clones take it. */
void mlc_estimator_set_progress_interval(mlc_estimator *e, double seconds);
/* Replace e's warnings by those of its model, fitted with `params` (the
 * params fit got): the generic "converged" rule, then desc->warnings. */
void mlc_estimator_collect_warnings(mlc_estimator *e, const void *params);
/* Params to hand to fit: a copy whose array fields point at the estimator's
 * matrices. The returned buffer is malloc'ed. */
void *mlc_estimator_params_for_fit(const mlc_estimator *e);

#endif
