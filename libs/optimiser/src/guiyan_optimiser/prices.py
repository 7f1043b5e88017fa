"""Prices on the parks' capacities, from the LP, and the bound they prove.

The LP over millions of pairs is solved by OR-Tools' PDLP (first-order, matrix-free: seconds and
a few hundred MB at 10^6 pairs, where simplex takes minutes). PDLP's answer is approximate, so
its objective is not reported as a bound. Its duals on the capacity rows are prices instead, and
the Lagrangian with capacities priced gives a rigorous bound at any prices ≥ 0: each project
picks its best pair at those prices, independently, in one vectorised pass. At PDLP's duals that
bound is the LP's value to within PDLP's tolerance.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.pdlp import solvers_pb2
from ortools.pdlp.python import pdlp
from scipy.sparse import csc_matrix

from .instance import Instance, fixed_worth, usable
from .lp import Relaxation
from .pairs import Pairs

TOLERANCE = 1e-3  # PDLP's relative optimality: the bound at its duals is this close to the LP's
# (1e-4 takes twice as long on a dense 2,000 × 200, and its rounding is no better)


@dataclass(frozen=True)
class Prices:
    values: np.ndarray  # (P,) the LP's x of each pair, approximately
    prices: np.ndarray  # (parks, resources) ≥ 0, 0 where uncapped
    bound: float  # the Lagrangian bound at `prices`, on the movable projects' worth


def lagrangian_bound(pairs: Pairs, prices: np.ndarray) -> float:
    """max over plans ignoring capacities of Σ reduced worth, plus what the room is worth at
    `prices`: ≥ the worth of every plan, for any prices ≥ 0. A required project without pairs
    makes it +inf (no plan; nothing to bound)."""
    best = pairs.best_of_each(pairs.reduced(prices))
    if np.any(pairs.required & ~np.isfinite(best)):
        return math.inf
    each = np.where(pairs.required, best, np.maximum(best, 0.0))
    room = np.where(np.isfinite(pairs.room), pairs.room, 0.0)
    return float((room * prices).sum() + each.sum())


def _capacity_rows(pairs: Pairs) -> np.ndarray:
    """Each (park, resource) cell's row after the project rows, -1 where uncapped."""
    capped = np.isfinite(pairs.room)
    rows = np.full(pairs.room.shape, -1, dtype=np.int64)
    rows[capped] = len(pairs.projects) + np.arange(int(capped.sum()))
    return rows


def linear_relaxation(pairs: Pairs, *, seconds: float, threads: int) -> Prices | None:
    """The LP max Σ worth·x, each project at most (required: exactly) once, each capped
    resource within its room, 0 ≤ x ≤ 1; None when PDLP has no answer in time. The `seconds`
    include building the model (a province's takes one to two)."""
    until = time.monotonic() + seconds
    n, count = len(pairs.projects), len(pairs.worth)
    rows = _capacity_rows(pairs)
    capacity_rows = int((rows >= 0).sum())
    entry_row = [pairs.project]
    entry_column = [np.arange(count)]
    entry_value = [np.ones(count)]
    for r in range(pairs.use.shape[1]):
        row = rows[pairs.park, r]
        used = (row >= 0) & (pairs.use[:, r] > 0)
        entry_row.append(row[used])
        entry_column.append(np.flatnonzero(used))
        entry_value.append(pairs.use[used, r])
    matrix = csc_matrix((np.concatenate(entry_value),
                         (np.concatenate(entry_row), np.concatenate(entry_column))),
                        shape=(n + capacity_rows, count))
    program = pdlp.QuadraticProgram()
    program.objective_vector = -pairs.worth  # PDLP minimises
    program.constraint_matrix = matrix
    program.constraint_lower_bounds = np.concatenate(
        [pairs.required.astype(float), np.full(capacity_rows, -np.inf)])
    program.constraint_upper_bounds = np.concatenate(
        [np.ones(n), pairs.room[np.isfinite(pairs.room)]])
    program.variable_lower_bounds = np.zeros(count)
    program.variable_upper_bounds = np.ones(count)
    parameters = solvers_pb2.PrimalDualHybridGradientParams()
    parameters.num_threads = max(1, threads)
    parameters.termination_criteria.eps_optimal_relative = TOLERANCE
    parameters.termination_criteria.eps_optimal_absolute = TOLERANCE
    parameters.termination_criteria.time_sec_limit = max(0.1, until - time.monotonic())
    result = pdlp.primal_dual_hybrid_gradient(program, parameters)
    if result.primal_solution is None or len(result.primal_solution) != count:
        return None
    # A ≤ row's dual is ≤ 0 when minimising; its price in the maximisation is its negation.
    prices = np.zeros(pairs.room.shape)
    capped = rows >= 0
    prices[capped] = np.maximum(-np.asarray(result.dual_solution)[rows[capped]], 0.0)
    values = np.clip(np.asarray(result.primal_solution), 0.0, 1.0)
    return Prices(values, prices, lagrangian_bound(pairs, prices))


def relax_at_scale(instance: Instance, flat: Pairs, *, seconds: float, threads: int) -> Relaxation:
    """The LP by PDLP, as `lp.relax` gives it but for its values by pair: PDLP's are too
    approximate for RINS to compare a plan with (and a province's dict of them took a second).
    Its bound is the Lagrangian's at its prices (with what the pinned projects add), which is
    rigorous."""
    started = time.monotonic()
    found = linear_relaxation(flat, seconds=seconds, threads=threads)
    if found is None:
        return Relaxation.none(time.monotonic() - started)
    x = np.zeros(len(usable(instance)))
    x[flat.source] = found.values
    return Relaxation(found.bound + fixed_worth(instance), x, {}, time.monotonic() - started,
                      found.prices)
