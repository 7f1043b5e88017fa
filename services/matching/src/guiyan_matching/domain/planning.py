"""One plan, as pure functions: open demand and remaining supply → instance → offers and unplaced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guiyan_optimiser import Candidate, Instance, ParkCapacity, Solution

from guiyan_contracts.models import Explanation, Park, ParkVerdict, Project
from guiyan_contracts.taxonomy import Taxonomy

from .chains import PlacedLinks
from .explanations import explain_offer, explain_unplaced
from .links import bonuses, credited_once
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
from .support import support_tiers


@dataclass(frozen=True)
class PlanInputs:
    parks: list[Park]
    open_projects: list[Project]  # neither offered nor placed
    # park → resource → held by accepted and pending offers; a budget per year (domain/budgets.py)
    held: dict[str, dict[str, float]]
    forbidden: frozenset[tuple[str, str]]  # rejected pairs, never offered again
    today: date
    previous: frozenset[tuple[str, str]] = frozenset()  # pending offers a plan may move
    # Per park, the links its accepted placements brought: hosted for the chain role, beside
    # the links registered for it.
    placed: PlacedLinks = field(default_factory=dict)


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


def remaining(park: Park, held: dict[str, float], first_year: int) -> dict[str, float]:
    """What a park can still promise a commitment starting in `first_year`: its room, and each
    year's budget less what accepted and pending commitments charge to that year. Never below
    zero, even if it now holds more than it has."""
    return {r: max(0.0, total - held.get(r, 0.0)) for r, total in capacity(park, first_year).items()}


@dataclass(frozen=True)
class Weighed:
    """One project's pairs, and the parks it was barred from (rejected pairs) when weighed."""
    project: Project
    barred: frozenset[str]
    eligible: list[Pairing]
    excluded: list[tuple[Park, Reason]]


@dataclass
class PairingMemory:
    """The projects an earlier plan weighed, kept while the parks (with the links their
    placements brought), day, taxonomy and policy stay as they were: under a burst each plan
    weighs again every project the last one left unplaced. Projects the latest plan did not see
    are forgotten."""
    context: tuple[object, ...] = ()
    by_project: dict[str, Weighed] = field(default_factory=dict)


def pairings(inputs: PlanInputs, taxonomy: Taxonomy, policy: Policy,
             memory: PairingMemory | None = None) -> tuple[list[Pairing], Excluded]:
    """Every eligible (project, park) pair, and per project the parks ruled out and why; a
    project `memory` holds, unchanged and barred from the same parks, is not weighed again."""
    memory = memory or PairingMemory()
    # A placement accepted since changes the chain role of every project like it at that park.
    context = (inputs.parks, inputs.placed, inputs.today, taxonomy, policy)
    if memory.context != context:
        memory.context, memory.by_project = context, {}
    rules = RuleContext(policy, inputs.today, taxonomy, inputs.forbidden)
    barred: dict[str, set[str]] = {}
    for project_id, park_id in inputs.forbidden:
        barred.setdefault(project_id, set()).add(park_id)
    weighed: dict[str, Weighed] = {}
    for project in inputs.open_projects:
        parks = frozenset(barred.get(project.id, ()))
        known = memory.by_project.get(project.id)
        if known is None or known.barred != parks or known.project != project:
            known = Weighed(project, parks, *weigh(project, inputs.parks, rules, taxonomy, policy,
                                                   inputs.placed))
        weighed[project.id] = known
    memory.by_project = weighed
    eligible = [pairing for known in weighed.values() for pairing in known.eligible]
    return eligible, {p: known.excluded for p, known in weighed.items() if known.excluded}


def weigh(project: Project, parks: list[Park], rules: RuleContext, taxonomy: Taxonomy,
          policy: Policy, placed: PlacedLinks
          ) -> tuple[list[Pairing], list[tuple[Park, Reason]]]:
    """The project's pair with each park it may go to, and each park ruled out and why."""
    eligible: list[Pairing] = []
    excluded: list[tuple[Park, Reason]] = []
    for park in parks:
        if reason := ineligibility(project, park, rules):
            excluded.append((park, reason))
            continue
        role = chain_role(project, park, taxonomy, placed.get(park.id, frozenset()))
        terms = score_terms(project, park, role, policy.weights)
        support = support_tiers(project, role, policy.support)
        eligible.append(Pairing(project, park, role, terms,
                                resource_use(project, park, support, rules.today.year)))
    return eligible, excluded


def to_instance(inputs: PlanInputs, eligible: list[Pairing], policy: Policy,
                move_penalty: float = 0.0) -> Instance:
    """A link several projects could fill is credited once: a bonus (`links.py`)."""
    scores, once = bonuses(eligible, policy)
    return Instance(
        parks=[ParkCapacity(p.id, remaining(p, inputs.held.get(p.id, {}), inputs.today.year))
               for p in inputs.parks],
        projects=[p.id for p in inputs.open_projects],
        candidates=[Candidate(x.project.id, x.park.id,
                              scores.get((x.project.id, x.park.id), x.score), x.use)
                    for x in eligible],
        previous=inputs.previous,
        move_penalty=move_penalty,
        bonuses=once,
    )


def decide(inputs: PlanInputs, eligible: list[Pairing], excluded: Excluded, solution: Solution,
           policy: Policy, taxonomy: Taxonomy) -> tuple[list[Offer], list[Unplaced]]:
    """Offers for the solution's assignments and reasons for the rest, both judged against the
    room each park has before (`room`) and after (`slack`) this plan."""
    by_pair = {(x.project.id, x.park.id): x for x in eligible}
    chosen = credited_once([by_pair[pair] for pair in solution.assignments.items()], policy,
                           inputs.today.year)
    room = {p.id: remaining(p, inputs.held.get(p.id, {}), inputs.today.year) for p in inputs.parks}
    slack = {park_id: dict(free) for park_id, free in room.items()}
    for pairing in chosen:
        for resource, amount in pairing.use.items():
            if resource in slack[pairing.park.id]:
                slack[pairing.park.id][resource] -= amount
    by_project: dict[str, list[Pairing]] = {}
    for pairing in eligible:
        by_project.setdefault(pairing.project.id, []).append(pairing)
    offers = [Offer(p, *explain_offer(p, by_project[p.project.id], excluded.get(p.project.id, []),
                                      room, slack, policy, taxonomy, inputs.today.year))
              for p in chosen]
    unplaced = [Unplaced(project, *explain_unplaced(by_project.get(project.id, []),
                                                    excluded.get(project.id, []), room, slack))
                for project in inputs.open_projects if project.id not in solution.assignments]
    return offers, unplaced
