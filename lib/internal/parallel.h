/* Parallel loops over a fixed split of the work into parts. */
#ifndef MLC_INTERNAL_PARALLEL_H
#define MLC_INTERNAL_PARALLEL_H
#include <stddef.h>

typedef void (*mlc_part_body)(void *ctx, size_t part);

/* body(ctx, q) for every q in [0, count): on `threads` OpenMP threads with a
 * static schedule, or in the calling thread, without an OpenMP region, when
 * threads <= 1 or count <= 1. A region costs about 0.4 us even when its `if`
 * clause is false (libgomp builds a team of one), which was a fifth of a
 * KMeans fit on iris. */
void mlc_parallel_parts(int threads, size_t count, mlc_part_body body, void *ctx);

#endif
