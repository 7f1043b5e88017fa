"""Transactional outbox: an event is a row written in the same transaction as the change it reports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Field, Session, SQLModel, func, insert, select

from guiyan_contracts.envelope import Event, utc_now

from .tracing import current_traceparent


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"

    position: int | None = Field(default=None, primary_key=True)  # publish order
    event_id: str = Field(unique=True, max_length=36)
    subject: str = Field(max_length=200)
    payload: str
    created_at: datetime = Field(default_factory=utc_now)
    published_at: datetime | None = Field(default=None, index=True)
    # The W3C trace context of the transaction that wrote it, sent on with the event (tracing.py).
    traceparent: str | None = Field(default=None, max_length=55)


def add_to_outbox(session: Session, event: Event) -> None:
    session.add(OutboxMessage(**_columns(event)))


def add_all_to_outbox(session: Session, events: list[Event]) -> None:
    """Many events in one INSERT, without an object each: a plan emits hundreds. Rows added
    earlier in the transaction are flushed first (even where autoflush is off), so they keep
    their place in publish order."""
    if events:
        session.flush()
        now = utc_now()
        session.exec(insert(OutboxMessage), params=[_columns(e) | {"created_at": now} for e in events])


def _columns(event: Event) -> dict[str, Any]:
    return {"event_id": str(event.event_id), "subject": event.SUBJECT,
            "payload": event.model_dump_json(), "traceparent": current_traceparent()}


def unpublished(session: Session, limit: int) -> list[OutboxMessage]:
    query = (select(OutboxMessage).where(OutboxMessage.published_at == None)  # noqa: E711
             .order_by(OutboxMessage.position).limit(limit))
    return list(session.exec(query))


def unpublished_lag(session: Session) -> tuple[int, float]:
    """How many rows wait to be published, and the oldest one's age in seconds (0 if none)."""
    count, oldest = session.exec(
        select(func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.published_at == None)).one()  # noqa: E711
    if oldest is None:
        return 0, 0.0
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)  # SQLite keeps no zone
    return count, max(0.0, (utc_now() - oldest).total_seconds())
