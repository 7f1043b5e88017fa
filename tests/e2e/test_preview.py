"""What-if and the current solve's status through the portal, on real NATS."""

from __future__ import annotations

from .conftest import eventually, project


def test_a_manager_previews_more_room_for_their_park_and_nothing_changes(as_role) -> None:
    staff, admin, manager = as_role("staff"), as_role("admin"), as_role("caoxian-hanfu-park")
    staff.post("/api/v1/projects", project(id="e2e-what-if", name="假如汉服工坊"), expect=202)
    eventually(lambda: staff.get("/api/v1/projects/e2e-what-if")["placement"]["status"]
               != "submitted")
    before = staff.items("/api/v1/plans", limit=500)

    change = {"changes": [{"park_id": "caoxian-hanfu-park", "floor_m2": 20000}]}
    shown = manager.post("/api/v1/plans/preview", change)
    assert shown["changes"] == [{"park_id": "caoxian-hanfu-park", "floor_m2": 20000,
                                 "land_mu": None, "incubator_slots": None,
                                 "annual_subsidy_budget_yuan": None}]
    assert {"status", "objective", "bound", "offers"} <= shown["changed"].keys()
    assert shown["changed"]["objective"] >= shown["current"]["objective"] - 1e-6
    assert staff.items("/api/v1/plans", limit=500) == before  # nothing planned or stored

    assert manager.client.post("/api/v1/plans/preview", json={"changes": [
        {"park_id": "heze-return-incubator", "floor_m2": 1}]}).status_code == 403
    assert staff.client.post("/api/v1/plans/preview", json=change).status_code == 403
    unknown = admin.client.post("/api/v1/plans/preview",
                                json={"changes": [{"park_id": "no-such-park", "land_mu": 3}]})
    assert unknown.status_code == 404 and "no-such-park" in unknown.json()["detail"]
    negative = admin.client.post("/api/v1/plans/preview",
                                 json={"changes": [{"park_id": "x", "floor_m2": -5}]})
    assert negative.status_code == 422 and negative.json()["detail"][0]["loc"][-1] == "floor_m2"

    status = staff.get("/api/v1/plans/current")
    assert status["queued_triggers"] >= 0 and "solving" in status
    assert manager.client.get("/api/v1/plans/current").status_code == 403
