"""notification's tables: who can be reached, the inbox, the delivery log, and which person each
follow-up task is about (so that an erasure finds the items that speak of them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Recipient(SQLModel, table=True):
    __tablename__ = "notification_recipients"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    name: str
    email: str | None = None
    locale: str = "zh"


class InboxRow(SQLModel, table=True):
    __tablename__ = "notification_inbox"
    __table_args__ = (UniqueConstraint("user_id", "source_event_id"),)

    id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(index=True, max_length=64)
    user_id: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=32)
    title_zh: str
    title_en: str
    body_zh: str = Field(sa_column=Column(Text, nullable=False))
    body_en: str = Field(sa_column=Column(Text, nullable=False))
    proposal_id: str | None = Field(default=None, max_length=64)
    task_id: str | None = Field(default=None, index=True, max_length=64)
    source_event_id: str = Field(max_length=36)
    created_at: datetime = Field(index=True)


class Delivery(SQLModel, table=True):
    """One attempt series to reach one person on one channel: the delivery log."""

    __tablename__ = "notification_deliveries"

    id: int | None = Field(default=None, primary_key=True)
    inbox_item_id: str = Field(index=True, max_length=36)
    channel: str = Field(max_length=16)
    status: str = Field(index=True, max_length=16)  # pending | sent | failed | skipped (no address)
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str | None = None
    sent_at: datetime | None = None


class ErasedPerson(SQLModel, table=True):
    """That someone was erased (`erasure_digest`), and nothing of who."""

    __tablename__ = "notification_erased_people"

    digest: str = Field(primary_key=True, max_length=64)
    erased_at: datetime


class TaskSubject(SQLModel, table=True):
    """The person a follow-up task is about. Items name the task only; this is how an erasure of
    the person finds them, and it goes with them."""

    __tablename__ = "notification_task_people"

    task_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    person_id: str = Field(index=True, max_length=64)


TABLES: list[type[SQLModel]] = [Recipient, InboxRow, Delivery, TaskSubject, ErasedPerson]
