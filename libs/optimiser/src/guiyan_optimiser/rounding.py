"""Plans from priorities on the flat view: each project in turn takes its most preferred pair
that still fits. With the LP's values as priorities this rounds the LP; with reduced worth at
the LP's prices it is the price-guided plan. One numpy pass per project, so 10^4 projects with
10^2 pairs each round in a fraction of a second.
"""

from __future__ import annotations

import numpy as np

from .pairs import EPS, Pairs


def fill(pairs: Pairs, priority: np.ndarray, *, keep: np.ndarray | None = None) -> np.ndarray:
    """The rows chosen: required projects first, then the others, each group in order of its
    best priority; a project takes its highest-priority pair that fits, and an optional one
    only a pair worth more than nothing. `keep` (rows) are placed first, as they are.
    A required project that fits nowhere is left out: the caller sees the plan is incomplete."""
    keep = np.zeros(0, dtype=np.int64) if keep is None else keep
    load = pairs.load(keep)
    placed = np.zeros(len(pairs.projects), dtype=bool)
    placed[pairs.project[keep]] = True
    chosen = list(keep)
    best = pairs.best_of_each(priority)
    order = np.lexsort((-best, ~pairs.required))
    slack = pairs.room + 1e-6
    for i in order:
        if placed[i]:
            continue
        s, e = pairs.start[i], pairs.start[i + 1]
        if s == e:
            continue
        parks = pairs.park[s:e]
        fits = np.all(load[parks] + pairs.use[s:e] <= slack[parks], axis=1)
        if not pairs.required[i]:
            fits &= pairs.worth[s:e] > EPS
        if not fits.any():
            continue
        j = s + int(np.argmax(np.where(fits, priority[s:e], -np.inf)))
        load[pairs.park[j]] += pairs.use[j]
        chosen.append(j)
    return np.array(chosen, dtype=np.int64)


def complete(pairs: Pairs, chosen: np.ndarray) -> bool:
    """Whether every required project is placed."""
    placed = np.zeros(len(pairs.projects), dtype=bool)
    placed[pairs.project[chosen]] = True
    return bool(np.all(placed[pairs.required]))
