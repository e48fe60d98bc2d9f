/* mlcore estimators [ESTIMATOR]   and   mlcore datasets [NAME [--out FILE]] */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "table_out.h"

int cli_print_estimator_params(const char *name);

static const char *type_name(mlc_param_type t)
{
    switch (t) {
    case MLC_PARAM_REAL: return "float";
    case MLC_PARAM_INT: return "int";
    case MLC_PARAM_BOOL: return "bool";
    case MLC_PARAM_CHOICE: return "choice";
    case MLC_PARAM_REAL_OR_CHOICE: return "float|choice";
    case MLC_PARAM_INT_OR_CHOICE: return "int|choice";
    case MLC_PARAM_REAL_LIST: return "float list";
    case MLC_PARAM_MATRIX: return "array file";
    case MLC_PARAM_CHOICE_OR_MATRIX: return "choice|array";
    case MLC_PARAM_CLASS_WEIGHT: return "class weights";
    }
    return "?";
}

static void describe_allowed(const mlc_param_info *p, char *buf, size_t len)
{
    int numeric = p->type == MLC_PARAM_REAL || p->type == MLC_PARAM_INT ||
                  p->type == MLC_PARAM_REAL_OR_CHOICE || p->type == MLC_PARAM_INT_OR_CHOICE ||
                  p->type == MLC_PARAM_REAL_LIST;
    char range[64] = "";
    if (numeric)
        snprintf(range, sizeof range, "%c%g, %g%c", p->min_open || isinf(p->min) ? '(' : '[',
                 p->min, p->max, p->max_open || isinf(p->max) ? ')' : ']');
    if (p->type == MLC_PARAM_BOOL)
        snprintf(buf, len, "true|false");
    else if (p->choices && numeric)
        snprintf(buf, len, "%s or %s", p->choices, range);
    else if (p->type == MLC_PARAM_CHOICE_OR_MATRIX)
        snprintf(buf, len, "%s or NPY/CSV", p->choices);
    else if (p->choices)
        snprintf(buf, len, "%s", p->choices);
    else if (p->type == MLC_PARAM_MATRIX)
        snprintf(buf, len, "CSV or NPY file");
    else
        snprintf(buf, len, "%s", range);
}

int cli_print_estimator_params(const char *name)
{
    mlc_task task;
    const char *summary;
    size_t n;
    if (mlc_registry_lookup(name, &task, &summary, &n))
        return cli_usage_error("%s", mlc_last_error_message());
    printf("%s (%s): %s\n\nparameters (--NAME VALUE):\n", name, mlc_task_name(task), summary);
    printf("  %-20s %-13s %-14s %-30s %s\n", "name", "type", "default", "allowed", "meaning");
    for (size_t i = 0; i < n; i++) {
        const mlc_param_info *p = mlc_registry_param(name, i);
        char allowed[256];
        describe_allowed(p, allowed, sizeof allowed);
        printf("  %-20s %-13s %-14s %-30s %s\n", p->name, type_name(p->type),
               p->default_text[0] ? p->default_text : "(none)", allowed, p->doc);
    }
    return EXIT_OK;
}

int cmd_estimators(const cli_opts *o)
{
    if (o->positional)
        return cli_print_estimator_params(o->positional);
    if (o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; mlc_registry_name(i); i++) {
            mlc_task task;
            const char *summary;
            mlc_registry_lookup(mlc_registry_name(i), &task, &summary, NULL);
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "name", mlc_registry_name(i),
                                                 "task", mlc_task_name(task), "summary",
                                                 summary));
        }
        cli_print_json(arr);
        json_decref(arr);
        return EXIT_OK;
    }
    printf("%-26s %-12s %s\n", "estimator", "task", "summary");
    for (size_t i = 0; mlc_registry_name(i); i++) {
        mlc_task task;
        const char *summary;
        mlc_registry_lookup(mlc_registry_name(i), &task, &summary, NULL);
        printf("%-26s %-12s %s\n", mlc_registry_name(i), mlc_task_name(task), summary);
    }
    return EXIT_OK;
}

int cmd_datasets(const cli_opts *o)
{
    if (!o->positional) {
        for (size_t i = 0; mlc_bundled_name(i); i++)
            printf("%-15s %s\n", mlc_bundled_name(i), mlc_bundled_summary(i));
        return EXIT_OK;
    }
    mlc_dataset ds;
    int st = mlc_load_bundled(o->positional, &ds);
    if (st == MLC_ENOTFOUND)
        return cli_usage_error("%s", mlc_last_error_message());
    if (st)
        return cli_fail(o->positional, st);
    size_t p = ds.X.cols;
    mlc_matrix T;
    int rc = EXIT_OK;
    const char **names = calloc(p + 1, sizeof *names);
    if (!names || mlc_matrix_alloc(&T, ds.X.rows, p + 1)) {
        free(names);
        mlc_dataset_clear(&ds);
        return cli_fail(o->positional, MLC_ENOMEM);
    }
    for (size_t j = 0; j < p; j++)
        names[j] = ds.feature_names[j];
    names[p] = "target";
    for (size_t i = 0; i < ds.X.rows; i++) {
        memcpy(mlc_matrix_row(&T, i), mlc_matrix_row(&ds.X, i), p * sizeof(double));
        MLC_AT(&T, i, p) = ds.y ? ds.y[i] : 0.0;
    }
    rc = cli_write_table(o->out, &T, names);
    if (!rc && o->out && !o->quiet)
        fprintf(stderr, "wrote %s (%zu rows x %zu features + target) to %s\n", o->positional,
                ds.X.rows, p, o->out);
    free(names);
    mlc_matrix_clear(&T);
    mlc_dataset_clear(&ds);
    return rc;
}
