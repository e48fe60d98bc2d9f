/* The long-lived step team (internal/step_team.h). */
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/step_team.h"

/* Spins before a waiting thread yields its core, about 50 us: a yield costs
 * about 20 us in this VM (measured), longer than most steps. */
#define SPINS 100000
/* The team is judged over windows of steps (after a few first steps, which
 * pay for waking the helpers): it goes home when, over a window, the caller
 * waited longer than MAX_WAIT_SHARE of what the helpers saved it (the
 * time of their parts, about (threads - 1) times its own). */
#define WARMUP_STEPS 4
#define WINDOW_STEPS 32
#define MAX_WAIT_SHARE 0.8

struct mlc_step_team {
    int threads;              /* team size; 1 once the helpers have gone */
    atomic_size_t step;       /* the step published last (helpers run each once) */
    atomic_int done;          /* helpers finished with the current step */
    atomic_int quit;          /* helpers leave at their next step */
    size_t count;             /* the current step */
    mlc_part_body body;
    void *ctx;
    double waited, worked;    /* seconds over the window: caller waiting, on its parts */
    size_t steps;             /* parallel steps so far */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run_share(mlc_step_team *t, int me)
{
    for (size_t q = (size_t)me; q < t->count; q += (size_t)t->threads)
        t->body(t->ctx, q);
}

static void pause_a_while(unsigned *spins)
{
    if (++*spins > SPINS)
        sched_yield();
}

void mlc_step_team_parts(mlc_step_team *t, size_t count, mlc_part_body body, void *ctx)
{
    if (t->threads <= 1 || count <= 1) {
        for (size_t q = 0; q < count; q++)
            body(ctx, q);
        return;
    }
    t->count = count;
    t->body = body;
    t->ctx = ctx;
    atomic_store_explicit(&t->done, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&t->step, 1, memory_order_release);
    double t0 = now();
    run_share(t, 0);
    double t1 = now();
    unsigned spins = 0;
    while (atomic_load_explicit(&t->done, memory_order_acquire) < t->threads - 1)
        pause_a_while(&spins);
    double t2 = now();
    if (++t->steps <= WARMUP_STEPS)
        return;
    t->worked += t1 - t0;
    t->waited += t2 - t1;
    if ((t->steps - WARMUP_STEPS) % WINDOW_STEPS)
        return;
    if (t->waited > MAX_WAIT_SHARE * (double)(t->threads - 1) * t->worked) {
        /* the helpers cost more than they save: the loop goes on alone */
        atomic_store_explicit(&t->quit, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&t->step, 1, memory_order_release);
        t->threads = 1;
    }
    t->waited = t->worked = 0.0;
}

int mlc_step_team_size(const mlc_step_team *t)
{
    return t->threads;
}

/* A helper: run its share of each published step until told to quit. */
static void helper(mlc_step_team *t, int me)
{
    size_t seen = 0;
    for (;;) {
        unsigned spins = 0;
        size_t step;
        while ((step = atomic_load_explicit(&t->step, memory_order_acquire)) == seen)
            pause_a_while(&spins);
        seen = step;
        if (atomic_load_explicit(&t->quit, memory_order_relaxed))
            return;
        run_share(t, me);
        atomic_fetch_add_explicit(&t->done, 1, memory_order_release);
    }
}

int mlc_step_team_run(int threads, mlc_step_loop loop, void *ctx)
{
    mlc_step_team t = {.threads = threads > 1 ? threads : 1};
    atomic_init(&t.step, 0);
    atomic_init(&t.done, 0);
    atomic_init(&t.quit, 0);
#ifdef _OPENMP
    if (t.threads > 1) {
        int st = 0;
#pragma omp parallel num_threads(t.threads)
        {
            int me = omp_get_thread_num();
            if (me == 0) {
                /* a smaller team than asked (nested region, limits) shrinks to it */
                t.threads = omp_get_num_threads();
                st = loop(ctx, &t);
                if (t.threads > 1) {
                    atomic_store_explicit(&t.quit, 1, memory_order_relaxed);
                    atomic_fetch_add_explicit(&t.step, 1, memory_order_release);
                }
            } else {
                helper(&t, me);
            }
        }
        return st;
    }
#endif
    t.threads = 1;
    return loop(ctx, &t);
}
