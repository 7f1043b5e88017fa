"""The acceptance targets, judged on Guiyan's runs: one line a target and family, with the
spread across its seeds or instances, PASS only if every one meets the target, and the margin of
the worst one (positive: to spare; negative: short by). A target with no run to judge says so.

Every instance in the suites has a feasible plan (generated ones by construction, the public
ones a best-known plan), so a run without one misses; a run that failed misses every target."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .report import spread

Row = dict[str, Any]


@dataclass(frozen=True)
class Target:
    name: str
    applies: Callable[[str], bool]  # to a family
    measure: Callable[[Row, Row | None], float | None]  # (Guiyan's run, greedy's run)
    threshold: float
    at_least: bool  # whether a value passes by being ≥ the threshold (else ≤)
    where: str  # which runs it judges, as the suites run them

    def passes(self, figure: float) -> bool:
        return figure >= self.threshold if self.at_least else figure <= self.threshold

    def margin(self, figure: float) -> float:
        return figure - self.threshold if self.at_least else self.threshold - figure


def _plan_found(run: Row, greedy: Row | None) -> float | None:
    """1 for a plan, 0 for none where one is known to exist."""
    if run.get("feasible"):
        return 1.0
    return 0.0 if run.get("plan_exists") else None


def _over_greedy(run: Row, greedy: Row | None) -> float | None:
    """% above greedy's objective; −inf with no plan where greedy has one."""
    if greedy is None or not greedy.get("feasible"):
        return None
    if not run.get("feasible"):
        return -math.inf
    return 100 * (run["objective"] - greedy["objective"]) / max(abs(greedy["objective"]), 1e-9)


def _field(name: str, without_plan: float | None = None) -> Callable[[Row, Row | None], float | None]:
    """A run's own figure, or `without_plan` for a run without a plan where the figure is of it."""
    def measure(run: Row, greedy: Row | None) -> float | None:
        return without_plan if without_plan is not None and not run.get("feasible") else run.get(name)
    return measure


def _in(*families: str) -> Callable[[str], bool]:
    return lambda family: family in families


EVERYWHERE = "every instance"
SMALL = "2,000 × 200 at 10 s, every shape and seed"
LARGE = "10,000 × 1,000 dense at 60 s"
TARGETS = [
    Target("a plan (1 = found)", lambda family: True, _plan_found, 1.0, True, EVERYWHERE),
    Target("% above greedy", lambda family: True, _over_greedy, 0.0, True, EVERYWHERE),
    Target("% of best bound", lambda family: family.endswith("-2000x200"),
           _field("pct_best_bound", 0.0), 98.0, True, SMALL),
    Target("% of LP", _in("dense-10000x1000"), _field("pct_lp", 0.0), 97.0, True, LARGE),
    Target("bound % over LP", _in("dense-10000x1000"), _field("bound_over_lp"), 1.0, False, LARGE),
    Target("peak RSS MB", _in("dense-10000x1000"), _field("peak_rss_mb"), 2048.0, False, LARGE),
    Target("% over best-known", _in("chu1997/d"), _field("gap_best_known", math.inf), 0.2, False,
           "chu1997 type D at 30 s, all six"),
    Target("% over best-known", _in("yagiura2004/d", "yagiura2004/e"),
           _field("gap_best_known", math.inf), 0.5, False, "yagiura2004 D and E at 60 s"),
]


def summary(rows: list[Row], solver: str = "guiyan") -> str:
    runs: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in rows:
        runs[row["instance"]][row["solver"]] = row
    lines = [f"{'target':20} {'family':18} {'n':>3} {'min/median/max':>24} {'needs':>9}  "
             f"{'verdict':7} {'margin':>9}"]
    for target in TARGETS:
        by_family: dict[str, list[float]] = defaultdict(list)
        for instance_runs in runs.values():
            run = instance_runs.get(solver)
            if run is None or not target.applies(run["family"]):
                continue
            figure = (target.measure(run, instance_runs.get("greedy")) if "error" not in run
                      else (-math.inf if target.at_least else math.inf))  # it failed: a miss
            if figure is not None:
                by_family[run["family"]].append(figure)
        needs = f"{'≥' if target.at_least else '≤'} {target.threshold:g}"
        if not by_family:
            lines.append(f"{target.name:20} {'-':18} {0:3} {'-':>24} {needs:>9}  not run   "
                         f"({target.where})")
        for family, figures in by_family.items():
            worst = min(figures, key=target.margin)
            verdict = "PASS" if all(target.passes(f) for f in figures) else "MISS"
            lines.append(f"{target.name:20} {family:18} {len(figures):3} {spread(figures, 2):>24} "
                         f"{needs:>9}  {verdict:7} {target.margin(worst):+9.2f}")
    return "\n".join(lines)
