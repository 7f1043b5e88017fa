"""A proposal's life on a real database: expiry and its reminder, withdrawal when the park or the
project changes, no overbooking at accept, the plan audit and a project's history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from guiyan_contracts.matching import (
    AcceptProposal,
    CapacityLimit,
    GetPlan,
    GetProjectHistory,
    LimitParkCapacity,
    ListPlans,
    RejectProposal,
)
from guiyan_contracts.refusals import Conflict
from guiyan_contracts.registry import (
    ParkRegistered,
    ParkUpdated,
    ProjectSubmitted,
    ProjectUpdated,
    ProjectWithdrawn,
)
from guiyan_eventing.outbox import OutboxMessage
from guiyan_matching.adapters.orm import ProposalRow
from guiyan_matching.config import MatchingSettings
from guiyan_matching.domain.limits import within
from guiyan_matching.service_layer import handlers, lifecycle
from guiyan_matching.service_layer.planner import Planner

from .conftest import NOW, answer, live_proposals, park, project, record

DAY = 24 * 3600.0


def settings(**overrides) -> MatchingSettings:
    return MatchingSettings(solver_time_limit_seconds=2, **overrides)


def submitted(*project_ids: str, floor_m2: float = 200) -> list[ProjectSubmitted]:
    return [ProjectSubmitted(producer="t", tenant_id="heze", project=project(p, floor_m2))
            for p in project_ids]


def registered(park_id: str, floor_m2: float) -> ParkRegistered:
    return ParkRegistered(producer="t", tenant_id="heze", park=park(park_id, floor_m2))


def subjects(uow) -> list[str]:
    with uow() as unit:
        return [m.subject.split(".", 2)[2]
                for m in unit.session.exec(select(OutboxMessage).order_by(OutboxMessage.position))]


def status_of(uow, proposal_id: str) -> str:
    with uow() as unit:
        return unit.session.get(ProposalRow, proposal_id).status


def accept(uow, proposal_id: str, by: str = "mgr-a"):
    return answer(uow, handlers.accept_proposal,
                  AcceptProposal(tenant_id="heze", proposal_id=proposal_id, decided_by=by))


async def test_an_offer_not_decided_in_time_expires_after_one_reminder(uow) -> None:
    record(uow, registered("a", 500), *submitted("p0"))
    await Planner(uow, settings(offer_ttl_seconds=DAY)).plan("heze")
    (offer,) = live_proposals(uow)
    assert offer.expires_at is not None

    for _ in range(2):  # within the reminder window: the managers hear once
        with uow() as unit:
            swept = lifecycle.sweep(unit, remind_before=timedelta(days=2), tenants=["heze"])
            unit.commit()
    assert subjects(uow).count("proposal.reminded.v2") == 1 and swept.expired_tenants == set()

    with uow() as unit:  # time passes: the offer lapses
        unit.session.get(ProposalRow, offer.id).expires_at = NOW - timedelta(seconds=1)
        unit.commit()
    with uow() as unit:
        assert lifecycle.sweep(unit, remind_before=timedelta(0), tenants=["heze"]).expired_tenants == {"heze"}
        unit.commit()
    assert status_of(uow, offer.id) == "expired"
    with pytest.raises(Conflict, match="expired"):
        accept(uow, offer.id)

    plan = await Planner(uow, settings()).plan("heze")  # the project is planned again
    assert plan is not None and plan.offered == 1


async def test_a_late_accept_of_a_lapsed_offer_expires_it_even_before_the_sweep(uow) -> None:
    record(uow, registered("a", 500), *submitted("p0"))
    await Planner(uow, settings(offer_ttl_seconds=0)).plan("heze")
    (offer,) = live_proposals(uow)
    with pytest.raises(Conflict, match="expired"):
        accept(uow, offer.id)
    assert status_of(uow, offer.id) == "expired"
    assert subjects(uow)[-1] == "proposal.expired.v2"


async def test_a_park_that_shrinks_withdraws_its_lowest_scored_offers_until_the_rest_fit(uow) -> None:
    record(uow, registered("a", 1000), *submitted("p0", "p1", "p2"))
    await Planner(uow, settings()).plan("heze")
    offers = live_proposals(uow)
    assert len(offers) == 3
    accept(uow, offers[0].id)
    updated(uow, 450)  # holds 600 m²: one 200 m² offer must go
    statuses = {r.id: status_of(uow, r.id) for r in offers}
    assert sorted(statuses.values()) == ["accepted", "offered", "withdrawn"]  # equal scores here
    (gone,) = [proposal_id for proposal_id, status in statuses.items() if status == "withdrawn"]
    with uow() as unit:
        reason = unit.matching.proposal("heze", gone).withdraw_reason
    assert "less room (floor space)" in reason.en and "可用资源已减少（场地面积）" in reason.zh
    assert subjects(uow)[-1] == "proposal.withdrawn.v2"
    with pytest.raises(Conflict, match="withdrawn"):
        accept(uow, gone)


async def test_accepting_never_overbooks_a_park_whatever_changed_since_the_offer(uow) -> None:
    record(uow, registered("a", 1000), *submitted("p0", "p1"))
    await Planner(uow, settings()).plan("heze")
    first, second = live_proposals(uow)
    accept(uow, first.id)
    # The park shrinks in matching's read model without the withdrawal having run yet.
    with uow() as unit:
        unit.matching.save_park(park("a", 300))
        unit.commit()
    with pytest.raises(Conflict, match="overbook"):
        accept(uow, second.id)
    assert status_of(uow, second.id) == "offered"
    assert accept(uow, first.id).status == "accepted"  # a repeated accept answers as the first


def limit(uow, floor_m2: float, budget: float = 0):
    return answer(uow, lifecycle.limit_park_capacity, LimitParkCapacity(
        tenant_id="heze", park_id="a", limited_by="admin", limit=CapacityLimit(
            floor_m2=floor_m2, land_mu=0, incubator_slots=0, annual_subsidy_budget_yuan=budget)))


def updated(uow, floor_m2: float) -> None:
    with uow() as unit:
        lifecycle.park_updated(ParkUpdated(producer="t", tenant_id="heze",
                                           park=park("a", floor_m2), updated_by="admin"), unit)
        unit.commit()


def floor_of(uow) -> float:
    with uow() as unit:
        return unit.matching.park("a").floor_m2


async def test_a_park_cannot_shrink_below_its_accepted_placements(uow) -> None:
    record(uow, registered("a", 1000), *submitted("p0", "p1"))
    await Planner(uow, settings()).plan("heze")
    first, second = live_proposals(uow)
    accept(uow, first.id)
    with pytest.raises(Conflict, match=r"already use more.*floor_m2 200 \(by 50\)"):
        limit(uow, 150)
    assert floor_of(uow) == 1000 and status_of(uow, second.id) == "offered"


async def test_a_limit_holds_the_park_to_its_coming_capacity_until_that_update_arrives(uow) -> None:
    record(uow, registered("a", 1000), *submitted("p0", "p1", "p2"))
    await Planner(uow, settings()).plan("heze")
    offers = live_proposals(uow)
    accept(uow, offers[0].id)
    assert limit(uow, 450).accepted["floor_m2"] == 200
    # At once, before registry's park.updated: one offer goes and the park promises only 450.
    assert sorted(status_of(uow, r.id) for r in offers) == ["accepted", "offered", "withdrawn"]
    assert floor_of(uow) == 450
    updated(uow, 1000)  # an older update, delivered late, does not lift the limit
    assert floor_of(uow) == 450
    updated(uow, 450)  # the update the limit was for: the limit is done
    updated(uow, 800)
    assert floor_of(uow) == 800


def test_a_limit_never_loosens_a_subsidy_budget() -> None:
    def budget_within(current: float, bound: float) -> float:
        limited = within(
            park("a", 100).model_copy(update={"annual_subsidy_budget_yuan": current}),
            [CapacityLimit(floor_m2=100, land_mu=0, incubator_slots=0,
                           annual_subsidy_budget_yuan=bound)])
        return limited.annual_subsidy_budget_yuan

    # 0 means no budget at all, so the other side's budget is the tighter one.
    assert budget_within(0, 5e5) == 5e5 and budget_within(3e5, 0) == 3e5
    assert budget_within(3e5, 5e5) == 3e5


async def test_a_withdrawn_project_gives_its_placement_back_and_is_never_planned_again(uow) -> None:
    record(uow, registered("a", 200), *submitted("p0", "p1"))
    planner = Planner(uow, settings())
    await planner.plan("heze")
    (offer,) = live_proposals(uow)
    accept(uow, offer.id)
    gone = project(offer.project_id).model_copy(update={"withdrawn_at": NOW, "withdrawn_reason": "留在杭州"})
    with uow() as unit:
        lifecycle.project_withdrawn(ProjectWithdrawn(producer="t", tenant_id="heze", project=gone,
                                                     withdrawn_by="staff"), unit)
        unit.commit()
    assert status_of(uow, offer.id) == "withdrawn"
    await planner.plan("heze")
    (next_offer,) = live_proposals(uow)
    assert next_offer.project_id != offer.project_id  # the other project gets the room


async def test_an_updated_project_loses_its_pending_offer_and_is_planned_again(uow) -> None:
    record(uow, registered("a", 500), *submitted("p0"))
    planner = Planner(uow, settings())
    await planner.plan("heze")
    (offer,) = live_proposals(uow)
    bigger = project("p0", floor_m2=300).model_copy(update={"updated_at": NOW})
    with uow() as unit:
        lifecycle.project_updated(ProjectUpdated(producer="t", tenant_id="heze", project=bigger,
                                                 updated_by="staff"), unit)
        unit.commit()
    assert status_of(uow, offer.id) == "withdrawn"
    await planner.plan("heze")
    (again,) = live_proposals(uow)
    assert again.floor_m2 == 300


async def test_every_plan_is_audited_and_moves_no_pending_offer_by_default(uow) -> None:
    record(uow, registered("a", 400), *submitted("p0", "p1", "p2"))
    planner = Planner(uow, settings())
    with uow() as unit:
        for ref in ("e1", "e2"):
            unit.plan_queue.add("heze", "ProjectSubmitted", ref)
        unit.commit()
    with uow() as unit:
        requests = unit.plan_queue.waiting(["heze"])
    first = await planner.plan("heze", requests)
    with uow() as unit:  # covered by the plan: gone with its writing
        assert unit.plan_queue.waiting(["heze"]) == []
    record(uow, registered("b", 400))  # more room: p2 can be placed now
    second = await planner.plan("heze", [])
    assert first is not None and second is not None
    assert [t.ref for t in first.triggers] == ["e1", "e2"]
    assert (first.offered, first.unplaced, first.moved) == (2, 1, 0)
    assert (second.offered, second.moved) == (1, 0)
    assert first.fingerprint != second.fingerprint and len(first.fingerprint) == 64
    assert first.bound >= first.objective and first.gap_pct >= 0
    with uow() as unit:
        plans = handlers.list_plans(ListPlans(tenant_id="heze"), unit).plans
        assert [p.id for p in plans] == [second.id, first.id]
        assert handlers.get_plan(GetPlan(tenant_id="heze", plan_id=first.id), unit) == first
        assert handlers.list_plans(ListPlans(tenant_id="other"), unit).plans == []
    assert subjects(uow).count("plan.completed.v1") == 2


async def test_reoptimise_mode_moves_a_pending_offer_only_when_it_beats_the_penalty(uow) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("far", 200, county="juye")),
           *submitted("p0"))
    await Planner(uow, settings()).plan("heze")
    (offer,) = live_proposals(uow)
    # A park in p0's hometown county opens: it scores higher, but p0 already has an offer.
    record(uow, registered("home", 200))
    assert await Planner(uow, settings()).plan("heze") is None  # hold: nothing is re-planned
    costly = await Planner(uow, settings(plan_mode="reoptimise", move_penalty=1e6)).plan("heze")
    assert costly is not None and costly.moved == 0 and costly.offered == 0
    assert status_of(uow, offer.id) == "offered"
    free = await Planner(uow, settings(plan_mode="reoptimise", move_penalty=0)).plan("heze")
    assert free is not None and (free.moved, free.offered) == (1, 1)
    assert status_of(uow, offer.id) == "withdrawn"
    assert [r.park_id for r in live_proposals(uow)] == ["home"]
    # Published in the order it happened: the old offer is withdrawn before the new one is made.
    assert subjects(uow)[-3:] == ["proposal.withdrawn.v2", "proposal.offered.v2", "plan.completed.v1"]


async def test_a_projects_history_lists_every_step_with_times_and_actors(uow) -> None:
    record(uow, registered("a", 500), registered("b", 500), *submitted("p0"))
    planner = Planner(uow, settings())
    await planner.plan("heze")
    (first,) = live_proposals(uow)
    answer(uow, handlers.reject_proposal, RejectProposal(
        tenant_id="heze", proposal_id=first.id, decided_by="mgr-a", reason="场地已满"))
    await planner.plan("heze")
    (second,) = live_proposals(uow)
    accept(uow, second.id, by="mgr-b")
    with uow() as unit:
        history = handlers.project_history(GetProjectHistory(tenant_id="heze", project_id="p0"), unit)
    steps = [(e.kind, e.actor, e.park_id) for e in history.entries]
    assert steps == [("submitted", "staff", None), ("offered", "matching", first.park_id),
                     ("rejected", "mgr-a", first.park_id), ("offered", "matching", second.park_id),
                     ("accepted", "mgr-b", second.park_id)]
    times = [e.at for e in history.entries]
    assert times == sorted(times)


def test_a_project_submitted_and_updated_in_one_batch_is_one_record_with_the_newest_snapshot(uow):
    """A consumer batch is one transaction, and records are looked up without flushing it."""
    (first,) = submitted("p0")
    bigger = project("p0", floor_m2=300).model_copy(update={"updated_at": NOW})
    with uow() as unit:
        handlers.record_project(first, unit)
        lifecycle.project_updated(ProjectUpdated(producer="t", tenant_id="heze", project=bigger,
                                                 updated_by="staff"), unit)
        unit.commit()
    with uow() as unit:
        (saved,) = unit.matching.project_records("heze", ["p0"]).values()
        assert '"floor_m2":300.0' in saved.snapshot_json
