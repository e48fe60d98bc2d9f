#!/usr/bin/python3
"""A/B timing of two builds of the library, interleaved on the same data.

    bench/ab_builds.py OLD_BUILD_DIR NEW_BUILD_DIR [ROUNDS] [FILTER]

Each build dir holds an mlcore_bench. Every workload below runs ROUNDS
times per side at 1 and 2 threads, alternating which side goes first (both
builds' processes stay alive, as in the runner's protocol), and
prints the median fit and predict times and the new/old ratios: what a
change that should not move timings is checked with (medians of several,
ratios measured in one run, as the machine is shared). FILTER keeps the
workloads whose name contains it."""
import json, statistics, pathlib, subprocess, sys, tempfile
old, new = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
filt = sys.argv[4] if len(sys.argv) > 4 else ""
W = [  # name, estimator, params, data spec
 ("ridge-diabetes", "ridge", {}, {"bundled": "diabetes"}),
 ("lasso-diabetes", "lasso", {"alpha": "0.1"}, {"bundled": "diabetes"}),
 ("lasso_cv-diabetes", "lasso_cv", {}, {"bundled": "diabetes"}),
 ("kmeans-iris", "kmeans", {"n_clusters": "3", "random_state": "0"}, {"bundled": "iris"}),
 ("gmm-iris", "gaussian_mixture", {"n_components": "3", "random_state": "0"}, {"bundled": "iris"}),
 ("ridge-1e5x100", "ridge", {}, {"generator": "make_regression", "n_samples": 100000, "n_features": 100, "noise": 10, "random_state": 0}),
 ("lr-1e5x100", "linear_regression", {}, {"generator": "make_regression", "n_samples": 100000, "n_features": 100, "noise": 10, "random_state": 0}),
 ("lasso-1e5x100", "lasso", {"alpha": "1.0"}, {"generator": "make_regression", "n_samples": 100000, "n_features": 100, "noise": 10, "random_state": 0}),
 ("lasso-1e4x1000", "lasso", {"alpha": "1.0"}, {"generator": "make_regression", "n_samples": 10000, "n_features": 1000, "n_informative": 100, "noise": 10, "random_state": 0}),
 ("enet-1e4x1000", "elastic_net", {"alpha": "1.0"}, {"generator": "make_regression", "n_samples": 10000, "n_features": 1000, "n_informative": 100, "noise": 10, "random_state": 0}),
 ("kmeans-1e5x50", "kmeans", {"n_clusters": "8", "random_state": "0", "n_init": "1"}, {"generator": "make_blobs", "n_samples": 100000, "n_features": 50, "centers": 8, "random_state": 0}),
 ("kmeans-5e5x20", "kmeans", {"n_clusters": "8", "random_state": "0", "n_init": "1"}, {"generator": "make_blobs", "n_samples": 500000, "n_features": 20, "centers": 8, "random_state": 0}),
 ("gmm-full-1e5x10", "gaussian_mixture", {"n_components": "8", "covariance_type": "full", "random_state": "0"}, {"generator": "make_blobs", "n_samples": 100000, "n_features": 10, "centers": 8, "random_state": 0}),
 ("svc-1e4x20", "svc", {}, {"generator": "make_classification", "n_samples": 10000, "n_features": 20, "random_state": 0}),
 ("nu_svc-1e4x20", "nu_svc", {}, {"generator": "make_classification", "n_samples": 10000, "n_features": 20, "random_state": 0}),
 ("svr-1e4x20", "svr", {}, {"generator": "make_regression", "n_samples": 10000, "n_features": 20, "noise": 10, "random_state": 0}),
 ("ward-1e4x10", "agglomerative_clustering", {"linkage": "ward"}, {"generator": "make_blobs", "n_samples": 10000, "n_features": 10, "centers": 8, "random_state": 0}),
 ("single-2e4x10", "agglomerative_clustering", {"linkage": "single"}, {"generator": "make_blobs", "n_samples": 20000, "n_features": 10, "centers": 8, "random_state": 0}),
 ("gmm-diag-1e5x10", "gaussian_mixture", {"n_components": "8", "covariance_type": "diag", "random_state": "0"}, {"generator": "make_blobs", "n_samples": 100000, "n_features": 10, "centers": 8, "random_state": 0}),
]


def start(build, est, d, out, threads):
    """A long-lived mlcore_bench of one build (the runner's line protocol):
    it fits and predicts once, says 'ready', then runs "fit" / "predict"."""
    out.mkdir(exist_ok=True)
    y = ["--y", str(d / "y.npy")] if (d / "y.npy").exists() else []
    p = subprocess.Popen([f"{build}/mlcore_bench", "fit", est, str(d / "params.json"), str(out),
                          "--threads", str(threads), "--x", str(d / "X.npy"),
                          "--x-test", str(d / "X.npy")] + y,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    words = p.stdout.readline().split()
    if not words or words[0] != "ready":
        raise RuntimeError(f"{build}: {est} did not start")
    return p, len(words) > 1 and words[1] == "predict"


def ask(p, cmd):
    p.stdin.write(cmd + "\n"); p.stdin.flush()
    return int(p.stdout.readline().split()[0]) * 1e-9  # wall seconds


tmp = pathlib.Path(tempfile.mkdtemp(prefix="ab"))
rows = []
for name, est, params, spec in W:
    if filt and filt not in name: continue
    d = tmp / name; d.mkdir()
    (d / "spec.json").write_text(json.dumps(spec)); (d / "params.json").write_text(json.dumps(params))
    r = subprocess.run([f"{new}/mlcore_bench", "gen", str(d / "spec.json"), str(d)], capture_output=True, text=True)
    if r.returncode: print(name, "gen failed", r.stderr); continue
    for th in (1, 2):
        res = {"old": [], "new": [], "old_p": [], "new_p": []}
        try:
            sides = {side: start(b, est, d, d / f"out-{side}-{th}", th) for side, b in (("old", old), ("new", new))}
        except RuntimeError as e:
            print(name, "failed:", e); continue
        for k in range(rounds):  # A B, then B A: drift hits both sides
            for side in (("old", "new") if k % 2 == 0 else ("new", "old")):
                p, can_predict = sides[side]
                res[side].append(ask(p, "fit"))
                res[side + "_p"].append(ask(p, "predict") if can_predict else float("nan"))
        for p, _ in sides.values():
            p.stdin.write("done\n"); p.stdin.close(); p.wait()
        mo, mn = statistics.median(res["old"]), statistics.median(res["new"])
        po, pn = statistics.median(res["old_p"]), statistics.median(res["new_p"])
        line = f"{name:18s} t={th} fit old {mo*1e3:9.3f} ms new {mn*1e3:9.3f} ms  new/old {mn/mo:5.2f} | predict new/old {pn/po:5.2f}"
        print(line, flush=True); rows.append(line)
