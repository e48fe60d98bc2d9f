/* Parallel loops over a fixed split of the work into parts, and the one
 * rule for how many threads a loop is worth.
 *
 * Bit-identical results at any thread count: a sum over rows is taken per
 * part and the parts' sums are added in part order. The split depends on
 * the data's size only (never on the thread count), and threads take whole
 * parts, so the numbers are the same on one thread or many. */
#ifndef MLC_INTERNAL_PARALLEL_H
#define MLC_INTERNAL_PARALLEL_H
#include <stddef.h>

/* ------------------------------------------------------- row partitions */

/* A split of rows [0, n) into `count` >= 1 parts. Either parts of `rows`
 * rows each, the last one shorter (rows > 0), or an even split (rows == 0)
 * whose part q starts at q n / count rounded down to a multiple of `align`
 * rows (so parts start on whole groups of rows, e.g. cache lines). */
typedef struct mlc_parts {
    size_t n, count, rows, align;
} mlc_parts;

/* Parts of `rows` rows (rows >= 1): ceil(n / rows) of them, at least one. */
mlc_parts mlc_parts_sized(size_t n, size_t rows);
/* `count` parts (at least one) of ceil(n / count) rows rounded up to a
 * multiple of `align` (>= 1), the last shorter: fewer parts than asked
 * when the rounding leaves nothing for the last ones. */
mlc_parts mlc_parts_aligned(size_t n, size_t count, size_t align);
/* `count` parts (>= 1) starting at q n / count rounded down to a multiple
 * of `align` (>= 1). */
mlc_parts mlc_parts_even(size_t n, size_t count, size_t align);
/* How many parts a data size is cut into: n / min_rows, between 1 and
 * max_count. */
size_t mlc_parts_count_for(size_t n, size_t min_rows, size_t max_count);

/* Parts for a pass that keeps `scratch_doubles_per_part` of partial results
 * per part: about 4096 rows each, at most 64 parts and 32 MiB of scratch,
 * each a multiple of 8 rows but the last (the k-means and mixture passes). */
mlc_parts mlc_parts_with_scratch(size_t n, size_t scratch_doubles_per_part);

/* The first row of part q (q == count gives n), and one past its last. */
static inline size_t mlc_part_lo(const mlc_parts *P, size_t q)
{
    if (q >= P->count)
        return P->n;
    if (P->rows)
        return q * P->rows < P->n ? q * P->rows : P->n;
    return q * P->n / P->count / P->align * P->align;
}
static inline size_t mlc_part_hi(const mlc_parts *P, size_t q)
{
    return mlc_part_lo(P, q + 1);
}

/* ------------------------------------------------------- thread counts */

/* Threads worth using for a loop of `work` operations over at most
 * `max_useful` independent pieces: the n_threads parameter resolved (0 =
 * all cores), no more than the pieces, and one below `serial_below`
 * operations, where starting a team costs more than it saves. Each caller
 * states its own threshold, in its own unit of work. */
int mlc_threads_for(int n_threads, size_t max_useful, double work, double serial_below);
/* The threshold of the row-pass loops that count multiply-adds (k-means,
 * mixtures): below it, one thread. */
#define MLC_PARALLEL_MIN_WORK 2e5

/* ------------------------------------------------------- parallel loops */

typedef void (*mlc_part_body)(void *ctx, size_t part);

/* body(ctx, q) for every q in [0, count): on `threads` OpenMP threads with a
 * static schedule, or in the calling thread, without an OpenMP region, when
 * threads <= 1 or count <= 1. A region costs about 0.4 us even when its `if`
 * clause is false (libgomp builds a team of one), which was a fifth of a
 * KMeans fit on iris. */
void mlc_parallel_parts(int threads, size_t count, mlc_part_body body, void *ctx);

#endif
