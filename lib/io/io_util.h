/* Shared plumbing for the data-file readers and writers. */
#ifndef MLC_INTERNAL_IO_UTIL_H
#define MLC_INTERNAL_IO_UTIL_H
#include <jansson.h>
#include <stdio.h>
#include "mlcore/estimator.h"

/* Writes the file body to `f`; returns MLC_OK or a status it has raised.
 * Plain stdio failures need not be reported: the caller checks the stream. */
typedef int (*mlc_file_writer)(FILE *f, const void *ctx);

/* Write `path` so that nothing but its content changes (lib/io/file_write.c).
 * Links are followed to the file they name (a link stays a link). A regular
 * file, or a new one, is written in full (to an unnamed O_TMPFILE file on
 * Linux), flushed to the disk, named ".NAME" MLC_TEMP_FILE_MARK "PID.XXXXXX"
 * beside it (PID the writer's process id) and renamed into place, so a
 * failure or a crash never leaves a half-written `path`; the temporary is
 * removed on every failure, a successful write removes NAME's temporaries
 * of processes that no longer exist (a kill left them; folders of up to a
 * few hundred names are searched), and the replaced file's
 * permissions are kept. Anything else (a FIFO, a character device, a
 * descriptor link such as /dev/stdout) is written directly. `write` runs
 * under the "C" locale, so printf's "%.17g" always uses a '.' decimal
 * point. Errors are MLC_EIO naming `path` and the reason. */
#define MLC_TEMP_FILE_MARK ".mlcore-tmp."
int mlc_write_file_atomic(const char *path, mlc_file_writer write, const void *ctx);

/* A model file laid out for people and for size (lib/io/json_layout.c):
 * {"attributes": {name: array, ...}, then the members of `rest`}, members
 * one per line with keys sorted (rest's must sort after "attributes"), an
 * array of scalars on one line, an array of arrays one element per line,
 * reals in the fewest digits that round-trip and non-finite ones as "nan",
 * "inf", "-inf". Run under the "C" locale (mlc_write_file_atomic does). */
int mlc_json_write_model(FILE *f, const mlc_attribute *attrs, size_t n_attrs,
                         const json_t *rest);

/* 1 if `path` ends in ".npy" (any case), else 0. */
int mlc_path_is_npy(const char *path);

#endif
