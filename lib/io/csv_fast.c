/* Rows of plain numbers, the bulk of every numeric CSV file, at the speed
 * of the number parser: lines are cut with memchr, fields parsed in place
 * by mlc_decimal_parse, and a large text is cut at line breaks into parts
 * that threads parse straight into their rows of the matrix (each part's
 * line count, found first, gives where its rows start). */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "csv_fast.h"
#include "decimal.h"
#include "internal/error.h"
#include "internal/mem.h"
#include "internal/parallel.h"

/* Below this many bytes one thread parses: a team costs more than it saves. */
#define PARALLEL_MIN_BYTES ((size_t)1 << 18)
#define MAX_PARTS 64

int mlc_csv_rows_reserve(mlc_csv_rows *r, size_t expect)
{
    if (expect <= r->cap)
        return MLC_OK;
    double *grown = NULL;
    if (r->cols && expect <= SIZE_MAX / sizeof(double) / r->cols)
        grown = mlc_aligned_alloc(expect * r->cols, sizeof(double));
    if (!grown)
        return mlc_raise(MLC_ENOMEM, "out of memory storing %zu rows of %zu columns", expect,
                         r->cols);
    if (r->rows)
        memcpy(grown, r->data, r->rows * r->cols * sizeof(double));
    mlc_aligned_free(r->data);
    r->data = grown;
    r->cap = expect;
    return MLC_OK;
}

void mlc_csv_rows_clear(mlc_csv_rows *r)
{
    mlc_aligned_free(r->data);
    r->data = NULL;
    r->rows = r->cap = 0;
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* One line [p, end) (no line break in it) into row[0..cols): 1, or 0 when
 * it is not `cols` numbers. */
static int parse_line(const char *p, const char *end, size_t cols, locale_t loc, int finite,
                      double *row)
{
    for (size_t j = 0; j < cols; j++) {
        const char *field = p, *q = p;
        while (q < end && blank(*q))
            q++;
        q = mlc_decimal_parse(q, end, &row[j]);
        while (q && q < end && blank(*q))
            q++;
        if (!q || (q < end && *q != ',')) { /* not a plain decimal: the full rule */
            const char *comma = memchr(field, ',', (size_t)(end - field));
            q = comma ? comma : end;
            if (!mlc_number_field(field, (size_t)(q - field), loc, &row[j]) ||
                (finite && !isfinite(row[j])))
                return 0;
        }
        if ((q == end) != (j + 1 == cols))
            return 0; /* too few or too many fields */
        p = q + 1;
    }
    return 1;
}

/* Lines in [p, end): line breaks, plus one for a last line without one. */
static size_t count_lines(const char *p, const char *end)
{
    size_t lines = 0;
    for (const char *nl; p < end && (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1)
        lines++;
    return lines + (p < end);
}

typedef struct part {
    const char *lo, *hi; /* whole lines */
    size_t lines;        /* upper bound on its rows */
    size_t first;        /* its first row in the matrix */
    size_t rows;         /* rows it parsed (empty lines skipped) */
    int slow;
} part;

typedef struct job {
    mlc_csv_rows *r;
    part parts[MAX_PARTS];
} job;

static void count_part(void *ctx, size_t q)
{
    part *pt = &((job *)ctx)->parts[q];
    pt->lines = count_lines(pt->lo, pt->hi);
}

static void parse_part(void *ctx, size_t q)
{
    job *jb = ctx;
    part *pt = &jb->parts[q];
    const mlc_csv_rows *r = jb->r;
    double *row = r->data + pt->first * r->cols;
    for (const char *p = pt->lo; p < pt->hi;) {
        const char *nl = memchr(p, '\n', (size_t)(pt->hi - p));
        const char *end = nl ? nl : pt->hi;
        if (end > p && end[-1] == '\r')
            end--;
        if (end > p) { /* a quote or a lone CR fails a field: the full reader's */
            if (!parse_line(p, end, r->cols, r->loc, r->finite, row)) {
                pt->slow = 1;
                return;
            }
            row += r->cols;
            pt->rows++;
        }
        p = nl ? nl + 1 : pt->hi;
    }
}

int mlc_csv_rows_add(mlc_csv_rows *r, const char *text, size_t n, int *slow)
{
    *slow = 0;
    if (n == 0)
        return MLC_OK;
    size_t count = n < PARALLEL_MIN_BYTES ? 1 : n / PARALLEL_MIN_BYTES;
    int threads = mlc_threads_for(0, count < MAX_PARTS ? count : MAX_PARTS, (double)n,
                                  (double)PARALLEL_MIN_BYTES);
    count = threads > 1 ? (size_t)threads : 1;
    job jb;
    jb.r = r;
    /* Part q starts at the first line beginning at or after q n / count. */
    const char *end = text + n, *lo = text;
    for (size_t q = 0; q < count; q++) {
        const char *hi = end;
        if (q + 1 < count) {
            const char *cut = text + (q + 1) * n / count;
            const char *nl = cut > lo ? memchr(cut - 1, '\n', (size_t)(end - cut + 1)) : NULL;
            hi = cut <= lo ? lo : nl ? nl + 1 : end;
        }
        jb.parts[q] = (part){lo, hi, 0, 0, 0, 0};
        lo = hi;
    }
    mlc_parallel_parts(threads, count, count_part, &jb);
    size_t need = r->rows;
    for (size_t q = 0; q < count; q++) {
        jb.parts[q].first = need;
        need += jb.parts[q].lines;
    }
    if (need > r->cap) {
        int st = mlc_csv_rows_reserve(r, need > 2 * r->cap ? need : 2 * r->cap);
        if (st)
            return st;
    }
    mlc_parallel_parts(threads, count, parse_part, &jb);
    /* Close the gaps empty lines left between the parts' rows. */
    for (size_t q = 0; q < count && !*slow; q++) {
        part *pt = &jb.parts[q];
        *slow = pt->slow;
        if (pt->first != r->rows)
            memmove(r->data + r->rows * r->cols, r->data + pt->first * r->cols,
                    pt->rows * r->cols * sizeof(double));
        r->rows += pt->rows;
    }
    return MLC_OK;
}
