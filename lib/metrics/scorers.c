/* Scorers by name, as scikit-learn 1.2's get_scorer: each applies a fitted
 * estimator to (X, y) through predict, predict_proba or decision_function and
 * returns a number where greater is better (losses and errors negated). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/thread_scope.h"
#include "internal/validate.h"
#include "prf.h"
#include "metrics_util.h"
#include "mlcore/metrics.h"
#include "mlcore/model_selection.h"

typedef enum family {
    FAM_REGRESSION,   /* metric(y, predict) on n x n_targets */
    FAM_LABELS,       /* metric(y, predict) on class labels */
    FAM_PRF,          /* precision / recall / F1 with an average */
    FAM_CLUSTER,      /* metric(labels_true = y, labels_pred = predict) */
    FAM_PROBA,        /* predict_proba: log loss, one-vs-rest/one-vs-one AUC */
    FAM_THRESHOLD,    /* decision_function or proba column 1: binary AUC, AP */
    FAM_GEOMETRY      /* silhouette / Calinski-Harabasz / Davies-Bouldin of X and predict */
} family;

typedef enum metric_id {
    M_R2, M_MSE, M_RMSE, M_MAE, M_MEDAE, M_MAPE, M_MAX_ERROR, M_EVS,
    M_ACCURACY, M_BALANCED, M_MCC,
    M_PRECISION, M_RECALL, M_F1,
    M_ARI, M_RAND, M_NMI, M_AMI, M_MI, M_V, M_HOMOGENEITY, M_COMPLETENESS, M_FMI,
    M_LOG_LOSS, M_AUC_OVR, M_AUC_OVO,
    M_AUC, M_AP,
    M_SILHOUETTE, M_CALINSKI, M_DAVIES
} metric_id;

typedef struct scorer_def {
    const char *name;
    const char *summary;
    family fam;
    metric_id metric;
    int variant;   /* mlc_average for PRF/AUC scorers */
    double sign;   /* -1 for losses and errors; 0: reported as is, lower is better */
} scorer_def;

#define AVG_BIN MLC_AVERAGE_BINARY
#define AVG_MIC MLC_AVERAGE_MICRO
#define AVG_MAC MLC_AVERAGE_MACRO
#define AVG_WEI MLC_AVERAGE_WEIGHTED

static const scorer_def SCORERS[] = {
    {"r2", "R^2 (regression)", FAM_REGRESSION, M_R2, 0, 1},
    {"explained_variance", "explained variance (regression)", FAM_REGRESSION, M_EVS, 0, 1},
    {"max_error", "minus the maximum absolute error (regression)", FAM_REGRESSION,
     M_MAX_ERROR, 0, -1},
    {"neg_mean_squared_error", "minus the mean squared error", FAM_REGRESSION, M_MSE, 0, -1},
    {"neg_root_mean_squared_error", "minus the root mean squared error", FAM_REGRESSION,
     M_RMSE, 0, -1},
    {"neg_mean_absolute_error", "minus the mean absolute error", FAM_REGRESSION, M_MAE, 0, -1},
    {"neg_median_absolute_error", "minus the median absolute error", FAM_REGRESSION, M_MEDAE,
     0, -1},
    {"neg_mean_absolute_percentage_error", "minus the mean absolute percentage error",
     FAM_REGRESSION, M_MAPE, 0, -1},
    {"accuracy", "fraction of correct labels", FAM_LABELS, M_ACCURACY, 0, 1},
    {"balanced_accuracy", "mean per-class recall", FAM_LABELS, M_BALANCED, 0, 1},
    {"matthews_corrcoef", "Matthews correlation coefficient", FAM_LABELS, M_MCC, 0, 1},
    {"f1", "F1 of label 1 (binary)", FAM_PRF, M_F1, AVG_BIN, 1},
    {"f1_macro", "unweighted mean of per-class F1", FAM_PRF, M_F1, AVG_MAC, 1},
    {"f1_micro", "F1 of the pooled counts", FAM_PRF, M_F1, AVG_MIC, 1},
    {"f1_weighted", "support-weighted mean of per-class F1", FAM_PRF, M_F1, AVG_WEI, 1},
    {"precision", "precision of label 1 (binary)", FAM_PRF, M_PRECISION, AVG_BIN, 1},
    {"precision_macro", "unweighted mean of per-class precision", FAM_PRF, M_PRECISION,
     AVG_MAC, 1},
    {"precision_micro", "precision of the pooled counts", FAM_PRF, M_PRECISION, AVG_MIC, 1},
    {"precision_weighted", "support-weighted mean of per-class precision", FAM_PRF,
     M_PRECISION, AVG_WEI, 1},
    {"recall", "recall of label 1 (binary)", FAM_PRF, M_RECALL, AVG_BIN, 1},
    {"recall_macro", "unweighted mean of per-class recall", FAM_PRF, M_RECALL, AVG_MAC, 1},
    {"recall_micro", "recall of the pooled counts", FAM_PRF, M_RECALL, AVG_MIC, 1},
    {"recall_weighted", "support-weighted mean of per-class recall", FAM_PRF, M_RECALL,
     AVG_WEI, 1},
    {"neg_log_loss", "minus the log loss of predict_proba", FAM_PROBA, M_LOG_LOSS, 0, -1},
    {"roc_auc", "ROC AUC of decision_function (or proba of the greater class), binary",
     FAM_THRESHOLD, M_AUC, 0, 1},
    {"roc_auc_ovr", "one-vs-rest ROC AUC of predict_proba, macro average", FAM_PROBA,
     M_AUC_OVR, AVG_MAC, 1},
    {"roc_auc_ovr_weighted", "one-vs-rest ROC AUC, prevalence-weighted", FAM_PROBA,
     M_AUC_OVR, AVG_WEI, 1},
    {"roc_auc_ovo", "one-vs-one ROC AUC of predict_proba (Hand & Till)", FAM_PROBA, M_AUC_OVO,
     AVG_MAC, 1},
    {"roc_auc_ovo_weighted", "one-vs-one ROC AUC, prevalence-weighted", FAM_PROBA, M_AUC_OVO,
     AVG_WEI, 1},
    {"average_precision", "average precision of decision_function, binary", FAM_THRESHOLD,
     M_AP, 0, 1},
    {"adjusted_rand_score", "adjusted Rand index of predicted vs true labels", FAM_CLUSTER,
     M_ARI, 0, 1},
    {"adjusted_rand", "alias of adjusted_rand_score", FAM_CLUSTER, M_ARI, 0, 1},
    {"rand_score", "Rand index", FAM_CLUSTER, M_RAND, 0, 1},
    {"normalized_mutual_info_score", "normalised mutual information (arithmetic)",
     FAM_CLUSTER, M_NMI, 0, 1},
    {"adjusted_mutual_info_score", "adjusted mutual information (arithmetic)", FAM_CLUSTER,
     M_AMI, 0, 1},
    {"mutual_info_score", "mutual information (nats)", FAM_CLUSTER, M_MI, 0, 1},
    {"v_measure_score", "V-measure", FAM_CLUSTER, M_V, 0, 1},
    {"homogeneity_score", "homogeneity", FAM_CLUSTER, M_HOMOGENEITY, 0, 1},
    {"completeness_score", "completeness", FAM_CLUSTER, M_COMPLETENESS, 0, 1},
    {"fowlkes_mallows_score", "Fowlkes-Mallows index", FAM_CLUSTER, M_FMI, 0, 1},
    {"silhouette", "mean silhouette of X with the predicted labels (no y)", FAM_GEOMETRY,
     M_SILHOUETTE, 0, 1},
    {"calinski_harabasz", "Calinski-Harabasz index of X with the predicted labels (no y)",
     FAM_GEOMETRY, M_CALINSKI, 0, 1},
    /* Reported as the studies report it; grid search ranks by the negated one. */
    {"davies_bouldin", "Davies-Bouldin index of X with the predicted labels (no y; lower is "
     "better: grid ranks by neg_davies_bouldin)", FAM_GEOMETRY, M_DAVIES, 0, 0},
    {"neg_davies_bouldin", "minus the Davies-Bouldin index (no y)", FAM_GEOMETRY, M_DAVIES, 0,
     -1},
};
#define N_SCORERS (sizeof SCORERS / sizeof SCORERS[0])

size_t mlc_scorer_count(void)
{
    return N_SCORERS;
}

const char *mlc_scorer_name(size_t i)
{
    return i < N_SCORERS ? SCORERS[i].name : NULL;
}

const char *mlc_scorer_summary(size_t i)
{
    return i < N_SCORERS ? SCORERS[i].summary : NULL;
}

static const scorer_def *find(const char *name)
{
    for (size_t i = 0; name && i < N_SCORERS; i++)
        if (strcmp(SCORERS[i].name, name) == 0)
            return &SCORERS[i];
    return NULL;
}

int mlc_scorer_lower_is_better(const char *name)
{
    const scorer_def *d = find(name);
    return d && d->sign == 0;
}

int mlc_scorer_check(const char *name)
{
    if (find(name))
        return MLC_OK;
    char list[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < N_SCORERS && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 SCORERS[i].name);
    if (!name) /* mlcore.h: a NULL name is an unknown name */
        return mlc_raise(MLC_ENOTFOUND, "scorer name is NULL; valid names: %s", list);
    return mlc_raise(MLC_ENOTFOUND, "unknown scorer '%s'; valid names: %s", name, list);
}

/* ------------------------------------------------------------- evaluation */

/* An estimator output, allocated here. */
static int compute(const mlc_estimator *e, mlc_output kind, const mlc_matrix *X, mlc_matrix *out)
{
    size_t cols = mlc_estimator_output_cols(e, kind);
    if (cols == 0)
        return mlc_raise(MLC_EUNSUPPORTED, "%s does not provide %s, which this scorer needs",
                         mlc_estimator_name(e), mlc_output_name(kind));
    int st = mlc_matrix_alloc(out, X->rows, cols);
    if (!st)
        st = mlc_estimator_output(e, kind, X, out);
    if (st)
        mlc_matrix_clear(out);
    return st;
}

/* Predictions as one column (labels). */
static int predict_labels(const mlc_estimator *e, const mlc_matrix *X, mlc_matrix *pred)
{
    int st = compute(e, MLC_OUT_PREDICT, X, pred);
    if (!st && pred->cols != 1) {
        mlc_matrix_clear(pred);
        st = mlc_raise(MLC_EINVAL, "this scorer needs one predicted label per sample, but %s "
                                   "predicts %zu columns",
                       mlc_estimator_name(e), pred->cols);
    }
    return st;
}

/* Labels as int32 (clustering metrics). */
static int to_int_labels(const double *v, size_t n, const char *what, int32_t *out)
{
    int st = mlc_check_class_labels(v, n, what);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < INT32_MIN || v[i] > INT32_MAX)
            return mlc_raise(MLC_ERANGE, "%s[%zu] = %g does not fit a 32-bit cluster label",
                             what, i, v[i]);
        out[i] = (int32_t)v[i];
    }
    return MLC_OK;
}

static int score_regression(const scorer_def *d, const mlc_estimator *e, const mlc_matrix *X,
                            const double *y, double *v)
{
    mlc_matrix pred;
    int st = compute(e, MLC_OUT_PREDICT, X, &pred);
    if (st)
        return st;
    size_t n = X->rows, t = pred.cols;
    const mlc_multioutput mo = MLC_MULTIOUTPUT_UNIFORM;
    switch (d->metric) {
    case M_R2: st = mlc_r2_score(y, pred.data, n, t, NULL, mo, v); break;
    case M_EVS: st = mlc_explained_variance_score(y, pred.data, n, t, NULL, mo, v); break;
    case M_MSE: st = mlc_mean_squared_error(y, pred.data, n, t, NULL, mo, v); break;
    case M_RMSE: st = mlc_root_mean_squared_error(y, pred.data, n, t, NULL, mo, v); break;
    case M_MAE: st = mlc_mean_absolute_error(y, pred.data, n, t, NULL, mo, v); break;
    case M_MEDAE: st = mlc_median_absolute_error(y, pred.data, n, t, NULL, mo, v); break;
    case M_MAPE:
        st = mlc_mean_absolute_percentage_error(y, pred.data, n, t, NULL, mo, v);
        break;
    default:
        st = t != 1 ? mlc_raise(MLC_EINVAL, "max_error does not support several outputs (%zu)",
                                t)
                    : mlc_max_error(y, pred.data, n, v);
        break;
    }
    mlc_matrix_clear(&pred);
    return st;
}

/* The label scorers on predicted labels pred[n]. */
static int labels_of(const scorer_def *d, const double *y, const double *pred, size_t n,
                     double *v)
{
    if (d->fam == FAM_PRF) {
        mlc_prf_options o = mlc_prf_options_default();
        o.average = (mlc_average)d->variant;
        return mlc_prf_compute(y, pred, n, &o, d->metric == M_PRECISION ? v : NULL,
                               d->metric == M_RECALL ? v : NULL, d->metric == M_F1 ? v : NULL,
                               NULL, NULL);
    }
    if (d->metric == M_ACCURACY)
        return mlc_accuracy_score(y, pred, n, NULL, 1, v);
    if (d->metric == M_BALANCED)
        return mlc_balanced_accuracy_score(y, pred, n, NULL, 0, v);
    return mlc_matthews_corrcoef(y, pred, n, NULL, v);
}

/* The label-comparison scorers: y against the predicted cluster labels. */
static int cluster_of(const scorer_def *d, const double *y, const double *pred, size_t n,
                      double *v)
{
    int32_t *lt = malloc(n * sizeof *lt), *lp = malloc(n * sizeof *lp);
    int st = !lt || !lp ? mlc_raise_nomem("cluster labels") : MLC_OK;
    if (!st)
        st = to_int_labels(y, n, "y", lt);
    if (!st)
        st = to_int_labels(pred, n, "predicted labels", lp);
    if (!st) {
        const mlc_average_method am = MLC_AVERAGE_METHOD_ARITHMETIC;
        switch (d->metric) {
        case M_ARI: st = mlc_adjusted_rand_score(lt, lp, n, v); break;
        case M_RAND: st = mlc_rand_score(lt, lp, n, v); break;
        case M_NMI: st = mlc_normalized_mutual_info_score(lt, lp, n, am, v); break;
        case M_AMI: st = mlc_adjusted_mutual_info_score(lt, lp, n, am, v); break;
        case M_MI: st = mlc_mutual_info_score(lt, lp, n, v); break;
        case M_V: st = mlc_v_measure_score(lt, lp, n, 1.0, v); break;
        case M_HOMOGENEITY: st = mlc_homogeneity_score(lt, lp, n, v); break;
        case M_COMPLETENESS: st = mlc_completeness_score(lt, lp, n, v); break;
        default: st = mlc_fowlkes_mallows_score(lt, lp, n, v); break;
        }
    }
    free(lt);
    free(lp);
    return st;
}

/* Number of distinct labels in y (type_of_target: <= 2 is "binary"). */
static int count_classes(const double *y, size_t n, size_t *k)
{
    double *cls;
    int st = mlc_check_class_labels(y, n, "y");
    if (!st)
        st = mlc_class_union(y, n, NULL, 0, &cls, k);
    if (!st)
        free(cls);
    return st;
}

/* Column 1 of a two-column probability matrix (_select_proba_binary). */
static int proba_binary(const mlc_estimator *e, const mlc_matrix *P, double *col)
{
    if (P->cols != 2)
        return mlc_raise(MLC_EINVAL, "got predict_proba with %zu columns, but this scorer needs "
                                     "a classifier with two classes (%s)",
                         P->cols, mlc_estimator_name(e));
    for (size_t i = 0; i < P->rows; i++)
        col[i] = MLC_AT(P, i, 1);
    return MLC_OK;
}

static int score_proba(const scorer_def *d, const mlc_estimator *e, const mlc_matrix *X,
                       const double *y, double *v)
{
    size_t n = X->rows, k;
    int st = count_classes(y, n, &k);
    if (st)
        return st;
    mlc_matrix P;
    if ((st = compute(e, MLC_OUT_PROBA, X, &P)))
        return st;
    double *col = NULL;
    if (k <= 2 && P.cols <= 2) {
        col = malloc(n * sizeof *col);
        st = col ? proba_binary(e, &P, col) : mlc_raise_nomem("probabilities");
        if (!st)
            st = d->metric == M_LOG_LOSS ? mlc_log_loss(y, col, n, 1, NULL, 0, NULL, 1, 0, v)
                                         : mlc_roc_auc_score(y, col, n, NULL, v);
    } else if (d->metric == M_LOG_LOSS) {
        st = mlc_log_loss(y, P.data, n, P.cols, NULL, 0, NULL, 1, 0, v);
    } else {
        st = mlc_roc_auc_multiclass(y, P.data, n, P.cols, NULL,
                                    d->metric == M_AUC_OVR ? MLC_MULTICLASS_OVR
                                                           : MLC_MULTICLASS_OVO,
                                    (mlc_average)d->variant, NULL, v);
    }
    free(col);
    mlc_matrix_clear(&P);
    return st;
}

static int score_threshold(const scorer_def *d, const mlc_estimator *e, const mlc_matrix *X,
                           const double *y, double *v)
{
    size_t n = X->rows, k;
    int st = count_classes(y, n, &k);
    if (st)
        return st;
    if (k > 2)
        return mlc_raise(MLC_EINVAL, "%s needs binary targets, y has %zu classes (use "
                                     "roc_auc_ovr or roc_auc_ovo for multiclass)",
                         d->name, k);
    mlc_matrix S;
    double *score = NULL;
    if (mlc_estimator_task(e) == MLC_TASK_REGRESSOR)
        st = compute(e, MLC_OUT_PREDICT, X, &S);
    else if (mlc_estimator_output_cols(e, MLC_OUT_DECISION) > 0)
        st = compute(e, MLC_OUT_DECISION, X, &S);
    else
        st = compute(e, MLC_OUT_PROBA, X, &S);
    if (st)
        return st;
    if (S.cols == 1) {
        score = S.data;
    } else if (mlc_estimator_output_cols(e, MLC_OUT_DECISION) == 0 &&
               mlc_estimator_task(e) != MLC_TASK_REGRESSOR) {
        score = malloc(n * sizeof *score);
        st = score ? proba_binary(e, &S, score) : mlc_raise_nomem("scores");
    } else {
        st = mlc_raise(MLC_EINVAL, "%s needs one score per sample, but %s gives %zu columns",
                       d->name, mlc_estimator_name(e), S.cols);
    }
    if (!st)
        st = d->metric == M_AUC ? mlc_roc_auc_score(y, score, n, NULL, v)
                                : mlc_average_precision_score(y, score, n, 1.0, NULL, v);
    if (score != S.data)
        free(score);
    mlc_matrix_clear(&S);
    return st;
}

/* Silhouette, Calinski-Harabasz, Davies-Bouldin of X with labels pred. */
static int geometry_of(const scorer_def *d, const mlc_matrix *X, const double *pred, double *v)
{
    size_t n = X->rows;
    int32_t *lp = malloc(n * sizeof *lp);
    int st = lp ? to_int_labels(pred, n, "predicted labels", lp)
                : mlc_raise_nomem("cluster labels");
    if (!st && d->metric == M_SILHOUETTE)
        st = mlc_silhouette_score(X, lp, 1, v);
    else if (!st && d->metric == M_CALINSKI)
        st = mlc_calinski_harabasz_score(X, lp, v);
    else if (!st)
        st = mlc_davies_bouldin_score(X, lp, v);
    free(lp);
    return st;
}

/* A scorer of labels only, on given predictions. */
static int score_predicted(const scorer_def *d, const mlc_matrix *X, const double *y,
                           const double *pred, double *v)
{
    switch (d->fam) {
    case FAM_LABELS:
    case FAM_PRF: return labels_of(d, y, pred, X->rows, v);
    case FAM_CLUSTER: return cluster_of(d, y, pred, X->rows, v);
    default: return geometry_of(d, X, pred, v);
    }
}

/* The label scorers through the estimator's predictions. */
static int score_labels(const scorer_def *d, const mlc_estimator *e, const mlc_matrix *X,
                        const double *y, double *v)
{
    /* scikit-learn: "Classification metrics can't handle a mix of
     * continuous and ... targets". */
    if (mlc_estimator_task(e) == MLC_TASK_REGRESSOR)
        return mlc_raise(MLC_EUNSUPPORTED, "scorer %s compares labels, but %s is a regressor "
                         "(its predictions are continuous); use a regression scorer such as "
                         "r2 or neg_mean_squared_error",
                         d->name, mlc_estimator_name(e));
    mlc_matrix pred;
    int st = predict_labels(e, X, &pred);
    if (st)
        return st;
    st = score_predicted(d, X, y, pred.data, v);
    mlc_matrix_clear(&pred);
    return st;
}

static int score_by_name(const char *name, const mlc_estimator *e, const mlc_matrix *X,
                         const double *y, double *out)
{
    const scorer_def *d = find(name);
    if (!d)
        return mlc_scorer_check(name);
    if (!e || !X || !out)
        return mlc_raise(MLC_EINVAL, "estimator, X and the output must not be NULL");
    if (!mlc_estimator_is_fitted(e))
        return mlc_raise(MLC_ENOTFITTED, "this %s is not fitted yet; call fit first",
                         mlc_estimator_name(e));
    if (X->rows == 0)
        return mlc_raise(MLC_EEMPTY, "X has no rows to score");
    if (!y && d->fam != FAM_GEOMETRY)
        return mlc_raise(MLC_EINVAL, "scorer %s needs y", d->name);
    double v = NAN;
    int st;
    switch (d->fam) {
    case FAM_PROBA: st = score_proba(d, e, X, y, &v); break;
    case FAM_THRESHOLD: st = score_threshold(d, e, X, y, &v); break;
    case FAM_REGRESSION: st = score_regression(d, e, X, y, &v); break;
    default: st = score_labels(d, e, X, y, &v); break;
    }
    if (!st)
        *out = d->sign == 0 ? v : d->sign * v;
    return st;
}

int mlc_scorer_score(const char *name, const mlc_estimator *e, const mlc_matrix *X, const double *y,
                     double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, score_by_name(name, e, X, y, out));
}

static int score_labels_by_name(const char *name, const mlc_matrix *X, const double *y,
                                const double *labels, double *out)
{
    const scorer_def *d = find(name);
    if (!d)
        return mlc_scorer_check(name);
    if (!X || !labels || !out)
        return mlc_raise(MLC_EINVAL, "X, labels and the output must not be NULL");
    int st = mlc_check_X_shape(X, "X");
    if (st)
        return st;
    if (d->fam != FAM_LABELS && d->fam != FAM_PRF && d->fam != FAM_CLUSTER &&
        d->fam != FAM_GEOMETRY)
        return mlc_raise(MLC_EUNSUPPORTED, "scorer %s needs an estimator's %s, not labels",
                         d->name, d->fam == FAM_REGRESSION ? "predictions" : "scores");
    if (!y && d->fam != FAM_GEOMETRY)
        return mlc_raise(MLC_EINVAL, "scorer %s needs y", d->name);
    double v = NAN;
    st = score_predicted(d, X, y, labels, &v);
    if (!st)
        *out = d->sign == 0 ? v : d->sign * v;
    return st;
}

int mlc_scorer_score_labels(const char *name, const mlc_matrix *X, const double *y,
                            const double *labels, double *out)
{
    mlc_thread_scope scope = mlc_thread_scope_enter();
    return mlc_thread_scope_leave(&scope, score_labels_by_name(name, X, y, labels, out));
}
