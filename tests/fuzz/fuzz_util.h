/* Shared by the fuzz targets: the input as a file (a memfd named through
 * /proc/self/fd, so nothing is left on disk and every loader's path-based
 * code runs, mapping included). */
#ifndef MLC_FUZZ_UTIL_H
#define MLC_FUZZ_UTIL_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point (the replay runner calls it too). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data into an anonymous file; its path goes to path[len]. Returns the
 * descriptor (close it when done) or -1. */
int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t len);

#endif
