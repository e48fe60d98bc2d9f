/* Grid search: every combination of text parameter values (scikit-learn's
 * ParameterGrid order), cross-validated through the shared engine, ranked as
 * GridSearchCV ranks (rankdata(-mean, "min"), NaN worst), best candidate
 * refit on all the data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/thread_scope.h"
#include "cv_engine.h"
#include "registry/estimator_impl.h"
#include "metrics/metrics_util.h"

mlc_grid_options mlc_grid_options_default(void)
{
    mlc_grid_options o = {mlc_cv_options_default(), NULL, 1};
    return o;
}

void mlc_grid_results_clear(mlc_grid_results *r)
{
    if (!r)
        return;
    if (r->param_names)
        for (size_t j = 0; j < r->n_params; j++)
            free(r->param_names[j]);
    if (r->param_values)
        for (size_t i = 0; i < r->n_candidates * r->n_params; i++)
            free(r->param_values[i]);
    if (r->scorer_names)
        for (size_t s = 0; s < r->n_scorers; s++)
            free(r->scorer_names[s]);
    free(r->param_names);
    free(r->param_values);
    free(r->scorer_names);
    free(r->mean_fit_time);
    free(r->std_fit_time);
    free(r->mean_score_time);
    free(r->std_score_time);
    free(r->split_test_scores);
    free(r->mean_test_score);
    free(r->std_test_score);
    free(r->rank_test_score);
    free(r->split_train_scores);
    free(r->mean_train_score);
    free(r->std_train_score);
    mlc_estimator_free(r->best_estimator);
    memset(r, 0, sizeof *r);
}

const char *mlc_grid_best_param(const mlc_grid_results *r, const char *name)
{
    if (!r || !name || !r->param_values)
        return NULL;
    for (size_t j = 0; j < r->n_params; j++)
        if (strcmp(r->param_names[j], name) == 0)
            return r->param_values[r->best_index * r->n_params + j];
    return NULL;
}

static int check_grid(const mlc_estimator *e, const mlc_grid_param *grid, size_t n_grid,
                      size_t *n_candidates)
{
    if (!grid || n_grid == 0)
        return mlc_raise(MLC_EINVAL, "the parameter grid is empty");
    size_t count = 1;
    for (size_t j = 0; j < n_grid; j++) {
        if (!grid[j].name || !grid[j].values || grid[j].n_values == 0)
            return mlc_raise(MLC_EINVAL, "grid parameter %zu needs a name and at least one value",
                             j);
        for (size_t k = 0; k < j; k++)
            if (strcmp(grid[k].name, grid[j].name) == 0)
                return mlc_raise(MLC_EINVAL, "parameter '%s' appears twice in the grid",
                                 grid[j].name);
        if (count > SIZE_MAX / grid[j].n_values)
            return mlc_raise(MLC_ERANGE, "the grid has too many combinations");
        count *= grid[j].n_values;
    }
    /* Every value is checked against the estimator's table before any fit. */
    mlc_estimator *scratch;
    int st = mlc_estimator_clone(e, &scratch);
    for (size_t j = 0; j < n_grid && !st; j++)
        for (size_t v = 0; v < grid[j].n_values && !st; v++)
            st = mlc_estimator_set(scratch, grid[j].name, grid[j].values[v]);
    mlc_estimator_free(scratch);
    *n_candidates = count;
    return st;
}

static int cmp_param(const void *a, const void *b)
{
    return strcmp(((const mlc_grid_param *)a)->name, ((const mlc_grid_param *)b)->name);
}

/* Value index of parameter j in candidate c: the last parameter varies fastest. */
static size_t value_index(const mlc_grid_param *sorted, size_t n_params, size_t c, size_t j)
{
    for (size_t k = n_params; k-- > j + 1;)
        c /= sorted[k].n_values;
    return c % sorted[j].n_values;
}

/* Mean and (population) standard deviation of k values, NumPy's way. */
static void mean_std(const double *x, size_t k, double *tmp, double *mean, double *std)
{
    double m = mlc_sum_pairwise(x, k) / (double)k;
    for (size_t i = 0; i < k; i++)
        tmp[i] = (x[i] - m) * (x[i] - m);
    *mean = m;
    *std = sqrt(mlc_sum_pairwise(tmp, k) / (double)k);
}

/* rankdata(-means, "min") with NaN ranked below every number (GridSearchCV). */
static void rank_min(const double *means, size_t n, int32_t *rank)
{
    int all_nan = 1;
    double lowest = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!isnan(means[i])) {
            all_nan = 0;
            lowest = means[i] < lowest ? means[i] : lowest;
        }
    for (size_t i = 0; i < n; i++) {
        if (all_nan) {
            rank[i] = 1;
            continue;
        }
        double vi = isnan(means[i]) ? lowest - 1 : means[i];
        int32_t r = 1;
        for (size_t j = 0; j < n; j++) {
            double vj = isnan(means[j]) ? lowest - 1 : means[j];
            r += vj > vi;
        }
        rank[i] = r;
    }
}

static int alloc_results(mlc_grid_results *r, int train)
{
    size_t c = r->n_candidates, k = r->n_splits, m = r->n_scorers;
    r->param_names = calloc(r->n_params, sizeof *r->param_names);
    r->param_values = calloc(c * r->n_params, sizeof *r->param_values);
    r->scorer_names = calloc(m, sizeof *r->scorer_names);
    r->mean_fit_time = malloc(c * sizeof(double));
    r->std_fit_time = malloc(c * sizeof(double));
    r->mean_score_time = malloc(c * sizeof(double));
    r->std_score_time = malloc(c * sizeof(double));
    r->split_test_scores = malloc(m * c * k * sizeof(double));
    r->mean_test_score = malloc(m * c * sizeof(double));
    r->std_test_score = malloc(m * c * sizeof(double));
    r->rank_test_score = malloc(m * c * sizeof(int32_t));
    int ok = r->param_names && r->param_values && r->scorer_names && r->mean_fit_time &&
             r->std_fit_time && r->mean_score_time && r->std_score_time && r->split_test_scores &&
             r->mean_test_score && r->std_test_score && r->rank_test_score;
    if (train) {
        r->split_train_scores = malloc(m * c * k * sizeof(double));
        r->mean_train_score = malloc(m * c * sizeof(double));
        r->std_train_score = malloc(m * c * sizeof(double));
        ok = ok && r->split_train_scores && r->mean_train_score && r->std_train_score;
    }
    return ok ? MLC_OK : mlc_raise_nomem("grid search results");
}

/* Per-candidate means, deviations and ranks of split scores laid out
 * [scorer][candidate][split]. */
static void summarize(const double *split, size_t m, size_t c, size_t k, double *tmp,
                      double *mean, double *std, int32_t *rank)
{
    for (size_t s = 0; s < m; s++) {
        for (size_t i = 0; i < c; i++)
            mean_std(split + (s * c + i) * k, k, tmp, &mean[s * c + i], &std[s * c + i]);
        if (rank)
            rank_min(mean + s * c, c, rank + s * c);
    }
}

static int grid_search(const mlc_estimator *e, const mlc_grid_param *grid, size_t n_grid,
                       const mlc_fit_data *data, const mlc_grid_options *opt, mlc_grid_results *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the results output must not be NULL");
    memset(out, 0, sizeof *out);
    if (!e || !data)
        return mlc_raise(MLC_EINVAL, "estimator and data must not be NULL");
    mlc_grid_options o = opt ? *opt : mlc_grid_options_default();
    size_t c = 0;
    int st = check_grid(e, grid, n_grid, &c);
    if (st)
        return st;
    size_t refit = 0;
    if (o.refit) {
        refit = SIZE_MAX;
        for (size_t s = 0; s < o.cv.n_scoring && o.cv.scoring; s++)
            if (o.cv.scoring[s] && strcmp(o.cv.scoring[s], o.refit) == 0)
                refit = s;
        if (refit == SIZE_MAX)
            return mlc_raise(MLC_ENOTFOUND, "refit names '%s', which is not one of the scorers",
                             o.refit);
    }
    const char *ranking = o.cv.n_scoring && o.cv.scoring ? o.cv.scoring[refit] : NULL;
    if (ranking && mlc_scorer_lower_is_better(ranking))
        return mlc_raise(MLC_EINVAL, "grid search ranks by greater scores, and %s is lower "
                                     "when better: rank by neg_%s",
                         ranking, ranking);
    mlc_grid_param *sorted = malloc(n_grid * sizeof *sorted);
    mlc_estimator **protos = calloc(c, sizeof *protos);
    double *fit_time = malloc(c * sizeof *fit_time), *score_time = NULL, *tmp = NULL;
    int *status = NULL;
    mlc_cv_setup setup = {0};
    if (!sorted || !protos || !fit_time) {
        st = mlc_raise_nomem("grid search");
        goto done;
    }
    memcpy(sorted, grid, n_grid * sizeof *sorted);
    qsort(sorted, n_grid, sizeof *sorted, cmp_param);
    for (size_t i = 0; i < c && !st; i++) {
        st = mlc_estimator_clone(e, &protos[i]);
        for (size_t j = 0; j < n_grid && !st; j++)
            st = mlc_estimator_set(protos[i], sorted[j].name,
                                   sorted[j].values[value_index(sorted, n_grid, i, j)]);
    }
    if (st || (st = mlc_cv_setup_init(e, data, &o.cv, &setup)))
        goto done;
    out->n_candidates = c;
    out->n_params = n_grid;
    out->n_splits = mlc_splitter_n_splits(setup.cv);
    out->n_scorers = setup.n_scorers;
    out->refit_scorer = refit;
    size_t k = out->n_splits, m = out->n_scorers;
    free(fit_time);
    fit_time = malloc(c * k * sizeof *fit_time);
    score_time = malloc(c * k * sizeof *score_time);
    status = malloc(c * k * sizeof *status);
    tmp = malloc((k > c ? k : c) * sizeof *tmp);
    double *test = malloc(c * m * k * sizeof *test);
    double *train = o.cv.return_train_score ? malloc(c * m * k * sizeof *train) : NULL;
    if (!fit_time || !score_time || !status || !tmp || !test ||
        (o.cv.return_train_score && !train) || alloc_results(out, o.cv.return_train_score)) {
        free(test);
        free(train);
        st = mlc_raise_nomem("grid search");
        goto done;
    }
    mlc_progress_ctx progress;
    mlc_estimator_progress_init(e, &progress);
    st = mlc_cv_run(&setup, &o.cv, (const mlc_estimator *const *)protos, c, &progress, fit_time,
                    score_time, test, train, status);
    if (st) {
        free(test);
        free(train);
        goto done;
    }
    /* Engine layout [candidate][scorer][split] -> results [scorer][candidate][split]. */
    for (size_t i = 0; i < c; i++)
        for (size_t s = 0; s < m; s++) {
            memcpy(out->split_test_scores + (s * c + i) * k, test + (i * m + s) * k,
                   k * sizeof *test);
            if (train)
                memcpy(out->split_train_scores + (s * c + i) * k, train + (i * m + s) * k,
                       k * sizeof *train);
        }
    free(test);
    free(train);
    for (size_t i = 0; i < c; i++) {
        mean_std(fit_time + i * k, k, tmp, &out->mean_fit_time[i], &out->std_fit_time[i]);
        mean_std(score_time + i * k, k, tmp, &out->mean_score_time[i], &out->std_score_time[i]);
    }
    summarize(out->split_test_scores, m, c, k, tmp, out->mean_test_score, out->std_test_score,
              out->rank_test_score);
    if (out->split_train_scores)
        summarize(out->split_train_scores, m, c, k, tmp, out->mean_train_score,
                  out->std_train_score, NULL);
    for (size_t j = 0; j < n_grid && !st; j++)
        if (!(out->param_names[j] = strdup(sorted[j].name)))
            st = mlc_raise_nomem("grid search results");
    for (size_t i = 0; i < c && !st; i++)
        for (size_t j = 0; j < n_grid && !st; j++)
            if (!(out->param_values[i * n_grid + j] =
                      strdup(sorted[j].values[value_index(sorted, n_grid, i, j)])))
                st = mlc_raise_nomem("grid search results");
    for (size_t s = 0; s < m && !st; s++)
        if (!(out->scorer_names[s] = strdup(o.cv.n_scoring ? o.cv.scoring[s] : "score")))
            st = mlc_raise_nomem("grid search results");
    if (st)
        goto done;
    /* best_index_ = argmin of the refit scorer's rank: the first ranked 1. */
    const int32_t *rank = out->rank_test_score + refit * c;
    out->best_index = 0;
    for (size_t i = 1; i < c; i++)
        if (rank[i] < rank[out->best_index])
            out->best_index = i;
    out->best_score = out->mean_test_score[refit * c + out->best_index];
    if (o.refit_best) {
        double t0 = mlc_cv_now();
        st = mlc_estimator_clone(protos[out->best_index], &out->best_estimator);
        mlc_fit_data all = *data;
        if (!setup.supervised)
            all.Y = NULL; /* unsupervised estimators are fitted without y, as in the folds */
        mlc_progress_stage(&progress, 0, "refit", 0, 0);
        if (!st)
            st = mlc_estimator_fit_within(out->best_estimator, &all, &progress);
        out->refit_time = mlc_cv_now() - t0;
    }
done:
    if (protos)
        for (size_t i = 0; i < c; i++)
            mlc_estimator_free(protos[i]);
    free(protos);
    free(sorted);
    free(fit_time);
    free(score_time);
    free(status);
    free(tmp);
    mlc_cv_setup_clear(&setup);
    if (st)
        mlc_grid_results_clear(out);
    return st;
}

int mlc_grid_search(const mlc_estimator *e, const mlc_grid_param *grid, size_t n_grid,
                    const mlc_fit_data *data, const mlc_grid_options *opt, mlc_grid_results *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, grid_search(e, grid, n_grid, data, opt, out));
}
