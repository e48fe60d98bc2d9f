/* Closed-form linear solvers (see algorithms/linear/linear_solve.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/blas.h"
#include "internal/error.h"
#include "linear_solve.h"
#include "internal/mem.h"
#include "internal/small_chol.h"
#include "mlcore/linear.h"

/* OLS: the Gram path is trusted while the equilibrated Gram matrix has an
 * estimated reciprocal condition number above OLS_RCOND_MIN; below
 * OLS_RCOND_REFINE its solution is refined against the data (semi-normal
 * equations), which restores least-squares accuracy. */
#define OLS_RCOND_MIN 1e-10
#define OLS_RCOND_REFINE 1e-6
#define OLS_REFINE_STEPS 3

int mlc_lin_cholesky(double *A, size_t n, double *scale, double *rcond)
{
    if (scale) {
        for (size_t j = 0; j < n; j++) {
            if (!(A[j * n + j] > 0.0))
                return MLC_ESING;
            scale[j] = 1.0 / sqrt(A[j * n + j]);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                A[i * n + j] *= scale[i] * scale[j];
    }
    double anorm = 0.0;
    if (rcond)
        for (size_t j = 0; j < n; j++) {
            double s = 0.0;
            for (size_t i = 0; i < n; i++)
                s += fabs(A[j * n + i]);
            anorm = s > anorm ? s : anorm;
        }
    /* Full symmetric storage: the row-major upper triangle is the
     * column-major lower one, so no transposition is needed. The p x p
     * factorisations run on one thread: OpenBLAS's threaded potrf blocks
     * differently, and results must not depend on the thread count. */
    mlc_blas_set_threads(1);
    if (n <= MLC_SMALL_CHOL_MAX ? !mlc_chol_small(A, n)
                            : LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', (lapack_int)n, A,
                                             (lapack_int)n) != 0)
        return MLC_ESING;
    if (rcond && LAPACKE_dpocon(LAPACK_COL_MAJOR, 'L', (lapack_int)n, A, (lapack_int)n, anorm,
                                rcond) != 0)
        *rcond = 0.0;
    return MLC_OK;
}

void mlc_lin_cholesky_solve(const double *F, size_t n, const double *scale, double *B, size_t k)
{
    mlc_blas_set_threads(1);
    if (scale)
        for (size_t t = 0; t < k; t++)
            for (size_t j = 0; j < n; j++)
                B[t * n + j] *= scale[j];
    if (n <= MLC_SMALL_CHOL_MAX)
        for (size_t t = 0; t < k; t++)
            mlc_chol_small_solve(F, n, B + t * n);
    else
        LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', (lapack_int)n, (lapack_int)k, F, (lapack_int)n, B,
                       (lapack_int)n);
    if (scale)
        for (size_t t = 0; t < k; t++)
            for (size_t j = 0; j < n; j++)
                B[t * n + j] *= scale[j];
}

int mlc_lin_svd_ridge(double *Xc, size_t n, size_t p, const double *Yc, size_t k,
                      const double *alphas, double *coef)
{
    size_t m = n < p ? n : p;
    double *s = malloc(m * sizeof *s);
    double *U = malloc(n * m * sizeof *U);
    double *VT = malloc(m * p * sizeof *VT);
    double *UTy = malloc(m * k * sizeof *UTy);
    int st = MLC_OK;
    if (!s || !U || !VT || !UTy)
        st = mlc_raise_nomem("the SVD of X");
    else if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', (lapack_int)n, (lapack_int)p, Xc,
                            (lapack_int)n, s, U, (lapack_int)n, VT, (lapack_int)m) != 0)
        st = mlc_raise(MLC_ESING, "the SVD of X did not converge");
    if (!st) {
        /* UTy (m x k, column-major) = U' Y */
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)m, (int)k, (int)n, 1.0, U,
                    (int)n, Yc, (int)n, 0.0, UTy, (int)m);
        for (size_t t = 0; t < k; t++) {
            double *u = UTy + t * m;
            for (size_t i = 0; i < m; i++)
                u[i] = s[i] > 1e-15 ? u[i] * s[i] / (s[i] * s[i] + alphas[t]) : 0.0;
            cblas_dgemv(CblasColMajor, CblasTrans, (int)m, (int)p, 1.0, VT, (int)m, u, 1, 0.0,
                        coef + t * p, 1);
        }
    }
    free(s);
    free(U);
    free(VT);
    free(UTy);
    return st;
}

int mlc_lin_lstsq(double *Xc, size_t n, size_t p, double *B, size_t ldb, size_t k, double *coef,
                  long *rank, double *sv)
{
    size_t m = n < p ? n : p;
    double *s = malloc((m ? m : 1) * sizeof *s);
    if (!s)
        return mlc_raise_nomem("singular values");
    /* A column that is exactly zero (a constant one, centred) has a zero
     * coefficient in the minimum-norm solution; the SVD leaves rounding
     * noise there, so it is set exactly after. */
    unsigned char *zero = calloc(p ? p : 1, 1);
    if (!zero) {
        free(s);
        return mlc_raise_nomem("least squares");
    }
    for (size_t j = 0; j < p; j++) {
        size_t i = 0;
        while (i < n && Xc[j * n + i] == 0.0)
            i++;
        zero[j] = i == n;
    }
    lapack_int r = 0;
    lapack_int info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)p,
                                     (lapack_int)k, Xc, (lapack_int)n, B, (lapack_int)ldb, s,
                                     DBL_EPSILON, &r);
    if (info != 0) {
        free(s);
        free(zero);
        if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
            return mlc_raise_nomem("least squares workspace");
        return mlc_raise(MLC_ESING, "the least-squares SVD did not converge (LAPACK info %d)",
                         (int)info);
    }
    for (size_t t = 0; t < k; t++)
        for (size_t j = 0; j < p; j++)
            coef[t * p + j] = zero[j] ? 0.0 : B[t * ldb + j];
    free(zero);
    if (rank)
        *rank = (long)r;
    if (sv)
        memcpy(sv, s, m * sizeof *sv);
    free(s);
    return MLC_OK;
}

/* Solve A_PP z_P = b_P for the passive set P (idx[0..np)); z is zero off P.
 * Returns 0 when the sub-system is not positive definite. */
static int nnls_subsolve(const double *A, const double *b, size_t p, const size_t *idx, size_t np,
                         double *sub, double *z)
{
    for (size_t a = 0; a < np; a++)
        for (size_t c = 0; c < np; c++)
            sub[a * np + c] = A[idx[a] * p + idx[c]];
    double *rhs = sub + np * np;
    for (size_t a = 0; a < np; a++)
        rhs[a] = b[idx[a]];
    if (mlc_lin_cholesky(sub, np, NULL, NULL) != MLC_OK)
        return 0;
    mlc_lin_cholesky_solve(sub, np, NULL, rhs, 1);
    memset(z, 0, p * sizeof *z);
    for (size_t a = 0; a < np; a++)
        z[idx[a]] = rhs[a];
    return 1;
}

int mlc_lin_nnls(const double *A, const double *b, size_t p, double *w)
{
    double *g = malloc(p * sizeof *g), *z = malloc(p * sizeof *z);
    double *sub = malloc((p * p + p) * sizeof *sub);
    size_t *idx = malloc(p * sizeof *idx);
    unsigned char *state = calloc(p, 1); /* 0 zero set, 1 passive, 2 blocked */
    if (!g || !z || !sub || !idx || !state) {
        free(g), free(z), free(sub), free(idx), free(state);
        return mlc_raise_nomem("non-negative least squares");
    }
    memset(w, 0, p * sizeof *w);
    double bmax = 0.0;
    for (size_t j = 0; j < p; j++)
        bmax = fabs(b[j]) > bmax ? fabs(b[j]) : bmax;
    double tol = 10.0 * DBL_EPSILON * (double)p * bmax;
    for (size_t outer = 0; outer < 3 * p + 10; outer++) {
        for (size_t j = 0; j < p; j++) {
            double s = 0.0;
            for (size_t i = 0; i < p; i++)
                s += A[j * p + i] * w[i];
            g[j] = b[j] - s;
        }
        size_t jmax = p;
        double gmax = tol;
        for (size_t j = 0; j < p; j++)
            if (state[j] == 0 && g[j] > gmax) {
                gmax = g[j];
                jmax = j;
            }
        if (jmax == p)
            break;
        state[jmax] = 1;
        for (size_t inner = 0; inner <= p; inner++) {
            size_t np = 0;
            for (size_t j = 0; j < p; j++)
                if (state[j] == 1)
                    idx[np++] = j;
            if (!nnls_subsolve(A, b, p, idx, np, sub, z) || (inner == 0 && z[jmax] <= 0.0)) {
                /* jmax cannot enter (degenerate or dependent column). */
                state[jmax] = 2;
                break;
            }
            int all_pos = 1;
            for (size_t a = 0; a < np; a++)
                all_pos &= z[idx[a]] > 0.0;
            if (all_pos) {
                memcpy(w, z, p * sizeof *w);
                for (size_t j = 0; j < p; j++)
                    if (state[j] == 2)
                        state[j] = 0; /* the solution moved: retry blocked columns */
                break;
            }
            /* Move towards z until the first passive coefficient hits zero. */
            double step = 1.0;
            size_t hit = idx[0];
            for (size_t a = 0; a < np; a++) {
                size_t j = idx[a];
                if (z[j] <= 0.0) {
                    double t = w[j] / (w[j] - z[j]);
                    if (t < step) {
                        step = t;
                        hit = j;
                    }
                }
            }
            for (size_t a = 0; a < np; a++) {
                size_t j = idx[a];
                w[j] += step * (z[j] - w[j]);
                if (j == hit || w[j] <= 0.0) {
                    w[j] = 0.0;
                    state[j] = 0;
                }
            }
        }
    }
    free(g), free(z), free(sub), free(idx), free(state);
    return MLC_OK;
}

/* Singular values of X~ from the equilibrated Cholesky factor F (column-major
 * lower L with S G S = L L'): X~ = Q R with R = L' S^{-1}. */
static int singular_from_factor(const double *F, const double *scale, size_t p, double *sv)
{
    double *R = calloc(p * p, sizeof *R);
    if (!R)
        return mlc_raise_nomem("singular values");
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i <= j; i++)
            R[i + j * p] = F[j + i * p] / scale[j];
    mlc_blas_set_threads(1);
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', (lapack_int)p, (lapack_int)p, R,
                                     (lapack_int)p, sv, NULL, 1, NULL, 1);
    free(R);
    return info == 0 ? MLC_OK : mlc_raise(MLC_ESING, "singular values did not converge");
}

/* The Gram path of OLS. Returns MLC_ESING (no message) when the design is
 * too ill-conditioned for it. */
static int ols_gram(mlc_lin_data *d, double *coef, double *sv)
{
    size_t p = d->p, k = d->k;
    double *G = malloc((p * p + p + p * k) * sizeof *G);
    if (!G)
        return mlc_raise_nomem("the Gram matrix");
    double *scale = G + p * p, *corr = scale + p;
    double rcond = 0.0;
    int st = mlc_lin_gram(d, G, coef, NULL);
    if (!st) {
        st = mlc_lin_cholesky(G, p, scale, &rcond);
        if (!st && !(rcond >= OLS_RCOND_MIN))
            st = MLC_ESING;
    }
    if (!st) {
        mlc_lin_cholesky_solve(G, p, scale, coef, k);
        for (int step = 0; !st && rcond < OLS_RCOND_REFINE && step < OLS_REFINE_STEPS; step++) {
            st = mlc_lin_residual_corr(d, coef, corr);
            if (st)
                break;
            mlc_lin_cholesky_solve(G, p, scale, corr, k);
            double dmax = 0.0, cmax = 0.0;
            for (size_t i = 0; i < p * k; i++) {
                coef[i] += corr[i];
                dmax = fabs(corr[i]) > dmax ? fabs(corr[i]) : dmax;
                cmax = fabs(coef[i]) > cmax ? fabs(coef[i]) : cmax;
            }
            if (dmax <= 4.0 * DBL_EPSILON * cmax)
                break;
        }
    }
    if (!st && sv)
        st = singular_from_factor(G, scale, p, sv);
    free(G);
    return st;
}

int mlc_lin_ols_solve(mlc_lin_data *d, double *coef, long *rank, double *sv)
{
    size_t n = d->n, p = d->p, k = d->k;
    /* Centred data have rank <= n - 1: the Gram path needs more rows. */
    if (n > p + (d->center ? 1 : 0)) {
        int st = ols_gram(d, coef, sv);
        if (st != MLC_ESING) {
            if (!st && rank)
                *rank = (long)p;
            return st;
        }
        mlc_clear_error();
    }
    int st = mlc_lin_data_offsets_numpy(d);
    if (st)
        return st;
    size_t ldb = n > p ? n : p;
    double *Xc = mlc_aligned_alloc(n * p, sizeof(double));
    double *B = calloc(ldb * k, sizeof *B);
    if (!Xc || !B) {
        mlc_aligned_free(Xc);
        free(B);
        return mlc_raise_nomem("a centred copy of X for least squares");
    }
    mlc_lin_copy_colmajor(d, Xc, n, B, ldb);
    /* On the thread count scikit-learn's OpenBLAS uses under the same limit
     * (all cores by default). Where X~ is rank-deficient only by rounding
     * (p >= n with an intercept: centring leaves a singular value near
     * eps * s_max), gelsd's cut-off and the coefficients along that
     * direction depend on how its products are split among threads, in
     * scipy.linalg.lstsq as here; with the same count and the offsets in
     * NumPy's order, the answer is scikit-learn's, bit for bit. */
    mlc_blas_set_threads(d->threads);
    st = mlc_lin_lstsq(Xc, n, p, B, ldb, k, coef, rank, sv);
    mlc_aligned_free(Xc);
    free(B);
    return st;
}

/* ------------------------------------------------------------------ ridge */

static int ridge_svd(mlc_lin_data *d, const double *alphas, double *coef)
{
    size_t n = d->n, p = d->p, k = d->k;
    double *Xc = mlc_aligned_alloc(n * p, sizeof(double)), *Yc = malloc(n * k * sizeof *Yc);
    int st = mlc_lin_data_offsets(d);
    if (!st && (!Xc || !Yc))
        st = mlc_raise_nomem("a centred copy of X for the SVD");
    if (!st) {
        mlc_lin_copy_colmajor(d, Xc, n, Yc, n);
        mlc_blas_set_threads(1); /* LAPACK on one thread: the same bits for any thread count */
        st = mlc_lin_svd_ridge(Xc, n, p, Yc, k, alphas, coef);
    }
    mlc_aligned_free(Xc);
    free(Yc);
    return st;
}

/* Solve (A + alpha_t I) x_t = b_t for every target; targets sharing an alpha
 * share a factorisation. B (k x m) holds b_t on entry, x_t on exit. */
static int shifted_solves(const double *A, size_t m, const double *alphas, size_t k, double *B)
{
    double *F = malloc(m * m * sizeof *F);
    if (!F)
        return mlc_raise_nomem("a Cholesky factor");
    int st = MLC_OK;
    for (size_t t = 0; t < k && !st; t++) {
        size_t run = 1;
        while (t + run < k && alphas[t + run] == alphas[t])
            run++;
        memcpy(F, A, m * m * sizeof *F);
        for (size_t j = 0; j < m; j++)
            F[j * m + j] += alphas[t];
        /* Without regularisation the system can be singular, and a
         * factorisation of a singular matrix may still succeed on rounding
         * noise: judge it by its condition number, as OLS's Gram path does
         * (MLC_ESING sends the caller to the SVD). */
        double rcond = 1.0;
        st = mlc_lin_cholesky(F, m, NULL, alphas[t] == 0.0 ? &rcond : NULL);
        if (!st && !(rcond >= OLS_RCOND_MIN))
            st = MLC_ESING;
        if (!st)
            mlc_lin_cholesky_solve(F, m, NULL, B + t * m, run);
        t += run - 1;
    }
    free(F);
    return st;
}

int mlc_lin_ridge_from_gram(const double *G, size_t p, const double *alphas, size_t k,
                            double *B)
{
    return shifted_solves(G, p, alphas, k, B);
}

static int ridge_primal(mlc_lin_data *d, const double *alphas, int positive, double *coef)
{
    size_t p = d->p, k = d->k;
    double *G = malloc((2 * p * p + p) * sizeof *G);
    if (!G)
        return mlc_raise_nomem("the Gram matrix");
    int st = mlc_lin_gram(d, G, coef, NULL);
    if (!st && positive) {
        double *A = G + p * p, *b = A + p * p;
        for (size_t t = 0; t < k && !st; t++) {
            memcpy(A, G, p * p * sizeof *A);
            for (size_t j = 0; j < p; j++)
                A[j * p + j] += alphas[t];
            memcpy(b, coef + t * p, p * sizeof *b);
            st = mlc_lin_nnls(A, b, p, coef + t * p);
        }
    } else if (!st) {
        st = shifted_solves(G, p, alphas, k, coef);
    }
    free(G);
    return st;
}

/* p > n: solve (K + alpha I) a = y with K = X~X~', then w = X~'a. */
static int ridge_kernel(mlc_lin_data *d, const double *alphas, double *coef)
{
    size_t n = d->n, p = d->p, k = d->k;
    double *Xr = mlc_aligned_alloc(n * p, sizeof(double));
    double *K = mlc_aligned_alloc(n * n, sizeof(double));
    double *A = malloc(n * k * sizeof *A);
    int st = mlc_lin_data_offsets(d);
    if (!st && (!Xr || !K || !A))
        st = mlc_raise_nomem("the kernel matrix");
    if (!st) {
        mlc_lin_copy_colmajor(d, NULL, 0, A, n); /* A (k x n) = Y~' */
        mlc_lin_copy_rowmajor(d, Xr, NULL);
        mlc_lin_syrk_nt(Xr, n, p, p, K, mlc_lin_threads_for(d, (double)n * (double)n * (double)p));
        st = shifted_solves(K, n, alphas, k, A);
    }
    if (!st)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)k, (int)p, (int)n, 1.0, A,
                    (int)n, Xr, (int)p, 0.0, coef, (int)p);
    mlc_aligned_free(Xr);
    mlc_aligned_free(K);
    free(A);
    return st;
}

int mlc_lin_ridge_solve(mlc_lin_data *d, const double *alphas, int solver, int positive,
                        double *coef)
{
    int st;
    if (positive)
        return ridge_primal(d, alphas, 1, coef);
    if (solver == MLC_RIDGE_SVD)
        return ridge_svd(d, alphas, coef);
    st = d->p <= d->n ? ridge_primal(d, alphas, 0, coef) : ridge_kernel(d, alphas, coef);
    if (st == MLC_ESING) {
        /* Singular system (alpha = 0 on a rank-deficient design): SVD, as
         * scikit-learn falls back to. */
        mlc_clear_error();
        st = ridge_svd(d, alphas, coef);
    }
    return st;
}
