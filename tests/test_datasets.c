/* Bundled data sets against scikit-learn's load_* arrays, and the make_*
 * generators: sizes, determinism, the structure each parameter promises and
 * every parameter error. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "../datasets/bundled.h"
#include "../datasets/embedded.h"
#include "test_util.h"

static json_t *fx;

static void setup(void)
{
    fx = fx_load("datasets");
}

static void teardown(void)
{
    json_decref(fx);
}

/* ---- bundled data sets ------------------------------------------------- */

static void check_names(char **got, size_t n, json_t *want, const char *what)
{
    ck_assert_msg(json_array_size(want) == n, "%s: %zu names, expected %zu", what, n,
                  json_array_size(want));
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(strcmp(got[i], json_string_value(json_array_get(want, i))) == 0,
                      "%s[%zu] = '%s', expected '%s'", what, i, got[i],
                      json_string_value(json_array_get(want, i)));
}

static void check_exact(const double *got, json_t *ref, const char *key, size_t n)
{
    size_t r, c;
    double *want = fx_doubles(ref, key, &r, &c);
    ck_assert_uint_eq(r * c, n);
    ck_assert_msg(max_abs_diff(got, want, n) == 0.0, "%s differs from scikit-learn by %.3g", key,
                  max_abs_diff(got, want, n));
    free(want);
}

/* Compare a loaded data set with scikit-learn's: shape, rows 0-2 and the
 * last row, column sums and sums of squares, y, names, class counts. */
static void check_bundled(const mlc_dataset *d, const char *name, int classification)
{
    json_t *ref = json_object_get(fx, name);
    ck_assert_ptr_nonnull(ref);
    size_t r, c;
    double *shape = fx_doubles(ref, "shape", &r, &c);
    size_t n = (size_t)shape[0], p = (size_t)shape[1];
    free(shape);
    ck_assert_uint_eq(d->X.rows, n);
    ck_assert_uint_eq(d->X.cols, p);
    ck_assert_str_eq(d->name, name);

    check_exact(d->X.data, ref, "head", 3 * p);
    check_exact(mlc_matrix_row(&d->X, n - 1), ref, "last", p);
    check_exact(d->y, ref, "y", n);

    double *sum = calloc(p, sizeof *sum), *sumsq = calloc(p, sizeof *sumsq);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            double v = MLC_AT(&d->X, i, j);
            sum[j] += v;
            sumsq[j] += v * v;
        }
    double *want = fx_doubles(ref, "col_sum", &r, &c);
    ck_assert_uint_eq(r * c, p);
    /* Diabetes sums are ~1e-14 (centred columns): scale by the column norm. */
    ck_assert_close_floor(sum, want, p, 1e-13, 1.0, "column sums");
    free(want);
    want = fx_doubles(ref, "col_sumsq", &r, &c);
    ck_assert_close(sumsq, want, p, 1e-13, "column sums of squares");
    free(want);
    free(sum);
    free(sumsq);

    check_names(d->feature_names, p, json_object_get(ref, "feature_names"), "feature_names");
    if (classification) {
        json_t *tn = json_object_get(ref, "target_names");
        check_names(d->target_names, d->n_target_names, tn, "target_names");
        size_t k;
        int32_t *counts = fx_ints(ref, "target_counts", &k);
        ck_assert_uint_eq(k, d->n_target_names);
        for (size_t cl = 0; cl < k; cl++) {
            size_t got = 0;
            for (size_t i = 0; i < n; i++)
                got += d->y[i] == (double)cl;
            ck_assert_msg(got == (size_t)counts[cl], "class %zu: %zu samples, expected %d", cl,
                          got, counts[cl]);
        }
        free(counts);
    } else {
        ck_assert_ptr_null(d->target_names);
        ck_assert_uint_eq(d->n_target_names, 0);
    }
}

static void check_loader(const char *name, int (*load)(mlc_dataset *), int classification)
{
    mlc_dataset a, b;
    ck_assert_status(load(&a), MLC_OK);
    check_bundled(&a, name, classification);
    /* The table entry loads the same arrays. */
    ck_assert_status(mlc_load_bundled(name, &b), MLC_OK);
    ck_assert_uint_eq(b.X.rows, a.X.rows);
    ck_assert_int_eq(memcmp(a.X.data, b.X.data, a.X.rows * a.X.cols * sizeof(double)), 0);
    ck_assert_int_eq(memcmp(a.y, b.y, a.X.rows * sizeof(double)), 0);
    mlc_dataset_clear(&a);
    mlc_dataset_clear(&b);
}

START_TEST(iris_matches)
{
    check_loader("iris", mlc_load_iris, 1);
}
END_TEST

START_TEST(wine_matches)
{
    check_loader("wine", mlc_load_wine, 1);
}
END_TEST

START_TEST(breast_cancer_matches)
{
    check_loader("breast_cancer", mlc_load_breast_cancer, 1);
}
END_TEST

START_TEST(digits_matches)
{
    check_loader("digits", mlc_load_digits, 1);
}
END_TEST

START_TEST(diabetes_matches)
{
    check_loader("diabetes", mlc_load_diabetes, 0);
    mlc_dataset d;
    ck_assert_status(mlc_load_diabetes(&d), MLC_OK);
    json_t *ref = json_object_get(fx, "diabetes");
    double ysum = 0.0;
    for (size_t i = 0; i < d.X.rows; i++)
        ysum += d.y[i];
    double want = fx_number(ref, "y_sum");
    ck_assert_close(&ysum, &want, 1, 1e-13, "diabetes y sum");
    /* Scaled columns: mean 0 and unit L2 norm. */
    for (size_t j = 0; j < d.X.cols; j++) {
        double s = 0, ss = 0;
        for (size_t i = 0; i < d.X.rows; i++) {
            s += MLC_AT(&d.X, i, j);
            ss += MLC_AT(&d.X, i, j) * MLC_AT(&d.X, i, j);
        }
        ck_assert_double_eq_tol(s, 0.0, 1e-13);
        ck_assert_double_eq_tol(ss, 1.0, 1e-13);
    }
    mlc_dataset_clear(&d);
}
END_TEST

START_TEST(bundled_table)
{
    const char *names[] = {"iris", "wine", "breast_cancer", "digits", "diabetes"};
    ck_assert_uint_eq(mlc_bundled_count(), 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(mlc_bundled_name(i), names[i]);
        ck_assert_ptr_nonnull(mlc_bundled_summary(i));
        ck_assert_uint_gt(strlen(mlc_bundled_summary(i)), 10);
    }
    ck_assert_ptr_null(mlc_bundled_name(5));
    ck_assert_ptr_null(mlc_bundled_summary(5));
}
END_TEST

START_TEST(bundled_errors)
{
    mlc_dataset d;
    memset(&d, 0x55, sizeof d);
    ck_assert_status(mlc_load_bundled("boston", &d), MLC_ENOTFOUND);
    /* The message lists what exists; the output is left empty. */
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "boston"));
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "iris"));
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "diabetes"));
    ck_assert_ptr_null(d.X.data);
    ck_assert_ptr_null(d.y);
    ck_assert_status(mlc_load_bundled("", &d), MLC_ENOTFOUND);
    ck_assert_status(mlc_load_bundled(NULL, &d), MLC_EINVAL);
    ck_assert_status(mlc_load_bundled("iris", NULL), MLC_EINVAL);
    ck_assert_status(mlc_load_iris(NULL), MLC_EINVAL);
    ck_assert_status(mlc_load_digits(NULL), MLC_EINVAL);
    ck_assert_status(mlc_load_diabetes(NULL), MLC_EINVAL);
}
END_TEST

/* gzip-compressed copy of text (malloc-ed, *len bytes). */
static unsigned char *gzip_text(const char *text, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    size_t cap = deflateBound(&zs, strlen(text)) + 64;
    unsigned char *out = malloc(cap);
    zs.next_in = (unsigned char *)(uintptr_t)text;
    zs.avail_in = (uInt)strlen(text);
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

START_TEST(malformed_files)
{
    /* iris.csv replaced by broken text: every case is MLC_EFORMAT and leaves
     * the output empty. */
    static const char *const bad_iris[] = {
        "",
        "150,4,setosa,versicolor,virginica\n",  /* no rows */
        "2,4,a,b\n1,2,3,4,0\n",                 /* fewer rows than the header */
        "1,4,a,b\n1,2,3,4,0\n5,6,7,8,1\n",     /* more rows */
        "1,4,a,b\n1,2,x,4,0\n",                 /* not a number */
        "1,4,a,b\n1,2,3,4\n",                   /* target missing */
        "1,4,a,b\n1,2,3,4,0\n1,2,3,4\n",       /* ragged */
        "1,4,a,b\n1,2,3,4,5\n",                 /* class out of range */
        "1,4,a,b\n1,2,3,4,0.5\n",               /* class not an integer */
        "1,4,a,b\n1,2,3,4,-1\n",                /* negative class */
        "1,3,a,b\n1,2,3,0\n",                   /* wrong feature count */
        "1,4\n1,2,3,4,0\n",                     /* no class names */
        "1,4,a,\n1,2,3,4,0\n",                  /* empty class name */
        "1e999,4,a\n",                           /* absurd header */
        "0,4,a\n",                               /* zero samples */
        "x,4,a\n",                               /* header not a number */
        "1,4,a,b\n1,,3,4,0\n",                  /* empty field */
        "1,4,a,b\n1,2,3,4,0,\n",                /* trailing separator */
        "1,4,a,b\n1,2,3,nan,0\n",               /* non-finite value */
        "1,4,a,b\n1,2,3,4000000000000000000000000000000000000000000000000000000000000000000,0\n",
    };
    mlc_dataset d;
    for (size_t i = 0; i < sizeof bad_iris / sizeof bad_iris[0]; i++) {
        mlc_clear_error();
        int st = mlc_bundled_load_with("iris", "iris.csv", bad_iris[i], strlen(bad_iris[i]), &d);
        ck_assert_msg(st == MLC_EFORMAT, "case %zu: status %d (%s)", i, st,
                      mlc_last_error_message());
        ck_assert_msg(mlc_last_error_message()[0] != '\0', "case %zu: no message", i);
        ck_assert_ptr_null(d.X.data);
        ck_assert_ptr_null(d.feature_names);
        ck_assert_ptr_null(d.target_names);
    }
    /* A NUL byte inside the data. */
    const char nul[] = "1,4,a,b\n1,2\0,3,4,0\n";
    ck_assert_status(mlc_bundled_load_with("iris", "iris.csv", nul, sizeof nul - 1, &d),
                     MLC_EFORMAT);

    /* gzip files: not gzip, cut short, wrong row width, row counts that
     * disagree between the diabetes data and target. */
    ck_assert_status(mlc_bundled_load_with("digits", "digits.csv.gz", "plain text", 10, &d),
                     MLC_EFORMAT);
    const mlc_embedded_file *real = mlc_embedded_find("digits.csv.gz");
    ck_assert_ptr_nonnull(real);
    ck_assert_status(mlc_bundled_load_with("digits", "digits.csv.gz", real->data,
                                           real->size / 2, &d),
                     MLC_EFORMAT);
    size_t len;
    unsigned char *gz = gzip_text("1,2\n3,4\n", &len);
    ck_assert_status(mlc_bundled_load_with("digits", "digits.csv.gz", gz, len, &d), MLC_EFORMAT);
    free(gz);
    gz = gzip_text("1.5e2\n7.0e1\n", &len);
    ck_assert_status(mlc_bundled_load_with("diabetes", "diabetes_target.csv.gz", gz, len, &d),
                     MLC_EFORMAT);
    free(gz);
    gz = gzip_text("1 2 3\n", &len);
    ck_assert_status(mlc_bundled_load_with("diabetes", "diabetes_data_raw.csv.gz", gz, len, &d),
                     MLC_EFORMAT);
    free(gz);
    ck_assert_ptr_null(d.X.data);
}
END_TEST

START_TEST(parser_accepts_crlf_and_blank_lines)
{
    const char *text = "2,4,a,b\r\n1.5,2,3,4,0\r\n 5 , 6,7,8e-1,1\r\n\r\n\n";
    mlc_dataset d;
    ck_assert_status(mlc_bundled_load_with("iris", "iris.csv", text, strlen(text), &d), MLC_OK);
    double want[] = {1.5, 2, 3, 4, 5, 6, 7, 0.8};
    ck_assert_uint_eq(d.X.rows, 2);
    ck_assert_int_eq(memcmp(d.X.data, want, sizeof want), 0);
    ck_assert_double_eq(d.y[0], 0.0);
    ck_assert_double_eq(d.y[1], 1.0);
    ck_assert_uint_eq(d.n_target_names, 2);
    ck_assert_str_eq(d.target_names[1], "b");
    ck_assert_str_eq(d.feature_names[0], "sepal length (cm)");
    mlc_dataset_clear(&d);
    /* The replacement is gone afterwards: the real iris again. */
    ck_assert_status(mlc_load_iris(&d), MLC_OK);
    ck_assert_uint_eq(d.X.rows, 150);
    mlc_dataset_clear(&d);
}
END_TEST

/* ---- shared generator checks ------------------------------------------- */

static int same_dataset(const mlc_dataset *a, const mlc_dataset *b)
{
    return a->X.rows == b->X.rows && a->X.cols == b->X.cols &&
           memcmp(a->X.data, b->X.data, a->X.rows * a->X.cols * sizeof(double)) == 0 &&
           memcmp(a->y, b->y, a->X.rows * sizeof(double)) == 0;
}

static void count_labels(const mlc_dataset *d, size_t k, size_t *counts)
{
    memset(counts, 0, k * sizeof *counts);
    for (size_t i = 0; i < d->X.rows; i++) {
        double v = d->y[i];
        ck_assert_msg(v >= 0 && v < (double)k && v == floor(v), "y[%zu] = %g is not in 0..%zu",
                      i, v, k - 1);
        counts[(size_t)v]++;
    }
}

static void column_moments(const mlc_matrix *X, size_t j, double *mean, double *var)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < X->rows; i++)
        s += MLC_AT(X, i, j);
    *mean = s / (double)X->rows;
    for (size_t i = 0; i < X->rows; i++)
        ss += (MLC_AT(X, i, j) - *mean) * (MLC_AT(X, i, j) - *mean);
    *var = ss / (double)X->rows;
}

/* ---- make_blobs -------------------------------------------------------- */

START_TEST(blobs_counts_match_sklearn)
{
    json_t *cases = json_object_get(fx, "make_blobs_counts");
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        mlc_blobs_params p = mlc_blobs_params_default();
        p.n_samples = (size_t)fx_number(c, "n_samples");
        p.centers = (size_t)fx_number(c, "centers");
        p.random_state = 3;
        mlc_dataset d;
        ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_OK);
        size_t k;
        int32_t *want = fx_ints(c, "counts", &k);
        size_t got[8];
        count_labels(&d, k, got);
        for (size_t j = 0; j < k; j++)
            ck_assert_uint_eq(got[j], (size_t)want[j]);
        free(want);
        mlc_dataset_clear(&d);
    }
}
END_TEST

START_TEST(blobs_defaults_and_determinism)
{
    mlc_blobs_params p = mlc_blobs_params_default();
    ck_assert_uint_eq(p.n_samples, 100);
    ck_assert_uint_eq(p.n_features, 2);
    ck_assert_uint_eq(p.centers, 3);
    ck_assert_double_eq(p.cluster_std, 1.0);
    ck_assert_double_eq(p.center_box_lo, -10.0);
    ck_assert_double_eq(p.center_box_hi, 10.0);
    ck_assert_int_eq(p.shuffle, 1);
    p.random_state = 42;
    mlc_dataset a, b, c;
    ck_assert_status(mlc_make_blobs(&p, &a, NULL), MLC_OK);
    ck_assert_status(mlc_make_blobs(&p, &b, NULL), MLC_OK);
    p.random_state = 43;
    ck_assert_status(mlc_make_blobs(&p, &c, NULL), MLC_OK);
    ck_assert_uint_eq(a.X.rows, 100);
    ck_assert_uint_eq(a.X.cols, 2);
    ck_assert_str_eq(a.name, "make_blobs");
    ck_assert_str_eq(a.feature_names[1], "x1");
    ck_assert(same_dataset(&a, &b));
    ck_assert(!same_dataset(&a, &c));
    /* Shuffled: the labels are not in blocks. */
    size_t changes = 0;
    for (size_t i = 1; i < 100; i++)
        changes += a.y[i] != a.y[i - 1];
    ck_assert_uint_gt(changes, 10);
    mlc_dataset_clear(&a);
    mlc_dataset_clear(&b);
    mlc_dataset_clear(&c);
}
END_TEST

START_TEST(blobs_means_near_centres)
{
    mlc_blobs_params p = mlc_blobs_params_default();
    p.n_samples = 3000;
    p.n_features = 4;
    p.cluster_std = 0.5;
    p.center_box_lo = 2.0;
    p.center_box_hi = 5.0;
    p.random_state = 7;
    mlc_matrix centres;
    ck_assert_int_eq(mlc_matrix_alloc(&centres, 3, 4), MLC_OK);
    mlc_dataset d;
    ck_assert_status(mlc_make_blobs(&p, &d, &centres), MLC_OK);
    double mean[3][4] = {{0}}, var[3][4] = {{0}};
    size_t counts[3];
    count_labels(&d, 3, counts);
    for (size_t i = 0; i < d.X.rows; i++)
        for (size_t j = 0; j < 4; j++)
            mean[(size_t)d.y[i]][j] += MLC_AT(&d.X, i, j) / (double)counts[(size_t)d.y[i]];
    for (size_t i = 0; i < d.X.rows; i++)
        for (size_t j = 0; j < 4; j++) {
            size_t k = (size_t)d.y[i];
            double t = MLC_AT(&d.X, i, j) - mean[k][j];
            var[k][j] += t * t / (double)counts[k];
        }
    for (size_t k = 0; k < 3; k++) {
        ck_assert_uint_eq(counts[k], 1000);
        for (size_t j = 0; j < 4; j++) {
            double c = MLC_AT(&centres, k, j);
            ck_assert(c >= 2.0 && c < 5.0);
            /* sd of a mean of 1000 is 0.016; of a variance about 0.009. */
            ck_assert_double_eq_tol(mean[k][j], c, 0.08);
            ck_assert_double_eq_tol(var[k][j], 0.25, 0.05);
        }
    }
    mlc_dataset_clear(&d);
    mlc_matrix_clear(&centres);
}
END_TEST

START_TEST(blobs_given_centres_no_shuffle)
{
    double cc[] = {0, 0, 0, 100, 100, 100};
    mlc_matrix centres = mlc_matrix_wrap(cc, 2, 3, 0);
    mlc_blobs_params p = mlc_blobs_params_default();
    p.center_coords = &centres;
    p.n_features = 17; /* ignored: the centres have 3 columns, as scikit-learn */
    p.n_samples = 5;
    p.cluster_std = 0.0;
    p.shuffle = 0;
    p.random_state = 1;
    mlc_dataset d;
    mlc_matrix out;
    ck_assert_int_eq(mlc_matrix_alloc(&out, 2, 3), MLC_OK);
    ck_assert_status(mlc_make_blobs(&p, &d, &out), MLC_OK);
    ck_assert_uint_eq(d.X.cols, 3);
    double want_y[] = {0, 0, 0, 1, 1};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_double_eq(d.y[i], want_y[i]);
        for (size_t j = 0; j < 3; j++)
            ck_assert_double_eq(MLC_AT(&d.X, i, j), cc[(size_t)want_y[i] * 3 + j]);
    }
    ck_assert_int_eq(memcmp(out.data, cc, sizeof cc), 0);
    mlc_dataset_clear(&d);
    mlc_matrix_clear(&out);
}
END_TEST

START_TEST(blobs_errors)
{
    mlc_dataset d;
    mlc_blobs_params p = mlc_blobs_params_default();
    ck_assert_status(mlc_make_blobs(NULL, &d, NULL), MLC_EINVAL);
    ck_assert_status(mlc_make_blobs(&p, NULL, NULL), MLC_EINVAL);
    p.n_samples = 0;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_EINVAL);
    p = mlc_blobs_params_default();
    p.centers = 0;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_EINVAL);
    p = mlc_blobs_params_default();
    p.n_features = 0;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_EINVAL);
    p = mlc_blobs_params_default();
    p.cluster_std = -1;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_EINVAL);
    p.cluster_std = NAN;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_ENONFINITE);
    p = mlc_blobs_params_default();
    p.center_box_hi = INFINITY;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_ENONFINITE);
    p = mlc_blobs_params_default();
    p.center_box_lo = 5;
    p.center_box_hi = -5;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_EINVAL);
    /* Given centres: empty or non-finite. */
    double cc[] = {0, NAN};
    mlc_matrix bad = mlc_matrix_wrap(cc, 1, 2, 0);
    p = mlc_blobs_params_default();
    p.center_coords = &bad;
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_ENONFINITE);
    bad = mlc_matrix_wrap(cc, 0, 2, 0);
    ck_assert_status(mlc_make_blobs(&p, &d, NULL), MLC_EEMPTY);
    /* centers_out of the wrong shape. */
    p = mlc_blobs_params_default();
    mlc_matrix out;
    ck_assert_int_eq(mlc_matrix_alloc(&out, 2, 2), MLC_OK);
    ck_assert_status(mlc_make_blobs(&p, &d, &out), MLC_EBADLEN);
    ck_assert_ptr_null(d.X.data);
    mlc_matrix_clear(&out);
}
END_TEST

/* ---- make_regression --------------------------------------------------- */

START_TEST(regression_y_is_x_coef_plus_bias)
{
    mlc_regression_params p = mlc_regression_params_default();
    ck_assert_uint_eq(p.n_features, 100);
    ck_assert_uint_eq(p.n_informative, 10);
    ck_assert_uint_eq(p.effective_rank, 0);
    ck_assert_double_eq(p.tail_strength, 0.5);
    p.n_samples = 200;
    p.n_features = 30;
    p.n_informative = 7;
    p.bias = 3.25;
    p.random_state = 11;
    mlc_dataset d;
    double coef[30];
    ck_assert_status(mlc_make_regression(&p, &d, coef), MLC_OK);
    ck_assert_uint_eq(d.X.rows, 200);
    ck_assert_uint_eq(d.X.cols, 30);
    size_t nz = 0, first_nz = 30;
    for (size_t j = 0; j < 30; j++)
        if (coef[j] != 0) {
            ck_assert(coef[j] > 0 && coef[j] < 100);
            nz++;
            if (first_nz == 30)
                first_nz = j;
        }
    ck_assert_uint_eq(nz, 7);
    for (size_t i = 0; i < d.X.rows; i++) {
        double s = 0.0;
        for (size_t j = 0; j < 30; j++)
            s += MLC_AT(&d.X, i, j) * coef[j];
        ck_assert_msg(d.y[i] == s + 3.25, "y[%zu] = %.17g, X coef + bias = %.17g", i, d.y[i],
                      s + 3.25);
    }
    /* Shuffled: with 7 of 30 the informative columns are not all first. */
    size_t in_front = 0;
    for (size_t j = 0; j < 7; j++)
        in_front += coef[j] != 0;
    ck_assert_uint_lt(in_front, 7);
    /* X ~ N(0, 1). */
    double sum = 0, sumsq = 0;
    for (size_t k = 0; k < 200 * 30; k++) {
        sum += d.X.data[k];
        sumsq += d.X.data[k] * d.X.data[k];
    }
    ck_assert_double_eq_tol(sum / 6000, 0.0, 0.05);
    ck_assert_double_eq_tol(sumsq / 6000, 1.0, 0.08);
    mlc_dataset_clear(&d);
}
END_TEST

START_TEST(regression_noise_shuffle_and_determinism)
{
    mlc_regression_params p = mlc_regression_params_default();
    p.n_samples = 4000;
    p.n_features = 5;
    p.n_informative = 3;
    p.shuffle = 0;
    p.random_state = 5;
    mlc_dataset clean, noisy, again;
    double coef[5], coef2[5];
    ck_assert_status(mlc_make_regression(&p, &clean, coef), MLC_OK);
    /* Unshuffled: the informative features are the first ones. */
    ck_assert(coef[0] > 0 && coef[1] > 0 && coef[2] > 0);
    ck_assert(coef[3] == 0 && coef[4] == 0);
    p.noise = 2.0;
    ck_assert_status(mlc_make_regression(&p, &noisy, coef2), MLC_OK);
    ck_assert_status(mlc_make_regression(&p, &again, NULL), MLC_OK);
    ck_assert(same_dataset(&noisy, &again));
    /* Same seed: the same X and coefficients, y differs by N(0, 2^2) noise. */
    ck_assert_int_eq(memcmp(clean.X.data, noisy.X.data, 4000 * 5 * sizeof(double)), 0);
    ck_assert_int_eq(memcmp(coef, coef2, sizeof coef), 0);
    double s = 0, ss = 0;
    for (size_t i = 0; i < 4000; i++) {
        double e = noisy.y[i] - clean.y[i];
        s += e;
        ss += e * e;
    }
    ck_assert_double_eq_tol(s / 4000, 0.0, 0.1);
    ck_assert_double_eq_tol(sqrt(ss / 4000), 2.0, 0.1);
    mlc_dataset_clear(&clean);
    mlc_dataset_clear(&noisy);
    mlc_dataset_clear(&again);
}
END_TEST

/* Largest eigenvalue of X^T X by power iteration. */
static double top_eigenvalue(const mlc_matrix *X)
{
    size_t p = X->cols;
    double *v = malloc(p * sizeof *v), *w = malloc(p * sizeof *w), *xv = malloc(X->rows * sizeof *xv);
    for (size_t j = 0; j < p; j++)
        v[j] = 1.0 / sqrt((double)p);
    double lambda = 0;
    for (int it = 0; it < 500; it++) {
        for (size_t i = 0; i < X->rows; i++) {
            xv[i] = 0;
            for (size_t j = 0; j < p; j++)
                xv[i] += MLC_AT(X, i, j) * v[j];
        }
        double norm = 0;
        for (size_t j = 0; j < p; j++) {
            w[j] = 0;
            for (size_t i = 0; i < X->rows; i++)
                w[j] += MLC_AT(X, i, j) * xv[i];
            norm += w[j] * w[j];
        }
        lambda = sqrt(norm);
        for (size_t j = 0; j < p; j++)
            v[j] = w[j] / lambda;
    }
    free(v);
    free(w);
    free(xv);
    return lambda;
}

START_TEST(regression_low_rank_profile)
{
    mlc_regression_params p = mlc_regression_params_default();
    p.n_samples = 60;
    p.n_features = 25;
    p.effective_rank = 3;
    p.tail_strength = 0.2;
    p.random_state = 9;
    mlc_dataset d;
    double coef[25];
    ck_assert_status(mlc_make_regression(&p, &d, coef), MLC_OK);
    /* X = U diag(s) V^T with orthonormal U, V: ||X||_F^2 = sum s_i^2 and the
     * largest singular value is s_0 = 1. */
    double fro = 0, want = 0;
    for (size_t k = 0; k < 60 * 25; k++)
        fro += d.X.data[k] * d.X.data[k];
    for (size_t i = 0; i < 25; i++) {
        double s = 0.8 * exp(-((double)i / 3) * ((double)i / 3)) + 0.2 * exp(-0.1 * (double)i / 3);
        want += s * s;
    }
    ck_assert_double_eq_tol(fro, want, 1e-12 * want);
    ck_assert_double_eq_tol(top_eigenvalue(&d.X), 1.0, 1e-10);
    for (size_t i = 0; i < 60; i++) {
        double s = 0.0;
        for (size_t j = 0; j < 25; j++)
            s += MLC_AT(&d.X, i, j) * coef[j];
        ck_assert(d.y[i] == s);
    }
    mlc_dataset_clear(&d);
}
END_TEST

START_TEST(regression_errors)
{
    mlc_dataset d;
    mlc_regression_params p = mlc_regression_params_default();
    ck_assert_status(mlc_make_regression(NULL, &d, NULL), MLC_EINVAL);
    ck_assert_status(mlc_make_regression(&p, NULL, NULL), MLC_EINVAL);
    p.n_samples = 0;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_EINVAL);
    p = mlc_regression_params_default();
    p.n_features = 0;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_EINVAL);
    p = mlc_regression_params_default();
    p.noise = -0.5;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_EINVAL);
    p.noise = INFINITY;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_ENONFINITE);
    p = mlc_regression_params_default();
    p.bias = NAN;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_ENONFINITE);
    p = mlc_regression_params_default();
    p.effective_rank = 5;
    p.tail_strength = 1.5;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_EINVAL);
    p.tail_strength = NAN;
    ck_assert_status(mlc_make_regression(&p, &d, NULL), MLC_EINVAL);
    ck_assert_ptr_null(d.X.data);
}
END_TEST

/* ---- make_classification ----------------------------------------------- */

START_TEST(classification_counts_match_sklearn)
{
    json_t *cases = json_object_get(fx, "make_classification_counts");
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        mlc_classification_params p = mlc_classification_params_default();
        p.n_samples = (size_t)fx_number(c, "n_samples");
        p.n_classes = (size_t)fx_number(c, "n_classes");
        p.n_clusters_per_class = (size_t)fx_number(c, "n_clusters_per_class");
        p.n_informative = 3;
        p.flip_y = 0.0;
        p.random_state = 4;
        size_t nw, cols;
        double *w = fx_doubles(c, "weights", &nw, &cols);
        if (json_array_size(json_object_get(c, "weights")) > 0) {
            p.weights = w;
            p.n_weights = nw;
        }
        mlc_dataset d;
        ck_assert_status(mlc_make_classification(&p, &d), MLC_OK);
        size_t k;
        int32_t *want = fx_ints(c, "counts", &k);
        size_t got[8];
        count_labels(&d, k, got);
        for (size_t j = 0; j < k; j++)
            ck_assert_msg(got[j] == (size_t)want[j], "case %zu class %zu: %zu, sklearn %d", i, j,
                          got[j], want[j]);
        free(want);
        free(w);
        mlc_dataset_clear(&d);
    }
}
END_TEST

START_TEST(classification_defaults)
{
    mlc_classification_params p = mlc_classification_params_default();
    ck_assert_uint_eq(p.n_samples, 100);
    ck_assert_uint_eq(p.n_features, 20);
    ck_assert_uint_eq(p.n_informative, 2);
    ck_assert_uint_eq(p.n_redundant, 2);
    ck_assert_uint_eq(p.n_clusters_per_class, 2);
    ck_assert_double_eq(p.flip_y, 0.01);
    ck_assert_double_eq(p.class_sep, 1.0);
    ck_assert_int_eq(p.hypercube, 1);
    ck_assert_double_eq(p.scale, 1.0);
    p.random_state = 0;
    mlc_dataset a, b, c;
    ck_assert_status(mlc_make_classification(&p, &a), MLC_OK);
    ck_assert_status(mlc_make_classification(&p, &b), MLC_OK);
    p.random_state = 1;
    ck_assert_status(mlc_make_classification(&p, &c), MLC_OK);
    ck_assert_uint_eq(a.X.rows, 100);
    ck_assert_uint_eq(a.X.cols, 20);
    ck_assert(same_dataset(&a, &b));
    ck_assert(!same_dataset(&a, &c));
    /* 50/50 before 1% label noise. */
    size_t counts[2];
    count_labels(&a, 2, counts);
    ck_assert_uint_ge(counts[0], 45);
    ck_assert_uint_ge(counts[1], 45);
    mlc_dataset_clear(&a);
    mlc_dataset_clear(&b);
    mlc_dataset_clear(&c);
}
END_TEST

/* The column of `ref` equal to column j of X, or -1. */
static long find_column(const mlc_matrix *X, size_t j, const mlc_matrix *ref)
{
    for (size_t c = 0; c < ref->cols; c++) {
        size_t i = 0;
        while (i < X->rows && MLC_AT(X, i, j) == MLC_AT(ref, i, c))
            i++;
        if (i == X->rows)
            return (long)c;
    }
    return -1;
}

START_TEST(classification_feature_structure)
{
    /* Unshuffled: [informative 3 | redundant 2 | repeated 2 | useless 3]. */
    mlc_classification_params p = mlc_classification_params_default();
    p.n_samples = 8000;
    p.n_features = 10;
    p.n_informative = 3;
    p.n_redundant = 2;
    p.n_repeated = 2;
    p.n_classes = 2;
    p.n_clusters_per_class = 4; /* all 8 vertices of the cube */
    p.flip_y = 0.0;
    p.shuffle = 0;
    p.random_state = 21;
    mlc_dataset d;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_OK);
    const mlc_matrix *X = &d.X;
    /* Redundant columns are exact linear combinations of the informative ones:
     * solve for the weights from rows 0-2 and check every row. */
    for (size_t r = 3; r < 5; r++) {
        double a[3][4];
        for (size_t i = 0; i < 3; i++) {
            for (size_t j = 0; j < 3; j++)
                a[i][j] = MLC_AT(X, i, j);
            a[i][3] = MLC_AT(X, i, r);
        }
        for (size_t k = 0; k < 3; k++) /* Gauss-Jordan, no pivoting needed for random data */
            for (size_t i = 0; i < 3; i++)
                if (i != k) {
                    double f = a[i][k] / a[k][k];
                    for (size_t j = 0; j < 4; j++)
                        a[i][j] -= f * a[k][j];
                }
        double w[3] = {a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]};
        for (size_t k = 0; k < 3; k++)
            ck_assert(fabs(w[k]) <= 1.0 + 1e-9); /* B ~ U(-1, 1) */
        for (size_t i = 0; i < X->rows; i++) {
            double pred = w[0] * MLC_AT(X, i, 0) + w[1] * MLC_AT(X, i, 1) + w[2] * MLC_AT(X, i, 2);
            ck_assert_double_eq_tol(MLC_AT(X, i, r), pred, 1e-9 * (1 + fabs(pred)));
        }
    }
    /* Repeated columns are copies of columns 0-4. */
    mlc_matrix front = mlc_matrix_submatrix(X, 0, 0, X->rows, 5);
    for (size_t r = 5; r < 7; r++)
        ck_assert_int_ge(find_column(X, r, &front), 0);
    /* Useless columns ~ N(0, 1), unrelated to the others. */
    for (size_t j = 7; j < 10; j++) {
        double m, v;
        column_moments(X, j, &m, &v);
        ck_assert_double_eq_tol(m, 0.0, 0.08);
        ck_assert_double_eq_tol(v, 1.0, 0.1);
        ck_assert_int_lt(find_column(X, j, &front), 0);
    }
    /* Cluster blocks (1000 rows each) sit on the 8 distinct vertices of
     * {-1, 1}^3; class = cluster mod 2. */
    int seen[8] = {0};
    for (size_t k = 0; k < 8; k++) {
        double mean[3] = {0, 0, 0};
        for (size_t i = 1000 * k; i < 1000 * (k + 1); i++) {
            ck_assert_double_eq(d.y[i], (double)(k % 2));
            for (size_t j = 0; j < 3; j++)
                mean[j] += MLC_AT(X, i, j) / 1000;
        }
        int code = 0;
        for (size_t j = 0; j < 3; j++) {
            ck_assert_double_eq_tol(fabs(mean[j]), 1.0, 0.15);
            code = 2 * code + (mean[j] > 0);
        }
        ck_assert_int_eq(seen[code], 0);
        seen[code] = 1;
    }
    /* Each cluster has its own random covariance A_k^T A_k: the within-block
     * covariances of clusters 0 and 1 differ, and are not the identity. */
    double cov[2][3][3];
    for (size_t k = 0; k < 2; k++) {
        mlc_matrix block = mlc_matrix_rows(X, 1000 * k, 1000);
        double mean[3], var;
        for (size_t j = 0; j < 3; j++)
            column_moments(&block, j, &mean[j], &var);
        for (size_t j = 0; j < 3; j++)
            for (size_t l = 0; l < 3; l++) {
                double c = 0;
                for (size_t i = 0; i < 1000; i++)
                    c += (MLC_AT(&block, i, j) - mean[j]) * (MLC_AT(&block, i, l) - mean[l]);
                cov[k][j][l] = c / 1000;
            }
    }
    double diff = 0, off = 0;
    for (size_t j = 0; j < 3; j++)
        for (size_t l = 0; l < 3; l++) {
            diff = fmax(diff, fabs(cov[0][j][l] - cov[1][j][l]));
            if (j != l)
                off = fmax(off, fabs(cov[0][j][l]));
        }
    ck_assert_double_gt(diff, 0.3);
    ck_assert_double_gt(off, 0.2);
    mlc_dataset_clear(&d);
}
END_TEST

START_TEST(classification_shuffle_is_a_permutation)
{
    mlc_classification_params p = mlc_classification_params_default();
    p.n_samples = 150;
    p.n_features = 7;
    p.random_state = 8;
    p.shuffle = 0;
    mlc_dataset plain, mixed;
    ck_assert_status(mlc_make_classification(&p, &plain), MLC_OK);
    p.shuffle = 1;
    ck_assert_status(mlc_make_classification(&p, &mixed), MLC_OK);
    /* The shuffle draws come last, so the same seed gives the same data with
     * rows and columns permuted: every row of `mixed` is a distinct row of
     * `plain` with the same label, its entries in one common column order. */
    size_t n = 150, d = 7;
    long col_of[7], first[7];
    int *used = calloc(n, sizeof *used);
    size_t moved = 0;
    for (size_t i = 0; i < n; i++) {
        const double *m = mlc_matrix_row(&mixed.X, i);
        size_t match = n;
        for (size_t r = 0; r < n && match == n; r++) {
            if (used[r] || plain.y[r] != mixed.y[i])
                continue;
            const double *q = mlc_matrix_row(&plain.X, r);
            size_t hits = 0;
            for (size_t j = 0; j < d; j++) {
                col_of[j] = -1;
                for (size_t c = 0; c < d; c++)
                    if (q[c] == m[j])
                        col_of[j] = (long)c;
                hits += col_of[j] >= 0;
            }
            if (hits == d)
                match = r;
        }
        ck_assert_msg(match < n, "shuffled row %zu is not a row of the unshuffled data", i);
        used[match] = 1;
        moved += match != i;
        if (i == 0)
            memcpy(first, col_of, sizeof first);
        ck_assert_int_eq(memcmp(first, col_of, sizeof first), 0);
    }
    ck_assert_uint_gt(moved, 100);
    size_t fixed_cols = 0;
    for (size_t j = 0; j < d; j++)
        fixed_cols += first[j] == (long)j;
    ck_assert_uint_lt(fixed_cols, d);
    free(used);
    mlc_dataset_clear(&plain);
    mlc_dataset_clear(&mixed);
}
END_TEST

START_TEST(classification_flip_y)
{
    mlc_classification_params p = mlc_classification_params_default();
    p.n_samples = 20000;
    p.shuffle = 0;
    p.random_state = 12;
    p.flip_y = 0.0;
    mlc_dataset clean, half, all;
    ck_assert_status(mlc_make_classification(&p, &clean), MLC_OK);
    p.flip_y = 0.4;
    ck_assert_status(mlc_make_classification(&p, &half), MLC_OK);
    p.flip_y = 1.0;
    ck_assert_status(mlc_make_classification(&p, &all), MLC_OK);
    /* X is drawn before the flips; a flip picks any class, the same one
     * half the time: 20% and 50% of the labels change. */
    ck_assert_int_eq(memcmp(clean.X.data, half.X.data, 20000 * 20 * sizeof(double)), 0);
    size_t ch_half = 0, ch_all = 0;
    for (size_t i = 0; i < 20000; i++) {
        ch_half += half.y[i] != clean.y[i];
        ch_all += all.y[i] != clean.y[i];
    }
    ck_assert_double_eq_tol((double)ch_half / 20000, 0.2, 0.015);
    ck_assert_double_eq_tol((double)ch_all / 20000, 0.5, 0.015);
    /* The new labels are uniform over the classes: still about 50/50. */
    size_t counts[2];
    count_labels(&all, 2, counts);
    ck_assert_double_eq_tol((double)counts[0] / 20000, 0.5, 0.015);
    count_labels(&half, 2, counts);
    ck_assert_double_eq_tol((double)counts[0] / 20000, 0.5, 0.015);
    mlc_dataset_clear(&clean);
    mlc_dataset_clear(&half);
    mlc_dataset_clear(&all);
}
END_TEST

START_TEST(classification_shift_scale)
{
    mlc_classification_params p = mlc_classification_params_default();
    p.n_samples = 300;
    p.n_features = 6;
    p.shuffle = 0;
    p.class_sep = 2.0;
    p.random_state = 14;
    mlc_dataset base, fixed, rnd;
    ck_assert_status(mlc_make_classification(&p, &base), MLC_OK);
    p.shift = 1.5;
    p.scale = 3.0;
    ck_assert_status(mlc_make_classification(&p, &fixed), MLC_OK);
    p.shift_random = 1;
    p.scale_random = 1;
    ck_assert_status(mlc_make_classification(&p, &rnd), MLC_OK);
    for (size_t k = 0; k < 300 * 6; k++)
        ck_assert_double_eq(fixed.X.data[k], (base.X.data[k] + 1.5) * 3.0);
    /* Random: per feature x' = (x + s_j) c_j, s_j in [-2, 2), c_j in [1, 101). */
    for (size_t j = 0; j < 6; j++) {
        double c = (MLC_AT(&rnd.X, 1, j) - MLC_AT(&rnd.X, 0, j)) /
                   (MLC_AT(&base.X, 1, j) - MLC_AT(&base.X, 0, j));
        double s = MLC_AT(&rnd.X, 0, j) / c - MLC_AT(&base.X, 0, j);
        ck_assert(c >= 1.0 - 1e-9 && c < 101.0);
        ck_assert(s >= -2.0 - 1e-9 && s < 2.0 + 1e-9);
        for (size_t i = 0; i < 300; i++)
            ck_assert_double_eq_tol(MLC_AT(&rnd.X, i, j), (MLC_AT(&base.X, i, j) + s) * c,
                                    1e-9 * c * (1 + fabs(MLC_AT(&base.X, i, j) + s)));
    }
    mlc_dataset_clear(&base);
    mlc_dataset_clear(&fixed);
    mlc_dataset_clear(&rnd);
}
END_TEST

START_TEST(classification_many_informative_and_no_hypercube)
{
    /* Past 30 informative features the leading vertex bits are free random
     * bits: the cluster means are +-1 in every informative column, with both
     * signs among the leading ones. */
    mlc_classification_params p = mlc_classification_params_default();
    p.n_samples = 8000;
    p.n_features = 33;
    p.n_informative = 33;
    p.n_redundant = 0;
    p.shuffle = 0;
    p.flip_y = 0;
    p.random_state = 2;
    mlc_dataset d, e;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_OK);
    size_t counts[2], positive = 0;
    count_labels(&d, 2, counts);
    ck_assert_uint_eq(counts[0], 4000);
    for (size_t k = 0; k < 4; k++) {
        mlc_matrix block = mlc_matrix_rows(&d.X, 2000 * k, 2000);
        for (size_t j = 0; j < 33; j++) {
            double mean, var;
            column_moments(&block, j, &mean, &var);
            ck_assert_double_eq_tol(fabs(mean), 1.0, 6 * sqrt(var / 2000));
            positive += j < 3 && mean > 0;
        }
    }
    ck_assert_uint_gt(positive, 0);
    ck_assert_uint_lt(positive, 12);
    /* hypercube = 0 multiplies the +-class_sep vertices by a factor per
     * cluster and one per feature, all in [0, 1): the cluster means m_kj =
     * +-10 r_k c_j lie in the box, |m_kj| is a rank-one table, and the
     * feature factors make |m_kj| differ along a row. Tolerances are 6
     * standard errors of the estimated means. */
    p.n_samples = 40000;
    p.n_features = 4;
    p.n_informative = 4;
    p.n_classes = 2;
    p.n_clusters_per_class = 1;
    p.hypercube = 0;
    p.class_sep = 10.0;
    mlc_dataset_clear(&d);
    ck_assert_status(mlc_make_classification(&p, &e), MLC_OK);
    double m[2][4] = {{0}}, se[2][4] = {{0}};
    for (size_t k = 0; k < 2; k++) {
        mlc_matrix block = mlc_matrix_rows(&e.X, 20000 * k, 20000);
        for (size_t j = 0; j < 4; j++) {
            double var;
            column_moments(&block, j, &m[k][j], &var);
            m[k][j] = fabs(m[k][j]);
            se[k][j] = 6 * sqrt(var / 20000);
            ck_assert(m[k][j] < 10.0 + se[k][j]);
        }
    }
    for (size_t j = 0; j < 4; j++)
        for (size_t l = j + 1; l < 4; l++) {
            double tol = se[0][j] * m[1][l] + se[1][l] * m[0][j] + se[0][l] * m[1][j] +
                         se[1][j] * m[0][l];
            ck_assert_double_eq_tol(m[0][j] * m[1][l], m[0][l] * m[1][j], tol);
        }
    size_t big = m[1][0] + m[1][1] > m[0][0] + m[0][1];
    double lo = INFINITY, hi = 0, err = 0;
    for (size_t j = 0; j < 4; j++) {
        lo = fmin(lo, m[big][j]);
        hi = fmax(hi, m[big][j]);
        err = fmax(err, se[big][j]);
    }
    ck_assert(hi - lo > 2 * err);
    /* ... and the cluster factors make the two rows differ. */
    double gap = 0;
    for (size_t j = 0; j < 4; j++)
        gap = fmax(gap, fabs(m[0][j] - m[1][j]) - se[0][j] - se[1][j]);
    ck_assert(gap > 0);
    mlc_dataset_clear(&e);
}
END_TEST

START_TEST(classification_errors)
{
    mlc_dataset d;
    mlc_classification_params p = mlc_classification_params_default();
    ck_assert_status(mlc_make_classification(NULL, &d), MLC_EINVAL);
    ck_assert_status(mlc_make_classification(&p, NULL), MLC_EINVAL);
#define BAD(field, value, status)                                      \
    do {                                                               \
        p = mlc_classification_params_default();                       \
        p.field = value;                                               \
        ck_assert_status(mlc_make_classification(&p, &d), status);     \
        ck_assert_ptr_null(d.X.data);                                  \
    } while (0)
    BAD(n_samples, 0, MLC_EINVAL);
    BAD(n_features, 0, MLC_EINVAL);
    BAD(n_features, 3, MLC_EINVAL);       /* 2 + 2 > 3 */
    BAD(n_informative, 0, MLC_EINVAL);
    BAD(n_informative, 21, MLC_EINVAL);
    BAD(n_redundant, 19, MLC_EINVAL);
    BAD(n_repeated, 17, MLC_EINVAL);
    BAD(n_classes, 0, MLC_EINVAL);
    BAD(n_classes, 3, MLC_EINVAL);        /* 3 * 2 > 2^2 */
    BAD(n_clusters_per_class, 0, MLC_EINVAL);
    BAD(n_clusters_per_class, 3, MLC_EINVAL);
    BAD(flip_y, -0.1, MLC_EINVAL);
    BAD(flip_y, 1.5, MLC_EINVAL);
    BAD(flip_y, NAN, MLC_EINVAL);
    BAD(class_sep, 0.0, MLC_EINVAL);
    BAD(class_sep, INFINITY, MLC_EINVAL);
    BAD(shift, NAN, MLC_ENONFINITE);
    BAD(scale, 0.0, MLC_EINVAL);
    BAD(scale, -2.0, MLC_EINVAL);
#undef BAD
    /* 2^30 vertices at most. */
    p = mlc_classification_params_default();
    p.n_informative = 20;
    p.n_features = 40;
    p.n_classes = (size_t)1 << 16;
    p.n_clusters_per_class = (size_t)1 << 15;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_EINVAL);
    /* Weights: length, values, sum. */
    double w3[] = {0.2, 0.3, 0.5}, wneg[] = {-0.1, 1.1}, wbig[] = {0.7, 0.6},
           wnan[] = {NAN, 0.5}, wover[] = {1.2};
    p = mlc_classification_params_default();
    p.weights = w3;
    p.n_weights = 3;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_EBADLEN);
    p.n_weights = 0; /* = n_classes: fine */
    p.weights = wbig;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_EINVAL);
    p.weights = wneg;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_EINVAL);
    p.weights = wnan;
    ck_assert_status(mlc_make_classification(&p, &d), MLC_ENONFINITE);
    p.weights = wover;
    p.n_weights = 1; /* n_classes - 1, but the last class would get -0.2 */
    ck_assert_status(mlc_make_classification(&p, &d), MLC_EINVAL);
    ck_assert_ptr_null(d.X.data);
}
END_TEST

/* ---- edge cases -------------------------------------------------------- */

START_TEST(generators_tiny)
{
    mlc_dataset d;
    mlc_blobs_params b = mlc_blobs_params_default();
    b.n_samples = 1;
    b.n_features = 1;
    b.random_state = 0;
    ck_assert_status(mlc_make_blobs(&b, &d, NULL), MLC_OK);
    ck_assert_uint_eq(d.X.rows, 1);
    ck_assert_double_eq(d.y[0], 0.0);
    mlc_dataset_clear(&d);

    mlc_regression_params r = mlc_regression_params_default();
    r.n_samples = 1;
    r.n_features = 1;
    r.n_informative = 5; /* clipped to n_features, as scikit-learn */
    r.random_state = 0;
    double coef;
    ck_assert_status(mlc_make_regression(&r, &d, &coef), MLC_OK);
    ck_assert(coef > 0);
    ck_assert(d.y[0] == d.X.data[0] * coef);
    mlc_dataset_clear(&d);
    r.effective_rank = 1; /* 1 x 1 low-rank matrix: +-1 */
    ck_assert_status(mlc_make_regression(&r, &d, &coef), MLC_OK);
    ck_assert_double_eq_tol(fabs(d.X.data[0]), 1.0, 1e-15);
    mlc_dataset_clear(&d);

    /* One class, one cluster, no useless features. */
    mlc_classification_params c = mlc_classification_params_default();
    c.n_samples = 1;
    c.n_features = 1;
    c.n_informative = 1;
    c.n_redundant = 0;
    c.n_classes = 1;
    c.n_clusters_per_class = 1;
    c.random_state = 0;
    ck_assert_status(mlc_make_classification(&c, &d), MLC_OK);
    ck_assert_double_eq(d.y[0], 0.0);
    mlc_dataset_clear(&d);
    /* More clusters than samples: empty clusters are fine. */
    c = mlc_classification_params_default();
    c.n_samples = 3;
    c.random_state = 0;
    ck_assert_status(mlc_make_classification(&c, &d), MLC_OK);
    ck_assert_uint_eq(d.X.rows, 3);
    mlc_dataset_clear(&d);
}
END_TEST

Suite *mlc_datasets_suite(void)
{
    Suite *s = suite_create("datasets");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, iris_matches);
    tcase_add_test(core, wine_matches);
    tcase_add_test(core, breast_cancer_matches);
    tcase_add_test(core, digits_matches);
    tcase_add_test(core, diabetes_matches);
    tcase_add_test(core, bundled_table);
    tcase_add_test(core, blobs_counts_match_sklearn);
    tcase_add_test(core, blobs_defaults_and_determinism);
    tcase_add_test(core, blobs_means_near_centres);
    tcase_add_test(core, blobs_given_centres_no_shuffle);
    tcase_add_test(core, regression_y_is_x_coef_plus_bias);
    tcase_add_test(core, regression_noise_shuffle_and_determinism);
    tcase_add_test(core, regression_low_rank_profile);
    tcase_add_test(core, classification_counts_match_sklearn);
    tcase_add_test(core, classification_defaults);
    tcase_add_test(core, classification_feature_structure);
    tcase_add_test(core, classification_shuffle_is_a_permutation);
    tcase_add_test(core, classification_flip_y);
    tcase_add_test(core, classification_shift_scale);
    tcase_add_test(core, classification_many_informative_and_no_hypercube);
    suite_add_tcase(s, core);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, bundled_errors);
    tcase_add_test(errors, malformed_files);
    tcase_add_test(errors, blobs_errors);
    tcase_add_test(errors, regression_errors);
    tcase_add_test(errors, classification_errors);
    suite_add_tcase(s, errors);

    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, parser_accepts_crlf_and_blank_lines);
    tcase_add_test(edge, generators_tiny);
    suite_add_tcase(s, edge);
    return s;
}
