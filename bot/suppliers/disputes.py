"""Disputes (争议处理) with a supplier, customer or third party, on their ladder — the rules, free of Slack.

By default four levels: level 1 coordinate (3 working days), level 2 mediation with supplier resources,
the end customer or third parties (5), level 3 the company's formal dispute process (10), level 4 the
legal route (no deadline). A party whose contract or agreement has a dispute clause (争议条款) gets the
clause's levels and times instead (bot.suppliers.dispute_ladder), copied onto the dispute when it opens.
Deadlines count working days on the team calendar from the moment a level starts (or the dispute is
reopened), at the same time of day. The service manager who owns the party's account is the first owner.

Every change locks the dispute, writes a history event and an audit row, and queues an in-place
update of its card. Reaching a level notifies the escalation channel and the managers under keys
naming the dispute and the level, so a level is announced once whoever (or whatever) reached it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.accounts.labels import kind_label
from bot.accounts.registry import require_account
from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.arguments import parse_id
from bot.platform.errors import FormErrors, InvalidInput, NotConfigured, NotFound, RapportError, Refused
from bot.platform.i18n import _
from bot.suppliers.cards import (
    DisputeAssignedCard,
    DisputeCard,
    DisputeEscalatedCard,
    DisputeResolvedCard,
)
from bot.suppliers.dispute_ladder import DisputePolicy, Ladder, clause_ladder, default_ladder
from bot.suppliers.dispute_view import build_card, card_key, dispute_id_of, party_of, queue_card_update
from storage.accounts import Account, AccountKind
from storage.care.complaints import get_complaint
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import disputes as store
from storage.suppliers.disputes import Dispute, DisputeAction, DisputeEvent, DisputeStatus

if TYPE_CHECKING:
    from bot.platform.services import Services

MAX_SUBJECT = 2000
MAX_RESOLUTION = 2000
MAX_OTHERS = 10
MAX_COMPLAINT_ID = 999_999_999  # beyond any id stored (and the database's integer)
BATCH = 200
EXAMPLE = "/dispute Netcom: who pays for the failed migration weekend"
_SUPPLIER_PREFIX = re.compile(r"^\s*([^:：<>\n]{1,80}?)\s*(?::\s+|:$|：\s*)(.*)$", re.DOTALL)
_LIST_SEPARATORS = re.compile(r"[,，]")


@dataclass(frozen=True)
class DisputeDraft:
    """What someone asked to open: the party (the field keeps its first name), the subject and the form's rest."""

    supplier: str
    subject: str
    scope: str | None = None
    complaint: str | None = None
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class DisputeChange:
    """The outcome of one action on a dispute, and the outbox keys to deliver at once."""

    dispute: Dispute
    action: DisputeAction
    changed: bool
    card: DisputeCard
    keys: list[str] = field(default_factory=list)


def level_due(calendar: WorkCalendar, start: datetime, days: int) -> datetime:
    """`days` working days after `start` on the calendar, at the same time of day (UTC)."""
    local = start.astimezone(calendar.timezone)
    day = calendar.add_working_days(local.date(), days)
    # The round trip moves a wall-clock time a DST change skips to a real instant.
    return datetime.combine(day, local.time(), tzinfo=calendar.timezone).astimezone(UTC)


def parse_other_suppliers(text: str) -> tuple[str, ...]:
    """The other suppliers typed in the form: names separated by commas."""
    return tuple(name.strip() for name in _LIST_SEPARATORS.split(text) if name.strip())


def parse_dispute_text(text: str) -> DisputeDraft:
    """Split `<party>: <subject>`."""
    match = _SUPPLIER_PREFIX.match(text)
    if not match or not match.group(2).strip():
        raise InvalidInput(_("Name the party (a supplier, customer or third party), then say what the dispute is "
                             "about: `{example}` — or type `/dispute` alone for a form.").format(example=EXAMPLE))
    return DisputeDraft(html.unescape(match.group(1)).strip(), match.group(2).strip())


@contextmanager
def _about(field_name: str) -> Iterator[None]:
    """Tie any user-facing error raised inside to one field of the form."""
    try:
        yield
    except FormErrors:
        raise
    except RapportError as problem:
        raise FormErrors({field_name: problem.message}) from None


def require_supplier_account(session: Session, *, name: str) -> Account:
    """The named account, refusing one that is not a supplier."""
    account = require_account(session, name=name, kind=AccountKind.SUPPLIER)
    if account.kind != AccountKind.SUPPLIER:
        raise Refused(_("*{name}* is a {kind} account; disputes are with suppliers. Add the supplier with "
                        "`/account add <name> supplier`.").format(name=account.name, kind=kind_label(account.kind)))
    return account


def _check_text(text: str | None, *, limit: int, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(empty)
    if len(text) > limit:
        raise InvalidInput(_("Keep it under {limit} characters ({length} now).").format(limit=limit,
                                                                                     length=len(text)))
    return text


def _optional_text(text: str | None, *, limit: int) -> str | None:
    text = (text or "").strip()
    return _check_text(text, limit=limit, empty="") if text else None


def check_resolution(text: str | None) -> str:
    """A resolution worth recording: not empty, not over-long."""
    return _check_text(text, limit=MAX_RESOLUTION, empty=_("Say how the dispute was resolved — the history and "
                                                             "the supplier's scorecard keep it."))


def _complaint_id(session: Session, ref: str | None) -> int | None:
    if not ref or not ref.strip():
        return None
    complaint_id = parse_id(ref, example="#12")
    if complaint_id is None:
        raise InvalidInput(_("Give the complaint's number, e.g. `12` or `#12`."))
    if complaint_id > MAX_COMPLAINT_ID or get_complaint(session, complaint_id=complaint_id) is None:
        raise NotFound(_("There is no complaint #{id}. See `/complaint list`.").format(id=complaint_id))
    return complaint_id


def _others(session: Session, names: tuple[str, ...], supplier: Account) -> list[Account]:
    accounts: list[Account] = []
    for name in names:
        account = require_account(session, name=name)
        if account.id != supplier.id and account.id not in [a.id for a in accounts]:
            accounts.append(account)
    if len(accounts) > MAX_OTHERS:
        raise InvalidInput(_("Name at most {limit} other parties.").format(limit=MAX_OTHERS))
    return accounts


def open_dispute(session: Session, *, draft: DisputeDraft, actor_id: str, now: datetime, policy: DisputePolicy,
                 is_shared: Callable[[str], bool]) -> DisputeChange:
    """Open a dispute at level 1 on the party's ladder, owned by its service manager, and queue its card."""
    with _about("supplier"):
        supplier = require_account(session, name=draft.supplier)
    with _about("subject"):
        subject = _check_text(draft.subject, limit=MAX_SUBJECT, empty=_(
            "Say what the dispute is about: `{example}`").format(example=EXAMPLE))
    with _about("scope"):
        scope = _optional_text(draft.scope, limit=MAX_SUBJECT)
    with _about("complaint"):
        complaint_id = _complaint_id(session, draft.complaint)
    with _about("others"):
        others = _others(session, draft.others, supplier)
    channel = policy.escalation_channel
    if not channel:
        raise NotConfigured(_("Dispute cards go to the escalation channel, and RAPPORT_ESCALATION_CHANNEL is not "
                              "set. Ask an admin to set it."))
    if is_shared(channel):
        raise Refused(_("<#{channel}> is shared with another organisation, so dispute cards can't go there. Ask an "
                        "admin to point RAPPORT_ESCALATION_CHANNEL at an internal channel.").format(channel=channel))
    assert supplier.id is not None  # a stored account
    owner = supplier.owner_id or actor_id
    ladder = (clause_ladder(session, supplier, today=now.astimezone(policy.calendar.timezone).date())
              or default_ladder(policy.level_days))
    clause = ladder.clause
    dispute = Dispute(supplier_id=supplier.id, subject=subject, scope=scope, complaint_id=complaint_id,
                      owner_id=owner, level_started_at=now, created_by=actor_id, created_at=now, updated_at=now,
                      ladder=ladder.stored(), clause_contract_id=clause.contract_id if clause else None,
                      clause_agreement_id=clause.agreement_id if clause else None)
    start_level(dispute, 1, now=now, policy=policy, ladder=ladder)
    store.add_dispute(session, dispute, party_ids=[other.id for other in others if other.id is not None])
    assert dispute.id is not None  # flushed by add_dispute
    store.add_event(session, DisputeEvent(dispute_id=dispute.id, at=now, actor_id=actor_id,
                                          action=DisputeAction.OPENED, level=1))
    record_change(session, actor_id=actor_id, action="dispute.open", object_type="dispute", object_id=dispute.id,
                  at=now, after={"party": supplier.name, "kind": supplier.kind, "subject": subject, "scope": scope,
                                 "complaint_id": complaint_id, "others": [o.name for o in others], "owner_id": owner,
                                 "level": 1, "level_due_at": _iso(dispute.level_due_at), "ladder": dispute.ladder})
    card = build_card(session, dispute, policy=policy)
    keys = [card_key(dispute.id)]
    outbox.post(session, key=keys[0], channel=channel, card=card, now=now, actor=actor_id)
    if owner != actor_id:
        keys.append(f"dispute:{dispute.id}:owner:{owner}")
        assigned = DisputeAssignedCard(id=card.id, supplier=card.supplier, subject=card.subject, due=card.due,
                                       tz=card.tz, actor=actor_id, party_kind=card.party_kind,
                                       decider=card.deciders[0] if card.deciders else None)
        outbox.dm(session, key=keys[-1], user=owner, card=assigned, now=now)
    return DisputeChange(dispute, DisputeAction.OPENED, changed=True, card=card, keys=keys)


def start_level(dispute: Dispute, level: int, *, now: datetime, policy: DisputePolicy, ladder: Ladder) -> None:
    """Start a level's clock at `now`; the top level's time limit is shown but escalates nowhere."""
    dispute.level, dispute.level_started_at = level, now
    days = ladder.rung(level).days
    dispute.level_due_at = level_due(policy.calendar, now, days) if days else None
    dispute.next_check_at = dispute.level_due_at if level < ladder.last else None


def get_or_refuse(session: Session, dispute_id: int, *, for_update: bool = False) -> Dispute:
    """The dispute (locked with `for_update`, so that two clicks, or a click and a tick, apply one after the other)."""
    dispute = store.get_dispute(session, dispute_id=dispute_id, for_update=for_update)
    if dispute is None:
        raise NotFound(_("There is no dispute #{id}. See `/dispute list`.").format(id=dispute_id))
    return dispute


def escalate_dispute(session: Session, *, dispute_id: int, from_level: int, actor_id: str, now: datetime,
                     policy: DisputePolicy) -> DisputeChange:
    """Move an open dispute from `from_level` to the next level; a stale or repeated request changes nothing."""
    dispute = get_or_refuse(session, dispute_id, for_update=True)
    ladder = policy.ladder(session, dispute)
    if dispute.status != DisputeStatus.OPEN or dispute.level != from_level or dispute.level >= ladder.last:
        return DisputeChange(dispute, DisputeAction.ESCALATED, changed=False,
                             card=build_card(session, dispute, policy=policy))
    automatic = actor_id == SCHEDULER
    overdue_since = dispute.level_due_at
    before = {"level": dispute.level, "level_due_at": _iso(dispute.level_due_at)}
    start_level(dispute, dispute.level + 1, now=now, policy=policy, ladder=ladder)
    store.add_event(session, DisputeEvent(dispute_id=dispute_id, at=now, actor_id=actor_id,
                                          action=DisputeAction.ESCALATED, level=dispute.level, automatic=automatic))
    record_change(session, actor_id=actor_id, action="dispute.escalate", object_type="dispute", object_id=dispute_id,
                  at=now, before=before, after={"level": dispute.level, "level_due_at": _iso(dispute.level_due_at),
                                                "automatic": automatic})
    keys = [queue_card_update(session, dispute, now=now, policy=policy)]
    keys += _announce_level(session, dispute, actor_id=actor_id, overdue_since=overdue_since, now=now, policy=policy,
                            ladder=ladder)
    return DisputeChange(dispute, DisputeAction.ESCALATED, changed=True,
                         card=build_card(session, dispute, policy=policy), keys=keys)


def _announce_level(session: Session, dispute: Dispute, *, actor_id: str, overdue_since: datetime | None,
                    now: datetime, policy: DisputePolicy, ladder: Ladder) -> list[str]:
    """One post in the escalation channel and a DM to the owner and each manager (not the person who acted)."""
    party = party_of(session, dispute)
    card = DisputeEscalatedCard(
        id=dispute_id_of(dispute), supplier=party.name, subject=dispute.subject, level=dispute.level,
        due=dispute.level_due_at, overdue_since=overdue_since if actor_id == SCHEDULER else None, actor=actor_id,
        owner=dispute.owner_id, tz=policy.calendar.timezone, card_channel=policy.escalation_channel,
        party_kind=AccountKind(party.kind), last=ladder.last, decider=ladder.rung(dispute.level).decider)
    prefix = f"dispute:{dispute.id}:level{dispute.level}"
    keys = []
    if policy.escalation_channel:
        keys.append(f"{prefix}:post")
        outbox.post(session, key=keys[-1], channel=policy.escalation_channel, card=card, now=now)
    for user in dict.fromkeys([dispute.owner_id, *policy.managers]):
        if user != actor_id:
            keys.append(f"{prefix}:dm:{user}")
            outbox.dm(session, key=keys[-1], user=user, card=card, now=now)
    return keys


def check_can_resolve(session: Session, *, dispute_id: int, policy: DisputePolicy) -> DisputeChange:
    """Before asking for a resolution: the dispute, and whether it is still open (changed=True)."""
    return _check_status(session, dispute_id, DisputeAction.RESOLVED, DisputeStatus.OPEN, policy)


def _check_status(session: Session, dispute_id: int, action: DisputeAction, status: DisputeStatus,
                  policy: DisputePolicy) -> DisputeChange:
    """The dispute, and whether it is in the `status` that `action` starts from (changed=True)."""
    dispute = get_or_refuse(session, dispute_id)
    return DisputeChange(dispute, action, changed=dispute.status == status,
                         card=build_card(session, dispute, policy=policy))


def resolve_dispute(session: Session, *, dispute_id: int, resolution: str, actor_id: str, now: datetime,
                    policy: DisputePolicy) -> DisputeChange:
    """Resolve an open dispute with how it was resolved; a linked complaint's owner is told."""
    resolution = check_resolution(resolution)
    dispute = get_or_refuse(session, dispute_id, for_update=True)
    if dispute.status != DisputeStatus.OPEN:
        return DisputeChange(dispute, DisputeAction.RESOLVED, changed=False,
                             card=build_card(session, dispute, policy=policy))
    dispute.status = DisputeStatus.RESOLVED
    dispute.resolution, dispute.resolved_by, dispute.resolved_at = resolution, actor_id, now
    dispute.next_check_at = None
    store.add_event(session, DisputeEvent(dispute_id=dispute_id, at=now, actor_id=actor_id,
                                          action=DisputeAction.RESOLVED, level=dispute.level, note=resolution))
    record_change(session, actor_id=actor_id, action="dispute.resolve", object_type="dispute", object_id=dispute_id,
                  at=now, before={"status": DisputeStatus.OPEN.value},
                  after={"status": DisputeStatus.RESOLVED.value, "level": dispute.level, "resolution": resolution})
    keys = [queue_card_update(session, dispute, now=now, policy=policy)]
    card = build_card(session, dispute, policy=policy)
    complaint = get_complaint(session, complaint_id=dispute.complaint_id) if dispute.complaint_id else None
    if complaint is not None and card.complaint is not None:
        told = complaint.owner_id or complaint.created_by
        # The version names this resolution: a dispute reopened and resolved again tells the owner again.
        keys.append(f"dispute:{dispute.id}:resolved:v{dispute.version}:complaint-owner:{told}")
        resolved = DisputeResolvedCard(id=card.id, supplier=card.supplier, complaint=card.complaint,
                                       resolution=resolution, resolved_by=actor_id)
        outbox.dm(session, key=keys[-1], user=told, card=resolved, now=now)
    return DisputeChange(dispute, DisputeAction.RESOLVED, changed=True, card=card, keys=keys)


def check_reason(text: str | None) -> str:
    """A reason to reopen: not empty, not over-long."""
    return _check_text(text, limit=MAX_RESOLUTION, empty=_("Say why the dispute is reopened: `/dispute 12 reopen: "
                                                             "the credit note never came`"))


def check_can_reopen(session: Session, *, dispute_id: int, policy: DisputePolicy) -> DisputeChange:
    """Before asking for a reason: the dispute, and whether it is resolved (changed=True)."""
    return _check_status(session, dispute_id, DisputeAction.REOPENED, DisputeStatus.RESOLVED, policy)


def reopen_dispute(session: Session, *, dispute_id: int, reason: str, actor_id: str, now: datetime,
                   policy: DisputePolicy) -> DisputeChange:
    """Reopen a resolved dispute at the level it was resolved at, that level's clock restarting at `now`."""
    reason = check_reason(reason)
    dispute = get_or_refuse(session, dispute_id, for_update=True)
    if dispute.status != DisputeStatus.RESOLVED:
        return DisputeChange(dispute, DisputeAction.REOPENED, changed=False,
                             card=build_card(session, dispute, policy=policy))
    before = {"status": DisputeStatus.RESOLVED.value, "resolution": dispute.resolution,
              "resolved_by": dispute.resolved_by}
    dispute.status = DisputeStatus.OPEN
    dispute.resolution = dispute.resolved_by = dispute.resolved_at = None
    start_level(dispute, dispute.level, now=now, policy=policy, ladder=policy.ladder(session, dispute))
    store.add_event(session, DisputeEvent(dispute_id=dispute_id, at=now, actor_id=actor_id,
                                          action=DisputeAction.REOPENED, level=dispute.level, note=reason))
    record_change(session, actor_id=actor_id, action="dispute.reopen", object_type="dispute", object_id=dispute_id,
                  at=now, before=before, after={"status": DisputeStatus.OPEN.value, "level": dispute.level,
                                                "level_due_at": _iso(dispute.level_due_at), "reason": reason})
    keys = [queue_card_update(session, dispute, now=now, policy=policy)]
    return DisputeChange(dispute, DisputeAction.REOPENED, changed=True,
                         card=build_card(session, dispute, policy=policy), keys=keys)


def run_due_disputes(session: Session, now: datetime, services: Services) -> int:
    """Escalate every dispute whose level is overdue at `now`; returns how many messages were queued."""
    policy = DisputePolicy.from_services(services)
    queued = 0
    for dispute in store.list_due_disputes(session, now=now, limit=BATCH):
        change = escalate_dispute(session, dispute_id=dispute_id_of(dispute), from_level=dispute.level,
                                  actor_id=SCHEDULER, now=now, policy=policy)
        queued += len(change.keys)
    return queued


def next_due_disputes(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_disputes next has work (dispute escalation); past when some waits."""
    return store.next_dispute_check_at(session)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def dispute_card(session: Session, *, dispute_id: int, policy: DisputePolicy) -> DisputeCard:
    """`/dispute <id>`: the dispute's card, with the whole history."""
    return build_card(session, get_or_refuse(session, dispute_id), policy=policy)
