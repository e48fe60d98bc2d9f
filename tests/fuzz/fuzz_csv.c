/* The CSV reader on arbitrary bytes: from memory (mlc_csv_parse) and from a
 * file (mlc_csv_read, whose chunked reader cuts the text elsewhere), and
 * the column lookup on what came out. Both must agree on success. */
#include <string.h>
#include <unistd.h>
#include "fuzz_util.h"
#include "mlcore/mlcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mlc_table t = {0}, f = {0};
    int st = mlc_csv_parse((const char *)data, size, "fuzz.csv", &t);
    if (st == MLC_OK && t.data.cols > 0)
        (void)mlc_table_column(&t, t.names[t.data.cols - 1]);
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd >= 0) {
        int st_file = mlc_csv_read(path, &f);
        close(fd);
        /* The same text gives the same answer through both readers. */
        if ((st == MLC_OK) != (st_file == MLC_OK))
            __builtin_trap();
        if (st == MLC_OK && (t.data.rows != f.data.rows || t.data.cols != f.data.cols))
            __builtin_trap();
    }
    mlc_table_clear(&f);
    mlc_table_clear(&t);
    return 0;
}
