/* The Gram matrix B'B of a block of rows, held in column panels.
 *
 * Panel layout: the block's columns in groups of MLC_GRAM_PANEL_W; panel q
 * starts at buf + q * panel_stride and holds row r's columns
 * [8q, 8q + 8) at + 8 r, so a panel is a contiguous m x 8 slab. Columns past
 * the data's width are zero. panel_stride is at least 8 m; one spare cache
 * line beyond that keeps the panels from sharing L1 sets (a 4 KiB multiple
 * apart they would).
 *
 * Why not OpenBLAS's DSYRK: for the tall products of the linear models (m
 * rows by 20-300 columns, accumulated over many blocks) it repacks every
 * block and runs at about half of this core's FMA peak (24 GF/s at 100
 * columns); the panels are already the packed form, and an 8 x 16 register
 * tile runs at about 53 GF/s from L2. */
#ifndef MLC_INTERNAL_GRAM_PANELS_H
#define MLC_INTERNAL_GRAM_PANELS_H

#include <stddef.h>

#define MLC_GRAM_PANEL_W 8

/* The panel stride for blocks of up to `rows` rows. */
size_t mlc_gram_panel_stride(size_t rows);

/* acc (row-major, leading dimension ldc >= 8 n_panels) += the panel-row
 * range [q0, q1) of the upper block triangle of B'B, for the m rows of the
 * panels: tiles (I, J) with q0 <= I < q1 and J >= I. Diagonal tiles are
 * filled in full; entries below the diagonal of acc are otherwise left
 * alone. Each tile sums its rows in order, so the result does not depend on
 * how the panel rows are split between threads.
 *
 * The product is bound by FMAs, filling the next block by memory: while it
 * multiplies, it fetches prefetch_bytes from prefetch into cache (NULL, 0:
 * nothing), spread evenly over the tiles. */
void mlc_gram_panels_accumulate(const double *panels, size_t panel_stride, size_t m,
                                size_t n_panels, size_t q0, size_t q1, double *acc, size_t ldc,
                                const void *prefetch, size_t prefetch_bytes);

/* The same at a level of mlc_cpu_level() (exposed for the test):
 * MLC_SIMD_512 (AVX-512 tiles, only where mlc_cpu_wide()), MLC_SIMD_256, or
 * MLC_SIMD_SCALAR (the plain reference, fma() per entry). Every form gives
 * the same bits where the 256-bit form is built for FMA. */
void mlc_gram_panels_accumulate_form(int level, const double *panels, size_t panel_stride,
                                     size_t m, size_t n_panels, size_t q0, size_t q1,
                                     double *acc, size_t ldc, const void *prefetch,
                                     size_t prefetch_bytes);

#endif
