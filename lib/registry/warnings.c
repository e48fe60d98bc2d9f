/* The warnings a fit records on its estimator (internal/warnings.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "estimator_impl.h"
#include "internal/error.h"
#include "internal/warnings.h"

void mlc_warnings_add(mlc_warnings *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *line = len >= 0 ? malloc((size_t)len + 1) : NULL;
    char **grown = line ? realloc(w->text, (w->n + 1) * sizeof *w->text) : NULL;
    if (!grown) {
        free(line);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(line, (size_t)len + 1, fmt, ap);
    va_end(ap);
    w->text = grown;
    w->text[w->n++] = line;
}

void mlc_warnings_clear(mlc_warnings *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->text[i]);
    free(w->text);
    w->text = NULL;
    w->n = 0;
}

void mlc_warn_not_converged(mlc_warnings *w, const char *estimator, const char *what,
                            const char *max_iter)
{
    mlc_warnings_add(w,
                     "%s did not converge within max_iter = %s %s: increase max_iter (or tol), "
                     "check the scale of the features, or regularise more "
                     "(scikit-learn's ConvergenceWarning)",
                     estimator, max_iter, what);
}

/* The generic rule: an attribute "converged" (one per target for several)
 * with a 0 in it means the solver stopped at max_iter. */
static void warn_converged_attribute(const mlc_estimator *e, mlc_warnings *w)
{
    mlc_attribute a;
    mlc_attribute all[64];
    size_t n = e->desc->attributes(e->model, NULL, 0);
    if (n > sizeof all / sizeof all[0])
        return;
    e->desc->attributes(e->model, all, n);
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        if (!strcmp(all[i].name, "converged")) {
            a = all[i];
            found = 1;
        }
    if (!found)
        return;
    size_t size = mlc_attribute_size(&a);
    size_t bad = 0;
    for (size_t i = 0; i < size; i++)
        bad += mlc_attribute_value(&a, i) == 0;
    if (bad == 0)
        return;
    char max_iter[32] = "?";
    if (mlc_estimator_get(e, "max_iter", max_iter, sizeof max_iter) != MLC_OK)
        strcpy(max_iter, "?");
    mlc_warn_not_converged(w, e->desc->name, "iterations", max_iter);
    if (size > 1)
        mlc_warnings_add(w, "%s: %zu of the %zu targets did not converge", e->desc->name, bad,
                         size);
}

void mlc_estimator_collect_warnings(mlc_estimator *e, const void *params)
{
    mlc_warnings_clear(&e->warnings);
    if (!e->model)
        return;
    warn_converged_attribute(e, &e->warnings);
    if (e->desc->warnings)
        e->desc->warnings(params, e->model, &e->warnings);
}

const char *mlc_estimator_warning(const mlc_estimator *e, size_t i)
{
    return e && i < e->warnings.n ? e->warnings.text[i] : NULL;
}
