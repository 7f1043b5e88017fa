"""The lists of projects and proposals over HTTP: search, filters, order and totals, as the list
pages ask for them, on the whole system."""

from __future__ import annotations

import uuid

import pytest

from .conftest import eventually, project


@pytest.fixture(scope="module")
def listed(as_role) -> tuple[str, list[dict]]:
    """Three projects whose names share a tag of their own, once matching has planned each."""
    staff, tag = as_role("staff"), uuid.uuid4().hex[:8]
    for suffix, overrides in (("汉服甲", {"jobs": 8}), ("汉服乙", {"jobs": 40}),
                              ("木门丙", {"jobs": 20, "sector": "wood_furniture",
                                         "chain": "wood", "link": "furniture_doors",
                                         "hometown_county": "juye"})):
        staff.post("/api/v1/projects", project(name=f"{tag}{suffix}", **overrides), expect=202)

    def planned() -> list[dict] | None:
        items = staff.get("/api/v1/projects", q=tag)["items"]
        return items if len(items) == 3 and all(
            v["placement"]["status"] != "submitted" for v in items) else None

    return tag, eventually(planned, timeout=60)


def test_projects_are_searched_filtered_sorted_and_paged_with_their_total(listed, as_role) -> None:
    tag, items = listed
    staff = as_role("staff")
    assert staff.get("/api/v1/projects", q=tag.upper())["total"] == 3  # whatever the case
    assert staff.get("/api/v1/projects", q=f"{tag}汉服")["total"] == 2
    wood = staff.get("/api/v1/projects", q=tag, sector="wood_furniture")
    assert [v["project"]["name"] for v in wood["items"]] == [f"{tag}木门丙"]
    assert staff.get("/api/v1/projects", q=tag, county="juye")["total"] == 1
    by_jobs = staff.get("/api/v1/projects", q=tag, sort="-jobs")["items"]
    assert [v["project"]["jobs"] for v in by_jobs] == [40, 20, 8]
    page = staff.get("/api/v1/projects", q=tag, sort="-jobs", limit=1, offset=1)
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
    assert [v["project"]["jobs"] for v in page["items"]] == [20]
    statuses = [v["placement"]["status"] for v in items]
    for status in set(statuses):
        assert staff.get("/api/v1/projects", q=tag, status=status)["total"] == \
            statuses.count(status)
    both = ",".join(sorted(set(statuses)))
    assert staff.get("/api/v1/projects", q=tag, status=both)["total"] == 3


def test_each_listed_project_names_the_park_that_holds_it(listed, as_role) -> None:
    tag, items = listed
    staff = as_role("staff")
    for view in items:
        held = view["placement"]["status"] in ("proposed", "placed")
        assert (view["park_id"] is not None) == held
        if held:
            assert view["park_id"] == view["placement"]["proposal"]["park_id"]
            in_park = staff.get("/api/v1/projects", q=tag, park_id=view["park_id"])["items"]
            assert view["project"]["id"] in [v["project"]["id"] for v in in_park]


def test_proposals_are_searched_and_counted_by_status(listed, as_role) -> None:
    tag, _ = listed
    admin = as_role("admin")
    page = admin.get("/api/v1/proposals", q=tag)
    assert page["total"] == sum(page["counts"].values()) == len(page["items"])
    assert all(p["project_name"].startswith(tag) for p in page["items"])
    pending = admin.get("/api/v1/proposals", q=tag, status="offered")
    assert pending["total"] == page["counts"].get("offered", 0)
    everywhere = admin.get("/api/v1/proposals", status="offered", limit=1)
    assert everywhere["total"] == everywhere["counts"]["offered"] >= pending["total"]


def test_a_manager_sees_only_their_parks_proposals_and_no_project_list(as_role) -> None:
    manager = as_role("caoxian-hanfu-park")
    managed = set(manager.get("/api/v1/me")["managed_park_ids"])
    page = manager.get("/api/v1/proposals", limit=200)
    assert "caoxian-hanfu-park" in managed and "mudan-return-park" not in managed
    assert {p["park_id"] for p in page["items"]} <= managed
    assert manager.client.get("/api/v1/proposals",
                              params={"park_id": "mudan-return-park"}).status_code == 403
    assert manager.client.get("/api/v1/projects").status_code == 403


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/projects", {"sort": "founder"}, "sort"),
    ("/api/v1/projects", {"status": "lost"}, "status"),
    ("/api/v1/proposals", {"status": "offered,pending"}, "status"),
    ("/api/v1/proposals", {"limit": 0}, "limit"),
])
def test_an_unknown_sort_or_status_is_a_422_naming_its_field(as_role, path, params,
                                                             field) -> None:
    response = as_role("admin").client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_a_floor_project_without_its_registration_date_is_refused_naming_the_field(
        as_role) -> None:
    body = {k: v for k, v in project(name="无注册日期工坊").items() if k != "registered_on"}
    response = as_role("staff").client.post("/api/v1/projects", json=body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == "registered_on" and error["type"] == "registration_date_required"
