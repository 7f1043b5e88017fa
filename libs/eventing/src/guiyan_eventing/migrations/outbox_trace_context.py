"""Eventing's second change, the same in every service's migrations: the outbox keeps the trace
context (`traceparent`) of the transaction that wrote each event, for the relay to send on."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def add_traceparent() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("traceparent", sa.String(length=55), nullable=True))


def drop_traceparent() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("traceparent")
