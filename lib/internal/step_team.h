/* A team of threads that lives across the many short steps of one loop (a
 * spanning tree adds a point per step, a chain scans a row per step): one
 * OpenMP region for the whole loop, and between steps a handshake through
 * an atomic ticket instead of a new team per step.
 *
 * The calling thread runs the loop; at each parallel step the caller and
 * the helpers claim the step's parts one at a time until none is left, and
 * the caller waits for the parts the helpers claimed. A part may run on any
 * thread: results must be kept per part (never per thread) and combined in
 * part order by the caller, as for mlc_parallel_parts; the answer is then
 * the same for any thread count, and whether the team is still there.
 *
 * A helper that is late (another process holds its core) claims nothing and
 * costs nothing: the caller takes its parts. One that claims parts and is
 * then slow keeps the caller waiting; the team measures that waiting
 * against the time the caller spends on its own parts, and once waiting
 * costs more than the helpers save, window after window of steps, it sends
 * them home and the loop goes on alone. Waiting threads spin briefly, then
 * yield their core. */
#ifndef MLC_INTERNAL_STEP_TEAM_H
#define MLC_INTERNAL_STEP_TEAM_H
#include <stddef.h>
#include "internal/parallel.h"

typedef struct mlc_step_team mlc_step_team;

/* The loop: runs on the calling thread, calls mlc_step_team_parts for its
 * parallel steps, and returns a status that mlc_step_team_run returns. */
typedef int (*mlc_step_loop)(void *ctx, mlc_step_team *team);

/* loop(ctx, team) with threads - 1 helpers standing by (threads <= 1: no
 * team, every step on the calling thread). */
int mlc_step_team_run(int threads, mlc_step_loop loop, void *ctx);

/* One step: body(ctx, q) for every q in [0, count), on the team or, when
 * count <= 1, the team has gone or there is none (team NULL), on the
 * calling thread alone. Returns when every part is done. */
void mlc_step_team_parts(mlc_step_team *team, size_t count, mlc_part_body body, void *ctx);

/* What the team has seen of its windows of steps. */
typedef struct mlc_step_window {
    size_t windows;         /* windows judged */
    /* decayed sums over them (seconds): the caller's waiting for claimed
     * parts, the helpers' saving, the caller's time on its own parts */
    double waited, saved, worked;
} mlc_step_window;

/* Record a window in which the caller waited `waited` seconds for parts
 * the helpers claimed and spent `worked` on `mine` of its `parts` parts;
 * 1 when the helpers should go home. */
int mlc_step_team_judge(mlc_step_window *w, double waited, double worked, size_t mine,
                        size_t parts);

/* The threads a step may be split over: 1 once the team has gone (or for
 * NULL). */
int mlc_step_team_size(const mlc_step_team *team);

#endif
