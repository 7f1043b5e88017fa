"""The chain map grows with placements, on the running system: a project placed in a link the
park lacked (补链) makes the park host that link, so the next identical project strengthens it
(强链) there, and the map shows the link as placed."""

from __future__ import annotations

from guiyan_contracts.models import Role
from guiyan_portal.auth import mint_token

from .conftest import Api, eventually, project, station_of

# In the second city, a sector no other test places there: only this test's projects fit it.
CITY, MANAGER = "jining", "jining-chains-mgr"
PARK = {"id": "jining-chains-park", "name": "济宁电子产业园", "kind": "return_home_park",
        "county": "caoxian", "sectors": ["next_gen_it"], "floor_m2": 5000,
        "hosted_links": [{"chain": "electronics", "link": "electronic_components"},
                         {"chain": "electronics", "link": "software_services"}],
        "manager_ids": [MANAGER]}
DEVICES = {"sector": "next_gen_it", "chain": "electronics", "link": "devices", "floor_m2": 300}


def offer_of(manager: Api, project_id: str) -> dict:
    (offer,) = eventually(lambda: [p for p in manager.items("/api/v1/proposals", status="offered")
                                   if p["project_id"] == project_id])
    return offer


def test_a_placed_fill_gap_project_makes_the_next_identical_project_strengthen_at_that_park(
        stack, in_city) -> None:
    admin, staff = in_city(CITY, Role.admin), in_city(CITY, Role.staff)
    admin.post("/api/v1/users", {"id": MANAGER, "name": "电子园管理员", "role": "park_manager"},
               expect=201)
    admin.post("/api/v1/parks", PARK, expect=201)
    station = station_of(admin, CITY)
    manager = Api(stack.portal_url, mint_token(stack.config.auth_secret, MANAGER, CITY,
                                               Role.park_manager))
    first = staff.post("/api/v1/projects", project(name="济宁终端设备厂", source=station, **DEVICES),
                       expect=202)
    offer = offer_of(manager, first["id"])
    assert (offer["park_id"], offer["chain_role"]) == (PARK["id"], "fill_gap")  # 补链
    manager.post(f"/api/v1/proposals/{offer['id']}/accept")

    second = staff.post("/api/v1/projects", project(name="济宁终端设备二厂", source=station, **DEVICES),
                        expect=202)
    offer = offer_of(manager, second["id"])
    assert (offer["park_id"], offer["chain_role"]) == (PARK["id"], "strengthen")  # 强链

    found = staff.get("/api/v1/chains/coverage", park_id=PARK["id"])
    (electronics,) = [c for c in found["chains"] if c["chain"] == "electronics"]
    devices = {link["link"]: link for link in electronics["links"]}["devices"]
    assert [p["park_id"] for p in devices["placed"]] == [PARK["id"]]
    assert (devices["registered"], devices["missing"]) == ([], [])
    assert [p["project_id"] for p in devices["placed_projects"]] == [first["id"]]
    assert [p["project_id"] for p in devices["offered_projects"]] == [second["id"]]
    assert manager.get("/api/v1/chains/coverage") == found  # a manager's map is of their parks
