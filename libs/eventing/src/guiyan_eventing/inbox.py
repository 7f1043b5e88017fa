"""Idempotent consumers: an event id is claimed in the same transaction as its effects."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, select

from guiyan_contracts.envelope import utc_now


class ProcessedMessage(SQLModel, table=True):
    __tablename__ = "processed_messages"

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: str = Field(primary_key=True, max_length=36)
    processed_at: datetime = Field(default_factory=utc_now)


def claimed_among(session: Session, consumer: str, event_ids: list[str]) -> set[str]:
    """Which of `event_ids` this consumer has committed: one query for a whole batch.

    Two racing deliveries of one event may both find it unclaimed, but only one can commit the
    primary key; the other fails, is redelivered and then finds the claim."""
    query = (select(ProcessedMessage.event_id).where(ProcessedMessage.consumer == consumer)
             .where(col(ProcessedMessage.event_id).in_(event_ids)))
    return set(session.exec(query))
