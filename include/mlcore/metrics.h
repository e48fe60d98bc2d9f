/* Metrics, as scikit-learn 1.2 defines them (docs/PARITY.md §11-13).
 *
 * Regression targets are row-major n x n_outputs arrays. Classification labels
 * are doubles holding integral class values (any values, as the registry's
 * predictions are); the sorted union of the labels defines their order.
 * Clustering labels are int32 (noise = -1 is an ordinary label here, as in
 * scikit-learn's metrics).
 *
 * Every function returns MLC_OK or an error status with a message
 * (mlc_last_error_message()): MLC_EINVAL for NULL arguments, bad options,
 * non-integral class labels, a single class where two are needed, labels
 * outside a given label set...; MLC_EEMPTY for n = 0; MLC_ENONFINITE for
 * NaN/Inf values; MLC_EBADLEN for arrays whose sizes disagree (noted below);
 * MLC_ERANGE for an output with too little room or sizes that would
 * overflow. Outputs are caller-allocated unless a function says otherwise;
 * mlc_classification_report and mlc_contingency_matrix fill structs
 * (mlcore.h) released with mlc_class_report_clear / mlc_contingency_clear.
 * Metrics keep nothing and change nothing: any may run on any thread at any
 * time. Where scikit-learn only warns (an undefined precision, a ROC curve
 * without positives) the library returns scikit-learn's value silently. */
#ifndef MLCORE_METRICS_H
#define MLCORE_METRICS_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ regression
 * All take optional sample weights (n values, >= 0, positive sum). */

typedef enum mlc_multioutput {
    MLC_MULTIOUTPUT_UNIFORM = 0,   /* 'uniform_average' (default): one value */
    MLC_MULTIOUTPUT_RAW,           /* 'raw_values': n_outputs values */
    MLC_MULTIOUTPUT_VARIANCE       /* 'variance_weighted' (r2, explained variance only) */
} mlc_multioutput;

/* Mean squared error. out gets 1 value, or n_outputs for RAW. */
MLC_API int mlc_mean_squared_error(const double *y_true, const double *y_pred, size_t n,
                                   size_t n_outputs, const double *sample_weight,
                                   mlc_multioutput mo, double *out);
/* Root mean squared error (mean_squared_error(squared=False)): the square
 * root is taken per output, then averaged. */
MLC_API int mlc_root_mean_squared_error(const double *y_true, const double *y_pred, size_t n,
                                        size_t n_outputs, const double *sample_weight,
                                        mlc_multioutput mo, double *out);
MLC_API int mlc_mean_absolute_error(const double *y_true, const double *y_pred, size_t n,
                                    size_t n_outputs, const double *sample_weight,
                                    mlc_multioutput mo, double *out);
/* |y - yhat| / max(|y|, DBL_EPSILON), averaged (a fraction, not percent). */
MLC_API int mlc_mean_absolute_percentage_error(const double *y_true, const double *y_pred,
                                               size_t n, size_t n_outputs,
                                               const double *sample_weight, mlc_multioutput mo,
                                               double *out);
/* Median (weighted: scikit-learn's _weighted_percentile) of |y - yhat|. */
MLC_API int mlc_median_absolute_error(const double *y_true, const double *y_pred, size_t n,
                                      size_t n_outputs, const double *sample_weight,
                                      mlc_multioutput mo, double *out);
/* max |y - yhat| (single output, no weights, as scikit-learn). */
MLC_API int mlc_max_error(const double *y_true, const double *y_pred, size_t n, double *out);
/* R^2 with force_finite=True: a constant y_true gives 1.0 for a perfect fit
 * and 0.0 otherwise. With fewer than two samples R^2 is undefined and the
 * result is NaN (MLC_OK), as scikit-learn. */
MLC_API int mlc_r2_score(const double *y_true, const double *y_pred, size_t n, size_t n_outputs,
                         const double *sample_weight, mlc_multioutput mo, double *out);
/* 1 - Var(y - yhat) / Var(y), force_finite=True as r2. */
MLC_API int mlc_explained_variance_score(const double *y_true, const double *y_pred, size_t n,
                                         size_t n_outputs, const double *sample_weight,
                                         mlc_multioutput mo, double *out);

/* ============================================================ classification */

/* Fraction (normalize=1) or (weighted) count of exact matches. */
MLC_API int mlc_accuracy_score(const double *y_true, const double *y_pred, size_t n,
                               const double *sample_weight, int normalize, double *out);

/* The sorted distinct labels of y_true and y_pred (y_pred may be NULL) into
 * labels[0..cap). *n_labels always gets the count; if it exceeds cap the
 * status is MLC_ERANGE. cap = 2n always suffices. */
MLC_API int mlc_unique_labels(const double *y_true, const double *y_pred, size_t n,
                              double *labels, size_t cap, size_t *n_labels);

typedef enum mlc_cm_normalize {
    MLC_CM_NORMALIZE_NONE = 0, /* counts (weighted sums with sample weights) */
    MLC_CM_NORMALIZE_TRUE,     /* rows sum to 1 */
    MLC_CM_NORMALIZE_PRED,     /* columns sum to 1 */
    MLC_CM_NORMALIZE_ALL       /* the matrix sums to 1 */
} mlc_cm_normalize;

/* Confusion matrix, n_labels x n_labels row-major (rows = true, columns =
 * predicted). labels NULL: the sorted union of y_true and y_pred, whose size
 * must equal n_labels (see mlc_unique_labels; MLC_EBADLEN otherwise). Given
 * labels select and order
 * the rows/columns; samples with other labels are ignored, and at least one
 * given label must occur in y_true. */
MLC_API int mlc_confusion_matrix(const double *y_true, const double *y_pred, size_t n,
                                 const double *labels, size_t n_labels,
                                 const double *sample_weight, mlc_cm_normalize normalize,
                                 double *out);

typedef enum mlc_average {
    MLC_AVERAGE_BINARY = 0, /* only pos_label is scored; binary targets only */
    MLC_AVERAGE_MICRO,      /* from the summed counts */
    MLC_AVERAGE_MACRO,      /* unweighted mean over labels */
    MLC_AVERAGE_WEIGHTED,   /* mean weighted by support (true count) */
    MLC_AVERAGE_NONE        /* one value per label */
} mlc_average;

typedef enum mlc_zero_division {
    MLC_ZERO_DIVISION_WARN = 0, /* 'warn' (default): 0.0; the library does not print */
    MLC_ZERO_DIVISION_ZERO,     /* 0 */
    MLC_ZERO_DIVISION_ONE       /* 1 */
} mlc_zero_division;

typedef struct mlc_prf_options {
    mlc_average average;             /* MLC_AVERAGE_BINARY */
    double pos_label;                /* 1 */
    double beta;                     /* 1 (F-beta; >= 0, may be INFINITY) */
    mlc_zero_division zero_division; /* MLC_ZERO_DIVISION_WARN */
    const double *labels;            /* NULL: sorted union of y_true and y_pred */
    size_t n_labels;
    const double *sample_weight;     /* NULL */
} mlc_prf_options;
/* scikit-learn's defaults. */
MLC_API mlc_prf_options mlc_prf_options_default(void);

/* precision_recall_fscore_support. Each output may be NULL; it gets one
 * value, or one per label (given labels, else the sorted union) for
 * MLC_AVERAGE_NONE. The averaged support is the total of the per-label
 * supports (scikit-learn returns None). opt NULL = defaults. */
MLC_API int mlc_precision_recall_fscore_support(const double *y_true, const double *y_pred,
                                                size_t n, const mlc_prf_options *opt,
                                                double *precision, double *recall,
                                                double *fscore, double *support);
MLC_API int mlc_precision_score(const double *y_true, const double *y_pred, size_t n,
                                const mlc_prf_options *opt, double *out);
MLC_API int mlc_recall_score(const double *y_true, const double *y_pred, size_t n,
                             const mlc_prf_options *opt, double *out);
/* F1: opt->beta is ignored. */
MLC_API int mlc_f1_score(const double *y_true, const double *y_pred, size_t n,
                         const mlc_prf_options *opt, double *out);
MLC_API int mlc_fbeta_score(const double *y_true, const double *y_pred, size_t n,
                            const mlc_prf_options *opt, double *out);

/* Mean per-class recall over the classes present in y_true; adjusted = 1
 * rescales so that chance scores 0. */
MLC_API int mlc_balanced_accuracy_score(const double *y_true, const double *y_pred, size_t n,
                                        const double *sample_weight, int adjusted, double *out);
/* Matthews correlation coefficient (multiclass: Gorodkin's R_K); 0 when a
 * denominator is 0. */
MLC_API int mlc_matthews_corrcoef(const double *y_true, const double *y_pred, size_t n,
                                  const double *sample_weight, double *out);

/* Log loss. y_prob is n x n_cols row-major: the probability of each label in
 * sorted order, or (n_cols = 1) the probability of the greater of two labels.
 * Probabilities are clipped to [eps, 1 - eps] and each row renormalised, as
 * scikit-learn 1.2; eps <= 0 means "auto" (DBL_EPSILON, scikit-learn 1.2's
 * default). labels (optional) lists the classes when y_true lacks some; a
 * y_true value outside them is an error. normalize = 0 returns the sum.
 * y_prob with a number of columns other than the classes' is MLC_EBADLEN. */
MLC_API int mlc_log_loss(const double *y_true, const double *y_prob, size_t n, size_t n_cols,
                         const double *labels, size_t n_labels, const double *sample_weight,
                         int normalize, double eps, double *out);

/* ROC curve of binary targets. pos_label NAN infers it (labels {0,1},
 * {-1,1} or one of them: positive = 1); otherwise y_true may hold other
 * labels, all negative. Samples with zero weight are dropped. fpr, tpr and
 * thresholds have room for n + 1 values; *n_points gets the length. The first
 * threshold is the highest score + 1 (scikit-learn 1.2). drop_intermediate
 * drops collinear points as scikit-learn does. Without negatives (positives)
 * fpr (tpr) is NaN, as scikit-learn. */
MLC_API int mlc_roc_curve(const double *y_true, const double *y_score, size_t n,
                          double pos_label, const double *sample_weight, int drop_intermediate,
                          double *fpr, double *tpr, double *thresholds, size_t *n_points);
/* Area under the ROC curve, binary: y_score scores the greater of the two
 * labels. One class only in y_true is an error. */
MLC_API int mlc_roc_auc_score(const double *y_true, const double *y_score, size_t n,
                              const double *sample_weight, double *out);

typedef enum mlc_multiclass {
    MLC_MULTICLASS_OVR = 1, /* one-vs-rest */
    MLC_MULTICLASS_OVO      /* one-vs-one (Hand & Till), no sample weights */
} mlc_multiclass;
/* Multiclass ROC AUC. y_score is n x n_classes row-major probabilities (rows
 * must sum to 1 as np.allclose), columns in the order of labels (given:
 * sorted, distinct, covering y_true) or of the sorted classes of y_true.
 * average: MACRO or WEIGHTED (by prevalence); OVR also MICRO and NONE (out
 * gets n_classes values). MLC_EBADLEN when y_true has another number of
 * classes than y_score has columns (and no labels are given). */
MLC_API int mlc_roc_auc_multiclass(const double *y_true, const double *y_score, size_t n,
                                   size_t n_classes, const double *labels, mlc_multiclass mc,
                                   mlc_average average, const double *sample_weight,
                                   double *out);

/* Precision-recall curve at the distinct thresholds (binary; pos_label as
 * in mlc_roc_curve). precision and recall have room for n + 1 values,
 * thresholds for n; *n_points gets the length of precision/recall
 * (thresholds has *n_points - 1). Recall decreases; the last point is
 * (precision 1, recall 0). */
MLC_API int mlc_precision_recall_curve(const double *y_true, const double *probas_pred,
                                       size_t n, double pos_label,
                                       const double *sample_weight, double *precision,
                                       double *recall, double *thresholds, size_t *n_points);
/* Average precision: sum_n (R_n - R_{n-1}) P_n (no interpolation), binary
 * targets; pos_label as scikit-learn (default 1). */
MLC_API int mlc_average_precision_score(const double *y_true, const double *y_score, size_t n,
                                        double pos_label, const double *sample_weight,
                                        double *out);

/* classification_report as numbers. */
typedef struct mlc_report_row {
    double precision, recall, f1, support;
} mlc_report_row;
typedef struct mlc_class_report {
    size_t n_labels;
    double *labels;           /* n_labels label values (malloc'ed) */
    mlc_report_row *rows;     /* one per label (malloc'ed) */
    int micro_is_accuracy;    /* 1: print an 'accuracy' line, 0: a 'micro avg' row */
    double accuracy;          /* micro-averaged F1 = accuracy when micro_is_accuracy */
    mlc_report_row micro_avg, macro_avg, weighted_avg;
    int weighted;             /* 1: supports are sums of sample weights */
} mlc_class_report;
/* labels NULL: the sorted union of y_true and y_pred. *out is a filled
 * struct: release it with mlc_class_report_clear. */
MLC_API int mlc_classification_report(const double *y_true, const double *y_pred, size_t n,
                                      const double *labels, size_t n_labels,
                                      const double *sample_weight,
                                      mlc_zero_division zero_division,
                                      mlc_class_report *out);
MLC_API void mlc_class_report_clear(mlc_class_report *r);
/* scikit-learn's text layout into buf (target_names may be NULL: the label
 * values are printed); digits as scikit-learn (2). MLC_ERANGE if len is too
 * small. */
MLC_API int mlc_classification_report_format(const mlc_class_report *r,
                                             const char *const *target_names, int digits,
                                             char *buf, size_t len);

/* ================================================================ clustering */

/* Silhouette coefficient per sample (Euclidean). Distances are computed in
 * row blocks with GEMM; extra memory is O(n) plus one block per thread.
 * 2 <= number of labels <= n - 1 is required; samples of singleton clusters
 * get 0. n_threads: 0 = all cores; the result does not depend on it. */
MLC_API int mlc_silhouette_samples(const mlc_matrix *X, const int32_t *labels, int n_threads,
                                   double *out);
/* Mean silhouette coefficient. */
MLC_API int mlc_silhouette_score(const mlc_matrix *X, const int32_t *labels, int n_threads,
                                 double *out);
MLC_API int mlc_calinski_harabasz_score(const mlc_matrix *X, const int32_t *labels,
                                        double *out);
MLC_API int mlc_davies_bouldin_score(const mlc_matrix *X, const int32_t *labels, double *out);

/* Contingency table of two labelings. */
typedef struct mlc_contingency {
    size_t n_true, n_pred;   /* distinct labels of each */
    int32_t *classes_true;   /* sorted (malloc'ed) */
    int32_t *classes_pred;
    int64_t *counts;         /* n_true x n_pred row-major (malloc'ed) */
} mlc_contingency;
/* *out is a filled struct: release it with mlc_contingency_clear. */
MLC_API int mlc_contingency_matrix(const int32_t *labels_true, const int32_t *labels_pred,
                                   size_t n, mlc_contingency *out);
MLC_API void mlc_contingency_clear(mlc_contingency *c);

/* Pair confusion matrix [[tn, fp], [fn, tp]] over ordered pairs (row-major
 * into out[4]), in 64-bit integers. */
MLC_API int mlc_pair_confusion_matrix(const int32_t *labels_true, const int32_t *labels_pred,
                                      size_t n, int64_t out[4]);
MLC_API int mlc_rand_score(const int32_t *labels_true, const int32_t *labels_pred, size_t n,
                           double *out);
/* Adjusted Rand index; 1.0 for identical partitions (exact integer
 * arithmetic, no overflow). */
MLC_API int mlc_adjusted_rand_score(const int32_t *labels_true, const int32_t *labels_pred,
                                    size_t n, double *out);
MLC_API int mlc_fowlkes_mallows_score(const int32_t *labels_true, const int32_t *labels_pred,
                                      size_t n, double *out);
/* Mutual information in nats. */
MLC_API int mlc_mutual_info_score(const int32_t *labels_true, const int32_t *labels_pred,
                                  size_t n, double *out);

typedef enum mlc_average_method {
    MLC_AVERAGE_METHOD_ARITHMETIC = 0, /* default */
    MLC_AVERAGE_METHOD_GEOMETRIC,
    MLC_AVERAGE_METHOD_MIN,
    MLC_AVERAGE_METHOD_MAX
} mlc_average_method;
MLC_API int mlc_normalized_mutual_info_score(const int32_t *labels_true,
                                             const int32_t *labels_pred, size_t n,
                                             mlc_average_method method, double *out);
/* Adjusted mutual information (expected MI from the hypergeometric model). */
MLC_API int mlc_adjusted_mutual_info_score(const int32_t *labels_true,
                                           const int32_t *labels_pred, size_t n,
                                           mlc_average_method method, double *out);
/* Homogeneity, completeness and V-measure (beta = 1 is the usual V). Any
 * output may be NULL. */
MLC_API int mlc_homogeneity_completeness_v_measure(const int32_t *labels_true,
                                                   const int32_t *labels_pred, size_t n,
                                                   double beta, double *homogeneity,
                                                   double *completeness, double *v_measure);
MLC_API int mlc_homogeneity_score(const int32_t *labels_true, const int32_t *labels_pred,
                                  size_t n, double *out);
MLC_API int mlc_completeness_score(const int32_t *labels_true, const int32_t *labels_pred,
                                   size_t n, double *out);
MLC_API int mlc_v_measure_score(const int32_t *labels_true, const int32_t *labels_pred,
                                size_t n, double beta, double *out);

#ifdef __cplusplus
}
#endif

#endif
