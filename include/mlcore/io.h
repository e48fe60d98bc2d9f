/* Reading and writing data files: CSV (header row of names) and NPY.
 *
 * Errors name the file, and for CSV the physical line and column:
 *   "data.csv: line 7, column 3 ('petal_width'): 'abc' is not a number".
 * Malformed content is MLC_EFORMAT, a file that cannot be opened, read or
 * written MLC_EIO (with the system's reason). Numbers are read and written
 * in the "C" locale whatever the program's locale.
 *
 * Ownership (mlcore.h): readers fill a caller's mlc_table or mlc_matrix,
 * released with mlc_table_clear / mlc_matrix_clear; on failure the output is
 * left empty (zeroed), so clearing it is always safe. Writers keep nothing.
 * Errors of every reader: MLC_EIO, MLC_EFORMAT (plus those noted below); of
 * every writer: MLC_EIO, and MLC_EINVAL for a matrix with a stride < cols
 * (for CSV also one without columns; NPY writes empty arrays). */
#ifndef MLCORE_IO_H
#define MLCORE_IO_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A table read from a file: numeric matrix plus column names. */
typedef struct mlc_table {
    mlc_matrix data;   /* owned */
    char **names;      /* data.cols malloc'ed names, from the CSV header */
} mlc_table;
/* Release what a table holds and zero it. Safe on NULL and on a zeroed table. */
MLC_API void mlc_table_clear(mlc_table *t);
/* Index of the column called `name`, or -1 (also for NULL arguments). */
MLC_API long mlc_table_column(const mlc_table *t, const char *name);

/* CSV: first row is the header; fields separated by commas, optionally
 * quoted ("..." with "" for a quote, may span lines); LF or CRLF line ends;
 * a UTF-8 byte order mark is skipped; empty lines are skipped. The header's
 * names must be distinct, and not all numbers: a first row of numbers only
 * is MLC_EFORMAT ("the first row holds only numbers"), since taking it for
 * names would lose a row of data silently; read such a file with
 * MLC_CSV_NO_HEADER. Every other field must be a number as
 * numpy.loadtxt(dtype=float) reads one: [+-]digits[.digits][e[+-]digits]
 * (or .digits), or nan, inf, infinity in any case, optionally surrounded by
 * whitespace; hexadecimal (0x10), a decimal comma, "1e" or an empty field is
 * MLC_EFORMAT naming the line and column ("data.csv: line 7, column 3
 * ('petal_width'): '0x10' is not a number"). nan/inf are accepted here (and
 * rejected by fit) unless MLC_CSV_FINITE is given. Every row must have as
 * many fields as the header. An empty file or one with no rows after the
 * header is MLC_EEMPTY. The file is parsed in chunks, not held in memory:
 * rows of plain numbers by a scanner of its own on all cores, anything else
 * (quotes, every error) by libcsv, which words the message; both give the
 * same table. Numbers are correctly rounded, the bits strtod gives. */
MLC_API int mlc_csv_read(const char *path, mlc_table *out);
/* Parse CSV text already in memory (not kept); `name` is used in messages.
 * Errors: as mlc_csv_read, without MLC_EIO. */
MLC_API int mlc_csv_parse(const char *text, size_t len, const char *name, mlc_table *out);
/* Flags of the _flags readers, or-ed (0: as mlc_csv_read).
 * MLC_CSV_NO_HEADER: the file has no header row; every row is data and the
 * columns are named "x0", "x1", ... (the command's --no-header).
 * MLC_CSV_FINITE: a NaN or infinite value is MLC_ENONFINITE naming the line
 * (as an editor counts it) and the column ("d.csv: line 3, column 2 ('b'):
 * 'nan' is NaN; only finite numbers are accepted"). Another bit is
 * MLC_EINVAL. */
#define MLC_CSV_NO_HEADER 1u
#define MLC_CSV_FINITE 2u
MLC_API int mlc_csv_read_flags(const char *path, unsigned flags, mlc_table *out);
MLC_API int mlc_csv_parse_flags(const char *text, size_t len, const char *name, unsigned flags,
                                mlc_table *out);
/* Write a matrix with a header row (names may be NULL: "x0","x1",...),
 * through a temporary file renamed into place. Doubles round-trip (%.17g). */
MLC_API int mlc_csv_write(const char *path, const mlc_matrix *m, const char *const *names);

/* NPY (format 1.0/2.0/3.0): read float64/float32, int64/32/16/8,
 * uint64/32/16/8 or bool (little or big endian), C or Fortran order, 1-D
 * (n x 1) or 2-D, into a double matrix (int64/uint64 beyond 2^53 round).
 * Bad magic, a malformed header, truncated data, trailing bytes, other
 * dtypes and 0-D or 3-D+ arrays are MLC_EFORMAT; other format versions
 * MLC_EVERSION. mlc_npy_parse reads bytes in memory (not kept).
 *
 * A file whose data already is the matrix (float64 in this machine's byte
 * order, C order or a single column, at an offset that is a multiple of 8,
 * as numpy writes it) is mapped, not copied: out->owns is MLC_MATRIX_MAPPED
 * and out->data points into a private mapping of the file, released by
 * mlc_matrix_clear. Reading costs no copy and no new memory; writing into the
 * matrix is allowed and copies the page written, never changing the file.
 * While the matrix lives the file must not be overwritten in place (numpy.save
 * to the same path truncates it: reading the matrix may then crash with
 * SIGBUS, as with numpy.load(mmap_mode='r')); replacing it by a new file (a
 * rename, as mlc_npy_write does) is safe. Take mlc_matrix_copy of the matrix
 * to hold values independent of the file. Other files, and systems that
 * cannot map the file, are read into an allocated matrix. The same holds for
 * mlc_npy_read_array and the readers built on them (mlc_matrix_read,
 * mlc_array_read, mlc_dataset_read). */
MLC_API int mlc_npy_read(const char *path, mlc_matrix *out);
MLC_API int mlc_npy_parse(const void *bytes, size_t len, const char *name, mlc_matrix *out);
/* Write a 2-D float64 C-order array (format 1.0, this machine's byte order,
 * through a temporary file renamed into place). */
MLC_API int mlc_npy_write(const char *path, const mlc_matrix *m);
/* Write a 1-D int32 / float64 array. */
MLC_API int mlc_npy_write_int32(const char *path, const int32_t *v, size_t n);
MLC_API int mlc_npy_write_vector(const char *path, const double *v, size_t n);

/* A matrix from a file chosen by extension (.npy in any case, else CSV; the
 * CSV header row is dropped). Errors: those of mlc_npy_read / mlc_csv_read. */
MLC_API int mlc_matrix_read(const char *path, mlc_matrix *out);

/* Arrays of any number of dimensions, as array parameters take them
 * (GaussianMixture's precisions_init is (n_components, d, d)): the last
 * dimension becomes the columns and all the others the rows, so a (K, d, d)
 * array is the K*d x d matrix of its blocks stacked and a 1-D array of n is
 * n x 1. shape[0..*ndim) gets the array's own shape (shape and ndim may be
 * NULL). mlc_npy_read_array reads an .npy of 1 to MLC_ARRAY_MAX_DIMS
 * dimensions; mlc_array_read chooses by extension, a CSV being 2-D (its
 * header row dropped). Errors: those of mlc_npy_read / mlc_csv_read. */
#define MLC_ARRAY_MAX_DIMS 8
MLC_API int mlc_npy_read_array(const char *path, mlc_matrix *out,
                               size_t shape[MLC_ARRAY_MAX_DIMS], int *ndim);
MLC_API int mlc_array_read(const char *path, mlc_matrix *out, size_t shape[MLC_ARRAY_MAX_DIMS],
                           int *ndim);

#ifdef __cplusplus
}
#endif

#endif
