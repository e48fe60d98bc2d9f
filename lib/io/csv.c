/* CSV files: a header row of column names, then rows of numbers.
 *
 * Two readers give the same table. The fast one (csv_fast.c) takes the
 * common case: the header line through libcsv, then rows of plain numbers
 * cut with memchr and parsed in place, in 8 MiB chunks of the file, on all
 * cores. Whatever it does not take (quoted fields, a lone CR, a line that
 * is not a row of numbers: every error) sends the file, from its start, to
 * the full reader: tokenising (quotes, "" escapes, CR/LF, empty lines) by
 * Debian's libcsv in strict mode, its field and row callbacks turned into a
 * table, physical line numbers kept for the messages, the input fed in
 * 1 MiB chunks. Neither holds a file in memory whole. Numbers follow one
 * rule in both (mlc_number_field). */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "csv_fast.h"
#include "decimal.h"
#include "internal/error.h"
#include "io_util.h"
#include "names.h"
#include "internal/mem.h"
#include "mlcore/io.h"

#define CHUNK_BYTES ((size_t)1 << 20)
#define FIRST_ROWS 256
#define SHOW_MAX 40 /* longest field or name quoted in a message */

static const char utf8_bom[3] = {'\xEF', '\xBB', '\xBF'};

typedef struct csv_reader {
    const char *name;     /* file name for messages */
    unsigned flags;       /* MLC_CSV_NO_HEADER, MLC_CSV_FINITE */
    locale_t num_locale;  /* "C": '.' is the decimal point whatever the caller's locale */
    int status;           /* first error; later callbacks do nothing */
    size_t line;          /* physical line (from 1) on which the next field starts */
    int after_cr;         /* last line break was a CR, so an LF now completes a CRLF */
    size_t row_line;      /* line on which the current row started */
    size_t nfields;       /* fields seen so far in the current row */
    int have_header;
    char **names;         /* header; its length is the column count */
    size_t n_names, names_cap;
    double *data;         /* rows x n_names, row-major, 64-byte aligned */
    size_t rows, cap_rows;
} csv_reader;

/* Line breaks in s[0..n): LF, CRLF or a lone CR each count once. */
static size_t count_breaks(const char *s, size_t n)
{
    size_t breaks = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '\n')
            breaks += (k == 0 || s[k - 1] != '\r');
        else if (s[k] == '\r')
            breaks++;
    }
    return breaks;
}

/* s[0..n) made safe to quote in a message: control bytes become '?', long
 * text is cut with "...". */
static const char *show(char *buf, size_t cap, const char *s, size_t n)
{
    size_t k = 0, take = n < SHOW_MAX ? n : SHOW_MAX;
    for (; k < take && k + 4 < cap; k++)
        buf[k] = ((unsigned char)s[k] < 0x20 || s[k] == 0x7f) ? '?' : s[k];
    if (take < n && k + 4 <= cap) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

/* " ('name')" for column col once the header is known, else "". */
static const char *column_label(const csv_reader *r, size_t col, char *buf, size_t cap)
{
    if (!r->have_header || col >= r->n_names)
        return "";
    char shown[SHOW_MAX + 8];
    const char *nm = r->names[col];
    snprintf(buf, cap, " ('%s')", show(shown, sizeof shown, nm, strlen(nm)));
    return buf;
}

static void number_error(csv_reader *r, size_t line, size_t col, const char *s, size_t n)
{
    char label[SHOW_MAX + 16], shown[SHOW_MAX + 8];
    const char *where = column_label(r, col, label, sizeof label);
    size_t blank = 0;
    while (blank < n && (s[blank] == ' ' || s[blank] == '\t'))
        blank++;
    if (blank == n)
        r->status = mlc_raise(MLC_EFORMAT, "%s: line %zu, column %zu%s: empty field where a "
                              "number was expected", r->name, line, col + 1, where);
    else
        r->status = mlc_raise(MLC_EFORMAT, "%s: line %zu, column %zu%s: '%s' is not a number",
                              r->name, line, col + 1, where, show(shown, sizeof shown, s, n));
}

/* Field s[0..n) of column col, on `line`, as a number into *dst: 0, or the
 * error raised (not a number; with MLC_CSV_FINITE, NaN or infinite). */
static int store_number(csv_reader *r, size_t line, size_t col, const char *s, size_t n,
                        double *dst)
{
    if (!mlc_number_field(s, n, r->num_locale, dst)) {
        number_error(r, line, col, s, n);
        return r->status;
    }
    if ((r->flags & MLC_CSV_FINITE) && !isfinite(*dst)) {
        char label[SHOW_MAX + 16], shown[SHOW_MAX + 8];
        r->status = mlc_raise(MLC_ENONFINITE, "%s: line %zu, column %zu%s: '%s' is %s; only "
                              "finite numbers are accepted", r->name, line, col + 1,
                              column_label(r, col, label, sizeof label),
                              show(shown, sizeof shown, s, n),
                              isnan(*dst) ? "NaN" : "infinite");
    }
    return r->status;
}

static void add_name(csv_reader *r, const char *s, size_t n)
{
    if (r->n_names == r->names_cap) {
        size_t cap = r->names_cap ? 2 * r->names_cap : 16;
        char **grown = cap < SIZE_MAX / sizeof *grown ? realloc(r->names, cap * sizeof *grown)
                                                      : NULL;
        if (!grown) {
            r->status = mlc_raise_nomem("the CSV header");
            return;
        }
        r->names = grown;
        r->names_cap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy) {
        r->status = mlc_raise_nomem("the CSV header");
        return;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    r->names[r->n_names++] = copy;
}

/* Double the row capacity (amortised O(1) per row). */
static int grow_rows(csv_reader *r)
{
    size_t cols = r->n_names;
    size_t cap = r->cap_rows ? 2 * r->cap_rows : FIRST_ROWS;
    double *grown = NULL;
    if (cap > r->cap_rows && cap <= SIZE_MAX / sizeof(double) / cols)
        grown = mlc_aligned_alloc(cap * cols, sizeof(double));
    if (!grown) {
        r->status = mlc_raise(MLC_ENOMEM, "%s: out of memory storing more than %zu rows of "
                              "%zu columns", r->name, r->rows, cols);
        return r->status;
    }
    if (r->rows)
        memcpy(grown, r->data, r->rows * cols * sizeof(double));
    mlc_aligned_free(r->data);
    r->data = grown;
    r->cap_rows = cap;
    return MLC_OK;
}

/* libcsv: one field has been read (NUL-terminated, quotes removed). */
static void on_field(void *field, size_t n, void *arg)
{
    csv_reader *r = arg;
    if (r->status)
        return;
    const char *s = field ? field : "";
    if (r->nfields == 0)
        r->row_line = r->line;
    size_t line = r->line;
    r->line += count_breaks(s, n); /* quoted fields may span lines */
    r->after_cr = 0;
    if (!r->have_header) {
        add_name(r, s, n);
        r->nfields++;
        return;
    }
    size_t col = r->nfields++;
    if (col >= r->n_names)
        return; /* too many fields: counted, reported at the end of the row */
    if (col == 0 && r->rows == r->cap_rows && grow_rows(r))
        return;
    store_number(r, line, col, s, n, &r->data[r->rows * r->n_names + col]);
}

/* The header row read into r->names: refused when every field is a number
 * (a file without a header would lose its first row) or a name repeats. */
static void check_header(csv_reader *r)
{
    size_t numbers = 0;
    double v;
    for (size_t j = 0; j < r->n_names; j++)
        numbers += mlc_number_field(r->names[j], strlen(r->names[j]), r->num_locale, &v);
    if (numbers == r->n_names) {
        char shown[SHOW_MAX + 8];
        const char *first = r->names[0];
        r->status = mlc_raise(MLC_EFORMAT, "%s: line %zu: the first row holds only numbers "
                              "('%s'%s), where a header row of column names is expected; a file "
                              "without one is read with the command's --no-header "
                              "(MLC_CSV_NO_HEADER in C), which names the columns x0, x1, ...",
                              r->name,
                              r->row_line, show(shown, sizeof shown, first, strlen(first)),
                              r->n_names > 1 ? ", ..." : "");
        return;
    }
    size_t first = 0, again = 0;
    int repeat = mlc_first_repeated_name((const char *const *)r->names, r->n_names, &first,
                                         &again);
    if (repeat < 0) {
        r->status = MLC_ENOMEM;
        return;
    }
    if (repeat) {
        char shown[SHOW_MAX + 8];
        const char *nm = r->names[again];
        r->status = mlc_raise(MLC_EFORMAT, "%s: line %zu: column %zu repeats the name '%s' of "
                              "column %zu; column names must be distinct", r->name, r->row_line,
                              again + 1, show(shown, sizeof shown, nm, strlen(nm)), first + 1);
    }
}

/* MLC_CSV_NO_HEADER: the first row, read as names, is data; the columns
 * are named x0, x1, ... */
static void first_row_as_data(csv_reader *r)
{
    /* One row: the fast path reads the rows itself and drops this one. */
    r->data = mlc_aligned_alloc(r->n_names, sizeof(double));
    if (!r->data) {
        r->status = mlc_raise_nomem("a CSV row");
        return;
    }
    r->cap_rows = 1;
    for (size_t j = 0; j < r->n_names && !r->status; j++) {
        char *text = r->names[j], buf[32];
        snprintf(buf, sizeof buf, "x%zu", j);
        r->names[j] = strdup(buf);
        if (!r->names[j]) {
            r->names[j] = text;
            r->status = mlc_raise_nomem("the CSV column names");
            return;
        }
        store_number(r, r->row_line, j, text, strlen(text), &r->data[j]);
        free(text);
    }
    r->rows = 1;
}

/* libcsv: a row ended at line-break character c (-1 at the end of input).
 * CSV_REPALL_NL reports every CR and LF, so empty lines arrive as rows
 * without fields and the line count stays exact. */
static void on_row(int c, void *arg)
{
    csv_reader *r = arg;
    if (r->status)
        return;
    if (r->nfields > 0) {
        if (!r->have_header) {
            r->have_header = 1;
            if (r->flags & MLC_CSV_NO_HEADER)
                first_row_as_data(r);
            else
                check_header(r);
            if (r->status)
                return;
        } else if (r->nfields != r->n_names) {
            r->status = mlc_raise(MLC_EFORMAT, "%s: line %zu has %zu field%s, the header has %zu",
                                  r->name, r->row_line, r->nfields, r->nfields == 1 ? "" : "s",
                                  r->n_names);
            return;
        } else {
            r->rows++;
        }
        r->nfields = 0;
    }
    if (c == '\r') {
        r->line++;
        r->after_cr = 1;
    } else if (c == '\n') {
        if (!r->after_cr)
            r->line++;
        r->after_cr = 0;
    }
}

static int reader_init(csv_reader *r, struct csv_parser *p, const char *name, unsigned flags)
{
    memset(r, 0, sizeof *r);
    r->name = name ? name : "CSV text";
    r->flags = flags;
    r->line = 1;
    r->num_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!r->num_locale)
        return mlc_raise_nomem("a locale");
    if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
        freelocale(r->num_locale);
        return mlc_raise_nomem("the CSV parser");
    }
    return MLC_OK;
}

static void reader_clear(csv_reader *r, struct csv_parser *p)
{
    csv_free(p);
    freelocale(r->num_locale);
    for (size_t j = 0; j < r->n_names; j++)
        free(r->names[j]);
    free(r->names);
    mlc_aligned_free(r->data);
}

/* libcsv stopped early: a quote where strict CSV allows none, or no memory. */
static int parse_error(csv_reader *r, struct csv_parser *p)
{
    if (csv_error(p) != CSV_EPARSE)
        return mlc_raise(MLC_ENOMEM, "%s: out of memory reading a field at line %zu", r->name,
                         r->line);
    char label[SHOW_MAX + 16];
    return mlc_raise(MLC_EFORMAT, "%s: line %zu, column %zu%s: misplaced quote (a '\"' inside "
                     "an unquoted field, or text after a closing quote; quote the whole field "
                     "and write \"\" for a quote inside it)", r->name, r->line, r->nfields + 1,
                     column_label(r, r->nfields, label, sizeof label));
}

static int feed(csv_reader *r, struct csv_parser *p, const char *buf, size_t n)
{
    size_t done = csv_parse(p, buf, n, on_field, on_row, r);
    if (r->status)
        return r->status;
    if (done < n)
        return parse_error(r, p);
    return MLC_OK;
}

/* End of input: hand the table over to *out on success. */
static int finish(csv_reader *r, struct csv_parser *p, mlc_table *out)
{
    if (csv_fini(p, on_field, on_row, r) != 0 && !r->status) {
        char label[SHOW_MAX + 16];
        return mlc_raise(MLC_EFORMAT, "%s: line %zu, column %zu%s: unterminated quoted field "
                         "(the closing '\"' is missing)", r->name, r->line, r->nfields + 1,
                         column_label(r, r->nfields, label, sizeof label));
    }
    if (r->status)
        return r->status;
    if (!r->have_header)
        return mlc_raise(MLC_EEMPTY, "%s: the file is empty; expected %s", r->name,
                         (r->flags & MLC_CSV_NO_HEADER) ? "rows of numbers"
                                                        : "a header row of column names "
                                                          "followed by rows of numbers");
    if (r->rows == 0)
        return mlc_raise(MLC_EEMPTY, "%s: no data rows after the header (%zu column%s)",
                         r->name, r->n_names, r->n_names == 1 ? "" : "s");
    mlc_matrix m = {r->rows, r->n_names, r->n_names, r->data, 1};
    out->data = m;
    out->names = r->names;
    r->data = NULL;
    r->names = NULL;
    r->n_names = 0;
    return MLC_OK;
}

/* ------------------------------------------------------------ fast path */

#define FAST_CHUNK ((size_t)8 << 20)
/* The least read buffer: below malloc's mmap threshold. */
#define SMALL_BUFFER ((size_t)64 << 10)

/* Bytes of read buffer for the file `f`: `most`, or for a regular file
 * smaller than that its size and one byte (the read that finds the end),
 * at least SMALL_BUFFER. A small file must be cheap: an 8 MiB buffer per
 * read is an mmap, page faults and an munmap (90% of the time a fuzzer
 * spent on small inputs). */
static size_t buffer_bytes(FILE *f, size_t most)
{
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
        (uintmax_t)sb.st_size >= most)
        return most; /* size 0: /proc files have content but no size */
    size_t want = (size_t)sb.st_size + 1;
    return want < SMALL_BUFFER ? (SMALL_BUFFER < most ? SMALL_BUFFER : most) : want;
}

/* The header: text's first line, if it is one the fast path can take (no
 * quote, no lone CR, not blank), through libcsv into r's names. *used gets
 * its length with the line break; *slow is set when it is not such a line. */
static int fast_header(csv_reader *r, struct csv_parser *p, const char *text, size_t n,
                       size_t *used, int *slow)
{
    const char *nl = n ? memchr(text, '\n', n) : NULL; /* text may be NULL when n is 0 */
    size_t len = nl ? (size_t)(nl - text) : 0, body = len && text[len - 1] == '\r' ? len - 1 : len;
    int blank_line = 1;
    for (size_t k = 0; k < body && blank_line; k++)
        blank_line = text[k] == ' ' || text[k] == '\t';
    if (!nl || blank_line || memchr(text, '"', len) || memchr(text, '\r', body)) {
        *slow = 1;
        return MLC_OK;
    }
    int st = feed(r, p, text, len + 1);
    if (st)
        return st;
    *slow = !r->have_header;
    /* Without a header the line, checked by the full rule, is parsed again
     * as the first row. */
    *used = (r->flags & MLC_CSV_NO_HEADER) ? 0 : len + 1;
    return MLC_OK;
}

/* Rows to reserve for `total` bytes of rows, from the lines in a sample. */
static size_t expected_rows(const char *sample, size_t n, size_t total)
{
    size_t lines = 0;
    for (const char *p = sample, *nl; (nl = memchr(p, '\n', n - (size_t)(p - sample)));
         p = nl + 1)
        lines++;
    if (lines == 0 || n == 0)
        return 256;
    return (size_t)((double)total / ((double)n / (double)lines) * 1.05) + 256;
}

/* Hand the names and rows over as the table. */
static void fast_finish(csv_reader *r, mlc_csv_rows *rows, mlc_table *out)
{
    out->data = (mlc_matrix){rows->rows, r->n_names, r->n_names, rows->data,
                             MLC_MATRIX_ALLOCATED};
    out->names = r->names;
    rows->data = NULL;
    r->names = NULL;
    r->n_names = 0;
}

/* text[0..len) (BOM removed) by the fast path; *slow when it does not apply
 * (then nothing is left in *out). */
static int fast_parse_text(const char *text, size_t len, const char *name, unsigned flags,
                           mlc_table *out, int *slow)
{
    csv_reader r;
    struct csv_parser p;
    int st = reader_init(&r, &p, name, flags);
    if (st)
        return st;
    mlc_csv_rows rows = {0};
    size_t used = 0;
    st = fast_header(&r, &p, text, len, &used, slow);
    rows.cols = r.n_names;
    rows.loc = r.num_locale;
    rows.finite = (flags & MLC_CSV_FINITE) != 0;
    text += used;
    len -= used;
    if (!st && !*slow)
        st = mlc_csv_rows_reserve(&rows, expected_rows(text, len < FAST_CHUNK ? len : FAST_CHUNK,
                                                       len));
    /* Whole lines in place; a last line without a line break from a copy,
     * where a NUL ends it. */
    const char *last = len ? memrchr(text, '\n', len) : NULL;
    size_t whole = last ? (size_t)(last - text) + 1 : 0;
    if (!st && !*slow)
        st = mlc_csv_rows_add(&rows, text, whole, slow);
    if (!st && !*slow && whole < len) {
        char *tail = malloc(len - whole + 1);
        if (!tail) {
            st = mlc_raise_nomem("a CSV line");
        } else {
            memcpy(tail, text + whole, len - whole);
            tail[len - whole] = '\0';
            st = mlc_csv_rows_add(&rows, tail, len - whole, slow);
            free(tail);
        }
    }
    *slow |= !st && rows.rows == 0; /* the full reader words "no data rows" */
    if (!st && !*slow)
        fast_finish(&r, &rows, out);
    mlc_csv_rows_clear(&rows);
    reader_clear(&r, &p);
    return st;
}

/* A regular file by the fast path, from its current position (after a
 * BOM check): *slow when it does not apply. */
static int fast_read_file(FILE *f, const char *path, unsigned flags, mlc_table *out, int *slow)
{
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *slow = 1; /* a pipe cannot be read twice */
        return MLC_OK;
    }
    const size_t cap = buffer_bytes(f, FAST_CHUNK);
    char *buf = malloc(cap + 1);
    if (!buf)
        return mlc_raise_nomem("a read buffer");
    csv_reader r;
    struct csv_parser p;
    int st = reader_init(&r, &p, path, flags);
    if (st) {
        free(buf);
        return st;
    }
    mlc_csv_rows rows = {0};
    size_t len = fread(buf, 1, cap, f), at = 0;
    int eof = len < cap;
    if (len >= 3 && memcmp(buf, utf8_bom, 3) == 0)
        at = 3;
    size_t used = 0;
    *slow = ferror(f) != 0; /* the full reader reports it */
    if (!*slow)
        st = fast_header(&r, &p, buf + at, len - at, &used, slow);
    at += used;
    rows.cols = r.n_names;
    rows.loc = r.num_locale;
    rows.finite = (flags & MLC_CSV_FINITE) != 0;
    if (!st && !*slow) {
        size_t rest = (size_t)sb.st_size > at ? (size_t)sb.st_size - at : 0;
        st = mlc_csv_rows_reserve(&rows, expected_rows(buf + at, len - at, rest));
    }
    while (!st && !*slow) {
        /* buf[at..len): whole lines up to the last line break, all at the end. */
        const char *nl = len > at ? memrchr(buf + at, '\n', len - at) : NULL;
        size_t take = eof ? len - at : nl ? (size_t)(nl - buf) + 1 - at : 0;
        if (!eof && take == 0 && at == 0) {
            *slow = 1; /* a line longer than the buffer */
            break;
        }
        if (eof)
            buf[len] = '\0'; /* ends a last line without a line break */
        st = mlc_csv_rows_add(&rows, buf + at, take, slow);
        if (eof)
            break;
        memmove(buf, buf + at + take, len - at - take);
        len -= at + take;
        at = 0;
        size_t got = fread(buf + len, 1, cap - len, f);
        eof = got < cap - len;
        len += got;
        *slow |= ferror(f) != 0;
    }
    *slow |= !st && rows.rows == 0;
    if (!st && !*slow)
        fast_finish(&r, &rows, out);
    mlc_csv_rows_clear(&rows);
    reader_clear(&r, &p);
    free(buf);
    return st;
}

int mlc_csv_parse(const char *text, size_t len, const char *name, mlc_table *out)
{
    return mlc_csv_parse_flags(text, len, name, 0, out);
}

/* Flags this reader knows; any other bit is a caller's mistake. */
static int check_flags(unsigned flags)
{
    if (flags & ~(unsigned)(MLC_CSV_NO_HEADER | MLC_CSV_FINITE))
        return mlc_raise(MLC_EINVAL, "unknown CSV flags 0x%x (MLC_CSV_NO_HEADER and "
                         "MLC_CSV_FINITE are known)", flags);
    return MLC_OK;
}

int mlc_csv_parse_flags(const char *text, size_t len, const char *name, unsigned flags,
                        mlc_table *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output table is NULL");
    memset(out, 0, sizeof *out);
    if (!text && len > 0)
        return mlc_raise(MLC_EINVAL, "CSV text is NULL");
    if (check_flags(flags))
        return MLC_EINVAL;
    if (len >= 3 && memcmp(text, utf8_bom, 3) == 0) {
        text += 3;
        len -= 3;
    }
    int slow = 0;
    int st = fast_parse_text(text, len, name, flags, out, &slow);
    if (st || !slow)
        return st;
    csv_reader r;
    struct csv_parser p;
    st = reader_init(&r, &p, name, flags);
    if (st)
        return st;
    for (size_t at = 0; at < len && !st; at += CHUNK_BYTES)
        st = feed(&r, &p, text + at, len - at < CHUNK_BYTES ? len - at : CHUNK_BYTES);
    if (!st)
        st = finish(&r, &p, out);
    reader_clear(&r, &p);
    return st;
}

int mlc_csv_read(const char *path, mlc_table *out)
{
    return mlc_csv_read_flags(path, 0, out);
}

int mlc_csv_read_flags(const char *path, unsigned flags, mlc_table *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output table is NULL");
    memset(out, 0, sizeof *out);
    if (!path)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    if (check_flags(flags))
        return MLC_EINVAL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mlc_raise(MLC_EIO, "%s: cannot open (%s)", path, strerror(errno));
    int slow = 0;
    int st = fast_read_file(f, path, flags, out, &slow);
    if (st || !slow) {
        fclose(f);
        return st;
    }
    rewind(f);
    const size_t cap = buffer_bytes(f, CHUNK_BYTES);
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return mlc_raise_nomem("a read buffer");
    }
    csv_reader r;
    struct csv_parser p;
    st = reader_init(&r, &p, path, flags);
    if (st) {
        free(buf);
        fclose(f);
        return st;
    }
    int first = 1;
    while (!st) {
        size_t n = fread(buf, 1, cap, f);
        if (n == 0)
            break;
        size_t skip = first && n >= 3 && memcmp(buf, utf8_bom, 3) == 0 ? 3 : 0;
        first = 0;
        st = feed(&r, &p, buf + skip, n - skip);
    }
    if (!st && ferror(f))
        st = mlc_raise(MLC_EIO, "%s: read error (%s)", path, strerror(errno));
    if (!st)
        st = finish(&r, &p, out);
    reader_clear(&r, &p);
    free(buf);
    fclose(f);
    return st;
}

/* ----------------------------------------------------------------- writing */

typedef struct csv_out {
    const mlc_matrix *m;
    const char *const *names;
} csv_out;

/* Quote a name only when a reader would otherwise change it. */
static void write_name(FILE *f, const char *nm)
{
    size_t n = strlen(nm);
    int quote = n == 0 || strpbrk(nm, ",\"\r\n") != NULL || nm[0] == ' ' || nm[0] == '\t' ||
                nm[n - 1] == ' ' || nm[n - 1] == '\t';
    if (quote)
        csv_fwrite(f, nm, n);
    else
        fputs(nm, f);
}

static int write_csv(FILE *f, const void *ctx)
{
    const csv_out *o = ctx;
    const mlc_matrix *m = o->m;
    for (size_t j = 0; j < m->cols; j++) {
        if (j)
            fputc(',', f);
        if (o->names && o->names[j])
            write_name(f, o->names[j]);
        else
            fprintf(f, "x%zu", j);
    }
    fputc('\n', f);
    for (size_t i = 0; i < m->rows && !ferror(f); i++) {
        const double *row = mlc_matrix_row(m, i);
        for (size_t j = 0; j < m->cols; j++)
            fprintf(f, j ? ",%.17g" : "%.17g", row[j]);
        fputc('\n', f);
    }
    return MLC_OK;
}

int mlc_csv_write(const char *path, const mlc_matrix *m, const char *const *names)
{
    if (!path || !m)
        return mlc_raise(MLC_EINVAL, "path or matrix is NULL");
    if (m->cols == 0)
        return mlc_raise(MLC_EINVAL, "%s: a CSV file needs at least one column, the matrix has "
                         "none", path);
    if (m->stride < m->cols || (m->rows > 0 && !m->data))
        return mlc_raise(MLC_EINVAL, "%s: the matrix is malformed (stride %zu < %zu columns, "
                         "or no data)", path, m->stride, m->cols);
    csv_out o = {m, names};
    return mlc_write_file_atomic(path, write_csv, &o);
}
