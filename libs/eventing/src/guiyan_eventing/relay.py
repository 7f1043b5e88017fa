"""Publishes committed outbox rows to JetStream, at least once, deduplicated by event id."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from faststream.nats import NatsBroker
from sqlalchemy import Engine, update
from sqlmodel import Session

from guiyan_contracts.envelope import utc_now

from .outbox import OutboxMessage, unpublished
from .streams import stream_for

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, engine: Engine, broker: NatsBroker, batch_size: int = 200,
                 idle_poll_seconds: float = 1.0) -> None:
        self._engine = engine
        self._broker = broker
        self._batch_size = batch_size
        self._idle_poll_seconds = idle_poll_seconds
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def notify(self) -> None:
        """Called after every commit, possibly from a worker thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
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
        with Session(self._engine) as session:
            rows = unpublished(session, self._batch_size)
        for row in rows:
            # Nats-Msg-Id makes a republish after a crash (published, not yet marked) a no-op.
            await self._broker.publish(
                row.payload.encode(), row.subject, stream=stream_for(row.subject),
                headers={"Nats-Msg-Id": row.event_id, "content-type": "application/json"})
        if rows:
            with Session(self._engine) as session:
                session.exec(update(OutboxMessage)  # type: ignore[call-overload]
                             .where(OutboxMessage.position.in_([r.position for r in rows]))  # type: ignore[union-attr]
                             .values(published_at=utc_now()))
                session.commit()
        return len(rows)
