"""the tick horizon: a change counter every write moves, and when the last full tick found work next due

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    horizon = op.create_table(
        "tick_horizon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.BigInteger(), nullable=False),
        sa.Column("checked_changes", sa.BigInteger(), nullable=True),
        sa.Column("next_due_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("stored_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(horizon, [{"id": 1, "changes": 0}])


def downgrade() -> None:
    op.drop_table("tick_horizon")
