"""Praise (表扬管理): commendations from colleagues and customers, published once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.care.cards import PraiseCard, PraisedGroup
from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput, NotConfigured, Refused
from bot.platform.i18n import _, ngettext
from bot.platform.text import USER_MENTION
from storage.accounts import Account, get_account_for_channel
from storage.care import praise as store
from storage.platform.audit import record_change

GROUP_MENTION = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>")
_LEADING_MENTION = re.compile(
    r"^\s*(<@[UW][A-Z0-9]+(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>)[\s,;:&]*(?:and\s+)?")
MAX_REASON = 3000
EXAMPLE = "/praise @alice fixed the VPN in ten minutes"


class Period(StrEnum):
    """The periods the praise leaderboard covers."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class PraiseHelp:
    """`/praise` alone, or `/praise help`."""


@dataclass(frozen=True)
class PraiseLeaderboard:
    """`/praise top [week|month|quarter]`."""

    period: Period


@dataclass(frozen=True)
class GivePraise:
    """`/praise @someone why`."""

    text: str


PraiseCommand = PraiseHelp | PraiseLeaderboard | GivePraise


@dataclass(frozen=True)
class Receivers:
    """Who a praise is for."""

    users: list[str] = field(default_factory=list)
    groups: list[PraisedGroup] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.users or self.groups)


@dataclass(frozen=True)
class Given:
    """A recorded praise, its commendation card, the card's outbox key and the channel it goes to."""

    praise_id: int
    card: PraiseCard
    card_key: str
    channel: str


@dataclass(frozen=True)
class PraisePolicy:
    """Where praise is published and how much one person may give a day."""

    kudos_channel: str | None
    daily_limit: int
    timezone: ZoneInfo

    @classmethod
    def from_settings(cls, settings: Settings) -> PraisePolicy:
        """The policy configured in the environment."""
        return cls(settings.rapport_kudos_channel, settings.rapport_praise_daily_limit, settings.zone)


def card_key(praise_id: int) -> str:
    """The outbox key of a praise's commendation card."""
    return f"praise:{praise_id}:card"


def parse_praise_command(text: str) -> PraiseCommand:
    """Read `/praise …`: help, the leaderboard of a period (this month by default), or praise to give."""
    text = text.strip()
    words = text.split()
    if not words or words[0].lower() == "help":
        return PraiseHelp()
    if words[0].lower() != "top":
        return GivePraise(text)
    period = words[1].lower() if len(words) > 1 else Period.MONTH
    if period not in set(Period) or len(words) > 2:
        raise InvalidInput(_("Choose week, month or quarter: `/praise top month`"))
    return PraiseLeaderboard(Period(period))


def parse_praise_text(text: str) -> tuple[Receivers, str]:
    """Split `@a @b why…` into the leading mentions and the reason."""
    users: list[str] = []
    groups: list[PraisedGroup] = []
    rest = text
    while match := _LEADING_MENTION.match(rest):
        mention = match.group(1)
        if (user := USER_MENTION.fullmatch(mention)) and user.group(1) not in users:
            users.append(user.group(1))
        elif (group := GROUP_MENTION.fullmatch(mention)) and group.group(1) not in [g.id for g in groups]:
            groups.append(PraisedGroup(group.group(1), group.group(2) or group.group(1)))
        rest = rest[match.end():]
    return Receivers(users, groups), rest.strip()


def give_praise(session: Session, *, giver_id: str, text: str, now: datetime, policy: PraisePolicy) -> Given:
    """Record `/praise` text from a colleague and queue its commendation card."""
    receivers, reason = parse_praise_text(text)
    if not receivers:
        raise InvalidInput(_("Who is it for? Mention them first: `{example}`").format(example=EXAMPLE))
    if giver_id in receivers.users:
        raise Refused(_("Praise is for others — you can't praise yourself. Mention the colleagues who helped you."))
    if not reason:
        raise InvalidInput(_("Say what they did: `{example}`").format(example=EXAMPLE))
    _check_allowance(session, giver_id=giver_id, now=now, policy=policy)
    return _record(session, giver_id=giver_id, logged_by=giver_id, receivers=receivers, reason=reason, now=now,
                   policy=policy)


def log_customer_praise(session: Session, *, logged_by: str, author_id: str, message_text: str, receivers: Receivers,
                        channel_id: str, message_ts: str, now: datetime, policy: PraisePolicy) -> Given | None:
    """Record praise written in a message (by a customer) for the engineers it names; None if logged before.

    The account is the one the channel is linked to, if any.
    """
    if store.get_praise_from_message(session, channel_id=channel_id, ts=message_ts):
        return None
    if not receivers:
        raise InvalidInput(_("Whom is this praise for? Mention the engineers in the message, or pick them."))
    if author_id in receivers.users:
        raise Refused(_("The author of the message can't be praised for it — pick the people who helped."))
    reason = message_text.strip() or _("(no text)")
    account = get_account_for_channel(session, channel_id=channel_id)
    try:
        with session.begin_nested():
            return _record(session, giver_id=author_id, logged_by=logged_by, receivers=receivers, reason=reason,
                           now=now, policy=policy, account=account, source=(channel_id, message_ts))
    except IntegrityError:  # a colleague logged the same message at the same moment (uq_praise_source)
        return None


def _check_allowance(session: Session, *, giver_id: str, now: datetime, policy: PraisePolicy) -> None:
    local = now.astimezone(policy.timezone)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    given = store.count_given_since(session, giver_id=giver_id, since=day_start)
    if given >= policy.daily_limit:
        raise Refused(
            ngettext("You've already given {count} praise today, your daily allowance. More tomorrow!",
                     "You've already given {count} praises today, your daily allowance. More tomorrow!",
                     given).format(count=given)
        )


def _record(session: Session, *, giver_id: str, logged_by: str, receivers: Receivers, reason: str, now: datetime,
            policy: PraisePolicy, account: Account | None = None, source: tuple[str, str] | None = None) -> Given:
    if not policy.kudos_channel:
        raise NotConfigured(_("Praise can't be published: RAPPORT_KUDOS_CHANNEL is not set. Ask an admin to set it."))
    if len(reason) > MAX_REASON * 4:
        raise InvalidInput(_("That's too long to publish ({length} characters). Keep it under {limit}.").format(
            length=len(reason), limit=MAX_REASON * 4))
    praise_id = store.add_praise(session, giver_id=giver_id, logged_by=logged_by, reason=reason, created_at=now,
                                 account_id=account.id if account else None, source=source, users=receivers.users,
                                 groups=[(group.id, group.handle) for group in receivers.groups])
    card = PraiseCard(praise_id=praise_id, giver=giver_id, users=tuple(receivers.users), groups=tuple(receivers.groups),
                      reason=reason, account=account.name if account else None)
    key = card_key(praise_id)
    outbox.post(session, key=key, channel=policy.kudos_channel, card=card, now=now, actor=logged_by)
    record_change(session, actor_id=logged_by, action="praise.give", object_type="praise", object_id=praise_id, at=now,
                  after={"giver": giver_id, "users": receivers.users,
                         "groups": [{"id": g.id, "handle": g.handle} for g in receivers.groups],
                         "reason": reason, "account": card.account})
    return Given(praise_id=praise_id, card=card, card_key=key, channel=policy.kudos_channel)


def period_start(period: Period, *, now: datetime, timezone: ZoneInfo) -> datetime:
    """The start of this week (Monday), month or quarter, in the team's time zone."""
    local = now.astimezone(timezone).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Period.WEEK:
        return local - timedelta(days=local.weekday())
    if period == Period.MONTH:
        return local.replace(day=1)
    return local.replace(month=(local.month - 1) // 3 * 3 + 1, day=1)


@dataclass(frozen=True)
class LeaderboardEntry:
    """One line of the praise leaderboard."""

    user_id: str | None
    group_handle: str | None
    count: int


def leaderboard(session: Session, *, period: Period, now: datetime, timezone: ZoneInfo,
                limit: int = 10) -> list[LeaderboardEntry]:
    """Who received the most praise this period."""
    since = period_start(period, now=now, timezone=timezone)
    rows = store.top_receivers(session, since=since, limit=limit)
    return [LeaderboardEntry(user_id=user, group_handle=handle if group else None, count=count)
            for user, group, handle, count in rows]
