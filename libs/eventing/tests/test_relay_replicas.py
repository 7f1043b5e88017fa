"""Two replicas of a service on one PostgreSQL database: their outbox relays send each row once,
in commit order, whichever replica wrote it."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlmodel import select

from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.identities import HARNESS
from guiyan_eventing.outbox import OutboxMessage
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.unit_of_work import SqlUnitOfWork

from .test_delivery import ParkRenamed, eventually

pytestmark = pytest.mark.postgres
COMMITS, PER_COMMIT = 40, 25


async def test_two_relays_on_one_database_publish_each_row_once_in_commit_order(
        nats_url: str, postgres_database) -> None:
    if postgres_database is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    renamed = type("ParkRenamed", (ParkRenamed,),
                   {"SUBJECT": f"guiyan.registry.test_{uuid.uuid4().hex[:8]}.renamed.v1"})
    database_url = postgres_database()
    replicas = [Service("registry", ServiceSettings(nats_url=nats_url, database_url=database_url),
                        Tables([]), SqlUnitOfWork) for _ in range(2)]
    watcher = await connect(BusSettings(nats_url=nats_url), HARNESS)
    sent: list[str] = []  # every publish, duplicates included: a core subscriber sees them all

    async def hear(message) -> None:
        sent.append(message.headers["Nats-Msg-Id"])

    subscription = await watcher.subscribe(renamed.SUBJECT, cb=hear)
    try:
        async with replicas[0].app(), replicas[1].app():
            for commit in range(COMMITS):  # the replicas take turns at writing
                with replicas[commit % 2].uow() as uow:
                    uow.emit_all([renamed(producer="t", tenant_id="heze", name=uuid.uuid4().hex)
                                  for _ in range(PER_COMMIT)])
                    uow.commit()
                await asyncio.sleep(0)
            await eventually(lambda: len(sent) >= COMMITS * PER_COMMIT, timeout=30)
            await asyncio.sleep(1.5)  # a second relay's copy would have come by now
    finally:
        await subscription.unsubscribe()
        await watcher.close()
    with replicas[0].uow() as uow:
        in_commit_order = list(uow.session.exec(
            select(OutboxMessage.event_id).order_by(OutboxMessage.position)))
        unpublished = list(uow.session.exec(
            select(OutboxMessage.event_id).where(OutboxMessage.published_at == None)))  # noqa: E711
    assert unpublished == []
    assert sent == in_commit_order  # each once, in the order the rows were committed
