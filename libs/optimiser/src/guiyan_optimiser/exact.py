"""CP-SAT on a whole instance: one boolean per usable candidate, one per bonus that any of its
pairs earns, and a complete hint to start from.

Decimal scores and uses are scaled to integers: uses round up and capacities round down, so a
scaled-feasible plan is feasible in the real units.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .instance import Instance, usable, worth
from .stop import Stop

SCALE = 100  # two decimals of every score, use and capacity survive the scaling


def _scaled_use(value: float) -> int:
    return math.ceil(round(value * SCALE, 6))


def _scaled_capacity(value: float) -> int:
    return math.floor(round(value * SCALE, 6))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[float], None] | None, offset: float, stop: Stop) -> None:
        super().__init__()
        self._report, self._offset, self._stop = report, offset, stop

    def on_solution_callback(self) -> None:
        if self._report is not None:
            self._report(self.objective_value / SCALE + self._offset)
        if self._stop.is_set():  # set before this search could be told
            self.stop_search()


@dataclass(frozen=True)
class Exact:
    status: str  # optimal | feasible | infeasible | unknown
    assignments: dict[str, str]
    bound: float


def exact(instance: Instance, *, time_limit_seconds: float, workers: int, hint: dict[str, str],
          on_solution: Callable[[float], None] | None = None, stop: Stop | None = None,
          first: bool = False) -> Exact:
    """CP-SAT on the whole instance: one boolean per usable candidate, `hint` as a start.
    A `stop` set during the search ends it with the best plan so far; `first` ends it at the
    first plan (a search for any plan at all, where the heuristics found none)."""
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
        model.add_hint(chosen[index], hint.get(candidate.project) == candidate.park)

    weights = [round(worth(instance, c) * SCALE) for c in candidates]
    goal = sum(w * x for w, x in zip(weights, chosen, strict=True))
    index = {(c.project, c.park): i for i, c in enumerate(candidates)}
    for bonus in instance.bonuses:
        members = [chosen[index[pair]] for pair in sorted(bonus.pairs) if pair in index]
        if members and bonus.value > 0:
            earned = model.new_bool_var(f"b{bonus.id}")
            model.add_bool_or(members).only_enforce_if(earned)  # earned once, by any member
            goal += round(bonus.value * SCALE) * earned
    model.maximize(goal)
    # Every previous pair is charged the penalty up front; keeping one earns it back (see worth).
    constant = -instance.move_penalty * len(instance.previous)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.0, time_limit_seconds)
    solver.parameters.num_workers = workers
    if workers == 1:  # a neighbourhood: its full LP at every node finds and proves optima ~2× faster
        solver.parameters.linearization_level = 2
    solver.parameters.keep_all_feasible_solutions_in_presolve = True  # keep the hint usable
    solver.parameters.stop_after_first_solution = first
    stop = stop or Stop()
    if stop.is_set():
        return Exact("unknown", {}, math.inf)
    with stop.watching(solver):
        status = solver.solve(model, _Progress(on_solution, constant, stop))
    if status == cp_model.INFEASIBLE:
        return Exact("infeasible", {}, -math.inf)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assignments = ({candidates[i].project: candidates[i].park
                    for i in range(len(candidates)) if solver.value(chosen[i])} if found else {})
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "unknown")
    return Exact(name, assignments, solver.best_objective_bound / SCALE + constant)
