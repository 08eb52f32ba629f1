"""Action items (improvement plan): agreed in a meeting's minutes, reminded on the due day and once when overdue.

Each item's owner gets a DM when it is assigned (unless they wrote the minutes), a reminder at the
opening of business on its due day, and one more on the next working day's opening if it is still
open. "Done" on any of these messages completes it, once, however often it is clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.calendar.reminder_stages import step_stages
from bot.calendar.when import UnreadableDate, read_when
from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from bot.rhythm.cards import ActionItemReminderCard, ActionItemStage
from bot.rhythm.meetings import account_calendar, account_of
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.rhythm import action_items as store
from storage.rhythm.action_items import ActionItem, ActionStatus

if TYPE_CHECKING:
    from bot.platform.services import Services

MAX_TEXT = 500
DUE_BATCH = 200
STAGES = (ActionItemStage.DUE, ActionItemStage.OVERDUE)


class RowProblem(InvalidInput):
    """One action item row of the minutes cannot be read; `field` is text, owner or due."""

    def __init__(self, message: str, *, row: int, field: str) -> None:
        super().__init__(message)
        self.row = row
        self.field = field


@dataclass(frozen=True)
class ActionRow:
    """One action item row as typed in the minutes modal (any part may be empty)."""

    row: int
    text: str
    owner_id: str | None
    due_text: str


@dataclass(frozen=True)
class ActionDraft:
    """A checked action item, ready to store."""

    text: str
    owner_id: str
    due_at: datetime


def read_rows(rows: list[ActionRow], *, now: datetime, calendar: WorkCalendar,
              is_internal: Callable[[str], bool]) -> list[ActionDraft]:
    """Check the rows of the minutes: each filled row needs what, who (one of ours) and when; empty rows are skipped."""
    drafts = []
    for row in rows:
        text = " ".join(row.text.split())
        if not (text or row.owner_id or row.due_text.strip()):
            continue
        if not text:
            raise RowProblem(_("What is to be done?"), row=row.row, field="text")
        if len(text) > MAX_TEXT:
            raise RowProblem(_("Keep it under {limit} characters.").format(limit=MAX_TEXT), row=row.row, field="text")
        if not row.owner_id:
            raise RowProblem(_("Who will do it?"), row=row.row, field="owner")
        if not is_internal(row.owner_id):  # the improvement plan is ours; its reminders are internal
            raise RowProblem(_("<@{user}> is not one of the team; action items go to our own people.").format(
                user=row.owner_id), row=row.row, field="owner")
        if not row.due_text.strip():
            raise RowProblem(_("By when? e.g. “friday”, “in 3 working days”, “下周一”."), row=row.row, field="due")
        try:
            due = read_when(row.due_text, now=now, tz=calendar.timezone, calendar=calendar)
        except UnreadableDate as error:
            raise RowProblem(error.message, row=row.row, field="due") from None
        drafts.append(ActionDraft(text=text, owner_id=row.owner_id, due_at=due.astimezone(UTC)))
    return drafts


def reminder_values(calendar: WorkCalendar, due_at: datetime, *, now: datetime) -> dict[str, Any]:
    """Remind at the opening of the due day, and once more at the next working day's opening if still open."""
    due_day = due_at.astimezone(calendar.timezone).date()
    opening = datetime.combine(due_day, calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)
    after = calendar.add_working_days(due_day, 1)
    overdue = datetime.combine(after, calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)
    due = opening if opening >= now else None  # assigned on its due day: the assignment DM says so
    return {"due_reminder_at": due, "overdue_reminder_at": overdue, "reminded_stage": None,
            "next_check_at": due or overdue}


def add_action_items(session: Session, *, account: Account, occurrence_id: int | None, drafts: list[ActionDraft],
                     actor_id: str, now: datetime, calendar: WorkCalendar) -> list[ActionItem]:
    """Store checked action items with their reminders, and tell each owner (but the writer) at once."""
    assert account.id is not None  # a stored account
    items = []
    for draft in drafts:
        item = store.add_action_item(session, ActionItem(
            account_id=account.id, occurrence_id=occurrence_id, text=draft.text, owner_id=draft.owner_id,
            due_at=draft.due_at, created_by=actor_id, created_at=now,
            **reminder_values(calendar, draft.due_at, now=now)))
        assert item.id is not None  # flushed
        record_change(session, actor_id=actor_id, action="action_item.add", object_type="action_item",
                      object_id=item.id, at=now, after={"text": item.text, "owner_id": item.owner_id,
                                                       "due_at": item.due_at.isoformat()})
        if item.owner_id != actor_id:
            card = item_card(item, account, calendar, stage=ActionItemStage.ASSIGNED, assigned_by=actor_id)
            outbox.dm(session, key=message_key(item.id, ActionItemStage.ASSIGNED), user=item.owner_id, card=card,
                      now=now)
        items.append(item)
    return items


def message_key(item_id: int, stage: ActionItemStage) -> str:
    """The outbox key of an item's DM: assigned, due or overdue."""
    return f"action:{item_id}:{stage.value}"


def item_card(item: ActionItem, account: Account, calendar: WorkCalendar, *, stage: ActionItemStage,
              assigned_by: str | None = None) -> ActionItemReminderCard:
    """What an action item DM shows."""
    assert item.id is not None  # a stored item
    return ActionItemReminderCard(item_id=item.id, account=account.name, text=item.text, owner=item.owner_id,
                                  due_at=item.due_at, zone=calendar.timezone, stage=stage, assigned_by=assigned_by,
                                  done_by=item.done_by)


def run_due_action_items(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind each open item's owner on the due day and once when overdue."""
    handled = 0
    for item in store.claim_due_action_items(session, now=now, limit=DUE_BATCH):
        assert item.id is not None  # claimed from the database
        handled += 1
        if item.status != ActionStatus.OPEN:
            store.change_action_item(session, item_id=item.id, statuses=(ActionStatus(item.status),),
                                     values={"next_check_at": None})
            continue
        step = step_stages(STAGES, (item.due_reminder_at, item.overdue_reminder_at), reminded=item.reminded_stage,
                           now=now)
        if not store.change_action_item(session, item_id=item.id, statuses=(ActionStatus.OPEN,),
                                         values=step.changes()):
            continue
        if step.due:
            stage = ActionItemStage(step.due)
            account = account_of(session, item.account_id)
            card = item_card(item, account, account_calendar(account, services.settings), stage=stage)
            outbox.dm(session, key=message_key(item.id, stage), user=item.owner_id, card=card, now=now)
            record_change(session, actor_id=SCHEDULER, action="action_item.remind", object_type="action_item",
                          object_id=item.id, at=now, after={"stage": stage.value})
    return handled


def next_due_action_items(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_action_items next has work (action item reminder); past when some waits."""
    return store.next_action_item_check_at(session)


@dataclass(frozen=True)
class Completed:
    """The result of a click on Done: the item, whether this click completed it, and keys to deliver now."""

    item: ActionItem
    changed: bool
    keys: list[str]


def complete_action_item(session: Session, *, item_id: int, actor_id: str, now: datetime,
                         settings: Settings) -> Completed:
    """Mark an item done, once; its DMs are updated in place to say who did it."""
    if store.get_action_item(session, item_id=item_id) is None:
        raise NotFound(_("That action item no longer exists."))
    values = {"status": ActionStatus.DONE, "done_at": now, "done_by": actor_id, "next_check_at": None}
    changed = store.change_action_item(session, item_id=item_id, statuses=(ActionStatus.OPEN,), values=values)
    item = store.get_action_item(session, item_id=item_id)
    assert item is not None  # read just above
    if not changed:
        return Completed(item, changed=False, keys=[])
    account = account_of(session, item.account_id)
    record_change(session, actor_id=actor_id, action="action_item.done", object_type="action_item", object_id=item_id,
                  at=now, before={"status": ActionStatus.OPEN.value}, after={"status": ActionStatus.DONE.value})
    card = item_card(item, account, account_calendar(account, settings), stage=ActionItemStage.DONE)
    originals = [message_key(item_id, stage) for stage in (ActionItemStage.ASSIGNED, *STAGES)]
    keys = outbox.update_queued(session, original_keys=originals, suffix="done", card=card, now=now)
    return Completed(item, changed=True, keys=keys)
