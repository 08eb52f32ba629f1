"""Complaints (投诉管理): log, claim, acknowledge, resolve, reopen, close — the rules, free of Slack.

Every change bumps the complaint's version, writes an audit row and queues an in-place update of
its card; a change that is already true (acknowledging twice, a double click) changes nothing and
says so. Internal data only ever goes to the card's internal channel and to DMs; the shared channel
may get one neutral line, in the thread of the customer's message, when the account enables it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.care import surveys
from bot.care.cards import ComplaintCard, ComplaintCustomerAckCard
from bot.care.complaint_clock import (
    ComplaintPolicy,
    calendar_for,
    card_channel,
    restart_resolve_clock,
    schedule_next_check,
    start_clocks,
    targets_for,
)
from bot.care.complaint_commands import EXAMPLE, Draft
from bot.care.complaint_flag import raise_flag
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotConfigured, NotFound, Refused
from bot.platform.i18n import _
from storage import accounts as account_store
from storage.accounts import Account
from storage.care import complaints as store
from storage.care.complaints import ACTIVE, Complaint, ComplaintSeverity, ComplaintStatus
from storage.platform.audit import SCHEDULER, record_change

MAX_SUMMARY = 2000
MAX_RESOLUTION = 2000


class ComplaintAction(StrEnum):
    """What was asked of a complaint (the reply to whoever asked says what became of it)."""

    OPENED = "opened"
    CLAIMED = "claimed"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"


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
    """The outcome of one action on a complaint, its card as it now stands, and the outbox keys to deliver at once."""

    complaint: Complaint
    action: ComplaintAction
    changed: bool
    card: ComplaintCard
    card_channel: str | None  # where the complaint's card is
    keys: list[str] = field(default_factory=list)
    previous_owner: str | None = None
    flagged: bool = False
    survey_planned: bool = False  # resolving planned a satisfaction survey for the complainant


def card_key(complaint_id: int) -> str:
    """The outbox key of a complaint's card."""
    return f"complaint:{complaint_id}:card"


def complaint_card(complaint: Complaint, account: Account, policy: ComplaintPolicy) -> ComplaintCard:
    """The complaint card as the complaint now stands (internal: it only goes to internal channels)."""
    assert complaint.id is not None  # stored before it has a card
    return ComplaintCard(
        id=complaint.id, account=account.name, summary=complaint.summary,
        severity=ComplaintSeverity(complaint.severity), status=ComplaintStatus(complaint.status),
        owner=complaint.owner_id, complainant=complaint.complainant_id, created_by=complaint.created_by,
        permalink=complaint.permalink, tz=calendar_for(account, policy).timezone, created_at=complaint.created_at,
        ack_due=complaint.ack_due_at, acknowledged_at=complaint.acknowledged_at,
        ack_breached=complaint.ack_breached_at is not None, resolve_due=complaint.resolve_due_at,
        resolved_at=complaint.resolved_at, resolve_breached=complaint.resolve_breached_at is not None,
        resolution=complaint.resolution, resolved_by=complaint.resolved_by, reopen_count=complaint.reopen_count,
        closed_at=complaint.closed_at,
    )


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
        return _result(session, policy, existing, ComplaintAction.OPENED, changed=False)
    channel = card_channel(account, policy)
    assert channel is not None and account.id is not None  # check_draft refuses an account without a card channel
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
        assert source is not None  # only a complaint from a message has a unique source
        existing = store.get_complaint_from_message(session, channel_id=source.channel_id, ts=source.ts)
        assert existing is not None  # the row the constraint found
        return _result(session, policy, existing, ComplaintAction.OPENED, changed=False)
    assert complaint.id is not None  # flushed by add_complaint
    record_change(session, actor_id=actor_id, action="complaint.open", object_type="complaint",
                  object_id=complaint.id, at=now, after=_snapshot(complaint))
    keys = [card_key(complaint.id)]
    outbox.post(session, key=keys[0], channel=channel, card=complaint_card(complaint, account, policy), now=now,
                actor=actor_id)
    flag_keys = raise_flag(session, account=account, complaint=complaint, actor_id=actor_id, now=now, policy=policy)
    return _result(session, policy, complaint, ComplaintAction.OPENED, changed=True, keys=keys + flag_keys,
                   flagged=bool(flag_keys))


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
    existing = store.get_complaint_from_message(session, channel_id=channel_id, ts=ts)
    return MessageDraft(linked_account_name(session, channel_id=channel_id), existing)


def claim_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                    policy: ComplaintPolicy) -> Change:
    """"I'll take it": the actor becomes the owner (taking over from someone else if need be)."""
    complaint = require_complaint(session, complaint_id=complaint_id, for_update=True)
    if complaint.status not in ACTIVE or complaint.owner_id == actor_id:
        return _result(session, policy, complaint, ComplaintAction.CLAIMED, changed=False)
    previous = complaint.owner_id
    complaint.owner_id = actor_id
    keys = _changed(session, complaint, actor_id=actor_id, now=now, policy=policy, action="claim",
                    before={"owner_id": previous}, after={"owner_id": actor_id})
    keys += _customer_ack(session, complaint, now=now)
    return _result(session, policy, complaint, ComplaintAction.CLAIMED, changed=True, keys=keys,
                   previous_owner=previous)


def acknowledge_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                          policy: ComplaintPolicy) -> Change:
    """Acknowledge an open complaint: its acknowledge clock stops; an unowned one becomes the actor's."""
    complaint = require_complaint(session, complaint_id=complaint_id, for_update=True)
    if complaint.status != ComplaintStatus.OPEN:
        return _result(session, policy, complaint, ComplaintAction.ACKNOWLEDGED, changed=False)
    before = {"status": str(complaint.status), "owner_id": complaint.owner_id}
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at, complaint.acknowledged_by = now, actor_id
    complaint.owner_id = complaint.owner_id or actor_id
    keys = _changed(session, complaint, actor_id=actor_id, now=now, policy=policy, action="acknowledge",
                    before=before, after={"status": str(complaint.status), "owner_id": complaint.owner_id})
    keys += _customer_ack(session, complaint, now=now)
    return _result(session, policy, complaint, ComplaintAction.ACKNOWLEDGED, changed=True, keys=keys)


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
    complaint = require_complaint(session, complaint_id=complaint_id)
    return _result(session, policy, complaint, ComplaintAction.RESOLVED, changed=complaint.status in ACTIVE)


def resolve_complaint(session: Session, *, complaint_id: int, resolution: str, actor_id: str, now: datetime,
                      policy: ComplaintPolicy) -> Change:
    """Resolve an active complaint with how it was resolved; its survey is planned."""
    resolution = check_resolution(resolution)
    complaint = require_complaint(session, complaint_id=complaint_id, for_update=True)
    if complaint.status not in ACTIVE:
        return _result(session, policy, complaint, ComplaintAction.RESOLVED, changed=False)
    before = {"status": str(complaint.status), "owner_id": complaint.owner_id}
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolved_at, complaint.resolved_by, complaint.resolution = now, actor_id, resolution
    complaint.owner_id = complaint.owner_id or actor_id
    if complaint.acknowledged_at is None:  # resolving answers the customer, so it acknowledges too
        complaint.acknowledged_at, complaint.acknowledged_by = now, actor_id
    keys = _changed(session, complaint, actor_id=actor_id, now=now, policy=policy, action="resolve",
                    before=before, after={"status": str(complaint.status), "owner_id": complaint.owner_id,
                                          "resolution": resolution})
    survey = surveys.schedule_for_complaint(session, complaint=complaint, now=now)
    return _result(session, policy, complaint, ComplaintAction.RESOLVED, changed=True, keys=keys,
                   survey_planned=survey is not None)


def reopen_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                     policy: ComplaintPolicy) -> Change:
    """Reopen a resolved or closed complaint: a fresh resolve clock, and its pending survey is cancelled."""
    complaint = require_complaint(session, complaint_id=complaint_id, for_update=True)
    if complaint.status in ACTIVE:
        return _result(session, policy, complaint, ComplaintAction.REOPENED, changed=False)
    account = session.get_one(Account, complaint.account_id)
    before = {"status": str(complaint.status), "resolution": complaint.resolution}
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.reopen_count += 1
    complaint.resolved_at = complaint.resolved_by = complaint.resolution = complaint.closed_at = None
    complaint.owner_id = complaint.owner_id or actor_id
    _ack, resolve = targets_for(account, complaint.severity)
    restart_resolve_clock(complaint, calendar=calendar_for(account, policy), resolve=resolve, start=now)
    keys = _changed(session, complaint, actor_id=actor_id, now=now, policy=policy, action="reopen",
                    before=before, after={"status": str(complaint.status), "reopen_count": complaint.reopen_count})
    surveys.cancel_for_complaint(session, complaint_id=complaint_id, now=now, actor_id=actor_id)
    return _result(session, policy, complaint, ComplaintAction.REOPENED, changed=True, keys=keys)


def close_complaint(session: Session, *, complaint_id: int, actor_id: str, now: datetime,
                    policy: ComplaintPolicy) -> Change:
    """Close a resolved complaint (after its survey, or when the survey's time is over)."""
    complaint = require_complaint(session, complaint_id=complaint_id, for_update=True)
    if complaint.status != ComplaintStatus.RESOLVED:
        return _result(session, policy, complaint, ComplaintAction.CLOSED, changed=False)
    complaint.status = ComplaintStatus.CLOSED
    complaint.closed_at = now
    keys = _changed(session, complaint, actor_id=actor_id, now=now, policy=policy, action="close",
                    before={"status": ComplaintStatus.RESOLVED.value}, after={"status": str(complaint.status)})
    return _result(session, policy, complaint, ComplaintAction.CLOSED, changed=True, keys=keys)


def answer_survey(session: Session, *, survey_id: int, user_id: str, score: int, now: datetime,
                  policy: ComplaintPolicy) -> surveys.Answer:
    """Record a survey score; an answered survey about a complaint closes it (its loop is done)."""
    answer = surveys.record_answer(session, survey_id=survey_id, user_id=user_id, score=score, now=now)
    complaint_id = answer.survey.complaint_id
    if answer.outcome == surveys.Outcome.RECORDED and complaint_id:
        closed = close_complaint(session, complaint_id=complaint_id, actor_id=SCHEDULER, now=now, policy=policy)
        answer.keys.extend(closed.keys)
    return answer


def require_complaint(session: Session, *, complaint_id: int, for_update: bool = False) -> Complaint:
    """The complaint, or NotFound; locked with `for_update`, so two clicks at once apply one after the other."""
    complaint = store.get_complaint(session, complaint_id=complaint_id, for_update=for_update)
    if complaint is None:
        raise NotFound(_("There is no complaint #{id}. See `/complaint list`.").format(id=complaint_id))
    return complaint


def _result(session: Session, policy: ComplaintPolicy, complaint: Complaint, action: ComplaintAction, *, changed: bool,
            keys: list[str] | None = None, previous_owner: str | None = None, flagged: bool = False,
            survey_planned: bool = False) -> Change:
    """A Change carrying the complaint's card, for the reply to whoever acted."""
    account = session.get_one(Account, complaint.account_id)
    return Change(complaint, action, changed=changed, card=complaint_card(complaint, account, policy),
                  card_channel=card_channel(account, policy), keys=keys or [], previous_owner=previous_owner,
                  flagged=flagged, survey_planned=survey_planned)


def _changed(session: Session, complaint: Complaint, *, actor_id: str, now: datetime, policy: ComplaintPolicy,
             action: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Record a change: reschedule the clocks, write the audit row, update the card in place."""
    schedule_next_check(complaint)
    session.add(complaint)
    record_change(session, actor_id=actor_id, action=f"complaint.{action}", object_type="complaint",
                  object_id=complaint.id, at=now, before=before, after=after)
    account = session.get_one(Account, complaint.account_id)
    return [queue_card_update(session, complaint, account, now=now, policy=policy)]


def queue_card_update(session: Session, complaint: Complaint, account: Account, *, now: datetime,
                      policy: ComplaintPolicy) -> str:
    """Queue an edit of the complaint's card showing its current state; returns the outbox key."""
    assert complaint.id is not None  # a stored complaint
    complaint.version += 1
    complaint.updated_at = now
    session.add(complaint)
    key = f"{card_key(complaint.id)}:v{complaint.version}"
    card = complaint_card(complaint, account, policy)
    outbox.update(session, key=key, original_key=card_key(complaint.id), card=card, now=now)
    return key


def _customer_ack(session: Session, complaint: Complaint, *, now: datetime) -> list[str]:
    """Tell the customer, once, in their message's thread, who is on it (when the account wants that)."""
    account = session.get_one(Account, complaint.account_id)
    if not (account.customer_ack and complaint.owner_id and complaint.source_channel_id and complaint.source_ts):
        return []
    link = account_store.get_channel_link(session, channel_id=complaint.source_channel_id)
    if link is None or not link.is_shared:
        return []
    key = f"complaint:{complaint.id}:customer-ack"
    thread = complaint.source_thread_ts or complaint.source_ts  # complaints logged before 0010 have no thread
    outbox.post(session, key=key, channel=complaint.source_channel_id, thread_ts=thread,
                card=ComplaintCustomerAckCard(owner=complaint.owner_id), now=now)
    return [key]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    return {"account_id": complaint.account_id, "summary": complaint.summary, "severity": str(complaint.severity),
            "status": str(complaint.status), "complainant_id": complaint.complainant_id,
            "permalink": complaint.permalink, "ack_due_at": _iso(complaint.ack_due_at),
            "resolve_due_at": _iso(complaint.resolve_due_at)}
