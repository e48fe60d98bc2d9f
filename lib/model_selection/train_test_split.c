/* train_test_split as scikit-learn: n_test = ceil(test_size * n), the rows
 * of a random permutation, or a stratified split with StratifiedShuffleSplit's
 * class allocation (_approximate_mode). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/validate.h"
#include "mlcore/preprocessing.h"
#include "mlcore/rng.h"

mlc_split_params mlc_split_params_default(void)
{
    mlc_split_params p = {0.25, 1, -1, NULL};
    return p;
}

/* Split n_draws among classes in proportion to counts; ties in the
 * remainders are broken at random, as scikit-learn's _approximate_mode. */
static void approximate_mode(const size_t *counts, size_t k, size_t total, size_t n_draws,
                             mlc_rng *rng, size_t *out, double *remainder, size_t *scratch)
{
    size_t assigned = 0;
    for (size_t c = 0; c < k; c++) {
        double cont = (double)counts[c] / (double)total * (double)n_draws;
        out[c] = (size_t)floor(cont);
        remainder[c] = cont - floor(cont);
        assigned += out[c];
    }
    size_t need = n_draws > assigned ? n_draws - assigned : 0;
    while (need > 0) {
        double best = -1.0;
        for (size_t c = 0; c < k; c++)
            if (remainder[c] > best)
                best = remainder[c];
        size_t m = 0;
        for (size_t c = 0; c < k; c++)
            if (remainder[c] == best) {
                scratch[m++] = c;
                remainder[c] = -2.0; /* consumed */
            }
        mlc_rng_shuffle(rng, scratch, m);
        for (size_t i = 0; i < m && need > 0; i++, need--)
            out[scratch[i]]++;
    }
}

static int split_sizes(const mlc_split_params *p, size_t n, size_t *n_train, size_t *n_test)
{
    double t = p->test_size;
    size_t nt;
    if (!(t > 0) || !isfinite(t))
        return mlc_raise(MLC_EINVAL, "test_size must be a fraction in (0, 1) or a count >= 1, "
                                     "got %g", t);
    if (t < 1.0) {
        nt = (size_t)ceil(t * (double)n);
    } else {
        if (t != floor(t))
            return mlc_raise(MLC_EINVAL, "test_size >= 1 must be a whole count, got %g", t);
        nt = (size_t)t;
    }
    if (nt >= n || nt == 0)
        return mlc_raise(MLC_EINVAL,
                         "with n_samples=%zu and test_size=%g the train or test set would be "
                         "empty",
                         n, t);
    *n_test = nt;
    *n_train = n - nt;
    return MLC_OK;
}

static int stratified(const mlc_split_params *p, size_t n, size_t n_train, size_t n_test,
                      mlc_rng *rng, size_t *train, size_t *test)
{
    double *classes = NULL;
    size_t k = 0;
    int32_t *codes = malloc(n * sizeof *codes);
    if (!codes)
        return mlc_raise_nomem("stratify labels");
    int st = mlc_encode_labels(p->stratify, n, &classes, &k, codes);
    free(classes);
    size_t *counts = NULL, *start = NULL, *order = NULL, *n_i = NULL, *t_i = NULL, *scr = NULL;
    double *rem = NULL;
    if (!st) {
        counts = calloc(k, sizeof *counts);
        start = calloc(k + 1, sizeof *start);
        n_i = calloc(k, sizeof *n_i);
        t_i = calloc(k, sizeof *t_i);
        scr = calloc(k > n ? k : n, sizeof *scr);
        rem = calloc(k, sizeof *rem);
        order = malloc(n * sizeof *order);
        if (!counts || !start || !n_i || !t_i || !scr || !rem || !order)
            st = mlc_raise_nomem("stratified split");
    }
    if (!st) {
        for (size_t i = 0; i < n; i++)
            counts[codes[i]]++;
        for (size_t c = 0; c < k; c++) {
            if (counts[c] < 2)
                st = mlc_raise(MLC_EINVAL, "the least populated class in stratify has only 1 "
                                           "member; every class needs at least 2");
            start[c + 1] = start[c] + counts[c];
        }
        if (!st && (n_train < k || n_test < k))
            st = mlc_raise(MLC_EINVAL, "train size %zu and test size %zu must each be at least "
                                       "the number of classes %zu", n_train, n_test, k);
    }
    if (!st) {
        /* Indices of each class in ascending order (a stable sort by class). */
        size_t *fill = n_i; /* reuse as cursor, reset below */
        memcpy(fill, start, k * sizeof *fill);
        for (size_t i = 0; i < n; i++)
            order[fill[codes[i]]++] = i;
        approximate_mode(counts, k, n, n_train, rng, n_i, rem, scr);
        for (size_t c = 0; c < k; c++)
            scr[c] = counts[c] - n_i[c];
        size_t *remaining = malloc(k * sizeof *remaining);
        if (!remaining) {
            st = mlc_raise_nomem("stratified split");
        } else {
            memcpy(remaining, scr, k * sizeof *remaining);
            approximate_mode(remaining, k, n - n_train, n_test, rng, t_i, rem, scr);
            free(remaining);
            size_t a = 0, b = 0;
            for (size_t c = 0; c < k; c++) {
                size_t *cls = order + start[c];
                mlc_rng_shuffle(rng, cls, counts[c]);
                for (size_t i = 0; i < n_i[c]; i++)
                    train[a++] = cls[i];
                for (size_t i = 0; i < t_i[c] && n_i[c] + i < counts[c]; i++)
                    test[b++] = cls[n_i[c] + i];
            }
            mlc_rng_shuffle(rng, train, a);
            mlc_rng_shuffle(rng, test, b);
        }
    }
    free(codes);
    free(counts);
    free(start);
    free(n_i);
    free(t_i);
    free(scr);
    free(rem);
    free(order);
    return st;
}

int mlc_train_test_split(const mlc_split_params *p, size_t n, size_t **train, size_t *n_train,
                         size_t **test, size_t *n_test)
{
    if (!p || !train || !n_train || !test || !n_test)
        return mlc_raise(MLC_EINVAL, "params and outputs must not be NULL");
    *train = *test = NULL;
    *n_train = *n_test = 0;
    if (n < 2)
        return mlc_raise(MLC_EEMPTY, "need at least 2 samples to split, got %zu", n);
    size_t ntr = 0, nte = 0;
    int st = split_sizes(p, n, &ntr, &nte);
    if (st)
        return st;
    if (p->stratify && !p->shuffle)
        return mlc_raise(MLC_EINVAL, "stratified train/test split requires shuffle=true");
    size_t *tr = malloc(ntr * sizeof *tr), *te = malloc(nte * sizeof *te);
    size_t *perm = malloc(n * sizeof *perm);
    mlc_rng *rng = NULL;
    if (!tr || !te || !perm)
        st = mlc_raise_nomem("split indices");
    if (!st && p->shuffle)
        st = mlc_rng_new(p->random_state, &rng);
    if (!st) {
        if (p->stratify) {
            st = stratified(p, n, ntr, nte, rng, tr, te);
        } else if (p->shuffle) {
            mlc_rng_permutation(rng, perm, n);
            memcpy(te, perm, nte * sizeof *te);
            memcpy(tr, perm + nte, ntr * sizeof *tr);
        } else {
            for (size_t i = 0; i < ntr; i++)
                tr[i] = i;
            for (size_t i = 0; i < nte; i++)
                te[i] = ntr + i;
        }
    }
    mlc_rng_free(rng);
    free(perm);
    if (st) {
        free(tr);
        free(te);
        return st;
    }
    *train = tr;
    *test = te;
    *n_train = ntr;
    *n_test = nte;
    return MLC_OK;
}
