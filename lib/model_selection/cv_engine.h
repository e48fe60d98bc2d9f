/* The cross-validation engine shared by cross_validate and grid search: fit
 * clones of one or several estimators on every split, score them, in
 * parallel over (estimator, split) tasks when cores allow. */
#ifndef MLC_INTERNAL_METRICS_CV_H
#define MLC_INTERNAL_METRICS_CV_H
#include <stddef.h>
#include "internal/progress.h"
#include "mlcore/model_selection.h"

/* Checked data and the splits to run on. */
typedef struct mlc_cv_setup {
    const mlc_fit_data *data;
    int supervised;          /* Y is passed to fit */
    mlc_splitter *cv;        /* the splits (computed) */
    mlc_splitter *owned;     /* the default splitter when the caller gave none */
    size_t n_scorers;        /* max(1, n_scoring) */
} mlc_cv_setup;

/* Validate the data against the estimator's task, pick the default splitter
 * (StratifiedKFold(5) for classifiers, else KFold(5)) if opt->cv is NULL,
 * check the scorer names and compute the splits. */
int mlc_cv_setup_init(const mlc_estimator *e, const mlc_fit_data *data,
                      const mlc_cv_options *opt, mlc_cv_setup *s);
void mlc_cv_setup_clear(mlc_cv_setup *s);

/* Run n_protos x n_splits tasks. Outputs are indexed by task
 * (proto * n_splits + split): fit_time, score_time, status; scores by
 * (proto * n_scorers + scorer) * n_splits + split. train may be NULL.
 * Returns the first failing task's status when opt->error_score_raise, or
 * when every fit failed; otherwise failures are NaN scores and a status.
 * Reports to progress (stages "candidate c/C" when n_protos > 1, "split
 * i/k", then the fit's own; a tick after each task); a stop asked there
 * skips the tasks not started and returns MLC_EINTERRUPTED. */
int mlc_cv_run(const mlc_cv_setup *s, const mlc_cv_options *opt,
               const mlc_estimator *const *protos, size_t n_protos, mlc_progress_ctx *progress,
               double *fit_time, double *score_time, double *test, double *train, int *status);

/* Seconds on a monotonic clock. */
double mlc_cv_now(void);

#endif
