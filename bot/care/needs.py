"""Customer needs (需求): heard from a customer, analysed, proposed, agreed, delivered, or declined with a reason.

The notes' first customer risk is not understanding what the customer really needs, controlled by digging
for it and signing supplementary agreements (补充协议) in time: a need that changes the service asks for
one (bot/care/need_agreements.py). Everything here is internal; every change writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.care.contacts import resolve_account
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.platform.text import cut
from storage.accounts import Account, get_account_for_channel
from storage.care import needs as store
from storage.care.needs import Need, NeedStatus
from storage.platform.audit import record_change

MAX_TEXT = 2000
MAX_REASON = 500
PAGE_SIZE = 20
EXAMPLE = "/need Acme Corp: monthly reports in Chinese as well"
# The way forward; declined may follow any open status. Delivered and declined are final.
FORWARD = (NeedStatus.HEARD, NeedStatus.ANALYSED, NeedStatus.PROPOSED, NeedStatus.AGREED, NeedStatus.DELIVERED)
FINAL = (NeedStatus.DELIVERED, NeedStatus.DECLINED)
OPEN = tuple(status for status in NeedStatus if status not in FINAL)


def status_label(status: NeedStatus) -> str:
    """A status in words."""
    return {NeedStatus.HEARD: _("heard"), NeedStatus.ANALYSED: _("analysed"), NeedStatus.PROPOSED: _("proposed"),
            NeedStatus.AGREED: _("agreed"), NeedStatus.DELIVERED: _("delivered"),
            NeedStatus.DECLINED: _("declined")}[status]


def next_statuses(status: NeedStatus) -> list[NeedStatus]:
    """Where a need may go from `status`: any later step forward, or declined; nothing from a final one."""
    if status in FINAL:
        return []
    return [*FORWARD[FORWARD.index(status) + 1:], NeedStatus.DECLINED]


@dataclass(frozen=True)
class NeedLogged:
    """A recorded need and its account; `new` is False when the message was logged before."""

    need: Need
    account: Account
    new: bool = True


@dataclass(frozen=True)
class NeedChanged:
    """A status change: the need after it, its account, and the status before."""

    need: Need
    account: Account
    before: NeedStatus


@dataclass(frozen=True)
class NeedPage:
    """One page of needs (of an account, or of every account), each with its account's name."""

    needs: list[tuple[Need, str]]
    total: int
    account: Account | None
    page: int = 1
    pages: int = 1


def check_text(text: str) -> str:
    """The need as typed, in one line of bounded length; InvalidInput otherwise."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(_("Say what the customer needs: `{example}`").format(example=EXAMPLE))
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(_("That need is {length} characters; keep it under {limit} (link to a document for the "
                             "details).").format(length=len(cleaned), limit=MAX_TEXT))
    return cleaned


def log_need(session: Session, *, actor_id: str, text: str, channel_id: str | None, now: datetime,
             customer_id: str | None = None) -> NeedLogged:
    """Record `/need [<account>:] <what>`; in a linked channel the account may be left out."""
    if not text.strip():
        raise InvalidInput(_("Say what the customer needs: `{example}`").format(example=EXAMPLE))
    account, what = resolve_account(session, text=text, channel_id=channel_id, example=EXAMPLE)
    need = Need(account_id=_account_id(account), text=check_text(what), owner_id=account.owner_id or actor_id,
                customer_id=customer_id, created_by=actor_id, created_at=now)
    store.add_need(session, need)
    return _logged(session, need, account, actor_id=actor_id, now=now)


@dataclass(frozen=True)
class MessageSource:
    """The message a need comes from, as the Log need shortcut found it."""

    channel_id: str
    ts: str
    customer_id: str | None
    permalink: str | None


def linked_account(session: Session, *, channel_id: str) -> Account:
    """The account of the channel a message is in; NotFound saying how to link it."""
    account = get_account_for_channel(session, channel_id=channel_id)
    if account is None:
        raise NotFound(_("This channel isn't linked to an account, so Rapport can't tell whose need this is. Link "
                         "it with `/account link <name>`, or type `{example}`.").format(example=EXAMPLE))
    return account


def existing_need(session: Session, *, channel_id: str, ts: str) -> Need | None:
    """The need already logged from a message, if any."""
    return store.get_need_from_message(session, channel_id=channel_id, ts=ts)


def log_need_from_message(session: Session, *, actor_id: str, source: MessageSource, text: str,
                          now: datetime) -> NeedLogged:
    """Record a message in a linked channel as a need, once: a second use returns the first (`new` False)."""
    account = linked_account(session, channel_id=source.channel_id)
    if earlier := existing_need(session, channel_id=source.channel_id, ts=source.ts):
        return NeedLogged(earlier, account, new=False)
    need = Need(account_id=_account_id(account), text=check_text(text), owner_id=account.owner_id or actor_id,
                customer_id=source.customer_id, source_channel_id=source.channel_id, source_ts=source.ts,
                permalink=source.permalink, created_by=actor_id, created_at=now)
    if store.add_need(session, need) is None:
        earlier = existing_need(session, channel_id=source.channel_id, ts=source.ts)
        assert earlier is not None  # the row that made this one a duplicate
        return NeedLogged(earlier, account, new=False)
    return _logged(session, need, account, actor_id=actor_id, now=now)


def _logged(session: Session, need: Need, account: Account, *, actor_id: str, now: datetime) -> NeedLogged:
    record_change(session, actor_id=actor_id, action="need.log", object_type="need", object_id=need.id, at=now,
                  after={"account_id": account.id, "text": need.text, "customer_id": need.customer_id,
                         "source_ts": need.source_ts, "owner_id": need.owner_id})
    return NeedLogged(need, account)


def _account_id(account: Account) -> int:
    assert account.id is not None  # a stored account
    return account.id


def require_need(session: Session, need_id: int) -> Need:
    """A need by id; NotFound otherwise."""
    need = store.get_need(session, need_id=need_id)
    if need is None:
        raise NotFound(_("There is no need #{id}. `/need list` shows them.").format(id=need_id))
    return need


def account_of_need(session: Session, need: Need) -> Account:
    """The account a need belongs to."""
    account = session.get(Account, need.account_id)
    assert account is not None  # needs keep their account (foreign key)
    return account


def change_status(session: Session, *, need_id: int, status: NeedStatus, actor_id: str, now: datetime,
                  reason: str = "") -> NeedChanged:
    """Move a need on (or decline it, with a reason); a final need, or a step back, is refused."""
    need = require_need(session, need_id)
    before = NeedStatus(need.status)
    if status == before:
        return NeedChanged(need, account_of_need(session, need), before)
    if status not in next_statuses(before):
        raise Refused(_("Need #{id} is {before}; it cannot become {after}.").format(
            id=need_id, before=status_label(before), after=status_label(status)))
    reason = " ".join(reason.split())
    if status == NeedStatus.DECLINED and not reason:
        raise InvalidInput(_("Say why it is declined: `/need {id} declined out of scope for this contract`").format(
            id=need_id))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("Keep the reason under {limit} characters.").format(limit=MAX_REASON))
    values: dict[str, object] = {"status": status}
    if status == NeedStatus.DECLINED:
        values["declined_reason"] = reason
    if status == NeedStatus.AGREED:
        values["agreed_at"] = now
    if status == NeedStatus.DELIVERED:
        values["delivered_at"] = now
        values["agreed_at"] = need.agreed_at or now  # delivered implies agreed, for the report's counts
    if not store.change_need(session, need_id=need_id, statuses=(before,), values=values):
        raise Refused(_("Need #{id} was changed by someone else just now; look at it again: `/need {id}`").format(
            id=need_id))
    record_change(session, actor_id=actor_id, action="need.status", object_type="need", object_id=need_id, at=now,
                  before={"status": before.value},
                  after={"status": status.value, **({"reason": reason} if reason else {})})
    need = require_need(session, need_id)
    return NeedChanged(need, account_of_need(session, need), before)


def list_needs_page(session: Session, *, name: str, channel_id: str | None, page: int = 1) -> NeedPage:
    """Open needs of the named account, else of the channel's linked account, else of every account."""
    account = require_account(session, name=name) if name.strip() else (
        get_account_for_channel(session, channel_id=channel_id) if channel_id else None)
    account_id = account.id if account else None
    total = store.count_needs(session, account_id=account_id, open_only=True)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    needs = store.list_needs(session, account_id=account_id, open_only=True, offset=window.offset,
                             limit=window.limit)
    names = {a.id: a.name for a in ([account] if account else [session.get(Account, n.account_id) for n in needs])
             if a is not None}
    return NeedPage([(need, cut(names.get(need.account_id, ""), 80)) for need in needs], total, account,
                    window.page, window.pages)
