"""The report's plots: fit time against n, d and threads (log-log, error bars
from the first to the third quartile, one panel per family), the speedup per
workload with its bootstrap interval, and latency / throughput by batch size."""
import math

from report import BATCHES, headline_rows, sklearn_module

SIDE_STYLE = {"mlcore": ("o", "-", "libmlcore"), "sklearn": ("s", "--", "scikit-learn")}


def family(r):
    if r.get("task") == "metric":
        return "metrics"
    mod = sklearn_module(r["estimator"]) or "other"
    return mod.split(".")[-1]


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _err(rs, side, kind="fit"):
    med = [r[f"{side}_{kind}"] for r in rs]
    lo = [m - r[f"{side}_{kind}_q1"] for m, r in zip(med, rs)]
    hi = [r[f"{side}_{kind}_q3"] - m for m, r in zip(med, rs)]
    return med, [lo, hi]


def _panels(plt, n):
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    # at least 9 inches wide: the title line under the plot keeps its words
    fig, axes = plt.subplots(rows, cols, figsize=(max(9.0, 5.2 * cols), 4.4 * rows + 0.6),
                             squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _time_axis(ax):
    """A log time axis labelled 1-2-5 in units (100 µs, 2 ms, 1 s): a panel
    spanning less than a decade still has labels."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    from report import fmt_t
    lo, hi = ax.get_ylim()
    decades = math.log10(hi / lo) if lo > 0 and hi > lo else 0.0
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades < 2.5
                                          else (1.0,)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_t(v, 3)))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _tight(fig):
    """tight_layout below a two-line title."""
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.55 / fig.get_figheight()))


def _save_panels(fig, path, title):
    """A panelled figure's two-line title, layout, file, and release."""
    fig.suptitle(title, fontsize=10)
    _tight(fig)
    fig.savefig(path, dpi=110)
    _plt().close(fig)


def sweep_plot(path, rows, key, xlabel, title):
    """Fit time against `key` per workload (at the most threads it ran with),
    one panel per family. Returns False when nothing varies."""
    groups = {}
    for r in rows:
        if r.get("mlcore_fit") is None:
            continue
        groups.setdefault((family(r), r["workload"]), []).append(r)
    series = {}
    for (fam, w), rs in groups.items():
        tmax = max(r["threads"] for r in rs)
        rs = [r for r in rs if r["threads"] == tmax]
        other = "n_features" if key == "n_samples" else "n_samples"
        # one series per value of the other dimension
        for v in sorted({r[other] for r in rs}):
            sub = sorted((r for r in rs if r[other] == v), key=lambda r: r[key])
            if len({r[key] for r in sub}) > 1:
                label = f"{w} ({'d' if other == 'n_features' else 'n'}={v}, {tmax} thr)"
                series.setdefault(fam, []).append((label, sub))
    if not series:
        return False
    plt = _plt()
    fig, axes = _panels(plt, len(series))
    for ax, (fam, ss) in zip(axes, sorted(series.items())):
        for i, (label, rs) in enumerate(ss):
            color = plt.cm.tab10(i % 10)
            for side, (marker, ls, name) in SIDE_STYLE.items():
                ok = [r for r in rs if r.get(f"{side}_fit") is not None]
                if not ok:
                    continue
                med, err = _err(ok, side)
                ax.errorbar([r[key] for r in ok], med, yerr=err, marker=marker, ls=ls,
                            color=color, capsize=3, ms=4,
                            label=f"{label}" if side == "mlcore" else None)
        ax.set_xscale("log")
        ax.set_yscale("log")
        xs = sorted({r[key] for _, rs in ss for r in rs})
        if len(xs) <= 8:  # the measured values as ticks, in plain numbers
            ax.set_xticks(xs)
            ax.set_xticklabels([f"{x:,}".replace(",", " ") for x in xs], fontsize=8)
            ax.minorticks_off()
        _time_axis(ax)
        ax.set_title(fam, fontsize=11)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("fit time")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    _save_panels(fig, path, title + "\nsolid, circles: libmlcore; dashed, squares: scikit-learn; "
                 "bars: first to third quartile")
    return True


def threads_plot(path, rows):
    groups = {}
    for r in rows:
        if r.get("mlcore_fit") is not None:
            groups.setdefault((family(r), r["workload"], r["n_samples"], r["n_features"]),
                              []).append(r)
    # the largest size of each workload that ran with several thread counts
    best = {}
    for (fam, w, n, d), rs in groups.items():
        if len({r["threads"] for r in rs}) > 1 and (w not in best or n * d > best[w][0]):
            best[w] = (n * d, fam, f"{w} ({n}×{d})", sorted(rs, key=lambda r: r["threads"]))
    if not best:
        return False
    series = {}
    for _, fam, label, rs in best.values():
        series.setdefault(fam, []).append((label, rs))
    plt = _plt()
    fig, axes = _panels(plt, len(series))
    for ax, (fam, ss) in zip(axes, sorted(series.items())):
        for i, (label, rs) in enumerate(ss):
            color = plt.cm.tab10(i % 10)
            for side, (marker, ls, name) in SIDE_STYLE.items():
                ok = [r for r in rs if r.get(f"{side}_fit") is not None]
                if ok:
                    med, err = _err(ok, side)
                    ax.errorbar([r["threads"] for r in ok], med, yerr=err, marker=marker, ls=ls,
                                color=color, capsize=3, ms=4,
                                label=label if side == "mlcore" else None)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ts = sorted({r["threads"] for _, rs in ss for r in rs})
        ax.set_xticks(ts)
        ax.set_xticklabels([str(t) for t in ts])
        _time_axis(ax)
        ax.set_title(fam, fontsize=11)
        ax.set_xlabel("threads")
        ax.set_ylabel("fit time")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    _save_panels(fig, path, "fit time against threads (largest size per workload)\nsolid: libmlcore; "
                 "dashed: scikit-learn; bars: quartiles")
    return True


def speedup_plot(path, rows):
    """One bar per workload (its largest size at the most threads), with the
    bootstrap interval, grouped by family."""
    best = {}
    for r in headline_rows(rows):
        k = r["workload"]
        if k not in best or r["n_samples"] * r["n_features"] > \
                best[k]["n_samples"] * best[k]["n_features"]:
            best[k] = r
    rs = sorted(best.values(), key=lambda r: (family(r), r["workload"]))
    if not rs:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.28 * len(rs)))
    fams = sorted({family(r) for r in rs})
    colors = {f: plt.cm.tab10(i % 10) for i, f in enumerate(fams)}
    y = list(range(len(rs)))[::-1]
    sp = [r["fit_speedup"] for r in rs]
    err = [[s - r["fit_speedup_lo"] for s, r in zip(sp, rs)],
           [r["fit_speedup_hi"] - s for s, r in zip(sp, rs)]]
    ax.barh(y, sp, xerr=err, color=[colors[family(r)] for r in rs], capsize=2,
            error_kw={"lw": 0.8})
    ax.set_yticks(y)
    ax.set_yticklabels([f"{r['workload']} {r['n_samples']}×{r['n_features']}, {r['threads']} thr"
                        for r in rs], fontsize=7)
    ax.set_xscale("log")
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_xlabel("fit speedup over scikit-learn (×, log scale; bars: bootstrap 95 % interval)")
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color=colors[f], label=f) for f in fams], fontsize=7,
              loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def latency_plot(path, rows):
    """p50 latency per batch size (bar up to p99), one panel per family."""
    series = {}
    for r in rows:
        if r.get("mlcore_latency"):
            series.setdefault(family(r), []).append(r)
    if not series:
        return False
    plt = _plt()
    fig, axes = _panels(plt, len(series))
    for ax, (fam, rs) in zip(axes, sorted(series.items())):
        for i, r in enumerate(rs):
            color = plt.cm.tab10(i % 10)
            for side, (marker, ls, name) in SIDE_STYLE.items():
                lat = r.get(f"{side}_latency") or {}
                bs = [b for b in BATCHES if b in lat]
                if not bs:
                    continue
                p50 = [lat[b]["p50_ns"] * 1e-9 for b in bs]
                up = [(lat[b]["p99_ns"] - lat[b]["p50_ns"]) * 1e-9 for b in bs]
                label = (f"{r['workload']} {r['n_samples']}×{r['n_features']}"
                         if side == "mlcore" else None)
                ax.errorbar([int(b) for b in bs], p50, yerr=[[0] * len(bs), up], marker=marker,
                            ls=ls, color=color, capsize=2, ms=4, label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        _time_axis(ax)
        ax.set_xlabel("batch size (rows)")
        ax.set_ylabel("latency per batch")
        ax.set_title(fam, fontsize=11)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    _save_panels(fig, path, "prediction latency: p50, bar up to p99\nsolid, circles: libmlcore; dashed, "
                 "squares: scikit-learn")
    return True


def write_all(out_dir, rows):
    ok = [r for r in rows if not r.get("error")]
    sweep_plot(out_dir / "fit_time_vs_n.png", ok, "n_samples", "n (rows)", "fit time against n")
    sweep_plot(out_dir / "fit_time_vs_d.png", ok, "n_features", "d (features)",
               "fit time against d")
    threads_plot(out_dir / "threads.png", ok)
    speedup_plot(out_dir / "speedup.png", ok)
    latency_plot(out_dir / "latency.png", ok)
