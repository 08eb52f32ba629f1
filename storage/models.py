"""Every table, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from storage.accounts import Account, ChannelLink
from storage.action_items import ActionItem
from storage.agreements import ReportDeadline, ServiceAgreement
from storage.audit import AuditLog
from storage.complaints import Complaint
from storage.contacts import Touchpoint
from storage.contracts import SupportContract
from storage.coordination import Coordination, CoordinationLayer
from storage.digest import DigestSubscription
from storage.disputes import Dispute, DisputeEvent, DisputeParty
from storage.ledger import RunLedger
from storage.meetings import Meeting, MeetingAttendee, MeetingOccurrence, MeetingSnooze
from storage.outbox import OutboxMessage
from storage.praise import Praise, PraiseReceiver
from storage.suppliers import SupplierAudit, SupplierEvaluation, SupplierProfile
from storage.surveys import Survey
from storage.third_parties import SharingAgreement, ThirdPartyRequest

metadata = SQLModel.metadata

__all__ = ["Account", "ActionItem", "AuditLog", "ChannelLink", "Complaint", "Coordination", "CoordinationLayer", "DigestSubscription", "Dispute", "DisputeEvent", "DisputeParty", "Meeting", "MeetingAttendee", "MeetingOccurrence", "MeetingSnooze", "OutboxMessage", "Praise", "PraiseReceiver", "ReportDeadline", "RunLedger", "ServiceAgreement", "SharingAgreement", "SupplierAudit", "SupplierEvaluation", "SupplierProfile", "SupportContract", "Survey", "ThirdPartyRequest", "Touchpoint", "metadata"]
