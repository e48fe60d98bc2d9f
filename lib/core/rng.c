#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <sys/random.h>
#include "internal/error.h"
#include "mlcore/rng.h"

struct mlc_rng {
    gsl_rng *r;
};

int mlc_rng_new(int64_t seed, mlc_rng **out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "output pointer is NULL");
    *out = NULL;
    mlc_rng *g = malloc(sizeof *g);
    if (!g)
        return mlc_raise_nomem("a random generator");
    g->r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g->r) {
        free(g);
        return mlc_raise_nomem("a random generator");
    }
    unsigned long s;
    if (seed < 0) {
        if (getrandom(&s, sizeof s, 0) != (ssize_t)sizeof s)
            s = (unsigned long)(uintptr_t)g ^ 0x9e3779b97f4a7c15UL;
    } else {
        s = (unsigned long)seed;
    }
    gsl_rng_set(g->r, s);
    *out = g;
    return MLC_OK;
}

void mlc_rng_free(mlc_rng *rng)
{
    if (!rng)
        return;
    gsl_rng_free(rng->r);
    free(rng);
}

double mlc_rng_uniform(mlc_rng *rng)
{
    return rng ? gsl_rng_uniform(rng->r) : NAN;
}

double mlc_rng_uniform_range(mlc_rng *rng, double lo, double hi)
{
    return rng ? lo + (hi - lo) * gsl_rng_uniform(rng->r) : NAN;
}

size_t mlc_rng_index(mlc_rng *rng, size_t n)
{
    if (!rng || n <= 1)
        return 0;
    if (n <= gsl_rng_max(rng->r) - gsl_rng_min(rng->r))
        return (size_t)gsl_rng_uniform_int(rng->r, (unsigned long)n);
    /* Larger than the generator's range: combine two draws. */
    size_t k = (size_t)(gsl_rng_uniform(rng->r) * (double)n);
    return k < n ? k : n - 1;
}

double mlc_rng_normal(mlc_rng *rng)
{
    return rng ? gsl_ran_gaussian_ziggurat(rng->r, 1.0) : NAN;
}

int64_t mlc_rng_seed(mlc_rng *rng)
{
    return rng ? (int64_t)gsl_rng_uniform_int(rng->r, 2147483647UL) : -1;
}

void mlc_rng_shuffle(mlc_rng *rng, size_t *idx, size_t n)
{
    if (!rng || !idx)
        return;
    for (size_t i = n; i > 1; i--) {
        size_t j = mlc_rng_index(rng, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

void mlc_rng_permutation(mlc_rng *rng, size_t *idx, size_t n)
{
    if (!idx)
        return;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    mlc_rng_shuffle(rng, idx, n);
}
