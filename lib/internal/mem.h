/* 64-byte aligned allocation for owned buffers. */
#ifndef MLC_INTERNAL_MEM_H
#define MLC_INTERNAL_MEM_H
#include <stddef.h>

#define MLC_ALIGN 64
/* Zeroed, 64-byte aligned; NULL on overflow or failure. */
void *mlc_aligned_calloc(size_t n, size_t size);
/* Uninitialised, 64-byte aligned; NULL on overflow or failure. */
void *mlc_aligned_alloc(size_t n, size_t size);
void mlc_aligned_free(void *p);

#endif
