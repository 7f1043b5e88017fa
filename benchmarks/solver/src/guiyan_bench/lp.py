"""The LP bound at any scale: PDLP (first-order, sparse, threaded) solves the relaxation, and the
bound reported is the Lagrangian value at its capacity duals, valid whatever PDLP's accuracy.

Relaxing the capacity rows with multipliers λ ≥ 0 leaves one choice a project, so for any λ

    L(λ) = Σ_rows capacity·λ + Σ_projects (pinned: its pair's reduced worth;
           required: the best reduced worth; else max(best reduced worth, 0)) + constant
           + the most the bonuses can add (the model leaves them out)

with reduced worth = worth − Σ_resources use·λ, is ≥ every feasible plan's objective. At the
LP's optimal duals it equals the LP value, so PDLP's near-optimal duals give a bound near it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.pdlp import solve_log_pb2, solvers_pb2
from ortools.pdlp.python import pdlp

from .model import Model

RELATIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class LpBound:
    bound: float  # rigorous: the Lagrangian value at PDLP's duals (−inf: no feasible plan)
    primal: float  # PDLP's primal objective, approximate (neither bound nor feasible)
    seconds: float
    termination: str


def lagrangian_bound(model: Model, multipliers: np.ndarray) -> float:
    """L(λ) above, for λ ≥ 0 on the capacity rows (in their order in the model)."""
    prices = np.concatenate([np.zeros(model.projects), multipliers])
    reduced = model.worth - model.matrix.T @ prices
    best = np.full(model.projects, -np.inf)
    np.maximum.at(best, model.project_of, reduced)
    pinned = np.flatnonzero(model.lower > 0)
    best[model.project_of[pinned]] = reduced[pinned]  # its row ≤ 1 holds the others at 0
    forced = model.required.copy()
    forced[model.project_of[pinned]] = True
    per_project = np.where(forced, best, np.maximum(best, 0.0))
    if not np.all(np.isfinite(per_project)):
        return -math.inf  # a required project without a usable candidate
    capacities = model.row_upper[model.projects:]
    return float(capacities @ multipliers + per_project.sum() + model.constant + model.bonus_ceiling)


def relax(model: Model, time_limit: float, threads: int = 2) -> LpBound:
    started = time.monotonic()
    program = pdlp.QuadraticProgram()
    program.objective_vector = -model.worth  # PDLP minimises
    program.constraint_matrix = model.matrix
    program.constraint_lower_bounds = model.row_lower
    program.constraint_upper_bounds = model.row_upper
    program.variable_lower_bounds = model.lower
    program.variable_upper_bounds = np.ones(len(model.worth))
    params = solvers_pb2.PrimalDualHybridGradientParams()
    params.num_threads = threads
    params.termination_criteria.simple_optimality_criteria.eps_optimal_relative = RELATIVE_TOLERANCE
    params.termination_criteria.simple_optimality_criteria.eps_optimal_absolute = RELATIVE_TOLERANCE
    params.termination_criteria.time_sec_limit = time_limit
    result = pdlp.primal_dual_hybrid_gradient(program, params)
    # In PDLP's minimisation a ≤ row's dual is ≤ 0: the multiplier in the maximisation is −dual.
    multipliers = np.maximum(-np.asarray(result.dual_solution)[model.projects:], 0.0)
    primal = float(model.worth @ result.primal_solution + model.constant)
    reason = solve_log_pb2.TerminationReason.Name(result.solve_log.termination_reason)
    return LpBound(lagrangian_bound(model, multipliers), primal, time.monotonic() - started, reason)
