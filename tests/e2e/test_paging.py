"""Every list pages explicitly, with its total, and caps nothing silently."""

from __future__ import annotations

import pytest

from guiyan_contracts.models import Role
from guiyan_contracts.registry import ProjectSubmitted

from .conftest import eventually, project, publish, station_of

MANY = 210  # more than two hundred: more than any list's default page


def test_a_list_of_more_than_two_hundred_proposals_pages_through_every_one(in_city) -> None:
    """In a city of its own, with one park and no subsidy budget to run out of."""
    admin, staff = in_city("jining", Role.admin), in_city("jining", Role.staff)
    admin.post("/api/v1/parks", {"id": "jining-paging-park", "name": "济宁分页园",
                                 "kind": "return_home_park", "county": "caoxian",
                                 "sectors": ["textiles_apparel"], "floor_m2": 100_000},
               expect=201)
    station = station_of(admin, "jining")
    for index in range(MANY):
        staff.post("/api/v1/projects", project(id=f"paged-{index:03d}", name=f"汉服工坊{index}",
                                               floor_m2=50, source=station), expect=202)

    def settled() -> bool:
        views = [v for v in staff.items("/api/v1/projects", limit=1000)
                 if v["project"]["id"].startswith("paged-")]
        return len(views) == MANY and all(v["placement"]["status"] == "proposed" for v in views)

    eventually(settled, timeout=120, every=1.0)
    first = admin.get("/api/v1/proposals", limit=100)
    pages = [first["items"]] + [admin.get("/api/v1/proposals", limit=100, offset=offset)["items"]
                                for offset in range(100, first["total"], 100)]
    seen = [p["id"] for page in pages for p in page]
    assert len(seen) == len(set(seen)) == first["total"] > 200  # each once, none left out
    assert len(admin.get("/api/v1/proposals", limit=500)["items"]) == first["total"]
    assert admin.get("/api/v1/proposals", limit=500, offset=len(seen))["items"] == []


@pytest.fixture(scope="module")
def three_of_everything(stack, as_role) -> None:
    """At least three of each list's items: three plans each with an offer, three projects
    nobody can take (each an inbox item for staff), three dead letters."""
    staff = as_role("staff")

    def planned(project_id: str) -> bool:
        return staff.get(f"/api/v1/projects/{project_id}")["placement"]["status"] != "submitted"

    for index in range(3):
        for kind, overrides in (("fits", {}), ("fits nowhere", {"floor_m2": 900_000})):
            submitted = staff.post("/api/v1/projects", project(
                name=f"分页{kind}{index}", **overrides), expect=202)
            eventually(lambda project_id=submitted["id"]: planned(project_id))
    publish(stack, ProjectSubmitted.SUBJECT, [b'{"tenant_id": "heze"}'] * 3)


@pytest.mark.parametrize(("path", "role"), [
    ("/api/v1/projects", "staff"), ("/api/v1/proposals", "admin"), ("/api/v1/parks", "admin"),
    ("/api/v1/plans", "staff"), ("/api/v1/inbox", "staff"), ("/api/v1/dead-letters", "admin")])
def test_every_list_says_its_total_and_keeps_to_its_limit(three_of_everything, as_role,
                                                         path: str, role: str) -> None:
    caller = as_role(role)
    page = eventually(lambda: (found := caller.get(path, limit=2))["total"] >= 3 and found)
    assert page["limit"] == 2 and len(page["items"]) == 2
    if "offset" in page:
        after = caller.get(path, limit=2, offset=2)["items"]
        assert not {str(item) for item in after} & {str(item) for item in page["items"]}
