/* Row partitions and the thread-count rule (lib/internal/parallel.h). */
#include "internal/parallel.h"
#include "mlcore/threads.h"

mlc_parts mlc_parts_sized(size_t n, size_t rows)
{
    if (rows < 1)
        rows = 1;
    size_t count = (n + rows - 1) / rows;
    mlc_parts P = {n, count ? count : 1, rows, 1};
    return P;
}

mlc_parts mlc_parts_aligned(size_t n, size_t count, size_t align)
{
    if (count < 1)
        count = 1;
    if (align < 1)
        align = 1;
    size_t rows = (n + count - 1) / count;
    rows = (rows + align - 1) / align * align;
    return mlc_parts_sized(n, rows ? rows : align);
}

mlc_parts mlc_parts_even(size_t n, size_t count, size_t align)
{
    mlc_parts P = {n, count ? count : 1, 0, align ? align : 1};
    return P;
}

size_t mlc_parts_count_for(size_t n, size_t min_rows, size_t max_count)
{
    size_t c = min_rows ? n / min_rows : n;
    if (c > max_count)
        c = max_count;
    return c ? c : 1;
}

int mlc_threads_for(int n_threads, size_t max_useful, double work, double serial_below)
{
    int t = mlc_resolve_threads(n_threads);
    if (max_useful < 1)
        max_useful = 1;
    if ((size_t)t > max_useful)
        t = (int)max_useful;
    if (work < serial_below || t < 1)
        t = 1;
    return t;
}

mlc_parts mlc_parts_with_scratch(size_t n, size_t scratch_doubles_per_part)
{
    size_t count = mlc_parts_count_for(n, 4096, 64);
    if (scratch_doubles_per_part > 0) {
        size_t cap = ((size_t)1 << 22) / scratch_doubles_per_part; /* 32 MiB of scratch */
        if (count > cap)
            count = cap;
    }
    return mlc_parts_aligned(n, count, 8);
}
