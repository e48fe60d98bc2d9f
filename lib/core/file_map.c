/* File mappings owned by matrices. mlc_matrix keeps only its data pointer,
 * so the start and length of each mapping live in a small list here, found
 * again by that pointer when the matrix is cleared. A process holds a
 * handful of mapped matrices at most: a list under a mutex is enough. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "internal/error.h"
#include "internal/file_map.h"
#include "mlcore/threads.h"

typedef struct mapping {
    const double *data;
    void *base;
    size_t len;
    struct mapping *next;
} mapping;

static mapping *mappings;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Enter every page of the mapping in the page table now, in one pass,
 * instead of one fault per page (or per few pages) during the first pass
 * over the data. Read faults: the pages stay shared with the page cache (a
 * MAP_POPULATE of a writable private mapping would copy every one). 0, or
 * -1 when a page cannot be read (the file shrank: better an error than a
 * SIGBUS later). */
static int populate_range(void *p, size_t len)
{
#ifdef MADV_POPULATE_READ
    if (madvise(p, len, MADV_POPULATE_READ) == 0)
        return 0;
    if (errno != EINVAL) /* EINVAL: a kernel before 5.14; fall back to advice */
        return -1;
#endif
    madvise(p, len, MADV_WILLNEED);
    return 0;
}

/* Pieces of a large mapping are entered on every core: one thread walks
 * about 13 GB/s of page-cache pages into the page table, so an 80 MB
 * matrix costs 6 ms on one and half that on two. */
#define POPULATE_PIECE ((size_t)8 << 20)

static int populate(void *p, size_t len)
{
    size_t pieces = (len + POPULATE_PIECE - 1) / POPULATE_PIECE;
    int threads = pieces < 2 ? 1 : mlc_resolve_threads(0);
    if (threads <= 1)
        return populate_range(p, len);
    int bad = 0;
#pragma omp parallel for schedule(static) reduction(| : bad) num_threads(threads)
    for (size_t k = 0; k < pieces; k++) {
        size_t at = k * POPULATE_PIECE;
        size_t n = len - at < POPULATE_PIECE ? len - at : POPULATE_PIECE;
        bad |= populate_range((char *)p + at, n) != 0;
    }
    return bad ? -1 : 0;
}

void *mlc_file_map(int fd, size_t len)
{
    /* Writable and private: a caller may write into the matrix (the page
     * written is copied; the file never changes). */
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    /* Page-cache pages held in 2 MiB folios (what numpy.save's large write
     * leaves, and what a huge-page read-ahead of this mapping makes) are then
     * mapped 2 MiB at a time: the first pass over an 80 MB matrix costs 40
     * entries, not 20 000. Advice only: a failure changes nothing. */
    madvise(p, len, MADV_HUGEPAGE);
#endif
    if (populate(p, len) != 0) {
        munmap(p, len);
        return NULL;
    }
    return p;
}

int mlc_file_map_adopt(void *base, size_t len, const double *data)
{
    mapping *m = malloc(sizeof *m);
    if (!m) {
        munmap(base, len);
        return mlc_raise_nomem("a file mapping");
    }
    *m = (mapping){data, base, len, NULL};
    pthread_mutex_lock(&lock);
    m->next = mappings;
    mappings = m;
    pthread_mutex_unlock(&lock);
    return MLC_OK;
}

void mlc_file_map_release(const double *data)
{
    mapping *found = NULL;
    pthread_mutex_lock(&lock);
    for (mapping **at = &mappings; *at; at = &(*at)->next)
        if ((*at)->data == data) {
            found = *at;
            *at = found->next;
            break;
        }
    pthread_mutex_unlock(&lock);
    if (found) {
        munmap(found->base, found->len);
        free(found);
    }
}
