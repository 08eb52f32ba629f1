"""case-by-case surveys, and the per-account "survey by DM" setting

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _text("respondent_id", 32, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        _text("source_channel_id", 32),
        _text("source_ts", 32),
        _text("source_permalink", 500),
        sa.Column("delivery", sa.String(length=16), nullable=True),
        _text("channel_id", 32),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("send_at", nullable=False),
        _when("sent_at"),
        _when("reminded_at"),
        _when("expires_at"),
        _when("next_check_at"),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        _when("answered_at"),
        _text("answered_by", 32),
        _when("alerted_at"),
        _text("card_key", 64),
        _text("created_by", 32, nullable=False),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_channel_id", "source_ts", name="uq_survey_source"),
    )
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.create_index("ix_survey_account_answered", ["account_id", "answered_at"], unique=False)
        batch_op.create_index("ix_survey_respondent_sent", ["respondent_id", "sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_complaint_id"), ["complaint_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_next_check_at"), ["next_check_at"], unique=False)

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("survey_by_dm", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("survey_by_dm")

    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_next_check_at"))
        batch_op.drop_index(batch_op.f("ix_survey_complaint_id"))
        batch_op.drop_index("ix_survey_respondent_sent")
        batch_op.drop_index("ix_survey_account_answered")

    op.drop_table("survey")
