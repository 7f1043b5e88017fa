"""Several cities in one system, on real NATS: each sees and plans only its own parks and
projects."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from nats.js.errors import NotFoundError
from sqlalchemy import create_engine, text

from guiyan_contracts.models import Role
from guiyan_contracts.registry import ParkRegistered
from guiyan_contracts.system import DLQ_STREAM
from guiyan_eventing.bus import connect
from guiyan_eventing.identities import HARNESS
from guiyan_portal.auth import mint_token

from .conftest import eventually, project, station_of

JINING_PARK = {"id": "jining-hanfu-park", "name": "济宁汉服产业园", "kind": "return_home_park",
               "county": "caoxian", "sectors": ["textiles_apparel"], "floor_m2": 5000}


def test_a_city_sees_and_plans_only_its_own_parks_and_projects(as_role, in_city) -> None:
    heze_admin, heze_staff = as_role("admin"), as_role("staff")
    admin, staff = in_city("jining", Role.admin), in_city("jining", Role.staff)
    admin.post("/api/v1/parks", JINING_PARK, expect=201)
    station = station_of(admin, "jining")
    heze_staff.post("/api/v1/projects", project(id="heze-beside-jining"), expect=202)
    for index in range(3):
        staff.post("/api/v1/projects", project(id=f"jining-{index}", name=f"济宁汉服{index}",
                                               source=station), expect=202)
    # Only this test's projects: other tests may have made offers in the second city too.
    offers = eventually(lambda: len(found := [p for p in admin.items("/api/v1/proposals")
                                              if p["project_id"].startswith("jining-")]) == 3
                        and found)
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


@pytest.mark.parametrize("city", ["../../../../../../../tmp/x", "atlantis", "Heze", "heze.toml"])
def test_a_token_for_a_city_not_served_here_is_refused_and_never_read_as_a_path(stack, city):
    token = mint_token(stack.config.auth_secret, "someone", city, Role.admin)
    for path in ("/api/v1/taxonomy", "/api/v1/parks", "/api/v1/dead-letters"):
        response = httpx.get(f"{stack.portal_url}{path}", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (city, path)


def test_an_event_for_a_city_not_served_here_is_parked_and_planning_goes_on(stack, as_role):
    park = {**JINING_PARK, "id": "atlantis-park"}
    event = ParkRegistered(producer="registry", tenant_id="atlantis", park={
        **park, "tenant_id": "atlantis", "created_at": "2026-11-01T00:00:00Z"})

    async def forge() -> list[str]:
        connection = await connect(stack.bus(HARNESS), HARNESS)
        js = connection.jetstream()
        await js.publish(ParkRegistered.SUBJECT, event.model_dump_json().encode())
        reasons = []
        for _ in range(100):
            letter = await last_letter(js, "guiyan.dlq.*.*.atlantis")
            if letter is not None:
                reasons.append(letter)
                break
            await asyncio.sleep(0.1)
        await connection.close()
        return reasons

    (reason,) = asyncio.run(forge())
    assert "no city 'atlantis' is configured" in reason
    engine = create_engine(stack.config.database_url("matching").replace(
        "postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:  # nothing of it was stored
        assert connection.execute(text("SELECT count(*) FROM matching_parks "
                                       "WHERE tenant_id = 'atlantis'")).scalar() == 0
    engine.dispose()
    staff = as_role("staff")
    staff.post("/api/v1/projects", project(id="after-atlantis"), expect=202)
    eventually(lambda: staff.get("/api/v1/projects/after-atlantis")["placement"]["proposal"])
    assert httpx.get(f"{stack.portal_url}/healthz/system").json()["status"] == "ok"


async def last_letter(js, subject: str) -> str | None:
    try:
        message = await js.get_last_msg(DLQ_STREAM, subject)
    except NotFoundError:
        return None
    return (message.headers or {}).get("Guiyan-Reason")


def test_asyncapi_is_for_admins_and_names_no_address_in_use(stack, as_role) -> None:
    assert httpx.get(f"{stack.portal_url}/api/v1/asyncapi/matching").status_code == 401
    assert as_role("staff").client.get("/api/v1/asyncapi/matching").status_code == 403
    document = as_role("admin").get("/api/v1/asyncapi/matching")
    assert stack.nats_url.rsplit(":", 1)[1] not in str(document["servers"])
