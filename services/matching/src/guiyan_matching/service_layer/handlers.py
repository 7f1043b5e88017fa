"""matching's handlers: record supply and demand, take decisions, answer queries."""

from __future__ import annotations

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import (
    AcceptProposal,
    GetPlacements,
    GetPlan,
    GetProjectHistory,
    GetProposal,
    ListPlans,
    ListProposals,
    PlacementList,
    PlanList,
    ProjectHistory,
    ProposalAccepted,
    ProposalList,
    ProposalRejected,
    RejectProposal,
)
from guiyan_contracts.models import (
    HistoryEntry,
    Placement,
    Plan,
    ProjectStatus,
    Proposal,
    ProposalStatus,
)
from guiyan_contracts.refusals import Conflict, NotFound
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted

from ..adapters.orm import ProjectRecord, ProposalRow
from ..adapters.repository import VERDICTS, to_contract
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.rules import capacity
from . import PRODUCER
from .lifecycle import expire, expired, note, overbooked
from .records import in_its_city


def record_park(event: ParkRegistered, uow: MatchingUnitOfWork) -> None:
    in_its_city(uow, "park", event.park, event)
    uow.matching.save_park(event.park)


def record_project(event: ProjectSubmitted, uow: MatchingUnitOfWork) -> None:
    project = event.project
    in_its_city(uow, "project", project, event)
    uow.matching.save_project(project)
    uow.matching.add_history(project.tenant_id, project.id, HistoryEntry(
        at=project.submitted_at, kind="submitted", actor=project.submitted_by))


def _live_proposal(uow: MatchingUnitOfWork, tenant_id: str, proposal_id: str) -> ProposalRow:
    row = uow.matching.proposal_row(tenant_id, proposal_id)
    if row is None:
        raise NotFound(f"no proposal {proposal_id!r}")
    return row


def _why_not(row: ProposalRow) -> str:
    if row.status == ProposalStatus.expired:
        return f"proposal {row.id} expired at {row.expires_at:%Y-%m-%d %H:%M} UTC"
    if row.status == ProposalStatus.withdrawn:
        return f"proposal {row.id} was withdrawn: {row.withdraw_reason}"
    return f"proposal {row.id} is {row.status}"


def _decide(command: AcceptProposal | RejectProposal, uow: MatchingUnitOfWork,
            outcome: ProposalStatus, reason: str | None = None) -> Proposal:
    """Only an offered proposal can be decided; repeating the same decision answers as the first.
    A late decision is a conflict that says why: the offer expired or was withdrawn."""
    row = _live_proposal(uow, command.tenant_id, command.proposal_id)
    if row.status == outcome:
        return to_contract(row)
    if expired(row, utc_now()):  # lapsed, and the sweep has not come by yet
        expire(uow, row)
        uow.commit()
    if row.status != ProposalStatus.offered:
        raise Conflict(f"{_why_not(row)}; it can no longer be {outcome.value}")
    if outcome is ProposalStatus.accepted:
        _check_room(uow, row)
    row.status, row.decided_at, row.decided_by = outcome, utc_now(), command.decided_by
    row.reject_reason = reason
    proposal = to_contract(row)
    event_type = ProposalAccepted if outcome is ProposalStatus.accepted else ProposalRejected
    uow.emit(event_type(producer=PRODUCER, tenant_id=row.tenant_id,
                        correlation_id=command.correlation_id, proposal=proposal,
                        submitted_by=uow.matching.submitted_by(row.project_id)))
    note(uow, row, outcome.value, command.decided_by, reason)
    uow.commit()
    return proposal


def _check_room(uow: MatchingUnitOfWork, row: ProposalRow) -> None:
    """Accepted placements never exceed the park's capacity, whatever changed since the offer.
    The park's row is locked first (on PostgreSQL), so concurrent accepts queue up."""
    park = uow.matching.park(row.park_id, for_update=True)
    assert park is not None, "a proposal's park is always recorded"
    accepted = uow.matching.live_rows(row.tenant_id, row.park_id, (ProposalStatus.accepted.value,))
    if over := overbooked(capacity(park), [*accepted, row]):
        short = ", ".join(f"{resource} by {amount:g}" for resource, amount in over.items())
        raise Conflict(f"accepting proposal {row.id} would overbook {park.name}: {short}")


def accept_proposal(command: AcceptProposal, uow: MatchingUnitOfWork) -> Proposal:
    """Accepting makes the held capacity permanent."""
    return _decide(command, uow, ProposalStatus.accepted)


def reject_proposal(command: RejectProposal, uow: MatchingUnitOfWork) -> Proposal:
    """Rejecting frees the capacity and forbids the pair for good; the project is planned again."""
    return _decide(command, uow, ProposalStatus.rejected, command.reason)


def get_proposal(query: GetProposal, uow: MatchingUnitOfWork) -> Proposal:
    return to_contract(_live_proposal(uow, query.tenant_id, query.proposal_id))


def list_proposals(query: ListProposals, uow: MatchingUnitOfWork) -> ProposalList:
    status = query.status.value if query.status else None
    rows, total = uow.matching.proposal_rows(query.tenant_id, query.park_ids, status, query.limit,
                                             query.offset)
    return ProposalList(proposals=[to_contract(row) for row in rows], total=total)


def _placement(project_id: str, row: ProposalRow | None, record: ProjectRecord | None,
               with_reasons: bool) -> Placement:
    proposal = to_contract(row) if row else None
    if record is not None and record.withdrawn_at is not None:
        return Placement(project_id=project_id, status=ProjectStatus.withdrawn, proposal=proposal)
    if row is not None and row.status == ProposalStatus.accepted:
        return Placement(project_id=project_id, status=ProjectStatus.placed, proposal=proposal)
    if row is not None and row.status == ProposalStatus.offered:
        return Placement(project_id=project_id, status=ProjectStatus.proposed, proposal=proposal)
    if record is not None and record.unplaced_reason_en:
        verdicts = (record.unplaced_reasons_json or "[]") if with_reasons else "[]"
        return Placement(project_id=project_id, status=ProjectStatus.unplaced, proposal=proposal,
                         unplaced_reason=f"{record.unplaced_reason_zh} / {record.unplaced_reason_en}",
                         unplaced_reasons=VERDICTS.validate_json(verdicts))
    return Placement(project_id=project_id, status=ProjectStatus.submitted, proposal=proposal)


def list_plans(query: ListPlans, uow: MatchingUnitOfWork) -> PlanList:
    plans, total = uow.matching.plans(query.tenant_id, query.limit, query.offset)
    return PlanList(plans=plans, total=total)


def get_plan(query: GetPlan, uow: MatchingUnitOfWork) -> Plan:
    if plan := uow.matching.plan(query.tenant_id, query.plan_id):
        return plan
    raise NotFound(f"no plan {query.plan_id!r}")


def project_history(query: GetProjectHistory, uow: MatchingUnitOfWork) -> ProjectHistory:
    entries = uow.matching.history(query.tenant_id, query.project_id)
    if not entries:
        raise NotFound(f"no project {query.project_id!r}")
    return ProjectHistory(project_id=query.project_id, entries=entries)


def get_placements(query: GetPlacements, uow: MatchingUnitOfWork) -> PlacementList:
    latest = uow.matching.latest_proposals(query.tenant_id, query.project_ids)
    records = uow.matching.project_records(query.tenant_id, query.project_ids)
    return PlacementList(placements=[_placement(p, latest.get(p), records.get(p),
                                                query.with_reasons)
                                     for p in query.project_ids])
