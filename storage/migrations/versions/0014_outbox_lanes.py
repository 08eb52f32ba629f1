"""outbox lanes: messages to one channel (a person's DMs, one message's edits) are claimed one at a time, in order

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lane", sa.String(length=240), nullable=True))
        batch_op.add_column(sa.Column("lane_position", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_outbox_lane", ["lane", "status", "lane_position"], unique=False)
    # Rows queued before lanes existed keep no lane: nothing waits behind them.


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_lane")
        batch_op.drop_column("lane_position")
        batch_op.drop_column("lane")
