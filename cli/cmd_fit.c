/* mlcore fit ESTIMATOR --data FILE [--target COL] [--PARAM VALUE ...]
 *            [--model OUT.json] [--labels OUT.csv] [--linkage-out Z.csv] [--json] */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "mlcore/model_selection.h"
#include "table_out.h"

int cli_print_estimator_params(const char *name);

/* The human summary of scalar attributes (n_iter_, converged, inertia_...). */
static void summarize_attributes(const mlc_estimator *e)
{
    size_t n = mlc_estimator_attributes(e, NULL, 0);
    mlc_attribute *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return;
    mlc_estimator_attributes(e, all, n);
    for (size_t i = 0; i < n; i++) {
        const mlc_attribute *a = &all[i];
        if (a->ndim == 0)
            fprintf(stderr, "  %-18s %.10g\n", a->name, mlc_attribute_value(a, 0));
        else if (a->ndim == 1)
            fprintf(stderr, "  %-18s array of %zu\n", a->name, a->shape[0]);
        else if (a->ndim == 2)
            fprintf(stderr, "  %-18s array of %zu x %zu\n", a->name, a->shape[0], a->shape[1]);
        else
            fprintf(stderr, "  %-18s array of %zu x %zu x %zu\n", a->name, a->shape[0],
                    a->shape[1], a->shape[2]);
    }
    free(all);
}

/* Cluster labels of the training rows: labels_ when the model keeps them
 * (k-means), else its predictions on X (a mixture's fit_predict). */
static int write_labels(const cli_opts *o, const mlc_estimator *e, const mlc_matrix *X)
{
    mlc_matrix L;
    if (mlc_matrix_alloc(&L, X->rows, 1))
        return cli_fail("labels", MLC_ENOMEM);
    mlc_attribute a;
    int st = MLC_OK;
    if (mlc_estimator_attribute(e, "labels_", &a) == MLC_OK && mlc_attribute_size(&a) == X->rows)
        for (size_t i = 0; i < X->rows; i++)
            L.data[i] = mlc_attribute_value(&a, i);
    else if (mlc_estimator_output_cols(e, MLC_OUT_PREDICT) == 1)
        st = mlc_estimator_output(e, MLC_OUT_PREDICT, X, &L);
    else
        st = MLC_EUNSUPPORTED;
    int rc = EXIT_OK;
    if (st == MLC_EUNSUPPORTED)
        rc = cli_usage_error("--labels: %s produces no cluster labels", mlc_estimator_name(e));
    else if (st)
        rc = cli_fail("labels", st);
    const char *names[1] = {"label"};
    if (!rc)
        rc = cli_write_table(o->labels, &L, names);
    mlc_matrix_clear(&L);
    return rc;
}

int cmd_fit(const cli_opts *o)
{
    if (!o->positional)
        return cli_usage_error("fit needs an estimator name (see: mlcore estimators)");
    mlc_estimator *e = NULL;
    json_t *asked = NULL; /* --scoring: training scores */
    json_t *warnings = NULL;
    int st = mlc_estimator_new(o->positional, &e);
    if (st)
        return cli_usage_error("%s", mlc_last_error_message());
    if (o->help) {
        mlc_estimator_free(e);
        return cli_print_estimator_params(o->positional);
    }
    int rc = cli_apply_params(o, e);
    mlc_dataset ds;
    if (!rc)
        rc = cli_load_data(o, &ds);
    if (rc) {
        mlc_estimator_free(e);
        return rc;
    }
    mlc_task task = mlc_estimator_task(e);
    int supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    if (supervised && !ds.y) {
        rc = cli_usage_error("%s is a %s and needs a target: name its column with --target "
                             "(default: a column called 'target')",
                             o->positional, mlc_task_name(task));
        goto done;
    }
    if (o->labels && task != MLC_TASK_CLUSTERER && task != MLC_TASK_DENSITY &&
        task != MLC_TASK_OUTLIER) {
        rc = cli_usage_error("--labels is for clusterers and outlier detectors");
        goto done;
    }
    cli_progress pg;
    cli_progress_attach(o, e, &pg);
    if (ds.X.rows * ds.X.cols > 10000000) { /* until the estimator reports, if it does */
        char line[160];
        snprintf(line, sizeof line, "fitting %s on %zu x %zu ...", o->positional, ds.X.rows,
                 ds.X.cols);
        cli_progress_note(&pg, line);
    }
    double t0 = cli_now();
    st = mlc_estimator_fit(e, &ds.X, supervised ? ds.y : NULL);
    double fit_time = cli_now() - t0;
    cli_progress_clear(&pg);
    mlc_estimator_set_progress(e, NULL, NULL); /* pg ends with this block */
    if (st) {
        rc = cli_fail("fit", st);
        goto done;
    }
    if ((rc = cli_record_names(o, e, &ds)))
        goto done;
    /* Said before anything else, even under --quiet (scikit-learn warns). */
    warnings = json_array();
    cli_model_warnings(e, warnings);
    /* The training scores cost a pass over X each: taken only when the
     * summary or the JSON shows them. */
    int shown = !o->quiet || o->json;
    double score = 0;
    int have_score = 0;
    if (shown && (supervised || task == MLC_TASK_DENSITY || task == MLC_TASK_CLUSTERER)) {
        st = mlc_estimator_score(e, &ds.X, supervised ? ds.y : NULL, &score);
        have_score = st == MLC_OK;
    }
    /* A clusterer's target column is only used to score its labels. */
    double ari = 0;
    int have_ari = shown && (task == MLC_TASK_CLUSTERER || task == MLC_TASK_DENSITY) && ds.y &&
                   cli_training_score(e, "adjusted_rand_score", &ds.X, ds.y, &ari) == MLC_OK;
    asked = json_object();
    if ((rc = cli_fit_scores(o, e, &ds.X, ds.y, asked)))
        goto done;
    if (o->model && (rc = cli_save_model(e, o->model)))
        goto done;
    if (o->labels && (rc = write_labels(o, e, &ds.X)))
        goto done;
    if (o->linkage_out && (rc = cli_write_linkage(o, e)))
        goto done;
    if (!o->quiet) {
        fprintf(stderr, "fit %s on %s: %zu samples x %zu features in %.6f s\n", o->positional,
                ds.name ? ds.name : o->data, ds.X.rows, ds.X.cols, fit_time);
        summarize_attributes(e);
        if (have_score)
            fprintf(stderr, "  train score        %.10g (%s)\n", score,
                    task == MLC_TASK_REGRESSOR    ? "r2"
                    : task == MLC_TASK_CLASSIFIER ? "accuracy"
                                                  : "estimator's score");
        if (have_ari)
            fprintf(stderr, "  adjusted Rand      %.10g (labels vs the target column)\n", ari);
        const char *key;
        json_t *v;
        json_object_foreach(asked, key, v)
            fprintf(stderr, "  %-18s %.10g (training data)\n", key, json_real_value(v));
        if (o->model)
            fprintf(stderr, "  model written to %s\n", o->model);
        if (o->labels)
            fprintf(stderr, "  labels written to %s\n", o->labels);
    }
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "command", json_string("fit"));
        json_object_set_new(j, "estimator", json_string(o->positional));
        json_object_set_new(j, "task", json_string(mlc_task_name(task)));
        json_object_set_new(j, "data", json_string(o->data));
        json_object_set_new(j, "n_samples", json_integer((json_int_t)ds.X.rows));
        json_object_set_new(j, "n_features", json_integer((json_int_t)ds.X.cols));
        json_object_set_new(j, "fit_time", json_real(fit_time));
        json_object_set_new(j, "params", cli_params_json(e));
        json_object_set_new(j, "attributes", cli_scalar_attributes_json(e));
        json_t *scores = json_object();
        if (have_score)
            json_object_set_new(scores, "train_score", json_real(score));
        if (have_ari)
            json_object_set_new(scores, "adjusted_rand_score", json_real(ari));
        json_object_update(scores, asked);
        json_object_set_new(j, "scores", scores);
        json_object_set_new(j, "model", o->model ? json_string(o->model) : json_null());
        json_object_set_new(j, "labels", o->labels ? json_string(o->labels) : json_null());
        json_object_set(j, "warnings", warnings);
        cli_print_json(j);
        json_decref(j);
    }
done:
    json_decref(warnings);
    json_decref(asked);
    mlc_dataset_clear(&ds);
    mlc_estimator_free(e);
    return rc;
}
