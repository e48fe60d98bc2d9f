/* The progress context (lib/internal/progress.h): stages, the rate limit,
 * the call. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "internal/progress.h"

/* Only its address is used: one distinct address per thread, so a context
 * knows the thread that made it without any thread library. */
static _Thread_local char thread_tag;

static int is_owner(const mlc_progress_ctx *c)
{
    return c->owner == &thread_tag;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The clock is read about every READ_EVERY seconds: the stride (ticks
 * between reads) doubles while reads come faster and halves while they
 * come slower, so a tick costs a countdown however short the steps. */
#define READ_EVERY 1e-3
#define STRIDE_MAX (1L << 20)

void mlc_progress_init(mlc_progress_ctx *c, mlc_progress_fn fn, void *user,
                       const char *estimator, double interval)
{
    memset(c, 0, sizeof *c);
    c->fn = fn;
    c->user = user;
    c->owner = &thread_tag;
    atomic_init(&c->stop, 0);
    c->estimator = estimator;
    c->interval = interval > 0.0 ? interval : 0.0;
    c->start = c->last_read = now_seconds();
    c->stride = c->countdown = 1;
}

mlc_progress_mark mlc_progress_enter(mlc_progress_ctx *c, const char *estimator)
{
    mlc_progress_mark m = {0, 0, NULL};
    if (!c || !c->fn || !is_owner(c))
        return m;
    m.base = c->base;
    m.n_levels = c->n_levels;
    m.estimator = c->estimator;
    c->base = c->n_levels < MLC_PROGRESS_LEVELS ? c->n_levels : MLC_PROGRESS_LEVELS;
    c->estimator = estimator;
    return m;
}

void mlc_progress_leave(mlc_progress_ctx *c, mlc_progress_mark m)
{
    if (!c || !is_owner(c) || !m.estimator)
        return;
    c->base = m.base;
    c->n_levels = m.n_levels;
    c->estimator = m.estimator;
}

void mlc_progress_stage(mlc_progress_ctx *c, int level, const char *label, size_t index,
                        size_t count)
{
    if (!c || !c->fn || !is_owner(c) || level < 0) /* no callback: nobody reads stages */
        return;
    int at = c->base + level;
    if (at >= MLC_PROGRESS_LEVELS)
        return;
    for (int k = c->n_levels; k < at; k++) /* levels skipped over: none shown */
        c->level[k].label = NULL;
    c->level[at] = (mlc_progress_level){label, index, count};
    c->n_levels = at + 1;
}

void mlc_progress_drop(mlc_progress_ctx *c, int level)
{
    if (!c || !c->fn || !is_owner(c) || level < 0)
        return;
    if (c->base + level < c->n_levels)
        c->n_levels = c->base + level;
}

/* "fold 2/5, pair 3/45" (or "fit") into c->stage. */
static void format_stage(mlc_progress_ctx *c)
{
    size_t used = 0, cap = sizeof c->stage;
    c->stage[0] = '\0';
    for (int k = 0; k < c->n_levels && used < cap; k++) {
        const mlc_progress_level *l = &c->level[k];
        if (!l->label)
            continue;
        int w = l->count ? snprintf(c->stage + used, cap - used, "%s%s %zu/%zu",
                                    used ? ", " : "", l->label, l->index + 1, l->count)
                         : snprintf(c->stage + used, cap - used, "%s%s", used ? ", " : "",
                                    l->label);
        used += w > 0 ? (size_t)w : 0;
    }
    if (!c->stage[0])
        snprintf(c->stage, cap, "fit");
}

/* The share of the whole done, from the counted stages outermost first;
 * never less than reported before (a pair's own solution after its
 * probability folds is no step back). */
static double stage_fraction(mlc_progress_ctx *c)
{
    double f = 0.0, scale = 1.0;
    int counted = 0;
    for (int k = 0; k < c->n_levels; k++) {
        const mlc_progress_level *l = &c->level[k];
        if (!l->label || !l->count)
            break;
        f += scale * (double)l->index / (double)l->count;
        scale /= (double)l->count;
        counted = 1;
    }
    if (!counted)
        return -1.0;
    c->fraction = fmax(c->fraction, fmin(fmax(f, 0.0), 1.0));
    return c->fraction;
}

int mlc_progress_tick_(mlc_progress_ctx *c, int64_t iter, int64_t max_iter, double measure,
                       const char *measure_name)
{
    if (!c->fn)
        return 0;
    if (!is_owner(c) || atomic_load_explicit(&c->stop, memory_order_relaxed))
        return atomic_load_explicit(&c->stop, memory_order_relaxed);
    if (--c->countdown > 0)
        return 0;
    double now = now_seconds();
    if (c->interval > 0.0) {
        double since = now - c->last_read;
        if (since < READ_EVERY / 2 && c->stride < STRIDE_MAX)
            c->stride *= 2;
        else if (since > READ_EVERY * 2 && c->stride > 1)
            c->stride /= 2;
    }
    c->countdown = c->stride;
    c->last_read = now;
    if (c->called && now - c->last_call < c->interval)
        return 0;
    format_stage(c);
    mlc_progress p = {c->estimator ? c->estimator : "",
                      c->stage,
                      iter,
                      max_iter > 0 ? max_iter : 0,
                      measure,
                      measure_name ? measure_name : "",
                      stage_fraction(c),
                      now - c->start};
    c->called = 1;
    int stop = c->fn(&p, c->user) != 0;
    c->last_call = now_seconds(); /* the callback's own time is not counted against it */
    if (stop)
        atomic_store_explicit(&c->stop, 1, memory_order_relaxed);
    return stop;
}

const char *mlc_progress_where(mlc_progress_ctx *c)
{
    if (!c)
        return "";
    if (is_owner(c))
        format_stage(c);
    return c->stage;
}
