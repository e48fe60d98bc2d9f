/* The long-lived step team (internal/step_team.h).
 *
 * Parts are claimed, not assigned: a step is published as one atomic ticket
 * (generation, part count, next part), and the caller and the helpers each
 * take the next part with a fetch-and-add until none is left. A helper that
 * is late (asleep after a yield, or its core taken by another process) then
 * costs nothing: the caller takes its parts, and waits only for parts that
 * a helper has claimed and not yet finished. */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/step_team.h"

/* Spins before a waiting thread yields its core, about 50 us: a yield costs
 * about 20 us in this VM (measured), longer than most steps. */
#define SPINS 100000
/* The team is judged over windows of steps, after a few first steps that
 * pay for waking the helpers. The helpers saved the caller the time of the
 * parts they ran (at the caller's own time per part); the caller lost the
 * time it waited for parts they had claimed. Both are summed over the
 * windows with a decay (a half-life of about 23 windows), and the helpers
 * go home once the waiting exceeds the saving. A step's waiting counts at
 * most WAIT_CAP times the caller's own work in it: a helper descheduled
 * once for a few milliseconds (a host or kernel thread on its core) is then
 * an outlier absorbed by what the team saved, while a machine that stays
 * loaded makes most steps wait and sends the helpers home within a few
 * windows. Waiting under a tenth of the caller's own
 * work is never judged: helpers still waking up have saved nothing yet,
 * but cost nothing either. */
#define WARMUP_STEPS 4
#define WINDOW_STEPS 32
#define JUDGE_AFTER 4 /* windows */
#define DECAY 0.97
#define WAIT_CAP 4.0

/* The ticket: generation, part count and next part in one 64-bit word, so
 * that a claim says which step it belongs to and whether it is a part. */
#define NEXT_BITS 20
#define COUNT_BITS 20
#define FIELD_MASK ((UINT64_C(1) << NEXT_BITS) - 1)
#define GEN_MASK ((UINT64_C(1) << (64 - NEXT_BITS - COUNT_BITS)) - 1)
/* Largest count a ticket holds: the next-part field must not overflow into
 * the count with every thread's last, failed claim added. */
#define MAX_TICKET_PARTS ((size_t)1 << (NEXT_BITS - 1))

static uint64_t ticket_make(uint64_t gen, uint64_t count)
{
    return (gen << (NEXT_BITS + COUNT_BITS)) | (count << NEXT_BITS);
}

static uint64_t ticket_gen(uint64_t k)
{
    return k >> (NEXT_BITS + COUNT_BITS);
}

static size_t ticket_count(uint64_t k)
{
    return (size_t)((k >> NEXT_BITS) & FIELD_MASK);
}

static size_t ticket_next(uint64_t k)
{
    return (size_t)(k & FIELD_MASK);
}

struct mlc_step_team {
    int threads;                   /* team size; 1 once the helpers have gone */
    _Atomic uint64_t ticket;       /* the current step and its next part */
    atomic_size_t finished;        /* parts of the current step the helpers finished */
    atomic_int quit;               /* helpers leave at the next step they see */
    _Atomic(mlc_part_body) body;   /* the current step's */
    _Atomic(void *) ctx;
    uint64_t gen;                  /* the current step's generation */
    double waited, worked;         /* seconds over the window: caller waiting, on its parts */
    size_t mine, parts;            /* parts over the window: the caller's, all */
    size_t steps;                  /* parallel steps so far */
    mlc_step_window record;        /* the windows judged so far */
};

int mlc_step_team_judge(mlc_step_window *w, double waited, double worked, size_t mine,
                        size_t parts)
{
    /* the helpers' parts at the caller's time per part */
    double saved = mine ? worked * (double)(parts - mine) / (double)mine : 0.0;
    w->windows++;
    w->waited = DECAY * w->waited + waited;
    w->saved = DECAY * w->saved + saved;
    w->worked = DECAY * w->worked + worked;
    return w->windows >= JUDGE_AFTER && w->waited > w->saved && w->waited > 0.1 * w->worked;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void pause_a_while(unsigned *spins)
{
    if (++*spins > SPINS)
        sched_yield();
}

/* Claim and run parts of the step until none is left; the number run, and
 * the generation of the last claim in *gen. The body and context are read
 * only for a claimed part: the caller does not publish another step until
 * that part is finished. */
static size_t run_claims(mlc_step_team *t, uint64_t *gen)
{
    size_t ran = 0;
    for (;;) {
        uint64_t k = atomic_fetch_add_explicit(&t->ticket, 1, memory_order_acq_rel);
        *gen = ticket_gen(k);
        size_t q = ticket_next(k);
        if (q >= ticket_count(k))
            return ran;
        mlc_part_body body = atomic_load_explicit(&t->body, memory_order_relaxed);
        body(atomic_load_explicit(&t->ctx, memory_order_relaxed), q);
        ran++;
    }
}

/* A new step of `count` parts whose first `taken` are the caller's. */
static void publish(mlc_step_team *t, size_t count, size_t taken)
{
    t->gen = (t->gen + 1) & GEN_MASK;
    atomic_store_explicit(&t->ticket, ticket_make(t->gen, count) | taken, memory_order_release);
}

static void send_home(mlc_step_team *t)
{
    atomic_store_explicit(&t->quit, 1, memory_order_release);
    publish(t, 0, 0);
    t->threads = 1;
}

void mlc_step_team_parts(mlc_step_team *t, size_t count, mlc_part_body body, void *ctx)
{
    if (!t || t->threads <= 1 || count <= 1 || count > MAX_TICKET_PARTS) {
        for (size_t q = 0; q < count; q++)
            body(ctx, q);
        return;
    }
    atomic_store_explicit(&t->body, body, memory_order_relaxed);
    atomic_store_explicit(&t->ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&t->finished, 0, memory_order_relaxed);
    /* Part 0 is the caller's before anyone claims: with as many parts as
     * threads, each part then tends to stay on one thread from step to
     * step, and so do the caches of the data it scans (an SMO solve scans
     * the same arrays at every step). */
    double t0 = now();
    publish(t, count, 1);
    body(ctx, 0);
    uint64_t gen;
    size_t mine = 1 + run_claims(t, &gen);
    double t1 = now();
    unsigned spins = 0;
    while (mine + atomic_load_explicit(&t->finished, memory_order_acquire) < count)
        pause_a_while(&spins);
    double t2 = now();
    if (++t->steps <= WARMUP_STEPS)
        return;
    /* one step's waiting counts at most WAIT_CAP times the caller's work
     * in it: a single long wait is an outlier, not a verdict */
    double cap = WAIT_CAP * (t1 - t0);
    t->worked += t1 - t0;
    t->waited += t2 - t1 < cap ? t2 - t1 : cap;
    t->mine += mine;
    t->parts += count;
    if ((t->steps - WARMUP_STEPS) % WINDOW_STEPS)
        return;
    if (mlc_step_team_judge(&t->record, t->waited, t->worked, t->mine, t->parts))
        send_home(t); /* the helpers cost more than they save */
    t->waited = t->worked = 0.0;
    t->mine = t->parts = 0;
}

int mlc_step_team_size(const mlc_step_team *t)
{
    return t ? t->threads : 1;
}

/* A helper: claim parts of each new step until told to quit. */
static void helper(mlc_step_team *t)
{
    uint64_t seen = 0; /* the generation of the last step it took part in */
    for (;;) {
        unsigned spins = 0;
        /* quit is checked while waiting too: the last, failed claim of a
         * step may land in the generation that sends the helpers home */
        while (ticket_gen(atomic_load_explicit(&t->ticket, memory_order_acquire)) == seen &&
               !atomic_load_explicit(&t->quit, memory_order_acquire))
            pause_a_while(&spins);
        if (atomic_load_explicit(&t->quit, memory_order_acquire))
            return;
        uint64_t gen;
        size_t ran = run_claims(t, &gen);
        seen = gen;
        if (ran)
            atomic_fetch_add_explicit(&t->finished, ran, memory_order_release);
    }
}

int mlc_step_team_run(int threads, mlc_step_loop loop, void *ctx)
{
    mlc_step_team t = {.threads = threads > 1 ? threads : 1};
    atomic_init(&t.ticket, ticket_make(0, 0));
    atomic_init(&t.finished, 0);
    atomic_init(&t.quit, 0);
    atomic_init(&t.body, NULL);
    atomic_init(&t.ctx, NULL);
#ifdef _OPENMP
    if (t.threads > 1) {
        int st = 0;
#pragma omp parallel num_threads(t.threads)
        {
            if (omp_get_thread_num() == 0) {
                /* a smaller team than asked (nested region, limits) shrinks to it */
                t.threads = omp_get_num_threads();
                st = loop(ctx, &t);
                if (t.threads > 1)
                    send_home(&t);
            } else {
                helper(&t);
            }
        }
        return st;
    }
#endif
    t.threads = 1;
    return loop(ctx, &t);
}
