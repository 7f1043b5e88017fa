"""CP-SAT over the plain instance: one boolean per candidate pair.

A greedy assignment (best score first, while it fits) is given as a complete hint, and stands as
the answer if CP-SAT finds nothing better in time. Decimal scores and uses are scaled to integers:
uses round up and capacities round down, so a scaled-feasible plan is feasible in the real units.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from .instance import Candidate, Instance, Solution

SCALE = 100  # two decimals of every score, use and capacity survive the scaling


def _scaled_use(value: float) -> int:
    return math.ceil(round(value * SCALE, 6))


def _scaled_capacity(value: float) -> int:
    return math.floor(round(value * SCALE, 6))


def usable(instance: Instance) -> list[Candidate]:
    return [c for c in instance.candidates if (c.project, c.park) not in instance.forbidden]


def worth(instance: Instance, candidate: Candidate) -> float:
    """A candidate's score, plus the move penalty it avoids when it keeps a previous pair."""
    kept = (candidate.project, candidate.park) in instance.previous
    return candidate.score + (instance.move_penalty if kept else 0.0)


def objective(instance: Instance, assignments: dict[str, str]) -> float:
    """Σ chosen scores − move_penalty × previous pairs not kept."""
    chosen = sum(c.score for c in instance.candidates if assignments.get(c.project) == c.park)
    moved = sum(1 for p, k in instance.previous if assignments.get(p) != k)
    return chosen - instance.move_penalty * moved


def greedy(instance: Instance) -> dict[str, str]:
    """Pinned pairs first, then the best-scoring candidates that still fit."""
    remaining = {p.id: dict(p.capacity) for p in instance.parks}
    chosen: dict[str, str] = {}

    def take(candidate: Candidate) -> None:
        if candidate.project in chosen:
            return
        room = remaining[candidate.park]
        if all(room.get(r, math.inf) >= u for r, u in candidate.use.items()):
            for resource, used in candidate.use.items():
                if resource in room:
                    room[resource] -= used
            chosen[candidate.project] = candidate.park

    allowed = usable(instance)
    for candidate in allowed:
        if (candidate.project, candidate.park) in instance.pinned:
            take(candidate)
    for candidate in sorted(allowed, key=lambda c: -worth(instance, c)):
        take(candidate)
    return chosen


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[float, float], None], offset: float) -> None:
        super().__init__()
        self._report, self._offset = report, offset

    def on_solution_callback(self) -> None:
        self._report(self.wall_time, self.objective_value / SCALE + self._offset)


def solve(instance: Instance, time_limit_seconds: float = 5.0, workers: int = 2,
          on_improvement: Callable[[float, float], None] | None = None) -> Solution:
    """`on_improvement(seconds, objective)` hears of each better plan as CP-SAT finds it."""
    started = time.monotonic()
    candidates = usable(instance)
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{i}") for i in range(len(candidates))]

    by_project: dict[str, list[int]] = defaultdict(list)
    by_park_resource: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, candidate in enumerate(candidates):
        by_project[candidate.project].append(index)
        for resource in candidate.use:
            by_park_resource[(candidate.park, resource)].append(index)

    for project in instance.projects:
        pairs = [chosen[i] for i in by_project.get(project, [])]
        if project in instance.required:
            model.add_exactly_one(pairs)
        elif pairs:
            model.add_at_most_one(pairs)
    for park in instance.parks:
        for resource, capacity in park.capacity.items():
            indices = by_park_resource.get((park.id, resource), [])
            if indices:
                model.add(sum(_scaled_use(candidates[i].use[resource]) * chosen[i]
                              for i in indices) <= _scaled_capacity(capacity))
    for index, candidate in enumerate(candidates):
        if (candidate.project, candidate.park) in instance.pinned:
            model.add(chosen[index] == 1)

    weights = [round(worth(instance, c) * SCALE) for c in candidates]
    model.maximize(sum(w * x for w, x in zip(weights, chosen, strict=True)))
    # Every previous pair is charged the penalty up front; keeping one earns it back (see worth).
    constant = -instance.move_penalty * len(instance.previous)

    hint = greedy(instance)
    for index, candidate in enumerate(candidates):
        model.add_hint(chosen[index], hint.get(candidate.project) == candidate.park)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_seconds
    solver.parameters.num_workers = workers
    solver.parameters.keep_all_feasible_solutions_in_presolve = True  # keep the hint usable
    status = solver.solve(model, _Progress(on_improvement, constant) if on_improvement else None)
    seconds = time.monotonic() - started

    if status == cp_model.INFEASIBLE:
        return Solution("infeasible", 0.0, 0.0, {}, seconds)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    bound = (solver.best_objective_bound / SCALE + constant
             if found or status == cp_model.UNKNOWN else math.inf)
    assignments = ({candidates[i].project: candidates[i].park
                    for i in range(len(candidates)) if solver.value(chosen[i])} if found else {})
    # The greedy plan stands whenever CP-SAT ran out of time before matching it.
    if instance.required <= hint.keys() and objective(instance, hint) > objective(instance, assignments):
        return Solution("feasible", objective(instance, hint), max(bound, objective(instance, hint)),
                        hint, seconds)
    if not found:
        return Solution("unknown", 0.0, math.inf, {}, seconds)
    return Solution("optimal" if status == cp_model.OPTIMAL else "feasible",
                    objective(instance, assignments), bound, assignments, seconds)
