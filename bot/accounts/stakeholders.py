"""Stakeholders (干系人): the people who matter at an account, their influence and stance, the executive sponsor
(客户高层支持, at most one per account), and when each was last met.

The notes' customer risks ask for the sponsor's support and for reports fit to many stakeholders. A stakeholder
is met when a contact names them (their Slack user, or their name in its summary), when a meeting whose title or
notes name them is marked done, or when someone says so (`met 2026-11-20`). The sponsor is expected at least once
per the account's meeting cadence (its agreement's cycle; 90 days without one); `sponsors_not_met` lists the
accounts whose sponsor is not, for the digest (once per lapse) and for risks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.accounts.stakeholder_commands import StakeholderChange, read_met
from bot.calendar.recurrence import Frequency
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from storage.accounts import Account, name_key
from storage.accounts import stakeholders as store
from storage.accounts.stakeholders import Influence, Stakeholder, Stance
from storage.platform.audit import record_change

DEFAULT_CADENCE_DAYS = 90
CADENCE_DAYS = {Frequency.DAY: 1, Frequency.WEEK: 7, Frequency.MONTH: 31, Frequency.QUARTER: 92}
MIN_NAME_MATCH = 2  # shorter names would be found inside any text


@dataclass(frozen=True)
class StakeholderSaved:
    """A stakeholder added, changed or removed, with the sponsor they took over from (if any)."""

    stakeholder: Stakeholder
    account: Account
    created: bool
    removed: bool = False
    previous_sponsor: str | None = None


@dataclass(frozen=True)
class SponsorLapse:
    """An account whose executive sponsor has not been met within its cadence."""

    account_id: int
    account: str
    owner_id: str | None
    stakeholder_id: int
    sponsor: str
    sponsor_user_id: str | None
    last_met_at: datetime | None
    due_at: datetime
    cadence_days: int
    warned_on: date | None


def cadence_days(cycle: str | None) -> int:
    """How often the sponsor should be met: the agreement's meeting cycle, or 90 days without one."""
    try:
        return CADENCE_DAYS[Frequency(cycle)] if cycle else DEFAULT_CADENCE_DAYS
    except ValueError:
        return DEFAULT_CADENCE_DAYS


def snapshot(stakeholder: Stakeholder) -> dict[str, object]:
    """A stakeholder as data, for the audit log."""
    return {"name": stakeholder.name, "user_id": stakeholder.user_id, "role": stakeholder.role,
            "influence": str(stakeholder.influence), "stance": str(stakeholder.stance),
            "sponsor": stakeholder.sponsor,
            "last_met_at": stakeholder.last_met_at.isoformat() if stakeholder.last_met_at else None}


def save_stakeholder(session: Session, *, change: StakeholderChange, actor_id: str, now: datetime,
                     zone: ZoneInfo) -> StakeholderSaved:
    """Add a stakeholder or change what is said of one (by name); `remove` takes them off. Audited."""
    account = require_account(session, name=change.account)
    assert account.id is not None  # a stored account
    existing = store.get_stakeholder(session, account_id=account.id, name_key=name_key(change.name))
    if change.remove:
        if existing is None:
            raise NotFound(_("{account} has no stakeholder called “{name}”.").format(account=account.name,
                                                                                    name=change.name))
        record_change(session, actor_id=actor_id, action="stakeholder.remove", object_type="account",
                      object_id=account.id, at=now, before=snapshot(existing))
        store.delete_stakeholder(session, existing)
        return StakeholderSaved(existing, account, created=False, removed=True)
    met = read_met(change.met, now=now, zone=zone) if change.met is not None else None
    before = snapshot(existing) if existing else None
    stakeholder = existing or Stakeholder(account_id=account.id, name=change.name, name_key=name_key(change.name),
                                          created_by=actor_id, created_at=now)
    if existing is None and change.role is None:
        raise InvalidInput(_("Say their role too: `{example}`").format(
            example=f"/account stakeholder {account.name}: {change.name} role CIO"))
    stakeholder.user_id = change.user_id or stakeholder.user_id
    stakeholder.role = change.role or stakeholder.role
    stakeholder.influence = change.influence or Influence(stakeholder.influence)
    stakeholder.stance = change.stance or Stance(stakeholder.stance)
    if met is not None:
        stakeholder.last_met_at, stakeholder.sponsor_warned_on = met, None
    previous = _current_sponsor(session, account.id)
    if change.sponsor is False:
        stakeholder.sponsor = False
    store.save_stakeholder(session, stakeholder)
    assert stakeholder.id is not None  # flushed
    if change.sponsor:
        store.make_sponsor(session, account_id=account.id, stakeholder_id=stakeholder.id)
        session.refresh(stakeholder)
    record_change(session, actor_id=actor_id, action="stakeholder.add" if existing is None else "stakeholder.change",
                  object_type="account", object_id=account.id, at=now, before=before, after=snapshot(stakeholder))
    took_over = previous.name if change.sponsor and previous and previous.id != stakeholder.id else None
    return StakeholderSaved(stakeholder, account, created=existing is None, previous_sponsor=took_over)


def _current_sponsor(session: Session, account_id: int) -> Stakeholder | None:
    return next((s for s in store.list_stakeholders(session, account_id=account_id) if s.sponsor), None)


def account_stakeholders(session: Session, *, account_id: int) -> list[Stakeholder]:
    """An account's stakeholders: the sponsor first, then by influence and name."""
    return store.list_stakeholders(session, account_id=account_id)


def note_met(session: Session, *, account_id: int, at: datetime, text: str, user_ids: list[str],
             actor_id: str, now: datetime) -> list[int]:
    """A contact or meeting with an account at `at`: its stakeholders named in it (by user or name) were met."""
    folded = name_key(text) if text else ""
    met = [s.id for s in store.list_stakeholders(session, account_id=account_id)
           if s.id is not None and (s.user_id in user_ids or (len(s.name_key) >= MIN_NAME_MATCH
                                                               and s.name_key in folded))]
    moved = store.mark_met(session, stakeholder_ids=met, at=at)
    for stakeholder_id in moved:
        record_change(session, actor_id=actor_id, action="stakeholder.met", object_type="stakeholder",
                      object_id=stakeholder_id, at=now, after={"last_met_at": at.isoformat()})
    return moved


def sponsors_not_met(session: Session, *, now: datetime, owner_id: str | None = None) -> list[SponsorLapse]:
    """Accounts whose sponsor is not met within cadence at `now` (of one owner, when given), longest lapsed first.

    Never met counts from when the sponsor was added. Accounts without a sponsor are not listed.
    """
    lapses = []
    for stakeholder, account, cycle in store.sponsors_with_cycles(session, owner_id=owner_id):
        assert stakeholder.id is not None and account.id is not None  # stored rows
        days = cadence_days(cycle)
        due = (stakeholder.last_met_at or stakeholder.created_at) + timedelta(days=days)
        if due <= now:
            lapses.append(SponsorLapse(account.id, account.name, account.owner_id, stakeholder.id, stakeholder.name,
                                       stakeholder.user_id, stakeholder.last_met_at, due, days,
                                       stakeholder.sponsor_warned_on))
    return sorted(lapses, key=lambda lapse: (lapse.due_at, lapse.account))


def sponsor_warnings(session: Session, *, now: datetime, day: date, owner_id: str | None) -> list[SponsorLapse]:
    """The lapses a digest for `day` warns about: each lapse on the day it is first warned of, not every day."""
    return [lapse for lapse in sponsors_not_met(session, now=now, owner_id=owner_id)
            if lapse.warned_on is None or lapse.warned_on == day]


def mark_warned(session: Session, lapses: list[SponsorLapse], *, day: date) -> int:
    """Record that the digest warned about these lapses on `day` (the first warning of each counts)."""
    return store.mark_sponsor_warned(session, stakeholder_ids=[lapse.stakeholder_id for lapse in lapses], day=day)
