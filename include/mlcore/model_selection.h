/* Model selection, as scikit-learn 1.2 (docs/PARITY.md §14): splitters,
 * scorers by name, cross_validate and grid search over any registered
 * estimator.
 *
 *   mlc_splitter *cv = NULL;
 *   mlc_stratified_kfold_new(5, 0, -1, &cv);
 *   mlc_cv_options o = mlc_cv_options_default();
 *   const char *names[] = {"accuracy", "f1_macro"};
 *   o.cv = cv; o.scoring = names; o.n_scoring = 2;
 *   mlc_cv_results r;
 *   mlc_cross_validate(est, &X, y, &o, &r);   r.test_scores[s * r.n_splits + i]
 *   mlc_cv_results_clear(&r);
 *   mlc_splitter_free(cv);
 */
#ifndef MLCORE_MODEL_SELECTION_H
#define MLCORE_MODEL_SELECTION_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/estimator.h"
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ splitters
 * One object type for every way of splitting n samples into train/test
 * folds. Create it with its parameters, call mlc_splitter_split() for the
 * data at hand (stratified splitters need the class labels y), then read
 * the splits. Random splitters draw from the library's generator seeded by
 * random_state (a negative seed means a fresh random seed); the same seed
 * gives the same folds, but not numpy's (scikit-learn's) folds.
 *
 * A splitter is an object (mlcore.h): the mlc_*_new functions create it in
 * *out, mlc_splitter_free destroys it. Their errors: MLC_EINVAL (n_splits < 1
 * or 2 for k-fold, random_state >= 0 without shuffle, sizes out of range,
 * empty explicit splits, a fold id < -1), MLC_EEMPTY (an empty test_fold).
 * mlc_splitter_split changes the splitter (one thread at a time); reading
 * the splits (const) may be concurrent. */
typedef struct mlc_splitter mlc_splitter;

/* KFold: consecutive folds of arange(n), the first n % k one larger;
 * shuffle permutes the indices first. random_state >= 0 with shuffle = 0 is
 * an error (as scikit-learn). */
MLC_API int mlc_kfold_new(size_t n_splits, int shuffle, int64_t random_state,
                          mlc_splitter **out);
/* StratifiedKFold: scikit-learn's _make_test_folds (per-class counts by a
 * round robin over the sorted labels, classes in order of first
 * appearance); shuffle permutes each class's fold ids. */
MLC_API int mlc_stratified_kfold_new(size_t n_splits, int shuffle, int64_t random_state,
                                     mlc_splitter **out);
/* ShuffleSplit: n_splits random train/test draws. Sizes as scikit-learn: a
 * value in (0, 1) is a fraction, an integral value >= 1 a count, NAN (or a
 * negative value) is unset. Both unset: test_size 0.1. */
MLC_API int mlc_shuffle_split_new(size_t n_splits, double test_size, double train_size,
                                  int64_t random_state, mlc_splitter **out);
/* StratifiedShuffleSplit: class counts per split from scikit-learn's
 * _approximate_mode (ties broken at random). */
MLC_API int mlc_stratified_shuffle_split_new(size_t n_splits, double test_size,
                                             double train_size, int64_t random_state,
                                             mlc_splitter **out);
MLC_API int mlc_leave_one_out_new(mlc_splitter **out);
/* PredefinedSplit: test_fold[i] is the fold of sample i, -1 = always in
 * training; folds in increasing order of their ids. The splitter keeps a
 * copy. */
MLC_API int mlc_predefined_split_new(const int64_t *test_fold, size_t n, mlc_splitter **out);
/* Folds given explicitly (e.g. scikit-learn's own folds): split i trains on
 * train[i][0..n_train[i]) and tests on test[i][0..n_test[i]). The arrays are
 * copied and kept in the caller's order. */
MLC_API int mlc_explicit_split_new(size_t n_splits, const size_t *const *train,
                                   const size_t *n_train, const size_t *const *test,
                                   const size_t *n_test, mlc_splitter **out);
MLC_API void mlc_splitter_free(mlc_splitter *s);
/* "KFold", "StratifiedKFold", ... */
MLC_API const char *mlc_splitter_name(const mlc_splitter *s);
/* Does mlc_splitter_split need y? */
MLC_API int mlc_splitter_needs_labels(const mlc_splitter *s);

/* Compute the folds for n samples (y: n integral class labels for the
 * stratified splitters, ignored otherwise and may be NULL). Calling it again
 * recomputes them (a random splitter redraws with the same seed). Errors:
 * MLC_EEMPTY (n = 0), MLC_EINVAL (y missing, more splits than samples or
 * than members of a class), MLC_EBADLEN (a predefined split of another
 * length), MLC_ERANGE (explicit splits naming a sample >= n). */
MLC_API int mlc_splitter_split(mlc_splitter *s, size_t n, const double *y);
/* Number of splits computed by the last mlc_splitter_split (0 before). */
MLC_API size_t mlc_splitter_n_splits(const mlc_splitter *s);
/* Sizes of split i. Errors: MLC_EINVAL (not split yet), MLC_ERANGE (no split i). */
MLC_API int mlc_splitter_sizes(const mlc_splitter *s, size_t i, size_t *n_train, size_t *n_test);
/* Split i into caller arrays (room for n each; either may be NULL): sorted
 * ascending, except for explicit splits, which keep the caller's order.
 * Errors: as mlc_splitter_sizes. */
MLC_API int mlc_splitter_get(const mlc_splitter *s, size_t i, size_t *train, size_t *n_train,
                             size_t *test, size_t *n_test);

/* ================================================================== scorers
 * scikit-learn's scorer names ("r2", "neg_mean_squared_error", "accuracy",
 * "f1_macro", "roc_auc_ovr", "adjusted_rand_score", ...): a scorer applies a
 * fitted estimator to (X, y) and returns a number where greater is better
 * (errors and losses are negated), except "davies_bouldin", the index as
 * published (lower is better; grid search refuses to rank by it and takes
 * "neg_davies_bouldin"). y is X->rows x n_targets for regressors, X->rows
 * class/cluster labels otherwise; "silhouette", "calinski_harabasz" and the
 * Davies-Bouldin scorers score X with the predicted labels and need no y. */
MLC_API size_t mlc_scorer_count(void);
/* Name and one-line description of scorer i (static; NULL past the end). */
MLC_API const char *mlc_scorer_name(size_t i);
MLC_API const char *mlc_scorer_summary(size_t i);
/* MLC_OK if the name exists, else MLC_ENOTFOUND with the list of names. */
MLC_API int mlc_scorer_check(const char *name);
/* Score a fitted estimator with the named scorer. Errors: MLC_ENOTFOUND (no
 * such scorer), MLC_EUNSUPPORTED (the estimator lacks the output the scorer
 * needs, e.g. probabilities; a label scorer of a regressor), those of
 * mlc_estimator_output and of the metric (metrics.h). */
MLC_API int mlc_scorer_score(const char *name, const mlc_estimator *e, const mlc_matrix *X,
                             const double *y, double *out);
/* A scorer of labels (the label, clustering and geometry scorers) on given
 * predicted labels[X->rows] instead of an estimator's predictions: a
 * clusterer's labels_ (DBSCAN has no predict), or fit_predict's. y may be
 * NULL for the geometry scorers. Errors: MLC_ENOTFOUND, MLC_EUNSUPPORTED (a
 * scorer that needs probabilities, decision values or regression
 * predictions), MLC_EINVAL (NULL, y missing), MLC_EEMPTY, those of the
 * metric. */
MLC_API int mlc_scorer_score_labels(const char *name, const mlc_matrix *X, const double *y,
                                    const double *labels, double *out);

/* =========================================================== cross-validate */
typedef struct mlc_cv_options {
    mlc_splitter *cv;           /* NULL: StratifiedKFold(5) for classifiers, else KFold(5);
                                   the call splits it (see mlc_splitter_split) */
    const char *const *scoring; /* scorer names; NULL: the estimator's own score */
    size_t n_scoring;
    int return_train_score;     /* 0 */
    int error_score_raise;      /* 0: a fold that fails scores NaN (error_score=nan);
                                   1: stop with the failing fold's status */
    int n_threads;              /* 0 = all cores: folds run in parallel when there
                                   are several folds and several cores */
} mlc_cv_options;
/* scikit-learn's defaults. */
MLC_API mlc_cv_options mlc_cv_options_default(void);

typedef struct mlc_cv_results {
    size_t n_splits;
    size_t n_scorers;
    char **scorer_names;   /* n_scorers names ("score" for the default score) */
    double *fit_time;      /* n_splits seconds */
    double *score_time;    /* n_splits seconds (test scoring) */
    double *test_scores;   /* n_scorers x n_splits: [s * n_splits + i] */
    double *train_scores;  /* same layout, or NULL without return_train_score */
    int *fold_status;      /* n_splits: MLC_OK or the status of the fold's failure */
} mlc_cv_results;

/* Cross-validate a (cloned per fold, never modified) estimator on X and y
 * (n values: labels for classifiers, the target for regressors, NULL for
 * clusterers unless a scorer compares labels). Results are the same
 * whatever the thread count. *out is a filled struct (mlcore.h): release it
 * with mlc_cv_results_clear; it is empty after a failure. Errors: those of
 * the splitter and scorers (MLC_ENOTFOUND for an unknown scorer name),
 * MLC_EBADLEN / MLC_EEMPTY (y's shape), MLC_EUNSUPPORTED when a scorer (or
 * the estimator's own score) can score no split at all (a label scorer of a
 * regressor, any scorer of DBSCAN, which has no predict: scikit-learn
 * refuses these too), and the status of the failing fit
 * when every fold fails or error_score_raise is set. */
MLC_API int mlc_cross_validate(const mlc_estimator *e, const mlc_matrix *X, const double *y,
                               const mlc_cv_options *opt, mlc_cv_results *out);
/* The same with several targets (data->Y) and sample weights passed to fit. */
MLC_API int mlc_cross_validate_data(const mlc_estimator *e, const mlc_fit_data *data,
                                    const mlc_cv_options *opt, mlc_cv_results *out);
MLC_API void mlc_cv_results_clear(mlc_cv_results *r);

/* ============================================================== grid search */
/* One parameter of the grid: its values as text (as mlc_estimator_set
 * takes them). */
typedef struct mlc_grid_param {
    const char *name;
    const char *const *values;
    size_t n_values;
} mlc_grid_param;

typedef struct mlc_grid_options {
    mlc_cv_options cv;  /* folds, scorers, threads, train scores, error handling */
    const char *refit;  /* scorer that ranks candidates and picks best_*; NULL: the first */
    int refit_best;     /* 1 (default): refit the best candidate on all the data */
} mlc_grid_options;
MLC_API mlc_grid_options mlc_grid_options_default(void);

/* cv_results_ as arrays. Candidates follow scikit-learn's ParameterGrid
 * order (parameter names sorted, the last one varying fastest). */
typedef struct mlc_grid_results {
    size_t n_candidates, n_params, n_splits, n_scorers;
    char **param_names;        /* n_params, sorted */
    char **param_values;       /* n_candidates x n_params text values */
    char **scorer_names;       /* n_scorers */
    double *mean_fit_time, *std_fit_time, *mean_score_time, *std_score_time; /* n_candidates */
    double *split_test_scores; /* n_scorers x n_candidates x n_splits */
    double *mean_test_score;   /* n_scorers x n_candidates */
    double *std_test_score;
    int32_t *rank_test_score;  /* n_scorers x n_candidates, 1 = best (ties share the min) */
    double *split_train_scores, *mean_train_score, *std_train_score; /* or NULL */
    size_t refit_scorer;       /* index of the ranking scorer */
    size_t best_index;         /* first candidate ranked 1 */
    double best_score;         /* its mean test score */
    mlc_estimator *best_estimator; /* refit on all data, or NULL (refit_best = 0) */
    double refit_time;
} mlc_grid_results;

/* Evaluate every combination of the grid with cross-validation. Parameter
 * names and values are checked (against the estimator's table) before any
 * fit. *out is a filled struct (release with mlc_grid_results_clear, which
 * also frees best_estimator); it is empty after a failure. Errors: those of
 * mlc_cross_validate_data and mlc_estimator_set; MLC_EINVAL (an empty grid,
 * a parameter twice), MLC_ENOTFOUND (refit naming no scorer), MLC_ERANGE
 * (too many combinations). */
MLC_API int mlc_grid_search(const mlc_estimator *e, const mlc_grid_param *grid, size_t n_grid,
                            const mlc_fit_data *data, const mlc_grid_options *opt,
                            mlc_grid_results *out);
/* best_params_[name] as text, borrowed from r (NULL if there is no such
 * parameter). */
MLC_API const char *mlc_grid_best_param(const mlc_grid_results *r, const char *name);
MLC_API void mlc_grid_results_clear(mlc_grid_results *r);

#ifdef __cplusplus
}
#endif

#endif
