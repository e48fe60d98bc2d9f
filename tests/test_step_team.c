/* The long-lived step team (lib/internal/step_team.h): every part of every
 * step runs exactly once, on any team size; the loop's status comes back;
 * a team whose helpers are slower than the caller goes home and the loop
 * finishes alone with the same results. */
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
    int slow_helpers; /* odd parts sleep: a second thread is late */
    int final_size;
} loop_ctx;

static void body(void *ctx, size_t q)
{
    loop_ctx *c = ctx;
    if (c->slow_helpers && q % 2 == 1) {
        struct timespec ts = {0, 200000}; /* 0.2 ms */
        nanosleep(&ts, NULL);
    }
    atomic_fetch_add(&c->runs[c->step][q], 1);
}

static int loop(void *ctx, mlc_step_team *team)
{
    loop_ctx *c = ctx;
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

START_TEST(late_helpers_are_sent_home)
{
    loop_ctx *c = calloc(1, sizeof *c);
    c->slow_helpers = 1;
    ck_assert_int_eq(mlc_step_team_run(2, loop, c), 7);
    check_runs(c);
    ck_assert_int_eq(c->final_size, 1); /* the caller's parts are instant */
    free(c);
}
END_TEST

Suite *mlc_step_team_suite(void)
{
    Suite *s = suite_create("step_team");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_part_runs_once);
    tcase_add_test(tc, late_helpers_are_sent_home);
    suite_add_tcase(s, tc);
    return s;
}
