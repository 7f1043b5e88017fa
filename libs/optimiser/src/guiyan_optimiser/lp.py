"""The LP relaxation: a valid upper bound on any plan's objective, and fractional guidance.

GLOP solves it in well under a second at city scale; CP-SAT's own bound on sparse assignment
instances is far weaker, so the tighter of the two is reported.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .instance import Instance
from .solve import usable, worth


@dataclass(frozen=True)
class Relaxation:
    bound: float  # ≥ the objective of every feasible plan (math.inf if the LP failed)
    values: dict[tuple[str, str], float]  # fractional x of each usable pair
    seconds: float


def relax(instance: Instance) -> Relaxation:
    solver = pywraplp.Solver.CreateSolver("GLOP")
    candidates = usable(instance)
    x = [solver.NumVar(0.0, 1.0, f"x{i}") for i in range(len(candidates))]
    by_project: dict[str, list[int]] = defaultdict(list)
    by_park_resource: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, candidate in enumerate(candidates):
        by_project[candidate.project].append(index)
        for resource in candidate.use:
            by_park_resource[(candidate.park, resource)].append(index)
        if (candidate.project, candidate.park) in instance.pinned:
            x[index].SetLb(1.0)
    for project in instance.projects:
        indices = by_project.get(project, [])
        if indices:
            row = solver.Add(sum(x[i] for i in indices) <= 1)
            if project in instance.required:
                row.SetLb(1.0)
    for park in instance.parks:
        for resource, capacity in park.capacity.items():
            indices = by_park_resource.get((park.id, resource), [])
            if indices:
                solver.Add(sum(candidates[i].use[resource] * x[i] for i in indices) <= capacity)
    solver.Maximize(sum(worth(instance, c) * x[i] for i, c in enumerate(candidates)))
    status = solver.Solve()
    seconds = solver.wall_time() / 1000
    if status != pywraplp.Solver.OPTIMAL:
        return Relaxation(math.inf, {}, seconds)
    constant = -instance.move_penalty * len(instance.previous)
    values = {(c.project, c.park): x[i].solution_value() for i, c in enumerate(candidates)}
    return Relaxation(solver.Objective().Value() + constant, values, seconds)
