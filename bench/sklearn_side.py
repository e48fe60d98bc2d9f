#!/usr/bin/python3
"""The scikit-learn side of the bench runner: fit the same estimator on the
same .npy files, time fit/predict, measure peak memory, write the outputs.

usage: sklearn_side.py ESTIMATOR PARAMS.json OUTDIR [--threads N] [--repeats R]
                       [--latency] [--matrix NAME=FILE.npy ...]
"""
import argparse
import json
import os
import sys
import time

# At least `repeats` timed runs, and more (up to MAX_RUNS) until they add up
# to MIN_SECONDS; mlcore_bench.c uses the same rule.
MIN_SECONDS, MAX_RUNS = 0.2, 1000


def more_runs(times, repeats):
    return len(times) < MAX_RUNS and (len(times) < repeats or sum(times) < MIN_SECONDS)


def rss_kib():
    now = peak = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return now, peak


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


# libmlcore registry name -> scikit-learn class (module, name).
CLASSES = {
    "linear_regression": ("sklearn.linear_model", "LinearRegression"),
    "ridge": ("sklearn.linear_model", "Ridge"),
    "ridge_cv": ("sklearn.linear_model", "RidgeCV"),
    "lasso": ("sklearn.linear_model", "Lasso"),
    "lasso_cv": ("sklearn.linear_model", "LassoCV"),
    "elastic_net": ("sklearn.linear_model", "ElasticNet"),
    "elastic_net_cv": ("sklearn.linear_model", "ElasticNetCV"),
    "svc": ("sklearn.svm", "SVC"),
    "nu_svc": ("sklearn.svm", "NuSVC"),
    "svr": ("sklearn.svm", "SVR"),
    "nu_svr": ("sklearn.svm", "NuSVR"),
    "one_class_svm": ("sklearn.svm", "OneClassSVM"),
    "linear_svc": ("sklearn.svm", "LinearSVC"),
    "linear_svr": ("sklearn.svm", "LinearSVR"),
    "k_neighbors_classifier": ("sklearn.neighbors", "KNeighborsClassifier"),
    "k_neighbors_regressor": ("sklearn.neighbors", "KNeighborsRegressor"),
    "kmeans": ("sklearn.cluster", "KMeans"),
    "dbscan": ("sklearn.cluster", "DBSCAN"),
    "agglomerative_clustering": ("sklearn.cluster", "AgglomerativeClustering"),
    "gaussian_mixture": ("sklearn.mixture", "GaussianMixture"),
    "standard_scaler": ("sklearn.preprocessing", "StandardScaler"),
    "min_max_scaler": ("sklearn.preprocessing", "MinMaxScaler"),
}

# Estimators whose work is split by joblib's n_jobs (the tree queries),
# which threadpool_limits does not reach: given the run's thread count.
N_JOBS = {"k_neighbors_classifier", "k_neighbors_regressor", "dbscan"}

# Parameters spelled differently on the two sides.
MATRIX_PARAMS = {"init_centers": "init", "weights_init": "weights_init",
                 "means_init": "means_init", "precisions_init": "precisions_init"}


def convert_value(v):
    if isinstance(v, str):
        low = v.lower()
        if low in ("true", "false"):
            return low == "true"
        for cast in (int, float):
            try:
                return cast(v)
            except ValueError:
                pass
        if "," in v:
            return [float(x) for x in v.split(",")]
    return v


def build_params(name, params, matrices, np):
    out = {}
    fr = [None, None]
    for k, v in params.items():
        if k == "n_threads" or v is None:
            continue
        if k == "random_state" and str(v) == "-1":
            out[k] = None
            continue
        if k in ("feature_range_min", "feature_range_max"):
            fr[k.endswith("max")] = float(v)
            continue
        if k in ("alphas", "l1_ratio") and isinstance(v, str) and "," in v:
            out[k] = [float(x) for x in v.split(",")]
            continue
        out[k] = convert_value(v)
    if fr != [None, None]:
        out["feature_range"] = (fr[0] if fr[0] is not None else 0.0,
                                fr[1] if fr[1] is not None else 1.0)
    for k, path in matrices.items():
        arr = np.load(path)
        if k == "precisions_init" and out.get("covariance_type", "full") == "full":
            arr = arr.reshape(-1, arr.shape[1], arr.shape[1])
        if k == "init_centers":
            out["n_init"] = 1
        out[MATRIX_PARAMS.get(k, k)] = arr
    return out


def run_metric(a, np):
    """Time a metric / model-selection routine on X.npy, y.npy."""
    from threadpoolctl import threadpool_limits
    X = np.load(os.path.join(a.outdir, "X.npy"))
    y = np.load(os.path.join(a.outdir, "y.npy"))
    threads = a.threads if a.threads > 0 else os.cpu_count()
    if a.metric == "silhouette":
        from sklearn.metrics import silhouette_score
        fn = lambda: silhouette_score(X, y.astype(np.int64))  # noqa: E731
    elif a.metric == "roc_auc":
        from sklearn.metrics import roc_auc_score
        fn = lambda: roc_auc_score(y, X[:, 0])  # noqa: E731
    elif a.metric == "cross_validate_ridge":
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import KFold, cross_validate
        fn = lambda: float(np.mean(cross_validate(Ridge(), X, y, cv=KFold(5))["test_score"]))  # noqa: E731
    else:
        print(f"sklearn_side: unknown metric {a.metric}", file=sys.stderr)
        return 2
    result = {"threads": threads}
    with threadpool_limits(limits=threads):
        reset_peak()
        base, _ = rss_kib()
        value = fn()
        _, peak = rss_kib()
        ts = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            value = fn()
            ts.append(time.perf_counter() - t0)
    ts.sort()
    result.update(value=float(value), fit_median=float(np.median(ts)), fit_min=ts[0],
                  fit_max=ts[-1], repeats=a.repeats, peak_rss_above_baseline_kib=peak - base)
    with open(os.path.join(a.outdir, "sklearn.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0


def references(estimator, model, X, y, np):
    """Exact solutions to check against where scikit-learn's own estimator is
    only approximately exact: RidgeCV's GCV-SVD solution drifts ~1e-9 from
    the ridge solution at n = 1e5, while Ridge(alpha_) agrees with the exact
    one to ~1e-14 (so libmlcore is held to that)."""
    if estimator == "ridge_cv" and np.ndim(model.alpha_) == 0:
        from sklearn.linear_model import Ridge
        ref = Ridge(alpha=float(model.alpha_), fit_intercept=model.fit_intercept).fit(X, y)
        return {"ridge_refit_coef_": ref.coef_}
    return {}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "metric":
        ap = argparse.ArgumentParser()
        ap.add_argument("mode")
        ap.add_argument("metric")
        ap.add_argument("outdir")
        ap.add_argument("--threads", type=int, default=0)
        ap.add_argument("--repeats", type=int, default=3)
        ap.add_argument("--latency", action="store_true")
        a = ap.parse_args()
        threads = a.threads if a.threads > 0 else os.cpu_count()
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)
        import numpy as np
        return run_metric(a, np)
    ap = argparse.ArgumentParser()
    ap.add_argument("estimator")
    ap.add_argument("params")
    ap.add_argument("outdir")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--latency", action="store_true")
    ap.add_argument("--matrix", action="append", default=[])
    a = ap.parse_args()
    threads = a.threads if a.threads > 0 else os.cpu_count()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)

    import importlib
    import numpy as np
    from threadpoolctl import threadpool_limits
    import sklearn

    if a.estimator not in CLASSES:
        print(f"sklearn_side: no scikit-learn counterpart for {a.estimator}", file=sys.stderr)
        return 2
    module, cls_name = CLASSES[a.estimator]
    cls = getattr(importlib.import_module(module), cls_name)
    with open(a.params) as f:
        params = json.load(f)
    matrices = dict(m.split("=", 1) for m in a.matrix)
    kwargs = build_params(a.estimator, params, matrices, np)
    if a.estimator in N_JOBS:
        kwargs["n_jobs"] = threads
    X = np.load(os.path.join(a.outdir, "X.npy"))
    y_path = os.path.join(a.outdir, "y.npy")
    is_supervised = getattr(cls, "_estimator_type", "") in ("regressor", "classifier")
    y = np.load(y_path) if is_supervised else None
    result = {"sklearn_version": sklearn.__version__, "threads": threads}
    with threadpool_limits(limits=threads):
        reset_peak()
        base, _ = rss_kib()
        t0 = time.perf_counter()
        model = cls(**kwargs).fit(X, y) if y is not None else cls(**kwargs).fit(X)
        result["first_fit"] = time.perf_counter() - t0
        _, peak = rss_kib()
        result["peak_rss_above_baseline_kib"] = peak - base
        result["baseline_rss_kib"] = base
        fit_t = []
        while more_runs(fit_t, a.repeats):
            t0 = time.perf_counter()
            model = cls(**kwargs).fit(X, y) if y is not None else cls(**kwargs).fit(X)
            fit_t.append(time.perf_counter() - t0)
        fit_t.sort()
        result.update(fit_median=float(np.median(fit_t)), fit_min=fit_t[0], fit_max=fit_t[-1],
                      repeats=len(fit_t))
        predict = getattr(model, "predict", None) or getattr(model, "transform", None)
        if predict is not None:
            out = predict(X)
            pred_t = []
            while more_runs(pred_t, a.repeats):
                t0 = time.perf_counter()
                out = predict(X)
                pred_t.append(time.perf_counter() - t0)
            pred_t.sort()
            result.update(predict_median=float(np.median(pred_t)), predict_min=pred_t[0],
                          predict_max=pred_t[-1])
            np.save(os.path.join(a.outdir, "sklearn_pred.npy"),
                    np.asarray(out, dtype=np.float64).reshape(X.shape[0], -1))
            if a.latency:
                lat = {}
                for batch in (1, 32, 1024):
                    if batch > X.shape[0]:
                        continue
                    reps = {1: 2000, 32: 1000, 1024: 200}[batch]
                    reps = max(20, reps // 10)  # Python calls are slow; fewer repeats
                    ts = []
                    for r in range(reps):
                        s = (r * 7919) % (X.shape[0] - batch + 1)
                        rows = X[s:s + batch]
                        t0 = time.perf_counter()
                        predict(rows)
                        ts.append(time.perf_counter() - t0)
                    ts = np.array(ts)
                    lat[str(batch)] = {"p50": float(np.percentile(ts, 50)),
                                       "p95": float(np.percentile(ts, 95)),
                                       "p99": float(np.percentile(ts, 99)),
                                       "rows_per_s": float(batch * reps / ts.sum())}
                result["latency"] = lat
        score = getattr(model, "score", None)
        if score is not None:
            try:
                result["score"] = float(score(X, y) if y is not None else score(X))
            except Exception:  # noqa: BLE001 - some estimators have no usable score
                pass
    attrs = {}
    for name in dir(model):
        if not name.endswith("_") or name.startswith("_"):
            continue
        try:
            v = getattr(model, name)
        except AttributeError:
            continue
        if isinstance(v, (int, float, np.integer, np.floating, bool, np.bool_)):
            attrs[name] = float(v)
        elif isinstance(v, np.ndarray) and v.dtype.kind in "fiub" and v.ndim >= 1:
            flat = v.astype(np.float64)  # (rows, rest); empty arrays (probA_) stay empty
            flat = flat.reshape(v.shape[0], -1) if v.size else flat.reshape(v.shape[0], 0)
            np.save(os.path.join(a.outdir, f"sklearn_attr_{name}.npy"), flat)
    for name, v in references(a.estimator, model, X, y, np).items():
        np.save(os.path.join(a.outdir, f"sklearn_attr_{name}.npy"),
                np.asarray(v, dtype=np.float64).reshape(np.shape(v)[0], -1))
    result["attributes"] = attrs
    with open(os.path.join(a.outdir, "sklearn.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
