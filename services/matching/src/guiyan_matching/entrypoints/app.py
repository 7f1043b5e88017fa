"""matching's process: keeps its read model, plans continuously and takes decisions. Each city is
planned by the one replica that holds its lease; every replica handles events and requests."""

from collections.abc import Callable
from typing import Any

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
from guiyan_contracts.taxonomy import configured_cities
from guiyan_eventing.leases import Leases, lease_bucket, open_lease_store
from guiyan_eventing.migrations.cli import run_or_migrate
from guiyan_eventing.runtime import Service

from ..adapters.metrics import PlanMetrics, proposals_by_state
from ..adapters.unit_of_work import MatchingUnitOfWork
from ..config import MatchingSettings
from ..migrations import MIGRATIONS
from ..service_layer import chains, handlers, leads, lifecycle, occupancy, people, stats
from ..service_layer.plan_requests import asking_for_a_plan
from ..service_layer.planner import Planner


def build(settings: MatchingSettings | None = None) -> Service[MatchingUnitOfWork]:
    settings = settings or MatchingSettings()
    service = Service("matching", settings, MIGRATIONS, MatchingUnitOfWork)
    planner = Planner(service.uow, settings, database=service.database,
                      planned=PlanMetrics(service.metrics).planned)
    leases = Leases(configured_cities(), settings.replica_name, won=planner.lead,
                    lost=planner.step_down)
    service.gauge_from_database("guiyan_matching_proposals", "Proposals by state",
                                ("city", "state"), proposals_by_state)

    def replanning(event_type: type[Event], handle: Callable[[Any, MatchingUnitOfWork], None]
                   ) -> Callable[[Any, MatchingUnitOfWork], None]:
        return asking_for_a_plan(handle, event_type.__name__, lambda event: str(event.event_id))

    def nudge(_: object) -> None:  # a plan request committed here
        planner.nudge()

    # A park's chain-gap leads follow the park, and the placements that bring it links.
    service.on_event(ParkRegistered, replanning(ParkRegistered, leads.park_registered), then=nudge)
    service.on_event(ParkUpdated, replanning(ParkUpdated, leads.park_updated), then=nudge)
    service.on_event(ProjectSubmitted, replanning(ProjectSubmitted, handlers.record_project),
                     then=nudge)
    service.on_event(ProjectUpdated, replanning(ProjectUpdated, leads.project_updated),
                     then=nudge)
    service.on_event(ProjectWithdrawn, replanning(ProjectWithdrawn, leads.project_withdrawn),
                     then=nudge)
    service.on_event(PersonRegistered, people.record_person)
    service.on_event(PersonUpdated, people.record_person)
    service.on_event(PersonErased, people.erase_person)
    service.on_request(LimitParkCapacity, asking_for_a_plan(
        lifecycle.limit_park_capacity, "ParkCapacityLimited", lambda command: command.park_id),
        then=nudge)
    service.on_request(ReleaseParkLimit, asking_for_a_plan(
        lifecycle.release_park_limit, "ParkLimitReleased", lambda command: command.park_id),
        then=nudge)
    service.on_request(AcceptProposal, leads.accept_proposal)
    service.on_request(RejectProposal, asking_for_a_plan(
        handlers.reject_proposal, "ProposalRejected", lambda command: command.proposal_id),
        then=nudge)
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
        return await planner.status(query.tenant_id)

    async def lead_cities() -> None:
        store, ttl = await open_lease_store(service.broker.connection, lease_bucket("matching"))
        await leases.keep(store, ttl)

    # Any replica answers both: the status is read from the database, and a what-if preview
    # writes nothing (a standby's spare solver serves it without delaying the leader's plans).
    service.respond(GetPlanningStatus, planning_status)
    service.respond(PreviewPlan, planner.preview)
    service.background(lead_cities)
    service.ready_when("leases", leases.keeping)  # else, its bucket away, no city is planned
    service.background(planner.run)
    service.background(planner.sweep)
    service.report_problems(planner.problems)
    return service


def main() -> None:
    run_or_migrate("matching", MatchingSettings, MIGRATIONS, lambda settings: build(settings).run())
