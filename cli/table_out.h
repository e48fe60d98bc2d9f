#ifndef MLC_CLI_TABLE_OUT_H
#define MLC_CLI_TABLE_OUT_H
#include "mlcore/estimator.h"
#include "mlcore/matrix.h"
/* Write a CSV table with a header row to `path`, or to stdout when path is
 * NULL or "-". Returns an exit status. */
int cli_write_table(const char *path, const mlc_matrix *m, const char *const *names);
/* Save a fitted model to `path` ("-": standard output). Returns an exit
 * status (the failure reported). */
int cli_save_model(const mlc_estimator *e, const char *path);
#endif
