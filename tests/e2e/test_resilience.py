"""Nothing lost, nothing doubled, nothing crashes: a killed service and a malformed message."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import uuid
from collections import Counter
from typing import Any

import httpx
import nats

from guiyan_contracts.matching import ProposalOffered
from guiyan_contracts.models import Role
from guiyan_contracts.registry import ProjectSubmitted
from guiyan_devstack.stack import Stack
from guiyan_eventing.bus import connect
from guiyan_eventing.identities import HARNESS

from .conftest import eventually, project, publish

PROJECTS = 40


async def offered_events_per_project(stack: Stack) -> Counter[str]:
    """Count ProposalOffered events in the stream itself, not in any service's view of it."""
    connection = await connect(stack.bus(HARNESS), HARNESS)
    js = connection.jetstream()
    subscription = await js.subscribe(ProposalOffered.SUBJECT, ordered_consumer=True)
    counts: Counter[str] = Counter()
    try:
        while True:
            message = await subscription.next_msg(timeout=1.0)
            counts[json.loads(message.data)["proposal"]["project_id"]] += 1
    except nats.errors.TimeoutError:
        pass
    await connection.close()
    return counts


def test_killing_matching_mid_burst_loses_and_doubles_nothing(stack, as_role) -> None:
    staff = as_role("staff")
    ids = [f"crash-{n:03d}" for n in range(PROJECTS)]
    submitted: list[str] = []

    def submit_all() -> None:
        for project_id in ids:
            body = project(id=project_id, name=f"菏泽面粉加工{project_id}", sector="agri_processing",
                           chain="flour_food", link="flour_milling", floor_m2=100,
                           hometown_county="shanxian")
            submitted.append(staff.post("/api/v1/projects", body, expect=202)["id"])

    submitter = threading.Thread(target=submit_all)
    submitter.start()
    eventually(lambda: len(submitted) >= PROJECTS // 4, every=0.01)
    stack.kill_service("matching", signal.SIGKILL)
    submitter.join()
    assert submitted == ids
    stack.start_service("matching")
    stack.wait_healthy()

    def all_proposed() -> bool:
        page = staff.items("/api/v1/projects", limit=1000)
        mine = [v for v in page if v["project"]["id"] in set(ids)]
        return len(mine) == PROJECTS and all(v["placement"]["status"] == "proposed" for v in mine)

    eventually(all_proposed, timeout=60)
    proposals = as_role("admin").items("/api/v1/proposals", limit=500)
    per_project = Counter(p["project_id"] for p in proposals if p["project_id"] in set(ids))
    assert per_project == Counter({project_id: 1 for project_id in ids})
    in_stream = asyncio.run(offered_events_per_project(stack))
    assert {project_id: in_stream[project_id] for project_id in ids} == dict.fromkeys(ids, 1)


def test_a_malformed_message_is_parked_for_its_citys_admins_alone_and_nothing_crashes(
        stack, as_role, in_city) -> None:
    marker = uuid.uuid4().hex
    publish(stack, ProjectSubmitted.SUBJECT, [  # a city it names, and one no city could be
        f'{{"tenant_id": {tenant}, "project": {{"name": "{marker}"}}}}'.encode()
        for tenant in ('"heze"', "42")])
    admin = as_role("admin")

    def parked() -> list[dict[str, Any]]:
        return [d for d in admin.items("/api/v1/dead-letters")
                if d["original_subject"] == ProjectSubmitted.SUBJECT and marker in d["payload"]]

    letters = eventually(parked)
    assert {d["consumer"] for d in letters} >= {"matching_from_registry"}
    assert all(d["reason"].startswith("malformed ProjectSubmitted") for d in letters)
    assert all(d["city"] == "heze" and '"tenant_id": "heze"' in d["payload"] for d in letters)
    assert any("project.founder: Field required" in d["reason"] for d in letters)
    elsewhere = in_city("jining", Role.admin).items("/api/v1/dead-letters")
    assert not any(marker in d["payload"] for d in elsewhere)
    assert httpx.get(f"{stack.portal_url}/healthz/system").status_code == 200
    assert as_role("staff").client.get("/api/v1/dead-letters").status_code == 403
