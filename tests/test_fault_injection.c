/* Fault injection: for every registered estimator, a scenario of fit, every
 * output, score, save and load runs once per allocation it makes, with that
 * allocation failing (tests/fault_alloc.c; the executable is linked with
 * -Wl,--wrap, tests/fault.cmake). Each run must fail cleanly: a status (not
 * a crash), MLC_ENOMEM unless the failure came through another documented
 * status, a message, no half-written model file and no temporary left
 * behind; LeakSanitizer (make test-sanitize) and valgrind (make
 * check-valgrind) see that nothing leaks. One thread, 30 rows of iris. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fault_alloc.h"
#include "test_util.h"

static struct {
    int ready;
    mlc_matrix X;
    double yc[30], yr[30];
    char dir[64], path[96];
} fx;

static void setup(void)
{
    if (fx.ready)
        return;
    mlc_dataset iris;
    ck_assert_int_eq(mlc_load_iris(&iris), MLC_OK);
    size_t idx[30];
    for (size_t k = 0; k < 30; k++) {
        idx[k] = (k / 10) * 50 + k % 10;
        fx.yc[k] = iris.y[idx[k]];
        fx.yr[k] = MLC_AT(&iris.X, idx[k], 3);
    }
    ck_assert_int_eq(mlc_matrix_gather_rows(&iris.X, idx, 30, &fx.X), MLC_OK);
    mlc_dataset_clear(&iris);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/mlc_fault_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(fx.dir));
    snprintf(fx.path, sizeof fx.path, "%s/model.json", fx.dir);
    fx.ready = 1;
}

static void teardown(void)
{
    if (!fx.ready)
        return;
    unlink(fx.path);
    rmdir(fx.dir);
    mlc_matrix_clear(&fx.X);
    fx.ready = 0;
}

/* Entries of the folder other than model.json (a temporary left behind);
 * *model says whether model.json is there. */
static int strays(int *model)
{
    DIR *d = opendir(fx.dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    *model = 0;
    for (struct dirent *ent; (ent = readdir(d));) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        if (!strcmp(ent->d_name, "model.json"))
            *model = 1;
        else {
            fprintf(stderr, "[fault] left behind: %s/%s\n", fx.dir, ent->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* fit, every output, score, save, load, predict of the loaded model:
 * the first failing status. *saved: the save succeeded. */
static int scenario(const char *name, int *saved)
{
    *saved = 0;
    mlc_estimator *e = NULL, *back = NULL;
    mlc_matrix out = {0};
    int st = mlc_estimator_new(name, &e);
    if (st)
        return st;
    if ((st = mlc_estimator_set_threads(e, 1)))
        goto done;
    /* As the fixtures of the other suites: three clusters, two components. */
    (void)mlc_estimator_set(e, "n_clusters", "3");
    (void)mlc_estimator_set(e, "n_components", "2");
    mlc_task task = mlc_estimator_task(e);
    const double *y = task == MLC_TASK_CLASSIFIER  ? fx.yc
                      : task == MLC_TASK_REGRESSOR ? fx.yr
                                                   : NULL;
    if ((st = mlc_estimator_fit(e, &fx.X, y)))
        goto done;
    for (int kind = 0; kind < MLC_OUT_COUNT; kind++) {
        size_t cols = mlc_estimator_output_cols(e, (mlc_output)kind);
        if (cols == 0)
            continue;
        if ((st = mlc_matrix_alloc(&out, fx.X.rows, cols)) ||
            (st = mlc_estimator_output(e, (mlc_output)kind, &fx.X, &out)))
            goto done;
        mlc_matrix_clear(&out);
    }
    double score;
    st = mlc_estimator_score(e, &fx.X, y, &score);
    if (st && st != MLC_EUNSUPPORTED)
        goto done;
    if ((st = mlc_estimator_save(e, fx.path)))
        goto done;
    *saved = 1;
    if ((st = mlc_estimator_load(fx.path, &back)))
        goto done;
    size_t cols = mlc_estimator_output_cols(back, MLC_OUT_PREDICT);
    if (cols > 0 && ((st = mlc_matrix_alloc(&out, fx.X.rows, cols)) ||
                     (st = mlc_estimator_output(back, MLC_OUT_PREDICT, &fx.X, &out))))
        goto done;
done:
    mlc_matrix_clear(&out);
    mlc_estimator_free(back);
    mlc_estimator_free(e);
    return st;
}

START_TEST(every_allocation_failure_is_clean)
{
    setup();
    const char *name = mlc_registry_name((size_t)_i);
    int saved, model;
    /* Unarmed: the scenario succeeds, and first-use caches are filled. */
    ck_assert_msg(scenario(name, &saved) == MLC_OK, "%s: %s", name, mlc_last_error_message());
    unlink(fx.path);
    int problems = 0, swallowed = 0;
    long k = 1;
    for (;; k++) {
        mlc_clear_error();
        fault_arm(k);
        int st = scenario(name, &saved);
        fault_disarm();
        if (!fault_fired()) {
            ck_assert_msg(st == MLC_OK, "%s: %s", name, mlc_last_error_message());
            break;
        }
        const char *msg = mlc_last_error_message();
        if (st == MLC_OK) {
            /* A scratch buffer with a slower path without it (the small
             * Gram, a cached norm): allowed, the answers are checked by the
             * estimator's own suite. */
            swallowed++;
        } else if (st != MLC_ENOMEM) {
            fprintf(stderr, "[fault] %s: allocation %ld: %s (%s), not MLC_ENOMEM\n", name, k,
                    mlc_strerror(st), msg);
            problems++;
        } else if (!msg[0]) {
            fprintf(stderr, "[fault] %s: allocation %ld: MLC_ENOMEM without a message\n", name,
                    k);
            problems++;
        }
        problems += strays(&model);
        if (model && !saved) {
            fprintf(stderr, "[fault] %s: allocation %ld: a failed save left model.json\n", name,
                    k);
            problems++;
        }
        unlink(fx.path);
    }
    fprintf(stderr, "[fault] %s: %ld allocations, each failed once (%d with a fallback)\n",
            name, k - 1, swallowed);
    ck_assert_msg(problems == 0, "%s: %d problem(s), listed on stderr", name, problems);
}
END_TEST

/* A small file must be cheap to read: the CSV reader sizes its buffer by
 * the file, not at 8 MiB (the fast path) or 1 MiB (the full reader, which a
 * quoted field sends the file to) whatever the file holds. */
START_TEST(small_csv_reads_allocate_little)
{
    static const char *texts[] = {"a,b\n1,2\n3,4\n", "\"a\",b\n1,2\n3,4\n"};
    for (size_t i = 0; i < 2; i++) {
        char path[] = "/tmp/mlc_fault_csv_XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, texts[i], strlen(texts[i])), (ssize_t)strlen(texts[i]));
        close(fd);
        mlc_table t;
        fault_arm(LONG_MAX); /* counts, never fails */
        int st = mlc_csv_read(path, &t);
        fault_disarm();
        unlink(path);
        ck_assert_int_eq(st, MLC_OK);
        ck_assert_uint_eq(t.data.rows, 2);
        mlc_table_clear(&t);
        ck_assert_msg(fault_largest() <= 128 * 1024, "reading a %zu-byte CSV allocated %zu bytes",
                      strlen(texts[i]), fault_largest());
    }
}
END_TEST

/* Where an unnamed (O_TMPFILE) file cannot be linked (no /proc), the
 * writer copies it to a named temporary: the file is complete, the
 * replaced one's permissions kept, no temporary left; and every allocation
 * failure on that path is clean too. */
START_TEST(file_written_without_links)
{
    char dir[] = "/tmp/mlc_fault_nolink_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    double v[6] = {1, 2, 3, 4, 5, 6};
    mlc_matrix m = mlc_matrix_wrap(v, 3, 2, 2);
    ck_assert_int_eq(mlc_csv_write(path, &m, NULL), MLC_OK);
    ck_assert_int_eq(chmod(path, 0640), 0);
    v[5] = 7;
    fault_no_links(1);
    int st = mlc_csv_write(path, &m, NULL);
    for (long k = 1; st == MLC_OK && k < 1000; k++) {
        fault_arm(k);
        int failed = mlc_csv_write(path, &m, NULL);
        fault_disarm();
        if (!fault_fired())
            break;
        ck_assert_msg(failed == MLC_OK || failed == MLC_ENOMEM, "allocation %ld: %d", k, failed);
    }
    fault_no_links(0);
    ck_assert_int_eq(st, MLC_OK);
    mlc_table t;
    ck_assert_int_eq(mlc_csv_read(path, &t), MLC_OK);
    ck_assert(t.data.rows == 3 && MLC_AT(&t.data, 2, 1) == 7.0);
    mlc_table_clear(&t);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0640);
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        entries += e->d_name[0] != '.' || strstr(e->d_name, "mlcore-tmp") != NULL;
    closedir(d);
    ck_assert_int_eq(entries, 1);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *mlc_fault_injection_suite(void)
{
    Suite *s = suite_create("fault_injection");
    TCase *tc = tcase_create("every_estimator");
    tcase_add_unchecked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, every_allocation_failure_is_clean, 0, (int)mlc_registry_count());
    tcase_add_test(tc, small_csv_reads_allocate_little);
    tcase_add_test(tc, file_written_without_links);
    suite_add_tcase(s, tc);
    return s;
}
