"""service reports (服务报告): drafts and submitted reports per deadline, named section choices, when to draft

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("key_issues", sa.Text(), server_default="", nullable=False),
        sa.Column("shared_sections", storage.types.JSONData, nullable=True),
        sa.Column("posted_to_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("files", storage.types.JSONData, nullable=False),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("submitted_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["deadline_id"], ["report_deadline.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id"),
    )
    with op.batch_alter_table("service_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_report_account_id"), ["account_id"], unique=False)
    op.create_table(
        "report_preset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("sections", storage.types.JSONData, nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "name", name="uq_report_preset_name"),
    )
    with op.batch_alter_table("report_preset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_preset_account_id"), ["account_id"], unique=False)
    with op.batch_alter_table("report_deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_report_deadline_draft_at"), ["draft_at"], unique=False)
    _draft_pending_reports()


def _draft_pending_reports() -> None:
    """Reports still owed are drafted too: on the morning after their period (01:00 UTC; new deadlines use the
    account's calendar), or at the next tick when that has passed and the report is not yet due."""
    deadline = sa.table(
        "report_deadline",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("period_end", sa.Date()),
        sa.column("draft_at", storage.types.UTCDateTime()),
    )
    connection = op.get_bind()
    pending = sa.select(deadline.c.id, deadline.c.period_end).where(deadline.c.status == "pending")
    for row in connection.execute(pending).all():
        end = row.period_end if isinstance(row.period_end, date) else date.fromisoformat(str(row.period_end))
        connection.execute(deadline.update().where(deadline.c.id == row.id).values(
            draft_at=datetime.combine(end, time(1, 0), tzinfo=UTC)))


def downgrade() -> None:
    with op.batch_alter_table("report_deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_deadline_draft_at"))
        batch_op.drop_column("draft_at")
    op.drop_table("report_preset")
    op.drop_table("service_report")
