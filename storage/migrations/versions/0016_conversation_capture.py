"""conversation capture: messages in linked channels, their first-response clocks, the account's capture mode

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _short(name: str, length: int = 32, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capture_text", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "captured_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        _short("channel_id"),
        _short("ts"),
        _short("thread_ts", nullable=True),
        _short("root_ts"),
        sa.Column("broadcast", sa.Boolean(), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        _short("author_id", nullable=True),
        _short("permalink", length=500, nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        _moment("posted_at", nullable=False),
        _moment("created_at", nullable=False),
        _moment("edited_at"),
        _moment("deleted_at"),
        sa.Column("target_minutes", sa.Integer(), nullable=True),
        _moment("warn_at"),
        _moment("due_at"),
        _moment("warned_at"),
        _moment("breached_at"),
        _moment("answered_at"),
        _short("answered_by", nullable=True),
        _moment("next_check_at"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id", "ts", name="uq_captured_message_source"),
    )
    with op.batch_alter_table("captured_message", schema=None) as batch_op:
        batch_op.create_index("ix_captured_message_account_posted", ["account_id", "posted_at"], unique=False)
        batch_op.create_index("ix_captured_message_waiting", ["channel_id", "root_ts", "answered_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_captured_message_next_check_at"), ["next_check_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("captured_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_captured_message_next_check_at"))
        batch_op.drop_index("ix_captured_message_waiting")
        batch_op.drop_index("ix_captured_message_account_posted")

    op.drop_table("captured_message")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("capture_text")
