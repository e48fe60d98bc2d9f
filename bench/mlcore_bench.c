/* The C side of the bench runner (bench/run drives it).
 *
 *   mlcore_bench gen SPEC.json OUTDIR
 *       make or load the data set described by SPEC (bundled name or a
 *       generator with parameters and seed) and write OUTDIR/X.npy, y.npy
 *   mlcore_bench fit ESTIMATOR PARAMS.json OUTDIR [--threads N] [--repeats R]
 *       [--latency] [--x X.npy] [--y y.npy] [--matrix NAME=FILE.npy ...]
 *       time fit and predict (median of repeats after a warm-up), peak memory
 *       of the fit above the process baseline, prediction latency for batches
 *       of 1, 32 and 1024 rows; write OUTDIR/mlcore.json and the arrays to
 *       compare (predictions, fitted attributes) as .npy files.
 *   mlcore_bench metric NAME OUTDIR [--threads N] [--repeats R]
 *       time a metric or model-selection routine on OUTDIR/X.npy, y.npy:
 *       silhouette (labels y), roc_auc (scores X[:,0], labels y),
 *       cross_validate_ridge (5-fold KFold R^2); write OUTDIR/mlcore.json. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mlcore/mlcore.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define BENCH_MIN_SECONDS 0.2
#define BENCH_MAX_RUNS 1000

/* Time another run? (see the timing loops in fit_main) */
static int more_runs(size_t done, int repeats, double spent, size_t cap)
{
    if (done >= cap)
        return 0;
    return done < (size_t)repeats || spent < BENCH_MIN_SECONDS;
}

static int fail(const char *what, int st)
{
    fprintf(stderr, "mlcore_bench: %s: %s\n", what,
            mlc_last_error_message()[0] ? mlc_last_error_message() : mlc_strerror(st));
    return 1;
}

/* Resident set size now and its peak (VmHWM), in KiB, from /proc/self/status. */
static void rss_kib(long *now_kib, long *peak_kib)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    *now_kib = *peak_kib = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6))
            *now_kib = atol(line + 6);
        else if (!strncmp(line, "VmHWM:", 6))
            *peak_kib = atol(line + 6);
    }
    if (f)
        fclose(f);
}

/* Reset the peak RSS so the next reading covers only what follows. */
static void reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (v[hi] - v[lo]) * (pos - (double)lo);
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

/* p50/p95/p99 latency and throughput of predicting `batch` rows. */
static json_t *latency(const mlc_estimator *e, const mlc_matrix *X, size_t batch, mlc_output kind)
{
    size_t cols = mlc_estimator_output_cols(e, kind);
    if (batch > X->rows || cols == 0)
        return NULL;
    mlc_matrix out;
    if (mlc_matrix_alloc(&out, batch, cols))
        return NULL;
    size_t reps = batch == 1 ? 2000 : batch == 32 ? 1000 : 200;
    double *t = malloc(reps * sizeof *t);
    double total = 0;
    for (size_t r = 0; t && r < reps; r++) {
        size_t start = (r * 7919) % (X->rows - batch + 1);
        mlc_matrix rows = mlc_matrix_rows(X, start, batch);
        double t0 = now();
        mlc_estimator_output(e, kind, &rows, &out);
        t[r] = now() - t0;
        total += t[r];
    }
    json_t *j = NULL;
    if (t) {
        double tp = (double)(reps * batch) / total;
        double p50 = quantile(t, reps, 0.5), p95 = quantile(t, reps, 0.95),
               p99 = quantile(t, reps, 0.99);
        j = json_pack("{s:f,s:f,s:f,s:f}", "p50", p50, "p95", p95, "p99", p99, "rows_per_s", tp);
    }
    free(t);
    mlc_matrix_clear(&out);
    return j;
}

static int cmd_fit(int argc, char **argv)
{
    const char *name = argv[2], *params_path = argv[3], *dir = argv[4];
    const char *x_path = NULL, *y_path = NULL;
    int threads = 0, repeats = 3, want_latency = 0;
    const char *matrices[8];
    int n_matrices = 0;
    for (int i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--latency"))
            want_latency = 1;
        else if (!strcmp(argv[i], "--x") && i + 1 < argc)
            x_path = argv[++i];
        else if (!strcmp(argv[i], "--y") && i + 1 < argc)
            y_path = argv[++i];
        else if (!strcmp(argv[i], "--matrix") && i + 1 < argc && n_matrices < 8)
            matrices[n_matrices++] = argv[++i];
        else {
            fprintf(stderr, "mlcore_bench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (repeats < 1)
        repeats = 1;
    mlc_estimator *e = NULL;
    int st = mlc_estimator_new(name, &e);
    if (st)
        return fail(name, st);
    json_error_t jerr;
    json_t *params = json_load_file(params_path, 0, &jerr);
    if (!params) {
        fprintf(stderr, "mlcore_bench: %s: %s\n", params_path, jerr.text);
        mlc_estimator_free(e);
        return 1;
    }
    const char *key;
    json_t *v;
    char text[64];
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
            mlc_estimator_free(e);
            return fail(key, st);
        }
    }
    json_decref(params);
    for (int i = 0; i < n_matrices; i++) {
        char *eq = strchr(matrices[i], '=');
        if (!eq)
            continue;
        *eq = '\0';
        if ((st = mlc_estimator_set(e, matrices[i], eq + 1))) {
            mlc_estimator_free(e);
            return fail(matrices[i], st);
        }
    }
    mlc_estimator_set_threads(e, threads);
    char path[4096];
    mlc_matrix X, Y = {0};
    snprintf(path, sizeof path, "%s/X.npy", dir);
    if ((st = mlc_npy_read(x_path ? x_path : path, &X))) {
        mlc_estimator_free(e);
        return fail("X", st);
    }
    mlc_task task = mlc_estimator_task(e);
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    if (supervised) {
        snprintf(path, sizeof path, "%s/y.npy", dir);
        if ((st = mlc_npy_read(y_path ? y_path : path, &Y))) {
            mlc_matrix_clear(&X);
            mlc_estimator_free(e);
            return fail("y", st);
        }
    }
    mlc_fit_data data = {&X, supervised ? &Y : NULL, NULL};
    /* Memory: the first fit, above the baseline with the data loaded. */
    long base, peak, dummy;
    reset_peak();
    rss_kib(&base, &dummy);
    /* At least `repeats` timed runs, and more (up to BENCH_MAX_RUNS) until they
     * add up to BENCH_MIN_SECONDS: a median of 3 runs of a 100 us fit is
     * mostly the first calls' page faults and cache misses. sklearn_side.py
     * uses the same rule. */
    size_t cap = (size_t)repeats > BENCH_MAX_RUNS ? (size_t)repeats : BENCH_MAX_RUNS;
    double *fit_t = calloc(cap, sizeof *fit_t);
    double *pred_t = calloc(cap, sizeof *pred_t);
    size_t n_fit = 0, n_pred = 0;
    double t0 = now();
    st = mlc_estimator_fit_data(e, &data);
    double first_fit = now() - t0;
    rss_kib(&dummy, &peak);
    int rc = 0;
    if (st) {
        rc = fail("fit", st);
        goto done;
    }
    for (double spent = 0.0; more_runs(n_fit, repeats, spent, cap); spent += fit_t[n_fit++]) {
        t0 = now();
        st = mlc_estimator_fit_data(e, &data);
        fit_t[n_fit] = now() - t0;
        if (st) {
            rc = fail("fit", st);
            goto done;
        }
    }
    mlc_output kind = MLC_OUT_PREDICT;
    size_t cols = mlc_estimator_output_cols(e, kind);
    if (cols == 0 && task == MLC_TASK_TRANSFORMER) {
        kind = MLC_OUT_TRANSFORM;
        cols = mlc_estimator_output_cols(e, kind);
    }
    json_t *result = json_object();
    json_t *scalars = json_object();
    if (cols) {
        mlc_matrix out;
        if (mlc_matrix_alloc(&out, X.rows, cols) == MLC_OK) {
            mlc_estimator_output(e, kind, &X, &out); /* warm-up */
            for (double spent = 0.0; more_runs(n_pred, repeats, spent, cap);
                 spent += pred_t[n_pred++]) {
                t0 = now();
                mlc_estimator_output(e, kind, &X, &out);
                pred_t[n_pred] = now() - t0;
            }
            snprintf(path, sizeof path, "%s/mlcore_pred.npy", dir);
            mlc_npy_write(path, &out);
            mlc_matrix_clear(&out);
            json_object_set_new(result, "predict_median", json_real(quantile(pred_t, n_pred, 0.5)));
            json_object_set_new(result, "predict_min", json_real(pred_t[0]));
            json_object_set_new(result, "predict_max", json_real(pred_t[n_pred - 1]));
        }
        if (want_latency) {
            json_t *lat = json_object();
            size_t batches[3] = {1, 32, 1024};
            for (int b = 0; b < 3; b++) {
                json_t *l = latency(e, &X, batches[b], kind);
                if (l) {
                    snprintf(text, sizeof text, "%zu", batches[b]);
                    json_object_set_new(lat, text, l);
                }
            }
            json_object_set_new(result, "latency", lat);
        }
    }
    double fit_med = quantile(fit_t, n_fit, 0.5);
    json_object_set_new(result, "fit_median", json_real(fit_med));
    json_object_set_new(result, "fit_min", json_real(fit_t[0]));
    json_object_set_new(result, "fit_max", json_real(fit_t[n_fit - 1]));
    json_object_set_new(result, "first_fit", json_real(first_fit));
    json_object_set_new(result, "repeats", json_integer((json_int_t)n_fit));
    json_object_set_new(result, "peak_rss_above_baseline_kib", json_integer(peak - base));
    json_object_set_new(result, "baseline_rss_kib", json_integer(base));
    json_object_set_new(result, "threads", json_integer(mlc_resolve_threads(threads)));
    if (supervised || task == MLC_TASK_DENSITY || task == MLC_TASK_CLUSTERER) {
        double score;
        if (mlc_estimator_score(e, &X, supervised ? Y.data : NULL, &score) == MLC_OK)
            json_object_set_new(result, "score", json_real(score));
    }
    write_attributes(e, dir, scalars);
    json_object_set_new(result, "attributes", scalars);
    snprintf(path, sizeof path, "%s/mlcore_model.json", dir);
    if (mlc_estimator_save(e, path) == MLC_OK)
        json_object_set_new(result, "model", json_string(path));
    snprintf(path, sizeof path, "%s/mlcore.json", dir);
    if (json_dump_file(result, path, JSON_INDENT(1) | JSON_REAL_PRECISION(17)))
        rc = 1;
    json_decref(result);
done:
    free(fit_t);
    free(pred_t);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Y);
    mlc_estimator_free(e);
    return rc;
}

static int cmd_metric(int argc, char **argv)
{
    const char *name = argv[2], *dir = argv[3];
    int threads = 0, repeats = 3;
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (strcmp(argv[i], "--latency") != 0) {
            fprintf(stderr, "mlcore_bench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (repeats < 1)
        repeats = 1;
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
    int32_t *labels = malloc(n * sizeof *labels);
    double *scores = malloc(n * sizeof *scores);
    double *t = calloc((size_t)repeats + 1, sizeof *t);
    for (size_t i = 0; labels && scores && i < n; i++) {
        labels[i] = (int32_t)Y.data[i];
        scores[i] = MLC_AT(&X, i, 0);
    }
    mlc_estimator *ridge = NULL;
    mlc_splitter *cv = NULL;
    double value = NAN;
    long base, peak, dummy;
    reset_peak();
    rss_kib(&base, &dummy);
    for (int r = 0; r <= repeats && !st; r++) { /* r = 0 is the warm-up */
        double t0 = now();
        if (!strcmp(name, "silhouette")) {
            st = mlc_silhouette_score(&X, labels, threads, &value);
        } else if (!strcmp(name, "roc_auc")) {
            st = mlc_roc_auc_score(Y.data, scores, n, NULL, &value);
        } else if (!strcmp(name, "cross_validate_ridge")) {
            if (!ridge && ((st = mlc_estimator_new("ridge", &ridge)) ||
                           (st = mlc_kfold_new(5, 0, -1, &cv))))
                break;
            mlc_cv_options o = mlc_cv_options_default();
            o.cv = cv;
            o.n_threads = threads;
            mlc_estimator_set_threads(ridge, threads);
            mlc_cv_results res;
            st = mlc_cross_validate(ridge, &X, Y.data, &o, &res);
            if (!st) {
                value = 0;
                for (size_t k = 0; k < res.n_splits; k++)
                    value += res.test_scores[k] / (double)res.n_splits;
                mlc_cv_results_clear(&res);
            }
        } else {
            fprintf(stderr, "mlcore_bench: unknown metric %s (silhouette, roc_auc, "
                            "cross_validate_ridge)\n", name);
            st = MLC_ENOTFOUND;
            break;
        }
        t[r] = now() - t0;
        if (r == 0)
            rss_kib(&dummy, &peak);
    }
    int rc = 0;
    if (st) {
        rc = fail(name, st);
    } else {
        double med = quantile(t + 1, (size_t)repeats, 0.5);
        json_t *j = json_pack("{s:f,s:f,s:f,s:f,s:i,s:I,s:i}", "value", value, "fit_median", med,
                              "fit_min", t[1], "fit_max", t[repeats], "repeats", repeats,
                              "peak_rss_above_baseline_kib", (json_int_t)(peak - base),
                              "threads", mlc_resolve_threads(threads));
        snprintf(path, sizeof path, "%s/mlcore.json", dir);
        if (!j || json_dump_file(j, path, JSON_INDENT(1) | JSON_REAL_PRECISION(17)))
            rc = 1;
        json_decref(j);
    }
    mlc_estimator_free(ridge);
    mlc_splitter_free(cv);
    free(labels);
    free(scores);
    free(t);
    mlc_matrix_clear(&X);
    mlc_matrix_clear(&Y);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "gen"))
        return cmd_gen(argv[2], argv[3]);
    if (argc >= 5 && !strcmp(argv[1], "fit"))
        return cmd_fit(argc, argv);
    if (argc >= 4 && !strcmp(argv[1], "metric"))
        return cmd_metric(argc, argv);
    fprintf(stderr, "usage: mlcore_bench gen SPEC.json OUTDIR\n"
                    "       mlcore_bench fit ESTIMATOR PARAMS.json OUTDIR [--threads N] "
                    "[--repeats R] [--latency] [--x X.npy] [--y y.npy] [--matrix NAME=FILE]\n"
                    "       mlcore_bench metric NAME OUTDIR [--threads N] [--repeats R]\n");
    return 2;
}
