"""The statistics of the bench report: per side the number of runs, median and
interquartile range; per row the speedup (scikit-learn's median / libmlcore's)
with a bootstrap 95 % interval paired by run.

Pairing: run i of one side was timed right after run i of the other (the
runner interleaves them, A B A B ...), so drift of the machine hits both; a
resample draws whole pairs, which keeps that."""
import numpy as np

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


def quartiles(times):
    """(q1, median, q3) with numpy's default (linear) interpolation."""
    q1, med, q3 = np.percentile(np.asarray(times, dtype=np.float64), [25, 50, 75])
    return float(q1), float(med), float(q3)


def summary(times):
    """runs, median, q1, q3 and IQR of a list of timings (seconds)."""
    if not times:
        return None
    q1, med, q3 = quartiles(times)
    return {"runs": len(times), "median": med, "q1": q1, "q3": q3, "iqr": q3 - q1,
            "min": float(min(times)), "max": float(max(times))}


def paired_speedup(mine, theirs, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED,
                   level=0.95):
    """Speedup = median(theirs) / median(mine) over runs paired by index, and
    the percentile bootstrap interval of that ratio (pairs resampled with
    replacement, a fixed seed so a report is reproducible). Returns a dict
    with speedup, lo, hi, resamples and spans_one (the interval holds 1: no
    difference shown), or None without data."""
    n = min(len(mine), len(theirs))
    if n == 0:
        return None
    a = np.asarray(mine[:n], dtype=np.float64)
    b = np.asarray(theirs[:n], dtype=np.float64)
    point = float(np.median(b) / np.median(a))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(resamples, n))
    ratios = np.median(b[idx], axis=1) / np.median(a[idx], axis=1)
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(ratios, [tail, 1.0 - tail])
    return {"speedup": point, "lo": float(lo), "hi": float(hi), "resamples": resamples,
            "seed": seed, "pairs": n, "spans_one": bool(lo <= 1.0 <= hi)}


def speedup(mine, theirs, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED, level=0.95):
    """paired_speedup when both sides ran as often (their runs interleaved in
    pairs); otherwise (a side stopped early at the row's time budget) the
    same ratio of medians with each side's runs resampled on their own, an
    unpaired interval: with one run of a side it shows only the other side's
    spread. The result says which ("paired")."""
    if len(mine) == len(theirs):
        out = paired_speedup(mine, theirs, resamples, seed, level)
        if out:
            out["paired"] = True
            # One run a side: the "interval" is the point, which shows nothing.
            out["no_interval"] = len(mine) == 1
        return out
    if not mine or not theirs:
        return None
    a = np.asarray(mine, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    point = float(np.median(b) / np.median(a))
    rng = np.random.default_rng(seed)
    ma = np.median(a[rng.integers(0, a.size, size=(resamples, a.size))], axis=1)
    mb = np.median(b[rng.integers(0, b.size, size=(resamples, b.size))], axis=1)
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(mb / ma, [tail, 1.0 - tail])
    return {"speedup": point, "lo": float(lo), "hi": float(hi), "resamples": resamples,
            "seed": seed, "pairs": min(a.size, b.size), "paired": False,
            "no_interval": False, "spans_one": bool(lo <= 1.0 <= hi)}


def parallel_efficiency(t1, tp, p):
    """T(1) / (p T(p)): 1 is perfect scaling over p threads."""
    if not t1 or not tp or p < 1:
        return None
    return t1 / (p * tp)
