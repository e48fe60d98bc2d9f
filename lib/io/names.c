/* Column names, sorted for lookups and for finding repeats. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "names.h"

static int by_name_then_col(const void *a, const void *b)
{
    const mlc_named_col *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->col > y->col) - (x->col < y->col);
}

mlc_named_col *mlc_names_sorted(const char *const *names, size_t n)
{
    mlc_named_col *s = malloc((n ? n : 1) * sizeof *s);
    if (!s) {
        mlc_raise_nomem("column names");
        return NULL;
    }
    for (size_t j = 0; j < n; j++)
        s[j] = (mlc_named_col){names[j], j};
    qsort(s, n, sizeof *s, by_name_then_col);
    return s;
}

int mlc_names_find(const mlc_named_col *sorted, size_t n, const char *name, size_t *col)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sorted[mid].name, name);
        if (c == 0) {
            *col = sorted[mid].col;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int mlc_first_repeated_name(const char *const *names, size_t n, size_t *first, size_t *again)
{
    if (n < 2)
        return 0;
    mlc_named_col *sorted = mlc_names_sorted(names, n);
    if (!sorted)
        return -1;
    /* The second entry of each name's block is that name's first repeat:
     * the earliest of those is the answer. */
    *again = SIZE_MAX;
    for (size_t k = 1; k < n; k++) {
        int repeat = strcmp(sorted[k - 1].name, sorted[k].name) == 0;
        int block_start = k < 2 || strcmp(sorted[k - 2].name, sorted[k - 1].name) != 0;
        if (repeat && block_start && sorted[k].col < *again) {
            *again = sorted[k].col;
            *first = sorted[k - 1].col;
        }
    }
    free(sorted);
    return *again != SIZE_MAX;
}
