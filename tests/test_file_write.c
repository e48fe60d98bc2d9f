/* The file writer every saver uses (lib/io/file_write.c): links followed,
 * special files written in place, regular files replaced atomically, no
 * temporary left on any failure. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal/error.h"
#include "io/io_util.h"
#include "test_util.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mlc_fw_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *in_dir(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static size_t temporaries_left(void)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s/.*%s*", dir, MLC_TEMP_FILE_MARK);
    glob_t g;
    size_t n = glob(pattern, GLOB_PERIOD, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    return n;
}

static int write_text(FILE *f, const void *ctx)
{
    fputs(ctx, f);
    return MLC_OK;
}

/* A writer that fails half way: what a failed model document does. */
static int write_then_fail(FILE *f, const void *ctx)
{
    fputs(ctx, f);
    return mlc_raise(MLC_EFORMAT, "the writer failed");
}

START_TEST(links_are_followed)
{
    put(in_dir("real.csv"), "old\n");
    ck_assert_int_eq(symlink("real.csv", in_dir("link.csv")), 0);
    ck_assert_int_eq(symlink("link.csv", in_dir("link2.csv")), 0);
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("link2.csv"), write_text, "new\n"), MLC_OK);
    struct stat st;
    ck_assert_int_eq(lstat(in_dir("link.csv"), &st), 0);
    ck_assert_msg(S_ISLNK(st.st_mode), "the link was replaced by a file");
    ck_assert_int_eq(lstat(in_dir("link2.csv"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_str_eq(get(in_dir("real.csv")), "new\n");
    /* a dangling link: its target is created */
    ck_assert_int_eq(symlink("made.csv", in_dir("dangling.csv")), 0);
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("dangling.csv"), write_text, "x\n"), MLC_OK);
    ck_assert_str_eq(get(in_dir("made.csv")), "x\n");
    ck_assert_int_eq(lstat(in_dir("dangling.csv"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    /* a loop of links is an error, not a hang */
    ck_assert_int_eq(symlink("loop_b", in_dir("loop_a")), 0);
    ck_assert_int_eq(symlink("loop_a", in_dir("loop_b")), 0);
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("loop_a"), write_text, "x\n"), MLC_EIO);
    ck_assert(strstr(mlc_last_error_message(), strerror(ELOOP)) != NULL);
    ck_assert_uint_eq(temporaries_left(), 0);
}
END_TEST

START_TEST(regular_files_keep_permissions)
{
    put(in_dir("m.json"), "old\n");
    ck_assert_int_eq(chmod(in_dir("m.json"), 0640), 0);
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("m.json"), write_text, "new\n"), MLC_OK);
    struct stat st;
    ck_assert_int_eq(stat(in_dir("m.json"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    ck_assert_str_eq(get(in_dir("m.json")), "new\n");
    /* a relative name (no folder) is written beside itself in the working folder */
    char *cwd = getcwd(NULL, 0);
    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(mlc_write_file_atomic("rel.csv", write_text, "r\n"), MLC_OK);
    ck_assert_int_eq(chdir(cwd), 0);
    free(cwd);
    ck_assert_str_eq(get(in_dir("rel.csv")), "r\n");
    ck_assert_uint_eq(temporaries_left(), 0);
}
END_TEST

START_TEST(special_files_written_in_place)
{
    /* A FIFO stays a FIFO and its reader gets the content. */
    ck_assert_int_eq(mkfifo(in_dir("fifo"), 0600), 0);
    int reader = open(in_dir("fifo"), O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(reader, 0);
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("fifo"), write_text, "through\n"), MLC_OK);
    char buf[64] = {0};
    ck_assert_int_eq(read(reader, buf, sizeof buf - 1), 8);
    ck_assert_str_eq(buf, "through\n");
    close(reader);
    struct stat st;
    ck_assert_int_eq(lstat(in_dir("fifo"), &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    /* a character device: written, not replaced */
    ck_assert_int_eq(mlc_write_file_atomic("/dev/null", write_text, "gone\n"), MLC_OK);
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    /* a device that fails says why */
    ck_assert_int_eq(mlc_write_file_atomic("/dev/full", write_text, "x\n"), MLC_EIO);
    ck_assert(strstr(mlc_last_error_message(), "/dev/full") != NULL);
    ck_assert(strstr(mlc_last_error_message(), strerror(ENOSPC)) != NULL);
    /* a folder is refused before anything is created */
    ck_assert_int_eq(mlc_write_file_atomic(dir, write_text, "x\n"), MLC_EIO);
    ck_assert(strstr(mlc_last_error_message(), strerror(EISDIR)) != NULL);
    ck_assert_uint_eq(temporaries_left(), 0);
}
END_TEST

START_TEST(failures_leave_no_temporary)
{
    put(in_dir("keep.csv"), "old\n");
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("keep.csv"), write_then_fail, "half"),
                     MLC_EFORMAT);
    ck_assert_str_eq(get(in_dir("keep.csv")), "old\n");
    ck_assert_uint_eq(temporaries_left(), 0);
    /* a missing folder: nothing created anywhere, the path named */
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("no/such/x.csv"), write_text, "x"), MLC_EIO);
    ck_assert(strstr(mlc_last_error_message(), "no/such/x.csv") != NULL);
    ck_assert_int_eq(mlc_write_file_atomic("", write_text, "x"), MLC_EINVAL);
    ck_assert_int_eq(mlc_write_file_atomic(NULL, write_text, "x"), MLC_EINVAL);
    ck_assert_int_eq(mlc_write_file_atomic(in_dir("x"), NULL, "x"), MLC_EINVAL);
    /* a very long name still gets a temporary beside it */
    char name[256];
    memset(name, 'n', 250);
    strcpy(name + 250, ".csv");
    ck_assert_int_eq(mlc_write_file_atomic(in_dir(name), write_text, "long\n"), MLC_OK);
    ck_assert_str_eq(get(in_dir(name)), "long\n");
    ck_assert_uint_eq(temporaries_left(), 0);
}
END_TEST

Suite *mlc_file_write_suite(void)
{
    Suite *s = suite_create("file_write");
    TCase *tc = tcase_create("file_write");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, links_are_followed);
    tcase_add_test(tc, regular_files_keep_permissions);
    tcase_add_test(tc, special_files_written_in_place);
    tcase_add_test(tc, failures_leave_no_temporary);
    suite_add_tcase(s, tc);
    return s;
}
