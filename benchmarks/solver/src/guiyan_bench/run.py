"""`make bench-solver`: every contender on every instance of a suite at the same time limit.

Each (instance, contender) runs in a fresh process, so its peak memory is its own, and gets two
threads where it can use them. Every plan is checked and valued by the independent checker. Prints
one line a run, the spread across seeds of each family, and the acceptance targets with PASS or
MISS (`targets`); writes the runs as JSON.

Suites (`catalogue`): `quick` (each shape at 500 × 50 on one seed, and two small GAP instances: a
few minutes), `shapes`, `gap`, `full` (both). `--seeds tune` swaps the judge seeds for the tuning
ones; `--match TEXT` keeps the instances whose name contains it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import catalogue
from .check import plan_value, violations
from .metrics import compare
from .report import families_table, runs_table
from .solvers import SOLVERS, applies, run_seconds
from .targets import summary

# A run is stopped at 3 × its limit + 60 s (loading and checking included): a contender that
# overruns that far has no plan in time, and the suite must still finish.
OVERRUN_FACTOR = 3
OVERRUN_SECONDS = 60


def one(name: str, solver: str, time_limit: float) -> dict[str, Any]:
    """In a child process: solve, then check and value the plan independently."""
    loaded = catalogue.load(name)
    outcome = SOLVERS[solver](loaded.instance, time_limit)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the checking
    has_plan = outcome.objective is not None
    problems = violations(loaded.instance, outcome.assignments) if has_plan else []
    worth = plan_value(loaded.instance, outcome.assignments) if has_plan and not problems else None
    report = {k: v for k, v in asdict(outcome).items() if k not in ("assignments", "objective")}
    report.update(instance=name, family=catalogue.family(name), solver=solver,
                  time_limit=time_limit, objective=worth, claimed=outcome.objective,
                  feasible=worth is not None, violations=problems[:5],
                  peak_rss_mb=peak_rss_mb,
                  # A generated instance's hidden plan, or a public one's best-known value, shows
                  # that a plan exists: a run without one has failed.
                  plan_exists=loaded.hidden is not None or loaded.best_known is not None)
    if loaded.offset is not None:  # GAP: back to the minimisation sense
        report["cost"] = loaded.offset - worth if worth is not None else None
        report["best_known"] = loaded.best_known
    return report


def measure(name: str, solver: str, time_limit: float) -> dict[str, Any]:
    """One run in a child process, killed if it overruns its limit far enough to stall the suite."""
    started = time.monotonic()
    failed = {"instance": name, "family": catalogue.family(name), "solver": solver,
              "time_limit": time_limit}
    allowed = run_seconds(solver, time_limit)
    try:
        child = subprocess.run([sys.executable, "-m", "guiyan_bench.run", "--one", name, solver,
                                str(time_limit)], capture_output=True, text=True,
                               timeout=OVERRUN_FACTOR * allowed + OVERRUN_SECONDS)
    except subprocess.TimeoutExpired:
        return {**failed, "error": f"overran its {allowed:g} s limit: stopped",
                "seconds": time.monotonic() - started}
    if child.returncode != 0:
        return {**failed, "error": child.stderr.strip()[-500:], "seconds": time.monotonic() - started}
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(prog="guiyan-bench-solver")
    parser.add_argument("--one", nargs=3, metavar=("INSTANCE", "SOLVER", "SECONDS"))
    parser.add_argument("--suite", choices=["quick", "shapes", "gap", "full"], default="quick")
    parser.add_argument("--seeds", choices=sorted(catalogue.SEEDS), default="judge")
    parser.add_argument("--match", default="", help="only instances whose name contains this")
    parser.add_argument("--out", default="bench-results/solver.json")
    arguments = parser.parse_args()
    if arguments.one:
        name, solver, seconds = arguments.one
        print(json.dumps(one(name, solver, float(seconds))))
        return
    rows = []
    for name, limit in catalogue.suite(arguments.suite, arguments.seeds):
        if arguments.match not in name:
            continue
        for solver in (s for s in SOLVERS if applies(s, name)):
            rows.append(measure(name, solver, limit))
            print(f"  {name} {solver} done", file=sys.stderr, flush=True)
    rows = compare(rows)
    print(runs_table(rows), families_table(rows), summary(rows), sep="\n\n")
    os.makedirs(Path(arguments.out).parent, exist_ok=True)
    Path(arguments.out).write_text(json.dumps(rows, indent=2))
    print(f"\nwrote {arguments.out}")


if __name__ == "__main__":
    main()
