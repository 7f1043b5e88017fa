"""The JSON formats at the optimiser's edge: `guiyan-instance/1` in, `guiyan-solution/1` out.

Parsing checks everything the solver takes for granted and names the offending item, so bad input
is a clear error rather than a traceback or a silently wrong plan.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .instance import Bonus, Candidate, Instance, ParkCapacity, Solution

INSTANCE_FORMAT = "guiyan-instance/1"
SOLUTION_FORMAT = "guiyan-solution/1"


class InstanceError(ValueError):
    """Everything wrong with an instance, one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid instance:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class _Park(_Strict):
    id: str = Field(min_length=1)
    capacity: dict[str, float] = {}


class _Project(_Strict):
    id: str = Field(min_length=1)
    required: bool = False


class _Pair(_Strict):
    project: str
    park: str


class _Candidate(_Pair):
    score: float
    use: dict[str, float] = {}


class _Bonus(_Strict):
    id: str = Field(min_length=1)
    value: float
    pairs: list[_Pair] = Field(min_length=1)


class _Instance(_Strict):
    format: Literal["guiyan-instance/1"]
    resources: list[str] = []
    parks: list[_Park]
    projects: list[_Project]
    candidates: list[_Candidate]
    pinned: list[_Pair] = []
    forbidden: list[_Pair] = []
    previous: list[_Pair] = []
    move_penalty: float = 0.0
    bonuses: list[_Bonus] = []


def _duplicates(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]


def _check(raw: _Instance) -> list[str]:
    problems: list[str] = []
    park_ids = {p.id for p in raw.parks}
    project_ids = {p.id for p in raw.projects}
    resources = set(raw.resources)
    problems += [f"duplicate park id {i!r}" for i in _duplicates([p.id for p in raw.parks])]
    problems += [f"duplicate project id {i!r}" for i in _duplicates([p.id for p in raw.projects])]
    for park in raw.parks:
        for resource, amount in park.capacity.items():
            if amount < 0:
                problems.append(f"park {park.id!r}: negative capacity {amount} of {resource!r}")
            if resources and resource not in resources:
                problems.append(f"park {park.id!r}: resource {resource!r} is not in `resources`")
    pairs = [(c.project, c.park) for c in raw.candidates]
    problems += [f"duplicate candidate {p!r} → {k!r}" for p, k in _duplicates(pairs)]
    for candidate in raw.candidates:
        where = f"candidate {candidate.project!r} → {candidate.park!r}"
        if candidate.park not in park_ids:
            problems.append(f"{where}: unknown park {candidate.park!r}")
        if candidate.project not in project_ids:
            problems.append(f"{where}: unknown project {candidate.project!r}")
        for resource, amount in candidate.use.items():
            if amount < 0:
                problems.append(f"{where}: negative use {amount} of {resource!r}")
            if resources and resource not in resources:
                problems.append(f"{where}: resource {resource!r} is not in `resources`")
    forbidden = {(f.project, f.park) for f in raw.forbidden}
    usable = {pair for pair in pairs if pair not in forbidden}
    takers = {project for project, _ in usable}
    for project in raw.projects:
        if project.required and project.id not in takers:
            problems.append(f"required project {project.id!r} has no candidate it may take")
    pinned_projects = [p.project for p in raw.pinned]
    problems += [f"project {i!r} is pinned to more than one park" for i in _duplicates(pinned_projects)]
    for pin in raw.pinned:
        if (pin.project, pin.park) not in usable:
            problems.append(f"pinned pair {pin.project!r} → {pin.park!r} is not a usable candidate")
    for kind, listed in (("forbidden", raw.forbidden), ("previous", raw.previous)):
        for pair in listed:
            if pair.project not in project_ids or pair.park not in park_ids:
                problems.append(f"{kind} pair {pair.project!r} → {pair.park!r} names an unknown item")
    if raw.move_penalty < 0:
        problems.append(f"move_penalty must not be negative, got {raw.move_penalty}")
    problems += [f"duplicate bonus id {i!r}" for i in _duplicates([b.id for b in raw.bonuses])]
    candidates = set(pairs)
    for bonus in raw.bonuses:
        if bonus.value < 0:
            problems.append(f"bonus {bonus.id!r}: value must not be negative, got {bonus.value}")
        problems += [f"bonus {bonus.id!r}: {pair.project!r} → {pair.park!r} is not a candidate"
                     for pair in bonus.pairs if (pair.project, pair.park) not in candidates]
    return problems


def instance_from_json(document: Any) -> Instance:
    try:
        raw = _Instance.model_validate(document)
    except ValidationError as error:
        raise InstanceError([f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in error.errors(include_url=False)]) from None
    if problems := _check(raw):
        raise InstanceError(problems)
    return Instance(
        parks=[ParkCapacity(p.id, dict(p.capacity)) for p in raw.parks],
        projects=[p.id for p in raw.projects],
        candidates=[Candidate(c.project, c.park, c.score, dict(c.use)) for c in raw.candidates],
        required=frozenset(p.id for p in raw.projects if p.required),
        pinned=frozenset((p.project, p.park) for p in raw.pinned),
        forbidden=frozenset((p.project, p.park) for p in raw.forbidden),
        previous=frozenset((p.project, p.park) for p in raw.previous),
        move_penalty=raw.move_penalty,
        bonuses=tuple(Bonus(b.id, b.value, frozenset((p.project, p.park) for p in b.pairs))
                      for b in raw.bonuses),
    )


def instance_to_json(instance: Instance, *, candidates: bool = True) -> dict[str, Any]:
    """`candidates=False` leaves their list empty, for a writer that streams a province's."""
    uses = {id(c.use): c.use for c in instance.candidates}  # candidates alike may share one
    resources = sorted({r for p in instance.parks for r in p.capacity}
                       | {r for use in uses.values() for r in use})

    def pairs(found: frozenset[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"project": a, "park": b} for a, b in sorted(found)]

    return {
        "format": INSTANCE_FORMAT, "resources": resources,
        "parks": [{"id": p.id, "capacity": p.capacity} for p in instance.parks],
        "projects": [{"id": p, "required": p in instance.required} for p in instance.projects],
        "candidates": list(map(candidate_to_json, instance.candidates)) if candidates else [],
        "pinned": pairs(instance.pinned), "forbidden": pairs(instance.forbidden),
        "previous": pairs(instance.previous), "move_penalty": instance.move_penalty,
        "bonuses": [{"id": b.id, "value": b.value, "pairs": pairs(b.pairs)}
                    for b in instance.bonuses],
    }


def candidate_to_json(candidate: Candidate) -> dict[str, Any]:
    """One candidate as `instance_to_json` writes it (a fingerprint streams them one by one)."""
    return {"project": candidate.project, "park": candidate.park, "score": candidate.score,
            "use": candidate.use}


def solution_to_json(solution: Solution) -> dict[str, Any]:
    return {
        "format": SOLUTION_FORMAT, "status": solution.status, "objective": solution.objective,
        "bound": solution.bound if math.isfinite(solution.bound) else None,
        "assignments": [{"project": p, "park": k} for p, k in sorted(solution.assignments.items())],
        "seconds": round(solution.seconds, 3),
    }
