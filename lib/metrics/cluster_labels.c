/* Label-comparison clustering metrics from a sparse contingency table:
 * pair confusion, (adjusted) Rand, Fowlkes-Mallows, mutual information and
 * its normalised/adjusted forms, homogeneity/completeness/V-measure.
 * docs/PARITY.md §13. Counts are exact 64-bit integers. */
#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics_util.h"
#include "mlcore/metrics.h"

/* Nonzero cells in row-major order (scipy's csr after sum_duplicates). */
typedef struct sparse_table {
    size_t rows, cols, nnz, n;
    int64_t *row_sum, *col_sum;
    size_t *nz_row, *nz_col;
    int64_t *nz_val;
} sparse_table;

static void table_clear(sparse_table *t)
{
    free(t->row_sum);
    free(t->col_sum);
    free(t->nz_row);
    free(t->nz_col);
    free(t->nz_val);
    memset(t, 0, sizeof *t);
}

static int check_labelings(const int32_t *a, const int32_t *b, size_t n)
{
    if (!a || !b)
        return mlc_raise(MLC_EINVAL, "labels_true and labels_pred must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: the labelings have no samples");
    if (n > 3000000000u)
        return mlc_raise(MLC_ERANGE, "%zu samples overflow 64-bit pair counts", n);
    return MLC_OK;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static int table_build(const int32_t *lt, const int32_t *lp, size_t n, sparse_table *t)
{
    memset(t, 0, sizeof *t);
    int st = check_labelings(lt, lp, n);
    if (st)
        return st;
    int32_t *ca = malloc(n * sizeof *ca), *cb = malloc(n * sizeof *cb);
    int32_t *cls_a = NULL, *cls_b = NULL;
    uint64_t *keys = NULL;
    if (!ca || !cb) {
        st = mlc_raise_nomem("contingency codes");
        goto done;
    }
    if ((st = mlc_encode_int_labels(lt, n, &cls_a, &t->rows, ca)) ||
        (st = mlc_encode_int_labels(lp, n, &cls_b, &t->cols, cb)))
        goto done;
    t->n = n;
    t->row_sum = calloc(t->rows, sizeof *t->row_sum);
    t->col_sum = calloc(t->cols, sizeof *t->col_sum);
    keys = malloc(n * sizeof *keys);
    if (!t->row_sum || !t->col_sum || !keys) {
        st = mlc_raise_nomem("contingency table");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        t->row_sum[ca[i]]++;
        t->col_sum[cb[i]]++;
        keys[i] = (uint64_t)ca[i] * t->cols + (uint64_t)cb[i];
    }
    uint64_t cells = (uint64_t)t->rows * t->cols;
    int64_t *dense = NULL;
    if (cells <= (uint64_t)8 * n + 65536)
        dense = calloc(cells, sizeof *dense);
    if (dense) {
        for (size_t i = 0; i < n; i++)
            dense[keys[i]]++;
        size_t nnz = 0;
        for (uint64_t c = 0; c < cells; c++)
            if (dense[c])
                keys[nnz++] = c;
        t->nnz = nnz;
    } else {
        qsort(keys, n, sizeof *keys, cmp_u64);
    }
    size_t cap = dense ? t->nnz : n;
    t->nz_row = malloc((cap ? cap : 1) * sizeof *t->nz_row);
    t->nz_col = malloc((cap ? cap : 1) * sizeof *t->nz_col);
    t->nz_val = malloc((cap ? cap : 1) * sizeof *t->nz_val);
    if (!t->nz_row || !t->nz_col || !t->nz_val) {
        free(dense);
        st = mlc_raise_nomem("contingency table");
        goto done;
    }
    if (dense) {
        for (size_t z = 0; z < t->nnz; z++) {
            t->nz_row[z] = (size_t)(keys[z] / t->cols);
            t->nz_col[z] = (size_t)(keys[z] % t->cols);
            t->nz_val[z] = dense[keys[z]];
        }
        free(dense);
    } else {
        size_t z = 0;
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && keys[i] == keys[i - 1]) {
                t->nz_val[z - 1]++;
                continue;
            }
            t->nz_row[z] = (size_t)(keys[i] / t->cols);
            t->nz_col[z] = (size_t)(keys[i] % t->cols);
            t->nz_val[z] = 1;
            z++;
        }
        t->nnz = z;
    }
done:
    free(ca);
    free(cb);
    free(cls_a);
    free(cls_b);
    free(keys);
    if (st)
        table_clear(t);
    return st;
}

/* The contingency table of a score written to *out (checked first). */
static int score_table(const int32_t *lt, const int32_t *lp, size_t n, const void *out,
                       sparse_table *t)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    return table_build(lt, lp, n, t);
}

int mlc_contingency_matrix(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                           mlc_contingency *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    memset(out, 0, sizeof *out);
    int st = check_labelings(labels_true, labels_pred, n);
    if (st)
        return st;
    int32_t *ca = malloc(n * sizeof *ca), *cb = malloc(n * sizeof *cb);
    if (!ca || !cb) {
        free(ca);
        free(cb);
        return mlc_raise_nomem("contingency codes");
    }
    st = mlc_encode_int_labels(labels_true, n, &out->classes_true, &out->n_true, ca);
    if (!st)
        st = mlc_encode_int_labels(labels_pred, n, &out->classes_pred, &out->n_pred, cb);
    if (!st) {
        if (out->n_pred && out->n_true > SIZE_MAX / sizeof(int64_t) / out->n_pred)
            st = mlc_raise(MLC_ERANGE, "a %zu x %zu contingency table is too large",
                           out->n_true, out->n_pred);
        else if (!(out->counts = calloc(out->n_true * out->n_pred, sizeof *out->counts)))
            st = mlc_raise_nomem("contingency table");
    }
    if (!st)
        for (size_t i = 0; i < n; i++)
            out->counts[(size_t)ca[i] * out->n_pred + (size_t)cb[i]]++;
    free(ca);
    free(cb);
    if (st)
        mlc_contingency_clear(out);
    return st;
}

void mlc_contingency_clear(mlc_contingency *c)
{
    if (!c)
        return;
    free(c->classes_true);
    free(c->classes_pred);
    free(c->counts);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------ pair counts */

static void pair_counts(const sparse_table *t, int64_t out[4])
{
    int64_t n = (int64_t)t->n, ss = 0, dk = 0, dc = 0;
    for (size_t z = 0; z < t->nnz; z++) {
        int64_t v = t->nz_val[z];
        ss += v * v;
        dk += v * t->col_sum[t->nz_col[z]];
        dc += v * t->row_sum[t->nz_row[z]];
    }
    out[3] = ss - n;                  /* tp */
    out[1] = dk - ss;                 /* fp */
    out[2] = dc - ss;                 /* fn */
    out[0] = n * n - out[1] - out[2] - ss; /* tn */
}

int mlc_pair_confusion_matrix(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                              int64_t out[4])
{
    sparse_table t;
    int st = score_table(labels_true, labels_pred, n, out, &t);
    if (st)
        return st;
    pair_counts(&t, out);
    table_clear(&t);
    return MLC_OK;
}

/* The pair confusion matrix c of a pair score written to *out (checked). */
static int score_pairs(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                       const double *out, int64_t c[4])
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    return mlc_pair_confusion_matrix(labels_true, labels_pred, n, c);
}

int mlc_rand_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                   double *out)
{
    int64_t c[4];
    int st = score_pairs(labels_true, labels_pred, n, out, c);
    if (st)
        return st;
    int64_t num = c[0] + c[3], den = c[0] + c[1] + c[2] + c[3];
    *out = num == den || den == 0 ? 1.0 : (double)num / (double)den;
    return MLC_OK;
}

int mlc_adjusted_rand_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                            double *out)
{
    int64_t c[4];
    int st = score_pairs(labels_true, labels_pred, n, out, c);
    if (st)
        return st;
    int64_t tn = c[0], fp = c[1], fn = c[2], tp = c[3];
    if (fn == 0 && fp == 0) {
        *out = 1.0;
        return MLC_OK;
    }
    /* Python integers in scikit-learn: exact products, each side rounded once. */
    __int128 num = (__int128)tp * tn - (__int128)fn * fp;
    __int128 den = (__int128)(tp + fn) * (fn + tn) + (__int128)(tp + fp) * (fp + tn);
    *out = 2.0 * (double)num / (double)den;
    return MLC_OK;
}

int mlc_fowlkes_mallows_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                              double *out)
{
    sparse_table t;
    int st = score_table(labels_true, labels_pred, n, out, &t);
    if (st)
        return st;
    int64_t tk = 0, pk = 0, qk = 0;
    for (size_t z = 0; z < t.nnz; z++)
        tk += t.nz_val[z] * t.nz_val[z];
    for (size_t j = 0; j < t.cols; j++)
        pk += t.col_sum[j] * t.col_sum[j];
    for (size_t i = 0; i < t.rows; i++)
        qk += t.row_sum[i] * t.row_sum[i];
    tk -= (int64_t)n;
    pk -= (int64_t)n;
    qk -= (int64_t)n;
    *out = tk != 0 ? sqrt((double)tk / (double)pk) * sqrt((double)tk / (double)qk) : 0.0;
    table_clear(&t);
    return MLC_OK;
}

/* ---------------------------------------------------------- information */

/* mutual_info_score from the table (natural log). */
static int table_mi(const sparse_table *t, double *out)
{
    if (t->rows == 1 || t->cols == 1) {
        *out = 0.0;
        return MLC_OK;
    }
    double *mi = malloc(t->nnz * sizeof *mi);
    if (!mi)
        return mlc_raise_nomem("mutual information terms");
    double total = (double)t->n;
    double log_total = log(total);
    for (size_t z = 0; z < t->nnz; z++) {
        double v = (double)t->nz_val[z];
        double nm = v / total;
        int64_t outer = t->row_sum[t->nz_row[z]] * t->col_sum[t->nz_col[z]];
        double log_outer = -log((double)outer) + log_total + log_total;
        double term = nm * (log(v) - log_total) + nm * log_outer;
        mi[z] = fabs(term) < DBL_EPSILON ? 0.0 : term;
    }
    double s = mlc_sum_pairwise(mi, t->nnz);
    *out = s > 0.0 ? s : 0.0;
    free(mi);
    return MLC_OK;
}

/* entropy() of the labels with these class counts. */
static int counts_entropy(const int64_t *counts, size_t k, double *out)
{
    if (k <= 1) {
        *out = 0.0;
        return MLC_OK;
    }
    double *pi = malloc(2 * k * sizeof *pi);
    if (!pi)
        return mlc_raise_nomem("entropy terms");
    double *terms = pi + k;
    for (size_t i = 0; i < k; i++)
        pi[i] = (double)counts[i];
    double sum = mlc_sum_pairwise(pi, k);
    double log_sum = log(sum);
    for (size_t i = 0; i < k; i++)
        terms[i] = pi[i] / sum * (log(pi[i]) - log_sum);
    *out = -mlc_sum_pairwise(terms, k);
    free(pi);
    return MLC_OK;
}

int mlc_mutual_info_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                          double *out)
{
    sparse_table t;
    int st = score_table(labels_true, labels_pred, n, out, &t);
    if (st)
        return st;
    st = table_mi(&t, out);
    table_clear(&t);
    return st;
}

static int check_method(mlc_average_method m)
{
    if ((unsigned)m > MLC_AVERAGE_METHOD_MAX)
        return mlc_raise(MLC_EINVAL,
                         "average_method must be arithmetic, geometric, min or max, got %d",
                         (int)m);
    return MLC_OK;
}

static double generalized_average(double u, double v, mlc_average_method m)
{
    switch (m) {
    case MLC_AVERAGE_METHOD_MIN: return u < v ? u : v;
    case MLC_AVERAGE_METHOD_MAX: return u > v ? u : v;
    case MLC_AVERAGE_METHOD_GEOMETRIC: return sqrt(u * v);
    case MLC_AVERAGE_METHOD_ARITHMETIC: break;
    }
    return (u + v) / 2.0;
}

/* Entropies of both labelings from the table's margins. */
static int table_entropies(const sparse_table *t, double *h_true, double *h_pred)
{
    int st = counts_entropy(t->row_sum, t->rows, h_true);
    return st ? st : counts_entropy(t->col_sum, t->cols, h_pred);
}

/* The inputs of a normalized score checked (out, then method), and their
 * contingency table. */
static int normalized_table(const int32_t *lt, const int32_t *lp, size_t n,
                            mlc_average_method method, const double *out, sparse_table *t)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    int st = check_method(method);
    return st ? st : table_build(lt, lp, n, t);
}

int mlc_normalized_mutual_info_score(const int32_t *labels_true, const int32_t *labels_pred,
                                     size_t n, mlc_average_method method, double *out)
{
    sparse_table t;
    int st = normalized_table(labels_true, labels_pred, n, method, out, &t);
    if (st)
        return st;
    double mi = 0.0, ht = 0.0, hp = 0.0;
    if (t.rows == 1 && t.cols == 1) {
        *out = 1.0; /* no split on either side: a perfect match */
    } else if (!(st = table_mi(&t, &mi))) {
        if (mi == 0.0)
            *out = 0.0;
        else if (!(st = table_entropies(&t, &ht, &hp)))
            *out = mi / generalized_average(ht, hp, method);
    }
    table_clear(&t);
    return st;
}

/* lgamma(x) for an integer x >= 1: from the table when there is one. */
static double lgam(const double *table, int64_t x)
{
    if (table)
        return table[x];
    int sign;
    return lgamma_r((double)x, &sign);
}

/* Largest N whose log-gamma table (8 (N + 2) bytes) is built. */
#define EMI_TABLE_MAX ((size_t)1 << 24)

/* expected_mutual_information (_expected_mutual_info_fast.pyx, 1.2), with
 * the log-gamma values of the integers 1..N+1 tabulated once. */
static int expected_mi(const sparse_table *t, double *out)
{
    if (t->rows == 1 || t->cols == 1) {
        *out = 0.0;
        return MLC_OK;
    }
    size_t N_int = t->n;
    double N = (double)N_int;
    int64_t max_ab = 0;
    for (size_t i = 0; i < t->rows; i++)
        if (t->row_sum[i] > max_ab)
            max_ab = t->row_sum[i];
    for (size_t j = 0; j < t->cols; j++)
        if (t->col_sum[j] > max_ab)
            max_ab = t->col_sum[j];
    /* lg[x] = lgamma(x) for x = 0..N+1 (lg[0] unused). */
    double *lg = N_int <= EMI_TABLE_MAX ? malloc((N_int + 2) * sizeof *lg) : NULL;
    double *nij_log = malloc(((size_t)max_ab + 1) * 2 * sizeof *nij_log);
    if ((N_int <= EMI_TABLE_MAX && !lg) || !nij_log) {
        free(lg);
        free(nij_log);
        return mlc_raise_nomem("expected mutual information tables");
    }
    if (lg) {
        lg[0] = 0.0;
        for (size_t x = 1; x <= N_int + 1; x++) {
            int sign;
            lg[x] = lgamma_r((double)x, &sign);
        }
    }
    double *term1 = nij_log, *log_Nnij = nij_log + max_ab + 1;
    double log_N = log(N);
    for (int64_t v = 0; v <= max_ab; v++) {
        double nij = v == 0 ? 1.0 : (double)v;
        term1[v] = nij / N;
        log_Nnij[v] = log_N + log(nij);
    }
    double gln_N = lgam(lg, (int64_t)N_int + 1);
    double emi = 0.0;
    for (size_t i = 0; i < t->rows; i++) {
        int64_t a = t->row_sum[i];
        double log_a = log((double)a);
        double gln_a = lgam(lg, a + 1), gln_Na = lgam(lg, (int64_t)N_int - a + 1);
        for (size_t j = 0; j < t->cols; j++) {
            int64_t b = t->col_sum[j];
            double log_b = log((double)b);
            double gln_b = lgam(lg, b + 1), gln_Nb = lgam(lg, (int64_t)N_int - b + 1);
            int64_t start = a - (int64_t)N_int + b;
            if (start < 1)
                start = 1;
            int64_t end = (a < b ? a : b) + 1;
            for (int64_t nij = start; nij < end; nij++) {
                double term2 = log_Nnij[nij] - log_a - log_b;
                double gln = gln_a + gln_b + gln_Na + gln_Nb - gln_N - lgam(lg, nij + 1) -
                             lgam(lg, a - nij + 1) - lgam(lg, b - nij + 1) -
                             lgam(lg, (int64_t)N_int - a - b + nij + 1);
                emi += term1[nij] * term2 * exp(gln);
            }
        }
    }
    free(lg);
    free(nij_log);
    *out = emi;
    return MLC_OK;
}

int mlc_adjusted_mutual_info_score(const int32_t *labels_true, const int32_t *labels_pred,
                                   size_t n, mlc_average_method method, double *out)
{
    sparse_table t;
    int st = normalized_table(labels_true, labels_pred, n, method, out, &t);
    if (st)
        return st;
    double mi = 0.0, emi = 0.0, ht = 0.0, hp = 0.0;
    if (t.rows == 1 && t.cols == 1) {
        *out = 1.0;
    } else if (!(st = table_mi(&t, &mi)) && !(st = expected_mi(&t, &emi)) &&
               !(st = table_entropies(&t, &ht, &hp))) {
        double den = generalized_average(ht, hp, method) - emi;
        /* Keep the sign of a denominator that rounding pushed past zero. */
        if (den < 0)
            den = den < -DBL_EPSILON ? den : -DBL_EPSILON;
        else
            den = den > DBL_EPSILON ? den : DBL_EPSILON;
        *out = (mi - emi) / den;
    }
    table_clear(&t);
    return st;
}

int mlc_homogeneity_completeness_v_measure(const int32_t *labels_true,
                                           const int32_t *labels_pred, size_t n, double beta,
                                           double *homogeneity, double *completeness,
                                           double *v_measure)
{
    if (!(beta >= 0.0) || isinf(beta))
        return mlc_raise(MLC_EINVAL, "beta must be a finite number >= 0, got %g", beta);
    sparse_table t;
    int st = table_build(labels_true, labels_pred, n, &t);
    if (st)
        return st;
    double hc, hk, mi;
    if (!(st = table_entropies(&t, &hc, &hk)) && !(st = table_mi(&t, &mi))) {
        double h = hc != 0.0 ? mi / hc : 1.0;
        double c = hk != 0.0 ? mi / hk : 1.0;
        double v = h + c == 0.0 ? 0.0 : (1 + beta) * h * c / (beta * h + c);
        if (homogeneity)
            *homogeneity = h;
        if (completeness)
            *completeness = c;
        if (v_measure)
            *v_measure = v;
    }
    table_clear(&t);
    return st;
}

int mlc_homogeneity_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                          double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    return mlc_homogeneity_completeness_v_measure(labels_true, labels_pred, n, 1.0, out, NULL,
                                                  NULL);
}

int mlc_completeness_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                           double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    return mlc_homogeneity_completeness_v_measure(labels_true, labels_pred, n, 1.0, NULL, out,
                                                  NULL);
}

int mlc_v_measure_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                        double beta, double *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output must not be NULL");
    return mlc_homogeneity_completeness_v_measure(labels_true, labels_pred, n, beta, NULL, NULL,
                                                  out);
}
