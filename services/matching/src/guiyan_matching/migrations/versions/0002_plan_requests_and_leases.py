"""Plan requests kept in the database, and each city's planning under its lease's term; the
outbox keeps each event's trace context.

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
    op.create_table(
        "matching_city_planning",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=True),
        sa.Column("revision", sa.BigInteger(), nullable=True),
        sa.Column("solving_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "matching_plan_requests",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("trigger_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_matching_plan_requests_tenant_id", "matching_plan_requests", ["tenant_id"])
    add_traceparent()


def downgrade() -> None:
    drop_traceparent()
    op.drop_index("ix_matching_plan_requests_tenant_id", "matching_plan_requests")
    op.drop_table("matching_plan_requests")
    op.drop_table("matching_city_planning")
