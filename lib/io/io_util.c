/* The plumbing the data-file readers and writers share: writing a file
 * through a temporary renamed into place, and telling formats by name. */
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
#include "io_util.h"

int mlc_path_is_npy(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n >= 4 && strcasecmp(path + n - 4, ".npy") == 0;
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
