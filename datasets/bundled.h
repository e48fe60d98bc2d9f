/* Internal: the bundled-data parser fed with other bytes, so that tests can
 * show that malformed files give MLC_EFORMAT (the embedded ones never are). */
#ifndef MLC_DATASETS_BUNDLED_H
#define MLC_DATASETS_BUNDLED_H
#include <stddef.h>
#include "mlcore/dataset.h"

/* mlc_load_bundled(dataset, out) with the embedded file called `file` (e.g.
 * "iris.csv", "digits.csv.gz") replaced by `len` bytes at `bytes`, on the
 * calling thread only. */
int mlc_bundled_load_with(const char *dataset, const char *file, const void *bytes, size_t len,
                          mlc_dataset *out);

#endif
