"""A park's occupancy: its capacity per resource, what accepted placements use apart from what
pending offers hold, and what is free; then the query on a real database, city by city."""

from __future__ import annotations

import pytest

from guiyan_contracts.matching import AcceptProposal, GetParkOccupancy
from guiyan_contracts.models import ChainRole, ParkKind, ProposalStatus
from guiyan_contracts.refusals import NotFound
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_matching.config import MatchingSettings
from guiyan_matching.domain.occupancy import occupancy
from guiyan_matching.domain.proposal import RESOURCES, Proposal
from guiyan_matching.service_layer import handlers
from guiyan_matching.service_layer.occupancy import park_occupancy
from guiyan_matching.service_layer.planner import Planner

from .conftest import NOW, answer, live_proposals, park, project, record

YEAR = NOW.year  # the budget years shown start at this one


def holding(status: ProposalStatus, **use: float) -> Proposal:
    return Proposal(id=f"o-{status.value}-{sorted(use.items())}", tenant_id="heze",
                    project_id="p", project_name="汉服工作室", park_id="a", park_name="园区a",
                    status=status, score=1.0, chain_role=ChainRole.fill_gap,
                    use=dict.fromkeys(RESOURCES, 0.0) | use, explanation_zh="",
                    explanation_en="", explanation=None, offered_at=NOW)


def table(found) -> dict[str, tuple[float, float, float, float]]:
    return {r.resource: (r.capacity, r.accepted, r.offered, r.free) for r in found.resources}


def test_accepted_placements_and_pending_offers_are_counted_apart_and_both_take_room() -> None:
    found = occupancy(park("a", 1000), [
        holding(ProposalStatus.accepted, floor_m2=300),
        holding(ProposalStatus.offered, floor_m2=200), holding(ProposalStatus.offered, floor_m2=50)],
        YEAR)
    assert found.park_id == "a"
    assert table(found) == {"floor_m2": (1000, 300, 250, 450)}


def test_only_the_resources_the_park_has_are_shown_the_budget_only_when_it_has_one() -> None:
    incubator = park("a", 800).model_copy(update={
        "kind": ParkKind.incubator, "incubator_slots": 10, "annual_subsidy_budget_yuan": 5e5})
    found = occupancy(incubator, [holding(ProposalStatus.accepted, floor_m2=100, slots=1,
                                          **{"subsidy_yuan:2026": 2e4, "subsidy_yuan:2027": 1e4})],
                      YEAR)
    assert table(found) == {"floor_m2": (800, 100, 0, 700), "slots": (10, 1, 0, 9),
                            "subsidy_yuan:2026": (5e5, 2e4, 0, 4.8e5),
                            "subsidy_yuan:2027": (5e5, 1e4, 0, 4.9e5),
                            "subsidy_yuan:2028": (5e5, 0, 0, 5e5)}
    assert [r.resource for r in occupancy(park("b", 800), [], YEAR).resources] == ["floor_m2"]


def test_budget_years_already_past_are_not_shown() -> None:
    budgeted = park("a", 800).model_copy(update={"annual_subsidy_budget_yuan": 5e5})
    found = occupancy(budgeted, [holding(ProposalStatus.accepted, **{"subsidy_yuan:2025": 5e5})], YEAR)
    assert [r.resource for r in found.resources] == [
        "floor_m2", "subsidy_yuan:2026", "subsidy_yuan:2027", "subsidy_yuan:2028"]


def test_a_park_shrunk_below_what_it_holds_shows_nothing_free() -> None:
    found = occupancy(park("a", 250), [holding(ProposalStatus.accepted, floor_m2=200),
                                       holding(ProposalStatus.offered, floor_m2=200)], YEAR)
    assert table(found) == {"floor_m2": (250, 200, 200, 0)}


def test_a_room_shrunk_to_nothing_is_still_shown_while_something_holds_some() -> None:
    moved_to_land = park("a", 100).model_copy(update={"floor_m2": 0, "land_mu": 40})
    found = occupancy(moved_to_land, [holding(ProposalStatus.accepted, floor_m2=200)], YEAR)
    assert table(found) == {"floor_m2": (0, 200, 0, 0), "land_mu": (40, 0, 0, 40)}


def ask(uow, park_id: str, city: str = "heze"):
    return answer(uow, park_occupancy, GetParkOccupancy(tenant_id=city, park_id=park_id))


async def test_an_offer_counts_as_offered_until_it_is_accepted(uow) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 1000)),
           ProjectSubmitted(producer="t", tenant_id="heze", project=project("p0", 300)))
    assert table(ask(uow, "a")) == {"floor_m2": (1000, 0, 0, 1000)}
    await Planner(uow, MatchingSettings(solver_time_limit_seconds=2)).plan("heze")
    assert table(ask(uow, "a")) == {"floor_m2": (1000, 0, 300, 700)}
    (offer,) = live_proposals(uow)
    answer(uow, handlers.accept_proposal,
           AcceptProposal(tenant_id="heze", proposal_id=offer.id, decided_by="mgr-a"))
    assert table(ask(uow, "a")) == {"floor_m2": (1000, 300, 0, 700)}


def test_an_unknown_park_is_not_found(uow) -> None:
    with pytest.raises(NotFound, match="no park 'nowhere'"):
        ask(uow, "nowhere")


def test_another_citys_park_is_not_found(uow, jining) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 1000)))
    with pytest.raises(NotFound, match="no park 'a'"):
        ask(uow, "a", city=jining)
