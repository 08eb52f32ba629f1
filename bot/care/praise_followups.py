"""Praise beyond the team (表扬): a letter of thanks to the customer who praised us, and the story shared inside.

From a customer's commendation card: the engineer's manager (a service manager) or the account owner sends a
short thank-you note, drafted from the praise and edited before it goes, into the customer's shared channel (or
by DM), recorded on the account as a touchpoint; anyone of ours may turn the praise into an experience-sharing
post — what was done, what others can learn — for an internal channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.care.cards import PraiseStoryCard, PraiseThanksCard
from bot.care.contacts import record_touchpoint
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from storage.accounts import Account, get_channel_link, list_account_channels
from storage.care.praise import Praise, PraiseReceiver
from storage.db import storable_id
from storage.platform.audit import record_change

MAX_NOTE = 1500
MAX_STORY_PART = 1500


@dataclass(frozen=True)
class CustomerPraise:
    """A customer's praise with its account and the people it is for."""

    praise: Praise
    account: Account
    receivers: tuple[str, ...]


def customer_praise(session: Session, praise_id: int) -> CustomerPraise:
    """The praise, which must be a customer's (with an account); NotFound or Refused otherwise."""
    praise = session.get(Praise, praise_id) if storable_id(praise_id) else None
    if praise is None:
        raise NotFound(_("That praise no longer exists."))
    if praise.account_id is None:
        raise Refused(_("This is praise between colleagues; thank-you notes and stories are for a customer's "
                        "praise (logged with *Log praise* on their message)."))
    account = session.get_one(Account, praise.account_id)
    rows = session.exec(select(PraiseReceiver).where(PraiseReceiver.praise_id == praise_id)
                        .order_by(col(PraiseReceiver.id)))
    receivers = tuple(r.user_id or f"@{r.usergroup_handle or r.usergroup_id}" for r in rows)
    return CustomerPraise(praise, account, receivers)


def check_can_thank(found: CustomerPraise, *, actor_id: str, managers: Sequence[str]) -> None:
    """Only a service manager or the account owner sends a letter of thanks on the team's behalf."""
    if actor_id not in managers and actor_id != found.account.owner_id:
        raise Refused(_("A thank-you note goes out on the team's behalf, so the engineers' manager or the owner of "
                        "{account} sends it. Ask them, or *Share the story* yourself.").format(
            account=found.account.name))


def draft_thanks(found: CustomerPraise) -> str:
    """The letter of thanks as first drafted from the praise."""
    names = ", ".join(f"<@{r}>" if not r.startswith("@") else r for r in found.receivers)
    return _("Dear <@{giver}>, thank you for your kind words about {names}. Praise like yours means a great deal to "
             "the team — we have shared it with them, and we will keep working to deserve it.").format(
        giver=found.praise.giver_id, names=names)


def thanks_destination(session: Session, found: CustomerPraise) -> tuple[str | None, str | None]:
    """(channel, None) for the praise's own shared channel or the account's first one; (None, giver) for a DM."""
    source = found.praise.source_channel_id
    link = get_channel_link(session, channel_id=source) if source else None
    if link is not None and link.is_shared and link.account_id == found.account.id:
        return source, None
    assert found.account.id is not None  # a stored account
    shared = [c.channel_id for c in list_account_channels(session, account_id=found.account.id) if c.is_shared]
    return (shared[0], None) if shared else (None, found.praise.giver_id)


def send_thanks(session: Session, *, praise_id: int, actor_id: str, text: str, managers: Sequence[str],
                now: datetime) -> str:
    """Queue the edited letter of thanks to the customer and record it on the account; the outbox key."""
    note = (text or "").strip()
    if not note or len(note) > MAX_NOTE:
        raise InvalidInput(_("Write the note (at most {limit} characters).").format(limit=MAX_NOTE))
    found = customer_praise(session, praise_id)
    check_can_thank(found, actor_id=actor_id, managers=managers)
    channel, user = thanks_destination(session, found)
    key = f"praise:{praise_id}:thanks"
    card = PraiseThanksCard(to=found.praise.giver_id, text=note, sender=actor_id)
    queued = outbox.post(session, key=key, channel=channel, card=card, now=now) if channel else \
        outbox.dm(session, key=key, user=user or found.praise.giver_id, card=card, now=now)
    if not queued:
        raise Refused(_("A thank-you note for this praise was already sent."))
    record_touchpoint(session, account=found.account, actor_id=actor_id, customer_id=found.praise.giver_id, now=now,
                      summary=_("Letter of thanks for their praise: {note}").format(note=note))
    record_change(session, actor_id=actor_id, action="praise.thanks", object_type="praise", object_id=praise_id,
                  at=now, after={"channel": channel, "dm": user})
    return key


def share_story(session: Session, *, praise_id: int, actor_id: str, channel_id: str, done: str, lessons: str,
                is_shared: Callable[[str], bool], now: datetime) -> str:
    """Queue the experience-sharing post in an internal channel (never a shared one); the outbox key."""
    done, lessons = (done or "").strip(), (lessons or "").strip()
    if not done or not lessons or len(done) > MAX_STORY_PART or len(lessons) > MAX_STORY_PART:
        raise InvalidInput(_("Say what was done and what others can learn (each at most {limit} characters).").format(
            limit=MAX_STORY_PART))
    if not channel_id:
        raise InvalidInput(_("Choose the internal channel to share it in."))
    link = get_channel_link(session, channel_id=channel_id)
    if (link is not None and link.is_shared) or is_shared(channel_id):
        raise Refused(_("<#{channel}> is shared with another organisation; a story is for our own people. Choose "
                        "an internal channel.").format(channel=channel_id))
    found = customer_praise(session, praise_id)
    assert found.praise.id is not None  # a stored praise
    key = f"praise:{praise_id}:story:{channel_id}"
    card = PraiseStoryCard(praise_id=found.praise.id, account=found.account.name, receivers=found.receivers,
                           praise=found.praise.reason, done=done, lessons=lessons, author=actor_id)
    if not outbox.post(session, key=key, channel=channel_id, card=card, now=now):
        raise Refused(_("This story is already shared in <#{channel}>.").format(channel=channel_id))
    record_change(session, actor_id=actor_id, action="praise.story", object_type="praise", object_id=praise_id,
                  at=now, after={"channel": channel_id})
    return key
