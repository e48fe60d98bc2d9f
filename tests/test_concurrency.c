/* Concurrency (issue 24): for every registered estimator, one fitted model
 * answers every output it has and its score from 8 threads at once, each
 * answer bit-identical to the serial one; and different estimators fit at
 * once on 4 threads give the models a serial fit gives. Run under
 * ThreadSanitizer by `make test-tsan` (build-tsan), where any data race
 * fails the run; in the other builds it checks the answers.
 *
 * The library runs with n_threads = 1: the OpenMP and OpenBLAS runtimes
 * are not built with TSan, so their own synchronisation is invisible to it
 * and parallel regions inside the library would be reported falsely. The
 * threads here are the caller's (pthreads), which is what the API's
 * thread-safety rules (mlcore.h) promise. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

enum { READERS = 8, FITTERS = 4, ROUNDS = 5 };

static struct {
    int ready;
    mlc_matrix X;
    double *yc, *yr;
} fx;

static void setup(void)
{
    if (fx.ready)
        return;
    mlc_dataset iris;
    ck_assert_int_eq(mlc_load_iris(&iris), MLC_OK);
    size_t n = iris.X.rows;
    fx.yc = malloc(n * sizeof *fx.yc);
    fx.yr = malloc(n * sizeof *fx.yr);
    ck_assert(fx.yc && fx.yr);
    for (size_t i = 0; i < n; i++) {
        fx.yc[i] = iris.y[i];
        fx.yr[i] = MLC_AT(&iris.X, i, 3);
    }
    ck_assert_int_eq(mlc_matrix_copy(&iris.X, &fx.X), MLC_OK);
    mlc_dataset_clear(&iris);
    fx.ready = 1;
}

static void teardown(void)
{
    if (!fx.ready)
        return;
    mlc_matrix_clear(&fx.X);
    free(fx.yc);
    free(fx.yr);
    fx.ready = 0;
}

static const double *y_for(const mlc_estimator *e)
{
    mlc_task task = mlc_estimator_task(e);
    return task == MLC_TASK_CLASSIFIER ? fx.yc : task == MLC_TASK_REGRESSOR ? fx.yr : NULL;
}

/* What a fitted model answers on fx.X: every output it has, and its score. */
typedef struct answers {
    mlc_matrix out[MLC_OUT_COUNT]; /* empty where the model has no such output */
    double score;
    int score_status;
} answers;

static void answers_clear(answers *a)
{
    for (int k = 0; k < MLC_OUT_COUNT; k++)
        mlc_matrix_clear(&a->out[k]);
}

/* MLC_OK, or the first failing status (nothing left allocated then). */
static int answer(const mlc_estimator *e, answers *a)
{
    memset(a, 0, sizeof *a);
    for (int k = 0; k < MLC_OUT_COUNT; k++) {
        size_t cols = mlc_estimator_output_cols(e, (mlc_output)k);
        if (cols == 0)
            continue;
        int st = mlc_matrix_alloc(&a->out[k], fx.X.rows, cols);
        if (!st)
            st = mlc_estimator_output(e, (mlc_output)k, &fx.X, &a->out[k]);
        if (st) {
            answers_clear(a);
            return st;
        }
    }
    a->score_status = mlc_estimator_score(e, &fx.X, y_for(e), &a->score);
    return MLC_OK;
}

/* 1 when the answers are the same bits. */
static int same_answers(const answers *a, const answers *b)
{
    for (int k = 0; k < MLC_OUT_COUNT; k++) {
        const mlc_matrix *p = &a->out[k], *q = &b->out[k];
        if (p->rows != q->rows || p->cols != q->cols)
            return 0;
        for (size_t i = 0; i < p->rows; i++)
            if (memcmp(mlc_matrix_row(p, i), mlc_matrix_row(q, i), p->cols * sizeof(double)))
                return 0;
    }
    return a->score_status == b->score_status &&
           (a->score_status != MLC_OK || memcmp(&a->score, &b->score, sizeof a->score) == 0);
}

/* A new estimator `name`, one thread, seeded, as the fixtures (three
 * clusters, two components), fitted on fx: NULL after a failure. */
static mlc_estimator *fitted(const char *name)
{
    mlc_estimator *e = NULL;
    if (mlc_estimator_new(name, &e))
        return NULL;
    (void)mlc_estimator_set(e, "random_state", "0");
    (void)mlc_estimator_set(e, "n_clusters", "3");
    (void)mlc_estimator_set(e, "n_components", "2");
    if (mlc_estimator_set_threads(e, 1) || mlc_estimator_fit(e, &fx.X, y_for(e))) {
        mlc_estimator_free(e);
        return NULL;
    }
    return e;
}

/* ------------------------------------------ one model, many readers */

typedef struct reader {
    pthread_t thread;
    const mlc_estimator *e;
    const answers *expect;
    pthread_barrier_t *start;
    int failures;
    char why[256];
} reader;

static void *read_model(void *arg)
{
    reader *r = arg;
    pthread_barrier_wait(r->start); /* all readers at once */
    for (int round = 0; round < ROUNDS; round++) {
        answers a;
        int st = answer(r->e, &a);
        if (st) {
            r->failures++;
            snprintf(r->why, sizeof r->why, "status %d: %s", st, mlc_last_error_message());
            continue;
        }
        if (!same_answers(&a, r->expect)) {
            r->failures++;
            snprintf(r->why, sizeof r->why, "answers differ from the serial ones");
        }
        answers_clear(&a);
    }
    return NULL;
}

START_TEST(one_model_read_from_8_threads)
{
    setup();
    const char *name = mlc_registry_name((size_t)_i);
    mlc_estimator *e = fitted(name);
    ck_assert_msg(e != NULL, "%s: fit: %s", name, mlc_last_error_message());
    answers expect;
    ck_assert_msg(answer(e, &expect) == MLC_OK, "%s: %s", name, mlc_last_error_message());
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, READERS);
    reader r[READERS];
    for (int t = 0; t < READERS; t++) {
        r[t] = (reader){.e = e, .expect = &expect, .start = &start};
        ck_assert_int_eq(pthread_create(&r[t].thread, NULL, read_model, &r[t]), 0);
    }
    int failures = 0;
    for (int t = 0; t < READERS; t++) {
        pthread_join(r[t].thread, NULL);
        if (r[t].failures)
            fprintf(stderr, "%s, thread %d: %s\n", name, t, r[t].why);
        failures += r[t].failures;
    }
    pthread_barrier_destroy(&start);
    answers_clear(&expect);
    mlc_estimator_free(e);
    ck_assert_msg(failures == 0, "%s: %d of %d concurrent answers wrong (stderr)", name,
                  failures, READERS * ROUNDS);
}
END_TEST

/* --------------------------------------- different models, fit at once */

typedef struct fitter {
    pthread_t thread;
    int index; /* fits registry entries index, index + FITTERS, ... */
    const answers *expect; /* per registry entry */
    pthread_barrier_t *start;
    int failures;
    char why[256];
} fitter;

static void *fit_models(void *arg)
{
    fitter *f = arg;
    pthread_barrier_wait(f->start);
    for (size_t i = (size_t)f->index; i < mlc_registry_count(); i += FITTERS) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *e = fitted(name);
        answers a;
        int st = e ? answer(e, &a) : -1;
        if (st) {
            f->failures++;
            snprintf(f->why, sizeof f->why, "%s: %s", name, mlc_last_error_message());
        } else {
            if (!same_answers(&a, &f->expect[i])) {
                f->failures++;
                snprintf(f->why, sizeof f->why, "%s: the model differs from a serial fit's",
                         name);
            }
            answers_clear(&a);
        }
        mlc_estimator_free(e);
    }
    return NULL;
}

START_TEST(different_models_fit_at_once)
{
    setup();
    size_t n = mlc_registry_count();
    answers *expect = calloc(n, sizeof *expect);
    ck_assert_ptr_nonnull(expect);
    for (size_t i = 0; i < n; i++) {
        mlc_estimator *e = fitted(mlc_registry_name(i));
        ck_assert_msg(e && answer(e, &expect[i]) == MLC_OK, "%s: %s", mlc_registry_name(i),
                      mlc_last_error_message());
        mlc_estimator_free(e);
    }
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, FITTERS);
    fitter f[FITTERS];
    for (int t = 0; t < FITTERS; t++) {
        f[t] = (fitter){.index = t, .expect = expect, .start = &start};
        ck_assert_int_eq(pthread_create(&f[t].thread, NULL, fit_models, &f[t]), 0);
    }
    int failures = 0;
    for (int t = 0; t < FITTERS; t++) {
        pthread_join(f[t].thread, NULL);
        if (f[t].failures)
            fprintf(stderr, "fitter %d: %s\n", t, f[t].why);
        failures += f[t].failures;
    }
    pthread_barrier_destroy(&start);
    for (size_t i = 0; i < n; i++)
        answers_clear(&expect[i]);
    free(expect);
    ck_assert_msg(failures == 0, "%d concurrent fit(s) wrong (stderr)", failures);
}
END_TEST

Suite *mlc_concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
    TCase *tc = tcase_create("concurrency");
    tcase_add_unchecked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, one_model_read_from_8_threads, 0, (int)mlc_registry_count());
    tcase_add_test(tc, different_models_fit_at_once);
    suite_add_tcase(s, tc);
    return s;
}
