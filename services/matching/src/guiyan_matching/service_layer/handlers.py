"""matching's handlers: record supply and demand, take decisions, answer queries."""

from __future__ import annotations

from guiyan_contracts import models as contract
from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import (
    AcceptProposal,
    GetPlacements,
    GetPlan,
    GetProjectHistory,
    GetProposal,
    ListPlans,
    ListProjects,
    ListProposals,
    PlacementList,
    PlanList,
    ProjectHistory,
    ProjectListing,
    ProjectPage,
    ProposalList,
    RejectProposal,
)
from guiyan_contracts.models import (
    Bilingual,
    HistoryEntry,
    Placement,
    Plan,
    ProjectStatus,
    ProposalStatus,
)
from guiyan_contracts.refusals import NotFound
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted

from ..adapters.repository import Standing
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.city_time import city_day
from ..domain.proposal import Proposal
from ..domain.rules import capacity
from .proposals import record
from .records import in_its_city

CURRENT = (ProjectStatus.proposed, ProjectStatus.placed)  # a park holds the project


def record_park(event: ParkRegistered, uow: MatchingUnitOfWork) -> None:
    in_its_city(uow, "park", event.park, event)
    uow.matching.save_park(event.park)


def record_project(event: ProjectSubmitted, uow: MatchingUnitOfWork) -> None:
    project = event.project
    in_its_city(uow, "project", project, event)
    uow.matching.save_project(project)
    uow.matching.add_history(project.tenant_id, project.id, HistoryEntry(
        at=project.submitted_at, kind="submitted", actor=project.submitted_by))


def _proposal(uow: MatchingUnitOfWork, tenant_id: str, proposal_id: str,
              for_update: bool = False) -> Proposal:
    if (proposal := uow.matching.proposal(tenant_id, proposal_id, for_update)) is None:
        raise NotFound(f"no proposal {proposal_id!r}")
    return proposal


def accept_proposal(command: AcceptProposal, uow: MatchingUnitOfWork) -> contract.Proposal:
    """Accepting makes the held capacity permanent, never beyond the park's capacity, whatever
    changed since the offer: the proposal's row is locked as it is read, then the park's (on
    PostgreSQL), so concurrent decisions and accepts in the park queue up."""
    proposal = _proposal(uow, command.tenant_id, command.proposal_id, for_update=True)
    now = utc_now()
    try:
        if proposal.decidable(ProposalStatus.accepted, now):  # the park is locked only then
            park = uow.matching.park(proposal.park_id, for_update=True)
            assert park is not None, "a proposal's park is always recorded"
            accepted = uow.matching.live_proposals(proposal.tenant_id, proposal.park_id,
                                                   (ProposalStatus.accepted,))
            year = city_day(now).year  # the commitment starts when it is accepted
            proposal.accept(command.decided_by, now, capacity(park, year), accepted, year)
    finally:  # a lapsed offer is expired as the decision is refused
        record(uow, proposal, command.correlation_id)
    return proposal.as_contract()


def reject_proposal(command: RejectProposal, uow: MatchingUnitOfWork) -> contract.Proposal:
    """Rejecting frees the capacity and forbids the pair for good; the project is planned again."""
    proposal = _proposal(uow, command.tenant_id, command.proposal_id, for_update=True)
    try:
        proposal.reject(command.decided_by, utc_now(), command.reason)
    finally:
        record(uow, proposal, command.correlation_id)
    return proposal.as_contract()


def get_proposal(query: GetProposal, uow: MatchingUnitOfWork) -> contract.Proposal:
    return _proposal(uow, query.tenant_id, query.proposal_id).as_contract()


def list_proposals(query: ListProposals, uow: MatchingUnitOfWork) -> ProposalList:
    proposals, total, counts = uow.matching.proposal_page(query)
    return ProposalList(proposals=[p.as_contract() for p in proposals], total=total,
                        counts=counts)


def list_projects(query: ListProjects, uow: MatchingUnitOfWork) -> ProjectPage:
    """A page of projects, each with where it stands and the park it is offered to or placed
    in: one request for a list, however many projects it shows."""
    uow.matching.fill_listing_columns(query.tenant_id)
    projects, total = uow.matching.project_page(query)
    ids = [project.id for project in projects]
    latest = uow.matching.latest_proposals(query.tenant_id, ids)
    standings = uow.matching.standings(query.tenant_id, ids, with_reasons=False)
    items = []
    for project in projects:
        placement = _placement(project.id, latest.get(project.id), standings.get(project.id))
        live = placement.proposal if placement.status in CURRENT else None
        items.append(ProjectListing(project=project, placement=placement,
                                    park_id=live.park_id if live else None,
                                    park_name=live.park_name if live else None))
    return ProjectPage(items=items, total=total)


def _placement(project_id: str, latest: Proposal | None, standing: Standing | None
               ) -> Placement:
    proposal = latest.as_contract() if latest else None
    if standing is not None and standing.withdrawn:
        return Placement(project_id=project_id, status=ProjectStatus.withdrawn, proposal=proposal)
    if latest is not None and latest.status == ProposalStatus.accepted:
        return Placement(project_id=project_id, status=ProjectStatus.placed, proposal=proposal)
    if latest is not None and latest.status == ProposalStatus.offered:
        return Placement(project_id=project_id, status=ProjectStatus.proposed, proposal=proposal)
    if standing is not None and (unplaced := standing.unplaced) is not None:
        return Placement(project_id=project_id, status=ProjectStatus.unplaced, proposal=proposal,
                         unplaced_reason=Bilingual(zh=unplaced.reason_zh, en=unplaced.reason_en),
                         unplaced_reasons=unplaced.verdicts)
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
    standings = uow.matching.standings(query.tenant_id, query.project_ids, query.with_reasons)
    return PlacementList(placements=[_placement(p, latest.get(p), standings.get(p))
                                     for p in query.project_ids])
