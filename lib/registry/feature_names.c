/* The names of the columns a model was fit on (scikit-learn's
 * feature_names_in_), and matching a new input's columns to them by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "io/names.h"
#include "registry/estimator_impl.h"

#define LIST_MAX 240 /* characters of names listed in a message */

void mlc_feature_names_drop(mlc_estimator *e)
{
    if (!e->feature_names)
        return;
    for (size_t j = 0; j < e->n_feature_names; j++)
        free(e->feature_names[j]);
    free(e->feature_names);
    e->feature_names = NULL;
    e->n_feature_names = 0;
}

/* MLC_EINVAL naming the first repeated name of names[0..n), or MLC_OK. */
static int check_distinct(const char *const *names, size_t n, const char *what)
{
    size_t first = 0, again = 0;
    int repeat = mlc_first_repeated_name(names, n, &first, &again);
    if (repeat < 0)
        return MLC_ENOMEM;
    if (!repeat)
        return MLC_OK;
    return mlc_raise(MLC_EINVAL, "%s: column %zu repeats the name '%s' of column %zu; feature "
                     "names must be distinct", what, again + 1, names[again], first + 1);
}

int mlc_estimator_set_feature_names(mlc_estimator *e, const char *const *names, size_t n)
{
    if (!e)
        return mlc_raise(MLC_EINVAL, "estimator is NULL");
    if (!e->model)
        return mlc_raise(MLC_ENOTFITTED, "this %s is not fitted yet; feature names are those "
                         "of the data it was fit on", e->desc->name);
    if (!names || n == 0) {
        mlc_feature_names_drop(e);
        return MLC_OK;
    }
    if (n != e->n_features)
        return mlc_raise(MLC_EBADLEN, "%zu feature names for a model fit on %zu features", n,
                         e->n_features);
    for (size_t j = 0; j < n; j++)
        if (!names[j])
            return mlc_raise(MLC_EINVAL, "feature name %zu is NULL", j);
    int st = check_distinct(names, n, "feature names");
    if (st)
        return st;
    char **copy = calloc(n, sizeof *copy);
    for (size_t j = 0; copy && j < n; j++)
        if (!(copy[j] = strdup(names[j]))) {
            for (size_t k = 0; k < j; k++)
                free(copy[k]);
            free(copy);
            copy = NULL;
        }
    if (!copy)
        return mlc_raise_nomem("feature names");
    mlc_feature_names_drop(e);
    e->feature_names = copy;
    e->n_feature_names = n;
    return MLC_OK;
}

const char *const *mlc_estimator_feature_names(const mlc_estimator *e)
{
    return e && e->model ? (const char *const *)e->feature_names : NULL;
}

/* Append "a, b, c" (names of list[0..n) whose flag is set) to buf. */
static void list_names(char *buf, size_t cap, const char *const *list, const unsigned char *flag,
                       size_t n)
{
    size_t k = strlen(buf);
    int any = 0;
    for (size_t j = 0; j < n && k + 8 < cap; j++) {
        if (!flag[j])
            continue;
        if (k + strlen(list[j]) + 6 > cap || k > LIST_MAX) {
            snprintf(buf + k, cap - k, ", ...");
            return;
        }
        k += (size_t)snprintf(buf + k, cap - k, "%s'%s'", any ? ", " : "", list[j]);
        any = 1;
    }
}

int mlc_estimator_match_columns(const mlc_estimator *e, const char *const *names, size_t n,
                                size_t *index)
{
    if (!e || !index)
        return mlc_raise(MLC_EINVAL, "estimator or index is NULL");
    if (!e->model)
        return mlc_raise(MLC_ENOTFITTED, "this %s is not fitted yet", e->desc->name);
    size_t p = e->n_features;
    if (!names || !e->feature_names) { /* by position, as scikit-learn with an array */
        if (n != p)
            return mlc_raise(MLC_EBADLEN, "the input has %zu columns but the model was fit on "
                             "%zu", n, p);
        for (size_t j = 0; j < p; j++)
            index[j] = j;
        return MLC_OK;
    }
    for (size_t j = 0; j < n; j++)
        if (!names[j])
            return mlc_raise(MLC_EINVAL, "column name %zu is NULL", j);
    int st = check_distinct(names, n, "the input's columns");
    if (st)
        return st;
    mlc_named_col *given = mlc_names_sorted(names, n);
    if (!given)
        return MLC_ENOMEM;
    unsigned char *missing = calloc(p + n + 1, 1), *unseen = missing ? missing + p : NULL;
    if (!st && !missing)
        st = mlc_raise_nomem("column matching");
    size_t n_missing = 0, n_unseen = 0;
    for (size_t j = 0; !st && j < p; j++)
        if (!mlc_names_find(given, n, e->feature_names[j], &index[j]))
            missing[j] = 1, n_missing++;
    mlc_named_col *fitted =
        st ? NULL : mlc_names_sorted((const char *const *)e->feature_names, p);
    if (!st && !fitted)
        st = MLC_ENOMEM;
    for (size_t j = 0; !st && j < n; j++) {
        size_t col;
        if (!mlc_names_find(fitted, p, names[j], &col))
            unseen[j] = 1, n_unseen++;
    }
    if (!st && (n_missing || n_unseen)) {
        char msg[2 * LIST_MAX + 200] = "";
        if (n_unseen) {
            snprintf(msg, sizeof msg, "; unseen at fit time: ");
            list_names(msg, sizeof msg, names, unseen, n);
        }
        if (n_missing) {
            size_t k = strlen(msg);
            snprintf(msg + k, sizeof msg - k, "; seen at fit time, yet now missing: ");
            list_names(msg, sizeof msg, (const char *const *)e->feature_names, missing, p);
        }
        st = mlc_raise(MLC_EINVAL, "the feature names should match those that were passed "
                       "during fit%s", msg);
    }
    free(fitted);
    free(missing);
    free(given);
    return st;
}
