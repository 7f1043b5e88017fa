"""The city's dashboard: where its projects stand, what they bring, how full its parks are and
what its last plans achieved. Read-only, each answer from one transaction."""

from __future__ import annotations

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.matching import (
    Breakdown,
    Funnel,
    GetBreakdown,
    GetFunnel,
    GetParkUse,
    GetPlanStats,
    GetStationPerformance,
    ParkUse,
    ParkUseList,
    PlanStats,
    PlanSummary,
    StationPerformanceList,
)
from guiyan_contracts.models import ProjectStatus, ProposalStatus

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.city_time import city_day
from ..domain.occupancy import occupancy_of


def funnel(query: GetFunnel, uow: MatchingUnitOfWork) -> Funnel:
    by_status = uow.figures.status_counts(query.tenant_id)
    submitted = sum(by_status.values())
    placed = by_status.get(ProjectStatus.placed, 0)
    return Funnel(submitted=submitted, proposed=uow.figures.ever_proposed(query.tenant_id),
                  placed=placed, placement_rate=placed / submitted if submitted else 0.0,
                  by_status={status: by_status.get(status, 0) for status in ProjectStatus})


def breakdown(query: GetBreakdown, uow: MatchingUnitOfWork) -> Breakdown:
    uow.matching.fill_listing_columns(query.tenant_id)  # as a list would, for records kept long
    return Breakdown(by=query.by, rows=uow.figures.breakdown(query.tenant_id, query.by))


def park_use(query: GetParkUse, uow: MatchingUnitOfWork) -> ParkUseList:
    """Every park's occupancy, as `GetParkOccupancy` gives one park's, from one grouped sum of
    the city's live proposals. A park whose record cannot be read is left out."""
    held = uow.figures.held_by_park(query.tenant_id)
    year = city_day(utc_now()).year
    parks = []
    for park in uow.matching.parks(query.tenant_id):
        use = held.get(park.id, {})
        found = occupancy_of(park, use.get(ProposalStatus.accepted, {}),
                             use.get(ProposalStatus.offered, {}), year)
        parks.append(ParkUse(park_id=park.id, park_name=park.name, resources=found.resources))
    return ParkUseList(parks=parks)


def plan_stats(query: GetPlanStats, uow: MatchingUnitOfWork) -> PlanStats:
    plans, _ = uow.matching.plans(query.tenant_id, query.limit, 0)
    unplaced, reasons = uow.figures.unplaced_reasons(query.tenant_id)
    return PlanStats(plans=[PlanSummary.model_validate(plan, from_attributes=True)
                            for plan in plans], unplaced=unplaced, reasons=reasons)


def station_performance(query: GetStationPerformance, uow: MatchingUnitOfWork
                        ) -> StationPerformanceList:
    """Counted over the same projects, and the same standing of each, as the project list
    filtered by source shows."""
    uow.matching.fill_listing_columns(query.tenant_id)  # as a list would, for records kept long
    return StationPerformanceList(stations=uow.figures.station_performance(
        query.tenant_id, query.station_ids, query.since, query.until))
