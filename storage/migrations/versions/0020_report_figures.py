"""service report figures: an account's open-survey answers over a period read by index

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_campaign_response", schema=None) as batch_op:
        batch_op.create_index("ix_campaign_response_account_answered", ["account_id", "answered_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_campaign_response", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_response_account_answered")
