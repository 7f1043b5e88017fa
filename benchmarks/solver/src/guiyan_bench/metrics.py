"""Each run's standing on its instance, from all the runs of that instance: % of the tightest bound
any contender proved there, % of the LP bound, and on GAP sets the gap to the best-known value."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

BOUND_ONLY = frozenset({"lp", "knapsack"})  # contenders that prove a bound and make no plan


def value(row: dict[str, Any]) -> float | None:
    """What a run is judged by: a bound-only contender's bound, any other's checked plan."""
    return row.get("bound") if row["solver"] in BOUND_ONLY else row.get("objective")


def compare(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with `best_bound`, `pct_best_bound`, `pct_lp`, `gap_best_known` (%, minimisation
    sense) and, for a contender proving a bound, `bound_over_lp` (%) added; None where not known."""
    by_instance: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_instance[row["instance"]].append(row)
    compared = []
    for runs in by_instance.values():
        best_bound, refuted = tightest_bound(runs)
        lp = next((r.get("bound") for r in runs if r["solver"] == "lp"), None)
        for row in runs:
            mine = value(row) if "error" not in row else None
            gap = None
            if row.get("best_known") and row.get("cost") is not None:
                gap = 100 * (row["cost"] - row["best_known"]) / row["best_known"]
            over_lp = (100 * (row["bound"] / lp - 1) if row.get("bound") is not None and lp
                       and row["solver"] != "lp" else None)
            compared.append({**row, "best_bound": best_bound,
                             "pct_best_bound": percent(mine, best_bound),
                             "pct_lp": percent(mine, lp), "gap_best_known": gap,
                             "bound_over_lp": over_lp, "refuted_bounds": refuted})
    return compared


def tightest_bound(runs: list[dict[str, Any]]) -> tuple[float | None, list[str]]:
    """The tightest bound of an instance's runs, and the contenders whose bound a checked plan
    exceeds: those are wrong, and judging by them would flatter every plan."""
    plans = [r["objective"] for r in runs if r.get("objective") is not None and "error" not in r
             and r["solver"] not in BOUND_ONLY]
    best_plan = max(plans, default=-math.inf)
    bounds = {r["solver"]: r["bound"] for r in runs if r.get("bound") is not None and "error" not in r}
    tolerance = 1e-6 * max(1.0, abs(best_plan))
    refuted = sorted(s for s, b in bounds.items() if b < best_plan - tolerance)
    valid = [b for s, b in bounds.items() if s not in refuted]
    return (min(valid) if valid else None), refuted


def percent(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole or not math.isfinite(whole):
        return None
    return 100 * part / whole
