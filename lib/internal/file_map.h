/* Matrices that are views into a mapped file (owns == MLC_MATRIX_MAPPED):
 * the NPY reader hands out its data in place instead of copying it, and
 * mlc_matrix_clear gives the mapping back. */
#ifndef MLC_INTERNAL_FILE_MAP_H
#define MLC_INTERNAL_FILE_MAP_H
#include <stddef.h>

/* Map the first `len` (> 0) bytes of the open file `fd` privately (pages
 * the process writes are copied, the file never changes) with every page
 * entered in the page table. NULL when the system cannot map the file (a
 * pipe, no memory): the caller then reads it. Raises nothing. */
void *mlc_file_map(int fd, size_t len);
/* Hand the mapping [base, base + len) to the matrix whose data pointer is
 * `data` (inside it): mlc_matrix_clear then unmaps it. MLC_OK, or
 * MLC_ENOMEM raised with the mapping released. */
int mlc_file_map_adopt(void *base, size_t len, const double *data);
/* Unmap the mapping adopted for `data`; nothing if there is none. */
void mlc_file_map_release(const double *data);

#endif
