/* NPY files (numpy.save): a magic string, a version, a Python-dict header
 * such as {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } and
 * the raw array data.
 *
 * Reading converts any supported dtype, byte order and memory order into a
 * row-major double matrix, streaming the data in blocks. A file that already
 * holds such a matrix (float64 in this machine's byte order, C order) is
 * mapped instead: the matrix is a view into the file, no byte is copied and
 * the pages come from the page cache (io.h says what that implies). Writing
 * produces version 1.0 files in this machine's byte order, as numpy.save
 * does. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal/error.h"
#include "internal/file_map.h"
#include "io_util.h"
#include "internal/mem.h"
#include "mlcore/io.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_MAX_HEADER ((size_t)1 << 20) /* numpy's own headers are < 1 KiB */
#define NPY_MAX_DIMS 32
#define BLOCK_BYTES ((size_t)1 << 16)

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_LITTLE 1
#define HOST_ORDER '<'
#else
#define HOST_LITTLE 0
#define HOST_ORDER '>'
#endif

typedef enum npy_code { F4, F8, I1, I2, I4, I8, U1, U2, U4, U8, B1 } npy_code;

typedef struct npy_info {
    char descr[24];
    npy_code code;
    size_t size;  /* bytes per element */
    int swap;     /* stored in the other byte order than this machine's */
    int fortran;  /* column-major data */
    int ndim;
    size_t shape[NPY_MAX_DIMS];
} npy_info;

/* Where the bytes come from: a stream or a buffer. */
typedef struct npy_src {
    const char *name;
    FILE *f;
    const unsigned char *mem;
    size_t len, pos;
} npy_src;

/* Read up to n bytes; *got tells how many arrived (fewer only at the end). */
static int src_read(npy_src *s, void *dst, size_t n, size_t *got)
{
    *got = 0;
    if (n == 0)
        return MLC_OK;
    if (s->f) {
        *got = fread(dst, 1, n, s->f);
        if (*got < n && ferror(s->f))
            return mlc_raise(MLC_EIO, "%s: read error (%s)", s->name, strerror(errno));
        return MLC_OK;
    }
    *got = s->len - s->pos < n ? s->len - s->pos : n;
    if (*got)
        memcpy(dst, s->mem + s->pos, *got);
    s->pos += *got;
    return MLC_OK;
}

/* "(3, 4)", "(5,)" or "()". */
static const char *shape_text(const npy_info *t, char *buf, size_t cap)
{
    size_t k = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < t->ndim && k < cap; d++)
        k += (size_t)snprintf(buf + k, cap - k, d ? ", %zu" : "%zu", t->shape[d]);
    if (k < cap)
        snprintf(buf + k, cap - k, t->ndim == 1 ? ",)" : ")");
    return buf;
}

/* ------------------------------------------------------------ the header */

typedef struct lexer {
    const char *s;
    size_t n, pos;
} lexer;

static void skip_ws(lexer *lx)
{
    while (lx->pos < lx->n && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t' ||
                               lx->s[lx->pos] == '\n' || lx->s[lx->pos] == '\r'))
        lx->pos++;
}

static int accept(lexer *lx, char c)
{
    skip_ws(lx);
    if (lx->pos < lx->n && lx->s[lx->pos] == c) {
        lx->pos++;
        return 1;
    }
    return 0;
}

/* A quoted Python string into buf; 0 if absent, malformed or too long. */
static int lex_string(lexer *lx, char *buf, size_t cap)
{
    skip_ws(lx);
    if (lx->pos >= lx->n || (lx->s[lx->pos] != '\'' && lx->s[lx->pos] != '"'))
        return 0;
    char q = lx->s[lx->pos++];
    size_t k = 0;
    while (lx->pos < lx->n && lx->s[lx->pos] != q) {
        if (lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->n)
            lx->pos++;
        if (k + 1 >= cap)
            return 0;
        buf[k++] = lx->s[lx->pos++];
    }
    if (lx->pos >= lx->n)
        return 0;
    lx->pos++;
    buf[k] = '\0';
    return 1;
}

static int lex_word(lexer *lx, const char *word)
{
    size_t w = strlen(word);
    skip_ws(lx);
    if (lx->n - lx->pos >= w && memcmp(lx->s + lx->pos, word, w) == 0) {
        lx->pos += w;
        return 1;
    }
    return 0;
}

/* (d0, d1, ...) with an optional trailing comma; Python 2 wrote "3L". */
static int lex_shape(lexer *lx, npy_info *t)
{
    if (!accept(lx, '('))
        return 0;
    t->ndim = 0;
    for (;;) {
        if (accept(lx, ')'))
            return 1;
        skip_ws(lx);
        size_t v = 0, digits = 0;
        while (lx->pos < lx->n && lx->s[lx->pos] >= '0' && lx->s[lx->pos] <= '9') {
            size_t d = (size_t)(lx->s[lx->pos++] - '0');
            if (v > (SIZE_MAX - d) / 10)
                return 0;
            v = v * 10 + d;
            digits++;
        }
        if (!digits || t->ndim == NPY_MAX_DIMS)
            return 0;
        if (lx->pos < lx->n && lx->s[lx->pos] == 'L')
            lx->pos++;
        t->shape[t->ndim++] = v;
        if (!accept(lx, ','))
            return accept(lx, ')');
    }
}

static int header_error(const npy_src *src, const char *h, size_t n, const char *why)
{
    char shown[96];
    size_t k = 0;
    for (; k < n && k + 4 < sizeof shown; k++)
        shown[k] = ((unsigned char)h[k] < 0x20 || h[k] == 0x7f) ? ' ' : h[k];
    if (k < n)
        memcpy(shown + k - 3, "...", 3);
    shown[k] = '\0';
    return mlc_raise(MLC_EFORMAT, "%s: malformed NPY header (%s): %s", src->name, why, shown);
}

static int parse_dtype(const npy_src *src, npy_info *t)
{
    static const struct {
        char kind;
        size_t size;
        npy_code code;
    } types[] = {{'f', 4, F4}, {'f', 8, F8}, {'i', 1, I1}, {'i', 2, I2}, {'i', 4, I4},
                 {'i', 8, I8}, {'u', 1, U1}, {'u', 2, U2}, {'u', 4, U4}, {'u', 8, U8},
                 {'b', 1, B1}};
    const char *d = t->descr;
    size_t len = strlen(d);
    int ok = len == 3 && strchr("<>|=", d[0]) && d[2] >= '1' && d[2] <= '9';
    for (size_t k = 0; ok && k < sizeof types / sizeof types[0]; k++) {
        if (types[k].kind != d[1] || types[k].size != (size_t)(d[2] - '0'))
            continue;
        if (d[0] == '|' && types[k].size != 1)
            break; /* "not applicable" byte order only exists for single bytes */
        t->code = types[k].code;
        t->size = types[k].size;
        t->swap = t->size > 1 && ((d[0] == '<' && !HOST_LITTLE) || (d[0] == '>' && HOST_LITTLE));
        return MLC_OK;
    }
    return mlc_raise(MLC_EFORMAT, "%s: unsupported NPY dtype '%s'; supported are float64, "
                     "float32, int64, int32, int16, int8, uint64, uint32, uint16, uint8 and bool "
                     "('<f8', '>f4', '|u1', ...)", src->name, d);
}

/* The dict must have exactly the keys 'descr', 'fortran_order' and 'shape'. */
static int parse_header(const npy_src *src, const char *h, size_t n, npy_info *t)
{
    lexer lx = {h, n, 0};
    int seen_descr = 0, seen_order = 0, seen_shape = 0;
    char key[32];
    if (!accept(&lx, '{'))
        return header_error(src, h, n, "it does not start with '{'");
    while (!accept(&lx, '}')) {
        if (!lex_string(&lx, key, sizeof key))
            return header_error(src, h, n, "expected a quoted key");
        if (!accept(&lx, ':'))
            return header_error(src, h, n, "expected ':' after a key");
        if (strcmp(key, "descr") == 0) {
            skip_ws(&lx);
            if (lx.pos < lx.n && lx.s[lx.pos] == '[')
                return mlc_raise(MLC_EFORMAT, "%s: structured NPY dtypes (a list of named "
                                 "fields) are not supported; save a plain numeric array",
                                 src->name);
            if (!lex_string(&lx, t->descr, sizeof t->descr))
                return header_error(src, h, n, "'descr' must be a dtype string such as '<f8'");
            seen_descr = 1;
        } else if (strcmp(key, "fortran_order") == 0) {
            if (lex_word(&lx, "True"))
                t->fortran = 1;
            else if (lex_word(&lx, "False"))
                t->fortran = 0;
            else
                return header_error(src, h, n, "'fortran_order' must be True or False");
            seen_order = 1;
        } else if (strcmp(key, "shape") == 0) {
            if (!lex_shape(&lx, t))
                return header_error(src, h, n, "'shape' must be a tuple of sizes");
            seen_shape = 1;
        } else {
            return header_error(src, h, n, "unknown key");
        }
        if (!accept(&lx, ',')) {
            if (!accept(&lx, '}'))
                return header_error(src, h, n, "expected ',' or '}'");
            break;
        }
    }
    skip_ws(&lx);
    if (lx.pos != lx.n)
        return header_error(src, h, n, "unexpected text after '}'");
    if (!seen_descr || !seen_order || !seen_shape)
        return header_error(src, h, n, "'descr', 'fortran_order' and 'shape' are all required");
    int st = parse_dtype(src, t);
    if (st)
        return st;
    return MLC_OK;
}

/* 1 to max_ndim dimensions. */
static int check_ndim(const npy_src *src, const npy_info *t, int max_ndim)
{
    char shape[128];
    if (t->ndim == 0)
        return mlc_raise(MLC_EFORMAT, "%s: the array is 0-D (a single scalar); expected a "
                         "1-D%s array", src->name, max_ndim == 2 ? " or 2-D" : " or higher");
    if (t->ndim > max_ndim)
        return mlc_raise(MLC_EFORMAT, "%s: the array is %d-D with shape %s; expected a 1-D or "
                         "2-D array", src->name, t->ndim, shape_text(t, shape, sizeof shape));
    return MLC_OK;
}

/* Magic, version and header; leaves the source at the first data byte. */
static int read_header(npy_src *src, npy_info *t)
{
    unsigned char pre[12];
    size_t got;
    int st = src_read(src, pre, 10, &got);
    if (st)
        return st;
    if (got < NPY_MAGIC_LEN || memcmp(pre, NPY_MAGIC, NPY_MAGIC_LEN) != 0)
        return mlc_raise(MLC_EFORMAT, "%s: not an NPY file (it does not start with the magic "
                         "bytes \\x93NUMPY)", src->name);
    if (got < 10)
        return mlc_raise(MLC_EFORMAT, "%s: truncated NPY file (it ends inside the preamble)",
                         src->name);
    size_t hlen;
    if (pre[6] == 1) {
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
    } else if (pre[6] == 2 || pre[6] == 3) {
        st = src_read(src, pre + 10, 2, &got);
        if (st)
            return st;
        if (got < 2)
            return mlc_raise(MLC_EFORMAT, "%s: truncated NPY file (it ends inside the "
                             "preamble)", src->name);
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
               (size_t)pre[11] << 24;
    } else {
        return mlc_raise(MLC_EVERSION, "%s: NPY format version %u.%u is not supported "
                         "(1.0, 2.0 and 3.0 are)", src->name, pre[6], pre[7]);
    }
    if (hlen > NPY_MAX_HEADER)
        return mlc_raise(MLC_EFORMAT, "%s: the NPY header claims %zu bytes, more than the %zu "
                         "allowed; the file is corrupt", src->name, hlen, NPY_MAX_HEADER);
    char *h = malloc(hlen + 1);
    if (!h)
        return mlc_raise_nomem("the NPY header");
    st = src_read(src, h, hlen, &got);
    if (!st && got < hlen)
        st = mlc_raise(MLC_EFORMAT, "%s: truncated NPY file (the header should have %zu bytes, "
                       "only %zu follow)", src->name, hlen, got);
    if (!st)
        st = parse_header(src, h, hlen, t);
    free(h);
    return st;
}

/* ------------------------------------------------------------- the data */

static double element(const unsigned char *p, const npy_info *t)
{
    unsigned char b[8];
    if (t->swap)
        for (size_t k = 0; k < t->size; k++)
            b[k] = p[t->size - 1 - k];
    else
        memcpy(b, p, t->size);
    switch (t->code) {
    case F4: { float v; memcpy(&v, b, 4); return v; }
    case F8: { double v; memcpy(&v, b, 8); return v; }
    case I1: { int8_t v; memcpy(&v, b, 1); return v; }
    case I2: { int16_t v; memcpy(&v, b, 2); return v; }
    case I4: { int32_t v; memcpy(&v, b, 4); return v; }
    case I8: { int64_t v; memcpy(&v, b, 8); return (double)v; }
    case U1: return b[0];
    case U2: { uint16_t v; memcpy(&v, b, 2); return v; }
    case U4: { uint32_t v; memcpy(&v, b, 4); return v; }
    case U8: { uint64_t v; memcpy(&v, b, 8); return (double)v; }
    case B1: return b[0] != 0;
    }
    return 0.0;
}

static int truncated(const npy_src *src, const npy_info *t, size_t need, size_t got)
{
    char shape[128];
    return mlc_raise(MLC_EFORMAT, "%s: truncated NPY file: shape %s of '%s' needs %zu bytes of "
                     "data, only %zu follow the header", src->name,
                     shape_text(t, shape, sizeof shape), t->descr, need, got);
}

/* Where the k-th stored element goes in C order: Fortran order runs the
 * first index fastest. `idx` counts the multi-index (ndim values, zeroed by
 * the caller) and is advanced. */
static size_t fortran_next(const npy_info *t, size_t *idx)
{
    size_t off = 0;
    for (int d = 0; d < t->ndim; d++)
        off = off * t->shape[d] + idx[d];
    for (int d = 0; d < t->ndim; d++) {
        if (++idx[d] < t->shape[d])
            break;
        idx[d] = 0;
    }
    return off;
}

/* 1 if the data is stored in Fortran order and that differs from C order
 * (Fortran order with at most one axis longer than 1 is C order too). */
static int column_major(const npy_info *t)
{
    int long_axes = 0;
    for (int d = 0; d < t->ndim; d++)
        long_axes += t->shape[d] > 1;
    return t->fortran && long_axes > 1;
}

/* 1 if the stored bytes are already a row-major double matrix. */
static int native_layout(const npy_info *t)
{
    return t->code == F8 && !t->swap && !column_major(t);
}

/* Fill the rows x cols matrix *m (the array in C order) from the source. */
static int read_data(npy_src *src, const npy_info *t, mlc_matrix *m)
{
    size_t n = m->rows * m->cols, need = n * t->size, got;
    int st;
    int fortran = column_major(t);
    if (native_layout(t)) {
        st = src_read(src, m->data, need, &got); /* already in our layout */
        if (!st && got < need)
            st = truncated(src, t, need, got);
        return st;
    }
    unsigned char *block = malloc(BLOCK_BYTES);
    if (!block)
        return mlc_raise_nomem("an NPY read buffer");
    size_t per_block = BLOCK_BYTES / t->size, done = 0, idx[NPY_MAX_DIMS] = {0};
    st = MLC_OK;
    while (!st && done < n) {
        size_t count = n - done < per_block ? n - done : per_block;
        st = src_read(src, block, count * t->size, &got);
        if (!st && got < count * t->size)
            st = truncated(src, t, need, done * t->size + got);
        for (size_t k = 0; !st && k < count; k++) {
            double v = element(block + k * t->size, t);
            m->data[fortran ? fortran_next(t, idx) : done + k] = v;
        }
        done += count;
    }
    free(block);
    return st;
}

static int trailing_bytes(const npy_src *src, size_t data_bytes)
{
    return mlc_raise(MLC_EFORMAT, "%s: unexpected bytes after the %zu bytes of NPY data (is the "
                     "file corrupt, or several arrays appended?)", src->name, data_bytes);
}

/* The bytes left in the source, when it can tell (a buffer, a regular
 * file): 1 and *avail, else 0 (a pipe). */
static int bytes_left(npy_src *src, size_t *avail)
{
    if (!src->f) {
        *avail = src->len - src->pos;
        return 1;
    }
    struct stat sb;
    off_t at = ftello(src->f);
    if (at < 0 || fstat(fileno(src->f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    *avail = sb.st_size > at ? (size_t)(sb.st_size - at) : 0;
    return 1;
}

/* The header's shape against the bytes that follow it, before anything is
 * allocated: a corrupt or cut file claiming 10^12 rows is "truncated", not
 * an attempt at a terabyte. */
static int check_data_size(npy_src *src, const npy_info *t, size_t need)
{
    size_t avail;
    if (!bytes_left(src, &avail))
        return MLC_OK;
    if (avail < need)
        return truncated(src, t, need, avail);
    if (avail > need)
        return trailing_bytes(src, need);
    return MLC_OK;
}

/* The data as a view into the mapped file, when it is a regular file whose
 * data is already a row-major double matrix at an 8-byte aligned offset
 * (numpy aligns it to 64). *mapped is 0 when the file must be read instead
 * (another layout, no mapping possible); errors are those of the read. */
static int map_data(npy_src *src, const npy_info *t, mlc_matrix *m, int *mapped)
{
    *mapped = 0;
    size_t need = m->rows * m->cols * sizeof(double);
    struct stat sb;
    off_t at = src->f ? ftello(src->f) : -1;
    if (need == 0 || !native_layout(t) || at < 0 || at % (off_t)sizeof(double) != 0 ||
        fstat(fileno(src->f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return MLC_OK;
    size_t offset = (size_t)at, size = (size_t)sb.st_size;
    size_t avail = size > offset ? size - offset : 0;
    if (avail < need)
        return truncated(src, t, need, avail);
    if (avail > need)
        return trailing_bytes(src, need);
    void *base = mlc_file_map(fileno(src->f), size);
    if (!base)
        return MLC_OK;
    double *data = (double *)((char *)base + offset);
    int st = mlc_file_map_adopt(base, size, data);
    if (st)
        return st;
    *m = (mlc_matrix){m->rows, m->cols, m->cols, data, MLC_MATRIX_MAPPED};
    *mapped = 1;
    return MLC_OK;
}

/* An array of 1 to max_ndim dimensions as a matrix: the last dimension the
 * columns, all the others the rows. shape/ndim (may be NULL) get the
 * array's own. A file in the native layout is mapped, not copied. */
static int npy_load(npy_src *src, int max_ndim, mlc_matrix *out, size_t *shape, int *ndim)
{
    npy_info t;
    memset(&t, 0, sizeof t);
    int st = read_header(src, &t);
    if (!st)
        st = check_ndim(src, &t, max_ndim);
    if (st)
        return st;
    size_t cols = t.ndim >= 2 ? t.shape[t.ndim - 1] : 1, rows = 1;
    int too_big = 0;
    for (int d = 0; d < (t.ndim >= 2 ? t.ndim - 1 : 1); d++) {
        too_big |= t.shape[d] != 0 && rows > SIZE_MAX / t.shape[d];
        rows *= t.shape[d];
    }
    too_big |= cols != 0 && rows > SIZE_MAX / sizeof(double) / cols;
    if (too_big) {
        char text[128];
        return mlc_raise(MLC_EFORMAT, "%s: NPY shape %s is too large", src->name,
                         shape_text(&t, text, sizeof text));
    }
    mlc_matrix m = {rows, cols, cols, NULL, MLC_MATRIX_ALLOCATED};
    st = check_data_size(src, &t, rows * cols * t.size);
    if (st)
        return st;
    int mapped;
    st = map_data(src, &t, &m, &mapped);
    if (st)
        return st;
    if (!mapped && rows * cols > 0) {
        m.data = mlc_aligned_alloc(rows * cols, sizeof(double)); /* every element is written */
        if (!m.data)
            return mlc_raise(MLC_ENOMEM, "%s: out of memory for a %zu x %zu matrix", src->name,
                             rows, cols);
    }
    if (!mapped)
        st = read_data(src, &t, &m);
    if (!st && !mapped) {
        unsigned char extra;
        size_t got;
        st = src_read(src, &extra, 1, &got);
        if (!st && got)
            st = trailing_bytes(src, rows * cols * t.size);
    }
    if (st) {
        mlc_matrix_clear(&m);
        return st;
    }
    *out = m;
    if (shape)
        memcpy(shape, t.shape, (size_t)t.ndim * sizeof *shape);
    if (ndim)
        *ndim = t.ndim;
    return MLC_OK;
}

int mlc_npy_parse(const void *bytes, size_t len, const char *name, mlc_matrix *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output matrix is NULL");
    memset(out, 0, sizeof *out);
    if (!bytes && len > 0)
        return mlc_raise(MLC_EINVAL, "NPY bytes are NULL");
    npy_src src = {name ? name : "NPY data", NULL, bytes, len, 0};
    return npy_load(&src, 2, out, NULL, NULL);
}

static int npy_read_file(const char *path, int max_ndim, mlc_matrix *out, size_t *shape,
                         int *ndim)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output matrix is NULL");
    memset(out, 0, sizeof *out);
    if (!path)
        return mlc_raise(MLC_EINVAL, "path is NULL");
    FILE *f = fopen(path, "rb");
    if (!f)
        return mlc_raise(MLC_EIO, "%s: cannot open (%s)", path, strerror(errno));
    npy_src src = {path, f, NULL, 0, 0};
    int st = npy_load(&src, max_ndim, out, shape, ndim);
    fclose(f);
    return st;
}

int mlc_npy_read(const char *path, mlc_matrix *out)
{
    return npy_read_file(path, 2, out, NULL, NULL);
}

int mlc_npy_read_array(const char *path, mlc_matrix *out, size_t shape[MLC_ARRAY_MAX_DIMS],
                       int *ndim)
{
    if (ndim)
        *ndim = 0;
    return npy_read_file(path, MLC_ARRAY_MAX_DIMS, out, shape, ndim);
}

/* ----------------------------------------------------------------- writing */

typedef struct npy_out {
    const void *data;
    size_t rows, cols, stride; /* in elements */
    size_t size;               /* bytes per element */
    char kind;                 /* 'f' or 'i' */
    int ndim;
} npy_out;

static int write_npy(FILE *f, const void *ctx)
{
    const npy_out *o = ctx;
    char dict[160];
    int len;
    if (o->ndim == 1)
        len = snprintf(dict, sizeof dict, "{'descr': '%c%c%zu', 'fortran_order': False, "
                       "'shape': (%zu,), }", HOST_ORDER, o->kind, o->size, o->rows);
    else
        len = snprintf(dict, sizeof dict, "{'descr': '%c%c%zu', 'fortran_order': False, "
                       "'shape': (%zu, %zu), }", HOST_ORDER, o->kind, o->size, o->rows, o->cols);
    /* Pad with spaces and a final newline so the data starts on a 64-byte
     * boundary, as numpy does. */
    size_t hlen = (size_t)len + 1;
    hlen += (64 - (10 + hlen) % 64) % 64;
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                             (unsigned char)(hlen & 0xff), (unsigned char)(hlen >> 8)};
    fwrite(pre, 1, sizeof pre, f);
    fwrite(dict, 1, (size_t)len, f);
    for (size_t k = (size_t)len + 1; k < hlen; k++)
        fputc(' ', f);
    fputc('\n', f);
    const unsigned char *bytes = o->data;
    if (o->rows > 0 && o->cols > 0 && o->stride == o->cols)
        fwrite(bytes, o->size, o->rows * o->cols, f);
    else if (o->rows > 0 && o->cols > 0)
        for (size_t i = 0; i < o->rows && !ferror(f); i++)
            fwrite(bytes + i * o->stride * o->size, o->size, o->cols, f);
    return MLC_OK;
}

int mlc_npy_write(const char *path, const mlc_matrix *m)
{
    if (!path || !m)
        return mlc_raise(MLC_EINVAL, "path or matrix is NULL");
    if (m->stride < m->cols || (m->rows > 0 && m->cols > 0 && !m->data))
        return mlc_raise(MLC_EINVAL, "%s: the matrix is malformed (stride %zu < %zu columns, "
                         "or no data)", path, m->stride, m->cols);
    npy_out o = {m->data, m->rows, m->cols, m->stride, sizeof(double), 'f', 2};
    return mlc_write_file_atomic(path, write_npy, &o);
}

int mlc_npy_write_int32(const char *path, const int32_t *v, size_t n)
{
    if (!path || (!v && n > 0))
        return mlc_raise(MLC_EINVAL, "path or values are NULL");
    npy_out o = {v, n, 1, 1, sizeof(int32_t), 'i', 1};
    return mlc_write_file_atomic(path, write_npy, &o);
}

int mlc_npy_write_vector(const char *path, const double *v, size_t n)
{
    if (!path || (!v && n > 0))
        return mlc_raise(MLC_EINVAL, "path or values are NULL");
    npy_out o = {v, n, 1, 1, sizeof(double), 'f', 1};
    return mlc_write_file_atomic(path, write_npy, &o);
}
