/* The common CSV body, rows of plain numbers, parsed without libcsv: what
 * csv.c tries first. Anything else, every error included, sends the caller
 * back to the full reader, which parses the file from its start and words
 * the message, so both give the same table or the same error. */
#ifndef MLC_IO_CSV_FAST_H
#define MLC_IO_CSV_FAST_H
#include <locale.h>
#include <stddef.h>

typedef struct mlc_csv_rows {
    size_t cols;   /* fields per row (the header's) */
    locale_t loc;  /* "C", for the numbers strtod reads */
    int finite;    /* MLC_CSV_FINITE: a NaN or infinity is left to the full reader */
    double *data;  /* rows x cols, row-major, 64-byte aligned */
    size_t rows, cap;
} mlc_csv_rows;

/* Room for about `expect` rows (grown later as needed). MLC_OK or
 * MLC_ENOMEM raised. */
int mlc_csv_rows_reserve(mlc_csv_rows *r, size_t expect);

/* Append the rows of text[0..n): whole lines, each ending in LF or CRLF but
 * perhaps the last, which then ends at n; text[n] must be readable and not
 * continue a number (a NUL). Empty lines are skipped. *slow is set (and the
 * rows so far are kept) when a line is anything but `cols` numbers
 * separated by commas (mlc_number_field's rule; finite ones when r->finite),
 * or holds a quote or a lone CR. Large texts are parsed on all cores. MLC_OK, or MLC_ENOMEM raised. */
int mlc_csv_rows_add(mlc_csv_rows *r, const char *text, size_t n, int *slow);

void mlc_csv_rows_clear(mlc_csv_rows *r);

#endif
