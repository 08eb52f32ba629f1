"""suppliers: evaluations, audits and their schedule, support contracts

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "supplier_profile",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("audit_every_months", sa.Integer(), nullable=False),
        _when("next_audit_due_at", nullable=False),
        _when("audit_remind_at"),
        sa.Column("latest_total", sa.Float(), nullable=True),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    with op.batch_alter_table("supplier_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_profile_next_audit_due_at"), ["next_audit_due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_supplier_profile_audit_remind_at"), ["audit_remind_at"], unique=False)

    op.create_table(
        "supplier_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("scores", storage.types.JSONData, nullable=False),
        sa.Column("notes", storage.types.JSONData, nullable=True),
        sa.Column("weights", storage.types.JSONData, nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        _text("evaluated_by", 32),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplier_evaluation", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_evaluation_account_created", ["account_id", "created_at"], unique=False)

    op.create_table(
        "supplier_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("scores", storage.types.JSONData, nullable=False),
        sa.Column("notes", storage.types.JSONData, nullable=True),
        sa.Column("average", sa.Float(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        _text("auditor_id", 32),
        _text("created_by", 32),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplier_audit", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_audit_account_created", ["account_id", "created_at"], unique=False)

    op.create_table(
        "support_contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("availability", sa.Float(), nullable=False),
        sa.Column("customer_availability", sa.Float(), nullable=True),
        _text("service_hours", 32),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("subcontracting_allowed", sa.Boolean(), nullable=False),
        sa.Column("ip_clause", sa.Boolean(), nullable=False),
        sa.Column("security_clause", sa.Boolean(), nullable=False),
        _when("next_alert_at"),
        _text("created_by", 32),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("support_contract", schema=None) as batch_op:
        batch_op.create_index("ix_support_contract_customer_severity", ["customer_id", "severity"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_contract_supplier_id"), ["supplier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_contract_next_alert_at"), ["next_alert_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("support_contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_contract_next_alert_at"))
        batch_op.drop_index(batch_op.f("ix_support_contract_supplier_id"))
        batch_op.drop_index("ix_support_contract_customer_severity")
    op.drop_table("support_contract")

    with op.batch_alter_table("supplier_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_audit_account_created")
    op.drop_table("supplier_audit")

    with op.batch_alter_table("supplier_evaluation", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_evaluation_account_created")
    op.drop_table("supplier_evaluation")

    with op.batch_alter_table("supplier_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_profile_audit_remind_at"))
        batch_op.drop_index(batch_op.f("ix_supplier_profile_next_audit_due_at"))
    op.drop_table("supplier_profile")
