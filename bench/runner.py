#!/usr/bin/python3
"""Bench runner: every registered estimator against scikit-learn on the same
data, checking that both give the same answers, and timing both.

    bench/run quick            (what `make bench` runs)
    bench/run full             (the scaling table, `make bench-full`)
    bench/run SUITE.json [--build DIR] [--only NAME] [--out DIR]

A suite is data (bench/suites/*.json): workloads naming an estimator, its
parameters, a data set (bundled or generated with a seed), the sizes to
sweep and the parity checks (docs/PARITY.md §16). For every workload x
size x thread count both sides run in their own child process on the same
.npy files; results land in bench/results/<suite>-<date>/ as results.json,
results.csv, report.md and PNG plots. Any MISMATCH or crashed side makes the
exit status non-zero.
"""
import argparse
import csv
import datetime
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
PY = "/usr/bin/python3"


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


# -------------------------------------------------------------- the sides

def run_side(cmd, env, timeout):
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout} s", time.perf_counter() - t0
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
        return f"exit {p.returncode}: {' | '.join(tail)}", time.perf_counter() - t0
    return None, time.perf_counter() - t0


def task_of(mlcore_bin, estimator):
    p = subprocess.run([str(mlcore_bin), "estimators", "--json"], stdout=subprocess.PIPE,
                       text=True, check=True)
    for e in json.loads(p.stdout):
        if e["name"] == estimator:
            return e["task"]
    return None


def shared_inputs(spec, data_dir):
    """Random inputs both sides must share (initial centres ...), as files."""
    out = {}
    X = None
    for name, how in (spec or {}).items():
        if X is None:
            X = np.load(data_dir / "X.npy")
        rng = np.random.RandomState(how.get("seed", 0))
        k = how["k"]
        rows = rng.choice(X.shape[0], size=k, replace=False)
        path = data_dir / f"shared_{name}.npy"
        np.save(path, X[np.sort(rows)])
        out[name] = path
    return out


# ----------------------------------------------------------- whole process

PROCESS_ROUNDS = 7


def process_times(mlcore_bin, est, params, threads, run_dir, sk_cmd, env, timeout):
    """The whole `mlcore fit` from the shell, as a user runs it: a new process
    per run that loads X.npy (and y.npy), fits, writes the model and prints
    its summary (with the training score), timed as wall clock from outside;
    and the same with --quiet (load + fit + save only). Interleaved, round by
    round, with scikit-learn's fit alone (sklearn_side.py, data already in
    memory: its median fit of the round). Returns medians, or an error."""
    cmd = ([str(mlcore_bin), "fit", est, "--data", str(run_dir / "X.npy")]
           + (["--y", str(run_dir / "y.npy")] if (run_dir / "y.npy").exists() else [])
           + ["--model", str(run_dir / "process_model.json"), "--threads", str(threads)]
           + [x for k, v in params.items() for x in (f"--{k}", str(v))])
    forms = {"process": cmd, "process_quiet": cmd + ["--quiet"]}
    times = {k: [] for k in forms}
    sk = []
    for r in range(PROCESS_ROUNDS):
        for k in (list(forms) if r % 2 == 0 else list(forms)[::-1]):
            for _ in range(2):
                t0 = time.perf_counter()
                p = subprocess.run(forms[k], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, timeout=timeout)
                if p.returncode:
                    return {"process_error": f"exit {p.returncode}: {p.stderr.strip()[-200:]}"}
                times[k].append(time.perf_counter() - t0)
        err, _ = run_side(sk_cmd + ["--repeats", "1"], env, timeout)
        if err:
            return {"process_error": f"scikit-learn {err}"}
        sk.append(json.loads((run_dir / "sklearn.json").read_text())["fit_median"])
    out = {"process_sklearn_fit": float(np.median(sk))}
    for k, ts in times.items():
        out.update({f"{k}_time": float(np.median(ts)), f"{k}_time_min": min(ts),
                    f"{k}_time_max": max(ts)})
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
        out[k] = float(np.median(ts))
    return out


# ---------------------------------------------------------------- machine

def machine_info(mlcore_bin):
    info = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "hostname": platform.node(), "cores": os.cpu_count(),
            "platform": platform.platform()}
    try:
        for line in subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    info["mlcore"] = subprocess.run([str(mlcore_bin), "--version"], stdout=subprocess.PIPE,
                                    text=True).stdout.strip()
    import scipy
    import sklearn
    from threadpoolctl import threadpool_info
    info["scikit-learn"] = sklearn.__version__
    info["numpy"] = np.__version__
    info["scipy"] = scipy.__version__
    info["python"] = platform.python_version()
    info["blas"] = sorted({f"{d.get('internal_api')} {d.get('version')} ({d.get('threading_layer')})"
                           for d in threadpool_info() if d.get("user_api") == "blas"})
    return info


def cold_start(mlcore_bin, work):
    """A whole process that loads a model and predicts one row."""
    work.mkdir(parents=True, exist_ok=True)
    model = work / "ridge.json"
    row = work / "row.csv"
    subprocess.run([str(mlcore_bin), "fit", "ridge", "--data", "diabetes", "--model",
                    str(model), "--quiet"], check=True)
    from sklearn.datasets import load_diabetes
    import pickle
    from sklearn.linear_model import Ridge
    X, y = load_diabetes(return_X_y=True)
    with open(work / "ridge.pkl", "wb") as f:
        pickle.dump(Ridge().fit(X, y), f)
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    row.write_text(",".join(names) + "\n" + ",".join(repr(v) for v in X[0]) + "\n")
    py = ("import pickle,numpy as np;m=pickle.load(open(%r,'rb'));"
          "x=np.loadtxt(%r,delimiter=',',skiprows=1).reshape(1,-1);print(m.predict(x)[0])"
          % (str(work / "ridge.pkl"), str(row)))
    cmds = {"mlcore": [str(mlcore_bin), "predict", "--model", str(model), "--data", str(row),
                       "--quiet"],
            "sklearn": [PY, "-c", py]}
    times = {}
    for side, cmd in cmds.items():
        ts = []
        for _ in range(7):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            ts.append(time.perf_counter() - t0)
        times[side] = float(np.median(ts))
    return times


# ----------------------------------------------------------------- report

def fmt_t(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def fmt_spread(r, side, what):
    """median, then half the min-max range as a percentage of it."""
    med, lo, hi = (r.get(f"{side}_{what}{k}") for k in ("", "_min", "_max"))
    if not med or lo is None or hi is None:
        return fmt_t(med)
    return f"{fmt_t(med)} ±{50 * (hi - lo) / med:.0f}%"


def fmt_ratio(a, b):
    return f"{b / a:.1f}×" if a and b else "—"


def write_report(out_dir, suite, info, rows, cold, startup=None):
    with open(out_dir / "results.json", "w") as f:
        json.dump({"suite": suite["name"], "machine": info, "cold_start": cold,
                   "startup": startup, "rows": rows}, f, indent=1)
    fields = ["workload", "estimator", "n_samples", "n_features", "threads", "mlcore_fit",
              "mlcore_fit_min", "mlcore_fit_max", "sklearn_fit", "sklearn_fit_min",
              "sklearn_fit_max", "fit_speedup", "mlcore_predict", "sklearn_predict",
              "predict_speedup", "mlcore_peak_mib", "sklearn_peak_mib", "parity", "parity_detail",
              "parity_diff", "error", "process_time", "process_quiet_time", "process_sklearn_fit",
              "process_speedup", "process_quiet_speedup", "process_error"]
    with open(out_dir / "results.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    L = [f"# libmlcore vs scikit-learn — suite `{suite['name']}`", "",
         suite.get("description", ""), "",
         "## Machine", "",
         f"- date: {info['date']}", f"- CPU: {info.get('cpu', '?')} ({info['cores']} cores)",
         f"- {info['mlcore']}; scikit-learn {info['scikit-learn']}, NumPy {info['numpy']}, "
         f"SciPy {info['scipy']}, Python {info['python']}",
         f"- BLAS (scikit-learn side): {', '.join(info['blas']) or '?'}; libmlcore links OpenBLAS (OpenMP build)",
         f"- repeats: at least {suite.get('repeats', 3)} timed runs after one warm-up, and more "
         "until they add up to 0.2 s (at most 1000); times are medians",
         "- seeds, sizes and parameters: see the suite file and results.json", "",
         "## Parity", "",
         "| workload | n | d | threads | check | difference | result |",
         "|---|---:|---:|---:|---|---:|---|"]
    for r in rows:
        for c in r.get("checks", []):
            L.append(f"| {r['workload']} | {r['n_samples']} | {r['n_features']} | {r['threads']} | "
                     f"{c['detail']} | {c['diff']:.2g} | {'match' if c['ok'] else '**MISMATCH**'} |")
        if r.get("error"):
            L.append(f"| {r['workload']} | {r['n_samples']} | {r['n_features']} | {r['threads']} | "
                     f"— | — | **FAILED**: {r['error']} |")
    L += ["", "## Speed (fit and predict: median ± half the min–max range)", "",
          "| workload | n | d | threads | libmlcore fit | scikit-learn fit | speedup | "
          "libmlcore predict | scikit-learn predict | speedup |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        L.append(f"| {r['workload']} | {r['n_samples']} | {r['n_features']} | {r['threads']} | "
                 f"{fmt_spread(r, 'mlcore', 'fit')} | {fmt_spread(r, 'sklearn', 'fit')} | "
                 f"{fmt_ratio(r.get('mlcore_fit'), r.get('sklearn_fit'))} | "
                 f"{fmt_spread(r, 'mlcore', 'predict')} | {fmt_spread(r, 'sklearn', 'predict')} | "
                 f"{fmt_ratio(r.get('mlcore_predict'), r.get('sklearn_predict'))} |")
    iter_rows = [r for r in rows if r.get("mlcore_per_iter")]
    if iter_rows:
        L += ["", "## Time per iteration (fit time / n_iter_)", "",
              "| workload | n | d | threads | libmlcore n_iter_ | scikit-learn n_iter_ | "
              "libmlcore per iter | scikit-learn per iter | speedup |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in iter_rows:
            L.append(f"| {r['workload']} | {r['n_samples']} | {r['n_features']} | {r['threads']} | "
                     f"{r['mlcore_n_iter']:.0f} | {r['sklearn_n_iter']:.0f} | "
                     f"{fmt_t(r['mlcore_per_iter'])} | {fmt_t(r['sklearn_per_iter'])} | "
                     f"{fmt_ratio(r['mlcore_per_iter'], r['sklearn_per_iter'])} |")
    L += ["", "## Memory (peak resident memory of one fit above the process baseline)", "",
          "| workload | n | d | threads | libmlcore | scikit-learn | data size |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        data_mib = r["n_samples"] * r["n_features"] * 8 / 2**20
        L.append(f"| {r['workload']} | {r['n_samples']} | {r['n_features']} | {r['threads']} | "
                 f"{r.get('mlcore_peak_mib', float('nan')):.1f} MiB | "
                 f"{r.get('sklearn_peak_mib', float('nan')):.1f} MiB | {data_mib:.1f} MiB |")
    lat_rows = [r for r in rows if r.get("mlcore_latency") and r.get("sklearn_latency")]
    if lat_rows:
        L += ["", "## Prediction latency (one process, model in memory)", "",
              "| workload | threads | batch | libmlcore p50 / p95 / p99 | "
              "scikit-learn p50 / p95 / p99 | libmlcore rows/s | scikit-learn rows/s |",
              "|---|---:|---:|---|---|---:|---:|"]
        for r in lat_rows:
            for b in ("1", "32", "1024"):
                m, s = r["mlcore_latency"].get(b), r["sklearn_latency"].get(b)
                if not m or not s:
                    continue
                L.append(f"| {r['workload']} | {r['threads']} | {b} | {fmt_t(m['p50'])} / {fmt_t(m['p95'])} / "
                         f"{fmt_t(m['p99'])} | {fmt_t(s['p50'])} / {fmt_t(s['p95'])} / "
                         f"{fmt_t(s['p99'])} | {m['rows_per_s']:.3g} | {s['rows_per_s']:.3g} |")
    proc_rows = [r for r in rows if r.get("process_time")]
    if proc_rows:
        L += ["", "## Whole process (`mlcore fit` from the shell) against scikit-learn's fit alone", "",
              "A new process per run, timed from outside: `mlcore fit EST --data X.npy --y y.npy "
              "--model m.json` (load the .npy files, fit, write the model, print the summary "
              "with the training score) and the same with `--quiet` (load, fit, write the model), "
              f"{PROCESS_ROUNDS} rounds of two runs each, interleaved with scikit-learn's fit "
              "alone (`EST().fit(X, y)`, data already in memory); medians. "
              "ratio = scikit-learn's fit / the process.", ""]
        if startup:
            L += [f"Start-up alone: `mlcore --version` {fmt_t(startup['mlcore_version'])}, "
                  f"`/bin/true` {fmt_t(startup['true'])} (both as spawned from Python).", ""]
        L += ["| workload | n | d | threads | libmlcore fit only | process | process --quiet | "
              "scikit-learn fit | ratio | ratio --quiet |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in proc_rows:
            L.append(f"| {r['workload']} | {r['n_samples']} | {r['n_features']} | {r['threads']} | "
                     f"{fmt_t(r.get('mlcore_fit'))} | {fmt_spread(r, 'process', 'time')} | "
                     f"{fmt_spread(r, 'process_quiet', 'time')} | {fmt_t(r['process_sklearn_fit'])} | "
                     f"{r['process_speedup']:.2f}× | {r['process_quiet_speedup']:.2f}× |")
    if cold:
        L += ["", "## Cold start (a whole process: load a Ridge model, predict one row)", "",
              f"- `mlcore predict`: {fmt_t(cold['mlcore'])}",
              f"- Python + scikit-learn (import, unpickle, predict): {fmt_t(cold['sklearn'])}",
              f"- ratio: {cold['sklearn'] / cold['mlcore']:.0f}×"]
    scal = {}
    for r in rows:
        if r.get("mlcore_fit") and r.get("sklearn_fit"):
            scal.setdefault((r["workload"], r["threads"]), []).append(r)
    multi = {k: v for k, v in scal.items() if len(v) > 1}
    if multi:
        L += ["", "## Scaling over n (fit time)", "",
              "| workload | threads | " + " | ".join(["n", "libmlcore", "scikit-learn"]) + " |",
              "|---|---:|---:|---:|---:|"]
        for (w, t), rs in sorted(multi.items()):
            for r in sorted(rs, key=lambda r: r["n_samples"]):
                L.append(f"| {w} | {t} | {r['n_samples']} | {fmt_t(r['mlcore_fit'])} | "
                         f"{fmt_t(r['sklearn_fit'])} |")
    L += ["", "## Plots", "", "![fit time against n](fit_time_vs_n.png)", "",
          "![speedup](speedup.png)", ""]
    if lat_rows:
        L += ["![latency](latency.png)", ""]
    (out_dir / "report.md").write_text("\n".join(L) + "\n")


README_BEGIN, README_END = "<!-- bench:quick:begin -->", "<!-- bench:quick:end -->"


def readme_summary(info, rows):
    """The compact parity and speed table the README shows (one line per
    workload and size: both thread counts side by side)."""
    by = {}
    for r in rows:
        by.setdefault((r["workload"], r["n_samples"], r["n_features"]), {})[r["threads"]] = r
    threads = sorted({r["threads"] for r in rows})
    L = [f"Measured {info['date'][:10]} on {info.get('cpu', '?')} ({info['cores']} cores), "
         f"scikit-learn {info['scikit-learn']}, {info['mlcore']}; fit times are medians, "
         "speedup = scikit-learn's time / libmlcore's.", "",
         "| workload | n × d | parity (largest difference) | "
         + " | ".join(f"fit, {t} thread{'s' if t > 1 else ''}: libmlcore / scikit-learn (speedup)"
                      for t in threads) + " | predict speedup |",
         "|---|---:|---|" + "---:|" * len(threads) + "---:|"]
    for (w, n, d), per in by.items():
        any_r = next(iter(per.values()))
        diffs = [c["diff"] for r in per.values() for c in r.get("checks", [])]
        parity = ("FAILED" if any(r.get("error") for r in per.values()) else
                  f"{'match' if all(r['parity'] == 'match' for r in per.values()) else '**MISMATCH**'}"
                  f" ({max(diffs):.1g})" if diffs else "—")
        cells = []
        for t in threads:
            r = per.get(t, {})
            cells.append(f"{fmt_t(r.get('mlcore_fit'))} / {fmt_t(r.get('sklearn_fit'))} "
                         f"({fmt_ratio(r.get('mlcore_fit'), r.get('sklearn_fit'))})")
        pr = any_r.get("predict_speedup")
        L.append(f"| {w} | {n} × {d} | {parity} | " + " | ".join(cells)
                 + f" | {f'{pr:.1f}×' if pr else '—'} |")
    return "\n".join(L)


def update_readme(out_dir, info, rows):
    """Puts the summary table and the speedup plot into README.md."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    if README_BEGIN not in text or README_END not in text:
        log(f"bench: README.md has no {README_BEGIN} ... {README_END} section; not updated")
        return
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    plot = HERE / "results" / "quick-speedup.png"
    if (out_dir / "speedup.png").exists():
        shutil.copyfile(out_dir / "speedup.png", plot)
    body = (readme_summary(info, rows) + "\n\n"
            + f"![fit speedup over scikit-learn per workload]({plot.relative_to(ROOT)})\n")
    readme.write_text(head + README_BEGIN + "\n" + body + README_END + tail)
    log("bench: README.md tables and plot updated")


def write_plots(out_dir, rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ok = [r for r in rows if r.get("mlcore_fit") and r.get("sklearn_fit")]
    if not ok:
        return
    # Time against n per estimator (all-core rows), log axes.
    by_est = {}
    for r in ok:
        by_est.setdefault(r["workload"], []).append(r)
    fig, ax = plt.subplots(figsize=(8, 5))
    for i, (w, rs) in enumerate(sorted(by_est.items())):
        tmax = max(r["threads"] for r in rs)
        rs = sorted([r for r in rs if r["threads"] == tmax], key=lambda r: r["n_samples"])
        n = [r["n_samples"] for r in rs]
        color = f"C{i % 10}"
        ax.plot(n, [r["mlcore_fit"] for r in rs], "o-", color=color, label=f"{w} libmlcore")
        ax.plot(n, [r["sklearn_fit"] for r in rs], "s--", color=color, alpha=0.6,
                label=f"{w} scikit-learn")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n_samples")
    ax.set_ylabel("fit time (s)")
    ax.set_title("fit time against n (solid: libmlcore, dashed: scikit-learn)")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(out_dir / "fit_time_vs_n.png", dpi=110)
    plt.close(fig)
    # Speedup per row.
    fig, ax = plt.subplots(figsize=(8, max(3, 0.25 * len(ok))))
    labels = [f"{r['workload']} n={r['n_samples']} t={r['threads']}" for r in ok]
    ax.barh(range(len(ok)), [r["sklearn_fit"] / r["mlcore_fit"] for r in ok], color="C0")
    ax.set_yticks(range(len(ok)))
    ax.set_yticklabels(labels, fontsize=6)
    ax.set_xscale("log")
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_xlabel("fit speedup over scikit-learn (×, log scale)")
    fig.tight_layout()
    fig.savefig(out_dir / "speedup.png", dpi=110)
    plt.close(fig)
    lat = [r for r in rows if r.get("mlcore_latency") and r.get("sklearn_latency")]
    if lat:
        fig, ax = plt.subplots(figsize=(8, 4))
        x = 0
        ticks, names = [], []
        for r in lat:
            for b in ("1", "32", "1024"):
                m, s = r["mlcore_latency"].get(b), r["sklearn_latency"].get(b)
                if not m or not s:
                    continue
                for j, q in enumerate(("p50", "p95", "p99")):
                    ax.bar(x + j * 0.12, m[q], width=0.1, color=f"C{j}")
                    ax.bar(x + 0.4 + j * 0.12, s[q], width=0.1, color=f"C{j}", alpha=0.4)
                ticks.append(x + 0.35)
                names.append(f"{r['workload']}\nbatch {b}")
                x += 1
        ax.set_xticks(ticks)
        ax.set_xticklabels(names, fontsize=6)
        ax.set_yscale("log")
        ax.set_ylabel("latency (s): p50/p95/p99, solid libmlcore, light scikit-learn")
        fig.tight_layout()
        fig.savefig(out_dir / "latency.png", dpi=110)
        plt.close(fig)


# -------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("suite")
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--out")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--readme", action="store_true",
                    help="put this run's parity/speed summary and speedup plot into README.md")
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
    work = out_dir / "work"
    info = machine_info(mlcore_bin)
    cores = os.cpu_count()
    registered = {e["name"]: e["task"] for e in json.loads(subprocess.run(
        [str(mlcore_bin), "estimators", "--json"], stdout=subprocess.PIPE, text=True,
        check=True).stdout)}
    workloads = [w for w in suite["workloads"] if not a.only or w["name"] in a.only]
    plan = []
    for w in workloads:
        sizes = w.get("sizes") or [None]
        for n in sizes:
            for t in w.get("threads", suite.get("threads", [1, 0])):
                plan.append((w, n, t))
    rows, failed = [], 0
    data_made = {}
    t_start = time.perf_counter()
    for i, (w, n, t) in enumerate(plan, 1):
        est = w.get("estimator") or w["metric"]
        is_metric = "metric" in w
        # "sklearn": false - a size scikit-learn cannot run (agglomerative ward at
        # 100 000 rows needs its 40 GB matrix): libmlcore alone, no parity checks
        alone = w.get("sklearn") is False and not is_metric
        threads = t if t > 0 else cores
        row = {"workload": w["name"], "estimator": est, "threads": threads}
        prefix = f"[{i}/{len(plan)}] {w['name']}" + (f" n={n}" if n else "") + f" threads={threads}"
        log(prefix + " ...")
        if not is_metric and est not in registered:
            row.update(n_samples=n or 0, n_features=0,
                       error=f"unknown estimator {est} (registered: {', '.join(sorted(registered))})")
            rows.append(row)
            failed += 1
            log(prefix + " FAILED: " + row["error"])
            continue
        key = (json.dumps(w["data"], sort_keys=True), n)
        if key not in data_made:
            ddir = work / f"data-{len(data_made)}"
            ddir.mkdir(parents=True, exist_ok=True)
            spec = dict(w["data"])
            if n:
                spec["n_samples"] = n
            (ddir / "spec.json").write_text(json.dumps(spec))
            err, _ = run_side([str(bench_bin), "gen", str(ddir / "spec.json"), str(ddir)], None,
                              a.timeout)
            data_made[key] = (ddir, err)
        ddir, err = data_made[key]
        if err:
            row.update(n_samples=n or 0, n_features=0, error=f"data: {err}")
            rows.append(row)
            failed += 1
            log(prefix + " FAILED: " + row["error"])
            continue
        X = np.load(ddir / "X.npy", mmap_mode="r")
        row.update(n_samples=int(X.shape[0]), n_features=int(X.shape[1]))
        run_dir = work / f"run-{i}"
        run_dir.mkdir(parents=True, exist_ok=True)
        for f in ("X.npy", "y.npy"):
            if (ddir / f).exists():
                os.symlink(ddir / f, run_dir / f)
        (run_dir / "params.json").write_text(json.dumps(w.get("params", {})))
        # scikit-learn's spelling where it differs (a null drops the parameter).
        sk_params = dict(w.get("params", {}), **w.get("sklearn_params", {}))
        (run_dir / "sklearn_params.json").write_text(json.dumps(sk_params))
        shared = shared_inputs(w.get("shared"), ddir)
        mats = [x for k, p in shared.items() for x in ("--matrix", f"{k}={p}")]
        repeats = str(w.get("repeats", suite.get("repeats", 3)))
        common = ["--threads", str(threads), "--repeats", repeats] + mats
        if w.get("latency"):
            common.append("--latency")
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
        if is_metric:
            err_m, _ = run_side([str(bench_bin), "metric", est, str(run_dir)] + common, env,
                                a.timeout)
            err_s, _ = run_side([PY, str(HERE / "sklearn_side.py"), "metric", est,
                                 str(run_dir)] + common, env, a.timeout)
        else:
            err_m, _ = run_side([str(bench_bin), "fit", est, str(run_dir / "params.json"),
                                 str(run_dir)] + common, env, a.timeout)
            err_s = None
            if not alone:
                err_s, _ = run_side([PY, str(HERE / "sklearn_side.py"), est,
                                     str(run_dir / "sklearn_params.json"), str(run_dir)] + common,
                                    env, a.timeout)
        mine = json.loads((run_dir / "mlcore.json").read_text()) if not err_m else {}
        theirs = json.loads((run_dir / "sklearn.json").read_text()) if not (err_s or alone) else {}
        errors = [f"libmlcore {err_m}" if err_m else None, f"scikit-learn {err_s}" if err_s else None]
        row["error"] = "; ".join(e for e in errors if e) or ""
        row.update(mlcore_fit=mine.get("fit_median"), sklearn_fit=theirs.get("fit_median"),
                   mlcore_predict=mine.get("predict_median"),
                   sklearn_predict=theirs.get("predict_median"),
                   **{f"{side}_{what}_{k}": res.get(f"{what}_{k}")
                      for side, res in (("mlcore", mine), ("sklearn", theirs))
                      for what in ("fit", "predict") for k in ("min", "max")},
                   mlcore_peak_mib=mine.get("peak_rss_above_baseline_kib", float("nan")) / 1024,
                   sklearn_peak_mib=theirs.get("peak_rss_above_baseline_kib", float("nan")) / 1024,
                   mlcore_latency=mine.get("latency"), sklearn_latency=theirs.get("latency"),
                   params=w.get("params", {}), data=w["data"])
        if row["mlcore_fit"] and row["sklearn_fit"]:
            row["fit_speedup"] = row["sklearn_fit"] / row["mlcore_fit"]
        # Time per iteration for iterative estimators (fit time / n_iter_).
        it_m = mine.get("attributes", {}).get("n_iter_")
        it_s = theirs.get("attributes", {}).get("n_iter_")
        if it_m and it_s and row["mlcore_fit"] and row["sklearn_fit"]:
            row.update(mlcore_n_iter=it_m, sklearn_n_iter=it_s,
                       mlcore_per_iter=row["mlcore_fit"] / it_m,
                       sklearn_per_iter=row["sklearn_fit"] / it_s)
        if row["mlcore_predict"] and row["sklearn_predict"]:
            row["predict_speedup"] = row["sklearn_predict"] / row["mlcore_predict"]
        checks = []
        if not row["error"] and not alone:
            default = ([{"kind": "scalar", "name": "value", "rtol": 1e-10}] if is_metric
                       else DEFAULT_CHECKS.get(registered[est], []))
            for c in w.get("checks") or default:
                try:
                    ok, diff, detail = run_check(c, run_dir, mine, theirs)
                except (KeyError, ValueError) as e:
                    ok, diff, detail = False, float("inf"), f"{c.get('name')}: {e}"
                checks.append({"ok": bool(ok), "diff": float(diff), "detail": detail})
        row["checks"] = checks
        row["parity"] = ("FAILED" if row["error"] else "libmlcore alone" if alone else
                         "match" if checks and all(c["ok"] for c in checks) else "MISMATCH")
        row["parity_detail"] = "; ".join(c["detail"] for c in checks)
        row["parity_diff"] = max((c["diff"] for c in checks), default=float("nan"))
        if row["parity"] not in ("match", "libmlcore alone"):
            failed += 1
        if w.get("process", suite.get("process")) and not is_metric and not row["error"]:
            log(prefix + " whole processes ...")
            sk_cmd = [PY, str(HERE / "sklearn_side.py"), est, str(run_dir / "sklearn_params.json"),
                      str(run_dir), "--threads", str(threads)] + mats
            row.update(process_times(mlcore_bin, est, w.get("params", {}), threads, run_dir,
                                     sk_cmd, env, a.timeout))
            if row.get("process_error"):
                failed += 1
        rows.append(row)
        speed = f" fit {fmt_ratio(row.get('mlcore_fit'), row.get('sklearn_fit'))}" if row.get("fit_speedup") else ""
        log(f"{prefix} {row['parity']} (diff {row['parity_diff']:.2g}){speed}"
            + (f" — {row['error']}" if row["error"] else ""))
    cold = None
    if suite.get("cold_start"):
        try:
            cold = cold_start(mlcore_bin, work / "cold")
        except (subprocess.CalledProcessError, OSError) as e:
            log(f"bench: cold start failed: {e}")
    startup = startup_time(mlcore_bin) if any(r.get("process_time") for r in rows) else None
    write_report(out_dir, suite, info, rows, cold, startup)
    write_plots(out_dir, rows)
    if a.readme:
        update_readme(out_dir, info, rows)
    if not os.environ.get("MLCORE_BENCH_KEEP_WORK"):
        shutil.rmtree(work, ignore_errors=True)
    latest = HERE / "results" / f"latest-{suite['name']}"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    try:
        latest.symlink_to(out_dir.name)
    except OSError:
        pass
    log(f"bench: {len(rows)} rows, {failed} failed, {time.perf_counter() - t_start:.0f} s; "
        f"report: {out_dir / 'report.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
