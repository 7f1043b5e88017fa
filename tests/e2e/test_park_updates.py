"""A refused park update changes nothing anywhere, and a record matching cannot read is set
aside, named in health, and mended by the next update, while the city goes on being planned."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from guiyan_contracts.models import Role

from .conftest import eventually, project

RECORD_FIELDS = ("id", "tenant_id", "created_at")


def fields_of(park: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in park.items() if name not in RECORD_FIELDS}


def health(stack) -> dict[str, Any]:
    return httpx.get(f"{stack.portal_url}/healthz/system").json()


def city_health(api) -> dict[str, Any]:
    return api.client.get("/api/v1/health").json()


def proposed(staff, project_id: str) -> bool:
    return staff.get(f"/api/v1/projects/{project_id}")["placement"]["status"] == "proposed"


def matchings_record(stack, park_id: str) -> tuple[dict[str, Any], str | None]:
    """The park as matching holds it, and the limits of updates it holds it within."""
    engine = create_engine(stack.config.database_url("matching").replace(
        "postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        snapshot, limits = connection.execute(text(
            "SELECT snapshot_json, capacity_limits_json FROM matching_parks WHERE id = :id"),
            {"id": park_id}).one()
    engine.dispose()
    return json.loads(snapshot), limits


def test_a_park_update_registry_refuses_changes_nothing_and_the_city_goes_on(stack, as_role):
    admin, staff = as_role("admin"), as_role("staff")
    park = admin.get("/api/v1/parks/shanxian-return-park")
    before = matchings_record(stack, "shanxian-return-park")
    refused = admin.client.put("/api/v1/parks/shanxian-return-park", json={
        **fields_of(park), "floor_m2": 0, "land_mu": 50, "county": "nowhere"})
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["detail"]] == [["park", "county"]]
    assert matchings_record(stack, "shanxian-return-park") == before

    submitted = staff.post("/api/v1/projects", project(
        id="after-a-refused-update", name="单县面粉坊", sector="agri_processing",
        chain="flour_food", link="flour_milling", hometown_county="shanxian"), expect=202)
    eventually(lambda: proposed(staff, submitted["id"]))
    assert health(stack)["status"] == "ok"
    assert admin.client.put("/api/v1/parks/shanxian-return-park",
                            json=fields_of(park)).status_code == 200
    assert admin.get("/api/v1/parks/shanxian-return-park") == park


def test_an_unreadable_park_is_named_in_health_and_mended_by_its_next_update(stack, as_role,
                                                                            in_city):
    admin, staff = as_role("admin"), as_role("staff")
    park = admin.post("/api/v1/parks", {
        "id": "e2e-unreadable-park", "name": "待修复园", "kind": "return_home_park",
        "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 3000}, expect=201)
    engine = create_engine(stack.config.database_url("matching").replace(
        "postgresql://", "postgresql+psycopg://"))

    def recorded() -> bool:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT 1 FROM matching_parks WHERE id = 'e2e-unreadable-park'")).first() is not None

    eventually(recorded)
    with engine.begin() as connection:  # as an older release might have left it
        connection.execute(text("UPDATE matching_parks SET snapshot_json = '{\"floor_m2\": -1}' "
                                "WHERE id = 'e2e-unreadable-park'"))
    engine.dispose()

    staff.post("/api/v1/projects", project(id="beside-an-unreadable-park"), expect=202)
    eventually(lambda: proposed(staff, "beside-an-unreadable-park"))
    degraded = eventually(lambda: (found := city_health(admin))["status"] == "degraded" and found)
    (problem,) = degraded["problems"]
    assert (problem["service"], problem["city"], problem["item"]) == (
        "matching", "heze", "park e2e-unreadable-park")
    public = httpx.get(f"{stack.portal_url}/healthz/system")
    assert public.status_code == 200 and public.json()["status"] == "degraded"  # not down
    assert "problems" not in public.json()  # which records, only a city's admins are told
    assert city_health(in_city("jining", Role.admin))["problems"] == []

    mended = admin.client.put("/api/v1/parks/e2e-unreadable-park",
                              json={**fields_of(park), "floor_m2": 3500})
    assert mended.status_code == 200
    eventually(lambda: health(stack)["status"] == "ok" and city_health(admin)["status"] == "ok")
