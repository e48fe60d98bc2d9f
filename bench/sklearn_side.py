#!/usr/bin/python3
"""The scikit-learn side of the bench runner: the same estimator on the same
.npy files, driven by the runner line by line like mlcore_bench (bench_serve.h).

usage: sklearn_side.py ESTIMATOR PARAMS.json OUTDIR --x X_train.npy [--y y_train.npy]
                       [--x-test X_test.npy] [--threads N] [--latency]
                       [--matrix NAME=FILE.npy ...]
       sklearn_side.py metric NAME OUTDIR [--threads N]

It fits once (peak memory above the baseline), predicts X_test once (its
peak), prints "ready" with their times, then answers "fit" / "predict" with "WALL_NS CPU_NS"
and "done" by writing sklearn.json, the predictions on X_test
(sklearn_pred.npy; a classifier's probabilities or decision values as
sklearn_scores.npy), every fitted attribute, the pickled model
(sklearn_model.pkl, for the cold start) and, with --latency, the latency of
batches of 1 to 10 000 rows.
"""
import argparse
import json
import os
import pickle
import sys
import time

# The latency rule of bench_serve.c: per batch runs until LAT_SECONDS, and on
# to LAT_MIN_RUNS unless that takes LAT_MAX_SECONDS; at most LAT_CAPS[batch].
LAT_MIN_RUNS, LAT_SECONDS, LAT_MAX_SECONDS = 10, 0.1, 1.0
LAT_CAPS = {1: 2000, 32: 1000, 1024: 200, 10000: 50}


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


def timed(fn, *args):
    """fn(*args) once: (wall ns, CPU ns)."""
    w0, c0 = time.perf_counter_ns(), time.process_time_ns()
    fn(*args)
    c1, w1 = time.process_time_ns(), time.perf_counter_ns()
    return w1 - w0, c1 - c0


def serve(run, first, can_predict=False):
    """The runner's protocol: "ready" with the first fit's (and predict's)
    wall and CPU ns, then "fit"/"predict" -> run(kind) once, timed."""
    print(" ".join(["ready predict" if can_predict else "ready"]
                   + [str(x) for x in first[:4 if can_predict else 2]]), flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "done":
            return
        if cmd not in ("fit", "predict"):
            raise SystemExit(f"sklearn_side: unknown command {cmd!r}")
        print(*timed(run, cmd), flush=True)


def latency(predict, X, np):
    """p50/p95/p99 (ns) and rows per second of predicting batches of rows of X
    (repeated when X is shorter), bench_serve.c's rule."""
    lat = {}
    span = min(X.shape[0], 997)
    for batch, cap in LAT_CAPS.items():
        pool = X[np.arange(batch + span - 1) % X.shape[0]]
        ts = []
        while len(ts) < cap and (sum(ts) < LAT_SECONDS * 1e9 or (
                len(ts) < LAT_MIN_RUNS and sum(ts) < LAT_MAX_SECONDS * 1e9)):
            s = (len(ts) * 7919) % span
            rows = pool[s:s + batch]
            t0 = time.perf_counter_ns()
            predict(rows)
            ts.append(time.perf_counter_ns() - t0)
        ts = np.array(ts, dtype=np.float64)
        lat[str(batch)] = {"runs": len(ts), "p50_ns": float(np.percentile(ts, 50)),
                           "p95_ns": float(np.percentile(ts, 95)),
                           "p99_ns": float(np.percentile(ts, 99)), "mean_ns": float(ts.mean()),
                           "rows_per_s": float(batch * len(ts) / (ts.sum() * 1e-9))}
    return lat


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
    """A metric / model-selection routine on X.npy, y.npy, served like a fit."""
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
    value = [None]
    with threadpool_limits(limits=threads):
        reset_peak()
        base, _ = rss_kib()
        def run(_kind):
            value[0] = fn()
        first = timed(run, "fit")
        _, peak = rss_kib()
        serve(run, first)
    result.update(value=float(value[0]), baseline_rss_kib=base,
                  fit_peak_above_baseline_kib=peak - base)
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


def class_scores(model):
    """What a classifier's ROC and PR AUC need: probabilities, else decision values."""
    if getattr(model, "_estimator_type", "") != "classifier":
        return None, None
    for name in ("predict_proba", "decision_function"):
        try:
            fn = getattr(model, name)
        except AttributeError:  # SVC(probability=False).predict_proba
            continue
        return name, fn
    return None, None


def save_attributes(model, outdir, np):
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
            np.save(os.path.join(outdir, f"sklearn_attr_{name}.npy"), flat)
    return attrs


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "metric":
        ap = argparse.ArgumentParser()
        ap.add_argument("mode")
        ap.add_argument("metric")
        ap.add_argument("outdir")
        ap.add_argument("--threads", type=int, default=0)
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
    ap.add_argument("--x")
    ap.add_argument("--y")
    ap.add_argument("--x-test")
    ap.add_argument("--threads", type=int, default=0)
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
    X = np.load(a.x or os.path.join(a.outdir, "X.npy"))
    X_test = np.load(a.x_test) if a.x_test else X
    is_supervised = getattr(cls, "_estimator_type", "") in ("regressor", "classifier")
    y = np.load(a.y or os.path.join(a.outdir, "y.npy")) if is_supervised else None
    result = {"sklearn_version": sklearn.__version__, "threads": threads}
    state = {}

    def predictor(model):
        return getattr(model, "predict", None) or getattr(model, "transform", None)

    def run(kind):
        if kind == "fit":
            state["model"] = cls(**kwargs).fit(X, y) if y is not None else cls(**kwargs).fit(X)
        else:  # the latest model's; its output is kept for the parity check
            state["out_model"] = state["model"]
            state["out"] = predictor(state["model"])(X_test)

    with threadpool_limits(limits=threads):
        reset_peak()
        base, _ = rss_kib()
        first = list(timed(run, "fit"))
        result["first_fit_ns"] = first[0]
        _, peak = rss_kib()
        result.update(baseline_rss_kib=base, fit_peak_above_baseline_kib=peak - base)
        model = state["model"]
        state["predict"] = predictor(model)
        if state["predict"] is not None:
            reset_peak()
            base, _ = rss_kib()
            first += timed(run, "predict")
            _, peak = rss_kib()
            result.update(predict_baseline_rss_kib=base,
                          predict_peak_above_baseline_kib=peak - base)
        serve(run, first, state["predict"] is not None)
        model = state["model"]  # the last fit's
        if state["predict"] is not None:
            predict = predictor(model)
            # The last timed prediction, unless a fit came after it (a long
            # first prediction counted as the only run): no extra predict of
            # many seconds.
            out = state["out"] if state.get("out_model") is model else predict(X_test)
            np.save(os.path.join(a.outdir, "sklearn_pred.npy"),
                    np.asarray(out, dtype=np.float64).reshape(X_test.shape[0], -1))
            name, fn = class_scores(model)
            if fn is not None:
                np.save(os.path.join(a.outdir, "sklearn_scores.npy"),
                        np.asarray(fn(X_test), dtype=np.float64).reshape(X_test.shape[0], -1))
                result["scores"] = name
            if a.latency:
                result["latency"] = latency(predict, X_test, np)
    result["attributes"] = save_attributes(model, a.outdir, np)
    for name, v in references(a.estimator, model, X, y, np).items():
        np.save(os.path.join(a.outdir, f"sklearn_attr_{name}.npy"),
                np.asarray(v, dtype=np.float64).reshape(np.shape(v)[0], -1))
    try:
        with open(os.path.join(a.outdir, "sklearn_model.pkl"), "wb") as f:
            pickle.dump(model, f)
    except (pickle.PicklingError, TypeError, AttributeError):
        pass
    with open(os.path.join(a.outdir, "sklearn.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
