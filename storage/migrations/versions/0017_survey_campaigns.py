"""open survey campaigns (公开调查): campaigns, their recipients, and responses (anonymous ones by keyed hash only)

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "survey_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("title", 150, nullable=False),
        sa.Column("questions", storage.types.JSONData, nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("by_dm", sa.Boolean(), nullable=False),
        sa.Column("audience", storage.types.JSONData, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("opens_at", nullable=False),
        _when("remind_at"),
        _when("closes_at", nullable=False),
        _when("opened_at"),
        _when("reminded_at"),
        _when("closed_at"),
        _when("next_check_at"),
        _text("respondent_salt", 64),
        _text("created_by", 32, nullable=False),
        _when("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("survey_campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_campaign_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_campaign_next_check_at"), ["next_check_at"], unique=False)
    op.create_table(
        "survey_campaign_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _text("user_id", 32, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["campaign_id"], ["survey_campaign.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "user_id", name="uq_campaign_recipient"),
    )
    with op.batch_alter_table("survey_campaign_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_campaign_recipient_campaign_id"), ["campaign_id"], unique=False)
    op.create_table(
        "survey_campaign_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _text("respondent_id", 32),
        _text("respondent_key", 64),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("answers", storage.types.JSONData, nullable=False),
        _when("answered_at", nullable=False),
        _text("recorded_by", 32),
        sa.Column("alerted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["campaign_id"], ["survey_campaign.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "respondent_key", name="uq_campaign_response_key"),
    )
    with op.batch_alter_table("survey_campaign_response", schema=None) as batch_op:
        batch_op.create_index("ix_campaign_response_campaign", ["campaign_id", "account_id"], unique=False)


def downgrade() -> None:
    op.drop_table("survey_campaign_response")
    op.drop_table("survey_campaign_recipient")
    op.drop_table("survey_campaign")
