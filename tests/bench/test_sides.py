"""Checks of bench/sides.py's repeat rule (how many runs each side gets) and
bench/dendrogram.py's tree comparison, on made-up sides and trees
(ctest: bench_sides)."""
import pathlib
import sys
import unittest

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))
import dendrogram  # noqa: E402
import sides  # noqa: E402


class FakeSide(sides.Side):
    """A side whose every run takes `seconds` and whose first run took `first`."""

    def __init__(self, name, seconds, first):  # no process
        self.name, self.seconds = name, seconds
        self.times = {"fit": [], "predict": []}
        self.cpu = {"fit": [], "predict": []}
        self.first = {"fit": (first, first)}
        self.first_counted = set()

    def _run(self, kind):
        self.times[kind].append(self.seconds)
        self.cpu[kind].append(self.seconds)
        return self.seconds


def runs(seconds_a, seconds_b, repeats=3, budget=10.0):
    a = FakeSide("mlcore", seconds_a, seconds_a)
    b = FakeSide("sklearn", seconds_b, seconds_b)
    sides.interleave([a, b], "fit", repeats, budget)
    return a, b


class Repeats(unittest.TestCase):
    def test_short_runs_pair_up_to_the_minimum_time(self):
        a, b = runs(0.001, 0.01)
        self.assertEqual(len(a.times["fit"]), len(b.times["fit"]))
        self.assertEqual(len(b.times["fit"]), 20)  # 20 x 10 ms = MIN_SECONDS
        self.assertFalse(a.first_counted or b.first_counted)

    def test_at_least_the_repeats_while_under_half_the_budget(self):
        a, b = runs(0.5, 4.0)  # 3 x 4 s is over 10 s, but 2 x 4 s is not
        self.assertEqual(len(b.times["fit"]), 3)
        self.assertEqual(b.first_counted, {"fit"})  # a 4 s first run counts
        self.assertEqual(len(a.times["fit"]), 3)

    def test_a_slow_side_stops_at_the_budget_the_other_goes_on(self):
        a, b = runs(2.0, 60.0)
        self.assertEqual(b.times["fit"], [60.0])  # the counted first run alone
        self.assertEqual(len(a.times["fit"]), 3)
        a, b = runs(2.0, 6.0)
        self.assertEqual(len(b.times["fit"]), 2)  # 6 + 6 >= 10

    def test_without_a_budget_every_side_has_the_repeats(self):
        a, b = runs(2.0, 60.0, budget=None)
        self.assertEqual(len(b.times["fit"]), 3)


class Trees(unittest.TestCase):
    # 4 rows: (0, 1) and (2, 3) merge at the same height 1, then both at 5.
    Z = np.array([[0, 1, 1.0, 2], [2, 3, 1.0, 2], [4, 5, 5.0, 4]], dtype=float)

    def test_equal(self):
        equal, rel, bad = dendrogram.compare(self.Z, self.Z.copy())
        self.assertTrue(equal and dendrogram.same_tree(self.Z, self.Z))
        self.assertEqual((rel, bad), (0.0, 0))

    def test_tied_merges_in_another_order_are_the_same_tree(self):
        other = np.array([[2, 3, 1.0, 2], [1, 0, 1.0, 2], [5, 4, 5.0, 4]], dtype=float)
        equal, _, bad = dendrogram.compare(self.Z, other)
        self.assertFalse(equal)
        self.assertEqual(bad, 2)
        self.assertTrue(dendrogram.same_tree(self.Z, other))

    def test_a_height_off_by_more_than_the_tolerance(self):
        other = self.Z.copy()
        other[2, 2] *= 1 + 1e-9
        self.assertFalse(dendrogram.compare(self.Z, other)[0])
        self.assertFalse(dendrogram.same_tree(self.Z, other))
        other[2, 2] = self.Z[2, 2] * (1 + 1e-12)
        self.assertTrue(dendrogram.compare(self.Z, other)[0])

    def test_other_clusters(self):
        other = np.array([[0, 2, 1.0, 2], [1, 3, 1.0, 2], [4, 5, 5.0, 4]], dtype=float)
        self.assertFalse(dendrogram.same_tree(self.Z, other))


if __name__ == "__main__":
    unittest.main()
