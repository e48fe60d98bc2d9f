/* Predictions of the linear models (algorithms/linear/linear_predict.c):
 * X coef' + intercept against a long-double reference for every width
 * around the 4-column chunks, row counts around the 4-row blocks and the
 * parts, 1 to 6 targets (the last two through GEMM), a row stride wider
 * than p, 1 and 2 threads; and X's values checked in the result: NaN/Inf
 * anywhere gives the scan's status and message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/hot.h"
#include "linear/linear_model.h"
#include "internal/validate.h"
#include "test_util.h"

static double uniform(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

typedef struct predict_case {
    mlc_linear_model m;
    double *X;
    mlc_matrix Xm, out;
} predict_case;

static void make_case(predict_case *c, size_t n, size_t p, size_t k, size_t stride,
                      unsigned long long seed)
{
    ck_assert_int_eq(mlc_lin_model_init(&c->m, p, k), MLC_OK);
    for (size_t i = 0; i < k * p + k; i++)
        c->m.coef[i] = 3.0 * uniform(&seed); /* intercepts too: they follow coef */
    c->m.coef[0] = 0.0; /* a zero weight still sees a NaN or infinity */
    c->X = malloc((n * stride + 1) * sizeof *c->X);
    for (size_t i = 0; i < n * stride + 1; i++)
        c->X[i] = 10.0 * uniform(&seed);
    c->Xm = mlc_matrix_wrap(c->X, n, p, stride);
    ck_assert_int_eq(mlc_matrix_alloc(&c->out, n, k), MLC_OK);
}

static void free_case(predict_case *c)
{
    mlc_lin_model_clear(&c->m);
    free(c->X);
    mlc_matrix_clear(&c->out);
}

START_TEST(predictions_match_the_reference)
{
    const size_t widths[] = {1, 2, 3, 4, 5, 7, 8, 10, 13, 64, 101};
    const size_t rows[] = {1, 3, 4, 5, 9, 2047, 2048, 2049, 4103};
    const size_t targets[] = {1, 2, 4, 5, 6};
    unsigned long long seed = 11;
    for (size_t a = 0; a < sizeof widths / sizeof *widths; a++)
        for (size_t b = 0; b < sizeof rows / sizeof *rows; b++)
            for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
                size_t p = widths[a], n = rows[b], k = targets[t];
                if (n > 9 && (p > 13 || k > 2) && !(p == 101 && n == 4103 && k == 1))
                    continue; /* keep the large cases few */
                predict_case c;
                make_case(&c, n, p, k, p + (a % 2) * 3, seed++);
                for (int threads = 1; threads <= 2; threads++) {
                    ck_assert_int_eq(mlc_lin_model_output(&c.m, &c.Xm, &c.out, threads), MLC_OK);
                    for (size_t i = 0; i < n; i++)
                        for (size_t u = 0; u < k; u++) {
                            long double s = c.m.intercept[u], mag = fabs(c.m.intercept[u]);
                            const double *x = mlc_matrix_row(&c.Xm, i);
                            for (size_t j = 0; j < p; j++) {
                                s += (long double)x[j] * c.m.coef[u * p + j];
                                mag += fabsl((long double)x[j] * c.m.coef[u * p + j]);
                            }
                            double got = MLC_AT(&c.out, i, u);
                            ck_assert_msg(fabsl(got - s) <= 2.4e-16L * (long double)(p + 2) * mag,
                                          "n=%zu p=%zu k=%zu row %zu target %zu: %.17g vs %.17Lg",
                                          n, p, k, i, u, got, s);
                        }
                }
                free_case(&c);
            }
}
END_TEST

/* Every form of the prediction kernel the CPU has (wide, 256-bit) gives the
 * plain reference's bits: widths 1 .. 33 (the 4-column chunks and their
 * tail), rows around the 4-row blocks, 1 to 4 targets (the own kernel),
 * strided rows and outputs. (Folding dot4's lanes in another order than
 * the reference's fails here.) */
START_TEST(forms_match_reference)
{
    const size_t rows[] = {1, 3, 4, 5, 7, 8, 9, 13};
    unsigned long long seed = 29;
    int top = mlc_cpu_level(), checked = 0;
    for (size_t p = 1; p <= 33; p++)
        for (size_t b = 0; b < sizeof rows / sizeof *rows; b++) {
            size_t n = rows[b], k = 1 + (p + b) % 4;
            predict_case c;
            make_case(&c, n, p, k, p + (b % 2) * 3, seed++);
            mlc_matrix ref;
            ck_assert_int_eq(mlc_matrix_alloc(&ref, n, k), MLC_OK);
            ck_assert_int_eq(mlc_lin_model_output_form(MLC_SIMD_SCALAR, &c.m, &c.Xm, &ref, 1),
                             MLC_OK);
            for (int level = MLC_SIMD_256; level <= top; level++) {
                ck_assert_int_eq(mlc_lin_model_output_form(level, &c.m, &c.Xm, &c.out, 1), MLC_OK);
                for (size_t i = 0; i < n; i++)
                    for (size_t u = 0; u < k; u++)
                        ck_assert_msg(memcmp(&MLC_AT(&c.out, i, u), &MLC_AT(&ref, i, u),
                                             sizeof(double)) == 0,
                                      "level %d, p %zu, n %zu, row %zu, target %zu: %.17g vs "
                                      "%.17g",
                                      level, p, n, i, u, MLC_AT(&c.out, i, u), MLC_AT(&ref, i, u));
                checked++;
            }
            mlc_matrix_clear(&ref);
            free_case(&c);
        }
    ck_assert_int_ge(checked, top >= MLC_SIMD_256 ? 33 * 8 : 0);
}
END_TEST

START_TEST(predict_checks_values_in_the_result)
{
    const size_t shapes[][3] = {{5000, 10, 1}, {7, 3, 2}, {9, 6, 5}, {4, 1, 1}};
    const double bad[] = {NAN, INFINITY, -INFINITY};
    char expected[512];
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        size_t n = shapes[s][0], p = shapes[s][1], k = shapes[s][2];
        predict_case c;
        make_case(&c, n, p, k, p, 5 + s);
        /* first column (weight 0 for target 0), a tail column, rows in the
         * 4-row blocks, the leftover rows and the second part */
        const size_t at[][2] = {{0, 0}, {1, p - 1}, {n - 1, p / 2}, {n / 2, 0}, {n - 1, p - 1}};
        for (size_t a = 0; a < sizeof at / sizeof *at; a++)
            for (size_t b = 0; b < 3; b++) {
                double *x = c.X + at[a][0] * p + at[a][1], keep = *x;
                *x = bad[b];
                mlc_clear_error();
                ck_assert_int_eq(mlc_check_X(&c.Xm, "X"), MLC_ENONFINITE);
                snprintf(expected, sizeof expected, "%s", mlc_last_error_message());
                for (int threads = 1; threads <= 2; threads++) {
                    mlc_clear_error();
                    ck_assert_int_eq(mlc_lin_model_output(&c.m, &c.Xm, &c.out, threads),
                                     MLC_ENONFINITE);
                    ck_assert_str_eq(mlc_last_error_message(), expected);
                }
                *x = keep;
            }
        /* a finite row whose result overflows is not an input error */
        for (size_t j = 0; j < p; j++)
            c.X[j] = 1e308;
        for (size_t u = 0; u < k; u++)
            for (size_t j = 0; j < p; j++)
                c.m.coef[u * p + j] = 1e10;
        ck_assert_int_eq(mlc_lin_model_output(&c.m, &c.Xm, &c.out, 1), MLC_OK);
        ck_assert(isinf(MLC_AT(&c.out, 0, 0)));
        free_case(&c);
    }
}
END_TEST

Suite *MLC_SUITE_FN(void)
{
    Suite *s = suite_create("linear_predict");
    TCase *t = tcase_create("predict");
    tcase_add_test(t, predictions_match_the_reference);
    tcase_add_test(t, forms_match_reference);
    tcase_add_test(t, predict_checks_values_in_the_result);
    suite_add_tcase(s, t);
    return s;
}
