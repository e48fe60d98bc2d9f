/* The bundled data sets, parsed from the files embedded in the library
 * (datasets/data, copied from scikit-learn 1.2.1) exactly as scikit-learn's
 * load_* functions read them, so that X and y are the same doubles.
 *
 *   iris, wine, breast_cancer: first line "n_samples,n_features,target
 *     names...", then rows of n_features floats and an integer class.
 *   digits: gzip, no header, rows of 64 pixel counts and the digit.
 *   diabetes: gzip, whitespace-separated 442 x 10 raw values and a target
 *     file, the columns scaled as load_diabetes(scaled=True). */
#include <locale.h>
#include <math.h>
#include <float.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "bundled.h"
#include "embedded.h"
#include "internal/error.h"
#include "mlcore/dataset.h"

/* Decompressed files larger than this are malformed (digits is ~0.5 MB). */
#define MAX_INFLATED (64u << 20)

static const char *const iris_features[] = {"sepal length (cm)", "sepal width (cm)",
                                            "petal length (cm)", "petal width (cm)"};

static const char *const wine_features[] = {
    "alcohol",         "malic_acid",      "ash",
    "alcalinity_of_ash", "magnesium",     "total_phenols",
    "flavanoids",      "nonflavanoid_phenols", "proanthocyanins",
    "color_intensity", "hue",             "od280/od315_of_diluted_wines",
    "proline"};

static const char *const breast_cancer_features[] = {
    "mean radius",          "mean texture",          "mean perimeter",
    "mean area",            "mean smoothness",       "mean compactness",
    "mean concavity",       "mean concave points",   "mean symmetry",
    "mean fractal dimension", "radius error",        "texture error",
    "perimeter error",      "area error",            "smoothness error",
    "compactness error",    "concavity error",       "concave points error",
    "symmetry error",       "fractal dimension error", "worst radius",
    "worst texture",        "worst perimeter",       "worst area",
    "worst smoothness",     "worst compactness",     "worst concavity",
    "worst concave points", "worst symmetry",        "worst fractal dimension"};

static const char *const diabetes_features[] = {"age", "sex", "bmi", "bp", "s1",
                                                "s2",  "s3",  "s4",  "s5", "s6"};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- embedded files ---------------------------------------------------- */

/* A file's text: embedded bytes or an inflated copy (owned). */
typedef struct text {
    const char *name;
    const char *data;
    size_t len;
    char *owned;
} text;

static void text_clear(text *t)
{
    free(t->owned);
    memset(t, 0, sizeof *t);
}

static int inflate_gzip(const char *name, const unsigned char *src, size_t len, text *out)
{
    size_t cap = len * 4 + 1024, used = 0;
    char *buf = malloc(cap);
    if (!buf)
        return mlc_raise_nomem("a decompression buffer");
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        free(buf);
        return mlc_raise_nomem("a zlib stream");
    }
    zs.next_in = (unsigned char *)(uintptr_t)src; /* zlib does not write its input */
    zs.avail_in = (uInt)len;
    int zr = Z_OK, st = MLC_OK;
    while (zr != Z_STREAM_END) {
        if (used == cap) {
            char *grown = cap < MAX_INFLATED ? realloc(buf, cap * 2) : NULL;
            if (!grown) {
                st = cap < MAX_INFLATED ? mlc_raise_nomem("decompressed data")
                                        : mlc_raise(MLC_EFORMAT, "%s: decompresses to more than "
                                                                 "%u bytes", name, MAX_INFLATED);
                break;
            }
            buf = grown;
            cap *= 2;
        }
        zs.next_out = (unsigned char *)buf + used;
        zs.avail_out = (uInt)(cap - used);
        zr = inflate(&zs, Z_NO_FLUSH);
        used = cap - zs.avail_out;
        if (zr == Z_BUF_ERROR && zs.avail_in == 0)
            zr = Z_DATA_ERROR; /* truncated stream */
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
            st = zr == Z_MEM_ERROR ? mlc_raise_nomem("decompression")
                                   : mlc_raise(MLC_EFORMAT, "%s: corrupt gzip data", name);
            break;
        }
    }
    inflateEnd(&zs);
    if (st) {
        free(buf);
        return st;
    }
    out->name = name;
    out->data = buf;
    out->len = used;
    out->owned = buf;
    return MLC_OK;
}

/* Bytes standing in for one embedded file (mlc_bundled_load_with). */
static _Thread_local mlc_embedded_file replacement;

/* The text of embedded file `name`, inflated if it ends in ".gz". */
static int embedded_text(const char *name, text *out)
{
    memset(out, 0, sizeof *out);
    const mlc_embedded_file *f = replacement.name && strcmp(replacement.name, name) == 0
                                     ? &replacement
                                     : mlc_embedded_find(name);
    if (!f)
        return mlc_raise(MLC_ENOTFOUND, "bundled file %s is missing from the library", name);
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
        return inflate_gzip(name, f->data, f->size, out);
    out->name = name;
    out->data = (const char *)f->data;
    out->len = f->size;
    return MLC_OK;
}

/* ---- tokenizer --------------------------------------------------------- */

/* Where parsing is: the file, the current position and line number, and the
 * "C" locale for strtod_l ('.' decimal point whatever the caller's locale). */
typedef struct cursor {
    const text *t;
    size_t pos;
    size_t line;
    locale_t loc;
} cursor;

static int at_end(const cursor *c)
{
    return c->pos >= c->t->len;
}

static char peek(const cursor *c)
{
    return at_end(c) ? '\0' : c->t->data[c->pos];
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static int is_eol(char ch)
{
    return ch == '\n' || ch == '\r' || ch == '\0';
}

static void skip_blanks(cursor *c)
{
    while (!at_end(c) && is_blank(peek(c)))
        c->pos++;
}

/* Skip the end of the current line (LF or CRLF) and any blank lines. */
static void skip_line_ends(cursor *c)
{
    for (;;) {
        size_t save = c->pos;
        skip_blanks(c);
        if (peek(c) == '\r')
            c->pos++;
        if (peek(c) == '\n') {
            c->pos++;
            c->line++;
            continue;
        }
        if (!at_end(c))
            c->pos = save;
        return;
    }
}

/* Next field up to `sep` (',' or ' ' for a run of blanks) or the line end,
 * blanks trimmed, copied NUL-terminated into buf. */
static int read_field(cursor *c, char sep, char *buf, size_t cap)
{
    skip_blanks(c);
    size_t n = 0;
    while (!at_end(c)) {
        char ch = peek(c);
        if (is_eol(ch) || ch == sep || (sep == ' ' && is_blank(ch)))
            break;
        if (n + 1 >= cap)
            return mlc_raise(MLC_EFORMAT, "%s: line %zu: field too long", c->t->name, c->line);
        buf[n++] = ch;
        c->pos++;
    }
    while (n > 0 && is_blank(buf[n - 1]))
        n--;
    buf[n] = '\0';
    if (n == 0)
        return mlc_raise(MLC_EFORMAT, "%s: line %zu: empty field", c->t->name, c->line);
    return MLC_OK;
}

static int read_number(cursor *c, char sep, double *v)
{
    char buf[64];
    int st = read_field(c, sep, buf, sizeof buf);
    if (st)
        return st;
    char *stop;
    *v = strtod_l(buf, &stop, c->loc);
    if (*stop != '\0' || !isfinite(*v))
        return mlc_raise(MLC_EFORMAT, "%s: line %zu: '%s' is not a finite number", c->t->name,
                         c->line, buf);
    return MLC_OK;
}

/* After a field: 1 if a separator follows (consumed), 0 at the line end. */
static int next_is_separator(cursor *c, char sep)
{
    if (sep == ' ') {
        skip_blanks(c);
        return !is_eol(peek(c));
    }
    skip_blanks(c);
    if (peek(c) == sep) {
        c->pos++;
        return 1;
    }
    return 0;
}

/* The line must end here. */
static int expect_line_end(cursor *c, char sep)
{
    if (next_is_separator(c, sep) || !is_eol(peek(c)))
        return mlc_raise(MLC_EFORMAT, "%s: line %zu: too many values", c->t->name, c->line);
    skip_line_ends(c);
    return MLC_OK;
}

/* One line of exactly `cols` numbers. */
static int read_row(cursor *c, char sep, size_t cols, double *row)
{
    for (size_t j = 0; j < cols; j++) {
        if (j > 0 && !next_is_separator(c, sep))
            return mlc_raise(MLC_EFORMAT, "%s: line %zu: %zu values, expected %zu", c->t->name,
                             c->line, j, cols);
        int st = read_number(c, sep, &row[j]);
        if (st)
            return st;
    }
    return expect_line_end(c, sep);
}

/* Number of non-blank lines from the cursor on, and the number of fields of
 * the first one. */
static void count_table(const cursor *c, char sep, size_t *rows, size_t *cols)
{
    *rows = 0;
    *cols = 0;
    int in_line = 0, first = 1;
    size_t fields = 0;
    int in_field = 0;
    for (size_t i = c->pos; i <= c->t->len; i++) {
        char ch = i < c->t->len ? c->t->data[i] : '\n';
        if (ch == '\n' || ch == '\r') {
            if (in_line) {
                (*rows)++;
                if (first)
                    *cols = fields + (sep == ' ' ? 0 : 1);
                first = 0;
            }
            in_line = 0;
            in_field = 0;
            fields = 0;
        } else if (sep == ' ') {
            if (is_blank(ch)) {
                in_field = 0;
            } else {
                in_line = 1;
                if (!in_field)
                    fields++;
                in_field = 1;
            }
        } else {
            if (!is_blank(ch))
                in_line = 1;
            if (ch == sep)
                fields++;
        }
    }
}

/* A whole numeric table (sep ',' or ' ' for whitespace, as np.loadtxt):
 * every non-blank line must have the same number of values. */
static int read_table(cursor *c, char sep, size_t *rows, size_t *cols, double **values)
{
    *values = NULL;
    skip_line_ends(c);
    count_table(c, sep, rows, cols);
    if (*rows == 0 || *cols == 0)
        return mlc_raise(MLC_EFORMAT, "%s: no data", c->t->name);
    if (*cols > SIZE_MAX / sizeof(double) / *rows)
        return mlc_raise(MLC_EFORMAT, "%s: table too large", c->t->name);
    double *v = malloc(*rows * *cols * sizeof *v);
    if (!v)
        return mlc_raise_nomem("a bundled data set");
    for (size_t i = 0; i < *rows; i++) {
        int st = read_row(c, sep, *cols, v + i * *cols);
        if (st) {
            free(v);
            return st;
        }
    }
    *values = v;
    return MLC_OK;
}

/* ---- building a data set ----------------------------------------------- */

static int copy_names(char ***dst, const char *const *src, size_t n)
{
    *dst = calloc(n, sizeof **dst);
    if (!*dst)
        return mlc_raise_nomem("names");
    for (size_t i = 0; i < n; i++)
        if (!((*dst)[i] = strdup(src[i])))
            return mlc_raise_nomem("names");
    return MLC_OK;
}

/* X (n x p) and y taken from rows of p features followed by the target. */
static int dataset_from_rows(const double *rows, size_t n, size_t p, const char *name,
                             const char *const *features, mlc_dataset *out)
{
    int st = mlc_matrix_alloc(&out->X, n, p);
    if (st)
        return st;
    out->y = malloc(n * sizeof *out->y);
    out->name = strdup(name);
    if (!out->y || !out->name)
        return mlc_raise_nomem("a bundled data set");
    for (size_t i = 0; i < n; i++) {
        memcpy(mlc_matrix_row(&out->X, i), rows + i * (p + 1), p * sizeof(double));
        out->y[i] = rows[i * (p + 1) + p];
    }
    return copy_names(&out->feature_names, features, p);
}

/* Every y must be a class index 0..k-1. */
static int check_classes(const mlc_dataset *d, size_t k, const char *file)
{
    for (size_t i = 0; i < d->X.rows; i++) {
        double v = d->y[i];
        if (!(v >= 0 && v < (double)k && v == floor(v)))
            return mlc_raise(MLC_EFORMAT, "%s: row %zu has class %g, expected 0..%zu", file,
                             i + 1, v, k - 1);
    }
    return MLC_OK;
}

static int parse_size(cursor *c, size_t *v, const char *what)
{
    double d;
    int st = read_number(c, ',', &d);
    if (st)
        return st;
    /* Each value takes at least two bytes of the file. */
    if (!(d >= 1 && d == floor(d) && d <= (double)c->t->len))
        return mlc_raise(MLC_EFORMAT, "%s: header %s %g is not a plausible count", c->t->name,
                         what, d);
    *v = (size_t)d;
    return MLC_OK;
}

/* The header "n_samples,n_features,name,name,...": target names into out. */
static int read_csv_header(cursor *c, size_t *n, size_t *p, mlc_dataset *out)
{
    int st;
    if ((st = parse_size(c, n, "n_samples")))
        return st;
    if (!next_is_separator(c, ',') || (st = parse_size(c, p, "n_features")))
        return st ? st : mlc_raise(MLC_EFORMAT, "%s: header has no n_features", c->t->name);
    size_t cap = 0;
    while (next_is_separator(c, ',')) {
        char buf[128];
        if ((st = read_field(c, ',', buf, sizeof buf)))
            return st;
        if (out->n_target_names == cap) {
            size_t grown_cap = cap ? 2 * cap : 4;
            char **grown = realloc(out->target_names, grown_cap * sizeof *grown);
            if (!grown)
                return mlc_raise_nomem("target names");
            out->target_names = grown;
            cap = grown_cap;
        }
        if (!(out->target_names[out->n_target_names] = strdup(buf)))
            return mlc_raise_nomem("target names");
        out->n_target_names++;
    }
    if (out->n_target_names == 0)
        return mlc_raise(MLC_EFORMAT, "%s: header names no classes", c->t->name);
    return expect_line_end(c, ',');
}

/* scikit-learn's load_csv_data: header, then n_samples rows of n_features
 * floats and an integer class. */
static int load_header_csv(const text *t, const char *name, const char *const *features,
                           size_t n_features_expected, mlc_dataset *out)
{
    cursor c = {t, 0, 1, newlocale(LC_ALL_MASK, "C", (locale_t)0)};
    if (!c.loc)
        return mlc_raise_nomem("a locale");
    size_t n = 0, p = 0, rows = 0, cols = 0;
    double *v = NULL;
    int st = read_csv_header(&c, &n, &p, out);
    if (!st && p != n_features_expected)
        st = mlc_raise(MLC_EFORMAT, "%s: header says %zu features, expected %zu", t->name, p,
                       n_features_expected);
    if (!st)
        st = read_table(&c, ',', &rows, &cols, &v);
    if (!st && (rows != n || cols != p + 1))
        st = mlc_raise(MLC_EFORMAT, "%s: %zu rows of %zu values, the header says %zu of %zu",
                       t->name, rows, cols, n, p + 1);
    if (!st)
        st = dataset_from_rows(v, n, p, name, features, out);
    if (!st)
        st = check_classes(out, out->n_target_names, t->name);
    free(v);
    freelocale(c.loc);
    return st;
}

/* A table from an embedded file: no header, `sep`-separated. */
static int load_table(const char *file, char sep, size_t *rows, size_t *cols, double **v)
{
    text t;
    int st = embedded_text(file, &t);
    if (st)
        return st;
    cursor c = {&t, 0, 1, newlocale(LC_ALL_MASK, "C", (locale_t)0)};
    if (!c.loc)
        st = mlc_raise_nomem("a locale");
    else
        st = read_table(&c, sep, rows, cols, v);
    if (c.loc)
        freelocale(c.loc);
    text_clear(&t);
    return st;
}

static int begin(mlc_dataset *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output data set is NULL");
    memset(out, 0, sizeof *out);
    return MLC_OK;
}

static int finish(mlc_dataset *out, int st)
{
    if (st)
        mlc_dataset_clear(out);
    return st;
}

static int load_csv_dataset(const char *file, const char *name, const char *const *features,
                            size_t p, mlc_dataset *out)
{
    int st = begin(out);
    if (st)
        return st;
    text t;
    if (!(st = embedded_text(file, &t)))
        st = load_header_csv(&t, name, features, p, out);
    text_clear(&t);
    return finish(out, st);
}

/* ---- the five loaders -------------------------------------------------- */

int mlc_load_iris(mlc_dataset *out)
{
    return load_csv_dataset("iris.csv", "iris", iris_features, COUNT_OF(iris_features), out);
}

int mlc_load_wine(mlc_dataset *out)
{
    return load_csv_dataset("wine_data.csv", "wine", wine_features, COUNT_OF(wine_features),
                            out);
}

int mlc_load_breast_cancer(mlc_dataset *out)
{
    return load_csv_dataset("breast_cancer.csv", "breast_cancer", breast_cancer_features,
                            COUNT_OF(breast_cancer_features), out);
}

int mlc_load_digits(mlc_dataset *out)
{
    int st = begin(out);
    if (st)
        return st;
    size_t n = 0, cols = 0;
    double *v = NULL;
    st = load_table("digits.csv.gz", ',', &n, &cols, &v);
    if (!st && cols != 65)
        st = mlc_raise(MLC_EFORMAT, "digits.csv.gz: %zu values per row, expected 65", cols);
    char *names[64] = {0};
    char *classes[10] = {0};
    char store[64 * 10 + 10 * 2];
    if (!st) {
        char *s = store;
        for (size_t k = 0; k < 64; k++) {
            names[k] = s;
            s += sprintf(s, "pixel_%zu_%zu", k / 8, k % 8) + 1;
        }
        for (size_t k = 0; k < 10; k++) {
            classes[k] = s;
            s += sprintf(s, "%zu", k) + 1;
        }
        st = dataset_from_rows(v, n, 64, "digits", (const char *const *)names, out);
    }
    if (!st && !(st = copy_names(&out->target_names, (const char *const *)classes, 10))) {
        out->n_target_names = 10;
        st = check_classes(out, 10, "digits.csv.gz");
    }
    free(v);
    return finish(out, st);
}

/* load_diabetes(scaled=True): each column centred and divided by its
 * population standard deviation (preprocessing.scale), then by sqrt(n).
 * numpy reduces a C-ordered array along axis 0 row after row, so the sums
 * run in row order to give the same doubles. */
static void scale_diabetes(mlc_matrix *X)
{
    size_t n = X->rows;
    double root_n = pow((double)n, 0.5);
    for (size_t j = 0; j < X->cols; j++) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += MLC_AT(X, i, j);
        double mean = s / (double)n, ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            double t = MLC_AT(X, i, j) - mean;
            ss += t * t;
        }
        double sd = sqrt(ss / (double)n);
        if (sd < 10 * DBL_EPSILON) /* _handle_zeros_in_scale */
            sd = 1.0;
        for (size_t i = 0; i < n; i++)
            MLC_AT(X, i, j) = (MLC_AT(X, i, j) - mean) / sd / root_n;
    }
}

int mlc_load_diabetes(mlc_dataset *out)
{
    int st = begin(out);
    if (st)
        return st;
    size_t n = 0, p = 0, ny = 0, cy = 0;
    double *x = NULL, *y = NULL;
    st = load_table("diabetes_data_raw.csv.gz", ' ', &n, &p, &x);
    if (!st && p != COUNT_OF(diabetes_features))
        st = mlc_raise(MLC_EFORMAT, "diabetes_data_raw.csv.gz: %zu values per row, expected %zu",
                       p, COUNT_OF(diabetes_features));
    if (!st)
        st = load_table("diabetes_target.csv.gz", ' ', &ny, &cy, &y);
    if (!st && (ny != n || cy != 1))
        st = mlc_raise(MLC_EFORMAT, "diabetes_target.csv.gz: %zu x %zu values, expected %zu x 1",
                       ny, cy, n);
    if (!st && !(st = mlc_matrix_alloc(&out->X, n, p))) {
        memcpy(out->X.data, x, n * p * sizeof *x);
        scale_diabetes(&out->X);
        out->y = y;
        y = NULL;
        if (!(out->name = strdup("diabetes")))
            st = mlc_raise_nomem("a bundled data set");
    }
    if (!st)
        st = copy_names(&out->feature_names, diabetes_features, p);
    free(x);
    free(y);
    return finish(out, st);
}

/* ---- the table of data sets -------------------------------------------- */

typedef struct bundled_info {
    const char *name;
    const char *summary;
    int (*load)(mlc_dataset *out);
} bundled_info;

static const bundled_info bundled[] = {
    {"iris", "Iris plants (Fisher 1936): 150 x 4, 3 classes", mlc_load_iris},
    {"wine", "Wine recognition (UCI): 178 x 13, 3 classes", mlc_load_wine},
    {"breast_cancer", "Breast cancer Wisconsin diagnostic (UCI): 569 x 30, 2 classes",
     mlc_load_breast_cancer},
    {"digits", "Handwritten digits (UCI): 1797 x 64 pixels of 8x8 images, 10 classes",
     mlc_load_digits},
    {"diabetes", "Diabetes (Efron et al. 2004): 442 x 10 scaled, regression target 25-346",
     mlc_load_diabetes},
};

size_t mlc_bundled_count(void)
{
    return COUNT_OF(bundled);
}

const char *mlc_bundled_name(size_t i)
{
    return i < COUNT_OF(bundled) ? bundled[i].name : NULL;
}

const char *mlc_bundled_summary(size_t i)
{
    return i < COUNT_OF(bundled) ? bundled[i].summary : NULL;
}

int mlc_load_bundled(const char *name, mlc_dataset *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!name)
        return mlc_raise(MLC_EINVAL, "data set name is NULL");
    for (size_t i = 0; i < COUNT_OF(bundled); i++)
        if (strcmp(name, bundled[i].name) == 0)
            return bundled[i].load(out);
    char list[128] = "";
    for (size_t i = 0; i < COUNT_OF(bundled); i++) {
        if (i > 0)
            strcat(list, ", ");
        strcat(list, bundled[i].name);
    }
    return mlc_raise(MLC_ENOTFOUND, "no bundled data set called '%s'; the data sets are: %s",
                     name, list);
}

int mlc_bundled_load_with(const char *dataset, const char *file, const void *bytes, size_t len,
                          mlc_dataset *out)
{
    mlc_embedded_file r = {file, bytes, len};
    replacement = r;
    int st = mlc_load_bundled(dataset, out);
    memset(&replacement, 0, sizeof replacement);
    return st;
}
