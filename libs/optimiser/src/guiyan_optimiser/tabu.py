"""Tabu search with ejection chains through plans that overfill parks, for a penalty that adapts.

Tight instances (chu1997 type D: every project fits every park, capacities nearly full) leave
CP-SAT's neighbourhoods on a plateau: each improving exchange needs a detour through plans that
overfill a park, or a chain of moves through many parks. Local search that may cross the
capacity walls, with ejection chains, is the field's answer (Díaz and Fernández 2001; Yagiura,
Ibaraki and Glover 2004). Here the search maximises
    Σ worth − Σ weight[park, resource] × overflow[park, resource]
one move at a time, taking the best that is not tabu of every shift (a project to another park,
or out when optional), every swap (two projects trade parks) and the best ejection chain (each
project takes the next one's park, the last goes wherever is best; found by dynamic programming
over the chain's last project). A weight grows while its park overflows and shrinks while the
plan fits, so the search oscillates around the walls; after STALL moves without a better
feasible plan it goes back to its best, or, every other time, on to the next of the other starts
it was given (the Lagrangian's other repaired plans: near the optimum's structure too, but
elsewhere, so the restarts do not all retrace one trajectory). Moves are evaluated for all
projects at once on dense numpy arrays, whose size and cost grow with projects × parks, so the
search applies to small instances only (its speed: docs/performance.md, "optimiser phases").

Pinned projects stay at their park; a required project is never left out; forbidden pairs are
never used; the move penalty is in `worth`. Only feasible plans are handed over.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Sequence

import numpy as np

from .dense import EPS, NEVER, Arrays

CHAIN = 6  # projects in the longest ejection chain
TENURE = (1, 4)  # moves a project stays barred from the park it left, drawn in this range
STALL = 1000  # moves without a better feasible plan before the search starts over
RAISE, LOWER = 1.05, 0.98  # a weight's factor per move while its park overflows / the plan fits


class Search:
    """One tabu trajectory from a start plan; `best` is the best feasible plan it has met."""

    def __init__(self, arrays: Arrays, start: dict[str, str], seed: int = 0,
                 others: Sequence[dict[str, str]] = ()) -> None:
        self.a = arrays
        self.others = [arrays.index(plan) for plan in others]
        self.restarts = 0
        n, columns = arrays.worth.shape
        self.rng = random.Random(seed)
        self.noise = np.random.default_rng(seed)
        self.rows = np.arange(n)
        self.tabu = np.zeros((n, columns), dtype=np.int64)
        self.moves = 0
        self.passed = NEVER  # the worth of an outside plan this search chose not to start from
        self._restart(start)
        # A unit of overflow starts at the cost of a typical difference in worth per unit of use.
        allowed = arrays.worth > NEVER
        spread = np.ptp(arrays.worth[allowed]) if allowed.any() else 1.0
        typical = np.mean(arrays.use[allowed]) if allowed.any() else 1.0
        self.weight = np.full(arrays.room.shape, max(spread, 1.0) / max(typical, EPS))
        self.weight[~np.isfinite(arrays.room)] = 0.0

    def _restart(self, plan: dict[str, str]) -> None:
        self._go_to(self.a.index(plan))
        self.best_value = self.value() if self.feasible() else NEVER
        self.best_at = self.at.copy()

    def _go_to(self, at: np.ndarray) -> None:
        self.at = at.copy()
        self.tabu[:] = 0
        self.improved = self.moves
        self._recount()

    def pass_over(self, plan: dict[str, str]) -> None:
        """Keep to this search's own start: `follow` takes up only plans better than `plan`."""
        self.passed = max(self.passed, self.a.value(plan))

    def follow(self, plan: dict[str, str] | None, until: float) -> dict[str, str] | None:
        """Search on until the clock reads `until`, from `plan` if it (feasible) beats this
        search's best and what it passed over; the better feasible plan found on the way, or None."""
        if plan is not None and self.a.value(plan) > max(self.best_value, self.passed) + EPS:
            self._restart(plan)
        before = self.best_value
        while time.monotonic() < until:
            self.step()
        return self.best() if self.best_value > before + EPS else None

    def _recount(self) -> None:
        self.load = self.a.load(self.at)

    def value(self) -> float:
        return self.a.value_at(self.at)

    def feasible(self) -> bool:
        return bool(np.all(self.load <= self.a.room + EPS))

    def _penalty(self, load: np.ndarray, parks: np.ndarray) -> np.ndarray:
        """Weighted overflow of `parks` (any shape) at `load` (that shape × resources)."""
        room = self.a.room[parks]
        return (self.weight[parks] * np.maximum(0.0, load - room)).sum(axis=-1)  # 0 · 0 if uncapped

    def _terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The penalised value's change, split by the park that sees it:
        shed[i]      at at[i] when i leaves and nobody enters,
        enter[i, k]  i's worth gained and k's penalty when i moves to k and nobody leaves k,
        eject[x, y]  x's worth gained and at[y]'s penalty when x takes y's place there."""
        a, at, rows = self.a, self.at, self.rows
        columns = np.arange(a.worth.shape[1])
        own, own_use = a.worth[rows, at], a.use[rows, at]
        shed = self._penalty(self.load[at], at) - self._penalty(self.load[at] - own_use, at)
        now = self._penalty(self.load, columns)
        enter = (a.worth - own[:, None]
                 - self._penalty(self.load[None, :, :] + a.use, columns[None, :]) + now[None, :])
        enter[rows, at] = NEVER
        # [y, x]: at[y]'s load when y leaves and x enters
        load = self.load[at][:, None, :] - own_use[:, None, :] + a.use[:, at].transpose(1, 0, 2)
        over = np.maximum(0.0, load - a.room[at][:, None, :])
        seen = (self.weight[at][:, None, :] * over).sum(axis=-1) - now[at][:, None]
        eject = (a.worth[:, at] - own[:, None]) - seen.T
        eject[at[:, None] == at[None, :]] = NEVER
        return shed, enter, eject

    def step(self) -> None:
        """The best move that is not tabu (unless it beats the best feasible plan): a shift, a
        swap, or an ejection chain, where each project takes the next one's park and the last
        goes wherever is best."""
        at = self.at
        shed, enter, eject = self._terms()
        barred = self.tabu > self.moves
        beaten = self.best_value - self.penalised()
        enter_open = np.where(barred & (shed[:, None] + enter <= beaten), NEVER, enter)
        eject_open = np.where(barred[:, at], NEVER, eject)
        jitter = 1e-9 * self.noise.random(enter.shape)
        shifts = shed[:, None] + enter_open + jitter
        i, k = np.unravel_index(np.argmax(shifts), shifts.shape)
        best, moves = shifts[i, k], [(int(i), int(k))]
        swaps = eject_open + eject_open.T
        s, t = np.unravel_index(np.argmax(swaps), swaps.shape)
        if swaps[s, t] > best:
            best, moves = swaps[s, t], [(int(s), int(at[t])), (int(t), int(at[s]))]
        chain, gain = self._chain(shed, enter_open, eject_open)
        if chain and gain > best:
            best, moves = gain, chain
        if best > NEVER:
            self._move(moves)
        if self.moves - self.improved > STALL and self.best_value > NEVER:
            self.restarts += 1
            elsewhere = bool(self.others) and self.restarts % 2 == 1
            self._go_to(self.others[self.restarts // 2 % len(self.others)] if elsewhere
                        else self.best_at)

    def _chain(self, shed: np.ndarray, enter: np.ndarray,
               eject: np.ndarray) -> tuple[list[tuple[int, int]], float]:
        """The best ejection chain of 2 to CHAIN projects, by dynamic programming over its last
        project; it stands only if it visits each park once, as the sum assumes."""
        value, back = shed, []
        best, end = NEVER, None
        ends = np.max(enter, axis=1)
        for _ in range(CHAIN - 1):
            through = value[:, None] + eject  # [x, y]: the chain so far ends at x, x ejects y
            back.append(np.argmax(through, axis=0))
            value = through[back[-1], self.rows]
            y = int(np.argmax(value + ends))
            if value[y] + ends[y] > best:
                best, end = value[y] + ends[y], (len(back), y)
        if end is None:
            return [], NEVER
        length, y = end
        projects = [y]
        for step in reversed(back[:length]):
            projects.append(int(step[projects[-1]]))
        projects.reverse()
        parks = [int(self.at[p]) for p in projects]
        if len(set(parks)) < len(parks):
            return [], NEVER
        last = enter[y].copy()
        last[parks] = NEVER
        k = int(np.argmax(last))
        gain = (shed[projects[0]] + sum(eject[x, z] for x, z in itertools.pairwise(projects))
                + last[k])
        return [(x, park) for x, park in zip(projects, [*parks[1:], k], strict=True)], float(gain)

    def penalised(self) -> float:
        return self.value() - float(self._penalty(self.load, np.arange(len(self.load))).sum())

    def _move(self, moves: list[tuple[int, int]]) -> None:
        low, high = TENURE
        for i, _ in moves:
            self.tabu[i, self.at[i]] = self.moves + self.rng.randint(low, high)
        for i, k in moves:
            self.at[i] = k
        self._recount()
        self.moves += 1
        over = self.load > self.a.room + EPS
        if over.any():
            self.weight[over] *= RAISE
        else:
            self.weight *= LOWER
            value = self.value()
            if value > self.best_value + EPS:
                self.best_value, self.best_at, self.improved = value, self.at.copy(), self.moves

    def best(self) -> dict[str, str] | None:
        return self.a.plan(self.best_at) if self.best_value > NEVER else None
