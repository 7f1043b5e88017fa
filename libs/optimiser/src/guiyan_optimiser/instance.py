"""The plain instance the solver sees (`guiyan-instance/1`) and the solution it returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParkCapacity:
    id: str
    capacity: dict[str, float]  # a resource a park does not list is unconstrained there


@dataclass(frozen=True)
class Candidate:
    project: str
    park: str
    score: float
    use: dict[str, float] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Solution:
    status: str  # optimal | feasible | infeasible | unknown
    objective: float
    bound: float
    assignments: dict[str, str]  # project → park
    seconds: float
