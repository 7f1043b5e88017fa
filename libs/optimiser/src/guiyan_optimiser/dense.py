"""The dense view of an instance that the tabu search and the Lagrangian relaxation work on:
numpy arrays of each movable project's worth and use at each park, and each park's room, so that
a move or a knapsack is evaluated for all projects at once. Only small instances get one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instance import Instance, hopeful_worth, usable

# projects² × resources: the tabu search's swap and ejection tables, evaluated every move. A city
# (four resources) gets the search up to about 600 projects, a single-resource GAP up to 1,200:
# yagiura2004 d60900 is 0.30% above its best-known in 60 s with it, 0.63% with the climb instead.
MAX_SWAP_CELLS = 1_500_000
MAX_CELLS = 200_000  # projects × parks × resources, dense
EPS = 1e-9
NEVER = -np.inf


@dataclass(frozen=True)
class Arrays:
    """The instance with pinned projects taken out: `worth[i, k]` is the pair's hopeful worth
    (with every bonus it could earn), NEVER where project i may not go to park k; column `m` (one past the last park) is "unplaced", open to optional
    projects only and without capacity."""
    projects: list[str]  # the movable ones
    parks: list[str]
    worth: np.ndarray  # (n, m + 1)
    use: np.ndarray  # (n, m + 1, r): only of resources the park caps
    room: np.ndarray  # (m + 1, r): capacity left by pinned projects, inf where uncapped
    pinned: dict[str, str]

    def index(self, plan: dict[str, str]) -> np.ndarray:
        """Each project's column in `plan`; one the plan puts where it may not go, at its best."""
        column = {park: k for k, park in enumerate(self.parks)}
        unplaced = len(self.parks)
        at = np.array([column.get(plan.get(p, ""), unplaced) for p in self.projects], dtype=np.int64)
        stray = self.worth[np.arange(len(at)), at] == NEVER
        at[stray] = np.argmax(self.worth[stray], axis=1)
        return at

    def value(self, plan: dict[str, str]) -> float:
        """The worth of `plan`'s movable projects."""
        return self.value_at(self.index(plan))

    def value_at(self, at: np.ndarray) -> float:
        return float(self.worth[np.arange(len(at)), at].sum())

    def load(self, at: np.ndarray) -> np.ndarray:
        """Each column's use of each resource when each project is at its column in `at`."""
        load = np.zeros_like(self.room)
        np.add.at(load, at, self.use[np.arange(len(at)), at])
        return load

    def plan(self, at: np.ndarray) -> dict[str, str]:
        chosen = {p: self.parks[k] for p, k in zip(self.projects, at, strict=True)
                  if k < len(self.parks)}
        return chosen | self.pinned


def arrays(instance: Instance) -> Arrays | None:
    """The dense view, or None where it would be too large, nothing can move or no plan exists."""
    pinned = dict(instance.pinned)
    projects = [p for p in instance.projects if p not in pinned]
    parks = [park.id for park in instance.parks]
    resources = sorted({r for park in instance.parks for r in park.capacity})
    n, m, r = len(projects), len(parks), max(1, len(resources))
    if not n or n * n * r > MAX_SWAP_CELLS or n * (m + 1) * r > MAX_CELLS:
        return None
    row = {p: i for i, p in enumerate(projects)}
    column = {park: k for k, park in enumerate(parks)}
    layer = {resource: j for j, resource in enumerate(resources)}
    value = np.full((n, m + 1), NEVER)
    value[[row[p] for p in projects if p not in instance.required], m] = 0.0
    use = np.zeros((n, m + 1, r))
    room = np.full((m + 1, r), np.inf)
    for park in instance.parks:
        for resource, capacity in park.capacity.items():
            room[column[park.id], layer[resource]] = capacity
    capped = np.isfinite(room)
    for candidate in usable(instance):
        k = column[candidate.park]
        if candidate.project in row:
            i = row[candidate.project]
            value[i, k] = hopeful_worth(instance, candidate)
            for resource, amount in candidate.use.items():
                if resource in layer and capped[k, layer[resource]]:
                    use[i, k, layer[resource]] = amount
        elif pinned.get(candidate.project) == candidate.park:
            for resource, amount in candidate.use.items():
                if resource in layer:
                    room[k, layer[resource]] -= amount
    if np.any(np.all(value == NEVER, axis=1)):
        return None  # a required project with nowhere to go: no plan to search for
    return Arrays(projects, parks, value, use, room, pinned)
