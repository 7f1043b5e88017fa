"""One plan, as pure functions: open demand and remaining supply → instance → offers and unplaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guiyan_optimiser import Candidate, Instance, ParkCapacity, Solution

from guiyan_contracts.models import Explanation, Park, ParkVerdict, Project
from guiyan_contracts.taxonomy import Taxonomy

from .explanations import explain_offer, explain_unplaced
from .pairing import Pairing
from .policy import Policy
from .rules import (
    Reason,
    RuleContext,
    capacity,
    chain_role,
    ineligibility,
    resource_use,
    score_terms,
)


@dataclass(frozen=True)
class PlanInputs:
    parks: list[Park]
    open_projects: list[Project]  # neither offered nor placed
    held: dict[str, dict[str, float]]  # park → resource → held by accepted and pending offers
    forbidden: frozenset[tuple[str, str]]  # rejected pairs, never offered again
    today: date
    previous: frozenset[tuple[str, str]] = frozenset()  # pending offers a plan may move


@dataclass(frozen=True)
class Offer:
    pairing: Pairing
    explanation: Explanation
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class Unplaced:
    project: Project
    verdicts: list[ParkVerdict]
    reason_zh: str
    reason_en: str


Excluded = dict[str, list[tuple[Park, Reason]]]  # project → parks ruled out, and why


def remaining(park: Park, held: dict[str, float]) -> dict[str, float]:
    """What a park can still promise; never below zero, even if it now holds more than it has."""
    return {r: max(0.0, total - held.get(r, 0.0)) for r, total in capacity(park).items()}


def pairings(inputs: PlanInputs, taxonomy: Taxonomy, policy: Policy) -> tuple[list[Pairing], Excluded]:
    """Every eligible (project, park) pair, and per project the parks ruled out and why."""
    context = RuleContext(policy, inputs.today, inputs.forbidden)
    eligible: list[Pairing] = []
    excluded: Excluded = {}
    for project in inputs.open_projects:
        for park in inputs.parks:
            if reason := ineligibility(project, park, context):
                excluded.setdefault(project.id, []).append((park, reason))
                continue
            role = chain_role(project, park, taxonomy)
            terms = score_terms(project, park, role, policy.weights)
            eligible.append(Pairing(project, park, role, terms, resource_use(project, park)))
    return eligible, excluded


def to_instance(inputs: PlanInputs, eligible: list[Pairing], move_penalty: float = 0.0) -> Instance:
    return Instance(
        parks=[ParkCapacity(p.id, remaining(p, inputs.held.get(p.id, {}))) for p in inputs.parks],
        projects=[p.id for p in inputs.open_projects],
        candidates=[Candidate(x.project.id, x.park.id, x.score, x.use) for x in eligible],
        previous=inputs.previous,
        move_penalty=move_penalty,
    )


def decide(inputs: PlanInputs, eligible: list[Pairing], excluded: Excluded, solution: Solution,
           policy: Policy) -> tuple[list[Offer], list[Unplaced]]:
    """Offers for the solution's assignments and reasons for the rest, both judged against the
    room each park has before (`room`) and after (`slack`) this plan."""
    by_pair = {(x.project.id, x.park.id): x for x in eligible}
    chosen = [by_pair[pair] for pair in solution.assignments.items()]
    room = {p.id: remaining(p, inputs.held.get(p.id, {})) for p in inputs.parks}
    slack = {park_id: dict(free) for park_id, free in room.items()}
    for pairing in chosen:
        for resource, amount in pairing.use.items():
            if resource in slack[pairing.park.id]:
                slack[pairing.park.id][resource] -= amount
    by_project: dict[str, list[Pairing]] = {}
    for pairing in eligible:
        by_project.setdefault(pairing.project.id, []).append(pairing)
    offers = [Offer(p, *explain_offer(p, by_project[p.project.id], excluded.get(p.project.id, []),
                                      room, slack, policy)) for p in chosen]
    unplaced = [Unplaced(project, *explain_unplaced(by_project.get(project.id, []),
                                                    excluded.get(project.id, []), room, slack))
                for project in inputs.open_projects if project.id not in solution.assignments]
    return offers, unplaced
