"""Writing a plan's outcome, in one transaction: the offers it moved are withdrawn, its new
offers made, parks that shrank while it solved held to what now fits, unplaced projects told
why, and the plan itself kept for audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from guiyan_optimiser import Solution

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import PlanCompleted, ProjectUnplaced
from guiyan_contracts.models import Bilingual, HistoryEntry, Plan, PlanTrigger, ProposalStatus

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.planning import Offer, Unplaced
from ..domain.proposal import PLANNER, Proposal
from . import PRODUCER
from .lifecycle import withdraw_beyond
from .plan_inputs import Inputs, Pending
from .proposals import Audience, announce, record

MAX_TRIGGERS_KEPT = 100
MOVED = Bilingual(zh="重新规划后改为更合适的安排", en="a new plan found a better overall arrangement")


@dataclass(frozen=True)
class Decision:
    """What a solve decided, with what the audit keeps of it."""

    offers: list[Offer]
    unplaced: list[Unplaced]
    solution: Solution
    fingerprint: str
    ended_early: bool


@dataclass(frozen=True)
class Solved:
    """A plan as solved, ready to be written."""

    plan_id: str
    tenant_id: str
    started_at: datetime
    triggers: list[PlanTrigger]
    mode: str
    inputs: Inputs
    decision: Decision


def write_plan(uow: MatchingUnitOfWork, solved: Solved, ttl: timedelta) -> Plan:
    offers, moved = moves(solved.inputs, solved.decision.offers)
    withdraw_moved(uow, solved.tenant_id, moved)
    proposal_ids = make_offers(uow, offers, solved.plan_id, ttl)
    for seen in {offer.pairing.park.id: offer.pairing.park for offer in offers}.values():
        # A park shrunk during the solve (LimitParkCapacity) holds only what now fits.
        park = uow.matching.park(seen.id, for_update=True)
        if park is not None and park != seen:
            withdraw_beyond(uow, park, PLANNER)
    record_unplaced(uow, solved.tenant_id, solved.decision.unplaced, solved.plan_id)
    plan = audit(solved, len(moved), proposal_ids)
    uow.matching.add_plan(plan)
    uow.emit(PlanCompleted(producer=PRODUCER, tenant_id=solved.tenant_id, plan=plan))
    return plan


def moves(inputs: Inputs, offers: list[Offer]) -> tuple[list[Offer], list[Pending]]:
    """In reoptimise mode: the offers that are new, and the pending offers the plan moved or
    dropped. An offer the plan keeps at its park is left as it is."""
    kept = {o.pairing.project.id for o in offers
            if (was := inputs.movable.get(o.pairing.project.id)) and was.park_id == o.pairing.park.id}
    fresh = [o for o in offers if o.pairing.project.id not in kept]
    return fresh, [pending for project, pending in inputs.movable.items() if project not in kept]


def withdraw_moved(uow: MatchingUnitOfWork, tenant_id: str, moved: list[Pending]) -> None:
    now = utc_now()
    for pending in moved:
        current = uow.matching.proposal(tenant_id, pending.proposal_id)
        if current is not None and current.status == ProposalStatus.offered:
            current.withdraw(MOVED, PLANNER, now)
            record(uow, current)


def make_offers(uow: MatchingUnitOfWork, offers: list[Offer], plan_id: str,
                ttl: timedelta) -> list[str]:
    """The ids of the proposals made; none for a project offered a place elsewhere (decided or
    withdrawn) since the plan read its inputs. A plan makes hundreds of offers, so each table
    gets one statement for all of them, and the offers are not read back to be published."""
    taken = uow.matching.with_live_proposals([offer.pairing.project.id for offer in offers])
    now = utc_now()
    made = {offer.pairing.project.id: (Proposal.offer(offer, plan_id=plan_id, now=now, ttl=ttl),
                                       offer) for offer in offers
            if offer.pairing.project.id not in taken}
    proposals = [proposal for proposal, _ in made.values()]
    uow.matching.add_offers(proposals)
    if proposals:
        uow.matching.clear_unplaced(proposals[0].tenant_id, list(made))

    def audience(proposal: Proposal) -> Audience:  # as the plan saw them: no lookups
        pairing = made[proposal.project_id][1].pairing
        return Audience(pairing.park.manager_ids, pairing.project.submitted_by)

    announce(uow, proposals, audience)
    return [proposal.id for proposal in proposals]


def record_unplaced(uow: MatchingUnitOfWork, tenant_id: str, unplaced: list[Unplaced],
                    plan_id: str) -> None:
    """Each unplaced project's reasons are kept; staff hear once, and later plans only refresh
    the reasons."""
    now = utc_now()
    for each in uow.matching.mark_unplaced(tenant_id, unplaced):
        project = each.project
        uow.emit(ProjectUnplaced(producer=PRODUCER, tenant_id=tenant_id, project_id=project.id,
                                 project_name=project.name, submitted_by=project.submitted_by,
                                 reason_zh=each.reason_zh, reason_en=each.reason_en,
                                 reasons=each.verdicts))
        uow.matching.add_history(tenant_id, project.id, HistoryEntry(
            at=now, kind="unplaced", actor=PLANNER, plan_id=plan_id, detail=each.reason_en))


def audit(solved: Solved, moved: int, proposal_ids: list[str]) -> Plan:
    solution, decision = solved.decision.solution, solved.decision
    gap = (100 * (solution.bound - solution.objective) / abs(solution.bound)
           if solution.bound else 0.0)
    return Plan(id=solved.plan_id, tenant_id=solved.tenant_id, started_at=solved.started_at,
                finished_at=utc_now(), triggers=solved.triggers[:MAX_TRIGGERS_KEPT],
                triggers_total=len(solved.triggers), fingerprint=decision.fingerprint,
                mode=solved.mode, status=solution.status, objective=solution.objective,
                bound=solution.bound, gap_pct=max(0.0, gap), solve_seconds=solution.seconds,
                ended_early=decision.ended_early,
                open_projects=len(solved.inputs.plan.open_projects), offered=len(proposal_ids),
                unplaced=len(decision.unplaced), moved=moved, proposal_ids=proposal_ids)
