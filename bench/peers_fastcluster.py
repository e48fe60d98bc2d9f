#!/usr/bin/python3
"""fastcluster (Müllner's C++ library, the peer of agglomerative_clustering)
timed on the agglomerative workloads' data: the same generator spec as
bench/suites/full.json, made by mlcore_bench gen. Prints a markdown table of
fit times (median of --repeats runs; fastcluster uses one thread):
linkage_vector (no distance matrix) for ward and single, linkage on the
condensed pdist matrix for complete and average, as scikit-learn's scipy
calls do. Run by hand, not by the runner:

    /usr/bin/python3 bench/peers_fastcluster.py --bench-bin build/mlcore_bench \
        --sizes 10000,20000 [--linkages ward,single,average,complete] [--repeats 3]

Needs python3-fastcluster (Debian) or `pip install fastcluster`.
"""
import argparse
import json
import pathlib
import subprocess
import tempfile
import time

import numpy as np

SPEC = {"generator": "make_blobs", "n_features": 10, "centers": 8, "random_state": 4}


def fit(fastcluster, X, linkage):
    if linkage in ("ward", "single"):
        return fastcluster.linkage_vector(X, method=linkage)
    from scipy.spatial.distance import pdist
    return fastcluster.linkage(pdist(X), method=linkage)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-bin", default="build/mlcore_bench")
    ap.add_argument("--sizes", default="10000,20000")
    ap.add_argument("--linkages", default="ward,single,average,complete")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    import fastcluster
    print(f"fastcluster {fastcluster.__version__}, data {json.dumps(SPEC)}\n")
    print("| linkage | rows | fastcluster fit (s) |")
    print("|---|---:|---:|")
    for n in (int(s) for s in a.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            spec = pathlib.Path(d) / "spec.json"
            spec.write_text(json.dumps(dict(SPEC, n_samples=n)))
            subprocess.run([a.bench_bin, "gen", str(spec), d], check=True)
            X = np.load(pathlib.Path(d) / "X.npy")
        for linkage in a.linkages.split(","):
            times = []
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                fit(fastcluster, X, linkage)
                times.append(time.perf_counter() - t0)
            print(f"| {linkage} | {n} | {np.median(times):.3f} |", flush=True)


if __name__ == "__main__":
    main()
