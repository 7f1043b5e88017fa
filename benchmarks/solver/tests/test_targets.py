"""The summary's verdicts from synthetic runs: PASS only when every seed meets a target, the
margin of the worst seed, and a target without runs reported as not run."""

from __future__ import annotations

from typing import Any

from guiyan_bench.metrics import compare
from guiyan_bench.targets import summary


def runs(instance: str, family: str, *, guiyan: float | None, greedy: float | None = 90.0,
         lp: float = 100.0, bound: float = 100.0, rss: float = 500.0) -> list[dict[str, Any]]:
    common = {"instance": instance, "family": family, "first_seconds": 1.0, "best_seconds": 1.0,
              "peak_rss_mb": rss, "plan_exists": True}
    return [
        {**common, "solver": "lp", "bound": lp, "objective": None, "feasible": False},
        {**common, "solver": "greedy", "bound": None, "objective": greedy,
         "feasible": greedy is not None},
        {**common, "solver": "guiyan", "bound": bound, "objective": guiyan,
         "feasible": guiyan is not None},
    ]


def line(table: str, target: str, family: str) -> str:
    return next(row for row in table.splitlines() if row.startswith(target) and family in row)


def test_a_family_passes_only_if_every_seed_meets_the_target_and_the_worst_gives_the_margin() -> None:
    rows = compare(runs("dense-2000x200-s101", "dense-2000x200", guiyan=99.0)
                   + runs("dense-2000x200-s102", "dense-2000x200", guiyan=98.5)
                   + runs("sparse-2000x200-s101", "sparse-2000x200", guiyan=99.0)
                   + runs("sparse-2000x200-s102", "sparse-2000x200", guiyan=97.0))
    table = summary(rows)
    dense = line(table, "% of best bound", "dense-2000x200")
    assert "PASS" in dense and dense.endswith("+0.50")
    sparse = line(table, "% of best bound", "sparse-2000x200")
    assert "MISS" in sparse and sparse.endswith("-1.00")
    assert "97.00/98.00/99.00" in sparse


def test_no_plan_misses_and_falls_below_greedy() -> None:
    table = summary(compare(runs("required-2000x200-s101", "required-2000x200", guiyan=None)))
    assert "MISS" in line(table, "a plan", "required-2000x200")
    assert "MISS" in line(table, "% above greedy", "required-2000x200")
    assert "MISS" in line(table, "% of best bound", "required-2000x200")


def test_the_large_city_is_judged_on_the_lp_its_bound_and_memory() -> None:
    rows = compare(runs("dense-10000x1000-s101", "dense-10000x1000", guiyan=97.5, bound=101.5,
                        rss=2100.0))
    table = summary(rows)
    assert "PASS" in line(table, "% of LP", "dense-10000x1000")
    bound = line(table, "bound % over LP", "dense-10000x1000")
    assert "MISS" in bound and bound.endswith("-0.50")
    assert "MISS" in line(table, "peak RSS MB", "dense-10000x1000")


def test_gap_sets_are_judged_on_the_gap_to_the_best_known_value() -> None:
    rows = []
    for instance, cost in (("chu1997/d05100", 6363.0), ("chu1997/d10100", 6353.0)):
        for row in runs(instance, "chu1997/d", guiyan=6000.0):
            rows.append({**row, "best_known": 6353.0,
                         "cost": cost if row["solver"] == "guiyan" else None})
    within = line(summary(compare(rows)), "% over best-known", "chu1997/d")
    assert "PASS" in within and within.endswith("+0.04")  # 10 over 6,353: 0.16% of 0.2% allowed
    rows[2]["cost"] = 6370.0  # 0.27%
    assert "MISS" in line(summary(compare(rows)), "% over best-known", "chu1997/d")


def test_a_target_without_runs_says_so() -> None:
    table = summary(compare(runs("dense-500x50-s101", "dense-500x50", guiyan=99.0)))
    assert "not run" in line(table, "% of LP", "")


def test_a_run_that_failed_misses_every_target() -> None:
    rows = runs("dense-10000x1000-s101", "dense-10000x1000", guiyan=99.0)
    rows[2] = {key: rows[2][key] for key in ("instance", "family", "solver")} | {"error": "killed"}
    table = summary(compare(rows))
    for target in ("a plan", "% above greedy", "% of LP", "peak RSS MB"):
        assert "MISS" in line(table, target, "dense-10000x1000")


def judged_beside_a_knapsack_bound(bound: float) -> dict[str, Any]:
    """Guiyan's run at 98 beside an LP bound of 100 and a knapsack bound of `bound`."""
    knapsack = {"instance": "dense-2000x200-s101", "family": "dense-2000x200",
                "solver": "knapsack", "bound": bound, "objective": None, "feasible": False}
    rows = compare([*runs("dense-2000x200-s101", "dense-2000x200", guiyan=98.0), knapsack])
    return next(r for r in rows if r["solver"] == "guiyan")


def test_the_knapsack_bound_is_judged_by_as_the_tightest() -> None:
    guiyan = judged_beside_a_knapsack_bound(99.5)
    assert guiyan["best_bound"] == 99.5 and guiyan["refuted_bounds"] == []


def test_a_bound_below_a_checked_plan_is_refuted_rather_than_judged_by() -> None:
    guiyan = judged_beside_a_knapsack_bound(97.0)
    assert guiyan["best_bound"] == 100.0
    assert guiyan["refuted_bounds"] == ["knapsack"]
