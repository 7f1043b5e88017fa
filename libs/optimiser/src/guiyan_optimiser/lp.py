"""The LP relaxation: a valid upper bound on any plan's objective, and fractional guidance.

GLOP solves it in well under a second at city scale; CP-SAT's own bound on sparse assignment
instances is far weaker, so the tighter of the two is reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .instance import Instance, usable, worth


@dataclass(frozen=True)
class Relaxation:
    bound: float  # ≥ the objective of every feasible plan (math.inf if the LP failed)
    values: dict[tuple[str, str], float]  # fractional x of each usable pair
    seconds: float


def relax(instance: Instance) -> Relaxation:
    """Built coefficient by coefficient: pywraplp's expression API costs more than GLOP's solve."""
    started = time.monotonic()
    solver = pywraplp.Solver.CreateSolver("GLOP")
    candidates = usable(instance)
    infinity = solver.infinity()
    rows: dict[tuple[str, str], pywraplp.Constraint] = {}
    for project in instance.projects:
        rows[("project", project)] = solver.Constraint(
            1.0 if project in instance.required else 0.0, 1.0)
    for park in instance.parks:
        for resource, capacity in park.capacity.items():
            rows[(park.id, resource)] = solver.Constraint(-infinity, capacity)
    goal = solver.Objective()
    goal.SetMaximization()
    x = []
    for candidate in candidates:
        pinned = (candidate.project, candidate.park) in instance.pinned
        variable = solver.NumVar(1.0 if pinned else 0.0, 1.0, "")
        x.append(variable)
        rows[("project", candidate.project)].SetCoefficient(variable, 1.0)
        for resource, amount in candidate.use.items():
            if (row := rows.get((candidate.park, resource))) is not None:
                row.SetCoefficient(variable, amount)
        goal.SetCoefficient(variable, worth(instance, candidate))
    status = solver.Solve()
    seconds = time.monotonic() - started
    if status != pywraplp.Solver.OPTIMAL:
        return Relaxation(math.inf, {}, seconds)
    constant = -instance.move_penalty * len(instance.previous)
    values = {(c.project, c.park): x[i].solution_value() for i, c in enumerate(candidates)}
    return Relaxation(goal.Value() + constant, values, seconds)
