"""The risk register's rules: adopt from the catalog, write your own, list by score, review, change and close.

Every risk is reviewed: its next review falls on a working day (sooner the higher its score) and its owner is
reminded at the opening of that day, and once more the next working day if it is still not reviewed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.calendar.when import read_when
from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _, speaking
from bot.platform.paging import page_window
from bot.platform.text import mentioned_users
from bot.rhythm.action_items import reminder_values
from bot.risks.catalog import CatalogRisk, catalog_entry, catalog_for
from storage.accounts import Account
from storage.db import storable_id
from storage.platform.audit import record_change
from storage.risks import register as store
from storage.risks.register import LIVE, Risk, RiskSource, RiskStatus

PAGE_SIZE = 10
MAX_TITLE = 300
MAX_CONTROL = 1000
DEFAULT_LEVEL = 3


def review_interval(score: int) -> timedelta:
    """How long until a risk's next review: a fortnight for the gravest, a month for most, a quarter for the least."""
    if score >= 15:
        return timedelta(days=14)
    return timedelta(days=30) if score >= 8 else timedelta(days=90)


def review_values(calendar: WorkCalendar, *, score: int, now: datetime) -> dict[str, Any]:
    """The next review (the opening of a working day) and its staged reminders, counted from `now`."""
    return review_on(calendar, (now.astimezone(calendar.timezone) + review_interval(score)).date(), now=now)


def review_on(calendar: WorkCalendar, day: date, *, now: datetime) -> dict[str, Any]:
    """A review on `day` (the next working day when it is not one), at its opening, with its staged reminders."""
    if not calendar.is_working_day(day):
        day = calendar.add_working_days(day, 1)
    review_at = datetime.combine(day, calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)
    return {"next_review_at": review_at, **reminder_values(calendar, review_at, now=now)}


def risk_values(account: Account, *, source: RiskSource, title: str, owner_id: str, likelihood: int, impact: int,
                actor_id: str, now: datetime, calendar: WorkCalendar, **extra: Any) -> dict[str, Any]:
    """The columns of a new risk."""
    assert account.id is not None  # a stored account
    score = likelihood * impact
    return {"account_id": account.id, "source": source, "title": title, "owner_id": owner_id,
            "likelihood": likelihood, "impact": impact, "score": score, "status": RiskStatus.OPEN,
            "created_by": actor_id, "created_at": now, **review_values(calendar, score=score, now=now), **extra}


@dataclass(frozen=True)
class RiskSummary:
    """An account's risks at a glance, for `/account <name>`: how many are open, and the highest score."""

    open: int = 0
    highest: int = 0


def risk_summary(session: Session, *, account_id: int) -> RiskSummary:
    """How many of an account's risks are not closed, and the highest score among them."""
    return RiskSummary(*store.live_risk_summary(session, account_id=account_id))


@dataclass(frozen=True)
class CatalogOffer:
    """The catalog risks offered to an account, and which of them it has adopted."""

    account: Account
    entries: list[CatalogRisk]
    adopted: set[str]


def catalog_offer(session: Session, *, account: Account) -> CatalogOffer:
    """What the catalog offers an account of its kind."""
    assert account.id is not None  # a stored account
    return CatalogOffer(account, catalog_for(account.kind), store.adopted_keys(session, account_id=account.id))


@dataclass(frozen=True)
class Adopted:
    """The result of Adopt: the risk, and whether this click adopted it (a second click changes nothing)."""

    risk: Risk
    account: Account
    changed: bool


def adopt_risk(session: Session, *, account_id: int, key: str, actor_id: str, now: datetime,
               calendar: WorkCalendar) -> Adopted:
    """Adopt one catalog risk for an account, once; its owner is the account's owner (else whoever adopts it)."""
    account = session.get(Account, account_id) if storable_id(account_id) else None
    entry = catalog_entry(key)
    if account is None or entry is None or entry.kind != account.kind:
        raise NotFound(_("That button is out of date. See `/rapport risks` for the register."))
    values = risk_values(account, source=RiskSource.CATALOG, title=_english(entry),
                         owner_id=account.owner_id or actor_id, likelihood=entry.likelihood, impact=entry.impact,
                         actor_id=actor_id, now=now,
                         calendar=calendar, catalog_key=key)
    risk_id = store.insert_risk_once(session, values, keys=("account_id", "catalog_key"))
    if risk_id is not None:
        record_change(session, actor_id=actor_id, action="risk.adopt", object_type="risk", object_id=risk_id, at=now,
                      after={"account_id": account_id, "catalog_key": key})
    risk = store.get_adopted(session, account_id=account_id, key=key)
    assert risk is not None  # inserted now or adopted before
    return Adopted(risk, account, changed=risk_id is not None)


def _english(entry: CatalogRisk) -> str:
    """The entry's title as recorded (English), whatever language the adopter speaks."""
    with speaking("en"):
        return entry.title


def parse_level(text: str) -> int:
    """A likelihood or impact: 1–5, or low, medium, high (低 中 高)."""
    words = {"low": 1, "l": 1, "低": 1, "medium": 3, "med": 3, "m": 3, "中": 3, "high": 5, "h": 5, "高": 5}
    cleaned = text.strip().lower()
    if cleaned in words:
        return words[cleaned]
    if cleaned in ("1", "2", "3", "4", "5"):
        return int(cleaned)
    raise InvalidInput(_("“{text}” is not a level: say 1 to 5, or low, medium or high.").format(text=text.strip()))


@dataclass(frozen=True)
class RiskChange:
    """A risk after a change, and whether this request changed it."""

    risk: Risk
    account: Account
    changed: bool


def add_own_risk(session: Session, *, text: str, actor_id: str, now: datetime,
                 calendar: WorkCalendar) -> RiskChange:
    """`Acme Corp: the key engineer may leave` → a risk of Acme Corp owned by whoever wrote it."""
    name, colon, title = text.replace("：", ":").partition(":")
    title = " ".join(title.split())
    if not colon or not name.strip() or not title:
        raise InvalidInput(_("Say `/rapport risks add <account>: <the risk>`, e.g. "
                             "`/rapport risks add Acme Corp: our only DBA may leave`."))
    if len(title) > MAX_TITLE:
        raise InvalidInput(_("Keep the risk under {limit} characters.").format(limit=MAX_TITLE))
    account = require_account(session, name=name)
    risk = store.add_risk(session, Risk(**risk_values(
        account, source=RiskSource.OWN, title=title, owner_id=actor_id, likelihood=DEFAULT_LEVEL,
        impact=DEFAULT_LEVEL, actor_id=actor_id, now=now, calendar=calendar)))
    assert risk.id is not None  # flushed
    record_change(session, actor_id=actor_id, action="risk.add", object_type="risk", object_id=risk.id, at=now,
                  after={"account_id": account.id, "title": title})
    return RiskChange(risk, account, changed=True)


@dataclass(frozen=True)
class RiskPage:
    """One page of the register: live risks by score, highest first."""

    rows: list[tuple[Risk, Account]]
    account: Account | None
    page: int
    pages: int
    total: int


def list_risks(session: Session, *, name: str, page: int) -> RiskPage:
    """The live risks of the named account (all accounts when no name), highest score first."""
    account = require_account(session, name=name) if name.strip() else None
    account_id = account.id if account else None
    total = store.count_live_risks(session, account_id=account_id)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    rows = store.list_live_risks(session, account_id=account_id, offset=window.offset, limit=window.limit)
    return RiskPage(rows, account, window.page, window.pages, total)


def _require_risk(session: Session, risk_id: int) -> tuple[Risk, Account]:
    risk = store.get_risk(session, risk_id=risk_id)
    account = session.get(Account, risk.account_id) if risk else None
    if risk is None or account is None:
        raise NotFound(_("No risk #{id}. See `/rapport risks`.").format(id=risk_id))
    return risk, account


def review_risk(session: Session, *, risk_id: int, actor_id: str, now: datetime,
                calendar: WorkCalendar) -> RiskChange:
    """Record a review now: the next one is planned from today (a closed risk is not reviewed)."""
    risk, account = _require_risk(session, risk_id)
    values = {"reviewed_at": now, "reviewed_by": actor_id, **review_values(calendar, score=risk.score, now=now)}
    changed = store.change_risk(session, risk_id=risk_id, statuses=LIVE, values=values)
    if changed:
        record_change(session, actor_id=actor_id, action="risk.review", object_type="risk", object_id=risk_id, at=now,
                      after={"next_review_at": values["next_review_at"].isoformat()})
    return RiskChange(_require_risk(session, risk_id)[0], account, changed)


def close_risk(session: Session, *, risk_id: int, actor_id: str, now: datetime) -> RiskChange:
    """Close a risk, once; its reminders stop."""
    risk, account = _require_risk(session, risk_id)
    values = {"status": RiskStatus.CLOSED, "closed_at": now, "closed_by": actor_id, "next_check_at": None}
    changed = store.change_risk(session, risk_id=risk_id, statuses=LIVE, values=values)
    if changed:
        record_change(session, actor_id=actor_id, action="risk.close", object_type="risk", object_id=risk_id, at=now,
                      before={"status": risk.status}, after={"status": RiskStatus.CLOSED.value})
    return RiskChange(_require_risk(session, risk_id)[0], account, changed)


# The fields `/rapport risks set <id> <field> <value>` changes, in English and Chinese.
FIELDS = {"status": "status", "状态": "status", "likelihood": "likelihood", "可能性": "likelihood",
          "impact": "impact", "影响": "impact", "control": "control", "措施": "control", "控制措施": "control",
          "owner": "owner", "负责人": "owner", "review": "review", "复核": "review", "下次复核": "review"}
STATUS_WORDS = {"open": RiskStatus.OPEN, "打开": RiskStatus.OPEN, "mitigating": RiskStatus.MITIGATING,
                "缓解中": RiskStatus.MITIGATING, "accepted": RiskStatus.ACCEPTED, "接受": RiskStatus.ACCEPTED,
                "closed": RiskStatus.CLOSED, "关闭": RiskStatus.CLOSED}


def set_risk_field(session: Session, *, risk_id: int, field: str, value: str, actor_id: str, now: datetime,
                   calendar: WorkCalendar, our_people: Collection[str] = ()) -> RiskChange:
    """Change a risk's status, likelihood, impact, control, owner (one of `our_people`) or review, unless closed."""
    risk, account = _require_risk(session, risk_id)
    name = FIELDS.get(field.strip().lower())
    if name is None:
        raise InvalidInput(_("Say `/rapport risks set {id} status|likelihood|impact|control|owner|review "
                             "<value>`.").format(id=risk_id))
    if name == "status" and STATUS_WORDS.get(value.strip().lower()) == RiskStatus.CLOSED:
        return close_risk(session, risk_id=risk_id, actor_id=actor_id, now=now)
    changes = _changes(risk, name, value, now=now, calendar=calendar, our_people=our_people)
    if risk.status == RiskStatus.CLOSED:
        raise Refused(_("Risk #{id} is closed.").format(id=risk_id))
    changed = store.change_risk(session, risk_id=risk_id, statuses=LIVE, values=changes)
    if changed:
        record_change(session, actor_id=actor_id, action="risk.set", object_type="risk", object_id=risk_id, at=now,
                      before={key: _plain(getattr(risk, key)) for key in changes},
                      after={key: _plain(item) for key, item in changes.items()})
    return RiskChange(_require_risk(session, risk_id)[0], account, changed)


def _changes(risk: Risk, name: str, value: str, *, now: datetime, calendar: WorkCalendar,
             our_people: Collection[str]) -> dict[str, Any]:
    """The columns one `set` writes, or InvalidInput saying what is wrong with the value."""
    if name == "status":
        status = STATUS_WORDS.get(value.strip().lower())
        if status is None:
            raise InvalidInput(_("A risk is open, mitigating, accepted or closed."))
        return {"status": status}
    if name == "control":
        control = " ".join(value.split())
        if not control or len(control) > MAX_CONTROL:
            raise InvalidInput(_("Write the control in at most {limit} characters.").format(limit=MAX_CONTROL))
        return {"control": control}
    if name == "owner":
        mentioned = mentioned_users(value)
        if len(mentioned) != 1 or mentioned[0] not in our_people:
            raise InvalidInput(_("Name one of the team: `/rapport risks set {id} owner @alice`.").format(id=risk.id))
        return {"owner_id": mentioned[0]}
    if name == "review":
        moment = read_when(value, now=now, tz=calendar.timezone, calendar=calendar)
        values = review_on(calendar, moment.astimezone(calendar.timezone).date(), now=now)
        if values["next_review_at"] <= now:
            raise InvalidInput(_("The next review must be after today."))
        return values
    level = parse_level(value)
    likelihood, impact = (level, risk.impact) if name == "likelihood" else (risk.likelihood, level)
    return {name: level, "score": likelihood * impact}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value.value if isinstance(value, RiskStatus) else value
