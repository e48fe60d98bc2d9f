/* The scans' helpers at one width (template: svm_lanes.h includes it once
 * per width between svm_lanes_on.h and svm_lanes_off.h). */

/* The least of v's lanes, into every lane of *out. */
MLC_BODY void SV(lanes_min)(const SV_D *in, SV_D *out)
{
    SV_D v = *in, w;
#if SV_W == 8
    w = MLC_SHUF8(v, v, 4, 5, 6, 7, 0, 1, 2, 3);
    v = SV_PICK((SV_L)(w < v), w, v);
    w = MLC_SHUF8(v, v, 2, 3, 0, 1, 6, 7, 4, 5);
    v = SV_PICK((SV_L)(w < v), w, v);
    w = MLC_SHUF8(v, v, 1, 0, 3, 2, 5, 4, 7, 6);
#else
    w = MLC_SHUF4(v, v, 2, 3, 0, 1);
    v = SV_PICK((SV_L)(w < v), w, v);
    w = MLC_SHUF4(v, v, 1, 0, 3, 2);
#endif
    *out = SV_PICK((SV_L)(w < v), w, v);
}

/* 1 when a lane of the mask is set. AVX-512: narrowed to bytes and tested
 * as one word (GCC's shuffle-and-or tree cost more than the division it
 * saves); AVX2, which cannot narrow in one instruction: the halves or'ed. */
MLC_BODY int SV(any_lane)(const SV_L *mask)
{
#if SV_W == 8
    SV_C bytes = __builtin_convertvector(*mask, SV_C);
    uint64_t word;
    memcpy(&word, &bytes, sizeof word);
    return word != 0;
#else
    SV_L m = *mask | MLC_SHUF4(*mask, *mask, 2, 3, 0, 1);
    return (m[0] | m[1]) != 0;
#endif
}

/* One block of the second-order choice of j (svm_scan_vector.h,
 * svm_scan_nu_vector.h): the lanes' scores -num / denom where valid, kept
 * in (*b, *at) by the scans' rule (least value, last position), and the
 * least of all lanes in every lane of *least. The division is the scan's
 * cost (a vector division issues every 16 cycles), and only a score at or
 * below the least so far can change the answer (the least score and the
 * last position with it): a block whose every valid score is provably
 * above it, by the products num < -least denom (1 - 2^-40), far outside
 * their rounding, skips the division. The lanes then keep stale values
 * above the least, which no longer matter. */
MLC_BODY void SV(score_block)(const SV_D *num, const SV_D *denom, const SV_L *valid,
                              const SV_L *pos, SV_D *b, SV_L *at, SV_D *least)
{
    const SV_D margin = SV_SPLAT(1.0 - 0x1p-40);
    SV_L reach = *valid & (SV_L)(*num >= -*least * *denom * margin);
    if (!SV(any_lane)(&reach))
        return;
    SV_D obj = -*num / *denom;
    *at = SV_PICK_INDEX(*valid & (SV_L)(obj <= *b), *pos, *at);
    *b = SV_PICK(*valid & (SV_L)(obj < *b), obj, *b);
    SV(lanes_min)(b, least);
}
