/* Writing a file so that nothing but its content changes and no reader ever
 * sees half of it (lib/io/io_util.h, mlc_write_file_atomic).
 *
 * The path is followed through symbolic links to the file they name: a
 * link stays a link and its target gets the new content. Anything that is
 * not a regular file (a FIFO, a character device such as /dev/null or a
 * terminal, a descriptor link such as /dev/stdout) is written directly:
 * renaming over it would destroy the special file, and its reader would get
 * nothing.
 *
 * A regular file (or one that does not exist yet) is replaced. Its new
 * content is written, flushed to the disk, given the name
 * ".NAME.mlcore-tmp.PID.XXXXXX" beside NAME (PID the writer's process id,
 * XXXXXX six random letters or digits), renamed over NAME, and the folder is
 * synced so that the rename survives a crash. On Linux the content goes to
 * an unnamed file first (O_TMPFILE), linked to the temporary name only once
 * it is complete: a process killed while writing leaves nothing, and only
 * one killed between the link and the rename (microseconds) leaves a
 * temporary. Where the folder's file system has no unnamed files, the
 * temporary is named from the start. Either way, each successful write of
 * NAME removes the temporaries of NAME whose PID is no longer a live
 * process (a kill left them), so no more than the last kill's is ever
 * left; folders of more than a few hundred names are not searched (reading
 * them would cost more than the save). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
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

/* Where `target`'s temporaries go: the folder (target[0..*dir_len)) and
 * the part of NAME they keep (*base, *base_len). */
static void temp_parts(const char *target, size_t *dir_len, const char **base, size_t *base_len)
{
    const char *slash = strrchr(target, '/');
    *dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    *base = target + *dir_len;
    *base_len = strlen(*base);
    if (*base_len > TEMP_NAME_KEEP)
        *base_len = TEMP_NAME_KEEP;
}

/* Makes the file `name` (-1 with errno if it cannot; EEXIST tries another
 * name): a new descriptor, or 0 when `fd` was given a name. */
typedef int (*temp_maker)(const char *name, int fd);

/* Name a temporary beside `target`, ".NAME" MLC_TEMP_FILE_MARK "PID.XXXXXX",
 * and make it: *tmp gets the name (malloc'd), the maker's result is
 * returned (-1 with errno and *tmp NULL on failure). */
static int name_temp(const char *target, temp_maker make, int fd, char **tmp)
{
    size_t dir_len, base_len;
    const char *base;
    temp_parts(target, &dir_len, &base, &base_len);
    size_t cap = dir_len + 1 + base_len + sizeof MLC_TEMP_FILE_MARK + 21 + 7;
    *tmp = malloc(cap);
    if (!*tmp) {
        errno = ENOMEM;
        return -1;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[7];
        temp_suffix(suffix);
        snprintf(*tmp, cap, "%.*s.%.*s%s%ld.%s", (int)dir_len, target, (int)base_len, base,
                 MLC_TEMP_FILE_MARK, (long)getpid(), suffix);
        int made = make(*tmp, fd);
        if (made >= 0)
            return made;
        if (errno != EEXIST)
            break;
    }
    int err = errno;
    free(*tmp);
    *tmp = NULL;
    errno = err;
    return -1;
}

/* O_EXCL: never write through someone else's file; 0666 lets the umask
 * give a new file the usual permissions. */
static int make_named(const char *name, int fd)
{
    (void)fd;
    return open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
}

/* An unnamed file in target's folder (-1 where there are none). */
static int open_unnamed(const char *target)
{
#ifdef O_TMPFILE
    const char *slash = strrchr(target, '/');
    char *dir = slash ? strndup(target, slash == target ? 1 : (size_t)(slash - target)) : NULL;
    if (slash && !dir)
        return -1;
    /* O_RDWR: where it cannot be linked, name_unnamed copies it out. */
    int fd = open(dir ? dir : ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
    free(dir);
    return fd;
#else
    (void)target;
    return -1;
#endif
}

/* Give the unnamed file `fd` the name `name`: through /proc, or directly
 * where the process may (CAP_DAC_READ_SEARCH) and /proc is missing. */
static int link_unnamed(const char *name, int fd)
{
    char proc[40];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        return 0;
#ifdef AT_EMPTY_PATH
    if (errno == ENOENT && linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH) == 0)
        return 0;
    if (errno == ENOENT || errno == EPERM)
        errno = ENOENT; /* neither way exists here: the caller copies */
#endif
    return -1;
}

/* Copy the whole of `from` into `to`: 0, or -1 with errno. */
static int copy_file(int from, int to)
{
    char buf[1 << 14];
    for (off_t at = 0;;) {
        ssize_t n = pread(from, buf, sizeof buf, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return (int)n;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(to, buf + done, (size_t)(n - done));
            if (w < 0 && errno != EINTR)
                return -1;
            done += w > 0 ? w : 0;
        }
        at += n;
    }
}

/* Name the complete unnamed file `fd` beside `target` (*tmp gets the
 * name): linked, or where unnamed files cannot be linked, copied into a
 * named temporary and flushed. */
static int name_unnamed(const char *path, const char *target, int fd, mode_t mode, char **tmp)
{
    if (name_temp(target, link_unnamed, fd, tmp) == 0)
        return MLC_OK;
    int err = errno;
    int copy = err == ENOENT ? name_temp(target, make_named, -1, tmp) : -1;
    if (copy >= 0) {
        err = 0;
        if ((mode && fchmod(copy, mode) != 0) || copy_file(fd, copy) != 0 ||
            (fsync(copy) != 0 && errno != EINVAL))
            err = errno ? errno : EIO;
        if (close(copy) != 0 && !err)
            err = errno;
        if (!err)
            return MLC_OK;
        unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
    } else if (err == ENOENT) {
        err = errno;
    }
    return err == ENOMEM ? mlc_raise_nomem("a file name")
                         : mlc_raise(MLC_EIO, "%s: cannot create a temporary file beside it (%s)",
                                     path, strerror(err));
}

/* A folder whose size (bytes of entries on the usual file systems) is
 * above this, about 250 names on ext4, is not searched for dead writers'
 * temporaries: reading costs about 0.25 us a name (ext4), 10-60 us here
 * against a save's 300+ us, but 9 ms for 20 000 names. */
enum { SEARCH_FOLDER_BYTES_MAX = 1 << 14 };

/* The PID in a temporary's name after the mark, "PID.XXXXXX"; 0 if the
 * name is not one this writer makes. */
static long temp_pid(const char *p)
{
    long pid = 0;
    const char *digits = p;
    for (; *p >= '0' && *p <= '9' && pid < 1L << 40; p++)
        pid = pid * 10 + (*p - '0');
    if (p == digits || *p != '.' || strlen(p + 1) != 6)
        return 0;
    return pid;
}

/* Remove the temporaries of `target` left by processes that no longer
 * exist (killed while writing). A process of another user, or our own, is
 * alive: its temporary stays. Best effort: nothing here fails the write. */
static void remove_dead_temps(const char *target)
{
    size_t dir_len, base_len;
    const char *base;
    temp_parts(target, &dir_len, &base, &base_len);
    char *dir = dir_len ? strndup(target, dir_len) : NULL;
    if (dir_len && !dir)
        return;
    int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    struct stat st;
    if (fd < 0)
        return;
    DIR *d = fstat(fd, &st) == 0 && st.st_size <= SEARCH_FOLDER_BYTES_MAX ? fdopendir(fd) : NULL;
    if (!d) {
        close(fd);
        return;
    }
    const size_t mark_len = sizeof MLC_TEMP_FILE_MARK - 1;
    const long self = (long)getpid();
    for (struct dirent *e; (e = readdir(d));) {
        const char *n = e->d_name;
        if (n[0] != '.' || strncmp(n + 1, base, base_len) != 0 ||
            strncmp(n + 1 + base_len, MLC_TEMP_FILE_MARK, mark_len) != 0)
            continue;
        long pid = temp_pid(n + 1 + base_len + mark_len);
        if (pid <= 0 || pid == self || (pid_t)pid != pid)
            continue;
        if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlinkat(dirfd(d), n, 0);
    }
    closedir(d);
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
    int fd = open_unnamed(target);
    const int unnamed = fd >= 0;
    if (!unnamed)
        fd = name_temp(target, make_named, -1, &tmp);
    if (fd < 0) {
        int err = errno;
        return err == ENOMEM ? mlc_raise_nomem("a file name")
                             : mlc_raise(MLC_EIO, "%s: cannot create a temporary file beside it "
                                                  "(%s)",
                                         path, strerror(err));
    }
    /* A replaced file keeps its permissions. */
    if (mode && fchmod(fd, mode) != 0) {
        int err = errno;
        close(fd);
        if (tmp)
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
        /* The content reaches the disk before a name points at it. */
        if (st == MLC_OK && fsync(fd) != 0 && errno != EINVAL)
            st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
        if (st == MLC_OK && unnamed)
            st = name_unnamed(path, target, fd, mode, &tmp);
        if (fclose(f) != 0 && st == MLC_OK)
            st = mlc_raise(MLC_EIO, "%s: cannot write (%s)", path, strerror(errno));
    }
    if (st == MLC_OK && rename(tmp, target) != 0)
        st = mlc_raise(MLC_EIO, "%s: cannot rename the temporary file into place (%s)", path,
                       strerror(errno));
    if (st != MLC_OK && tmp)
        unlink(tmp);
    free(tmp);
    if (st != MLC_OK)
        return st;
    remove_dead_temps(target);
    return sync_folder(path, target);
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
