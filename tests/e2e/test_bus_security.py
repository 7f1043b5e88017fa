"""Every service speaks on the bus as itself, within its own permissions: without credentials
nothing connects, one service cannot speak as another, and only the portal sends commands."""

from __future__ import annotations

import asyncio
import json
import uuid

import nats
import pytest
from nats.errors import Error as NatsError

from guiyan_contracts import matching, registry
from guiyan_eventing.bus import connect

from .conftest import eventually, project


async def stored(stack, stream: str) -> int:
    connection = await connect(stack.bus("ops"), "ops")
    try:
        return (await connection.jetstream().stream_info(stream)).state.last_seq
    finally:
        await connection.close()


def test_a_client_without_credentials_cannot_connect(stack) -> None:
    async def anonymous() -> None:
        await nats.connect(stack.nats_url, allow_reconnect=False, max_reconnect_attempts=0,
                           connect_timeout=2)

    with pytest.raises(NatsError, match="Authorization Violation"):
        asyncio.run(anonymous())


@pytest.mark.parametrize(("identity", "subject", "stream"), [
    ("notification", registry.ParkUpdated.SUBJECT, registry.STREAM),
    ("notification", matching.ProposalOffered.SUBJECT, matching.STREAM),
    ("matching", registry.ProjectSubmitted.SUBJECT, registry.STREAM),
    ("registry", matching.ProposalAccepted.SUBJECT, matching.STREAM),
    ("portal", registry.ProjectSubmitted.SUBJECT, registry.STREAM),
])
def test_a_service_cannot_publish_another_services_events(stack, identity, subject, stream):
    async def forge() -> list[str]:
        refusals: list[str] = []

        async def refused(error: Exception) -> None:
            refusals.append(str(error))

        before = await stored(stack, stream)
        connection = await connect(stack.bus(identity), identity, error_cb=refused)
        await connection.publish(subject, json.dumps({"tenant_id": "heze"}).encode())
        await connection.flush()
        await asyncio.sleep(0.3)
        await connection.close()
        assert await stored(stack, stream) == before
        return refusals

    assert any("permissions violation for publish" in r.lower() for r in asyncio.run(forge()))


@pytest.mark.parametrize("identity", ["registry", "matching", "notification"])
def test_only_the_portal_sends_commands(stack, as_role, identity: str) -> None:
    staff = as_role("staff")
    submitted = staff.post("/api/v1/projects", project(name=f"冒名工坊{uuid.uuid4().hex[:6]}"),
                           expect=202)
    proposal = eventually(lambda: staff.get(f"/api/v1/projects/{submitted['id']}")
                          ["placement"]["proposal"])
    accept = matching.AcceptProposal(tenant_id="heze", proposal_id=proposal["id"],
                                     decided_by="nobody-at-all")

    async def forge() -> None:
        connection = await connect(stack.bus(identity), identity)
        try:
            await connection.request(accept.SUBJECT, accept.model_dump_json().encode(), timeout=1)
        finally:
            await connection.close()

    with pytest.raises((NatsError, TimeoutError)):
        asyncio.run(forge())
    assert staff.get(f"/api/v1/proposals/{proposal['id']}")["status"] == "offered"


def test_a_service_cannot_read_another_services_replies_or_requests(stack) -> None:
    async def eavesdrop() -> list[str]:
        refusals: list[str] = []

        async def refused(error: Exception) -> None:
            refusals.append(str(error))

        connection = await connect(stack.bus("notification"), "notification", error_cb=refused)
        for subject in ("_INBOX.portal.>", "guiyan.cmd.matching.>", "guiyan.query.registry.>"):
            await connection.subscribe(subject)
        await connection.flush()
        await asyncio.sleep(0.3)
        await connection.close()
        return refusals

    refusals = asyncio.run(eavesdrop())
    assert len([r for r in refusals if "permissions violation for subscription" in r.lower()]) == 3
