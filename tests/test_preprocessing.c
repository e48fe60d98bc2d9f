/* StandardScaler, MinMaxScaler and train_test_split against scikit-learn. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"

static json_t *fx;
static mlc_matrix X, Xnew;
static double *sw;

static void setup(void)
{
    fx = fx_load("preprocessing");
    X = fx_matrix(fx, "X");
    Xnew = fx_matrix(fx, "Xnew");
    sw = fx_doubles(fx, "sw", NULL, NULL);
}

static void teardown(void)
{
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Xnew);
    free(sw);
    json_decref(fx);
}

static void check_against(const double *got, const char *key, size_t n, double tol)
{
    size_t r, c;
    double *want = fx_doubles(fx, key, &r, &c);
    ck_assert_uint_eq(r * c, n);
    /* Values below 1e-15 (a constant column's variance) compare absolutely. */
    ck_assert_close_floor(got, want, n, tol, 1e-15, key);
    free(want);
}

START_TEST(standard_scaler_matches)
{
    mlc_standard_scaler_params p = mlc_standard_scaler_params_default();
    mlc_standard_scaler *m = NULL;
    ck_assert_status(mlc_standard_scaler_fit(&p, &X, NULL, &m), MLC_OK);
    size_t d = X.cols;
    check_against(mlc_standard_scaler_mean(m), "ss_mean", d, 1e-14);
    check_against(mlc_standard_scaler_var(m), "ss_var", d, 1e-12);
    check_against(mlc_standard_scaler_scale(m), "ss_scale", d, 1e-12);
    mlc_matrix out;
    ck_assert_int_eq(mlc_matrix_alloc(&out, X.rows, d), MLC_OK);
    ck_assert_status(mlc_standard_scaler_transform(m, &X, &out), MLC_OK);
    size_t r, c;
    double *want = fx_doubles(fx, "ss_transform", &r, &c);
    ck_assert_close_floor(out.data, want, r * c, 1e-12, 1.0, "ss_transform");
    free(want);
    /* inverse_transform undoes transform. */
    mlc_matrix back;
    ck_assert_int_eq(mlc_matrix_alloc(&back, X.rows, d), MLC_OK);
    ck_assert_status(mlc_standard_scaler_inverse_transform(m, &out, &back), MLC_OK);
    ck_assert_close(back.data, X.data, X.rows * d, 1e-12, "inverse_transform");
    mlc_matrix_clear(&out);
    mlc_matrix_clear(&back);
    mlc_standard_scaler_free(m);
}
END_TEST

START_TEST(standard_scaler_constant_and_weighted)
{
    mlc_standard_scaler_params p = mlc_standard_scaler_params_default();
    mlc_standard_scaler *m = NULL;
    ck_assert_status(mlc_standard_scaler_fit(&p, &X, sw, &m), MLC_OK);
    size_t d = X.cols;
    check_against(mlc_standard_scaler_mean(m), "ssw_mean", d, 1e-13);
    check_against(mlc_standard_scaler_var(m), "ssw_var", d, 1e-11);
    check_against(mlc_standard_scaler_scale(m), "ssw_scale", d, 1e-11);
    /* The constant column (3) gets scale 1, as scikit-learn. */
    ck_assert_double_eq(mlc_standard_scaler_scale(m)[3], 1.0);
    mlc_standard_scaler_free(m);

    mlc_matrix out;
    ck_assert_int_eq(mlc_matrix_alloc(&out, Xnew.rows, d), MLC_OK);
    p.with_mean = 0;
    ck_assert_status(mlc_standard_scaler_fit(&p, &X, NULL, &m), MLC_OK);
    ck_assert_status(mlc_standard_scaler_transform(m, &Xnew, &out), MLC_OK);
    check_against(out.data, "ss_nomean_transform", Xnew.rows * d, 1e-12);
    mlc_standard_scaler_free(m);
    p.with_mean = 1;
    p.with_std = 0;
    ck_assert_status(mlc_standard_scaler_fit(&p, &X, NULL, &m), MLC_OK);
    ck_assert_status(mlc_standard_scaler_transform(m, &Xnew, &out), MLC_OK);
    check_against(out.data, "ss_nostd_transform", Xnew.rows * d, 1e-12);
    mlc_standard_scaler_free(m);
    mlc_matrix_clear(&out);
}
END_TEST

START_TEST(min_max_scaler_matches)
{
    mlc_min_max_scaler_params p = mlc_min_max_scaler_params_default();
    mlc_min_max_scaler *m = NULL;
    ck_assert_status(mlc_min_max_scaler_fit(&p, &X, &m), MLC_OK);
    size_t d = X.cols;
    check_against(mlc_min_max_scaler_data_min(m), "mm_data_min", d, 0);
    check_against(mlc_min_max_scaler_data_max(m), "mm_data_max", d, 0);
    check_against(mlc_min_max_scaler_scale(m), "mm_scale", d, 1e-14);
    check_against(mlc_min_max_scaler_min(m), "mm_min", d, 1e-14);
    mlc_matrix out, back;
    ck_assert_int_eq(mlc_matrix_alloc(&out, Xnew.rows, d), MLC_OK);
    ck_assert_int_eq(mlc_matrix_alloc(&back, Xnew.rows, d), MLC_OK);
    ck_assert_status(mlc_min_max_scaler_transform(m, &Xnew, &out), MLC_OK);
    check_against(out.data, "mm_transform_new", Xnew.rows * d, 1e-12);
    ck_assert_status(mlc_min_max_scaler_inverse_transform(m, &out, &back), MLC_OK);
    ck_assert_close(back.data, Xnew.data, Xnew.rows * d, 1e-9, "inverse_transform");
    mlc_min_max_scaler_free(m);

    p.feature_range_min = -2;
    p.feature_range_max = 3;
    p.clip = 1;
    ck_assert_status(mlc_min_max_scaler_fit(&p, &X, &m), MLC_OK);
    ck_assert_status(mlc_min_max_scaler_transform(m, &Xnew, &out), MLC_OK);
    check_against(out.data, "mmr_transform_new", Xnew.rows * d, 1e-12);
    mlc_min_max_scaler_free(m);
    mlc_matrix_clear(&out);
    mlc_matrix_clear(&back);
}
END_TEST

START_TEST(scaler_errors)
{
    mlc_standard_scaler_params p = mlc_standard_scaler_params_default();
    mlc_standard_scaler *m = NULL;
    ck_assert_status(mlc_standard_scaler_fit(&p, NULL, NULL, &m), MLC_EINVAL);
    mlc_matrix empty = mlc_matrix_wrap(X.data, 0, X.cols, 0);
    ck_assert_status(mlc_standard_scaler_fit(&p, &empty, NULL, &m), MLC_EEMPTY);
    double bad[4] = {1, 2, NAN, 4};
    mlc_matrix B = mlc_matrix_wrap(bad, 2, 2, 0);
    ck_assert_status(mlc_standard_scaler_fit(&p, &B, NULL, &m), MLC_ENONFINITE);
    ck_assert_ptr_null(m);
    bad[2] = INFINITY;
    ck_assert_status(mlc_standard_scaler_fit(&p, &B, NULL, &m), MLC_ENONFINITE);
    double w[2] = {1, -1};
    bad[2] = 3;
    ck_assert_status(mlc_standard_scaler_fit(&p, &B, w, &m), MLC_EINVAL);
    ck_assert_status(mlc_standard_scaler_fit(&p, &X, NULL, &m), MLC_OK);
    mlc_matrix out;
    ck_assert_int_eq(mlc_matrix_alloc(&out, 2, 2), MLC_OK);
    ck_assert_status(mlc_standard_scaler_transform(m, &B, &out), MLC_EBADLEN);
    ck_assert(strstr(mlc_last_error_message(), "columns") != NULL);
    mlc_matrix wrong_out;
    ck_assert_int_eq(mlc_matrix_alloc(&wrong_out, 3, X.cols), MLC_OK);
    ck_assert_status(mlc_standard_scaler_transform(m, &Xnew, &wrong_out), MLC_EBADLEN);
    mlc_standard_scaler_free(m);
    mlc_standard_scaler_free(NULL);

    mlc_min_max_scaler_params q = mlc_min_max_scaler_params_default();
    q.feature_range_min = 1;
    q.feature_range_max = 1;
    mlc_min_max_scaler *mm = NULL;
    ck_assert_status(mlc_min_max_scaler_fit(&q, &X, &mm), MLC_EINVAL);
    ck_assert_ptr_null(mm);
    mlc_min_max_scaler_free(NULL);
    mlc_matrix_clear(&out);
    mlc_matrix_clear(&wrong_out);
}
END_TEST

START_TEST(scaler_edge_single_row)
{
    double one[3] = {1, -2, 3};
    mlc_matrix R = mlc_matrix_wrap(one, 1, 3, 0);
    mlc_standard_scaler_params p = mlc_standard_scaler_params_default();
    mlc_standard_scaler *m = NULL;
    ck_assert_status(mlc_standard_scaler_fit(&p, &R, NULL, &m), MLC_OK);
    double o[3];
    mlc_matrix O = mlc_matrix_wrap(o, 1, 3, 0);
    ck_assert_status(mlc_standard_scaler_transform(m, &R, &O), MLC_OK);
    for (int j = 0; j < 3; j++)
        ck_assert_double_eq(o[j], 0.0);
    mlc_standard_scaler_free(m);
    /* A strided view is read through its stride. */
    double wide[6] = {1, 100, 2, 100, 3, 100};
    mlc_matrix V = mlc_matrix_wrap(wide, 3, 1, 2);
    ck_assert_status(mlc_standard_scaler_fit(&p, &V, NULL, &m), MLC_OK);
    ck_assert_double_eq_tol(mlc_standard_scaler_mean(m)[0], 2.0, 1e-15);
    mlc_standard_scaler_free(m);
}
END_TEST

START_TEST(split_sizes_and_order)
{
    mlc_split_params p = mlc_split_params_default();
    p.random_state = 3;
    size_t *tr, *te, ntr, nte;
    ck_assert_status(mlc_train_test_split(&p, 11, &tr, &ntr, &te, &nte), MLC_OK);
    ck_assert_uint_eq(ntr, 8); /* ceil(0.25 * 11) = 3 test rows, as scikit-learn */
    ck_assert_uint_eq(nte, 3);
    int seen[11] = {0};
    for (size_t i = 0; i < ntr; i++)
        seen[tr[i]]++;
    for (size_t i = 0; i < nte; i++)
        seen[te[i]]++;
    for (int i = 0; i < 11; i++)
        ck_assert_int_eq(seen[i], 1);
    /* Same seed, same split. */
    size_t *tr2, *te2, ntr2, nte2;
    ck_assert_status(mlc_train_test_split(&p, 11, &tr2, &ntr2, &te2, &nte2), MLC_OK);
    ck_assert_mem_eq(tr, tr2, ntr * sizeof *tr);
    ck_assert_mem_eq(te, te2, nte * sizeof *te);
    free(tr);
    free(te);
    free(tr2);
    free(te2);
    p.shuffle = 0;
    p.test_size = 4;
    ck_assert_status(mlc_train_test_split(&p, 10, &tr, &ntr, &te, &nte), MLC_OK);
    ck_assert_uint_eq(nte, 4);
    for (size_t i = 0; i < ntr; i++)
        ck_assert_uint_eq(tr[i], i);
    ck_assert_uint_eq(te[0], 6);
    free(tr);
    free(te);
}
END_TEST

START_TEST(split_stratified)
{
    double y[40];
    for (int i = 0; i < 40; i++)
        y[i] = i < 32 ? 0 : 1; /* 80% / 20%: 8 + 2 test rows exactly */
    mlc_split_params p = mlc_split_params_default();
    p.random_state = 1;
    p.stratify = y;
    size_t *tr, *te, ntr, nte;
    ck_assert_status(mlc_train_test_split(&p, 40, &tr, &ntr, &te, &nte), MLC_OK);
    ck_assert_uint_eq(nte, 10);
    int ones = 0;
    for (size_t i = 0; i < nte; i++)
        ones += y[te[i]] == 1;
    ck_assert_int_eq(ones, 2);
    free(tr);
    free(te);
}
END_TEST

START_TEST(split_errors)
{
    mlc_split_params p = mlc_split_params_default();
    size_t *tr, *te, ntr, nte;
    ck_assert_status(mlc_train_test_split(&p, 1, &tr, &ntr, &te, &nte), MLC_EEMPTY);
    p.test_size = 0;
    ck_assert_status(mlc_train_test_split(&p, 10, &tr, &ntr, &te, &nte), MLC_EINVAL);
    p.test_size = 10;
    ck_assert_status(mlc_train_test_split(&p, 10, &tr, &ntr, &te, &nte), MLC_EINVAL);
    p.test_size = 2.5;
    ck_assert_status(mlc_train_test_split(&p, 10, &tr, &ntr, &te, &nte), MLC_EINVAL);
    double y[4] = {0, 0, 0, 1};
    p.test_size = 0.5;
    p.stratify = y;
    ck_assert_status(mlc_train_test_split(&p, 4, &tr, &ntr, &te, &nte), MLC_EINVAL);
    double yf[4] = {0, 0.5, 1, 1};
    p.stratify = yf;
    ck_assert_status(mlc_train_test_split(&p, 4, &tr, &ntr, &te, &nte), MLC_EINVAL);
    ck_assert_status(mlc_train_test_split(NULL, 4, &tr, &ntr, &te, &nte), MLC_EINVAL);
}
END_TEST

Suite *mlc_preprocessing_suite(void)
{
    Suite *s = suite_create("preprocessing");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, standard_scaler_matches);
    tcase_add_test(core, standard_scaler_constant_and_weighted);
    tcase_add_test(core, min_max_scaler_matches);
    tcase_add_test(core, split_sizes_and_order);
    tcase_add_test(core, split_stratified);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, scaler_errors);
    tcase_add_test(errors, split_errors);
    suite_add_tcase(s, errors);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, scaler_edge_single_row);
    suite_add_tcase(s, edge);
    return s;
}
