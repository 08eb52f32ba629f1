"""Supplier cards for the outbox: audit and contract reminders, the dispute card and its notices, the outage
coordination card and its ping — all internal: they go to internal channels and DMs only — the outage's twin
card and chase, which go to one supplier's shared channel and carry only that supplier's layer, and the mediation
ask, which goes to the mediator and carries only the dispute's subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.platform.cards import CardKind
from bot.suppliers.dispute_ladder import DEFAULT_LAST_LEVEL, ClauseRef
from storage.accounts import AccountKind
from storage.care.complaints import ComplaintSeverity
from storage.suppliers.coordination import LayerStatus
from storage.suppliers.disputes import DisputeAction, DisputeStatus


@dataclass(frozen=True)
class SupplierAuditDueCard:
    """The DM reminding a supplier's owner that its audit falls due."""

    kind: ClassVar[CardKind] = CardKind.SUPPLIER_AUDIT_DUE
    supplier: str
    due_at: datetime
    every_months: int
    tz: ZoneInfo


@dataclass(frozen=True)
class SupplierContractExpiryCard:
    """The DM telling a supplier's owner that a support contract expires in `days` days."""

    kind: ClassVar[CardKind] = CardKind.SUPPLIER_CONTRACT_EXPIRY
    contract_id: int
    supplier: str
    customer: str
    severity: ComplaintSeverity
    valid_until: date
    days: int


@dataclass(frozen=True)
class LinkedComplaint:
    """The complaint a dispute is linked to."""

    id: int
    summary: str


@dataclass(frozen=True)
class DisputeStep:
    """One step of a dispute's history."""

    at: datetime
    actor: str  # a user id, or the scheduler
    action: DisputeAction
    level: int
    automatic: bool = False
    note: str | None = None  # the resolution, or why it was reopened


@dataclass(frozen=True)
class MediatorRow:
    """The party asked to mediate a dispute, and the person when one was named."""

    name: str
    kind: AccountKind
    user: str | None = None


@dataclass(frozen=True)
class DisputeCard:
    """The dispute card in the escalation channel, updated in place: where it stands and its history."""

    kind: ClassVar[CardKind] = CardKind.DISPUTE_CARD
    id: int
    supplier: str
    subject: str
    status: DisputeStatus
    level: int
    due: datetime | None  # the level's deadline; None at the last level
    owner: str
    created_by: str
    tz: ZoneInfo
    days: Mapping[int, int]  # working days of each level that has a deadline
    history: tuple[DisputeStep, ...]
    scope: str | None = None
    others: tuple[str, ...] = ()
    complaint: LinkedComplaint | None = None
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    party_kind: AccountKind = AccountKind.SUPPLIER
    last: int = DEFAULT_LAST_LEVEL
    deciders: tuple[str | None, ...] = ()  # who decides at each level, when a dispute clause says
    clause: ClauseRef | None = None
    mediator: MediatorRow | None = None


@dataclass(frozen=True)
class DisputeEscalatedCard:
    """A dispute reached a new level: posted in the escalation channel and sent to the owner and managers."""

    kind: ClassVar[CardKind] = CardKind.DISPUTE_ESCALATED
    id: int
    supplier: str
    subject: str
    level: int
    due: datetime | None
    overdue_since: datetime | None  # set when the scheduler escalated an overdue level
    actor: str
    owner: str
    tz: ZoneInfo
    card_channel: str | None = None
    party_kind: AccountKind = AccountKind.SUPPLIER
    last: int = DEFAULT_LAST_LEVEL
    decider: str | None = None


@dataclass(frozen=True)
class DisputeAssignedCard:
    """The DM to a supplier's service manager when someone else opened a dispute they now own."""

    kind: ClassVar[CardKind] = CardKind.DISPUTE_ASSIGNED
    id: int
    supplier: str
    subject: str
    due: datetime | None
    tz: ZoneInfo
    actor: str
    party_kind: AccountKind = AccountKind.SUPPLIER
    decider: str | None = None


@dataclass(frozen=True)
class DisputeMediationAskCard:
    """What a mediator is asked (in their shared channel, or by DM): only the subject and the ask — nothing internal."""

    kind: ClassVar[CardKind] = CardKind.DISPUTE_MEDIATION_ASK
    subject: str
    contact: str  # the dispute's owner, whom to answer
    person: str | None = None  # the person asked, when named


@dataclass(frozen=True)
class DisputeResolvedCard:
    """The DM to the owner of the complaint a resolved dispute was linked to."""

    kind: ClassVar[CardKind] = CardKind.DISPUTE_RESOLVED
    id: int
    supplier: str
    complaint: LinkedComplaint
    resolution: str
    resolved_by: str


@dataclass(frozen=True)
class CoordinationNoteRow:
    """A note on one layer: who wrote it, when, what."""

    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class CoordinationLayerRow:
    """One layer of an outage on the coordination card."""

    name: str
    supplier: str
    status: LayerStatus
    updated_by: str | None = None
    updated_at: datetime | None = None
    ping_at: datetime | None = None
    pinged_at: datetime | None = None
    pinged_user: str | None = None
    notes: tuple[CoordinationNoteRow, ...] = ()
    twin_channel: str | None = None


@dataclass(frozen=True)
class CoordinationCard:
    """The outage card in the escalation channel, updated in place: each layer's supplier and status."""

    kind: ClassVar[CardKind] = CardKind.COORDINATION_CARD
    id: int
    title: str
    ping_minutes: int
    created_by: str
    created_at: datetime
    tz: ZoneInfo
    layers: tuple[CoordinationLayerRow, ...]
    closed_at: datetime | None = None
    closed_by: str | None = None
    root_cause: str | None = None
    cause_layer: str | None = None
    complaints: tuple[LinkedComplaint, ...] = ()


@dataclass(frozen=True)
class CoordinationPingCard:
    """The DM to a supplier's account owner: their supplier has not answered for a layer in time."""

    kind: ClassVar[CardKind] = CardKind.COORDINATION_PING
    id: int
    title: str
    layer: str
    supplier: str
    minutes: int
    channel: str


@dataclass(frozen=True)
class CoordinationTwinCard:
    """The outage card in one supplier's shared channel: only that supplier's layer, with its buttons."""

    kind: ClassVar[CardKind] = CardKind.COORDINATION_TWIN
    id: int
    layer_id: int
    title: str
    layer: str
    status: LayerStatus
    tz: ZoneInfo
    notes: tuple[CoordinationNoteRow, ...] = ()
    updated_by: str | None = None
    updated_at: datetime | None = None
    closed: bool = False


@dataclass(frozen=True)
class CoordinationChaseCard:
    """The chase in a supplier's shared channel: its layer has had no update for a while."""

    kind: ClassVar[CardKind] = CardKind.COORDINATION_CHASE
    id: int
    title: str
    layer: str
    minutes: int  # working minutes without an update


@dataclass(frozen=True)
class CoordinationClosedCard:
    """The DM to a complaint's owner: the outage behind their complaint is closed, with its root cause."""

    kind: ClassVar[CardKind] = CardKind.COORDINATION_CLOSED
    id: int
    title: str
    root_cause: str
    cause_layer: str
    supplier: str
    complaint: LinkedComplaint
    closed_by: str


@dataclass(frozen=True)
class SupplierChangeNoticeCard:
    """The DM asking an account's owner to tell the customer of a change of the supplier its service depends on."""

    kind: ClassVar[CardKind] = CardKind.SUPPLIER_CHANGE_NOTICE
    notice_id: int
    supplier: str
    change: str  # a ChangeKind
    other: str | None
    reason: str | None
    account: str
    reminder: int  # 0: the first time; then each working day until told
