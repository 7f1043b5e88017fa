"""The dashboard's figures as matching counts them, each thing named in the reader's language:
what the stats API answers, the dashboard shows and the Excel downloads hold."""

from __future__ import annotations

from guiyan_contracts import api, matching
from guiyan_contracts.models import ProjectStatus
from guiyan_contracts.taxonomy import load_taxonomy

from .gateway import Gateway
from .presentation import formats, names
from .stations import city_stations

STAGES = (ProjectStatus.submitted, ProjectStatus.proposed, ProjectStatus.placed)
PLANS_SHOWN = 10


async def funnel(services: Gateway, city: str, locale: str) -> api.FunnelStats:
    found = await services.ask(matching.GetFunnel(tenant_id=city), matching.Funnel)

    def stage(status: ProjectStatus, projects: int) -> api.StageCount:
        return api.StageCount(key=status.value, projects=projects,
                              label=names.name(None, "project_status", status, locale))

    reached = dict(zip(STAGES, (found.submitted, found.proposed, found.placed), strict=True))
    return api.FunnelStats(
        stages=[stage(status, count) for status, count in reached.items()],
        statuses=[stage(status, found.by_status.get(status, 0)) for status in ProjectStatus],
        placement_rate=found.placement_rate)


async def breakdown(services: Gateway, city: str, locale: str, by: matching.BreakdownBy
                    ) -> api.BreakdownStats:
    found = await services.ask(matching.GetBreakdown(tenant_id=city, by=by), matching.Breakdown)
    taxonomy = load_taxonomy(city)
    # A sector and a county are codes of the taxonomy, a station an id named by the station; a
    # month, and a source recorded as text before sources were stations, are said as stored.
    kind = {matching.BreakdownBy.sector: "sector", matching.BreakdownBy.county: "county"}.get(by)
    stations = ({station.id: station.name for station in await city_stations(services, city)}
                if by is matching.BreakdownBy.source else {})
    return api.BreakdownStats(by=by, rows=[
        api.BreakdownStatsRow(label=names.name(taxonomy, kind, row.key, locale) if kind
                              else stations.get(row.key, row.key), **row.model_dump())
        for row in found.rows])


async def parks(services: Gateway, city: str, locale: str) -> api.ParkStats:
    found = await services.ask(matching.GetParkUse(tenant_id=city), matching.ParkUseList)
    return api.ParkStats(parks=[api.ParkUseStats(
        park_id=park.park_id, park_name=park.park_name, resources=[api.ResourceUseStats(
            label=names.name(None, "resource", room.resource, locale),
            used_pct=100 * (room.accepted + room.offered) / room.capacity if room.capacity else 0.0,
            **room.model_dump()) for room in park.resources])
        for park in found.parks])


async def plans(services: Gateway, city: str, locale: str) -> api.PlanStatsView:
    found = await services.ask(matching.GetPlanStats(tenant_id=city, limit=PLANS_SHOWN),
                               matching.PlanStats)
    return api.PlanStatsView(
        plans=[api.PlanStatsRow(label=formats.datetime(plan.finished_at, locale),
                                **plan.model_dump()) for plan in found.plans],
        unplaced=found.unplaced,
        reasons=[api.ReasonCount(verdict=reason.verdict.value, rule=reason.rule,
                                 projects=reason.projects, label=reason_label(reason, locale))
                 for reason in found.reasons])


def reason_label(reason: matching.UnplacedReason, locale: str) -> str:
    """A rule's own name when the verdict is a rule, else the verdict's."""
    if reason.rule:
        return names.name(None, "rule", reason.rule, locale)
    return names.name(None, "verdict", reason.verdict, locale)

