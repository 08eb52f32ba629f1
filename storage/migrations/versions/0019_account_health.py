"""account health (健康度): the band each customer account was last seen in, so a fall into the red is told once

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "health_band",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("noted_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fell_into_red_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("account_id"),
    )
    with op.batch_alter_table("health_band", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_health_band_fell_into_red_at"), ["fell_into_red_at"], unique=False)


def downgrade() -> None:
    op.drop_table("health_band")
