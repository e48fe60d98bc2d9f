/* exp at one width (template: svm_math.c includes it once per width
 * between svm_lanes_on.h and svm_lanes_off.h): exp_one's operations on
 * SV_W lanes at a time, the table looked up by a permute of its two halves
 * (AVX-512) or a gather (AVX2), the last n % SV_W values by exp_one. No
 * contraction (the forms' attributes), so every lane gives exp_one's bits. */

#if SV_W == 8
#define SV_EXP_FORM MLC_WIDE_ELEMENTWISE
#else
#define SV_EXP_FORM MLC_NARROW_ELEMENTWISE
#endif

SV_EXP_FORM static void SV(exp_vector)(double *v, size_t n)
{
#if SV_W == 8
    const __m512d hi0 = _mm512_loadu_pd(EXP_TABLE_HI), hi1 = _mm512_loadu_pd(EXP_TABLE_HI + 8);
    const __m512d lo0 = _mm512_loadu_pd(EXP_TABLE_LO), lo1 = _mm512_loadu_pd(EXP_TABLE_LO + 8);
#endif
    const SV_D low = SV_SPLAT(-746.0), high = SV_SPLAT(710.0);
    size_t i = 0;
    for (; i + SV_W <= n; i += SV_W) {
        SV_D x;
        MLC_LOADV(x, v + i);
        SV_D c = SV_PICK((SV_L)(x < low), low, x);
        c = SV_PICK((SV_L)(c > high), high, c);
        SV_D kd = c * INV_LN2_16 + SHIFT;
        SV_Q kb = (SV_Q)kd - SHIFT_BITS + K_BIAS;
        kd -= SHIFT;
        SV_D r = (c - kd * (LN2_HI / 16)) - kd * (LN2_LO / 16);
        SV_D p = SV_SPLAT(1.0 / 5040.0);
        p = p * r + 1.0 / 720.0;
        p = p * r + 1.0 / 120.0;
        p = p * r + 1.0 / 24.0;
        p = p * r + 1.0 / 6.0;
        p = p * r + 0.5;
        p = p * r + 1.0;
        SV_D q = p * r;
#if SV_W == 8 /* vpermt2pd reads the low 4 bits of each index */
        SV_D th = (SV_D)_mm512_permutex2var_pd(hi0, (__m512i)kb, hi1);
        SV_D tl = (SV_D)_mm512_permutex2var_pd(lo0, (__m512i)kb, lo1);
#else
        __m256i j = (__m256i)(kb & 15u);
        SV_D th = (SV_D)_mm256_i64gather_pd(EXP_TABLE_HI, j, 8);
        SV_D tl = (SV_D)_mm256_i64gather_pd(EXP_TABLE_LO, j, 8);
#endif
        SV_D m = th + (th * q + tl);
        SV_Q E = kb >> 4, hb = E >> 1;
        SV_D s1 = (SV_D)((hb + 473u) << 52), s2 = (SV_D)((E - hb + 473u) << 52);
        SV_D y = m * s1 * s2;
        y = SV_PICK((SV_L)(x != x), x, y);
        MLC_STOREV(v + i, y);
    }
    for (; i < n; i++)
        v[i] = exp_one(v[i]);
}

#undef SV_EXP_FORM
