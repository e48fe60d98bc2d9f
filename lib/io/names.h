/* Column names: lookups in a sorted copy, and the one check that a list of
 * names has no repeat (CSV headers, feature_names_in_). */
#ifndef MLC_IO_NAMES_H
#define MLC_IO_NAMES_H
#include <stddef.h>

typedef struct mlc_named_col {
    const char *name;
    size_t col;
} mlc_named_col;

/* names[0..n) with their columns, sorted by name then column (malloc'ed);
 * NULL with MLC_ENOMEM raised. */
mlc_named_col *mlc_names_sorted(const char *const *names, size_t n);
/* Binary search of a sorted list: 1 and the column of `name` in *col, or 0. */
int mlc_names_find(const mlc_named_col *sorted, size_t n, const char *name, size_t *col);
/* The first name of names[0..n) (in column order) that repeats an earlier
 * one: 1 with its column in *again and the earlier one's in *first; 0 when
 * all are distinct; -1 with MLC_ENOMEM raised. O(n log n): a header may
 * have 10^5 names. */
int mlc_first_repeated_name(const char *const *names, size_t n, size_t *first, size_t *again);

#endif
