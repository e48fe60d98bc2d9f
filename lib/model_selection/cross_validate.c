/* cross_validate and the engine it shares with grid search: every
 * (estimator, split) task fits a fresh clone on the training rows and scores
 * it on the test rows (and, on request, the training rows). Tasks run in
 * parallel when there are several tasks and several cores, each with a
 * single-threaded estimator (and BLAS); every task computes the same numbers
 * as it would serially. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "internal/blas.h"
#include "internal/error.h"
#include "registry/estimator_impl.h"
#include "cv_engine.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/threads.h"

#define MSG_LEN 512

double mlc_cv_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

mlc_cv_options mlc_cv_options_default(void)
{
    mlc_cv_options o = {NULL, NULL, 0, 0, 0, 0};
    return o;
}

/* ------------------------------------------------------------------ setup */

static int check_data(const mlc_estimator *e, const mlc_fit_data *d, int *supervised)
{
    int st = mlc_check_X(d->X, "X");
    if (st)
        return st;
    mlc_task task = mlc_estimator_task(e);
    *supervised = task == MLC_TASK_REGRESSOR || task == MLC_TASK_CLASSIFIER;
    size_t n = d->X->rows;
    if (*supervised && !d->Y)
        return mlc_raise(MLC_EINVAL, "%s is a %s and needs y", mlc_estimator_name(e),
                         mlc_task_name(task));
    if (d->Y) {
        if (d->Y->rows != n)
            return mlc_raise(MLC_EBADLEN, "y has %zu rows but X has %zu", d->Y->rows, n);
        if (d->Y->cols == 0 || !d->Y->data)
            return mlc_raise(MLC_EEMPTY, "y has no columns");
        if (task == MLC_TASK_CLASSIFIER && d->Y->cols != 1)
            return mlc_raise(MLC_EBADLEN, "a classifier takes one column of labels, got %zu",
                             d->Y->cols);
        if ((st = mlc_matrix_check_finite(d->Y, "y")))
            return st;
    }
    return mlc_check_weights(d->sample_weight, n);
}

int mlc_cv_setup_init(const mlc_estimator *e, const mlc_fit_data *data,
                      const mlc_cv_options *opt, mlc_cv_setup *s)
{
    memset(s, 0, sizeof *s);
    if (!e || !data || !opt)
        return mlc_raise(MLC_EINVAL, "estimator, data and options must not be NULL");
    if (mlc_check_threads(opt->n_threads, NULL))
        return MLC_EINVAL;
    if (opt->n_scoring > 0 && !opt->scoring)
        return mlc_raise(MLC_EINVAL, "n_scoring is %zu but scoring is NULL", opt->n_scoring);
    int st = check_data(e, data, &s->supervised);
    for (size_t i = 0; i < opt->n_scoring && !st; i++)
        st = mlc_scorer_check(opt->scoring[i]);
    if (st)
        return st;
    s->data = data;
    s->n_scorers = opt->n_scoring ? opt->n_scoring : 1;
    s->cv = opt->cv;
    if (!s->cv) {
        st = mlc_estimator_task(e) == MLC_TASK_CLASSIFIER
                 ? mlc_stratified_kfold_new(5, 0, -1, &s->owned)
                 : mlc_kfold_new(5, 0, -1, &s->owned);
        if (st)
            return st;
        s->cv = s->owned;
    }
    size_t n = data->X->rows;
    double *labels = NULL;
    if (mlc_splitter_needs_labels(s->cv)) {
        if (!data->Y) {
            mlc_cv_setup_clear(s);
            return mlc_raise(MLC_EINVAL, "%s needs class labels y", mlc_splitter_name(s->cv));
        }
        labels = malloc(n * sizeof *labels);
        if (!labels) {
            mlc_cv_setup_clear(s);
            return mlc_raise_nomem("labels");
        }
        for (size_t i = 0; i < n; i++)
            labels[i] = MLC_AT(data->Y, i, 0);
    }
    st = mlc_splitter_split(s->cv, n, labels);
    free(labels);
    if (st)
        mlc_cv_setup_clear(s);
    return st;
}

void mlc_cv_setup_clear(mlc_cv_setup *s)
{
    mlc_splitter_free(s->owned);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------ tasks */

typedef struct task_out {
    double fit_time, score_time;
    double *test, *train; /* n_scorers values each, stride n_splits */
    size_t stride;
    int status;
    int fit_failed;       /* no fitted model: every score NaN */
    char *msg;            /* MSG_LEN bytes */
} task_out;

/* One side (train or test) of a fold, gathered from the full arrays into
 * buffers that a thread reuses from task to task (no zeroing, no fresh pages
 * for every fold). */
typedef struct fold_data {
    mlc_matrix X, Y;   /* views of the buffers */
    double *w;         /* gathered weights, or NULL */
} fold_data;

typedef struct fold_buffers {
    size_t *train_idx, *test_idx;
    double *xtr, *ytr, *wtr, *xte, *yte;
} fold_buffers;

static void buffers_clear(fold_buffers *b)
{
    free(b->train_idx);
    free(b->test_idx);
    free(b->xtr);
    free(b->ytr);
    free(b->wtr);
    free(b->xte);
    free(b->yte);
    memset(b, 0, sizeof *b);
}

/* Buffers for the largest train and test sets of the splits. */
static int buffers_alloc(const mlc_cv_setup *s, size_t max_tr, size_t max_te, fold_buffers *b)
{
    const mlc_fit_data *d = s->data;
    size_t n = d->X->rows, p = d->X->cols, t = d->Y ? d->Y->cols : 0;
    memset(b, 0, sizeof *b);
    b->train_idx = malloc(n * sizeof *b->train_idx);
    b->test_idx = malloc(n * sizeof *b->test_idx);
    size_t xtr = max_tr * p, xte = max_te * p;
    b->xtr = malloc((xtr > 0 ? xtr : 1) * sizeof *b->xtr);
    b->xte = malloc((xte > 0 ? xte : 1) * sizeof *b->xte);
    b->ytr = t ? malloc(max_tr * t * sizeof *b->ytr) : NULL;
    b->yte = t ? malloc(max_te * t * sizeof *b->yte) : NULL;
    b->wtr = d->sample_weight ? malloc(max_tr * sizeof *b->wtr) : NULL;
    if (b->train_idx && b->test_idx && b->xtr && b->xte && (!t || (b->ytr && b->yte)) &&
        (!d->sample_weight || b->wtr))
        return MLC_OK;
    buffers_clear(b);
    return mlc_raise_nomem("fold buffers");
}

static void gather_rows(const mlc_matrix *src, const size_t *idx, size_t m, double *dst)
{
    for (size_t k = 0; k < m; k++)
        memcpy(dst + k * src->cols, mlc_matrix_row(src, idx[k]), src->cols * sizeof *dst);
}

/* Is idx[0..m) one ascending run first, first + 1, ...? */
static int is_run(const size_t *idx, size_t m)
{
    for (size_t k = 1; k < m; k++)
        if (idx[k] != idx[0] + k)
            return 0;
    return m > 0;
}

/* The rows idx[0..m) of X, Y and (for training) the weights. The indices come
 * from the splitter, which checked them against n. A run of consecutive rows
 * (an unshuffled KFold test fold) is used in place, without a copy. */
static void fold_gather(const mlc_fit_data *d, const size_t *idx, size_t m, double *x,
                        double *y, double *w, fold_data *f)
{
    int run = is_run(idx, m);
    if (run) {
        f->X = mlc_matrix_rows(d->X, idx[0], m);
    } else {
        gather_rows(d->X, idx, m, x);
        f->X = mlc_matrix_wrap(x, m, d->X->cols, 0);
    }
    f->Y = (mlc_matrix){0};
    if (d->Y) {
        gather_rows(d->Y, idx, m, y); /* scorers take y as a compact array */
        f->Y = mlc_matrix_wrap(y, m, d->Y->cols, 0);
    }
    f->w = NULL;
    if (w && d->sample_weight) {
        for (size_t k = 0; k < m; k++)
            w[k] = d->sample_weight[idx[k]];
        f->w = w;
    }
}

static void note_failure(task_out *o, int st)
{
    if (o->status == MLC_OK) {
        o->status = st;
        snprintf(o->msg, MSG_LEN, "%s", mlc_last_error_message());
    }
}

/* Score a fitted clone with every scorer (NaN where a scorer fails). */
static void score_all(const mlc_estimator *est, const mlc_cv_options *opt, const fold_data *f,
                      size_t n_scorers, double *out, size_t stride, task_out *o)
{
    const double *y = f->Y.data;
    for (size_t s = 0; s < n_scorers; s++) {
        double v = NAN;
        int st = opt->n_scoring ? mlc_scorer_score(opt->scoring[s], est, &f->X, y, &v)
                                : mlc_estimator_score(est, &f->X, y, &v);
        if (st) {
            note_failure(o, st);
            v = NAN;
        }
        out[s * stride] = v;
    }
}

/* Where a task's fit reports: candidate and split (the caller's thread
 * alone sets them, internal/progress.h). */
typedef struct task_where {
    mlc_progress_ctx *progress;
    size_t proto, n_protos, n_splits;
} task_where;

/* One split: fit a clone of proto on the training rows (unless `fitted`, a
 * clone fitted with the others by fit_partition, taking `fit_time`), then
 * score it. Takes ownership of `fitted`. */
static void run_task(const mlc_cv_setup *s, const mlc_cv_options *opt,
                     const mlc_estimator *proto, mlc_estimator *fitted, double fit_time,
                     size_t split, int single_thread, const task_where *where, fold_buffers *b,
                     task_out *o)
{
    size_t ntr = 0, nte = 0;
    mlc_estimator *est = fitted;
    fold_data ftr, fte;
    for (size_t k = 0; k < s->n_scorers; k++) {
        o->test[k * o->stride] = NAN;
        if (o->train)
            o->train[k * o->stride] = NAN;
    }
    int st = mlc_splitter_get(s->cv, split, b->train_idx, &ntr, b->test_idx, &nte);
    if (!st && !est)
        st = mlc_estimator_clone(proto, &est);
    if (!st && single_thread)
        st = mlc_estimator_set_threads(est, 1);
    if (st) {
        note_failure(o, st);
        o->fit_failed = 1;
        goto done;
    }
    if (!fitted || o->train)
        fold_gather(s->data, b->train_idx, ntr, b->xtr, b->ytr, b->wtr, &ftr);
    double t0 = mlc_cv_now();
    if (fitted) {
        o->fit_time = fit_time;
    } else {
        mlc_fit_data fd = {&ftr.X, s->supervised ? &ftr.Y : NULL, ftr.w};
        int level = 0;
        if (where->n_protos > 1)
            mlc_progress_stage(where->progress, level++, "candidate", where->proto,
                               where->n_protos);
        mlc_progress_stage(where->progress, level, "split", split, where->n_splits);
        st = mlc_estimator_fit_within(est, &fd, where->progress);
        o->fit_time = mlc_cv_now() - t0;
    }
    if (st) {
        note_failure(o, st);
        o->fit_failed = 1;
        goto done;
    }
    fold_gather(s->data, b->test_idx, nte, b->xte, b->yte, NULL, &fte);
    t0 = mlc_cv_now();
    score_all(est, opt, &fte, s->n_scorers, o->test, o->stride, o);
    o->score_time = mlc_cv_now() - t0;
    if (o->train)
        score_all(est, opt, &ftr, s->n_scorers, o->train, o->stride, o);
done:
    mlc_estimator_free(est);
}

/* fit_partition is offered at most this many parts: sharing work between
 * the fits pays for K-fold, not for LeaveOneOut (and finding the partition
 * costs n per split). */
#define CV_PARTITION_MAX_SPLITS 32

/* part[i] = the split whose test set holds row i, when the test sets
 * partition the rows and every training set is the rest (KFold,
 * StratifiedKFold, given folds); NULL otherwise (or out of memory: the
 * fold-by-fold path needs nothing from this). */
static uint32_t *test_partition(const mlc_cv_setup *s, size_t n_splits)
{
    size_t n = s->data->X->rows, ntr = 0, nte = 0;
    uint32_t *part = malloc(n * sizeof *part);
    size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
    int ok = part && tr && te && n_splits >= 2 && n_splits <= UINT32_MAX;
    for (size_t i = 0; ok && i < n; i++)
        part[i] = UINT32_MAX;
    size_t covered = 0;
    for (size_t f = 0; ok && f < n_splits; f++) {
        ok = mlc_splitter_get(s->cv, f, tr, &ntr, te, &nte) == MLC_OK && ntr + nte == n;
        for (size_t j = 0; ok && j < nte; j++) {
            ok = part[te[j]] == UINT32_MAX;
            part[te[j]] = (uint32_t)f;
        }
        covered += nte;
    }
    free(tr);
    free(te);
    if (!ok || covered != n) {
        free(part);
        return NULL;
    }
    return part;
}

/* fitted (n_protos x n_splits) gets, for each prototype whose estimator has
 * fit_partition and accepts, its fits on every split at once, and per_fit
 * the time that took divided by the splits. Others stay NULL. */
static void fit_partitions(const mlc_cv_setup *s, const mlc_estimator *const *protos,
                           size_t n_protos, size_t n_splits, mlc_estimator **fitted,
                           double *per_fit)
{
    uint32_t *part = NULL;
    if (n_splits > CV_PARTITION_MAX_SPLITS)
        return;
    for (size_t p = 0; p < n_protos; p++) {
        if (!protos[p]->desc->fit_partition)
            continue;
        if (!part && !(part = test_partition(s, n_splits)))
            break;
        double t0 = mlc_cv_now();
        if (mlc_estimator_fit_partition(protos[p], s->data, part, n_splits,
                                        fitted + p * n_splits) != MLC_OK)
            mlc_clear_error(); /* fold by fold, which reports any error per fold */
        per_fit[p] = (mlc_cv_now() - t0) / (double)n_splits;
    }
    free(part);
    mlc_clear_error();
}

int mlc_cv_run(const mlc_cv_setup *s, const mlc_cv_options *opt,
               const mlc_estimator *const *protos, size_t n_protos, mlc_progress_ctx *progress,
               double *fit_time, double *score_time, double *test, double *train, int *status)
{
    size_t n_splits = mlc_splitter_n_splits(s->cv), n_tasks = n_protos * n_splits;
    task_out *outs = calloc(n_tasks ? n_tasks : 1, sizeof *outs);
    char *msgs = calloc(n_tasks ? n_tasks : 1, MSG_LEN);
    if (!outs || !msgs) {
        free(outs);
        free(msgs);
        return mlc_raise_nomem("cross-validation results");
    }
    for (size_t t = 0; t < n_tasks; t++) {
        size_t p = t / n_splits, i = t % n_splits;
        outs[t].test = test + p * s->n_scorers * n_splits + i;
        outs[t].train = train ? train + p * s->n_scorers * n_splits + i : NULL;
        outs[t].stride = n_splits;
        outs[t].msg = msgs + t * MSG_LEN;
    }
    int threads = mlc_resolve_threads(opt->n_threads);
    if ((size_t)threads > n_tasks)
        threads = (int)n_tasks;
    if (threads < 1)
        threads = 1;
    int parallel = threads > 1;
    size_t max_tr = 0, max_te = 0;
    for (size_t i = 0; i < n_splits; i++) {
        size_t a = 0, b = 0;
        mlc_splitter_sizes(s->cv, i, &a, &b);
        max_tr = a > max_tr ? a : max_tr;
        max_te = b > max_te ? b : max_te;
    }
    fold_buffers *bufs = calloc((size_t)threads, sizeof *bufs);
    int st = bufs ? MLC_OK : mlc_raise_nomem("fold buffers");
    for (int t = 0; t < threads && !st; t++)
        st = buffers_alloc(s, max_tr, max_te, &bufs[t]);
    if (st) {
        for (int t = 0; bufs && t < threads; t++)
            buffers_clear(&bufs[t]);
        free(bufs);
        free(outs);
        free(msgs);
        return st;
    }
    mlc_estimator **fitted = calloc(n_tasks ? n_tasks : 1, sizeof *fitted);
    double *per_fit = calloc(n_protos ? n_protos : 1, sizeof *per_fit);
    if (fitted && per_fit)
        fit_partitions(s, protos, n_protos, n_splits, fitted, per_fit);
    if (parallel)
        mlc_blas_set_threads(1);
    atomic_size_t done = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (parallel)
    for (size_t t = 0; t < n_tasks; t++) {
#ifdef _OPENMP
        fold_buffers *b = &bufs[omp_get_thread_num()];
#else
        fold_buffers *b = &bufs[0];
#endif
        if (mlc_progress_stopped(progress)) { /* a task not started: skipped */
            mlc_estimator_free(fitted ? fitted[t] : NULL);
            outs[t].status = MLC_EINTERRUPTED;
            continue;
        }
        task_where where = {progress, t / n_splits, n_protos, n_splits};
        run_task(s, opt, protos[t / n_splits], fitted ? fitted[t] : NULL,
                 per_fit ? per_fit[t / n_splits] : 0.0, t % n_splits, parallel, &where, b,
                 &outs[t]);
        size_t finished = atomic_fetch_add(&done, 1) + 1;
        mlc_progress_tick(progress, (int64_t)finished, (int64_t)n_tasks, NAN, "");
    }
    free(fitted);
    free(per_fit);
    for (int t = 0; t < threads; t++)
        buffers_clear(&bufs[t]);
    free(bufs);

    if (mlc_progress_stopped(progress)) {
        free(outs);
        free(msgs);
        return mlc_raise(MLC_EINTERRUPTED, "%s stopped by the progress callback (at %s)",
                         n_protos > 1 ? "grid search" : "cross-validation",
                         mlc_progress_where(progress));
    }
    size_t fit_failures = 0, first_fail = n_tasks, unsupported = 0;
    for (size_t t = 0; t < n_tasks; t++) {
        fit_time[t] = outs[t].fit_time;
        score_time[t] = outs[t].score_time;
        status[t] = outs[t].status;
        if (outs[t].status && first_fail == n_tasks)
            first_fail = t;
        fit_failures += (size_t)outs[t].fit_failed;
        unsupported += outs[t].status == MLC_EUNSUPPORTED && !outs[t].fit_failed;
    }
    /* A scorer that cannot score this estimator at all (accuracy of a
     * regressor, any score of DBSCAN, which has no predict) is no NaN
     * score: scikit-learn refuses such a scorer too. */
    if (unsupported == n_tasks && n_tasks > 0)
        st = mlc_raise(MLC_EUNSUPPORTED, "%s", outs[0].msg);
    else if (first_fail < n_tasks && fit_failures == n_tasks)
        st = mlc_raise(outs[first_fail].status, "all %zu fits failed; the first (split %zu): %s",
                       n_tasks, first_fail % n_splits, outs[first_fail].msg);
    else if (first_fail < n_tasks && opt->error_score_raise)
        st = mlc_raise(outs[first_fail].status, "split %zu failed: %s", first_fail % n_splits,
                       outs[first_fail].msg);
    free(outs);
    free(msgs);
    return st;
}

/* ---------------------------------------------------------- cross_validate */

void mlc_cv_results_clear(mlc_cv_results *r)
{
    if (!r)
        return;
    if (r->scorer_names)
        for (size_t i = 0; i < r->n_scorers; i++)
            free(r->scorer_names[i]);
    free(r->scorer_names);
    free(r->fit_time);
    free(r->score_time);
    free(r->test_scores);
    free(r->train_scores);
    free(r->fold_status);
    memset(r, 0, sizeof *r);
}

static int cross_validate(const mlc_estimator *e, const mlc_fit_data *data,
                          const mlc_cv_options *opt, mlc_cv_results *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the results output must not be NULL");
    memset(out, 0, sizeof *out);
    mlc_cv_options o = opt ? *opt : mlc_cv_options_default();
    mlc_cv_setup s;
    int st = mlc_cv_setup_init(e, data, &o, &s);
    if (st)
        return st;
    size_t k = mlc_splitter_n_splits(s.cv), m = s.n_scorers;
    out->n_splits = k;
    out->n_scorers = m;
    out->scorer_names = calloc(m, sizeof *out->scorer_names);
    out->fit_time = malloc(k * sizeof *out->fit_time);
    out->score_time = malloc(k * sizeof *out->score_time);
    out->test_scores = malloc(k * m * sizeof *out->test_scores);
    out->train_scores = o.return_train_score ? malloc(k * m * sizeof *out->train_scores) : NULL;
    out->fold_status = malloc(k * sizeof *out->fold_status);
    int ok = out->scorer_names && out->fit_time && out->score_time && out->test_scores &&
             out->fold_status && (!o.return_train_score || out->train_scores);
    for (size_t i = 0; ok && i < m; i++) {
        out->scorer_names[i] = strdup(o.n_scoring ? o.scoring[i] : "score");
        ok = out->scorer_names[i] != NULL;
    }
    if (!ok)
        st = mlc_raise_nomem("cross-validation results");
    mlc_progress_ctx progress;
    mlc_estimator_progress_init(e, &progress);
    if (!st)
        st = mlc_cv_run(&s, &o, &e, 1, &progress, out->fit_time, out->score_time,
                        out->test_scores, out->train_scores, out->fold_status);
    mlc_cv_setup_clear(&s);
    if (st)
        mlc_cv_results_clear(out);
    return st;
}

int mlc_cross_validate_data(const mlc_estimator *e, const mlc_fit_data *data,
                            const mlc_cv_options *opt, mlc_cv_results *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, cross_validate(e, data, opt, out));
}

int mlc_cross_validate(const mlc_estimator *e, const mlc_matrix *X, const double *y,
                       const mlc_cv_options *opt, mlc_cv_results *out)
{
    mlc_matrix Y = y && X ? mlc_matrix_wrap((double *)y, X->rows, 1, 1) : (mlc_matrix){0};
    mlc_fit_data d = {X, y ? &Y : NULL, NULL};
    return mlc_cross_validate_data(e, &d, opt, out);
}
