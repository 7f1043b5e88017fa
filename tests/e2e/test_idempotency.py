"""A POST sent again with the same Idempotency-Key answers as the first and changes nothing more,
even when the first answer was lost after the service committed; the same key with another body
is refused."""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx

from guiyan_contracts import registry
from guiyan_contracts.models import ProjectFields
from guiyan_eventing.bus import BusSettings
from guiyan_eventing.identities import HARNESS
from guiyan_eventing.rpc import broker, call

from .conftest import eventually, project


def post(api, path: str, body: dict, key: str) -> httpx.Response:
    return api.client.post(path, json=body, headers={"Idempotency-Key": key})


def named(api, name: str) -> list[dict]:
    """The projects of this name, once matching has recorded every project submitted before:
    the list is matching's, and it reads registry's events in order, so once a project
    submitted after them is listed, so is each of them."""
    marker = f"标记{uuid.uuid4().hex[:8]}"
    api.post("/api/v1/projects", project(name=marker), expect=202)
    eventually(lambda: api.get("/api/v1/projects", q=marker)["total"] == 1)
    return [v for v in api.items("/api/v1/projects", q=name, limit=1000)
            if v["project"]["name"] == name]


def test_a_submission_sent_twice_with_one_key_is_one_project(as_role) -> None:
    staff, key, name = as_role("staff"), str(uuid.uuid4()), f"重试工坊{uuid.uuid4().hex[:6]}"
    first = post(staff, "/api/v1/projects", project(name=name), key)
    again = post(staff, "/api/v1/projects", project(name=name), key)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert len(named(staff, name)) == 1


def test_one_key_with_another_body_is_refused_naming_the_header(as_role) -> None:
    staff, key = as_role("staff"), str(uuid.uuid4())
    assert post(staff, "/api/v1/projects", project(name="甲工坊"), key).status_code == 202
    other = post(staff, "/api/v1/projects", project(name="乙工坊"), key)
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


def test_a_key_is_one_callers_own(as_role, in_city) -> None:
    key, body = str(uuid.uuid4()), project(name=f"各自工坊{uuid.uuid4().hex[:6]}")
    mine = post(as_role("staff"), "/api/v1/projects", body, key)
    admins = post(as_role("admin"), "/api/v1/projects", body, key)
    assert mine.status_code == admins.status_code == 202
    assert mine.json()["id"] != admins.json()["id"]


def test_a_retry_after_an_answer_lost_in_transit_gets_the_committed_project(stack, as_role):
    """The first attempt reached registry and was committed; its answer never came back (NATS
    went away, the portal gave up with 503). The client sends the same request again."""
    key, name = str(uuid.uuid4()), f"失联工坊{uuid.uuid4().hex[:6]}"
    body = project(name=name)

    async def first_attempt() -> str:
        bus = broker(BusSettings(nats_url=stack.nats_url,
                                 nats_seed_file=stack.bus(HARNESS).nats_seed_file), HARNESS)
        await bus.connect()
        try:
            committed = await call(bus, registry.SubmitProject(
                tenant_id="heze", submitted_by="heze-staff", project=ProjectFields(**body),
                idempotency_key=f"heze-staff:{key}"), registry.Project)
        finally:
            await bus.stop()
        return committed.id

    committed = asyncio.run(first_attempt())
    staff = as_role("staff")
    retried = post(staff, "/api/v1/projects", body, key)
    assert retried.status_code == 202 and retried.json()["id"] == committed
    assert [v["project"]["id"] for v in named(staff, name)] == [committed]


def test_a_decision_sent_again_answers_as_the_first_and_a_changed_one_is_refused(as_role):
    staff, manager = as_role("staff"), as_role("caoxian-hanfu-park")
    submitted = staff.post("/api/v1/projects", project(name=f"决定工坊{uuid.uuid4().hex[:6]}"),
                           expect=202)
    proposal = eventually(lambda: staff.get(f"/api/v1/projects/{submitted['id']}")
                          ["placement"]["proposal"])
    if proposal["park_id"] != "caoxian-hanfu-park":  # as the rules place it; any park will do
        manager = as_role(proposal["park_id"])
    key, path = str(uuid.uuid4()), f"/api/v1/proposals/{proposal['id']}/reject"
    first = post(manager, path, {"reason": "场地已满"}, key)
    assert post(manager, path, {"reason": "场地已满"}, key).json() == first.json()
    changed = post(manager, path, {"reason": "另作他用"}, key)
    assert changed.status_code == 422


def test_a_project_form_sent_twice_makes_one_project(stack, tokens) -> None:
    """The form carries a key made when it was shown: a double tap, or a resend after a lost
    answer, lands on the same project."""
    staff = httpx.Client(base_url=stack.portal_url, timeout=30,
                         headers={"Authorization": f"Bearer {tokens['staff']}"})
    form_page = staff.get("/projects/new").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form_page).group(1)
    form = {"idempotency_key": key, "money_unit": "wan", "name": f"两次提交工坊{uuid.uuid4().hex[:6]}",
            "founder": "赵一", "source": "hangzhou", "hometown_county": "caoxian",
            "link": "textiles_apparel/hanfu/design_pattern", "floor_m2": "300",
            "investment": "120", "jobs": "8", "registered_on": "2026-08-01"}
    first, second = staff.post("/projects/new", data=form), staff.post("/projects/new", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
