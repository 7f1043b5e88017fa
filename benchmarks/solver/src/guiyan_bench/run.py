"""`make bench-solver`: every contender on every instance at the same time limit, in one run.

Each (instance, solver) runs in a fresh process, so peak memory is its own. Prints a table of
objective, % of the LP bound (or gap to the best-known value on GAP sets), time to first and best
solution and peak RSS, and writes the same as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import gap
from .generate import city
from .solvers import SOLVERS, violations

SHARED_GAP = Path(__file__).resolve().parents[4].parent / "shared" / "benchmarks" / "gap"
REFERENCE_RUNS = {"city-2000x200": 120.0}
CITY_SIZES = {"city-60x12": (60, 12, 10.0), "city-2000x200": (2000, 200, 10.0),
              "city-10000x1000": (10000, 1000, 60.0)}


def load(spec: str) -> tuple[Any, float | None, float | None]:
    """An instance by name: (instance, GAP offset, GAP best-known value)."""
    if spec in CITY_SIZES:
        projects, parks, _ = CITY_SIZES[spec]
        return city(projects, parks), None, None
    found = gap.read(SHARED_GAP / spec, gap.best_known_values(SHARED_GAP).get(spec))
    return found.instance, found.offset, found.best_known


def one(spec: str, solver: str, time_limit: float) -> dict[str, Any]:
    """Run in a child process: solve, check independently, report."""
    instance, offset, best_known = load(spec)
    outcome = SOLVERS[solver](instance, time_limit)
    problems = violations(instance, outcome.assignments) if outcome.assignments else []
    report = {k: v for k, v in asdict(outcome).items() if k != "assignments"}
    report.update(instance=spec, solver=solver, time_limit=time_limit, violations=problems[:5],
                  peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if offset is not None:  # GAP: back to the minimisation sense
        report["cost"] = offset - outcome.objective if outcome.objective is not None else None
        report["lp_cost_bound"] = offset - outcome.bound if solver == "lp" and outcome.bound else None
        report["best_known"] = best_known
    return report


def measure(spec: str, solver: str, time_limit: float) -> dict[str, Any]:
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-m", "guiyan_bench.run", "--one", spec, solver,
                            str(time_limit)], capture_output=True, text=True)
    if child.returncode != 0:
        return {"instance": spec, "solver": solver, "error": child.stderr.strip()[-500:],
                "seconds": time.monotonic() - started}
    return json.loads(child.stdout.strip().splitlines()[-1])


def suite(name: str) -> list[tuple[str, float]]:
    gap12 = [(f"cattrysse1994/gap{n}-{k}", 10.0) for n in range(1, 13) for k in range(5)]
    chu_d = [(f"chu1997/d{m}{n}", 30.0) for m in ("05", "10", "20") for n in ("100", "200")]
    cities = [(name, limit) for name, (_, _, limit) in CITY_SIZES.items()]
    return {"quick": [("city-60x12", 10.0), ("city-2000x200", 10.0),
                      ("cattrysse1994/gap1-0", 10.0), ("chu1997/d20200", 30.0)],
            "cities": cities, "gap": gap12 + chu_d, "full": cities + gap12 + chu_d}[name]


def percent(value: float | None, of: float | None) -> str:
    return f"{100 * value / of:6.1f}%" if value is not None and of else "      -"


def table(rows: list[dict[str, Any]]) -> str:
    """`% best bound`: of the tightest upper bound any contender proved on that instance in this run
    (the LP, HiGHS' dual bound, Guiyan's), so closer to the true optimum than `% LP`."""
    lines = [f"{'instance':24} {'solver':9} {'objective':>14} {'% LP':>7} {'% best bound':>12} "
             f"{'gap best':>8} {'first s':>8} {'best s':>8} {'peak MB':>8}  ok"]
    lp = {r["instance"]: r.get("bound") for r in rows if r["solver"] == "lp"}
    tightest: dict[str, float] = {}
    for r in rows:
        if r.get("bound") is not None and "error" not in r:
            tightest[r["instance"]] = min(tightest.get(r["instance"], math.inf), r["bound"])
    for r in rows:
        if "error" in r:
            lines.append(f"{r['instance']:24} {r['solver']:9} error: {r['error'][:60]}")
            continue
        gap_best = ""
        if r.get("best_known") and r.get("cost") is not None:
            gap_best = f"{100 * (r['cost'] - r['best_known']) / r['best_known']:7.2f}%"
        value = r["objective"] if r["solver"] != "lp" else r["bound"]
        shown = f"{value:14,.0f}" if value is not None else f"{'-':>14}"
        lines.append(
            f"{r['instance']:24} {r['solver']:9} {shown} {percent(value, lp.get(r['instance'])):>7} "
            f"{percent(value, tightest.get(r['instance'])):>12} {gap_best:>8} {r['first_seconds'] or 0:8.2f} {r['best_seconds'] or r['seconds']:8.2f} "
            f"{r['peak_rss_mb']:8.0f}  {'yes' if not r['violations'] else 'NO'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="guiyan-bench-solver")
    parser.add_argument("--one", nargs=3, metavar=("INSTANCE", "SOLVER", "SECONDS"))
    parser.add_argument("--suite", choices=["quick", "cities", "gap", "full"], default="quick")
    parser.add_argument("--out", default="bench-results/solver.json")
    arguments = parser.parse_args()
    if arguments.one:
        spec, solver, seconds = arguments.one
        print(json.dumps(one(spec, solver, float(seconds))))
        return
    rows = []
    for spec, limit in suite(arguments.suite):
        for solver in ("lp", "greedy", "highs", "guiyan"):
            rows.append(measure(spec, solver, limit))
            print(f"  {spec} {solver} done", file=sys.stderr, flush=True)
        if spec in REFERENCE_RUNS and arguments.suite != "quick":
            # A long HiGHS run: the objective to match at 10 s, and a tighter proven bound.
            reference = measure(spec, "highs", REFERENCE_RUNS[spec])
            rows.append({**reference, "solver": f"highs{REFERENCE_RUNS[spec]:.0f}s"})
    print(table(rows))
    os.makedirs(Path(arguments.out).parent, exist_ok=True)
    Path(arguments.out).write_text(json.dumps(rows, indent=2))
    print(f"\nwrote {arguments.out}")


if __name__ == "__main__":
    main()
