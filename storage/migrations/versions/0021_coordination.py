"""outage coordination suppliers take part in (twin cards, notes, chases, closing with its complaints) and
multi-party meetings

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coordination", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chase_minutes", sa.Integer(), server_default="120", nullable=False))
        batch_op.add_column(sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column("root_cause", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cause_layer", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_coordination_closed_at"), ["closed_at"], unique=False)
    with op.batch_alter_table("coordination_layer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("twin_channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column("twin_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("chase_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("chases", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(batch_op.f("ix_coordination_layer_chase_at"), ["chase_at"], unique=False)
    op.create_table(
        "coordination_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layer_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["layer_id"], ["coordination_layer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coordination_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coordination_note_layer_id"), ["layer_id"], unique=False)
    op.create_table(
        "coordination_complaint",
        sa.Column("coordination_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.ForeignKeyConstraint(["coordination_id"], ["coordination.id"]),
        sa.PrimaryKeyConstraint("coordination_id", "complaint_id"),
    )
    op.create_table(
        "meeting_party",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("people", storage.types.JSONData, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "account_id"),
    )


def downgrade() -> None:
    op.drop_table("meeting_party")
    op.drop_table("coordination_complaint")
    op.drop_table("coordination_note")
    with op.batch_alter_table("coordination_layer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_layer_chase_at"))
        for column in ("chases", "chase_at", "twin_version", "twin_channel_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("coordination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_closed_at"))
        for column in ("cause_layer", "root_cause", "closed_by", "closed_at", "chase_minutes"):
            batch_op.drop_column(column)
