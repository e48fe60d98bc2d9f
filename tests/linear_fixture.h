/* Shared by the linear-model suites (test_linear*.c): the data sets of
 * tests/fixtures/linear_data.json and comparisons against scikit-learn's
 * numbers. Set LINEAR_DIFFS=1 to print every measured difference. */
#ifndef MLC_TEST_LINEAR_FIXTURE_H
#define MLC_TEST_LINEAR_FIXTURE_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

#define LIN_COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct lin_set {
    mlc_matrix X; /* n x p (owned) */
    mlc_matrix Y; /* n x k view of y */
    double *y;    /* n * k values (owned) */
    double *sw;   /* n weights or NULL (owned) */
    size_t n, p, k;
} lin_set;

static inline void lin_set_load(json_t *data, const char *name, lin_set *s)
{
    json_t *o = json_object_get(data, name);
    ck_assert_msg(o != NULL, "linear_data has no set %s", name);
    s->X = fx_matrix(o, "X");
    size_t r, c;
    s->y = fx_doubles(o, "y", &r, &c);
    s->n = s->X.rows;
    s->p = s->X.cols;
    s->k = c;
    ck_assert_uint_eq(r, s->n);
    s->Y = mlc_matrix_wrap(s->y, r, c, 0);
    s->sw = json_object_get(o, "sw") ? fx_doubles(o, "sw", NULL, NULL) : NULL;
}

static inline void lin_set_clear(lin_set *s)
{
    mlc_matrix_clear(&s->X);
    free(s->y);
    free(s->sw);
    memset(s, 0, sizeof *s);
}

static inline double lin_max_abs(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m = fabs(v[i]) > m ? fabs(v[i]) : m;
    return m;
}

/* |got - want| <= tol * max(|want_i|, floor_rel * max|want|) for every element:
 * relative per element, with entries far below the largest compared on the
 * scale of floor_rel times it. Returns the measured relative difference. */
static inline double lin_expect(const double *got, json_t *obj, const char *key, size_t n,
                                double tol, double floor_rel, const char *what)
{
    size_t r, c;
    double *want = fx_doubles(obj, key, &r, &c);
    ck_assert_msg(r * c == n, "%s: %zu values, scikit-learn has %zu", what, n, r * c);
    double floor = floor_rel * lin_max_abs(want, n);
    double d = max_rel_diff(got, want, n, floor > 0 ? floor : 1e-300);
    if (getenv("LINEAR_DIFFS"))
        fprintf(stderr, "  %-40s max rel diff %.3g\n", what, d);
    ck_assert_msg(d <= tol, "%s differs from scikit-learn: max rel diff %.3g > %.3g", what, d,
                  tol);
    free(want);
    return d;
}

static inline double lin_number(json_t *obj, const char *key)
{
    return fx_number(obj, key);
}

#endif
