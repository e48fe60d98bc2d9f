/* mlcore predict --model MODEL.json --data FILE [--out OUT.csv]
 *               [--proba | --decision | --score-samples] [--json]
 * mlcore score   --model MODEL.json --data FILE [--target COL] [--scoring NAME ...] [--json] */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "table_out.h"

/* Column names for predict_proba: the classes, as numbers. */
static char **class_names(const mlc_estimator *e, size_t k)
{
    char **names = calloc(k, sizeof *names);
    mlc_attribute cls;
    int have = mlc_estimator_attribute(e, "classes_", &cls) == MLC_OK &&
               mlc_attribute_size(&cls) == k;
    for (size_t i = 0; names && i < k; i++) {
        names[i] = malloc(32);
        if (names[i])
            snprintf(names[i], 32, "%.17g", have ? mlc_attribute_value(&cls, i) : (double)i);
    }
    return names;
}

/* decision_function's columns: the classes (ovr), the pairs "a_vs_b"
 * (ovo), or one column. */
static char **decision_names(const mlc_estimator *e, size_t cols)
{
    mlc_attribute cls;
    size_t k = mlc_estimator_attribute(e, "classes_", &cls) == MLC_OK ? mlc_attribute_size(&cls)
                                                                       : 0;
    char shape[16] = "";
    int ovo = mlc_estimator_get(e, "decision_function_shape", shape, sizeof shape) == MLC_OK &&
              strcmp(shape, "ovo") == 0;
    if (k > 2 && cols == k && !ovo)
        return class_names(e, k);
    char **names = calloc(cols, sizeof *names);
    size_t q = 0;
    for (size_t i = 0; names && i < k && cols == k * (k - 1) / 2; i++)
        for (size_t j = i + 1; j < k; j++, q++)
            if ((names[q] = malloc(80)))
                snprintf(names[q], 80, "%.17g_vs_%.17g", mlc_attribute_value(&cls, i),
                         mlc_attribute_value(&cls, j));
    for (; names && q < cols; q++)
        if ((names[q] = malloc(32)))
            snprintf(names[q], 32, cols == 1 ? "decision_function" : "decision_%zu", q);
    return names;
}

int cmd_predict(const cli_opts *o)
{
    mlc_estimator *e;
    mlc_dataset ds;
    if (o->proba + o->decision + o->score_samples > 1)
        return cli_usage_error("--proba, --decision and --score-samples are one output each: "
                               "give one");
    int rc = cli_load_model_and_data(o, &e, &ds);
    if (rc)
        return rc;
    mlc_output kind = o->proba           ? MLC_OUT_PROBA
                      : o->decision      ? MLC_OUT_DECISION
                      : o->score_samples ? MLC_OUT_SCORE_SAMPLES
                                         : MLC_OUT_PREDICT;
    size_t cols = mlc_estimator_output_cols(e, kind);
    mlc_matrix out = {0};
    char **names = NULL;
    if (cols == 0) {
        rc = cli_usage_error("%s models do not provide %s", mlc_estimator_name(e),
                             mlc_output_name(kind));
        goto done;
    }
    if (mlc_matrix_alloc(&out, ds.X.rows, cols)) {
        rc = cli_fail("predict", MLC_ENOMEM);
        goto done;
    }
    double t0 = cli_now();
    int st = mlc_estimator_output(e, kind, &ds.X, &out);
    double elapsed = cli_now() - t0;
    if (st) {
        rc = cli_fail("predict", st);
        goto done;
    }
    if (o->proba) {
        names = class_names(e, cols);
    } else if (o->decision) {
        names = decision_names(e, cols);
    } else if (o->score_samples) {
        names = calloc(1, sizeof *names);
        if (names && (names[0] = malloc(32)))
            snprintf(names[0], 32, "score_samples");
    } else {
        names = calloc(cols, sizeof *names);
        for (size_t j = 0; names && j < cols; j++) {
            names[j] = malloc(32);
            if (names[j])
                snprintf(names[j], 32, cols == 1 ? "prediction" : "prediction_%zu", j);
        }
    }
    if (!names) {
        rc = cli_fail("predict", MLC_ENOMEM);
        goto done;
    }
    if (o->out || !o->json)
        rc = cli_write_table(o->out, &out, (const char *const *)names);
    if (!rc && !o->quiet && o->out)
        fprintf(stderr, "predicted %zu rows with %s in %.6f s; written to %s\n", ds.X.rows,
                o->model, elapsed, o->out);
    if (o->json && !rc) {
        json_t *j = json_object();
        json_object_set_new(j, "command", json_string("predict"));
        json_object_set_new(j, "estimator", json_string(mlc_estimator_name(e)));
        json_object_set_new(j, "model", json_string(o->model));
        json_object_set_new(j, "data", json_string(o->data));
        json_object_set_new(j, "n_samples", json_integer((json_int_t)ds.X.rows));
        json_object_set_new(j, "predict_time", json_real(elapsed));
        json_object_set_new(j, "out", o->out ? json_string(o->out) : json_null());
        if (!o->out) {
            json_t *rows = json_array();
            for (size_t i = 0; i < out.rows; i++) {
                if (cols == 1) {
                    json_array_append_new(rows, json_real(out.data[i]));
                    continue;
                }
                json_t *r = json_array();
                for (size_t k = 0; k < cols; k++)
                    json_array_append_new(r, json_real(MLC_AT(&out, i, k)));
                json_array_append_new(rows, r);
            }
            json_object_set_new(j, o->proba           ? "probabilities"
                                   : o->decision      ? "decision_function"
                                   : o->score_samples ? "score_samples"
                                                      : "predictions",
                                rows);
        }
        cli_print_json(j);
        json_decref(j);
    }
done:
    for (size_t k = 0; names && k < cols; k++)
        free(names[k]);
    free(names);
    mlc_matrix_clear(&out);
    mlc_dataset_clear(&ds);
    mlc_estimator_free(e);
    return rc;
}

int cmd_score(const cli_opts *given)
{
    mlc_estimator *e;
    mlc_dataset ds;
    int rc = cli_load_model_and_data(given, &e, &ds);
    if (rc)
        return rc;
    /* --metric: a scorer unless the model's estimator has that parameter. */
    cli_opts routed = *given;
    const cli_opts *o = &routed;
    if ((rc = cli_route_metric(&routed, mlc_estimator_name(e)))) {
        mlc_dataset_clear(&ds);
        mlc_estimator_free(e);
        return rc;
    }
    mlc_task task = mlc_estimator_task(e);
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    json_t *scores = json_object();
    if (supervised && !ds.y) {
        rc = cli_usage_error("scoring a %s needs the target column (--target)",
                             mlc_task_name(task));
        goto done;
    }
    double t0 = cli_now();
    if (o->n_metrics == 0) {
        double s;
        int st = mlc_estimator_score(e, &ds.X, supervised ? ds.y : NULL, &s);
        if (st) {
            rc = cli_fail("score", st);
            goto done;
        }
        json_object_set_new(scores, "score", json_real(s));
    }
    for (int m = 0; m < o->n_metrics; m++) {
        double s;
        int st = mlc_scorer_score(o->metrics[m], e, &ds.X, ds.y, &s);
        if (st == MLC_ENOTFOUND) {
            rc = cli_usage_error("%s", mlc_last_error_message());
            goto done;
        }
        if (st) {
            rc = cli_fail(o->metrics[m], st);
            goto done;
        }
        json_object_set_new(scores, o->metrics[m], json_real(s));
    }
    double elapsed = cli_now() - t0;
    if (!o->quiet) {
        const char *key;
        json_t *v;
        fprintf(stderr, "score %s on %s (%zu samples):\n", o->model, o->data, ds.X.rows);
        json_object_foreach(scores, key, v)
            fprintf(stderr, "  %-28s %.10g\n", key, json_real_value(v));
    }
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "command", json_string("score"));
        json_object_set_new(j, "estimator", json_string(mlc_estimator_name(e)));
        json_object_set_new(j, "model", json_string(o->model));
        json_object_set_new(j, "data", json_string(o->data));
        json_object_set_new(j, "n_samples", json_integer((json_int_t)ds.X.rows));
        json_object_set_new(j, "score_time", json_real(elapsed));
        json_object_set(j, "scores", scores);
        cli_print_json(j);
        json_decref(j);
    }
done:
    json_decref(scores);
    mlc_dataset_clear(&ds);
    mlc_estimator_free(e);
    return rc;
}
