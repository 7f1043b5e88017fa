"""The contenders, each given the same instance and time limit: greedy, HiGHS, Guiyan, and the LP."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from guiyan_optimiser import Instance, solve
from guiyan_optimiser.greedy import greedy
from guiyan_optimiser.instance import objective, usable, worth
from guiyan_optimiser.lp import relax
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array


@dataclass
class Outcome:
    objective: float | None  # None: no feasible plan found
    bound: float | None  # a proven upper bound, where the solver gives one
    first_seconds: float | None
    best_seconds: float | None
    seconds: float
    status: str
    assignments: dict[str, str]


def run_greedy(instance: Instance, time_limit: float) -> Outcome:
    started = time.monotonic()
    plan = greedy(instance)
    seconds = time.monotonic() - started
    feasible = instance.required <= plan.keys()
    return Outcome(objective(instance, plan) if feasible else None, None, seconds, seconds, seconds,
                   "feasible" if feasible else "infeasible", plan)


def run_guiyan(instance: Instance, time_limit: float, workers: int = 2) -> Outcome:
    found: list[float] = []
    solution = solve(instance, time_limit, workers=workers, on_improvement=lambda s, _: found.append(s))
    feasible = solution.status in ("optimal", "feasible")
    return Outcome(solution.objective if feasible else None,
                   solution.bound if math.isfinite(solution.bound) else None,
                   found[0] if found else solution.seconds, found[-1] if found else solution.seconds,
                   solution.seconds, solution.status, solution.assignments)


def run_lp(instance: Instance, time_limit: float) -> Outcome:
    relaxation = relax(instance)
    return Outcome(None, relaxation.bound, None, None, relaxation.seconds, "relaxation", {})


def run_highs(instance: Instance, time_limit: float) -> Outcome:
    """HiGHS through scipy.optimize.milp, on the same model: one binary per usable candidate."""
    started = time.monotonic()
    candidates = usable(instance)
    count = len(candidates)
    rows: dict[tuple[str, str], int] = {}
    entries: list[tuple[int, int, float]] = []
    lower: list[float] = []
    upper: list[float] = []

    def row(key: tuple[str, str], low: float, high: float) -> int:
        if key not in rows:
            rows[key] = len(lower)
            lower.append(low)
            upper.append(high)
        return rows[key]

    capacity = {(p.id, r): c for p in instance.parks for r, c in p.capacity.items()}
    for index, candidate in enumerate(candidates):
        required = candidate.project in instance.required
        entries.append((row(("project", candidate.project), 1.0 if required else 0.0, 1.0), index, 1.0))
        for resource, amount in candidate.use.items():
            if (candidate.park, resource) in capacity:
                limit = capacity[(candidate.park, resource)]
                entries.append((row(("park", f"{candidate.park}/{resource}"), -np.inf, limit),
                                index, amount))
    matrix = csr_array(([v for _, _, v in entries], ([r for r, _, _ in entries],
                                                     [c for _, c, _ in entries])),
                       shape=(len(lower), count))
    low_bounds = np.array([1.0 if (c.project, c.park) in instance.pinned else 0.0 for c in candidates])
    result = milp(-np.array([worth(instance, c) for c in candidates]),
                  constraints=LinearConstraint(matrix, np.array(lower), np.array(upper)),
                  integrality=np.ones(count), bounds=Bounds(low_bounds, np.ones(count)),
                  options={"time_limit": time_limit, "disp": False})
    seconds = time.monotonic() - started
    constant = -instance.move_penalty * len(instance.previous)
    bound = getattr(result, "mip_dual_bound", None)
    bound = -bound + constant if bound is not None and math.isfinite(bound) else None
    if result.x is None:
        return Outcome(None, bound, None, None, seconds, "unknown", {})
    plan = {candidates[i].project: candidates[i].park for i in np.flatnonzero(result.x > 0.5)}
    status = "optimal" if result.status == 0 else "feasible"
    return Outcome(objective(instance, plan), bound, seconds, seconds, seconds, status, plan)


SOLVERS = {"greedy": run_greedy, "highs": run_highs, "guiyan": run_guiyan, "lp": run_lp}


def violations(instance: Instance, plan: dict[str, str]) -> list[str]:
    """An independent check of a plan against every constraint of its instance."""
    problems = []
    pairs = {(c.project, c.park): c for c in instance.candidates}
    used: dict[tuple[str, str], float] = defaultdict(float)
    for project, park in plan.items():
        candidate = pairs.get((project, park))
        if candidate is None or (project, park) in instance.forbidden:
            problems.append(f"{project} → {park} is not an allowed candidate")
            continue
        for resource, amount in candidate.use.items():
            used[(park, resource)] += amount
    for park in instance.parks:
        for resource, limit in park.capacity.items():
            if used[(park.id, resource)] > limit + 1e-6:
                problems.append(f"{park.id} over {resource}: {used[(park.id, resource)]} > {limit}")
    problems += [f"required {p} unplaced" for p in instance.required if p not in plan]
    problems += [f"pinned {p} → {k} not kept" for p, k in instance.pinned if plan.get(p) != k]
    return problems
