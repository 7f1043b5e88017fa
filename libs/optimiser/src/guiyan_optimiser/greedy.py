"""A fast constructive plan: pinned pairs first, then candidates in priority order while they fit."""

from __future__ import annotations

import math
from collections.abc import Callable

from .instance import Candidate, Instance, usable, worth


def greedy(instance: Instance,
           priority: Callable[[Candidate], float] | None = None) -> dict[str, str]:
    """Pinned pairs first, then required projects, then everyone else, each in priority order
    (by default the best score) while they fit."""
    remaining = {p.id: dict(p.capacity) for p in instance.parks}
    chosen: dict[str, str] = {}

    def take(candidate: Candidate) -> None:
        if candidate.project in chosen:
            return
        room = remaining[candidate.park]
        if all(room.get(r, math.inf) >= u for r, u in candidate.use.items()):
            for resource, used in candidate.use.items():
                if resource in room:
                    room[resource] -= used
            chosen[candidate.project] = candidate.park

    allowed = usable(instance)
    rank = priority or (lambda c: worth(instance, c))
    ordered = sorted(allowed, key=lambda c: ((c.project, c.park) not in instance.pinned,
                                             c.project not in instance.required, -rank(c)))
    for candidate in ordered:
        take(candidate)
    return chosen
