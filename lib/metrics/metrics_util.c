/* Helpers shared by the metric files (lib/metrics/metrics_util.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics_util.h"

/* --------------------------------------------------------------- sorting */

/* Order-preserving map of a double onto an unsigned integer (-0.0 -> 0.0). */
static uint64_t sort_key(double v)
{
    if (v == 0.0)
        v = 0.0;
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}

static double key_value(uint64_t k)
{
    uint64_t u = (k & 0x8000000000000000ULL) ? (k & ~0x8000000000000000ULL) : ~k;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

#define SMALL_SORT 48

/* LSD radix sort of 64-bit keys (stable); idx (may be NULL) is permuted
 * alongside. 11-bit digits (6 passes): 2048 buckets keep the scatter writes
 * cache-friendly (measured faster than 16-bit digits at 1e6 keys). Passes
 * where every key has the same digit are skipped. Scratch kt/it hold n
 * entries. Returns 1 if the result ended up in the scratch buffers, -1 if the
 * histograms could not be allocated. */
static int radix_sort(uint64_t *keys, size_t *idx, uint64_t *kt, size_t *it, size_t n)
{
    const int bits = 11;
    const int passes = (64 + bits - 1) / bits;
    const size_t size = (size_t)1 << bits, mask = size - 1;
    size_t *hist = calloc((size_t)passes * size, sizeof *hist);
    if (!hist)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < passes; p++)
            hist[(size_t)p * size + ((keys[i] >> (p * bits)) & mask)]++;
    int swapped = 0;
    uint64_t *src = keys, *dst = kt;
    size_t *isrc = idx, *idst = it;
    for (int p = 0; p < passes; p++) {
        size_t *h = hist + (size_t)p * size;
        if (h[(src[0] >> (p * bits)) & mask] == n)
            continue; /* every key has this digit: the pass would not move anything */
        size_t sum = 0;
        for (size_t b = 0; b < size; b++) {
            size_t c = h[b];
            h[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t pos = h[(src[i] >> (p * bits)) & mask]++;
            dst[pos] = src[i];
            if (isrc)
                idst[pos] = isrc[i];
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
        size_t *ti = isrc;
        isrc = idst;
        idst = ti;
        swapped = !swapped;
    }
    free(hist);
    return swapped;
}

int mlc_argsort_stable(const double *x, size_t n, size_t *order, double *sorted)
{
    if (n < SMALL_SORT) {
        for (size_t i = 0; i < n; i++) {
            size_t j = i;
            while (j > 0 && x[order[j - 1]] > x[i])
                j--;
            memmove(order + j + 1, order + j, (i - j) * sizeof *order);
            order[j] = i;
        }
        if (sorted)
            for (size_t i = 0; i < n; i++)
                sorted[i] = x[order[i]];
        return 0;
    }
    uint64_t *keys = malloc(2 * n * sizeof *keys);
    size_t *it = malloc(n * sizeof *it);
    if (!keys || !it) {
        free(keys);
        free(it);
        return mlc_raise_nomem("sort buffers");
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = sort_key(x[i]);
        order[i] = i;
    }
    int where = radix_sort(keys, order, keys + n, it, n);
    if (where == 1)
        memcpy(order, it, n * sizeof *order);
    if (where >= 0 && sorted) {
        const uint64_t *k = where ? keys + n : keys;
        for (size_t i = 0; i < n; i++)
            sorted[i] = key_value(k[i]);
    }
    free(keys);
    free(it);
    return where < 0 ? mlc_raise_nomem("sort buffers") : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int mlc_sort_doubles(double *x, size_t n)
{
    if (n < SMALL_SORT) {
        qsort(x, n, sizeof *x, cmp_double);
        return 0;
    }
    uint64_t *keys = malloc(2 * n * sizeof *keys);
    if (!keys)
        return mlc_raise_nomem("sort buffers");
    for (size_t i = 0; i < n; i++)
        keys[i] = sort_key(x[i]);
    int where = radix_sort(keys, NULL, keys + n, NULL, n);
    if (where >= 0) {
        const uint64_t *res = where ? keys + n : keys;
        for (size_t i = 0; i < n; i++)
            x[i] = key_value(res[i]);
    }
    free(keys);
    return where < 0 ? mlc_raise_nomem("sort buffers") : 0;
}

uint64_t mlc_sort_key(double v)
{
    return sort_key(v);
}

int mlc_sort_keys(uint64_t *keys, size_t n, uint64_t *scratch)
{
    if (n < 2)
        return 0;
    int where = radix_sort(keys, NULL, scratch, NULL, n);
    if (where < 0)
        return mlc_raise_nomem("sort buffers");
    if (where == 1)
        memcpy(keys, scratch, n * sizeof *keys);
    return 0;
}

/* ---------------------------------------------------------------- labels */

int mlc_check_class_labels(const double *y, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            return mlc_raise(MLC_ENONFINITE, "%s[%zu] is %s; class labels must be finite", what,
                             i, isnan(y[i]) ? "NaN" : "infinite");
        if (y[i] != floor(y[i]))
            return mlc_raise(MLC_EINVAL,
                             "%s[%zu] = %g is not an integer class label (classification "
                             "metrics take integral labels, not continuous values)",
                             what, i, y[i]);
    }
    return 0;
}

/* Few distinct values (the usual case for labels): found by one scan,
 * without sorting. Returns the count, or 0 if there are more than cap. */
static size_t few_distinct(const double *a, size_t na, const double *b, size_t nb, double *seen,
                           size_t cap)
{
    size_t k = 0;
    for (int part = 0; part < 2; part++) {
        const double *x = part ? b : a;
        size_t m = part ? (b ? nb : 0) : na;
        for (size_t i = 0; i < m; i++) {
            double v = x[i] == 0.0 ? 0.0 : x[i];
            if (k > 0 && v == seen[k - 1])
                continue; /* runs of one label are common */
            size_t j = 0;
            while (j < k && seen[j] != v)
                j++;
            if (j == k) {
                if (k == cap)
                    return 0;
                seen[k++] = v;
            } else if (j != k - 1) {
                double t = seen[j]; /* move to the back: the next test hits it first */
                seen[j] = seen[k - 1];
                seen[k - 1] = t;
            }
        }
    }
    return k;
}

#define FEW_LABELS 16

int mlc_class_union(const double *a, size_t na, const double *b, size_t nb, double **classes,
                    size_t *n_classes)
{
    *classes = NULL;
    *n_classes = 0;
    double seen[FEW_LABELS];
    size_t few = few_distinct(a, na, b, nb, seen, FEW_LABELS);
    if (few > 0) {
        qsort(seen, few, sizeof *seen, cmp_double);
        *classes = malloc(few * sizeof **classes);
        if (!*classes)
            return mlc_raise_nomem("class labels");
        memcpy(*classes, seen, few * sizeof *seen);
        *n_classes = few;
        return 0;
    }
    size_t n = na + (b ? nb : 0);
    double *buf = malloc((n ? n : 1) * sizeof *buf);
    if (!buf)
        return mlc_raise_nomem("class labels");
    memcpy(buf, a, na * sizeof *buf);
    if (b)
        memcpy(buf + na, b, nb * sizeof *buf);
    int st = mlc_sort_doubles(buf, n);
    if (st) {
        free(buf);
        return st;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || buf[i] != buf[k - 1])
            buf[k++] = buf[i];
    double *shrunk = realloc(buf, (k ? k : 1) * sizeof *buf);
    *classes = shrunk ? shrunk : buf;
    *n_classes = k;
    return 0;
}

size_t mlc_search_left(const double *a, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long mlc_class_find(const double *classes, size_t k, double v)
{
    size_t i = mlc_search_left(classes, k, v);
    return i < k && classes[i] == v ? (long)i : -1;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int mlc_encode_int_labels(const int32_t *labels, size_t n, int32_t **classes, size_t *k,
                          int32_t *codes)
{
    *classes = NULL;
    *k = 0;
    if (n == 0)
        return 0;
    int32_t lo = labels[0], hi = labels[0];
    for (size_t i = 1; i < n; i++) {
        if (labels[i] < lo)
            lo = labels[i];
        if (labels[i] > hi)
            hi = labels[i];
    }
    uint64_t range = (uint64_t)((int64_t)hi - (int64_t)lo) + 1;
    if (range <= 4 * (uint64_t)n + 1024) {
        /* Dense labels (the usual 0..k-1, noise -1): a direct lookup table. */
        int32_t *table = malloc(range * sizeof *table);
        if (!table)
            return mlc_raise_nomem("label table");
        for (uint64_t v = 0; v < range; v++)
            table[v] = -1;
        for (size_t i = 0; i < n; i++)
            table[(int64_t)labels[i] - lo] = 0;
        size_t count = 0;
        for (uint64_t v = 0; v < range; v++)
            if (table[v] == 0)
                table[v] = (int32_t)count++;
        int32_t *cls = malloc(count * sizeof *cls);
        if (!cls) {
            free(table);
            return mlc_raise_nomem("class labels");
        }
        for (uint64_t v = 0; v < range; v++)
            if (table[v] >= 0)
                cls[table[v]] = (int32_t)((int64_t)lo + (int64_t)v);
        if (codes)
            for (size_t i = 0; i < n; i++)
                codes[i] = table[(int64_t)labels[i] - lo];
        free(table);
        *classes = cls;
        *k = count;
        return 0;
    }
    int32_t *cls = malloc(n * sizeof *cls);
    if (!cls)
        return mlc_raise_nomem("class labels");
    memcpy(cls, labels, n * sizeof *cls);
    qsort(cls, n, sizeof *cls, cmp_i32);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (count == 0 || cls[i] != cls[count - 1])
            cls[count++] = cls[i];
    if (codes) {
        for (size_t i = 0; i < n; i++) {
            size_t a = 0, b = count;
            while (a < b) {
                size_t mid = a + (b - a) / 2;
                if (cls[mid] < labels[i])
                    a = mid + 1;
                else
                    b = mid;
            }
            codes[i] = (int32_t)a;
        }
    }
    int32_t *shrunk = realloc(cls, count * sizeof *cls);
    *classes = shrunk ? shrunk : cls;
    *k = count;
    return 0;
}
