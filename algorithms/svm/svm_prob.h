/* Probability estimates of the kernel classifiers (libsvm's, Chang & Lin
 * 2011, section 8):
 *
 * - per one-vs-one pair, decision values out of a 5-fold cross-validation
 *   on the pair's rows (shuffled with the fit's seeded generator), to which
 *   Platt's sigmoid P(+1 | d) = 1 / (1 + exp(A d + B)) is fitted by Newton's
 *   method with backtracking (Lin, Lin & Weng 2007, "A note on Platt's
 *   probabilistic outputs for support vector machines");
 * - the pairwise probabilities, clipped to [1e-7, 1 - 1e-7], coupled into
 *   class probabilities by Wu, Lin & Weng (2004), "Probability estimates for
 *   multi-class classification by pairwise coupling", method 2. */
#ifndef MLC_SVM_PROB_H
#define MLC_SVM_PROB_H
#include <stddef.h>
#include "mlcore/rng.h"
#include "svm_train.h"

/* A and B of one pair: `pair` describes the pair's problem (its rows of X,
 * signs +1 for the first class, weights, Cp and Cn); the folds are drawn
 * from rng. */
int svm_pair_sigmoid(const svm_train_spec *pair, mlc_rng *rng, double *A, double *B);

/* Class probabilities p (k values) from the k(k-1)/2 pair decision values d
 * (libsvm's order and signs) and the pairs' sigmoids; scratch holds k*k + 2k
 * doubles. */
void svm_pair_coupling(size_t k, const double *d, const double *A, const double *B, double *p,
                       double *scratch);

#endif
