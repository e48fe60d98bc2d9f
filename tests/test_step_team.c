/* The long-lived step team (lib/internal/step_team.h): every part of every
 * step runs exactly once, on any team size; the loop's status comes back;
 * a team whose helpers are slower than the caller goes home and the loop
 * finishes alone with the same results. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "internal/step_team.h"
#include "test_util.h"

#define STEPS 600
#define MAX_PARTS 6

typedef struct loop_ctx {
    atomic_int runs[STEPS][MAX_PARTS];
    size_t step;
    int slow_helpers; /* parts run by a helper sleep: a second thread is slow */
    pthread_t caller;
    int final_size;
} loop_ctx;

/* With slow_helpers a part takes 20 us of the caller's time and 5 ms of a
 * helper's: a helper that claims a part keeps the caller waiting. */
static void body(void *ctx, size_t q)
{
    loop_ctx *c = ctx;
    if (c->slow_helpers) {
        struct timespec ts = {0, 5000000};
        if (pthread_equal(pthread_self(), c->caller)) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            do
                clock_gettime(CLOCK_MONOTONIC, &t1);
            while ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 20000);
        } else {
            nanosleep(&ts, NULL);
        }
    }
    atomic_fetch_add(&c->runs[c->step][q], 1);
}

static int loop(void *ctx, mlc_step_team *team)
{
    loop_ctx *c = ctx;
    c->caller = pthread_self();
    for (c->step = 0; c->step < STEPS; c->step++)
        mlc_step_team_parts(team, c->step % MAX_PARTS + (c->step % 7 == 0 ? 0 : 1), body, c);
    c->final_size = mlc_step_team_size(team);
    return 7;
}

static void check_runs(loop_ctx *c)
{
    for (size_t s = 0; s < STEPS; s++) {
        size_t count = s % MAX_PARTS + (s % 7 == 0 ? 0 : 1);
        for (size_t q = 0; q < MAX_PARTS; q++)
            ck_assert_msg(atomic_load(&c->runs[s][q]) == (q < count ? 1 : 0),
                          "step %zu part %zu ran %d times", s, q, atomic_load(&c->runs[s][q]));
    }
}

START_TEST(every_part_runs_once)
{
    for (int threads = 0; threads <= 4; threads++) {
        loop_ctx *c = calloc(1, sizeof *c);
        ck_assert_int_eq(mlc_step_team_run(threads, loop, c), 7);
        check_runs(c);
        ck_assert_int_ge(c->final_size, 1);
        ck_assert_int_le(c->final_size, threads > 1 ? threads : 1);
        free(c);
    }
}
END_TEST

/* Slow helpers change nothing but the time: whether they are sent home
 * depends on how many parts they claim, which the scheduler decides. */
START_TEST(slow_helpers_change_no_result)
{
    loop_ctx *c = calloc(1, sizeof *c);
    c->slow_helpers = 1;
    ck_assert_int_eq(mlc_step_team_run(2, loop, c), 7);
    check_runs(c);
    ck_assert_int_ge(c->final_size, 1);
    free(c);
}
END_TEST

/* The verdict: the helpers saved the time of their parts at the caller's
 * time per part; they go home when the decayed waiting exceeds the decayed
 * saving. A window of long waiting among good ones keeps the team (a
 * helper descheduled once); waiting that stays above the saving, or a
 * helper that claims a part and sleeps, sends it home; waiting too small
 * to matter never does. */
START_TEST(judge_windows)
{
    mlc_step_window w = {0};
    /* caller 10 of 20 parts in 1 ms: the helpers saved 1 ms a window */
    for (int k = 0; k < 50; k++)
        ck_assert_int_eq(mlc_step_team_judge(&w, k == 20 ? 5e-3 : 1e-4, 1e-3, 10, 20), 0);
    ck_assert_int_eq(w.windows, 50);
    int k = 0; /* then twice the saving, window after window */
    while (k < 100 && !mlc_step_team_judge(&w, 2e-3, 1e-3, 10, 20))
        k++;
    ck_assert_int_gt(k, 5);
    ck_assert_int_lt(k, 40);

    mlc_step_window v = {0}; /* waiting 1.2 times the saving: home once judged */
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(mlc_step_team_judge(&v, 1.2e-3, 1e-3, 10, 20), 0);
    ck_assert_int_eq(mlc_step_team_judge(&v, 1.2e-3, 1e-3, 10, 20), 1);

    mlc_step_window b = {0}; /* waiting 0.9 of the saving still pays */
    for (int i = 0; i < 200; i++)
        ck_assert_int_eq(mlc_step_team_judge(&b, 0.9e-3, 1e-3, 10, 20), 0);

    mlc_step_window u = {0}; /* the caller ran every part: nothing saved */
    for (int i = 0; i < 10; i++) /* helpers waking up: no waiting to speak of */
        ck_assert_int_eq(mlc_step_team_judge(&u, 1e-6, 1e-3, 20, 20), 0);
    ck_assert(u.saved == 0.0);
    mlc_step_window x = {0}; /* a helper that claims one part and sleeps */
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(mlc_step_team_judge(&x, 5e-3, 1e-3, 19, 20), 0);
    ck_assert_int_eq(mlc_step_team_judge(&x, 5e-3, 1e-3, 19, 20), 1);
}
END_TEST

Suite *mlc_step_team_suite(void)
{
    Suite *s = suite_create("step_team");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_part_runs_once);
    tcase_add_test(tc, slow_helpers_change_no_result);
    tcase_add_test(tc, judge_windows);
    suite_add_tcase(s, tc);
    return s;
}
