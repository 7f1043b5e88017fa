"""One plan, as pure functions: open demand and remaining supply → instance → offers and unplaced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guiyan_optimiser import Instance, ParkCapacity, Solution

from guiyan_contracts.models import Explanation, Park, ParkVerdict, Project
from guiyan_contracts.taxonomy import Taxonomy

from .array_rules import Weighed, weigh
from .chains import PlacedLinks
from .collector import collector_paused
from .explanations import MAX_RUNNERS_UP, MAX_VERDICTS, explain_offer, explain_unplaced
from .links import bonuses, credited_once
from .pairing import Pairing
from .pairs import Pairs, Refusals
from .park_facts import ParkFacts
from .policy import Policy
from .rules import RuleContext, capacity


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


def remaining(park: Park, held: dict[str, float], first_year: int) -> dict[str, float]:
    """What a park can still promise a commitment starting in `first_year`: its room, and each
    year's budget less what accepted and pending commitments charge to that year. Never below
    zero, even if it now holds more than it has."""
    return {r: max(0.0, total - held.get(r, 0.0)) for r, total in capacity(park, first_year).items()}


@dataclass
class PairingMemory:
    """The projects an earlier plan weighed, kept while the parks (with the links their
    placements brought), day, taxonomy and policy stay as they were: under a burst each plan
    weighs again every project the last one left unplaced. Projects the latest plan did not see
    are forgotten. The parks' facts are kept with them."""
    context: tuple[object, ...] = ()
    facts: ParkFacts | None = None
    by_project: dict[str, Weighed] = field(default_factory=dict)


def pairings(inputs: PlanInputs, taxonomy: Taxonomy, policy: Policy,
             memory: PairingMemory | None = None) -> tuple[Pairs, Refusals]:
    """Every eligible (project, park) pair, and per project the parks ruled out and why; a
    project `memory` holds, unchanged and barred from the same parks, is not weighed again."""
    with collector_paused():
        return _pairings(inputs, taxonomy, policy, memory or PairingMemory())


def _pairings(inputs: PlanInputs, taxonomy: Taxonomy, policy: Policy,
              memory: PairingMemory) -> tuple[Pairs, Refusals]:
    # A placement accepted since changes the chain role of every project like it at that park.
    context = (inputs.parks, inputs.placed, inputs.today, taxonomy, policy)
    if memory.context != context or memory.facts is None:
        memory.context, memory.by_project = context, {}
        memory.facts = ParkFacts(inputs.parks, inputs.placed, taxonomy)
    rules = RuleContext(policy, inputs.today, taxonomy, inputs.forbidden)
    rejected: dict[str, set[str]] = {}
    for project_id, park_id in inputs.forbidden:
        rejected.setdefault(project_id, set()).add(park_id)
    barred = {project.id: frozenset(rejected.get(project.id, ())) for project in inputs.open_projects}
    weighed: dict[str, Weighed] = {}
    to_weigh: dict[str, list[Project]] = {}  # by sector: a sector's projects are weighed together
    for project in inputs.open_projects:
        known = memory.by_project.get(project.id)
        if known is not None and known.barred == barred[project.id] and known.project == project:
            weighed[project.id] = known
        else:
            to_weigh.setdefault(project.sector, []).append(project)
    for projects in to_weigh.values():
        fresh = weigh(projects, [barred[p.id] for p in projects], memory.facts, rules, policy.weights)
        weighed |= {each.project.id: each for each in fresh}
    memory.by_project = {project.id: weighed[project.id] for project in inputs.open_projects}
    every = list(memory.by_project.values())
    return Pairs(memory.facts, every, policy.weights), Refusals(memory.facts, every, rules)


def to_instance(inputs: PlanInputs, eligible: Pairs, policy: Policy,
                move_penalty: float = 0.0) -> Instance:
    """A link several projects could fill is credited once: a bonus (`links.py`)."""
    with collector_paused():
        scores, once = bonuses(eligible, policy)
        candidates = eligible.candidates(scores)
    return Instance(
        parks=[ParkCapacity(p.id, remaining(p, inputs.held.get(p.id, {}), inputs.today.year))
               for p in inputs.parks],
        projects=[p.id for p in inputs.open_projects],
        candidates=candidates,
        previous=inputs.previous,
        move_penalty=move_penalty,
        bonuses=once,
    )


def decide(inputs: PlanInputs, eligible: Pairs, excluded: Refusals, solution: Solution,
           policy: Policy, taxonomy: Taxonomy) -> tuple[list[Offer], list[Unplaced]]:
    """Offers for the solution's assignments and reasons for the rest, both judged against the
    room each park has before (`room`) and after (`slack`) this plan. Only the pairs shown are
    read: each offer's runners-up, each unplaced project's best parks."""
    with collector_paused():  # beside a province's candidates, each full pass walks them all
        return _decide(inputs, eligible, excluded, solution, policy, taxonomy)


def _decide(inputs: PlanInputs, eligible: Pairs, excluded: Refusals, solution: Solution,
            policy: Policy, taxonomy: Taxonomy) -> tuple[list[Offer], list[Unplaced]]:
    year = inputs.today.year
    chosen = credited_once([eligible.at(*pair) for pair in solution.assignments.items()], policy,
                           year)
    room = {p.id: remaining(p, inputs.held.get(p.id, {}), year) for p in inputs.parks}
    slack = {park_id: dict(free) for park_id, free in room.items()}
    for pairing in chosen:
        for resource, amount in pairing.use.items():
            if resource in slack[pairing.park.id]:
                slack[pairing.park.id][resource] -= amount
    offers = [Offer(p, *explain_offer(p, eligible.best(p.project.id, MAX_RUNNERS_UP + 1),
                                      excluded.by_rules(p.project.id), room, slack, policy,
                                      taxonomy, year)) for p in chosen]
    unplaced = [Unplaced(project, *explain_unplaced(eligible.best(project.id, MAX_VERDICTS),
                                                    excluded.get(project.id, []), room, slack))
                for project in inputs.open_projects if project.id not in solution.assignments]
    return offers, unplaced
