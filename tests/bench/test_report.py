"""Checks of the bench report's quality figures and formatting on known data
(ctest: bench_report)."""
import math
import pathlib
import sys
import unittest

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))
import quality  # noqa: E402
import report  # noqa: E402


class Quality(unittest.TestCase):
    def test_regression(self):
        y = np.array([1.0, 2.0, 3.0, 4.0])
        q = quality.regression(y, y + np.array([0.5, -0.5, 0.5, -0.5]))
        self.assertAlmostEqual(q["rmse"], 0.5)
        self.assertAlmostEqual(q["mae"], 0.5)
        self.assertAlmostEqual(q["r2"], 1 - 1.0 / 5.0)
        self.assertAlmostEqual(q["mape"], np.mean([0.5, 0.25, 0.5 / 3, 0.125]))
        self.assertAlmostEqual(q["residual_std"], math.sqrt(1.0 / 3.0))
        self.assertAlmostEqual(q["residual_skew"], 0.0)

    def test_classification_binary_and_multiclass(self):
        y = np.array([0, 0, 1, 1])
        q = quality.classification(y, np.array([0, 1, 1, 1]),
                                   np.array([[0.1], [0.6], [0.7], [0.9]]), np.array([0, 1]))
        self.assertAlmostEqual(q["accuracy"], 0.75)
        self.assertAlmostEqual(q["precision"], 2 / 3)
        self.assertAlmostEqual(q["recall"], 1.0)
        self.assertAlmostEqual(q["roc_auc"], 1.0)
        y3 = np.array([0, 1, 2, 0, 1, 2])
        proba = np.eye(3)[y3] * 0.8 + 0.1
        q = quality.classification(y3, y3, proba, np.array([0, 1, 2]))
        self.assertEqual((q["accuracy"], q["f1"], q["roc_auc"], q["pr_auc"]), (1, 1, 1, 1))

    def test_clustering(self):
        X = np.array([[0.0, 0], [0, 1], [10, 0], [10, 1]])
        q = quality.clustering(X, np.array([0, 0, 1, 1]), np.array([5, 5, 7, 7]), 1.0)
        self.assertAlmostEqual(q["ari"], 1.0)
        self.assertAlmostEqual(q["inertia"], 1.0)
        self.assertGreater(q["silhouette"], 0.8)
        self.assertIsNone(quality.clustering(X, np.zeros(4))["silhouette"])


class Format(unittest.TestCase):
    def test_durations_keep_nanoseconds(self):
        self.assertEqual(report.fmt_t(2.5), "2.5 s")
        self.assertEqual(report.fmt_t(0.0123), "12.3 ms")
        self.assertEqual(report.fmt_ns(69), "69 ns")
        self.assertEqual(report.fmt_ns(1234), "1.234 µs")
        self.assertEqual(report.fmt_t(None), "—")

    def test_speedup_marks_an_interval_over_one(self):
        r = {"fit_speedup": 1.1, "fit_speedup_lo": 0.9, "fit_speedup_hi": 1.3,
             "fit_speedup_spans_one": True}
        self.assertIn("spans 1", report.fmt_speedup(r, "fit"))
        r["fit_speedup_spans_one"] = False
        self.assertNotIn("spans 1", report.fmt_speedup(r, "fit"))
        r["fit_speedup_paired"] = False
        self.assertIn("unpaired", report.fmt_speedup(r, "fit"))

    def test_run_counts_mark_a_counted_first_run_and_reused_runs(self):
        r = {"sklearn_fit": 2.0, "sklearn_fit_q1": 2.0, "sklearn_fit_q3": 2.0,
             "sklearn_fit_runs": 1, "sklearn_fit_first_counted": True,
             "sklearn_reused_from_threads": 1}
        self.assertTrue(report.fmt_side(r, "sklearn", "fit").endswith("(1†‡)"))

    def test_dendrogram_says_whether_the_trees_agree(self):
        same = {"equal": True, "max_rel_height_diff": 0.0, "rows_differing": 0,
                "same_tree": True, "tied_heights": 0}
        d = {"data": "iris", "rows": 150, "features": 4, "linkage": "ward",
             "command": "mlcore fit", "png": "dendrogram.png", "scipy": same,
             "sklearn": dict(same, equal=False, rows_differing=8, tied_heights=12)}
        text = "\n".join(report.dendrogram_lines(d))
        self.assertIn("**equal**", text)
        self.assertIn("8 of 149 rows differ", text)
        self.assertIn("the trees are the same", text)
        self.assertIn("![dendrogram](dendrogram.png)", text)
        self.assertEqual(report.dendrogram_lines(None), [])

    def test_flat_row_keeps_scalars_and_flattens_nested(self):
        row = {"workload": "w", "mlcore_fit_times": [1, 2],
               "quality": {"mlcore": {"r2": 0.5}},
               "mlcore_latency": {"1": {"p50_ns": 70.0}}}
        flat = report.flat_row(row)
        self.assertEqual(flat, {"workload": "w", "mlcore_quality_r2": 0.5,
                                "mlcore_latency_1_p50_ns": 70.0})


if __name__ == "__main__":
    unittest.main()
