"""risks (风险与控制): the register per account, adopted from the notes' catalog, our own, or raised by signals

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("catalog_key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("signal", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("cause_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("facts", storage.types.JSONData, nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("control", sa.Text(), nullable=True),
        sa.Column("owner_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("next_review_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_reminder_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("overdue_reminder_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_stage", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("next_check_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index("ix_risk_account_status_score", ["account_id", "status", "score"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_cause_key"), ["cause_key"], unique=True)
        batch_op.create_index(batch_op.f("ix_risk_next_check_at"), ["next_check_at"], unique=False)
        batch_op.create_index("ux_risk_account_catalog", ["account_id", "catalog_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index("ux_risk_account_catalog")
        batch_op.drop_index(batch_op.f("ix_risk_next_check_at"))
        batch_op.drop_index(batch_op.f("ix_risk_cause_key"))
        batch_op.drop_index("ix_risk_account_status_score")
    op.drop_table("risk")
