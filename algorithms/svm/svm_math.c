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

/* exp(x) = 2^e 2^(j/16) exp(r): x = k ln2 / 16 + r, k = 16 e + j, |r| <= ln2 / 32
 * (Tang 1989, "Table-driven implementation of the exponential function";
 * Cody & Waite's two-part ln2, so k ln2_hi / 16 is exact). 2^(j/16) as a
 * double and the rest of its value (EXP_TABLE_HI + EXP_TABLE_LO, from 60
 * digits); exp(r) - 1 by its Taylor series to degree 7 (truncation below
 * 2e-18 relative). */
static const double EXP_TABLE_HI[16] = {
    0x1.0000000000000p+0, 0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0, 0x1.2387a6e756238p+0,
    0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0, 0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0,
    0x1.6a09e667f3bcdp+0, 0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f090p+0,
    0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0, 0x1.ea4afa2a490dap+0,
};
static const double EXP_TABLE_LO[16] = {
    0x0.0p+0, 0x1.8a62e4adc610bp-54, -0x1.19041b9d78a76p-55, 0x1.9b07eb6c70573p-54,
    0x1.6f46ad23182e4p-55, 0x1.ada0911f09ebcp-55, 0x1.d4397afec42e2p-56, 0x1.6324c054647adp-54,
    -0x1.bdd3413b26456p-54, -0x1.41577ee04992fp-55, 0x1.6e9f156864b27p-54, 0x1.c7c46b071f2bep-56,
    0x1.7a1cd345dcc81p-54, 0x1.11065895048ddp-55, 0x1.2ed02d75b3707p-55, -0x1.e9c23179c2893p-54,
};
static const double INV_LN2_16 = 23.083120654223414; /* 16 / ln 2 */
#define K_BIAS 17600u /* 1100 * 16: k + K_BIAS >= 0 for every k the clamp allows */

MLC_BODY_ELEMENTWISE double exp_one(double x)
{
    double c = x < -746.0 ? -746.0 : x > 710.0 ? 710.0 : x; /* exp(c) is 0 or inf beyond */
    double kd = c * INV_LN2_16 + SHIFT;
    uint64_t ki;
    memcpy(&ki, &kd, sizeof ki); /* the low bits hold k */
    kd -= SHIFT;
    double r = (c - kd * (LN2_HI / 16)) - kd * (LN2_LO / 16);
    uint64_t kb = ki - SHIFT_BITS + K_BIAS; /* k + K_BIAS: j in its low 4 bits */
    double p = 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    double q = p * r; /* exp(r) - 1 */
    double th = EXP_TABLE_HI[kb & 15u], tl = EXP_TABLE_LO[kb & 15u];
    double m = th + (th * q + tl);
    /* 2^e as 2^h 2^(e - h) with E = e + 1100 and h = floor(E / 2) - 550:
     * both factors are normal for every e the clamp allows ([-1077,
     * 1024]), so a subnormal result rounds once. */
    uint64_t E = kb >> 4, hb = E >> 1;
    uint64_t b1 = (hb + 473u) << 52, b2 = (E - hb + 473u) << 52;
    double s1, s2;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    double y = m * s1 * s2;
    return x != x ? x : y; /* NaN stays NaN */
}

MLC_BODY_ELEMENTWISE void exp_body(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = exp_one(v[i]);
}

/* The vector forms look the table up with a permute (AVX-512) or a gather
 * (AVX2): GCC's vectoriser leaves the table's load scalar (its tunings
 * turn gathers off), so they are written with explicit lanes, once, as a
 * template at each width (svm_exp_vector.h), and give exp_one's bits. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include "svm_lanes.h"
#define SV_W 8
#include "svm_lanes_on.h"
#include "svm_exp_vector.h"
#include "svm_lanes_off.h"
#undef SV_W
#define SV_W 4
#include "svm_lanes_on.h"
#include "svm_exp_vector.h"
#include "svm_lanes_off.h"
#undef SV_W
#define EXP_WIDE exp_vector_v8
#define EXP_NARROW exp_vector_v4
#else
MLC_WIDE_ELEMENTWISE static void exp_wide(double *v, size_t n)
{
    exp_body(v, n);
}

MLC_NARROW_ELEMENTWISE static void exp_narrow(double *v, size_t n)
{
    exp_body(v, n);
}
#define EXP_WIDE exp_wide
#define EXP_NARROW exp_narrow
#endif

MLC_REFERENCE_EXACT static void exp_reference(double *v, size_t n)
{
    exp_body(v, n);
}

void svm_exp_form(int level, double *v, size_t n)
{
    if (level >= MLC_SIMD_512)
        EXP_WIDE(v, n);
    else if (level == MLC_SIMD_256)
        EXP_NARROW(v, n);
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
