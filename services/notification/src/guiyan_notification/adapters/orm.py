"""notification's tables: who can be reached, what each was told, the channels that reach them,
their preferences, the delivery log, and which person each follow-up task is about (so that an
erasure finds the notices that speak of them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Recipient(SQLModel, table=True):
    __tablename__ = "notification_recipients"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    name: str
    role: str | None = Field(default=None, max_length=32)  # admins hear of failing channels
    email: str | None = None
    locale: str = "zh"


class Notice(SQLModel, table=True):
    """What one event tells one audience: a user (their inbox item) or a park's group chat. The
    text is kept in both languages; a channel sends the one its reader reads."""

    __tablename__ = "notification_notices"
    __table_args__ = (UniqueConstraint("audience", "source_event_id"),
                      Index("ix_notice_inbox", "user_id", "in_inbox", "read_at"))

    id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(index=True, max_length=64)
    audience: str = Field(max_length=80)  # `user:<id>` or `park:<id>`: one notice each per event
    user_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=32)
    title_zh: str
    title_en: str
    body_zh: str = Field(sa_column=Column(Text, nullable=False))
    body_en: str = Field(sa_column=Column(Text, nullable=False))
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    link: str | None = None
    proposal_id: str | None = Field(default=None, max_length=64)
    project_id: str | None = Field(default=None, max_length=64)
    park_id: str | None = Field(default=None, index=True, max_length=64)
    task_id: str | None = Field(default=None, index=True, max_length=64)
    in_inbox: bool = True  # False: the user chose other media for its kind, or a park's notice
    read_at: datetime | None = None
    source_event_id: str = Field(max_length=36)
    created_at: datetime = Field(index=True)


class Channel(SQLModel, table=True):
    """A robot or webhook of one park's group chat or of one user."""

    __tablename__ = "notification_channels"

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=16)
    name: str
    park_id: str | None = Field(default=None, index=True, max_length=64)
    user_id: str | None = Field(default=None, index=True, max_length=64)
    url: str = Field(sa_column=Column(Text, nullable=False))
    secret: str | None = None  # write-only: no answer or log carries it
    keyword: str | None = None
    kinds: list[str] | None = Field(default=None, sa_column=Column(JSON))
    locale: str = "zh"
    enabled: bool = True
    consecutive_failures: int = 0
    alerted: bool = False  # its admins were told of its current run of failures
    last_sent_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class Preference(SQLModel, table=True):
    """The media a user chose for one kind of notice; a kind with no row goes everywhere."""

    __tablename__ = "notification_preferences"

    user_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(primary_key=True, max_length=32)
    tenant_id: str = Field(index=True, max_length=64)
    media: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Delivery(SQLModel, table=True):
    """One message on one medium to one recipient: the unit that is sent, retried and logged.
    A digest carries several notices (`DeliveredNotice`)."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: str = Field(primary_key=True, max_length=36)  # also the receiver's Idempotency-Key
    tenant_id: str = Field(index=True, max_length=64)
    medium: str = Field(max_length=16)
    channel_id: str | None = Field(default=None, index=True, max_length=64)
    channel_name: str | None = None  # kept for the log after the channel is deleted
    recipient: str = Field(max_length=64)  # the user's or the park's id
    locale: str = "zh"
    status: str = Field(index=True, max_length=16)
    digest_until: datetime | None = None  # notices of its kind join it until then
    attempts: int = 0  # numbers every attempt, across resends
    resent_after: int | None = None  # attempts before its last resend: the limit counts anew
    outcome_unknown: bool = False
    created_at: datetime
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None


class DeliveredNotice(SQLModel, table=True):
    __tablename__ = "notification_delivered_notices"

    delivery_id: str = Field(primary_key=True, max_length=36)
    notice_id: str = Field(primary_key=True, index=True, max_length=36)


class Attempt(SQLModel, table=True):
    """One try of a delivery, written before the send and completed after it: a row left
    unfinished by a crash is how a restart knows the outcome is unknown."""

    __tablename__ = "notification_attempts"
    __table_args__ = (Index("ix_attempt_channel_time", "channel_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: str = Field(index=True, max_length=36)
    channel_id: str | None = Field(default=None, max_length=64)  # for the rate limit
    number: int
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=16)
    response_code: str | None = Field(default=None, max_length=40)
    error: str | None = Field(default=None, max_length=1000)


class ErasedPerson(SQLModel, table=True):
    """That someone was erased (`erasure_digest`), and nothing of who."""

    __tablename__ = "notification_erased_people"

    digest: str = Field(primary_key=True, max_length=64)
    erased_at: datetime


class TaskSubject(SQLModel, table=True):
    """The person a follow-up task is about. Notices name the task only; this is how an erasure
    of the person finds them, and it goes with them."""

    __tablename__ = "notification_task_people"

    task_id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(index=True, max_length=64)
    person_id: str = Field(index=True, max_length=64)


TABLES: list[type[SQLModel]] = [Recipient, Notice, Channel, Preference, Delivery,
                                DeliveredNotice, Attempt, TaskSubject, ErasedPerson]
