"""The bus as the suite sees it, connected as `harness`: what the streams hold, how far each
durable consumer is behind, and messages published as an intruder would.

Each call opens its own connection and closes it, so that it can be made from any thread (the
faults run in one of their own) and whatever became of the server since the last call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from nats.aio.client import Client
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from guiyan_contracts import matching, registry
from guiyan_eventing.bus import BusSettings, connect
from guiyan_eventing.consumer import consumer_name
from guiyan_eventing.identities import HARNESS, SERVICE_ROLES
from guiyan_eventing.streams import STREAMS

EVENT_STREAMS = (registry.STREAM, matching.STREAM)
READ_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Stored:
    """One message as a stream holds it."""

    stream: str
    sequence: int
    subject: str
    data: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Backlog:
    """A durable consumer's work outstanding: messages not yet delivered, and delivered but not
    yet acknowledged."""

    pending: int
    unacknowledged: int


@dataclass(frozen=True)
class Durable:
    service: str
    stream: str
    name: str


# Every durable consumer of the system: each consuming service reads each stream it consumes
# through one durable of its own.
DURABLES = tuple(Durable(service, stream, consumer_name(service, stream))
                 for service, role in SERVICE_ROLES.items() for stream in role.consumes)


@asynccontextmanager
async def jetstream(settings: BusSettings) -> AsyncIterator[JetStreamContext]:
    connection: Client = await connect(settings, HARNESS, allow_reconnect=False,
                                       connect_timeout=5)
    try:
        yield connection.jetstream(timeout=READ_TIMEOUT_SECONDS)
    finally:
        await connection.close()


async def last_sequences(settings: BusSettings) -> dict[str, int]:
    """Each stream's last sequence: how many messages it has ever stored."""
    async with jetstream(settings) as js:
        return {config.name: (await js.stream_info(config.name)).state.last_seq
                for config in STREAMS}  # type: ignore[misc]


async def stored(settings: BusSettings, stream: str) -> list[Stored]:
    """Every message the stream holds, in order."""
    async with jetstream(settings) as js:
        last = (await js.stream_info(stream)).state.last_seq
        if last == 0:
            return []
        subjects = next(c.subjects for c in STREAMS if c.name == stream)
        assert subjects is not None
        subscription = await js.subscribe(subjects[0], stream=stream, ordered_consumer=True)
        found: list[Stored] = []
        try:
            while not found or found[-1].sequence < last:
                try:
                    message = await subscription.next_msg(timeout=READ_TIMEOUT_SECONDS)
                except NatsTimeout:
                    raise TimeoutError(f"{stream} stopped giving messages at "
                                       f"{found[-1].sequence if found else 0} of {last}") from None
                found.append(Stored(stream, message.metadata.sequence.stream, message.subject,
                                    message.data, dict(message.headers or {})))
        finally:
            await subscription.unsubscribe()
        return found


async def backlogs(settings: BusSettings) -> dict[str, Backlog]:
    """Each durable consumer's outstanding work; a durable not yet created has all of it."""
    found = {}
    async with jetstream(settings) as js:
        for durable in DURABLES:
            try:
                info = await js.consumer_info(durable.stream, durable.name)
            except NotFoundError:
                pending = (await js.stream_info(durable.stream)).state.messages
                found[durable.name] = Backlog(pending=pending, unacknowledged=0)
                continue
            found[durable.name] = Backlog(pending=info.num_pending or 0,
                                          unacknowledged=info.num_ack_pending or 0)
    return found


async def consumed_subjects(settings: BusSettings) -> dict[str, list[Durable]]:
    """Each subject some durable consumer reads, with the durables that read it, as the server
    has them: a subject a service starts consuming is covered without a change here."""
    readers: dict[str, list[Durable]] = {}
    async with jetstream(settings) as js:
        for durable in DURABLES:
            config = (await js.consumer_info(durable.stream, durable.name)).config
            for subject in config.filter_subjects or [config.filter_subject]:
                if subject:
                    readers.setdefault(subject, []).append(durable)
    return readers


async def publish(settings: BusSettings, subject: str, data: bytes) -> tuple[str, int]:
    """Publish into a stream as `harness`; where it was stored (stream, sequence)."""
    async with jetstream(settings) as js:
        ack = await js.publish(subject, data)
        return ack.stream, ack.seq


async def last_message(settings: BusSettings, stream: str, subject: str) -> bytes | None:
    """The newest message on `subject`, if there is one."""
    async with jetstream(settings) as js:
        try:
            return (await js.get_last_msg(stream, subject)).data
        except NotFoundError:
            return None

