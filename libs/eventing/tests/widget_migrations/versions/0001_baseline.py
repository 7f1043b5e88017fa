"""A stand-in service's first revision: eventing's tables and its widgets.

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
    "test_widgets", metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=64), nullable=False),
    sa.Column("note_json", sa.Text(), nullable=True),
    sa.Column("serial", sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("serial"),
    sa.Index("test_widgets_by_note", "note_json"),
)


def upgrade() -> None:
    metadata.create_all(op.get_bind(), checkfirst=False)


def downgrade() -> None:
    metadata.drop_all(op.get_bind(), checkfirst=False)
