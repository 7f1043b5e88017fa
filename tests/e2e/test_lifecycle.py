"""The proposal lifecycle through the portal, on real NATS: a park that shrinks withdraws offers
and its manager is told why, a late accept gets 409 with the reason, a withdrawn project gives its
place back, and every plan and every step of a project's path can be read back."""

from __future__ import annotations

from typing import Any

from guiyan_devstack.demo import manager_id

from .conftest import Api, eventually, project
from .test_flow import inbox_has

# Only this test's park has a rail siding among textile parks, so these projects go nowhere else.
PARK = {"id": "e2e-rail-textiles-park", "name": "测试铁路纺织园", "kind": "return_home_park",
        "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 1000,
        "facilities": ["rail_siding"], "manager_ids": [manager_id("caoxian-hanfu-park")]}


def offers_at(manager: Api, park_id: str, status: str, count: int) -> list[dict[str, Any]] | None:
    found = [p for p in manager.items("/api/v1/proposals", park_id=park_id, status=status)]
    return found if len(found) == count else None


def test_a_shrinking_park_withdraws_offers_and_a_withdrawn_project_gives_its_place_back(as_role) -> None:
    admin, staff, manager = as_role("admin"), as_role("staff"), as_role("caoxian-hanfu-park")
    admin.post("/api/v1/parks", PARK, expect=201)
    for index in range(3):
        staff.post("/api/v1/projects", project(id=f"e2e-rail-{index}", name=f"铁路纺织{index}",
                                               floor_m2=300, required_facilities=["rail_siding"]),
                   expect=202)
    offers = eventually(lambda: offers_at(manager, PARK["id"], "offered", 3))
    assert all(o["expires_at"] and o["plan_id"] for o in offers)

    smaller = {k: v for k, v in PARK.items() if k != "id"} | {"floor_m2": 650}
    response = admin.client.put(f"/api/v1/parks/{PARK['id']}", json=smaller)
    assert response.status_code == 200, response.text
    (gone,) = eventually(lambda: offers_at(manager, PARK["id"], "withdrawn", 1))
    assert "less room" in gone["withdraw_reason"]["en"]
    assert "可用资源已减少" in gone["withdraw_reason"]["zh"]
    eventually(lambda: inbox_has(manager, "proposal_withdrawn", gone["id"]))
    late = manager.client.post(f"/api/v1/proposals/{gone['id']}/accept")
    assert late.status_code == 409 and "withdrawn" in late.json()["detail"]

    kept = [o for o in offers if o["id"] != gone["id"]]
    for offer in kept:
        assert manager.post(f"/api/v1/proposals/{offer['id']}/accept")["status"] == "accepted"
    leaving = kept[0]["project_id"]
    staff.post(f"/api/v1/projects/{leaving}/withdraw", {"reason": "创业者决定留在杭州"})
    eventually(lambda: staff.get(f"/api/v1/projects/{leaving}")["placement"]["status"] == "withdrawn")

    history = eventually(lambda: (h := staff.get(f"/api/v1/projects/{leaving}/history"))
                         and h["entries"][-1]["kind"] == "withdrawn" and h)
    steps = [(e["kind"], e["actor"]) for e in history["entries"]]
    assert steps == [("submitted", "heze-staff"), ("offered", "matching"),
                     ("accepted", manager_id("caoxian-hanfu-park")),
                     ("project_withdrawn", "heze-staff"), ("withdrawn", "heze-staff")]

    def planned_after_the_update() -> list[dict[str, Any]] | None:
        """The plans, once the one the park's update asked for is committed: it waits out its
        debounce window, and may come after the withdrawal's history is written."""
        plans = staff.items("/api/v1/plans")
        kinds = {t["kind"] for p in plans for t in p["triggers"]}
        return plans if {"ProjectSubmitted", "ParkUpdated"} <= kinds else None

    plans = eventually(planned_after_the_update)
    assert all(p["moved"] == 0 and p["mode"] == "hold" for p in plans)
    assert staff.get(f"/api/v1/plans/{plans[0]['id']}") == plans[0]
    assert manager.client.get("/api/v1/plans").status_code == 403
