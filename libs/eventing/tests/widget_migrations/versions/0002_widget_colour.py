"""A widget's colour.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("test_widgets") as batch_op:
        batch_op.add_column(sa.Column("colour", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("test_widgets") as batch_op:
        batch_op.drop_column("colour")
