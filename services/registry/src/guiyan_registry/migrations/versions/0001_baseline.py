"""registry's tables as they were when migrations began: what the service made at each start
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
    "registry_contacts", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("person_id", sa.String(length=64), nullable=False),
    sa.Column("contacted_on", sa.Date(), nullable=False),
    sa.Column("recorded_by", sa.String(length=64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_contacts_person_id", "person_id"),
)
sa.Table(
    "registry_exports", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("exported_by", sa.String(length=64), nullable=False),
    sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("what", sa.String(length=64), nullable=False),
    sa.Column("rows", sa.Integer(), nullable=False),
    sa.Column("filters_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_exports_exported_at", "exported_at"),
    sa.Index("ix_registry_exports_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_parks", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_parks_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_people", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("enterprise", sa.String(length=100), nullable=True),
    sa.Column("current_city", sa.String(length=64), nullable=False),
    sa.Column("current_province", sa.String(length=32), nullable=False),
    sa.Column("hometown_county", sa.String(length=64), nullable=False),
    sa.Column("sector", sa.String(length=64), nullable=True),
    sa.Column("chain", sa.String(length=64), nullable=True),
    sa.Column("link", sa.String(length=64), nullable=True),
    sa.Column("station_id", sa.String(length=64), nullable=True),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("contact_consent", sa.Boolean(), nullable=False),
    sa.Column("archive_ref", sa.String(length=64), nullable=True),
    sa.Column("last_contact_on", sa.Date(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("project_ids_json", sa.String(), nullable=False),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_people_last_contact_on", "last_contact_on"),
    sa.Index("ix_registry_people_name", "name"),
    sa.Index("ix_registry_people_station_id", "station_id"),
    sa.Index("ix_registry_people_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_personal_data_reads", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("read_by", sa.String(length=64), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("what", sa.String(length=64), nullable=False),
    sa.Column("rows", sa.Integer(), nullable=False),
    sa.Column("filters_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_personal_data_reads_read_at", "read_at"),
    sa.Index("ix_registry_personal_data_reads_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_projects", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("submitted_by", sa.String(length=64), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("withdrawn_reason", sa.String(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_projects_submitted_at", "submitted_at"),
    sa.Index("ix_registry_projects_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_staged_rows", metadata,
    sa.Column("import_id", sa.String(length=64), nullable=False),
    sa.Column("row", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("import_id", "row"),
    sa.Index("ix_registry_staged_rows_staged_at", "staged_at"),
)
sa.Table(
    "registry_stations", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("level", sa.String(length=16), nullable=False),
    sa.Column("host_city", sa.String(length=64), nullable=False),
    sa.Column("host_province", sa.String(length=32), nullable=False),
    sa.Column("head_name", sa.String(length=100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("tenant_id", "name"),
    sa.Index("ix_registry_stations_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_tasks", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("person_id", sa.String(length=64), nullable=False),
    sa.Column("assignee_id", sa.String(length=64), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("due_on", sa.Date(), nullable=False),
    sa.Column("created_by", sa.String(length=64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("contact_id", sa.String(length=64), nullable=True),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_registry_tasks_assignee_id", "assignee_id"),
    sa.Index("ix_registry_tasks_person_id", "person_id"),
    sa.Index("ix_registry_tasks_tenant_id", "tenant_id"),
)
sa.Table(
    "registry_users", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("fields_json", sa.String(), nullable=False),
    sa.Column("username", sa.String(length=64), nullable=True),
    sa.Column("username_key", sa.String(length=64), nullable=True),
    sa.Column("password_hash", sa.String(length=500), nullable=True),
    sa.Column("disabled", sa.Boolean(), nullable=True),
    sa.Column("session_epoch", sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("username_key"),
    sa.Index("ix_registry_users_tenant_id", "tenant_id"),
)


def upgrade() -> None:
    metadata.create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    metadata.drop_all(op.get_bind(), checkfirst=False)
