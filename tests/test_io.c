/* CSV and NPY reading/writing, mlc_matrix_read and mlc_dataset_read.
 *
 * CSV inputs are written to temporary files under /tmp (removed by the
 * fixture teardown); NPY inputs are files numpy wrote
 * (tests/fixtures/fx_io.py), compared bit for bit with the values numpy
 * saved beside them in io.json. */
#include <errno.h>
#include <locale.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io/csv_fast.h"
#include "io/decimal.h"
#include "test_util.h"

/* ------------------------------------------------------------- helpers */

#define MAX_TEMPS 32
static char temps[MAX_TEMPS][64];
static int n_temps;

static void remove_temps(void)
{
    for (int k = 0; k < n_temps; k++) {
        unlink(temps[k]);
        rmdir(temps[k]);
    }
    n_temps = 0;
}

/* A new temporary path ending in `suffix`, holding `len` bytes of `bytes`. */
static const char *temp_file(const char *suffix, const void *bytes, size_t len)
{
    ck_assert_int_lt(n_temps, MAX_TEMPS);
    char *path = temps[n_temps];
    snprintf(path, sizeof temps[0], "/tmp/mlc_io_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    ck_assert_msg(fd >= 0, "mkstemps: %s", strerror(errno));
    n_temps++;
    ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
    close(fd);
    return path;
}

static const char *temp_text(const char *suffix, const char *text)
{
    return temp_file(suffix, text, strlen(text));
}

/* A temporary directory (removed by the teardown). */
static const char *temp_dir(void)
{
    ck_assert_int_lt(n_temps, MAX_TEMPS);
    char *path = temps[n_temps];
    snprintf(path, sizeof temps[0], "/tmp/mlc_io_dir_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(path));
    n_temps++;
    return path;
}

/* Whole file into a malloc'ed buffer. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void assert_msg_has(const char *needle)
{
    const char *msg = mlc_last_error_message();
    ck_assert_msg(strstr(msg, needle) != NULL, "message \"%s\" lacks \"%s\"", msg, needle);
}

/* Read `text` as a CSV file; expect `status` and a message naming the file
 * and containing `needle`. */
static void csv_fails(const char *text, int status, const char *needle)
{
    const char *path = temp_text(".csv", text);
    mlc_table t;
    ck_assert_status(mlc_csv_read(path, &t), status);
    assert_msg_has(path);
    assert_msg_has(needle);
    ck_assert_ptr_null(t.names);
    ck_assert_ptr_null(t.data.data);
}

static mlc_table csv_ok(const char *text, size_t rows, size_t cols)
{
    const char *path = temp_text(".csv", text);
    mlc_table t;
    ck_assert_status(mlc_csv_read(path, &t), MLC_OK);
    ck_assert_uint_eq(t.data.rows, rows);
    ck_assert_uint_eq(t.data.cols, cols);
    ck_assert_uint_eq(t.data.stride, cols);
    ck_assert_int_eq(t.data.owns, 1);
    return t;
}

static void assert_values(const mlc_matrix *m, const double *want)
{
    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++)
            ck_assert_msg(same_bits(MLC_AT(m, i, j), want[i * m->cols + j]),
                          "element (%zu, %zu) is %.17g, expected %.17g", i, j, MLC_AT(m, i, j),
                          want[i * m->cols + j]);
}

/* A NPY fixture file patched or cut, written to a temporary .npy file. */
static const char *npy_variant(const char *fixture, size_t keep, size_t patch_at,
                               const char *patch, size_t patch_len, const char *append)
{
    size_t len;
    unsigned char *buf = slurp(fx_path(fixture), &len);
    if (patch)
        memcpy(buf + patch_at, patch, patch_len);
    size_t n = keep < len ? keep : len;
    size_t extra = append ? strlen(append) : 0;
    unsigned char *out = malloc(n + extra + 1);
    memcpy(out, buf, n);
    if (extra)
        memcpy(out + n, append, extra);
    const char *path = temp_file(".npy", out, n + extra);
    free(out);
    free(buf);
    return path;
}

static void npy_fails(const char *path, int status, const char *needle)
{
    mlc_matrix m;
    ck_assert_status(mlc_npy_read(path, &m), status);
    assert_msg_has(needle);
    ck_assert_ptr_null(m.data);
}


/* ------------------------------------------------------------- numbers */

static double bits_double(uint64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* Decimal texts whose correctly rounded double is easy to miss, against the
 * bits Python's float() gives: alone, and as CSV columns through both
 * readers (a quoted header sends a file to the full one). */
START_TEST(decimal_tricky_values)
{
    json_t *fx = fx_load("io");
    json_t *list = json_object_get(fx, "decimals");
    size_t n = json_array_size(list);
    ck_assert_uint_gt(n, 50);
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    size_t cap = 64 * n + 16, len[2] = {0, 0};
    char *text[2] = {malloc(cap), malloc(cap)};
    len[0] = (size_t)snprintf(text[0], cap, "v\n");
    len[1] = (size_t)snprintf(text[1], cap, "\"v\"\n");
    double *want = malloc(n * sizeof *want);
    for (size_t k = 0; k < n; k++) {
        const char *s = json_string_value(json_array_get(json_array_get(list, k), 0));
        const char *hex = json_string_value(json_array_get(json_array_get(list, k), 1));
        want[k] = bits_double(strtoull(hex, NULL, 16));
        double v = -1;
        ck_assert_msg(mlc_number_field(s, strlen(s), c, &v) && same_bits(v, want[k]),
                      "%s read as %.17g, float() gives %.17g", s, v, want[k]);
        const char *end = mlc_decimal_parse(s, s + strlen(s), &v);
        ck_assert_msg(!end || (end == s + strlen(s) && same_bits(v, want[k])),
                      "%s: fast path %.17g, float() %.17g", s, v, want[k]);
        for (int r = 0; r < 2; r++)
            len[r] += (size_t)snprintf(text[r] + len[r], cap - len[r], "%s\n", s);
    }
    for (int r = 0; r < 2; r++) {
        mlc_table t;
        ck_assert_status(mlc_csv_parse(text[r], len[r], "tricky.csv", &t), MLC_OK);
        ck_assert_uint_eq(t.data.rows, n);
        assert_values(&t.data, want);
        mlc_table_clear(&t);
        free(text[r]);
    }
    free(want);
    freelocale(c);
    json_decref(fx);
}
END_TEST

/* What numpy.loadtxt(dtype=float) reads as a number and what it refuses
 * (fx_io.py's spellings): mlc_number_field alone, then each in a CSV read
 * by the fast reader and by the full one (a quoted header), the refused
 * ones named in the message with their line and column. */
START_TEST(number_spellings_as_numpy)
{
    json_t *fx = fx_load("io");
    json_t *list = json_object_get(fx, "spellings");
    size_t n = json_array_size(list), refused = 0;
    ck_assert_uint_gt(n, 60);
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    for (size_t k = 0; k < n; k++) {
        const char *s = json_string_value(json_array_get(json_array_get(list, k), 0));
        json_t *bits = json_array_get(json_array_get(list, k), 1);
        int ok = json_is_string(bits);
        double want = !ok ? 0.0
                      : !strcmp(json_string_value(bits), "nan")
                          ? NAN
                          : bits_double(strtoull(json_string_value(bits), NULL, 16));
        double v = -1;
        int got = mlc_number_field(s, strlen(s), c, &v);
        ck_assert_msg(got == ok, "'%s': numpy %s it, the reader %s it", s,
                      ok ? "reads" : "refuses", got ? "reads" : "refuses");
        ck_assert_msg(!ok || same_bits(v, want) || (isnan(v) && isnan(want)),
                      "'%s' read as %.17g, numpy gives %.17g", s, v, want);
        refused += !ok;
        for (int full = 0; full < 2; full++) {
            char text[128];
            int len = snprintf(text, sizeof text, "%s\n1,2\n3,%s\n", full ? "\"a\",b" : "a,b", s);
            mlc_table t;
            int st = mlc_csv_parse(text, (size_t)len, "spell.csv", &t);
            ck_assert_msg(st == (ok ? MLC_OK : MLC_EFORMAT), "'%s' in a CSV (%s reader): %s", s,
                          full ? "full" : "fast", mlc_last_error_message());
            if (ok)
                ck_assert_msg(same_bits(MLC_AT(&t.data, 1, 1), want) ||
                                  (isnan(MLC_AT(&t.data, 1, 1)) && isnan(want)),
                              "'%s' in a CSV", s);
            else
                assert_msg_has("spell.csv: line 3, column 2 ('b'): ");
            mlc_table_clear(&t);
        }
    }
    ck_assert_uint_gt(refused, 20);
    freelocale(c);
    json_decref(fx);
}
END_TEST

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Random doubles printed as writers print them, and random digit strings
 * over the whole exponent range: the fast path gives strtod's bits, and
 * takes nearly all of the 17-digit texts. */
START_TEST(decimal_matches_strtod)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    static const char *const formats[] = {"%.17g", "%.16g", "%.15g", "%.6g", "%.12e", "%.3f"};
    uint64_t state = 12345;
    size_t fast17 = 0, tried17 = 0, wrong = 0;
    char buf[512], first[640] = "";
    for (size_t k = 0; k < 350000; k++) {
        size_t f = k % 7;
        if (f < 6) {
            double x = bits_double(splitmix(&state));
            if (!isfinite(x))
                continue;
            snprintf(buf, sizeof buf, formats[f], x);
        } else { /* 1 to 22 digits, a point somewhere, an exponent in [-360, 330] */
            size_t nd = 1 + splitmix(&state) % 22, at = splitmix(&state) % (nd + 1), l = 0;
            if (splitmix(&state) % 2)
                buf[l++] = '-';
            for (size_t d = 0; d < nd; d++) {
                if (d == at)
                    buf[l++] = '.';
                buf[l++] = (char)('0' + splitmix(&state) % 10);
            }
            snprintf(buf + l, sizeof buf - l, "e%d", (int)(splitmix(&state) % 691) - 360);
        }
        char *stop;
        double want = strtod_l(buf, &stop, c), v = 0, w = 0;
        const char *end = mlc_decimal_parse(buf, buf + strlen(buf), &v);
        /* Check's assertions cost a system call each: count, report the first. */
        if ((end && (end != stop || !same_bits(v, want))) ||
            !mlc_number_field(buf, strlen(buf), c, &w) || !same_bits(w, want)) {
            if (!wrong++)
                snprintf(first, sizeof first, "%s: %.17g / %.17g, strtod %.17g", buf, v, w,
                         want);
        }
        if (f == 0 && fabs(want) > 1e-300 && fabs(want) < 1e300) {
            tried17++;
            fast17 += end != NULL;
        }
    }
    ck_assert_msg(wrong == 0, "%zu texts read differently from strtod; the first: %s", wrong,
                  first);
    ck_assert_uint_gt(fast17, tried17 * 999 / 1000);
    freelocale(c);
}
END_TEST

/* ---------------------------------------------------------------- CSV */

START_TEST(csv_basic)
{
    mlc_table t = csv_ok("a,b,c\n1,2,3\n4.5,-6e-3,7\n", 2, 3);
    ck_assert_str_eq(t.names[0], "a");
    ck_assert_str_eq(t.names[2], "c");
    const double want[] = {1, 2, 3, 4.5, -6e-3, 7};
    assert_values(&t.data, want);
    ck_assert_int_eq(mlc_table_column(&t, "b"), 1);
    ck_assert_int_eq(mlc_table_column(&t, "z"), -1);
    ck_assert_int_eq(mlc_table_column(&t, NULL), -1);
    mlc_table_clear(&t);
    ck_assert_ptr_null(t.names);
}
END_TEST

START_TEST(csv_quoted_fields)
{
    mlc_table t = csv_ok("\"x,1\",\"say \"\"hi\"\"\",plain\n\"1\",\" 2 \", 3 \n", 1, 3);
    ck_assert_str_eq(t.names[0], "x,1");
    ck_assert_str_eq(t.names[1], "say \"hi\"");
    ck_assert_str_eq(t.names[2], "plain");
    const double want[] = {1, 2, 3};
    assert_values(&t.data, want);
    mlc_table_clear(&t);

    t = csv_ok("\"two\nlines\",b\n1,2\n", 1, 2);
    ck_assert_str_eq(t.names[0], "two\nlines");
    mlc_table_clear(&t);
}
END_TEST

START_TEST(csv_crlf_empty_lines_bom)
{
    const double want[] = {1, 2, 3, 4};
    mlc_table t = csv_ok("a,b\r\n1,2\r\n3,4\r\n", 2, 2);
    assert_values(&t.data, want);
    mlc_table_clear(&t);

    t = csv_ok("\n\na,b\n\n1,2\n   \n\r\n3,4\n\n", 2, 2);
    ck_assert_str_eq(t.names[0], "a");
    assert_values(&t.data, want);
    mlc_table_clear(&t);

    t = csv_ok("\xEF\xBB\xBF" "a,b\n1,2\n3,4", 2, 2); /* BOM, no final newline */
    ck_assert_str_eq(t.names[0], "a");
    assert_values(&t.data, want);
    mlc_table_clear(&t);
}
END_TEST

START_TEST(csv_special_numbers)
{
    mlc_table t = csv_ok("a,b,c,d\nnan,inf,-inf,1e999\n -0 ,16,1e-320,+5\n", 2, 4);
    const mlc_matrix *m = &t.data;
    ck_assert(isnan(MLC_AT(m, 0, 0)));
    ck_assert(isinf(MLC_AT(m, 0, 1)) && MLC_AT(m, 0, 1) > 0);
    ck_assert(isinf(MLC_AT(m, 0, 2)) && MLC_AT(m, 0, 2) < 0);
    ck_assert(isinf(MLC_AT(m, 0, 3)));
    ck_assert(MLC_AT(m, 1, 0) == 0.0 && signbit(MLC_AT(m, 1, 0)));
    ck_assert(MLC_AT(m, 1, 1) == 16.0);
    ck_assert(same_bits(MLC_AT(m, 1, 2), 1e-320));
    ck_assert(MLC_AT(m, 1, 3) == 5.0);
    mlc_table_clear(&t);
}
END_TEST

START_TEST(csv_parse_in_memory)
{
    const char text[] = "p,q\n1.25,2\n";
    mlc_table t;
    ck_assert_status(mlc_csv_parse(text, strlen(text), "mem.csv", &t), MLC_OK);
    const double want[] = {1.25, 2};
    assert_values(&t.data, want);
    mlc_table_clear(&t);
    const char bad[] = "p,q\n1,zz\n";
    ck_assert_status(mlc_csv_parse(bad, strlen(bad), "mem.csv", &t), MLC_EFORMAT);
    assert_msg_has("mem.csv: line 2, column 2 ('q'): 'zz' is not a number");
}
END_TEST

/* Values whose bits a sloppy writer or reader changes. */
static const double tricky[3][4] = {
    {1.0 / 3.0, -0.0, 5e-324, -1.7976931348623157e308},
    {3.141592653589793, 1e-300, 9007199254740993.0, -2.5},
    {0.1, 123456.789, INFINITY, -INFINITY},
};

START_TEST(csv_write_round_trip)
{
    /* A strided view: 3 x 4 inside a 3 x 6 buffer. */
    double buf[3 * 6];
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 6; j++)
            buf[i * 6 + j] = j < 4 ? tricky[i][j] : 99.0;
    mlc_matrix m = mlc_matrix_wrap(buf, 3, 4, 6);
    const char *names[] = {"plain", "with,comma", "say \"hi\"", " padded "};
    const char *path = temp_text(".csv", "");
    ck_assert_status(mlc_csv_write(path, &m, names), MLC_OK);
    mlc_table t;
    ck_assert_status(mlc_csv_read(path, &t), MLC_OK);
    ck_assert_uint_eq(t.data.rows, 3);
    ck_assert_uint_eq(t.data.cols, 4);
    for (size_t j = 0; j < 4; j++)
        ck_assert_str_eq(t.names[j], names[j]);
    assert_values(&t.data, &tricky[0][0]);
    mlc_table_clear(&t);

    /* Without names: x0, x1, ...; an empty name survives too. */
    ck_assert_status(mlc_csv_write(path, &m, NULL), MLC_OK);
    ck_assert_status(mlc_csv_read(path, &t), MLC_OK);
    ck_assert_str_eq(t.names[0], "x0");
    ck_assert_str_eq(t.names[3], "x3");
    assert_values(&t.data, &tricky[0][0]);
    mlc_table_clear(&t);
    mlc_matrix one = mlc_matrix_rows(&m, 0, 1);
    one = mlc_matrix_submatrix(&one, 0, 0, 1, 1);
    const char *empty[] = {""};
    ck_assert_status(mlc_csv_write(path, &one, empty), MLC_OK);
    ck_assert_status(mlc_csv_read(path, &t), MLC_OK);
    ck_assert_str_eq(t.names[0], "");
    ck_assert_uint_eq(t.data.rows, 1);
    mlc_table_clear(&t);
}
END_TEST

/* ---------------------------------------------------------------- NPY */

static const char *const numpy_files[] = {
    "f8_c", "f8_be", "f8_fortran", "f4", "f4_be", "i4", "i4_be", "i8",
    "i8_be_fortran", "vec_f8", "vec_b1", "u1", "v2_f8", "v3_f8",
};

/* The files already in the matrix layout on this (little-endian) machine,
 * which the reader maps instead of copying. */
static int mapped_on_this_machine(const char *name)
{
    static const char *const native[] = {"f8_c", "vec_f8", "v2_f8", "v3_f8"};
    for (size_t k = 0; k < sizeof native / sizeof native[0]; k++)
        if (strcmp(name, native[k]) == 0)
            return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    return 0;
}

START_TEST(npy_reads_numpy_files)
{
    json_t *fx = fx_load("io");
    for (size_t k = 0; k < sizeof numpy_files / sizeof numpy_files[0]; k++) {
        const char *name = numpy_files[k];
        char file[64];
        snprintf(file, sizeof file, "io/%s.npy", name);
        size_t rows, cols;
        double *want = fx_doubles(fx, name, &rows, &cols);
        mlc_matrix m;
        ck_assert_status(mlc_npy_read(fx_path(file), &m), MLC_OK);
        ck_assert_msg(m.rows == rows && m.cols == cols, "%s: %zu x %zu, expected %zu x %zu",
                      name, m.rows, m.cols, rows, cols);
        ck_assert_msg(m.owns == (mapped_on_this_machine(name) ? MLC_MATRIX_MAPPED
                                                               : MLC_MATRIX_ALLOCATED),
                      "%s: owns %d", name, m.owns);
        assert_values(&m, want);
        mlc_matrix_clear(&m);

        /* The same bytes parsed from memory. */
        size_t len;
        unsigned char *bytes = slurp(fx_path(file), &len);
        ck_assert_status(mlc_npy_parse(bytes, len, name, &m), MLC_OK);
        assert_values(&m, want);
        mlc_matrix_clear(&m);
        free(bytes);
        free(want);
    }
    json_decref(fx);
}
END_TEST

/* N-D arrays (array parameters): the last dimension the columns, the others
 * the rows; the shape reported as numpy has it; mlc_npy_read still wants
 * 1-D or 2-D. */
START_TEST(npy_reads_nd_arrays)
{
    json_t *fx = fx_load("io");
    json_t *nd = json_object_get(fx, "nd");
    const char *name;
    json_t *o;
    size_t seen = 0;
    json_object_foreach(nd, name, o) {
        char file[64];
        snprintf(file, sizeof file, "io/%s.npy", name);
        json_t *js = json_object_get(o, "shape");
        size_t nd_want = json_array_size(js), rows = 1, cols = 1;
        for (size_t d = 0; d < nd_want; d++) {
            size_t v = (size_t)json_integer_value(json_array_get(js, d));
            if (d + 1 < nd_want)
                rows *= v;
            else
                cols = v;
        }
        size_t n;
        double *want = fx_doubles(o, "values", &n, NULL);
        for (int via_array_read = 0; via_array_read < 2; via_array_read++) {
            mlc_matrix m;
            size_t shape[MLC_ARRAY_MAX_DIMS];
            int ndim = -1;
            ck_assert_status(via_array_read ? mlc_array_read(fx_path(file), &m, shape, &ndim)
                                            : mlc_npy_read_array(fx_path(file), &m, shape, &ndim),
                             MLC_OK);
            ck_assert_int_eq(ndim, (int)nd_want);
            for (size_t d = 0; d < nd_want; d++)
                ck_assert_uint_eq(shape[d], (size_t)json_integer_value(json_array_get(js, d)));
            ck_assert_msg(m.rows == rows && m.cols == cols, "%s: %zu x %zu, expected %zu x %zu",
                          name, m.rows, m.cols, rows, cols);
            for (size_t i = 0; i < rows * cols; i++)
                ck_assert_msg(m.data[i] == want[i], "%s[%zu] = %g, expected %g", name, i,
                              m.data[i], want[i]);
            mlc_matrix_clear(&m);
        }
        mlc_matrix m;
        ck_assert_status(mlc_npy_read(fx_path(file), &m), MLC_EFORMAT);
        ck_assert_ptr_null(m.data);
        free(want);
        seen++;
    }
    ck_assert_uint_eq(seen, 5);
    /* A 2-D CSV through mlc_array_read: its shape, 2 dimensions. */
    mlc_matrix m;
    size_t shape[MLC_ARRAY_MAX_DIMS];
    int ndim = 0;
    const char *csv = temp_text(".csv", "a,b,c\n1,2,3\n4,5,6\n");
    ck_assert_status(mlc_array_read(csv, &m, shape, &ndim), MLC_OK);
    ck_assert_int_eq(ndim, 2);
    ck_assert_uint_eq(shape[0], 2);
    ck_assert_uint_eq(shape[1], 3);
    ck_assert_double_eq(m.data[5], 6.0);
    mlc_matrix_clear(&m);
    json_decref(fx);
}
END_TEST

/* Lines of /proc/self/maps naming `path`: how many mappings of it are live
 * (-1 without /proc). */
static int mappings_of(const char *path)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, path) != NULL;
    fclose(f);
    return n;
}

/* A float64 C-order file is mapped: a view into the file that a caller may
 * still write into (the file keeps its bytes), released by
 * mlc_matrix_clear; an offset that is not a multiple of 8 is read instead. */
START_TEST(npy_maps_native_files)
{
    double vals[6] = {1.5, -2.0, 0.25, 1e300, -0.0, 7.0};
    mlc_matrix src = mlc_matrix_wrap(vals, 2, 3, 0), m, again;
    const char *path = temp_text(".npy", "");
    ck_assert_status(mlc_npy_write(path, &src), MLC_OK);
    ck_assert_status(mlc_npy_read(path, &m), MLC_OK);
    ck_assert_int_eq(m.owns, MLC_MATRIX_MAPPED);
    ck_assert_uint_eq(m.stride, 3);
    ck_assert_uint_eq((uintptr_t)m.data % 64, 0); /* numpy's 64-byte header */
    assert_values(&m, vals);
    if (mappings_of(path) >= 0)
        ck_assert_int_eq(mappings_of(path), 1);

    m.data[4] = 42.0; /* the page is copied; the file does not change */
    ck_assert(MLC_AT(&m, 1, 1) == 42.0);
    ck_assert_status(mlc_npy_read(path, &again), MLC_OK);
    assert_values(&again, vals);
    mlc_matrix_clear(&again);

    mlc_matrix_clear(&m);
    ck_assert_ptr_null(m.data);
    ck_assert_int_eq(m.owns, MLC_MATRIX_VIEW);
    if (mappings_of(path) >= 0)
        ck_assert_int_eq(mappings_of(path), 0);
    mlc_matrix_clear(&m); /* cleared twice: nothing left to release */

    /* The header made 4 bytes longer: the data at offset 132 is read. */
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    size_t hlen = bytes[8] | (size_t)bytes[9] << 8;
    unsigned char *odd = malloc(len + 4);
    memcpy(odd, bytes, 10 + hlen - 1);
    memcpy(odd + 10 + hlen - 1, "    \n", 5);
    memcpy(odd + 10 + hlen + 4, bytes + 10 + hlen, len - 10 - hlen);
    odd[8] = (unsigned char)((hlen + 4) & 0xff);
    odd[9] = (unsigned char)((hlen + 4) >> 8);
    const char *odd_path = temp_file(".npy", odd, len + 4);
    ck_assert_status(mlc_npy_read(odd_path, &m), MLC_OK);
    ck_assert_int_eq(m.owns, MLC_MATRIX_ALLOCATED);
    assert_values(&m, vals);
    mlc_matrix_clear(&m);
    free(odd);
    free(bytes);

    /* A mapped X moves into a data set and is released with it. */
    mlc_dataset d;
    ck_assert_status(mlc_dataset_read(path, NULL, &d), MLC_OK);
    ck_assert_int_eq(d.X.owns, MLC_MATRIX_MAPPED);
    assert_values(&d.X, vals);
    mlc_dataset_clear(&d);
    if (mappings_of(path) >= 0)
        ck_assert_int_eq(mappings_of(path), 0);
}
END_TEST

START_TEST(npy_write_round_trip)
{
    double buf[3 * 5];
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 5; j++)
            buf[i * 5 + j] = j < 4 ? tricky[i][j] : -7.0;
    mlc_matrix m = mlc_matrix_wrap(buf, 3, 4, 5); /* strided */
    const char *path = temp_text(".npy", "");
    ck_assert_status(mlc_npy_write(path, &m), MLC_OK);

    /* numpy's layout: version 1.0, header padded so data starts at 64 bytes. */
    size_t len;
    unsigned char *bytes = slurp(path, &len);
    ck_assert(memcmp(bytes, "\x93NUMPY\x01\x00", 8) == 0);
    size_t hlen = bytes[8] | (size_t)bytes[9] << 8;
    ck_assert_uint_eq((10 + hlen) % 64, 0);
    ck_assert_uint_eq(len, 10 + hlen + 12 * sizeof(double));
    ck_assert_int_eq(bytes[10 + hlen - 1], '\n');
    ck_assert(memmem(bytes, 10 + hlen, "'shape': (3, 4)", 15) != NULL);
    ck_assert(memmem(bytes, 10 + hlen, "'fortran_order': False", 22) != NULL);
    free(bytes);

    mlc_matrix back;
    ck_assert_status(mlc_npy_read(path, &back), MLC_OK);
    ck_assert_uint_eq(back.rows, 3);
    ck_assert_uint_eq(back.cols, 4);
    assert_values(&back, &tricky[0][0]);
    mlc_matrix_clear(&back);

    const int32_t labels[] = {0, -1, 2147483647, -2147483647 - 1, 5};
    ck_assert_status(mlc_npy_write_int32(path, labels, 5), MLC_OK);
    ck_assert_status(mlc_npy_read(path, &back), MLC_OK);
    ck_assert_uint_eq(back.rows, 5);
    ck_assert_uint_eq(back.cols, 1);
    for (size_t i = 0; i < 5; i++)
        ck_assert(back.data[i] == labels[i]);
    mlc_matrix_clear(&back);

    ck_assert_status(mlc_npy_write_vector(path, &tricky[1][0], 4), MLC_OK);
    ck_assert_status(mlc_npy_read(path, &back), MLC_OK);
    ck_assert_uint_eq(back.rows, 4);
    assert_values(&back, &tricky[1][0]);
    mlc_matrix_clear(&back);
}
END_TEST

START_TEST(matrix_read_by_extension)
{
    const char *csv = temp_text(".csv", "u,v\n1,2\n3,4\n");
    mlc_matrix m;
    ck_assert_status(mlc_matrix_read(csv, &m), MLC_OK);
    const double want[] = {1, 2, 3, 4};
    ck_assert_uint_eq(m.rows, 2);
    assert_values(&m, want);
    mlc_matrix_clear(&m);

    mlc_matrix src = mlc_matrix_wrap((double *)want, 2, 2, 0);
    const char *npy = temp_text(".NPY", "");
    ck_assert_status(mlc_npy_write(npy, &src), MLC_OK);
    ck_assert_status(mlc_matrix_read(npy, &m), MLC_OK);
    assert_values(&m, want);
    mlc_matrix_clear(&m);

    /* Anything not called .npy is read as CSV. */
    const char *txt = temp_text(".txt", "u\n8\n");
    ck_assert_status(mlc_matrix_read(txt, &m), MLC_OK);
    ck_assert(m.rows == 1 && m.cols == 1 && m.data[0] == 8.0);
    mlc_matrix_clear(&m);
}
END_TEST

/* ------------------------------------------------------------ data sets */

START_TEST(dataset_read_csv)
{
    const char *path = temp_text(".csv", "a,target,b\n1,10,2\n3,20,4\n");
    mlc_dataset d;
    ck_assert_status(mlc_dataset_read(path, NULL, &d), MLC_OK); /* picks "target" */
    ck_assert_uint_eq(d.X.rows, 2);
    ck_assert_uint_eq(d.X.cols, 2);
    const double x[] = {1, 2, 3, 4};
    assert_values(&d.X, x);
    ck_assert_ptr_nonnull(d.y);
    ck_assert(d.y[0] == 10 && d.y[1] == 20);
    ck_assert_str_eq(d.feature_names[0], "a");
    ck_assert_str_eq(d.feature_names[1], "b");
    ck_assert_str_eq(d.name, path);
    mlc_dataset_clear(&d);
    ck_assert_ptr_null(d.y);

    ck_assert_status(mlc_dataset_read(path, "a", &d), MLC_OK);
    const double x2[] = {10, 2, 20, 4};
    assert_values(&d.X, x2);
    ck_assert(d.y[0] == 1 && d.y[1] == 3);
    ck_assert_str_eq(d.feature_names[0], "target");
    mlc_dataset_clear(&d);

    const char *plain = temp_text(".csv", "p,q\n1,2\n");
    ck_assert_status(mlc_dataset_read(plain, NULL, &d), MLC_OK);
    ck_assert_ptr_null(d.y);
    ck_assert_uint_eq(d.X.cols, 2);
    ck_assert_str_eq(d.feature_names[1], "q");
    mlc_dataset_clear(&d);
}
END_TEST

START_TEST(dataset_read_npy)
{
    mlc_dataset d;
    const char *path = fx_path("io/i4.npy");
    ck_assert_status(mlc_dataset_read(path, NULL, &d), MLC_OK);
    ck_assert_uint_eq(d.X.rows, 2);
    ck_assert_uint_eq(d.X.cols, 3);
    ck_assert_ptr_null(d.y);
    ck_assert_str_eq(d.feature_names[0], "x0");
    ck_assert_str_eq(d.feature_names[2], "x2");
    ck_assert_str_eq(d.name, path);
    mlc_dataset_clear(&d);

    /* NPY columns are called x0, x1, ...: a target may name one. */
    ck_assert_status(mlc_dataset_read(path, "x2", &d), MLC_OK);
    ck_assert_uint_eq(d.X.cols, 2);
    ck_assert(d.y[0] == 2147483647.0 && d.y[1] == 7.0);
    mlc_dataset_clear(&d);
}
END_TEST

/* -------------------------------------------------------------- errors */

START_TEST(csv_bad_numbers)
{
    csv_fails("a,b,petal_width\n1,2,3\n4,5,6\n\n7,8,abc\n", MLC_EFORMAT,
              ": line 5, column 3 ('petal_width'): 'abc' is not a number");
    csv_fails("a,b\n1,\n", MLC_EFORMAT, "line 2, column 2 ('b'): empty field");
    csv_fails("a,b\n1.5x,2\n", MLC_EFORMAT, "line 2, column 1 ('a'): '1.5x' is not a number");
    csv_fails("a,b\n1 2,3\n", MLC_EFORMAT, "line 2, column 1 ('a'): '1 2' is not a number");
    csv_fails("a,b\nNA,3\n", MLC_EFORMAT, "'NA' is not a number");
}
END_TEST

/* A first row of numbers only is no header (it would be a row of data
 * lost); a header needs distinct names; MLC_CSV_NO_HEADER reads every row,
 * MLC_CSV_FINITE names a NaN's line and column, from both readers (a
 * quoted field sends a file to the full one). */
START_TEST(csv_header_rules)
{
    csv_fails("1,2.5,3\n4,5,6\n", MLC_EFORMAT, ": line 1: the first row holds only numbers "
              "('1', ...), where a header row of column names is expected; a file without one "
              "is read with the command's --no-header (MLC_CSV_NO_HEADER in C)");
    csv_fails("\n\n7\n8\n", MLC_EFORMAT, "line 3: the first row holds only numbers ('7')");
    csv_fails("\" 1\",nan,-inf\n1,2,3\n", MLC_EFORMAT, "the first row holds only numbers");
    mlc_table t = csv_ok("1,a\n2,3\n", 1, 2); /* one name is enough */
    ck_assert_str_eq(t.names[0], "1");
    mlc_table_clear(&t);
    csv_fails("a,b,a\n1,2,3\n", MLC_EFORMAT,
              "line 1: column 3 repeats the name 'a' of column 1; column names must be distinct");
    csv_fails("\n\"b\",a,c,a,b\n1,2,3,4,5\n", MLC_EFORMAT,
              "line 2: column 4 repeats the name 'a' of column 2");
    csv_fails(",x,\n1,2,3\n", MLC_EFORMAT, "column 3 repeats the name '' of column 1");

    static const char *const headerless[2] = {"1,2\n\n3,4e1\n", "1,2\n\n\"3\",4e1\n"};
    for (int full = 0; full < 2; full++) {
        const char *path = temp_text(".csv", headerless[full]);
        ck_assert_status(mlc_csv_read_flags(path, MLC_CSV_NO_HEADER, &t), MLC_OK);
        ck_assert_uint_eq(t.data.rows, 2);
        ck_assert_str_eq(t.names[0], "x0");
        ck_assert_str_eq(t.names[1], "x1");
        const double want[4] = {1, 2, 3, 40};
        assert_values(&t.data, want);
        mlc_table_clear(&t);
        ck_assert_status(mlc_csv_parse_flags(headerless[full], strlen(headerless[full]), "mem",
                                             MLC_CSV_NO_HEADER, &t), MLC_OK);
        assert_values(&t.data, want);
        mlc_table_clear(&t);
    }
    const char *bad_first = temp_text(".csv", "1,zz\n2,3\n");
    ck_assert_status(mlc_csv_read_flags(bad_first, MLC_CSV_NO_HEADER, &t), MLC_EFORMAT);
    assert_msg_has("line 1, column 2 ('x1'): 'zz' is not a number");
    ck_assert_status(mlc_csv_read_flags(temp_text(".csv", ""), MLC_CSV_NO_HEADER, &t),
                     MLC_EEMPTY);
    assert_msg_has("the file is empty; expected rows of numbers");

    static const char *const with_nan[2] = {"a,b\n1,2\n\n3, NaN\n", "\"a\",b\n1,2\n\n3, NaN\n"};
    for (int full = 0; full < 2; full++) {
        const char *path = temp_text(".csv", with_nan[full]);
        ck_assert_status(mlc_csv_read_flags(path, MLC_CSV_FINITE, &t), MLC_ENONFINITE);
        assert_msg_has(": line 4, column 2 ('b'): 'NaN' is NaN; only finite numbers are accepted");
        ck_assert_ptr_null(t.data.data);
        ck_assert_status(mlc_csv_read(path, &t), MLC_OK); /* accepted without the flag */
        mlc_table_clear(&t);
    }
    ck_assert_status(mlc_csv_parse_flags("x0\n-1e999\n", 10, "inf.csv",
                                         MLC_CSV_FINITE | MLC_CSV_NO_HEADER, &t), MLC_EFORMAT);
    ck_assert_status(mlc_csv_parse_flags("-1e999\n", 7, "inf.csv",
                                         MLC_CSV_FINITE | MLC_CSV_NO_HEADER, &t), MLC_ENONFINITE);
    assert_msg_has("inf.csv: line 1, column 1 ('x0'): '-1e999' is infinite");
    ck_assert_status(mlc_csv_parse_flags("a\n1\n", 4, "f", 4u, &t), MLC_EINVAL);
    assert_msg_has("unknown CSV flags 0x4");
    ck_assert_status(mlc_csv_read_flags(bad_first, 8u, &t), MLC_EINVAL);
}
END_TEST

START_TEST(csv_line_numbers)
{
    /* A quoted newline in the header, CRLF, skipped empty lines. */
    csv_fails("\"two\nlines\",b\n1,2\n3,x\n", MLC_EFORMAT, "line 4, column 2 ('b')");
    csv_fails("a,b\r\n1,2\r\n\r\n3,x\r\n", MLC_EFORMAT, "line 4, column 2 ('b')");
    csv_fails("\"m\r\nl\",b\r\n1,y\r\n", MLC_EFORMAT, "line 3, column 2 ('b')");
    csv_fails("\n\n\na,b\n\n\n1,2\n\n3,\"x\ny\"\n", MLC_EFORMAT, "line 9, column 2 ('b')");
    csv_fails("\xEF\xBB\xBF" "a,b\n1,?\n", MLC_EFORMAT, "line 2, column 2 ('b'): '?'");
}
END_TEST

START_TEST(csv_bad_structure)
{
    csv_fails("a,b,c,d\n1,2,3,4\n1,2,3\n", MLC_EFORMAT, "line 3 has 3 fields, the header has 4");
    csv_fails("a,b\n\n1,2,3\n", MLC_EFORMAT, "line 3 has 3 fields, the header has 2");
    csv_fails("a,b\n1,2,\n", MLC_EFORMAT, "line 2 has 3 fields, the header has 2");
    csv_fails("a,b\n1\n", MLC_EFORMAT, "line 2 has 1 field, the header has 2");
    csv_fails("a,b\n1,2\n3,\"4\n5,6\n", MLC_EFORMAT,
              "line 3, column 2 ('b'): unterminated quoted field");
    csv_fails("a,b\n1,2\"3\n", MLC_EFORMAT, "line 2, column 2 ('b'): misplaced quote");
    csv_fails("a,b\n1,\"2\"x\n", MLC_EFORMAT, "line 2, column 2 ('b'): misplaced quote");
    csv_fails("a,b\n\"1\n\"2,3\n", MLC_EFORMAT, "line 2, column 1 ('a'): misplaced quote");
}
END_TEST

START_TEST(csv_empty_inputs)
{
    csv_fails("", MLC_EEMPTY, "the file is empty");
    csv_fails("\n\r\n   \n", MLC_EEMPTY, "the file is empty");
    csv_fails("\xEF\xBB\xBF", MLC_EEMPTY, "the file is empty");
    csv_fails("a,b\n\n", MLC_EEMPTY, "no data rows after the header (2 columns)");
}
END_TEST

START_TEST(csv_io_errors)
{
    mlc_table t;
    ck_assert_status(mlc_csv_read("/tmp/mlc_io_no_such_dir/x.csv", &t), MLC_EIO);
    assert_msg_has("/tmp/mlc_io_no_such_dir/x.csv");
    assert_msg_has(strerror(ENOENT));
    const char *dir = temp_dir();
    ck_assert_status(mlc_csv_read(dir, &t), MLC_EIO);
    assert_msg_has(strerror(EISDIR));
    ck_assert_status(mlc_csv_read(NULL, &t), MLC_EINVAL);
    ck_assert_status(mlc_csv_read(dir, NULL), MLC_EINVAL);
    ck_assert_status(mlc_csv_parse(NULL, 3, "x", &t), MLC_EINVAL);

    double v[2] = {1, 2};
    mlc_matrix m = mlc_matrix_wrap(v, 1, 2, 0);
    ck_assert_status(mlc_csv_write("/tmp/mlc_io_no_such_dir/x.csv", &m, NULL), MLC_EIO);
    assert_msg_has("/tmp/mlc_io_no_such_dir/x.csv");
    ck_assert_status(mlc_npy_write("/tmp/mlc_io_no_such_dir/x.npy", &m), MLC_EIO);
    mlc_matrix none = mlc_matrix_wrap(v, 2, 0, 1);
    ck_assert_status(mlc_csv_write("/tmp/x.csv", &none, NULL), MLC_EINVAL);
    ck_assert_status(mlc_csv_write(NULL, &m, NULL), MLC_EINVAL);
    ck_assert_status(mlc_npy_write_int32("/tmp/x.npy", NULL, 3), MLC_EINVAL);

    /* A folder is refused before a temporary is made (lib/io/file_write.c). */
    ck_assert_status(mlc_csv_write(dir, &m, NULL), MLC_EIO);
    assert_msg_has(strerror(EISDIR));
    char pattern[96];
    snprintf(pattern, sizeof pattern, "%s*mlcore-tmp*", dir);
    glob_t g;
    ck_assert_int_eq(glob(pattern, 0, NULL, &g), GLOB_NOMATCH);
    globfree(&g);
}
END_TEST

START_TEST(npy_bad_files)
{
    /* f8_c.npy: 128-byte header, then 12 doubles. */
    npy_fails(npy_variant("io/f8_c.npy", 128 + 90, 0, NULL, 0, NULL), MLC_EFORMAT,
              "truncated NPY file: shape (3, 4) of '<f8' needs 96 bytes of data, only 90");
    npy_fails(npy_variant("io/i4_be.npy", 128 + 3, 0, NULL, 0, NULL), MLC_EFORMAT,
              "needs 16 bytes of data, only 3 follow");
    npy_fails(npy_variant("io/f8_c.npy", 40, 0, NULL, 0, NULL), MLC_EFORMAT,
              "truncated NPY file (the header should have 118 bytes, only 30 follow)");
    npy_fails(npy_variant("io/f8_c.npy", 9, 0, NULL, 0, NULL), MLC_EFORMAT, "preamble");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 0, "\x93NUMPZ", 6, NULL), MLC_EFORMAT,
              "not an NPY file");
    npy_fails(temp_text(".npy", "a,b\n1,2\n"), MLC_EFORMAT, "not an NPY file");
    npy_fails(temp_text(".npy", ""), MLC_EFORMAT, "not an NPY file");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 6, "\x04", 1, NULL), MLC_EVERSION,
              "version 4.0 is not supported");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 10, "[", 1, NULL), MLC_EFORMAT,
              "malformed NPY header (it does not start with '{')");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 51, "'shap3'", 7, NULL), MLC_EFORMAT,
              "malformed NPY header (unknown key)");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 44, "Maybe", 5, NULL), MLC_EFORMAT,
              "'fortran_order' must be True or False");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 60, "x", 1, NULL), MLC_EFORMAT,
              "'shape' must be a tuple of sizes");
    npy_fails(npy_variant("io/f8_c.npy", 1000, 0, NULL, 0, "junk"), MLC_EFORMAT,
              "unexpected bytes after the 96 bytes of NPY data");
    npy_fails(fx_path("io/bad_c16.npy"), MLC_EFORMAT, "unsupported NPY dtype '<c16'");
    npy_fails(fx_path("io/bad_structured.npy"), MLC_EFORMAT, "structured NPY dtypes");
    npy_fails(fx_path("io/bad_3d.npy"), MLC_EFORMAT, "3-D with shape (2, 2, 2)");
    npy_fails(fx_path("io/bad_0d.npy"), MLC_EFORMAT, "0-D");
    npy_fails("/tmp/mlc_io_no_such_file.npy", MLC_EIO, strerror(ENOENT));

    /* A header claiming 10^12 rows over 16 bytes: "truncated" from the size
     * of the file or buffer, before anything is allocated (the old reader
     * tried 8 TB and said "out of memory"); also for a layout that is not
     * mapped (big-endian int32) and in memory. */
    const char *huge = npy_variant("io/i4_be.npy", 1000, 60, "(1000000000000, 2), }", 21, NULL);
    npy_fails(huge, MLC_EFORMAT, "truncated NPY file: shape (1000000000000, 2) of '>i4' needs "
              "8000000000000 bytes of data, only 16 follow");
    size_t huge_len;
    unsigned char *huge_bytes = slurp(huge, &huge_len);
    mlc_matrix m;
    ck_assert_status(mlc_npy_parse(huge_bytes, huge_len, "mem.npy", &m), MLC_EFORMAT);
    assert_msg_has("mem.npy: truncated NPY file");
    free(huge_bytes);
    npy_fails(npy_variant("io/f8_c.npy", 1000, 60, "(100000000000, 4), }", 20, NULL), MLC_EFORMAT,
              "needs 3200000000000 bytes of data, only 96 follow");

    ck_assert_status(mlc_npy_parse("\x93NUMPY", 6, "short", &m), MLC_EFORMAT);
    assert_msg_has("short: truncated");
    ck_assert_status(mlc_npy_read(NULL, &m), MLC_EINVAL);
    ck_assert_status(mlc_npy_parse(NULL, 5, "x", &m), MLC_EINVAL);
}
END_TEST

START_TEST(dataset_errors)
{
    const char *path = temp_text(".csv", "a,b,c\n1,2,3\n");
    mlc_dataset d;
    ck_assert_status(mlc_dataset_read(path, "nope", &d), MLC_ENOTFOUND);
    assert_msg_has("has no column named 'nope'; its columns are: a, b, c");
    ck_assert_ptr_null(d.X.data);
    ck_assert_ptr_null(d.feature_names);
    ck_assert_ptr_null(d.name);

    ck_assert_status(mlc_dataset_read(fx_path("io/u1.npy"), "target", &d), MLC_ENOTFOUND);
    assert_msg_has("its columns are: x0, x1");

    const char *single = temp_text(".csv", "y\n1\n2\n");
    ck_assert_status(mlc_dataset_read(single, "y", &d), MLC_EEMPTY);
    assert_msg_has("leaves no feature columns");

    /* X must be 2-D: a 1-D .npy gets scikit-learn's advice. */
    ck_assert_status(mlc_dataset_read(fx_path("io/vec_f8.npy"), NULL, &d), MLC_EFORMAT);
    assert_msg_has("vec_f8.npy: expected a 2D array, got a 1D array of shape (5,) instead; "
                   "reshape your data either using array.reshape(-1, 1) if your data has a "
                   "single feature or array.reshape(1, -1) if it contains a single sample");
    ck_assert_ptr_null(d.X.data);
    ck_assert_status(mlc_dataset_read(fx_path("io/bad_3d.npy"), NULL, &d), MLC_EFORMAT);
    assert_msg_has("found an array with 3 dimensions; X must be 2-D");
    /* MLC_CSV_FINITE: an .npy's NaN by numpy's indices, a CSV's by line. */
    double vals[4] = {1, 2, INFINITY, 4};
    mlc_matrix bad = mlc_matrix_wrap(vals, 2, 2, 0);
    const char *npy = temp_text(".npy", "");
    ck_assert_status(mlc_npy_write(npy, &bad), MLC_OK);
    ck_assert_status(mlc_dataset_read_flags(npy, NULL, MLC_CSV_FINITE, &d), MLC_ENONFINITE);
    assert_msg_has("X[1, 0] is infinite; only finite numbers are accepted");
    ck_assert_ptr_null(d.X.data);
    ck_assert_status(mlc_dataset_read_flags(npy, NULL, 0, &d), MLC_OK);
    mlc_dataset_clear(&d);
    const char *nan_target = temp_text(".csv", "a,t\n1,2\n3,nan\n");
    ck_assert_status(mlc_dataset_read_flags(nan_target, "t", MLC_CSV_FINITE, &d),
                     MLC_ENONFINITE);
    assert_msg_has("line 3, column 2 ('t'): 'nan' is NaN");
    ck_assert_status(mlc_dataset_read_flags(nan_target, "t", 16u, &d), MLC_EINVAL);
    const char *bare = temp_text(".csv", "1,2\n3,4\n");
    ck_assert_status(mlc_dataset_read(bare, NULL, &d), MLC_EFORMAT);
    ck_assert_status(mlc_dataset_read_flags(bare, "x1", MLC_CSV_NO_HEADER, &d), MLC_OK);
    ck_assert_uint_eq(d.X.rows, 2);
    ck_assert(d.y[0] == 2 && d.y[1] == 4);
    ck_assert_str_eq(d.feature_names[0], "x0");
    mlc_dataset_clear(&d);

    ck_assert_status(mlc_dataset_read("/tmp/mlc_io_missing.csv", NULL, &d), MLC_EIO);
    ck_assert_status(mlc_dataset_read(NULL, NULL, &d), MLC_EINVAL);
    ck_assert_status(mlc_dataset_read(path, NULL, NULL), MLC_EINVAL);
    ck_assert_status(mlc_matrix_read(NULL, &d.X), MLC_EINVAL);
}
END_TEST

/* ---------------------------------------------------------------- edge */

START_TEST(csv_tiny)
{
    mlc_table t = csv_ok("a\n5\n", 1, 1);
    ck_assert(t.data.data[0] == 5.0);
    mlc_table_clear(&t);
    t = csv_ok("v\n1\n\n2\n", 2, 1); /* one column: empty lines are still skipped */
    mlc_table_clear(&t);
    t = csv_ok(",b\n1,2\n", 1, 2); /* an unnamed column (pandas' index) */
    ck_assert_str_eq(t.names[0], "");
    mlc_table_clear(&t);
}
END_TEST

/* More than one 1 MiB parsing chunk and many doublings of the row buffer. */
START_TEST(csv_large)
{
    const size_t rows = 30000, cols = 5;
    size_t cap = rows * cols * 24 + 64, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text, cap, "c0,c1,c2,c3,c4\n");
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            len += (size_t)snprintf(text + len, cap - len, "%.17g%c", (double)i / 7.0 + (double)j,
                                    j + 1 < cols ? ',' : '\n');
    ck_assert_uint_gt(len, (size_t)1 << 20);
    const char *path = temp_file(".csv", text, len);
    mlc_table t;
    ck_assert_status(mlc_csv_read(path, &t), MLC_OK);
    ck_assert_uint_eq(t.data.rows, rows);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            ck_assert(same_bits(MLC_AT(&t.data, i, j), (double)i / 7.0 + (double)j));
    mlc_table_clear(&t);

    /* A bad last value: the line number is counted across chunks. */
    memcpy(text + len - 4, "x\n", 3);
    path = temp_file(".csv", text, len - 2);
    ck_assert_status(mlc_csv_read(path, &t), MLC_EFORMAT);
    char want[64];
    snprintf(want, sizeof want, "line %zu, column 5 ('c4')", rows + 1);
    assert_msg_has(want);
    free(text);
}
END_TEST

/* A file of 9 MB (two read chunks, several parallel parts) mixing what
 * the fast path takes with what it leaves to strtod (blanks, nan, inf,
 * 1e999, subnormals, 55 digits), CRLF and LF, runs of empty lines and no
 * final line break: the same table, to the bit, as the full reader gives
 * (a quoted header sends the same rows there), from a file and from
 * memory; and an error in its last line at the right line number. */
START_TEST(csv_fast_matches_full)
{
    static const char *const odd[] = {" 1.5 ", "\t-2", "nan", "-inf", "1e999", "1e-320", "+.5",
                                      "1.00000000000000011102230246251565404236316680908203126",
                                      "7.", "-0", "1E5"};
    const size_t rows = 80000, cols = 6;
    size_t cap = rows * cols * 64 + 256, len = 0, lines = 1;
    char *body = malloc(cap);
    uint64_t state = 7;
    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < cols; j++) {
            uint64_t r = splitmix(&state);
            const char *sep = j + 1 < cols ? "," : (r >> 40) % 5 == 0 ? "\r\n" : "\n";
            if ((r >> 8) % 97 == 0)
                len += (size_t)snprintf(body + len, cap - len, "%s%s", odd[r % 11], sep);
            else
                len += (size_t)snprintf(body + len, cap - len, "%.17g%s",
                                        ldexp((double)(r >> 11), -(int)(r % 80)) - 3.0, sep);
        }
        lines++;
        for (size_t e = 0; e < 3 && splitmix(&state) % 1000 == 0; e++, lines++)
            len += (size_t)snprintf(body + len, cap - len, e % 2 ? "\r\n" : "\n");
    }
    len -= body[len - 1] == '\n' ? (body[len - 2] == '\r' ? 2 : 1) : 0; /* no final break */
    ck_assert_uint_gt(len, (size_t)17 << 19); /* over 8.5 MiB */
    static const char *const header[2] = {"a,b,c,d,e,f\n", "\"a\",b,c,d,e,f\n"};
    mlc_table t[2][2];
    for (int h = 0; h < 2; h++) {
        size_t hl = strlen(header[h]);
        char *text = malloc(hl + len);
        memcpy(text, header[h], hl);
        memcpy(text + hl, body, len);
        const char *path = temp_file(".csv", text, hl + len);
        ck_assert_status(mlc_csv_read(path, &t[h][0]), MLC_OK);
        ck_assert_status(mlc_csv_parse(text, hl + len, "mem.csv", &t[h][1]), MLC_OK);
        free(text);
        unlink(path);
    }
    for (int k = 0; k < 4; k++) {
        const mlc_table *a = &t[0][0], *b = &t[k / 2][k % 2];
        ck_assert_uint_eq(b->data.rows, rows);
        ck_assert_uint_eq(b->data.cols, cols);
        ck_assert_str_eq(b->names[0], "a");
        ck_assert_str_eq(b->names[5], "f");
        ck_assert(memcmp(a->data.data, b->data.data, rows * cols * sizeof(double)) == 0);
    }
    /* The body alone through the fast path's row parser: all of it taken. */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    mlc_csv_rows fast = {cols, c, 0, NULL, 0, 0};
    char *z = malloc(len + 1);
    memcpy(z, body, len);
    z[len] = '\0';
    int slow = -1;
    ck_assert_status(mlc_csv_rows_add(&fast, z, len, &slow), MLC_OK);
    ck_assert_int_eq(slow, 0);
    ck_assert_uint_eq(fast.rows, rows);
    ck_assert(memcmp(fast.data, t[1][0].data.data, rows * cols * sizeof(double)) == 0);
    mlc_csv_rows_clear(&fast);
    freelocale(c);
    free(z);
    for (int k = 0; k < 4; k++)
        mlc_table_clear(&t[k / 2][k % 2]);

    /* The last value spoiled: the full reader's message, the line counted
     * over CRLF, empty lines and both chunks. */
    char *text = malloc(len + 32);
    memcpy(text, "a,b,c,d,e,f\n", 12);
    memcpy(text + 12, body, len);
    size_t n = 12 + len;
    while (text[n - 1] != ',')
        n--;
    memcpy(text + n, "z", 2);
    const char *path = temp_file(".csv", text, n + 1);
    mlc_table bad;
    ck_assert_status(mlc_csv_read(path, &bad), MLC_EFORMAT);
    char want[96];
    snprintf(want, sizeof want, "line %zu, column 6 ('f'): 'z' is not a number", lines);
    assert_msg_has(want);
    free(text);
    free(body);
}
END_TEST

START_TEST(npy_shapes)
{
    mlc_matrix empty = mlc_matrix_wrap(NULL, 0, 3, 0);
    const char *path = temp_text(".npy", "");
    ck_assert_status(mlc_npy_write(path, &empty), MLC_OK);
    mlc_matrix m;
    ck_assert_status(mlc_npy_read(path, &m), MLC_OK);
    ck_assert_uint_eq(m.rows, 0);
    ck_assert_uint_eq(m.cols, 3);
    mlc_matrix_clear(&m);

    double one = -4.5;
    ck_assert_status(mlc_npy_write_vector(path, &one, 1), MLC_OK);
    ck_assert_status(mlc_npy_read(path, &m), MLC_OK);
    ck_assert(m.rows == 1 && m.cols == 1 && m.data[0] == -4.5);
    mlc_matrix_clear(&m);
}
END_TEST

/* A model file changed by `edit` (a key set to a JSON value, or removed
 * when value is NULL) and loaded: the status. */
static int load_edited(const char *saved, const char *key, const char *value, mlc_estimator **e)
{
    json_t *root = json_load_file(saved, 0, NULL);
    ck_assert_ptr_nonnull(root);
    if (value)
        json_object_set_new(root, key, json_loads(value, JSON_DECODE_ANY, NULL));
    else
        json_object_del(root, key);
    const char *path = temp_text(".json", "");
    ck_assert_int_eq(json_dump_file(root, path, 0), 0);
    json_decref(root);
    *e = NULL;
    return mlc_estimator_load(path, e);
}

/* feature_names_in_: recorded after a fit, kept by model files (a file
 * without them, as every file before them, still loads), dropped by a
 * refit; an input's columns matched to them by name. */
START_TEST(model_feature_names)
{
    double x[8] = {1, 2, 2, 1, 3, 5, 4, 3}, y[4] = {1, 2, 3, 5};
    mlc_matrix X = mlc_matrix_wrap(x, 4, 2, 0);
    mlc_estimator *e, *back;
    ck_assert_status(mlc_estimator_new("linear_regression", &e), MLC_OK);
    static const char *const ab[2] = {"a", "b"}, *const ba[2] = {"b", "a"},
                             *const aa[2] = {"a", "a"}, *const ac[2] = {"a", "c"},
                             *const abc[3] = {"a", "b", "c"}, *const a_null[2] = {"a", NULL};
    ck_assert_status(mlc_estimator_set_feature_names(e, ab, 2), MLC_ENOTFITTED);
    ck_assert_status(mlc_estimator_fit(e, &X, y), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_feature_names(e));
    ck_assert_status(mlc_estimator_set_feature_names(e, abc, 3), MLC_EBADLEN);
    ck_assert_status(mlc_estimator_set_feature_names(e, aa, 2), MLC_EINVAL);
    assert_msg_has("column 2 repeats the name 'a' of column 1");
    ck_assert_status(mlc_estimator_set_feature_names(e, a_null, 2), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set_feature_names(e, ab, 2), MLC_OK);
    ck_assert_str_eq(mlc_estimator_feature_names(e)[1], "b");

    size_t index[2];
    ck_assert_status(mlc_estimator_match_columns(e, ba, 2, index), MLC_OK);
    ck_assert(index[0] == 1 && index[1] == 0);
    ck_assert_status(mlc_estimator_match_columns(e, abc, 3, index), MLC_EINVAL);
    assert_msg_has("the feature names should match those that were passed during fit; unseen "
                   "at fit time: 'c'");
    ck_assert_status(mlc_estimator_match_columns(e, ac, 2, index), MLC_EINVAL);
    assert_msg_has("unseen at fit time: 'c'; seen at fit time, yet now missing: 'b'");
    ck_assert_status(mlc_estimator_match_columns(e, aa, 2, index), MLC_EINVAL);
    ck_assert_status(mlc_estimator_match_columns(e, NULL, 2, index), MLC_OK);
    ck_assert(index[0] == 0 && index[1] == 1);
    ck_assert_status(mlc_estimator_match_columns(e, NULL, 3, index), MLC_EBADLEN);

    const char *saved = temp_text(".json", "");
    ck_assert_status(mlc_estimator_save(e, saved), MLC_OK);
    ck_assert_status(mlc_estimator_load(saved, &back), MLC_OK);
    ck_assert_str_eq(mlc_estimator_feature_names(back)[0], "a");
    ck_assert_str_eq(mlc_estimator_feature_names(back)[1], "b");
    mlc_estimator_free(back);
    /* A file without names (every file written before them) loads without. */
    ck_assert_status(load_edited(saved, "feature_names_in_", NULL, &back), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_feature_names(back));
    ck_assert_status(mlc_estimator_match_columns(back, ba, 2, index), MLC_OK);
    ck_assert(index[0] == 0 && index[1] == 1); /* by position */
    mlc_estimator_free(back);
    ck_assert_status(load_edited(saved, "feature_names_in_", "[\"a\"]", &back), MLC_EFORMAT);
    assert_msg_has("\"feature_names_in_\" is not a list of 2 names");
    ck_assert_status(load_edited(saved, "feature_names_in_", "[\"a\", 3]", &back), MLC_EFORMAT);
    ck_assert_status(load_edited(saved, "feature_names_in_", "[\"a\", \"a\"]", &back),
                     MLC_EFORMAT);
    assert_msg_has("repeats the name 'a'");
    ck_assert_ptr_null(back);
    /* A tampered width is refused before a restore sizes anything by it. */
    ck_assert_status(load_edited(saved, "n_features_in_", "1000000000000000", &back),
                     MLC_EFORMAT);
    assert_msg_has("n_features_in_ = 1000000000000000 and n_targets = 1, but the attributes "
                   "hold only 6 values; the file is corrupt");
    ck_assert_status(load_edited(saved, "n_targets", "1000000000", &back), MLC_EFORMAT);

    ck_assert_status(mlc_estimator_fit(e, &X, y), MLC_OK); /* a refit forgets them */
    ck_assert_ptr_null(mlc_estimator_feature_names(e));
    ck_assert_status(mlc_estimator_set_feature_names(e, ab, 2), MLC_OK);
    ck_assert_status(mlc_estimator_set_feature_names(e, NULL, 0), MLC_OK);
    ck_assert_ptr_null(mlc_estimator_feature_names(e));
    mlc_estimator_free(e);
}
END_TEST

START_TEST(free_is_safe)
{
    mlc_table_clear(NULL);
    mlc_dataset_clear(NULL);
    mlc_table t;
    memset(&t, 0, sizeof t);
    mlc_table_clear(&t);
    mlc_dataset d;
    memset(&d, 0, sizeof d);
    mlc_dataset_clear(&d);
    ck_assert_status(mlc_dataset_read(fx_path("io/u1.npy"), NULL, &d), MLC_OK);
    mlc_dataset_clear(&d);
    mlc_dataset_clear(&d); /* freeing resets, so a second free is harmless */
    ck_assert_ptr_null(d.X.data);
    ck_assert_int_eq(mlc_table_column(NULL, "a"), -1);
}
END_TEST

Suite *mlc_io_suite(void)
{
    Suite *s = suite_create("io");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, NULL, remove_temps);
    tcase_add_test(core, decimal_tricky_values);
    tcase_add_test(core, decimal_matches_strtod);
    tcase_add_test(core, number_spellings_as_numpy);
    tcase_add_test(core, csv_basic);
    tcase_add_test(core, csv_quoted_fields);
    tcase_add_test(core, csv_crlf_empty_lines_bom);
    tcase_add_test(core, csv_special_numbers);
    tcase_add_test(core, csv_parse_in_memory);
    tcase_add_test(core, csv_write_round_trip);
    tcase_add_test(core, npy_reads_nd_arrays);
    tcase_add_test(core, npy_reads_numpy_files);
    tcase_add_test(core, npy_write_round_trip);
    tcase_add_test(core, npy_maps_native_files);
    tcase_add_test(core, matrix_read_by_extension);
    tcase_add_test(core, dataset_read_csv);
    tcase_add_test(core, dataset_read_npy);
    tcase_add_test(core, model_feature_names);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, NULL, remove_temps);
    tcase_add_test(errors, csv_bad_numbers);
    tcase_add_test(errors, csv_line_numbers);
    tcase_add_test(errors, csv_header_rules);
    tcase_add_test(errors, csv_bad_structure);
    tcase_add_test(errors, csv_empty_inputs);
    tcase_add_test(errors, csv_io_errors);
    tcase_add_test(errors, npy_bad_files);
    tcase_add_test(errors, dataset_errors);
    suite_add_tcase(s, errors);

    TCase *edge = tcase_create("edge");
    tcase_add_checked_fixture(edge, NULL, remove_temps);
    tcase_add_test(edge, csv_tiny);
    tcase_add_test(edge, csv_large);
    tcase_add_test(edge, csv_fast_matches_full);
    tcase_add_test(edge, npy_shapes);
    tcase_add_test(edge, free_is_safe);
    suite_add_tcase(s, edge);
    return s;
}
