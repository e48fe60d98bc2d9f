/* mlcore cv ESTIMATOR ... and mlcore grid ESTIMATOR ...: cross-validation and
 * grid search through the library's model selection, for any registered
 * estimator. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "mlcore/model_selection.h"
#include "table_out.h"

int cmd_metrics(const cli_opts *o)
{
    (void)o;
    for (size_t i = 0; mlc_scorer_name(i); i++)
        printf("%-38s %s\n", mlc_scorer_name(i), mlc_scorer_summary(i));
    return EXIT_OK;
}

/* Fold ids from --fold-file: a one-column CSV (or the column 'fold') or .npy. */
static int explicit_folds(const cli_opts *o, size_t n, mlc_splitter **out)
{
    mlc_table t;
    memset(&t, 0, sizeof t);
    int st;
    size_t len = strlen(o->fold_file);
    if (len > 4 && !strcmp(o->fold_file + len - 4, ".npy"))
        st = mlc_npy_read(o->fold_file, &t.data);
    else
        st = cli_read_table(o, o->fold_file, &t);
    if (st)
        return cli_fail(o->fold_file, st);
    long col = t.names ? mlc_table_column(&t, "fold") : -1;
    if (col < 0)
        col = 0;
    int rc = EXIT_OK;
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (t.data.rows != n) {
        fprintf(stderr, "mlcore: %s has %zu rows but the data has %zu\n", o->fold_file,
                t.data.rows, n);
        rc = EXIT_FAIL;
    }
    for (size_t i = 0; !rc && ids && i < n; i++) {
        double v = MLC_AT(&t.data, i, (size_t)col);
        if (v != floor(v) || v < -1) {
            fprintf(stderr, "mlcore: %s: row %zu: fold id %g is not an integer >= -1\n",
                    o->fold_file, i + 1, v);
            rc = EXIT_FAIL;
        }
        ids[i] = (int64_t)v;
    }
    if (!rc && (st = mlc_predefined_split_new(ids, n, out)))
        rc = cli_fail(o->fold_file, st);
    free(ids);
    mlc_table_clear(&t);
    return rc;
}

/* The splitter the options ask for (NULL *out = the library's default). */
static int make_splitter(const cli_opts *o, mlc_task task, size_t n, mlc_splitter **out)
{
    *out = NULL;
    if (o->fold_file)
        return explicit_folds(o, n, out);
    if (o->seed_set && !o->shuffle && (!o->splitter || strstr(o->splitter, "kfold")))
        return cli_usage_error("--seed needs --shuffle (as scikit-learn's KFold)");
    int64_t seed = o->seed_set ? o->seed : -1;
    const char *name = o->splitter;
    if (!name)
        name = task == MLC_TASK_CLASSIFIER ? "stratified_kfold" : "kfold";
    double test = o->test_size > 0 ? o->test_size : NAN;
    int st;
    if (!strcmp(name, "kfold"))
        st = mlc_kfold_new((size_t)o->folds, o->shuffle, o->shuffle ? seed : -1, out);
    else if (!strcmp(name, "stratified_kfold"))
        st = mlc_stratified_kfold_new((size_t)o->folds, o->shuffle, o->shuffle ? seed : -1, out);
    else if (!strcmp(name, "shuffle_split"))
        st = mlc_shuffle_split_new((size_t)o->folds, test, NAN, seed, out);
    else if (!strcmp(name, "stratified_shuffle_split"))
        st = mlc_stratified_shuffle_split_new((size_t)o->folds, test, NAN, seed, out);
    else if (!strcmp(name, "leave_one_out"))
        st = mlc_leave_one_out_new(out);
    else
        return cli_usage_error("unknown splitter '%s'; use kfold, stratified_kfold, "
                               "shuffle_split, stratified_shuffle_split or leave_one_out",
                               name);
    if (st == MLC_EINVAL)
        return cli_usage_error("%s", mlc_last_error_message());
    return st ? cli_fail(name, st) : EXIT_OK;
}

static int check_metrics(const cli_opts *o)
{
    for (int m = 0; m < o->n_metrics; m++)
        if (mlc_scorer_check(o->metrics[m]))
            return cli_usage_error("%s (see: mlcore metrics)", mlc_last_error_message());
    return EXIT_OK;
}

/* Mean and population standard deviation; NaN when a value is (as numpy). */
static void mean_std(const double *v, size_t n, double *mean, double *std)
{
    double s = 0, q = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    *mean = s / (double)n;
    for (size_t i = 0; i < n; i++)
        q += (v[i] - *mean) * (v[i] - *mean);
    *std = sqrt(q / (double)n);
}

/* A number, or null where JSON has none (NaN, infinities). */
static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *doubles_json(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, real_or_null(v[i]));
    return a;
}

/* A scorer that is NaN on some folds: scikit-learn's UserWarning ("Scoring
 * failed" / "One or more of the test scores are non-finite"). */
static void warn_nan_folds(json_t *warnings, const char *scorer, const double *v, size_t n,
                           const int *fold_status)
{
    size_t bad = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        bad += isnan(v[i]) != 0;
        failed += isnan(v[i]) && fold_status && fold_status[i] != MLC_OK;
    }
    if (bad == 0)
        return;
    cli_warn(warnings,
             "%s is NaN on %zu of %zu folds%s; its mean and std are NaN (null in JSON): "
             "check the folds' data, or choose another scorer",
             scorer, bad, n, failed ? " (the fit or the scorer failed there)" : "");
}

/* What cv and grid share: the estimator with its fixed parameters, the data. */
typedef struct experiment {
    mlc_estimator *e;
    mlc_dataset ds;
    mlc_matrix Y;
    mlc_fit_data data;
    mlc_splitter *cv;
    int have_data;
} experiment;

static void experiment_clear(experiment *x)
{
    mlc_splitter_free(x->cv);
    if (x->have_data)
        mlc_dataset_clear(&x->ds);
    mlc_estimator_free(x->e);
}

/* grid: the parameters are the grid's (their values are lists), not set here. */
static int experiment_load(const cli_opts *o, int grid, experiment *x)
{
    if (!o->positional)
        return cli_usage_error("%s needs an estimator name (see: mlcore estimators)", o->command);
    int st = mlc_estimator_new(o->positional, &x->e);
    if (st)
        return cli_usage_error("%s", mlc_last_error_message());
    int rc = EXIT_OK;
    if (!grid) {
        rc = cli_apply_params(o, x->e);
    } else if (o->threads > 0) {
        mlc_estimator_set_threads(x->e, (int)o->threads);
    }
    if (!rc)
        rc = check_metrics(o);
    if (!rc)
        rc = cli_load_data(o, &x->ds);
    if (rc)
        return rc;
    x->have_data = 1;
    mlc_task task = mlc_estimator_task(x->e);
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    if (supervised && !x->ds.y)
        return cli_usage_error("%s is a %s and needs a target (--target COL)", o->positional,
                               mlc_task_name(task));
    x->Y = x->ds.y ? mlc_matrix_wrap(x->ds.y, x->ds.X.rows, 1, 0) : (mlc_matrix){0};
    x->data.X = &x->ds.X;
    x->data.Y = x->ds.y ? &x->Y : NULL;
    return make_splitter(o, task, x->ds.X.rows, &x->cv);
}

/* The head of cv's and grid's JSON: the command, the estimator, the data. */
static json_t *experiment_json(const cli_opts *o, const experiment *x, const char *command,
                               size_t n_splits)
{
    json_t *j = json_object();
    json_object_set_new(j, "command", json_string(command));
    json_object_set_new(j, "estimator", json_string(o->positional));
    json_object_set_new(j, "data", json_string(o->data));
    json_object_set_new(j, "n_samples", json_integer((json_int_t)x->ds.X.rows));
    json_object_set_new(j, "n_features", json_integer((json_int_t)x->ds.X.cols));
    json_object_set_new(j, "n_splits", json_integer((json_int_t)n_splits));
    return j;
}

/* experiment_load into a zeroed x, which is cleared again on failure. */
static int experiment_open(const cli_opts *o, int grid, experiment *x)
{
    memset(x, 0, sizeof *x);
    int rc = experiment_load(o, grid, x);
    if (rc)
        experiment_clear(x);
    return rc;
}

int cmd_cv(const cli_opts *o)
{
    experiment x;
    int rc = experiment_open(o, 0, &x);
    if (rc)
        return rc;
    mlc_cv_options opt = mlc_cv_options_default();
    opt.cv = x.cv;
    opt.scoring = o->n_metrics ? o->metrics : NULL;
    opt.n_scoring = (size_t)o->n_metrics;
    opt.n_threads = (int)o->threads;
    mlc_cv_results r;
    char line[128];
    snprintf(line, sizeof line, "cross-validating %s on %zu x %zu ...", o->positional,
             x.ds.X.rows, x.ds.X.cols);
    cli_progress pg;
    cli_progress_attach(o, x.e, &pg);
    cli_progress_note(&pg, line);
    double t0 = cli_now();
    int st = mlc_cross_validate_data(x.e, &x.data, &opt, &r);
    double total = cli_now() - t0;
    cli_progress_clear(&pg);
    mlc_estimator_set_progress(x.e, NULL, NULL);
    if (st) {
        rc = st == MLC_EINVAL ? cli_usage_error("%s", mlc_last_error_message())
             : st == MLC_EUNSUPPORTED
                 ? cli_usage_error("cv %s: %s (see: mlcore metrics)", o->positional,
                                   mlc_last_error_message())
                 : cli_fail("cv", st);
        experiment_clear(&x);
        return rc;
    }
    json_t *warnings = json_array();
    for (size_t s = 0; s < r.n_scorers; s++)
        warn_nan_folds(warnings, r.scorer_names[s], r.test_scores + s * r.n_splits, r.n_splits,
                       r.fold_status);
    if (!o->quiet) {
        fprintf(stderr, "cv %s on %s: %zu samples x %zu features, %zu folds (%s), %.4g s\n",
                o->positional, o->data, x.ds.X.rows, x.ds.X.cols, r.n_splits,
                o->fold_file ? "given folds" : mlc_splitter_name(x.cv) ? mlc_splitter_name(x.cv) : "default",
                total);
        for (size_t s = 0; s < r.n_scorers; s++) {
            double mean, std;
            mean_std(r.test_scores + s * r.n_splits, r.n_splits, &mean, &std);
            fprintf(stderr, "  %-28s %.6f ± %.6f  [", r.scorer_names[s], mean, std);
            for (size_t i = 0; i < r.n_splits; i++)
                fprintf(stderr, "%s%.6f", i ? " " : "", r.test_scores[s * r.n_splits + i]);
            fprintf(stderr, "]\n");
        }
    }
    if (o->json) {
        json_t *j = experiment_json(o, &x, "cv", r.n_splits);
        json_object_set_new(j, "params", cli_params_json(x.e));
        json_t *scores = json_object();
        for (size_t s = 0; s < r.n_scorers; s++) {
            double mean, std;
            const double *v = r.test_scores + s * r.n_splits;
            mean_std(v, r.n_splits, &mean, &std);
            json_t *one = json_object();
            json_object_set_new(one, "test_scores", doubles_json(v, r.n_splits));
            json_object_set_new(one, "mean", real_or_null(mean));
            json_object_set_new(one, "std", real_or_null(std));
            json_object_set_new(scores, r.scorer_names[s], one);
        }
        json_object_set_new(j, "scores", scores);
        json_object_set_new(j, "fit_time", doubles_json(r.fit_time, r.n_splits));
        json_object_set_new(j, "score_time", doubles_json(r.score_time, r.n_splits));
        json_object_set_new(j, "total_time", json_real(total));
        json_object_set(j, "warnings", warnings);
        cli_print_json(j);
        json_decref(j);
    }
    json_decref(warnings);
    mlc_cv_results_clear(&r);
    experiment_clear(&x);
    return EXIT_OK;
}

/* Split "a,b,c" into values (pointers into a copy kept in *storage). */
static size_t split_values(const char *text, char **storage, const char ***values)
{
    *storage = strdup(text);
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    *values = calloc(n, sizeof **values);
    if (!*storage || !*values)
        return 0;
    size_t k = 0;
    for (char *tok = strtok(*storage, ","); tok; tok = strtok(NULL, ","))
        (*values)[k++] = tok;
    return k;
}

int cmd_grid(const cli_opts *o)
{
    experiment x;
    int rc = experiment_open(o, 1, &x);
    if (rc)
        return rc;
    if (o->n_params == 0) {
        experiment_clear(&x);
        return cli_usage_error("grid needs at least one --PARAM V1,V2,...");
    }
    mlc_grid_param grid[64];
    char *storage[64] = {0};
    const char **values[64] = {0};
    for (int i = 0; i < o->n_params; i++) {
        grid[i].name = o->param_names[i];
        grid[i].n_values = split_values(o->param_values[i], &storage[i], &values[i]);
        grid[i].values = values[i];
        if (grid[i].n_values == 0)
            rc = cli_usage_error("--%s needs one or more comma-separated values",
                                 o->param_names[i]);
    }
    mlc_grid_options opt = mlc_grid_options_default();
    opt.cv.cv = x.cv;
    opt.cv.scoring = o->n_metrics ? o->metrics : NULL;
    opt.cv.n_scoring = (size_t)o->n_metrics;
    opt.cv.n_threads = (int)o->threads;
    mlc_grid_results r;
    memset(&r, 0, sizeof r);
    double total = 0;
    if (!rc) {
        cli_progress pg;
        cli_progress_attach(o, x.e, &pg);
        cli_progress_note(&pg, "grid search running ...");
        double t0 = cli_now();
        int st = mlc_grid_search(x.e, grid, (size_t)o->n_params, &x.data, &opt, &r);
        total = cli_now() - t0;
        cli_progress_clear(&pg);
        mlc_estimator_set_progress(x.e, NULL, NULL);
        if (r.best_estimator)
            mlc_estimator_set_progress(r.best_estimator, NULL, NULL);
        if (st == MLC_ENOTFOUND || st == MLC_EINVAL)
            rc = cli_usage_error("%s (see: mlcore estimators %s)", mlc_last_error_message(),
                                 o->positional);
        else if (st == MLC_EUNSUPPORTED)
            rc = cli_usage_error("grid %s: %s (see: mlcore metrics)", o->positional,
                                 mlc_last_error_message());
        else if (st)
            rc = cli_fail("grid", st);
    }
    json_t *warnings = json_array();
    for (size_t c = 0; !rc && c < r.n_candidates; c++) {
        size_t at = r.refit_scorer * r.n_candidates + c;
        char what[256];
        int len = snprintf(what, sizeof what, "%s of", r.scorer_names[r.refit_scorer]);
        for (size_t p = 0; p < r.n_params && len > 0 && (size_t)len < sizeof what; p++)
            len += snprintf(what + len, sizeof what - (size_t)len, " %s=%s", r.param_names[p],
                            r.param_values[c * r.n_params + p]);
        warn_nan_folds(warnings, what, r.split_test_scores + at * r.n_splits, r.n_splits,
                       NULL);
    }
    if (!rc && r.best_estimator)
        rc = cli_record_names(o, r.best_estimator, &x.ds);
    if (!rc && r.best_estimator) /* the refit's own warnings */
        cli_model_warnings(r.best_estimator, warnings);
    if (!rc && o->model && r.best_estimator)
        rc = cli_save_model(r.best_estimator, o->model);
    if (!rc && !o->quiet) {
        size_t s = r.refit_scorer;
        fprintf(stderr, "grid %s on %s: %zu candidates x %zu folds in %.4g s (ranked by %s)\n",
                o->positional, o->data, r.n_candidates, r.n_splits, total,
                r.scorer_names[s]);
        for (size_t c = 0; c < r.n_candidates; c++) {
            fprintf(stderr, "  rank %-3d %.6f ± %.6f ",
                    r.rank_test_score[s * r.n_candidates + c],
                    r.mean_test_score[s * r.n_candidates + c],
                    r.std_test_score[s * r.n_candidates + c]);
            for (size_t p = 0; p < r.n_params; p++)
                fprintf(stderr, " %s=%s", r.param_names[p], r.param_values[c * r.n_params + p]);
            fputc('\n', stderr);
        }
        fprintf(stderr, "  best:");
        for (size_t p = 0; p < r.n_params; p++)
            fprintf(stderr, " %s=%s", r.param_names[p],
                    r.param_values[r.best_index * r.n_params + p]);
        fprintf(stderr, " (score %.6f)\n", r.best_score);
        if (o->model)
            fprintf(stderr, "  best model refit on all data, written to %s\n", o->model);
    }
    if (!rc && o->json) {
        json_t *j = experiment_json(o, &x, "grid", r.n_splits);
        json_object_set_new(j, "scoring", json_string(r.scorer_names[r.refit_scorer]));
        json_t *cands = json_array();
        size_t s = r.refit_scorer;
        for (size_t c = 0; c < r.n_candidates; c++) {
            json_t *params = json_object();
            for (size_t p = 0; p < r.n_params; p++)
                json_object_set_new(params, r.param_names[p],
                                    json_string(r.param_values[c * r.n_params + p]));
            size_t at = s * r.n_candidates + c;
            json_t *one = json_object();
            json_object_set_new(one, "params", params);
            json_object_set_new(one, "mean_test_score", real_or_null(r.mean_test_score[at]));
            json_object_set_new(one, "std_test_score", real_or_null(r.std_test_score[at]));
            json_object_set_new(one, "rank_test_score", json_integer(r.rank_test_score[at]));
            json_object_set_new(one, "split_test_scores",
                                doubles_json(r.split_test_scores + at * r.n_splits, r.n_splits));
            json_object_set_new(one, "mean_fit_time", real_or_null(r.mean_fit_time[c]));
            json_array_append_new(cands, one);
        }
        json_object_set_new(j, "candidates", cands);
        json_t *best = json_object();
        for (size_t p = 0; p < r.n_params; p++)
            json_object_set_new(best, r.param_names[p],
                                json_string(r.param_values[r.best_index * r.n_params + p]));
        json_object_set_new(j, "best_params", best);
        json_object_set_new(j, "best_score", real_or_null(r.best_score));
        json_object_set_new(j, "best_index", json_integer((json_int_t)r.best_index));
        json_object_set_new(j, "total_time", json_real(total));
        json_object_set_new(j, "model", o->model ? json_string(o->model) : json_null());
        json_object_set(j, "warnings", warnings);
        cli_print_json(j);
        json_decref(j);
    }
    json_decref(warnings);
    mlc_grid_results_clear(&r);
    for (int i = 0; i < o->n_params; i++) {
        free(storage[i]);
        free(values[i]);
    }
    experiment_clear(&x);
    return rc;
}
