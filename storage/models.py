"""Every table, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from storage.accounts import Account, ChannelLink
from storage.audit import AuditLog
from storage.contacts import Touchpoint
from storage.complaints import Complaint
from storage.ledger import RunLedger
from storage.outbox import OutboxMessage
from storage.praise import Praise, PraiseReceiver
from storage.surveys import Survey

metadata = SQLModel.metadata

__all__ = ["Account", "AuditLog", "ChannelLink", "Complaint", "OutboxMessage", "Praise", "PraiseReceiver", "RunLedger", "Survey", "Touchpoint", "metadata"]
