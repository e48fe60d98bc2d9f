#!/usr/bin/python3
"""Bench runner: every registered estimator against scikit-learn on the same
data, checking that both give the same answers on held-out data, and timing
both.

    bench/run quick            (what `make bench` runs)
    bench/run full             (the scaling table, `make bench-full`)
    bench/run SUITE.json [--build DIR] [--only NAME] [--out DIR] [--no-rerun] [--readme]

A suite is data (bench/suites/*.json): workloads naming an estimator, its
parameters, a data set (bundled or generated with a seed), the sizes (and
feature counts) to sweep and the parity checks (docs/PARITY.md §16). For every
workload x size x thread count both sides run in their own child process on
the same .npy files: supervised estimators, transformers and mixtures fit a
training split (75 %, seeded) and predict the held-out 25 %; clusterers fit
all rows. The runner drives both processes run by run, interleaved (A B A B
...). Results land in bench/results/<suite>-<date>/: results.json (every raw
timing), results.csv, results.tex, report.md and PNG plots (bench/report.py,
bench/plots.py). Any MISMATCH or crashed side makes the exit status non-zero.
"""
import argparse
import datetime
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import numpy as np

import dendrogram
import plots
import provenance
import quality
import report
import sides
import stats

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
PY = "/usr/bin/python3"
TEST_FRACTION, SPLIT_SEED = 0.25, 0
SPLIT_TASKS = ("regressor", "classifier", "transformer", "density")
COLD_REPEATS = 10
COLD_TASKS = ("regressor", "classifier", "clusterer", "density")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ checks

def load_pair(run_dir, name, against=None):
    """The two sides' arrays for a check target: 'pred' or 'attr:NAME'; with
    `against`, scikit-learn's side is its reference array of that name
    (sklearn_side.references)."""
    if name == "pred":
        a, b = run_dir / "mlcore_pred.npy", run_dir / "sklearn_pred.npy"
    else:
        attr = name.split(":", 1)[1]
        a, b = run_dir / f"mlcore_attr_{attr}.npy", run_dir / f"sklearn_attr_{attr}.npy"
    if against:
        b = run_dir / f"sklearn_attr_{against}.npy"
    if not a.exists() or not b.exists():
        missing = [str(p.name) for p in (a, b) if not p.exists()]
        raise KeyError(f"missing {', '.join(missing)}")
    return np.load(a).ravel(), np.load(b).ravel()


def scalar_pair(mine, theirs, name):
    if name in ("score", "value"):
        return mine.get(name), theirs.get(name)
    return mine.get("attributes", {}).get(name), theirs.get("attributes", {}).get(name)


def run_check(check, run_dir, mine, theirs):
    """Returns (ok, measured difference, description)."""
    kind = check["kind"]
    name = check.get("name", "pred")
    if kind == "array":
        against = check.get("against")
        a, b = load_pair(run_dir, name, against)
        if a.shape != b.shape:
            return False, float("inf"), f"{name} shape {a.shape} vs {b.shape}"
        scale = max(np.max(np.abs(b)) if b.size else 0.0, check.get("floor", 1e-300))
        diff = float(np.max(np.abs(a - b)) / scale) if a.size else 0.0
        vs = f" vs scikit-learn's {against}" if against else ""
        return diff <= check["rtol"], diff, f"{name}{vs} max rel diff <= {check['rtol']:g}"
    if kind == "scalar":
        a, b = scalar_pair(mine, theirs, name)
        if a is None or b is None:
            return False, float("inf"), f"{name} missing"
        diff = abs(a - b) / max(abs(b), check.get("floor", 1e-300))
        return diff <= check["rtol"], diff, f"{name} rel diff <= {check['rtol']:g}"
    if kind == "ari":
        from sklearn.metrics import adjusted_rand_score
        a, b = load_pair(run_dir, name)
        ari = adjusted_rand_score(b.astype(np.int64), a.astype(np.int64))
        return ari >= check["min"], 1.0 - ari, f"ARI({name}) >= {check['min']:g}"
    if kind == "match_fraction":
        a, b = load_pair(run_dir, name)
        frac = float(np.mean(a == b))
        return frac >= check["min"], 1.0 - frac, f"{name} equal on >= {check['min']:.0%}"
    raise ValueError(f"unknown check kind {kind}")


DEFAULT_CHECKS = {
    "transformer": [{"kind": "array", "name": "pred", "rtol": 1e-12, "floor": 1.0}],
    "regressor": [{"kind": "array", "name": "pred", "rtol": 1e-9}],
    "classifier": [{"kind": "match_fraction", "name": "pred", "min": 0.99}],
    "clusterer": [{"kind": "ari", "name": "attr:labels_", "min": 0.99}],
    "density": [{"kind": "ari", "name": "pred", "min": 0.99}],
}


def default_checks(task, suite_checks):
    """The suite's checks, and a comparison of the predictions on the test
    split when the suite names none (at the loosest array tolerance it uses)."""
    checks = list(suite_checks or DEFAULT_CHECKS.get(task, []))
    if task in ("regressor", "transformer") and not any(c.get("name", "pred") == "pred"
                                                        for c in checks):
        rtol = max([c["rtol"] for c in checks if c["kind"] == "array"] or [1e-9])
        checks.append({"kind": "array", "name": "pred", "rtol": rtol})
    if task == "classifier" and not any(c.get("name", "pred") == "pred" for c in checks):
        checks.append({"kind": "match_fraction", "name": "pred", "min": 0.99})
    return checks


# -------------------------------------------------------------------- data

def shared_inputs(spec, data_dir):
    """Random inputs both sides must share (initial centres ...), as files."""
    out = {}
    X = None
    for name, how in (spec or {}).items():
        if X is None:
            X = np.load(data_dir / "X.npy")
        rng = np.random.RandomState(how.get("seed", 0))
        rows = rng.choice(X.shape[0], size=how["k"], replace=False)
        path = data_dir / f"shared_{name}.npy"
        np.save(path, X[np.sort(rows)])
        out[name] = path
    return out


def split_data(ddir):
    """X_train/X_test (and y) beside X.npy: a seeded 75/25 permutation split."""
    X = np.load(ddir / "X.npy")
    y = np.load(ddir / "y.npy") if (ddir / "y.npy").exists() else None
    n = X.shape[0]
    n_test = min(max(1, int(round(n * TEST_FRACTION))), n - 1) if n > 1 else 0
    perm = np.random.RandomState(SPLIT_SEED).permutation(n)
    test, train = np.sort(perm[:n_test]), np.sort(perm[n_test:])
    np.save(ddir / "X_train.npy", X[train])
    np.save(ddir / "X_test.npy", X[test])
    if y is not None:
        np.save(ddir / "y_train.npy", y[train])
        np.save(ddir / "y_test.npy", y[test])


def make_data(bench_bin, w, n, d, work, made, timeout):
    spec = dict(w["data"])
    if n:
        spec["n_samples"] = n
    if d:
        spec["n_features"] = d
    key = json.dumps(spec, sort_keys=True)
    if key not in made:
        ddir = work / f"data-{len(made)}"
        ddir.mkdir(parents=True, exist_ok=True)
        (ddir / "spec.json").write_text(json.dumps(spec))
        p = subprocess.run([str(bench_bin), "gen", str(ddir / "spec.json"), str(ddir)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout)
        err = None if p.returncode == 0 else f"exit {p.returncode}: {p.stderr.strip()[-200:]}"
        if not err:
            split_data(ddir)
        made[key] = (ddir, err)
    return made[key]


# ----------------------------------------------------------- whole process

PROCESS_ROUNDS = 7


def process_times(mlcore_bin, est, params, threads, run_dir, sk_spec, env, timeout):
    """The whole `mlcore fit` from the shell, as a user runs it: a new process
    per run that loads X.npy (and y.npy), fits, writes the model and prints
    its summary (with the training score), timed as wall clock from outside;
    and the same with --quiet (load + fit + save only). Interleaved, round by
    round, with scikit-learn's fit alone (sklearn_side.py, data already in
    memory, one fit per round). Returns medians, or an error."""
    cmd = ([str(mlcore_bin), "fit", est, "--data", str(run_dir / "X.npy")]
           + (["--y", str(run_dir / "y.npy")] if (run_dir / "y.npy").exists() else [])
           + ["--model", str(run_dir / "process_model.json"), "--threads", str(threads)]
           + [x for k, v in params.items() for x in (f"--{k}", str(v))])
    forms = {"process": cmd, "process_quiet": cmd + ["--quiet"]}
    times = {k: [] for k in forms}
    try:
        sk = sides.start_all([sk_spec], timeout)[0]
    except sides.SideError as e:
        return {"process_error": f"scikit-learn {e}"}
    try:
        for r in range(PROCESS_ROUNDS):
            for k in (list(forms) if r % 2 == 0 else list(forms)[::-1]):
                for _ in range(2):
                    t0 = time.perf_counter()
                    p = subprocess.run(forms[k], env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True, timeout=timeout)
                    if p.returncode:
                        return {"process_error": f"exit {p.returncode}: {p.stderr.strip()[-200:]}"}
                    times[k].append(time.perf_counter() - t0)
            sk.run("fit")
    except sides.SideError as e:
        return {"process_error": f"scikit-learn {e}"}
    finally:
        sk.kill()
    out = {"process_sklearn_fit": float(np.median(sk.times["fit"])),
           "process_sklearn_fit_times": sk.times["fit"]}
    for k, ts in times.items():
        s = stats.summary(ts)
        out.update({f"{k}_time": s["median"], f"{k}_time_q1": s["q1"], f"{k}_time_q3": s["q3"],
                    f"{k}_time_runs": s["runs"], f"{k}_times": ts})
        out[f"{k}_speedup"] = out["process_sklearn_fit"] / out[f"{k}_time"]
    return out


def startup_time(mlcore_bin):
    """A process that only starts and exits (`mlcore --version`), and one
    that does less still (/bin/true): what every process pays."""
    out = {}
    for k, cmd in (("mlcore_version", [str(mlcore_bin), "--version"]), ("true", ["/bin/true"])):
        ts = []
        for _ in range(21):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            ts.append(time.perf_counter() - t0)
        out[k] = stats.summary(ts)
    return out


# -------------------------------------------------------- cold start, baseline

def cold_start(mlcore_bin, models):
    """Per estimator kind: a fresh `mlcore predict` loading the saved model and
    predicting one row, against a fresh /usr/bin/python3 that imports
    scikit-learn, unpickles the same model (fitted by scikit-learn on the same
    data) and predicts; COLD_REPEATS runs each, interleaved."""
    out = {}
    for task, m in models.items():
        py = ("import sklearn, pickle, numpy as np;"
              f"m = pickle.load(open({str(m['pkl'])!r}, 'rb'));"
              f"print(m.predict(np.load({str(m['row'])!r})))")
        cmds = {"mlcore": [str(mlcore_bin), "predict", "--model", str(m["model"]), "--data",
                           str(m["row"]), "--quiet"],
                "sklearn": [PY, "-c", py]}
        times = {k: [] for k in cmds}
        try:
            for _ in range(COLD_REPEATS):
                for side, cmd in cmds.items():
                    t0 = time.perf_counter()
                    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   check=True, timeout=120)
                    times[side].append(time.perf_counter() - t0)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            out[task] = {"estimator": m["estimator"], "workload": m["workload"],
                         "error": str(e)[:200]}
            continue
        out[task] = {"estimator": m["estimator"], "workload": m["workload"],
                     "mlcore": stats.summary(times["mlcore"]),
                     "sklearn": stats.summary(times["sklearn"]),
                     "mlcore_times": times["mlcore"], "sklearn_times": times["sklearn"],
                     "ratio": stats.paired_speedup(times["mlcore"], times["sklearn"])}
    return out


def idle_baselines(bench_bin, modules):
    """Resident memory of an idle process: mlcore_bench (the library loaded,
    nothing done) against python -c "import sklearn.<module>" per module."""
    def rss(cmd):
        vals = []
        for _ in range(3):
            p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=120)
            if p.returncode == 0:
                vals.append(json.loads(p.stdout)["rss_kib"])
        return int(np.median(vals)) if vals else None
    out = {"mlcore": rss([str(bench_bin), "idle"]), "sklearn": {}}
    for mod in sorted(modules):
        code = (f"import {mod}, json\n"
                "for l in open('/proc/self/status'):\n"
                "    if l.startswith('VmRSS:'): print(json.dumps({'rss_kib': int(l.split()[1])}))")
        out["sklearn"][mod] = rss([PY, "-c", code])
    return out


# --------------------------------------------------------------------- row

def side_fields(row, prefix, side, res):
    """Timings, their statistics, CPU utilisation and memory of one side."""
    for kind in ("fit", "predict"):
        ts = side.times[kind] if side else []
        if not ts:
            continue
        s = stats.summary(ts)
        row[f"{prefix}_{kind}"] = s["median"]
        for k in ("runs", "q1", "q3", "iqr", "min", "max"):
            row[f"{prefix}_{kind}_{k}"] = s[k]
        row[f"{prefix}_{kind}_times"] = ts
        row[f"{prefix}_{kind}_cpu_times"] = side.cpu[kind]
        row[f"{prefix}_{kind}_cpu_util"] = sum(side.cpu[kind]) / sum(ts) if sum(ts) else None
        row[f"{prefix}_{kind}_first_counted"] = kind in side.first_counted
    for k in ("baseline_rss_kib", "fit_peak_above_baseline_kib", "predict_baseline_rss_kib",
              "predict_peak_above_baseline_kib", "latency", "scores"):
        if k in res:
            row[f"{prefix}_{k}"] = res[k]
    if "first_fit_ns" in res:
        row[f"{prefix}_first_fit"] = res["first_fit_ns"] * 1e-9


def row_quality(task, run_dir, ddir, res_m, res_s):
    """Both sides' quality figures on the test split (clusterers: on all rows)."""
    out = {}
    y_test = np.load(ddir / "y_test.npy") if (ddir / "y_test.npy").exists() else None
    for side, res in (("mlcore", res_m), ("sklearn", res_s)):
        try:
            if task == "regressor" and y_test is not None:
                out[side] = quality.regression(y_test, np.load(run_dir / f"{side}_pred.npy"))
            elif task == "classifier" and y_test is not None:
                sc = run_dir / f"{side}_scores.npy"
                y_train = np.load(ddir / "y_train.npy")
                out[side] = quality.classification(
                    y_test, np.load(run_dir / f"{side}_pred.npy"),
                    np.load(sc) if sc.exists() else None, np.unique(y_train))
            elif task == "density":
                out[side] = quality.clustering(np.load(ddir / "X_test.npy"),
                                               np.load(run_dir / f"{side}_pred.npy"), y_test)
            elif task == "clusterer":
                lab = run_dir / f"{side}_attr_labels_.npy"
                truth = np.load(ddir / "y.npy") if (ddir / "y.npy").exists() else None
                out[side] = quality.clustering(np.load(ddir / "X.npy"), np.load(lab), truth,
                                               res.get("attributes", {}).get("inertia_"))
        except (OSError, ValueError) as e:
            out[side] = {"error": str(e)[:200]}
    return out


def run_row(ctx, w, n, d, threads, first_threads, attempt):
    a, cores = ctx["args"], os.cpu_count()
    est = w.get("estimator") or w["metric"]
    is_metric = "metric" in w
    # "sklearn": false - a size scikit-learn cannot run (agglomerative ward at
    # 100 000 rows needs its 40 GB matrix): libmlcore alone, no parity checks
    alone = w.get("sklearn") is False and not is_metric
    # "sklearn_serial": true - scikit-learn's code for this estimator runs on one
    # thread whatever the setting (libsvm, liblinear, scipy's linkage): a row at
    # a further thread count reuses the first thread count's scikit-learn runs
    # and outputs (same data files) instead of repeating fits of many seconds.
    serial_key = (w["name"], n, d)
    reuse = (ctx["sklearn_serial"].get(serial_key)
             if w.get("sklearn_serial") and threads != first_threads and not alone else None)
    task = "metric" if is_metric else ctx["registered"].get(est)
    row = {"workload": w["name"], "estimator": est, "task": task, "threads": threads,
           "n_samples": n or 0, "n_features": d or 0}
    if not is_metric and task is None:
        row["error"] = (f"unknown estimator {est} (registered: "
                        f"{', '.join(sorted(ctx['registered']))})")
        return row
    ddir, err = make_data(ctx["bench_bin"], w, n, d, ctx["work"], ctx["data_made"], a.timeout)
    if err:
        row["error"] = f"data: {err}"
        return row
    X = np.load(ddir / "X.npy", mmap_mode="r")
    row.update(n_samples=int(X.shape[0]), n_features=int(X.shape[1]))
    ctx["run_id"] += 1
    run_dir = ctx["work"] / f"run-{ctx['run_id']}"
    run_dir.mkdir(parents=True, exist_ok=True)
    for f in ("X.npy", "y.npy"):
        if (ddir / f).exists():
            os.symlink(ddir / f, run_dir / f)
    (run_dir / "params.json").write_text(json.dumps(w.get("params", {})))
    # scikit-learn's spelling where it differs (a null drops the parameter).
    sk_params = dict(w.get("params", {}), **w.get("sklearn_params", {}))
    (run_dir / "sklearn_params.json").write_text(json.dumps(sk_params))
    mats = [x for k, p in shared_inputs(w.get("shared"), ddir).items()
            for x in ("--matrix", f"{k}={p}")]
    split = task in SPLIT_TASKS
    if split:
        files = ["--x", str(ddir / "X_train.npy"), "--x-test", str(ddir / "X_test.npy")]
        if (ddir / "y_train.npy").exists():
            files += ["--y", str(ddir / "y_train.npy")]
        row.update(n_train=int(np.load(ddir / "X_train.npy", mmap_mode="r").shape[0]),
                   n_test=int(np.load(ddir / "X_test.npy", mmap_mode="r").shape[0]))
    else:
        files = ["--x", str(ddir / "X.npy")]
        if (ddir / "y.npy").exists():
            files += ["--y", str(ddir / "y.npy")]
        row.update(n_train=row["n_samples"], n_test=row["n_samples"])
    common = ["--threads", str(threads)] + mats
    # Latency at the lowest thread count of each workload (one row served at a time).
    # With "latency_largest_only" in the suite, at the workload's largest size (and
    # feature count) only: one served model per workload, not one per size.
    largest = ((n or 0) == max(w.get("sizes") or [0]) and (d or 0) == max(w.get("features") or [0]))
    if (not is_metric and threads == first_threads and w.get("latency", True)
            and (largest or not ctx["suite"].get("latency_largest_only"))):
        common.append("--latency")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    if is_metric:
        specs = [("mlcore", [str(ctx["bench_bin"]), "metric", est, str(run_dir),
                             "--threads", str(threads)]),
                 ("sklearn", [PY, str(HERE / "sklearn_side.py"), "metric", est, str(run_dir),
                              "--threads", str(threads)])]
    else:
        specs = [("mlcore", [str(ctx["bench_bin"]), "fit", est, str(run_dir / "params.json"),
                             str(run_dir)] + files + common)]
        if not alone and not reuse:
            specs.append(("sklearn", [PY, str(HERE / "sklearn_side.py"), est,
                                      str(run_dir / "sklearn_params.json"), str(run_dir)]
                          + files + common))
    repeats = int(w.get("repeats", ctx["suite"].get("repeats", 3)))
    budget = w.get("row_budget_seconds", ctx["suite"].get("row_budget_seconds"))
    min_seconds = ctx["suite"].get("min_seconds", sides.MIN_SECONDS)
    row["row_budget_seconds"] = budget
    probe = provenance.LoadProbe()
    errors, live = {}, []
    # Started one after the other: each side's first fit (its memory reading)
    # runs alone.
    for name, cmd in specs:
        try:
            live += sides.start_all([(name, cmd, env, run_dir / f"{name}.stderr")], a.timeout)
        except sides.SideError as e:
            errors[name] = str(e)
    try:
        if live:
            sides.interleave(live, "fit", repeats, budget, min_seconds=min_seconds)
            pred = [s for s in live if s.can_predict]
            if pred:
                sides.interleave(pred, "predict", repeats, budget, min_seconds=min_seconds)
        for s in live:
            try:
                s.finish()
            except sides.SideError as e:
                errors[s.name] = str(e)
    except sides.SideError as e:
        errors["run"] = str(e)  # names the side
    finally:
        for s in live:
            s.kill()
    row.update(probe.finish(cores, threads))
    row["attempt"] = attempt
    by_name = {s.name: s for s in live}
    if reuse:
        for f in reuse["dir"].glob("sklearn*"):
            shutil.copyfile(f, run_dir / f.name)
        by_name["sklearn"] = reuse["side"]
        row["sklearn_reused_from_threads"] = first_threads
    elif w.get("sklearn_serial") and "sklearn" in by_name and not errors:
        ctx["sklearn_serial"][serial_key] = {"dir": run_dir, "side": by_name["sklearn"]}
    res = {}
    for name in ("mlcore", "sklearn"):
        path = run_dir / f"{name}.json"
        res[name] = json.loads(path.read_text()) if path.exists() and name not in errors else {}
        if name in by_name:
            side_fields(row, name, by_name[name], res[name])
    names = {"mlcore": "libmlcore ", "sklearn": "scikit-learn ", "run": ""}
    row["error"] = "; ".join(f"{names[k]}{v}" for k, v in errors.items())
    row.update(params=w.get("params", {}), data=w["data"])
    if not row["error"] and not alone:
        for kind in ("fit", "predict"):
            ci = stats.speedup(row.get(f"mlcore_{kind}_times", []),
                               row.get(f"sklearn_{kind}_times", []))
            if ci:
                row[f"{kind}_speedup"] = ci["speedup"]
                row[f"{kind}_speedup_paired"] = ci["paired"]
                row[f"{kind}_speedup_no_interval"] = ci["no_interval"]
                row[f"{kind}_speedup_lo"], row[f"{kind}_speedup_hi"] = ci["lo"], ci["hi"]
                row[f"{kind}_speedup_spans_one"] = ci["spans_one"]
        # Time per iteration for iterative estimators (fit time / n_iter_).
        it_m = res["mlcore"].get("attributes", {}).get("n_iter_")
        it_s = res["sklearn"].get("attributes", {}).get("n_iter_")
        if it_m and it_s and row.get("mlcore_fit") and row.get("sklearn_fit"):
            row.update(mlcore_n_iter=it_m, sklearn_n_iter=it_s,
                       mlcore_per_iter=row["mlcore_fit"] / it_m,
                       sklearn_per_iter=row["sklearn_fit"] / it_s)
    checks = []
    if not row["error"] and not alone:
        if is_metric:
            wanted = w.get("checks") or [{"kind": "scalar", "name": "value", "rtol": 1e-10}]
        else:
            wanted = default_checks(task, w.get("checks"))
        for c in wanted:
            try:
                ok, diff, detail = run_check(c, run_dir, res["mlcore"], res["sklearn"])
            except (KeyError, ValueError) as e:
                ok, diff, detail = False, float("inf"), f"{c.get('name')}: {e}"
            checks.append({"ok": bool(ok), "diff": float(diff), "detail": detail})
        if not is_metric:
            row["quality"] = row_quality(task, run_dir, ddir, res["mlcore"], res["sklearn"])
    row["checks"] = checks
    row["parity"] = ("FAILED" if row["error"] else "libmlcore alone" if alone else
                     "match" if checks and all(c["ok"] for c in checks) else "MISMATCH")
    row["parity_detail"] = "; ".join(c["detail"] for c in checks)
    row["parity_diff"] = max((c["diff"] for c in checks), default=float("nan"))
    if w.get("process", ctx["suite"].get("process")) and not is_metric and not row["error"]:
        sk_spec = ("sklearn", [PY, str(HERE / "sklearn_side.py"), est,
                               str(run_dir / "sklearn_params.json"), str(run_dir), "--x",
                               str(ddir / "X.npy")]
                   + (["--y", str(ddir / "y.npy")] if (ddir / "y.npy").exists() else [])
                   + ["--threads", str(threads)] + mats, env, run_dir / "process.stderr")
        row.update(process_times(ctx["mlcore_bin"], est, w.get("params", {}), threads, run_dir,
                                 sk_spec, env, a.timeout))
    # The first model of each estimator kind with a prediction: the cold start's
    # (transformers have no `mlcore predict`).
    if (task in COLD_TASKS and task not in ctx["cold_models"]
            and (run_dir / "mlcore_model.json").exists()
            and (run_dir / "sklearn_model.pkl").exists() and row.get("mlcore_predict")):
        cdir = ctx["work"] / "cold" / task
        cdir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(run_dir / "mlcore_model.json", cdir / "model.json")
        shutil.copyfile(run_dir / "sklearn_model.pkl", cdir / "model.pkl")
        xt = ddir / ("X_test.npy" if split else "X.npy")
        np.save(cdir / "row.npy", np.load(xt)[:1])
        ctx["cold_models"][task] = {"estimator": est, "workload": w["name"],
                                    "model": cdir / "model.json", "pkl": cdir / "model.pkl",
                                    "row": cdir / "row.npy"}
    return row


# -------------------------------------------------------------------- main

def thread_counts(spec, cores):
    """A suite's thread list: numbers (0 = all cores) or "1..cores"."""
    if spec == "1..cores":
        return list(range(1, cores + 1))
    return sorted({t if t > 0 else cores for t in spec})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("suite")
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--out")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--no-rerun", action="store_true",
                    help="keep a row measured while another process held a core it needed "
                         "(marked) instead of measuring it once more")
    ap.add_argument("--readme", action="store_true",
                    help="put this run's summary table and speedup plot into README.md")
    a = ap.parse_args()
    suite_path = pathlib.Path(a.suite)
    if not suite_path.exists():
        suite_path = HERE / "suites" / f"{a.suite}.json"
    if not suite_path.exists():
        log(f"bench: no suite {a.suite} (known: "
            f"{', '.join(p.stem for p in sorted((HERE / 'suites').glob('*.json')))})")
        return 2
    suite = json.loads(suite_path.read_text())
    build = pathlib.Path(a.build)
    mlcore_bin, bench_bin = build / "mlcore", build / "mlcore_bench"
    for b in (mlcore_bin, bench_bin):
        if not b.exists():
            log(f"bench: {b} is missing; build first (make build)")
            return 2
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = pathlib.Path(a.out) if a.out else HERE / "results" / f"{suite['name']}-{stamp}"
    out_dir.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count()
    ctx = {"args": a, "suite": suite, "bench_bin": bench_bin, "mlcore_bin": mlcore_bin,
           "work": out_dir / "work", "data_made": {}, "run_id": 0, "cold_models": {},
           "sklearn_serial": {},
           "registered": {e["name"]: e["task"] for e in json.loads(subprocess.run(
               [str(mlcore_bin), "estimators", "--json"], stdout=subprocess.PIPE, text=True,
               check=True).stdout)}}
    info = provenance.machine_info(ROOT, bench_bin, mlcore_bin)
    info["suite_file"] = str(suite_path.relative_to(ROOT) if suite_path.is_relative_to(ROOT)
                             else suite_path)
    workloads = [w for w in suite["workloads"] if not a.only or w["name"] in a.only]
    plan = []
    for w in workloads:
        ths = thread_counts(w.get("threads", suite.get("threads", [1, 0])), cores)
        for d in w.get("features") or [None]:
            for n in w.get("sizes") or [None]:
                for t in ths:
                    plan.append((w, n, d, t, ths[0]))
    rows, failed, rerun_spent = [], 0, 0.0
    t_start = time.perf_counter()
    for i, (w, n, d, t, t0) in enumerate(plan, 1):
        prefix = (f"[{i}/{len(plan)}] {w['name']}" + (f" n={n}" if n else "")
                  + (f" d={d}" if d else "") + f" threads={t}")
        log(prefix + " ...")
        row_start = time.perf_counter()
        row = run_row(ctx, w, n, d, t, t0, 1)
        took = time.perf_counter() - row_start
        rerun_max = suite.get("rerun_max_seconds")
        rerun_budget = suite.get("rerun_budget_seconds")
        # A row measured under load is kept and marked, not run again, when it
        # is long or the suite's re-runs have used their budget: on a busy
        # machine re-running every row would double the suite's time.
        if row.get("loaded") and rerun_max is not None and took > rerun_max:
            row["rerun_skipped"] = "long row"
        elif (row.get("loaded") and rerun_budget is not None
              and rerun_spent + took > rerun_budget):
            row["rerun_skipped"] = "re-run budget spent"
        elif row.get("loaded") and not a.no_rerun and not row.get("error"):
            rerun_spent += took
            log(f"{prefix} other processes held {row['others_cores']:.2f} cores: once more")
            first = {k: row.get(k) for k in ("start", "load_before", "load_after",
                                              "others_cores", "fit_speedup", "mlcore_fit",
                                              "sklearn_fit")}
            row = run_row(ctx, w, n, d, t, t0, 2)
            row["first_attempt"] = first
        row["row_seconds"] = time.perf_counter() - row_start
        if row["parity"] not in ("match", "libmlcore alone") or row.get("process_error"):
            failed += 1
        rows.append(row)
        speed = (f" fit {row['fit_speedup']:.2f}× [{row['fit_speedup_lo']:.2f}, "
                 f"{row['fit_speedup_hi']:.2f}]" if row.get("fit_speedup") else "")
        log(f"{prefix} {row['parity']} (diff {row.get('parity_diff', float('nan')):.2g}){speed}"
            + f" {row['row_seconds']:.1f} s"
            + (" LOADED" if row.get("loaded") else "")
            + (f" — {row['error']}" if row.get("error") else ""))
    info["rows_s"] = time.perf_counter() - t_start
    dendro = None
    if suite.get("dendrogram"):
        spec = suite["dendrogram"]
        ddir, err = make_data(bench_bin, spec, None, None, ctx["work"], ctx["data_made"],
                              a.timeout)
        name = spec["data"].get("bundled") or spec["data"].get("generator")
        dendro = ({"error": f"data: {err}"} if err else
                  dendrogram.write(out_dir, mlcore_bin, ddir / "X.npy", name,
                                   spec.get("linkage", "ward"), a.timeout))
        if dendro.get("error"):
            failed += 1
            log(f"bench: dendrogram: {dendro['error']}")
    cold = cold_start(mlcore_bin, ctx["cold_models"]) if suite.get("cold_start") else None
    startup = startup_time(mlcore_bin) if any(r.get("process_time") for r in rows) else None
    modules = {report.sklearn_module(r["estimator"]) for r in rows if r["task"] != "metric"}
    baselines = idle_baselines(bench_bin, {m for m in modules if m})
    info["duration_s"] = time.perf_counter() - t_start
    info["budget_seconds"] = suite.get("budget_seconds")
    if info["budget_seconds"] and info["duration_s"] > info["budget_seconds"] and not a.only:
        log(f"bench: the suite took {info['duration_s']:.0f} s, over its budget of "
            f"{info['budget_seconds']} s (the report lists the costliest rows)")
    report.write_all(out_dir, suite, info, rows, cold, startup, baselines, dendro)
    plots.write_all(out_dir, rows)
    if a.readme:
        report.update_readme(ROOT, HERE, out_dir, info, rows)
    if not os.environ.get("MLCORE_BENCH_KEEP_WORK"):
        shutil.rmtree(ctx["work"], ignore_errors=True)
    latest = HERE / "results" / f"latest-{suite['name']}"
    if not a.out:
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        try:
            latest.symlink_to(out_dir.name)
        except OSError:
            pass
    log(f"bench: {len(rows)} rows, {failed} failed, {info['duration_s']:.0f} s; "
        f"report: {out_dir / 'report.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
