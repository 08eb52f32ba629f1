"""Rows for every table a tick's due work reads, a share of them due at the bench's NOW (bench/tick_scale.py).

Each table gets `rows` rows (a fiftieth of the touchpoints: 200 small, 20,000 large); one in DUE_EVERY is due
one minute before NOW, as a tick every minute would find it, the rest wait days ahead or are done. Suppliers
(audit profiles) and digest subscribers are people and companies, not history: the same in both sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import SQLModel

from bench.loading import Row, row_of
from storage.accounts import Account, AccountKind
from storage.care.capture import CapturedMessage, Direction
from storage.care.complaints import ComplaintSeverity
from storage.care.surveys import Survey, SurveyStatus
from storage.overview.digest import DigestSubscription
from storage.platform.outbox import OutboxMessage, OutboxStatus
from storage.rhythm.action_items import ActionItem, ActionStatus
from storage.rhythm.agreements import ReportDeadline, ReportStatus, ServiceAgreement
from storage.rhythm.meetings import Meeting, MeetingOccurrence, OccurrenceStatus, ReminderStage
from storage.suppliers.contracts import SupportContract
from storage.suppliers.coordination import Coordination, CoordinationLayer, LayerStatus
from storage.suppliers.disputes import Dispute, DisputeStatus
from storage.suppliers.evaluations import SupplierProfile
from storage.thirdparty.requests import RequestStatus, ThirdPartyRequest

DUE_EVERY = 100  # one row in 100 is due now
SUPPLIERS = 50
THIRD_PARTIES = 10
AHEAD = timedelta(days=3)
ESCALATION = "C0ESCAL"


@dataclass(frozen=True)
class Place:
    """Where the rows point: the customer accounts (1..customers), then suppliers, then third parties."""

    now: datetime
    customers: int
    owners: int

    @property
    def late(self) -> datetime:
        """A minute before now: what the last tick just missed."""
        return self.now - timedelta(minutes=1)

    def customer(self, n: int) -> int:
        return n % self.customers + 1

    def supplier(self, n: int) -> int:
        return self.customers + n % SUPPLIERS + 1

    def third_party(self, n: int) -> int:
        return self.customers + SUPPLIERS + n % THIRD_PARTIES + 1

    def owner(self, n: int) -> str:
        return f"U0OWNER{n % self.owners:02d}"


def due(n: int) -> bool:
    """Whether row n is one of the share due now."""
    return n % DUE_EVERY == 0


def partner_accounts(place: Place) -> Iterator[Row]:
    """The suppliers and third parties, after the customers."""
    for n in range(SUPPLIERS + THIRD_PARTIES):
        kind = AccountKind.SUPPLIER if n < SUPPLIERS else AccountKind.THIRD_PARTY
        yield row_of(Account(name=f"Partner {n:03d}", name_key=f"partner {n:03d}", kind=kind, owner_id=place.owner(n),
                             created_by="U0CAROL", created_at=place.now - timedelta(days=800)))


def surveys(place: Place, rows: int) -> Iterator[Row]:
    """Surveys to send now, or answered long ago."""
    for n in range(rows):
        if due(n):
            yield row_of(Survey(account_id=place.customer(n), respondent_id=place.owner(n), send_at=place.late,
                                next_check_at=place.late, created_by="U0CAROL",
                                created_at=place.now - timedelta(days=1)))
            continue
        answered = place.now - timedelta(days=2 + n % 700)
        yield row_of(Survey(account_id=place.customer(n), respondent_id=place.owner(n), status=SurveyStatus.ANSWERED,
                            score=4 + n % 2, send_at=answered, sent_at=answered, answered_at=answered,
                            created_by="U0CAROL", created_at=answered))


def captured(place: Place, rows: int) -> Iterator[Row]:
    """Customers' messages in linked channels: unanswered ones at 80 % of their first-response clock, or answered."""
    for n in range(rows):
        posted = place.now - (timedelta(minutes=49) if due(n) else timedelta(days=1 + n % 300))
        ts = f"{int(posted.timestamp())}.{n % 1_000_000:06d}"  # unique per channel, as Slack's are
        clock: dict[str, object] = {"target_minutes": 60, "warn_at": posted + timedelta(minutes=48),
                                    "due_at": posted + timedelta(minutes=60)}
        if due(n):
            clock["next_check_at"] = place.late
        else:
            clock.update(answered_at=posted + timedelta(minutes=20), answered_by=place.owner(n))
        yield row_of(CapturedMessage(account_id=place.customer(n), channel_id=f"C0LINK{n % 100:03d}", ts=ts,
                                     root_ts=ts, direction=Direction.INBOUND, author_id=f"U0CUST{n % 997:04d}",
                                     posted_at=posted, created_at=posted, **clock))  # type: ignore[arg-type]


def profiles(place: Place) -> Iterator[Row]:
    """An audit schedule per supplier; one in 25 to be reminded now."""
    for n in range(SUPPLIERS):
        soon = n % 25 == 0
        yield row_of(SupplierProfile(account_id=place.supplier(n), next_audit_due_at=place.now + timedelta(days=14 + n),
                                     audit_remind_at=place.late if soon else place.now + timedelta(days=n + 1),
                                     created_at=place.now - timedelta(days=400)))


def contracts(place: Place, rows: int) -> Iterator[Row]:
    """Support contracts: some reaching their 30-day expiry alert now, the rest with months to run."""
    for n in range(rows):
        until = (place.now + timedelta(days=30 if due(n) else 200 + n % 300)).date()
        yield row_of(SupportContract(supplier_id=place.supplier(n), customer_id=place.customer(n),
                                     severity=ComplaintSeverity.HIGH, response_minutes=60, resolution_minutes=480,
                                     availability=99.9, service_hours="7x24", valid_from=date(2026, 1, 1),
                                     valid_until=until,
                                     next_alert_at=place.late if due(n) else place.now + timedelta(days=100),
                                     created_by="U0CAROL", created_at=place.now - timedelta(days=300)))


def meetings(place: Place, rows: int) -> Iterator[Row]:
    """One meeting per occurrence row (planned ahead, nothing to roll)."""
    for n in range(rows):
        yield row_of(Meeting(account_id=place.customer(n), title=f"Weekly sync {n}", created_by="U0CAROL",
                             created_at=place.now - timedelta(days=60)))


def occurrences(place: Place, rows: int) -> Iterator[Row]:
    """Occurrences: starting within the hour (hour reminder due), next week, or held long ago."""
    for n in range(rows):
        starts = place.now + timedelta(minutes=59) if due(n) else place.now + timedelta(days=7 + n % 20)
        values: dict[str, object] = {"day_reminder_at": starts - timedelta(days=1),
                                     "hour_reminder_at": starts - timedelta(hours=1)}
        if due(n):
            values.update(reminded_stage=ReminderStage.DAY, next_check_at=place.late)
        elif n % 2:
            starts = place.now - timedelta(days=7 + n % 700)
            values.update(status=OccurrenceStatus.DONE, done_at=starts, done_by=place.owner(n))
        else:
            values["next_check_at"] = starts - timedelta(days=1)
        yield row_of(MeetingOccurrence(meeting_id=n + 1, account_id=place.customer(n), starts_at=starts,
                                       created_at=place.now - timedelta(days=30), **values))  # type: ignore[arg-type]


def agreements(place: Place) -> Iterator[Row]:
    """A monthly service agreement per customer account, its next report planned weeks ahead."""
    for n in range(place.customers):
        yield row_of(ServiceAgreement(account_id=n + 1, cycle="month", report_day=5, review_day=10,
                                      review_time="10:00", report_roll_at=place.now + timedelta(days=8 + n % 20),
                                      created_at=place.now - timedelta(days=400), updated_by="U0CAROL",
                                      updated_at=place.now - timedelta(days=400)))


def deadlines(place: Place, rows: int) -> Iterator[Row]:
    """Monthly report deadlines, one period per account and row: two days away (the reminder before is due),
    or submitted."""
    for n in range(rows):
        back = n // place.customers  # periods of one account go back a month each (one deadline per period)
        start = _months_before(date(2026, 11, 1), back + 1)
        end = _months_before(date(2026, 11, 1), back)
        if due(n):
            at = place.now + timedelta(days=2)
            yield row_of(ReportDeadline(account_id=place.customer(n), cycle="month", period_start=start,
                                        period_end=end, due_at=at, before_reminder_at=place.late,
                                        due_reminder_at=at - timedelta(hours=4), next_check_at=place.late,
                                        created_at=place.now - timedelta(days=20)))
            continue
        at = datetime(end.year, end.month, 5, 2, tzinfo=place.now.tzinfo)
        yield row_of(ReportDeadline(account_id=place.customer(n), cycle="month", period_start=start,
                                    period_end=end, due_at=at, status=ReportStatus.SUBMITTED,
                                    submitted_at=at, submitted_by=place.owner(n), created_at=at))


def _months_before(day: date, months: int) -> date:
    """The first of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def action_items(place: Place, rows: int) -> Iterator[Row]:
    """Action items due today (their reminder due now), due in weeks, or done."""
    for n in range(rows):
        if due(n) or n % 3 == 0:
            at = place.now + (timedelta(hours=6) if due(n) else timedelta(days=5 + n % 30))
            remind = place.late if due(n) else at - timedelta(hours=8)
            yield row_of(ActionItem(account_id=place.customer(n), text=f"Send the capacity plan #{n}",
                                    owner_id=place.owner(n), due_at=at, created_by="U0CAROL",
                                    created_at=place.now - timedelta(days=10), due_reminder_at=remind,
                                    overdue_reminder_at=at + timedelta(days=1), next_check_at=remind))
            continue
        at = place.now - timedelta(days=5 + n % 700)
        yield row_of(ActionItem(account_id=place.customer(n), text=f"Send the capacity plan #{n}",
                                owner_id=place.owner(n), due_at=at, status=ActionStatus.DONE, done_at=at,
                                done_by=place.owner(n), created_by="U0CAROL", created_at=at - timedelta(days=7)))


def disputes(place: Place, rows: int) -> Iterator[Row]:
    """Supplier disputes: open with their level due now or days ahead, or resolved."""
    for n in range(rows):
        is_open = due(n) or n % 10 == 5
        level_due = place.late if due(n) else place.now + AHEAD if is_open else place.now - timedelta(days=30)
        yield row_of(Dispute(supplier_id=place.supplier(n), subject=f"dispute {n}",
                             status=DisputeStatus.OPEN if is_open else DisputeStatus.RESOLVED,
                             owner_id=place.owner(n), level_started_at=place.now - timedelta(days=1),
                             level_due_at=level_due, next_check_at=level_due if is_open else None,
                             resolution=None if is_open else "settled", created_by="U0CAROL",
                             created_at=place.now - timedelta(days=40), updated_at=place.now - timedelta(days=1)))


def coordinations(place: Place, rows: int) -> Iterator[Row]:
    """One coordination per layer row."""
    for n in range(rows):
        yield row_of(Coordination(title=f"outage {n}", channel_id=ESCALATION, created_by="U0CAROL",
                                  created_at=place.now - timedelta(days=1), updated_at=place.now - timedelta(days=1)))


def layers(place: Place, rows: int) -> Iterator[Row]:
    """Coordination layers waiting on a supplier (ping due now or later), or cleared."""
    for n in range(rows):
        waiting = due(n) or n % 10 == 5
        yield row_of(CoordinationLayer(coordination_id=n + 1, name="network", supplier_id=place.supplier(n),
                                       status=LayerStatus.WAITING if waiting else LayerStatus.CLEARED,
                                       ping_at=(place.late if due(n) else place.now + AHEAD) if waiting else None))


def requests(place: Place, rows: int) -> Iterator[Row]:
    """Third-party requests: open and due now or later, or done."""
    for n in range(rows):
        is_open = due(n) or n % 10 == 5
        at = place.late if due(n) else place.now + AHEAD if is_open else place.now - timedelta(days=9)
        yield row_of(ThirdPartyRequest(account_id=place.third_party(n), what=f"evidence {n}", due_at=at,
                                       status=RequestStatus.OPEN if is_open else RequestStatus.DONE,
                                       owner_id=place.owner(n), created_by="U0CAROL",
                                       created_at=place.now - timedelta(days=10),
                                       next_check_at=at if is_open else None))


def sent_cards(place: Place, rows: int, post: Callable[[str], str]) -> Iterator[OutboxMessage]:
    """The escalation-channel cards of the disputes and coordinations due now, posted days ago (`post` gives the ts).

    The due work edits them; without them the edit would fail for want of its original.
    """
    posted = place.now - timedelta(days=1)
    for prefix in ("dispute", "coordination"):
        for n in filter(due, range(rows)):
            yield OutboxMessage(dedupe_key=f"{prefix}:{n + 1}:card", method="post", payload={"channel": ESCALATION},
                                status=OutboxStatus.SENT, attempts=1, not_before=posted, created_at=posted,
                                sent_at=posted, result_channel=ESCALATION, result_ts=post(ESCALATION))


def subscribers(place: Place) -> Iterator[Row]:
    """Every owner takes the morning digest (due at their 09:00, which has come)."""
    for n in range(place.owners):
        yield {"user_id": place.owner(n), "enabled": True, "changed_by": place.owner(n), "changed_at": place.now}


Fill = Callable[[], Iterator[Row]]


def tables(place: Place, rows: int) -> list[tuple[type[SQLModel], Fill]]:
    """Every table the due work reads, in foreign-key order, with its rows."""
    return [
        (Account, lambda: partner_accounts(place)),
        (Survey, lambda: surveys(place, rows)),
        (CapturedMessage, lambda: captured(place, rows)),
        (SupplierProfile, lambda: profiles(place)),
        (SupportContract, lambda: contracts(place, rows)),
        (Meeting, lambda: meetings(place, rows)),
        (MeetingOccurrence, lambda: occurrences(place, rows)),
        (ServiceAgreement, lambda: agreements(place)),
        (ReportDeadline, lambda: deadlines(place, rows)),
        (ActionItem, lambda: action_items(place, rows)),
        (Dispute, lambda: disputes(place, rows)),
        (Coordination, lambda: coordinations(place, rows)),
        (CoordinationLayer, lambda: layers(place, rows)),
        (ThirdPartyRequest, lambda: requests(place, rows)),
        (DigestSubscription, lambda: subscribers(place)),
    ]
