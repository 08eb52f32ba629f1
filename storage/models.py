"""Every table, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from storage.accounts import Account, ChannelLink
from storage.accounts.stakeholders import Stakeholder
from storage.care.campaigns import CampaignRecipient, CampaignResponse, SurveyCampaign
from storage.care.capture import CapturedMessage
from storage.care.complaints import Complaint
from storage.care.contacts import Touchpoint
from storage.care.needs import Need
from storage.care.praise import Praise, PraiseReceiver
from storage.care.services_added import AddedService
from storage.care.surveys import Survey
from storage.overview.digest import DigestSubscription
from storage.overview.health import HealthBand
from storage.platform.audit import AuditLog
from storage.platform.horizon import TickHorizon
from storage.platform.ledger import RunLedger
from storage.platform.outbox import OutboxMessage
from storage.platform.people import Person
from storage.platform.seen import SeenRequest
from storage.report.reports import ReportPreset, ServiceReport
from storage.rhythm.action_items import ActionItem
from storage.rhythm.agreements import ReportDeadline, ServiceAgreement
from storage.rhythm.meeting_parties import MeetingParty
from storage.rhythm.meetings import Meeting, MeetingAttendee, MeetingOccurrence, MeetingSnooze
from storage.risks.register import Risk
from storage.suppliers.changes import SupplierChange, SupplierChangeNotice
from storage.suppliers.contracts import SupportContract
from storage.suppliers.coordination import (
    Coordination,
    CoordinationComplaint,
    CoordinationLayer,
    CoordinationNote,
)
from storage.suppliers.disputes import Dispute, DisputeEvent, DisputeMediator, DisputeParty
from storage.suppliers.evaluations import SupplierAudit, SupplierEvaluation, SupplierProfile
from storage.suppliers.subcontractors import Subcontractor
from storage.thirdparty.requests import ThirdPartyRequest
from storage.thirdparty.sharing import SharingAgreement

metadata = SQLModel.metadata

__all__ = [
    "Account",
    "ActionItem",
    "AddedService",
    "AuditLog",
    "CampaignRecipient",
    "CampaignResponse",
    "CapturedMessage",
    "ChannelLink",
    "Complaint", "Coordination", "CoordinationComplaint", "CoordinationLayer", "CoordinationNote",
    "DigestSubscription", "Dispute", "DisputeEvent", "DisputeMediator", "DisputeParty",
    "HealthBand",
    "Meeting", "MeetingAttendee", "MeetingOccurrence", "MeetingParty", "MeetingSnooze",
    "Need", "OutboxMessage", "Person", "Praise", "PraiseReceiver", "ReportDeadline", "ReportPreset",
    "Risk", "RunLedger", "SeenRequest", "ServiceAgreement", "ServiceReport", "SharingAgreement", "Stakeholder",
    "Subcontractor",
    "SupplierAudit",
    "SupplierChange", "SupplierChangeNotice", "SupplierEvaluation",
    "SupplierProfile",
    "SupportContract",
    "Survey",
    "SurveyCampaign",
    "ThirdPartyRequest",
    "TickHorizon",
    "Touchpoint",
    "metadata",
]
