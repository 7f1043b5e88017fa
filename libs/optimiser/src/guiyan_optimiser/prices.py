"""Prices on the parks' capacities, from the LP, and the bound they prove.

The LP over millions of pairs is solved by OR-Tools' PDLP (first-order, matrix-free: seconds and
a few hundred MB at 10^6 pairs, where simplex takes minutes). PDLP's answer is approximate, so
its objective is not reported as a bound. Its duals on the capacity rows are prices instead, and
the Lagrangian with capacities priced gives a rigorous bound at any prices ≥ 0: each project
picks its best pair at those prices, independently, in one vectorised pass. At PDLP's duals that
bound is the LP's value to within PDLP's tolerance; with bonuses, a few times that (up to 1e-2
relative on small instances).

A bonus is earned once: the LP has it as y ≤ Σ x over its pairs, y ≤ 1, as GLOP's has. Its
Lagrangian prices that row too, at μ ≥ 0: each pair of the bonus gains μ, and the bonus adds
what is left of its value, max(0, value − μ). At μ = value this is each pair hoping for every
bonus it could earn; at μ = 0, the scores alone beside every bonus earned.
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
    bonus_prices: np.ndarray  # (bonuses,) ≥ 0: μ on each bonus's row
    bound: float  # the Lagrangian bound at both, on the movable projects' worth


def lagrangian_bound(pairs: Pairs, prices: np.ndarray,
                     bonus_prices: np.ndarray | None = None) -> float:
    """max over plans ignoring capacities and the bonuses' rows of Σ reduced worth, plus what
    the room is worth at `prices` and what is left of each bonus at `bonus_prices` (μ; None
    is μ = each bonus's value): ≥ the worth of every plan, for any prices ≥ 0 and μ ≥ 0. A
    required project without pairs makes it +inf (no plan; nothing to bound)."""
    worth, left = None, 0.0
    if bonus_prices is not None:
        bonuses = pairs.bonuses
        worth = pairs.score + bonuses.on_pair(bonus_prices)
        left = float(np.maximum(bonuses.value - bonus_prices, 0.0).sum())
    best = pairs.best_of_each(pairs.reduced(prices, worth))
    if np.any(pairs.required & ~np.isfinite(best)):
        return math.inf
    each = np.where(pairs.required, best, np.maximum(best, 0.0))
    room = np.where(np.isfinite(pairs.room), pairs.room, 0.0)
    return float((room * prices).sum() + each.sum()) + left


def _capacity_rows(pairs: Pairs) -> np.ndarray:
    """Each (park, resource) cell's row after the project rows, -1 where uncapped."""
    capped = np.isfinite(pairs.room)
    rows = np.full(pairs.room.shape, -1, dtype=np.int64)
    rows[capped] = len(pairs.projects) + np.arange(int(capped.sum()))
    return rows


def linear_relaxation(pairs: Pairs, *, seconds: float, threads: int) -> Prices | None:
    """The LP max Σ score·x + Σ value·y, each project at most (required: exactly) once, each
    capped resource within its room, each bonus y ≤ Σ x over its pairs, 0 ≤ x, y ≤ 1; None when
    PDLP has no answer in time. The `seconds` include building the model (a province's takes
    one to two)."""
    until = time.monotonic() + seconds
    n, count = len(pairs.projects), len(pairs.worth)
    rows = _capacity_rows(pairs)
    capacity_rows = int((rows >= 0).sum())
    bonuses = pairs.bonuses
    live = np.flatnonzero(bonuses.value > 0)  # a bonus a pin earns already is worth nothing
    bonus_row = np.full(len(bonuses.value), -1, dtype=np.int64)
    bonus_row[live] = n + capacity_rows + np.arange(len(live))
    entered = bonus_row[bonuses.bonus] >= 0
    entry_row = [pairs.project, bonus_row[bonuses.bonus[entered]], bonus_row[live]]
    entry_column = [np.arange(count), bonuses.pair[entered], count + np.arange(len(live))]
    entry_value = [np.ones(count), -np.ones(int(entered.sum())), np.ones(len(live))]
    for r in range(pairs.use.shape[1]):
        row = rows[pairs.park, r]
        used = (row >= 0) & (pairs.use[:, r] > 0)
        entry_row.append(row[used])
        entry_column.append(np.flatnonzero(used))
        entry_value.append(pairs.use[used, r])
    matrix = csc_matrix((np.concatenate(entry_value),
                         (np.concatenate(entry_row), np.concatenate(entry_column))),
                        shape=(n + capacity_rows + len(live), count + len(live)))
    program = pdlp.QuadraticProgram()
    program.objective_vector = -np.concatenate([pairs.score, bonuses.value[live]])  # minimises
    program.constraint_matrix = matrix
    program.constraint_lower_bounds = np.concatenate(
        [pairs.required.astype(float), np.full(capacity_rows + len(live), -np.inf)])
    program.constraint_upper_bounds = np.concatenate(
        [np.ones(n), pairs.room[np.isfinite(pairs.room)], np.zeros(len(live))])
    program.variable_lower_bounds = np.zeros(count + len(live))
    program.variable_upper_bounds = np.ones(count + len(live))
    parameters = solvers_pb2.PrimalDualHybridGradientParams()
    parameters.num_threads = max(1, threads)
    parameters.termination_criteria.eps_optimal_relative = TOLERANCE
    parameters.termination_criteria.eps_optimal_absolute = TOLERANCE
    parameters.termination_criteria.time_sec_limit = max(0.1, until - time.monotonic())
    result = pdlp.primal_dual_hybrid_gradient(program, parameters)
    if result.primal_solution is None or len(result.primal_solution) != count + len(live):
        return None
    # A ≤ row's dual is ≤ 0 when minimising; its price in the maximisation is its negation.
    duals = np.asarray(result.dual_solution)
    prices = np.zeros(pairs.room.shape)
    capped = rows >= 0
    prices[capped] = np.maximum(-duals[rows[capped]], 0.0)
    bonus_prices = np.zeros(len(bonuses.value))
    bonus_prices[live] = np.maximum(-duals[bonus_row[live]], 0.0)
    values = np.clip(np.asarray(result.primal_solution)[:count], 0.0, 1.0)
    return Prices(values, prices, bonus_prices, lagrangian_bound(pairs, prices, bonus_prices))


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
