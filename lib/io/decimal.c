/* Decimal text to double, correctly rounded, without strtod's big-number
 * arithmetic for the numbers data files hold (%.17g output: 17 significant
 * digits, exponents well inside the range).
 *
 * The digits become an integer w < 10^19 and an exponent q, value w 10^q.
 * When w < 2^53 and |q| <= 22 both are exact doubles and one IEEE multiply
 * or divide rounds correctly (Clinger, "How to Read Floating Point Numbers
 * Accurately", PLDI 1990). Otherwise w is multiplied by 5^q to 128 bits
 * (the Eisel-Lemire method: Lemire, "Number Parsing at a Gigabyte per
 * Second", Software: Practice and Experience 51(8), 2021), which fixes the
 * rounding except in cases it recognises; those, longer numbers and results
 * outside the normal range go to strtod, so every result is strtod's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "decimal.h"

#define MANTISSA_BITS 52
#define MAX_DIGITS 19 /* 10^19 - 1 < 2^64 */

typedef struct u128 {
    uint64_t hi, lo;
} u128;

static u128 mul_64x64(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 r = (unsigned __int128)a * b;
    return (u128){(uint64_t)(r >> 64), (uint64_t)r};
#else
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    return (u128){p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32), (mid << 32) | (uint32_t)p00};
#endif
}

static int leading_zeros(uint64_t w) /* w > 0 */
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(w);
#else
    int n = 0;
    while (!(w >> 63)) {
        w <<= 1;
        n++;
    }
    return n;
#endif
}

/* floor(log2(10^q)) + 63 for |q| <= 350, as floor(q * 217706 / 2^16) + 63
 * (a floor division, also for negative q). */
static int binary_exponent(int q)
{
    long v = 217706L * q;
    return (int)(v >= 0 ? v / 65536 : -((-v + 65535) / 65536)) + 63;
}

/* w 10^q (w > 0, q in the table's range) by Eisel-Lemire: 1 and the bits of
 * a normal double in *bits, or 0 when strtod must decide. */
static int eisel_lemire(uint64_t w, int q, uint64_t *bits)
{
    int lz = leading_zeros(w);
    w <<= lz;
    size_t at = 2 * (size_t)(q - MLC_POW5_SMALLEST);
    u128 p = mul_64x64(w, mlc_pow5_128[at]);
    const uint64_t below = UINT64_MAX >> (MANTISSA_BITS + 3); /* bits under the 55 kept */
    if ((p.hi & below) == below) { /* the truncated power may matter: add the next word */
        u128 next = mul_64x64(w, mlc_pow5_128[at + 1]);
        p.lo += next.hi;
        if (next.hi > p.lo)
            p.hi++;
    }
    /* Still all ones below: the product's error could carry into the kept
     * bits; exact only where 5^q fits the table's 128 bits. */
    if (p.lo == UINT64_MAX && (q < -27 || q > 55))
        return 0;
    int upper = (int)(p.hi >> 63), shift = upper + 64 - MANTISSA_BITS - 3;
    uint64_t m = p.hi >> shift;
    int e = binary_exponent(q) + upper - lz + 1023;
    if (e <= 0)
        return 0; /* subnormal */
    /* Exactly halfway (nothing but zeros dropped, possible only where 5^q is
     * exact in 64 bits): round to even instead of up. */
    if (p.lo <= 1 && q >= -4 && q <= 23 && (m & 3) == 1 && (m << shift) == p.hi)
        m &= ~(uint64_t)1;
    m += m & 1;
    m >>= 1;
    if (m >= (uint64_t)2 << MANTISSA_BITS) { /* rounding carried into a new bit */
        m = (uint64_t)1 << MANTISSA_BITS;
        e++;
    }
    if (e >= 0x7FF)
        return 0; /* overflow */
    *bits = (m & ~((uint64_t)1 << MANTISSA_BITS)) | (uint64_t)e << MANTISSA_BITS;
    return 1;
}

static const double exact_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Eight ASCII digits at once (SWAR, as in Lemire's fast_float): the bytes
 * in memory order as a little-endian word. */
static uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static int all_digits8(uint64_t v)
{
    return !(((v + 0x4646464646464646u) | (v - 0x3030303030303030u)) & 0x8080808080808080u);
}

static uint64_t value8(uint64_t v)
{
    const uint64_t mask = 0x000000FF000000FFu, mul1 = 0x000F424000000064u,
                   mul2 = 0x0000271000000001u;
    v -= 0x3030303030303030u;
    v = v * 10 + (v >> 8);
    return (((v & mask) * mul1) + (((v >> 16) & mask) * mul2)) >> 32;
}

/* Digits from *p (not past end) appended to *w, which may wrap: the caller
 * counts them and gives up beyond MAX_DIGITS. */
static inline const char *digits(const char *p, const char *end, uint64_t *w)
{
    uint64_t v = *w;
    while (end - p >= 8 && all_digits8(load8(p))) {
        v = v * 100000000u + value8(load8(p));
        p += 8;
    }
    for (; p < end && (unsigned)(*p - '0') < 10; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    *w = v;
    return p;
}

const char *mlc_decimal_parse(const char *s, const char *end, double *out)
{
    const char *p = s;
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    const char *first = p;
    while (p < end && *p == '0')
        p++; /* leading zeros are not significant */
    uint64_t w = 0;
    const char *sig = p;
    p = digits(p, end, &w);
    long n_digits = p - sig, q = 0;
    int any = p > first;
    if (p < end && *p == '.') {
        const char *frac = ++p;
        if (n_digits == 0)
            while (p < end && *p == '0')
                p++; /* 0.000123: the zeros after the point are not either */
        sig = p;
        p = digits(p, end, &w);
        n_digits += p - sig;
        q = -(long)(p - frac);
        any |= p > frac;
    }
    if (!any || n_digits > MAX_DIGITS)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *e = p + 1;
        int eneg = 0;
        if (e < end && (*e == '+' || *e == '-'))
            eneg = *e++ == '-';
        if (e < end && (unsigned)(*e - '0') < 10) {
            long x = 0;
            for (; e < end && (unsigned)(*e - '0') < 10; e++)
                if (x < 100000)
                    x = x * 10 + (*e - '0');
            q += eneg ? -x : x;
            p = e;
        } /* else the number ends before the 'e', as strtod reads it */
    }
    uint64_t bits;
    double v;
    if (w == 0) {
        v = 0.0;
    } else if (w <= (uint64_t)1 << 53 && q >= -22 && q <= 22) {
        v = q >= 0 ? (double)w * exact_pow10[q] : (double)w / exact_pow10[-q];
    } else if (q >= MLC_POW5_SMALLEST && q <= MLC_POW5_LARGEST &&
               eisel_lemire(w, (int)q, &bits)) {
        memcpy(&v, &bits, sizeof v);
    } else {
        return NULL;
    }
    *out = neg ? -v : v;
    return p;
}

/* Bytes of whitespace at p (p < end) as Python's str.isspace counts it,
 * which numpy.loadtxt strips around a number: the ASCII spaces and controls
 * \t \n \v \f \r, 0x1C-0x1F, and the Unicode spaces in UTF-8; 0 for none. */
static size_t space_len(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n = (size_t)(end - p);
    if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r') || (u[0] >= 0x1c && u[0] <= 0x1f))
        return 1;
    if (u[0] == 0xc2 && n >= 2 && (u[1] == 0x85 || u[1] == 0xa0))
        return 2; /* U+0085, U+00A0 */
    if (n < 3)
        return 0;
    if ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||       /* U+1680 */
        (u[0] == 0xe2 && u[1] == 0x80 &&                          /* U+2000-200A, */
         ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 ||       /* U+2028, 2029, */
          u[2] == 0xa9 || u[2] == 0xaf)) ||                       /* U+202F */
        (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) ||         /* U+205F */
        (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80))           /* U+3000 */
        return 3;
    return 0;
}

static const char *skip_space(const char *p, const char *end)
{
    for (size_t k; p < end && (k = space_len(p, end)) > 0;)
        p += k;
    return p;
}

static const char *skip_digits(const char *p, const char *end)
{
    while (p < end && (unsigned)(*p - '0') < 10)
        p++;
    return p;
}

/* End of [+-](digits[.[digits]] | .digits)[(e|E)[+-]digits] at p, or NULL:
 * the decimal form Python's float parser reads (no hexadecimal, no digit
 * separators, no locale's decimal point). */
static const char *scan_decimal(const char *p, const char *end)
{
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    const char *int_end = skip_digits(p, end), *q = int_end;
    int any = int_end > p;
    if (q < end && *q == '.') {
        const char *frac = q + 1;
        q = skip_digits(frac, end);
        any |= q > frac;
    }
    if (!any)
        return NULL;
    if (q < end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        if (e < end && (*e == '+' || *e == '-'))
            e++;
        const char *exp_end = skip_digits(e, end);
        if (exp_end == e)
            return NULL; /* "1e", "1e+": numpy refuses them */
        q = exp_end;
    }
    return q;
}

static int word_at(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char c = p[k] >= 'A' && p[k] <= 'Z' ? (char)(p[k] - 'A' + 'a') : p[k]; /* any locale */
        if (c != word[k])
            return 0;
    }
    return 1;
}

/* [+-](nan | inf | infinity) in any case at p: its end and value, or NULL. */
static const char *scan_special(const char *p, const char *end, double *out)
{
    int neg = p < end && *p == '-';
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    if (word_at(p, end, "nan")) {
        *out = neg ? -NAN : NAN;
        return p + 3;
    }
    if (!word_at(p, end, "inf"))
        return NULL;
    *out = neg ? -INFINITY : INFINITY;
    return word_at(p + 3, end, "inity") ? p + 8 : p + 3;
}

int mlc_number_field(const char *s, size_t n, locale_t loc, double *out)
{
    const char *end = s + n, *p = skip_space(s, end);
    if (p == end)
        return 0;
    const char *stop = mlc_decimal_parse(p, end, out);
    if (stop && skip_space(stop, end) == end)
        return 1;
    /* Not a plain decimal the fast path rounds (20 digits, 1e-320, 1e999),
     * or not a decimal at all (nan, inf, 0x10, 1e, text). */
    stop = scan_decimal(p, end);
    if (stop) {
        if (skip_space(stop, end) != end)
            return 0;
        /* A validated decimal: strtod reads exactly it, correctly rounded
         * (it never sees a hexadecimal or locale form). */
        *out = strtod_l(p, NULL, loc);
        return 1;
    }
    stop = scan_special(p, end, out);
    return stop && skip_space(stop, end) == end;
}
