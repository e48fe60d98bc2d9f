/* The passes of an SMO step (algorithms/svm/svm_scan.h).
 *
 * The scans run independent lanes and combine them at the end. A lane
 * keeps its best value by the plain loop's strict '>' (or '<') and the
 * position by '>=' (or '<='): the last position with the lane's best value;
 * the best of the lanes, at the greatest of their positions, is the one
 * pass's answer however positions were dealt to lanes. The reference keeps
 * SVM_SCAN_LANES lanes in scalars; the vector forms keep 8 (AVX-512) or 4
 * (AVX2) in one vector (svm_lanes.h) and give the same bits (the vector
 * choice of j also skips blocks that cannot change its answer:
 * score_block). */
#include <math.h>
#include <stdint.h>
#include "internal/hot.h"
#include "svm_lanes.h"
#include "svm_scan.h"

double svm_scan_combine(const double *v, const size_t *at, size_t count, int maximum,
                        size_t *out)
{
    double best = maximum ? -INFINITY : INFINITY;
    for (size_t k = 0; k < count; k++)
        best = maximum ? (v[k] > best ? v[k] : best) : (v[k] < best ? v[k] : best);
    size_t pos = SIZE_MAX;
    for (size_t k = 0; k < count; k++)
        if (at[k] != SIZE_MAX && v[k] == best && (pos == SIZE_MAX || at[k] > pos))
            pos = at[k];
    *out = pos;
    return best;
}

/* ---- max over I_up of -y G ---- */

static inline void up_lane(const unsigned char *in_up, const double *yd, const double *G,
                           size_t t, double *m, size_t *at)
{
    double v = -yd[t] * G[t];
    int up = in_up[t] != 0;
    *at = up && v >= *m ? t : *at;
    *m = up && v > *m ? v : *m;
}

/* Positions [t, n) in the scalar lanes, then the lanes combined. */
static inline double up_finish(const unsigned char *in_up, const double *yd, const double *G,
                               size_t t, size_t n, double *m, size_t *at, size_t *out)
{
    for (; t < n; t++)
        up_lane(in_up, yd, G, t, &m[t % L], &at[t % L]);
    return svm_scan_combine(m, at, L, 1, out);
}

static inline double up_max_lanes(const unsigned char *in_up, const double *yd,
                                  const double *G, size_t n, size_t *out)
{
    double m[L];
    size_t at[L];
    for (size_t k = 0; k < L; k++) {
        m[k] = -INFINITY;
        at[k] = SIZE_MAX;
    }
    size_t t = 0;
    for (; t + L <= n; t += L)
        for (size_t k = 0; k < L; k++)
            up_lane(in_up, yd, G, t + k, &m[k], &at[k]);
    return up_finish(in_up, yd, G, t, n, m, at, out);
}

/* ---- the second-order choice of j ---- */

static inline void low_lane(const svm_low_args *a, size_t t, double *g2, double *b, size_t *at)
{
    double yG = a->yd[t] * a->G[t];
    int low = a->in_low[t] != 0;
    *g2 = low && yG > *g2 ? yG : *g2;
    double grad_diff = a->Gmax + yG;
    double quad = a->QDi + a->QD[t] - 2.0 * a->yi * a->yd[t] * (double)a->Qi[t];
    double obj = -(grad_diff * grad_diff) / (quad > 0.0 ? quad : a->tau);
    int valid = low && grad_diff > 0.0;
    *at = valid && obj <= *b ? t : *at;
    *b = valid && obj < *b ? obj : *b;
}

/* Positions [t, n) (fewer than a block) in the scalar lanes, then the
 * lanes combined: the end of every form. */
static inline double low_finish(const svm_low_args *a, size_t t, size_t n, double *g2, double *b,
                                size_t *at, double *gmax2, size_t *out)
{
    for (; t < n; t++)
        low_lane(a, t, &g2[t % L], &b[t % L], &at[t % L]);
    double g = -INFINITY;
    for (size_t k = 0; k < L; k++)
        g = g2[k] > g ? g2[k] : g;
    *gmax2 = g;
    return svm_scan_combine(b, at, L, 0, out);
}

static inline double low_best_lanes(const svm_low_args *a, size_t n, double *gmax2, size_t *out)
{
    double g2[L], b[L];
    size_t at[L];
    for (size_t k = 0; k < L; k++) {
        g2[k] = -INFINITY;
        b[k] = INFINITY;
        at[k] = SIZE_MAX;
    }
    size_t t = 0;
    for (; t + L <= n; t += L)
        for (size_t k = 0; k < L; k++)
            low_lane(a, t + k, &g2[k], &b[k], &at[k]);
    return low_finish(a, t, n, g2, b, at, gmax2, out);
}

/* The vector forms at each width (svm_scan_vector.h). */
#define SV_W 8
#include "svm_lanes_on.h"
#include "svm_scan_vector.h"
#include "svm_lanes_off.h"
#undef SV_W
#define SV_W 4
#include "svm_lanes_on.h"
#include "svm_scan_vector.h"
#include "svm_lanes_off.h"
#undef SV_W

MLC_WIDE_ELEMENTWISE static double up_max_wide(const unsigned char *in_up, const double *yd,
                                               const double *G, size_t n, size_t *at)
{
    return up_max_vector_v8(in_up, yd, G, n, at);
}

MLC_NARROW_ELEMENTWISE static double up_max_narrow(const unsigned char *in_up, const double *yd,
                                                   const double *G, size_t n, size_t *at)
{
    return up_max_vector_v4(in_up, yd, G, n, at);
}

MLC_REFERENCE_EXACT static double up_max_reference(const unsigned char *in_up, const double *yd,
                                                   const double *G, size_t n, size_t *at)
{
    return up_max_lanes(in_up, yd, G, n, at);
}

double svm_up_max_form(int level, const unsigned char *in_up, const double *yd, const double *G,
                       size_t n, size_t *at)
{
    if (level >= MLC_SIMD_512)
        return up_max_wide(in_up, yd, G, n, at);
    if (level == MLC_SIMD_256)
        return up_max_narrow(in_up, yd, G, n, at);
    return up_max_reference(in_up, yd, G, n, at);
}

double svm_up_max(const unsigned char *in_up, const double *yd, const double *G, size_t n,
                  size_t *at)
{
    return svm_up_max_form(mlc_cpu_level(), in_up, yd, G, n, at);
}

MLC_WIDE_ELEMENTWISE static double low_best_wide(const svm_low_args *a, size_t n, double *gmax2,
                                                 size_t *at)
{
    return low_best_vector_v8(a, n, gmax2, at);
}

MLC_NARROW_ELEMENTWISE static double low_best_narrow(const svm_low_args *a, size_t n,
                                                     double *gmax2, size_t *at)
{
    return low_best_vector_v4(a, n, gmax2, at);
}

MLC_REFERENCE_EXACT static double low_best_reference(const svm_low_args *a, size_t n,
                                                     double *gmax2, size_t *at)
{
    return low_best_lanes(a, n, gmax2, at);
}

double svm_low_best_form(int level, const svm_low_args *a, size_t n, double *gmax2, size_t *at)
{
    if (level >= MLC_SIMD_512)
        return low_best_wide(a, n, gmax2, at);
    if (level == MLC_SIMD_256)
        return low_best_narrow(a, n, gmax2, at);
    return low_best_reference(a, n, gmax2, at);
}

double svm_low_best(const svm_low_args *a, size_t n, double *gmax2, size_t *at)
{
    return svm_low_best_form(mlc_cpu_level(), a, n, gmax2, at);
}

/* ---- the gradient after a step ---- */

MLC_BODY_ELEMENTWISE void gradient_body(double *G, const float *Qi, const float *Qj, double dai,
                                        double daj, size_t n)
{
    for (size_t t = 0; t < n; t++)
        G[t] += (double)Qi[t] * dai + (double)Qj[t] * daj;
}

MLC_WIDE_ELEMENTWISE static void gradient_wide(double *G, const float *Qi, const float *Qj,
                                               double dai, double daj, size_t n)
{
    gradient_body(G, Qi, Qj, dai, daj, n);
}

MLC_NARROW_ELEMENTWISE static void gradient_narrow(double *G, const float *Qi, const float *Qj,
                                                   double dai, double daj, size_t n)
{
    gradient_body(G, Qi, Qj, dai, daj, n);
}

MLC_REFERENCE_EXACT static void gradient_reference(double *G, const float *Qi, const float *Qj,
                                                   double dai, double daj, size_t n)
{
    gradient_body(G, Qi, Qj, dai, daj, n);
}

void svm_gradient_step_form(int level, double *G, const float *Qi, const float *Qj, double dai,
                            double daj, size_t n)
{
    if (level >= MLC_SIMD_512)
        gradient_wide(G, Qi, Qj, dai, daj, n);
    else if (level == MLC_SIMD_256)
        gradient_narrow(G, Qi, Qj, dai, daj, n);
    else
        gradient_reference(G, Qi, Qj, dai, daj, n);
}

void svm_gradient_step(double *G, const float *Qi, const float *Qj, double dai, double daj,
                       size_t n)
{
    svm_gradient_step_form(mlc_cpu_level(), G, Qi, Qj, dai, daj, n);
}

/* ---- G_bar after a change of bound ---- */

MLC_BODY_ELEMENTWISE void gbar_body(double *Gbar, const float *Qt, double c, size_t n)
{
    for (size_t t = 0; t < n; t++)
        Gbar[t] += c * (double)Qt[t];
}

MLC_WIDE_ELEMENTWISE static void gbar_wide(double *Gbar, const float *Qt, double c, size_t n)
{
    gbar_body(Gbar, Qt, c, n);
}

MLC_NARROW_ELEMENTWISE static void gbar_narrow(double *Gbar, const float *Qt, double c, size_t n)
{
    gbar_body(Gbar, Qt, c, n);
}

MLC_REFERENCE_EXACT static void gbar_reference(double *Gbar, const float *Qt, double c, size_t n)
{
    gbar_body(Gbar, Qt, c, n);
}

void svm_gbar_step_form(int level, double *Gbar, const float *Qt, double c, size_t n)
{
    if (level >= MLC_SIMD_512)
        gbar_wide(Gbar, Qt, c, n);
    else if (level == MLC_SIMD_256)
        gbar_narrow(Gbar, Qt, c, n);
    else
        gbar_reference(Gbar, Qt, c, n);
}

void svm_gbar_step(double *Gbar, const float *Qt, double c, size_t n)
{
    svm_gbar_step_form(mlc_cpu_level(), Gbar, Qt, c, n);
}
