"""The dashboard's figures on a real database: a small city planned, one offer accepted, one
project withdrawn and one too large for any park, then each figure against what was done."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from guiyan_contracts.matching import (
    AcceptProposal,
    BreakdownBy,
    GetBreakdown,
    GetFunnel,
    GetParkUse,
    GetPlanStats,
    GetStationPerformance,
    ListProjects,
)
from guiyan_contracts.models import ProjectStatus, Verdict
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted, ProjectWithdrawn
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer import handlers, lifecycle
from guiyan_matching.service_layer.planner import Planner
from guiyan_matching.service_layer.stats import (
    breakdown,
    funnel,
    park_use,
    plan_stats,
    station_performance,
)

from .conftest import answer, live_proposals, park, project, record


def submitted(project_id: str, floor_m2: float, **fields) -> ProjectSubmitted:
    return ProjectSubmitted(producer="t", tenant_id="heze",
                            project=project(project_id, floor_m2).model_copy(update=fields))


@pytest.fixture
async def city(uow):
    """Parks a (1,000 m²) and b (400 m²); p0 to p2 fit, p3 fits nowhere, p4 is withdrawn; the
    offer of p0 is accepted. p1 came through another station, p2 from another county, and p2
    was submitted on the last evening of October in UTC, already November in Heze."""
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 1000)),
           ParkRegistered(producer="t", tenant_id="heze", park=park("b", 400)),
           submitted("p0", 300, submitted_at=datetime(2026, 10, 5, tzinfo=UTC)),
           submitted("p1", 300, source="深圳站", investment_yuan=2e6, jobs=20,
                     submitted_at=datetime(2026, 10, 6, tzinfo=UTC)),
           submitted("p2", 300, hometown_county="juye",
                     submitted_at=datetime(2026, 10, 31, 20, tzinfo=UTC)),
           submitted("p3", 5000), submitted("p4", 100))
    with uow() as unit:
        withdrawn = project("p4", 100)
        lifecycle.project_withdrawn(ProjectWithdrawn(producer="t", tenant_id="heze",
                                                     project=withdrawn.model_copy(update={
                                                         "withdrawn_at": withdrawn.submitted_at}),
                                                     withdrawn_by="staff"), unit)
        unit.commit()
    await Planner(uow, MatchingSettings(solver_time_limit_seconds=2)).plan("heze")
    offer = next(o for o in live_proposals(uow) if o.project_id == "p0")
    answer(uow, handlers.accept_proposal,
           AcceptProposal(tenant_id="heze", proposal_id=offer.id, decided_by="mgr-a"))
    return uow


def test_the_funnel_counts_every_project_those_ever_proposed_and_those_placed(city) -> None:
    found = answer(city, funnel, GetFunnel(tenant_id="heze"))
    assert (found.submitted, found.proposed, found.placed) == (5, 3, 1)
    assert found.placement_rate == pytest.approx(1 / 5)
    assert found.by_status == {ProjectStatus.submitted: 0, ProjectStatus.proposed: 2,
                               ProjectStatus.placed: 1, ProjectStatus.unplaced: 1,
                               ProjectStatus.withdrawn: 1}


def test_an_empty_city_has_a_placement_rate_of_nothing(uow) -> None:
    found = answer(uow, funnel, GetFunnel(tenant_id="heze"))
    assert (found.submitted, found.placement_rate) == (0, 0.0)


def rows(uow, by: BreakdownBy) -> dict[str, tuple[int, int, float, int]]:
    found = answer(uow, breakdown, GetBreakdown(tenant_id="heze", by=by))
    assert found.by is by
    return {row.key: (row.projects, row.placed, row.investment_yuan, row.jobs)
            for row in found.rows}


def test_breakdowns_count_the_projects_not_withdrawn_with_their_investment_and_jobs(city) -> None:
    assert rows(city, BreakdownBy.sector) == {"textiles_apparel": (4, 1, 5e6, 44)}
    assert rows(city, BreakdownBy.source) == {"杭州站": (3, 1, 3e6, 24), "深圳站": (1, 0, 2e6, 20)}
    assert rows(city, BreakdownBy.county) == {"caoxian": (3, 1, 4e6, 36), "juye": (1, 0, 1e6, 8)}


def test_months_are_the_citys_and_in_order(city) -> None:
    found = answer(city, breakdown, GetBreakdown(tenant_id="heze", by=BreakdownBy.month))
    assert [(row.key, row.projects) for row in found.rows] == [("2026-10", 2), ("2026-11", 2)]


def test_largest_groups_come_first(city) -> None:
    found = answer(city, breakdown, GetBreakdown(tenant_id="heze", by=BreakdownBy.source))
    assert [row.key for row in found.rows] == ["杭州站", "深圳站"]


def test_every_parks_use_is_its_occupancy(city) -> None:
    found = answer(city, park_use, GetParkUse(tenant_id="heze"))
    use = {p.park_id: {r.resource: (r.capacity, r.accepted, r.offered, r.free)
                       for r in p.resources} for p in found.parks}
    assert [p.park_name for p in found.parks] == ["园区a", "园区b"]
    taken = {park_id: sum(r[1] + r[2] for r in rooms.values()) for park_id, rooms in use.items()}
    assert sum(taken.values()) == 900  # p0 accepted, p1 and p2 offered
    accepted = next(o for o in live_proposals(city) if o.status == "accepted")
    assert use[accepted.park_id]["floor_m2"][1] == 300


def test_the_latest_plans_and_why_projects_stay_unplaced(city) -> None:
    found = answer(city, plan_stats, GetPlanStats(tenant_id="heze"))
    (plan,) = found.plans
    assert (plan.offered, plan.unplaced) == (3, 1)
    assert plan.bound >= plan.objective > 0
    assert found.unplaced == 1
    assert [(r.verdict, r.projects) for r in found.reasons] == [(Verdict.capacity, 1)]


def performance(uow, **asked) -> dict[str, tuple[int, int, int, int, float, int]]:
    found = answer(uow, station_performance, GetStationPerformance(tenant_id="heze", **asked))
    return {s.station_id: (s.recommended, s.proposed, s.placed, s.withdrawn, s.investment_yuan,
                           s.jobs) for s in found.stations}


def test_each_stations_projects_are_counted_most_placed_first(city) -> None:
    found = performance(city)
    assert found == {"杭州站": (4, 2, 1, 1, 1e6, 8), "深圳站": (1, 1, 0, 0, 0, 0)}
    assert list(found) == ["杭州站", "深圳站"]


def test_station_performance_equals_the_project_list_grouped_by_source(city) -> None:
    for station, (recommended, proposed, placed, withdrawn, investment, jobs) in performance(
            city).items():
        listed = answer(city, handlers.list_projects,
                        ListProjects(tenant_id="heze", source=station)).items
        assert recommended == len(listed)
        assert proposed == sum(item.placement.proposal is not None for item in listed)
        landed = [item.project for item in listed if item.placement.status is ProjectStatus.placed]
        assert placed == len(landed)
        assert withdrawn == sum(item.placement.status is ProjectStatus.withdrawn for item in listed)
        assert (investment, jobs) == (sum(p.investment_yuan for p in landed),
                                      sum(p.jobs for p in landed))


def test_a_period_is_in_the_citys_days_both_included(city) -> None:
    # p2 was submitted on the last evening of October in UTC: November 1st in Heze.
    assert performance(city, since=date(2026, 11, 1), until=date(2026, 11, 1)) == {
        "杭州站": (3, 1, 0, 1, 0, 0)}
    assert performance(city, until=date(2026, 10, 31)) == {
        "杭州站": (1, 1, 1, 0, 1e6, 8), "深圳站": (1, 1, 0, 0, 0, 0)}


def test_only_the_stations_asked_for_and_one_without_projects_with_nothing(city) -> None:
    record(city, submitted("p5", 100, source="st-hangzhou"))
    assert performance(city, station_ids=["st-hangzhou", "st-lhasa"]) == {
        "st-hangzhou": (1, 0, 0, 0, 0, 0), "st-lhasa": (0, 0, 0, 0, 0, 0)}


def test_a_city_sees_only_its_own_figures(city, jining) -> None:
    assert answer(city, funnel, GetFunnel(tenant_id=jining)).submitted == 0
    assert answer(city, park_use, GetParkUse(tenant_id=jining)).parks == []
    assert answer(city, plan_stats, GetPlanStats(tenant_id=jining)).plans == []
    assert performance(city) != {} and answer(city, station_performance, GetStationPerformance(
        tenant_id=jining)).stations == []
