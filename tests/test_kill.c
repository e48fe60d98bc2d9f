/* Kill tests (issue 24): a child killed by SIGKILL at pseudo-random points
 * while saving a model or writing predictions leaves the target either its
 * complete old content or its complete new content, byte for byte, and the
 * next successful write of the same target leaves no temporary of it
 * behind (lib/io/file_write.c removes those of dead writers); the same for
 * the mlcore command writing predictions. The delays
 * are seeded, so a failure is replayed by running the test again. */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "io/io_util.h"
#include "test_util.h"

enum { KILLS = 36, ROWS = 6000, COLS = 8 };

static char dir[32];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mlc_kill_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *in_dir(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    ck_assert_int_lt(snprintf(p[k], sizeof p[k], "%s/%s", dir, name), (int)sizeof p[k]);
    return p[k];
}

typedef struct bytes {
    char *data;
    size_t len;
} bytes;

static bytes slurp(const char *path)
{
    bytes b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 1 << 16;
    b.data = malloc(cap);
    ck_assert_ptr_nonnull(b.data);
    for (size_t n; (n = fread(b.data + b.len, 1, cap - b.len, f)) > 0;) {
        b.len += n;
        if (b.len == cap) {
            cap *= 2;
            b.data = realloc(b.data, cap);
            ck_assert_ptr_nonnull(b.data);
        }
    }
    fclose(f);
    return b;
}

static int same(bytes a, bytes b)
{
    return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

/* Temporaries of `name` in the folder, in any naming this writer used. */
static size_t temporaries_of(const char *name)
{
    char pattern[192];
    snprintf(pattern, sizeof pattern, "%s/.%s%s*", dir, name, MLC_TEMP_FILE_MARK);
    glob_t g;
    size_t n = glob(pattern, GLOB_PERIOD, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    return n;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

/* Writes `target` with content 0 (old) or 1 (new): MLC_OK or a status.
 * `which` | IN_CHILD: called in the child that will be killed, which a
 * writer may replace by another program (exec). */
typedef int (*content_writer)(const char *target, int which, const void *ctx);
enum { IN_CHILD = 2 };

/* A process id that no process has now: a child's, once reaped. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
    return pid;
}

/* Kill a child writing the new content at seeded delays spread over one
 * write's duration; after each kill the target is the old or the new file,
 * and the next write (in this process) leaves no temporary of it. */
static void kill_loop(const char *name, content_writer put, const void *ctx, uint64_t seed)
{
    char target[256];
    snprintf(target, sizeof target, "%s", in_dir(name));
    bytes ref[2];
    for (int w = 0; w < 2; w++) {
        ck_assert_int_eq(put(target, w, ctx), MLC_OK);
        ref[w] = slurp(target);
    }
    ck_assert(!same(ref[0], ref[1]));
    /* One write's duration, the fsyncs included: the span of the delays. */
    double t0 = now_us();
    ck_assert_int_eq(put(target, 0, ctx), MLC_OK);
    double span = (now_us() - t0) * 1.3 + 200.0;
    size_t outcome[2] = {0, 0}, left_by_kill = 0;
    for (int k = 0; k < KILLS; k++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        double delay = span * (double)(seed >> 11) / 9007199254740992.0;
        int ready[2];
        ck_assert_int_eq(pipe(ready), 0);
        fflush(NULL);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(ready[0]);
            (void)!write(ready[1], "x", 1);
            _exit(put(target, 1 | IN_CHILD, ctx) == MLC_OK ? 0 : 1);
        }
        close(ready[1]);
        char c;
        ck_assert_int_eq(read(ready[0], &c, 1), 1);
        close(ready[0]);
        struct timespec ts = {0, (long)(delay * 1e3)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        kill(pid, SIGKILL);
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(!WIFEXITED(status) || WEXITSTATUS(status) == 0,
                      "%s: the child's write failed", name);
        bytes got = slurp(target);
        int old = same(got, ref[0]), is_new = same(got, ref[1]);
        ck_assert_msg(old || is_new, "%s: kill %d after %.0f us left %zu bytes that are neither "
                      "the old file (%zu) nor the new one (%zu)", name, k, delay, got.len,
                      ref[0].len, ref[1].len);
        free(got.data);
        outcome[is_new]++;
        left_by_kill += temporaries_of(name) > 0;
        /* The next run: a successful write of the old content. */
        ck_assert_int_eq(put(target, 0, ctx), MLC_OK);
        ck_assert_msg(temporaries_of(name) == 0,
                      "%s: kill %d after %.0f us: a temporary is left after the next write",
                      name, k, delay);
    }
    printf("%s: %d kills over %.0f us: %zu left the old file, %zu the new one, %zu a "
           "temporary (removed by the next write)\n",
           name, KILLS, span, outcome[0], outcome[1], left_by_kill);
    free(ref[0].data);
    free(ref[1].data);
}

/* Fitted on the same rows, the new model's differ by one. */
typedef struct two_models {
    mlc_estimator *e[2];
} two_models;

static int save_model(const char *target, int which, const void *ctx)
{
    const two_models *m = ctx;
    return mlc_estimator_save(m->e[which & 1], target);
}

typedef struct two_tables {
    mlc_matrix m[2];
} two_tables;

static int write_csv(const char *target, int which, const void *ctx)
{
    const two_tables *t = ctx;
    return mlc_csv_write(target, &t->m[which & 1], NULL);
}

static int write_npy(const char *target, int which, const void *ctx)
{
    const two_tables *t = ctx;
    return mlc_npy_write(target, &t->m[which & 1]);
}

static double *rows_of(uint64_t seed, size_t n)
{
    double *x = malloc(n * sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        x[i] = (double)(seed >> 11) / 9007199254740992.0 * 10.0 - 5.0;
    }
    return x;
}

START_TEST(test_kill_while_saving_a_model)
{
    double *x = rows_of(1, (size_t)ROWS * COLS), *y = rows_of(2, ROWS);
    mlc_matrix X = mlc_matrix_wrap(x, ROWS, COLS, COLS);
    two_models m;
    for (int w = 0; w < 2; w++) {
        ck_assert_int_eq(mlc_estimator_new("k_neighbors_regressor", &m.e[w]), MLC_OK);
        ck_assert_int_eq(mlc_estimator_set_threads(m.e[w], 1), MLC_OK);
        y[0] += w;
        ck_assert_int_eq(mlc_estimator_fit(m.e[w], &X, y), MLC_OK);
    }
    kill_loop("model.json", save_model, &m, 24);
    mlc_estimator_free(m.e[0]);
    mlc_estimator_free(m.e[1]);
    free(x);
    free(y);
}
END_TEST

START_TEST(test_kill_while_writing_predictions)
{
    two_tables t;
    double *p[2];
    for (int w = 0; w < 2; w++) {
        p[w] = rows_of(3, (size_t)ROWS * 4);
        p[w][ROWS * 2] += w;
        t.m[w] = mlc_matrix_wrap(p[w], ROWS, 4, 4);
    }
    kill_loop("predictions.csv", write_csv, &t, 25);
    kill_loop("predictions.npy", write_npy, &t, 26);
    free(p[0]);
    free(p[1]);
}
END_TEST

#ifdef MLC_CLI_PATH
/* The command: `mlcore predict` of one of two saved models. */
typedef struct command_ctx {
    char model[2][256], data[256];
} command_ctx;

static int run_predict(const char *target, int which, const void *ctx)
{
    const command_ctx *c = ctx;
    char *argv[] = {"mlcore", "predict", "--quiet", "--model", (char *)c->model[which & 1],
                    "--data", (char *)c->data, "--out", (char *)target, NULL};
    if (which & IN_CHILD) {
        execv(MLC_CLI_PATH, argv);
        _exit(127);
    }
    pid_t pid = fork();
    if (pid < 0)
        return MLC_EIO;
    if (pid == 0) {
        execv(MLC_CLI_PATH, argv);
        _exit(127);
    }
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    if (got != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* say why (a rare failure once seen in CI, exit status unknown) */
        if (got != pid)
            fprintf(stderr, "mlcore predict: waitpid: %s\n", strerror(errno));
        else if (WIFSIGNALED(status))
            fprintf(stderr, "mlcore predict: killed by signal %d\n", WTERMSIG(status));
        else
            fprintf(stderr, "mlcore predict: exit status %d\n", WEXITSTATUS(status));
        return MLC_EIO;
    }
    return MLC_OK;
}

START_TEST(test_kill_the_command_writing_predictions)
{
    enum { N = 4000 };
    double *x = rows_of(5, (size_t)N * COLS), *y = rows_of(6, N);
    mlc_matrix X = mlc_matrix_wrap(x, N, COLS, COLS);
    command_ctx c;
    snprintf(c.data, sizeof c.data, "%s", in_dir("rows.csv"));
    ck_assert_int_eq(mlc_csv_write(c.data, &X, NULL), MLC_OK);
    for (int w = 0; w < 2; w++) {
        mlc_estimator *e = NULL;
        ck_assert_int_eq(mlc_estimator_new("ridge", &e), MLC_OK);
        y[0] += w;
        ck_assert_int_eq(mlc_estimator_fit(e, &X, y), MLC_OK);
        snprintf(c.model[w], sizeof c.model[w], "%s", in_dir(w ? "new.json" : "old.json"));
        ck_assert_int_eq(mlc_estimator_save(e, c.model[w]), MLC_OK);
        mlc_estimator_free(e);
    }
    kill_loop("command.csv", run_predict, &c, 27);
    free(x);
    free(y);
}
END_TEST
#endif

/* The clean-up on its own: only the temporaries of this NAME whose writer
 * is gone are removed; a live writer's (ours, PID 1's), another NAME's
 * and one named the old way (no PID, owner unknown) stay. */
START_TEST(test_next_write_removes_dead_writers_temporaries)
{
    char target[256];
    snprintf(target, sizeof target, "%s", in_dir("m.csv"));
    long dead = (long)dead_pid();
    char names[5][96];
    snprintf(names[0], sizeof names[0], ".m.csv%s%ld.abcdef", MLC_TEMP_FILE_MARK, dead);
    snprintf(names[1], sizeof names[1], ".m.csv%s%ld.abcdef", MLC_TEMP_FILE_MARK,
             (long)getpid());
    snprintf(names[2], sizeof names[2], ".m.csv%s1.abcdef", MLC_TEMP_FILE_MARK);
    snprintf(names[3], sizeof names[3], ".n.csv%s%ld.abcdef", MLC_TEMP_FILE_MARK, dead);
    snprintf(names[4], sizeof names[4], ".m.csv%sabcdef", MLC_TEMP_FILE_MARK);
    for (int i = 0; i < 5; i++) {
        FILE *f = fopen(in_dir(names[i]), "w");
        ck_assert_ptr_nonnull(f);
        fputs("half a file", f);
        fclose(f);
    }
    double v[2] = {1, 2};
    mlc_matrix m = mlc_matrix_wrap(v, 2, 1, 1);
    ck_assert_int_eq(mlc_csv_write(target, &m, NULL), MLC_OK);
    ck_assert_msg(access(in_dir(names[0]), F_OK) != 0, "a dead writer's temporary is left");
    for (int i = 1; i < 5; i++)
        ck_assert_msg(access(in_dir(names[i]), F_OK) == 0, "%s was removed", names[i]);
}
END_TEST

Suite *mlc_kill_suite(void)
{
    Suite *s = suite_create("kill");
    TCase *tc = tcase_create("kill");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_next_write_removes_dead_writers_temporaries);
    tcase_add_test(tc, test_kill_while_saving_a_model);
    tcase_add_test(tc, test_kill_while_writing_predictions);
#ifdef MLC_CLI_PATH
    tcase_add_test(tc, test_kill_the_command_writing_predictions);
#endif
    suite_add_tcase(s, tc);
    return s;
}
