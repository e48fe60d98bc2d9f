/* The NPY reader on arbitrary bytes: from memory (mlc_npy_parse) and from a
 * file (mlc_npy_read_array, which maps a file whose data is the matrix and
 * checks the header's size against the file). Every value of a matrix read
 * is touched, so a shape larger than the data shows up under ASan. */
#include <unistd.h>
#include "fuzz_util.h"
#include "mlcore/mlcore.h"

static double touch(const mlc_matrix *m)
{
    double s = 0;
    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++)
            s += MLC_AT(m, i, j);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mlc_matrix m = {0};
    volatile double sink = 0;
    if (mlc_npy_parse(data, size, "fuzz.npy", &m) == MLC_OK)
        sink += touch(&m);
    mlc_matrix_clear(&m);
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd >= 0) {
        size_t shape[MLC_ARRAY_MAX_DIMS];
        int ndim = 0;
        if (mlc_npy_read_array(path, &m, shape, &ndim) == MLC_OK)
            sink += touch(&m);
        mlc_matrix_clear(&m);
        close(fd);
    }
    (void)sink;
    return 0;
}
