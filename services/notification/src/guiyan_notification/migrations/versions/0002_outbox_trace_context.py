"""The outbox keeps each event's trace context.

Revision ID: 0002
Revises: 0001
"""

from guiyan_eventing.migrations.outbox_trace_context import add_traceparent, drop_traceparent

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_traceparent()


def downgrade() -> None:
    drop_traceparent()
