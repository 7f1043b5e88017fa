"""The delivery guarantees, against a real nats-server and real databases."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from typing import ClassVar

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Field, SQLModel, select

from guiyan_contracts.envelope import Event
from guiyan_contracts.system import DLQ_STREAM
from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.errors import Rejected
from guiyan_eventing.identities import HARNESS
from guiyan_eventing.outbox import OutboxMessage
from guiyan_eventing.runtime import Service
from guiyan_eventing.schema import Tables
from guiyan_eventing.settings import ServiceSettings
from guiyan_eventing.streams import declare_streams
from guiyan_eventing.unit_of_work import SqlUnitOfWork


class ParkRenamed(Event):
    """A stand-in event on the registry stream; each test gets a subject of its own."""

    SUBJECT: ClassVar[str] = "guiyan.registry.test.renamed.v1"
    name: str


@pytest.fixture
def renamed() -> type[ParkRenamed]:
    subject = f"guiyan.registry.test_{uuid.uuid4().hex[:8]}.renamed.v1"
    return type("ParkRenamed", (ParkRenamed,), {"SUBJECT": subject})


class HeardName(SQLModel, table=True):
    __tablename__ = "test_heard_names"
    id: int | None = Field(default=None, primary_key=True)
    name: str


async def store(service: Service, body: bytes, subject: str,
                headers: dict[str, str] | None = None) -> None:
    """Publish straight into the registry's stream, waiting for the stream's acknowledgement as
    long as the service's relay does: FastStream's default of half a second is shorter than a
    busy 2-core host can take."""
    await service.broker.publish(body, subject, stream="GUIYAN_REGISTRY", headers=headers,
                                 timeout=service.settings.outbox_ack_timeout_seconds)


async def eventually(check, timeout: float = 10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def make_listener(nats_url: str, database_url: str, renamed: type[ParkRenamed],
                  name: str | None = None, **settings_overrides: object) -> Service[SqlUnitOfWork]:
    settings = ServiceSettings(nats_url=nats_url, database_url=database_url, max_deliver=3,
                               redelivery_backoff_seconds=[0.1], transient_backoff_seconds=[0.1],
                               **settings_overrides)
    service = Service(name or f"listener{uuid.uuid4().hex[:6]}", settings, Tables([HeardName]),
                      SqlUnitOfWork)
    outage = {"deliveries_left": 4}  # the database is "away" for the first four attempts

    def record(event: ParkRenamed, uow: SqlUnitOfWork) -> None:
        if event.name == "poison":
            raise RuntimeError("cannot handle poison")
        if event.name == "during-outage" and outage["deliveries_left"] > 0:
            outage["deliveries_left"] -= 1
            raise OperationalError("SELECT 1", {}, Exception("database is locked"))
        if event.name == "refused":
            raise Rejected("names may not be 'refused'")
        uow.session.add(HeardName(name=event.name))

    service.on_event(renamed, record)
    return service


def heard(service: Service[SqlUnitOfWork]) -> list[str]:
    with service.uow() as uow:
        return [h.name for h in uow.session.exec(select(HeardName))]


async def dead_letters(nats_url: str, consumer_prefix: str) -> list[dict[str, str]]:
    connection = await connect(BusSettings(nats_url=nats_url), HARNESS)
    js = connection.jetstream()
    info = await js.stream_info(DLQ_STREAM)
    found = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        try:
            message = await js.get_msg(DLQ_STREAM, sequence)
        except Exception:
            continue
        if (message.headers or {}).get("Guiyan-Consumer", "").startswith(consumer_prefix):
            found.append({**message.headers, "body": message.data.decode()})
    await connection.close()
    return found


async def parked(nats_url: str, consumer_prefix: str, count: int) -> list[dict[str, str]]:
    """The dead letters once there are `count` of them (or what there is after ten seconds)."""
    letters: list[dict[str, str]] = []
    for _ in range(100):
        letters = await dead_letters(nats_url, consumer_prefix)
        if len(letters) == count:
            break
        await asyncio.sleep(0.1)
    return letters


async def test_outbox_events_reach_a_consumer_once_even_when_published_twice(
        nats_url: str, database_url: str, tmp_path, renamed) -> None:
    listener = make_listener(nats_url, database_url, renamed)
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}"), Tables([]), SqlUnitOfWork)
    async with listener.app(), producer.app():
        event = renamed(producer="test", tenant_id="heze", name="牡丹区返乡创业园")
        with producer.uow() as uow:
            uow.emit(event)
            uow.commit()
        await eventually(lambda: heard(listener) == ["牡丹区返乡创业园"])
        # The same event id again, past JetStream's dedup (another Nats-Msg-Id): still once.
        await store(producer, event.model_dump_json().encode(), event.SUBJECT,
                    {"Nats-Msg-Id": "other"})
        await asyncio.sleep(0.5)
        assert heard(listener).count("牡丹区返乡创业园") == 1


async def test_malformed_rejected_and_poison_messages_are_parked_with_their_reason(
        nats_url: str, tmp_path, renamed) -> None:
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed)
    async with listener.app():
        await store(listener, b'{"not": "an event"}', renamed.SUBJECT)
        for name in ("refused", "poison", "fine"):
            await store(listener,
                        renamed(producer="t", tenant_id="heze", name=name)
                        .model_dump_json().encode(),
                        renamed.SUBJECT)
        await eventually(lambda: heard(listener) == ["fine"])
        letters = await parked(nats_url, listener.name, 3)
    reasons = sorted(letter["Guiyan-Reason"].split(" ")[0].rstrip(":") for letter in letters)
    assert reasons == ["failed", "malformed", "rejected"]
    poison = next(x for x in letters if x["Guiyan-Reason"].startswith("failed"))
    assert "3 times" in poison["Guiyan-Reason"] and "cannot handle poison" in poison["Guiyan-Reason"]
    assert json.loads(poison["body"])["name"] == "poison"
    assert all(x["Guiyan-Original-Subject"] == renamed.SUBJECT for x in letters)
    malformed = next(x for x in letters if x["Guiyan-Reason"].startswith("malformed"))
    assert "tenant_id: Field required" in malformed["Guiyan-Reason"]


async def test_an_event_for_a_city_not_configured_is_parked_under_no_city_and_never_handled(
        nats_url: str, tmp_path, renamed) -> None:
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed)
    async with listener.app():
        for city in ("atlantis", "heze"):
            await store(listener,
                        renamed(producer="t", tenant_id=city, name=city).model_dump_json().encode(),
                        renamed.SUBJECT)
        await eventually(lambda: heard(listener) == ["heze"])
        (letter,) = await parked(nats_url, listener.name, 1)
    assert letter["Guiyan-Reason"] == "no city 'atlantis' is configured here"
    assert json.loads(letter["body"])["name"] == "atlantis"


async def test_a_transient_failure_is_waited_out_rather_than_parked(nats_url: str, tmp_path,
                                                                    renamed) -> None:
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed)
    async with listener.app():
        await store(listener,
                    renamed(producer="t", tenant_id="heze", name="during-outage")
                    .model_dump_json().encode(), renamed.SUBJECT)
        # Five deliveries: more than max_deliver (3), which would park a failure of the message.
        await eventually(lambda: heard(listener) == ["during-outage"])
    assert await dead_letters(nats_url, listener.name) == []


async def test_a_durable_consumer_takes_new_settings_on_restart(nats_url: str, tmp_path,
                                                                renamed) -> None:
    name = f"listener{uuid.uuid4().hex[:6]}"
    for ack_wait in (30.0, 7.0):
        listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed, name=name,
                                 ack_wait_seconds=ack_wait)
        async with listener.app():
            pass
    connection = await connect(BusSettings(nats_url=nats_url), HARNESS)
    info = await connection.jetstream().consumer_info("GUIYAN_REGISTRY", f"{name}_from_registry")
    await connection.close()
    assert info.config.ack_wait == 7.0
    assert info.config.max_deliver == -1  # the server never drops a message: we park it


async def test_events_of_one_producer_are_handled_in_its_commit_order(nats_url: str, tmp_path,
                                                                       renamed) -> None:
    closed = type("ParkClosed", (ParkRenamed,),
                  {"SUBJECT": renamed.SUBJECT.replace(".renamed.", ".closed.")})
    listener = Service(f"listener{uuid.uuid4().hex[:6]}", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'l.db'}"), Tables([HeardName]),
        SqlUnitOfWork)

    def record(event: ParkRenamed, uow: SqlUnitOfWork) -> None:
        uow.session.add(HeardName(name=f"{type(event).__name__}:{event.name}"))

    listener.on_event(renamed, record)
    listener.on_event(closed, record)
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}"), Tables([]), SqlUnitOfWork)
    expected = []
    async with producer.app():
        with producer.uow() as uow:
            for index in range(40):
                event_type = renamed if index % 3 else closed
                uow.emit(event_type(producer="t", tenant_id="heze", name=str(index)))
                expected.append(f"{event_type.__name__}:{index}")
            uow.commit()
        await producer.relay.publish_pending()
    async with listener.app():
        await eventually(lambda: len(heard(listener)) == 40)
    assert heard(listener) == expected


async def test_a_batch_with_bad_messages_settles_each_message_on_its_own(
        nats_url: str, tmp_path, renamed) -> None:
    """Everything is in the stream before the consumer starts, so it arrives as one batch: the
    batch's transaction fails, and each message is then handled alone, in order; the same event
    twice in one batch is handled once."""
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed, batch_size=100)
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}"), Tables([]), SqlUnitOfWork)
    twice = renamed(producer="t", tenant_id="heze", name="twice")
    async with producer.app():
        with producer.uow() as uow:
            for name in ("a", "poison", "b", "refused"):
                uow.emit(renamed(producer="t", tenant_id="heze", name=name))
            uow.emit(twice)
            uow.commit()
        await producer.relay.publish_pending()
        await store(producer, twice.model_dump_json().encode(), twice.SUBJECT,
                    {"Nats-Msg-Id": "again"})
    async with listener.app():
        await eventually(lambda: heard(listener) == ["a", "b", "twice"])
        letters = await parked(nats_url, listener.name, 2)
    assert sorted(json.loads(x["body"])["name"] for x in letters) == ["poison", "refused"]
    assert heard(listener) == ["a", "b", "twice"]


async def test_a_clean_batch_commits_once(nats_url: str, tmp_path, renamed) -> None:
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed, batch_size=100)
    commits = []
    listener.after_commit(lambda: commits.append(1))
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}"), Tables([]), SqlUnitOfWork)
    async with producer.app():
        with producer.uow() as uow:
            for index in range(30):
                uow.emit(renamed(producer="t", tenant_id="heze", name=str(index)))
            uow.commit()
        await producer.relay.publish_pending()
    async with listener.app():
        await eventually(lambda: len(heard(listener)) == 30)
    assert heard(listener) == [str(index) for index in range(30)]
    assert len(commits) < 30


async def test_a_clean_batch_with_one_event_twice_handles_it_once(nats_url: str, tmp_path,
                                                                   renamed) -> None:
    """The batch reads its claims in one query up front; the second copy finds the first's."""
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed, batch_size=100)
    commits = []
    listener.after_commit(lambda: commits.append(1))
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}"), Tables([]), SqlUnitOfWork)
    twice = renamed(producer="t", tenant_id="heze", name="twice")
    async with producer.app():
        with producer.uow() as uow:
            uow.emit(twice)
            uow.emit(renamed(producer="t", tenant_id="heze", name="after"))
            uow.commit()
        await producer.relay.publish_pending()
        await store(producer, twice.model_dump_json().encode(), twice.SUBJECT,
                    {"Nats-Msg-Id": "again"})
    async with listener.app():
        await eventually(lambda: len(heard(listener)) == 2)
        await asyncio.sleep(0.3)
    assert heard(listener) == ["twice", "after"]
    assert commits == [1]


async def test_events_trickling_into_short_batches_are_each_handled_without_a_redelivery(
        nats_url: str, tmp_path, renamed) -> None:
    """A fetch that waits a moment for more often ends with some messages and then a timeout:
    those messages are handled at once, not left unacked until the server redelivers them
    (ack_wait is set past the test's patience, so a dropped message fails it)."""
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed, batch_size=100,
                             batch_wait_seconds=0.005, ack_wait_seconds=600)
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}"), Tables([]), SqlUnitOfWork)
    async with producer.app(), listener.app():
        for index in range(60):
            await store(producer,
                        renamed(producer="t", tenant_id="heze", name=str(index))
                        .model_dump_json().encode(), renamed.SUBJECT)
            await asyncio.sleep(0.02 * (index % 3))
        await eventually(lambda: len(heard(listener)) == 60)
    assert heard(listener) == [str(index) for index in range(60)]


def published(service: Service[SqlUnitOfWork]) -> list[bool]:
    """Whether each outbox row, in order, is marked published."""
    with service.uow() as uow:
        rows = uow.session.exec(select(OutboxMessage).order_by(OutboxMessage.position))
        return [row.published_at is not None for row in rows]


async def test_a_batch_the_server_refuses_partway_is_sent_again_from_the_refusal(
        nats_url: str, tmp_path, renamed) -> None:
    """The relay marks rows published only up to the first one the server did not acknowledge
    (here: one over the stream's message size, until the limit is lifted). That one and the rest
    go again; the row after it, already stored, is not stored twice. It does reach the stream
    before the refused one: a refusal partway gives up commit order for the rest of the batch."""
    listener = make_listener(nats_url, f"sqlite:///{tmp_path / 'l.db'}", renamed)
    producer = Service("producer", ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite:///{tmp_path / 'p.db'}",
        outbox_ack_timeout_seconds=0.5), Tables([]), SqlUnitOfWork)
    large = "x" * 4000
    connection = await connect(BusSettings(nats_url=nats_url), HARNESS)
    js = connection.jetstream()
    try:
        async with producer.app():  # which declares the streams as they should be
            config = (await js.stream_info("GUIYAN_REGISTRY")).config
            await js.update_stream(dataclasses.replace(config, max_msg_size=2000))
            with producer.uow() as uow:
                for name in ("a", large, "c"):
                    uow.emit(renamed(producer="t", tenant_id="heze", name=name))
                uow.commit()
            await eventually(lambda: published(producer) == [True, False, False])
            await js.update_stream(config)
            await eventually(lambda: published(producer) == [True, True, True])
    finally:
        await declare_streams(BusSettings(nats_url=nats_url), HARNESS)
        await connection.close()
    async with listener.app():
        await eventually(lambda: len(heard(listener)) == 3)
        await asyncio.sleep(0.3)
    assert heard(listener) == ["a", "c", large]
