"""Lagrangian relaxation for instances with one capped resource, the shape of the generalized
assignment problem: each project's "one park" is priced by a multiplier instead of enforced, and
every park then solves its own 0-1 knapsack, exactly, by dynamic programming over its capacity.
Subgradient steps on the multipliers bring the relaxation's value down towards the optimum; every
value is an upper bound on any plan, on tight instances a closer one than the LP's.

Each step's knapsacks, repaired into a plan, are also a start for the tabu search: near the best
multipliers each park holds the projects that suit it at the going prices, which is close to the
optimum's structure, and tabu trajectories from there end at better plans than from the greedy
start (measured on chu1997 d20100: docs/performance.md, "Lagrangian start"). The best few
distinct ones are kept, for the search to start over from when it stalls.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .dense import EPS, NEVER, Arrays

SCALE = 100  # decimal uses keep two places, rounded towards the relaxation: uses down, room up
MAX_CELLS_PER_STEP = 5_000_000  # projects × Σ room (scaled): the knapsacks' tables, one step
STEP, HALVE_AFTER, LAST_STEP = 2.0, 20, 1e-4  # Polyak's factor, halved after that many steps
# without a lower value, until it is this small and the multipliers have settled


STARTS = 10  # the repaired plans kept, the best and the next best distinct ones


@dataclass(frozen=True)
class Relaxation:
    bound: float  # on the worth of the movable projects, as `Arrays` counts it
    # Each movable project's column in the best repaired plans, feasible ones first, the best first.
    starts: list[np.ndarray]

    @property
    def start(self) -> np.ndarray:
        return self.starts[0]


def knapsack(profit: np.ndarray, weight: np.ndarray, room: float) -> tuple[float, np.ndarray]:
    """The most profit within `room` (whole units, or inf), and the items that make it."""
    chosen = np.zeros(len(profit), dtype=bool)
    items = np.flatnonzero(profit > 0)
    if math.isinf(room):
        chosen[items] = True
        return float(profit[items].sum()), chosen
    capacity = int(room)
    best = np.zeros(capacity + 1)  # best[c]: the most profit within c, of the items so far
    took = np.zeros((len(items), capacity + 1), dtype=bool)
    for row, item in enumerate(items):
        w = int(weight[item])
        if w > capacity:
            continue
        with_it = best[:capacity + 1 - w] + profit[item]
        took[row, w:] = with_it > best[w:]
        best[w:] = np.maximum(best[w:], with_it)
    left = capacity
    for row in range(len(items) - 1, -1, -1):
        if took[row, left]:
            chosen[items[row]] = True
            left -= int(weight[items[row]])
    return float(best[capacity]), chosen


def scaled(arrays: Arrays) -> tuple[np.ndarray, np.ndarray] | None:
    """Whole-unit weights (projects × columns) and rooms (columns) for the knapsacks, or None
    where the relaxation does not apply: several capped resources, a step too large (projects ×
    room), or a required project that fits nowhere (the instance has no plan; CP-SAT says so)."""
    if arrays.use.shape[2] != 1 or np.any(arrays.room < -EPS):
        return None
    use, room = arrays.use[:, :, 0], np.maximum(arrays.room[:, 0], 0.0)  # pinned use's float dust
    finite = np.isfinite(room)
    whole = all(np.allclose(x, np.round(x), rtol=0, atol=1e-6) for x in (use, room[finite]))
    scale = 1 if whole else SCALE
    weights = np.floor(np.round(use * scale, 6))
    rooms = np.where(finite, np.ceil(np.round(room * scale, 6)), np.inf)
    if len(use) * rooms[finite].sum() > MAX_CELLS_PER_STEP:
        return None
    if not np.all(np.any((arrays.worth > NEVER) & (weights <= rooms), axis=1)):
        return None
    return weights, rooms


def repair(arrays: Arrays, taken: np.ndarray) -> np.ndarray:
    """A plan from the knapsacks' choices: a project taken by several parks goes to the best of
    them; the rest, those with most to lose first, to their best park with room left, or where
    they overfill least when none has (the tabu search mends that)."""
    worth, use, room = arrays.worth, arrays.use[:, :, 0], arrays.room[:, 0]
    at = np.argmax(np.where(taken, worth, NEVER), axis=1)
    placed = taken.any(axis=1)
    load = np.zeros(len(room))
    np.add.at(load, at[placed], use[placed, at[placed]])
    ranked = np.sort(worth, axis=1)
    regret = ranked[:, -1] - ranked[:, -2] if worth.shape[1] > 1 else ranked[:, -1]
    for i in sorted(np.flatnonzero(~placed), key=lambda i: -regret[i]):
        allowed = worth[i] > NEVER
        fits = allowed & (load + use[i] <= room + EPS)
        at[i] = (np.argmax(np.where(fits, worth[i], NEVER)) if fits.any()
                 else np.argmin(np.where(allowed, load + use[i] - room, np.inf)))
        load[at[i]] += use[i, at[i]]
    return at


def relax(arrays: Arrays, *, lower: float, until: float,
          stop: Callable[[], bool]) -> Relaxation | None:
    """Subgradient steps until `until`, `stop()`, or the bound meets `lower` (the worth of a
    known feasible plan, or -inf); None where the relaxation does not apply."""
    whole = scaled(arrays)
    if whole is None:
        return None
    weights, rooms = whole
    worth = arrays.worth
    prices = worth.max(axis=1)  # no profit anywhere at first; the steps bring prices down
    bound = math.inf
    ranked: list[tuple[tuple[bool, float], np.ndarray]] = []  # the best repaired plans, by key
    step, since_lower = STEP, 0

    def dual(prices: np.ndarray) -> tuple[float, np.ndarray] | None:
        """The relaxation's value at `prices` and each park's knapsack; None if time ran out
        or a stop came first (a large instance's step takes a while)."""
        taken = np.zeros(worth.shape, dtype=bool)
        value = float(prices.sum())
        for k in range(worth.shape[1]):
            if time.monotonic() >= until or stop():
                return None
            profit, taken[:, k] = knapsack(worth[:, k] - prices, weights[:, k], rooms[k])
            value += profit
        return value, taken

    while step > LAST_STEP and (stepped := dual(prices)) is not None:
        value, taken = stepped
        if value < bound - EPS:
            bound, since_lower = value, 0
        elif (since_lower := since_lower + 1) >= HALVE_AFTER:
            step, since_lower = step / 2, 0
        at = repair(arrays, taken)
        feasible = bool(np.all(arrays.load(at) <= arrays.room + EPS))
        key = (feasible, arrays.value_at(at))
        if not any(np.array_equal(at, kept) for _, kept in ranked):
            ranked = sorted([*ranked, (key, at)], key=lambda entry: entry[0], reverse=True)[:STARTS]
        if feasible:
            lower = max(lower, key[1])
        gradient = 1.0 - taken.sum(axis=1)
        if bound <= lower + EPS or not gradient.any():
            break  # proven: the relaxation's plan is a plan, or a known plan meets the bound
        target = lower if lower > NEVER else value - 0.05 * abs(value) - 1.0
        prices = prices - step * (value - target) / float(gradient @ gradient) * gradient
    return Relaxation(bound, [at for _, at in ranked]) if ranked else None
