/* The vector forms of svm_scan.c's scans at one width (template:
 * svm_scan.c includes it once per width between svm_lanes_on.h and
 * svm_lanes_off.h): whole blocks of SV_W positions in the vector's lanes,
 * then the tail and the combination in the reference's scalar lanes. */

MLC_BODY double SV(up_max_vector)(const unsigned char *in_up, const double *yd,
                                  const double *G, size_t n, size_t *out)
{
    SV_D m = SV_SPLAT(-INFINITY);
    SV_L at = SV_NO_POSITIONS, pos = SV_FIRST_POSITIONS;
    size_t t = 0;
    for (; t + SV_W <= n; t += SV_W, pos += SV_W) {
        SV_D y, g;
        MLC_LOADV(y, yd + t);
        MLC_LOADV(g, G + t);
        SV_D v = -y * g;
        SV_U u;
        MLC_LOADV(u, in_up + t);
        SV_L up = SV_NONZERO_BYTES(u);
        at = SV_PICK_INDEX(up & (SV_L)(v >= m), pos, at);
        m = SV_PICK(up & (SV_L)(v > m), v, m);
    }
    double ms[L];
    size_t ats[L];
    for (size_t k = 0; k < L; k++) {
        ms[k] = -INFINITY;
        ats[k] = SIZE_MAX;
    }
    for (size_t k = 0; k < SV_W; k++) {
        ms[k] = m[k];
        ats[k] = (size_t)at[k];
    }
    return up_finish(in_up, yd, G, t, n, ms, ats, out);
}

MLC_BODY double SV(low_best_vector)(const svm_low_args *a, size_t n, double *gmax2, size_t *out)
{
    SV_D g2 = SV_SPLAT(-INFINITY), b = SV_SPLAT(INFINITY), least = SV_SPLAT(INFINITY);
    SV_L at = SV_NO_POSITIONS, pos = SV_FIRST_POSITIONS;
    const SV_D Gmax = SV_SPLAT(a->Gmax), QDi = SV_SPLAT(a->QDi), tau = SV_SPLAT(a->tau);
    const SV_D two_yi = SV_SPLAT(2.0 * a->yi), zero = SV_SPLAT(0.0);
    size_t t = 0;
    for (; t + SV_W <= n; t += SV_W, pos += SV_W) {
        SV_D y, g, qd;
        SV_F qf;
        MLC_LOADV(y, a->yd + t);
        MLC_LOADV(g, a->G + t);
        MLC_LOADV(qd, a->QD + t);
        MLC_LOADV(qf, a->Qi + t);
        SV_D yG = y * g;
        SV_U u;
        MLC_LOADV(u, a->in_low + t);
        SV_L low = SV_NONZERO_BYTES(u);
        g2 = SV_PICK(low & (SV_L)(yG > g2), yG, g2);
        SV_D grad_diff = Gmax + yG;
        SV_D quad = QDi + qd - two_yi * y * __builtin_convertvector(qf, SV_D);
        SV_D denom = SV_PICK((SV_L)(quad > zero), quad, tau);
        SV_D num = grad_diff * grad_diff;
        SV_L valid = low & (SV_L)(grad_diff > zero);
        SV(score_block)(&num, &denom, &valid, &pos, &b, &at, &least);
    }
    double g2s[L], bs[L];
    size_t ats[L];
    for (size_t k = 0; k < L; k++) {
        g2s[k] = -INFINITY;
        bs[k] = INFINITY;
        ats[k] = SIZE_MAX;
    }
    for (size_t k = 0; k < SV_W; k++) {
        g2s[k] = g2[k];
        bs[k] = b[k];
        ats[k] = (size_t)at[k];
    }
    return low_finish(a, t, n, g2s, bs, ats, gmax2, out);
}

