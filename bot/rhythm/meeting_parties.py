"""Multi-party meetings (召集多方会议): a meeting that also invites other accounts (customer, suppliers, third
parties) and their people, and each party's reminder with only what every party may see.

`/meeting Acme Corp, Netcom @nina, DBCo: Joint outage review next tuesday 15:00` — the first account is the
meeting's own; each account named after it is a party, and the people mentioned beside an account are its
people. Each party (the meeting's own account too) is reminded once per occurrence, in its first linked
shared channel, else by DM to its named people: the title, the time and the parties' names, never the
internal agenda, complaints or scores, which stay in our people's reminder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.platform import outbox
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.text import USER_MENTION, mentioned_users
from bot.rhythm.cards import MeetingPartyReminderCard
from storage.accounts import Account, get_account_by_name, shared_channel_ids
from storage.rhythm import meeting_parties as store
from storage.rhythm.meetings import Meeting, MeetingOccurrence

MAX_PARTIES = 10
_SEPARATORS = re.compile(r"[,，、;；]")


@dataclass(frozen=True)
class PartyDraft:
    """An account named before the colon of `/meeting`, and the people mentioned beside it."""

    name: str
    people: tuple[str, ...] = ()


def read_parties(session: Session, text: str) -> list[PartyDraft]:
    """The accounts named before the colon, the meeting's own first; one when the whole text names an account."""
    whole = " ".join(USER_MENTION.sub(" ", text).split())
    if get_account_by_name(session, name=whole) is not None or not _SEPARATORS.search(text):
        return [PartyDraft(whole, tuple(mentioned_users(text)))]
    drafts = [PartyDraft(" ".join(USER_MENTION.sub(" ", item).split()), tuple(mentioned_users(item)))
              for item in _SEPARATORS.split(text) if item.strip()]
    if any(not draft.name for draft in drafts):
        raise InvalidInput(_("Name each account before its people: `/meeting Acme Corp, Netcom @nina: Joint review "
                             "next tuesday 15:00`"))
    if len(drafts) > MAX_PARTIES:
        raise InvalidInput(_("A meeting invites at most {limit} accounts.").format(limit=MAX_PARTIES))
    return drafts


def invite_parties(session: Session, *, meeting: Meeting, drafts: list[PartyDraft]) -> list[Account]:
    """Store the accounts a meeting invites beside its own (all of them, the own one first); their accounts."""
    accounts = [require_account(session, name=draft.name) for draft in drafts]
    ids = [account.id for account in accounts]
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("Name each account once."))
    if len(accounts) > 1:
        assert meeting.id is not None  # a stored meeting
        store.add_parties(session, meeting_id=meeting.id, parties=[
            (account.id, list(draft.people)) for account, draft in zip(accounts, drafts, strict=True)
            if account.id is not None])
    return accounts


def party_names(session: Session, *, meeting_id: int) -> tuple[str, ...]:
    """The names of a multi-party meeting's accounts, its own first (empty for a meeting with one account)."""
    names = []
    for party in store.list_parties(session, meeting_id=meeting_id):
        account = session.get(Account, party.account_id)
        assert account is not None  # parties keep their account (foreign key)
        names.append(account.name)
    return tuple(names)


def party_key(occurrence_id: int, account_id: int, user_id: str | None = None) -> str:
    """The outbox key of one party's reminder of an occurrence (in its channel, or to one of its people)."""
    base = f"meeting:{occurrence_id}:party:{account_id}"
    return base if user_id is None else f"{base}:{user_id}"


def remind_parties(session: Session, *, occurrence: MeetingOccurrence, meeting: Meeting, zone: ZoneInfo,
                   now: datetime) -> bool:
    """Remind each party of a multi-party meeting once; False when the meeting has no other parties."""
    assert occurrence.id is not None and meeting.id is not None  # read from the database
    parties = store.list_parties(session, meeting_id=meeting.id)
    if not parties:
        return False
    card = MeetingPartyReminderCard(title=meeting.title, starts_at=occurrence.starts_at, zone=zone,
                                    parties=party_names(session, meeting_id=meeting.id))
    for party in parties:
        shared = shared_channel_ids(session, account_id=party.account_id)
        if shared:
            outbox.post(session, key=party_key(occurrence.id, party.account_id), channel=shared[0], card=card,
                        now=now)
            continue
        for person in party.people:
            outbox.dm(session, key=party_key(occurrence.id, party.account_id, person), user=person, card=card,
                      now=now)
    return True
