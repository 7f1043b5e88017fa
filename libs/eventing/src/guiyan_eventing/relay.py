"""Publishes committed outbox rows to JetStream, at least once, deduplicated by event id.

A batch of rows is sent in commit order and its acknowledgements are awaited together: one round
trip per batch rather than per event. A batch holds a whole plan of a few hundred offers, so that
its last offers do not wait for the first ones' acknowledgements and marking. Rows are marked
published up to the first one the server did not acknowledge; that one and those after it are
sent again (the server drops any it already stored, by their Nats-Msg-Id).

A refusal (a message over the stream's size limit, a full stream) never resolves its future in
nats-py 2.16 (nats-io/nats.py#985: the error is raised inside its reply handler and only logged),
so the relay waits for acknowledgements up to `ack_timeout_seconds` and counts an unanswered one
as refused, rather than letting one timeout discard the acknowledgements that did arrive.

Replicas of a service on one PostgreSQL database each run a relay, and one at a time publishes:
a batch is read, sent and marked within a transaction that holds an advisory lock, and a relay
that finds the lock taken leaves the rows to the holder and looks again shortly. Locking rows
instead (`FOR UPDATE SKIP LOCKED`) would let the second relay send the rows after the first one's
batch ahead of it, out of commit order. On SQLite the relay takes no lock: one process per
database file is assumed."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging

from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.api import PubAck
from sqlalchemy import Engine, text, update
from sqlmodel import Session

from guiyan_contracts.envelope import utc_now

from .database_thread import RunsDatabaseWork
from .outbox import OutboxMessage, unpublished
from .streams import stream_for

log = logging.getLogger(__name__)
# The advisory lock of the relay's turn: advisory locks are per database, and each service has
# a database of its own, so one number serves every service.
RELAY_LOCK = 0x6775_6979_616E  # "guiyan"
BUSY_RETRY_SECONDS = 0.1


class Batch:
    """Rows read for publishing, in a transaction that is the relay's turn to publish: it ends
    with `mark` (those sent are marked, and the turn passes) or `close`."""

    def __init__(self, session: Session, rows: list[OutboxMessage]) -> None:
        self.session, self.rows = session, rows

    def mark(self, positions: list[int]) -> None:
        self.session.exec(update(OutboxMessage)  # type: ignore[call-overload]
                          .where(OutboxMessage.position.in_(positions))  # type: ignore[union-attr]
                          .values(published_at=utc_now()))
        self.session.commit()

    def close(self) -> None:
        self.session.close()


def take_turn(engine: Engine, limit: int) -> Batch | None:
    """The next rows to publish, or None while another relay on the database has its turn."""
    session = Session(engine, expire_on_commit=False)  # the rows are read after `mark`
    if engine.dialect.name == "postgresql" and not session.exec(  # type: ignore[call-overload]
            text("SELECT pg_try_advisory_xact_lock(:key)"), params={"key": RELAY_LOCK}).scalar():
        session.close()
        return None
    return Batch(session, unpublished(session, limit))


def headers(row: OutboxMessage) -> dict[str, str]:
    # Nats-Msg-Id makes a republish after a crash (published, not yet marked) a no-op.
    sent = {"Nats-Msg-Id": row.event_id, "content-type": "application/json"}
    if row.traceparent is not None:  # the trace of the transaction that wrote the event
        sent["traceparent"] = row.traceparent
    return sent


class OutboxRelay:
    def __init__(self, engine: Engine, broker: NatsBroker, database: RunsDatabaseWork,
                 batch_size: int = 1000, idle_poll_seconds: float = 1.0,
                 ack_timeout_seconds: float = 10.0) -> None:
        self._engine = engine
        self._broker = broker
        self._database = database
        self._batch_size = batch_size
        self._ack_timeout_seconds = ack_timeout_seconds
        self._idle_poll_seconds = idle_poll_seconds
        self._wake = asyncio.Event()
        self._js: JetStreamContext | None = None  # one, for its subscription to acknowledgements

    def notify(self) -> None:
        """Called on the event loop after every commit that wrote."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                published = await self.publish_pending()
            except Exception:  # NATS down or DB busy: the rows wait, nothing is lost
                log.exception("outbox relay failed; retrying")
                published = 0
                await asyncio.sleep(self._idle_poll_seconds)
            if published is None:  # another replica's relay is publishing
                await asyncio.sleep(BUSY_RETRY_SECONDS)
            elif published < self._batch_size:
                self._wake.clear()
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that lands as the event fires, and the loop then never stops.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._idle_poll_seconds):
                        await self._wake.wait()

    async def publish_pending(self) -> int | None:
        """How many rows were published; None when another relay has the turn."""
        batch = await self._database(lambda: take_turn(self._engine, self._batch_size))
        if batch is None:
            return None
        try:
            return await self._publish(batch)
        finally:
            await self._database(batch.close)

    async def _publish(self, batch: Batch) -> int:
        rows = batch.rows
        if not rows:
            return 0
        self._js = self._js or self._broker.connection.jetstream()
        acks: list[asyncio.Future[PubAck]] = []
        try:
            for row in rows:  # a publish may raise part way (a full buffer while reconnecting)
                acks.append(await self._js.publish_async(
                    row.subject, row.payload.encode(), stream=stream_for(row.subject),
                    headers=headers(row)))
            answered, _ = await asyncio.wait(acks, timeout=self._ack_timeout_seconds)
            stored = sum(1 for _ in itertools.takewhile(
                lambda ack: ack in answered and ack.exception() is None, acks))
        finally:
            for ack in acks:  # unanswered or abandoned ones: free their slots
                ack.cancel()
        if stored:
            await self._database(lambda: batch.mark([r.position for r in rows[:stored]]))
        if stored < len(rows):
            refused = acks[stored].exception() if acks[stored] in answered else None
            raise refused or TimeoutError(f"no acknowledgement of {rows[stored].subject} "
                                          f"{rows[stored].event_id} in {self._ack_timeout_seconds} s")
        return stored
