/* Files embedded in the library at build time (the bundled datasets). */
#ifndef MLC_INTERNAL_EMBEDDED_H
#define MLC_INTERNAL_EMBEDDED_H
#include <stddef.h>

typedef struct mlc_embedded_file {
    const char *name;
    const unsigned char *data;
    size_t size;
} mlc_embedded_file;

/* Terminated by an entry whose name is NULL. */
extern const mlc_embedded_file mlc_embedded_files[];

/* The embedded file called `name`, or NULL. */
const mlc_embedded_file *mlc_embedded_find(const char *name);

#endif
