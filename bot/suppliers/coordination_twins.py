"""An outage's twin cards: one per supplier with a linked shared channel, showing only that supplier's layer.

The twin lives in the supplier's own shared channel, so it carries the outage's title and that one layer
(its status and notes) and nothing about the other layers or suppliers. Each change to the layer edits it
in place through the outbox, as the internal card is edited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.suppliers.cards import CoordinationNoteRow, CoordinationTwinCard
from storage.accounts import first_shared_channel
from storage.suppliers import coordination as store
from storage.suppliers.coordination import SETTLED, Coordination, CoordinationLayer, CoordinationNote, LayerStatus

NOTES_SHOWN = 5  # the latest notes of a layer on its cards


def twin_key(layer_id: int) -> str:
    """The outbox key of a layer's twin card."""
    return f"coordination:layer:{layer_id}:twin"


def next_chase_at(calendar: WorkCalendar, *, since: datetime, minutes: int) -> datetime:
    """When a layer silent since `since` is chased: after `minutes` of the team's working time."""
    return calendar.add_business_time(since, timedelta(minutes=minutes))


def still_chased(coordination: Coordination, layer: CoordinationLayer) -> bool:
    """Whether a layer's supplier is chased in its channel while silent: open outage, twin posted, not settled."""
    return coordination.closed_at is None and layer.twin_channel_id is not None and \
        LayerStatus(layer.status) not in SETTLED


def reschedule_chase(coordination: Coordination, layer: CoordinationLayer, *, since: datetime,
                     calendar: WorkCalendar) -> None:
    """Restart the layer's silence clock from `since`, or stop it once the layer no longer needs chasing."""
    layer.chase_at = next_chase_at(calendar, since=since, minutes=coordination.chase_minutes) \
        if still_chased(coordination, layer) else None


def place_twins(session: Session, coordination: Coordination, layers: list[CoordinationLayer], *, now: datetime,
                tz: ZoneInfo, calendar: WorkCalendar) -> list[str]:
    """Post a twin card in each layer's supplier's shared channel (where there is one); returns the outbox keys."""
    keys = []
    for layer in layers:
        layer.twin_channel_id = first_shared_channel(session, account_id=layer.supplier_id)
        if layer.twin_channel_id is None:
            continue
        assert layer.id is not None  # stored layers
        reschedule_chase(coordination, layer, since=now, calendar=calendar)
        session.add(layer)
        outbox.post(session, key=twin_key(layer.id), channel=layer.twin_channel_id,
                    card=build_twin_card(session, coordination, layer, tz=tz), now=now)
        keys.append(twin_key(layer.id))
    session.flush()
    return keys


def queue_twin_update(session: Session, coordination: Coordination, layer: CoordinationLayer, *, now: datetime,
                      tz: ZoneInfo) -> str | None:
    """Queue an edit of the layer's twin card as it stands; the outbox key, or None when it has no twin."""
    if layer.twin_channel_id is None:
        return None
    assert layer.id is not None  # a stored layer
    layer.twin_version += 1
    session.add(layer)
    session.flush()
    key = f"{twin_key(layer.id)}:v{layer.twin_version}"
    outbox.update(session, key=key, original_key=twin_key(layer.id),
                  card=build_twin_card(session, coordination, layer, tz=tz), now=now)
    return key


def note_rows(notes: list[CoordinationNote]) -> tuple[CoordinationNoteRow, ...]:
    """Notes as the cards show them."""
    return tuple(CoordinationNoteRow(author=note.author_id, at=note.created_at, text=note.text) for note in notes)


def build_twin_card(session: Session, coordination: Coordination, layer: CoordinationLayer, *,
                    tz: ZoneInfo) -> CoordinationTwinCard:
    """A layer's twin card: the outage's title and this layer only."""
    assert coordination.id is not None and layer.id is not None  # stored rows
    notes = store.list_notes(session, coordination_id=coordination.id, per_layer=NOTES_SHOWN).get(layer.id, [])
    return CoordinationTwinCard(id=coordination.id, layer_id=layer.id, title=coordination.title, layer=layer.name,
                                status=LayerStatus(layer.status), tz=tz, notes=note_rows(notes),
                                updated_by=layer.updated_by, updated_at=layer.updated_at,
                                closed=coordination.closed_at is not None)
