#ifndef MLC_CLI_TABLE_OUT_H
#define MLC_CLI_TABLE_OUT_H
#include "mlcore/matrix.h"
/* Write a CSV table with a header row to `path`, or to stdout when path is
 * NULL or "-". Returns an exit status. */
int cli_write_table(const char *path, const mlc_matrix *m, const char *const *names);
#endif
