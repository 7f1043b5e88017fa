"""The chain map: links placements bring count as hosted, for the chain role and on the map."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guiyan_contracts.matching import AcceptProposal, GetChainCoverage
from guiyan_contracts.models import ChainLink, ChainRole, ProposalStatus
from guiyan_contracts.refusals import NotFound
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_matching.config import MatchingSettings
from guiyan_matching.domain.chains import LinkProposal, coverage, placed_links
from guiyan_matching.domain.planning import PairingMemory, pairings
from guiyan_matching.domain.rules import chain_role
from guiyan_matching.service_layer import handlers
from guiyan_matching.service_layer.chains import chain_coverage
from guiyan_matching.service_layer.planner import Planner

from .conftest import answer, live_proposals, record
from .test_planning import POLICY, TAXONOMY, make_inputs, make_park, make_project

HOSTED = [ChainLink(chain="wood", link="logs"), ChainLink(chain="wood", link="wood_crafts")]


def on_link(project_id: str, park_id: str, status: ProposalStatus,
            link: str = "furniture_doors") -> LinkProposal:
    return LinkProposal(project_id, f"项目{project_id}", park_id, status, "wood_furniture", "wood",
                        link)


def test_only_accepted_placements_bring_their_link_to_the_park() -> None:
    placed = placed_links([on_link("p1", "a", ProposalStatus.accepted),
                           on_link("p2", "b", ProposalStatus.offered)])
    assert placed == {"a": frozenset({("wood", "furniture_doors")})}


def test_a_placed_link_counts_as_hosted_for_the_chain_role() -> None:
    park, project = make_park("a", hosted_links=HOSTED), make_project("p")
    assert chain_role(project, park, TAXONOMY) is ChainRole.fill_gap  # 补链
    placed = frozenset({("wood", "furniture_doors")})
    assert chain_role(project, park, TAXONOMY, placed) is ChainRole.strengthen  # 强链
    bare = make_park("b")
    assert chain_role(project, bare, TAXONOMY, placed) is ChainRole.strengthen


def test_the_next_identical_project_strengthens_the_link_a_placement_filled() -> None:
    inputs = make_inputs([make_park("a", hosted_links=HOSTED)], [make_project("p2")])
    (before,), _ = pairings(inputs, TAXONOMY, POLICY)
    placed = replace(inputs, placed={"a": frozenset({("wood", "furniture_doors")})})
    (after,), _ = pairings(placed, TAXONOMY, POLICY)
    assert (before.role, after.role) == (ChainRole.fill_gap, ChainRole.strengthen)
    assert after.terms["chain_role"] < before.terms["chain_role"]


def test_the_pairing_memory_forgets_when_a_parks_placed_links_change() -> None:
    memory = PairingMemory()
    inputs = make_inputs([make_park("a", hosted_links=HOSTED)], [make_project("p2")])
    (first,), _ = pairings(inputs, TAXONOMY, POLICY, memory)
    placed = replace(inputs, placed={"a": frozenset({("wood", "furniture_doors")})})
    (second,), _ = pairings(placed, TAXONOMY, POLICY, memory)
    weighed = memory.by_project["p2"]
    (third,), _ = pairings(placed, TAXONOMY, POLICY, memory)
    assert (first.role, second.role, third.role) == (
        ChainRole.fill_gap, ChainRole.strengthen, ChainRole.strengthen)
    assert memory.by_project["p2"] is weighed  # unchanged placements: remembered, not weighed again


def links_of(found, chain: str = "wood") -> dict[str, object]:
    (wood,) = [c for c in found.chains if c.chain == chain]
    return {link.link: link for link in wood.links}


def ids(refs) -> list[str]:
    return [ref.park_id for ref in refs]


def test_coverage_tells_registered_placed_and_missing_parks_apart() -> None:
    parks = [make_park("a", hosted_links=HOSTED), make_park("b"),
             make_park("c", sectors=["textiles_apparel"])]
    proposals = [on_link("p1", "b", ProposalStatus.accepted),
                 on_link("p2", "a", ProposalStatus.offered)]
    links = links_of(coverage(TAXONOMY, parks, proposals))
    assert list(links) == ["logs", "veneer_panels", "furniture_doors", "wood_crafts",
                           "ecommerce_export"]  # upstream first
    logs, doors, veneer = links["logs"], links["furniture_doors"], links["veneer_panels"]
    assert (ids(logs.registered), ids(logs.placed), ids(logs.missing)) == (["a"], [], ["b"])
    # c does not take the sector: the link is not missing there.
    assert (ids(doors.registered), ids(doors.placed), ids(doors.missing)) == ([], ["b"], ["a"])
    assert [(p.project_id, p.park_name) for p in doors.placed_projects] == [("p1", "园区b")]
    assert [(p.project_id, p.park_name) for p in doors.offered_projects] == [("p2", "园区a")]
    assert (veneer.registered, veneer.placed, ids(veneer.missing)) == ([], [], ["a", "b"])


def test_a_park_that_registered_a_link_counts_as_registered_even_with_placements_there() -> None:
    parks = [make_park("a", hosted_links=HOSTED)]
    found = coverage(TAXONOMY, parks, [on_link("p1", "a", ProposalStatus.accepted, "logs")])
    logs = links_of(found)["logs"]
    assert (ids(logs.registered), logs.placed, [p.project_id for p in logs.placed_projects]) == (
        ["a"], [], ["p1"])


def test_coverage_narrowed_to_a_park_weighs_only_it_and_its_projects() -> None:
    parks = [make_park("a", hosted_links=HOSTED), make_park("b")]
    proposals = [on_link("p1", "b", ProposalStatus.accepted)]
    found = coverage(TAXONOMY, parks, proposals, ["a"])
    doors = links_of(found)["furniture_doors"]
    assert found.park_ids == ["a"]
    assert (doors.placed, doors.placed_projects, ids(doors.missing)) == ([], [], ["a"])


# --- over a real store -------------------------------------------------------------------------

def wood_park(park_id: str):
    return make_park(park_id, hosted_links=HOSTED, manager_ids=[f"mgr-{park_id}"])


async def test_a_placed_fill_gap_project_makes_the_next_identical_one_strengthen(uow) -> None:
    planner = Planner(uow, MatchingSettings(solver_time_limit_seconds=2))
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=wood_park("a")),
           ProjectSubmitted(producer="t", tenant_id="heze", project=make_project("p1")))
    await planner.plan("heze")
    (first,) = live_proposals(uow)
    assert (first.park_id, first.chain_role) == ("a", ChainRole.fill_gap.value)
    answer(uow, handlers.accept_proposal,
           AcceptProposal(tenant_id="heze", proposal_id=first.id, decided_by="mgr-a"))
    record(uow, ProjectSubmitted(producer="t", tenant_id="heze", project=make_project("p2")))
    await planner.plan("heze")
    second = next(p for p in live_proposals(uow) if p.project_id == "p2")
    assert (second.park_id, second.chain_role) == ("a", ChainRole.strengthen.value)

    doors = links_of(answer(uow, chain_coverage, GetChainCoverage(tenant_id="heze")))[
        "furniture_doors"]
    assert (ids(doors.registered), ids(doors.placed)) == ([], ["a"])
    assert [p.project_id for p in doors.placed_projects] == ["p1"]
    assert [p.project_id for p in doors.offered_projects] == ["p2"]


def test_coverage_of_an_unknown_park_is_not_found(uow) -> None:
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=wood_park("a")))
    with pytest.raises(NotFound, match="no park nowhere"):
        answer(uow, chain_coverage, GetChainCoverage(tenant_id="heze", park_ids=["nowhere"]))
