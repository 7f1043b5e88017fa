"""A fast constructive plan: required projects first, then the rest, pairs in order of their worth
with the bonuses still to earn, while they fit (pinned projects are already in, on the flat
view)."""

from __future__ import annotations

import heapq
import math
from dataclasses import replace

import numpy as np

from .instance import Instance
from .pairs import EPS, Pairs, pairs

SLACK = 1e-9  # rounding dust in the room left, after many uses are taken from it


def greedy(instance: Instance, flat: Pairs | None = None) -> dict[str, str]:
    flat = flat if flat is not None else pairs(instance)
    if np.all(flat.room >= -SLACK):
        return flat.plan(by_worth(flat))
    # The pins do not fit together (no plan keeps them all): each is taken while it fits, first.
    pins = dict(instance.pinned)
    loose = replace(instance, pinned=frozenset(), candidates=[
        c for c in instance.candidates if pins.get(c.project, c.park) == c.park])
    flat = pairs(loose)
    return flat.plan(by_worth(flat, first=np.array([p in pins for p in flat.projects])))


def by_worth(flat: Pairs, first: np.ndarray | None = None) -> np.ndarray:
    """The rows taken: pairs of `first` projects first, then of required projects, then the
    others, each in order of worth (ties in the instance's order), while they fit.

    A pair's worth counts only the bonuses still to earn. One whose bonus an earlier pair has
    earned waits, at its worth without it, for its turn among the rest (a lazy greedy): projects
    alike then spread over the missing links they can fill, rather than crowd the first park
    that lacks one (on a province's plan, bonuses earned 13.4 M of 35.7 M before)."""
    first = first if first is not None else np.zeros(len(flat.projects), dtype=bool)
    stage = np.where(first, 0, np.where(flat.required, 1, 2))[flat.project]
    order = np.lexsort((flat.source, -flat.worth, stage))
    taking = Taking(flat)
    hoped, stages = flat.worth.tolist(), stage.tolist()
    waiting: list[tuple[float, int, int]] = []  # a heap of (-worth now, place in order, row)
    current, placed, project = 0, taking.placed, taking.project
    for position, j in enumerate(order.tolist()):
        if stages[j] != current:  # a stage's waiting pairs never pass into the next
            taking.settle(waiting, -math.inf)
            current = stages[j]
        if placed[project[j]]:  # passed over; the waiting pairs can wait for the next pair
            continue
        if waiting and -waiting[0][0] >= hoped[j]:
            taking.settle(waiting, hoped[j])
            if placed[project[j]]:
                continue
        if (now := taking.worth_now(j)) < hoped[j] - EPS:
            heapq.heappush(waiting, (-now, position, j))
        else:
            taking.take(j)
    taking.settle(waiting, -math.inf)
    return np.array(taking.chosen, dtype=np.int64)


class Taking:
    """The greedy's state, in plain lists: numpy's cost per call would dominate at one small
    check per pair."""

    def __init__(self, flat: Pairs) -> None:
        self.project, self.park, self.use = flat.project.tolist(), flat.park.tolist(), flat.use
        self.left = flat.room.tolist()
        self.capped = [[r for r, room in enumerate(rooms) if np.isfinite(room)]
                       for rooms in self.left]
        self.placed = [False] * len(flat.projects)
        self.chosen: list[int] = []
        bonuses = flat.bonuses
        self.score = flat.score.tolist()
        self.value, self.start = bonuses.value.tolist(), bonuses.start.tolist()
        self.bonus = bonuses.bonus.tolist()
        self.earned = [False] * len(self.value)

    def worth_now(self, j: int) -> float:
        """The pair's worth with the bonuses it could still earn."""
        mine = self.bonus[self.start[j]:self.start[j + 1]]
        return self.score[j] + sum(self.value[b] for b in mine if not self.earned[b])

    def take(self, j: int) -> None:
        """The pair, if it fits. A pair's use is read only here: most pairs are passed over, and
        a province's uses as lists (1.4 M × 6) took longer than the whole loop."""
        k, needs, room = self.park[j], self.use[j].tolist(), self.left[self.park[j]]
        if all(room[r] + SLACK >= needs[r] for r in self.capped[k]):
            for r in self.capped[k]:
                room[r] -= needs[r]
            self.placed[self.project[j]] = True
            self.chosen.append(j)
            for b in self.bonus[self.start[j]:self.start[j + 1]]:
                self.earned[b] = True

    def settle(self, waiting: list[tuple[float, int, int]], above: float) -> None:
        """Take the waiting pairs worth at least `above`, best first; one worth less than when
        it began to wait waits again at its new worth."""
        while waiting and -waiting[0][0] >= above:
            then, position, j = heapq.heappop(waiting)
            if self.placed[self.project[j]]:
                continue
            if (now := self.worth_now(j)) < -then - EPS:
                heapq.heappush(waiting, (-now, position, j))
            else:
                self.take(j)
