"""accounts, audit log, outbox, run ledger, praise

Revision ID: 0001
Revises: 
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
import storage.types

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('internal_channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_name_key'), ['name_key'], unique=True)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('object_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('object_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('before', storage.types.JSONData, nullable=True),
    sa.Column('after', storage.types.JSONData, nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_object_id'), ['object_id'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('payload', storage.types.JSONData, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result_channel', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('result_ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'not_before'], unique=False)

    op.create_table('run_ledger',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('ran_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('channel_link',
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('is_shared', sa.Boolean(), nullable=False),
    sa.Column('linked_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('linked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('channel_id')
    )
    with op.batch_alter_table('channel_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_link_account_id'), ['account_id'], unique=False)

    op.create_table('praise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('giver_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('logged_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('source_channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('source_ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_channel_id', 'source_ts', name='uq_praise_source')
    )
    with op.batch_alter_table('praise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_praise_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_praise_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_praise_giver_id'), ['giver_id'], unique=False)

    op.create_table('praise_receiver',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('praise_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('usergroup_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('usergroup_handle', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.ForeignKeyConstraint(['praise_id'], ['praise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('praise_receiver', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_praise_receiver_praise_id'), ['praise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_praise_receiver_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('praise_receiver', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_praise_receiver_user_id'))
        batch_op.drop_index(batch_op.f('ix_praise_receiver_praise_id'))

    op.drop_table('praise_receiver')
    with op.batch_alter_table('praise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_praise_giver_id'))
        batch_op.drop_index(batch_op.f('ix_praise_created_at'))
        batch_op.drop_index(batch_op.f('ix_praise_account_id'))

    op.drop_table('praise')
    with op.batch_alter_table('channel_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_link_account_id'))

    op.drop_table('channel_link')
    op.drop_table('run_ledger')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox_message')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_name_key'))

    op.drop_table('account')
