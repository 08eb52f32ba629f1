"""complaint source thread: the customer's line goes in the thread of the message, even for a reply

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_thread_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_column("source_thread_ts")
