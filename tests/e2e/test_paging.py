"""Every list pages explicitly, with its total, and caps nothing silently."""

from __future__ import annotations

import pytest

from guiyan_contracts.models import Role

from .conftest import eventually, project

MANY = 210  # more than any list's old silent cap of 200


def test_a_list_of_more_than_two_hundred_proposals_pages_through_every_one(in_city) -> None:
    """In a city of its own, with one park and no subsidy budget to run out of."""
    admin, staff = in_city("jining", Role.admin), in_city("jining", Role.staff)
    admin.post("/api/v1/parks", {"id": "jining-paging-park", "name": "济宁分页园",
                                 "kind": "return_home_park", "county": "caoxian",
                                 "sectors": ["textiles_apparel"], "floor_m2": 100_000},
               expect=201)
    for index in range(MANY):
        staff.post("/api/v1/projects", project(id=f"paged-{index:03d}", name=f"汉服工坊{index}",
                                               floor_m2=50), expect=202)

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


@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/proposals", "/api/v1/parks",
                                  "/api/v1/plans", "/api/v1/inbox", "/api/v1/dead-letters"])
def test_every_list_says_its_total_and_keeps_to_its_limit(as_role, path: str) -> None:
    page = as_role("admin").get(path, limit=2)
    assert page["limit"] == 2 and len(page["items"]) <= 2 and page["total"] >= len(page["items"])
