/* Warnings a fit leaves on its estimator, where scikit-learn warns (its
 * ConvergenceWarning, k-means' fewer distinct points than clusters, Lasso
 * with alpha = 0). The library records them and never prints them; callers
 * read them with mlc_estimator_warning (mlcore/estimator.h). */
#ifndef MLC_INTERNAL_WARNINGS_H
#define MLC_INTERNAL_WARNINGS_H
#include <stddef.h>

typedef struct mlc_warnings {
    char **text; /* n lines, each malloc'ed */
    size_t n;
} mlc_warnings;

/* Append a line. When memory runs out the line is dropped: a warning is no
 * reason to fail the fit that produced a good model. */
void mlc_warnings_add(mlc_warnings *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mlc_warnings_clear(mlc_warnings *w);

/* scikit-learn's ConvergenceWarning for `estimator`, which stopped at
 * max_iter (as text: the parameter's value) without converging; `what`
 * names the solver's iterations ("coordinate descent epochs"). */
void mlc_warn_not_converged(mlc_warnings *w, const char *estimator, const char *what,
                            const char *max_iter);

#endif
