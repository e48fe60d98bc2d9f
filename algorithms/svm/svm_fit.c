/* Fitting a kernel machine: one-vs-one pairs for classification, one
 * problem otherwise, gathered into libsvm's model layout
 * (algorithms/svm/svm_model.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "internal/mem.h"
#include "internal/parallel.h"
#include "svm_model.h"
#include "svm_prob.h"
#include "svm_train.h"

void svm_model_free(svm_model *m)
{
    if (!m)
        return;
    free(m->classes);
    free(m->n_support);
    free(m->sv_start);
    free(m->support);
    mlc_aligned_free(m->sv);
    free(m->sv_sq);
    free(m->coef);
    free(m->rho);
    free(m->prob_a);
    free(m->prob_b);
    free(m->n_iter);
    free(m->class_weight);
    free(m->dual_coef_view);
    free(m->intercept_view);
    free(m->coef_view);
    free(m);
}

static svm_train_spec base_spec(const svm_fit_params *fp, const mlc_matrix *X)
{
    svm_train_spec s = {0};
    s.type = fp->type;
    s.kernel = &fp->kernel;
    s.X = X;
    s.C = fp->C;
    s.nu = fp->nu;
    s.epsilon = fp->epsilon;
    s.tol = fp->tol;
    s.cache_mb = fp->cache_mb;
    s.shrinking = fp->shrinking;
    s.threads = fp->threads;
    s.max_iter = fp->max_iter;
    s.progress = fp->progress;
    return s;
}

/* Support vectors (rows with a non-zero coefficient), their rows of X, and
 * squared norms for rbf. */
static int gather_support(svm_model *m, const mlc_matrix *X, const size_t *sv_rows)
{
    size_t n_sv = m->n_sv, p = m->kernel.type == MLC_SVM_PRECOMPUTED ? 0 : X->cols;
    m->support = malloc((n_sv ? n_sv : 1) * sizeof *m->support);
    m->sv = mlc_aligned_alloc(n_sv * p > 0 ? n_sv * p : 1, sizeof(double));
    if (!m->support || !m->sv)
        return mlc_raise_nomem("the support vectors");
    for (size_t s = 0; s < n_sv; s++) {
        m->support[s] = (int32_t)sv_rows[s];
        if (p)
            memcpy(m->sv + s * p, mlc_matrix_row(X, sv_rows[s]), p * sizeof(double));
    }
    if (m->kernel.type == MLC_SVM_RBF) {
        if (!(m->sv_sq = malloc((n_sv ? n_sv : 1) * sizeof *m->sv_sq)))
            return mlc_raise_nomem("the support vectors");
        svm_row_norms(m->sv, n_sv, p, p, m->sv_sq);
    }
    return MLC_OK;
}

/* One problem: regression or one-class. */
static int fit_single(const svm_fit_params *fp, const mlc_matrix *X, const size_t *rows,
                      size_t n, const double *y, const double *w, svm_model *m)
{
    double *coef = malloc((n ? n : 1) * sizeof *coef);
    double *yy = y ? malloc((n ? n : 1) * sizeof *yy) : NULL;
    size_t *sv_rows = malloc((n ? n : 1) * sizeof *sv_rows);
    m->rho = malloc(sizeof *m->rho);
    m->n_iter = malloc(sizeof *m->n_iter);
    m->n_support = malloc(sizeof *m->n_support);
    m->sv_start = malloc(2 * sizeof *m->sv_start);
    if (!coef || (y && !yy) || !sv_rows || !m->rho || !m->n_iter || !m->n_support ||
        !m->sv_start) {
        free(coef), free(yy), free(sv_rows);
        return mlc_raise_nomem("the SVM problem");
    }
    for (size_t i = 0; y && i < n; i++)
        yy[i] = y[rows[i]];
    /* Regression rows are used in place (no subset): gather X first when
     * rows were left out. */
    svm_train_spec s = base_spec(fp, X);
    s.n = n;
    s.y = yy;
    s.w = w;
    mlc_matrix Xs = {0};
    int st = MLC_OK;
    if (n != X->rows) {
        size_t cols = X->cols;
        st = mlc_matrix_alloc(&Xs, n, cols);
        for (size_t i = 0; !st && i < n; i++)
            memcpy(mlc_matrix_row(&Xs, i), mlc_matrix_row(X, rows[i]), cols * sizeof(double));
        s.X = &Xs;
    }
    svm_solution sol;
    if (!st)
        st = svm_train_one(&s, coef, &sol);
    mlc_matrix_clear(&Xs);
    if (!st) {
        m->rho[0] = sol.rho;
        m->n_iter[0] = sol.iter;
        m->fit_status = sol.hit_max_iter;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (coef[i] != 0.0) {
                coef[k] = coef[i];
                sv_rows[k++] = rows[i];
            }
        m->n_sv = k;
        m->n_support[0] = (int32_t)k;
        m->sv_start[0] = 0;
        m->sv_start[1] = k;
        m->coef = coef;
        coef = NULL;
        st = gather_support(m, X, sv_rows);
    }
    free(coef);
    free(yy);
    free(sv_rows);
    return st;
}

/* One pair's scratch (n values each): its rows of X, signs, weights and
 * coefficients. */
typedef struct pair_scratch {
    size_t *rows;
    int8_t *sign;
    double *w, *coef;
} pair_scratch;

static int pair_scratch_alloc(pair_scratch *ps, size_t n)
{
    ps->rows = malloc((n ? n : 1) * sizeof *ps->rows);
    ps->sign = malloc(n ? n : 1);
    ps->w = malloc((n ? n : 1) * sizeof *ps->w);
    ps->coef = malloc((n ? n : 1) * sizeof *ps->coef);
    return ps->rows && ps->sign && ps->w && ps->coef;
}

static void pair_scratch_free(pair_scratch *ps)
{
    free(ps->rows), free(ps->sign), free(ps->w), free(ps->coef);
}

/* The classes' used rows: by_class lists used-row numbers grouped by class,
 * ascending; class k's are by_class[start[k] .. start[k+1]). */
typedef struct pair_set {
    const svm_fit_params *fp;
    const mlc_matrix *X;
    const size_t *rows, *start, *by_class;
    const double *w;
    size_t n;
    size_t *first, *second; /* classes of pair p (libsvm's order) */
    const double *row_sq;   /* rbf: squared norms by row of X, shared (NULL: per pair) */
} pair_set;

/* Pair p on class i's rows then class j's, i the +1 side: its sigmoid (when
 * rng is given), then its solution, the coefficients into all[p n + r] by
 * used row r. threads and cache_mb are the pair's share. */
static int solve_pair(const pair_set *S, size_t p, pair_scratch *ps, mlc_rng *rng, int threads,
                      double cache_mb, svm_model *m, double *all, unsigned char *hit)
{
    const svm_fit_params *fp = S->fp;
    size_t i = S->first[p], j = S->second[p], n = S->n;
    size_t ni = S->start[i + 1] - S->start[i], nj = S->start[j + 1] - S->start[j], m2 = ni + nj;
    for (size_t t = 0; t < m2; t++) {
        size_t r = S->by_class[t < ni ? S->start[i] + t : S->start[j] + t - ni];
        ps->rows[t] = S->rows[r];
        ps->sign[t] = t < ni ? 1 : -1;
        ps->w[t] = S->w ? S->w[r] : 1.0;
    }
    svm_train_spec s = base_spec(fp, S->X);
    s.rows = ps->rows;
    s.row_sq = S->row_sq;
    s.n = m2;
    s.sign = ps->sign;
    s.w = ps->w;
    s.threads = threads;
    s.cache_mb = cache_mb;
    s.Cp = fp->C * (fp->class_weight ? fp->class_weight[i] : 1.0);
    s.Cn = fp->C * (fp->class_weight ? fp->class_weight[j] : 1.0);
    int st = rng ? svm_pair_sigmoid(&s, rng, &m->prob_a[p], &m->prob_b[p]) : MLC_OK;
    svm_solution sol;
    if (!st)
        st = svm_train_one(&s, ps->coef, &sol);
    if (st)
        return st;
    m->rho[p] = sol.rho;
    m->n_iter[p] = sol.iter;
    hit[p] = (unsigned char)sol.hit_max_iter;
    for (size_t t = 0; t < m2; t++)
        all[p * n + S->by_class[t < ni ? S->start[i] + t : S->start[j] + t - ni]] = ps->coef[t];
    return MLC_OK;
}

/* Solve every pair. Without probabilities (whose folds are drawn from one
 * random stream, pair after pair), pairs run side by side on the threads,
 * largest first, each on one thread with its share of the cache: a pair's
 * answer does not depend on which thread solves it or on its cache size,
 * so the model is the same as in order. A failure is reported as the
 * lowest failing pair would report it in order (solved again on the
 * calling thread, where the message is kept). */
static int solve_pairs(const pair_set *S, size_t P, mlc_rng *rng, svm_model *m, double *all,
                       unsigned char *hit)
{
    const svm_fit_params *fp = S->fp;
    double work = 0.0;
    for (size_t p = 0; p < P; p++) {
        size_t i = S->first[p], j = S->second[p];
        size_t rows = S->start[i + 1] - S->start[i] + S->start[j + 1] - S->start[j];
        work += svm_problem_work(rows, &S->fp->kernel, S->X->cols);
    }
    int threads = rng || P < 2 ? 1 : mlc_threads_for(fp->threads, P, work, SVM_SIDE_BY_SIDE_MIN_WORK);
    if (threads <= 1) {
        pair_scratch ps;
        int st = pair_scratch_alloc(&ps, S->n) ? MLC_OK : mlc_raise_nomem("the one-vs-one problems");
        for (size_t p = 0; !st && p < P; p++) {
            mlc_progress_stage(fp->progress, 0, "pair", p, P);
            st = solve_pair(S, p, &ps, rng, fp->threads, fp->cache_mb, m, all, hit);
        }
        pair_scratch_free(&ps);
        return st;
    }
    size_t *order = malloc(P * sizeof *order), *rows_of = malloc(P * sizeof *rows_of);
    int *status = calloc(P, sizeof *status);
    if (!order || !rows_of || !status) {
        free(order), free(rows_of), free(status);
        return mlc_raise_nomem("the one-vs-one problems");
    }
    for (size_t p = 0; p < P; p++) { /* largest first (stable: ties in pair order) */
        size_t i = S->first[p], j = S->second[p];
        rows_of[p] = S->start[i + 1] - S->start[i] + S->start[j + 1] - S->start[j];
        size_t at = p;
        while (at > 0 && rows_of[order[at - 1]] < rows_of[p]) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = p;
    }
    double share = fp->cache_mb / threads;
#pragma omp parallel num_threads(threads)
    {
        pair_scratch ps;
        int ok = pair_scratch_alloc(&ps, S->n);
#pragma omp for schedule(dynamic, 1)
        for (size_t q = 0; q < P; q++) {
            /* the calling thread's pairs count how far the schedule is */
            mlc_progress_stage(fp->progress, 0, "pair", q, P);
            status[order[q]] = ok ? solve_pair(S, order[q], &ps, NULL, 1, share, m, all, hit)
                                  : MLC_ENOMEM;
        }
        pair_scratch_free(&ps);
    }
    /* The calling thread may have solved no pair (the others took them
     * all, as under valgrind): one report when all are done, where a stop
     * can still be asked. */
    int st = mlc_progress_tick(fp->progress, (int64_t)P, (int64_t)P, NAN, "") ? MLC_EINTERRUPTED
                                                                               : MLC_OK;
    for (size_t p = 0; p < P && !st; p++)
        if (status[p] == MLC_EINTERRUPTED) /* no message: the registry gives it */
            st = MLC_EINTERRUPTED;
        else if (status[p]) {
            pair_scratch ps;
            st = pair_scratch_alloc(&ps, S->n)
                     ? solve_pair(S, p, &ps, NULL, 1, fp->cache_mb, m, all, hit)
                     : mlc_raise_nomem("the one-vs-one problems");
            if (!st) /* it failed on a worker but not here: report what it said */
                st = status[p] == MLC_ENOMEM ? mlc_raise_nomem("the one-vs-one problems")
                                             : mlc_raise(status[p], "one-vs-one pair %zu failed", p);
            pair_scratch_free(&ps);
        }
    free(order), free(rows_of), free(status);
    return st;
}

/* One-vs-one: pair (i, j) on class i's rows then class j's, i the +1 side. */
static int fit_pairs(const svm_fit_params *fp, const mlc_matrix *X, const size_t *rows, size_t n,
                     const int32_t *codes, const double *w, mlc_rng *rng, svm_model *m)
{
    size_t K = m->n_class, P = K * (K - 1) / 2;
    size_t *start = calloc(K + 1, sizeof *start), *by_class = malloc(n * sizeof *by_class);
    size_t *sv_rows = malloc(n * sizeof *sv_rows), *pair_class = malloc(2 * P * sizeof *pair_class);
    double *all = calloc(P * n, sizeof *all); /* coefficient of used row r in pair p */
    unsigned char *nonzero = calloc(n ? n : 1, 1), *hit = calloc(P ? P : 1, 1);
    m->rho = malloc(P * sizeof *m->rho);
    m->n_iter = malloc(P * sizeof *m->n_iter);
    m->n_support = calloc(K, sizeof *m->n_support);
    if (rng) {
        m->prob_a = malloc(P * sizeof *m->prob_a);
        m->prob_b = malloc(P * sizeof *m->prob_b);
    }
    int st = MLC_OK;
    if (!start || !by_class || !sv_rows || !pair_class || !all || !nonzero || !hit || !m->rho ||
        !m->n_iter || !m->n_support || (rng && (!m->prob_a || !m->prob_b)))
        st = mlc_raise_nomem("the one-vs-one problems");
    if (!st) {
        for (size_t r = 0; r < n; r++)
            start[codes[rows[r]] + 1]++;
        for (size_t k = 0; k < K; k++)
            start[k + 1] += start[k];
        size_t *fill = sv_rows; /* scratch: next slot per class */
        for (size_t k = 0; k < K; k++)
            fill[k] = start[k];
        for (size_t r = 0; r < n; r++) /* used-row numbers, grouped by class, ascending */
            by_class[fill[codes[rows[r]]]++] = r;
        size_t p = 0;
        for (size_t i = 0; i < K; i++)
            for (size_t j = i + 1; j < K; j++, p++) {
                pair_class[p] = i;
                pair_class[P + p] = j;
            }
        /* rbf: each row's squared norm once, not once per problem it is in */
        double *row_sq = NULL;
        if (fp->kernel.type == MLC_SVM_RBF && (P > 1 || rng)) {
            if ((row_sq = malloc((X->rows ? X->rows : 1) * sizeof *row_sq)))
                svm_row_norms(X->data, X->rows, X->cols, X->stride, row_sq);
            else
                st = mlc_raise_nomem("the rows' norms");
        }
        pair_set S = {fp, X, rows, start, by_class, w, n, pair_class, pair_class + P, row_sq};
        if (!st)
            st = solve_pairs(&S, P, rng, m, all, hit);
        free(row_sq);
    }
    for (size_t p = 0; !st && p < P; p++) {
        m->fit_status |= hit[p];
        for (size_t r = 0; r < n; r++)
            nonzero[r] |= all[p * n + r] != 0.0;
    }
    /* Support vectors in class order; coef rows as libsvm lays them out. */
    size_t n_sv = 0;
    for (size_t t = 0; !st && t < n; t++)
        n_sv += nonzero[by_class[t]];
    m->n_sv = n_sv;
    if (!st && !(m->coef = calloc((K > 1 ? K - 1 : 1) * (n_sv ? n_sv : 1), sizeof *m->coef)))
        st = mlc_raise_nomem("the dual coefficients");
    if (!st) {
        size_t *sv_used = by_class; /* reused as scratch below */
        size_t k = 0;
        size_t *class_of = malloc((n_sv ? n_sv : 1) * sizeof *class_of);
        size_t *used_of = malloc((n_sv ? n_sv : 1) * sizeof *used_of);
        if (!class_of || !used_of)
            st = mlc_raise_nomem("the support vectors");
        for (size_t c = 0; !st && c < K; c++)
            for (size_t t = start[c]; t < start[c + 1]; t++) {
                size_t r = sv_used[t];
                if (!nonzero[r])
                    continue;
                class_of[k] = c;
                used_of[k] = r;
                m->n_support[c]++;
                k++;
            }
        for (size_t s = 0; !st && s < n_sv; s++) {
            sv_rows[s] = rows[used_of[s]];
            size_t c = class_of[s], pp = 0;
            for (size_t i = 0; i < K; i++)
                for (size_t j = i + 1; j < K; j++, pp++) {
                    if (c == i)
                        m->coef[(j - 1) * n_sv + s] = all[pp * n + used_of[s]];
                    else if (c == j)
                        m->coef[i * n_sv + s] = all[pp * n + used_of[s]];
                }
        }
        if (!st && !(m->sv_start = malloc((K + 1) * sizeof *m->sv_start)))
            st = mlc_raise_nomem("the support vectors");
        for (size_t c = 0; !st && c < K; c++) {
            m->sv_start[0] = 0;
            m->sv_start[c + 1] = m->sv_start[c] + (size_t)m->n_support[c];
        }
        if (!st)
            st = gather_support(m, X, sv_rows);
        free(class_of);
        free(used_of);
    }
    free(start), free(by_class), free(sv_rows), free(pair_class), free(all);
    free(nonzero), free(hit);
    return st;
}

/* As scikit-learn: coefficients or intercepts that are not finite (data
 * too large or too small for the kernel, a degenerate nu problem) are an
 * error, not a model. */
static int check_finite_model(const svm_model *m)
{
    size_t rows = m->n_class > 1 ? m->n_class - 1 : 1;
    for (size_t i = 0; i < rows * m->n_sv; i++)
        if (!isfinite(m->coef[i]))
            return mlc_raise(MLC_ENONFINITE, "the dual coefficients or intercepts are not "
                             "finite; the data may hold values too large or too small for "
                             "the kernel (scale them)");
    for (size_t q = 0; q < m->n_pairs; q++)
        if (!isfinite(m->rho[q]))
            return mlc_raise(MLC_ENONFINITE, "the dual coefficients or intercepts are not "
                             "finite; the data may hold values too large or too small for "
                             "the kernel (scale them)");
    return MLC_OK;
}

int svm_fit(const svm_fit_params *fp, const mlc_matrix *X, const int32_t *codes,
            const double *classes, size_t n_class, const double *y, const double *sw,
            svm_model **out)
{
    *out = NULL;
    svm_model *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("an SVM model");
    /* Kernel segments are small GEMVs, parallel in our own loops: BLAS on
     * one thread (a threaded GEMV per row costs more in wake-ups than it
     * computes). */
    mlc_blas_set_threads(1);
    m->type = fp->type;
    m->kernel = fp->kernel;
    m->p = X->cols;
    m->shape_fit[0] = (int64_t)X->rows;
    m->shape_fit[1] = (int64_t)X->cols;
    size_t n_all = X->rows, n = 0;
    size_t *rows = malloc((n_all ? n_all : 1) * sizeof *rows);
    double *w = sw ? malloc((n_all ? n_all : 1) * sizeof *w) : NULL;
    int st = rows && (!sw || w) ? MLC_OK : mlc_raise_nomem("an SVM problem");
    for (size_t i = 0; !st && i < n_all; i++) /* libsvm leaves out rows of weight <= 0 */
        if (!sw || sw[i] > 0.0) {
            if (w)
                w[n] = sw[i];
            rows[n++] = i;
        }
    if (!st && n == 0)
        st = mlc_raise(MLC_EINVAL, "every sample weight is zero or negative: nothing to fit");
    int classifier = fp->type == MLC_SVM_C_SVC || fp->type == MLC_SVM_NU_SVC;
    if (!st && classifier) {
        m->n_class = n_class;
        m->n_pairs = n_class * (n_class - 1) / 2;
        m->classes = malloc(n_class * sizeof *m->classes);
        m->class_weight = malloc(n_class * sizeof *m->class_weight);
        if (!m->classes || !m->class_weight)
            st = mlc_raise_nomem("the classes");
        for (size_t k = 0; !st && k < n_class; k++) {
            m->classes[k] = classes[k];
            m->class_weight[k] = fp->class_weight ? fp->class_weight[k] : 1.0;
        }
        mlc_rng *rng = NULL;
        if (!st && fp->probability)
            st = mlc_rng_new(fp->random_state, &rng);
        if (!st)
            st = fit_pairs(fp, X, rows, n, codes, w, rng, m);
        mlc_rng_free(rng);
    } else if (!st) {
        m->n_pairs = 1;
        st = fit_single(fp, X, rows, n, y, w, m);
    }
    free(rows);
    free(w);
    m->threads = fp->threads;
    if (!st)
        st = check_finite_model(m);
    if (!st)
        st = svm_model_views(m);
    if (st) {
        svm_model_free(m);
        return st;
    }
    *out = m;
    return MLC_OK;
}
