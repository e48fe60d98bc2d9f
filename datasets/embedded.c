#include <string.h>
#include "embedded.h"

const mlc_embedded_file *mlc_embedded_find(const char *name)
{
    for (const mlc_embedded_file *f = mlc_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
