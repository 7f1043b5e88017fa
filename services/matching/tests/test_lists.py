"""The lists of projects and proposals: searched, filtered, sorted and paged by the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import update

from guiyan_contracts.matching import ListProjects, ListProposals
from guiyan_contracts.registry import ParkRegistered, ProjectSubmitted
from guiyan_matching.adapters.orm import ProjectRecord, ProposalRow
from guiyan_matching.service_layer import handlers

from .conftest import NOW, park, project, record

# id: name, founder, and what differs from conftest's project; submitted one day apart, p1 first
PROJECTS: dict[str, dict[str, Any]] = {
    "p1": {"name": "尧舜汉服设计工作室", "founder": "张海燕", "jobs": 8, "investment_yuan": 1e6},
    "p2": {"name": "Hanfu Studio", "founder": "Li Wei", "jobs": 30, "investment_yuan": 5e6,
           "source": "上海站"},
    "p3": {"name": "木门厂", "founder": "王强", "jobs": 60, "investment_yuan": 2e7,
           "sector": "wood_furniture", "chain": "wood", "link": "furniture_doors",
           "hometown_county": "juye"},
    "p4": {"name": "刺绣坊", "founder": "赵敏", "jobs": 5, "investment_yuan": 3e6},
    "p5": {"name": "汉服电商100%", "founder": "钱多", "jobs": 12, "investment_yuan": 2e6},
}


def proposal(project_id: str, park_id: str, status: str, days: int) -> ProposalRow:
    return ProposalRow(id=f"{project_id}-{park_id}", tenant_id="heze", project_id=project_id,
                       project_name=PROJECTS[project_id]["name"], park_id=park_id,
                       park_name=f"园区{park_id}", status=status, chain_role="fill_gap",
                       score=100 - days, explanation_zh="", explanation_en="",
                       offered_at=NOW + timedelta(days=days),
                       expires_at=NOW + timedelta(days=days + 3))


@pytest.fixture
def city(uow):
    """p1 offered to park a, p2 placed in park b (after park a rejected it), p3 unplaced, p4
    withdrawn, p5 just submitted."""
    record(uow, ParkRegistered(producer="t", tenant_id="heze", park=park("a", 5_000)),
           ParkRegistered(producer="t", tenant_id="heze", park=park("b", 5_000, county="juye")),
           *(ProjectSubmitted(producer="t", tenant_id="heze", project=project(project_id)
                              .model_copy(update={**fields, "submitted_at":
                                                  NOW + timedelta(days=index)}))
             for index, (project_id, fields) in enumerate(PROJECTS.items())))
    with uow() as unit:
        unit.session.add_all([proposal("p1", "a", "offered", 5), proposal("p2", "a", "rejected", 1),
                              proposal("p2", "b", "accepted", 2), proposal("p4", "a", "withdrawn", 3)])
        unit.session.exec(update(ProjectRecord).where(ProjectRecord.id == "p3")
                          .values(unplaced_reason_zh="无处可去", unplaced_reason_en="nowhere"))
        unit.session.exec(update(ProjectRecord).where(ProjectRecord.id == "p4")
                          .values(withdrawn_at=NOW))
        unit.commit()
    return uow


def projects(uow, **asked: Any) -> tuple[list[str], int]:
    with uow() as unit:
        page = handlers.list_projects(ListProjects(tenant_id="heze", **asked), unit)
        unit.commit()
    return [item.project.id for item in page.items], page.total


def proposals(uow, **asked: Any) -> tuple[list[str], int, dict[str, int]]:
    with uow() as unit:
        page = handlers.list_proposals(ListProposals(tenant_id="heze", **asked), unit)
    return [p.id for p in page.proposals], page.total, page.counts


@pytest.mark.parametrize(("asked", "found"), [
    ({}, ["p5", "p4", "p3", "p2", "p1"]),
    ({"q": "汉服"}, ["p5", "p1"]),  # in the name
    ({"q": "hanfu"}, ["p2"]),  # whatever the case
    ({"q": "海燕"}, ["p1"]),  # the founder's
    ({"q": "100%"}, ["p5"]),  # a `%` is itself, not a wildcard
    ({"q": "%"}, ["p5"]),
    ({"statuses": ["proposed"]}, ["p1"]),
    ({"statuses": ["placed"]}, ["p2"]),
    ({"statuses": ["unplaced"]}, ["p3"]),
    ({"statuses": ["withdrawn"]}, ["p4"]),
    ({"statuses": ["submitted"]}, ["p5"]),
    ({"statuses": ["proposed", "placed"]}, ["p2", "p1"]),
    ({"sector": "wood_furniture"}, ["p3"]),
    ({"chain": "hanfu"}, ["p5", "p4", "p2", "p1"]),
    ({"county": "juye"}, ["p3"]),
    ({"source": "上海站"}, ["p2"]),
    ({"park_ids": ["a"]}, ["p1"]),  # the park of its live offer: not p2's rejected one
    ({"park_ids": ["b"]}, ["p2"]),
    ({"park_ids": []}, []),
    ({"q": "汉服", "statuses": ["submitted"]}, ["p5"]),
])
def test_each_project_filter_keeps_only_what_it_names(city, asked: dict[str, Any],
                                                      found: list[str]) -> None:
    assert projects(city, **asked) == (found, len(found))


@pytest.mark.parametrize(("sort", "order"), [
    ("-submitted_at", ["p5", "p4", "p3", "p2", "p1"]),
    ("submitted_at", ["p1", "p2", "p3", "p4", "p5"]),
    ("name", ["p2", "p4", "p1", "p3", "p5"]),  # by code point: Latin first
    ("-investment_yuan", ["p3", "p2", "p4", "p5", "p1"]),
    ("-jobs", ["p3", "p2", "p5", "p1", "p4"]),
    ("status", ["p5", "p1", "p3", "p2", "p4"]),  # submitted, proposed, unplaced, placed, withdrawn
])
def test_projects_come_in_the_order_asked_for(city, sort: str, order: list[str]) -> None:
    assert projects(city, sort=sort)[0] == order


def test_a_page_of_projects_says_how_many_match_in_all(city) -> None:
    assert projects(city, limit=2) == (["p5", "p4"], 5)
    assert projects(city, limit=2, offset=2) == (["p3", "p2"], 5)
    assert projects(city, limit=2, offset=4) == (["p1"], 5)
    assert projects(city, offset=5) == ([], 5)
    assert projects(city, q="汉服", limit=1, offset=1) == (["p1"], 2)


def test_each_project_comes_with_where_it_stands_and_its_park(city) -> None:
    with city() as unit:
        page = handlers.list_projects(ListProjects(tenant_id="heze"), unit)
    standing = {item.project.id: (item.placement.status.value, item.park_id, item.park_name)
                for item in page.items}
    assert standing == {"p1": ("proposed", "a", "园区a"), "p2": ("placed", "b", "园区b"),
                        "p3": ("unplaced", None, None), "p4": ("withdrawn", None, None),
                        "p5": ("submitted", None, None)}
    unplaced = next(item for item in page.items if item.project.id == "p3")
    assert unplaced.placement.unplaced_reason.en == "nowhere"
    assert unplaced.placement.unplaced_reasons == []  # a list leaves each park's verdict out


def test_another_citys_projects_are_never_listed(city) -> None:
    with city() as unit:
        page = handlers.list_projects(ListProjects(tenant_id="jining"), unit)
    assert (page.items, page.total) == ([], 0)


def test_a_record_kept_from_before_the_listing_columns_is_listed_once_filled(city) -> None:
    with city() as unit:
        unit.session.exec(update(ProjectRecord).where(ProjectRecord.id == "p3")
                          .values(name=None, founder=None, sector=None, county=None,
                                  submitted_at=None))
        unit.commit()
    assert projects(city, sector="wood_furniture", q="王强") == (["p3"], 1)
    assert projects(city)[0] == ["p5", "p4", "p3", "p2", "p1"]


@pytest.mark.parametrize(("asked", "found"), [
    ({}, ["p1-a", "p4-a", "p2-b", "p2-a"]),
    ({"statuses": ["offered"]}, ["p1-a"]),
    ({"statuses": ["accepted", "rejected"]}, ["p2-b", "p2-a"]),
    ({"q": "园区b"}, ["p2-b"]),  # the park's name
    ({"q": "hanfu"}, ["p2-b", "p2-a"]),  # the project's, whatever the case
    ({"park_ids": ["a"]}, ["p1-a", "p4-a", "p2-a"]),
    ({"park_ids": []}, []),
    ({"county": "caoxian"}, ["p1-a", "p4-a", "p2-b", "p2-a"]),
    ({"sector": "wood_furniture"}, []),
    ({"chain": "hanfu", "park_ids": ["b"]}, ["p2-b"]),
])
def test_each_proposal_filter_keeps_only_what_it_names(city, asked: dict[str, Any],
                                                       found: list[str]) -> None:
    listed, total, _ = proposals(city, **asked)
    assert (listed, total) == (found, len(found))


@pytest.mark.parametrize(("sort", "order"), [
    ("-offered_at", ["p1-a", "p4-a", "p2-b", "p2-a"]),
    ("offered_at", ["p2-a", "p2-b", "p4-a", "p1-a"]),
    ("-score", ["p2-a", "p2-b", "p4-a", "p1-a"]),
    ("expires_at", ["p1-a", "p2-a", "p2-b", "p4-a"]),  # the pending offer first
    ("park_name", ["p1-a", "p4-a", "p2-a", "p2-b"]),
    ("status", ["p1-a", "p2-b", "p2-a", "p4-a"]),  # offered, accepted, rejected, …, withdrawn
])
def test_proposals_come_in_the_order_asked_for(city, sort: str, order: list[str]) -> None:
    assert proposals(city, sort=sort)[0] == order


def test_the_counts_by_status_ignore_the_status_asked_for_but_keep_the_other_filters(city) -> None:
    listed, total, counts = proposals(city, statuses=["offered"], limit=1)
    assert (listed, total) == (["p1-a"], 1)
    assert counts == {"offered": 1, "accepted": 1, "rejected": 1, "withdrawn": 1}
    assert proposals(city, park_ids=["a"])[2] == {"offered": 1, "rejected": 1, "withdrawn": 1}
    assert proposals(city, park_ids=["b"], limit=1, offset=1) == ([], 1, {"accepted": 1})
