/* End-to-end tests of the mlcore command: each TCase is its own ctest case
 * (CK_RUN_CASE selects it, see tests/cli.cmake). The binary under test is
 * MLC_CLI_PATH. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_util.h"

static char dir[64];
static char out_text[1 << 16];
static char err_text[1 << 16];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/mlc_cli_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *path_in(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* Run `mlcore ARGS` (a shell word list); returns the exit status and keeps
 * stdout/stderr in out_text/err_text. */
static int run(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd %s && %s %s > %s/stdout 2> %s/stderr", dir, MLC_CLI_PATH, args,
             dir, dir);
    int st = system(cmd);
    slurp(path_in("stdout"), out_text, sizeof out_text);
    slurp(path_in("stderr"), err_text, sizeof err_text);
    ck_assert_msg(WIFEXITED(st), "mlcore %s did not exit normally", args);
    return WEXITSTATUS(st);
}

#define ck_run(args, code)                                                                 \
    do {                                                                                   \
        int rc_ = run(args);                                                               \
        ck_assert_msg(rc_ == (code), "mlcore %s exited %d, expected %d; stderr: %s", args, \
                      rc_, (code), err_text);                                              \
    } while (0)

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path_in(name), "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(version_and_help)
{
    ck_run("--version", 0);
    ck_assert(strstr(out_text, MLC_VERSION_STRING) != NULL);
    ck_run("--help", 0);
    ck_assert(strstr(out_text, "usage: mlcore") != NULL);
    ck_run("", 2);
    ck_run("estimators", 0);
    ck_assert(strstr(out_text, "standard_scaler") != NULL);
    ck_run("estimators min_max_scaler", 0);
    ck_assert(strstr(out_text, "feature_range_min") != NULL);
    ck_run("fit standard_scaler --help", 0);
    ck_assert(strstr(out_text, "with_mean") != NULL);
    ck_run("datasets", 0);
    ck_assert(strstr(out_text, "breast_cancer") != NULL);
    ck_run("datasets iris --out iris.csv --quiet", 0);
    mlc_table t;
    ck_assert_int_eq(mlc_csv_read(path_in("iris.csv"), &t), MLC_OK);
    ck_assert_uint_eq(t.data.rows, 150);
    ck_assert_uint_eq(t.data.cols, 5);
    ck_assert_int_eq(mlc_table_column(&t, "target"), 4);
    mlc_table_clear(&t);
}
END_TEST

/* Data for an estimator of this task: the bundled set and whether it has y. */
static const char *data_for(mlc_task task)
{
    return task == MLC_TASK_REGRESSOR ? "diabetes" : "iris";
}

/* Every registered estimator: fit and save from the shell, predict from the
 * shell, and the file equals the library's own predictions bit for bit. */
START_TEST(every_estimator_round_trip)
{
    for (size_t i = 0; mlc_registry_name(i); i++) {
        const char *name = mlc_registry_name(i);
        mlc_task task;
        ck_assert_int_eq(mlc_registry_lookup(name, &task, NULL, NULL), MLC_OK);
        char args[512];
        snprintf(args, sizeof args, "fit %s --data %s --model m.json --json --quiet", name,
                 data_for(task));
        ck_run(args, 0);
        json_error_t jerr;
        json_t *j = json_loads(out_text, 0, &jerr);
        ck_assert_msg(j != NULL, "fit --json of %s is not JSON: %s", name, jerr.text);
        ck_assert_str_eq(json_string_value(json_object_get(j, "estimator")), name);
        ck_assert(json_is_number(json_object_get(j, "fit_time")));
        ck_assert(json_is_object(json_object_get(j, "params")));
        json_decref(j);

        mlc_estimator *e = NULL;
        ck_assert_int_eq(mlc_estimator_load(path_in("m.json"), &e), MLC_OK);
        mlc_output kind = mlc_estimator_output_cols(e, MLC_OUT_PREDICT) ? MLC_OUT_PREDICT
                                                                        : MLC_OUT_TRANSFORM;
        size_t cols = mlc_estimator_output_cols(e, kind);
        if (cols == 0 || kind == MLC_OUT_TRANSFORM) {
            /* Transformers: predict is refused with a usage error. */
            ck_run("predict --model m.json --data iris --out p.csv", 2);
            mlc_estimator_free(e);
            continue;
        }
        snprintf(args, sizeof args, "predict --model m.json --data %s --out p.csv --quiet",
                 data_for(task));
        ck_run(args, 0);
        mlc_dataset ds;
        ck_assert_int_eq(mlc_load_bundled(data_for(task), &ds), MLC_OK);
        mlc_matrix want;
        ck_assert_int_eq(mlc_matrix_alloc(&want, ds.X.rows, cols), MLC_OK);
        ck_assert_int_eq(mlc_estimator_output(e, kind, &ds.X, &want), MLC_OK);
        mlc_table got;
        ck_assert_int_eq(mlc_csv_read(path_in("p.csv"), &got), MLC_OK);
        ck_assert_uint_eq(got.data.rows, ds.X.rows);
        ck_assert_mem_eq(got.data.data, want.data, ds.X.rows * cols * sizeof(double));
        mlc_table_clear(&got);
        snprintf(args, sizeof args, "score --model m.json --data %s --json --quiet",
                 data_for(task));
        if (task == MLC_TASK_OUTLIER) { /* no score of its own, as scikit-learn's */
            ck_run(args, 1);
        } else {
            ck_run(args, 0);
            ck_assert(strstr(out_text, "\"scores\"") != NULL);
        }
        mlc_matrix_clear(&want);
        mlc_dataset_clear(&ds);
        mlc_estimator_free(e);
    }
}
END_TEST

START_TEST(transformer_and_csv_files)
{
    ck_run("datasets wine --out wine.csv --quiet", 0);
    ck_run("fit min_max_scaler --data wine.csv --feature-range-max 2 --model mm.json --quiet", 0);
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_load(path_in("mm.json"), &e), MLC_OK);
    char buf[32];
    ck_assert_int_eq(mlc_estimator_get(e, "feature_range_max", buf, sizeof buf), MLC_OK);
    ck_assert_str_eq(buf, "2");
    ck_assert_uint_eq(mlc_estimator_n_features(e), 13); /* the target column is left out */
    mlc_estimator_free(e);
    /* Clusterers: labels to a file; the target column only scores them. */
    const char *clusterers[2] = {"kmeans --n_clusters 3", "gaussian_mixture --n_components 3"};
    for (int k = 0; k < 2; k++) {
        char args[256];
        snprintf(args, sizeof args,
                 "fit %s --random_state 0 --data wine.csv --labels labels.csv --json --quiet",
                 clusterers[k]);
        ck_run(args, 0);
        ck_assert(strstr(out_text, "adjusted_rand_score") != NULL);
        mlc_table lab;
        ck_assert_int_eq(mlc_csv_read(path_in("labels.csv"), &lab), MLC_OK);
        ck_assert_uint_eq(lab.data.rows, 178);
        ck_assert_int_eq(mlc_table_column(&lab, "label"), 0);
        for (size_t i = 0; i < lab.data.rows; i++)
            ck_assert(lab.data.data[i] >= 0 && lab.data.data[i] <= 2);
        mlc_table_clear(&lab);
    }
    ck_run("fit ridge --data wine.csv --labels labels.csv", 2);
}
END_TEST

/* A classifier's outputs from the command: decision_function (one column
 * per class, per pair, or one), predict_proba with the classes as the
 * header, an outlier detector's score_samples; each the registry's values. */
START_TEST(classifier_outputs)
{
    ck_run("fit svc --data iris --probability true --random_state 0 --model s.json --quiet", 0);
    ck_run("fit svc --data iris --decision_function_shape ovo --model o.json --quiet", 0);
    ck_run("fit one_class_svm --data iris --nu 0.2 --model x.json --quiet", 0);
    const struct {
        const char *model, *flag, *header0;
        mlc_output kind;
        size_t cols;
    } outs[] = {
        {"s.json", "--decision", "0", MLC_OUT_DECISION, 3},
        {"s.json", "--proba", "0", MLC_OUT_PROBA, 3},
        {"o.json", "--decision", "0_vs_1", MLC_OUT_DECISION, 3},
        {"x.json", "--score-samples", "score_samples", MLC_OUT_SCORE_SAMPLES, 1},
        {"x.json", "--decision", "decision_function", MLC_OUT_DECISION, 1},
    };
    mlc_dataset ds;
    ck_assert_int_eq(mlc_load_bundled("iris", &ds), MLC_OK);
    for (size_t k = 0; k < sizeof outs / sizeof outs[0]; k++) {
        char args[256];
        snprintf(args, sizeof args, "predict --model %s --data iris %s --out p.csv --quiet",
                 outs[k].model, outs[k].flag);
        ck_run(args, 0);
        /* The header may be class labels, all numbers, which the reader
         * refuses as a header: split it off and read the rest without. */
        static char text[1 << 16];
        slurp(path_in("p.csv"), text, sizeof text);
        char *body = strchr(text, '\n');
        ck_assert_ptr_nonnull(body);
        *body++ = '\0';
        ck_assert_msg(!strncmp(text, outs[k].header0, strlen(outs[k].header0)) &&
                          strchr(",", text[strlen(outs[k].header0)]),
                      "header %s", text);
        mlc_table got;
        ck_assert_int_eq(mlc_csv_parse_flags(body, strlen(body), "p.csv", MLC_CSV_NO_HEADER,
                                             &got), MLC_OK);
        ck_assert_uint_eq(got.data.cols, outs[k].cols);
        mlc_estimator *e = NULL;
        ck_assert_int_eq(mlc_estimator_load(path_in(outs[k].model), &e), MLC_OK);
        mlc_matrix want;
        ck_assert_int_eq(mlc_matrix_alloc(&want, ds.X.rows, outs[k].cols), MLC_OK);
        ck_assert_int_eq(mlc_estimator_output(e, outs[k].kind, &ds.X, &want), MLC_OK);
        ck_assert_mem_eq(got.data.data, want.data, ds.X.rows * outs[k].cols * sizeof(double));
        mlc_matrix_clear(&want);
        mlc_estimator_free(e);
        mlc_table_clear(&got);
    }
    mlc_dataset_clear(&ds);
    ck_run("predict --model s.json --data iris --proba --decision", 2);
    ck_run("predict --model x.json --data iris --proba", 2); /* no probabilities */
    ck_run("fit svc --data iris --class_weight 0:2,2:", 2);
    ck_run("fit svc --data iris --class_weight 0:2,2:0.5 --quiet", 0);
}
END_TEST

START_TEST(usage_errors)
{
    ck_run("frobnicate", 2);
    ck_assert(strstr(err_text, "unknown command 'frobnicate'") != NULL);
    ck_run("fit", 2);
    ck_run("fit no_such_model --data iris", 2);
    ck_assert(strstr(err_text, "standard_scaler") != NULL); /* lists what exists */
    ck_run("fit standard_scaler --data iris --bogus 3", 2);
    ck_assert(strstr(err_text, "no parameter 'bogus'") != NULL);
    ck_run("fit standard_scaler --data iris --with_mean maybe", 2);
    ck_assert(strstr(err_text, "true or false") != NULL);
    ck_run("fit standard_scaler", 2);
    ck_assert(strstr(err_text, "--data") != NULL);
    ck_run("fit standard_scaler --data iris --threads -2", 2);
    ck_run("fit standard_scaler --data", 2);
    ck_run("predict --data iris", 2);
    ck_assert(strstr(err_text, "--model") != NULL);
    ck_run("datasets nope", 2);
    ck_run("estimators nope", 2);
}
END_TEST

START_TEST(data_errors)
{
    ck_run("fit standard_scaler --data missing.csv", 1);
    ck_assert(strstr(err_text, "missing.csv") != NULL);
    write_file("bad.csv", "a,b\n1,2\n3,x\n");
    ck_run("fit standard_scaler --data bad.csv", 1);
    ck_assert_msg(strstr(err_text, "line 3") != NULL && strstr(err_text, "column 2") != NULL,
                  "message lacks line/column: %s", err_text);
    /* The file is named once: "mlcore: <path>: line 3, ...". */
    const char *named = strstr(err_text, "bad.csv");
    ck_assert_msg(named && !strstr(named + 1, "bad.csv"), "file named twice: %s", err_text);
    write_file("nan.csv", "a,b\n1,2\n3,nan\n");
    ck_run("fit standard_scaler --data nan.csv", 1);
    ck_assert(strstr(err_text, "NaN") != NULL);
    write_file("two.csv", "a,b\n1,2\n3,4\n");
    ck_run("fit standard_scaler --data two.csv --model s.json --quiet", 0);
    ck_run("predict --model s.json --data iris", 1);
    ck_assert_msg(strstr(err_text, "unseen at fit time: 'sepal length (cm)'") &&
                      strstr(err_text, "seen at fit time, yet now missing: 'a', 'b'"),
                  "%s", err_text);
    double two_cols[6] = {1, 2, 3, 4, 5, 7};
    mlc_matrix X2 = mlc_matrix_wrap(two_cols, 3, 2, 0);
    ck_assert_int_eq(mlc_npy_write(path_in("X.npy"), &X2), MLC_OK);
    ck_run("fit standard_scaler --data X.npy --model n.json --quiet", 0);
    ck_run("predict --model n.json --data iris", 1);
    ck_assert(strstr(err_text, "fit on 2") != NULL);
    write_file("corrupt.json", "{\"format\": \"mlcore-model\", ");
    ck_run("predict --model corrupt.json --data two.csv", 1);
    ck_run("fit standard_scaler --data two.csv --target nope", 1);
    ck_assert(strstr(err_text, "nope") != NULL);
}
END_TEST

/* cv with scikit-learn's folds gives scikit-learn's scores. */
static void check_scores(json_t *out, const char *metric, json_t *fx, const char *key)
{
    json_t *m = json_object_get(json_object_get(out, "scores"), metric);
    ck_assert_msg(m != NULL, "no scores for %s", metric);
    json_t *arr = json_object_get(m, "test_scores");
    size_t n;
    double *want = fx_doubles(fx, key, &n, NULL);
    ck_assert_uint_eq(json_array_size(arr), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_double_eq_tol(json_real_value(json_array_get(arr, i)), want[i],
                                1e-10 * fabs(want[i]) + 1e-12);
    free(want);
}

START_TEST(cv_matches_scikit_learn)
{
    json_t *fx = fx_load("cli");
    char args[1024];
    snprintf(args, sizeof args,
             "cv ridge --data iris --alpha 0.5 --fold-file %s --metric r2 "
             "--metric neg_mean_squared_error --metric neg_mean_absolute_error --json --quiet",
             fx_path("cli/iris_folds.csv"));
    ck_run(args, 0);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_msg(out != NULL, "cv --json output is not JSON: %s", jerr.text);
    ck_assert_int_eq(json_integer_value(json_object_get(out, "n_splits")), 5);
    check_scores(out, "r2", fx, "iris_ridge_r2");
    check_scores(out, "neg_mean_squared_error", fx, "iris_ridge_neg_mse");
    check_scores(out, "neg_mean_absolute_error", fx, "iris_ridge_neg_mae");
    json_decref(out);
    /* Default folds: KFold(5) without shuffle for a regressor, as scikit-learn. */
    ck_run("cv lasso --data diabetes --alpha 0.1 --metric r2 --json --quiet", 0);
    out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    check_scores(out, "r2", fx, "diabetes_lasso_r2");
    json_decref(out);
    json_decref(fx);
    /* Every splitter by name runs. */
    const char *splitters[] = {"kfold --shuffle --seed 3", "shuffle_split --test-size 0.3",
                               "leave_one_out", "stratified_kfold",
                               "stratified_shuffle_split --folds 3"};
    for (size_t i = 0; i < sizeof splitters / sizeof *splitters; i++) {
        snprintf(args, sizeof args, "cv ridge --data iris --quiet --splitter %s", splitters[i]);
        ck_run(args, 0);
    }
    ck_run("cv ridge --data iris --splitter nope", 2);
    ck_run("cv ridge --data iris --metric nope", 2);
    ck_assert(strstr(err_text, "r2") != NULL); /* lists the valid names, all of them */
    for (size_t i = 0; i < mlc_scorer_count(); i++)
        ck_assert_msg(strstr(err_text, mlc_scorer_name(i)) != NULL, "%s missing: %s",
                      mlc_scorer_name(i), err_text);
    ck_run("cv ridge --data iris --seed 3", 2);
    ck_run("metrics", 0);
    ck_assert(strstr(out_text, "neg_mean_squared_error") != NULL);
}
END_TEST

START_TEST(grid_search)
{
    ck_run("grid ridge --data diabetes --alpha 0.01,0.1,1,10 --metric r2 --model best.json "
           "--json --quiet", 0);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_msg(out != NULL, "grid --json output is not JSON: %s", jerr.text);
    ck_assert_uint_eq(json_array_size(json_object_get(out, "candidates")), 4);
    const char *best = json_string_value(json_object_get(json_object_get(out, "best_params"),
                                                         "alpha"));
    ck_assert_ptr_nonnull(best);
    json_decref(out);
    mlc_estimator *e = NULL;
    ck_assert_int_eq(mlc_estimator_load(path_in("best.json"), &e), MLC_OK);
    ck_assert_str_eq(mlc_estimator_name(e), "ridge");
    mlc_estimator_free(e);
    ck_run("grid ridge --data diabetes", 2);
    ck_run("grid ridge --data diabetes --alpha 1,-1", 2);
    ck_run("grid ridge --data diabetes --bogus 1,2", 2);
}
END_TEST

/* The progress line: off when stderr is not a terminal, a line per report
 * with --progress (on stderr only: the JSON on stdout is untouched),
 * --no-progress (the last of the two wins); on a terminal one line
 * redrawn with \r and erased before the summary. */
START_TEST(progress_lines)
{
    ck_run("fit svc --data iris", 0);
    ck_assert_ptr_null(strstr(err_text, "pair 1/3"));
    ck_run("fit svc --data iris --progress --json", 0);
    ck_assert_msg(strstr(err_text, "svc: pair 1/3  0%  iter 0  gap ") != NULL, "%s", err_text);
    ck_assert(strstr(err_text, "0:00\n") != NULL);
    ck_assert_ptr_null(strchr(err_text, '\r'));
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_msg(out != NULL, "fit --json output is not JSON: %s", jerr.text);
    json_decref(out);
    ck_run("fit svc --data iris --progress --no-progress", 0);
    ck_assert_ptr_null(strstr(err_text, "pair 1/3"));
    ck_run("fit svc --data iris --no-progress --progress --quiet", 0); /* explicit wins */
    ck_assert(strstr(err_text, "svc: pair 1/3") != NULL);
    /* cv and grid: the split, the candidate, then the fit's own stages (one
     * thread: every fold reports here) */
    ck_run("cv kmeans --data iris --progress --quiet --threads 1", 0);
    ck_assert_msg(strstr(err_text, "kmeans: split 1/5  0%  iter 2/8  potential ") != NULL, "%s",
                  err_text);
    ck_run("grid lasso --data diabetes --alpha 0.1,1 --progress --quiet --threads 1", 0);
    ck_assert_msg(strstr(err_text, "lasso: candidate 1/2, split 1/5  0%  iter 1/1000  change") !=
                      NULL,
                  "%s", err_text);
    /* a terminal (script gives the command one), where it exists */
    if (system("command -v script > /dev/null 2>&1") == 0) {
        char args[512];
        snprintf(args, sizeof args,
                 "script -qec '%s fit kmeans --data iris --n_clusters 3 --init random' "
                 "/dev/null",
                 MLC_CLI_PATH);
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "cd %s && %s > %s/tty 2>&1", dir, args, dir);
        ck_assert_int_eq(system(cmd), 0);
        slurp(path_in("tty"), out_text, sizeof out_text);
        const char *line = strstr(out_text, "\rkmeans: init 1/10  0%  iter 1/300  shift ");
        ck_assert_msg(line != NULL, "%s", out_text);
        const char *summary = strstr(out_text, "fit kmeans on iris");
        ck_assert_ptr_nonnull(summary);
        ck_assert(summary > line && summary[-1] == '\r' && summary[-2] == ' '); /* erased */
    }
}
END_TEST

/* Inputs that used to give a silent wrong answer (issue 24): a first row of
 * numbers taken for a header (--data and array files; --no-header reads
 * them), hexadecimal numbers, repeated column names, a 1-D X, columns in
 * another order than the model's (taken by name now, other names refused),
 * a NaN named by file, line and column, an .npy claiming more than it
 * holds. */
START_TEST(input_rules)
{
    write_file("bare.csv", "1,2,3\n2,1,5\n3,5,14\n4,3,11\n5,8,25\n");
    ck_run("fit linear_regression --data bare.csv --target x2", 1);
    ck_assert_msg(strstr(err_text, "bare.csv: line 1: the first row holds only numbers") &&
                      strstr(err_text, "--no-header"),
                  "%s", err_text);
    ck_run("fit linear_regression --data bare.csv --no-header --target x2 --json --quiet", 0);
    ck_assert_msg(strstr(out_text, "\"n_samples\": 5"), "%s", out_text); /* no row lost */
    /* An array parameter's CSV: refused, read under --no-header. */
    write_file("pts.csv", "a,b\n0,0\n0,1\n9,9\n9,8\n");
    write_file("centres.csv", "0,0.5\n9,8.5\n");
    ck_run("fit kmeans --data pts.csv --n_clusters 2 --n_init 1 --init centres.csv", 1);
    ck_assert_msg(strstr(err_text, "centres.csv: line 1: the first row holds only numbers"), "%s",
                  err_text);
    write_file("pts_bare.csv", "0,0\n0,1\n9,9\n9,8\n");
    ck_run("fit kmeans --data pts_bare.csv --no-header --n_clusters 2 --n_init 1 "
           "--init_centers centres.csv --json --quiet", 0);
    ck_assert_msg(strstr(out_text, "\"n_samples\": 4"), "%s", out_text);

    write_file("hex.csv", "a,b,target\n1,2,3\n4,0x10,6\n");
    ck_run("fit linear_regression --data hex.csv", 1);
    ck_assert_msg(strstr(err_text, "hex.csv: line 3, column 2 ('b'): '0x10' is not a number"),
                  "%s", err_text);
    write_file("comma.csv", "a,b\n\"1,5\",2\n");
    ck_run("fit standard_scaler --data comma.csv", 1);
    ck_assert_msg(strstr(err_text, "line 2, column 1 ('a'): '1,5' is not a number"), "%s",
                  err_text);
    write_file("dup.csv", "a,target,a\n1,2,3\n2,3,4\n");
    ck_run("fit linear_regression --data dup.csv", 1);
    ck_assert_msg(strstr(err_text, "column 3 repeats the name 'a' of column 1"), "%s", err_text);

    double v[4] = {1, 2, 3, 4};
    mlc_matrix one_d = mlc_matrix_wrap(v, 4, 1, 0);
    ck_assert_int_eq(mlc_npy_write_vector(path_in("v.npy"), v, 4), MLC_OK);
    ck_run("fit standard_scaler --data v.npy", 1);
    ck_assert_msg(strstr(err_text, "expected a 2D array, got a 1D array of shape (4,) instead; "
                                   "reshape your data either using array.reshape(-1, 1)"),
                  "%s", err_text);
    ck_assert_int_eq(mlc_npy_write(path_in("col.npy"), &one_d), MLC_OK); /* (4, 1) is fine */
    ck_run("fit standard_scaler --data col.npy --quiet", 0);

    /* Columns in another order: taken by name, the same score. */
    write_file("tr.csv", "a,b,target\n1,2,3\n4,5,6\n7,8,9.5\n2,1,4\n");
    write_file("sw.csv", "target,b,a\n3,2,1\n6,5,4\n9.5,8,7\n4,1,2\n");
    ck_run("fit linear_regression --data tr.csv --model m.json --quiet", 0);
    static char same[256];
    ck_run("score --model m.json --data tr.csv --json", 0);
    snprintf(same, sizeof same, "%s", strstr(out_text, "\"score\": "));
    ck_run("score --model m.json --data sw.csv --json", 0);
    ck_assert_msg(strstr(out_text, same), "%s vs %s", out_text, same);
    write_file("other.csv", "a,c,target\n1,2,3\n");
    ck_run("predict --model m.json --data other.csv", 1);
    ck_assert_msg(strstr(err_text, "unseen at fit time: 'c'; seen at fit time, yet now "
                                   "missing: 'b'"),
                  "%s", err_text);
    /* Without names (--no-header, .npy): by position, with a warning. */
    write_file("tr_bare.csv", "1,2\n4,5\n");
    ck_run("predict --model m.json --data tr_bare.csv --no-header", 0);
    ck_assert_msg(strstr(err_text, "warning: tr_bare.csv has no column names"), "%s", err_text);

    /* A NaN: the file, the line as an editor counts it, the column. */
    write_file("nan.csv", "a,b,target\n1,2,3\n\n4,nan,6\n");
    ck_run("fit linear_regression --data nan.csv", 1);
    ck_assert_msg(strstr(err_text, "nan.csv: line 4, column 2 ('b'): 'nan' is NaN"), "%s",
                  err_text);
    ck_run("predict --model m.json --data nan.csv", 1);
    ck_assert_msg(strstr(err_text, "nan.csv: line 4, column 2 ('b')"), "%s", err_text);

    /* An .npy whose header claims 10^12 rows: truncated, nothing allocated. */
    FILE *f = fopen(path_in("huge.npy"), "wb");
    ck_assert_ptr_nonnull(f);
    static const char head[] = "{'descr': '<f4', 'fortran_order': False, 'shape': "
                               "(1000000000000, 2), }";
    char pre[128];
    memset(pre, ' ', sizeof pre);
    memcpy(pre, "\x93NUMPY\x01\x00\x76\x00", 10);
    memcpy(pre + 10, head, sizeof head - 1);
    pre[127] = '\n';
    fwrite(pre, 1, sizeof pre, f);
    fwrite(v, 1, sizeof v, f);
    fclose(f);
    ck_run("fit standard_scaler --data huge.npy", 1);
    ck_assert_msg(strstr(err_text, "huge.npy: truncated NPY file"), "%s", err_text);
}
END_TEST

/* Array parameters as scikit-learn takes them: k-means' --init FILE (an
 * .npy or a CSV), the same bits as --init_centers; the mixture's
 * precisions_init as a (K, d, d) .npy; wrong shapes named with the shape
 * wanted (exit 1, as any data that does not fit; a value that is neither a
 * keyword nor a file is a usage error, exit 2). */
START_TEST(array_parameters)
{
    char args[2048];
    static char text[1 << 16], other[1 << 16];
    char npy[512]; /* fx_path's buffer is reused */
    snprintf(npy, sizeof npy, "%s", fx_path("kmeans/iris_k3_init.npy"));
    snprintf(args, sizeof args,
             "fit kmeans --data iris --n_clusters 3 --init %s --model a.json --labels la.csv "
             "--quiet", npy);
    ck_run(args, 0);
    snprintf(args, sizeof args, "fit kmeans --data iris --n_clusters 3 --init %s --model b.json "
             "--quiet", fx_path("kmeans/iris_k3_init.csv"));
    ck_run(args, 0);
    snprintf(args, sizeof args, "fit kmeans --data iris --n_clusters 3 --init_centers %s "
             "--model c.json --quiet", npy);
    ck_run(args, 0);
    slurp(path_in("a.json"), text, sizeof text);
    slurp(path_in("b.json"), other, sizeof other);
    ck_assert_str_eq(text, other);
    slurp(path_in("c.json"), other, sizeof other);
    ck_assert_str_eq(text, other);
    /* scikit-learn's labels, and predict from the model file gives them back */
    json_t *km = fx_load("kmeans");
    int32_t *want = fx_ints(json_object_get(json_array_get(json_object_get(km, "cases"), 0),
                                            "lloyd"),
                            "labels", NULL);
    ck_run("predict --model a.json --data iris --out pa.csv --quiet", 0);
    const char *outs[2] = {"la.csv", "pa.csv"};
    for (int f = 0; f < 2; f++) {
        mlc_table t;
        ck_assert_int_eq(mlc_csv_read(path_in(outs[f]), &t), MLC_OK);
        ck_assert_uint_eq(t.data.rows, 150);
        for (size_t i = 0; i < 150; i++)
            ck_assert_msg(t.data.data[i * t.data.cols] == want[i], "%s row %zu", outs[f], i);
        mlc_table_clear(&t);
    }
    free(want);
    json_decref(km);
    /* cross-validation and grid search through the registry */
    json_t *fx = fx_load("cli");
    snprintf(args, sizeof args,
             "cv kmeans --data iris --n_clusters 3 --init %s --json --quiet", npy);
    ck_run(args, 0);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "params"), "init")),
                     "<3 x 4 array>");
    check_scores(out, "score", fx, "iris_kmeans_init_score");
    json_decref(out);
    json_decref(fx);
    snprintf(args, sizeof args,
             "grid kmeans --data iris --n_clusters 3 --init %s,k-means++ --random_state 0 "
             "--json --quiet", npy);
    ck_run(args, 0);
    out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(json_array_size(json_object_get(out, "candidates")), 2);
    json_decref(out);

    /* GaussianMixture: precisions_init as a (K, d, d) array */
    json_t *mx = fx_load("mixture");
    json_t *iris_full = json_array_get(json_object_get(mx, "cases"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(iris_full, "name")), "iris_full");
    char start[3][320];
    static const char *const keys[3] = {"precisions", "weights", "means"};
    for (int k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "mixture/iris_full_%s_init.npy", keys[k]);
        snprintf(start[k], sizeof start[k], "%s", fx_path(name));
    }
    snprintf(args, sizeof args,
             "fit gaussian_mixture --data iris --n_components 3 --covariance_type full "
             "--precisions_init %s --weights_init %s --means_init %s --json --quiet",
             start[0], start[1], start[2]);
    ck_run(args, 0);
    out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    json_t *attrs = json_object_get(out, "attributes");
    ck_assert_int_eq(json_integer_value(json_object_get(attrs, "n_iter_")),
                     (json_int_t)fx_number(iris_full, "n_iter"));
    double lb = json_real_value(json_object_get(attrs, "lower_bound_"));
    double ref_lb = fx_number(iris_full, "lower_bound");
    ck_assert_double_le(fabs(lb - ref_lb), 1e-10 * fabs(ref_lb));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "params"),
                                                       "precisions_init")),
                     "<3 x 4 x 4 array>");
    json_decref(out);
    json_decref(mx);
    snprintf(args, sizeof args,
             "fit gaussian_mixture --data iris --n_components 3 --precisions_init %s --quiet",
             start[0]);
    ck_run(args, 0);

    /* wrong shapes: exit 1, the shape given and scikit-learn's wanted */
    double v[48];
    for (int i = 0; i < 48; i++)
        v[i] = 1.0;
    const size_t s324[3] = {3, 2, 4}, s233[3] = {2, 3, 3}, s344[3] = {3, 4, 4}, s34[2] = {3, 4};
    write_npy_nd(path_in("c324.npy"), v, s324, 3);
    write_npy_nd(path_in("p233.npy"), v, s233, 3);
    write_npy_nd(path_in("p344.npy"), v, s344, 3);
    write_npy_nd(path_in("m34.npy"), v, s34, 2);
    static const struct {
        const char *args, *message;
    } wrong[] = {
        {"fit kmeans --data iris --n_clusters 3 --init c324.npy",
         "init has shape (3, 2, 4) but needs (n_clusters, n_features) = (3, 4)"},
        {"fit kmeans --data iris --init m34.npy",
         "init has shape (3, 4) but needs (n_clusters, n_features) = (8, 4)"},
        {"cv kmeans --data iris --n_clusters 3 --init c324.npy",
         "init has shape (3, 2, 4) but needs (n_clusters, n_features) = (3, 4)"},
        {"fit gaussian_mixture --data iris --n_components 2 --precisions_init p233.npy",
         "precisions_init has shape (2, 3, 3) but covariance_type 'full' needs (n_components, "
         "n_features, n_features) = (2, 4, 4)"},
        {"fit gaussian_mixture --data iris --n_components 3 --covariance_type tied "
         "--precisions_init p344.npy",
         "precisions_init has shape (3, 4, 4) but covariance_type 'tied' needs (n_features, "
         "n_features) = (4, 4)"},
        {"fit gaussian_mixture --data iris --n_components 3 --covariance_type diag "
         "--precisions_init p344.npy",
         "precisions_init has shape (3, 4, 4) but covariance_type 'diag' needs (n_components, "
         "n_features) = (3, 4)"},
        {"fit gaussian_mixture --data iris --n_components 3 --covariance_type spherical "
         "--precisions_init m34.npy",
         "precisions_init has shape (3, 4) but covariance_type 'spherical' needs "
         "(n_components,) = (3,)"},
        {"fit gaussian_mixture --data iris --n_components 3 --weights_init m34.npy",
         "weights_init has shape (3, 4) but needs (n_components,) = (3,)"},
        {"fit gaussian_mixture --data iris --n_components 2 --means_init m34.npy",
         "means_init has shape (3, 4) but needs (n_components, n_features) = (2, 4)"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        ck_run(wrong[i].args, 1);
        ck_assert_msg(strstr(err_text, wrong[i].message) != NULL, "mlcore %s: '%s' lacks '%s'",
                      wrong[i].args, err_text, wrong[i].message);
    }
    /* neither a keyword nor a file: a usage error naming both */
    ck_run("fit kmeans --data iris --init kmeans++", 2);
    ck_assert(strstr(err_text, "k-means++|random") && strstr(err_text, "array file"));
    /* a file that is not an array: the reader's error */
    write_file("text.npy", "not an array\n");
    ck_run("fit kmeans --data iris --init text.npy", 1);
    ck_assert(strstr(err_text, "text.npy") != NULL);
    /* the listing says what init takes */
    ck_run("estimators kmeans", 0);
    ck_assert(strstr(out_text, "k-means++|random or NPY/CSV") != NULL);
}
END_TEST

/* DBSCAN from the command: fit --labels, --metric as its parameter,
 * --scoring for the clustering scores; --metric kept as a scorer where the
 * estimator has no metric parameter. */
START_TEST(dbscan_and_scoring)
{
    /* Two groups of 4 points 0.1 apart, and one point far from both. */
    write_file("pts.csv", "x,y\n0,0\n0,0.1\n0.1,0\n0.1,0.1\n5,5\n5,5.1\n5.1,5\n5.1,5.1\n"
                          "9,0\n");
    ck_run("fit dbscan --data pts.csv --eps 0.3 --min_samples 3 --labels L.csv --model d.json "
           "--quiet", 0);
    char text[4096];
    slurp(path_in("L.csv"), text, sizeof text);
    ck_assert_str_eq(text, "label\n0\n0\n0\n0\n1\n1\n1\n1\n-1\n");
    /* --metric reaches DBSCAN: chebyshev joins the diagonal neighbours of
     * eps 0.1 that euclidean leaves apart. */
    ck_run("fit dbscan --data pts.csv --eps 0.1 --min_samples 4 --labels E.csv --quiet", 0);
    slurp(path_in("E.csv"), text, sizeof text);
    ck_assert_str_eq(text, "label\n-1\n-1\n-1\n-1\n-1\n-1\n-1\n-1\n-1\n");
    ck_run("fit dbscan --data pts.csv --eps 0.1 --min_samples 4 --metric chebyshev "
           "--labels C.csv --json --quiet", 0);
    slurp(path_in("C.csv"), text, sizeof text);
    ck_assert_str_eq(text, "label\n0\n0\n0\n0\n1\n1\n1\n1\n-1\n");
    ck_assert(strstr(out_text, "\"metric\": \"chebyshev\"") != NULL);
    ck_run("fit dbscan --data pts.csv --metric cosine", 2);
    ck_run("fit dbscan --data pts.csv --eps 0", 2);
    ck_run("fit dbscan --data pts.csv --min_samples 0", 2);
    ck_run("fit dbscan --data pts.csv --p 0.5 --metric minkowski", 2);
    ck_run("fit dbscan --data pts.csv --leaf_size 0", 2);
    ck_run("fit dbscan --data pts.csv --metric precomputed", 1); /* 9 x 2 is not square */
    /* fit --scoring: the training labels' scores (DBSCAN has no predict). */
    ck_run("fit dbscan --data pts.csv --eps 0.3 --min_samples 3 --scoring silhouette "
           "--scoring calinski_harabasz --scoring davies_bouldin --json --quiet", 0);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    json_t *scores = json_object_get(out, "scores");
    double sil = json_real_value(json_object_get(scores, "silhouette"));
    ck_assert(sil > 0.5 && sil < 1.0);
    ck_assert(json_real_value(json_object_get(scores, "calinski_harabasz")) > 10);
    ck_assert(json_real_value(json_object_get(scores, "davies_bouldin")) > 0);
    json_decref(out);
    ck_run("fit dbscan --data pts.csv --scoring nope", 2);
    /* score: the model has a metric parameter, so --metric is no scorer;
     * --scoring needs predictions, which DBSCAN has not. */
    ck_run("score --model d.json --data pts.csv --metric silhouette", 2);
    ck_assert(strstr(err_text, "--scoring") != NULL);
    ck_run("score --model d.json --data pts.csv --scoring silhouette", 1);
    /* An estimator without a metric parameter: --metric in fit is an error
     * that names --scoring; in score, cv and grid it is a scorer. */
    ck_run("fit ridge --data diabetes --metric r2", 2);
    ck_assert(strstr(err_text, "--scoring") != NULL);
    ck_run("fit kmeans --data iris --n_clusters 3 --random_state 0 --model k.json --quiet", 0);
    ck_run("score --model k.json --data iris --metric silhouette --scoring davies_bouldin "
           "--json --quiet", 0);
    out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    scores = json_object_get(out, "scores");
    ck_assert(json_real_value(json_object_get(scores, "silhouette")) > 0.5);
    ck_assert(json_real_value(json_object_get(scores, "davies_bouldin")) > 0.5);
    json_decref(out);
    ck_run("cv kmeans --data iris --n_clusters 3 --random_state 0 --shuffle --seed 1 "
           "--scoring calinski_harabasz --metric neg_davies_bouldin --json --quiet", 0);
    out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    scores = json_object_get(out, "scores");
    ck_assert_ptr_nonnull(json_object_get(scores, "calinski_harabasz"));
    ck_assert_ptr_nonnull(json_object_get(scores, "neg_davies_bouldin"));
    json_decref(out);
    /* cv and grid of DBSCAN: --metric is its parameter (a grid axis). */
    ck_run("cv dbscan --data pts.csv --eps 0.3 --metric manhattan --folds 3 --json --quiet", 2);
    ck_assert(strstr(err_text, "dbscan has no score") != NULL); /* not an unknown scorer */
    ck_run("grid kmeans --data iris --n_clusters 2,3 --random_state 0 --scoring davies_bouldin",
           2);
    ck_run("grid kmeans --data iris --n_clusters 2,3 --random_state 0 "
           "--scoring neg_davies_bouldin --quiet", 0);
}
END_TEST

/* ---------------------------------------------------------------- report */

static json_t *run_json(const char *args)
{
    ck_run(args, 0);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_msg(out != NULL, "mlcore %s: not JSON: %s", args, jerr.text);
    return out;
}

/* The text block `want` stands on its own in the output (blank lines around). */
static void expect_block(const char *args, const char *want)
{
    static char block[1 << 14];
    snprintf(block, sizeof block, "\n\n%s\n", want);
    ck_assert_msg(strstr(out_text, block) != NULL, "mlcore %s printed\n%s\nwithout\n%s", args,
                  out_text, want);
}

/* JSON number `key` of obj against want: |got - want| <= tol * max(|want|, scale). */
static void expect_close(json_t *obj, const char *key, double want, double tol, double scale)
{
    json_t *v = json_object_get(obj, key);
    ck_assert_msg(json_is_number(v), "no number %s in the report", key);
    double got = json_number_value(v), bound = tol * fmax(fabs(want), scale);
    ck_assert_msg(fabs(got - want) <= bound, "%s: %.17g, scikit-learn %.17g", key, got, want);
}

/* Every number of a fixture object (scalars, or arrays of integers) in the
 * report's object of the same keys. */
static void expect_all(json_t *out, json_t *fx, double tol)
{
    const char *key;
    json_t *want;
    json_object_foreach(fx, key, want) {
        if (json_is_number(want)) {
            expect_close(out, key, json_number_value(want), tol, 0);
        } else if (json_is_object(want)) {
            expect_all(json_object_get(out, key), want, tol);
        } else if (json_is_array(want)) { /* cluster sizes */
            json_t *got = json_object_get(out, key);
            ck_assert_uint_eq(json_object_size(got), json_array_size(want));
            for (size_t i = 0; i < json_array_size(want); i++) {
                char label[24];
                snprintf(label, sizeof label, "%zu", i);
                ck_assert_int_eq(json_integer_value(json_object_get(got, label)),
                                 json_integer_value(json_array_get(want, i)));
            }
        }
    }
}

static void expect_confusion(json_t *out, json_t *want)
{
    json_t *m = json_object_get(json_object_get(out, "confusion_matrix"), "matrix");
    ck_assert_msg(json_equal(m, want), "confusion matrix %s, scikit-learn %s",
                  json_dumps(m, JSON_COMPACT), json_dumps(want, JSON_COMPACT));
}

/* A classifier's report: scikit-learn's text at 2 and 4 digits, the
 * output_dict numbers, the confusion matrix, ROC AUC and PR AUC. */
static void check_classifier(const char *fit_args, const char *data, json_t *fx)
{
    char args[1024];
    snprintf(args, sizeof args, "fit svc %s --data %s --model c.json --quiet", fit_args, data);
    ck_run(args, 0);
    snprintf(args, sizeof args, "report --model c.json --data %s", data);
    ck_run(args, 0);
    expect_block(args, json_string_value(json_object_get(fx, "text")));
    snprintf(args, sizeof args, "report --model c.json --data %s --digits 4 --quiet", data);
    ck_run(args, 0);
    expect_block(args, json_string_value(json_object_get(fx, "text4")));
    ck_assert_str_eq(err_text, "");
    snprintf(args, sizeof args, "report --model c.json --data %s --json --quiet", data);
    json_t *out = run_json(args);
    ck_assert_str_eq(json_string_value(json_object_get(out, "task")), "classifier");
    json_t *dict = json_object_get(fx, "dict"), *got = json_object_get(out, "classification_report");
    ck_assert_uint_eq(json_object_size(got), json_object_size(dict));
    expect_all(got, dict, 1e-15);
    expect_confusion(out, json_object_get(fx, "confusion"));
    expect_close(out, "roc_auc", fx_number(fx, "roc_auc"), 1e-12, 0);
    expect_close(out, "average_precision", fx_number(fx, "average_precision"), 1e-12, 0);
    ck_assert_str_eq(json_string_value(json_object_get(out, "scores_from")), "decision_function");
    ck_assert_ptr_null(json_object_get(out, "log_loss")); /* no predict_proba */
    json_decref(out);
}

START_TEST(report_matches_scikit_learn)
{
    json_t *fx = fx_load("cli_report");
    char args[2048], binary[512];
    snprintf(binary, sizeof binary, "%s", fx_path("cli/report_binary.csv"));
    check_classifier("", "wine", json_object_get(fx, "wine_svc"));
    check_classifier("--tol 1e-8", binary, json_object_get(fx, "binary_svc"));
    /* a class never predicted: precision 0.0, and scikit-learn's warning as a note */
    check_classifier("--C 0.05", "wine", json_object_get(fx, "wine_svc_c005"));
    ck_run("report --model c.json --data wine", 0);
    ck_assert_msg(strstr(err_text, "ill-defined and set to 0.0 for labels with no predicted "
                                   "samples: 2"), "no note: %s", err_text);

    /* probabilities (another RNG than scikit-learn's: loosely), and the log
     * loss is the library's on the model's own predict_proba */
    ck_run("fit svc --data iris --probability true --random_state 0 --model p.json --quiet", 0);
    json_t *out = run_json("report --model p.json --data iris --json");
    json_t *ip = json_object_get(fx, "iris_proba");
    ck_assert_str_eq(json_string_value(json_object_get(out, "scores_from")), "predict_proba");
    expect_close(out, "roc_auc", fx_number(ip, "roc_auc"), 0.01, 0);
    expect_close(out, "average_precision", fx_number(ip, "average_precision"), 0.02, 0);
    expect_close(out, "log_loss", fx_number(ip, "log_loss"), 0.5, 0);
    mlc_estimator *e;
    mlc_dataset iris;
    mlc_matrix P;
    double classes[3] = {0, 1, 2}, ll;
    ck_assert_int_eq(mlc_estimator_load(path_in("p.json"), &e), MLC_OK);
    ck_assert_int_eq(mlc_load_bundled("iris", &iris), MLC_OK);
    ck_assert_int_eq(mlc_matrix_alloc(&P, 150, 3), MLC_OK);
    ck_assert_int_eq(mlc_estimator_output(e, MLC_OUT_PROBA, &iris.X, &P), MLC_OK);
    ck_assert_int_eq(mlc_log_loss(iris.y, P.data, 150, 3, classes, 3, NULL, 1, 0, &ll), MLC_OK);
    ck_assert_double_eq(json_real_value(json_object_get(out, "log_loss")), ll);
    mlc_matrix_clear(&P);
    mlc_dataset_clear(&iris);
    mlc_estimator_free(e);
    json_decref(out);

    /* regressor: every number within 1e-12 (the mean residual, ~1e-14,
     * against the residuals' scale) */
    ck_run("fit ridge --data diabetes --alpha 0.1 --model r.json --quiet", 0);
    out = run_json("report --model r.json --data diabetes --json");
    json_t *rf = json_object_get(fx, "diabetes_ridge");
    json_t *res = json_object_get(rf, "residuals");
    expect_close(json_object_get(out, "residuals"), "mean", fx_number(res, "mean"), 1e-12,
                 fx_number(res, "std"));
    json_object_del(res, "mean");
    expect_all(out, rf, 1e-12);
    json_decref(out);
    ck_run("report --model r.json --data diabetes", 0);
    ck_assert(strstr(out_text, "median absolute error") && strstr(out_text, "  75%"));

    /* k-means from given centres, and a mixture from given parameters */
    char km[512];
    snprintf(km, sizeof km, "%s", fx_path("kmeans/iris_k3_init.npy"));
    snprintf(args, sizeof args,
             "fit kmeans --data iris --n_clusters 3 --init %s --model k.json --quiet", km);
    ck_run(args, 0);
    out = run_json("report --model k.json --data iris --json");
    expect_all(out, json_object_get(fx, "iris_kmeans"), 1e-12);
    json_decref(out);
    char init[3][320];
    static const char *const keys[3] = {"precisions", "weights", "means"};
    for (int k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "mixture/iris_full_%s_init.npy", keys[k]);
        snprintf(init[k], sizeof init[k], "%s", fx_path(name));
    }
    snprintf(args, sizeof args,
             "fit gaussian_mixture --data iris --n_components 3 --tol 1e-10 --max_iter 1000 "
             "--precisions_init %s --weights_init %s --means_init %s --model g.json --quiet",
             init[0], init[1], init[2]);
    ck_run(args, 0);
    out = run_json("report --model g.json --data iris --json");
    expect_all(out, json_object_get(fx, "iris_mixture"), 1e-9);
    json_decref(out);

    /* an outlier detector on new inliers (+1) and outliers (-1) */
    snprintf(args, sizeof args,
             "fit one_class_svm --data %s --nu 0.1 --gamma 0.5 --tol 1e-8 --model o.json "
             "--quiet", fx_path("cli/report_oc_train.csv"));
    ck_run(args, 0);
    snprintf(args, sizeof args, "report --model o.json --data %s --json",
             fx_path("cli/report_oc_test.csv"));
    out = run_json(args);
    json_t *of = json_object_get(fx, "oc_svm");
    ck_assert_int_eq(json_integer_value(json_object_get(out, "inliers")),
                     json_integer_value(json_object_get(of, "inliers")));
    ck_assert_int_eq(json_integer_value(json_object_get(out, "outliers")),
                     json_integer_value(json_object_get(of, "outliers")));
    expect_confusion(out, json_object_get(of, "confusion"));
    json_decref(out);
    json_decref(fx);
}
END_TEST

/* Bad input: a clear message and a non-zero status; metrics undefined on
 * the data: null, with a note. */
START_TEST(report_errors)
{
    ck_run("report --help", 0);
    ck_assert(strstr(out_text, "classification_report") != NULL);
    ck_run("--help", 0);
    ck_assert(strstr(out_text, "report --model") != NULL);
    ck_run("report --data iris", 2);
    ck_assert(strstr(err_text, "--model") != NULL);
    ck_run("report --model missing.json --data iris", 1);
    ck_assert(strstr(err_text, "missing.json") != NULL);
    ck_run("fit svc --data wine --model w.json --quiet", 0);
    ck_run("report --model w.json --data iris", 1);
    ck_assert_msg(strstr(err_text, "the feature names should match those that were passed "
                                   "during fit; unseen at fit time: 'sepal length (cm)'"),
                  "%s", err_text);
    ck_run("report --model w.json", 2);
    ck_assert(strstr(err_text, "--data") != NULL);
    ck_run("report --model w.json --data wine --digits 18", 2);
    ck_run("report --model w.json --data wine --digits -1", 2);
    ck_run("report --model w.json --data wine --C 2", 2);
    ck_assert(strstr(err_text, "unknown option --C") != NULL);

    /* X without y (an .npy), then with y from --y: the same report as the
     * bundled set */
    mlc_dataset wine;
    ck_assert_int_eq(mlc_load_bundled("wine", &wine), MLC_OK);
    const size_t shape[2] = {wine.X.rows, wine.X.cols};
    write_npy_nd(path_in("wx.npy"), wine.X.data, shape, 2);
    write_npy_nd(path_in("wy.npy"), wine.y, shape, 1);
    ck_run("report --model w.json --data wx.npy", 2);
    ck_assert(strstr(err_text, "needs y") != NULL);
    ck_run("report --model w.json --data wine --quiet", 0);
    static char bundled[1 << 14];
    snprintf(bundled, sizeof bundled, "%s", strstr(out_text, "\n\n"));
    ck_run("report --model w.json --data wx.npy --y wy.npy --quiet", 0);
    ck_assert_str_eq(strstr(out_text, "\n\n"), bundled);
    /* a label the model never saw: reported, and no ranking metric */
    for (size_t i = 0; i < 10; i++)
        wine.y[i] = 5;
    write_npy_nd(path_in("wy5.npy"), wine.y, shape, 1);
    mlc_dataset_clear(&wine);
    json_t *out = run_json("report --model w.json --data wx.npy --y wy5.npy --json");
    ck_assert(json_is_null(json_object_get(out, "roc_auc")));
    ck_assert(json_is_object(json_object_get(json_object_get(out, "classification_report"),
                                             "5")));
    ck_assert(strstr(err_text, "label 5, which the model was not fit on") != NULL);
    ck_assert(strstr(err_text, "no predicted samples: 5") != NULL);
    json_decref(out);

    /* a transformer has nothing to report */
    ck_run("fit standard_scaler --data iris --model s.json --quiet", 0);
    ck_run("report --model s.json --data iris", 2);
    ck_assert(strstr(err_text, "transformer") != NULL);
    /* one cluster: the indices are undefined */
    ck_run("fit kmeans --data iris --n_clusters 1 --model k1.json --quiet", 0);
    out = run_json("report --model k1.json --data iris --json");
    ck_assert(json_is_null(json_object_get(out, "silhouette")));
    ck_assert(json_is_null(json_object_get(out, "calinski_harabasz")));
    ck_assert(json_is_number(json_object_get(out, "inertia")));
    ck_assert(strstr(err_text, "silhouette is undefined here") != NULL);
    json_decref(out);
    /* an outlier detector against labels that are not +1/-1: counts only */
    ck_run("fit one_class_svm --data iris --model o.json --quiet", 0);
    out = run_json("report --model o.json --data iris --json");
    ck_assert_ptr_null(json_object_get(out, "confusion_matrix"));
    ck_assert(strstr(err_text, "not +1 (inlier) or -1") != NULL);
    json_decref(out);
}
END_TEST

/* A CSV table of numbers written by the command (header row skipped). */
static double *read_csv_numbers(const char *name, size_t *count)
{
    static char text[1 << 16];
    slurp(path_in(name), text, sizeof text);
    double *v = malloc(sizeof text / 2 * sizeof *v);
    ck_assert_ptr_nonnull(v);
    size_t n = 0;
    char *p = strchr(text, '\n');
    ck_assert_ptr_nonnull(p);
    while (*p) {
        char *end;
        double x = strtod(p, &end);
        if (end == p) {
            p++;
            continue;
        }
        v[n++] = x;
        p = end;
    }
    *count = n;
    return v;
}

/* fit --linkage-out: scipy's linkage matrix of the tree, with the labels. */
START_TEST(linkage_out)
{
    json_t *root = fx_load("agglomerative");
    json_t *fx = json_object_get(root, "cli");
    size_t rows, cols, n;
    double *Z = fx_doubles(fx, "wine_ward_Z", &rows, &cols);
    int32_t *want = fx_ints(fx, "wine_ward_labels", &n);
    ck_run("fit agglomerative_clustering --data wine --linkage ward --n_clusters 3 "
           "--linkage-out Z.csv --labels L.csv --quiet",
           0);
    size_t count;
    double *got = read_csv_numbers("Z.csv", &count);
    ck_assert_uint_eq(count, rows * 4);
    for (size_t t = 0; t < rows; t++) {
        ck_assert(got[4 * t] == Z[4 * t] && got[4 * t + 1] == Z[4 * t + 1]);
        ck_assert(got[4 * t + 3] == Z[4 * t + 3]);
        ck_assert(fabs(got[4 * t + 2] - Z[4 * t + 2]) <= 1e-10 * Z[4 * t + 2]);
    }
    free(got);
    double *labels = read_csv_numbers("L.csv", &count);
    ck_assert_uint_eq(count, n);
    for (size_t i = 0; i < n; i++)
        ck_assert(labels[i] == want[i]);
    free(labels);
    /* an estimator without a tree: a usage error */
    ck_run("fit kmeans --data wine --linkage-out Z.csv --quiet", 2);
    ck_assert(strstr(err_text, "merge tree") != NULL);
    free(Z);
    free(want);
    json_decref(root);
}
END_TEST

/* No file in the working folder that a write left behind. */
static void assert_no_temporaries(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -A %s | grep -q mlcore-tmp", dir);
    ck_assert_msg(system(cmd) != 0, "a temporary file was left in %s", dir);
}

/* --out, --model, --labels: links followed, special files written in place,
 * and a failed write says only that it failed (issue 24, items 6 and 7). */
START_TEST(output_files)
{
    ck_run("fit ridge --data diabetes --model real.json --quiet", 0);
    ck_assert_int_eq(symlink("real.json", path_in("link.json")), 0);
    ck_run("fit ridge --data diabetes --alpha 5 --model link.json --quiet", 0);
    struct stat st;
    ck_assert_int_eq(lstat(path_in("link.json"), &st), 0);
    ck_assert_msg(S_ISLNK(st.st_mode), "--model replaced the link by a file");
    slurp(path_in("real.json"), out_text, sizeof out_text);
    ck_assert_msg(strstr(out_text, "\"alpha\": [5.0]") != NULL,
                  "the link's target was not written");
    /* a FIFO: its reader gets the predictions, and it stays a FIFO */
    ck_assert_int_eq(mkfifo(path_in("fifo"), 0600), 0);
    int reader = open(path_in("fifo"), O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(reader, 0);
    ck_run("predict --model real.json --data diabetes --out fifo --quiet", 0);
    char head[16] = {0};
    ck_assert_int_eq(read(reader, head, 11), 11);
    ck_assert_str_eq(head, "prediction\n");
    close(reader);
    ck_assert_int_eq(lstat(path_in("fifo"), &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    /* /dev/stdout (here a file the shell opened) and '-' */
    ck_run("predict --model real.json --data diabetes --out /dev/stdout --quiet", 0);
    ck_assert(strncmp(out_text, "prediction\n", 11) == 0);
    ck_run("fit ridge --data diabetes --model - --quiet", 0);
    ck_assert(out_text[0] == '{' && strstr(out_text, "\"coef_\"") != NULL);
    ck_run("fit ridge --data diabetes --model /dev/null --quiet", 0);
    /* a failed write says so, and only so */
    ck_run("predict --model real.json --data diabetes --out /dev/full", 1);
    ck_assert(strstr(err_text, "/dev/full") != NULL);
    ck_assert_msg(strstr(err_text, "written to") == NULL, "stderr: %s", err_text);
    ck_run("predict --model real.json --data diabetes --out no/such/p.csv", 1);
    ck_assert(strstr(err_text, "written to") == NULL);
    ck_run("datasets iris --out no/such/iris.csv", 1);
    ck_assert(strstr(err_text, "written to") == NULL);
    ck_run("fit kmeans --data iris --model no/such/m.json", 1);
    ck_assert(strstr(err_text, "written to") == NULL);
    ck_run("grid ridge --data diabetes --alpha 0.1,1 --model /dev/full", 1);
    ck_assert(strstr(err_text, "written to") == NULL);
    assert_no_temporaries();
}
END_TEST

/* An option given twice is a usage error naming it; --threads and
 * --n_threads are one option with the registry's range (issue 24, item 9). */
START_TEST(repeated_options)
{
    ck_run("fit ridge --data diabetes --alpha 0.1 --alpha 5 --quiet", 2);
    ck_assert(strstr(err_text, "--alpha is given twice ('0.1', then '5')") != NULL);
    ck_run("fit elastic_net --data diabetes --l1-ratio 0.3 --l1_ratio 0.5 --quiet", 2);
    ck_assert(strstr(err_text, "--l1-ratio and --l1_ratio are one option") != NULL);
    ck_run("cv ridge --data diabetes --folds 3 --folds 4 --quiet", 2);
    ck_assert(strstr(err_text, "--folds is given twice") != NULL);
    ck_run("predict --model m.json --data iris --data wine --quiet", 2);
    ck_assert(strstr(err_text, "--data is given twice") != NULL);
    ck_run("fit dbscan --data iris --metric manhattan --metric euclidean --quiet", 2);
    ck_assert(strstr(err_text, "--metric (a parameter of dbscan) is given twice") != NULL);
    ck_run("fit ridge --data diabetes --threads 2 --n_threads 1 --quiet", 2);
    ck_assert(strstr(err_text, "--threads and --n_threads are one option") != NULL);
    /* one range for both spellings */
    ck_run("fit ridge --data diabetes --threads 100000 --quiet", 2);
    ck_assert(strstr(err_text, "--threads must be an integer in [0, 4096]") != NULL);
    ck_run("fit ridge --data diabetes --n_threads 100000 --quiet", 2);
    ck_assert(strstr(err_text, "--n_threads must be an integer in [0, 4096]") != NULL);
    ck_run("cv ridge --data diabetes --threads 100000 --quiet", 2);
    ck_run("fit ridge --data diabetes --n_threads 4096 --quiet", 0);
    ck_run("fit ridge --data diabetes --threads=1 --json --quiet", 0);
    /* scorers repeat by design */
    ck_run("cv ridge --data diabetes --scoring r2 --scoring max_error --quiet", 0);
}
END_TEST

/* cv with a scorer that cannot score the estimator is a usage error; a NaN
 * that a valid scorer gives on a fold is kept, as null, with a warning
 * (issue 24, item 8). */
START_TEST(cv_scorer_fit)
{
    ck_run("cv ridge --data diabetes --metric accuracy", 2);
    ck_assert(strstr(err_text, "accuracy") != NULL && strstr(err_text, "regressor") != NULL);
    ck_assert(strstr(err_text, "nan") == NULL);
    ck_run("cv ridge --data diabetes --scoring f1_macro --json", 2);
    ck_assert(out_text[0] == '\0');
    ck_run("cv dbscan --data iris", 2);
    ck_assert(strstr(err_text, "dbscan") != NULL);
    ck_run("cv agglomerative_clustering --data iris --scoring silhouette", 2);
    ck_assert(strstr(err_text, "does not provide predict") != NULL);
    ck_run("grid dbscan --data iris --eps 0.3,0.5", 2);
    ck_run("cv kmeans --data iris --scoring silhouette --quiet", 0);
    /* R^2 of one test sample is NaN (scikit-learn warns): kept and said */
    write_file("small.csv", "a,target\n1,1\n2,2\n3,3.5\n4,4\n5,5.2\n");
    ck_run("cv ridge --data small.csv --splitter leave_one_out --scoring r2 "
           "--scoring neg_mean_absolute_error --json --quiet",
           0);
    ck_assert(strstr(err_text, "warning: r2 is NaN on 5 of 5 folds") != NULL);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    json_t *r2 = json_object_get(json_object_get(out, "scores"), "r2");
    ck_assert_msg(r2 != NULL, "r2 dropped from the JSON");
    ck_assert(json_is_null(json_object_get(r2, "mean")));
    ck_assert_uint_eq(json_array_size(json_object_get(r2, "test_scores")), 5);
    ck_assert(json_is_null(json_array_get(json_object_get(r2, "test_scores"), 0)));
    json_t *mae = json_object_get(json_object_get(out, "scores"), "neg_mean_absolute_error");
    ck_assert(json_is_real(json_object_get(mae, "mean")));
    json_t *warnings = json_object_get(out, "warnings");
    ck_assert_uint_eq(json_array_size(warnings), 1);
    ck_assert(strstr(json_string_value(json_array_get(warnings, 0)), "r2 is NaN") != NULL);
    json_decref(out);
    /* grid: a NaN candidate stays in the JSON, with a warning */
    ck_run("grid ridge --data small.csv --alpha 0.1,1 --splitter leave_one_out --scoring r2 "
           "--json --quiet",
           0);
    ck_assert(strstr(err_text, "warning: r2 of alpha=0.1 is NaN on 5 of 5 folds") != NULL);
    out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(json_array_size(json_object_get(out, "candidates")), 2);
    ck_assert(json_is_null(json_object_get(out, "best_score")));
    ck_assert_uint_eq(json_array_size(json_object_get(out, "warnings")), 2);
    json_decref(out);
    /* no NaN, no warning, and an empty list */
    ck_run("cv ridge --data diabetes --json --quiet", 0);
    ck_assert(strstr(out_text, "\"warnings\": []") != NULL);
    ck_assert(strstr(err_text, "warning") == NULL);
}
END_TEST

/* help COMMAND and COMMAND --help print that command's usage. */
START_TEST(command_help)
{
    static const char *const commands[] = {"fit", "predict", "score", "report", "cv",
                                           "grid", "estimators", "datasets", "metrics"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char args[64], want[64];
        snprintf(want, sizeof want, "usage: mlcore %s", commands[i]);
        snprintf(args, sizeof args, "help %s", commands[i]);
        ck_run(args, 0);
        ck_assert_msg(strncmp(out_text, want, strlen(want)) == 0, "%s: %s", args, out_text);
        snprintf(args, sizeof args, "%s --help", commands[i]);
        ck_run(args, 0);
        ck_assert_msg(strncmp(out_text, want, strlen(want)) == 0, "%s: %s", args, out_text);
    }
    ck_run("help fit", 0);
    ck_assert(strstr(out_text, "--linkage-out") != NULL);
    ck_run("fit ridge --help", 0); /* an estimator's parameters */
    ck_assert(strstr(out_text, "alpha") != NULL);
    ck_run("help nope", 2);
    ck_assert(strstr(err_text, "no command 'nope'") != NULL);
    ck_run("help", 0);
    ck_assert(strstr(out_text, "help COMMAND") != NULL);
}
END_TEST

/* Where scikit-learn warns, the command says so on stderr (even --quiet)
 * and in the JSON's "warnings" (issue 24, item 11). */
/* An .npy is not scanned for NaN when it is loaded (the library scans the X
 * it is given): every estimator's fit, and every predict, still refuses it
 * and names the file and the cell. */
START_TEST(npy_nonfinite_located)
{
    double x[30 * 3], y[30];
    for (int i = 0; i < 30; i++) {
        y[i] = i % 2;
        for (int j = 0; j < 3; j++)
            x[i * 3 + j] = sin(1.0 + i * 3 + j) * 3.0 + (i % 2);
    }
    mlc_matrix X = mlc_matrix_wrap(x, 30, 3, 0);
    ck_assert_int_eq(mlc_npy_write(path_in("ok.npy"), &X), MLC_OK);
    ck_assert_int_eq(mlc_npy_write_vector(path_in("y.npy"), y, 30), MLC_OK);
    x[7 * 3 + 1] = NAN;
    ck_assert_int_eq(mlc_npy_write(path_in("nan.npy"), &X), MLC_OK);
    x[7 * 3 + 1] = 0.5;
    x[4 * 3 + 2] = -INFINITY;
    ck_assert_int_eq(mlc_npy_write(path_in("inf.npy"), &X), MLC_OK);
    ck_assert_uint_gt(mlc_registry_count(), 20);
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        char args[256];
        snprintf(args, sizeof args, "fit %s --data nan.npy --y y.npy --quiet", name);
        ck_run(args, 1);
        ck_assert_msg(strstr(err_text, "mlcore: nan.npy: X[7, 1] is NaN; only finite numbers"),
                      "%s: %s", name, err_text);
        snprintf(args, sizeof args, "fit %s --data ok.npy --y y.npy --model m.json --quiet",
                 name);
        ck_run(args, 0);
        if (run("predict --model m.json --data ok.npy") != 0)
            continue; /* no predict (scalers, DBSCAN, agglomerative) */
        ck_run("predict --model m.json --data inf.npy", 1);
        ck_assert_msg(strstr(err_text, "mlcore: inf.npy: X[4, 2] is infinite"), "%s: %s", name,
                      err_text);
    }
    /* A NaN the library refuses elsewhere keeps the library's message. */
    y[3] = NAN;
    ck_assert_int_eq(mlc_npy_write_vector(path_in("ynan.npy"), y, 30), MLC_OK);
    ck_run("fit ridge --data ok.npy --y ynan.npy", 1);
    ck_assert_msg(strstr(err_text, "ynan.npy: y[3] is NaN"), "%s", err_text);
}
END_TEST

START_TEST(fit_warnings)
{
    ck_run("fit lasso --data diabetes --alpha 0 --json --quiet", 0);
    ck_assert(strstr(err_text, "warning: lasso with alpha = 0 has no penalty") != NULL);
    json_error_t jerr;
    json_t *out = json_loads(out_text, 0, &jerr);
    ck_assert_ptr_nonnull(out);
    json_t *w = json_object_get(out, "warnings");
    ck_assert(json_is_array(w) && json_array_size(w) >= 1);
    int found = 0;
    for (size_t i = 0; i < json_array_size(w); i++)
        found |= strstr(json_string_value(json_array_get(w, i)), "alpha = 0") != NULL;
    ck_assert(found);
    json_decref(out);
    ck_run("fit lasso --data diabetes --alpha 0.001 --max_iter 2 --quiet", 0);
    ck_assert(strstr(err_text, "did not converge within max_iter = 2") != NULL);
    write_file("dup.csv", "a,b\n1,1\n1,1\n1,1\n2,2\n2,2\n");
    ck_run("fit kmeans --data dup.csv --n_clusters 3 --quiet", 0);
    ck_assert(strstr(err_text, "2 distinct clusters, fewer than n_clusters = 3") != NULL);
    ck_run("grid lasso --data diabetes --alpha 0,0.1 --max_iter 3 --json --quiet", 0);
    ck_assert(strstr(out_text, "\"warnings\": [") != NULL);
    /* none: an empty list and nothing on stderr */
    ck_run("fit ridge --data diabetes --json --quiet", 0);
    ck_assert(strstr(out_text, "\"warnings\": []") != NULL);
    ck_assert_str_eq(err_text, "");
}
END_TEST

Suite *cli_suite(void);
Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    const struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"version_help", version_and_help},
        {"round_trip", every_estimator_round_trip},
        {"csv_files", transformer_and_csv_files},
        {"classifier_outputs", classifier_outputs},
        {"usage_errors", usage_errors},
        {"data_errors", data_errors},
        {"cv", cv_matches_scikit_learn},
        {"grid", grid_search},
        {"progress", progress_lines},
        {"array_params", array_parameters},
        {"input_rules", input_rules},
        {"dbscan_scoring", dbscan_and_scoring},
        {"report", report_matches_scikit_learn},
        {"report_errors", report_errors},
        {"linkage_out", linkage_out},
        {"output_files", output_files},
        {"repeated_options", repeated_options},
        {"cv_scorer_fit", cv_scorer_fit},
        {"command_help", command_help},
        {"fit_warnings", fit_warnings},
        {"npy_nonfinite", npy_nonfinite_located},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 600);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
