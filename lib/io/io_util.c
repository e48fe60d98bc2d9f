/* The plumbing the data-file readers and writers share: telling formats by
 * name (the writer of files is lib/io/file_write.c). */
#include <string.h>
#include <strings.h>
#include "io_util.h"

int mlc_path_is_npy(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n >= 4 && strcasecmp(path + n - 4, ".npy") == 0;
}
