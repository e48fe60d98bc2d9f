/* The C side of the bench runner (bench/run drives it).
 *
 *   mlcore_bench gen SPEC.json OUTDIR
 *       make or load the data set described by SPEC (bundled name or a
 *       generator with parameters and seed) and write OUTDIR/X.npy, y.npy
 *   mlcore_bench fit ESTIMATOR PARAMS.json OUTDIR --x X_train.npy [--y y_train.npy]
 *       [--x-test X_test.npy] [--threads N] [--latency] [--matrix NAME=FILE.npy ...]
 *       fit once (peak memory of the fit above the process baseline), predict
 *       X_test once (its peak memory), then answer the runner's commands on
 *       stdin, one line each: "fit" and "predict" run once and reply
 *       "WALL_NS CPU_NS"; "done" writes OUTDIR/mlcore.json, the predictions on
 *       X_test (mlcore_pred.npy; a classifier's probabilities or decision
 *       values as mlcore_scores.npy), every fitted attribute, the model file
 *       and, with --latency, the latency of batches of 1 to 10 000 rows.
 *   mlcore_bench metric NAME OUTDIR [--threads N]
 *       the same protocol for a metric or model-selection routine on
 *       OUTDIR/X.npy, y.npy: silhouette (labels y), roc_auc (scores X[:,0],
 *       labels y), cross_validate_ridge (5-fold KFold R^2); "fit" runs it.
 *   mlcore_bench idle      the resident memory of an idle process (KiB)
 *   mlcore_bench info      how this binary (and the library beside it) was built */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_serve.h"
#include "mlcore/mlcore.h"

static int fail(const char *what, int st)
{
    fprintf(stderr, "mlcore_bench: %s: %s\n", what,
            mlc_last_error_message()[0] ? mlc_last_error_message() : mlc_strerror(st));
    return 1;
}

static size_t json_size(json_t *o, const char *key, size_t def)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (size_t)json_integer_value(v) : def;
}

static double json_num(json_t *o, const char *key, double def)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

static int write_dataset(const mlc_dataset *ds, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/X.npy", dir);
    int st = mlc_npy_write(path, &ds->X);
    if (st)
        return fail(path, st);
    if (ds->y) {
        snprintf(path, sizeof path, "%s/y.npy", dir);
        st = mlc_npy_write_vector(path, ds->y, ds->X.rows);
        if (st)
            return fail(path, st);
    }
    return 0;
}

static int cmd_gen(const char *spec_path, const char *dir)
{
    json_error_t jerr;
    json_t *spec = json_load_file(spec_path, 0, &jerr);
    if (!spec) {
        fprintf(stderr, "mlcore_bench: %s: %s\n", spec_path, jerr.text);
        return 1;
    }
    mlc_dataset ds;
    memset(&ds, 0, sizeof ds);
    int st;
    const char *bundled = json_string_value(json_object_get(spec, "bundled"));
    const char *gen = json_string_value(json_object_get(spec, "generator"));
    int64_t seed = (int64_t)json_num(spec, "random_state", 0);
    if (bundled) {
        st = mlc_load_bundled(bundled, &ds);
    } else if (gen && !strcmp(gen, "make_regression")) {
        mlc_regression_params p = mlc_regression_params_default();
        p.n_samples = json_size(spec, "n_samples", p.n_samples);
        p.n_features = json_size(spec, "n_features", p.n_features);
        p.n_informative = json_size(spec, "n_informative", p.n_informative);
        p.noise = json_num(spec, "noise", p.noise);
        p.bias = json_num(spec, "bias", p.bias);
        p.random_state = seed;
        st = mlc_make_regression(&p, &ds, NULL);
    } else if (gen && !strcmp(gen, "make_blobs")) {
        mlc_blobs_params p = mlc_blobs_params_default();
        p.n_samples = json_size(spec, "n_samples", p.n_samples);
        p.n_features = json_size(spec, "n_features", p.n_features);
        p.centers = json_size(spec, "centers", p.centers);
        p.cluster_std = json_num(spec, "cluster_std", p.cluster_std);
        p.random_state = seed;
        st = mlc_make_blobs(&p, &ds, NULL);
    } else if (gen && !strcmp(gen, "make_classification")) {
        mlc_classification_params p = mlc_classification_params_default();
        p.n_samples = json_size(spec, "n_samples", p.n_samples);
        p.n_features = json_size(spec, "n_features", p.n_features);
        p.n_informative = json_size(spec, "n_informative", p.n_informative);
        p.n_redundant = json_size(spec, "n_redundant", p.n_redundant);
        p.n_classes = json_size(spec, "n_classes", p.n_classes);
        p.random_state = seed;
        st = mlc_make_classification(&p, &ds);
    } else if (gen && !strcmp(gen, "uniform")) {
        /* Uniform [0,1) data: k-means runs many iterations on it. */
        size_t n = json_size(spec, "n_samples", 1000), d = json_size(spec, "n_features", 2);
        mlc_rng *rng = NULL;
        st = mlc_rng_new(seed, &rng);
        if (!st)
            st = mlc_matrix_alloc(&ds.X, n, d);
        for (size_t i = 0; !st && i < n * d; i++)
            ds.X.data[i] = mlc_rng_uniform(rng);
        mlc_rng_free(rng);
    } else {
        fprintf(stderr, "mlcore_bench: %s: needs \"bundled\" or a known \"generator\" "
                        "(make_regression, make_blobs, make_classification, uniform)\n",
                spec_path);
        json_decref(spec);
        return 1;
    }
    json_decref(spec);
    if (st)
        return fail(spec_path, st);
    int rc = write_dataset(&ds, dir);
    mlc_dataset_clear(&ds);
    return rc;
}

/* Write the arrays a comparison needs: every fitted attribute as .npy. */
static int write_attributes(const mlc_estimator *e, const char *dir, json_t *scalars)
{
    size_t n = mlc_estimator_attributes(e, NULL, 0);
    mlc_attribute *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return 1;
    mlc_estimator_attributes(e, all, n);
    for (size_t i = 0; i < n; i++) {
        const mlc_attribute *a = &all[i];
        size_t size = mlc_attribute_size(a);
        if (a->ndim == 0) {
            double v = mlc_attribute_value(a, 0);
            json_object_set_new(scalars, a->name, isfinite(v) ? json_real(v) : json_null());
            continue;
        }
        size_t rows = a->shape[0], cols = size / (rows ? rows : 1);
        mlc_matrix m;
        if (mlc_matrix_alloc(&m, rows, cols))
            continue;
        for (size_t k = 0; k < size; k++)
            m.data[k] = mlc_attribute_value(a, k);
        char path[4096];
        snprintf(path, sizeof path, "%s/mlcore_attr_%s.npy", dir, a->name);
        mlc_npy_write(path, &m);
        mlc_matrix_clear(&m);
    }
    free(all);
    return 0;
}


/* The estimator's parameters from PARAMS.json and --matrix NAME=FILE. */
static int set_params(mlc_estimator *e, const char *params_path, const char **matrices,
                      int n_matrices)
{
    json_error_t jerr;
    json_t *params = json_load_file(params_path, 0, &jerr);
    if (!params) {
        fprintf(stderr, "mlcore_bench: %s: %s\n", params_path, jerr.text);
        return 1;
    }
    const char *key;
    json_t *v;
    char text[64];
    int st = 0;
    json_object_foreach(params, key, v)
    {
        const char *value = text;
        if (json_is_string(v))
            value = json_string_value(v);
        else if (json_is_integer(v))
            snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        else if (json_is_real(v))
            snprintf(text, sizeof text, "%.17g", json_real_value(v));
        else if (json_is_boolean(v))
            snprintf(text, sizeof text, "%s", json_is_true(v) ? "true" : "false");
        if ((st = mlc_estimator_set(e, key, value))) {
            json_decref(params);
            return fail(key, st);
        }
    }
    json_decref(params);
    for (int i = 0; i < n_matrices; i++) {
        char name[256];
        const char *eq = strchr(matrices[i], '=');
        if (!eq || (size_t)(eq - matrices[i]) >= sizeof name)
            continue;
        memcpy(name, matrices[i], (size_t)(eq - matrices[i]));
        name[eq - matrices[i]] = '\0';
        if ((st = mlc_estimator_set(e, name, eq + 1)))
            return fail(name, st);
    }
    return 0;
}

/* What the classifier's quality metrics (ROC and PR AUC) need: its
 * probabilities, or its decision values when it has none. */
static mlc_output score_kind(const mlc_estimator *e)
{
    if (mlc_estimator_task(e) != MLC_TASK_CLASSIFIER)
        return MLC_OUT_COUNT;
    if (mlc_estimator_output_cols(e, MLC_OUT_PROBA))
        return MLC_OUT_PROBA;
    if (mlc_estimator_output_cols(e, MLC_OUT_DECISION))
        return MLC_OUT_DECISION;
    return MLC_OUT_COUNT;
}

static int write_output(const mlc_estimator *e, mlc_output kind, const mlc_matrix *X,
                        const char *path)
{
    mlc_matrix out;
    size_t cols = mlc_estimator_output_cols(e, kind);
    if (!cols || mlc_matrix_alloc(&out, X->rows, cols))
        return 1;
    int st = mlc_estimator_output(e, kind, X, &out);
    if (!st)
        st = mlc_npy_write(path, &out);
    mlc_matrix_clear(&out);
    return st;
}

typedef struct fit_job {
    mlc_estimator *e;
    mlc_fit_data data;
    const mlc_matrix *X_test;
    mlc_output kind; /* predict, or transform for a transformer */
    mlc_matrix out;  /* X_test's predictions */
    int64_t first[4]; /* the first fit's and predict's wall and CPU ns (bench_ready) */
} fit_job;

/* One run of "fit" or "predict", timed; nonzero on failure. */
static int run_once(fit_job *job, int predict, int64_t *wall, int64_t *cpu)
{
    int64_t w0 = bench_now_ns(), c0 = bench_cpu_ns();
    int st = predict ? mlc_estimator_output(job->e, job->kind, job->X_test, &job->out)
                     : mlc_estimator_fit_data(job->e, &job->data);
    *cpu = bench_cpu_ns() - c0;
    *wall = bench_now_ns() - w0;
    return st;
}

static int finish_fit(fit_job *job, const char *dir, int want_latency, json_t *result)
{
    char path[4096];
    mlc_estimator *e = job->e;
    if (job->out.data) {
        snprintf(path, sizeof path, "%s/mlcore_pred.npy", dir);
        mlc_npy_write(path, &job->out);
        mlc_output sk = score_kind(e);
        snprintf(path, sizeof path, "%s/mlcore_scores.npy", dir);
        if (sk != MLC_OUT_COUNT && write_output(e, sk, job->X_test, path) == MLC_OK)
            json_object_set_new(result, "scores", json_string(mlc_output_name(sk)));
        if (want_latency)
            json_object_set_new(result, "latency", bench_latency(e, job->X_test, job->kind));
    }
    json_t *scalars = json_object();
    write_attributes(e, dir, scalars);
    json_object_set_new(result, "attributes", scalars);
    snprintf(path, sizeof path, "%s/mlcore_model.json", dir);
    if (mlc_estimator_save(e, path) == MLC_OK)
        json_object_set_new(result, "model", json_string(path));
    snprintf(path, sizeof path, "%s/mlcore.json", dir);
    return json_dump_file(result, path, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) ? 1 : 0;
}

/* Answer "fit" / "predict" until "done"; nonzero on a failed run. */
static int serve(fit_job *job)
{
    char cmd[64];
    bench_ready(job->out.data != NULL, job->first);
    while (bench_next_command(cmd, sizeof cmd)) {
        int predict = !strcmp(cmd, "predict");
        if (!strcmp(cmd, "done"))
            return 0;
        if (!predict && strcmp(cmd, "fit") != 0) {
            fprintf(stderr, "mlcore_bench: unknown command '%s'\n", cmd);
            return 1;
        }
        if (predict && !job->out.data) {
            fprintf(stderr, "mlcore_bench: nothing to predict with\n");
            return 1;
        }
        int64_t wall, cpu;
        int st = run_once(job, predict, &wall, &cpu);
        if (st)
            return fail(predict ? "predict" : "fit", st);
        bench_reply(wall, cpu);
    }
    return 0; /* the runner went away */
}

static int cmd_fit(int argc, char **argv)
{
    const char *name = argv[2], *params_path = argv[3], *dir = argv[4];
    const char *x_path = NULL, *y_path = NULL, *xt_path = NULL;
    int threads = 0, want_latency = 0;
    const char *matrices[8];
    int n_matrices = 0;
    for (int i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--latency"))
            want_latency = 1;
        else if (!strcmp(argv[i], "--x") && i + 1 < argc)
            x_path = argv[++i];
        else if (!strcmp(argv[i], "--y") && i + 1 < argc)
            y_path = argv[++i];
        else if (!strcmp(argv[i], "--x-test") && i + 1 < argc)
            xt_path = argv[++i];
        else if (!strcmp(argv[i], "--matrix") && i + 1 < argc && n_matrices < 8)
            matrices[n_matrices++] = argv[++i];
        else {
            fprintf(stderr, "mlcore_bench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    fit_job job;
    memset(&job, 0, sizeof job);
    mlc_matrix X = {0}, Y = {0}, XT = {0};
    int st = mlc_estimator_new(name, &job.e);
    if (st)
        return fail(name, st);
    int rc = set_params(job.e, params_path, matrices, n_matrices);
    if (rc)
        goto done;
    mlc_estimator_set_threads(job.e, threads);
    char path[4096];
    snprintf(path, sizeof path, "%s/X.npy", dir);
    if ((st = mlc_npy_read(x_path ? x_path : path, &X))) {
        rc = fail("X", st);
        goto done;
    }
    if (xt_path && (st = mlc_npy_read(xt_path, &XT))) {
        rc = fail("X_test", st);
        goto done;
    }
    mlc_task task = mlc_estimator_task(job.e);
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    if (supervised) {
        snprintf(path, sizeof path, "%s/y.npy", dir);
        if ((st = mlc_npy_read(y_path ? y_path : path, &Y))) {
            rc = fail("y", st);
            goto done;
        }
    }
    job.data = (mlc_fit_data){&X, supervised ? &Y : NULL, NULL};
    job.X_test = xt_path ? &XT : &X;
    /* Memory: the first fit above the baseline with the data loaded; then
     * the first prediction above what the fitted model left. */
    long base, peak, dummy;
    bench_reset_peak();
    bench_rss_kib(&base, &dummy);
    int64_t wall, cpu;
    if ((st = run_once(&job, 0, &wall, &cpu))) {
        rc = fail("fit", st);
        goto done;
    }
    bench_rss_kib(&dummy, &peak);
    job.first[0] = wall;
    job.first[1] = cpu;
    json_t *result = json_object();
    json_object_set_new(result, "first_fit_ns", json_integer(wall));
    json_object_set_new(result, "baseline_rss_kib", json_integer(base));
    json_object_set_new(result, "fit_peak_above_baseline_kib", json_integer(peak - base));
    json_object_set_new(result, "threads", json_integer(mlc_resolve_threads(threads)));
    job.kind = MLC_OUT_PREDICT;
    if (!mlc_estimator_output_cols(job.e, job.kind) && task == MLC_TASK_TRANSFORMER)
        job.kind = MLC_OUT_TRANSFORM;
    size_t cols = mlc_estimator_output_cols(job.e, job.kind);
    if (cols && mlc_matrix_alloc(&job.out, job.X_test->rows, cols) == MLC_OK) {
        bench_reset_peak();
        bench_rss_kib(&base, &dummy);
        if ((st = run_once(&job, 1, &wall, &cpu))) {
            json_decref(result);
            rc = fail("predict", st);
            goto done;
        }
        bench_rss_kib(&dummy, &peak);
        job.first[2] = wall;
        job.first[3] = cpu;
        json_object_set_new(result, "predict_baseline_rss_kib", json_integer(base));
        json_object_set_new(result, "predict_peak_above_baseline_kib",
                            json_integer(peak - base));
    }
    rc = serve(&job);
    if (!rc)
        rc = finish_fit(&job, dir, want_latency, result);
    json_decref(result);
done:
    mlc_matrix_clear(&job.out);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Y);
    mlc_matrix_clear(&XT);
    mlc_estimator_free(job.e);
    return rc;
}

typedef struct metric_job {
    const char *name;
    int threads;
    const mlc_matrix *X, *Y;
    const int32_t *labels;
    const double *scores;
    mlc_estimator *ridge;
    mlc_splitter *cv;
    double value;
} metric_job;

static int metric_once(metric_job *m)
{
    if (!strcmp(m->name, "silhouette"))
        return mlc_silhouette_score(m->X, m->labels, m->threads, &m->value);
    if (!strcmp(m->name, "roc_auc"))
        return mlc_roc_auc_score(m->Y->data, m->scores, m->X->rows, NULL, &m->value);
    if (!strcmp(m->name, "cross_validate_ridge")) {
        int st;
        if (!m->ridge &&
            ((st = mlc_estimator_new("ridge", &m->ridge)) || (st = mlc_kfold_new(5, 0, -1, &m->cv))))
            return st;
        mlc_cv_options o = mlc_cv_options_default();
        o.cv = m->cv;
        o.n_threads = m->threads;
        mlc_estimator_set_threads(m->ridge, m->threads);
        mlc_cv_results res;
        if ((st = mlc_cross_validate(m->ridge, m->X, m->Y->data, &o, &res)))
            return st;
        m->value = 0;
        for (size_t k = 0; k < res.n_splits; k++)
            m->value += res.test_scores[k] / (double)res.n_splits;
        mlc_cv_results_clear(&res);
        return 0;
    }
    fprintf(stderr, "mlcore_bench: unknown metric %s (silhouette, roc_auc, "
                    "cross_validate_ridge)\n", m->name);
    return MLC_ENOTFOUND;
}

static int cmd_metric(int argc, char **argv)
{
    metric_job m;
    memset(&m, 0, sizeof m);
    m.name = argv[2];
    const char *dir = argv[3];
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            m.threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--latency") != 0) {
            fprintf(stderr, "mlcore_bench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    char path[4096];
    mlc_matrix X, Y;
    snprintf(path, sizeof path, "%s/X.npy", dir);
    int st = mlc_npy_read(path, &X);
    if (st)
        return fail(path, st);
    snprintf(path, sizeof path, "%s/y.npy", dir);
    if ((st = mlc_npy_read(path, &Y))) {
        mlc_matrix_clear(&X);
        return fail(path, st);
    }
    size_t n = X.rows;
    int32_t *labels = malloc((n ? n : 1) * sizeof *labels);
    double *scores = malloc((n ? n : 1) * sizeof *scores);
    for (size_t i = 0; labels && scores && i < n; i++) {
        labels[i] = (int32_t)Y.data[i];
        scores[i] = MLC_AT(&X, i, 0);
    }
    m.X = &X;
    m.Y = &Y;
    m.labels = labels;
    m.scores = scores;
    long base, peak, dummy;
    bench_reset_peak();
    bench_rss_kib(&base, &dummy);
    int rc = 0;
    int64_t first[4] = {bench_now_ns(), bench_cpu_ns(), -1, -1};
    if ((st = metric_once(&m))) { /* the warm-up, and the memory reading */
        rc = fail(m.name, st);
        goto done;
    }
    first[1] = bench_cpu_ns() - first[1];
    first[0] = bench_now_ns() - first[0];
    bench_rss_kib(&dummy, &peak);
    char cmd[64];
    bench_ready(0, first);
    while (bench_next_command(cmd, sizeof cmd) && strcmp(cmd, "done") != 0) {
        int64_t w0 = bench_now_ns(), c0 = bench_cpu_ns();
        if ((st = metric_once(&m))) {
            rc = fail(m.name, st);
            goto done;
        }
        int64_t cpu = bench_cpu_ns() - c0;
        bench_reply(bench_now_ns() - w0, cpu);
    }
    json_t *j = json_pack("{s:f,s:I,s:I,s:i}", "value", m.value, "baseline_rss_kib",
                          (json_int_t)base, "fit_peak_above_baseline_kib",
                          (json_int_t)(peak - base), "threads", mlc_resolve_threads(m.threads));
    snprintf(path, sizeof path, "%s/mlcore.json", dir);
    if (!j || json_dump_file(j, path, JSON_INDENT(1) | JSON_REAL_PRECISION(17)))
        rc = 1;
    json_decref(j);
done:
    mlc_estimator_free(m.ridge);
    mlc_splitter_free(m.cv);
    free(labels);
    free(scores);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Y);
    return rc;
}

/* How this binary was built (CMakeLists.txt passes the strings). */
static int cmd_info(void)
{
    json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "compiler", MLC_BENCH_COMPILER, "flags",
                          MLC_BENCH_FLAGS, "build_type", MLC_BENCH_BUILD_TYPE, "version",
                          mlc_version());
    char *text = j ? json_dumps(j, JSON_INDENT(1)) : NULL;
    if (text)
        puts(text);
    free(text);
    json_decref(j);
    return text ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "gen"))
        return cmd_gen(argv[2], argv[3]);
    if (argc >= 5 && !strcmp(argv[1], "fit"))
        return cmd_fit(argc, argv);
    if (argc >= 4 && !strcmp(argv[1], "metric"))
        return cmd_metric(argc, argv);
    if (argc == 2 && !strcmp(argv[1], "idle")) {
        long now_kib, peak_kib;
        bench_rss_kib(&now_kib, &peak_kib);
        printf("{\"rss_kib\": %ld}\n", now_kib);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "info"))
        return cmd_info();
    fprintf(stderr, "usage: mlcore_bench gen SPEC.json OUTDIR\n"
                    "       mlcore_bench fit ESTIMATOR PARAMS.json OUTDIR [--x X.npy] [--y y.npy] "
                    "[--x-test X.npy] [--threads N] [--latency] [--matrix NAME=FILE]\n"
                    "       mlcore_bench metric NAME OUTDIR [--threads N]\n"
                    "       mlcore_bench idle | info\n");
    return 2;
}
