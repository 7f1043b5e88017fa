"""matching's handlers: record supply and demand, take decisions, answer queries."""

from __future__ import annotations

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import (
    AcceptProposal,
    GetPlacements,
    GetProposal,
    ListProposals,
    PlacementList,
    ProposalAccepted,
    ProposalList,
    ProposalRejected,
    RejectProposal,
)
from guiyan_contracts.models import Placement, ProjectStatus, Proposal, ProposalStatus
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_eventing.errors import Conflict, NotFound

from ..adapters.orm import ProjectRecord, ProposalRow
from ..adapters.repository import VERDICTS, to_contract
from ..adapters.unit_of_work import MatchingUnitOfWork

PRODUCER = "matching"


def record_park(event: ParkRegistered, uow: MatchingUnitOfWork) -> None:
    uow.matching.save_park(event.park)


def record_project(event: ProjectSubmitted, uow: MatchingUnitOfWork) -> None:
    uow.matching.save_project(event.project)


def _live_proposal(uow: MatchingUnitOfWork, tenant_id: str, proposal_id: str) -> ProposalRow:
    row = uow.matching.proposal_row(tenant_id, proposal_id)
    if row is None:
        raise NotFound(f"no proposal {proposal_id!r}")
    return row


def _submitted_by(uow: MatchingUnitOfWork, project_id: str) -> str:
    project = uow.matching.project(project_id)
    assert project is not None, "a proposal's project is always recorded"
    return project.submitted_by


def _decide(command: AcceptProposal | RejectProposal, uow: MatchingUnitOfWork,
            outcome: ProposalStatus, reason: str | None = None) -> Proposal:
    """Only an offered proposal can be decided; repeating the same decision answers as the first."""
    row = _live_proposal(uow, command.tenant_id, command.proposal_id)
    if row.status == outcome:
        return to_contract(row)
    if row.status != ProposalStatus.offered:
        raise Conflict(f"proposal {row.id} is {row.status}; it can no longer be {outcome.value}")
    row.status, row.decided_at, row.decided_by = outcome, utc_now(), command.decided_by
    row.reject_reason = reason
    proposal = to_contract(row)
    event_type = ProposalAccepted if outcome is ProposalStatus.accepted else ProposalRejected
    uow.emit(event_type(producer=PRODUCER, tenant_id=row.tenant_id,
                        correlation_id=command.correlation_id, proposal=proposal,
                        submitted_by=_submitted_by(uow, row.project_id)))
    uow.commit()
    return proposal


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
    rows = uow.matching.proposal_rows(query.tenant_id, query.park_ids, status, query.limit)
    return ProposalList(proposals=[to_contract(row) for row in rows])


def _placement(project_id: str, row: ProposalRow | None, record: ProjectRecord | None) -> Placement:
    proposal = to_contract(row) if row else None
    if row is not None and row.status == ProposalStatus.accepted:
        return Placement(project_id=project_id, status=ProjectStatus.placed, proposal=proposal)
    if row is not None and row.status == ProposalStatus.offered:
        return Placement(project_id=project_id, status=ProjectStatus.proposed, proposal=proposal)
    if record is not None and record.unplaced_reason_en:
        verdicts = record.unplaced_reasons_json or "[]"
        return Placement(project_id=project_id, status=ProjectStatus.unplaced, proposal=proposal,
                         unplaced_reason=f"{record.unplaced_reason_zh} / {record.unplaced_reason_en}",
                         unplaced_reasons=VERDICTS.validate_json(verdicts))
    return Placement(project_id=project_id, status=ProjectStatus.submitted, proposal=proposal)


def get_placements(query: GetPlacements, uow: MatchingUnitOfWork) -> PlacementList:
    latest = uow.matching.latest_proposals(query.tenant_id, query.project_ids)
    records = uow.matching.project_records(query.tenant_id, query.project_ids)
    return PlacementList(placements=[_placement(p, latest.get(p), records.get(p))
                                     for p in query.project_ids])
