"""Several cities in one system, on real NATS: each sees and plans only its own parks and
projects."""

from __future__ import annotations

from guiyan_contracts.models import Role

from .conftest import eventually, project

JINING_PARK = {"id": "jining-hanfu-park", "name": "济宁汉服产业园", "kind": "return_home_park",
               "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 5000}


def test_a_city_sees_and_plans_only_its_own_parks_and_projects(as_role, in_city) -> None:
    heze_admin, heze_staff = as_role("admin"), as_role("staff")
    admin, staff = in_city("jining", Role.admin), in_city("jining", Role.staff)
    admin.post("/api/v1/parks", JINING_PARK, expect=201)
    heze_staff.post("/api/v1/projects", project(id="heze-beside-jining"), expect=202)
    for index in range(3):
        staff.post("/api/v1/projects", project(id=f"jining-{index}", name=f"济宁汉服{index}"),
                   expect=202)
    offers = eventually(lambda: len(found := admin.items("/api/v1/proposals")) == 3 and found)
    assert {o["park_id"] for o in offers} == {JINING_PARK["id"]}
    heze_view = eventually(lambda: heze_staff.get("/api/v1/projects/heze-beside-jining")
                           ["placement"]["proposal"])
    assert heze_view["park_id"] != JINING_PARK["id"]

    assert JINING_PARK["id"] not in {p["id"] for p in heze_admin.items("/api/v1/parks")}
    assert heze_staff.client.get("/api/v1/projects/jining-0").status_code == 404
    assert heze_admin.client.get(f"/api/v1/proposals/{offers[0]['id']}").status_code == 404
    assert staff.client.get(f"/api/v1/proposals/{heze_view['id']}").status_code == 404
    assert not any(o["project_id"].startswith("jining-") for o in heze_admin.items("/api/v1/proposals"))

    plans, heze_plans = staff.items("/api/v1/plans"), heze_staff.items("/api/v1/plans")
    assert plans and {p["tenant_id"] for p in plans} == {"jining"}
    assert {p["tenant_id"] for p in heze_plans} == {"heze"}
    assert staff.client.get(f"/api/v1/plans/{heze_plans[0]['id']}").status_code == 404
