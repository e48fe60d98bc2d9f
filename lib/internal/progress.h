/* The progress context of one fit (mlc_estimator_set_progress): what the
 * registry hands each family's fit, and what the solvers report through.
 *
 * The registry makes one context per fit (cross-validation and grid search
 * one for all their fits) and passes it down as an argument, like the
 * params: no global state, so estimators fitting on two threads at once
 * never meet. A typed fit (mlc_lasso_fit, ...) passes NULL, and every
 * function here does nothing for NULL: a solver just calls them.
 *
 * The rules a solver follows:
 * - Tick at its natural checkpoints (after an epoch, an EM or k-means step,
 *   a batch of SMO steps), never in an inner loop. mlc_progress_tick is
 *   cheap enough for that (a call and a countdown; the clock is read a few
 *   times per millisecond, the callback called at most every `interval`).
 * - When a tick returns 1, stop at once and return MLC_EINTERRUPTED (no
 *   message: the registry raises the one message). Fitted results never
 *   depend on the ticks: with or without a callback, the same bits.
 * - Any thread may tick or set a stage; only the thread that created the
 *   context (the caller's) changes it and calls the callback, the others
 *   only learn whether a stop was asked (mlc_progress_stopped). So a loop
 *   spread over threads needs nothing special, except a team that must
 *   agree on when to stop: there one thread ticks and shares the answer.
 * - Stages name where a long fit is, outermost first: level 0 the fit's
 *   outer loop (init 2/10, fold 3/5, target 2/3), level 1 the one inside
 *   (pair 3/45, alpha 12/100), and so on. A fit nested in another (a
 *   cross-validation fold) has its levels below its caller's
 *   (mlc_progress_enter). */
#ifndef MLC_INTERNAL_PROGRESS_H
#define MLC_INTERNAL_PROGRESS_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "mlcore/estimator.h"

/* Seconds between two calls of the callback (the first checkpoint always
 * calls it). */
#define MLC_PROGRESS_INTERVAL 0.05
#define MLC_PROGRESS_LEVELS 6

typedef struct mlc_progress_level {
    const char *label; /* static: "pair", "fold", "alpha" */
    size_t index;      /* 0-based */
    size_t count;      /* 0: no count ("refit") */
} mlc_progress_level;

typedef struct mlc_progress_ctx {
    mlc_progress_fn fn;
    void *user;
    const void *owner;       /* the creating thread's tag (progress.c) */
    atomic_int stop;         /* the callback asked to stop */
    const char *estimator;   /* the estimator being fit (the innermost) */
    double interval;         /* seconds between calls */
    double start, last_call, last_read; /* monotonic seconds */
    long stride, countdown;  /* the clock is read every `stride` ticks */
    int called;              /* the callback has been called */
    double fraction;         /* the largest share done reported */
    int base;                /* the current fit's level 0 */
    int n_levels;
    mlc_progress_level level[MLC_PROGRESS_LEVELS];
    char stage[160];
} mlc_progress_ctx;

/* A context for a fit of `estimator` (static name) on the calling thread;
 * fn NULL gives one that never calls anything. interval: seconds between
 * calls (MLC_PROGRESS_INTERVAL; 0 calls at every tick, for the tests). */
void mlc_progress_init(mlc_progress_ctx *c, mlc_progress_fn fn, void *user,
                       const char *estimator, double interval);

/* A fit nested in the current stage (a clone's fit in a cross-validation
 * fold): its levels go below the current ones and it reports as
 * `estimator`. mlc_progress_leave puts back what enter returned. */
typedef struct mlc_progress_mark {
    int base, n_levels;
    const char *estimator;
} mlc_progress_mark;
mlc_progress_mark mlc_progress_enter(mlc_progress_ctx *c, const char *estimator);
void mlc_progress_leave(mlc_progress_ctx *c, mlc_progress_mark m);

/* Level `level` of the current fit is now `label` index+1/count (count 0:
 * the label alone); deeper levels are dropped. */
void mlc_progress_stage(mlc_progress_ctx *c, int level, const char *label, size_t index,
                        size_t count);

/* Drop the current fit's levels from `level` on. */
void mlc_progress_drop(mlc_progress_ctx *c, int level);

/* A checkpoint: iteration `iter` of the solver run under way (max_iter its
 * limit, 0 none), `measure` what it watches (NaN: nothing), named
 * `measure_name` (static). Returns 1 when the fit must stop (on any
 * thread), else 0. */
int mlc_progress_tick_(mlc_progress_ctx *c, int64_t iter, int64_t max_iter, double measure,
                       const char *measure_name);
static inline int mlc_progress_tick(mlc_progress_ctx *c, int64_t iter, int64_t max_iter,
                                    double measure, const char *measure_name)
{
    /* without a callback, a load and a branch */
    return c && c->fn ? mlc_progress_tick_(c, iter, max_iter, measure, measure_name) : 0;
}

/* Whether a stop was asked (any thread; 0 for NULL). */
static inline int mlc_progress_stopped(const mlc_progress_ctx *c)
{
    return c ? atomic_load_explicit(&((mlc_progress_ctx *)c)->stop, memory_order_relaxed) : 0;
}

/* The stage text of the last call (for the stop message). */
const char *mlc_progress_where(mlc_progress_ctx *c);

#endif
