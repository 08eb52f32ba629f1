"""Edit and submit a drafted report: the owner's key issues and improvement plan, the sections the customer sees
(or a reader's saved choice, 差异化服务报告), and whether the customer version goes to the shared channel."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from bot.calendar.recurrence import Period
from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.errors import FormErrors, NotFound, Refused
from bot.platform.i18n import _, language_of, speaking
from bot.report.cards import ReportDraftCard
from bot.report.drafts import IMPROVEMENT, build_draft, draft_key
from bot.report.model import Report
from bot.rhythm.agreements import report_recipients, submit_report
from bot.rhythm.meetings import account_of
from storage.accounts import Account, first_shared_channel
from storage.platform.audit import record_change
from storage.report import reports as store
from storage.report.reports import ReportState, ServiceReport

MAX_KEY_ISSUES = 3000
MAX_PRESET_NAME = 40
MAX_PRESETS = 5


@dataclass(frozen=True)
class EditForm:
    """What the Edit and submit modal shows."""

    report_id: int
    account_name: str
    period: Period
    key_issues: str
    shareable: tuple[tuple[str, str], ...]  # (key, title) of each section a customer may see
    chosen: tuple[str, ...]
    presets: tuple[tuple[str, tuple[str, ...]], ...]
    shared_channel: str | None


@dataclass(frozen=True)
class ReportEntry:
    """The modal's fields as submitted."""

    key_issues: str
    sections: tuple[str, ...]
    preset: str  # a saved reader's choice to use instead of the ticked sections ("" when none)
    save_as: str  # save the ticked sections for a reader of this name ("" when not)
    post: bool


@dataclass(frozen=True)
class SubmittedReport:
    """A submitted report: both versions, who gets the internal one, where the customer one goes, what to deliver."""

    report_id: int
    account: Account
    internal: Report
    customer: Report
    owner: str
    channel: str | None
    keys: list[str]


def _row(session: Session, report_id: int) -> ServiceReport:
    row = store.get_report(session, report_id=report_id)
    if row is None:
        raise NotFound(_("That service report no longer exists."))
    return row


def edit_form(session: Session, *, report_id: int, settings: Settings, now: datetime) -> EditForm:
    """The modal's values: the draft's shareable sections (in the language being spoken) and what was chosen."""
    row = _row(session, report_id)
    if row.status == ReportState.SUBMITTED:
        raise Refused(_("This service report was already submitted by <@{who}>.").format(who=row.submitted_by))
    assert row.id is not None  # stored
    report = build_draft(session, row, settings=settings, now=now, key_issues="")
    shareable = tuple((s.key, s.title) for s in report.sections if s.shareable)
    shareable += ((IMPROVEMENT, _("Key issues and improvement plan")),)
    chosen = tuple(row.shared_sections) if row.shared_sections is not None else tuple(k for k, _t in shareable)
    presets = tuple((p.name, tuple(p.sections)) for p in store.list_presets(session, account_id=row.account_id))
    return EditForm(row.id, report.account_name, report.scope.period, row.key_issues, shareable, chosen, presets,
                    first_shared_channel(session, account_id=row.account_id))


def _check(session: Session, row: ServiceReport, entry: ReportEntry) -> tuple[str, ...]:
    """The sections the customer version holds; FormErrors naming the field when something is wrong."""
    if len(entry.key_issues) > MAX_KEY_ISSUES:
        raise FormErrors({"key_issues": _("At most {limit} characters.").format(limit=MAX_KEY_ISSUES)})
    presets = {p.name: p for p in store.list_presets(session, account_id=row.account_id)}
    name = " ".join(entry.save_as.split())
    if len(name) > MAX_PRESET_NAME:
        raise FormErrors({"save_as": _("At most {limit} characters.").format(limit=MAX_PRESET_NAME)})
    if name and name not in presets and len(presets) >= MAX_PRESETS:
        raise FormErrors({"save_as": _("An account keeps at most {limit} readers' choices; reuse a name to "
                                       "replace one.").format(limit=MAX_PRESETS)})
    if entry.preset:
        if entry.preset not in presets:
            raise FormErrors({"preset": _("That reader's choice no longer exists.")})
        return tuple(presets[entry.preset].sections)
    return entry.sections


def submit_draft(session: Session, *, report_id: int, entry: ReportEntry, actor_id: str, now: datetime,
                 settings: Settings) -> SubmittedReport:
    """Mark the report submitted (its deadline met, reminders stopped) and build its internal version (in the
    language being spoken) and its customer version (in the account's): only the chosen shareable sections."""
    row = _row(session, report_id)
    assert row.id is not None  # stored
    if row.status == ReportState.SUBMITTED:
        raise Refused(_("This service report was already submitted by <@{who}>.").format(who=row.submitted_by))
    chosen = _check(session, row, entry)
    account = account_of(session, row.account_id)
    key_issues = entry.key_issues.strip()
    internal = build_draft(session, row, settings=settings, now=now, key_issues=key_issues)
    with speaking(language_of(account.language, fallback=settings.rapport_language)):
        customer = build_draft(session, row, settings=settings, now=now, key_issues=key_issues)
    customer = customer.customer_version(frozenset(chosen))
    channel = first_shared_channel(session, account_id=row.account_id) if entry.post else None
    if not store.change_report(session, report_id=row.id, statuses=(ReportState.DRAFT,), values={
            "status": ReportState.SUBMITTED, "key_issues": key_issues, "shared_sections": list(chosen),
            "posted_to_channel": channel, "submitted_by": actor_id, "submitted_at": now}):
        raise Refused(_("This service report was just submitted by someone else."))
    if name := " ".join(entry.save_as.split()):  # audited with the submission below
        store.save_preset(session, account_id=row.account_id, name=name, sections=list(entry.sections),
                          actor_id=actor_id, now=now)
    submission = submit_report(session, actor_id=actor_id, now=now, settings=settings, deadline_id=row.deadline_id)
    record_change(session, actor_id=actor_id, action="service_report.submit", object_type="service_report",
                  object_id=row.id, at=now, before={"status": ReportState.DRAFT.value},
                  after={"status": ReportState.SUBMITTED.value, "shared_sections": list(chosen), "channel": channel,
                         "saved_reader": name or None})
    keys = [*submission.keys, *_mark_drafts(session, row.id, account, actor_id=actor_id, now=now, settings=settings)]
    return SubmittedReport(row.id, account, internal, customer, account.owner_id or actor_id, channel, keys)


def _mark_drafts(session: Session, report_id: int, account: Account, *, actor_id: str, now: datetime,
                 settings: Settings) -> list[str]:
    """Edit each DM of the draft to say who submitted it (no button, no files)."""
    keys = []
    for person in dict.fromkeys([*report_recipients(account, settings), *settings.rapport_managers]):
        original = draft_key(report_id, person)
        card = outbox.queued_card(session, key=original, card_type=ReportDraftCard)
        if card is not None and outbox.update(session, key=f"{original}:submitted", original_key=original,
                                              card=replace(card, submitted_by=actor_id), now=now):
            keys.append(f"{original}:submitted")
    return keys


def record_files(session: Session, *, report_id: int, files: list[dict[str, str]], actor_id: str,
                 now: datetime) -> None:
    """Keep what was uploaded (ids, names, links) on the submitted report, audited."""
    if store.change_report(session, report_id=report_id, statuses=(ReportState.SUBMITTED,), values={"files": files}):
        record_change(session, actor_id=actor_id, action="service_report.files", object_type="service_report",
                      object_id=report_id, at=now, after={"files": [item.get("name") for item in files]})
