"""disputes and their history, coordination between suppliers, third parties' sharing agreements and requests

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        _text("owner_id", 32),
        _when("level_started_at", nullable=False),
        _when("level_due_at"),
        _when("next_check_at"),
        sa.Column("resolution", sa.Text(), nullable=True),
        _text("resolved_by", 32, nullable=True),
        _when("resolved_at"),
        _text("created_by", 32),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("dispute", "next_check_at", "status", "supplier_id")

    op.create_table(
        "dispute_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dispute_id", "account_id", name="uq_dispute_party"),
    )
    _index("dispute_party", "account_id", "dispute_id")

    op.create_table(
        "dispute_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        _when("at", nullable=False),
        _text("actor_id", 32),
        _text("action", 16),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("dispute_event", "dispute_id")

    op.create_table(
        "coordination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        _text("channel_id", 32),
        sa.Column("ping_minutes", sa.Integer(), nullable=False),
        _text("created_by", 32),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "coordination_layer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coordination_id", sa.Integer(), nullable=False),
        _text("name", 40),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _text("updated_by", 32, nullable=True),
        _when("updated_at"),
        _when("ping_at"),
        _when("pinged_at"),
        _text("pinged_user", 32, nullable=True),
        sa.ForeignKeyConstraint(["coordination_id"], ["coordination.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coordination_id", "name", name="uq_coordination_layer_name"),
    )
    _index("coordination_layer", "coordination_id", "ping_at")

    op.create_table(
        "sharing_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("kinds", storage.types.JSONData, nullable=False),
        _text("channel_id", 32),
        sa.Column("window", sa.String(length=16), nullable=False),
        _text("schedule", 200, nullable=True),
        sa.Column("people", storage.types.JSONData, nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        _text("approved_by", 32),
        sa.Column("valid_until", sa.Date(), nullable=False),
        _text("created_by", 32),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("sharing_agreement", "account_id")

    op.create_table(
        "third_party_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        _when("due_at", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _text("owner_id", 32),
        _text("created_by", 32),
        _when("created_at", nullable=False),
        _when("done_at"),
        _text("done_by", 32, nullable=True),
        _when("remind_at"),
        _text("reminded", 16, nullable=True),
        _when("next_check_at"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("third_party_request", "account_id", "next_check_at", "status")


def downgrade() -> None:
    for table in ("third_party_request", "sharing_agreement", "coordination_layer", "coordination",
                  "dispute_event", "dispute_party", "dispute"):
        op.drop_table(table)
