/* Core: status codes, matrix views, RNG, distances, threads, version. */
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/small_chol.h"
#include "internal/sqdist.h"
#include "internal/validate.h"
#include "test_util.h"

START_TEST(status_strings)
{
    ck_assert_str_eq(mlc_strerror(MLC_OK), "success");
    ck_assert_str_eq(mlc_strerror(MLC_EBADLEN), "dimension mismatch");
    ck_assert_str_eq(mlc_strerror(12345), "unknown status");
    mlc_clear_error();
    ck_assert_str_eq(mlc_last_error_message(), "");
    ck_assert_int_eq(mlc_raise(MLC_EINVAL, "alpha must be >= 0, got %g", -1.0), MLC_EINVAL);
    ck_assert_str_eq(mlc_last_error_message(), "alpha must be >= 0, got -1");
}
END_TEST

static void *raise_in_thread(void *arg)
{
    (void)arg;
    mlc_raise(MLC_EIO, "from another thread");
    return NULL;
}

START_TEST(error_message_is_per_thread)
{
    mlc_raise(MLC_EINVAL, "main thread message");
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, raise_in_thread, NULL), 0);
    pthread_join(t, NULL);
    ck_assert_str_eq(mlc_last_error_message(), "main thread message");
}
END_TEST

START_TEST(version_matches_header)
{
    ck_assert_str_eq(mlc_version(), MLC_VERSION_STRING);
    ck_assert_int_eq(MLC_VERSION_NUMBER,
                     MLC_VERSION_MAJOR * 10000 + MLC_VERSION_MINOR * 100 + MLC_VERSION_PATCH);
}
END_TEST

START_TEST(version_number_matches_string)
{
    ck_assert_int_eq(mlc_version_number(), MLC_VERSION_NUMBER);
    int major = -1, minor = -1, patch = -1;
    ck_assert_int_eq(sscanf(mlc_version(), "%d.%d.%d", &major, &minor, &patch), 3);
    ck_assert_int_eq(mlc_version_number(), major * 10000 + minor * 100 + patch);
#if MLC_VERSION_NUMBER < 100
#error "MLC_VERSION_NUMBER must be usable in #if (0.1.0 is 100)"
#endif
}
END_TEST

START_TEST(matrix_alloc_views)
{
    mlc_matrix m;
    ck_assert_int_eq(mlc_matrix_alloc(&m, 4, 3), MLC_OK);
    ck_assert_uint_eq(((uintptr_t)m.data) % 64, 0);
    for (size_t i = 0; i < 12; i++) {
        ck_assert_double_eq(m.data[i], 0.0);
        m.data[i] = (double)i;
    }
    mlc_matrix rows = mlc_matrix_rows(&m, 1, 2);
    ck_assert_uint_eq(rows.rows, 2);
    ck_assert_double_eq(MLC_AT(&rows, 0, 0), 3.0);
    ck_assert_int_eq(rows.owns, 0);
    mlc_matrix clamp = mlc_matrix_rows(&m, 3, 10);
    ck_assert_uint_eq(clamp.rows, 1);
    mlc_matrix sub = mlc_matrix_submatrix(&m, 1, 1, 2, 2);
    ck_assert_uint_eq(sub.stride, 3);
    ck_assert_double_eq(MLC_AT(&sub, 1, 1), 8.0);
    mlc_vector col = mlc_matrix_column(&m, 2);
    ck_assert_uint_eq(col.len, 4);
    ck_assert_double_eq(col.data[3 * col.stride], 11.0);
    mlc_matrix copy;
    ck_assert_int_eq(mlc_matrix_copy(&sub, &copy), MLC_OK);
    ck_assert_uint_eq(copy.stride, 2);
    ck_assert_double_eq(MLC_AT(&copy, 1, 0), 7.0);
    size_t idx[3] = {3, 0, 3};
    mlc_matrix g;
    ck_assert_int_eq(mlc_matrix_gather_rows(&m, idx, 3, &g), MLC_OK);
    ck_assert_double_eq(MLC_AT(&g, 0, 2), 11.0);
    ck_assert_double_eq(MLC_AT(&g, 1, 0), 0.0);
    size_t bad[1] = {4};
    mlc_matrix g2;
    ck_assert_status(mlc_matrix_gather_rows(&m, bad, 1, &g2), MLC_ERANGE);
    double v[4];
    ck_assert_status(mlc_vector_gather(m.data, 12, idx, 3, v), MLC_OK);
    ck_assert_double_eq(v[0], 3.0);
    ck_assert_status(mlc_vector_gather(m.data, 2, idx, 3, v), MLC_ERANGE);
    mlc_matrix_clear(&rows); /* a view: only reset */
    ck_assert_ptr_null(rows.data);
    mlc_matrix_clear(&copy);
    mlc_matrix_clear(&g);
    mlc_matrix_clear(&m);
    mlc_matrix_clear(NULL);
    mlc_matrix z;
    ck_assert_int_eq(mlc_matrix_alloc(&z, 0, 5), MLC_OK);
    mlc_matrix_clear(&z);
}
END_TEST

START_TEST(matrix_too_large)
{
    mlc_matrix m;
    ck_assert_status(mlc_matrix_alloc(&m, SIZE_MAX / 4, 8), MLC_ENOMEM);
    ck_assert_ptr_null(m.data);
}
END_TEST

START_TEST(finite_checks)
{
    double a[6] = {1, 2, 3, 4, 5, 6};
    mlc_matrix m = mlc_matrix_wrap(a, 2, 3, 0);
    ck_assert_status(mlc_matrix_check_finite(&m, "X"), MLC_OK);
    a[5] = NAN;
    ck_assert_status(mlc_matrix_check_finite(&m, "X"), MLC_ENONFINITE);
    ck_assert(strstr(mlc_last_error_message(), "row 1, column 2") != NULL);
    a[5] = -INFINITY;
    ck_assert_status(mlc_array_check_finite(a, 6, "y"), MLC_ENONFINITE);
    ck_assert(strstr(mlc_last_error_message(), "infinity") != NULL);
    /* Elements outside the view (in the stride gap) are not looked at. */
    mlc_matrix narrow = mlc_matrix_wrap(a, 2, 2, 3);
    ck_assert_status(mlc_matrix_check_finite(&narrow, "X"), MLC_OK);
}
END_TEST

/* The vectorized scan against isfinite() at every position of spans whose
 * lengths straddle the vector widths, for each kind of non-finite value, and
 * on the multi-threaded path of a large matrix. */
START_TEST(finite_scan_every_position)
{
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    const double edge[5] = {DBL_MAX, -DBL_MAX, DBL_MIN / 4, -0.0, 0.0}; /* all finite */
    double a[40];
    for (size_t len = 1; len <= 37; len++) {
        for (size_t i = 0; i < len; i++)
            a[i] = edge[i % 5];
        mlc_matrix m = mlc_matrix_wrap(a, 1, len, 0);
        ck_assert(mlc_matrix_all_finite(&m, 1));
        for (size_t pos = 0; pos < len; pos++)
            for (int b = 0; b < 3; b++) {
                double keep = a[pos];
                a[pos] = bad[b];
                ck_assert_msg(!mlc_matrix_all_finite(&m, 1), "len %zu pos %zu", len, pos);
                a[pos] = keep;
            }
    }
    /* Strided: the gap is never read, every row is. */
    double s[5 * 7];
    for (size_t i = 0; i < 35; i++)
        s[i] = (i % 7) < 5 ? 1.0 : NAN;
    mlc_matrix view = mlc_matrix_wrap(s, 5, 5, 7);
    ck_assert(mlc_matrix_all_finite(&view, 1));
    s[4 * 7 + 4] = INFINITY;
    ck_assert(!mlc_matrix_all_finite(&view, 1));
    ck_assert_status(mlc_matrix_check_finite(&view, "X"), MLC_ENONFINITE);
    ck_assert(strstr(mlc_last_error_message(), "row 4, column 4") != NULL);
    /* Large enough to be split over threads, contiguous and strided. */
    size_t rows = 3000, cols = 400;
    mlc_matrix big;
    ck_assert_int_eq(mlc_matrix_alloc(&big, rows, cols), MLC_OK);
    for (size_t i = 0; i < rows * cols; i++)
        big.data[i] = (double)(i % 101) - 50.0;
    mlc_matrix part = mlc_matrix_submatrix(&big, 0, 0, rows, cols - 1);
    for (int threads = 1; threads <= 3; threads++) {
        ck_assert(mlc_matrix_all_finite(&big, threads));
        ck_assert(mlc_matrix_all_finite(&part, threads));
        big.data[(rows - 1) * cols + cols - 2] = NAN;
        ck_assert(!mlc_matrix_all_finite(&big, threads));
        ck_assert(!mlc_matrix_all_finite(&part, threads));
        ck_assert_status(mlc_matrix_check_finite_mt(&part, "X", threads), MLC_ENONFINITE);
        ck_assert(strstr(mlc_last_error_message(), "row 2999, column 398") != NULL);
        big.data[(rows - 1) * cols + cols - 2] = 0.0;
        big.data[(rows - 1) * cols + cols - 1] = INFINITY; /* outside `part` */
        ck_assert(mlc_matrix_all_finite(&part, threads));
        ck_assert(!mlc_matrix_all_finite(&big, threads));
        big.data[(rows - 1) * cols + cols - 1] = 0.0;
    }
    mlc_matrix_clear(&big);
}
END_TEST

/* Debian's libgsl pulls libgslcblas in, and liblapacke the reference BLAS
 * alternatives: the CBLAS the library calls must still be OpenBLAS's. */
START_TEST(one_cblas_in_the_process)
{
    Dl_info info;
    void (*dgemm)(void) = (void (*)(void))cblas_dgemm;
    void *addr;
    memcpy(&addr, &dgemm, sizeof addr);
    ck_assert(dladdr(addr, &info) != 0);
    ck_assert_msg(strstr(info.dli_fname, "openblas") != NULL, "cblas_dgemm comes from %s",
                  info.dli_fname);
}
END_TEST

START_TEST(rng_deterministic)
{
    mlc_rng *a, *b;
    ck_assert_int_eq(mlc_rng_new(42, &a), MLC_OK);
    ck_assert_int_eq(mlc_rng_new(42, &b), MLC_OK);
    for (int i = 0; i < 100; i++)
        ck_assert_double_eq(mlc_rng_uniform(a), mlc_rng_uniform(b));
    double sum = 0, sq = 0;
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        double z = mlc_rng_normal(a);
        sum += z;
        sq += z * z;
    }
    ck_assert_double_le(fabs(sum / n), 0.05);
    ck_assert_double_le(fabs(sq / n - 1.0), 0.05);
    size_t perm[50];
    mlc_rng_permutation(a, perm, 50);
    int seen[50] = {0};
    for (int i = 0; i < 50; i++)
        seen[perm[i]]++;
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(seen[i], 1);
    for (int i = 0; i < 1000; i++) {
        ck_assert_uint_lt(mlc_rng_index(a, 7), 7);
        double u = mlc_rng_uniform_range(a, -3, -1);
        ck_assert(u >= -3 && u < -1);
    }
    ck_assert_uint_eq(mlc_rng_index(a, 1), 0);
    int64_t s = mlc_rng_seed(a);
    ck_assert(s >= 0 && s < 2147483647);
    mlc_rng_free(a);
    mlc_rng_free(b);
    mlc_rng_free(NULL);
    /* A negative seed draws one from the OS. */
    ck_assert_int_eq(mlc_rng_new(-1, &a), MLC_OK);
    mlc_rng_free(a);
}
END_TEST

static void naive_distances(const mlc_matrix *X, const mlc_matrix *C, double *out)
{
    for (size_t i = 0; i < X->rows; i++)
        for (size_t k = 0; k < C->rows; k++) {
            double s = 0;
            for (size_t j = 0; j < X->cols; j++) {
                double d = MLC_AT(X, i, j) - MLC_AT(C, k, j);
                s += d * d;
            }
            out[i * C->rows + k] = s;
        }
}

START_TEST(distances_match_naive)
{
    mlc_rng *r;
    ck_assert_int_eq(mlc_rng_new(7, &r), MLC_OK);
    mlc_matrix X, C, D;
    size_t n = 2500, k = 7, d = 5; /* several row blocks */
    ck_assert_int_eq(mlc_matrix_alloc(&X, n, d), MLC_OK);
    ck_assert_int_eq(mlc_matrix_alloc(&C, k, d), MLC_OK);
    ck_assert_int_eq(mlc_matrix_alloc(&D, n, k), MLC_OK);
    for (size_t i = 0; i < n * d; i++)
        X.data[i] = mlc_rng_normal(r);
    for (size_t i = 0; i < k * d; i++)
        C.data[i] = mlc_rng_normal(r);
    double *want = malloc(n * k * sizeof *want);
    naive_distances(&X, &C, want);
    ck_assert_status(mlc_sq_distances(&X, NULL, &C, NULL, &D, 1), MLC_OK);
    ck_assert_double_le(max_abs_diff(D.data, want, n * k), 1e-12);
    /* Same result with two threads, bit for bit. */
    mlc_matrix D2;
    ck_assert_int_eq(mlc_matrix_alloc(&D2, n, k), MLC_OK);
    ck_assert_status(mlc_sq_distances(&X, NULL, &C, NULL, &D2, 2), MLC_OK);
    ck_assert_mem_eq(D.data, D2.data, n * k * sizeof(double));
    /* A point against itself is 0, never negative. */
    mlc_matrix self = mlc_matrix_rows(&X, 0, 3);
    mlc_matrix D3;
    ck_assert_int_eq(mlc_matrix_alloc(&D3, 3, 3), MLC_OK);
    ck_assert_status(mlc_sq_distances(&self, NULL, &self, NULL, &D3, 1), MLC_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_double_le(D3.data[i * 3 + i], 1e-12);
    for (int i = 0; i < 9; i++)
        ck_assert_double_ge(D3.data[i], 0.0);
    /* Shape errors. */
    ck_assert_status(mlc_sq_distances(&X, NULL, &C, NULL, &D3, 1), MLC_EBADLEN);
    mlc_matrix wrongC = mlc_matrix_submatrix(&C, 0, 0, k, d - 1);
    ck_assert_status(mlc_sq_distances(&X, NULL, &wrongC, NULL, &D, 1), MLC_EBADLEN);
    double norms[3], expect = 0;
    mlc_row_sq_norms(&self, norms);
    for (size_t j = 0; j < d; j++)
        expect += MLC_AT(&X, 0, j) * MLC_AT(&X, 0, j);
    ck_assert_double_eq_tol(norms[0], expect, 1e-12);
    ck_assert_uint_ge(mlc_distance_block_rows(1), 16);
    ck_assert_uint_le(mlc_distance_block_rows(100000), 1024);
    free(want);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&C);
    mlc_matrix_clear(&D);
    mlc_matrix_clear(&D2);
    mlc_matrix_clear(&D3);
    mlc_rng_free(r);
}
END_TEST

/* Every vector form of the distance tiles against the scalar reference:
 * squared distances bit for bit, distances within 3 ulp (the AVX-512 form's
 * refined reciprocal square root) and exact for the 256-bit form; and the
 * direct form against a plain sum. */
START_TEST(sqdist_forms_match_reference)
{
    enum { NR = 13, NC = 21, D = 7 };
    double A[NR * D], B[NC * D], asq[NR], bsq[NC];
    unsigned long s = 12345;
    for (size_t i = 0; i < NR * D; i++) {
        s = s * 6364136223846793005ul + 1442695040888963407ul;
        A[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
    }
    for (size_t i = 0; i < NC * D; i++) {
        s = s * 6364136223846793005ul + 1442695040888963407ul;
        B[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
    }
    memcpy(B, A, D * sizeof *A); /* a zero distance: the clamp and sqrt(0) */
    for (size_t i = 0; i < NR; i++)
        asq[i] = mlc_sqdist_direct(A + i * D, (const double[D]){0}, D);
    for (size_t j = 0; j < NC; j++)
        bsq[j] = mlc_sqdist_direct(B + j * D, (const double[D]){0}, D);
    for (size_t i = 0; i < NR; i++)
        for (size_t j = 0; j < NC; j++) {
            double plain = 0.0;
            for (size_t f = 0; f < D; f++)
                plain += (A[i * D + f] - B[j * D + f]) * (A[i * D + f] - B[j * D + f]);
            ck_assert_double_eq_tol(mlc_sqdist_direct(A + i * D, B + j * D, D), plain,
                                    1e-15 * (1.0 + plain));
        }
    for (int root = 0; root <= 1; root++) {
        double ref[NR * NC], got[NR * NC];
        mlc_sqdist_tile(MLC_SIMD_SCALAR, A, D, asq, NR, B, D, bsq, NC, D, ref, NC, root);
        ck_assert(ref[0] == 0.0);
        for (int level = MLC_SIMD_256; level <= mlc_cpu_level(); level++) {
            mlc_sqdist_tile(level, A, D, asq, NR, B, D, bsq, NC, D, got, NC, root);
            for (size_t t = 0; t < NR * NC; t++) {
                if (!root || level == MLC_SIMD_256)
                    ck_assert(got[t] == ref[t]);
                else
                    ck_assert_double_le(fabs(got[t] - ref[t]), 3.0 * DBL_EPSILON * ref[t]);
            }
        }
    }
}
END_TEST

/* The feature-major form: each point's sum over the features in order, the
 * same bits as that sum written out, whatever vector width the CPU takes. */
START_TEST(sqdist_columns_sum_in_order)
{
    enum { M = 37, DF = 7, LD = 41 };
    double T[DF * LD], c[DF], out[M];
    uint64_t z = 12345;
    for (size_t i = 0; i < DF * LD; i++) {
        z = z * 6364136223846793005ULL + 1442695040888963407ULL;
        T[i] = (double)(z >> 11) / 9007199254740992.0 * 10 - 5;
    }
    for (size_t f = 0; f < DF; f++)
        c[f] = T[f * LD + 40] * 0.5;
    mlc_sqdist_columns(T, LD, DF, c, M, out);
    for (size_t k = 0; k < M; k++) {
        double s = 0.0;
        for (size_t f = 0; f < DF; f++) {
            double v = T[f * LD + k] - c[f];
            s += v * v;
        }
        ck_assert(out[k] == s);
    }
    mlc_sqdist_columns(T, LD, 0, c, M, out); /* no features: zeros */
    for (size_t k = 0; k < M; k++)
        ck_assert(out[k] == 0.0);
}
END_TEST

/* Every vector form of the square roots the CPU runs gives sqrt()'s bits:
 * zeros, subnormals, huge values, infinity, NaN, and lengths that leave a
 * scalar tail. */
START_TEST(sqrt_forms_match_reference)
{
    enum { N = 203 };
    double v[N], ref[N], got[N];
    uint64_t z = 777;
    for (size_t k = 0; k < N; k++) {
        z = z * 6364136223846793005ULL + 1442695040888963407ULL;
        v[k] = (double)(z >> 11) / 9007199254740992.0 * pow(10.0, (double)(k % 40) - 20);
    }
    v[0] = 0.0;
    v[1] = 4.9e-324;
    v[2] = 1.7e308;
    v[3] = INFINITY;
    v[4] = NAN;
    v[5] = 2.0;
    for (size_t k = 0; k < N; k++)
        ref[k] = sqrt(v[k]);
    for (int level = MLC_SIMD_SCALAR; level <= mlc_cpu_level(); level++)
        for (size_t len = 0; len <= N; len += (len < 20 ? 1 : 61)) {
            memcpy(got, v, sizeof got);
            mlc_sqrt_form(level, got, len);
            for (size_t k = 0; k < N; k++) {
                const double *want = k < len ? &ref[k] : &v[k];
                ck_assert_msg(memcmp(&got[k], want, sizeof got[k]) == 0,
                              "level %d, length %zu, entry %zu: %a against %a", level, len, k,
                              got[k], *want);
            }
        }
}
END_TEST

/* Row norms four rows at a time: each row's sum over its features in
 * order, for every row count modulo 4 and a stride beyond the columns. */
START_TEST(row_norms_sum_in_order)
{
    enum { R = 11, C = 7, LD = 9 };
    double a[R * LD], out[R];
    for (size_t i = 0; i < R * LD; i++)
        a[i] = sin(1.0 + (double)i) * pow(10.0, (double)(i % 7) - 3);
    for (size_t rows = 0; rows <= R; rows++) {
        mlc_matrix X = mlc_matrix_wrap(a, rows, C, LD);
        mlc_row_sq_norms(&X, out);
        for (size_t i = 0; i < rows; i++) {
            double s = 0.0;
            for (size_t j = 0; j < C; j++)
                s += a[i * LD + j] * a[i * LD + j];
            ck_assert_msg(out[i] == s, "rows %zu, row %zu: %a against %a", rows, i, out[i], s);
        }
    }
}
END_TEST

/* Class labels: sorted classes and codes, with few classes (kept as met)
 * and with more than 64 (sorted whole), against a plain count. */
START_TEST(encode_labels_few_and_many)
{
    for (size_t n_cls = 1; n_cls <= 200; n_cls += 41) {
        size_t n = 1000;
        double *y = malloc(n * sizeof *y);
        int32_t *codes = malloc(n * sizeof *codes);
        ck_assert(y && codes);
        for (size_t i = 0; i < n; i++) /* labels -3 .. spread, in a scrambled order */
            y[i] = (double)((i * 7919) % n_cls) * 2.0 - 3.0;
        double *cls = NULL;
        size_t k = 0;
        ck_assert_int_eq(mlc_encode_labels(y, n, &cls, &k, codes), MLC_OK);
        ck_assert_uint_eq(k, n_cls);
        for (size_t c = 0; c < k; c++)
            ck_assert(cls[c] == (double)c * 2.0 - 3.0);
        for (size_t i = 0; i < n; i++)
            ck_assert(cls[codes[i]] == y[i]);
        free(cls);
        free(y);
        free(codes);
    }
}
END_TEST

START_TEST(thread_counts)
{
    ck_assert_int_ge(mlc_num_cores(), 1);
    ck_assert_int_eq(mlc_resolve_threads(0), mlc_num_cores());
    ck_assert_int_eq(mlc_resolve_threads(3), 3);
}
END_TEST

/* The small Cholesky routines: R'R = A, solves, R R^{-1} = I on random
 * positive definite matrices of every order up to 12, and the failures. */
START_TEST(small_cholesky)
{
    unsigned long long seed = 17;
    for (size_t n = 1; n <= 12; n++) {
        double *B = malloc(n * n * sizeof *B), *A = malloc(n * n * sizeof *A);
        double *R = malloc(n * n * sizeof *R), *Ri = malloc(n * n * sizeof *Ri);
        double *x = malloc(n * sizeof *x), *b = malloc(n * sizeof *b);
        for (size_t i = 0; i < n * n; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            B[i] = (double)(seed >> 11) / 9007199254740992.0 - 0.5;
        }
        for (size_t i = 0; i < n; i++) /* A = B B' + I */
            for (size_t j = 0; j < n; j++) {
                double s = i == j ? 1.0 : 0.0;
                for (size_t k = 0; k < n; k++)
                    s += B[i * n + k] * B[j * n + k];
                A[i * n + j] = s;
            }
        memcpy(R, A, n * n * sizeof *R);
        for (size_t i = 0; i < n; i++) /* the lower triangle is not touched */
            for (size_t j = 0; j < i; j++)
                R[i * n + j] = -7.0;
        ck_assert(mlc_chol_small(R, n));
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                if (j < i) {
                    ck_assert(R[i * n + j] == -7.0);
                    continue;
                }
                double s = 0.0;
                for (size_t k = 0; k <= i; k++)
                    s += R[k * n + i] * R[k * n + j];
                ck_assert_double_eq_tol(s, A[i * n + j], 1e-13 * (1.0 + fabs(A[i * n + j])));
            }
        for (size_t i = 0; i < n; i++)
            b[i] = x[i] = (double)i - 2.5;
        mlc_chol_small_solve(R, n, x);
        for (size_t i = 0; i < n; i++) {
            double s = 0.0;
            for (size_t j = 0; j < n; j++)
                s += A[i * n + j] * x[j];
            ck_assert_double_eq_tol(s, b[i], 1e-12 * (1.0 + fabs(b[i])));
        }
        for (size_t i = 0; i < n; i++) /* zero the lower part for R R^{-1} */
            for (size_t j = 0; j < i; j++)
                R[i * n + j] = 0.0;
        mlc_tri_upper_inverse(R, n, Ri);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double s = 0.0;
                for (size_t k = 0; k < n; k++)
                    s += R[i * n + k] * Ri[k * n + j];
                ck_assert_double_eq_tol(s, i == j ? 1.0 : 0.0, 1e-13);
                if (j < i)
                    ck_assert(Ri[i * n + j] == 0.0);
            }
        if (n >= 2) { /* not positive definite; NaN */
            memcpy(R, A, n * n * sizeof *R);
            R[(n - 1) * n + n - 1] = -1.0;
            ck_assert(!mlc_chol_small(R, n));
            memcpy(R, A, n * n * sizeof *R);
            R[1] = NAN;
            ck_assert(!mlc_chol_small(R, n));
        }
        free(B), free(A), free(R), free(Ri), free(x), free(b);
    }
}
END_TEST

/* Array-parameter shapes: numpy's compared exactly, a caller's matrix by
 * its rows x cols read as the matrix form of the wanted shape. */
START_TEST(array_shapes)
{
    double v[24] = {0};
    mlc_matrix m6x3 = mlc_matrix_wrap(v, 6, 3, 0), m3x1 = mlc_matrix_wrap(v, 3, 1, 0);
    const size_t full[3] = {2, 3, 3}, stacked[2] = {6, 3}, vec[1] = {3}, col[2] = {3, 1};
    /* a caller's matrix: its matrix form */
    ck_assert(mlc_array_shape_is(&m6x3, NULL, 3, full));
    ck_assert(mlc_array_shape_is(&m6x3, NULL, 2, stacked));
    ck_assert(!mlc_array_shape_is(&m6x3, NULL, 1, vec));
    ck_assert(mlc_array_shape_is(&m3x1, NULL, 1, vec));
    ck_assert(mlc_array_shape_is(&m3x1, NULL, 2, col));
    mlc_array_shape none = {0};
    ck_assert(mlc_array_shape_is(&m3x1, &none, 1, vec));
    ck_assert(!mlc_array_shape_is(NULL, NULL, 1, vec));
    ck_assert(!mlc_array_shape_is(&m3x1, NULL, 0, vec));
    /* numpy's shape: exactly, whatever the matrix form */
    mlc_array_shape g = {3, {2, 3, 3}};
    ck_assert(mlc_array_shape_is(&m6x3, &g, 3, full));
    ck_assert(!mlc_array_shape_is(&m6x3, &g, 2, stacked));
    mlc_array_shape swapped = {3, {3, 2, 3}}; /* the same 6 x 3 matrix */
    ck_assert(!mlc_array_shape_is(&m6x3, &swapped, 3, full));
    mlc_array_shape one = {1, {3}};
    ck_assert(mlc_array_shape_is(&m3x1, &one, 1, vec));
    ck_assert(!mlc_array_shape_is(&m3x1, &one, 2, col));
    /* a vector: (n,), (n, 1), (1, n), or n x 1 / 1 x n */
    mlc_matrix m1x3 = mlc_matrix_wrap(v, 1, 3, 0);
    ck_assert(mlc_array_is_vector(&m3x1, NULL, 3) && mlc_array_is_vector(&m1x3, NULL, 3));
    ck_assert(!mlc_array_is_vector(&m6x3, NULL, 3) && !mlc_array_is_vector(&m3x1, NULL, 2));
    mlc_array_shape row = {2, {1, 3}}, deep = {3, {3, 1, 1}};
    ck_assert(mlc_array_is_vector(&m3x1, &one, 3) && mlc_array_is_vector(&m1x3, &row, 3));
    ck_assert(!mlc_array_is_vector(&m3x1, &deep, 3));
    /* as messages write them */
    char buf[64];
    mlc_array_shape_text(&m6x3, &g, buf, sizeof buf);
    ck_assert_str_eq(buf, "(2, 3, 3)");
    mlc_array_shape_text(&m3x1, &one, buf, sizeof buf);
    ck_assert_str_eq(buf, "(3,)");
    mlc_array_shape_text(&m6x3, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "6 x 3");
    mlc_array_shape_text(NULL, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "(none)");
    mlc_shape_text(stacked, 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "(6, 3)");
    mlc_shape_text(full, 3, buf, 5); /* truncated, still terminated */
    ck_assert_str_eq(buf, "(2, ");
}
END_TEST

Suite *mlc_core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *core = tcase_create("core");
    tcase_add_test(core, small_cholesky);
    tcase_add_test(core, status_strings);
    tcase_add_test(core, error_message_is_per_thread);
    tcase_add_test(core, version_matches_header);
    tcase_add_test(core, version_number_matches_string);
    tcase_add_test(core, matrix_alloc_views);
    tcase_add_test(core, rng_deterministic);
    tcase_add_test(core, distances_match_naive);
    tcase_add_test(core, sqdist_forms_match_reference);
    tcase_add_test(core, sqdist_columns_sum_in_order);
    tcase_add_test(core, sqrt_forms_match_reference);
    tcase_add_test(core, row_norms_sum_in_order);
    tcase_add_test(core, encode_labels_few_and_many);
    tcase_add_test(core, thread_counts);
    tcase_add_test(core, array_shapes);
    tcase_add_test(core, one_cblas_in_the_process);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, matrix_too_large);
    tcase_add_test(errors, finite_checks);
    tcase_add_test(errors, finite_scan_every_position);
    suite_add_tcase(s, errors);
    return s;
}
