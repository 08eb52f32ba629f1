"""Requests from third parties (e.g. evidence for an audit): due dates, reminders, status — free of Slack.

A due date given as a day ("by next friday", "月底") means the end of that day's business hours; a
time of day is kept as given. The owner is reminded once on the due day, at its opening (unless the
request was logged after that, or is due before it), and once when it is overdue, together with
the third party's account owner.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.calendar.when import DEFAULT_TIME, describe, read_when, split_time_of_day
from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.arguments import parse_id
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from bot.thirdparty.cards import ThirdPartyReminderCard
from bot.thirdparty.sharing import require_third_party
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.thirdparty import requests as store
from storage.thirdparty.requests import RequestReminder, RequestStatus, ThirdPartyRequest
from storage.thirdparty.sharing import SharingAgreement, list_agreements

if TYPE_CHECKING:
    from bot.platform.services import Services

MAX_WHAT = 1000
BATCH = 200
EXAMPLE = "/thirdparty request AuditCo: evidence of the Q3 restore test by next friday"
_NAME_PREFIX = re.compile(r"^\s*([^:：<>\n]{1,80}?)\s*(?::\s+|：\s*)(.*)$", re.DOTALL)
_DUE_WORD = re.compile(r"\s+(?:by|due|before)\s+|\s*(?:截止到|截止|截至|到期)[:：]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class RequestDraft:
    """`<third party>: <what> by <when>` split into its parts."""

    account: str
    what: str
    when: str


@dataclass(frozen=True)
class RequestChange:
    """A request after an action, its third party, and whether the action changed it."""

    request: ThirdPartyRequest
    account: Account
    changed: bool


def parse_request_id(text: str) -> int:
    """`/thirdparty done 12` (or `#12`): the request's id."""
    request_id = parse_id(text, example="/thirdparty done 12")
    if request_id is None:
        raise InvalidInput(_("Which request? `/thirdparty done 12` (see `/thirdparty requests`)."))
    return request_id


def parse_request_text(text: str) -> RequestDraft:
    """Split `<third party>: <what> by <when>`; the last "by" starts the due date."""
    prefix = _NAME_PREFIX.match(html.unescape(text))
    if not prefix:
        raise InvalidInput(_("Name the third party, what they asked for and by when: `{example}`").format(
            example=EXAMPLE))
    rest = prefix.group(2).strip()
    due = _last_due(rest)
    if due is None:
        raise InvalidInput(_("By when? End with a due date: `{example}`").format(example=EXAMPLE))
    return RequestDraft(prefix.group(1).strip(), due[0], due[1])


def _last_due(text: str) -> tuple[str, str] | None:
    """(what, when) split at the last "by/due/before" (or 截止), so "sign-off by QA by friday" reads friday."""
    last = None
    for match in _DUE_WORD.finditer(text):
        last = match
    if last is None or last.start() == 0 or not text[last.end():].strip():
        return None
    return text[:last.start()].strip(), text[last.end():].strip()


def due_moment(text: str, *, now: datetime, calendar: WorkCalendar) -> datetime:
    """Read a due date; a day without a time of day means the close of that day's business hours."""
    moment = read_when(text, now=now, tz=calendar.timezone, calendar=calendar)
    _day, clock = split_time_of_day(text)
    if clock is None and moment.time() == DEFAULT_TIME:
        moment = datetime.combine(moment.date(), calendar.day_end, tzinfo=calendar.timezone)
    return moment.astimezone(UTC)


def _opening(day_of: datetime, calendar: WorkCalendar) -> datetime:
    """The opening of business hours on the day of a moment, in the calendar's zone."""
    local = day_of.astimezone(calendar.timezone)
    return datetime.combine(local.date(), calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)


def log_request(session: Session, *, draft: RequestDraft, actor_id: str, now: datetime,
                calendar: WorkCalendar) -> RequestChange:
    """Record a third party's request, owned by whoever logged it, with its reminders planned."""
    account = require_third_party(session, name=draft.account)
    assert account.id is not None  # a stored account
    what = draft.what.strip()
    if not what or len(what) > MAX_WHAT:
        raise InvalidInput(_("Say what they asked for, in at most {limit} characters: `{example}`").format(
            limit=MAX_WHAT, example=EXAMPLE))
    due_at = due_moment(draft.when, now=now, calendar=calendar)
    if due_at <= now:
        raise InvalidInput(_("That reads as {when}, which has passed. Give a later due date.").format(
            when=describe(due_at, calendar.timezone)))
    opening = _opening(due_at, calendar)
    remind_at = opening if now < opening < due_at else None
    request = ThirdPartyRequest(account_id=account.id, what=what, due_at=due_at, owner_id=actor_id,
                                created_by=actor_id, created_at=now, remind_at=remind_at,
                                next_check_at=remind_at or due_at)
    store.add_request(session, request)
    record_change(session, actor_id=actor_id, action="request.log", object_type="third_party_request",
                  object_id=request.id, at=now, after={"account": account.name, "what": what,
                                                       "due_at": due_at.isoformat(), "owner_id": actor_id})
    return RequestChange(request, account, changed=True)


def mark_done(session: Session, *, request_id: int, actor_id: str, now: datetime) -> RequestChange:
    """Mark a request done; its reminders stop. Done twice is a no-op."""
    request = store.get_request(session, request_id=request_id, for_update=True)
    if request is None:
        raise NotFound(_("There is no third-party request #{id}. See `/thirdparty requests`.").format(id=request_id))
    account = _account(session, request)
    if request.status == RequestStatus.DONE:
        return RequestChange(request, account, changed=False)
    request.status, request.done_at, request.done_by, request.next_check_at = RequestStatus.DONE, now, actor_id, None
    session.add(request)
    record_change(session, actor_id=actor_id, action="request.done", object_type="third_party_request",
                  object_id=request.id, at=now, before={"status": RequestStatus.OPEN.value},
                  after={"status": RequestStatus.DONE.value})
    return RequestChange(request, account, changed=True)


def _account(session: Session, request: ThirdPartyRequest) -> Account:
    account = session.get(Account, request.account_id)
    assert account is not None  # requests keep their account (foreign key)
    return account


def run_due_requests(session: Session, now: datetime, services: Services) -> int:
    """Send the due-day and overdue reminders that have come; returns how many messages were queued."""
    queued = 0
    for request in store.list_due_requests(session, now=now, limit=BATCH):
        assert request.id is not None  # a stored request
        account = _account(session, request)
        # A late tick that finds the request already overdue sends the overdue reminder only.
        stage = RequestReminder.OVERDUE if request.due_at <= now else RequestReminder.DUE_DAY
        recipients = [request.owner_id] if stage == RequestReminder.DUE_DAY else list(
            dict.fromkeys(filter(None, [request.owner_id, account.owner_id])))
        card = ThirdPartyReminderCard(id=request.id, account=account.name, what=request.what, due=request.due_at,
                                      owner=request.owner_id, tz=services.settings.zone, stage=stage)
        for user in recipients:
            outbox.dm(session, key=f"tp-request:{request.id}:{stage}:{user}", user=user, card=card, now=now)
            queued += 1
        request.reminded = stage
        request.next_check_at = request.due_at if stage == RequestReminder.DUE_DAY else None
        session.add(request)
        record_change(session, actor_id=SCHEDULER, action=f"request.{stage}", object_type="third_party_request",
                      object_id=request.id, at=now, after={"to": recipients})
    return queued


def next_due_requests(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_requests next has work (request reminder); past when some waits."""
    return store.next_request_check_at(session)


def list_open_requests(session: Session, *, name: str | None = None) -> list[tuple[ThirdPartyRequest, Account]]:
    """Open requests (of one third party), earliest due first."""
    account = require_third_party(session, name=name) if name else None
    rows = store.list_requests(session, status=RequestStatus.OPEN, account_id=account.id if account else None)
    return [(row, account or _account(session, row)) for row in rows]


@dataclass(frozen=True)
class ThirdPartyOverview:
    """`/thirdparty <name>`: the account, its agreements (with whether each has ended) and open requests."""

    account: Account
    agreements: list[tuple[SharingAgreement, bool]]
    requests: list[tuple[ThirdPartyRequest, Account]]


def third_party_overview(session: Session, *, name: str, now: datetime, calendar: WorkCalendar) -> ThirdPartyOverview:
    """A third party's sharing agreements, newest first, and its open requests."""
    account = require_third_party(session, name=name)
    assert account.id is not None  # a stored account
    today = now.astimezone(calendar.timezone).date()
    agreements = [(agreement, agreement.valid_until < today)
                  for agreement in list_agreements(session, account_id=account.id)]
    return ThirdPartyOverview(account, agreements, list_open_requests(session, name=account.name))
