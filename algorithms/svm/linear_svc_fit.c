/* LinearSVC's fit (include/mlcore/linear_svm.h): scikit-learn's checks,
 * the classes and their weights, liblinear's subproblems (docs/PARITY.md
 * §6) and the solver each one takes.
 *
 * Two classes: one problem, classes_[1] the positive side, each side's C
 * times its class weight. More classes, one-vs-rest: problem k has class k
 * positive with C times its weight, every other row plain C (liblinear's
 * rule). Crammer-Singer: one problem over all classes, C_i = C times the
 * weight of row i's class. Every C_i is also times row i's sample weight.
 * The one-vs-rest problems run on up to n_threads threads, each with its
 * own seed drawn in order from random_state: the same answer on any
 * number of threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/parallel.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"
#include "linear_svm_model.h"
#include "svm_class_weight.h"
#include "mlcore/rng.h"

enum solver { DUAL_SQUARED, DUAL_HINGE, PRIMAL_TRON, PRIMAL_L1, CRAMMER_SINGER };

static const char *const penalty_name[] = {"l1", "l2"}, *const loss_name[] = {"hinge",
                                                                            "squared_hinge"};

/* scikit-learn's _get_liblinear_solver_type, with its message. */
static int pick_solver(const mlc_linear_svc_params *p, enum solver *out)
{
    if (p->multi_class == MLC_LINEAR_SVC_CRAMMER_SINGER) {
        *out = CRAMMER_SINGER;
        return MLC_OK;
    }
    const char *why = NULL;
    if (p->penalty == MLC_LINEAR_SVC_L1 && p->loss == MLC_LINEAR_SVC_HINGE)
        why = "The combination of penalty='l1' and loss='hinge' is not supported";
    else if (p->penalty == MLC_LINEAR_SVC_L2 && p->loss == MLC_LINEAR_SVC_HINGE && !p->dual)
        why = "The combination of penalty='l2' and loss='hinge' are not supported when "
              "dual=False";
    else if (p->penalty == MLC_LINEAR_SVC_L1 && p->dual)
        why = "The combination of penalty='l1' and loss='squared_hinge' are not supported when "
              "dual=True";
    if (why)
        return mlc_raise(MLC_EINVAL, "LinearSVC: Unsupported set of arguments: %s, Parameters: "
                         "penalty='%s', loss='%s', dual=%s", why, penalty_name[p->penalty],
                         loss_name[p->loss], p->dual ? "True" : "False");
    if (p->penalty == MLC_LINEAR_SVC_L1)
        *out = PRIMAL_L1;
    else if (!p->dual)
        *out = PRIMAL_TRON;
    else
        *out = p->loss == MLC_LINEAR_SVC_HINGE ? DUAL_HINGE : DUAL_SQUARED;
    return MLC_OK;
}

static int check_params(const mlc_linear_svc_params *p, enum solver *solver)
{
    if (p->penalty != MLC_LINEAR_SVC_L1 && p->penalty != MLC_LINEAR_SVC_L2)
        return mlc_raise(MLC_EINVAL, "LinearSVC: penalty must be l1 (0) or l2 (1), got %d",
                         p->penalty);
    if (p->loss != MLC_LINEAR_SVC_HINGE && p->loss != MLC_LINEAR_SVC_SQUARED_HINGE)
        return mlc_raise(MLC_EINVAL, "LinearSVC: loss must be hinge (0) or squared_hinge (1), "
                         "got %d", p->loss);
    if (p->multi_class != MLC_LINEAR_SVC_OVR && p->multi_class != MLC_LINEAR_SVC_CRAMMER_SINGER)
        return mlc_raise(MLC_EINVAL, "LinearSVC: multi_class must be ovr (0) or crammer_singer "
                         "(1), got %d", p->multi_class);
    int st = lsvm_check_common(p->C, p->tol, p->intercept_scaling, p->max_iter, p->n_threads,
                               "LinearSVC");
    return st ? st : pick_solver(p, solver);
}

/* Everything the subproblems share. */
typedef struct job {
    const lsvm_data *d;
    const double *Xt;    /* x^ by columns, for the L1 solver */
    const int32_t *cls;  /* class of each training row */
    const double *sw;    /* weight of each training row, or NULL */
    const double *Ccls;  /* C times each class's weight */
    double C;
    size_t K;
    enum solver solver;
    double tol;
    int64_t max_iter;
    const int64_t *seeds;
    int level;
    double *W;           /* problem k's w^ at k (p + 1) */
    lsvm_result *res;
    int *status;
    mlc_progress_ctx *progress;
} job;

/* Binary problem k (two classes: the only one, class 1 positive). */
static int solve_binary(const job *j, size_t k, int threads)
{
    const lsvm_data *d = j->d;
    size_t n = d->n, nb = n ? n : 1, pos_class = j->K == 2 ? 1 : k, pos = 0;
    int8_t *y = malloc(nb);
    double *C = malloc(nb * sizeof *C);
    if (!y || !C) {
        free(y);
        free(C);
        return MLC_ENOMEM; /* raised by the caller, on its own thread */
    }
    for (size_t i = 0; i < n; i++) {
        int positive = (size_t)j->cls[i] == pos_class;
        pos += positive;
        y[i] = positive ? 1 : -1;
        /* one-vs-rest: the rest get plain C; two classes: each its own */
        double Ci = positive ? j->Ccls[pos_class] : j->K == 2 ? j->Ccls[0] : j->C;
        C[i] = j->sw ? Ci * j->sw[i] : Ci;
    }
    lsvm_data dk = *d;
    dk.threads = threads;
    lsvm_opts o = {j->tol, j->max_iter, j->seeds[k], j->level, j->progress};
    if (j->solver == PRIMAL_TRON || j->solver == PRIMAL_L1) { /* liblinear's primal tolerance */
        size_t fewer = pos < n - pos ? pos : n - pos;
        o.tol = j->tol * (double)(fewer > 1 ? fewer : 1) / (double)(n ? n : 1);
    }
    double *w = j->W + k * (d->p + 1);
    int st;
    if (j->solver == PRIMAL_TRON) {
        lsvm_sq_loss f = {y, NULL, 0.0, C};
        st = lsvm_tron(&dk, &f, &o, w, &j->res[k]);
    } else if (j->solver == PRIMAL_L1) {
        st = lsvm_svc_l1(&dk, j->Xt, y, C, &o, w, &j->res[k]);
    } else {
        st = lsvm_svc_dual(&dk, y, C, j->solver == DUAL_SQUARED, &o, w, &j->res[k]);
    }
    free(y);
    free(C);
    return st;
}

static int solve_crammer_singer(const job *j)
{
    const lsvm_data *d = j->d;
    size_t n = d->n;
    double *C = malloc((n ? n : 1) * sizeof *C);
    if (!C)
        return mlc_raise_nomem("the Crammer-Singer problem");
    for (size_t i = 0; i < n; i++)
        C[i] = j->Ccls[j->cls[i]] * (j->sw ? j->sw[i] : 1.0);
    lsvm_opts o = {j->tol, j->max_iter, j->seeds[0], j->level, j->progress};
    int st = lsvm_crammer_singer(d, j->cls, j->K, C, &o, j->W, &j->res[0]);
    free(C);
    return st;
}

/* The problems, on several threads when there are several. */
static int solve_all(const job *j, size_t problems, int n_threads)
{
    if (j->solver == CRAMMER_SINGER)
        return solve_crammer_singer(j);
    double work = (double)j->d->n * (double)(j->d->p + 1) * (double)problems;
    int t = mlc_threads_for(n_threads, problems, work, MLC_PARALLEL_MIN_WORK);
    if (t <= 1 || problems == 1) {
        for (size_t k = 0; k < problems; k++) {
            if (problems > 1)
                mlc_progress_stage(j->progress, 0, "class", k, problems);
            if ((j->status[k] = solve_binary(j, k, n_threads)))
                break;
        }
    } else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(t)
        for (size_t k = 0; k < problems; k++) {
            mlc_progress_stage(j->progress, 0, "class", k, problems); /* the caller's thread */
            j->status[k] = solve_binary(j, k, 1);
        }
    }
    for (size_t k = 0; k < problems; k++)
        if (j->status[k] == MLC_EINTERRUPTED)
            return MLC_EINTERRUPTED;
    for (size_t k = 0; k < problems; k++)
        if (j->status[k])
            return mlc_raise_nomem("a LinearSVC subproblem");
    return MLC_OK;
}

/* x^ by columns: (p + 1) x n, the last column the intercept feature. */
static double *columns(const lsvm_data *d)
{
    size_t n = d->n, p = d->p;
    double *Xt = malloc(((p + 1) * n > 0 ? (p + 1) * n : 1) * sizeof *Xt);
    if (!Xt)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t f = 0; f < p; f++)
            Xt[f * n + i] = d->X[i * d->ld + f];
    for (size_t i = 0; i < n; i++)
        Xt[p * n + i] = d->bias;
    return Xt;
}

/* The model's coef_ and intercept_ from the solvers' w^. */
static void take_weights(mlc_linear_svc *m, const job *j, double bias)
{
    size_t p = m->p, K = m->n_class;
    if (j->solver == CRAMMER_SINGER) { /* W is (p + 1) x K */
        for (size_t r = 0; r < m->rows; r++) {
            for (size_t f = 0; f < p; f++)
                m->coef[r * p + f] = K == 2 ? j->W[f * K + 1] - j->W[f * K]
                                            : j->W[f * K + r];
            m->intercept[r] = K == 2 ? bias * j->W[p * K + 1] - bias * j->W[p * K]
                                     : bias * j->W[p * K + r];
        }
        return;
    }
    for (size_t r = 0; r < m->rows; r++) {
        memcpy(m->coef + r * p, j->W + r * (p + 1), p * sizeof *m->coef);
        m->intercept[r] = bias * j->W[r * (p + 1) + p];
    }
}

static int fit_rows(const mlc_linear_svc_params *prm, enum solver solver, const lsvm_train *tr,
                    const int32_t *cls, const double *Ccls, mlc_progress_ctx *progress,
                    mlc_linear_svc *m)
{
    size_t p = m->p, K = m->n_class;
    size_t problems = solver == CRAMMER_SINGER ? 1 : m->rows;
    size_t w_len = solver == CRAMMER_SINGER ? (p + 1) * K : problems * (p + 1);
    job j = {.d = &tr->d, .cls = cls, .sw = tr->w, .Ccls = Ccls, .C = prm->C, .K = K,
             .solver = solver, .tol = prm->tol, .max_iter = prm->max_iter,
             .level = mlc_cpu_level(), .progress = progress};
    int64_t *seeds = malloc(problems * sizeof *seeds);
    j.W = malloc(w_len * sizeof *j.W);
    j.res = calloc(problems, sizeof *j.res);
    j.status = calloc(problems, sizeof *j.status);
    mlc_rng *rng = NULL;
    int st = MLC_OK;
    if (!seeds || !j.W || !j.res || !j.status)
        st = mlc_raise_nomem("the LinearSVC problems");
    if (!st)
        st = mlc_rng_new(prm->random_state, &rng);
    for (size_t k = 0; !st && k < problems; k++)
        seeds[k] = mlc_rng_seed(rng);
    j.seeds = seeds;
    double *Xt = NULL;
    if (!st && solver == PRIMAL_L1 && !(Xt = columns(&tr->d)))
        st = mlc_raise_nomem("the columns of X");
    j.Xt = Xt;
    if (!st)
        st = solve_all(&j, problems, prm->n_threads);
    if (!st) {
        take_weights(m, &j, tr->d.bias);
        m->converged = 1;
        for (size_t k = 0; k < problems; k++) {
            m->n_iter = j.res[k].n_iter > m->n_iter ? j.res[k].n_iter : m->n_iter;
            m->converged &= j.res[k].converged;
        }
    }
    mlc_rng_free(rng);
    free(Xt);
    free(seeds);
    free(j.W);
    free(j.res);
    free(j.status);
    return st;
}

static int new_model(size_t p, size_t K, const double *classes, int threads,
                     mlc_linear_svc **out)
{
    mlc_linear_svc *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a LinearSVC model");
    m->p = p;
    m->n_class = K;
    m->rows = K == 2 ? 1 : K;
    m->threads = threads;
    m->classes = malloc(K * sizeof *m->classes);
    m->coef = calloc(m->rows * (p ? p : 1), sizeof *m->coef);
    m->intercept = calloc(m->rows, sizeof *m->intercept);
    if (!m->classes || !m->coef || !m->intercept) {
        mlc_linear_svc_free(m);
        return mlc_raise_nomem("a LinearSVC model");
    }
    memcpy(m->classes, classes, K * sizeof *classes);
    *out = m;
    return MLC_OK;
}

static int svc_fit(const mlc_linear_svc_params *p, const mlc_matrix *X, const double *y,
                   const double *sw, mlc_progress_ctx *progress, mlc_linear_svc **out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "LinearSVC: the output pointer is NULL");
    *out = NULL;
    if (!p)
        return mlc_raise(MLC_EINVAL, "LinearSVC: params are NULL");
    enum solver solver = DUAL_SQUARED;
    int st = check_params(p, &solver);
    if (!st)
        st = mlc_check_X_mt(X, "X", p->n_threads);
    if (!st)
        st = mlc_check_y(y, X->rows, "y");
    if (!st)
        st = mlc_check_weights(sw, X->rows);
    if (st)
        return st;
    size_t n = X->rows, K = 0;
    double *classes = NULL, *Ccls = NULL;
    int32_t *codes = malloc(n * sizeof *codes), *cls = NULL;
    lsvm_train tr = {0};
    mlc_linear_svc *m = NULL;
    if (!codes)
        return mlc_raise_nomem("the class codes");
    st = mlc_encode_labels(y, n, &classes, &K, codes);
    if (!st && K < 2)
        st = mlc_raise(MLC_EINVAL, "LinearSVC: this solver needs samples of at least 2 classes "
                       "in the data, but the data contains only one class: %g", classes[0]);
    if (!st && !(Ccls = malloc(K * sizeof *Ccls)))
        st = mlc_raise_nomem("the class weights");
    if (!st)
        st = svm_class_weights(&p->class_weight, classes, K, codes, n, "LinearSVC", Ccls);
    for (size_t k = 0; !st && k < K; k++)
        Ccls[k] *= p->C;
    double bias = p->fit_intercept ? p->intercept_scaling : 0.0;
    if (!st)
        st = lsvm_train_init(&tr, X, sw, bias, p->n_threads);
    if (!st && !(cls = malloc((tr.d.n ? tr.d.n : 1) * sizeof *cls)))
        st = mlc_raise_nomem("the class codes");
    for (size_t k = 0; !st && k < tr.d.n; k++)
        cls[k] = codes[tr.keep ? tr.keep[k] : k];
    if (!st)
        st = new_model(X->cols, K, classes, p->n_threads, &m);
    if (!st)
        st = fit_rows(p, solver, &tr, cls, Ccls, progress, m);
    if (st)
        mlc_linear_svc_free(m);
    else
        *out = m;
    lsvm_train_clear(&tr);
    free(codes);
    free(cls);
    free(classes);
    free(Ccls);
    return st;
}

int mlc_linear_svc_fit(const mlc_linear_svc_params *p, const mlc_matrix *X, const double *y,
                       const double *sample_weight, mlc_linear_svc **out)
{
    return lsvm_svc_fit(p, X, y, sample_weight, NULL, out);
}

int lsvm_svc_fit(const mlc_linear_svc_params *p, const mlc_matrix *X, const double *y,
                 const double *sw, mlc_progress_ctx *progress, mlc_linear_svc **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, svc_fit(p, X, y, sw, progress, out));
}
