"""Third-party cards for the outbox: summaries shared under an agreement, request reminders, and the approval
of a sharing agreement (the manager's DM and the answer to whoever recorded it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.platform.cards import CardKind
from storage.thirdparty.requests import RequestReminder, RequestStatus
from storage.thirdparty.sharing import AgreementStatus, SharedKind, SharingMethod, SharingWindow


@dataclass(frozen=True)
class ComplaintFigures:
    """The complaints summary: how many are open, and how many of those are past their SLA."""

    about: ClassVar[SharedKind] = SharedKind.COMPLAINTS
    open: int
    breached: int


@dataclass(frozen=True)
class DisputeFigures:
    """The disputes summary: open supplier disputes per ladder level (no supplier names)."""

    about: ClassVar[SharedKind] = SharedKind.DISPUTES
    by_level: Mapping[int, int]


@dataclass(frozen=True)
class SharedRequest:
    """One of the third party's own requests, as shared with them."""

    id: int
    what: str
    due: datetime
    status: RequestStatus
    done_at: datetime | None = None


@dataclass(frozen=True)
class RequestFigures:
    """The requests summary: the third party's own requests and how many are still open."""

    about: ClassVar[SharedKind] = SharedKind.REQUESTS
    requests: tuple[SharedRequest, ...]
    open: int


Figures = ComplaintFigures | DisputeFigures | RequestFigures


@dataclass(frozen=True)
class SharedSummaryCard:
    """A summary posted in a third party's channel under an agreement: figures only, and on what basis."""

    kind: ClassVar[CardKind] = CardKind.SHARED_SUMMARY
    account: str
    figures: Figures
    agreement: int
    purpose: str
    shared_by: str
    as_of: datetime
    tz: ZoneInfo


@dataclass(frozen=True)
class ThirdPartyReminderCard:
    """The due-day or overdue reminder of a third party's request, to its owner (and the account's owner)."""

    kind: ClassVar[CardKind] = CardKind.THIRD_PARTY_REMINDER
    id: int
    account: str
    what: str
    due: datetime
    owner: str
    tz: ZoneInfo
    stage: RequestReminder


@dataclass(frozen=True)
class SharingApprovalCard:
    """The DM asking a manager to approve an agreement; updated in place, without its buttons, once decided."""

    kind: ClassVar[CardKind] = CardKind.SHARING_APPROVAL
    id: int
    account: str
    created_by: str
    why: str
    what: tuple[SharedKind, ...]
    where: str
    when: SharingWindow
    who: tuple[str, ...]
    how: SharingMethod
    approved_by: str
    status: AgreementStatus
    valid_until: date
    schedule: str | None = None


@dataclass(frozen=True)
class SharingDecidedCard:
    """The DM telling whoever recorded an agreement that it was approved or declined."""

    kind: ClassVar[CardKind] = CardKind.SHARING_DECIDED
    id: int
    account: str
    status: AgreementStatus
    approved_by: str
    where: str


@dataclass(frozen=True)
class ThirdPartyReviewDueCard:
    """The DM reminding a third party's owner that its periodic review falls due (on a working day)."""

    kind: ClassVar[CardKind] = CardKind.THIRD_PARTY_REVIEW_DUE
    party: str
    role: str | None
    due_at: datetime
    every_months: int
    tz: ZoneInfo
