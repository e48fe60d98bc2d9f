/* The random order of the coordinate-descent epochs
 * (algorithms/svm/linear_svm_solvers.h): xoshiro256** (Blackman & Vigna
 * 2018, "Scrambled linear pseudorandom number generators") seeded through
 * SplitMix64 from a seed the fit draws from its mlc_rng, and Lemire's
 * (2019) multiply-shift bounded integers, "Fast random integer generation
 * in an interval". mlc_rng_shuffle (GSL's MT19937 and a division per draw)
 * took 37% of a LinearSVC fit on 5000 x 20. */
#include "linear_svm_solvers.h"

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next(lsvm_order *o)
{
    uint64_t *s = o->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

void lsvm_order_seed(lsvm_order *o, int64_t seed)
{
    uint64_t z = (uint64_t)seed;
    for (int k = 0; k < 4; k++) { /* SplitMix64 */
        z += 0x9e3779b97f4a7c15ULL;
        uint64_t v = z;
        v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
        v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
        o->s[k] = v ^ (v >> 31);
    }
}

/* Uniform on [0, n), n <= 2^32: the high half of a 32 x 32-bit product,
 * rejecting the few low halves that would bias it. */
static size_t below(lsvm_order *o, uint32_t n)
{
    uint64_t m = (next(o) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t floor = (uint32_t)(-n) % n;
        while (low < floor) {
            m = (next(o) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (size_t)(m >> 32);
}

/* Uniform on [0, n) for any n: rejection of the top remainder. */
static size_t below_wide(lsvm_order *o, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, r;
    do
        r = next(o);
    while (r >= limit);
    return (size_t)(r % n);
}

void lsvm_order_shuffle(lsvm_order *o, size_t *idx, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) { /* i swaps with a uniform j in [i, n) */
        size_t left = n - i;
        size_t j = i + (left <= UINT32_MAX ? below(o, (uint32_t)left) : below_wide(o, left));
        size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}
