"""The tables of a run: one line a run, then one a family and contender with the spread (min /
median / max) across its seeds or instances. Rows are those of `metrics.compare`."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .metrics import BOUND_ONLY, value


def spread(values: Iterable[float | None], digits: int = 1) -> str:
    """`min/median/max` of the known values, `-` if none is."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return "-"
    return "/".join(f"{v:.{digits}f}" for v in (known[0], statistics.median(known), known[-1]))


def _number(figure: float | None, form: str) -> str:
    return format(figure, form) if figure is not None else "-"


def runs_table(rows: list[dict[str, Any]]) -> str:
    """For the lp contender the value is its rigorous bound, and `note` its PDLP primal."""
    lines = [f"{'instance':24} {'solver':8} {'value':>15} {'% LP':>7} {'% best bound':>12} "
             f"{'gap best':>8} {'first s':>8} {'best s':>8} {'peak MB':>8}  plan  note"]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['instance']:24} {r['solver']:8} error: {r['error'][-80:]}")
            continue
        plan = "-" if r["solver"] in BOUND_ONLY else "yes" if r["feasible"] else "NO"
        note = (f"PDLP primal {r['lp_primal']:,.1f}, {r['status']}" if r["solver"] == "lp"
                else "; ".join(r["violations"][:2]) or r["status"])
        if r["solver"] in r.get("refuted_bounds", []):
            note = f"BOUND REFUTED: a checked plan is above it; {note}"
        lines.append(
            f"{r['instance']:24} {r['solver']:8} {_number(value(r), '15,.1f'):>15} "
            f"{_number(r['pct_lp'], '6.2f'):>7} {_number(r['pct_best_bound'], '11.2f'):>12} "
            f"{_number(r['gap_best_known'], '7.2f'):>8} {_number(r['first_seconds'], '8.2f'):>8} "
            f"{_number(r['best_seconds'], '8.2f'):>8} {r['peak_rss_mb']:8.0f}  {plan:4}  {note}")
    return "\n".join(lines)


def families_table(rows: list[dict[str, Any]]) -> str:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["family"], r["solver"])].append(r)
    lines = ["min/median/max across seeds (generated) or instances (GAP sets)",
             f"{'family':18} {'solver':8} {'plans':>7} {'% best bound':>20} {'% LP':>20} "
             f"{'gap best-known %':>20} {'first s':>16} {'best s':>16} {'peak MB':>16}"]
    for (family, solver), runs in groups.items():
        done = [r for r in runs if "error" not in r]
        plans = "-" if solver in BOUND_ONLY else f"{sum(r['feasible'] for r in done)}/{len(runs)}"
        lines.append(
            f"{family:18} {solver:8} {plans:>7} {spread(r['pct_best_bound'] for r in done):>20} "
            f"{spread(r['pct_lp'] for r in done):>20} "
            f"{spread((r['gap_best_known'] for r in done), 2):>20} "
            f"{spread(r['first_seconds'] for r in done):>16} "
            f"{spread(r['best_seconds'] for r in done):>16} "
            f"{spread((r['peak_rss_mb'] for r in done), 0):>16}")
    return "\n".join(lines)
