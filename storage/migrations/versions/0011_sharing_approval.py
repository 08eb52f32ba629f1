"""sharing approval: an information-sharing agreement counts once the manager named in it approves it

Agreements recorded before this revision were taken as approved when recorded; they stay approved.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sharing_agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="approved"))
        batch_op.add_column(sa.Column("decided_at", storage.types.UTCDateTime(timezone=True), nullable=True))
    # The model always sets the status; the default only filled in the rows already there.
    with op.batch_alter_table("sharing_agreement", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("sharing_agreement", schema=None) as batch_op:
        batch_op.drop_column("decided_at")
        batch_op.drop_column("status")
