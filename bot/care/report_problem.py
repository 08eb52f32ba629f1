"""*Report a problem*: the one form a customer's own people may fill in (besides surveys).

`/account welcome <name>` posts the button in the account's shared channels; a customer who presses it
describes what happened and how urgent it is, and that becomes a complaint whose card goes to the
internal channel, while the shared channel gets only a neutral acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.care.cards import ProblemReceivedCard, ReportProblemInviteCard
from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaint_commands import Draft
from bot.care.complaints import Change, check_summary, open_complaint
from bot.platform import outbox
from bot.platform.errors import NotFound, Refused
from bot.platform.i18n import _
from storage.accounts import get_account_for_channel, get_channel_link, list_account_channels
from storage.care.complaints import ComplaintSeverity
from storage.platform.audit import record_change


class Urgency(StrEnum):
    """How urgent the customer says their problem is, and the complaint severity it becomes."""

    BLOCKING = "blocking"
    SOON = "soon"
    WHENEVER = "whenever"


SEVERITY = {Urgency.BLOCKING: ComplaintSeverity.HIGH, Urgency.SOON: ComplaintSeverity.NORMAL,
            Urgency.WHENEVER: ComplaintSeverity.LOW}


@dataclass(frozen=True)
class Welcomed:
    """Where the *Report a problem* button was posted, and the outbox keys of the posts."""

    account: str
    channels: list[str]
    keys: list[str]


@dataclass(frozen=True)
class Reported:
    """A customer's report, now a complaint, and the keys to deliver (card, flag, acknowledgement)."""

    change: Change
    keys: list[str]


def post_welcome(session: Session, *, name: str, actor_id: str, now: datetime) -> Welcomed:
    """Queue the *Report a problem* button in each shared channel of the account."""
    account = require_account(session, name=name)
    assert account.id is not None  # a stored account
    shared = [link.channel_id for link in list_account_channels(session, account_id=account.id) if link.is_shared]
    if not shared:
        raise Refused(_("*{name}* has no channel shared with the customer. Run `/account link {name}` in the Slack "
                        "Connect channel first.").format(name=account.name))
    keys = []
    for channel in shared:
        keys.append(f"report-problem-invite:{channel}:{now.isoformat()}")
        outbox.post(session, key=keys[-1], channel=channel, card=ReportProblemInviteCard(), now=now)
    record_change(session, actor_id=actor_id, action="account.welcome", object_type="account", object_id=account.id,
                  at=now, after={"channels": shared})
    return Welcomed(account=account.name, channels=shared, keys=keys)


def report_problem(session: Session, *, channel_id: str, reporter_id: str, what: str, urgency: Urgency,
                   now: datetime, policy: ComplaintPolicy, is_shared: Callable[[str], bool]) -> Reported:
    """Log a customer's report as a complaint (card to the internal channel) and thank them in the shared channel."""
    link = get_channel_link(session, channel_id=channel_id)
    account = get_account_for_channel(session, channel_id=channel_id)
    if link is None or account is None or not link.is_shared:
        raise NotFound(_("This channel isn't set up for reports any more. Please just write here and we'll pick "
                         "it up."))
    draft = Draft(summary=check_summary(what), severity=SEVERITY[urgency], account_name=account.name)
    change = open_complaint(session, draft=draft, channel_id=channel_id, actor_id=reporter_id, now=now,
                            policy=policy, is_shared=is_shared, complainant_id=reporter_id)
    ack_key = f"problem-received:{change.card.id}"
    outbox.post(session, key=ack_key, channel=channel_id, card=ProblemReceivedCard(reporter=reporter_id), now=now)
    return Reported(change=change, keys=[*change.keys, ack_key])
