/* Tables read from files, the matrix reader that picks a format by file
 * extension, and the write-to-temporary-then-rename helper the writers share. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal/error.h"
#include "internal/io_util.h"
#include "mlcore/io.h"

void mlc_table_free(mlc_table *t)
{
    if (!t)
        return;
    if (t->names) {
        for (size_t j = 0; j < t->data.cols; j++)
            free(t->names[j]);
        free(t->names);
    }
    mlc_matrix_free(&t->data);
    memset(t, 0, sizeof *t);
}

long mlc_table_column(const mlc_table *t, const char *name)
{
    if (!t || !t->names || !name)
        return -1;
    for (size_t j = 0; j < t->data.cols; j++)
        if (t->names[j] && strcmp(t->names[j], name) == 0)
            return (long)j;
    return -1;
}

int mlc_path_is_npy(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n >= 4 && strcasecmp(path + n - 4, ".npy") == 0;
}

int mlc_matrix_read(const char *path, mlc_matrix *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output matrix is NULL");
    memset(out, 0, sizeof *out);
    if (!path)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    if (mlc_path_is_npy(path))
        return mlc_npy_read(path, out);
    mlc_table t;
    int st = mlc_csv_read(path, &t);
    if (st)
        return st;
    *out = t.data;
    t.data.data = NULL; /* moved: mlc_table_free releases only the names */
    t.data.owns = 0;
    mlc_table_free(&t);
    return MLC_OK;
}

/* Distinguishes temporaries made by several threads of one process. */
static atomic_uint temp_counter;

int mlc_write_file_atomic(const char *path, mlc_file_writer write, const void *ctx)
{
    if (!path || !write)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    size_t len = strlen(path) + 48;
    char *tmp = malloc(len);
    if (!tmp)
        return mlc_raise_nomem("a file name");
    snprintf(tmp, len, "%s.tmp.%ld.%u", path, (long)getpid(),
             atomic_fetch_add(&temp_counter, 1u));
    /* O_EXCL: never write through someone else's file; 0666 lets the umask
     * give the usual permissions. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        int err = errno;
        free(tmp);
        return mlc_raise(MLC_EIO, "%s: cannot create a temporary file beside it (%s)", path,
                         strerror(err));
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int err = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(err));
    }
    locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
    errno = 0;
    int st = write(f, ctx);
    int err = errno;
    if (old)
        uselocale(old);
    if (c_locale)
        freelocale(c_locale);
    if (st == MLC_OK) {
        if (fflush(f) != 0)
            err = errno;
        if (ferror(f))
            st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(err ? err : EIO));
    }
    if (fclose(f) != 0 && st == MLC_OK)
        st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    if (st == MLC_OK && rename(tmp, path) != 0)
        st = mlc_raise(MLC_EIO, "%s: cannot rename the temporary file into place (%s)", path,
                       strerror(errno));
    if (st)
        unlink(tmp);
    free(tmp);
    return st;
}
