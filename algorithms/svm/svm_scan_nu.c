/* The nu form's selection scans (algorithms/svm/svm_scan.h): libsvm's
 * select_working_set of its nu solver (Chang & Lin 2001, "Training
 * nu-support vector classifiers: theory and algorithms", with the
 * second-order choice of Fan, Chen & Lin 2005), where i and j share a sign.
 * With yG = y_t G_t, both passes are the standard form's scans kept apart
 * by sign: the first takes the largest -yG over I_up of each sign, the
 * second scores t in I_low against the i of its own sign
 * (y_i y_t = 1, so a_t = QD_i + QD_t - 2 Q_it). The lanes and their
 * combination are svm_scan.c's, and so is the skip of the division. */
#include <math.h>
#include <stdint.h>
#include "svm_lanes.h"

/* ---- the first pass: the largest -yG over I_up, per sign ---- */

static inline void up_signs_lane(const unsigned char *in_up, const double *yd, const double *G,
                                 size_t t, double *m, size_t *at)
{
    double v = -yd[t] * G[t];
    int up = in_up[t] != 0, plus = yd[t] > 0.0;
    int upp = up && plus, upn = up && !plus;
    at[0] = upp && v >= m[0] ? t : at[0];
    m[0] = upp && v > m[0] ? v : m[0];
    at[1] = upn && v >= m[1] ? t : at[1];
    m[1] = upn && v > m[1] ? v : m[1];
}

/* Positions [t, n) in the scalar lanes (lane k's maxima at m[2k], m[2k + 1]),
 * then each sign's lanes combined. */
static inline double up_signs_finish(const unsigned char *in_up, const double *yd,
                                     const double *G, size_t t, size_t n, double *m, size_t *at,
                                     size_t *at_plus, double *max_minus, size_t *at_minus)
{
    for (; t < n; t++)
        up_signs_lane(in_up, yd, G, t, &m[2 * (t % L)], &at[2 * (t % L)]);
    double v[2][L];
    size_t a[2][L];
    for (size_t k = 0; k < L; k++)
        for (int s = 0; s < 2; s++) {
            v[s][k] = m[2 * k + (size_t)s];
            a[s][k] = at[2 * k + (size_t)s];
        }
    *max_minus = svm_scan_combine(v[1], a[1], L, 1, at_minus);
    return svm_scan_combine(v[0], a[0], L, 1, at_plus);
}

static inline double up_signs_lanes(const unsigned char *in_up, const double *yd,
                                    const double *G, size_t n, size_t *at_plus,
                                    double *max_minus, size_t *at_minus)
{
    double m[2 * L];
    size_t at[2 * L];
    for (size_t k = 0; k < 2 * L; k++) {
        m[k] = -INFINITY;
        at[k] = SIZE_MAX;
    }
    size_t t = 0;
    for (; t + L <= n; t += L)
        for (size_t k = 0; k < L; k++)
            up_signs_lane(in_up, yd, G, t + k, &m[2 * k], &at[2 * k]);
    return up_signs_finish(in_up, yd, G, t, n, m, at, at_plus, max_minus, at_minus);
}

/* ---- the second pass: the second-order choice of j against its sign's i ---- */

static inline void nu_lane(const svm_nu_args *a, size_t t, double *g2, double *b, size_t *at)
{
    double yG = a->yd[t] * a->G[t];
    int low = a->in_low[t] != 0, plus = a->yd[t] > 0.0;
    g2[0] = low && plus && yG > g2[0] ? yG : g2[0];
    g2[1] = low && !plus && yG > g2[1] ? yG : g2[1];
    const float *Qs = plus ? a->Qp : a->Qn;
    double grad_diff = (plus ? a->Gmaxp : a->Gmaxn) + yG;
    double quad = (plus ? a->QDp : a->QDn) + a->QD[t] - 2.0 * (double)(Qs ? Qs[t] : 0.0f);
    double obj = -(grad_diff * grad_diff) / (quad > 0.0 ? quad : a->tau);
    int valid = low && grad_diff > 0.0 && Qs;
    *at = valid && obj <= *b ? t : *at;
    *b = valid && obj < *b ? obj : *b;
}

/* Positions [t, n) in the scalar lanes (lane k's maxima at g2[2k],
 * g2[2k + 1]), then the lanes combined. */
static inline double nu_finish(const svm_nu_args *a, size_t t, size_t n, double *g2, double *b,
                               size_t *at, double *gmax2_plus, double *gmax2_minus, size_t *out)
{
    for (; t < n; t++)
        nu_lane(a, t, &g2[2 * (t % L)], &b[t % L], &at[t % L]);
    double gp = -INFINITY, gn = -INFINITY;
    for (size_t k = 0; k < L; k++) {
        gp = g2[2 * k] > gp ? g2[2 * k] : gp;
        gn = g2[2 * k + 1] > gn ? g2[2 * k + 1] : gn;
    }
    *gmax2_plus = gp;
    *gmax2_minus = gn;
    return svm_scan_combine(b, at, L, 0, out);
}

static inline double nu_best_lanes(const svm_nu_args *a, size_t n, double *gmax2_plus,
                                   double *gmax2_minus, size_t *out)
{
    double g2[2 * L], b[L];
    size_t at[L];
    for (size_t k = 0; k < L; k++) {
        g2[2 * k] = g2[2 * k + 1] = -INFINITY;
        b[k] = INFINITY;
        at[k] = SIZE_MAX;
    }
    size_t t = 0;
    for (; t + L <= n; t += L)
        for (size_t k = 0; k < L; k++)
            nu_lane(a, t + k, &g2[2 * k], &b[k], &at[k]);
    return nu_finish(a, t, n, g2, b, at, gmax2_plus, gmax2_minus, out);
}

/* The vector forms at each width (svm_scan_nu_vector.h). */
#define SV_W 8
#include "svm_lanes_on.h"
#include "svm_scan_nu_vector.h"
#include "svm_lanes_off.h"
#undef SV_W
#define SV_W 4
#include "svm_lanes_on.h"
#include "svm_scan_nu_vector.h"
#include "svm_lanes_off.h"
#undef SV_W

MLC_WIDE_ELEMENTWISE static double up_signs_wide(const unsigned char *in_up, const double *yd,
                                                 const double *G, size_t n, size_t *at_plus,
                                                 double *max_minus, size_t *at_minus)
{
    return up_signs_vector_v8(in_up, yd, G, n, at_plus, max_minus, at_minus);
}

MLC_NARROW_ELEMENTWISE static double up_signs_narrow(const unsigned char *in_up,
                                                     const double *yd, const double *G, size_t n,
                                                     size_t *at_plus, double *max_minus,
                                                     size_t *at_minus)
{
    return up_signs_vector_v4(in_up, yd, G, n, at_plus, max_minus, at_minus);
}

MLC_REFERENCE_EXACT static double up_signs_reference(const unsigned char *in_up,
                                                     const double *yd, const double *G, size_t n,
                                                     size_t *at_plus, double *max_minus,
                                                     size_t *at_minus)
{
    return up_signs_lanes(in_up, yd, G, n, at_plus, max_minus, at_minus);
}

double svm_up_max_signs_form(int level, const unsigned char *in_up, const double *yd,
                             const double *G, size_t n, size_t *at_plus, double *max_minus,
                             size_t *at_minus)
{
    if (level >= MLC_SIMD_512)
        return up_signs_wide(in_up, yd, G, n, at_plus, max_minus, at_minus);
    if (level == MLC_SIMD_256)
        return up_signs_narrow(in_up, yd, G, n, at_plus, max_minus, at_minus);
    return up_signs_reference(in_up, yd, G, n, at_plus, max_minus, at_minus);
}

double svm_up_max_signs(const unsigned char *in_up, const double *yd, const double *G, size_t n,
                        size_t *at_plus, double *max_minus, size_t *at_minus)
{
    return svm_up_max_signs_form(mlc_cpu_level(), in_up, yd, G, n, at_plus, max_minus, at_minus);
}

MLC_WIDE_ELEMENTWISE static double nu_best_wide(const svm_nu_args *a, size_t n,
                                                double *gmax2_plus, double *gmax2_minus,
                                                size_t *at)
{
    return nu_best_vector_v8(a, n, gmax2_plus, gmax2_minus, at);
}

MLC_NARROW_ELEMENTWISE static double nu_best_narrow(const svm_nu_args *a, size_t n,
                                                    double *gmax2_plus, double *gmax2_minus,
                                                    size_t *at)
{
    return nu_best_vector_v4(a, n, gmax2_plus, gmax2_minus, at);
}

MLC_REFERENCE_EXACT static double nu_best_reference(const svm_nu_args *a, size_t n,
                                                    double *gmax2_plus, double *gmax2_minus,
                                                    size_t *at)
{
    return nu_best_lanes(a, n, gmax2_plus, gmax2_minus, at);
}

double svm_nu_best_form(int level, const svm_nu_args *a, size_t n, double *gmax2_plus,
                        double *gmax2_minus, size_t *at)
{
    if (!a->Qp && !a->Qn) /* no i of either sign: nothing qualifies */
        return nu_best_lanes(a, n, gmax2_plus, gmax2_minus, at);
    if (level >= MLC_SIMD_512)
        return nu_best_wide(a, n, gmax2_plus, gmax2_minus, at);
    if (level == MLC_SIMD_256)
        return nu_best_narrow(a, n, gmax2_plus, gmax2_minus, at);
    return nu_best_reference(a, n, gmax2_plus, gmax2_minus, at);
}

double svm_nu_best(const svm_nu_args *a, size_t n, double *gmax2_plus, double *gmax2_minus,
                   size_t *at)
{
    return svm_nu_best_form(mlc_cpu_level(), a, n, gmax2_plus, gmax2_minus, at);
}
