"""Closing an outage's coordination with its root cause, the layer responsible and the complaints it caused,
and `/dispute coordinate list` (internal only; the handlers refuse external users)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.platform import outbox
from bot.platform.arguments import parse_page, whole_number
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.suppliers.cards import CoordinationClosedCard, LinkedComplaint
from bot.suppliers.coordination import (
    MAX_LAYER_NAME,
    CoordinationChange,
    build_card,
    queue_card_update,
    require_open,
)
from bot.suppliers.coordination_twins import queue_twin_update
from storage.accounts import Account
from storage.care.complaints import Complaint
from storage.platform.audit import record_change
from storage.suppliers import coordination as store
from storage.suppliers.coordination import Coordination

MAX_CAUSE = 2000
MAX_COMPLAINTS = 20
PAGE_SIZE = 10
PICKABLE = 100  # Slack's limit of options in a select
RECENT = timedelta(days=30)  # closed coordinations stay listed this long
CLOSE_EXAMPLE = "/dispute coordinate 3 close layer database cause: a full disk on the primary complaints 12, 15"
_CLOSE = re.compile(r"^layer\s+(?P<layer>.+?)\s+cause\s*[:：]\s*(?P<cause>.+?)\s*$", re.IGNORECASE | re.DOTALL)
# The complaints start at the last "complaints" followed by a number: a cause may speak of complaints itself.
_COMPLAINTS = re.compile(r"\s+complaints?\s+(?=#?[0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class CloseDraft:
    """What closing a coordination says: the layer responsible, the root cause, the complaints it caused."""

    coordination_id: int
    layer: str
    cause: str
    complaint_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CloseForm:
    """What the close modal offers: the coordination's title and layers."""

    coordination_id: int
    title: str
    layers: tuple[str, ...]
    complaints: tuple[LinkedComplaint, ...] = ()  # opened since the day before the outage, newest first


@dataclass(frozen=True)
class CoordinationRow:
    """One line of `/dispute coordinate list`."""

    coordination: Coordination
    layers: int
    answered: int


@dataclass(frozen=True)
class CoordinationPage:
    """One page of `/dispute coordinate list`: open ones first, then those closed in the last 30 days."""

    rows: list[CoordinationRow]
    page: int
    pages: int
    total: int
    tz: ZoneInfo


def parse_complaint_ids(text: str) -> tuple[int, ...]:
    """`12, #15 18` as complaint numbers; InvalidInput on anything else."""
    ids = []
    for part in filter(None, re.split(r"[\s,，;；]+", text.strip())):
        number = whole_number(part.removeprefix("#"))
        if number is None:
            raise InvalidInput(_("“{part}” is not a complaint number; write them as `12, 15`.").format(part=part))
        ids.append(number)
    if len(ids) > MAX_COMPLAINTS:
        raise InvalidInput(_("Link at most {limit} complaints.").format(limit=MAX_COMPLAINTS))
    return tuple(dict.fromkeys(ids))


def check_cause(cause: str) -> str:
    """The root cause as typed; InvalidInput when empty or too long."""
    cause = cause.strip()
    if not cause:
        raise InvalidInput(_("Say what the root cause was: `{example}`").format(example=CLOSE_EXAMPLE))
    if len(cause) > MAX_CAUSE:
        raise InvalidInput(_("Keep the root cause under {limit} characters.").format(limit=MAX_CAUSE))
    return cause


def parse_close_text(coordination_id: int, text: str) -> CloseDraft:
    """Read `layer <layer> cause: <text> [complaints <ids>]`, what follows `/dispute coordinate <id> close`."""
    match = _CLOSE.match(html.unescape(text.strip()))
    if not match:
        raise InvalidInput(_("Name the layer responsible and the root cause: `{example}`").format(
            example=CLOSE_EXAMPLE))
    layer, cause, ids = match.group("layer").strip(), match.group("cause"), ""
    if len(layer) > MAX_LAYER_NAME:
        raise InvalidInput(_("Layer names are at most {limit} characters.").format(limit=MAX_LAYER_NAME))
    if complaints := list(_COMPLAINTS.finditer(cause)):
        cause, ids = cause[:complaints[-1].start()], cause[complaints[-1].end():]
    return CloseDraft(coordination_id, layer, check_cause(cause), parse_complaint_ids(ids))


def close_form(session: Session, *, coordination_id: int) -> CloseForm:
    """What the close modal of an open coordination offers."""
    coordination = store.get_coordination(session, coordination_id=coordination_id)
    if coordination is None:
        raise NotFound(_("There is no coordination #{id}.").format(id=coordination_id))
    if coordination.closed_at is not None:
        raise InvalidInput(_("Outage coordination #{id} is closed already.").format(id=coordination_id))
    layers = tuple(layer.name for layer in store.list_layers(session, coordination_id=coordination_id))
    complaints = tuple(LinkedComplaint(complaint_id, summary) for complaint_id, summary in store.list_complaints_since(
        session, since=coordination.created_at - timedelta(days=1), limit=PICKABLE))
    return CloseForm(coordination_id, coordination.title, layers, complaints)


def close_coordination(session: Session, *, draft: CloseDraft, actor_id: str, now: datetime,
                       tz: ZoneInfo) -> CoordinationChange:
    """Close with the root cause and the layer responsible; link the complaints and tell their owners, once."""
    coordination = require_open(session, coordination_id=draft.coordination_id)
    layers = store.list_layers(session, coordination_id=draft.coordination_id)
    cause_layer = next((layer for layer in layers if layer.name.casefold() == draft.layer.casefold()), None)
    if cause_layer is None:
        raise NotFound(_("Coordination #{id} has no layer “{name}”; its layers: {layers}.").format(
            id=draft.coordination_id, name=draft.layer, layers=", ".join(layer.name for layer in layers)))
    complaints = [session.get(Complaint, complaint_id) for complaint_id in draft.complaint_ids]
    missing = [str(complaint_id) for complaint_id, found in zip(draft.complaint_ids, complaints, strict=True)
               if found is None]
    if missing:
        raise NotFound(_("There is no complaint #{ids}; nothing was closed.").format(ids=", #".join(missing)))
    coordination.closed_at, coordination.closed_by = now, actor_id
    coordination.root_cause, coordination.cause_layer = draft.cause, cause_layer.name
    session.add(coordination)
    for layer in layers:
        layer.ping_at, layer.chase_at = None, None
        session.add(layer)
    store.link_complaints(session, coordination_id=draft.coordination_id, complaint_ids=list(draft.complaint_ids))
    record_change(session, actor_id=actor_id, action="coordination.close", object_type="coordination",
                  object_id=draft.coordination_id, at=now,
                  after={"layer": cause_layer.name, "cause": draft.cause, "complaints": list(draft.complaint_ids)})
    keys = [queue_card_update(session, coordination, now=now, tz=tz)]
    keys += [key for layer in layers if (key := queue_twin_update(session, coordination, layer, now=now, tz=tz))]
    supplier = session.get(Account, cause_layer.supplier_id)
    assert supplier is not None  # layers keep their supplier (foreign key)
    for complaint in complaints:
        assert complaint is not None and complaint.id is not None  # checked above
        card = CoordinationClosedCard(id=draft.coordination_id, title=coordination.title, root_cause=draft.cause,
                                      cause_layer=cause_layer.name, supplier=supplier.name,
                                      complaint=LinkedComplaint(complaint.id, complaint.summary), closed_by=actor_id)
        key = f"coordination:{draft.coordination_id}:closed:complaint:{complaint.id}"
        outbox.dm(session, key=key, user=complaint.owner_id or complaint.created_by, card=card, now=now)
        keys.append(key)
    return CoordinationChange(coordination, changed=True, card=build_card(session, coordination, tz=tz), keys=keys,
                              layer=cause_layer.name)


def parse_list_page(text: str) -> int:
    """`[page]`, page 1 by default."""
    return parse_page(text, usage=_("Give a page number: `/dispute coordinate list 2`"))


def list_coordination_page(session: Session, *, page: int, now: datetime, tz: ZoneInfo) -> CoordinationPage:
    """Open coordinations, then those closed in the last 30 days, PAGE_SIZE at a time."""
    since = now - RECENT
    total = store.count_listed(session, closed_since=since)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    rows = []
    for coordination in store.list_listed(session, closed_since=since, offset=window.offset, limit=window.limit):
        assert coordination.id is not None  # stored
        layers = store.list_layers(session, coordination_id=coordination.id)
        rows.append(CoordinationRow(coordination, len(layers), sum(1 for layer in layers if layer.status != "waiting")))
    return CoordinationPage(rows, window.page, window.pages, total, tz)
