#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal/mem.h"

void *mlc_aligned_alloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    bytes = (bytes + MLC_ALIGN - 1) / MLC_ALIGN * MLC_ALIGN;
    if (bytes == 0)
        bytes = MLC_ALIGN;
    return aligned_alloc(MLC_ALIGN, bytes);
}

void *mlc_aligned_calloc(size_t n, size_t size)
{
    void *p = mlc_aligned_alloc(n, size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void mlc_aligned_free(void *p)
{
    free(p);
}
