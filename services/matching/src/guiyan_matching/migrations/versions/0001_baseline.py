"""matching's tables as they were when migrations began: what the service made at each start
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
    "matching_erased_people", metadata,
    sa.Column("digest", sa.String(length=64), nullable=False),
    sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("digest"),
)
sa.Table(
    "matching_history", metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("project_id", sa.String(length=64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(length=32), nullable=False),
    sa.Column("actor", sa.String(length=64), nullable=False),
    sa.Column("proposal_id", sa.String(length=64), nullable=True),
    sa.Column("park_id", sa.String(length=64), nullable=True),
    sa.Column("park_name", sa.String(), nullable=True),
    sa.Column("plan_id", sa.String(length=64), nullable=True),
    sa.Column("detail", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_matching_history_project_id", "project_id"),
)
sa.Table(
    "matching_leads", metadata,
    sa.Column("park_id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("fingerprint", sa.String(length=64), nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("gap_links", sa.Text(), nullable=False),
    sa.Column("leads_json", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("park_id"),
    sa.Index("ix_matching_leads_tenant_id", "tenant_id"),
)
sa.Table(
    "matching_parks", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("snapshot_json", sa.Text(), nullable=False),
    sa.Column("capacity_limits_json", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_matching_parks_tenant_id", "tenant_id"),
)
sa.Table(
    "matching_people", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("sector", sa.String(length=64), nullable=True),
    sa.Column("chain", sa.String(length=64), nullable=True),
    sa.Column("link", sa.String(length=64), nullable=True),
    sa.Column("facts_json", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("matching_people_by_link", "tenant_id", "chain", "link"),
)
sa.Table(
    "matching_plans", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("plan_json", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_matching_plans_finished_at", "finished_at"),
    sa.Index("ix_matching_plans_tenant_id", "tenant_id"),
)
sa.Table(
    "matching_projects", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("snapshot_json", sa.Text(), nullable=False),
    sa.Column("name", sa.String(), nullable=True),
    sa.Column("founder", sa.String(), nullable=True),
    sa.Column("sector", sa.String(length=64), nullable=True),
    sa.Column("chain", sa.String(length=64), nullable=True),
    sa.Column("county", sa.String(length=64), nullable=True),
    sa.Column("source", sa.String(length=100), nullable=True),
    sa.Column("investment_yuan", sa.Float(), nullable=True),
    sa.Column("jobs", sa.Integer(), nullable=True),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("unplaced_reason_zh", sa.String(), nullable=True),
    sa.Column("unplaced_reason_en", sa.String(), nullable=True),
    sa.Column("unplaced_reasons_json", sa.Text(), nullable=True),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_matching_projects_tenant_id", "tenant_id"),
    sa.Index("matching_projects_by_submission", "tenant_id", "submitted_at"),
)
sa.Table(
    "matching_proposals", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("tenant_id", sa.String(length=64), nullable=False),
    sa.Column("project_id", sa.String(length=64), nullable=False),
    sa.Column("project_name", sa.String(), nullable=False),
    sa.Column("park_id", sa.String(length=64), nullable=False),
    sa.Column("park_name", sa.String(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("chain_role", sa.String(length=16), nullable=False),
    sa.Column("score", sa.Float(), nullable=False),
    sa.Column("floor_m2", sa.Float(), nullable=False),
    sa.Column("land_mu", sa.Float(), nullable=False),
    sa.Column("slots", sa.Float(), nullable=False),
    sa.Column("subsidy_yuan", sa.Float(), nullable=False),
    sa.Column("subsidy_by_year_json", sa.Text(), nullable=True),
    sa.Column("explanation_zh", sa.Text(), nullable=False),
    sa.Column("explanation_en", sa.Text(), nullable=False),
    sa.Column("explanation_json", sa.Text(), nullable=True),
    sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decided_by", sa.String(), nullable=True),
    sa.Column("reject_reason", sa.String(), nullable=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("withdraw_reason", sa.Text(), nullable=True),
    sa.Column("plan_id", sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_matching_proposals_expires_at", "expires_at"),
    sa.Index("ix_matching_proposals_park_id", "park_id"),
    sa.Index("ix_matching_proposals_project_id", "project_id"),
    sa.Index("ix_matching_proposals_status", "status"),
    sa.Index("ix_matching_proposals_tenant_id", "tenant_id"),
    sa.Index("one_live_proposal_per_project", "project_id", unique=True,
             sqlite_where=sa.text("status IN ('offered', 'accepted')"),
             postgresql_where=sa.text("status IN ('offered', 'accepted')")),
)


def upgrade() -> None:
    metadata.create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    metadata.drop_all(op.get_bind(), checkfirst=False)
