/* Writing a file so that nothing but its content changes and no reader ever
 * sees half of it (lib/io/io_util.h, mlc_write_file_atomic).
 *
 * The path is followed through symbolic links to the file they name: a
 * link stays a link and its target gets the new content. A regular file (or
 * one that does not exist yet) is written to a temporary beside it,
 * ".NAME.mlcore-tmp.XXXXXX", flushed to the disk, renamed over NAME, and the
 * folder is synced so that the rename survives a crash. Anything else (a
 * FIFO, a character device such as /dev/null or a terminal, a descriptor
 * link such as /dev/stdout) is written directly: renaming over it would
 * destroy the special file, and its reader would get nothing. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal/error.h"
#include "io_util.h"

/* As many links as Linux follows before ELOOP. */
enum { MAX_LINK_HOPS = 40 };
/* A temporary's name keeps at most this much of NAME (names are <= 255 bytes). */
enum { TEMP_NAME_KEEP = 200 };

typedef enum { TARGET_REGULAR, TARGET_STREAM } target_kind;

/* The kernel's descriptor links (/dev/stdout -> /proc/self/fd/1 -> "pipe:[..]"
 * or a file the shell opened): their text is no path to rename onto. */
static int is_descriptor_link(const char *path)
{
    return strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/dev/fd/", 8) == 0;
}

/* `link`'s text made a path: relative texts are relative to link's folder. */
static char *link_target(const char *link)
{
    size_t cap = 256;
    for (;;) {
        char *text = malloc(cap);
        if (!text)
            return NULL;
        ssize_t n = readlink(link, text, cap);
        if (n < 0) {
            free(text);
            return NULL;
        }
        if ((size_t)n < cap) {
            text[n] = '\0';
            const char *slash = strrchr(link, '/');
            if (text[0] == '/' || !slash)
                return text;
            size_t dir_len = (size_t)(slash - link) + 1;
            char *joined = malloc(dir_len + (size_t)n + 1);
            if (joined) {
                memcpy(joined, link, dir_len);
                memcpy(joined + dir_len, text, (size_t)n + 1);
            }
            free(text);
            return joined;
        }
        free(text);
        cap *= 4;
    }
}

/* Follow `path` through its links: *target (malloc'd) is the file to write,
 * *kind how, *mode its permissions when it exists (else 0). */
static int resolve_target(const char *path, char **target, target_kind *kind, mode_t *mode)
{
    char *cur = strdup(path);
    if (!cur)
        return mlc_raise_nomem("a file name");
    *mode = 0;
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0) {
            int err = errno;
            if (err == ENOENT) { /* a new file (a missing folder fails at the create) */
                *target = cur;
                *kind = TARGET_REGULAR;
                return MLC_OK;
            }
            free(cur);
            return mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(err));
        }
        if (S_ISLNK(st.st_mode) && !is_descriptor_link(cur)) {
            if (hops == MAX_LINK_HOPS) {
                free(cur);
                return mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(ELOOP));
            }
            char *next = link_target(cur);
            int err = errno;
            free(cur);
            if (!next)
                return err == ENOMEM ? mlc_raise_nomem("a file name")
                                     : mlc_raise(MLC_EIO, "%s: cannot read the link (%s)", path,
                                                 strerror(err));
            cur = next;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            free(cur);
            return mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(EISDIR));
        }
        *target = cur;
        *kind = S_ISREG(st.st_mode) ? TARGET_REGULAR : TARGET_STREAM;
        if (S_ISREG(st.st_mode))
            *mode = st.st_mode & 07777;
        return MLC_OK;
    }
}

/* Run `write` on the open stream under the "C" locale, then flush: MLC_OK
 * or a raised status naming `path`. The stream stays open. */
static int write_body(FILE *f, const char *path, mlc_file_writer write, const void *ctx)
{
    locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
    errno = 0;
    int st = write(f, ctx);
    int err = errno;
    if (old)
        uselocale(old);
    if (c_locale)
        freelocale(c_locale);
    if (st != MLC_OK)
        return st;
    if (fflush(f) != 0)
        err = errno;
    if (ferror(f))
        return mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(err ? err : EIO));
    return MLC_OK;
}

/* A FIFO, a device, a descriptor link: opened and written as it is. */
static int write_direct(const char *path, const char *target, mlc_file_writer write,
                        const void *ctx)
{
    /* O_APPEND: through /dev/stdout to a file the shell opened, after what
     * is there (as the command's own output would be). */
    int fd = open(target, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return mlc_raise(MLC_EIO, "%s: cannot open (%s)", path, strerror(errno));
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int err = errno;
        close(fd);
        return mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(err));
    }
    int st = write_body(f, path, write, ctx);
    if (fclose(f) != 0 && st == MLC_OK)
        st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    return st;
}

/* Six letters or digits that differ between threads, processes and calls. */
static void temp_suffix(char out[7])
{
    static atomic_uint counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t z = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                 ((uint64_t)atomic_fetch_add(&counter, 1u) * 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u; /* splitmix64's finaliser */
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < 6; i++, z /= 62)
        out[i] = alphabet[z % 62];
    out[6] = '\0';
}

/* Create the temporary beside `target`: its name in *tmp, its descriptor
 * returned (-1 with errno on failure). */
static int create_temp(const char *target, char **tmp)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dir_len;
    size_t base_len = strlen(base);
    if (base_len > TEMP_NAME_KEEP)
        base_len = TEMP_NAME_KEEP;
    size_t cap = dir_len + 1 + base_len + sizeof MLC_TEMP_FILE_MARK + 7;
    *tmp = malloc(cap);
    if (!*tmp) {
        errno = ENOMEM;
        return -1;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[7];
        temp_suffix(suffix);
        snprintf(*tmp, cap, "%.*s.%.*s%s%s", (int)dir_len, target, (int)base_len, base,
                 MLC_TEMP_FILE_MARK, suffix);
        /* O_EXCL: never write through someone else's file; 0666 lets the
         * umask give a new file the usual permissions. */
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* Sync the folder holding `target` so that a rename into it is on the disk. */
static int sync_folder(const char *path, const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir = slash ? strndup(target, slash == target ? 1 : (size_t)(slash - target)) : NULL;
    int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return MLC_OK; /* the file is in place; a folder we cannot open cannot be synced */
    int st = MLC_OK;
    /* EINVAL/EROFS: file systems that do not sync folders. */
    if (fsync(fd) != 0 && errno == EIO)
        st = mlc_raise(MLC_EIO, "%s: written, but its folder could not be synced to the disk (%s)",
                       path, strerror(errno));
    close(fd);
    return st;
}

static int write_through_temp(const char *path, const char *target, mode_t mode,
                              mlc_file_writer write, const void *ctx)
{
    char *tmp = NULL;
    int fd = create_temp(target, &tmp);
    if (fd < 0) {
        int err = errno;
        free(tmp);
        return err == ENOMEM ? mlc_raise_nomem("a file name")
                             : mlc_raise(MLC_EIO, "%s: cannot create a temporary file beside it "
                                                  "(%s)",
                                         path, strerror(err));
    }
    /* A replaced file keeps its permissions. */
    if (mode && fchmod(fd, mode) != 0) {
        int err = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return mlc_raise(MLC_EIO, "%s: cannot give the new file the old one's permissions (%s)",
                         path, strerror(err));
    }
    FILE *f = fdopen(fd, "wb");
    int st = MLC_OK;
    if (!f) {
        st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
        close(fd);
    } else {
        st = write_body(f, path, write, ctx);
        /* The content reaches the disk before the name points at it. */
        if (st == MLC_OK && fsync(fd) != 0 && errno != EINVAL)
            st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
        if (fclose(f) != 0 && st == MLC_OK)
            st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    }
    if (st == MLC_OK && rename(tmp, target) != 0)
        st = mlc_raise(MLC_EIO, "%s: cannot rename the temporary file into place (%s)", path,
                       strerror(errno));
    if (st != MLC_OK)
        unlink(tmp);
    free(tmp);
    return st == MLC_OK ? sync_folder(path, target) : st;
}

int mlc_write_file_atomic(const char *path, mlc_file_writer write, const void *ctx)
{
    if (!path || !write)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    if (!path[0])
        return mlc_raise(MLC_EINVAL, "the path is empty");
    char *target = NULL;
    target_kind kind = TARGET_REGULAR;
    mode_t mode = 0;
    int st = resolve_target(path, &target, &kind, &mode);
    if (st)
        return st;
    st = kind == TARGET_STREAM ? write_direct(path, target, write, ctx)
                               : write_through_temp(path, target, mode, write, ctx);
    free(target);
    return st;
}
