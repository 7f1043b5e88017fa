"""A fast constructive plan: required projects first, then the rest, pairs in order of worth while
they fit (pinned projects are already in, on the flat view)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .instance import Instance
from .pairs import Pairs, pairs

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
    others, each in order of worth (ties in the instance's order), while they fit. A loop over
    plain lists: numpy's cost per call would dominate at one small check per pair."""
    first = first if first is not None else np.zeros(len(flat.projects), dtype=bool)
    order = np.lexsort((flat.source, -flat.worth, ~flat.required[flat.project],
                        ~first[flat.project]))
    project, park, use = flat.project.tolist(), flat.park.tolist(), flat.use.tolist()
    left = flat.room.tolist()
    capped = [[r for r, room in enumerate(rooms) if np.isfinite(room)] for rooms in left]
    placed = [False] * len(flat.projects)
    chosen = []
    for j in order.tolist():
        i = project[j]
        if placed[i]:
            continue
        k, needs, room = park[j], use[j], left[park[j]]
        if all(room[r] + SLACK >= needs[r] for r in capped[k]):
            for r in capped[k]:
                room[r] -= needs[r]
            placed[i] = True
            chosen.append(j)
    return np.array(chosen, dtype=np.int64)
