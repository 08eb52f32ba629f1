"""Complaints (投诉管理): log, claim, acknowledge, resolve, reopen, close — the rules, free of Slack.

Every change bumps the complaint's version, writes an audit row and queues an in-place update of
its card; a change that is already true (acknowledging twice, a double click) changes nothing and
says so. Internal data only ever goes to the card's internal channel and to DMs; the shared channel
may get one neutral line, in the thread of the customer's message, when the account enables it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.care import surveys
from bot.care.complaint_clock import (
    ComplaintPolicy,
    calendar_for,
    card_channel,
    restart_resolve_clock,
    schedule_next_check,
    start_clocks,
    targets_for,
)
from bot.care.complaint_flag import raise_flag
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotConfigured, NotFound, Refused
from bot.platform.i18n import _
from bot.platform.paging import page_window
from storage import accounts as account_store
from storage.accounts import Account
from storage.care import complaints as store
from storage.care.complaints import ACTIVE, Complaint, ComplaintFilter, ComplaintSeverity, ComplaintStatus
from storage.platform.audit import SCHEDULER, AuditLog, list_changes, record_change

MAX_SUMMARY = 2000
MAX_RESOLUTION = 2000
PAGE_SIZE = 10
EXAMPLE = "/complaint Acme Corp: the VPN drops every hour !high"

_SEVERITY_WORDS = {
    **{severity.value: severity for severity in ComplaintSeverity},
    "urgent": ComplaintSeverity.CRITICAL, "medium": ComplaintSeverity.NORMAL,
    "紧急": ComplaintSeverity.CRITICAL, "高": ComplaintSeverity.HIGH, "中": ComplaintSeverity.NORMAL,
    "普通": ComplaintSeverity.NORMAL, "低": ComplaintSeverity.LOW,
}
_SEVERITY_TAIL = re.compile(r"(?:^|\s)[!！](\w+)\s*$")
_SEVERITY_ANYWHERE = re.compile(r"(?:^|\s)!(critical|high|normal|low)\b", re.IGNORECASE)
# "Acme Corp: text". The colon must be followed by a space (or be full-width) so "at 10:30" or a
# link is not read as an account name.
_ACCOUNT_PREFIX = re.compile(r"^\s*([^:：<>\n]{1,80}?)\s*(?::\s+|:$|：\s*)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Draft:
    """What someone asked to log: the summary, a severity and perhaps an account name."""

    summary: str
    severity: ComplaintSeverity = ComplaintSeverity.NORMAL
    account_name: str | None = None
    # The whole text, for when the "name:" prefix turns out to be part of the summary.
    whole_text: str | None = None


@dataclass(frozen=True)
class MessageSource:
    """The Slack message a complaint was logged from."""

    channel_id: str
    ts: str
    complainant_id: str | None
    permalink: str | None
    # The thread the message is in (its parent's ts), or its own ts: where the customer's line goes.
    thread_ts: str | None = None


@dataclass(frozen=True)
class Change:
    """The outcome of one action on a complaint, and the outbox keys to deliver at once."""

    complaint: Complaint
    account: Account
    action: str
    changed: bool
    keys: list[str] = field(default_factory=list)
    previous_owner: str | None = None
    flagged: bool = False
    survey_planned: bool = False  # resolving planned a satisfaction survey for the complainant
    card: dict[str, Any] = field(default_factory=dict)


def card_key(complaint_id: int) -> str:
    """The outbox key of a complaint's card."""
    return f"complaint:{complaint_id}:card"


def parse_severity(word: str) -> ComplaintSeverity:
    """Read a severity word (critical, high, normal, low; 紧急/高/中/低)."""
    severity = _SEVERITY_WORDS.get(word.strip().lstrip("!！").lower())
    if severity is None:
        raise InvalidInput(_("“{word}” is not a severity. Use !critical, !high, !normal or !low: `{example}`").format(
            word=word, example=EXAMPLE))
    return severity


def parse_complaint_text(text: str) -> Draft:
    """Split `[<account>:] <summary> [!severity]`."""
    text = text.strip()
    severity = ComplaintSeverity.NORMAL
    if tail := _SEVERITY_TAIL.search(text):
        severity = parse_severity(tail.group(1))
        text = text[:tail.start()].strip()
    elif anywhere := _SEVERITY_ANYWHERE.search(text):
        severity = parse_severity(anywhere.group(1))
        text = (text[:anywhere.start()] + " " + text[anywhere.end():]).strip()
    if prefix := _ACCOUNT_PREFIX.match(text):
        return Draft(prefix.group(2).strip(), severity, html.unescape(prefix.group(1)).strip(), text)
    return Draft(text, severity)


def _resolve_account(session: Session, draft: Draft, channel_id: str | None) -> tuple[Account, str]:
    """The account a draft is about and its summary: named, or the channel's linked account."""
    linked = account_store.get_account_for_channel(session, channel_id=channel_id) if channel_id else None
    if draft.account_name:
        account = account_store.get_account_by_name(session, name=draft.account_name)
        if account:
            return account, draft.summary
        resembles = account_store.search_account_names(session, text=draft.account_name)
        if linked and draft.whole_text and not resembles:
            return linked, draft.whole_text  # "VPN down: again" in Acme's channel is about Acme
        require_account(session, name=draft.account_name)  # raises NotFound with suggestions
    if linked:
        return linked, draft.summary
    raise InvalidInput(_("Which account is it about? Start with its name: `{example}` — or link this channel to "
                         "the account with `/account link <name>`.").format(example=EXAMPLE))


def check_summary(summary: str) -> str:
    """A summary worth logging: not empty, not over-long."""
    summary = summary.strip()
    if not summary:
        raise InvalidInput(_("What is the complaint about? Add a short summary: `{example}`").format(example=EXAMPLE))
    if len(summary) > MAX_SUMMARY:
        raise InvalidInput(_("That summary is {length} characters; keep it under {limit} and put the details in "
                             "the card's thread.").format(length=len(summary), limit=MAX_SUMMARY))
    return summary


def check_draft(session: Session, *, draft: Draft, channel_id: str | None,
                policy: ComplaintPolicy) -> tuple[Account, str]:
    """The account and summary of a draft, its card's channel being set: what can be checked without Slack."""
    account, summary = _resolve_account(session, draft, channel_id)
    summary = check_summary(summary)
    if not card_channel(account, policy):
        raise NotConfigured(_("Complaint cards need an internal channel: set RAPPORT_ESCALATION_CHANNEL, or give the "
                              "account one with `/account set {name} channel #its-internal-channel`.").format(
                                  name=account.name))
    return account, summary


def open_complaint(session: Session, *, draft: Draft, channel_id: str | None, actor_id: str, now: datetime,
                   policy: ComplaintPolicy, is_shared: Callable[[str], bool],
                   source: MessageSource | None = None) -> Change:
    """Log a complaint, start its SLA clocks and queue its card; a message logged before is not logged twice."""
    account, summary = check_draft(session, draft=draft, channel_id=channel_id, policy=policy)
    if source and (existing := store.get_complaint_from_message(session, channel_id=source.channel_id, ts=source.ts)):
        return _result(policy, existing, session.get(Account, existing.account_id), "opened", changed=False)
    channel = card_channel(account, policy)
    if is_shared(channel):
        raise Refused(_("<#{channel}> is shared with another organisation, so complaint cards can't go there. Give "
                        "*{name}* an internal channel: `/account set {name} channel #its-internal-channel`.").format(
                            channel=channel, name=account.name))
    complaint = Complaint(
        account_id=account.id, summary=summary, severity=draft.severity, created_by=actor_id, created_at=now,
        updated_at=now, clock_started_at=now, complainant_id=source.complainant_id if source else None,
        source_channel_id=source.channel_id if source else None, source_ts=source.ts if source else None,
        source_thread_ts=(source.thread_ts or source.ts) if source else None,
        permalink=source.permalink if source else None,
    )
    start_clocks(complaint, calendar=calendar_for(account, policy), targets=targets_for(account, draft.severity),
                 start=now)
    schedule_next_check(complaint)
    try:
        with session.begin_nested():
            store.add_complaint(session, complaint)
    except IntegrityError:  # the same message logged at the same moment by someone else
        existing = store.get_complaint_from_message(session, channel_id=source.channel_id, ts=source.ts)
        return _result(policy, existing, account, "opened", changed=False)
    record_change(session, actor_id=actor_id, action="complaint.open", object_type="complaint",
                  object_id=complaint.id, at=now, after=_snapshot(complaint))
    keys = [card_key(complaint.id)]
    outbox.post(session, key=keys[0], channel=channel, kind="complaint_card",
                data=card_data(complaint, account, policy), now=now)
    flag_keys = raise_flag(session, account=account, complaint=complaint, actor_id=actor_id, now=now, policy=policy)
    return _result(policy, complaint, account, "opened", changed=True, keys=keys + flag_keys, flagged=bool(flag_keys))


@dataclass(frozen=True)
class MessageDraft:
    """What *Log complaint* knows before its modal opens."""

    account_name: str | None
    existing: Complaint | None


def linked_account_name(session: Session, *, channel_id: str | None) -> str | None:
    """The name of the account a channel is linked to, to prefill the complaint modal."""
    account = account_store.get_account_for_channel(session, channel_id=channel_id) if channel_id else None
    return account.name if account else None


def draft_from_message(session: Session, *, channel_id: str, ts: str) -> MessageDraft:
    """The channel's linked account, and the complaint already logged from this message, if any."""
    account = account_store.get_account_for_channel(session, channel_id=channel_id)
    existing = store.get_complaint_from_message(session, channel_id=channel_id, ts=ts)
    return MessageDraft(account.name if account else None, existing)


def claim_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                    policy: ComplaintPolicy) -> Change:
    """"I'll take it": the actor becomes the owner (taking over from someone else if need be)."""
    complaint, account = _load(session, complaint_id)
    if complaint.status not in ACTIVE or complaint.owner_id == actor_id:
        return _result(policy, complaint, account, "claimed", changed=False)
    previous = complaint.owner_id
    complaint.owner_id = actor_id
    keys = _changed(session, complaint, account, actor_id=actor_id, now=now, policy=policy, action="claim",
                    before={"owner_id": previous}, after={"owner_id": actor_id})
    keys += _customer_ack(session, complaint, account, now=now)
    return _result(policy, complaint, account, "claimed", changed=True, keys=keys, previous_owner=previous)


def acknowledge_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                          policy: ComplaintPolicy) -> Change:
    """Acknowledge an open complaint: its acknowledge clock stops; an unowned one becomes the actor's."""
    complaint, account = _load(session, complaint_id)
    if complaint.status != ComplaintStatus.OPEN:
        return _result(policy, complaint, account, "acknowledged", changed=False)
    before = {"status": str(complaint.status), "owner_id": complaint.owner_id}
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at, complaint.acknowledged_by = now, actor_id
    complaint.owner_id = complaint.owner_id or actor_id
    keys = _changed(session, complaint, account, actor_id=actor_id, now=now, policy=policy, action="acknowledge",
                    before=before, after={"status": str(complaint.status), "owner_id": complaint.owner_id})
    keys += _customer_ack(session, complaint, account, now=now)
    return _result(policy, complaint, account, "acknowledged", changed=True, keys=keys)


def check_resolution(text: str) -> str:
    """A resolution worth recording: not empty, not over-long."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Say how it was resolved — the customer's survey and the monthly report use it."))
    if len(text) > MAX_RESOLUTION:
        raise InvalidInput(_("Keep the resolution under {limit} characters.").format(limit=MAX_RESOLUTION))
    return text


def check_can_resolve(session: Session, *, complaint_id: int, policy: ComplaintPolicy) -> Change:
    """Before asking for a resolution: the complaint, and whether it is still active (changed=True)."""
    complaint = store.get_complaint(session, complaint_id=complaint_id)
    if complaint is None:
        raise NotFound(_("There is no complaint #{id}. See `/complaint list`.").format(id=complaint_id))
    account = session.get(Account, complaint.account_id)
    return _result(policy, complaint, account, "resolved", changed=complaint.status in ACTIVE)


def resolve_complaint(session: Session, *, complaint_id: int, resolution: str, actor_id: str, now: datetime,
                      policy: ComplaintPolicy) -> Change:
    """Resolve an active complaint with how it was resolved; its survey is planned."""
    resolution = check_resolution(resolution)
    complaint, account = _load(session, complaint_id)
    if complaint.status not in ACTIVE:
        return _result(policy, complaint, account, "resolved", changed=False)
    before = {"status": str(complaint.status), "owner_id": complaint.owner_id}
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolved_at, complaint.resolved_by, complaint.resolution = now, actor_id, resolution
    complaint.owner_id = complaint.owner_id or actor_id
    if complaint.acknowledged_at is None:  # resolving answers the customer, so it acknowledges too
        complaint.acknowledged_at, complaint.acknowledged_by = now, actor_id
    keys = _changed(session, complaint, account, actor_id=actor_id, now=now, policy=policy, action="resolve",
                    before=before, after={"status": str(complaint.status), "owner_id": complaint.owner_id,
                                          "resolution": resolution})
    survey = surveys.schedule_for_complaint(session, complaint=complaint, now=now)
    return _result(policy, complaint, account, "resolved", changed=True, keys=keys, survey_planned=survey is not None)


def reopen_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                     policy: ComplaintPolicy) -> Change:
    """Reopen a resolved or closed complaint: a fresh resolve clock, and its pending survey is cancelled."""
    complaint, account = _load(session, complaint_id)
    if complaint.status in ACTIVE:
        return _result(policy, complaint, account, "reopened", changed=False)
    before = {"status": str(complaint.status), "resolution": complaint.resolution}
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.reopen_count += 1
    complaint.resolved_at = complaint.resolved_by = complaint.resolution = complaint.closed_at = None
    complaint.owner_id = complaint.owner_id or actor_id
    _ack, resolve = targets_for(account, complaint.severity)
    restart_resolve_clock(complaint, calendar=calendar_for(account, policy), resolve=resolve, start=now)
    keys = _changed(session, complaint, account, actor_id=actor_id, now=now, policy=policy, action="reopen",
                    before=before, after={"status": str(complaint.status), "reopen_count": complaint.reopen_count})
    surveys.cancel_for_complaint(session, complaint_id=complaint.id, now=now, actor_id=actor_id)
    return _result(policy, complaint, account, "reopened", changed=True, keys=keys)


def close_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                    policy: ComplaintPolicy) -> Change:
    """Close a resolved complaint (after its survey, or when the survey's time is over)."""
    complaint, account = _load(session, complaint_id)
    if complaint.status != ComplaintStatus.RESOLVED:
        return _result(policy, complaint, account, "closed", changed=False)
    complaint.status = ComplaintStatus.CLOSED
    complaint.closed_at = now
    keys = _changed(session, complaint, account, actor_id=actor_id, now=now, policy=policy, action="close",
                    before={"status": ComplaintStatus.RESOLVED.value}, after={"status": str(complaint.status)})
    return _result(policy, complaint, account, "closed", changed=True, keys=keys)


def answer_survey(session: Session, *, survey_id: int, user_id: str, score: int, now: datetime,
                  policy: ComplaintPolicy) -> surveys.Answer:
    """Record a survey score; an answered survey about a complaint closes it (its loop is done)."""
    answer = surveys.record_answer(session, survey_id=survey_id, user_id=user_id, score=score, now=now)
    complaint_id = answer.survey.complaint_id
    if answer.outcome == surveys.Outcome.RECORDED and complaint_id:
        closed = close_complaint(session, complaint_id=complaint_id, actor_id=SCHEDULER, now=now, policy=policy)
        answer.keys.extend(closed.keys)
    return answer


def _result(policy: ComplaintPolicy, complaint: Complaint, account: Account, action: str, *, changed: bool,
            **extra: Any) -> Change:
    """A Change carrying the complaint's card data, for the reply to whoever acted."""
    return Change(complaint, account, action, changed=changed, card=card_data(complaint, account, policy), **extra)


def _load(session: Session, complaint_id: int) -> tuple[Complaint, Account]:
    """The complaint, locked so that two clicks at once are applied one after the other."""
    complaint = store.get_complaint(session, complaint_id=complaint_id, for_update=True)
    if complaint is None:
        raise NotFound(_("There is no complaint #{id}. See `/complaint list`.").format(id=complaint_id))
    return complaint, session.get(Account, complaint.account_id)


def _changed(session: Session, complaint: Complaint, account: Account, *, actor_id: str, now: datetime,
             policy: ComplaintPolicy, action: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Record a change: reschedule the clocks, write the audit row, update the card in place."""
    schedule_next_check(complaint)
    session.add(complaint)
    record_change(session, actor_id=actor_id, action=f"complaint.{action}", object_type="complaint",
                  object_id=complaint.id, at=now, before=before, after=after)
    return [queue_card_update(session, complaint, account, now=now, policy=policy)]


def queue_card_update(session: Session, complaint: Complaint, account: Account, *, now: datetime,
                      policy: ComplaintPolicy) -> str:
    """Queue an edit of the complaint's card showing its current state; returns the outbox key."""
    complaint.version += 1
    complaint.updated_at = now
    session.add(complaint)
    key = f"{card_key(complaint.id)}:v{complaint.version}"
    outbox.update(session, key=key, original_key=card_key(complaint.id), kind="complaint_card",
                  data=card_data(complaint, account, policy), now=now)
    return key


def _customer_ack(session: Session, complaint: Complaint, account: Account, *, now: datetime) -> list[str]:
    """Tell the customer, once, in their message's thread, who is on it (when the account wants that)."""
    if not (account.customer_ack and complaint.owner_id and complaint.source_channel_id and complaint.source_ts):
        return []
    link = account_store.get_channel_link(session, channel_id=complaint.source_channel_id)
    if link is None or not link.is_shared:
        return []
    key = f"complaint:{complaint.id}:customer-ack"
    thread = complaint.source_thread_ts or complaint.source_ts  # complaints logged before 0010 have no thread
    outbox.post(session, key=key, channel=complaint.source_channel_id, thread_ts=thread,
                kind="complaint_customer_ack", data={"owner": complaint.owner_id}, now=now)
    return [key]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    return {"account_id": complaint.account_id, "summary": complaint.summary, "severity": str(complaint.severity),
            "status": str(complaint.status), "complainant_id": complaint.complainant_id,
            "permalink": complaint.permalink, "ack_due_at": _iso(complaint.ack_due_at),
            "resolve_due_at": _iso(complaint.resolve_due_at)}


def card_data(complaint: Complaint, account: Account, policy: ComplaintPolicy) -> dict[str, Any]:
    """What the complaint card renderer needs (internal: it only goes to internal channels)."""
    return {
        "id": complaint.id, "account": account.name, "summary": complaint.summary,
        "severity": ComplaintSeverity(complaint.severity).value, "status": ComplaintStatus(complaint.status).value,
        "owner": complaint.owner_id, "complainant": complaint.complainant_id, "created_by": complaint.created_by,
        "permalink": complaint.permalink, "tz": calendar_for(account, policy).timezone.key,
        "created_at": _iso(complaint.created_at),
        "ack_due": _iso(complaint.ack_due_at), "acknowledged_at": _iso(complaint.acknowledged_at),
        "ack_breached": complaint.ack_breached_at is not None,
        "resolve_due": _iso(complaint.resolve_due_at), "resolved_at": _iso(complaint.resolved_at),
        "resolve_breached": complaint.resolve_breached_at is not None,
        "resolution": complaint.resolution, "resolved_by": complaint.resolved_by,
        "reopen_count": complaint.reopen_count, "closed_at": _iso(complaint.closed_at),
    }


# Listing and detail (internal only; the handlers refuse external users).

def parse_list_args(text: str) -> tuple[ComplaintFilter, int]:
    """`[mine|open|breached] [page]`, open and page 1 by default."""
    which, page = ComplaintFilter.OPEN, 1
    for word in text.split():
        if word.isdigit():
            page = int(word)
        elif word.lower() in {f.value for f in ComplaintFilter}:
            which = ComplaintFilter(word.lower())
        else:
            raise InvalidInput(_("Choose mine, open or breached, and a page: `/complaint list breached 2`"))
    return which, page


@dataclass(frozen=True)
class ComplaintRow:
    """One line of a complaint list."""

    complaint: Complaint
    account_name: str


@dataclass(frozen=True)
class ComplaintPage:
    """One page of `/complaint list`."""

    rows: list[ComplaintRow]
    which: ComplaintFilter
    page: int
    pages: int
    total: int


def list_complaint_page(session: Session, *, which: ComplaintFilter, user_id: str, page: int = 1) -> ComplaintPage:
    """Active complaints (mine, all open, or breached), newest first, PAGE_SIZE at a time."""
    total = store.count_complaints(session, which=which, user_id=user_id)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    complaints = store.list_complaints(session, which=which, user_id=user_id, offset=window.offset,
                                      limit=window.limit)
    rows = [ComplaintRow(c, session.get(Account, c.account_id).name) for c in complaints]
    return ComplaintPage(rows=rows, which=which, page=window.page, pages=window.pages, total=total)


@dataclass(frozen=True)
class ComplaintDetail:
    """Everything `/complaint <id>` shows."""

    complaint: Complaint
    account: Account
    card: dict[str, Any]
    history: list[AuditLog]


def complaint_detail(session: Session, *, complaint_id: int, policy: ComplaintPolicy) -> ComplaintDetail:
    """A complaint with its card data and its history."""
    complaint = store.get_complaint(session, complaint_id=complaint_id)
    if complaint is None:
        raise NotFound(_("There is no complaint #{id}. See `/complaint list`.").format(id=complaint_id))
    account = session.get(Account, complaint.account_id)
    history = list_changes(session, object_type="complaint", object_id=complaint.id)
    return ComplaintDetail(complaint, account, card_data(complaint, account, policy), history)
