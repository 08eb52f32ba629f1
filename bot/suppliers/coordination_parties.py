"""Suppliers taking part in an outage's coordination from their own shared channel: who may press the twin's
buttons, their status and notes flowing to the internal card, and the chase of a silent layer in its channel.

A supplier's organisation is told apart by Slack team: the one outside team in the supplier's linked shared
channels or, when a channel is shared with several organisations, those of them found in no channel of the
outage's other suppliers. Our own people may always act; anyone else is refused and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from bot.suppliers.cards import CoordinationChaseCard
from bot.suppliers.coordination import CoordinationChange, build_card, queue_card_update, require_open, set_layer_status
from bot.suppliers.coordination_twins import next_chase_at, queue_twin_update, reschedule_chase, still_chased
from storage.accounts import shared_channel_ids
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import coordination as store
from storage.suppliers.coordination import Coordination, CoordinationLayer, CoordinationNote, LayerStatus

if TYPE_CHECKING:
    from bot.platform.services import Services
    from bot.platform.slack import SlackUser

# What a supplier's people may say about their own layer: investigating, fixed, not us.
TWIN_ANSWERS = (LayerStatus.INVESTIGATING, LayerStatus.FIXED, LayerStatus.CLEARED)
MAX_NOTE = 1000
BATCH = 100


class Roster(Protocol):
    """What telling organisations apart asks Slack: the SlackPort answers it."""

    def home_team_id(self) -> str:
        """The team that installed Rapport."""
        ...

    def user(self, user_id: str) -> SlackUser | None:
        """A user as Slack knows them."""
        ...

    def channel_members(self, channel: str) -> list[str]:
        """Everyone in a channel."""
        ...


@dataclass(frozen=True)
class TwinPress:
    """Who pressed a twin card's button, from which team and channel."""

    actor_id: str
    is_external: bool
    team_id: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class TwinTarget:
    """The layer a twin's button acts on, once the presser may act on it."""

    coordination_id: int
    layer_id: int
    layer: str


def _outside_teams(roster: Roster, channel: str) -> set[str]:
    home = roster.home_team_id()
    people = (roster.user(member) for member in roster.channel_members(channel))
    return {person.team_id for person in people if person and not person.is_bot and person.team_id != home}


def supplier_teams(session: Session, roster: Roster, *, layer: CoordinationLayer) -> set[str]:
    """The Slack teams that count as the layer's supplier's organisation.

    The one outside team in the supplier's linked shared channels; when there are several (a channel shared
    with more organisations), those found in no channel of the outage's other suppliers.
    """
    own = set(shared_channel_ids(session, account_id=layer.supplier_id))
    teams = set().union(*(_outside_teams(roster, channel) for channel in own))
    if len(teams) <= 1:
        return teams
    others = {row.twin_channel_id for row in store.list_layers(session, coordination_id=layer.coordination_id)
              if row.supplier_id != layer.supplier_id and row.twin_channel_id} - own
    return teams - set().union(*(_outside_teams(roster, channel) for channel in others))


def authorise_twin_press(session: Session, roster: Roster, *, layer_id: int, press: TwinPress) -> TwinTarget:
    """The layer a twin's button names, if the presser may act on it: Refused (nothing changes) otherwise."""
    layer = store.get_layer(session, layer_id=layer_id)
    if layer is None or layer.twin_channel_id is None:
        raise NotFound(_("That card is out of date; nothing changed."))
    assert layer.id is not None  # a stored layer
    if press.is_external:
        team = press.team_id or getattr(roster.user(press.actor_id), "team_id", None)
        if press.channel != layer.twin_channel_id or team not in supplier_teams(session, roster, layer=layer):
            raise Refused(_("Sorry, only the supplier responsible for this layer, and our team, can update it. "
                            "Nothing was changed."))
    return TwinTarget(coordination_id=layer.coordination_id, layer_id=layer.id, layer=layer.name)


def set_status_from_twin(session: Session, *, target: TwinTarget, status: LayerStatus, actor_id: str,
                         now: datetime, tz: ZoneInfo, calendar: WorkCalendar) -> CoordinationChange:
    """A supplier's answer from its twin card: the layer, the internal card and the twin update."""
    if status not in TWIN_ANSWERS:
        raise InvalidInput(_("That card is out of date; nothing changed."))
    return set_layer_status(session, coordination_id=target.coordination_id, layer_name=target.layer, status=status,
                            actor_id=actor_id, now=now, tz=tz, calendar=calendar)


def check_note(text: str) -> str:
    """A note as typed; InvalidInput when empty or too long."""
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write the note first."))
    if len(text) > MAX_NOTE:
        raise InvalidInput(_("Keep the note under {limit} characters.").format(limit=MAX_NOTE))
    return text


def add_layer_note(session: Session, *, target: TwinTarget, text: str, actor_id: str, now: datetime, tz: ZoneInfo,
                   calendar: WorkCalendar) -> CoordinationChange:
    """Add a note to a layer: it shows on the internal card and the twin, and restarts the silence clock."""
    text = check_note(text)
    coordination = require_open(session, coordination_id=target.coordination_id)
    layer = store.get_layer(session, layer_id=target.layer_id)
    assert layer is not None  # layers are never deleted
    store.add_note(session, CoordinationNote(layer_id=target.layer_id, author_id=actor_id, text=text, created_at=now))
    layer.ping_at = None  # a note is an answer: the owner need not chase
    reschedule_chase(coordination, layer, since=now, calendar=calendar)
    session.add(layer)
    record_change(session, actor_id=actor_id, action="coordination.note", object_type="coordination",
                  object_id=target.coordination_id, at=now, after={"layer": layer.name, "note": text})
    keys = [queue_card_update(session, coordination, now=now, tz=tz)]
    twin = queue_twin_update(session, coordination, layer, now=now, tz=tz)
    keys += [twin] if twin else []
    return CoordinationChange(coordination, changed=True, card=build_card(session, coordination, tz=tz), keys=keys,
                              layer=layer.name)


def run_due_chases(session: Session, now: datetime, services: Services) -> int:
    """Chase each silent layer once per interval in its supplier's shared channel; returns the messages queued."""
    calendar = services.team_calendar()
    queued = 0
    for coordination_id in store.list_due_chases(session, now=now, limit=BATCH):
        coordination = store.get_coordination(session, coordination_id=coordination_id, for_update=True)
        assert coordination is not None  # a layer belongs to its coordination (foreign key)
        for layer in store.list_layers(session, coordination_id=coordination_id):
            if layer.chase_at is None or layer.chase_at > now:
                continue
            if still_chased(coordination, layer):
                queued += _chase(session, coordination, layer, now=now)
                layer.chase_at = next_chase_at(calendar, since=now, minutes=coordination.chase_minutes)
            else:
                layer.chase_at = None
            session.add(layer)
    return queued


def next_due_chases(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_chases next has work (a layer silent for its interval); past when one waits."""
    return store.next_chase_at(session)


def _chase(session: Session, coordination: Coordination, layer: CoordinationLayer, *, now: datetime) -> int:
    assert coordination.id is not None and layer.id is not None and layer.twin_channel_id is not None
    layer.chases += 1
    card = CoordinationChaseCard(id=coordination.id, title=coordination.title, layer=layer.name,
                                 minutes=coordination.chase_minutes)
    outbox.post(session, key=f"coordination:layer:{layer.id}:chase:{layer.chases}", channel=layer.twin_channel_id,
                card=card, now=now)
    record_change(session, actor_id=SCHEDULER, action="coordination.chase", object_type="coordination",
                  object_id=coordination.id, at=now, after={"layer": layer.name, "channel": layer.twin_channel_id,
                                                            "chase": layer.chases})
    return 1
