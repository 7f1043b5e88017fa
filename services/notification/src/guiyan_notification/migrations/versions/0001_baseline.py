"""notification's tables as they were when migrations began: what the service made at each start
before then, eventing's tables with its own.

`metadata` is also what a database made before migrations is brought to before it is stamped
with this revision (`guiyan_eventing.migrations.adoption`), so it is kept as it is: a change is
a new revision.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from guiyan_eventing.migrations.baseline import eventing_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = sa.MetaData()
eventing_tables(metadata)
sa.Table(
    "notification_attempts", metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("delivery_id", sa.String(length=36), nullable=False),
    sa.Column("channel_id", sa.String(length=64), nullable=True),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("outcome", sa.String(length=16), nullable=True),
    sa.Column("response_code", sa.String(length=40), nullable=True),
    sa.Column("error", sa.String(length=1000), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_attempt_channel_time", "channel_id", "started_at"),
    sa.Index("ix_notification_attempts_delivery_id", "delivery_id"),
)
sa.Table(
    "notification_channels", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("park_id", sa.String(length=64), nullable=True),
    sa.Column("user_id", sa.String(length=64), nullable=True),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("secret", sa.String(), nullable=True),
    sa.Column("keyword", sa.String(), nullable=True),
    sa.Column("kinds", sa.JSON(), nullable=True),
    sa.Column("locale", sa.String(), nullable=False),
    sa.Column("enabled", sa.Boolean(), nullable=False),
    sa.Column("consecutive_failures", sa.Integer(), nullable=False),
    sa.Column("alerted", sa.Boolean(), nullable=False),
    sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_notification_channels_park_id", "park_id"),
    sa.Index("ix_notification_channels_tenant_id", "tenant_id"),
    sa.Index("ix_notification_channels_user_id", "user_id"),
)
sa.Table(
    "notification_delivered_notices", metadata,
    sa.Column("delivery_id", sa.String(length=36), nullable=False),
    sa.Column("notice_id", sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint("delivery_id", "notice_id"),
    sa.Index("ix_notification_delivered_notices_notice_id", "notice_id"),
)
sa.Table(
    "notification_deliveries", metadata,
    sa.Column("id", sa.String(length=36), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("medium", sa.String(length=16), nullable=False),
    sa.Column("channel_id", sa.String(length=64), nullable=True),
    sa.Column("channel_name", sa.String(), nullable=True),
    sa.Column("recipient", sa.String(length=64), nullable=False),
    sa.Column("locale", sa.String(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("digest_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("resent_after", sa.Integer(), nullable=True),
    sa.Column("outcome_unknown", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_delivery_due", "status", "next_attempt_at"),
    sa.Index("ix_notification_deliveries_channel_id", "channel_id"),
    sa.Index("ix_notification_deliveries_status", "status"),
    sa.Index("ix_notification_deliveries_tenant_id", "tenant_id"),
)
sa.Table(
    "notification_erased_people", metadata,
    sa.Column("digest", sa.String(length=64), nullable=False),
    sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("digest"),
)
sa.Table(
    "notification_notices", metadata,
    sa.Column("id", sa.String(length=36), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("audience", sa.String(length=80), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=True),
    sa.Column("kind", sa.String(length=32), nullable=False),
    sa.Column("title_zh", sa.String(), nullable=False),
    sa.Column("title_en", sa.String(), nullable=False),
    sa.Column("body_zh", sa.Text(), nullable=False),
    sa.Column("body_en", sa.Text(), nullable=False),
    sa.Column("facts", sa.JSON(), nullable=False),
    sa.Column("link", sa.String(), nullable=True),
    sa.Column("proposal_id", sa.String(length=64), nullable=True),
    sa.Column("project_id", sa.String(length=64), nullable=True),
    sa.Column("park_id", sa.String(length=64), nullable=True),
    sa.Column("task_id", sa.String(length=64), nullable=True),
    sa.Column("in_inbox", sa.Boolean(), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("source_event_id", sa.String(length=36), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("audience", "source_event_id"),
    sa.Index("ix_notice_inbox", "user_id", "in_inbox", "read_at"),
    sa.Index("ix_notification_notices_created_at", "created_at"),
    sa.Index("ix_notification_notices_park_id", "park_id"),
    sa.Index("ix_notification_notices_task_id", "task_id"),
    sa.Index("ix_notification_notices_tenant_id", "tenant_id"),
)
sa.Table(
    "notification_preferences", metadata,
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=32), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("media", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("user_id", "kind"),
    sa.Index("ix_notification_preferences_tenant_id", "tenant_id"),
)
sa.Table(
    "notification_recipients", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("role", sa.String(length=32), nullable=True),
    sa.Column("email", sa.String(), nullable=True),
    sa.Column("locale", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_notification_recipients_tenant_id", "tenant_id"),
)
sa.Table(
    "notification_task_people", metadata,
    sa.Column("task_id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("person_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("task_id"),
    sa.Index("ix_notification_task_people_person_id", "person_id"),
    sa.Index("ix_notification_task_people_tenant_id", "tenant_id"),
)


def upgrade() -> None:
    metadata.create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    metadata.drop_all(op.get_bind(), checkfirst=False)
