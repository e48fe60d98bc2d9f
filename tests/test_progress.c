/* Progress callbacks (mlc_estimator_set_progress): every iterative estimator
 * of the registry reports, on the calling thread only, with iterations
 * that increase along a solver run; a callback changes no bit of a fit; a
 * callback that asks to stop ends the fit with MLC_EINTERRUPTED and leaves
 * the estimator as it was; cross-validation and grid search pass it on.
 * The estimators come from the registry, so one added later is covered
 * without touching this file. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry/estimator_impl.h"
#include "test_util.h"

/* ------------------------------------------------------------ recording */

#define MAX_CALLS 4096

typedef struct call {
    int64_t iter, max_iter;
    double measure, fraction, elapsed;
    char stage[160], measure_name[32], estimator[64];
} call;

/* What a callback saw. stop_at: return 1 at this call (1 = the first), 0
 * never. */
typedef struct recorder {
    pthread_t thread; /* the thread that must make every call */
    int stop_at;
    int n, wrong_thread, bad_fields;
    call calls[MAX_CALLS];
} recorder;

static void recorder_init(recorder *r, int stop_at)
{
    memset(r, 0, sizeof *r);
    r->thread = pthread_self();
    r->stop_at = stop_at;
}

static int record(const mlc_progress *p, void *user)
{
    recorder *r = user;
    if (!pthread_equal(pthread_self(), r->thread))
        r->wrong_thread++;
    if (!p->estimator || !p->stage || !p->stage[0] || !p->measure_name || p->iter < 0 ||
        p->max_iter < 0 || !(p->fraction == -1.0 || (p->fraction >= 0.0 && p->fraction <= 1.0)) ||
        !(p->elapsed >= 0.0))
        r->bad_fields++;
    if (r->n < MAX_CALLS) {
        call *c = &r->calls[r->n];
        c->iter = p->iter;
        c->max_iter = p->max_iter;
        c->measure = p->measure;
        c->fraction = p->fraction;
        c->elapsed = p->elapsed;
        snprintf(c->stage, sizeof c->stage, "%s", p->stage ? p->stage : "");
        snprintf(c->measure_name, sizeof c->measure_name, "%s",
                 p->measure_name ? p->measure_name : "");
        snprintf(c->estimator, sizeof c->estimator, "%s", p->estimator ? p->estimator : "");
    }
    r->n++;
    return r->stop_at > 0 && r->n >= r->stop_at;
}

/* Did any call's stage contain `text`? */
static int some_stage_has(const recorder *r, const char *text)
{
    for (int i = 0; i < r->n && i < MAX_CALLS; i++)
        if (strstr(r->calls[i].stage, text))
            return 1;
    return 0;
}

/* Along one solver run (the same stage and measure) the iterations go up,
 * and the elapsed time never goes back. */
static void check_sequence(const recorder *r, const char *name)
{
    ck_assert_msg(r->wrong_thread == 0, "%s: %d call(s) on another thread", name,
                  r->wrong_thread);
    ck_assert_msg(r->bad_fields == 0, "%s: %d call(s) with bad fields", name, r->bad_fields);
    for (int i = 1; i < r->n && i < MAX_CALLS; i++) {
        const call *a = &r->calls[i - 1], *b = &r->calls[i];
        ck_assert_msg(b->elapsed >= a->elapsed, "%s: elapsed went back", name);
        if (strcmp(a->stage, b->stage) == 0 && strcmp(a->measure_name, b->measure_name) == 0)
            ck_assert_msg(b->iter > a->iter, "%s: at %s iteration %lld after %lld", name,
                          b->stage, (long long)b->iter, (long long)a->iter);
    }
}

/* ------------------------------------------------------------------ data */

/* A deterministic uniform value in [0, 1) for cell (i, j) (splitmix64). */
static double cell_uniform(size_t i, size_t j, uint64_t salt)
{
    uint64_t z = (uint64_t)(i * 1000 + j + 1 + salt * 7919) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* Three overlapping groups in p dimensions: labels 0/1/2 that no plane
 * separates cleanly (every solver needs some iterations), a noisy linear
 * response for regressors. */
typedef struct problem {
    mlc_matrix X;
    double *labels, *target;
} problem;

static problem make_problem(size_t n, size_t p, uint64_t salt)
{
    problem pb;
    ck_assert_int_eq(mlc_matrix_alloc(&pb.X, n, p), MLC_OK);
    pb.labels = malloc(n * sizeof *pb.labels);
    pb.target = malloc(n * sizeof *pb.target);
    ck_assert(pb.labels && pb.target);
    for (size_t i = 0; i < n; i++) {
        size_t g = i % 3;
        double v = 0.0;
        for (size_t j = 0; j < p; j++) {
            double x = 2.0 * cell_uniform(i, j, salt) - 1.0 + (j == g % p ? 0.8 : 0.0);
            MLC_AT(&pb.X, i, j) = x;
            v += (double)(j + 1) * x;
        }
        /* one label in five flipped: overlap */
        pb.labels[i] = (double)(cell_uniform(i, p, salt) < 0.2 ? (g + 1) % 3 : g);
        pb.target[i] = v + 0.3 * (cell_uniform(i, p + 1, salt) - 0.5);
    }
    return pb;
}

static void problem_clear(problem *pb)
{
    mlc_matrix_clear(&pb->X);
    free(pb->labels);
    free(pb->target);
}

static int has_param(const char *name, const char *param)
{
    for (size_t i = 0; mlc_registry_param(name, i); i++)
        if (strcmp(mlc_registry_param(name, i)->name, param) == 0)
            return 1;
    return 0;
}

/* A deterministic estimator: seeded, three clusters or components. */
static mlc_estimator *new_estimator(const char *name)
{
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_new(name, &e), MLC_OK);
    if (has_param(name, "random_state"))
        ck_assert_int_eq(mlc_estimator_set(e, "random_state", "0"), MLC_OK);
    if (has_param(name, "n_clusters"))
        ck_assert_int_eq(mlc_estimator_set(e, "n_clusters", "3"), MLC_OK);
    if (has_param(name, "n_components"))
        ck_assert_int_eq(mlc_estimator_set(e, "n_components", "3"), MLC_OK);
    return e;
}

static const double *y_for(const mlc_estimator *e, const problem *pb)
{
    mlc_task t = mlc_estimator_task(e);
    return t == MLC_TASK_CLASSIFIER ? pb->labels : t == MLC_TASK_REGRESSOR ? pb->target : NULL;
}

static int fit(mlc_estimator *e, const problem *pb)
{
    return mlc_estimator_fit(e, &pb->X, y_for(e, pb));
}

/* An estimator with an n_iter_ attribute runs a solver: it must report. */
static int is_iterative(const mlc_estimator *e)
{
    mlc_attribute a;
    return mlc_estimator_attribute(e, "n_iter_", &a) == MLC_OK;
}

/* Every attribute of two fitted estimators, bit for bit. */
static void assert_same_fit(const mlc_estimator *a, const mlc_estimator *b, const char *what)
{
    size_t n = mlc_estimator_attributes(a, NULL, 0);
    ck_assert_msg(n > 0 && n == mlc_estimator_attributes(b, NULL, 0), "%s: attribute counts",
                  what);
    mlc_attribute *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
    ck_assert(x && y);
    mlc_estimator_attributes(a, x, n);
    mlc_estimator_attributes(b, y, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(x[i].name, y[i].name);
        size_t size = mlc_attribute_size(&x[i]);
        ck_assert_msg(size == mlc_attribute_size(&y[i]) && x[i].dtype == y[i].dtype,
                      "%s: %s has another shape", what, x[i].name);
        size_t width = x[i].dtype == MLC_DTYPE_I32 ? 4 : 8;
        ck_assert_msg(size == 0 || memcmp(x[i].data, y[i].data, size * width) == 0,
                      "%s: %s differs", what, x[i].name);
    }
    free(x);
    free(y);
}

/* ---------------------------------------------------------- the registry */

/* Each estimator reports (if it iterates) with increasing iterations, on
 * this thread, naming itself. */
START_TEST(every_iterative_estimator_reports)
{
    problem pb = make_problem(240, 5, 1);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    size_t reporting = 0;
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *e = new_estimator(name);
        recorder_init(r, 0);
        ck_assert_int_eq(mlc_estimator_set_progress(e, record, r), MLC_OK);
        mlc_estimator_set_progress_interval(e, 0.0); /* every checkpoint */
        ck_assert_msg(fit(e, &pb) == MLC_OK, "%s: %s", name, mlc_last_error_message());
        check_sequence(r, name);
        if (is_iterative(e))
            ck_assert_msg(r->n >= 1, "%s has n_iter_ but never reported", name);
        for (int c = 0; c < r->n && c < MAX_CALLS; c++)
            ck_assert_str_eq(r->calls[c].estimator, name);
        reporting += r->n > 0;
        mlc_estimator_free(e);
    }
    ck_assert_uint_ge(reporting, 8);
    free(r);
    problem_clear(&pb);
}
END_TEST

/* The same bits with a callback that never stops as without one. */
START_TEST(a_callback_changes_no_bit)
{
    problem pb = make_problem(240, 5, 2);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *plain = new_estimator(name), *watched = new_estimator(name);
        recorder_init(r, 0);
        mlc_estimator_set_progress(watched, record, r);
        mlc_estimator_set_progress_interval(watched, 0.0);
        ck_assert_int_eq(fit(plain, &pb), MLC_OK);
        ck_assert_int_eq(fit(watched, &pb), MLC_OK);
        assert_same_fit(plain, watched, name);
        mlc_estimator_free(plain);
        mlc_estimator_free(watched);
    }
    free(r);
    problem_clear(&pb);
}
END_TEST

/* Stop at the first call: MLC_EINTERRUPTED with a message, the estimator
 * unfitted; refitting a fitted one leaves its fit as it was. Stopping
 * later (the third call) as well. */
static void check_stops(int stop_at)
{
    problem pb = make_problem(240, 5, 3), other = make_problem(240, 5, 4);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *e = new_estimator(name), *before = new_estimator(name);
        recorder_init(r, stop_at);
        mlc_estimator_set_progress(e, record, r);
        mlc_estimator_set_progress_interval(e, 0.0);
        mlc_clear_error();
        int st = fit(e, &pb);
        if (r->n < stop_at) { /* never asked to stop: a closed form, or too few calls */
            ck_assert_msg(st == MLC_OK, "%s: %s", name, mlc_last_error_message());
        } else {
            ck_assert_msg(st == MLC_EINTERRUPTED, "%s: stop at call %d gave %d", name, stop_at,
                          st);
            ck_assert_msg(strstr(mlc_last_error_message(), "stopped by the progress callback"),
                          "%s: message '%s'", name, mlc_last_error_message());
            ck_assert_msg(!mlc_estimator_is_fitted(e), "%s: fitted after a stop", name);
            ck_assert_int_eq(r->n, stop_at); /* no call after the stop */
        }
        /* a fitted estimator keeps its fit */
        mlc_estimator_set_progress(e, NULL, NULL);
        ck_assert_int_eq(fit(e, &pb), MLC_OK);
        ck_assert_int_eq(fit(before, &pb), MLC_OK);
        recorder_init(r, stop_at);
        mlc_estimator_set_progress(e, record, r);
        st = fit(e, &other);
        if (r->n >= stop_at) {
            ck_assert_int_eq(st, MLC_EINTERRUPTED);
            ck_assert(mlc_estimator_is_fitted(e));
            assert_same_fit(before, e, name);
        }
        mlc_estimator_free(e);
        mlc_estimator_free(before);
    }
    free(r);
    problem_clear(&pb);
    problem_clear(&other);
}

START_TEST(stop_at_the_first_call)
{
    check_stops(1);
}
END_TEST

START_TEST(stop_at_the_third_call)
{
    check_stops(3);
}
END_TEST

/* ------------------------------------------------------------ solvers */

/* One SMO run long enough for several checkpoints (every 1024 steps):
 * the gap is reported, iterations go up within the pair. */
START_TEST(smo_reports_within_a_pair)
{
    problem pb = make_problem(900, 3, 5);
    for (size_t i = 0; i < pb.X.rows; i++) /* two classes, one label in three flipped */
        pb.labels[i] = (double)((i % 2) ^ (cell_uniform(i, 9, 5) < 0.33));
    mlc_estimator *e = new_estimator("svc");
    ck_assert_int_eq(mlc_estimator_set(e, "C", "100"), MLC_OK);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    recorder_init(r, 0);
    mlc_estimator_set_progress(e, record, r);
    mlc_estimator_set_progress_interval(e, 0.0);
    ck_assert_int_eq(fit(e, &pb), MLC_OK);
    check_sequence(r, "svc");
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(e, "n_iter_", &a), MLC_OK);
    int64_t n_iter = (int64_t)mlc_attribute_value(&a, 0);
    ck_assert_int_ge(n_iter, 2048); /* the problem is hard enough */
    ck_assert_int_eq(r->n, (int)((n_iter - 1) / 1024 + 1));
    ck_assert_str_eq(r->calls[0].measure_name, "gap");
    ck_assert(r->calls[r->n - 1].iter > 0 && r->calls[r->n - 1].measure > 0.0);
    free(r);
    mlc_estimator_free(e);
    problem_clear(&pb);
}
END_TEST

/* SVC's pairs side by side on threads (digits: 45 pairs): the same bits
 * with a callback, and a stop ends every pair. */
START_TEST(svc_pairs_in_parallel)
{
    mlc_dataset ds;
    ck_assert_int_eq(mlc_load_bundled("digits", &ds), MLC_OK);
    mlc_estimator *plain = new_estimator("svc"), *watched = new_estimator("svc");
    mlc_estimator_set_threads(plain, 2);
    mlc_estimator_set_threads(watched, 2);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    recorder_init(r, 0);
    mlc_estimator_set_progress(watched, record, r);
    mlc_estimator_set_progress_interval(watched, 0.0);
    ck_assert_int_eq(mlc_estimator_fit(plain, &ds.X, ds.y), MLC_OK);
    ck_assert_int_eq(mlc_estimator_fit(watched, &ds.X, ds.y), MLC_OK);
    check_sequence(r, "svc, pairs in parallel");
    ck_assert_int_ge(r->n, 1);
    assert_same_fit(plain, watched, "svc, pairs in parallel");
    /* stopped at the calling thread's first report (it solves pairs too,
     * unless the other thread took them all) */
    mlc_estimator *fresh = new_estimator("svc");
    mlc_estimator_set_threads(fresh, 2);
    recorder_init(r, 1);
    mlc_estimator_set_progress(fresh, record, r);
    mlc_clear_error();
    int st = mlc_estimator_fit(fresh, &ds.X, ds.y);
    ck_assert_int_eq(st, r->n ? MLC_EINTERRUPTED : MLC_OK);
    ck_assert_int_le(r->n, 1);
    ck_assert_int_eq(mlc_estimator_is_fitted(fresh), st == MLC_OK);
    mlc_estimator_free(fresh);
    mlc_estimator_free(plain);
    mlc_estimator_free(watched);
    free(r);
    mlc_dataset_clear(&ds);
}
END_TEST

/* Stages: SVC's pairs, k-means' inits, LassoCV's folds and alphas, with
 * the fraction done growing from stage to stage. */
START_TEST(stages_name_where_the_fit_is)
{
    problem pb = make_problem(240, 5, 6);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    static const struct {
        const char *name, *param, *value, *stage;
    } cases[] = {{"svc", "C", "1", "pair 3/3"},
                 {"svc", "probability", "true", "pair 2/3, probability fold 5/5"},
                 {"kmeans", "n_init", "4", "init 4/4"},
                 {"lasso_cv", "cv", "3", "fold 3/3, alpha 100/100"},
                 {"elastic_net_cv", "l1_ratio", "0.2,0.8", "fold 5/5, l1_ratio 2/2, alpha"},
                 {"gaussian_mixture", "n_init", "2", "init 2/2"},
                 {"linear_svc", "C", "1", "class 3/3"},
                 {"lasso_cv", "cv", "3", "refit"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mlc_estimator *e = new_estimator(cases[c].name);
        ck_assert_int_eq(mlc_estimator_set(e, cases[c].param, cases[c].value), MLC_OK);
        recorder_init(r, 0);
        mlc_estimator_set_progress(e, record, r);
        mlc_estimator_set_progress_interval(e, 0.0);
        ck_assert_int_eq(fit(e, &pb), MLC_OK);
        check_sequence(r, cases[c].name);
        ck_assert_msg(some_stage_has(r, cases[c].stage), "%s: no stage '%s'", cases[c].name,
                      cases[c].stage);
        double last = -1.0;
        for (int i = 0; i < r->n && i < MAX_CALLS; i++)
            if (r->calls[i].fraction >= 0.0) {
                ck_assert_msg(r->calls[i].fraction >= last, "%s: fraction went back",
                              cases[c].name);
                last = r->calls[i].fraction;
            }
        mlc_estimator_free(e);
    }
    free(r);
    problem_clear(&pb);
}
END_TEST

/* Coordinate descent's column form on a team of threads: the calling
 * thread asks, the team stops together (no deadlock), and without a stop
 * the bits are those of a fit without a callback. */
START_TEST(coordinate_descent_team_stops_together)
{
    problem pb = make_problem(8400, 130, 7);
    mlc_estimator *plain = new_estimator("lasso"), *watched = new_estimator("lasso");
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    mlc_estimator *both[2] = {plain, watched};
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(mlc_estimator_set(both[k], "precompute", "false"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(both[k], "alpha", "0.001"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set(both[k], "max_iter", "6"), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set_threads(both[k], 2), MLC_OK);
    }
    recorder_init(r, 0);
    mlc_estimator_set_progress(watched, record, r);
    mlc_estimator_set_progress_interval(watched, 0.0);
    ck_assert_int_eq(fit(plain, &pb), MLC_OK);
    ck_assert_int_eq(fit(watched, &pb), MLC_OK);
    check_sequence(r, "lasso");
    mlc_attribute a;
    ck_assert_int_eq(mlc_estimator_attribute(watched, "n_iter_", &a), MLC_OK);
    ck_assert_int_ge(r->n, 3);
    ck_assert_int_eq(r->n, (int)mlc_attribute_value(&a, 0)); /* one per epoch */
    assert_same_fit(plain, watched, "lasso on a team");
    recorder_init(r, 2);
    ck_assert_status(fit(watched, &pb), MLC_EINTERRUPTED);
    ck_assert_int_eq(r->n, 2);
    assert_same_fit(plain, watched, "lasso kept its fit");
    free(r);
    mlc_estimator_free(plain);
    mlc_estimator_free(watched);
    problem_clear(&pb);
}
END_TEST

/* At the default interval a quick fit reports once (its first
 * checkpoint), and never more often than about every 50 ms. */
START_TEST(default_interval_limits_the_calls)
{
    problem pb = make_problem(240, 5, 8);
    mlc_estimator *e = new_estimator("lasso");
    ck_assert_int_eq(mlc_estimator_set(e, "alpha", "0.0001"), MLC_OK);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    recorder_init(r, 0);
    mlc_estimator_set_progress(e, record, r);
    ck_assert_int_eq(fit(e, &pb), MLC_OK);
    ck_assert_int_ge(r->n, 1);
    ck_assert_int_eq(r->calls[0].iter, 1);
    for (int i = 1; i < r->n && i < MAX_CALLS; i++)
        ck_assert(r->calls[i].elapsed - r->calls[i - 1].elapsed >= 0.05);
    free(r);
    mlc_estimator_free(e);
    problem_clear(&pb);
}
END_TEST

/* --------------------------------------------------- cross-validation */

START_TEST(cross_validation_reports_and_stops)
{
    problem pb = make_problem(240, 5, 9);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    mlc_estimator *e = new_estimator("svc");
    mlc_cv_options o = mlc_cv_options_default(); /* folds in parallel where cores allow */
    mlc_cv_results plain, watched;
    ck_assert_int_eq(mlc_cross_validate(e, &pb.X, pb.labels, &o, &plain), MLC_OK);
    recorder_init(r, 0);
    mlc_estimator_set_progress(e, record, r);
    mlc_estimator_set_progress_interval(e, 0.0);
    ck_assert_int_eq(mlc_cross_validate(e, &pb.X, pb.labels, &o, &watched), MLC_OK);
    check_sequence(r, "svc cv");
    ck_assert_mem_eq(plain.test_scores, watched.test_scores,
                     plain.n_splits * sizeof *plain.test_scores);
    mlc_cv_results_clear(&watched);
    /* folds one after the other: every fold's fit reports on this thread
     * (in parallel the other threads' folds report nothing) */
    o.n_threads = 1;
    recorder_init(r, 0);
    ck_assert_int_eq(mlc_cross_validate(e, &pb.X, pb.labels, &o, &watched), MLC_OK);
    check_sequence(r, "svc cv, one thread");
    ck_assert(some_stage_has(r, "split 1/5, pair 1/3") && some_stage_has(r, "split 5/5, pair 3/3"));
    ck_assert_int_eq(plain.n_splits, watched.n_splits);
    ck_assert_mem_eq(plain.test_scores, watched.test_scores,
                     plain.n_splits * sizeof *plain.test_scores);
    mlc_cv_results_clear(&watched);
    recorder_init(r, 2);
    ck_assert_status(mlc_cross_validate(e, &pb.X, pb.labels, &o, &watched), MLC_EINTERRUPTED);
    ck_assert(strstr(mlc_last_error_message(), "cross-validation stopped"));
    ck_assert_ptr_null(watched.test_scores); /* empty results */
    ck_assert_int_eq(r->n, 2);
    /* in parallel: the folds of the other threads stop too (unless this
     * thread, busy elsewhere, ran no fold and so was never called) */
    o.n_threads = 0;
    recorder_init(r, 1);
    mlc_clear_error();
    int st = mlc_cross_validate(e, &pb.X, pb.labels, &o, &watched);
    ck_assert_int_eq(st, r->n ? MLC_EINTERRUPTED : MLC_OK);
    ck_assert_int_le(r->n, 1);
    mlc_cv_results_clear(&watched);
    mlc_cv_results_clear(&plain);
    mlc_estimator_free(e);
    free(r);
    problem_clear(&pb);
}
END_TEST

START_TEST(grid_search_reports_and_stops)
{
    problem pb = make_problem(240, 5, 10);
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    mlc_estimator *e = new_estimator("lasso");
    const char *alphas[] = {"0.01", "0.1"};
    mlc_grid_param grid[1] = {{"alpha", alphas, 2}};
    mlc_grid_options o = mlc_grid_options_default();
    mlc_fit_data d = {&pb.X, &(mlc_matrix){0}, NULL};
    mlc_matrix Y = mlc_matrix_wrap(pb.target, pb.X.rows, 1, 0);
    d.Y = &Y;
    mlc_grid_results res;
    recorder_init(r, 0);
    mlc_estimator_set_progress(e, record, r);
    mlc_estimator_set_progress_interval(e, 0.0);
    o.cv.n_threads = 1; /* every fit on this thread: every stage seen */
    ck_assert_int_eq(mlc_grid_search(e, grid, 1, &d, &o, &res), MLC_OK);
    check_sequence(r, "lasso grid");
    ck_assert(some_stage_has(r, "candidate 2/2, split 5/5"));
    ck_assert(some_stage_has(r, "refit"));
    mlc_grid_results_clear(&res);
    recorder_init(r, 1);
    o.cv.n_threads = 1;
    ck_assert_status(mlc_grid_search(e, grid, 1, &d, &o, &res), MLC_EINTERRUPTED);
    ck_assert(strstr(mlc_last_error_message(), "grid search stopped"));
    ck_assert_ptr_null(res.best_estimator);
    ck_assert_int_eq(r->n, 1);
    mlc_estimator_free(e);
    free(r);
    problem_clear(&pb);
}
END_TEST

/* ---------------------------------------------------------- threads */

typedef struct fit_job {
    const char *name;
    problem *pb;
    recorder *r;
    int status;
} fit_job;

static void *fit_job_run(void *arg)
{
    fit_job *j = arg;
    recorder_init(j->r, 0); /* this thread's */
    mlc_estimator *e = new_estimator(j->name);
    mlc_estimator_set_progress(e, record, j->r);
    mlc_estimator_set_progress_interval(e, 0.0);
    j->status = fit(e, j->pb);
    mlc_estimator_free(e);
    return NULL;
}

/* Two estimators fitting at once on two threads: each callback sees its
 * own fit, on its own thread. */
START_TEST(two_fits_at_once_keep_to_their_threads)
{
    problem pb = make_problem(600, 5, 11);
    recorder *r = malloc(2 * sizeof *r);
    ck_assert_ptr_nonnull(r);
    fit_job jobs[2] = {{"svc", &pb, &r[0], -1}, {"lasso_cv", &pb, &r[1], -1}};
    pthread_t t[2];
    for (int k = 0; k < 2; k++)
        ck_assert_int_eq(pthread_create(&t[k], NULL, fit_job_run, &jobs[k]), 0);
    for (int k = 0; k < 2; k++)
        ck_assert_int_eq(pthread_join(t[k], NULL), 0);
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(jobs[k].status, MLC_OK);
        ck_assert_int_ge(r[k].n, 1);
        check_sequence(&r[k], jobs[k].name);
        for (int c = 0; c < r[k].n && c < MAX_CALLS; c++)
            ck_assert_str_eq(r[k].calls[c].estimator, jobs[k].name);
    }
    free(r);
    problem_clear(&pb);
}
END_TEST

/* ------------------------------------------------------------ arguments */

START_TEST(null_arguments)
{
    recorder *r = malloc(sizeof *r);
    ck_assert_ptr_nonnull(r);
    recorder_init(r, 0);
    ck_assert_status(mlc_estimator_set_progress(NULL, record, r), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set_progress(NULL, NULL, NULL), MLC_EINVAL);
    problem pb = make_problem(240, 5, 12);
    mlc_estimator *e = new_estimator("kmeans");
    ck_assert_int_eq(mlc_estimator_set_progress(e, record, NULL), MLC_OK); /* user NULL: fine */
    ck_assert_int_eq(mlc_estimator_set_progress(e, NULL, r), MLC_OK);     /* off */
    ck_assert_int_eq(fit(e, &pb), MLC_OK);
    ck_assert_int_eq(r->n, 0);
    /* a clone takes the callback; a loaded model has none */
    mlc_estimator_set_progress(e, record, r);
    mlc_estimator *c = NULL;
    ck_assert_int_eq(mlc_estimator_clone(e, &c), MLC_OK);
    ck_assert_int_eq(fit(c, &pb), MLC_OK);
    ck_assert_int_ge(r->n, 1);
    mlc_estimator_free(c);
    mlc_estimator_free(e);
    free(r);
    problem_clear(&pb);
}
END_TEST

Suite *mlc_progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_iterative_estimator_reports);
    tcase_add_test(tc, a_callback_changes_no_bit);
    tcase_add_test(tc, smo_reports_within_a_pair);
    tcase_add_test(tc, svc_pairs_in_parallel);
    tcase_add_test(tc, stages_name_where_the_fit_is);
    tcase_add_test(tc, coordinate_descent_team_stops_together);
    tcase_add_test(tc, default_interval_limits_the_calls);
    tcase_add_test(tc, cross_validation_reports_and_stops);
    tcase_add_test(tc, grid_search_reports_and_stops);
    tcase_add_test(tc, two_fits_at_once_keep_to_their_threads);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_test(te, stop_at_the_first_call);
    tcase_add_test(te, stop_at_the_third_call);
    tcase_add_test(te, null_arguments);
    suite_add_tcase(s, te);
    return s;
}
