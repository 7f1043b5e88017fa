"""A widget's colour; the outbox keeps each event's trace context, as in every service.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from guiyan_eventing.migrations.outbox_trace_context import add_traceparent, drop_traceparent

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("test_widgets") as batch_op:
        batch_op.add_column(sa.Column("colour", sa.String(length=16), nullable=True))
    add_traceparent()


def downgrade() -> None:
    drop_traceparent()
    with op.batch_alter_table("test_widgets") as batch_op:
        batch_op.drop_column("colour")
