"""Coordination between suppliers: one outage, a supplier per layer, one card — the rules, free of Slack.

Until the cause of an outage that spans suppliers is known (the ERP example: network, host,
database, middleware, application), each layer's supplier answers with a status. A layer still
without an answer after the coordination's ping time (30 minutes by default, wall-clock: outages do
not wait for business hours) gets one reminder, by DM to the owner of the supplier's account. A
supplier with a linked shared channel also gets a twin card there (coordination_twins), answers on
it itself, and is chased there while silent (coordination_parties).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.arguments import whole_number
from bot.platform.errors import InvalidInput, NotConfigured, NotFound, Refused
from bot.platform.i18n import _
from bot.suppliers.cards import CoordinationCard, CoordinationLayerRow, CoordinationPingCard, LinkedComplaint
from bot.suppliers.coordination_twins import (
    NOTES_SHOWN,
    note_rows,
    place_twins,
    queue_twin_update,
    reschedule_chase,
)
from bot.suppliers.disputes import require_supplier_account
from storage.accounts import Account
from storage.care.complaints import Complaint
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import coordination as store
from storage.suppliers.coordination import Coordination, CoordinationLayer, LayerStatus

if TYPE_CHECKING:
    from bot.platform.services import Services

DEFAULT_PING_MINUTES = 30
DEFAULT_CHASE_MINUTES = 120
MAX_PING_MINUTES = 24 * 60
MAX_LAYERS = 10
MAX_TITLE = 200
MAX_LAYER_NAME = 40
BATCH = 100
EXAMPLE = "/dispute coordinate ERP down: network=Netcom, database=DBCo, application=AppCo"
_OPTIONS = ("ping", "chase")
_PING = re.compile(r"^([0-9]{1,4})\s*(m|min|mins|minutes?|h|hours?)?$", re.IGNORECASE)
CARD_BLOCK_PREFIX = "coordination_"  # the card's actions block: this prefix and the coordination's id
_ITEM_SEPARATORS = re.compile(r"[,，;；\n]")


@dataclass(frozen=True)
class LayerDraft:
    """A layer named in the command and the supplier responsible for it."""

    name: str
    supplier: str


@dataclass(frozen=True)
class CoordinationDraft:
    """What `/dispute coordinate` asked for."""

    title: str
    layers: tuple[LayerDraft, ...]
    ping_minutes: int = DEFAULT_PING_MINUTES
    chase_minutes: int = DEFAULT_CHASE_MINUTES


@dataclass(frozen=True)
class CoordinationChange:
    """The outcome of one action on a coordination, and the outbox keys to deliver at once."""

    coordination: Coordination
    changed: bool
    card: CoordinationCard
    keys: list[str] = field(default_factory=list)
    layer: str | None = None
    status: LayerStatus | None = None


def card_key(coordination_id: int) -> str:
    """The outbox key of a coordination's card."""
    return f"coordination:{coordination_id}:card"


@dataclass(frozen=True)
class LayerChoice:
    """A status chosen for one layer on a coordination card's select."""

    coordination_id: int
    layer: str
    status: LayerStatus


def read_layer_choice(block_id: str, value: str) -> LayerChoice:
    """The card's block id and the option chosen (`<layer>=<status>`); InvalidInput when the card is out of date."""
    coordination_id = whole_number(block_id.removeprefix(CARD_BLOCK_PREFIX))
    layer, _equals, status = value.rpartition("=")
    if not block_id.startswith(CARD_BLOCK_PREFIX) or coordination_id is None or not layer or \
            status not in {s.value for s in LayerStatus}:
        raise InvalidInput(_("That card is out of date; open a new coordination with `/dispute coordinate`."))
    return LayerChoice(coordination_id, layer, LayerStatus(status))


def _ping_minutes(text: str) -> int:
    match = _PING.match(text.strip())
    if not match:
        raise InvalidInput(_("Write the ping and chase times in minutes or hours, e.g. `ping=45m` or "
                             "`chase=2h`."))
    minutes = int(match.group(1)) * (60 if (match.group(2) or "m").lower().startswith("h") else 1)
    if not 1 <= minutes <= MAX_PING_MINUTES:
        raise InvalidInput(_("The ping time must be between 1 minute and 24 hours."))
    return minutes


def parse_coordination_text(text: str) -> CoordinationDraft:
    """Read `<title>: <layer>=<supplier>, … [, ping=45m]`."""
    text = html.unescape(text.strip())
    # The title ends at the last colon before the first "=", so a title may hold a time such as 10:30.
    first_pair = text.find("=") if "=" in text else len(text)
    cut_at = max(text.rfind(":", 0, first_pair), text.rfind("：", 0, first_pair))
    if cut_at < 0:
        raise InvalidInput(_("Give a title, then each layer and its supplier: `{example}`").format(example=EXAMPLE))
    title, pairs = text[:cut_at].strip(), text[cut_at + 1:]
    if not title:
        raise InvalidInput(_("Give the outage a title before the colon: `{example}`").format(example=EXAMPLE))
    if len(title) > MAX_TITLE:
        raise InvalidInput(_("Keep the title under {limit} characters.").format(limit=MAX_TITLE))
    layers: list[LayerDraft] = []
    times = {"ping": DEFAULT_PING_MINUTES, "chase": DEFAULT_CHASE_MINUTES}
    for item in filter(None, (part.strip() for part in _ITEM_SEPARATORS.split(pairs))):
        name, equals, supplier = (part.strip() for part in item.partition("="))
        if not equals or not name or not supplier:
            raise InvalidInput(_("“{item}” is not `layer=supplier`: `{example}`").format(item=item, example=EXAMPLE))
        if name.lower() in _OPTIONS:
            times[name.lower()] = _ping_minutes(supplier)
            continue
        if len(name) > MAX_LAYER_NAME:
            raise InvalidInput(_("Layer names are at most {limit} characters.").format(limit=MAX_LAYER_NAME))
        if name.casefold() in [layer.name.casefold() for layer in layers]:
            raise InvalidInput(_("The layer “{name}” is named twice; give each layer once.").format(name=name))
        layers.append(LayerDraft(name, supplier))
    if not layers:
        raise InvalidInput(_("Name at least one layer and its supplier: `{example}`").format(example=EXAMPLE))
    if len(layers) > MAX_LAYERS:
        raise InvalidInput(_("One coordination covers at most {limit} layers.").format(limit=MAX_LAYERS))
    return CoordinationDraft(title, tuple(layers), times["ping"], times["chase"])


def open_coordination(session: Session, *, draft: CoordinationDraft, actor_id: str, now: datetime,
                      channel: str | None, tz: ZoneInfo, is_shared: Callable[[str], bool],
                      calendar: WorkCalendar) -> CoordinationChange:
    """Record an outage's layers and suppliers, each waiting for an answer, and queue its card and twin cards."""
    suppliers = [require_supplier_account(session, name=layer.supplier) for layer in draft.layers]
    if not channel:
        raise NotConfigured(_("Coordination cards go to the escalation channel, and RAPPORT_ESCALATION_CHANNEL is "
                              "not set. Ask an admin to set it."))
    if is_shared(channel):
        raise Refused(_("<#{channel}> is shared with another organisation, so coordination cards can't go there. "
                        "Ask an admin to point RAPPORT_ESCALATION_CHANNEL at an internal channel.").format(
                            channel=channel))
    ping_at = now + timedelta(minutes=draft.ping_minutes)
    coordination = Coordination(title=draft.title, channel_id=channel, ping_minutes=draft.ping_minutes,
                                chase_minutes=draft.chase_minutes, created_by=actor_id, created_at=now,
                                updated_at=now)
    store.add_coordination(session, coordination)
    assert coordination.id is not None  # flushed by add_coordination
    layers = []
    for layer, supplier in zip(draft.layers, suppliers, strict=True):
        assert supplier.id is not None  # a stored account
        layers.append(CoordinationLayer(coordination_id=coordination.id, name=layer.name, supplier_id=supplier.id,
                                        ping_at=ping_at))
    store.add_layers(session, layers)
    twins = place_twins(session, coordination, layers, now=now, tz=tz, calendar=calendar)
    record_change(session, actor_id=actor_id, action="coordination.open", object_type="coordination",
                  object_id=coordination.id, at=now,
                  after={"title": draft.title, "ping_minutes": draft.ping_minutes,
                         "layers": {layer.name: supplier.name for layer, supplier in zip(draft.layers, suppliers,
                                                                                          strict=True)}})
    card = build_card(session, coordination, tz=tz)
    key = card_key(coordination.id)
    outbox.post(session, key=key, channel=channel, card=card, now=now, actor=actor_id)
    return CoordinationChange(coordination, changed=True, card=card, keys=[key, *twins])


def require_open(session: Session, *, coordination_id: int) -> Coordination:
    """A coordination still open, locked; NotFound or Refused otherwise."""
    coordination = store.get_coordination(session, coordination_id=coordination_id, for_update=True)
    if coordination is None:
        raise NotFound(_("There is no coordination #{id}.").format(id=coordination_id))
    if coordination.closed_at is not None:
        raise Refused(_("Outage coordination #{id} is closed; nothing changed.").format(id=coordination_id))
    return coordination


def set_layer_status(session: Session, *, coordination_id: int, layer_name: str, status: LayerStatus,
                     actor_id: str, now: datetime, tz: ZoneInfo, calendar: WorkCalendar) -> CoordinationChange:
    """Record a supplier's answer for one layer; an answer stops the ping. Setting the same status is a no-op."""
    coordination = require_open(session, coordination_id=coordination_id)
    layer = next((row for row in store.list_layers(session, coordination_id=coordination_id)
                  if row.name.casefold() == layer_name.casefold()), None)
    if layer is None:
        raise NotFound(_("Coordination #{id} has no layer “{name}”.").format(id=coordination_id, name=layer_name))
    if layer.status == status:
        return CoordinationChange(coordination, changed=False, card=build_card(session, coordination, tz=tz),
                                  layer=layer.name, status=status)
    before = {"layer": layer.name, "status": str(layer.status)}
    layer.status, layer.updated_by, layer.updated_at, layer.ping_at = status, actor_id, now, None
    reschedule_chase(coordination, layer, since=now, calendar=calendar)
    session.add(layer)
    record_change(session, actor_id=actor_id, action="coordination.status", object_type="coordination",
                  object_id=coordination.id, at=now, before=before, after={"layer": layer.name, "status": status.value})
    keys = [queue_card_update(session, coordination, now=now, tz=tz)]
    twin = queue_twin_update(session, coordination, layer, now=now, tz=tz)
    keys += [twin] if twin else []
    return CoordinationChange(coordination, changed=True, card=build_card(session, coordination, tz=tz), keys=keys,
                              layer=layer.name, status=status)


def queue_card_update(session: Session, coordination: Coordination, *, now: datetime, tz: ZoneInfo) -> str:
    """Queue an edit of the coordination's card showing its current state; returns the outbox key."""
    assert coordination.id is not None  # a stored coordination
    coordination.version += 1
    coordination.updated_at = now
    session.add(coordination)
    session.flush()
    key = f"{card_key(coordination.id)}:v{coordination.version}"
    outbox.update(session, key=key, original_key=card_key(coordination.id),
                  card=build_card(session, coordination, tz=tz), now=now)
    return key


def run_due_pings(session: Session, now: datetime, services: Services) -> int:
    """Chase, once per layer, each supplier that has not answered in time; returns how many messages were queued."""
    tz = services.settings.zone
    queued = 0
    for coordination_id in store.list_due_coordinations(session, now=now, limit=BATCH):
        # The coordination is locked first, as a status change does, so the two never deadlock.
        coordination = store.get_coordination(session, coordination_id=coordination_id, for_update=True)
        assert coordination is not None  # a layer belongs to its coordination (foreign key)
        due = [layer for layer in store.list_layers(session, coordination_id=coordination_id)
               if layer.ping_at is not None and layer.ping_at <= now]
        for layer in due:
            queued += _ping(session, coordination, layer, now=now)
        if due:
            queue_card_update(session, coordination, now=now, tz=tz)
            queued += 1
    return queued


def next_due_pings(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_pings next has work (ping to a silent supplier); past when some waits."""
    return store.next_ping_at(session)


def _ping(session: Session, coordination: Coordination, layer: CoordinationLayer, *, now: datetime) -> int:
    assert coordination.id is not None  # a stored coordination
    supplier = _supplier(session, layer)
    user = supplier.owner_id or coordination.created_by
    layer.ping_at, layer.pinged_at, layer.pinged_user = None, now, user
    session.add(layer)
    card = CoordinationPingCard(id=coordination.id, title=coordination.title, layer=layer.name, supplier=supplier.name,
                                minutes=coordination.ping_minutes, channel=coordination.channel_id)
    outbox.dm(session, key=f"coordination:{coordination.id}:layer:{layer.id}:ping", user=user, card=card, now=now)
    record_change(session, actor_id=SCHEDULER, action="coordination.ping", object_type="coordination",
                  object_id=coordination.id, at=now, after={"layer": layer.name, "to": user})
    return 1


def _supplier(session: Session, layer: CoordinationLayer) -> Account:
    supplier = session.get(Account, layer.supplier_id)
    assert supplier is not None  # layers keep their supplier (foreign key)
    return supplier


def build_card(session: Session, coordination: Coordination, *, tz: ZoneInfo) -> CoordinationCard:
    """The coordination card as it stands (internal: it only goes to the escalation channel)."""
    assert coordination.id is not None  # a stored coordination
    notes = store.list_notes(session, coordination_id=coordination.id, per_layer=NOTES_SHOWN)
    layers = tuple(
        CoordinationLayerRow(name=layer.name, supplier=_supplier(session, layer).name, status=LayerStatus(layer.status),
                             updated_by=layer.updated_by, updated_at=layer.updated_at, ping_at=layer.ping_at,
                             pinged_at=layer.pinged_at, pinged_user=layer.pinged_user,
                             notes=note_rows(notes.get(layer.id or 0, [])), twin_channel=layer.twin_channel_id)
        for layer in store.list_layers(session, coordination_id=coordination.id))
    complaints = tuple(LinkedComplaint(id=complaint.id, summary=complaint.summary)
                       for complaint_id in store.list_complaint_ids(session, coordination_id=coordination.id)
                       if (complaint := session.get(Complaint, complaint_id)) is not None and complaint.id is not None)
    return CoordinationCard(id=coordination.id, title=coordination.title, ping_minutes=coordination.ping_minutes,
                            created_by=coordination.created_by, created_at=coordination.created_at, tz=tz,
                            layers=layers, closed_at=coordination.closed_at, closed_by=coordination.closed_by,
                            root_cause=coordination.root_cause, cause_layer=coordination.cause_layer,
                            complaints=complaints)
