/* Helpers shared by the test suites: fixtures written by
 * tests/fixtures/make_fixtures.py (JSON, scikit-learn's outputs) and
 * tolerance checks. */
#ifndef MLC_TEST_UTIL_H
#define MLC_TEST_UTIL_H
#include <check.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "mlcore/mlcore.h"

/* Each test_<module>.c is compiled with MLC_SUITE_FN=mlc_<module>_suite and
 * defines that function. */
#ifdef MLC_SUITE_FN
Suite *MLC_SUITE_FN(void);
#endif

/* Load tests/fixtures/<name>.json; fails the test if missing. Free with json_decref. */
json_t *fx_load(const char *name);
/* A numeric array (any nesting) flattened into a malloc-ed double array;
 * rows and cols get the 2-D shape (a 1-D array is n x 1, a scalar 1 x 1). */
double *fx_doubles(json_t *root, const char *key, size_t *rows, size_t *cols);
/* Same for integers. */
int32_t *fx_ints(json_t *root, const char *key, size_t *n);
/* A 2-D array as an owned matrix. */
mlc_matrix fx_matrix(json_t *root, const char *key);
double fx_number(json_t *root, const char *key);
/* Path of a fixture file for tests that read raw files. */
const char *fx_path(const char *file);

/* Write data (C order, as many doubles as shape multiplies to) as an .npy
 * of shape[0..ndim) (ndim 1 to 8): numpy's N-D files for the tests. */
void write_npy_nd(const char *path, const double *data, const size_t *shape, int ndim);

/* Largest |a-b| / max(|b|, floor) over n values. */
double max_rel_diff(const double *a, const double *b, size_t n, double floor);
double max_abs_diff(const double *a, const double *b, size_t n);

/* Assert |a-b| <= tol * max(1, |b|) elementwise, naming the quantity. */
#define ck_assert_close(a, b, n, tol, what)                                               \
    do {                                                                                 \
        double mlc_d_ = max_rel_diff((a), (b), (n), 1.0);                                \
        ck_assert_msg(mlc_d_ <= (tol), "%s differs: max rel diff %.3g > %.3g", (what),   \
                      mlc_d_, (double)(tol));                                            \
    } while (0)

/* Same with an explicit floor for the scale: |a-b| <= tol * max(floor, |b|). */
#define ck_assert_close_floor(a, b, n, tol, floor, what)                                  \
    do {                                                                                 \
        double mlc_d_ = max_rel_diff((a), (b), (n), (floor));                            \
        ck_assert_msg(mlc_d_ <= (tol), "%s differs: max rel diff %.3g > %.3g", (what),   \
                      mlc_d_, (double)(tol));                                            \
    } while (0)

/* Assert that `call` returns `status` and that an error message was set. */
#define ck_assert_status(call, status)                                                  \
    do {                                                                                 \
        mlc_clear_error();                                                               \
        int mlc_st_ = (call);                                                            \
        ck_assert_msg(mlc_st_ == (status), "%s returned %d (%s), expected %d: %s", #call, \
                      mlc_st_, mlc_strerror(mlc_st_), (int)(status),                     \
                      mlc_last_error_message());                                         \
        if ((status) != MLC_OK)                                                          \
            ck_assert_msg(mlc_last_error_message()[0] != '\0', "%s set no message", #call); \
    } while (0)

#endif
