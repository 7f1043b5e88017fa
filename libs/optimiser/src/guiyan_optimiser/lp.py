"""The LP relaxation: a valid upper bound on any plan's objective, and fractional guidance.

GLOP solves it in well under a second at city scale; CP-SAT's own bound on sparse assignment
instances is far weaker, so the tighter of the two is reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from .instance import Candidate, Instance, usable, worth

NOTHING = 1e-6  # an LP value at most this is taken as 0


@dataclass(frozen=True)
class Relaxation:
    bound: float  # ≥ the objective of every feasible plan (math.inf if the LP failed)
    x: np.ndarray  # each usable pair's value, in `usable(instance)`'s order (empty if it failed)
    values: dict[tuple[str, str], float]  # the pairs with a value above nothing
    seconds: float
    prices: np.ndarray | None = None  # on the flat view's capacities, where the LP gives them

    @staticmethod
    def none(seconds: float) -> Relaxation:
        """No LP: it failed, or there was no time for it."""
        return Relaxation(math.inf, np.zeros(0), {}, seconds)


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
    index = {(c.project, c.park): i for i, c in enumerate(candidates)} if instance.bonuses else {}
    for bonus in instance.bonuses:  # y ≤ Σ x over its pairs, and y ≤ 1: earned once
        earned = solver.NumVar(0.0, 1.0, "")
        goal.SetCoefficient(earned, bonus.value)
        row = solver.Constraint(-infinity, 0.0)
        row.SetCoefficient(earned, 1.0)
        for pair in bonus.pairs:
            if pair in index:
                row.SetCoefficient(x[index[pair]], -1.0)
    status = solver.Solve()
    seconds = time.monotonic() - started
    if status != pywraplp.Solver.OPTIMAL:
        return Relaxation.none(seconds)
    constant = -instance.move_penalty * len(instance.previous)
    values = np.array([variable.solution_value() for variable in x])
    return Relaxation(goal.Value() + constant, values, nonzero(candidates, values), seconds)


def nonzero(candidates: list[Candidate], x: np.ndarray) -> dict[tuple[str, str], float]:
    """The pairs the LP uses at all: a plan and the LP agree on the rest by leaving them out."""
    return {(candidates[i].project, candidates[i].park): float(x[i])
            for i in np.flatnonzero(x > NOTHING)}
