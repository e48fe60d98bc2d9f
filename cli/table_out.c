/* Writing result tables and models: to a file through the library (which
 * writes regular files through a temporary renamed into place, and FIFOs or
 * devices directly), or to standard output for "-". */
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

int cli_save_model(const mlc_estimator *e, const char *path)
{
    /* The library writes descriptor links directly: after whatever the
     * command has already written to its standard output. */
    int is_stdout = !strcmp(path, "-");
    if (is_stdout && fflush(stdout) != 0)
        return cli_fail(path, MLC_EIO);
    int st = mlc_estimator_save(e, is_stdout ? "/dev/stdout" : path);
    return st ? cli_fail(path, st) : EXIT_OK;
}
