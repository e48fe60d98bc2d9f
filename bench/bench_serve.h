/* What both commands of mlcore_bench share: clocks, memory readings, the
 * line protocol the runner drives (bench/runner.py) and prediction latency. */
#ifndef MLC_BENCH_SERVE_H
#define MLC_BENCH_SERVE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "mlcore/mlcore.h"

/* Wall clock (CLOCK_MONOTONIC) and this process's CPU time (user + system of
 * every thread), in nanoseconds. */
int64_t bench_now_ns(void);
int64_t bench_cpu_ns(void);

/* Resident set size now and its peak (VmHWM), in KiB, from /proc/self/status. */
void bench_rss_kib(long *now_kib, long *peak_kib);

/* Reset the peak RSS so the next reading covers only what follows. */
void bench_reset_peak(void);

/* The runner's next command ("fit", "predict", "done"), newline stripped;
 * 0 at the end of input. */
int bench_next_command(char *buf, size_t size);

/* Tell the runner the side is ready ("ready", or "ready predict" when it
 * answers "predict" too) with the wall and CPU time of the untimed first fit
 * (and first predict) in `first` (ns: fit wall, fit CPU, predict wall,
 * predict CPU), which the runner counts as a run when it is long; or the wall
 * and CPU time of one run. */
void bench_ready(int can_predict, const int64_t first[4]);
void bench_reply(int64_t wall_ns, int64_t cpu_ns);

/* Latency of `kind` on batches of 1, 32, 1024 and 10 000 rows taken from X
 * (its rows repeated when it is shorter): runs, p50/p95/p99 and mean in
 * nanoseconds, rows per second. The rule (runs until BENCH_LAT_SECONDS, and
 * on to BENCH_LAT_MIN_RUNS unless that takes BENCH_LAT_MAX_SECONDS; at most a
 * cap per batch) is sklearn_side.py's. */
json_t *bench_latency(const mlc_estimator *e, const mlc_matrix *X, mlc_output kind);

#endif
