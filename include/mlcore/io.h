/* Reading and writing data files: CSV (header row of names) and NPY.
 *
 * Errors name the file, and for CSV the line and column:
 *   "data.csv: line 7, column 3 ('petal_width'): 'abc' is not a number". */
#ifndef MLCORE_IO_H
#define MLCORE_IO_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

/* A table read from a file: numeric matrix plus column names. */
typedef struct mlc_table {
    mlc_matrix data;   /* owned */
    char **names;      /* data.cols names (CSV header; "0","1",... for NPY) */
} mlc_table;
MLC_API void mlc_table_free(mlc_table *t);
/* Index of the column called `name`, or -1. */
MLC_API long mlc_table_column(const mlc_table *t, const char *name);

/* CSV: first row is the header; fields separated by commas, optionally
 * quoted ("..." with "" for a quote); LF or CRLF line ends; empty lines are
 * skipped; every other field must be a number (nan/inf are accepted here and
 * rejected by fit). */
MLC_API int mlc_csv_read(const char *path, mlc_table *out);
/* Parse CSV text already in memory; `name` is used in messages. */
MLC_API int mlc_csv_parse(const char *text, size_t len, const char *name, mlc_table *out);
/* Write a matrix with a header row (names may be NULL: "x0","x1",...),
 * through a temporary file renamed into place. Doubles round-trip (%.17g). */
MLC_API int mlc_csv_write(const char *path, const mlc_matrix *m, const char *const *names);

/* NPY (format 1.0/2.0/3.0): read float64/float32/int32/int64 (little or big
 * endian), C or Fortran order, 1-D (n x 1) or 2-D, into a double matrix. */
MLC_API int mlc_npy_read(const char *path, mlc_matrix *out);
MLC_API int mlc_npy_parse(const void *bytes, size_t len, const char *name, mlc_matrix *out);
/* Write a 2-D float64 C-order array (through a temporary file). */
MLC_API int mlc_npy_write(const char *path, const mlc_matrix *m);
/* Write a 1-D int32 / float64 array. */
MLC_API int mlc_npy_write_int32(const char *path, const int32_t *v, size_t n);
MLC_API int mlc_npy_write_vector(const char *path, const double *v, size_t n);

/* A matrix from a file chosen by extension (.npy, else CSV; the CSV header
 * row is dropped). */
MLC_API int mlc_matrix_read(const char *path, mlc_matrix *out);

#endif
