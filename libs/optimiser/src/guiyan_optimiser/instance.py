"""The plain instance the solver sees (`guiyan-instance/1`) and the solution it returns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple


@dataclass(frozen=True)
class ParkCapacity:
    id: str
    capacity: dict[str, float]  # a resource a park does not list is unconstrained there


class Candidate(NamedTuple):
    """A project-park pair the solver may choose: its score, and what the project would use of
    each resource there. A named tuple rather than a frozen dataclass: a province's plan makes
    about 1.4 million, and a tuple is made in under half the time and is a quarter smaller
    (docs/performance.md, "the solver's candidates as named tuples")."""
    project: str
    park: str
    score: float
    use: dict[str, float]  # no default: a tuple's would be one dict shared by every candidate


@dataclass(frozen=True)
class Bonus:
    """`value` earned once by a plan that uses any of `pairs`, however many it uses: a park's
    missing chain link is filled once, so only the first project there earns the points for
    filling it, and the rest earn what strengthening the link is worth (in their own scores)."""
    id: str
    value: float
    pairs: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Instance:
    parks: list[ParkCapacity]
    projects: list[str]
    candidates: list[Candidate]
    required: frozenset[str] = frozenset()
    pinned: frozenset[tuple[str, str]] = frozenset()
    forbidden: frozenset[tuple[str, str]] = frozenset()
    # Pairs of the plan in force; each one not kept costs `move_penalty` (stability over churn).
    previous: frozenset[tuple[str, str]] = frozenset()
    move_penalty: float = 0.0
    bonuses: tuple[Bonus, ...] = ()

    @cached_property
    def bonus_on(self) -> dict[tuple[str, str], float]:
        """Each pair's bonuses, summed: what the pair could earn beyond its score at most."""
        found: dict[tuple[str, str], float] = {}
        for bonus in self.bonuses:
            for pair in bonus.pairs:
                found[pair] = found.get(pair, 0.0) + bonus.value
        return found

    @cached_property
    def at(self) -> dict[str, dict[str, Candidate]]:
        """Each project's candidates by park: a plan's value without a pass over every pair."""
        found: dict[str, dict[str, Candidate]] = {}
        for candidate in self.candidates:
            found.setdefault(candidate.project, {})[candidate.park] = candidate
        return found


@dataclass(frozen=True)
class Solution:
    status: str  # optimal | feasible | infeasible | unknown
    objective: float
    bound: float
    assignments: dict[str, str]  # project → park
    seconds: float


def usable(instance: Instance) -> list[Candidate]:
    """The candidates not forbidden: `instance.candidates` itself where none is, not a copy to
    change."""
    if not instance.forbidden:  # the usual case, and a province's pass over its pairs is costly
        return instance.candidates
    return [c for c in instance.candidates if (c.project, c.park) not in instance.forbidden]


def worth(instance: Instance, candidate: Candidate) -> float:
    """A candidate's score, plus the move penalty it avoids when it keeps a previous pair."""
    kept = (candidate.project, candidate.park) in instance.previous
    return candidate.score + (instance.move_penalty if kept else 0.0)


def hopeful_worth(instance: Instance, candidate: Candidate) -> float:
    """A candidate's worth with every bonus it could earn: never less than what choosing it adds
    to a plan, so bounds and heuristics that add up pairs may use it (the objective is exact)."""
    return worth(instance, candidate) + instance.bonus_on.get((candidate.project, candidate.park), 0.0)


def allowed(instance: Instance, plan: dict[str, str]) -> bool:
    """Whether `plan` uses only usable pairs, keeps every pin and required project, and fits
    every park's capacities."""
    if not instance.required <= plan.keys() or any(plan.get(p) != k for p, k in instance.pinned):
        return False
    used: dict[tuple[str, str], float] = {}
    for project, park in plan.items():
        candidate = instance.at.get(project, {}).get(park)
        if candidate is None or (project, park) in instance.forbidden:
            return False
        for resource, amount in candidate.use.items():
            used[(park, resource)] = used.get((park, resource), 0.0) + amount
    capacity = {park.id: park.capacity for park in instance.parks}
    return all(amount <= capacity[park].get(resource, math.inf) + 1e-6
               for (park, resource), amount in used.items())


def fixed_worth(instance: Instance) -> float:
    """What a plan's objective adds to the hopeful worth of its movable projects, at most: the
    pinned projects' worth and the bonuses they earn, each once, less the move penalty of every
    previous pair (kept ones have it back in their worth)."""
    pinned = 0.0
    if instance.pinned:
        pins = [c for c in usable(instance) if (c.project, c.park) in instance.pinned]
        pinned = (sum(worth(instance, c) for c in pins)
                  + earned(instance, {c.project: c.park for c in pins}))
    return pinned - instance.move_penalty * len(instance.previous)


def earned(instance: Instance, assignments: dict[str, str]) -> float:
    """The bonuses `assignments` earn, each once."""
    return sum(bonus.value for bonus in instance.bonuses
               if any(assignments.get(project) == park for project, park in bonus.pairs))


def objective(instance: Instance, assignments: dict[str, str]) -> float:
    """Σ chosen scores + bonuses earned − move_penalty × previous pairs not kept."""
    chosen = sum(instance.at[project][park].score for project, park in assignments.items())
    moved = sum(1 for p, k in instance.previous if assignments.get(p) != k)
    return chosen + earned(instance, assignments) - instance.move_penalty * moved


def open_bonuses(instance: Instance, kept: dict[str, str],
                 pairs: set[tuple[str, str]]) -> tuple[Bonus, ...]:
    """The bonuses a part of the instance can still earn: those the `kept` assignments outside it
    have not earned, on its own `pairs`."""
    found = []
    for bonus in instance.bonuses:
        if any(kept.get(project) == park for project, park in bonus.pairs):
            continue
        if inside := bonus.pairs & pairs:
            found.append(Bonus(bonus.id, bonus.value, frozenset(inside)))
    return tuple(found)
