/* RidgeCV with efficient leave-one-out cross-validation (scikit-learn's
 * _RidgeGCV with cv=None, scoring=None).
 *
 * For a ridge fit with hat matrix H(alpha), the LOO error of sample i is
 * (y~_i - yhat_i) / (1 - H_ii): scikit-learn's c_i / diag(G^-1)_i. The
 * intercept is the unpenalised direction sqrt(sw) (orthogonal to the centred
 * columns), contributing sw_i / sum(sw) to H_ii.
 *   "svd" (n > p): eigendecomposition X~'X~ = V diag(lambda) V', Z = X~V,
 *       H_ii = sum_j Z_ij^2 / (lambda_j + alpha), yhat = Z diag(1/(lambda+alpha)) V'X~'y~
 *       (Z block by block, never stored, every alpha in one pass); when X~'X~ is
 *       too ill-conditioned for the smallest alpha, scikit-learn's own SVD of
 *       [X~, sqrt(sw)];
 *   "eigen" (n <= p): eigendecomposition of X~X~' + sqrt(sw)sqrt(sw)' = Q diag(lambda) Q'
 *       with the intercept's eigenvalue unpenalised, as scikit-learn does.
 * One decomposition serves every alpha. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "linear_model.h"
#include "linear_solve.h"
#include "internal/validate.h"
#include "internal/thread_scope.h"
#include "mlcore/linear.h"

struct mlc_ridge_cv {
    mlc_linear_model lm;
    mlc_ridge_cv_params params; /* alphas point at `alphas` */
    double *alphas;             /* alphas_len, as given */
    size_t alphas_len;
    double *alpha;              /* alpha_: k values (all equal unless alpha_per_target) */
    double *best_score;         /* best_score_: k values likewise */
    double *cv_values;          /* n x k x alphas_len squared LOO errors, or NULL */
    size_t n_samples;
};

static const char NAME[] = "ridge_cv";

/* The registry's view: the alphas as a list. */
typedef struct rcv_reg_params {
    mlc_real_list alphas;
    int fit_intercept;
    int gcv_mode;
    int store_cv_values;
    int alpha_per_target;
    int n_threads;
} rcv_reg_params;

static const mlc_param_info params_table[] = {
    MLC_P_REAL_LIST(rcv_reg_params, alphas, "0.1,1,10", 0.0, HUGE_VAL,
                    "alphas to try (each > 0), compared by leave-one-out error"),
    MLC_P_BOOL(rcv_reg_params, fit_intercept, "true", "fit an intercept (centre X and y)"),
    MLC_P_CHOICE(rcv_reg_params, gcv_mode, "auto", "auto|svd|eigen",
                 "decompose X'X (svd, the auto choice when n > p) or XX' (eigen)"),
    MLC_P_BOOL(rcv_reg_params, store_cv_values, "false",
               "keep the squared LOO errors of every alpha as cv_values_"),
    MLC_P_BOOL(rcv_reg_params, alpha_per_target, "false",
               "choose an alpha for each target separately"),
    MLC_P_THREADS(rcv_reg_params),
};

/* The typed params of the registry's (alphas point into r). */
static mlc_ridge_cv_params typed_params(const rcv_reg_params *r)
{
    mlc_ridge_cv_params p = {r->alphas.v, r->alphas.n, r->fit_intercept, r->gcv_mode,
                             r->store_cv_values, r->alpha_per_target, r->n_threads};
    return p;
}

mlc_ridge_cv_params mlc_ridge_cv_params_default(void)
{
    rcv_reg_params r = MLC_TABLE_DEFAULTS(rcv_reg_params, params_table);
    mlc_ridge_cv_params p = typed_params(&r);
    p.alphas = NULL; /* the table's list, taken at the fit (rcv_new) */
    p.alphas_len = 0;
    return p;
}

void mlc_ridge_cv_free(mlc_ridge_cv *m)
{
    if (!m)
        return;
    mlc_lin_model_clear(&m->lm);
    free(m->alphas);
    free(m->cv_values);
    free(m);
}

static void rcv_free(void *m)
{
    mlc_ridge_cv_free(m);
}

/* A model holding copies of the alphas; cv_values for n samples if asked. */
static int rcv_new(const mlc_ridge_cv_params *p, size_t n_features, size_t k, size_t n,
                   mlc_ridge_cv **out)
{
    rcv_reg_params defaults = MLC_TABLE_DEFAULTS(rcv_reg_params, params_table);
    const double *al = p->alphas ? p->alphas : defaults.alphas.v;
    size_t na = p->alphas ? p->alphas_len : defaults.alphas.n;
    if (na < 1)
        return mlc_raise(MLC_EINVAL, "alphas needs at least one value");
    for (size_t i = 0; i < na; i++)
        if (!(al[i] > 0.0) || isinf(al[i]))
            return mlc_raise(MLC_EINVAL, "every alpha of RidgeCV must be a finite number > 0, "
                             "got %g", al[i]);
    if (p->gcv_mode < MLC_GCV_AUTO || p->gcv_mode > MLC_GCV_EIGEN)
        return mlc_raise(MLC_EINVAL, "gcv_mode must be auto (0), svd (1) or eigen (2), got %d",
                         p->gcv_mode);
    mlc_ridge_cv *m = calloc(1, sizeof *m);
    if (!m)
        return mlc_raise_nomem("a RidgeCV model");
    m->params = *p;
    m->alphas_len = na;
    m->n_samples = n;
    m->alphas = malloc((na + 2 * k) * sizeof *m->alphas);
    m->lm.n_threads = p->n_threads;
    int st = m->alphas ? mlc_lin_model_init(&m->lm, n_features, k)
                       : mlc_raise_nomem("a RidgeCV model");
    if (!st && p->store_cv_values && !(m->cv_values = malloc(n * k * na * sizeof(double))))
        st = mlc_raise_nomem("cv_values_");
    if (st) {
        mlc_ridge_cv_free(m);
        return st;
    }
    memcpy(m->alphas, al, na * sizeof *al);
    m->alpha = m->alphas + na;
    m->best_score = m->alpha + k;
    m->params.alphas = m->alphas;
    m->params.alphas_len = na;
    *out = m;
    return MLC_OK;
}

/* The decompositions. For all three, `vec` holds r vectors of length m as
 * rows, and the LOO errors follow from them for any alpha:
 *   GRAM    (svd mode, accurate case): eigenpairs of X~'X~ (m = p), Z = X~V;
 *   DESIGN  (svd mode): scikit-learn's SVD of [X~, sqrt(sw)] (vec = U', m = n);
 *   KERNEL  (eigen mode): eigenpairs of X~X~' + sqrt(sw)sqrt(sw)' (m = n). */
enum gcv_kind { GCV_GRAM, GCV_DESIGN, GCV_KERNEL };

/* The Gram route needs lambda_min + alpha_min >= GRAM_MIN_RATIO * lambda_max:
 * eigenvalues of X~'X~ carry an absolute error of eps * lambda_max, which
 * then stays below 2e-10 relative. Otherwise the SVD of the design is used. */
#define GRAM_MIN_RATIO 1e-6

typedef struct gcv {
    mlc_lin_data *d;
    enum gcv_kind kind;
    size_t r;        /* number of eigen / singular pairs */
    double *lambda;  /* r eigenvalues, or squared singular values */
    double *vec;     /* r x m: V' (GRAM), U' (DESIGN), Q' (KERNEL) */
    double *proj;    /* k x r: V'X~'y~ (GRAM), U'y~ / Q'y~ */
    double *Yc;      /* n x k centred, weighted targets */
    double *h0;      /* GRAM: n, the intercept's share of the hat diagonal */
    size_t icpt_dim; /* DESIGN/KERNEL: index of the intercept's vector */
} gcv;

static void gcv_clear(gcv *g)
{
    free(g->lambda);
    free(g->vec);
    free(g->proj);
    free(g->Yc);
    free(g->h0);
}

/* Eigendecomposition of the symmetric A (n x n, full storage) in place: A
 * gets the eigenvectors as rows (row-major), lambda the eigenvalues in
 * ascending order. LAPACK's syevr, as scipy.linalg.eigh uses. */
static int eigh(double *A, size_t n, double *lambda)
{
    double *Z = malloc(n * n * sizeof *Z);
    lapack_int *isuppz = malloc(2 * (n ? n : 1) * sizeof *isuppz);
    if (!Z || !isuppz) {
        free(Z);
        free(isuppz);
        return mlc_raise_nomem("an eigendecomposition");
    }
    lapack_int m = 0;
    mlc_blas_set_threads(1); /* LAPACK on one thread: the same bits for any thread count */
    /* Full symmetric row-major storage reads the same column-major. */
    lapack_int info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, 'V', 'A', 'L', (lapack_int)n, A,
                                     (lapack_int)n, 0.0, 0.0, 0, 0, 0.0, &m, lambda, Z,
                                     (lapack_int)n, isuppz);
    if (info == 0)
        memcpy(A, Z, n * n * sizeof *Z); /* column j of Z = row j row-major */
    free(Z);
    free(isuppz);
    if (info == LAPACK_WORK_MEMORY_ERROR)
        return mlc_raise_nomem("eigendecomposition workspace");
    if (info != 0)
        return mlc_raise(MLC_ESING, "the eigendecomposition did not converge (LAPACK info %d)",
                         (int)info);
    return MLC_OK;
}

/* Eigenpairs of X~'X~; MLC_ESING (no message) when they are not accurate
 * enough for the smallest alpha. */
static int gcv_gram(gcv *g, double alpha_min)
{
    mlc_lin_data *d = g->d;
    size_t n = d->n, p = d->p, k = d->k;
    g->r = p;
    g->lambda = malloc(p * sizeof *g->lambda);
    g->vec = malloc(p * p * sizeof *g->vec);
    g->proj = malloc(k * p * sizeof *g->proj);
    double *xty = malloc(k * p * sizeof *xty);
    int st = MLC_OK;
    if (!g->lambda || !g->vec || !g->proj || !xty)
        st = mlc_raise_nomem("the RidgeCV decomposition");
    if (!st)
        st = mlc_lin_gram(d, g->vec, xty, NULL);
    if (!st) {
        st = eigh(g->vec, p, g->lambda);
    }
    if (!st && !(g->lambda[0] + alpha_min >= GRAM_MIN_RATIO * g->lambda[p - 1]))
        st = MLC_ESING;
    if (!st) /* proj_t = V' X~'y~_t */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)k, (int)p, (int)p, 1.0, xty,
                    (int)p, g->vec, (int)p, 0.0, g->proj, (int)p);
    if (!st && d->center) {
        if (!(g->h0 = malloc(n * sizeof *g->h0)))
            st = mlc_raise_nomem("the hat diagonal");
        for (size_t i = 0; !st && i < n; i++) {
            double sc = mlc_lin_row_scale(d, i);
            g->h0[i] = sc * sc / (d->sw_sum * d->w_scale);
        }
    }
    free(xty);
    return st;
}

/* scikit-learn's _find_smallest_angle: the vector closest to sqrt(sw). */
static size_t smallest_angle(const gcv *g)
{
    const mlc_lin_data *d = g->d;
    size_t n = d->n, best = 0;
    double norm = 0.0, bestc = -1.0;
    for (size_t i = 0; i < n; i++) {
        double sc = mlc_lin_row_scale(d, i);
        norm += sc * sc;
    }
    norm = sqrt(norm);
    for (size_t j = 0; j < g->r; j++) {
        double c = 0.0;
        for (size_t i = 0; i < n; i++)
            c += mlc_lin_row_scale(d, i) / norm * g->vec[j * n + i];
        if (fabs(c) > bestc) {
            bestc = fabs(c);
            best = j;
        }
    }
    return best;
}

/* proj (k x r) = Y~' vec' for vec with rows of length n. */
static void project_targets(gcv *g)
{
    size_t n = g->d->n, k = g->d->k, r = g->r;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasTrans, (int)k, (int)r, (int)n, 1.0, g->Yc,
                (int)k, g->vec, (int)n, 0.0, g->proj, (int)r);
}

/* scikit-learn's dense "svd" mode: the SVD of [X~, sqrt(sw)]. */
static int gcv_design(gcv *g)
{
    const mlc_lin_data *d = g->d;
    size_t n = d->n, p = d->p, q = p + (d->center ? 1 : 0);
    size_t r = n < q ? n : q;
    g->r = r;
    double *A = malloc(n * q * sizeof *A), *VT = malloc(r * q * sizeof *VT);
    g->lambda = malloc(r * sizeof *g->lambda);
    g->vec = malloc(r * n * sizeof *g->vec);
    g->proj = malloc(d->k * r * sizeof *g->proj);
    int st = MLC_OK;
    if (!A || !VT || !g->lambda || !g->vec || !g->proj)
        st = mlc_raise_nomem("the SVD of X");
    if (!st) {
        mlc_lin_copy_colmajor(d, A, n, NULL, 0);
        for (size_t i = 0; i < n && d->center; i++)
            A[p * n + i] = mlc_lin_row_scale(d, i);
        mlc_blas_set_threads(1); /* LAPACK on one thread: the same bits for any thread count */
        lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', (lapack_int)n, (lapack_int)q, A,
                                         (lapack_int)n, g->lambda, g->vec, (lapack_int)n, VT,
                                         (lapack_int)r);
        if (info == LAPACK_WORK_MEMORY_ERROR)
            st = mlc_raise_nomem("SVD workspace");
        else if (info != 0)
            st = mlc_raise(MLC_ESING, "the SVD of X did not converge (LAPACK info %d)",
                           (int)info);
    }
    free(A);
    free(VT);
    if (st)
        return st;
    for (size_t j = 0; j < r; j++)
        g->lambda[j] *= g->lambda[j];
    project_targets(g);
    if (d->center)
        g->icpt_dim = smallest_angle(g);
    return MLC_OK;
}

static int gcv_kernel(gcv *g)
{
    const mlc_lin_data *d = g->d;
    size_t n = d->n, p = d->p;
    g->r = n;
    g->lambda = malloc(n * sizeof *g->lambda);
    g->vec = malloc(n * n * sizeof *g->vec);
    g->proj = malloc(d->k * n * sizeof *g->proj);
    double *Xr = malloc(n * p * sizeof *Xr);
    if (!g->lambda || !g->vec || !g->proj || !Xr) {
        free(Xr);
        return mlc_raise_nomem("the RidgeCV decomposition");
    }
    mlc_lin_copy_rowmajor(d, Xr, NULL);
    mlc_lin_syrk_nt(Xr, n, p, p, g->vec, mlc_lin_threads_for(d, (double)n * (double)n * (double)p));
    free(Xr);
    for (size_t i = 0; i < n && d->center; i++) { /* the intercept column sqrt(sw) */
        double si = mlc_lin_row_scale(d, i);
        for (size_t j = i; j < n; j++) {
            double v = g->vec[i * n + j] + si * mlc_lin_row_scale(d, j);
            g->vec[i * n + j] = g->vec[j * n + i] = v;
        }
    }
    int st = eigh(g->vec, n, g->lambda);
    if (st)
        return st;
    project_targets(g);
    if (d->center)
        g->icpt_dim = smallest_angle(g);
    return MLC_OK;
}

/* Squared LOO errors for alpha into sq (n x k), from the SVD of the design or
 * the kernel's eigenpairs. scratch: n*k + n + r*k + r. */
static void gcv_errors(const gcv *g, double alpha, double *sq, double *scratch)
{
    const mlc_lin_data *d = g->d;
    size_t n = d->n, k = d->k, r = g->r;
    double *fit = scratch, *diag = fit + n * k, *wp = diag + n, *w = wp + r * k;
    /* scikit-learn's formulas: c = vec' diag(w) proj' (+ y~/alpha for the
     * SVD), diag(G^-1) = sum_j w_j vec_ji^2 (+ 1/alpha), error = c / diag. */
    int design = g->kind == GCV_DESIGN;
    for (size_t j = 0; j < r; j++) {
        int icpt = d->center && j == g->icpt_dim;
        if (design)
            w[j] = icpt ? -1.0 / alpha : 1.0 / (g->lambda[j] + alpha) - 1.0 / alpha;
        else
            w[j] = icpt ? 0.0 : 1.0 / (g->lambda[j] + alpha);
    }
    for (size_t t = 0; t < k; t++)
        for (size_t j = 0; j < r; j++)
            wp[j * k + t] = w[j] * g->proj[t * r + j];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)k, (int)r, 1.0, g->vec,
                (int)n, wp, (int)k, 0.0, fit, (int)k);
    for (size_t i = 0; i < n; i++)
        diag[i] = design ? 1.0 / alpha : 0.0;
    for (size_t j = 0; j < r; j++) {
        const double *v = g->vec + j * n;
        for (size_t i = 0; i < n; i++)
            diag[i] += w[j] * v[i] * v[i];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < k; t++) {
            double c = fit[i * k + t] + (design ? g->Yc[i * k + t] / alpha : 0.0);
            double e = c / diag[i];
            sq[i * k + t] = e * e;
        }
}

/* The Gram route for every alpha in one pass over X: with Z = X~V, block by
 * block (never stored),
 *   fit(alpha) = Z diag(1/(lambda+alpha)) proj',
 *   H_ii(alpha) = h0_i + sum_j Z_ij^2 / (lambda_j+alpha),
 * as two GEMMs per block against every alpha's weights at once. Each block
 * sums its squared errors per alpha and target (in row order), and the
 * blocks' sums are added in block order: the bits do not depend on the
 * threads. */
typedef struct gram_pass {
    const gcv *g;
    size_t na, k;
    const double *wp;  /* p x (na k): proj_t,j / (lambda_j + alpha_a) at [j][a k + t] */
    const double *inv; /* p x na: 1 / (lambda_j + alpha_a) */
    double *bsum;      /* nblocks x na x k squared-error sums */
    double *cv_values; /* n x k x na, or NULL */
} gram_pass;

static void gram_block(size_t blk, size_t i0, size_t m, double *Z, size_t ld, double *scratch,
                       void *ctx)
{
    const gram_pass *P = ctx;
    const gcv *g = P->g;
    size_t na = P->na, k = P->k, nk = na * k, p = ld;
    double *fit = scratch, *h = fit + m * nk, *sum = P->bsum + blk * nk;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)nk, (int)p, 1.0, Z,
                (int)ld, P->wp, (int)nk, 0.0, fit, (int)nk);
    for (size_t i = 0; i < m * p; i++)
        Z[i] *= Z[i];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)na, (int)p, 1.0, Z,
                (int)ld, P->inv, (int)na, 0.0, h, (int)na);
    memset(sum, 0, nk * sizeof *sum);
    for (size_t i = 0; i < m; i++) {
        size_t row = i0 + i;
        double h0 = g->h0 ? g->h0[row] : 0.0;
        for (size_t a = 0; a < na; a++)
            for (size_t t = 0; t < k; t++) {
                double e = (g->Yc[row * k + t] - fit[i * nk + a * k + t]) /
                           (1.0 - (h0 + h[i * na + a]));
                sum[a * k + t] += e * e;
                if (P->cv_values)
                    P->cv_values[(row * k + t) * na + a] = e * e;
            }
    }
}

/* S (na x k): the sums of squared LOO errors of every alpha and target. */
static int gcv_gram_sums(const gcv *g, const double *alphas, size_t na, double *cv_values,
                         double *S)
{
    const mlc_lin_data *d = g->d;
    size_t p = d->p, k = d->k, nk = na * k, nb = mlc_lin_project_nblocks(d);
    double *wp = malloc(p * (nk + na) * sizeof *wp), *bsum = malloc(nb * nk * sizeof *bsum);
    int st = MLC_OK;
    if (!wp || !bsum)
        st = mlc_raise_nomem("the RidgeCV weights");
    if (!st) {
        double *inv = wp + p * nk;
        for (size_t j = 0; j < p; j++)
            for (size_t a = 0; a < na; a++) {
                inv[j * na + a] = 1.0 / (g->lambda[j] + alphas[a]);
                for (size_t t = 0; t < k; t++)
                    wp[j * nk + a * k + t] = g->proj[t * p + j] / (g->lambda[j] + alphas[a]);
            }
        gram_pass P = {g, na, k, wp, inv, bsum, cv_values};
        st = mlc_lin_project_blocks(d, g->vec, p, gram_block, &P, nk + na);
    }
    if (!st) {
        memset(S, 0, nk * sizeof *S);
        for (size_t b = 0; b < nb; b++)
            for (size_t j = 0; j < nk; j++)
                S[j] += bsum[b * nk + j];
    }
    free(wp);
    free(bsum);
    return st;
}

/* Gram route: w_t = V diag(1/(lambda+alpha)) V'X~'y~_t into coef (p).
 * scratch: r values. */
static void gcv_coef(const gcv *g, double alpha, size_t t, double *coef, double *scratch)
{
    size_t p = g->d->p, r = g->r;
    for (size_t j = 0; j < r; j++)
        scratch[j] = g->proj[t * r + j] / (g->lambda[j] + alpha);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)r, (int)p, 1.0, g->vec, (int)p, scratch, 1, 0.0,
                coef, 1);
}

static int gcv_run(mlc_ridge_cv *m, mlc_lin_data *d)
{
    size_t n = d->n, p = d->p, k = d->k, na = m->alphas_len;
    int per_target = m->params.alpha_per_target && k > 1;
    gcv g;
    memset(&g, 0, sizeof g);
    g.d = d;
    int mode = m->params.gcv_mode;
    int eigen = mode == MLC_GCV_EIGEN || (mode == MLC_GCV_AUTO && n <= p);
    int st = mlc_lin_data_offsets(d);
    if (st)
        return st;
    g.Yc = malloc(n * k * sizeof *g.Yc);
    if (!g.Yc)
        return mlc_raise_nomem("centred targets");
    mlc_lin_copy_rowmajor(d, NULL, g.Yc);
    if (eigen) {
        g.kind = GCV_KERNEL;
        st = gcv_kernel(&g);
    } else {
        double amin = m->alphas[0];
        for (size_t a = 1; a < na; a++)
            amin = m->alphas[a] < amin ? m->alphas[a] : amin;
        g.kind = GCV_GRAM;
        st = gcv_gram(&g, amin);
        if (st == MLC_ESING) { /* ill-conditioned: the SVD of the design */
            gcv_clear(&g);
            memset(&g, 0, sizeof g);
            g.d = d;
            g.kind = GCV_DESIGN;
            if (!(g.Yc = malloc(n * k * sizeof *g.Yc)))
                return mlc_raise_nomem("centred targets");
            mlc_lin_copy_rowmajor(d, NULL, g.Yc);
            st = gcv_design(&g);
        }
    }
    /* S (na x k): every alpha's sums of squared LOO errors per target */
    size_t r = g.r;
    double *S = NULL, *sq = NULL, *scratch = NULL;
    size_t *best = NULL;
    if (!st) {
        int gram = g.kind == GCV_GRAM;
        S = malloc(na * k * sizeof *S);
        best = calloc(k, sizeof *best);
        scratch = malloc((gram ? r : n * k + n + r * k + r) * sizeof *scratch);
        if (!gram)
            sq = malloc(n * k * sizeof *sq);
        if (!S || !best || !scratch || (!gram && !sq))
            st = mlc_raise_nomem("LOO errors");
        else if (gram)
            st = gcv_gram_sums(&g, m->alphas, na, m->cv_values, S);
    }
    for (size_t a = 0; !st && sq && a < na; a++) {
        gcv_errors(&g, m->alphas[a], sq, scratch);
        for (size_t t = 0; t < k; t++) {
            double sum = 0.0;
            for (size_t i = 0; i < n; i++) {
                sum += sq[i * k + t];
                if (m->cv_values)
                    m->cv_values[(i * k + t) * na + a] = sq[i * k + t];
            }
            S[a * k + t] = sum;
        }
    }
    /* score = -mean squared error, per target or over all of them */
    for (size_t a = 0; !st && a < na; a++) {
        double all = 0.0;
        for (size_t t = 0; t < k; t++)
            all += S[a * k + t];
        for (size_t t = 0; t < k; t++) {
            double score = per_target ? -S[a * k + t] / (double)n : -all / (double)(n * k);
            if (a == 0 || score > m->best_score[t]) {
                m->best_score[t] = score;
                m->alpha[t] = m->alphas[a];
                best[t] = a;
            }
        }
    }
    /* The coefficients of the chosen alphas. Through the SVD or the kernel
     * they come from dual coefficients that carry an error of
     * eps ||y|| / alpha (scikit-learn's RidgeCV coef_ then differs from its
     * own Ridge); the Cholesky solve gives Ridge(alpha_)'s answer. */
    if (!st && g.kind == GCV_GRAM)
        for (size_t t = 0; t < k; t++)
            gcv_coef(&g, m->alphas[best[t]], t, m->lm.coef + t * p, scratch);
    else if (!st)
        st = mlc_lin_ridge_solve(d, m->alpha, MLC_RIDGE_AUTO, 0, m->lm.coef);
    free(S);
    free(sq);
    free(scratch);
    free(best);
    gcv_clear(&g);
    return st;
}

static int ridge_cv_fit(const mlc_ridge_cv_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                        const double *sw, mlc_ridge_cv **out)
{
    int st = mlc_check_ptr(out, "output pointer");
    if (st)
        return st;
    *out = NULL;
    if ((st = mlc_check_ptr(p, "params")) || (st = mlc_lin_check_fit(X, Y, sw, p->n_threads)))
        return st;
    /* Leaving out the only sample leaves nothing to centre on: every LOO
     * error is 0/0 (scikit-learn returns best_score_ = nan). */
    if (X->rows < 2 && p->fit_intercept)
        return mlc_raise(MLC_EINVAL, "RidgeCV's leave-one-out with fit_intercept needs at "
                         "least 2 samples, got %zu", X->rows);
    mlc_ridge_cv *m;
    if ((st = rcv_new(p, X->cols, Y->cols, X->rows, &m)))
        return st;
    mlc_lin_data d;
    st = mlc_lin_data_init(&d, X, Y, sw, NULL, 0, p->fit_intercept, 0, p->n_threads);
    if (!st)
        st = gcv_run(m, &d);
    if (!st) {
        mlc_lin_model_set_intercept(&m->lm, &d);
        st = mlc_lin_model_check_finite(&m->lm, NAME);
    }
    mlc_lin_data_clear(&d);
    return mlc_reg_handover(st, m, rcv_free, (void **)out);
}

int mlc_ridge_cv_fit_multi(const mlc_ridge_cv_params *p, const mlc_matrix *X, const mlc_matrix *Y,
                           const double *sw, mlc_ridge_cv **out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, ridge_cv_fit(p, X, Y, sw, out));
}

int mlc_ridge_cv_fit_weighted(const mlc_ridge_cv_params *p, const mlc_matrix *X,
                              const double *y, const double *sw, mlc_ridge_cv **out)
{
    mlc_matrix Y = mlc_lin_wrap_y(X, y);
    return mlc_ridge_cv_fit_multi(p, X, &Y, sw, out);
}

int mlc_ridge_cv_fit(const mlc_ridge_cv_params *p, const mlc_matrix *X, const double *y,
                     mlc_ridge_cv **out)
{
    return mlc_ridge_cv_fit_weighted(p, X, y, NULL, out);
}

int mlc_ridge_cv_predict(const mlc_ridge_cv *m, const mlc_matrix *X, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, mlc_lin_model_predict(m ? &m->lm : NULL, X, out, NAME));
}

size_t mlc_ridge_cv_n_features(const mlc_ridge_cv *m)
{
    return m ? m->lm.p : 0;
}
size_t mlc_ridge_cv_n_targets(const mlc_ridge_cv *m)
{
    return m ? m->lm.k : 0;
}
const double *mlc_ridge_cv_coef(const mlc_ridge_cv *m)
{
    return m ? m->lm.coef : NULL;
}
const double *mlc_ridge_cv_intercept(const mlc_ridge_cv *m)
{
    return m ? m->lm.intercept : NULL;
}
static size_t n_selected(const mlc_ridge_cv *m)
{
    return m->params.alpha_per_target && m->lm.k > 1 ? m->lm.k : 1;
}
const double *mlc_ridge_cv_alpha(const mlc_ridge_cv *m, size_t *count)
{
    if (count)
        *count = m ? n_selected(m) : 0;
    return m ? m->alpha : NULL;
}
const double *mlc_ridge_cv_best_score(const mlc_ridge_cv *m, size_t *count)
{
    if (count)
        *count = m ? n_selected(m) : 0;
    return m ? m->best_score : NULL;
}
const double *mlc_ridge_cv_cv_values(const mlc_ridge_cv *m)
{
    return m ? m->cv_values : NULL;
}

/* ---------------------------------------------------------------- registry */

/* A closed form: no progress to report. */
static int rcv_fit(const void *p, const mlc_fit_data *d, mlc_progress_ctx *progress,
                   void **model)
{
    (void)progress;
    mlc_ridge_cv_params tp = typed_params(p);
    return mlc_ridge_cv_fit_multi(&tp, d->X, d->Y, d->sample_weight, (mlc_ridge_cv **)model);
}

static size_t rcv_attributes(const void *model, mlc_attribute *out, size_t cap)
{
    const mlc_ridge_cv *m = model;
    size_t n = 0, sel = n_selected(m);
    mlc_lin_model_put_attrs(&m->lm, out, cap, &n);
    mlc_lin_put_per_target(sel, out, cap, &n, "alpha_", MLC_DTYPE_F64, m->alpha);
    mlc_lin_put_per_target(sel, out, cap, &n, "best_score_", MLC_DTYPE_F64, m->best_score);
    if (m->cv_values) {
        if (m->lm.k == 1)
            mlc_attr_put(out, cap, &n, "cv_values_", MLC_DTYPE_F64, 2, m->n_samples,
                         m->alphas_len, 0, m->cv_values);
        else
            mlc_attr_put(out, cap, &n, "cv_values_", MLC_DTYPE_F64, 3, m->n_samples, m->lm.k,
                         m->alphas_len, m->cv_values);
    }
    return n;
}

static int rcv_restore(const void *p, const mlc_attr_set *s, void **model)
{
    mlc_ridge_cv_params tp = typed_params(p);
    size_t k = mlc_attrs_n_targets(s), n = 0;
    const double *cv = NULL;
    int st = MLC_OK;
    if (tp.store_cv_values) {
        size_t shape[3] = {0, k == 1 ? tp.alphas_len : k, tp.alphas_len};
        st = mlc_attrs_get(s, "cv_values_", k == 1 ? 2 : 3, shape, &cv);
        n = shape[0];
    }
    mlc_ridge_cv *m = NULL;
    if (!st)
        st = rcv_new(&tp, mlc_attrs_n_features(s), k, n, &m);
    if (!st) {
        mlc_lin_model_clear(&m->lm);
        st = mlc_lin_model_restore(&m->lm, s, tp.n_threads);
    }
    size_t sel = !st ? n_selected(m) : 0;
    if (!st && !(st = mlc_lin_get_per_target(s, "alpha_", sel, m->alpha)))
        st = mlc_lin_get_per_target(s, "best_score_", sel, m->best_score);
    for (size_t t = sel; !st && t < k; t++) {
        m->alpha[t] = m->alpha[0];
        m->best_score[t] = m->best_score[0];
    }
    if (!st && cv)
        memcpy(m->cv_values, cv, n * k * tp.alphas_len * sizeof *cv);
    return mlc_reg_handover(st, m, rcv_free, model);
}

const mlc_estimator_desc mlc_ridge_cv_desc = {
    .name = NAME,
    .summary = "ridge regression with alpha chosen by efficient leave-one-out cross-validation",
    .task = MLC_TASK_REGRESSOR,
    MLC_DESC_PARAMS(params_table, rcv_reg_params),
    .fit = rcv_fit,
    .free = rcv_free,
    .output_cols = mlc_lin_reg_output_cols,
    .output = mlc_lin_reg_output,
    .attributes = rcv_attributes,
    .restore = rcv_restore,
};
