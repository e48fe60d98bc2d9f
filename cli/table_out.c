/* Writing result tables: to a file through the library (temporary file then
 * rename) or to standard output. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "table_out.h"

int cli_write_table(const char *path, const mlc_matrix *m, const char *const *names)
{
    if (path && strcmp(path, "-") != 0) {
        int st = mlc_csv_write(path, m, names);
        return st ? cli_fail(path, st) : EXIT_OK;
    }
    for (size_t j = 0; j < m->cols; j++)
        printf("%s%s", j ? "," : "", names[j]);
    putchar('\n');
    for (size_t i = 0; i < m->rows; i++) {
        for (size_t j = 0; j < m->cols; j++)
            printf("%s%.17g", j ? "," : "", MLC_AT(m, i, j));
        putchar('\n');
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
