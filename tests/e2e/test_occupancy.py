"""A park manager's view of their park's room: a project offered to it holds its floor as
offered, and once accepted as accepted, on the running system."""

from __future__ import annotations

from typing import Any

from guiyan_contracts.models import Role
from guiyan_portal.auth import mint_token

from .conftest import Api, eventually, project, station_of

# In the second city, a sector no other test places there: only this test's project fits it.
CITY, MANAGER = "jining", "jining-occupancy-mgr"
PARK = {"id": "jining-occupancy-park", "name": "济宁木业园", "kind": "return_home_park",
        "county": "caoxian", "sectors": ["wood_furniture"], "floor_m2": 2000,
        "manager_ids": [MANAGER]}


def floor(occupancy: dict[str, Any]) -> dict[str, float]:
    (room,) = occupancy["resources"]
    assert room["resource"] == "floor_m2"
    return {name: room[name] for name in ("capacity", "accepted", "offered", "free")}


def test_an_offered_project_holds_room_as_offered_and_once_accepted_as_accepted(stack, in_city):
    admin, staff = in_city(CITY, Role.admin), in_city(CITY, Role.staff)
    admin.post("/api/v1/users", {"id": MANAGER, "name": "木业园管理员", "role": "park_manager"},
               expect=201)
    admin.post("/api/v1/parks", PARK, expect=201)
    manager = Api(stack.portal_url, mint_token(stack.config.auth_secret, MANAGER, CITY,
                                               Role.park_manager))
    path = f"/api/v1/parks/{PARK['id']}/occupancy"
    empty = eventually(lambda: manager.client.get(path).status_code == 200 and manager.get(path))
    assert floor(empty) == {"capacity": 2000, "accepted": 0, "offered": 0, "free": 2000}

    submitted = staff.post("/api/v1/projects", project(
        name="曹县木艺坊", sector="wood_furniture", chain="wood", link="wood_crafts",
        floor_m2=300, source=station_of(admin, CITY)), expect=202)
    (offer,) = eventually(lambda: [p for p in manager.items("/api/v1/proposals", status="offered")
                                   if p["project_id"] == submitted["id"]])
    assert floor(manager.get(path)) == {"capacity": 2000, "accepted": 0, "offered": 300,
                                        "free": 1700}

    manager.post(f"/api/v1/proposals/{offer['id']}/accept")
    assert floor(manager.get(path)) == {"capacity": 2000, "accepted": 300, "offered": 0,
                                        "free": 1700}
    assert staff.get(path) == admin.get(path) == manager.get(path)
