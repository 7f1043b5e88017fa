"""Eventing's tables as every service's first revision makes them.

Frozen: these are the tables of that revision, not of the models now. A change to the outbox,
the inbox or the stored replies is a new revision in each service's migrations.
"""

from __future__ import annotations

import sqlalchemy as sa


def eventing_tables(metadata: sa.MetaData) -> None:
    sa.Table(
        "outbox", metadata,
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("event_id"),
        sa.Index("ix_outbox_published_at", "published_at"),
    )
    sa.Table(
        "processed_messages", metadata,
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    sa.Table(
        "idempotent_replies", metadata,
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("reply_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject", "tenant_id", "key"),
        sa.Index("ix_idempotent_replies_created_at", "created_at"),
    )
