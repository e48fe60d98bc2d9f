/* The registry: parameter tables, the generic estimator, model files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "registry/estimator_impl.h"
#include "test_util.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mlc_registry_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *tmpfile_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static mlc_matrix sample_X(void)
{
    mlc_matrix X;
    ck_assert_int_eq(mlc_matrix_alloc(&X, 20, 3), MLC_OK);
    for (size_t i = 0; i < 20; i++)
        for (size_t j = 0; j < 3; j++)
            MLC_AT(&X, i, j) = sin((double)(i * 3 + j)) * (double)(j + 1) * 10.0 + (double)j;
    return X;
}

START_TEST(registry_lists_estimators)
{
    ck_assert_uint_ge(mlc_registry_count(), 2);
    int found = 0;
    for (size_t i = 0; mlc_registry_name(i); i++)
        found += strcmp(mlc_registry_name(i), "standard_scaler") == 0;
    ck_assert_int_eq(found, 1);
    ck_assert_ptr_null(mlc_registry_name(mlc_registry_count()));
    mlc_task task;
    const char *summary;
    size_t np;
    ck_assert_status(mlc_registry_lookup("min_max_scaler", &task, &summary, &np), MLC_OK);
    ck_assert_int_eq(task, MLC_TASK_TRANSFORMER);
    ck_assert_uint_eq(np, 4);
    const mlc_param_info *pi = mlc_registry_param("min_max_scaler", 2);
    ck_assert_str_eq(pi->name, "clip");
    ck_assert_str_eq(pi->default_text, "false");
    ck_assert_ptr_null(mlc_registry_param("min_max_scaler", 4));
    ck_assert_status(mlc_registry_lookup("no_such_model", NULL, NULL, NULL), MLC_ENOTFOUND);
    ck_assert(strstr(mlc_last_error_message(), "standard_scaler") != NULL);
    ck_assert_str_eq(mlc_task_name(MLC_TASK_CLUSTERER), "clusterer");
    ck_assert_str_eq(mlc_output_name(MLC_OUT_PROBA), "predict_proba");
}
END_TEST

/* A synthetic table exercising every parameter type. */
typedef struct demo_params {
    double alpha;
    long max_iter;
    int flag;
    int kind;
    mlc_real_or_choice gamma;
    mlc_int_or_choice n_init;
    mlc_real_list alphas;
} demo_params;

static const mlc_param_info demo_table[] = {
    MLC_P_REAL_OPEN(demo_params, alpha, "1", 0, 1, INFINITY, 0, "alpha"),
    MLC_P_INT(demo_params, max_iter, "100", 1, 1e9, "iterations"),
    MLC_P_BOOL(demo_params, flag, "false", "flag"),
    MLC_P_CHOICE(demo_params, kind, "lloyd", "lloyd|elkan|hamerly", "algorithm"),
    MLC_P_REAL_OR_CHOICE(demo_params, gamma, "scale", 0, INFINITY, "scale|auto", "gamma"),
    MLC_P_INT_OR_CHOICE(demo_params, n_init, "auto", 1, 1e6, "auto", "restarts"),
    MLC_P_REAL_LIST(demo_params, alphas, "0.1,1,10", 0, INFINITY, "grid"),
};

START_TEST(param_parse_every_type)
{
    demo_params *p = calloc(1, sizeof *p);
    const mlc_param_info *t = demo_table;
    char buf[256];
    ck_assert_status(mlc_param_parse(&t[0], "0.5", p), MLC_OK);
    ck_assert_double_eq(p->alpha, 0.5);
    ck_assert_status(mlc_param_parse(&t[0], "0", p), MLC_EINVAL); /* open lower bound */
    ck_assert(strstr(mlc_last_error_message(), "(0, inf)") != NULL);
    ck_assert_status(mlc_param_parse(&t[0], "abc", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[0], "nan", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[0], "1e999", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[0], "", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[1], "25", p), MLC_OK);
    ck_assert_int_eq(p->max_iter, 25);
    ck_assert_status(mlc_param_parse(&t[1], "2.5", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[1], "0", p), MLC_EINVAL);
    ck_assert(strstr(mlc_last_error_message(), "max_iter must be an integer in [1,") != NULL);
    ck_assert_status(mlc_param_parse(&t[2], "true", p), MLC_OK);
    ck_assert_int_eq(p->flag, 1);
    ck_assert_status(mlc_param_parse(&t[2], "0", p), MLC_OK);
    ck_assert_int_eq(p->flag, 0);
    ck_assert_status(mlc_param_parse(&t[2], "maybe", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[3], "hamerly", p), MLC_OK);
    ck_assert_int_eq(p->kind, 2);
    ck_assert_status(mlc_param_format(&t[3], p, buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "hamerly");
    ck_assert_status(mlc_param_parse(&t[3], "elk", p), MLC_EINVAL);
    ck_assert(strstr(mlc_last_error_message(), "lloyd|elkan|hamerly") != NULL);
    ck_assert_status(mlc_param_parse(&t[4], "auto", p), MLC_OK);
    ck_assert_int_eq(p->gamma.choice, 1);
    ck_assert_status(mlc_param_parse(&t[4], "0.25", p), MLC_OK);
    ck_assert_int_eq(p->gamma.choice, -1);
    ck_assert_double_eq(p->gamma.value, 0.25);
    ck_assert_status(mlc_param_format(&t[4], p, buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "0.25");
    ck_assert_status(mlc_param_parse(&t[4], "-1", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[5], "auto", p), MLC_OK);
    ck_assert_int_eq(p->n_init.choice, 0);
    ck_assert_status(mlc_param_parse(&t[5], "10", p), MLC_OK);
    ck_assert_int_eq(p->n_init.value, 10);
    ck_assert_status(mlc_param_parse(&t[5], "0", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[6], "0.1,1,10", p), MLC_OK);
    ck_assert_uint_eq(p->alphas.n, 3);
    ck_assert_double_eq(p->alphas.v[2], 10.0);
    ck_assert_status(mlc_param_format(&t[6], p, buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "0.10000000000000001,1,10");
    ck_assert_status(mlc_param_parse(&t[6], "1,,2", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[6], "1,2,", p), MLC_EINVAL);
    ck_assert_status(mlc_param_parse(&t[6], "1,-2", p), MLC_EINVAL);
    ck_assert_uint_eq(p->alphas.n, 3); /* a rejected value leaves the old one */
    free(p);
}
END_TEST

START_TEST(estimator_set_get_clone)
{
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("min_max_scaler", &e), MLC_OK);
    ck_assert_str_eq(mlc_estimator_name(e), "min_max_scaler");
    ck_assert_int_eq(mlc_estimator_task(e), MLC_TASK_TRANSFORMER);
    char buf[64];
    ck_assert_status(mlc_estimator_get(e, "feature_range_max", buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "1");
    ck_assert_status(mlc_estimator_set(e, "feature_range_max", "5"), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "clip", "yes"), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "nope", "1"), MLC_ENOTFOUND);
    ck_assert(strstr(mlc_last_error_message(), "feature_range_min") != NULL);
    ck_assert_status(mlc_estimator_set(e, "clip", "perhaps"), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set_matrix(e, "clip", NULL), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set_threads(e, -1), MLC_EINVAL);
    ck_assert_status(mlc_estimator_set_threads(e, 1), MLC_OK);
    mlc_estimator *c = NULL;
    ck_assert_status(mlc_estimator_clone(e, &c), MLC_OK);
    ck_assert_status(mlc_estimator_get(c, "clip", buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "true");
    ck_assert_status(mlc_estimator_get(c, "n_threads", buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "1");
    ck_assert(!mlc_estimator_is_fitted(c));
    mlc_estimator_free(c);
    mlc_estimator_free(e);
    mlc_estimator_free(NULL);
    ck_assert_status(mlc_estimator_new("bogus", &e), MLC_ENOTFOUND);
    ck_assert_ptr_null(e);
}
END_TEST

START_TEST(estimator_fit_outputs)
{
    mlc_matrix X = sample_X();
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("standard_scaler", &e), MLC_OK);
    mlc_matrix out;
    ck_assert_int_eq(mlc_matrix_alloc(&out, X.rows, X.cols), MLC_OK);
    ck_assert_status(mlc_estimator_transform(e, &X, &out), MLC_ENOTFITTED);
    ck_assert_status(mlc_estimator_save(e, "/tmp/never.json"), MLC_ENOTFITTED);
    ck_assert_status(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    ck_assert(mlc_estimator_is_fitted(e));
    ck_assert_uint_eq(mlc_estimator_n_features(e), 3);
    ck_assert_uint_eq(mlc_estimator_output_cols(e, MLC_OUT_TRANSFORM), 3);
    ck_assert_uint_eq(mlc_estimator_output_cols(e, MLC_OUT_PREDICT), 0);
    ck_assert_status(mlc_estimator_transform(e, &X, &out), MLC_OK);
    /* The generic face gives exactly the typed API's result. */
    mlc_standard_scaler_params p = mlc_standard_scaler_params_default();
    mlc_standard_scaler *typed;
    ck_assert_int_eq(mlc_standard_scaler_fit(&p, &X, NULL, &typed), MLC_OK);
    mlc_matrix out2;
    ck_assert_int_eq(mlc_matrix_alloc(&out2, X.rows, X.cols), MLC_OK);
    ck_assert_int_eq(mlc_standard_scaler_transform(typed, &X, &out2), MLC_OK);
    ck_assert_mem_eq(out.data, out2.data, X.rows * X.cols * sizeof(double));
    mlc_standard_scaler_free(typed);
    double pred[20];
    ck_assert_status(mlc_estimator_predict(e, &X, pred), MLC_EUNSUPPORTED);
    double score;
    ck_assert_status(mlc_estimator_score(e, &X, NULL, &score), MLC_EUNSUPPORTED);
    mlc_attribute a;
    ck_assert_status(mlc_estimator_attribute(e, "scale_", &a), MLC_OK);
    ck_assert_int_eq(a.ndim, 1);
    ck_assert_uint_eq(a.shape[0], 3);
    ck_assert_uint_eq(mlc_attribute_size(&a), 3);
    ck_assert_status(mlc_estimator_attribute(e, "coef_", &a), MLC_ENOTFOUND);
    ck_assert_uint_eq(mlc_estimator_attributes(e, NULL, 0), 4);
    /* Wrong width at transform; inverse of the right width works. */
    mlc_matrix narrow = mlc_matrix_submatrix(&X, 0, 0, X.rows, 2);
    ck_assert_status(mlc_estimator_transform(e, &narrow, &out), MLC_EBADLEN);
    ck_assert(strstr(mlc_last_error_message(), "fit on 3") != NULL);
    ck_assert_status(mlc_estimator_output(e, MLC_OUT_INVERSE_TRANSFORM, &out, &out2), MLC_OK);
    ck_assert_close(out2.data, X.data, X.rows * X.cols, 1e-12, "inverse");
    /* Setting a parameter unfits. */
    ck_assert_status(mlc_estimator_set(e, "with_mean", "false"), MLC_OK);
    ck_assert(!mlc_estimator_is_fitted(e));
    /* y given to a transformer of the wrong length. */
    mlc_matrix Y;
    ck_assert_int_eq(mlc_matrix_alloc(&Y, 3, 1), MLC_OK);
    mlc_fit_data d = {&X, &Y, NULL};
    ck_assert_status(mlc_estimator_fit_data(e, &d), MLC_EBADLEN);
    mlc_matrix_clear(&Y);
    mlc_matrix_clear(&out);
    mlc_matrix_clear(&out2);
    mlc_matrix_clear(&X);
    mlc_estimator_free(e);
}
END_TEST

START_TEST(model_round_trip_bit_identical)
{
    make_tmpdir();
    mlc_matrix X = sample_X();
    const char *names[2] = {"standard_scaler", "min_max_scaler"};
    for (int k = 0; k < 2; k++) {
        mlc_estimator *e = NULL, *back = NULL;
        ck_assert_status(mlc_estimator_new(names[k], &e), MLC_OK);
        if (k == 1)
            ck_assert_status(mlc_estimator_set(e, "feature_range_min", "-0.3"), MLC_OK);
        ck_assert_status(mlc_estimator_fit(e, &X, NULL), MLC_OK);
        const char *path = tmpfile_path("model.json");
        ck_assert_status(mlc_estimator_save(e, path), MLC_OK);
        ck_assert_status(mlc_estimator_load(path, &back), MLC_OK);
        ck_assert_str_eq(mlc_estimator_name(back), names[k]);
        char buf[64];
        if (k == 1) {
            ck_assert_status(mlc_estimator_get(back, "feature_range_min", buf, sizeof buf),
                             MLC_OK);
            ck_assert_str_eq(buf, "-0.29999999999999999");
        }
        mlc_matrix a, b;
        ck_assert_int_eq(mlc_matrix_alloc(&a, X.rows, X.cols), MLC_OK);
        ck_assert_int_eq(mlc_matrix_alloc(&b, X.rows, X.cols), MLC_OK);
        ck_assert_status(mlc_estimator_transform(e, &X, &a), MLC_OK);
        ck_assert_status(mlc_estimator_transform(back, &X, &b), MLC_OK);
        ck_assert_mem_eq(a.data, b.data, X.rows * X.cols * sizeof(double));
        /* The wrong estimator is refused. */
        mlc_estimator *other = NULL;
        ck_assert_status(mlc_estimator_load_as(path, names[1 - k], &other), MLC_EFORMAT);
        ck_assert(strstr(mlc_last_error_message(), names[k]) != NULL);
        ck_assert_ptr_null(other);
        mlc_matrix_clear(&a);
        mlc_matrix_clear(&b);
        mlc_estimator_free(e);
        mlc_estimator_free(back);
    }
    mlc_matrix_clear(&X);
    remove_tmpdir();
}
END_TEST

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Arrays are compact (a vector on one line, a matrix one row per line),
 * reals in their shortest round-trip form; saving again gives the same
 * bytes, and a file laid out one number per line (as earlier versions
 * wrote) loads to the same model. */
START_TEST(model_files_are_compact)
{
    make_tmpdir();
    mlc_dataset iris;
    ck_assert_status(mlc_load_iris(&iris), MLC_OK);
    mlc_estimator *e = NULL, *back = NULL, *old = NULL;
    ck_assert_status(mlc_estimator_new("kmeans", &e), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "random_state", "0"), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &iris.X, NULL), MLC_OK);
    const char *path = tmpfile_path("km.json");
    ck_assert_status(mlc_estimator_save(e, path), MLC_OK);
    size_t len, len2;
    char *text = read_all(path, &len);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    ck_assert_msg(lines < 40, "%zu lines for a 150-row k-means model", lines);
    const char *labels = strstr(text, "\"labels_\": [");
    ck_assert_ptr_nonnull(labels);
    const char *eol = strchr(labels, ']');
    size_t commas = 0;
    for (const char *c = labels; c < eol; c++)
        commas += *c == ',';
    ck_assert_ptr_nonnull(eol);
    size_t newlines = 0;
    for (const char *c = labels; c < eol; c++)
        newlines += *c == '\n';
    ck_assert_uint_eq(newlines, 0);
    ck_assert_uint_eq(commas, 149); /* all 150 labels on one line */
    ck_assert_ptr_nonnull(strstr(text, "\"tol\": 0.0001\n"));
    ck_assert_status(mlc_estimator_load(path, &back), MLC_OK);
    const char *path2 = tmpfile_path("km2.json");
    ck_assert_status(mlc_estimator_save(back, path2), MLC_OK);
    char *text2 = read_all(path2, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_mem_eq(text, text2, len);
    /* One value per line: the layout jansson's JSON_INDENT(1) writes. */
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    ck_assert_ptr_nonnull(doc);
    char *tall = json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    const char *path3 = tmpfile_path("km_tall.json");
    write_text(path3, tall);
    ck_assert_status(mlc_estimator_load(path3, &old), MLC_OK);
    double a[150], b[150];
    ck_assert_status(mlc_estimator_predict(e, &iris.X, a), MLC_OK);
    ck_assert_status(mlc_estimator_predict(old, &iris.X, b), MLC_OK);
    ck_assert_mem_eq(a, b, sizeof a);
    free(tall);
    json_decref(doc);
    free(text);
    free(text2);
    mlc_estimator_free(e);
    mlc_estimator_free(back);
    mlc_estimator_free(old);
    mlc_dataset_clear(&iris);
    remove_tmpdir();
}
END_TEST

/* Each corrupt file gives its status and names the problem. */
static void expect_load_error(const char *text, int status, const char *needle)
{
    const char *path = tmpfile_path("bad.json");
    write_text(path, text);
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_load(path, &e), status);
    ck_assert_ptr_null(e);
    ck_assert_msg(strstr(mlc_last_error_message(), needle) != NULL, "message '%s' lacks '%s'",
                  mlc_last_error_message(), needle);
}

START_TEST(model_file_errors)
{
    make_tmpdir();
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_load(tmpfile_path("missing.json"), &e), MLC_EIO);
    const char *good =
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{\"with_mean\":true},"
        "\"attributes\":{\"mean_\":[1,2],\"var_\":[1,4],\"scale_\":[1,2],"
        "\"n_samples_seen_\":5}}";
    const char *path = tmpfile_path("good.json");
    write_text(path, good);
    ck_assert_status(mlc_estimator_load(path, &e), MLC_OK);
    mlc_estimator_free(e);
    expect_load_error("{\"format\": \"mlcore-model\", \"vers", MLC_EFORMAT, "line 1");
    expect_load_error("[1,2,3]", MLC_EFORMAT, "not an mlcore model");
    expect_load_error("{\"format\":\"other\"}", MLC_EFORMAT, "not an mlcore model");
    expect_load_error("{\"format\":\"mlcore-model\",\"version\":99,\"estimator\":\"x\"}",
                      MLC_EVERSION, "version 99");
    expect_load_error("{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"zzz\"}",
                      MLC_EFORMAT, "unknown estimator");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{\"bogus\":1},\"attributes\":{}}",
        MLC_EFORMAT, "bogus");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{\"with_mean\":3.5},"
        "\"attributes\":{}}",
        MLC_EFORMAT, "with_mean");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{},"
        "\"attributes\":{\"mean_\":[1,2],\"var_\":[1,4,5],\"scale_\":[1,2],"
        "\"n_samples_seen_\":5}}",
        MLC_EFORMAT, "var_");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{},"
        "\"attributes\":{\"mean_\":[1,2],\"var_\":[1,4],\"n_samples_seen_\":5}}",
        MLC_EFORMAT, "scale_ is missing");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{},"
        "\"attributes\":{\"mean_\":[1,\"x\"],\"var_\":[1,4],\"scale_\":[1,2],"
        "\"n_samples_seen_\":5}}",
        MLC_EFORMAT, "mean_");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_features_in_\":2,\"n_targets\":1,\"params\":{},"
        "\"attributes\":{\"mean_\":[[1],[2,3]],\"var_\":[1,4],\"scale_\":[1,2],"
        "\"n_samples_seen_\":5}}",
        MLC_EFORMAT, "rectangular");
    expect_load_error(
        "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
        "\"n_targets\":1,\"params\":{},\"attributes\":{}}",
        MLC_EFORMAT, "n_features_in_");
    /* A truncated copy of a real model file. */
    mlc_matrix X = sample_X();
    ck_assert_status(mlc_estimator_new("min_max_scaler", &e), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &X, NULL), MLC_OK);
    const char *real = tmpfile_path("real.json");
    ck_assert_status(mlc_estimator_save(e, real), MLC_OK);
    FILE *f = fopen(real, "r");
    char text[4096];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len / 2] = '\0';
    expect_load_error(text, MLC_EFORMAT, "bad.json");
    ck_assert_status(mlc_estimator_save(e, "/nonexistent-dir/model.json"), MLC_EIO);
    mlc_estimator_free(e);
    mlc_matrix_clear(&X);
    remove_tmpdir();
}
END_TEST

START_TEST(nonfinite_attributes_round_trip)
{
    /* Non-finite values are stored as strings and read back. */
    make_tmpdir();
    const char *path = tmpfile_path("nf.json");
    write_text(path,
               "{\"format\":\"mlcore-model\",\"version\":1,\"estimator\":\"standard_scaler\","
               "\"n_features_in_\":2,\"n_targets\":1,\"params\":{},"
               "\"attributes\":{\"mean_\":[\"nan\",\"-inf\"],\"var_\":[1,4],\"scale_\":[1,2],"
               "\"n_samples_seen_\":5}}");
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_load(path, &e), MLC_OK);
    mlc_attribute a;
    ck_assert_status(mlc_estimator_attribute(e, "mean_", &a), MLC_OK);
    ck_assert(isnan(mlc_attribute_value(&a, 0)));
    ck_assert(isinf(mlc_attribute_value(&a, 1)));
    ck_assert_status(mlc_estimator_save(e, tmpfile_path("nf2.json")), MLC_OK);
    mlc_estimator *b = NULL;
    ck_assert_status(mlc_estimator_load(tmpfile_path("nf2.json"), &b), MLC_OK);
    mlc_estimator_free(b);
    mlc_estimator_free(e);
    remove_tmpdir();
}
END_TEST

/* Found by the model-file fuzz target: a classifier's file claiming two
 * targets made score read twice the rows of y it was given. */
START_TEST(model_file_classifier_with_two_targets)
{
    mlc_estimator *e = NULL;
    int st = mlc_estimator_load(MLC_FIXTURE_DIR
                                "/../fuzz/regressions/model/classifier_two_targets.json",
                                &e);
    ck_assert_int_eq(st, MLC_EFORMAT);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "n_targets is 2 but a classifier"));
}
END_TEST

Suite *mlc_registry_suite(void)
{
    Suite *s = suite_create("registry");
    TCase *core = tcase_create("core");
    tcase_add_test(core, registry_lists_estimators);
    tcase_add_test(core, param_parse_every_type);
    tcase_add_test(core, estimator_set_get_clone);
    tcase_add_test(core, model_files_are_compact);
    tcase_add_test(core, estimator_fit_outputs);
    tcase_add_test(core, model_round_trip_bit_identical);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, model_file_errors);
    tcase_add_test(errors, model_file_classifier_with_two_targets);
    suite_add_tcase(s, errors);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, nonfinite_attributes_round_trip);
    suite_add_tcase(s, edge);
    return s;
}
