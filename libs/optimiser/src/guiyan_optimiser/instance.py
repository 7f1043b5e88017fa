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


def usable(instance: Instance) -> list[Candidate]:
    return [c for c in instance.candidates if (c.project, c.park) not in instance.forbidden]


def worth(instance: Instance, candidate: Candidate) -> float:
    """A candidate's score, plus the move penalty it avoids when it keeps a previous pair."""
    kept = (candidate.project, candidate.park) in instance.previous
    return candidate.score + (instance.move_penalty if kept else 0.0)


def objective(instance: Instance, assignments: dict[str, str]) -> float:
    """Σ chosen scores − move_penalty × previous pairs not kept."""
    chosen = sum(c.score for c in instance.candidates if assignments.get(c.project) == c.park)
    moved = sum(1 for p, k in instance.previous if assignments.get(p) != k)
    return chosen - instance.move_penalty * moved
