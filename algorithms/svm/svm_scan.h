/* The passes of an SMO step over the active positions (algorithms/svm/
 * svm_smo.c): the two scans of the working-set selection (WSS 3, Fan, Chen
 * & Lin 2005) and the gradient updates. Each has a wide (AVX-512), a 256-bit
 * and a reference form (mlc_cpu_level() picks one; tests run every form
 * against the reference and the scans against a plain transcription of the
 * rule). The scans keep SVM_SCAN_LANES running maxima or minima, each with
 * the last position that reached it, and combine the lanes at the end: the
 * answer is the one scan's, a position where the plain loop finds it.
 * Positions are relative to the arrays passed; SIZE_MAX means none. */
#ifndef MLC_SVM_SCAN_H
#define MLC_SVM_SCAN_H
#include <stddef.h>

#define SVM_SCAN_LANES 8

/* The best of count results v[k] (the greatest with maximum, else the
 * least; -inf / +inf when count is 0) and in *out the greatest at[k]
 * among those equal to it (SIZE_MAX entries skipped; SIZE_MAX: none): how
 * the lanes of a scan, and the parts of a scan split across threads, are
 * combined, so that the last position wins ties as in one pass. */
double svm_scan_combine(const double *v, const size_t *at, size_t count, int maximum,
                        size_t *out);

/* max over t in I_up (in_up[t] != 0) of -yd[t] G[t], -inf when I_up is
 * empty; *at gets the last t with that value (libsvm's >=). */
double svm_up_max(const unsigned char *in_up, const double *yd, const double *G, size_t n,
                  size_t *at);
double svm_up_max_form(int level, const unsigned char *in_up, const double *yd, const double *G,
                       size_t n, size_t *at);

/* The second-order choice of j given i: for t in I_low with
 * Gmax + yd[t] G[t] > 0, the score -(Gmax + yd[t] G[t])^2 / a_t with
 * a_t = QDi + QD[t] - 2 yi yd[t] Qi[t] (tau where a_t <= 0), +inf for the
 * others. Returns the least score and in *at the last t with it (libsvm's
 * <=; SIZE_MAX when no t qualifies); *gmax2 gets max over I_low of
 * yd[t] G[t] (-inf when I_low is empty). tau is the curvature floor. */
typedef struct svm_low_args {
    const unsigned char *in_low;
    const double *yd, *G, *QD;
    const float *Qi;
    double QDi, yi, Gmax, tau;
} svm_low_args;
double svm_low_best(const svm_low_args *a, size_t n, double *gmax2, size_t *at);
double svm_low_best_form(int level, const svm_low_args *a, size_t n, double *gmax2, size_t *at);

/* The nu form's first pass: the largest -yd[t] G[t] over t in I_up with
 * yd[t] > 0 (returned, *at_plus its last position) and with yd[t] < 0
 * (*max_minus, *at_minus); -inf and SIZE_MAX for an empty set. */
double svm_up_max_signs(const unsigned char *in_up, const double *yd, const double *G, size_t n,
                        size_t *at_plus, double *max_minus, size_t *at_minus);
double svm_up_max_signs_form(int level, const unsigned char *in_up, const double *yd,
                             const double *G, size_t n, size_t *at_plus, double *max_minus,
                             size_t *at_minus);

/* The nu form's second pass: the standard form's choice of j with each
 * sign scored against the i of its own sign (row Qp or Qn, Q_ii QDp or
 * QDn, -yG maximum Gmaxp or Gmaxn; a NULL row: no i of that sign, none of
 * its positions qualify): a_t = QD_s + QD[t] - 2 Q_s[t]. *gmax2_plus and
 * *gmax2_minus get max over I_low of yd[t] G[t] per sign. */
typedef struct svm_nu_args {
    const unsigned char *in_low;
    const double *yd, *G, *QD;
    const float *Qp, *Qn;
    double QDp, QDn, Gmaxp, Gmaxn, tau;
} svm_nu_args;
double svm_nu_best(const svm_nu_args *a, size_t n, double *gmax2_plus, double *gmax2_minus,
                   size_t *at);
double svm_nu_best_form(int level, const svm_nu_args *a, size_t n, double *gmax2_plus,
                        double *gmax2_minus, size_t *at);

/* G[t] += Qi[t] dai + Qj[t] daj (the products rounded before the sum). */
void svm_gradient_step(double *G, const float *Qi, const float *Qj, double dai, double daj,
                       size_t n);
void svm_gradient_step_form(int level, double *G, const float *Qi, const float *Qj, double dai,
                            double daj, size_t n);

/* Gbar[t] += c Qt[t] (a variable reaching or leaving its upper bound; the
 * gradient's reconstruction, by rows of the free variables). */
void svm_gbar_step(double *Gbar, const float *Qt, double c, size_t n);
void svm_gbar_step_form(int level, double *Gbar, const float *Qt, double c, size_t n);

#endif
