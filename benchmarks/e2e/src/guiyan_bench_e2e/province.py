"""A province's plan (10,000 projects, 1,000 parks) through matching's own planning functions, in
a process of its own: the rules and the instance (compile), the solve, the explanations and the
fingerprint, each timed, and the process's peak RSS. The event path (10,000 submissions, a
thousand parks and managers registered over HTTP) would take the better part of an hour on the
2-core host for the same plan, so the province is measured here rather than there.

`python -m guiyan_bench_e2e.province PROJECTS PARKS TIME_LIMIT` prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from datetime import date
from typing import Any

import numpy as np
from guiyan_optimiser import solve

from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_devstack import load
from guiyan_matching.adapters.policies import load_policy
from guiyan_matching.domain.planning import PlanInputs, decide, pairings, to_instance
from guiyan_matching.domain.scenario import Scenario, plan_inputs
from guiyan_matching.service_layer.instance_fingerprint import fingerprint

from .run import peak_rss_mb

CITY = "heze"


def city(count: int, park_count: int) -> PlanInputs:
    """The province's parks (each sector taken by about 18% of them) and the demo's projects."""
    return plan_inputs(Scenario.model_validate({
        "format": "guiyan-scenario/1", "city": CITY, "today": date.today().isoformat(),
        "parks": load.province_parks(CITY, park_count), "projects": load.projects(CITY, count)}))


def plan(count: int, park_count: int, time_limit: float) -> dict[str, Any]:
    inputs = city(count, park_count)
    taxonomy, policy = load_taxonomy(CITY), load_policy(CITY)
    gc.collect()
    gc.freeze()  # as the service does after start-up (guiyan_eventing.runtime)
    started = time.monotonic()
    eligible, excluded = pairings(inputs, taxonomy, policy)
    weighed = time.monotonic()
    instance = to_instance(inputs, eligible, policy)
    compiled = time.monotonic()
    solution = solve(instance, time_limit)
    solved = time.monotonic()
    offers, unplaced = decide(inputs, eligible, excluded, solution, policy, taxonomy)
    explained = time.monotonic()
    fingerprint(instance)
    done = time.monotonic()
    per_project = np.bincount(np.unique([c.project for c in instance.candidates],
                                        return_inverse=True)[1])
    return {
        "projects": count, "parks": park_count, "pairs": count * park_count,
        "eligible_pairs": len(instance.candidates),
        "eligible_per_project": {"p5": float(np.percentile(per_project, 5)),
                                 "median": float(np.median(per_project)),
                                 "p95": float(np.percentile(per_project, 95))},
        "rules_seconds": weighed - started, "instance_seconds": compiled - weighed,
        "compile_seconds": compiled - started, "solve_seconds": solved - compiled,
        "solve_time_limit": time_limit, "explain_seconds": explained - solved,
        "fingerprint_seconds": done - explained, "plan_seconds": done - started,
        "status": solution.status, "objective": solution.objective, "bound": solution.bound,
        "offered": len(offers), "unplaced": len(unplaced),
        "peak_rss_mb": peak_rss_mb(os.getpid()),
    }


def main() -> None:
    count, park_count, time_limit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    print(json.dumps(plan(count, park_count, time_limit)))


if __name__ == "__main__":
    main()
