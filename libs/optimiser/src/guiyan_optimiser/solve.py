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
from dataclasses import dataclass

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
    def __init__(self, report: Callable[[float], None], offset: float) -> None:
        super().__init__()
        self._report, self._offset = report, offset

    def on_solution_callback(self) -> None:
        self._report(self.objective_value / SCALE + self._offset)


@dataclass(frozen=True)
class Exact:
    status: str  # optimal | feasible | infeasible | unknown
    assignments: dict[str, str]
    bound: float


def exact(instance: Instance, time_limit_seconds: float, workers: int, hint: dict[str, str],
          on_solution: Callable[[float], None] | None = None) -> Exact:
    """CP-SAT on the whole instance: one boolean per usable candidate, `hint` as a complete start."""
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
    model.maximize(sum(w * x for w, x in zip(weights, chosen, strict=True)))
    # Every previous pair is charged the penalty up front; keeping one earns it back (see worth).
    constant = -instance.move_penalty * len(instance.previous)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.0, time_limit_seconds)
    solver.parameters.num_workers = workers
    solver.parameters.keep_all_feasible_solutions_in_presolve = True  # keep the hint usable
    status = solver.solve(model, _Progress(on_solution, constant) if on_solution else None)
    if status == cp_model.INFEASIBLE:
        return Exact("infeasible", {}, -math.inf)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assignments = ({candidates[i].project: candidates[i].park
                    for i in range(len(candidates)) if solver.value(chosen[i])} if found else {})
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "unknown")
    return Exact(name, assignments, solver.best_objective_bound / SCALE + constant)


def trivial_bound(instance: Instance) -> float:
    """Every project at its best candidate, capacities ignored: weak, but always valid."""
    best: dict[str, float] = {}
    for candidate in usable(instance):
        best[candidate.project] = max(best.get(candidate.project, 0.0), worth(instance, candidate))
    return sum(best.values()) - instance.move_penalty * len(instance.previous)


def solve(instance: Instance, time_limit_seconds: float = 5.0, workers: int = 2,
          on_improvement: Callable[[float, float], None] | None = None) -> Solution:
    """Greedy start, then CP-SAT on the whole instance for a share of the time (enough to prove
    small instances optimal), then large-neighbourhood search around the incumbent.

    `on_improvement(seconds, objective)` hears of each better plan as it is found."""
    started = time.monotonic()
    deadline = started + time_limit_seconds
    incumbent = Incumbent(instance, started, on_improvement)
    start = greedy(instance)  # a hint even where it misses a required project
    incumbent.offer(start)
    whole = exact(instance, EXACT_SHARE * time_limit_seconds, workers, start,
                  on_solution=incumbent.heard)
    if whole.status == "infeasible":
        return Solution("infeasible", 0.0, 0.0, {}, time.monotonic() - started)
    incumbent.offer(whole.assignments)
    # CP-SAT's bound counts only from a run that searched; an interrupted start proves nothing.
    searched = whole.status in ("optimal", "feasible")
    bound = min(whole.bound, trivial_bound(instance)) if searched else trivial_bound(instance)
    if whole.status == "optimal" or incumbent.plan is None:
        status = whole.status if incumbent.plan is not None else "unknown"
        return incumbent.solution(status, bound)
    from .lns import improve  # the search lives beside; it solves its neighbourhoods with exact()

    improve(instance, incumbent, deadline, workers)
    proven = incumbent.value >= bound - 1e-6
    return incumbent.solution("optimal" if proven else "feasible", bound)


EXACT_SHARE = 0.3  # of the time limit, for CP-SAT on the whole instance before the search


class Incumbent:
    """The best feasible plan so far, and who to tell when it improves."""

    def __init__(self, instance: Instance, started: float,
                 report: Callable[[float, float], None] | None) -> None:
        self.instance, self.started, self.report = instance, started, report
        self.plan: dict[str, str] | None = None
        self.value = -math.inf
        self._reported = -math.inf

    def offer(self, plan: dict[str, str]) -> bool:
        if not self.instance.required <= plan.keys():
            return False
        value = objective(self.instance, plan)
        if value <= self.value + 1e-9:
            return False
        self.plan, self.value = dict(plan), value
        self.heard(value)
        return True

    def heard(self, value: float) -> None:
        """Tell of a better plan once, whether found here or by CP-SAT along the way."""
        if self.report is not None and value > self._reported + 1e-9:
            self._reported = value
            self.report(time.monotonic() - self.started, value)

    def solution(self, status: str, bound: float) -> Solution:
        if self.plan is None:
            return Solution(status, 0.0, bound, {}, time.monotonic() - self.started)
        return Solution(status, self.value, max(bound, self.value), self.plan,
                        time.monotonic() - self.started)
