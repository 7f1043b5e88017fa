"""Publishes committed outbox rows to JetStream, at least once, deduplicated by event id.

A batch of rows is sent in commit order and its acknowledgements are awaited together: one round
trip per batch rather than per event. A batch holds a whole plan of a few hundred offers, so that
its last offers do not wait for the first ones' acknowledgements and marking. Rows are marked
published up to the first one the server did not acknowledge; that one and those after it are
sent again (the server drops any it already stored, by their Nats-Msg-Id).

A refusal (a message over the stream's size limit, a full stream) never resolves its future in
nats-py 2.16 (nats-io/nats.py#985: the error is raised inside its reply handler and only logged),
so the relay waits for acknowledgements up to `ack_timeout_seconds` and counts an unanswered one
as refused, rather than letting one timeout discard the acknowledgements that did arrive."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging

from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from nats.js.api import PubAck
from sqlalchemy import Engine, update
from sqlmodel import Session

from guiyan_contracts.envelope import utc_now

from .database_thread import RunsDatabaseWork
from .outbox import OutboxMessage, unpublished
from .streams import stream_for

log = logging.getLogger(__name__)


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
            if published < self._batch_size:
                self._wake.clear()
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that lands as the event fires, and the loop then never stops.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._idle_poll_seconds):
                        await self._wake.wait()

    async def publish_pending(self) -> int:
        rows = await self._database(self._unpublished)
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
            await self._database(lambda: self._mark_published([r.position for r in rows[:stored]]))
        if stored < len(rows):
            refused = acks[stored].exception() if acks[stored] in answered else None
            raise refused or TimeoutError(f"no acknowledgement of {rows[stored].subject} "
                                          f"{rows[stored].event_id} in {self._ack_timeout_seconds} s")
        return stored

    def _unpublished(self) -> list[OutboxMessage]:
        with Session(self._engine) as session:
            return unpublished(session, self._batch_size)

    def _mark_published(self, positions: list[int]) -> None:
        with Session(self._engine) as session:
            session.exec(update(OutboxMessage)  # type: ignore[call-overload]
                         .where(OutboxMessage.position.in_(positions))  # type: ignore[union-attr]
                         .values(published_at=utc_now()))
            session.commit()
