/* Probability estimates of the kernel classifiers (algorithms/svm/svm_prob.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/mem.h"
#include "internal/parallel.h"
#include "svm_prob.h"

#define N_FOLDS 5

/* Platt's sigmoid fitted to decision values d with labels y (+1/-1):
 * minimise the cross-entropy against the regularised targets
 * (N+ + 1)/(N+ + 2) and 1/(N- + 2), Newton steps on (A, B) with a
 * backtracking line search (Lin, Lin & Weng 2007, Algorithm 1). */
static void sigmoid_train(size_t l, const double *d, const int8_t *y, double *A_out,
                          double *B_out)
{
    double prior1 = 0.0, prior0 = 0.0;
    for (size_t i = 0; i < l; i++)
        *(y[i] > 0 ? &prior1 : &prior0) += 1.0;
    const int max_iter = 100;
    const double min_step = 1e-10, sigma = 1e-12, eps = 1e-5;
    double hi = (prior1 + 1.0) / (prior1 + 2.0), lo = 1.0 / (prior0 + 2.0);
    double A = 0.0, B = log((prior0 + 1.0) / (prior1 + 1.0)), fval = 0.0;
    for (size_t i = 0; i < l; i++) {
        double t = y[i] > 0 ? hi : lo, f = d[i] * A + B;
        fval += f >= 0.0 ? t * f + log(1.0 + exp(-f)) : (t - 1.0) * f + log(1.0 + exp(f));
    }
    for (int iter = 0; iter < max_iter; iter++) {
        double h11 = sigma, h22 = sigma, h21 = 0.0, g1 = 0.0, g2 = 0.0;
        for (size_t i = 0; i < l; i++) {
            double t = y[i] > 0 ? hi : lo, f = d[i] * A + B, p, q;
            if (f >= 0.0) {
                p = exp(-f) / (1.0 + exp(-f));
                q = 1.0 / (1.0 + exp(-f));
            } else {
                p = 1.0 / (1.0 + exp(f));
                q = exp(f) / (1.0 + exp(f));
            }
            double d2 = p * q, d1 = t - p;
            h11 += d[i] * d[i] * d2;
            h22 += d2;
            h21 += d[i] * d2;
            g1 += d[i] * d1;
            g2 += d1;
        }
        if (fabs(g1) < eps && fabs(g2) < eps)
            break;
        double det = h11 * h22 - h21 * h21;
        double dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
        double gd = g1 * dA + g2 * dB, step = 1.0;
        while (step >= min_step) {
            double nA = A + step * dA, nB = B + step * dB, nf = 0.0;
            for (size_t i = 0; i < l; i++) {
                double t = y[i] > 0 ? hi : lo, f = d[i] * nA + nB;
                nf += f >= 0.0 ? t * f + log(1.0 + exp(-f)) : (t - 1.0) * f + log(1.0 + exp(f));
            }
            if (nf < fval + 0.0001 * step * gd) {
                A = nA;
                B = nB;
                fval = nf;
                break;
            }
            step /= 2.0;
        }
        if (step < min_step)
            break; /* the line search failed: keep the last point */
    }
    *A_out = A;
    *B_out = B;
}

/* Decision values of the held-out rows of one fold: fit on the others. */
static int fold_values(const svm_train_spec *pair, const size_t *perm, size_t begin, size_t end,
                       double *dec)
{
    size_t l = pair->n, m = l - (end - begin);
    size_t *rows = malloc((m ? m : 1) * sizeof *rows);
    int8_t *sign = malloc(m ? m : 1);
    double *w = malloc((m ? m : 1) * sizeof *w), *coef = malloc((m ? m : 1) * sizeof *coef);
    int st = rows && sign && w && coef ? MLC_OK : mlc_raise_nomem("a probability fold");
    size_t k = 0, n_pos = 0;
    for (size_t t = 0; !st && t < l; t++) {
        if (t >= begin && t < end)
            continue;
        size_t r = perm[t];
        rows[k] = pair->rows[r];
        sign[k] = pair->sign[r];
        w[k] = pair->w ? pair->w[r] : 1.0;
        n_pos += sign[k] > 0;
        k++;
    }
    if (!st && (n_pos == 0 || n_pos == m)) { /* one class left: its side, as libsvm */
        for (size_t t = begin; t < end; t++)
            dec[perm[t]] = m == 0 ? 0.0 : n_pos ? 1.0 : -1.0;
    } else if (!st) {
        svm_train_spec s = *pair;
        s.rows = rows;
        s.n = m;
        s.sign = sign;
        s.w = w;
        svm_solution sol;
        st = svm_train_one(&s, coef, &sol);
        const svm_kernel *kern = pair->kernel;
        const mlc_matrix *X = pair->X;
        int pre = kern->type == MLC_SVM_PRECOMPUTED;
        /* the fold's support vectors, gathered */
        size_t n_sv = 0, p = X->cols;
        for (size_t t = 0; t < m; t++)
            if (coef[t] != 0.0) {
                coef[n_sv] = coef[t];
                rows[n_sv++] = rows[t];
            }
        double *sv = pre ? NULL : mlc_aligned_alloc(n_sv * p > 0 ? n_sv * p : 1, sizeof(double));
        double *sq = malloc((n_sv ? n_sv : 1) * sizeof *sq), *kv = malloc((n_sv ? n_sv : 1) * sizeof *kv);
        if (!st && ((!pre && !sv) || !sq || !kv))
            st = mlc_raise_nomem("a probability fold");
        for (size_t s2 = 0; !st && !pre && s2 < n_sv; s2++)
            memcpy(sv + s2 * p, mlc_matrix_row(X, rows[s2]), p * sizeof(double));
        if (!st && !pre)
            svm_row_norms(sv, n_sv, p, p, sq);
        svm_rows R = {pre ? X->data : sv, pre ? X->stride : p, p, sq, pre ? rows : NULL};
        for (size_t t = begin; !st && t < end; t++) {
            size_t r = perm[t];
            const double *x = mlc_matrix_row(X, pair->rows[r]);
            double xsq = 0.0;
            for (size_t f = 0; !pre && f < p; f++)
                xsq += x[f] * x[f];
            svm_kernel_segment(kern, x, xsq, &R, 0, n_sv, kv);
            double sum = 0.0;
            for (size_t s2 = 0; s2 < n_sv; s2++)
                sum += coef[s2] * kv[s2];
            dec[r] = sum - sol.rho; /* > 0: the +1 side */
        }
        mlc_aligned_free(sv);
        free(sq);
        free(kv);
    }
    free(rows);
    free(sign);
    free(w);
    free(coef);
    return st;
}

/* The folds side by side, each on one thread with its share of the cache:
 * a fold's answer does not depend on its thread or cache size, and each
 * writes only its own rows of dec. A failure is reported as the lowest
 * failing fold reports it in order (solved again on the calling thread,
 * where the message is kept). */
static int folds_parallel(const svm_train_spec *pair, const size_t *perm, int threads,
                          double *dec)
{
    size_t l = pair->n;
    int status[N_FOLDS] = {0};
    svm_train_spec one = *pair;
    one.threads = 1;
    one.cache_mb = pair->cache_mb / threads;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t f = 0; f < N_FOLDS; f++) {
        mlc_progress_stage(pair->progress, 1, "probability fold", f, N_FOLDS);
        status[f] = fold_values(&one, perm, f * l / N_FOLDS, (f + 1) * l / N_FOLDS, dec);
    }
    for (size_t f = 0; f < N_FOLDS; f++)
        if (status[f] == MLC_EINTERRUPTED) { /* no message: the registry gives it */
            return MLC_EINTERRUPTED;
        } else if (status[f]) {
            int st = fold_values(&one, perm, f * l / N_FOLDS, (f + 1) * l / N_FOLDS, dec);
            return st ? st : mlc_raise(status[f], "probability fold %zu failed", f);
        }
    return MLC_OK;
}

int svm_pair_sigmoid(const svm_train_spec *pair, mlc_rng *rng, double *A, double *B)
{
    size_t l = pair->n;
    size_t *perm = malloc((l ? l : 1) * sizeof *perm);
    double *dec = malloc((l ? l : 1) * sizeof *dec);
    int st = perm && dec ? MLC_OK : mlc_raise_nomem("probability estimates");
    if (!st) {
        mlc_rng_permutation(rng, perm, l);
        /* folds: contiguous blocks of the permutation */
        double work = svm_problem_work(l, pair->kernel, pair->X->cols);
        int threads = mlc_threads_for(pair->threads, N_FOLDS, work, SVM_SIDE_BY_SIDE_MIN_WORK);
        if (threads > 1)
            st = folds_parallel(pair, perm, threads, dec);
        for (size_t f = 0; threads <= 1 && !st && f < N_FOLDS; f++) {
            mlc_progress_stage(pair->progress, 1, "probability fold", f, N_FOLDS);
            st = fold_values(pair, perm, f * l / N_FOLDS, (f + 1) * l / N_FOLDS, dec);
        }
        mlc_progress_drop(pair->progress, 1); /* the pair's own solution comes next */
    }
    if (!st)
        sigmoid_train(l, dec, pair->sign, A, B);
    free(perm);
    free(dec);
    return st;
}

static double sigmoid_predict(double d, double A, double B)
{
    double f = d * A + B; /* 1 - p is used too: no cancellation either way */
    return f >= 0.0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
}

/* Q_tj of Wu, Lin & Weng's method 2, from r and Q's diagonal. */
static double q_entry(const double *r, const double *qtt, size_t k, size_t t, size_t j)
{
    return t == j ? qtt[t] : -r[j * k + t] * r[t * k + j];
}

void svm_pair_coupling(size_t k, const double *d, const double *A, const double *B, double *p,
                       double *scratch)
{
    double *r = scratch, *Qp = scratch + k * k; /* r[i][j] = P(i | i or j) */
    size_t q = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++, q++) {
            double v = sigmoid_predict(d[q], A[q], B[q]);
            v = fmin(fmax(v, 1e-7), 1.0 - 1e-7);
            r[i * k + j] = v;
            r[j * k + i] = 1.0 - v;
        }
    /* Method 2: min p'Qp subject to sum p = 1, Q_tt = sum_j r_jt^2,
     * Q_tj = -r_jt r_tj, by the fixed-point iteration of the paper. The
     * matrix Q is formed on the fly from r. */
    size_t max_iter = k > 100 ? k : 100;
    double eps = 0.005 / (double)k;
    for (size_t t = 0; t < k; t++)
        p[t] = 1.0 / (double)k;
    double *qtt = Qp + k; /* the diagonal */
    for (size_t t = 0; t < k; t++) {
        qtt[t] = 0.0;
        for (size_t j = 0; j < k; j++)
            if (j != t)
                qtt[t] += r[j * k + t] * r[j * k + t];
    }
    for (size_t iter = 0; iter < max_iter; iter++) {
        double pQp = 0.0;
        for (size_t t = 0; t < k; t++) {
            Qp[t] = 0.0;
            for (size_t j = 0; j < k; j++)
                Qp[t] += q_entry(r, qtt, k, t, j) * p[j];
            pQp += p[t] * Qp[t];
        }
        double max_error = 0.0;
        for (size_t t = 0; t < k; t++)
            max_error = fmax(max_error, fabs(Qp[t] - pQp));
        if (max_error < eps)
            break;
        for (size_t t = 0; t < k; t++) {
            double diff = (-Qp[t] + pQp) / qtt[t];
            p[t] += diff;
            pQp = (pQp + diff * (diff * qtt[t] + 2.0 * Qp[t])) / (1.0 + diff) / (1.0 + diff);
            for (size_t j = 0; j < k; j++) {
                Qp[j] = (Qp[j] + diff * q_entry(r, qtt, k, t, j)) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
}
