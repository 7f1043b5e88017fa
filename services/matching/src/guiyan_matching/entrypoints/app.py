"""matching's process: keeps its read model, plans continuously and takes decisions."""

from guiyan_contracts.envelope import Event
from guiyan_contracts.matching import (
    AcceptProposal,
    GetBreakdown,
    GetChainCoverage,
    GetFunnel,
    GetParkLeads,
    GetParkOccupancy,
    GetParkUse,
    GetPlacements,
    GetPlan,
    GetPlanningStatus,
    GetPlanStats,
    GetProjectHistory,
    GetProposal,
    GetStationPerformance,
    LimitParkCapacity,
    ListPlans,
    ListProjects,
    ListProposals,
    PlanningStatus,
    PreviewPlan,
    RejectProposal,
    ReleaseParkLimit,
)
from guiyan_contracts.people import PersonErased, PersonRegistered, PersonUpdated
from guiyan_contracts.registry import (
    ParkRegistered,
    ParkUpdated,
    ProjectSubmitted,
    ProjectUpdated,
    ProjectWithdrawn,
)
from guiyan_eventing.runtime import Service

from ..adapters.metrics import PlanMetrics, proposals_by_state
from ..adapters.orm import TABLES
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..config import MatchingSettings
from ..service_layer import chains, handlers, leads, lifecycle, occupancy, people, stats
from ..service_layer.planner import Planner


def build(settings: MatchingSettings | None = None) -> Service[MatchingUnitOfWork]:
    settings = settings or MatchingSettings()
    service = Service("matching", settings, TABLES, MatchingUnitOfWork)
    planner = Planner(service.uow, settings, database=service.database,
                      planned=PlanMetrics(service.metrics).planned)
    service.gauge_from_database("guiyan_matching_proposals", "Proposals by state",
                                ("city", "state"), proposals_by_state)

    def replan(event: Event) -> None:
        planner.request(event.tenant_id, type(event).__name__, str(event.event_id))

    def replan_after_rejection(command: RejectProposal) -> None:
        planner.request(command.tenant_id, "ProposalRejected", command.proposal_id)

    # A park's chain-gap leads follow the park, and the placements that bring it links.
    service.on_event(ParkRegistered, leads.park_registered, then=replan)
    service.on_event(ParkUpdated, leads.park_updated, then=replan)
    service.on_event(ProjectSubmitted, handlers.record_project, then=replan)
    service.on_event(ProjectUpdated, leads.project_updated, then=replan)
    service.on_event(ProjectWithdrawn, leads.project_withdrawn, then=replan)
    service.on_event(PersonRegistered, people.record_person)
    service.on_event(PersonUpdated, people.record_person)
    service.on_event(PersonErased, people.erase_person)
    service.on_request(LimitParkCapacity, lifecycle.limit_park_capacity,
                       then=lambda command: planner.request(command.tenant_id, "ParkCapacityLimited",
                                                            command.park_id))
    service.on_request(ReleaseParkLimit, lifecycle.release_park_limit,
                       then=lambda command: planner.request(command.tenant_id, "ParkLimitReleased",
                                                            command.park_id))
    service.on_request(AcceptProposal, leads.accept_proposal)
    service.on_request(RejectProposal, handlers.reject_proposal, then=replan_after_rejection)
    service.on_request(GetProposal, handlers.get_proposal)
    service.on_request(ListProposals, handlers.list_proposals)
    service.on_request(ListProjects, handlers.list_projects)
    service.on_request(GetPlacements, handlers.get_placements)
    service.on_request(ListPlans, handlers.list_plans)
    service.on_request(GetPlan, handlers.get_plan)
    service.on_request(GetProjectHistory, handlers.project_history)
    service.on_request(GetParkOccupancy, occupancy.park_occupancy)
    service.on_request(GetChainCoverage, chains.chain_coverage)
    service.on_request(GetFunnel, stats.funnel)
    service.on_request(GetBreakdown, stats.breakdown)
    service.on_request(GetParkUse, stats.park_use)
    service.on_request(GetPlanStats, stats.plan_stats)
    service.on_request(GetStationPerformance, stats.station_performance)
    service.on_request(GetParkLeads, leads.get_park_leads)
    async def planning_status(query: GetPlanningStatus) -> PlanningStatus:
        return planner.status(query.tenant_id)

    service.respond(GetPlanningStatus, planning_status)
    service.respond(PreviewPlan, planner.preview)
    service.background(planner.run)
    service.background(planner.sweep)
    service.report_problems(planner.problems)
    return service


def main() -> None:
    build().run()
