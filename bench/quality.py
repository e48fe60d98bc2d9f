"""Quality on held-out data, the same code scoring both sides' outputs
(sklearn.metrics), so a difference in a figure is a difference in the model.

Regressors: RMSE, MAE, R², MAPE, explained variance and the residuals' std,
skewness and excess kurtosis. Classifiers: accuracy, macro F1 / precision /
recall, ROC AUC and PR AUC (average precision), one-vs-rest and macro over
classes for more than two, from probabilities or decision values. Clusterings:
silhouette (on at most SILHOUETTE_SAMPLE rows, seeded), Calinski-Harabasz,
Davies-Bouldin, inertia where the model has one, ARI against the generating
labels."""
import numpy as np

SILHOUETTE_SAMPLE = 5000

REGRESSION = ["rmse", "mae", "r2", "mape", "explained_variance", "residual_std",
              "residual_skew", "residual_kurtosis"]
CLASSIFICATION = ["accuracy", "f1", "precision", "recall", "roc_auc", "pr_auc"]
CLUSTERING = ["silhouette", "calinski_harabasz", "davies_bouldin", "inertia", "ari"]
# Larger is better (for the report's arrows); the rest smaller is better.
HIGHER_BETTER = {"r2", "explained_variance", "accuracy", "f1", "precision", "recall", "roc_auc",
                 "pr_auc", "silhouette", "calinski_harabasz", "ari"}


def regression(y, pred):
    from scipy import stats
    from sklearn import metrics
    y, pred = np.ravel(y), np.ravel(pred)
    r = y - pred
    return {"rmse": float(np.sqrt(metrics.mean_squared_error(y, pred))),
            "mae": float(metrics.mean_absolute_error(y, pred)),
            "r2": float(metrics.r2_score(y, pred)),
            "mape": float(metrics.mean_absolute_percentage_error(y, pred)),
            "explained_variance": float(metrics.explained_variance_score(y, pred)),
            "residual_std": float(np.std(r, ddof=1)) if r.size > 1 else None,
            "residual_skew": float(stats.skew(r)) if r.size > 2 else None,
            "residual_kurtosis": float(stats.kurtosis(r)) if r.size > 3 else None}


def _auc(y, scores, classes):
    """ROC AUC and PR AUC from probabilities (a column per class) or decision
    values (one column for two classes, else a column per class)."""
    from sklearn import metrics
    if scores is None or scores.ndim != 2 or len(classes) < 2:
        return None, None
    if len(classes) == 2:
        s = scores[:, -1]  # P(second class), or the decision value for it
        pos = y == classes[1]
        if pos.all() or not pos.any():
            return None, None
        return (float(metrics.roc_auc_score(pos, s)),
                float(metrics.average_precision_score(pos, s)))
    if scores.shape[1] != len(classes):
        return None, None
    roc, pr = [], []
    for k, c in enumerate(classes):
        pos = y == c
        if pos.all() or not pos.any():
            continue
        roc.append(metrics.roc_auc_score(pos, scores[:, k]))
        pr.append(metrics.average_precision_score(pos, scores[:, k]))
    return (float(np.mean(roc)), float(np.mean(pr))) if roc else (None, None)


def classification(y, pred, scores, classes):
    from sklearn import metrics
    y, pred = np.ravel(y), np.ravel(pred)
    avg = "binary" if len(classes) == 2 else "macro"
    kw = {"average": avg, "zero_division": 0}
    if avg == "binary":
        kw["pos_label"] = classes[1]
    roc, pr = _auc(y, scores, classes)
    return {"accuracy": float(metrics.accuracy_score(y, pred)),
            "f1": float(metrics.f1_score(y, pred, **kw)),
            "precision": float(metrics.precision_score(y, pred, **kw)),
            "recall": float(metrics.recall_score(y, pred, **kw)),
            "roc_auc": roc, "pr_auc": pr}


def clustering(X, labels, truth=None, inertia=None):
    from sklearn import metrics
    labels = np.ravel(labels).astype(np.int64)
    out = {"silhouette": None, "calinski_harabasz": None, "davies_bouldin": None,
           "inertia": None if inertia is None else float(inertia), "ari": None}
    k = len(np.unique(labels))
    if 2 <= k < len(labels):
        sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
        out["silhouette"] = float(metrics.silhouette_score(X, labels, sample_size=sample,
                                                           random_state=0))
        out["calinski_harabasz"] = float(metrics.calinski_harabasz_score(X, labels))
        out["davies_bouldin"] = float(metrics.davies_bouldin_score(X, labels))
    if truth is not None:
        out["ari"] = float(metrics.adjusted_rand_score(np.ravel(truth).astype(np.int64), labels))
    return out
