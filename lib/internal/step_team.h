/* A team of threads that lives across the many short steps of one loop (a
 * spanning tree adds a point per step, a chain scans a row per step): one
 * OpenMP region for the whole loop, and between steps a handshake through
 * two atomic counters instead of a new team per step.
 *
 * The calling thread runs the loop; at each parallel step the helpers take
 * their share of the step's parts (part q goes to thread q mod threads) and
 * the caller waits for them. Results must be kept per part and combined in
 * part order by the caller, as for mlc_parallel_parts: the answer is then
 * the same for any thread count, and whether the team is still there.
 *
 * A helper that is late because another process holds its core would make
 * every step wait for a scheduler quantum; the team measures the time the
 * caller spends waiting against the time it spends on its own parts, and
 * once waiting costs more than the helpers save (after a few dozen steps)
 * it sends them home and the loop goes on alone. Waiting threads spin
 * briefly, then yield their core. */
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
 * count <= 1 or the team has gone, on the calling thread alone. Returns
 * when every part is done. */
void mlc_step_team_parts(mlc_step_team *team, size_t count, mlc_part_body body, void *ctx);

/* The threads a step may be split over: 1 once the team has gone. */
int mlc_step_team_size(const mlc_step_team *team);

#endif
