/* 64-byte aligned allocation for owned buffers. */
#ifndef MLC_INTERNAL_MEM_H
#define MLC_INTERNAL_MEM_H
#include <stddef.h>

#define MLC_ALIGN 64
/* Zeroed, 64-byte aligned; NULL on overflow or failure. */
void *mlc_aligned_calloc(size_t n, size_t size);
/* Uninitialised, 64-byte aligned; NULL on overflow or failure. */
void *mlc_aligned_alloc(size_t n, size_t size);
/* The same in ordinary pages only, whatever the size: for the largest
 * buffers, filled as a fit goes and never streamed whole (a distance
 * matrix; the kernel-row cache, from malloc, is in ordinary pages too). Where memory is backed lazily by a host (a
 * virtual machine), a fresh 2 MiB page costs about five times more per byte
 * to fault in than fresh 4 KiB pages, and its TLB reach does not pay that
 * back here (see lib/core/mem.c). */
void *mlc_aligned_alloc_small_pages(size_t n, size_t size);
void mlc_aligned_free(void *p);
/* Enter the pages of [from, from + bytes) in the page table now, writable,
 * in one call rather than a fault per page (Linux 5.14's
 * MADV_POPULATE_WRITE; elsewhere nothing): before a team of threads fills
 * them, or to enter a large stretch on several threads at once (fresh
 * pages are entered at 2.5-3.3 GB/s on one thread of the bench VM, 6 GB/s
 * on two). Contents are kept; the last page is left out when the stretch
 * ends inside it. */
void mlc_enter_pages(void *from, size_t bytes);

#endif
