"""disputes with any party: dispute clauses on contracts and agreements, the ladder a dispute follows, mediators

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("support_contract", "service_agreement"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("dispute_clause", storage.types.JSONData, nullable=True))
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ladder", storage.types.JSONData, nullable=True))
        batch_op.add_column(sa.Column("clause_contract_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("clause_agreement_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_dispute_clause_contract_id", "support_contract", ["clause_contract_id"],
                                    ["id"])
        batch_op.create_foreign_key("fk_dispute_clause_agreement_id", "service_agreement", ["clause_agreement_id"],
                                    ["id"])
    op.create_table(
        "dispute_mediator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("named_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("named_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dispute_mediator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_mediator_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_mediator_dispute_id"), ["dispute_id"], unique=True)


def downgrade() -> None:
    op.drop_table("dispute_mediator")
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.drop_constraint("fk_dispute_clause_agreement_id", type_="foreignkey")
        batch_op.drop_constraint("fk_dispute_clause_contract_id", type_="foreignkey")
        batch_op.drop_column("clause_agreement_id")
        batch_op.drop_column("clause_contract_id")
        batch_op.drop_column("ladder")
    for table in ("service_agreement", "support_contract"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("dispute_clause")
