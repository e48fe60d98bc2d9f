/* Clocks, memory readings, the runner's line protocol and prediction latency
 * (see bench_serve.h). */
#include "bench_serve.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_LAT_MIN_RUNS 10
#define BENCH_LAT_SECONDS 0.1
#define BENCH_LAT_MAX_SECONDS 1.0

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_rss_kib(long *now_kib, long *peak_kib)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    *now_kib = *peak_kib = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6))
            *now_kib = atol(line + 6);
        else if (!strncmp(line, "VmHWM:", 6))
            *peak_kib = atol(line + 6);
    }
    if (f)
        fclose(f);
}

void bench_reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}

int bench_next_command(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        return 0;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 1;
}

void bench_ready(int can_predict, const int64_t first[4])
{
    if (can_predict)
        printf("ready predict %lld %lld %lld %lld\n", (long long)first[0], (long long)first[1],
               (long long)first[2], (long long)first[3]);
    else
        printf("ready %lld %lld\n", (long long)first[0], (long long)first[1]);
    fflush(stdout);
}

void bench_reply(int64_t wall_ns, int64_t cpu_ns)
{
    printf("%lld %lld\n", (long long)wall_ns, (long long)cpu_ns);
    fflush(stdout);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (numpy's default). */
static double quantile_ns(const int64_t *sorted, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos, hi = lo + 1 < n ? lo + 1 : lo;
    return (double)sorted[lo] + (double)(sorted[hi] - sorted[lo]) * (pos - (double)lo);
}

/* X's rows repeated to `rows` rows. */
static int tile_rows(const mlc_matrix *X, size_t rows, mlc_matrix *out)
{
    if (mlc_matrix_alloc(out, rows, X->cols))
        return 1;
    for (size_t i = 0; i < rows; i++)
        memcpy(out->data + i * X->cols, X->data + (i % X->rows) * X->cols,
               X->cols * sizeof *X->data);
    return 0;
}

static json_t *latency_batch(const mlc_estimator *e, const mlc_matrix *X, size_t batch,
                             size_t cap, mlc_output kind)
{
    size_t cols = mlc_estimator_output_cols(e, kind);
    /* Batches start at different rows (a stride coprime to the span) so
     * repeated runs do not read the same rows from cache each time. */
    size_t span = X->rows < 997 ? X->rows : 997;
    mlc_matrix pool = {0}, out = {0};
    int64_t *t = malloc(cap * sizeof *t);
    json_t *j = NULL;
    if (!t || cols == 0 || tile_rows(X, batch + span - 1, &pool) ||
        mlc_matrix_alloc(&out, batch, cols))
        goto done;
    size_t reps = 0;
    int64_t total = 0;
    /* Until BENCH_LAT_SECONDS are spent, and on to BENCH_LAT_MIN_RUNS runs
     * unless that takes BENCH_LAT_MAX_SECONDS (a slow batch of 10 000 rows). */
    while (reps < cap && ((double)total < BENCH_LAT_SECONDS * 1e9 ||
                          (reps < BENCH_LAT_MIN_RUNS && (double)total < BENCH_LAT_MAX_SECONDS * 1e9))) {
        mlc_matrix rows = mlc_matrix_rows(&pool, (reps * 7919) % span, batch);
        int64_t t0 = bench_now_ns();
        if (mlc_estimator_output(e, kind, &rows, &out))
            goto done;
        t[reps] = bench_now_ns() - t0;
        total += t[reps++];
    }
    qsort(t, reps, sizeof *t, cmp_i64);
    j = json_pack("{s:I,s:f,s:f,s:f,s:f,s:f}", "runs", (json_int_t)reps, "p50_ns",
                  quantile_ns(t, reps, 0.5), "p95_ns", quantile_ns(t, reps, 0.95), "p99_ns",
                  quantile_ns(t, reps, 0.99), "mean_ns", (double)total / (double)reps,
                  "rows_per_s", (double)(reps * batch) / ((double)total * 1e-9));
done:
    free(t);
    mlc_matrix_clear(&pool);
    mlc_matrix_clear(&out);
    return j;
}

json_t *bench_latency(const mlc_estimator *e, const mlc_matrix *X, mlc_output kind)
{
    static const size_t batches[4] = {1, 32, 1024, 10000};
    static const size_t caps[4] = {2000, 1000, 200, 50};
    json_t *lat = json_object();
    for (int b = 0; X->rows > 0 && b < 4; b++) {
        json_t *l = latency_batch(e, X, batches[b], caps[b], kind);
        char key[32];
        snprintf(key, sizeof key, "%zu", batches[b]);
        if (l)
            json_object_set_new(lat, key, l);
    }
    return lat;
}
