"""supplier changes (供应商变更) and the accounts told of them; suppliers' subcontractors (分包)

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["other_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplier_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_change_supplier_id"), ["supplier_id"], unique=False)
    op.create_table(
        "supplier_change_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("next_remind_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("told_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("told_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["change_id"], ["supplier_change.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("change_id", "account_id"),
    )
    with op.batch_alter_table("supplier_change_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_change_notice_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supplier_change_notice_change_id"), ["change_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supplier_change_notice_next_remind_at"), ["next_remind_at"],
                              unique=False)
    op.create_table(
        "supplier_subcontractor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("subcontractor_id", sa.Integer(), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("audit_clause", sa.Boolean(), nullable=False),
        sa.Column("ip_clause", sa.Boolean(), nullable=False),
        sa.Column("security_clause", sa.Boolean(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["subcontractor_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supplier_id", "subcontractor_id"),
    )
    with op.batch_alter_table("supplier_subcontractor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_subcontractor_subcontractor_id"), ["subcontractor_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_supplier_subcontractor_supplier_id"), ["supplier_id"], unique=False)


def downgrade() -> None:
    op.drop_table("supplier_subcontractor")
    op.drop_table("supplier_change_notice")
    op.drop_table("supplier_change")
