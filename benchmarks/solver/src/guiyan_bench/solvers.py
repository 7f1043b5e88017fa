"""The contenders, each given the same instance, time limit and two threads where it can use
them: greedy, HiGHS, Guiyan, and the LP bound (PDLP). On the 2,000 × 200 shapes one more bound
joins them, the Lagrangian with whole projects packed into each park (`knapsack`): a bound to
judge plans by, given a minute of its own whatever the plans' limit."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from guiyan_optimiser import Instance, solve
from guiyan_optimiser.greedy import greedy
from guiyan_optimiser.instance import objective
from guiyan_optimiser.knapsacks import park_bound
from scipy.optimize import Bounds, LinearConstraint, milp

from . import lp
from .model import build

WORKERS = 2
KNAPSACK_SECONDS = 60.0  # on dense-2000x200 its steps have settled to within 0.05% by then


@dataclass
class Outcome:
    objective: float | None  # as the contender claims it; None: no feasible plan found
    bound: float | None  # a proven upper bound, where the contender gives one
    first_seconds: float | None  # until its first feasible plan
    best_seconds: float | None  # until its best one
    seconds: float
    status: str
    assignments: dict[str, str]
    lp_primal: float | None = None  # the LP's own (approximate) objective, for the lp contender


def run_greedy(instance: Instance, time_limit: float) -> Outcome:
    started = time.monotonic()
    plan = greedy(instance)
    seconds = time.monotonic() - started
    feasible = instance.required <= plan.keys()
    return Outcome(objective(instance, plan) if feasible else None, None, seconds, seconds, seconds,
                   "feasible" if feasible else "infeasible", plan)


def run_guiyan(instance: Instance, time_limit: float) -> Outcome:
    found: list[float] = []
    solution = solve(instance, time_limit, workers=WORKERS,
                     on_improvement=lambda seconds, _: found.append(seconds))
    feasible = solution.status in ("optimal", "feasible")
    return Outcome(solution.objective if feasible else None,
                   solution.bound if math.isfinite(solution.bound) else None,
                   found[0] if found else None, found[-1] if found else None,
                   solution.seconds, solution.status, solution.assignments)


def run_lp(instance: Instance, time_limit: float) -> Outcome:
    started = time.monotonic()
    model = build(instance)
    relaxation = lp.relax(model, max(1.0, time_limit - (time.monotonic() - started)), WORKERS)
    bound = relaxation.bound if math.isfinite(relaxation.bound) else None
    return Outcome(None, bound, None, None, time.monotonic() - started, relaxation.termination, {},
                   relaxation.primal)


def run_highs(instance: Instance, time_limit: float) -> Outcome:
    """HiGHS through scipy.optimize.milp on the same model. scipy reports no plan before the end,
    so its first and best plans are both timed at the end."""
    started = time.monotonic()
    model = build(instance)
    count = len(model.candidates)
    result = milp(-model.worth,
                  constraints=LinearConstraint(model.matrix, model.row_lower, model.row_upper),
                  integrality=np.ones(count), bounds=Bounds(model.lower, np.ones(count)),
                  options={"time_limit": max(1.0, time_limit - (time.monotonic() - started)),
                           "disp": False})
    seconds = time.monotonic() - started
    bound = getattr(result, "mip_dual_bound", None)
    bound = (-bound + model.constant + model.bonus_ceiling
             if bound is not None and math.isfinite(bound) else None)
    if result.x is None:
        return Outcome(None, bound, None, None, seconds, "unknown", {})
    plan = {model.candidates[i].project: model.candidates[i].park
            for i in np.flatnonzero(result.x > 0.5)}
    status = "optimal" if result.status == 0 else "feasible"
    return Outcome(objective(instance, plan), bound, seconds, seconds, seconds, status, plan)


def run_knapsack(instance: Instance, time_limit: float) -> Outcome:
    started = time.monotonic()
    bound = park_bound(instance, seconds=KNAPSACK_SECONDS, threads=WORKERS)
    return Outcome(None, bound if math.isfinite(bound) else None, None, None,
                   time.monotonic() - started, "bound", {})


SOLVERS = {"lp": run_lp, "knapsack": run_knapsack, "greedy": run_greedy, "highs": run_highs,
           "guiyan": run_guiyan}


def applies(solver: str, instance: str) -> bool:
    return solver != "knapsack" or "-2000x200-" in instance


def run_seconds(solver: str, time_limit: float) -> float:
    """How long a run may take before its overrun is judged."""
    return KNAPSACK_SECONDS if solver == "knapsack" else time_limit
