/* Shared plumbing for the data-file readers and writers. */
#ifndef MLC_INTERNAL_IO_UTIL_H
#define MLC_INTERNAL_IO_UTIL_H
#include <stdio.h>

/* Writes the file body to `f`; returns MLC_OK or a status it has raised.
 * Plain stdio failures need not be reported: the caller checks the stream. */
typedef int (*mlc_file_writer)(FILE *f, const void *ctx);

/* Create `path` through a temporary file in the same directory that is
 * renamed into place only when everything was written, so a failure or a
 * crash never leaves a half-written `path` (the temporary is removed on
 * failure). `write` runs under the "C" locale, so printf's "%.17g" always
 * uses a '.' decimal point. Errors are MLC_EIO naming `path` and the reason. */
int mlc_write_file_atomic(const char *path, mlc_file_writer write, const void *ctx);

/* 1 if `path` ends in ".npy" (any case), else 0. */
int mlc_path_is_npy(const char *path);

#endif
