"""complaints, with per-account complaint settings

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _text("owner_id", 32),
        _text("complainant_id", 32),
        _text("source_channel_id", 32),
        _text("source_ts", 32),
        _text("permalink", 500),
        _text("created_by", 32, nullable=False),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        _when("acknowledged_at"),
        _text("acknowledged_by", 32),
        _when("resolved_at"),
        _text("resolved_by", 32),
        sa.Column("resolution", sa.Text(), nullable=True),
        _when("closed_at"),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _when("clock_started_at", nullable=False),
        _when("ack_warn_at"),
        _when("ack_due_at"),
        _when("ack_warned_at"),
        _when("ack_breached_at"),
        _when("resolve_warn_at"),
        _when("resolve_due_at"),
        _when("resolve_warned_at"),
        _when("resolve_breached_at"),
        _when("next_check_at"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_channel_id", "source_ts", name="uq_complaint_source"),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_account_created", ["account_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_next_check_at"), ["next_check_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_status"), ["status"], unique=False)

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_ack", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("sla_overrides", storage.types.JSONData, nullable=True))
        batch_op.add_column(_text("calendar_country", 8))
        batch_op.add_column(_text("calendar_timezone", 64))
        batch_op.add_column(_text("business_hours", 16))
        batch_op.add_column(_when("complaints_flagged_at"))


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        for name in ("complaints_flagged_at", "business_hours", "calendar_timezone", "calendar_country",
                     "sla_overrides", "customer_ack"):
            batch_op.drop_column(name)

    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_status")
        batch_op.drop_index("ix_complaint_owner_id")
        batch_op.drop_index("ix_complaint_next_check_at")
        batch_op.drop_index("ix_complaint_account_created")
    op.drop_table("complaint")
