"""Information sharing with third parties by 5W1H — agreements, and the check before anything is shared.

An agreement says why we share, what kinds of information, where (one channel), when (any time, or
business hours only, plus a schedule in words), who may share (named people), how (posting in
Slack, email …), who approved it (a manager) and until when. The manager named is asked by DM and
the agreement counts once they approve it (at once when they record it themselves). Sharing a
Rapport summary into a third party's channel is refused unless one approved agreement covers all
of it; the refusal says why, one line per reason, about the agreement that comes closest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.accounts.labels import kind_label
from bot.accounts.registry import require_account
from bot.calendar.workdays import WorkCalendar
from bot.platform import cards, outbox
from bot.platform.errors import FormErrors, InvalidInput, NotConfigured, NotFound, Refused
from bot.platform.i18n import _
from bot.thirdparty.cards import (
    ComplaintFigures,
    DisputeFigures,
    Figures,
    RequestFigures,
    SharedRequest,
    SharedSummaryCard,
    SharingApprovalCard,
    SharingDecidedCard,
)
from storage.accounts import Account, AccountKind, get_channel_link, list_account_channels
from storage.care.complaints import ComplaintFilter, count_complaints
from storage.platform.audit import record_change
from storage.suppliers.disputes import count_open_by_level
from storage.thirdparty import requests as request_store
from storage.thirdparty import sharing as store
from storage.thirdparty.requests import RequestStatus
from storage.thirdparty.sharing import AgreementStatus, SharedKind, SharingAgreement, SharingMethod, SharingWindow

MAX_PURPOSE = 1000
MAX_SCHEDULE = 200
MAX_PEOPLE = 20
MAX_YEARS = 3
SHARED_REQUESTS = 20
SHARE_EXAMPLE = "/thirdparty share AuditCo complaints"
_CHANNEL_TAIL = re.compile(r"\s*<#([CG][A-Z0-9]+)(?:\|[^>]*)?>\s*$")


@dataclass(frozen=True)
class AgreementForm:
    """The 5W1H of an agreement as typed in its form."""

    purpose: str
    kinds: list[str]
    channel_id: str | None
    window: SharingWindow
    schedule: str | None
    people: list[str]
    method: SharingMethod
    approved_by: str | None
    valid_until: date | None


def require_third_party(session: Session, *, name: str) -> Account:
    """The named account, refusing one that is not a third party."""
    account = require_account(session, name=name, kind=AccountKind.THIRD_PARTY)
    if account.kind != AccountKind.THIRD_PARTY:
        raise Refused(_("*{name}* is a {kind} account, not a third party. Add third parties with "
                        "`/account add <name> third-party`.").format(name=account.name, kind=kind_label(account.kind)))
    return account


def _require_managers(managers: tuple[str, ...]) -> None:
    if not managers:
        raise NotConfigured(_("Sharing agreements are approved by a service manager, and none is configured: "
                              "set RAPPORT_MANAGERS to their Slack user IDs."))


@dataclass(frozen=True)
class AgreementStart:
    """What the agreement form opens with: the third party and its linked channel."""

    account: Account
    channel_id: str | None


def start_agreement(session: Session, *, name: str, managers: tuple[str, ...]) -> AgreementStart:
    """The third party an agreement form is opened for; refused when no manager could approve it."""
    account = require_third_party(session, name=name)
    assert account.id is not None  # a stored account
    _require_managers(managers)
    links = list_account_channels(session, account_id=account.id)
    return AgreementStart(account, links[0].channel_id if links else None)


@dataclass(frozen=True)
class AgreementRecorded:
    """A recorded agreement (approved at once, or waiting for its approver), and the keys to deliver now."""

    agreement: SharingAgreement
    account: Account
    keys: list[str] = field(default_factory=list)


def approval_key(agreement_id: int) -> str:
    """The outbox key of the DM asking a manager to approve an agreement."""
    return f"sharing:{agreement_id}:approval"


def record_agreement(session: Session, *, account_id: int, form: AgreementForm, actor_id: str, now: datetime,
                     calendar: WorkCalendar, managers: tuple[str, ...],
                     is_internal: Callable[[str], bool]) -> AgreementRecorded:
    """Record an agreement after checking each of its 5W1H, and ask its approver; FormErrors names the field."""
    try:
        _require_managers(managers)
    except NotConfigured as problem:
        raise FormErrors({"approver": problem.message}) from None
    purpose = (form.purpose or "").strip()
    if not purpose or len(purpose) > MAX_PURPOSE:
        raise FormErrors({"why": _("Say why the information is shared (at most {limit} characters).").format(
            limit=MAX_PURPOSE)})
    kinds = [kind.value for kind in SharedKind if kind in form.kinds]
    if not kinds:
        raise FormErrors({"what": _("Tick at least one kind of information.")})
    if not form.channel_id:
        raise FormErrors({"where": _("Choose the channel the information goes to.")})
    link = get_channel_link(session, channel_id=form.channel_id)
    if link is not None and link.account_id != account_id:
        other = session.get(Account, link.account_id)
        raise FormErrors({"where": _("<#{channel}> belongs to {other}; choose this third party's channel.").format(
            channel=form.channel_id, other=other.name if other else "—")})
    schedule = (form.schedule or "").strip() or None
    if schedule and len(schedule) > MAX_SCHEDULE:
        raise FormErrors({"schedule": _("Keep the schedule under {limit} characters.").format(limit=MAX_SCHEDULE)})
    people = list(dict.fromkeys(form.people))
    if not people or len(people) > MAX_PEOPLE:
        raise FormErrors({"who": _("Name the people allowed to share (1 to {limit}).").format(limit=MAX_PEOPLE)})
    # A manager of ours, asked below: someone from another organisation can never approve.
    if form.approved_by is None or form.approved_by not in managers or not is_internal(form.approved_by):
        names = ", ".join(f"<@{manager}>" for manager in managers)
        raise FormErrors({"approver": _("A manager approves sharing agreements: {names}.").format(names=names)})
    today = now.astimezone(calendar.timezone).date()
    if form.valid_until is None or not today <= form.valid_until <= today + timedelta(days=366 * MAX_YEARS):
        raise FormErrors({"until": _("Choose a last day from today to {years} years ahead.").format(
            years=MAX_YEARS)})
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(_("That third party no longer exists; nothing was recorded."))
    approved = form.approved_by == actor_id  # a manager recording their own agreement approves it as they do
    agreement = SharingAgreement(account_id=account_id, purpose=purpose, kinds=kinds, channel_id=form.channel_id,
                                 window=form.window, schedule=schedule, people=people, method=form.method,
                                 approved_by=form.approved_by,
                                 status=AgreementStatus.APPROVED if approved else AgreementStatus.PENDING,
                                 decided_at=now if approved else None, valid_until=form.valid_until,
                                 created_by=actor_id, created_at=now)
    store.add_agreement(session, agreement)
    record_change(session, actor_id=actor_id, action="sharing.agree", object_type="account", object_id=account_id,
                  at=now, after=agreement_snapshot(agreement))
    if approved:
        return AgreementRecorded(agreement, account)
    key = approval_key(_id(agreement))
    outbox.dm(session, key=key, user=agreement.approved_by, card=approval_card(agreement, account), now=now)
    return AgreementRecorded(agreement, account, [key])


def _id(agreement: SharingAgreement) -> int:
    assert agreement.id is not None  # a stored agreement
    return agreement.id


def approval_card(agreement: SharingAgreement, account: Account) -> SharingApprovalCard:
    """What the approver's DM shows: the agreement, who asked, and where it stands."""
    return SharingApprovalCard(
        id=_id(agreement), account=account.name, created_by=agreement.created_by, why=agreement.purpose,
        what=tuple(SharedKind(kind) for kind in agreement.kinds), where=agreement.channel_id,
        when=SharingWindow(agreement.window), schedule=agreement.schedule, who=tuple(agreement.people),
        how=SharingMethod(agreement.method), approved_by=agreement.approved_by,
        status=AgreementStatus(agreement.status), valid_until=agreement.valid_until)


@dataclass(frozen=True)
class AgreementDecision:
    """An approver's click: the agreement, whether this click decided it, and the keys to deliver now."""

    agreement: SharingAgreement
    account: Account
    changed: bool
    keys: list[str] = field(default_factory=list)


def decide_agreement(session: Session, *, agreement_id: int, approve: bool, actor_id: str, now: datetime,
                     managers: tuple[str, ...]) -> AgreementDecision:
    """The named approver approves or declines a pending agreement, once; the one who recorded it is told."""
    agreement = _agreement(session, agreement_id)
    account = session.get(Account, agreement.account_id)
    assert account is not None  # agreements keep their account (foreign key)
    if actor_id != agreement.approved_by or actor_id not in managers:
        raise Refused(_("Only <@{approver}> can approve or decline agreement #{id}.").format(
            approver=agreement.approved_by, id=agreement_id))
    status = AgreementStatus.APPROVED if approve else AgreementStatus.DECLINED
    if not store.decide_agreement(session, agreement_id=agreement_id, status=status, at=now):
        return AgreementDecision(_agreement(session, agreement_id), account, changed=False)
    agreement = _agreement(session, agreement_id)
    record_change(session, actor_id=actor_id, action=f"sharing.{'approve' if approve else 'decline'}",
                  object_type="account", object_id=account.id, at=now,
                  before={"id": agreement_id, "status": AgreementStatus.PENDING.value},
                  after={"id": agreement_id, "status": status.value})
    keys = [f"{approval_key(agreement_id)}:decided", f"sharing:{agreement_id}:decided"]
    outbox.update(session, key=keys[0], original_key=approval_key(agreement_id),
                  card=approval_card(agreement, account), now=now)
    decided = SharingDecidedCard(id=agreement_id, account=account.name, status=status,
                                 approved_by=agreement.approved_by, where=agreement.channel_id)
    outbox.dm(session, key=keys[1], user=agreement.created_by, card=decided, now=now)
    return AgreementDecision(agreement, account, changed=True, keys=keys)


def _agreement(session: Session, agreement_id: int) -> SharingAgreement:
    agreement = store.get_agreement(session, agreement_id=agreement_id)
    if agreement is None:
        raise NotFound(_("That sharing agreement no longer exists."))
    return agreement


def agreement_snapshot(agreement: SharingAgreement) -> dict[str, Any]:
    """An agreement as data, for the audit log and the renderers."""
    return {"id": agreement.id, "why": agreement.purpose, "what": list(agreement.kinds),
            "where": agreement.channel_id, "when": str(agreement.window), "schedule": agreement.schedule,
            "who": list(agreement.people), "how": str(agreement.method), "approved_by": agreement.approved_by,
            "status": str(agreement.status), "valid_until": agreement.valid_until.isoformat()}


@dataclass(frozen=True)
class SharingCheck:
    """Whether sharing is covered: the closest agreement, and what it lacks (nothing: allowed)."""

    agreement: SharingAgreement | None
    missing: list[str]

    @property
    def allowed(self) -> bool:
        """True when one agreement covers everything."""
        return self.agreement is not None and not self.missing


def check_sharing(session: Session, *, account_id: int, kind: SharedKind, channel_id: str, user_id: str,
                  now: datetime,
                  calendar: WorkCalendar | None = None, method: SharingMethod = SharingMethod.SLACK) -> SharingCheck:
    """What is missing for `user_id` to share `kind` with a third party in `channel_id` at `now` (by `method`)."""
    agreements = [agreement for agreement in store.list_agreements(session, account_id=account_id)
                  if agreement.status != AgreementStatus.DECLINED]
    if not agreements:
        account = session.get(Account, account_id)
        return SharingCheck(None, [_("there is no information-sharing agreement with {name} yet; a manager "
                                     "approves one (`/thirdparty agree {name}`)").format(
                                         name=account.name if account else "—")])
    checks = [SharingCheck(agreement, _gaps(agreement, kind=kind, channel_id=channel_id, user_id=user_id, now=now,
                                            calendar=calendar, method=method)) for agreement in agreements]
    # The newest agreement wins a tie, so the refusal speaks about the one people remember.
    return min(checks, key=lambda check: len(check.missing))


def _gaps(agreement: SharingAgreement, *, kind: SharedKind, channel_id: str, user_id: str, now: datetime,
          calendar: WorkCalendar | None, method: SharingMethod) -> list[str]:
    number = agreement.id
    missing = []
    if agreement.status == AgreementStatus.PENDING:
        missing.append(_("agreement #{id} is not approved yet: it waits for <@{approver}>").format(
            id=number, approver=agreement.approved_by))
    zone = calendar.timezone if calendar else None
    today = now.astimezone(zone).date() if zone else now.date()
    if agreement.valid_until < today:
        missing.append(_("agreement #{id} ended on {day}").format(id=number, day=agreement.valid_until))
    if kind not in agreement.kinds:
        missing.append(_("agreement #{id} covers {kinds}, not {kind}").format(
            kind=kind, id=number, kinds=", ".join(agreement.kinds)))
    if channel_id != agreement.channel_id:
        missing.append(_("agreement #{id} shares in <#{channel}> only, not in <#{here}>").format(
            id=number, channel=agreement.channel_id, here=channel_id))
    if user_id not in agreement.people:
        missing.append(_("you are not among the people agreement #{id} allows to share: only {people}").format(
            id=number, people=", ".join(f"<@{person}>" for person in agreement.people)))
    if method != agreement.method:
        missing.append(_("agreement #{id} shares by {agreed}, not by {method}").format(
            method=method.value, id=number, agreed=str(agreement.method)))
    if agreement.window == SharingWindow.BUSINESS_HOURS and calendar and not calendar.is_business_time(now):
        missing.append(_("agreement #{id} allows sharing in business hours only, and it is outside them now").format(
            id=number))
    return missing


@dataclass(frozen=True)
class ShareDraft:
    """`/thirdparty share <name> <kind> [#channel]` split into its parts (the kind still unchecked)."""

    name: str
    kind: str
    channel_id: str


def parse_share_text(text: str, *, channel_id: str) -> ShareDraft:
    """Read `<name> <kind> [#channel]`; without a channel, the one the command was typed in."""
    target = channel_id
    if tail := _CHANNEL_TAIL.search(text):
        target, text = tail.group(1), text[:tail.start()]
    name, _space, kind = text.strip().rpartition(" ")
    if not name or not kind:
        raise InvalidInput(_("Name the third party and the kind of information: `{example}`").format(
            example=SHARE_EXAMPLE))
    return ShareDraft(name, kind, target)


@dataclass(frozen=True)
class Shared:
    """A summary queued for a third party's channel under an agreement."""

    key: str
    agreement: SharingAgreement
    channel_id: str
    kind: SharedKind


def parse_kind(word: str) -> SharedKind:
    """A kind of information Rapport can share."""
    try:
        return SharedKind(word.strip().lower())
    except ValueError:
        raise InvalidInput(_("Rapport can share {kinds}: `/thirdparty share AuditCo complaints`").format(
            kinds=", ".join(SharedKind))) from None


def share_summary(session: Session, *, draft: ShareDraft, user_id: str, now: datetime,
                  calendar: WorkCalendar) -> Shared:
    """Post a summary of a kind into a third party's channel if an agreement covers it; else say what is missing."""
    account = require_third_party(session, name=draft.name)
    assert account.id is not None  # a stored account
    kind = parse_kind(draft.kind)
    check = check_sharing(session, account_id=account.id, kind=kind, channel_id=draft.channel_id, user_id=user_id,
                          now=now, calendar=calendar)
    agreement = check.agreement
    if agreement is None or not check.allowed:
        raise Refused(_("Not shared with {name}:").format(name=account.name) + "\n"
                      + "\n".join(f"• {reason}" for reason in check.missing))
    card = SharedSummaryCard(account=account.name, figures=_figures(session, kind, account), agreement=_id(agreement),
                             purpose=agreement.purpose, shared_by=user_id, as_of=now, tz=calendar.timezone)
    key = f"share:{agreement.id}:{kind}:{draft.channel_id}:{user_id}:{now.isoformat()}"
    outbox.post(session, key=key, channel=draft.channel_id, card=card, now=now, actor=user_id)
    record_change(session, actor_id=user_id, action="sharing.share", object_type="account", object_id=account.id,
                  at=now, after={"agreement": agreement.id, "kind": kind.value, "channel": draft.channel_id,
                                 "figures": cards.dump(card)["figures"]})
    return Shared(key, agreement, draft.channel_id, kind)


def _figures(session: Session, kind: SharedKind, account: Account) -> Figures:
    """The figures of one kind of summary: counts, never names of customers or suppliers."""
    if kind == SharedKind.COMPLAINTS:
        return ComplaintFigures(open=count_complaints(session, which=ComplaintFilter.OPEN, user_id=""),
                                breached=count_complaints(session, which=ComplaintFilter.BREACHED, user_id=""))
    if kind == SharedKind.DISPUTES:
        return DisputeFigures(by_level=dict(sorted(count_open_by_level(session).items())))
    requests = request_store.list_requests(session, account_id=account.id, limit=SHARED_REQUESTS)
    shared = tuple(SharedRequest(id=r.id, what=r.what, due=r.due_at, status=RequestStatus(r.status), done_at=r.done_at)
                   for r in requests if r.id is not None)
    return RequestFigures(requests=shared, open=sum(1 for r in requests if r.status == RequestStatus.OPEN))
