/* The vector forms of svm_scan_nu.c's passes at one width (template:
 * svm_scan_nu.c includes it once per width between svm_lanes_on.h and
 * svm_lanes_off.h). */

MLC_BODY double SV(up_signs_vector)(const unsigned char *in_up, const double *yd,
                                    const double *G, size_t n, size_t *at_plus,
                                    double *max_minus, size_t *at_minus)
{
    SV_D mp = SV_SPLAT(-INFINITY), mn = SV_SPLAT(-INFINITY);
    SV_L ap = SV_NO_POSITIONS, an = SV_NO_POSITIONS, pos = SV_FIRST_POSITIONS;
    const SV_D zero = SV_SPLAT(0.0);
    size_t t = 0;
    for (; t + SV_W <= n; t += SV_W, pos += SV_W) {
        SV_D y, g;
        MLC_LOADV(y, yd + t);
        MLC_LOADV(g, G + t);
        SV_D v = -y * g;
        SV_U u;
        MLC_LOADV(u, in_up + t);
        SV_L up = SV_NONZERO_BYTES(u), plus = (SV_L)(y > zero);
        SV_L upp = up & plus, upn = up & ~plus;
        ap = SV_PICK_INDEX(upp & (SV_L)(v >= mp), pos, ap);
        mp = SV_PICK(upp & (SV_L)(v > mp), v, mp);
        an = SV_PICK_INDEX(upn & (SV_L)(v >= mn), pos, an);
        mn = SV_PICK(upn & (SV_L)(v > mn), v, mn);
    }
    double m[2 * L];
    size_t at[2 * L];
    for (size_t k = 0; k < 2 * L; k++) {
        m[k] = -INFINITY;
        at[k] = SIZE_MAX;
    }
    for (size_t k = 0; k < SV_W; k++) {
        m[2 * k] = mp[k];
        m[2 * k + 1] = mn[k];
        at[2 * k] = (size_t)ap[k];
        at[2 * k + 1] = (size_t)an[k];
    }
    return up_signs_finish(in_up, yd, G, t, n, m, at, at_plus, max_minus, at_minus);
}

/* Both rows are read in every lane: where one is missing (no i of that
 * sign), the other stands in, and its sign's lanes are not valid (their
 * Gmax is -inf, so grad_diff is never positive). */
MLC_BODY double SV(nu_best_vector)(const svm_nu_args *a, size_t n, double *gmax2_plus,
                                   double *gmax2_minus, size_t *out)
{
    SV_D gp = SV_SPLAT(-INFINITY), gn = SV_SPLAT(-INFINITY), b = SV_SPLAT(INFINITY);
    SV_D least = SV_SPLAT(INFINITY);
    SV_L at = SV_NO_POSITIONS, pos = SV_FIRST_POSITIONS;
    const SV_D Gmaxp = SV_SPLAT(a->Gmaxp), Gmaxn = SV_SPLAT(a->Gmaxn);
    const SV_D QDp = SV_SPLAT(a->QDp), QDn = SV_SPLAT(a->QDn), tau = SV_SPLAT(a->tau);
    const SV_D zero = SV_SPLAT(0.0), ninf = SV_SPLAT(-INFINITY);
    const float *Qp = a->Qp ? a->Qp : a->Qn, *Qn = a->Qn ? a->Qn : a->Qp;
    size_t t = 0;
    for (; t + SV_W <= n; t += SV_W, pos += SV_W) {
        SV_D y, g, qd;
        SV_F qpf, qnf;
        MLC_LOADV(y, a->yd + t);
        MLC_LOADV(g, a->G + t);
        MLC_LOADV(qd, a->QD + t);
        MLC_LOADV(qpf, Qp + t);
        MLC_LOADV(qnf, Qn + t);
        SV_D yG = y * g;
        SV_U u;
        MLC_LOADV(u, a->in_low + t);
        SV_L low = SV_NONZERO_BYTES(u), plus = (SV_L)(y > zero);
        /* (GCC 12 turns `low & plus & (yG > gp)` into scalar compares, and
         * fails on picking the widened rows: so the values are masked first,
         * and a_t is computed against both i before the pick) */
        SV_D vp = SV_PICK(low & plus, yG, ninf), vn = SV_PICK(low & ~plus, yG, ninf);
        gp = SV_PICK((SV_L)(vp > gp), vp, gp);
        gn = SV_PICK((SV_L)(vn > gn), vn, gn);
        SV_D qp = __builtin_convertvector(qpf, SV_D);
        SV_D qn = __builtin_convertvector(qnf, SV_D);
        SV_D quad_p = QDp + qd - (qp + qp), quad_n = QDn + qd - (qn + qn);
        SV_D quad = SV_PICK(plus, quad_p, quad_n), gmax = SV_PICK(plus, Gmaxp, Gmaxn);
        SV_D grad_diff = gmax + yG;
        SV_D denom = SV_PICK((SV_L)(quad > zero), quad, tau);
        SV_D num = grad_diff * grad_diff;
        SV_L valid = low & (SV_L)(grad_diff > zero);
        SV(score_block)(&num, &denom, &valid, &pos, &b, &at, &least);
    }
    double g2[2 * L], bs[L];
    size_t ats[L];
    for (size_t k = 0; k < L; k++) {
        g2[2 * k] = g2[2 * k + 1] = -INFINITY;
        bs[k] = INFINITY;
        ats[k] = SIZE_MAX;
    }
    for (size_t k = 0; k < SV_W; k++) {
        g2[2 * k] = gp[k];
        g2[2 * k + 1] = gn[k];
        bs[k] = b[k];
        ats[k] = (size_t)at[k];
    }
    return nu_finish(a, t, n, g2, bs, ats, gmax2_plus, gmax2_minus, out);
}

