"""A bound tighter than the LP's, for judging plans rather than making them: the Lagrangian with
each project's "one park at most" priced instead of the parks' capacities. Every park then packs
whole projects into all its capacities at once, a multi-resource knapsack that CP-SAT solves (its
proven upper bound is what counts, so a knapsack left unfinished still gives a valid bound). For
any prices, Σ prices + Σ parks' best packings at the prices is ≥ every plan's worth; subgradient
steps from the LP's prices bring it down.

Where parks hold a few projects each, the LP fills every park to the brim with fractions of
projects and the optimum sits well below it: on the 2,000 × 200 city shapes this bound is about
half a percent under the LP (docs/performance.md, "Bounds with whole projects"). It takes
seconds a step, so the benchmark runs it apart from the solve.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from ortools.sat.python import cp_model

from .instance import Instance, fixed_worth
from .pairs import EPS, Pairs, pairs
from .prices import linear_relaxation

SCALE = 100  # two decimals; profits round up, uses down and rooms up: the knapsacks only grow
SLACK = 1e-3  # in scaled units: more than float dust and the 1e-6 of room a plan's check allows
LP_SHARE = 0.3  # of the time, for the LP's prices to start from
PARK_SECONDS = 2.0  # at most, for one park's knapsack in one step
# Polyak's steps aim this share below the best bound so far; the step's factor is halved after
# that many steps without a lower bound, until it is this small.
TARGET_GAP, HALVE_AFTER, LAST_STEP = 0.02, 5, 1e-3


def pack(flat: Pairs, rows: np.ndarray, profit: np.ndarray, room: np.ndarray, *,
         seconds: float) -> tuple[float, np.ndarray]:
    """An upper bound on the most `profit` the pairs `rows` of one park earn within `room`, and
    the rows of the best packing found (every one of them where they all fit)."""
    gaining = profit > 0
    rows, profit = rows[gaining], profit[gaining]
    use = flat.use[rows]
    capped = np.isfinite(room)
    if not rows.size or np.all(use[:, capped].sum(axis=0) <= room[capped] + EPS):
        return float(profit.sum()), rows
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in rows]
    for r in np.flatnonzero(capped):
        # Uses round down and the room up, past the slack a plan's check allows: a relaxation.
        weights = np.maximum(np.floor(use[:, r] * SCALE - SLACK), 0).astype(np.int64)
        limit = math.ceil(max(0.0, room[r]) * SCALE + SLACK)
        model.add(cp_model.LinearExpr.weighted_sum(chosen, weights.tolist()) <= limit)
    gains = np.ceil(profit * SCALE + SLACK).astype(np.int64)
    model.maximize(cp_model.LinearExpr.weighted_sum(chosen, gains.tolist()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Cut off before its first packing, CP-SAT reports a bound of 0: every gain is one.
        return float(profit.sum()), rows[:0]
    taken = rows[[solver.value(x) == 1 for x in chosen]]
    return solver.best_objective_bound / SCALE, taken


class Relaxation:
    """The relaxation's value at any prices: each park's knapsack, several parks at once."""

    def __init__(self, flat: Pairs, threads: int) -> None:
        self.flat, self.threads = flat, threads
        self.rows = flat.rows_by_park()

    def value(self, prices: np.ndarray, deadline: float) -> tuple[float, np.ndarray]:
        """L(prices) and how many parks took each project in their best packings. A knapsack
        still open at `deadline` gives the bound that takes every gain."""
        flat = self.flat

        def park(k: int) -> tuple[float, np.ndarray]:
            rows = self.rows[k]
            return pack(flat, rows, flat.worth[rows] - prices[flat.project[rows]], flat.room[k],
                        seconds=min(PARK_SECONDS, deadline - time.monotonic()))

        with ThreadPoolExecutor(self.threads) as pool:  # CP-SAT releases the GIL
            packed = list(pool.map(park, range(len(flat.parks))))
        taken = np.zeros(len(flat.projects))
        for _, rows in packed:
            np.add.at(taken, flat.project[rows], 1)
        return float(prices.sum()) + sum(bound for bound, _ in packed), taken


def park_bound(instance: Instance, *, seconds: float, threads: int = 2) -> float:
    """The lowest L found within about `seconds` (a step under way is finished), with what the
    pinned projects and the move penalties add; +inf where a required project has no pair."""
    deadline = time.monotonic() + seconds
    flat = pairs(instance)
    if not flat.projects:
        return fixed_worth(instance)
    if np.any(flat.required & (flat.start[1:] == flat.start[:-1])):
        return math.inf
    lp = linear_relaxation(flat, seconds=LP_SHARE * seconds, threads=threads)
    # PDLP's duals on an instance without a plan may be unbounded: then start from nothing.
    usable = lp is not None and bool(np.all(np.isfinite(lp.prices)))
    best_reduced = flat.best_of_each(flat.reduced(lp.prices) if usable else flat.worth)
    # Any prices give a bound; beyond these a step only inflates the knapsacks' numbers.
    ceiling = 2.0 * float(np.abs(flat.worth).max(initial=0.0)) + 1.0
    floor = np.where(flat.required, -ceiling, 0.0)
    prices = np.clip(best_reduced, floor, ceiling)
    relaxation = Relaxation(flat, threads)
    bound, factor, since_lower = math.inf, 1.0, 0
    while time.monotonic() < deadline and factor > LAST_STEP:
        value, taken = relaxation.value(prices, deadline)
        if value < bound - EPS:
            bound, since_lower = value, 0
        elif (since_lower := since_lower + 1) >= HALVE_AFTER:
            factor, since_lower = factor / 2, 0
        gradient = 1.0 - taken
        # An optional project at price 0 that no park takes cannot be priced any lower.
        gradient[~flat.required & (prices <= 0) & (gradient > 0)] = 0.0
        if not gradient.any():
            break  # every project taken once: the packings are a plan, and the bound is its worth
        target = bound - TARGET_GAP * abs(bound)
        prices = prices - factor * (value - target) / float(gradient @ gradient) * gradient
        prices = np.clip(prices, floor, ceiling)
    return bound + fixed_worth(instance)
