/* Splitters: KFold, StratifiedKFold, ShuffleSplit, StratifiedShuffleSplit,
 * LeaveOneOut, PredefinedSplit and explicit folds, behind one object with
 * one iteration API. docs/PARITY.md §14. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "metrics/metrics_util.h"
#include "mlcore/model_selection.h"
#include "mlcore/rng.h"

typedef enum split_kind {
    KIND_KFOLD,
    KIND_STRATIFIED_KFOLD,
    KIND_SHUFFLE_SPLIT,
    KIND_STRATIFIED_SHUFFLE_SPLIT,
    KIND_LEAVE_ONE_OUT,
    KIND_PREDEFINED,
    KIND_EXPLICIT
} split_kind;

static const char *const KIND_NAMES[] = {"KFold",        "StratifiedKFold",
                                         "ShuffleSplit", "StratifiedShuffleSplit",
                                         "LeaveOneOut",  "PredefinedSplit",
                                         "ExplicitSplit"};

struct mlc_splitter {
    split_kind kind;
    size_t k;            /* n_splits parameter */
    int shuffle;
    int64_t seed;
    double test_size, train_size;
    int64_t *test_fold;  /* PredefinedSplit input */
    size_t fold_n;
    /* Computed splits. A partition stores each split's test set (sorted) and
     * trains on the complement: idx[off[i] .. off[i+1]). Otherwise each split
     * i stores its train set at idx[off[2i] .. off[2i+1]) and its test set at
     * idx[off[2i+1] .. off[2i+2]). */
    int partition;
    size_t n, n_splits;
    size_t *idx, *off;
    size_t max_index;    /* explicit splits: largest index given */
};

/* ----------------------------------------------------------- construction */

static int make(split_kind kind, mlc_splitter **out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the output pointer must not be NULL");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return mlc_raise_nomem("a splitter");
    (*out)->kind = kind;
    (*out)->seed = -1;
    (*out)->test_size = (*out)->train_size = NAN;
    return MLC_OK;
}

static int kfold_like(split_kind kind, size_t n_splits, int shuffle, int64_t random_state,
                      mlc_splitter **out)
{
    if (out)
        *out = NULL;
    if (n_splits < 2)
        return mlc_raise(MLC_EINVAL, "k-fold cross-validation needs at least one train/test "
                                     "split: n_splits must be >= 2, got %zu",
                         n_splits);
    if (!shuffle && random_state >= 0)
        return mlc_raise(MLC_EINVAL, "setting random_state has no effect since shuffle is "
                                     "false; leave it unset (-1) or set shuffle");
    int st = make(kind, out);
    if (st)
        return st;
    (*out)->k = n_splits;
    (*out)->shuffle = shuffle != 0;
    (*out)->seed = random_state;
    return MLC_OK;
}

int mlc_kfold_new(size_t n_splits, int shuffle, int64_t random_state, mlc_splitter **out)
{
    return kfold_like(KIND_KFOLD, n_splits, shuffle, random_state, out);
}

int mlc_stratified_kfold_new(size_t n_splits, int shuffle, int64_t random_state,
                             mlc_splitter **out)
{
    return kfold_like(KIND_STRATIFIED_KFOLD, n_splits, shuffle, random_state, out);
}

static int shuffle_like(split_kind kind, size_t n_splits, double test_size, double train_size,
                        int64_t random_state, mlc_splitter **out)
{
    if (out)
        *out = NULL;
    if (n_splits < 1)
        return mlc_raise(MLC_EINVAL, "n_splits must be >= 1, got %zu", n_splits);
    int st = make(kind, out);
    if (st)
        return st;
    (*out)->k = n_splits;
    (*out)->seed = random_state;
    (*out)->test_size = test_size;
    (*out)->train_size = train_size;
    return MLC_OK;
}

int mlc_shuffle_split_new(size_t n_splits, double test_size, double train_size,
                          int64_t random_state, mlc_splitter **out)
{
    return shuffle_like(KIND_SHUFFLE_SPLIT, n_splits, test_size, train_size, random_state, out);
}

int mlc_stratified_shuffle_split_new(size_t n_splits, double test_size, double train_size,
                                     int64_t random_state, mlc_splitter **out)
{
    return shuffle_like(KIND_STRATIFIED_SHUFFLE_SPLIT, n_splits, test_size, train_size,
                        random_state, out);
}

int mlc_leave_one_out_new(mlc_splitter **out)
{
    return make(KIND_LEAVE_ONE_OUT, out);
}

int mlc_predefined_split_new(const int64_t *test_fold, size_t n, mlc_splitter **out)
{
    if (out)
        *out = NULL;
    if (!test_fold)
        return mlc_raise(MLC_EINVAL, "test_fold must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "test_fold is empty");
    for (size_t i = 0; i < n; i++)
        if (test_fold[i] < -1)
            return mlc_raise(MLC_EINVAL, "test_fold[%zu] = %lld: fold ids are >= 0, or -1 for "
                                         "samples always in training",
                             i, (long long)test_fold[i]);
    int st = make(KIND_PREDEFINED, out);
    if (st)
        return st;
    (*out)->test_fold = malloc(n * sizeof *(*out)->test_fold);
    if (!(*out)->test_fold) {
        mlc_splitter_free(*out);
        *out = NULL;
        return mlc_raise_nomem("a predefined split");
    }
    memcpy((*out)->test_fold, test_fold, n * sizeof *test_fold);
    (*out)->fold_n = n;
    return MLC_OK;
}

int mlc_explicit_split_new(size_t n_splits, const size_t *const *train, const size_t *n_train,
                           const size_t *const *test, const size_t *n_test, mlc_splitter **out)
{
    if (out)
        *out = NULL;
    if (!train || !n_train || !test || !n_test || !out)
        return mlc_raise(MLC_EINVAL, "train, n_train, test, n_test and out must not be NULL");
    if (n_splits == 0)
        return mlc_raise(MLC_EINVAL, "at least one split is needed");
    size_t total = 0, max_index = 0;
    for (size_t i = 0; i < n_splits; i++) {
        if (!train[i] || !test[i] || n_train[i] == 0 || n_test[i] == 0)
            return mlc_raise(MLC_EINVAL, "split %zu has an empty train or test set", i);
        total += n_train[i] + n_test[i];
        for (size_t j = 0; j < n_train[i]; j++)
            max_index = train[i][j] > max_index ? train[i][j] : max_index;
        for (size_t j = 0; j < n_test[i]; j++)
            max_index = test[i][j] > max_index ? test[i][j] : max_index;
    }
    int st = make(KIND_EXPLICIT, out);
    if (st)
        return st;
    mlc_splitter *s = *out;
    s->idx = malloc(total * sizeof *s->idx);
    s->off = malloc((2 * n_splits + 1) * sizeof *s->off);
    if (!s->idx || !s->off) {
        mlc_splitter_free(s);
        *out = NULL;
        return mlc_raise_nomem("explicit splits");
    }
    size_t p = 0;
    s->off[0] = 0;
    for (size_t i = 0; i < n_splits; i++) {
        memcpy(s->idx + p, train[i], n_train[i] * sizeof *s->idx);
        p += n_train[i];
        s->off[2 * i + 1] = p;
        memcpy(s->idx + p, test[i], n_test[i] * sizeof *s->idx);
        p += n_test[i];
        s->off[2 * i + 2] = p;
    }
    s->k = n_splits;
    s->max_index = max_index;
    return MLC_OK;
}

void mlc_splitter_free(mlc_splitter *s)
{
    if (!s)
        return;
    free(s->test_fold);
    free(s->idx);
    free(s->off);
    free(s);
}

const char *mlc_splitter_name(const mlc_splitter *s)
{
    return s ? KIND_NAMES[s->kind] : NULL;
}

int mlc_splitter_needs_labels(const mlc_splitter *s)
{
    return s && (s->kind == KIND_STRATIFIED_KFOLD || s->kind == KIND_STRATIFIED_SHUFFLE_SPLIT);
}

/* ------------------------------------------------------------- splitting */

static void drop_splits(mlc_splitter *s)
{
    if (s->kind == KIND_EXPLICIT)
        return; /* the splits are the parameters */
    free(s->idx);
    free(s->off);
    s->idx = s->off = NULL;
    s->n_splits = 0;
    s->n = 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Partition from a fold id per sample (-1: never tested); folds 0..k-1. */
static int partition_from_folds(mlc_splitter *s, const int64_t *fold, size_t n, size_t k)
{
    s->idx = malloc((n ? n : 1) * sizeof *s->idx);
    s->off = calloc(k + 1, sizeof *s->off);
    if (!s->idx || !s->off)
        return mlc_raise_nomem("folds");
    for (size_t i = 0; i < n; i++)
        if (fold[i] >= 0)
            s->off[fold[i] + 1]++;
    for (size_t f = 0; f < k; f++)
        s->off[f + 1] += s->off[f];
    size_t *fill = malloc((k ? k : 1) * sizeof *fill);
    if (!fill)
        return mlc_raise_nomem("folds");
    memcpy(fill, s->off, k * sizeof *fill);
    for (size_t i = 0; i < n; i++) /* index order: each test set comes out sorted */
        if (fold[i] >= 0)
            s->idx[fill[fold[i]]++] = i;
    free(fill);
    s->partition = 1;
    s->n_splits = k;
    return MLC_OK;
}

static int split_kfold(mlc_splitter *s, size_t n)
{
    if (s->k > n)
        return mlc_raise(MLC_EINVAL, "cannot have n_splits=%zu greater than the number of "
                                     "samples: n_samples=%zu",
                         s->k, n);
    size_t *perm = malloc(n * sizeof *perm);
    int64_t *fold = malloc(n * sizeof *fold);
    int st = MLC_OK;
    if (!perm || !fold) {
        st = mlc_raise_nomem("folds");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    if (s->shuffle) {
        mlc_rng *rng;
        if ((st = mlc_rng_new(s->seed, &rng)))
            goto done;
        mlc_rng_shuffle(rng, perm, n);
        mlc_rng_free(rng);
    }
    size_t start = 0;
    for (size_t f = 0; f < s->k; f++) {
        size_t size = n / s->k + (f < n % s->k ? 1 : 0);
        for (size_t j = start; j < start + size; j++)
            fold[perm[j]] = (int64_t)f;
        start += size;
    }
    st = partition_from_folds(s, fold, n, s->k);
done:
    free(perm);
    free(fold);
    return st;
}

/* Classes in order of first appearance: enc[i] in 0..*k-1. */
static int encode_by_appearance(const double *y, size_t n, int32_t *enc, size_t *k)
{
    double *cls;
    int st = mlc_class_union(y, n, NULL, 0, &cls, k);
    if (st)
        return st;
    size_t *first = malloc(*k * sizeof *first);
    int32_t *rank = malloc(*k * sizeof *rank);
    if (!first || !rank) {
        free(cls);
        free(first);
        free(rank);
        return mlc_raise_nomem("class encoding");
    }
    for (size_t c = 0; c < *k; c++)
        first[c] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)mlc_class_find(cls, *k, y[i]);
        enc[i] = (int32_t)c;
        if (first[c] == SIZE_MAX)
            first[c] = i;
    }
    /* rank of each sorted class by its first index */
    int32_t next = 0;
    for (size_t i = 0; i < n; i++)
        if (first[enc[i]] == i)
            rank[enc[i]] = next++;
    for (size_t i = 0; i < n; i++)
        enc[i] = rank[enc[i]];
    free(cls);
    free(first);
    free(rank);
    return MLC_OK;
}

static int split_stratified_kfold(mlc_splitter *s, size_t n, const double *y)
{
    if (s->k > n)
        return mlc_raise(MLC_EINVAL, "cannot have n_splits=%zu greater than the number of "
                                     "samples: n_samples=%zu",
                         s->k, n);
    size_t k = s->k, nc;
    int32_t *enc = malloc(n * sizeof *enc);
    int64_t *fold = malloc(n * sizeof *fold);
    size_t *counts = NULL, *alloc = NULL, *ids = NULL;
    mlc_rng *rng = NULL;
    int st = MLC_OK;
    if (!enc || !fold) {
        st = mlc_raise_nomem("folds");
        goto done;
    }
    if ((st = encode_by_appearance(y, n, enc, &nc)))
        goto done;
    counts = calloc(nc, sizeof *counts);
    alloc = calloc(k * nc, sizeof *alloc);
    ids = malloc(n * sizeof *ids);
    if (!counts || !alloc || !ids) {
        st = mlc_raise_nomem("folds");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        counts[enc[i]]++;
    int any_enough = 0;
    for (size_t c = 0; c < nc; c++)
        any_enough |= counts[c] >= k;
    if (!any_enough) {
        st = mlc_raise(MLC_EINVAL, "n_splits=%zu cannot be greater than the number of members "
                                   "in each class",
                       k);
        goto done;
    }
    /* allocation[f][c] = bincount(sort(enc)[f::k]): the sorted codes run in
     * blocks, position p of class c's block goes to fold p % k. */
    size_t p = 0;
    for (size_t c = 0; c < nc; c++)
        for (size_t j = 0; j < counts[c]; j++, p++)
            alloc[(p % k) * nc + c]++;
    if (s->shuffle && (st = mlc_rng_new(s->seed, &rng)))
        goto done;
    /* Fold ids of each class, in blocks (shuffled on request), handed to the
     * class's samples in index order. */
    size_t *cursor = malloc(nc * sizeof *cursor), *start = malloc((nc + 1) * sizeof *start);
    if (!cursor || !start) {
        free(cursor);
        free(start);
        st = mlc_raise_nomem("folds");
        goto done;
    }
    start[0] = 0;
    for (size_t c = 0; c < nc; c++) {
        start[c + 1] = start[c] + counts[c];
        size_t q = start[c];
        for (size_t f = 0; f < k; f++)
            for (size_t j = 0; j < alloc[f * nc + c]; j++)
                ids[q++] = f;
        if (rng)
            mlc_rng_shuffle(rng, ids + start[c], counts[c]);
        cursor[c] = start[c];
    }
    for (size_t i = 0; i < n; i++)
        fold[i] = (int64_t)ids[cursor[enc[i]]++];
    free(cursor);
    free(start);
    st = partition_from_folds(s, fold, n, k);
done:
    mlc_rng_free(rng);
    free(enc);
    free(fold);
    free(counts);
    free(alloc);
    free(ids);
    return st;
}

static int split_leave_one_out(mlc_splitter *s, size_t n)
{
    if (n < 2)
        return mlc_raise(MLC_EINVAL, "cannot perform LeaveOneOut with n_samples=%zu", n);
    s->idx = malloc(n * sizeof *s->idx);
    s->off = malloc((n + 1) * sizeof *s->off);
    if (!s->idx || !s->off)
        return mlc_raise_nomem("folds");
    for (size_t i = 0; i <= n; i++) {
        if (i < n)
            s->idx[i] = i;
        s->off[i] = i;
    }
    s->partition = 1;
    s->n_splits = n;
    return MLC_OK;
}

static int split_predefined(mlc_splitter *s, size_t n)
{
    if (n != s->fold_n)
        return mlc_raise(MLC_EBADLEN, "the predefined split has %zu samples but the data has %zu",
                         s->fold_n, n);
    /* Fold ids in increasing order become splits 0, 1, ... */
    int64_t *ids = malloc(n * sizeof *ids), *fold = malloc(n * sizeof *fold);
    if (!ids || !fold) {
        free(ids);
        free(fold);
        return mlc_raise_nomem("folds");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (s->test_fold[i] >= 0)
            ids[m++] = s->test_fold[i];
    int st = MLC_OK;
    if (m == 0) {
        st = mlc_raise(MLC_EINVAL, "the predefined split has no test fold (every id is -1)");
    } else {
        qsort(ids, m, sizeof *ids, cmp_i64);
        size_t k = 0;
        for (size_t j = 0; j < m; j++)
            if (k == 0 || ids[j] != ids[k - 1])
                ids[k++] = ids[j];
        for (size_t i = 0; i < n; i++) {
            fold[i] = -1;
            if (s->test_fold[i] >= 0) {
                size_t lo = 0, hi = k;
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (ids[mid] < s->test_fold[i])
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                fold[i] = (int64_t)lo;
            }
        }
        st = partition_from_folds(s, fold, n, k);
    }
    free(ids);
    free(fold);
    return st;
}

/* _validate_shuffle_split: a size is unset (NAN or negative), a fraction in
 * (0, 1) or an integral count >= 1. */
static int size_kind(double v, const char *what, size_t n, int *is_set, int *is_frac)
{
    *is_set = !(isnan(v) || v < 0);
    *is_frac = 0;
    if (!*is_set)
        return MLC_OK;
    if (v > 0 && v < 1) {
        *is_frac = 1;
        return MLC_OK;
    }
    if (v >= 1 && v == floor(v) && v < (double)n)
        return MLC_OK;
    return mlc_raise(MLC_EINVAL, "%s=%g should be either positive and smaller than the number "
                                 "of samples %zu or a float in the (0, 1) range",
                     what, v, n);
}

static int shuffle_sizes(const mlc_splitter *s, size_t n, size_t *n_train, size_t *n_test)
{
    double test = s->test_size, train = s->train_size;
    int test_set, test_frac, train_set, train_frac;
    if ((isnan(test) || test < 0) && (isnan(train) || train < 0))
        test = 0.1;
    int st = size_kind(test, "test_size", n, &test_set, &test_frac);
    if (!st)
        st = size_kind(train, "train_size", n, &train_set, &train_frac);
    if (st)
        return st;
    if (test_frac && train_frac && train + test > 1)
        return mlc_raise(MLC_EINVAL, "the sum of test_size and train_size = %g should be in "
                                     "the (0, 1) range; reduce test_size and/or train_size",
                         train + test);
    double nt = 0, nr = 0;
    if (test_set)
        nt = test_frac ? ceil(test * (double)n) : test;
    if (train_set)
        nr = train_frac ? floor(train * (double)n) : train;
    if (!train_set)
        nr = (double)n - nt;
    else if (!test_set)
        nt = (double)n - nr;
    if (nr + nt > (double)n)
        return mlc_raise(MLC_EINVAL, "the sum of train_size and test_size = %.0f should be "
                                     "smaller than the number of samples %zu; reduce test_size "
                                     "and/or train_size",
                         nr + nt, n);
    if (nr == 0)
        return mlc_raise(MLC_EINVAL, "with n_samples=%zu, test_size=%g and train_size=%g the "
                                     "train set would be empty; adjust them",
                         n, s->test_size, s->train_size);
    *n_train = (size_t)nr;
    *n_test = (size_t)nt;
    return MLC_OK;
}

static int alloc_pairs(mlc_splitter *s, size_t per_split)
{
    size_t total = s->k * per_split;
    s->idx = malloc((total > 0 ? total : 1) * sizeof *s->idx);
    s->off = malloc((2 * s->k + 1) * sizeof *s->off);
    if (!s->idx || !s->off)
        return mlc_raise_nomem("splits");
    s->off[0] = 0;
    s->partition = 0;
    return MLC_OK;
}

static int split_shuffle(mlc_splitter *s, size_t n)
{
    size_t ntr, nte;
    int st = shuffle_sizes(s, n, &ntr, &nte);
    if (st || (st = alloc_pairs(s, ntr + nte)))
        return st;
    size_t *perm = malloc(n * sizeof *perm);
    mlc_rng *rng = NULL;
    if (!perm)
        return mlc_raise_nomem("splits");
    if ((st = mlc_rng_new(s->seed, &rng))) {
        free(perm);
        return st;
    }
    size_t p = 0;
    for (size_t i = 0; i < s->k; i++) {
        mlc_rng_permutation(rng, perm, n);
        memcpy(s->idx + p, perm + nte, ntr * sizeof *perm);
        qsort(s->idx + p, ntr, sizeof *perm, cmp_size);
        s->off[2 * i + 1] = p += ntr;
        memcpy(s->idx + p, perm, nte * sizeof *perm);
        qsort(s->idx + p, nte, sizeof *perm, cmp_size);
        s->off[2 * i + 2] = p += nte;
    }
    s->n_splits = s->k;
    mlc_rng_free(rng);
    free(perm);
    return MLC_OK;
}

/* scikit-learn's _approximate_mode: floor of the proportional allocation,
 * then one more for the largest remainders (ties broken at random). */
static void approximate_mode(const size_t *counts, size_t nc, size_t total, size_t draws,
                             mlc_rng *rng, size_t *out, double *rem, size_t *inds)
{
    double floored_sum = 0.0;
    for (size_t c = 0; c < nc; c++) {
        double cont = (double)counts[c] / (double)total * (double)draws;
        double f = floor(cont);
        out[c] = (size_t)f;
        rem[c] = cont - f;
        floored_sum += f;
    }
    long need = (long)((double)draws - floored_sum);
    while (need > 0) {
        double value = -1.0; /* the largest remainder not yet used */
        for (size_t c = 0; c < nc; c++)
            if (rem[c] >= 0 && rem[c] > value)
                value = rem[c];
        size_t m = 0;
        for (size_t c = 0; c < nc; c++)
            if (rem[c] == value) {
                inds[m++] = c;
                rem[c] = -1.0;
            }
        size_t add = m < (size_t)need ? m : (size_t)need;
        for (size_t j = 0; j < add; j++) { /* choice without replacement */
            size_t r = j + mlc_rng_index(rng, m - j);
            size_t t = inds[j];
            inds[j] = inds[r];
            inds[r] = t;
            out[inds[j]]++;
        }
        need -= (long)add;
    }
}

static int split_stratified_shuffle(mlc_splitter *s, size_t n, const double *y)
{
    size_t ntr, nte, nc;
    int st = shuffle_sizes(s, n, &ntr, &nte);
    if (st)
        return st;
    double *cls;
    if ((st = mlc_class_union(y, n, NULL, 0, &cls, &nc)))
        return st;
    size_t *counts = calloc(nc, sizeof *counts), *start = calloc(nc + 1, sizeof *start);
    size_t *members = malloc(n * sizeof *members), *perm = malloc(n * sizeof *perm);
    size_t *n_i = malloc(nc * sizeof *n_i), *t_i = malloc(nc * sizeof *t_i);
    size_t *left = malloc(nc * sizeof *left), *inds = malloc(nc * sizeof *inds);
    double *rem = malloc(nc * sizeof *rem);
    mlc_rng *rng = NULL;
    if (!counts || !start || !members || !perm || !n_i || !t_i || !left || !inds || !rem) {
        st = mlc_raise_nomem("stratified splits");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        counts[mlc_class_find(cls, nc, y[i])]++;
    for (size_t c = 0; c < nc; c++) {
        if (counts[c] < 2) {
            st = mlc_raise(MLC_EINVAL, "the least populated class in y (%g) has only 1 member, "
                                       "which is too few; the minimum for any class is 2",
                           cls[c]);
            goto done;
        }
        start[c + 1] = start[c] + counts[c];
    }
    if (ntr < nc || nte < nc) {
        st = mlc_raise(MLC_EINVAL, "the %s size %zu should be greater or equal to the number "
                                   "of classes %zu",
                       ntr < nc ? "train" : "test", ntr < nc ? ntr : nte, nc);
        goto done;
    }
    {
        size_t *fill = left;
        memcpy(fill, start, nc * sizeof *fill);
        for (size_t i = 0; i < n; i++)
            members[fill[mlc_class_find(cls, nc, y[i])]++] = i;
    }
    if ((st = alloc_pairs(s, ntr + nte)) || (st = mlc_rng_new(s->seed, &rng)))
        goto done;
    size_t p = 0;
    for (size_t sp = 0; sp < s->k; sp++) {
        approximate_mode(counts, nc, n, ntr, rng, n_i, rem, inds);
        for (size_t c = 0; c < nc; c++)
            left[c] = counts[c] - n_i[c];
        approximate_mode(left, nc, n - ntr, nte, rng, t_i, rem, inds);
        /* Each class's samples permuted: the first n_i train, the next t_i test. */
        size_t q_train = p, q_test = p + ntr;
        for (size_t c = 0; c < nc; c++) {
            mlc_rng_permutation(rng, perm, counts[c]);
            for (size_t j = 0; j < n_i[c]; j++)
                s->idx[q_train++] = members[start[c] + perm[j]];
            for (size_t j = 0; j < t_i[c]; j++)
                s->idx[q_test++] = members[start[c] + perm[n_i[c] + j]];
        }
        qsort(s->idx + p, ntr, sizeof *s->idx, cmp_size);
        s->off[2 * sp + 1] = p + ntr;
        qsort(s->idx + p + ntr, nte, sizeof *s->idx, cmp_size);
        p += ntr + nte;
        s->off[2 * sp + 2] = p;
    }
    s->n_splits = s->k;
done:
    mlc_rng_free(rng);
    free(cls);
    free(counts);
    free(start);
    free(members);
    free(perm);
    free(n_i);
    free(t_i);
    free(left);
    free(inds);
    free(rem);
    return st;
}

int mlc_splitter_split(mlc_splitter *s, size_t n, const double *y)
{
    if (!s)
        return mlc_raise(MLC_EINVAL, "the splitter must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "cannot split 0 samples");
    int st;
    if (mlc_splitter_needs_labels(s)) {
        if (!y)
            return mlc_raise(MLC_EINVAL, "%s needs the class labels y", KIND_NAMES[s->kind]);
        if ((st = mlc_check_class_labels(y, n, "y")))
            return st;
    }
    drop_splits(s);
    switch (s->kind) {
    case KIND_KFOLD: st = split_kfold(s, n); break;
    case KIND_STRATIFIED_KFOLD: st = split_stratified_kfold(s, n, y); break;
    case KIND_SHUFFLE_SPLIT: st = split_shuffle(s, n); break;
    case KIND_STRATIFIED_SHUFFLE_SPLIT: st = split_stratified_shuffle(s, n, y); break;
    case KIND_LEAVE_ONE_OUT: st = split_leave_one_out(s, n); break;
    case KIND_PREDEFINED: st = split_predefined(s, n); break;
    case KIND_EXPLICIT:
        st = s->max_index >= n ? mlc_raise(MLC_ERANGE, "the explicit splits use sample %zu but "
                                                       "the data has %zu samples",
                                           s->max_index, n)
                               : MLC_OK;
        if (!st)
            s->n_splits = s->k;
        break;
    }
    if (st) {
        drop_splits(s);
        return st;
    }
    s->n = n;
    return MLC_OK;
}

size_t mlc_splitter_n_splits(const mlc_splitter *s)
{
    return s ? s->n_splits : 0;
}

static int check_index(const mlc_splitter *s, size_t i)
{
    if (!s)
        return mlc_raise(MLC_EINVAL, "the splitter must not be NULL");
    if (s->n_splits == 0)
        return mlc_raise(MLC_EINVAL, "the %s has no splits yet; call mlc_splitter_split first",
                         KIND_NAMES[s->kind]);
    if (i >= s->n_splits)
        return mlc_raise(MLC_ERANGE, "split %zu does not exist (there are %zu)", i,
                         s->n_splits);
    return MLC_OK;
}

int mlc_splitter_sizes(const mlc_splitter *s, size_t i, size_t *n_train, size_t *n_test)
{
    int st = check_index(s, i);
    if (st)
        return st;
    size_t tr, te;
    if (s->partition) {
        te = s->off[i + 1] - s->off[i];
        tr = s->n - te;
    } else {
        tr = s->off[2 * i + 1] - s->off[2 * i];
        te = s->off[2 * i + 2] - s->off[2 * i + 1];
    }
    if (n_train)
        *n_train = tr;
    if (n_test)
        *n_test = te;
    return MLC_OK;
}

int mlc_splitter_get(const mlc_splitter *s, size_t i, size_t *train, size_t *n_train,
                     size_t *test, size_t *n_test)
{
    size_t tr, te;
    int st = mlc_splitter_sizes(s, i, &tr, &te);
    if (st)
        return st;
    if (s->partition) {
        const size_t *t = s->idx + s->off[i];
        if (test)
            memcpy(test, t, te * sizeof *test);
        if (train) {
            size_t q = 0, m = 0;
            for (size_t j = 0; j < s->n; j++) {
                if (q < te && t[q] == j)
                    q++;
                else
                    train[m++] = j;
            }
        }
    } else {
        if (train)
            memcpy(train, s->idx + s->off[2 * i], tr * sizeof *train);
        if (test)
            memcpy(test, s->idx + s->off[2 * i + 1], te * sizeof *test);
    }
    if (n_train)
        *n_train = tr;
    if (n_test)
        *n_test = te;
    return MLC_OK;
}
