"""contacts

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence
from datetime import UTC, timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_CADENCE_DAYS = 14  # the defaults of bot.accounts.registry.contact_cadence when this migration was written
STANDARD_CADENCE_DAYS = 30


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_cadence_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_contact_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("contact_due_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_account_contact_due_at"), ["contact_due_at"], unique=False)

    op.create_table(
        "touchpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("logged_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("customer_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("source_channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("source_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("permalink", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("occurred_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_channel_id", "source_ts", name="uq_touchpoint_source"),
    )
    with op.batch_alter_table("touchpoint", schema=None) as batch_op:
        batch_op.create_index("ix_touchpoint_account_occurred", ["account_id", "occurred_at"], unique=False)

    _start_contact_clocks()


def _start_contact_clocks() -> None:
    """Existing accounts have had no logged contact: their clock starts when they were created."""
    account = sa.table(
        "account",
        sa.column("id", sa.Integer()),
        sa.column("tier", sa.String()),
        sa.column("created_at", storage.types.UTCDateTime()),
        sa.column("contact_due_at", storage.types.UTCDateTime()),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(account.c.id, account.c.tier, account.c.created_at)).all():
        days = KEY_CADENCE_DAYS if row.tier == "key" else STANDARD_CADENCE_DAYS
        due = row.created_at.astimezone(UTC) + timedelta(days=days)
        connection.execute(account.update().where(account.c.id == row.id).values(contact_due_at=due))


def downgrade() -> None:
    with op.batch_alter_table("touchpoint", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoint_account_occurred")

    op.drop_table("touchpoint")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_contact_due_at"))
        batch_op.drop_column("contact_due_at")
        batch_op.drop_column("last_contact_at")
        batch_op.drop_column("contact_cadence_days")
