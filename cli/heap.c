/* The command's heap: memory freed by one phase (fit) is reused by the next
 * (score, save) instead of going back to the kernel, and fresh heap comes in
 * transparent huge pages where the kernel allows them.
 *
 * Why: a process fits once, so every page it touches is new, and a page
 * fault costs 5-11 us on the virtual machines we measure on (a 100 000 x 100
 * Ridge fit from the shell took ~1 100 faults, as long as the fit itself).
 * With a 2 MiB page the same memory costs one fault.
 *
 * This changes the process's malloc settings, which only the program that
 * owns the process may do: the library never calls it. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "cli.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Heap grown ahead of need, and kept when freed (the command is short-lived). */
#define HEAP_PAD ((size_t)64 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void cli_heap_setup(void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
    /* One arena: the worker threads' short-lived buffers come from (and go
     * back to) the same huge-page heap as the main thread's. */
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's largest; bigger blocks are mapped */
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_TOP_PAD, (int)HEAP_PAD);
    uintptr_t start = (uintptr_t)sbrk(0);
    /* volatile: a malloc/free pair the compiler can see may be removed */
    void *volatile probe = malloc(HEAP_PAD / 4); /* grows the heap by HEAP_PAD and more */
    free(probe);                                 /* and keeps it (M_TRIM_THRESHOLD) */
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t top = (uintptr_t)sbrk(0);
    uintptr_t lo = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (probe && top > lo)
        (void)madvise((void *)lo, top - lo, MADV_HUGEPAGE); /* advice: failure is harmless */
#endif
#endif
}
