"""meetings, service agreements, report deadlines and action items; customer-facing meeting reminders per account

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _id(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_reminders_shared", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    op.create_table(
        "meeting",
        _id("id"),
        _id("account_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _text("title", 200, nullable=False),
        _text("rule", 100),
        _text("created_by", 32, nullable=False),
        _when("created_at", nullable=False),
        _when("cancelled_at"),
        _when("roll_at"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_roll_at"), ["roll_at"], unique=False)

    op.create_table(
        "meeting_attendee",
        _id("meeting_id"),
        _text("user_id", 32, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "user_id"),
    )
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_attendee_user_id"), ["user_id"], unique=False)

    op.create_table(
        "meeting_occurrence",
        _id("id"),
        _id("meeting_id"),
        _id("account_id"),
        _when("starts_at", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        _when("day_reminder_at"),
        _when("hour_reminder_at"),
        sa.Column("reminded_stage", sa.String(length=8), nullable=True),
        _when("next_check_at"),
        sa.Column("notes", sa.Text(), nullable=True),
        _when("done_at"),
        _text("done_by", 32),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "starts_at", name="uq_meeting_occurrence_start"),
    )
    with op.batch_alter_table("meeting_occurrence", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_occurrence_account_start", ["account_id", "starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_occurrence_next_check_at"), ["next_check_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_occurrence_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "meeting_snooze",
        _id("id"),
        _id("occurrence_id"),
        _text("user_id", 32, nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        _when("remind_at"),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["occurrence_id"], ["meeting_occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("occurrence_id", "user_id", "stage", "generation", name="uq_meeting_snooze"),
    )
    with op.batch_alter_table("meeting_snooze", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_snooze_remind_at"), ["remind_at"], unique=False)

    op.create_table(
        "service_agreement",
        _id("id"),
        _id("account_id"),
        _text("cycle", 16, nullable=False),
        sa.Column("report_day", sa.Integer(), nullable=False),
        sa.Column("review_day", sa.Integer(), nullable=False),
        _text("review_time", 5, nullable=False),
        _id("review_meeting_id", nullable=True),
        _when("report_roll_at"),
        _when("created_at", nullable=False),
        _text("updated_by", 32, nullable=False),
        _when("updated_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["review_meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_agreement_account_id"), ["account_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_service_agreement_report_roll_at"), ["report_roll_at"], unique=False)

    op.create_table(
        "report_deadline",
        _id("id"),
        _id("account_id"),
        _text("cycle", 16, nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        _when("due_at", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("before_reminder_at"),
        _when("due_reminder_at"),
        _text("reminded_stage", 8),
        _when("next_check_at"),
        _when("submitted_at"),
        _text("submitted_by", 32),
        _when("created_at", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "cycle", "period_start", name="uq_report_deadline_period"),
    )
    with op.batch_alter_table("report_deadline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_deadline_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_deadline_next_check_at"), ["next_check_at"], unique=False)
        batch_op.create_index("ix_report_deadline_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "action_item",
        _id("id"),
        _id("account_id"),
        _id("occurrence_id", nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        _text("owner_id", 32, nullable=False),
        _when("due_at", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _text("created_by", 32, nullable=False),
        _when("created_at", nullable=False),
        _when("done_at"),
        _text("done_by", 32),
        _when("due_reminder_at"),
        _when("overdue_reminder_at"),
        _text("reminded_stage", 8),
        _when("next_check_at"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["occurrence_id"], ["meeting_occurrence.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index("ix_action_item_account_status", ["account_id", "status", "due_at"], unique=False)
        batch_op.create_index("ix_action_item_owner_status", ["owner_id", "status", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_next_check_at"), ["next_check_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_occurrence_id"), ["occurrence_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("action_item", ("ix_action_item_occurrence_id", "ix_action_item_next_check_at", "ix_action_item_owner_status",
                         "ix_action_item_account_status")),
        ("report_deadline", ("ix_report_deadline_status_due", "ix_report_deadline_next_check_at",
                             "ix_report_deadline_account_id")),
        ("service_agreement", ("ix_service_agreement_report_roll_at", "ix_service_agreement_account_id")),
        ("meeting_snooze", ("ix_meeting_snooze_remind_at",)),
        ("meeting_occurrence", ("ix_meeting_occurrence_starts_at", "ix_meeting_occurrence_next_check_at",
                                "ix_meeting_occurrence_account_start")),
        ("meeting_attendee", ("ix_meeting_attendee_user_id",)),
        ("meeting", ("ix_meeting_roll_at", "ix_meeting_account_id")),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("meeting_reminders_shared")
