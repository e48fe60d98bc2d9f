"""The report's dendrogram (issue 23): agglomerative clustering of a small
data set fitted by the `mlcore` command, its merge tree written with
`--linkage-out Z.csv` (SciPy's linkage matrix), drawn with
scipy.cluster.hierarchy.dendrogram beside SciPy's own linkage of the same
rows, and the two matrices compared (and scikit-learn's children_ and
distances_, turned into the same matrix)."""
import subprocess

import numpy as np

HEIGHT_RTOL = 1e-10
LEAVES_SHOWN = 30  # the last merges drawn; a 150-leaf tree is unreadable


def sklearn_linkage(X, linkage):
    """scikit-learn's tree as a SciPy linkage matrix: children_, distances_
    and the size of each new cluster."""
    from sklearn.cluster import AgglomerativeClustering
    m = AgglomerativeClustering(linkage=linkage, compute_distances=True).fit(X)
    n = X.shape[0]
    sizes = np.zeros(n - 1)
    for i, (a, b) in enumerate(m.children_):
        sizes[i] = sum(1 if c < n else sizes[c - n] for c in (a, b))
    return np.column_stack([m.children_, m.distances_, sizes]).astype(np.float64)


def compare(Z, ref):
    """Whether two linkage matrices are equal: merged pairs (unordered within
    a row) and sizes exactly, heights within HEIGHT_RTOL relative. Returns
    (equal, largest relative height difference, rows whose pair differs)."""
    if Z.shape != ref.shape:
        return False, float("inf"), -1
    pairs = np.sort(Z[:, :2], axis=1), np.sort(ref[:, :2], axis=1)
    bad_rows = int(np.sum(np.any(pairs[0] != pairs[1], axis=1) | (Z[:, 3] != ref[:, 3])))
    scale = np.maximum(np.abs(ref[:, 2]), 1e-300)
    rel = float(np.max(np.abs(Z[:, 2] - ref[:, 2]) / scale)) if Z.size else 0.0
    return bad_rows == 0 and rel <= HEIGHT_RTOL, rel, bad_rows


def clusters(Z):
    """Each merge's cluster as the set of its rows, with its height: the tree
    itself, whatever order merges at exactly equal heights come in (which
    renumbers the later nodes of a linkage matrix)."""
    n = Z.shape[0] + 1
    members = {i: frozenset([i]) for i in range(n)}
    out = {}
    for i, (a, b, h, _) in enumerate(Z):
        members[n + i] = members[int(a)] | members[int(b)]
        out[members[n + i]] = h
    return out


def same_tree(Z, ref):
    """Whether Z and ref merge the same clusters at heights within HEIGHT_RTOL."""
    a, b = clusters(Z), clusters(ref)
    return a.keys() == b.keys() and all(
        abs(a[k] - b[k]) <= HEIGHT_RTOL * max(abs(b[k]), 1e-300) for k in b)


def draw(path, panels, title):
    """One dendrogram panel per (label, Z), the last LEAVES_SHOWN merges."""
    from scipy.cluster.hierarchy import dendrogram

    from plots import _panels, _plt, _save_panels
    plt = _plt()
    fig, axes = _panels(plt, len(panels))
    for ax, (label, Z) in zip(axes, panels):
        dendrogram(Z, ax=ax, truncate_mode="lastp", p=LEAVES_SHOWN, show_contracted=True,
                   leaf_rotation=90, leaf_font_size=8, color_threshold=0.7 * Z[-1, 2])
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("leaf (row) or (rows in a contracted cluster)", fontsize=9)
        ax.set_ylabel("merge height (ward)", fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
    _save_panels(fig, path, title)


def write(out_dir, mlcore_bin, X_path, name, linkage="ward", timeout=120):
    """Fits, draws dendrogram.png into out_dir and returns what the report
    says of it (or {"error": ...})."""
    from scipy.cluster.hierarchy import linkage as scipy_linkage
    z_path = out_dir / "work" / "dendrogram_Z.csv"
    z_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(mlcore_bin), "fit", "agglomerative_clustering", "--data", str(X_path),
           "--linkage", linkage, "--n_clusters", "3", "--linkage-out", str(z_path), "--quiet"]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    if p.returncode:
        return {"error": f"mlcore fit: exit {p.returncode}: {p.stderr.strip()[-200:]}"}
    Z = np.loadtxt(z_path, delimiter=",", skiprows=1, ndmin=2)
    X = np.load(X_path)
    ref = scipy_linkage(X, method=linkage)
    sk = sklearn_linkage(X, linkage)
    out = {"data": name, "rows": int(X.shape[0]), "features": int(X.shape[1]),
           "linkage": linkage, "png": "dendrogram.png", "command": " ".join(
               ["mlcore fit agglomerative_clustering --data X.npy --linkage", linkage,
                "--n_clusters 3 --linkage-out Z.csv"])}
    for key, other in (("scipy", ref), ("sklearn", sk)):
        equal, rel, bad = compare(Z, other)
        out[key] = {"equal": equal, "max_rel_height_diff": rel, "rows_differing": bad,
                    "same_tree": same_tree(Z, other),
                    "tied_heights": int(Z.shape[0] - np.unique(other[:, 2]).size)}
    draw(out_dir / out["png"], [
        (f"libmlcore: mlcore fit ... --linkage-out\n({name}, {X.shape[0]} rows)", Z),
        (f"SciPy: linkage(X, method='{linkage}')\n(the same rows)", ref)],
        f"dendrogram, {linkage} linkage, {name} ({X.shape[0]} × {X.shape[1]}); "
        f"the last {LEAVES_SHOWN} merges\n(numbers in brackets: rows under a contracted "
        "cluster)")
    return out
