"""No single bad record or forged event stops a city: a refused update changes nothing, a record
that cannot be read is set aside and named, an event that disagrees about its city is parked."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from sqlalchemy import update

from guiyan_contracts.matching import CapacityLimit, LimitParkCapacity, ReleaseParkLimit
from guiyan_contracts.registry import ParkRegistered, ParkUpdated, ProjectSubmitted
from guiyan_eventing.errors import Rejected
from guiyan_matching.adapters.orm import ParkRecord, ProjectRecord
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer import handlers, lifecycle
from guiyan_matching.service_layer.planner import Planner

from .conftest import answer, live_proposals, park, project, record

TO_LAND = CapacityLimit(floor_m2=0, land_mu=50, incubator_slots=0, annual_subsidy_budget_yuan=0)


def new_planner(uow) -> Planner:
    return Planner(uow, MatchingSettings(solver_time_limit_seconds=1, plan_debounce_seconds=0.05))


def registered(park_id: str, floor_m2: float = 1000, tenant: str = "heze") -> ParkRegistered:
    built = park(park_id, floor_m2).model_copy(update={"tenant_id": tenant})
    return ParkRegistered(producer="t", tenant_id=tenant, park=built)


def submitted(*project_ids: str) -> list[ProjectSubmitted]:
    return [ProjectSubmitted(producer="t", tenant_id="heze", project=project(p)) for p in project_ids]


def corrupt(uow, table, record_id: str) -> None:
    """A record as an older release might have left it: no longer valid as its contract."""
    with uow() as unit:
        unit.session.exec(update(table).where(table.id == record_id)
                          .values(snapshot_json=json.dumps({"id": record_id, "floor_m2": -5})))
        unit.commit()


def limit(uow, park_limit: CapacityLimit) -> None:
    answer(uow, lifecycle.limit_park_capacity, LimitParkCapacity(
        tenant_id="heze", park_id="a", limited_by="admin", limit=park_limit))


async def test_a_limit_moving_a_floor_park_to_land_leaves_it_readable_and_the_city_planned(uow):
    record(uow, registered("a"), registered("b"), *submitted("p0"))
    limit(uow, TO_LAND)  # the update registry is about to refuse, or to commit
    with uow() as unit:
        limited = unit.matching.park("a")
    assert (limited.floor_m2, limited.land_mu) == (0, 0)
    plan = await new_planner(uow).plan("heze")
    assert plan is not None and plan.offered == 1
    assert [p.park_id for p in live_proposals(uow)] == ["b"]


async def test_a_released_limit_gives_the_park_back_as_registry_has_it(uow) -> None:
    record(uow, registered("a"))
    limit(uow, TO_LAND)
    answer(uow, lifecycle.release_park_limit,
           ReleaseParkLimit(tenant_id="heze", park_id="a", limit=TO_LAND))
    with uow() as unit:
        assert unit.matching.park("a").floor_m2 == 1000
        assert unit.matching.capacity_limits("a") == []


def floor_limit(floor_m2: float) -> CapacityLimit:
    return CapacityLimit(floor_m2=floor_m2, land_mu=0, incubator_slots=0,
                         annual_subsidy_budget_yuan=0)


def floor_of(uow) -> float:
    with uow() as unit:
        return unit.matching.park("a").floor_m2


def test_two_updates_on_their_way_hold_the_park_to_the_least_until_each_lands(uow) -> None:
    """Registry committed the shrink to 1,000 m², its event not yet here, when a second update
    (2,000 m²) is limited and then refused: matching never promises more than registry has."""
    record(uow, registered("a", 2000))
    limit(uow, floor_limit(1000))
    limit(uow, floor_limit(2000))
    assert floor_of(uow) == 1000
    answer(uow, lifecycle.release_park_limit,
           ReleaseParkLimit(tenant_id="heze", park_id="a", limit=floor_limit(2000)))
    assert floor_of(uow) == 1000
    with uow() as unit:  # the first update lands
        lifecycle.park_updated(ParkUpdated(producer="t", tenant_id="heze", park=park("a", 1000),
                                           updated_by="admin"), unit)
        unit.commit()
    with uow() as unit:
        assert unit.matching.capacity_limits("a") == []
    assert floor_of(uow) == 1000


async def test_an_unreadable_record_is_set_aside_named_and_the_rest_of_the_city_planned(uow):
    record(uow, registered("a"), registered("b"), *submitted("p0", "p1"))
    corrupt(uow, ParkRecord, "a")
    corrupt(uow, ProjectRecord, "p1")
    planner = new_planner(uow)
    plan = await planner.plan("heze")
    assert plan is not None and (plan.open_projects, plan.offered) == (1, 1)
    assert [(p.project_id, p.park_id) for p in live_proposals(uow)] == [("p0", "b")]
    named = {(p.city, p.item) for p in planner.problems()}
    assert named == {("heze", "park a"), ("heze", "project p1")}
    assert all("floor_m2" in p.reason for p in planner.problems())

    with uow() as unit:  # registry sends the park again: it is whole, and planned with
        lifecycle.park_updated(ParkUpdated(producer="t", tenant_id="heze", park=park("a", 1000),
                                           updated_by="admin"), unit)
        unit.commit()
    await planner.plan("heze")
    assert {p.item for p in planner.problems()} == {"project p1"}


def test_an_event_whose_city_disagrees_with_the_record_it_would_change_is_rejected(uow, jining):
    record(uow, registered("a"))
    moved = park("a", 5).model_copy(update={"tenant_id": jining})
    forged = [ParkUpdated(producer="t", tenant_id=jining, park=moved, updated_by="nobody"),
              ParkUpdated(producer="t", tenant_id="heze", park=moved, updated_by="nobody")]
    for event in forged:
        with uow() as unit, pytest.raises(Rejected, match="heze"):
            lifecycle.park_updated(event, unit)
    with uow() as unit:
        assert unit.matching.city_of("park", "a") == "heze"
        assert unit.matching.park("a").floor_m2 == 1000


def test_an_event_for_a_city_matching_does_not_plan_is_rejected(uow) -> None:
    with uow() as unit, pytest.raises(Rejected, match="atlantis"):
        handlers.record_park(registered("x", tenant="atlantis"), unit)


async def test_a_city_whose_plans_fail_waits_longer_each_time_and_others_are_still_planned(uow):
    record(uow, registered("a"), *submitted("p0"))
    with uow() as unit:  # left by an older release for a city no longer configured
        unit.session.add(ProjectRecord(id="lost", tenant_id="atlantis",
                                       snapshot_json=project("lost").model_dump_json()))
        unit.commit()
    planner = new_planner(uow)
    for city in ("atlantis", "heze"):  # led here: each is planned once on winning its lease
        await planner.lead(city, "here#1")
    running = asyncio.create_task(planner.run())
    await asyncio.sleep(4.5)
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    assert [p.project_id for p in live_proposals(uow)] == ["p0"]
    (failing,) = planner.problems()
    assert (failing.city, failing.item) == ("atlantis", "planning")
    assert "UnknownCity" in failing.reason and "atlantis" not in failing.reason
    # Tries at 0, 1 and 3 s, the next at 7 s; retrying every second would have made five.
    assert 2 <= int(failing.reason.split()[1]) <= 3


async def test_a_pending_offer_at_a_park_set_aside_is_not_moved_by_a_reoptimising_plan(uow):
    record(uow, registered("a"), *submitted("p0"))
    reoptimise = MatchingSettings(solver_time_limit_seconds=1, plan_mode="reoptimise",
                                  move_penalty=0)
    await Planner(uow, reoptimise).plan("heze")
    (offer,) = live_proposals(uow)
    record(uow, registered("b"))
    corrupt(uow, ParkRecord, "a")
    plan = await Planner(uow, reoptimise).plan("heze")
    assert plan is None or plan.moved == 0
    assert [(p.id, p.status) for p in live_proposals(uow)] == [(offer.id, "offered")]
