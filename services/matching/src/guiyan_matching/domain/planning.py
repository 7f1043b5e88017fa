"""One plan, as pure functions: open demand and remaining supply → instance → offers and unplaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guiyan_optimiser import Candidate, Instance, ParkCapacity, Solution

from guiyan_contracts.models import ChainRole, Park, Project
from guiyan_contracts.taxonomy import Taxonomy

from .rules import Reason, capacity, chain_role, ineligibility, resource_use, score

ROLE_TEXT = {
    ChainRole.fill_gap: ("补链：园区产业链缺少这一环节", "fills a missing link (补链) in the park's chain"),
    ChainRole.extend: ("延链：向园区产业链上下游延伸", "extends the park's chain (延链) up- or downstream"),
    ChainRole.strengthen: ("强链：壮大园区已有环节", "strengthens a link the park already hosts (强链)"),
    ChainRole.same_sector: ("同产业：园区承接该产业", "same sector as the park"),
}
MAX_REASONS = 5


@dataclass(frozen=True)
class PlanInputs:
    parks: list[Park]
    open_projects: list[Project]  # neither offered nor placed
    held: dict[str, dict[str, float]]  # park → resource → held by accepted and pending offers
    forbidden: frozenset[tuple[str, str]]  # rejected pairs, never offered again
    today: date


@dataclass(frozen=True)
class Pairing:
    project: Project
    park: Park
    role: ChainRole
    score: float
    use: dict[str, float]


@dataclass(frozen=True)
class Offer:
    pairing: Pairing
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class Unplaced:
    project: Project
    reason_zh: str
    reason_en: str


def remaining(park: Park, held: dict[str, float]) -> dict[str, float]:
    """What a park can still promise; never below zero, even if it now holds more than it has."""
    return {r: max(0.0, total - held.get(r, 0.0)) for r, total in capacity(park).items()}


def pairings(inputs: PlanInputs, taxonomy: Taxonomy) -> tuple[list[Pairing], dict[str, list[tuple[Park, Reason]]]]:
    """Every eligible (project, park) pair, and per project the parks ruled out and why."""
    eligible: list[Pairing] = []
    excluded: dict[str, list[tuple[Park, Reason]]] = {}
    for project in inputs.open_projects:
        for park in inputs.parks:
            if (project.id, park.id) in inputs.forbidden:
                excluded.setdefault(project.id, []).append(
                    (park, Reason("rejected", "园区已拒绝该项目", "the park rejected it before")))
            elif reason := ineligibility(project, park, inputs.today):
                excluded.setdefault(project.id, []).append((park, reason))
            else:
                role = chain_role(project, park, taxonomy)
                eligible.append(Pairing(project, park, role, score(project, park, role),
                                        resource_use(project, park)))
    return eligible, excluded


def to_instance(inputs: PlanInputs, eligible: list[Pairing]) -> Instance:
    return Instance(
        parks=[ParkCapacity(p.id, remaining(p, inputs.held.get(p.id, {}))) for p in inputs.parks],
        projects=[p.id for p in inputs.open_projects],
        candidates=[Candidate(x.project.id, x.park.id, x.score, x.use) for x in eligible],
    )


def explain_offer(pairing: Pairing) -> Offer:
    project, park = pairing.project, pairing.park
    role_zh, role_en = ROLE_TEXT[pairing.role]
    subsidy = pairing.use.get("subsidy_yuan", 0.0)
    zh = [role_zh]
    en = [role_en]
    if project.hometown_county == park.county:
        zh.append("创业者家乡在园区所在县区")
        en.append("the founder's hometown county is the park's")
    zh.append(f"吸纳就业{project.jobs}人；预计补贴{subsidy:,.0f}元")
    en.append(f"{project.jobs} jobs; estimated subsidy {subsidy:,.0f} yuan")
    return Offer(pairing, "；".join(zh), "; ".join(en))


def why_not_placed(project: Project, eligible: list[Pairing], excluded: list[tuple[Park, Reason]],
                   room: dict[str, dict[str, float]]) -> Unplaced:
    """Per park, why it did not take the project; parks excluded by one rule are named together."""
    zh: list[str] = []
    en: list[str] = []
    for pairing in eligible[:MAX_REASONS]:
        park_room = room[pairing.park.id]
        short = [r for r, u in pairing.use.items() if u > park_room.get(r, float("inf"))]
        if "subsidy_yuan" in short:
            zh.append(f"{pairing.park.name}：补贴预算不足")
            en.append(f"{pairing.park.name}: over its subsidy budget")
        elif short:
            zh.append(f"{pairing.park.name}：剩余容量不足（{'、'.join(short)}）")
            en.append(f"{pairing.park.name}: not enough room left ({', '.join(short)})")
        else:
            zh.append(f"{pairing.park.name}：容量已优先给予得分更高的项目")
            en.append(f"{pairing.park.name}: outbid for its capacity by better-fitting projects")
    by_reason: dict[Reason, list[str]] = {}
    for park, reason in excluded:
        by_reason.setdefault(reason, []).append(park.name)
    for reason, parks in by_reason.items():
        zh.append(f"{reason.zh}：{'、'.join(parks)}")
        en.append(f"{reason.en}: {', '.join(parks)}")
    if not zh:
        zh, en = ["本市暂无园区"], ["the city has no parks yet"]
    return Unplaced(project, "暂无可安置的园区。" + "；".join(zh),
                    "No park can take it now. " + "; ".join(en))


def decide(inputs: PlanInputs, eligible: list[Pairing], excluded: dict[str, list[tuple[Park, Reason]]],
           solution: Solution) -> tuple[list[Offer], list[Unplaced]]:
    by_pair = {(x.project.id, x.park.id): x for x in eligible}
    offers = [explain_offer(by_pair[(project_id, park_id)])
              for project_id, park_id in solution.assignments.items()]
    room = {p.id: remaining(p, inputs.held.get(p.id, {})) for p in inputs.parks}
    eligible_by_project: dict[str, list[Pairing]] = {}
    for pairing in eligible:
        eligible_by_project.setdefault(pairing.project.id, []).append(pairing)
    unplaced = [
        why_not_placed(project, eligible_by_project.get(project.id, []),
                       excluded.get(project.id, []), room)
        for project in inputs.open_projects if project.id not in solution.assignments
    ]
    return offers, unplaced
