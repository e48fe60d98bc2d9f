/* exp and tanh over arrays (algorithms/svm/svm_math.h). */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "internal/hot.h"
#include "svm_math.h"

static const double INV_LN2 = 1.4426950408889634;    /* 1 / ln 2 */
static const double LN2_HI = 6.93147180369123816490e-01; /* 32 bits: k * LN2_HI is exact */
static const double LN2_LO = 1.90821492927058770002e-10;
static const double SHIFT = 6755399441055744.0;      /* 1.5 * 2^52: adding it rounds to an integer */
#define SHIFT_BITS 0x4338000000000000ULL             /* SHIFT's representation */

MLC_BODY_ELEMENTWISE double exp_one(double x)
{
    double c = x < -746.0 ? -746.0 : x > 710.0 ? 710.0 : x; /* exp(c) is 0 or inf beyond */
    double kd = c * INV_LN2 + SHIFT;
    uint64_t ki;
    memcpy(&ki, &kd, sizeof ki); /* the low bits hold k */
    kd -= SHIFT;
    double r = (c - kd * LN2_HI) - kd * LN2_LO;
    /* exp(r) = 1 + r + r^2/2! + ... + r^13/13!, Horner */
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    /* 2^k as 2^h * 2^(k-h), h = floor(k/2): both factors are normal for
     * every k the clamp allows ([-1076, 1025]). Unsigned arithmetic on
     * kb = k + 1076 >= 0 (AVX2 has no 64-bit arithmetic shift). */
    uint64_t kb = ki - SHIFT_BITS + 1076u, hb = kb >> 1;
    uint64_t b1 = (hb + 485u) << 52, b2 = (kb - hb + 485u) << 52;
    double s1, s2;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    double y = p * s1 * s2;
    return x != x ? x : y; /* NaN stays NaN */
}

MLC_BODY_ELEMENTWISE void exp_body(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = exp_one(v[i]);
}

MLC_WIDE_ELEMENTWISE static void exp_wide(double *v, size_t n)
{
    exp_body(v, n);
}

MLC_NARROW_ELEMENTWISE static void exp_narrow(double *v, size_t n)
{
    exp_body(v, n);
}

MLC_REFERENCE_EXACT static void exp_reference(double *v, size_t n)
{
    exp_body(v, n);
}

void svm_exp_form(int level, double *v, size_t n)
{
    if (level >= MLC_SIMD_512)
        exp_wide(v, n);
    else if (level == MLC_SIMD_256)
        exp_narrow(v, n);
    else
        exp_reference(v, n);
}

void svm_exp_inplace(double *v, size_t n)
{
    svm_exp_form(mlc_cpu_level(), v, n);
}

/* tanh(x) = sign(x) e / (e + 2) with e = expm1(2|x|), and expm1 as fdlibm
 * reduces it: y = k ln2 + r, expm1(y) = 2^k expm1(r) + (2^k - 1), so that
 * no 1 is subtracted from a number near 1 (tanh of small x keeps its
 * relative accuracy). expm1(r) by its Taylor series to degree 14. Past
 * 2|x| = 40, tanh is 1 in double precision. */
MLC_BODY_ELEMENTWISE double tanh_one(double x)
{
    double ax = fabs(x);
    double y = 2.0 * ax;
    y = y > 40.0 ? 40.0 : y;
    double kd = y * INV_LN2 + SHIFT;
    uint64_t ki;
    memcpy(&ki, &kd, sizeof ki);
    kd -= SHIFT;
    double r = (y - kd * LN2_HI) - kd * LN2_LO;
    double p = 1.0 / 87178291200.0;
    p = p * r + 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    double em_r = r + r * r * p; /* expm1(r) */
    /* 2^k for k in [0, 58]: its exponent field directly */
    uint64_t bits = (ki - SHIFT_BITS + 1023u) << 52;
    double two_k;
    memcpy(&two_k, &bits, sizeof two_k);
    double e = two_k * em_r + (two_k - 1.0);
    double t = e / (e + 2.0);
    t = x != x ? x : t; /* NaN stays NaN */
    return copysign(t, x);
}

MLC_BODY_ELEMENTWISE void tanh_body(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = tanh_one(v[i]);
}

MLC_WIDE_ELEMENTWISE static void tanh_wide(double *v, size_t n)
{
    tanh_body(v, n);
}

MLC_NARROW_ELEMENTWISE static void tanh_narrow(double *v, size_t n)
{
    tanh_body(v, n);
}

MLC_REFERENCE_EXACT static void tanh_reference(double *v, size_t n)
{
    tanh_body(v, n);
}

void svm_tanh_form(int level, double *v, size_t n)
{
    if (level >= MLC_SIMD_512)
        tanh_wide(v, n);
    else if (level == MLC_SIMD_256)
        tanh_narrow(v, n);
    else
        tanh_reference(v, n);
}

void svm_tanh_inplace(double *v, size_t n)
{
    svm_tanh_form(mlc_cpu_level(), v, n);
}
