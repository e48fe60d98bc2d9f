"""Checks of bench/stats.py on data whose answers are known (ctest: bench_stats)."""
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))
import stats  # noqa: E402


class Stats(unittest.TestCase):
    def test_quartiles(self):
        s = stats.summary([1.0, 2.0, 3.0, 4.0, 5.0])
        self.assertEqual((s["runs"], s["median"], s["q1"], s["q3"], s["iqr"]),
                         (5, 3.0, 2.0, 4.0, 2.0))
        s = stats.summary([4.0, 1.0, 3.0, 2.0])  # order does not matter, interpolated
        self.assertAlmostEqual(s["median"], 2.5)
        self.assertAlmostEqual(s["q1"], 1.75)
        self.assertAlmostEqual(s["iqr"], 1.5)
        self.assertIsNone(stats.summary([]))

    def test_constant_ratio_has_a_point_interval(self):
        mine = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        r = stats.paired_speedup(mine, [3 * t for t in mine])
        self.assertAlmostEqual(r["speedup"], 3.0)
        self.assertAlmostEqual(r["lo"], 3.0)
        self.assertAlmostEqual(r["hi"], 3.0)
        self.assertFalse(r["spans_one"])

    def test_interval_holds_the_point_and_spans_one_for_noise(self):
        theirs = [1.0, 1.2, 0.8, 1.1, 0.9, 1.05, 0.95, 1.15, 0.85, 1.0]
        mine = [1.1, 0.9, 1.0, 0.95, 1.05, 1.2, 0.8, 1.0, 1.1, 0.9]
        r = stats.paired_speedup(mine, theirs)
        self.assertLessEqual(r["lo"], r["speedup"])
        self.assertGreaterEqual(r["hi"], r["speedup"])
        self.assertTrue(r["spans_one"])
        self.assertLess(r["hi"] - r["lo"], 0.5)

    def test_seeded(self):
        mine = [1.0, 1.3, 0.9, 1.1, 1.6]
        theirs = [2.0, 2.5, 1.7, 2.4, 2.2]
        self.assertEqual(stats.paired_speedup(mine, theirs), stats.paired_speedup(mine, theirs))
        r = stats.paired_speedup(mine, theirs)
        self.assertAlmostEqual(r["speedup"], 2.2 / 1.1)
        self.assertGreater(r["lo"], 1.0)

    def test_pairs_are_kept(self):
        # Every pair has ratio 2 though each side alone varies 100-fold:
        # a paired resample keeps the ratio exact.
        mine = [0.01, 0.1, 1.0, 0.05, 0.5]
        r = stats.paired_speedup(mine, [2 * t for t in mine])
        self.assertAlmostEqual(r["lo"], 2.0)
        self.assertAlmostEqual(r["hi"], 2.0)

    def test_efficiency(self):
        self.assertAlmostEqual(stats.parallel_efficiency(2.0, 1.0, 2), 1.0)
        self.assertAlmostEqual(stats.parallel_efficiency(2.0, 2.0, 2), 0.5)
        self.assertIsNone(stats.parallel_efficiency(None, 1.0, 2))

    def test_speedup_pairs_equal_counts_and_resamples_sides_apart_otherwise(self):
        mine = [1.0, 1.1, 0.9]
        r = stats.speedup(mine, [2.0, 2.2, 1.8])
        self.assertTrue(r["paired"])
        self.assertAlmostEqual(r["lo"], 2.0)  # a constant ratio, pair by pair
        r = stats.speedup(mine, [4.0])  # one run of the slow side: only our spread
        self.assertFalse(r["paired"])
        self.assertEqual(r["pairs"], 1)
        self.assertAlmostEqual(r["speedup"], 4.0)
        self.assertLessEqual(r["lo"], 4.0 / 1.1 + 1e-12)
        self.assertGreaterEqual(r["hi"], 4.0 / 0.9 - 1e-12)
        self.assertIsNone(stats.speedup([], [1.0]))
        self.assertTrue(stats.speedup([2.0], [4.0])["no_interval"])
        self.assertFalse(stats.speedup(mine, [4.0])["no_interval"])


if __name__ == "__main__":
    unittest.main()
