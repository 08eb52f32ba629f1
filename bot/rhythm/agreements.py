"""Service agreements' rhythm (定期沟通): review cycle, report deadline and review meeting, kept planned by Rapport.

An agreement says how often the account is reviewed (weekly, monthly, quarterly), that the service
report on a period is due by working day N of the next period (default 5) and that the review meeting
is held by working day M (default 10). Saving it plans the next review (a repeating "review" meeting,
see bot.rhythm.meetings) and the next report deadline; `run_due_reports` plans each following deadline once
the previous one is due, and reminds the account's owner two working days before and on the due day
until the report is marked submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.calendar.recurrence import MAX_WORKING_DAY, Frequency, Occurrence, Period, Rule
from bot.calendar.reminder_stages import step_stages
from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.arguments import whole_number
from bot.platform.config import Settings
from bot.platform.errors import FormErrors, NotFound, Refused
from bot.platform.i18n import _
from bot.rhythm.cards import ReportReminderCard, ReportStage
from bot.rhythm.meetings import account_calendar, account_of, cancel_occurrence, plan_occurrence
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.rhythm import agreements as store
from storage.rhythm import meetings as meeting_store
from storage.rhythm.agreements import AgreementSummary, ReportDeadline, ReportStatus, ServiceAgreement
from storage.rhythm.meetings import Meeting, MeetingKind

if TYPE_CHECKING:
    from bot.platform.services import Services

DEFAULT_CYCLE = Frequency.MONTH
DEFAULT_REPORT_DAY = 5
DEFAULT_REVIEW_DAY = 10
DEFAULT_REVIEW_TIME = "10:00"
STAGES = (ReportStage.BEFORE, ReportStage.DUE)
BEFORE_WORKING_DAYS = 2
DUE_BATCH = 200


@dataclass(frozen=True)
class AgreementForm:
    """What the agreement modal shows: the account and its current (or default) rhythm."""

    account_id: int
    account_name: str
    cycle: Frequency
    report_day: int
    review_day: int
    review_time: str
    shared_reminders: bool
    exists: bool


@dataclass(frozen=True)
class AgreementEntry:
    """The agreement modal's fields as submitted, unchecked."""

    cycle: str
    report_day: str
    review_day: str
    review_time: str
    shared_reminders: bool


@dataclass(frozen=True)
class AgreementSaved:
    """A saved agreement, with what it planned."""

    account: Account
    agreement: ServiceAgreement
    summary: AgreementSummary
    calendar: WorkCalendar


@dataclass(frozen=True)
class Submission:
    """A report marked submitted (or found submitted already), and the keys to deliver now."""

    deadline: ReportDeadline
    account: Account
    changed: bool
    keys: list[str]


def agreement_form(session: Session, *, name: str = "", account_id: int | None = None) -> AgreementForm:
    """The agreement modal's values for an account named or given by id."""
    account = account_of(session, account_id) if account_id is not None else require_account(session, name=name)
    assert account.id is not None  # a stored account
    agreement = store.get_agreement(session, account_id=account.id)
    if agreement is None:
        return AgreementForm(account.id, account.name, DEFAULT_CYCLE, DEFAULT_REPORT_DAY, DEFAULT_REVIEW_DAY,
                             DEFAULT_REVIEW_TIME, account.meeting_reminders_shared, exists=False)
    return AgreementForm(account.id, account.name, Frequency(agreement.cycle), agreement.report_day,
                         agreement.review_day, agreement.review_time, account.meeting_reminders_shared, exists=True)


def _day(text: str, cycle: Frequency, field: str) -> int:
    most = MAX_WORKING_DAY[cycle]
    day = whole_number(text)
    if day is None or not 1 <= day <= most:
        raise FormErrors({field: _("A working day from 1 to {most}.").format(most=most)})
    return day


def _time(text: str) -> time:
    hour_text, _colon, minute_text = text.partition(":")
    hour, minute = whole_number(hour_text), whole_number(minute_text)
    if hour is None or minute is None or hour > 23 or minute > 59:
        raise FormErrors({"review_time": _("A time of day such as 10:00.")})
    return time(hour, minute)


def save_agreement(session: Session, *, account_id: int, entry: AgreementEntry, actor_id: str, now: datetime,
                   settings: Settings) -> AgreementSaved:
    """Save an account's agreement and plan its next review meeting and report deadline (re-planning on change)."""
    # A review cycle is a week, month or quarter (a rule's "day" frequency is no cycle).
    frequency = next((cycle for cycle in MAX_WORKING_DAY if cycle.value == entry.cycle), None)
    if frequency is None:
        raise FormErrors({"cycle": _("Choose weekly, monthly or quarterly.")})
    report_n = _day(entry.report_day, frequency, "report_day")
    review_n = _day(entry.review_day, frequency, "review_day")
    review_clock = _time(entry.review_time)
    account = account_of(session, account_id)
    agreement = store.get_agreement(session, account_id=account_id)
    before = _snapshot(agreement, account) if agreement else None
    if agreement is None:
        agreement = ServiceAgreement(account_id=account_id, cycle=frequency, report_day=report_n, review_day=review_n,
                                     review_time=f"{review_clock:%H:%M}", created_at=now, updated_by=actor_id,
                                     updated_at=now)
    agreement.cycle, agreement.report_day, agreement.review_day = frequency.value, report_n, review_n
    agreement.review_time, agreement.updated_by, agreement.updated_at = f"{review_clock:%H:%M}", actor_id, now
    account.meeting_reminders_shared = entry.shared_reminders
    session.add(account)
    calendar = account_calendar(account, settings)
    review_rule = Rule(frequency, review_clock, working_day=review_n)
    agreement.review_meeting_id = _plan_reviews(session, agreement=agreement, account=account, rule=review_rule,
                                                calendar=calendar, actor_id=actor_id, now=now)
    report = report_rule(agreement, calendar).next_after(calendar, after=now)
    _cancel_other_deadlines(session, account_id=account_id, keep=(frequency, reported_period(report).start), now=now,
                            actor_id=actor_id)
    plan_deadline(session, agreement=agreement, calendar=calendar, occurrence=report, now=now)
    agreement.report_roll_at = report.at
    session.add(agreement)
    session.flush()
    record_change(session, actor_id=actor_id, action="agreement.save", object_type="account", object_id=account_id,
                  at=now, before=before, after=_snapshot(agreement, account))
    return AgreementSaved(account, agreement, store.agreement_summary(session, account_id=account_id, now=now),
                          calendar)


def _snapshot(agreement: ServiceAgreement, account: Account) -> dict[str, Any]:
    return {"cycle": agreement.cycle, "report_day": agreement.report_day, "review_day": agreement.review_day,
            "review_time": agreement.review_time, "meeting_reminders_shared": account.meeting_reminders_shared}


def _plan_reviews(session: Session, *, agreement: ServiceAgreement, account: Account, rule: Rule,
                  calendar: WorkCalendar, actor_id: str, now: datetime) -> int:
    """Keep the account's review series on the rule: its next occurrence planned, any other future one cancelled."""
    meeting = meeting_store.get_review_meeting(session, account_id=agreement.account_id)
    if meeting is None:
        meeting = meeting_store.add_meeting(session, Meeting(
            account_id=agreement.account_id, kind=MeetingKind.REVIEW, title=_("Service review"), rule=rule.text(),
            created_by=actor_id, created_at=now))
    assert meeting.id is not None  # stored
    following = rule.next_after(calendar, after=now)
    for occurrence in meeting_store.list_scheduled_occurrences(session, meeting_id=meeting.id, after=now):
        if occurrence.starts_at != following.at:
            cancel_occurrence(session, occurrence=occurrence)
    meeting.rule, meeting.roll_at = rule.text(), following.at
    session.add(meeting)
    session.flush()
    plan_occurrence(session, meeting=meeting, calendar=calendar, starts_at=following.at, now=now,
                    period=following.period)
    return meeting.id


def report_rule(agreement: ServiceAgreement, calendar: WorkCalendar) -> Rule:
    """Reports are due by the end of business on working day N of each period."""
    return Rule(Frequency(agreement.cycle), calendar.day_end, working_day=agreement.report_day)


def deadline_reminders(calendar: WorkCalendar, due_at: datetime, *, now: datetime) -> dict[str, Any]:
    """Remind at the opening of business two working days before the due day, and on the due day."""
    due_day = due_at.astimezone(calendar.timezone).date()
    moments = []
    for day in (calendar.add_working_days(due_day, -BEFORE_WORKING_DAYS), due_day):
        opening = datetime.combine(day, calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)
        moments.append(opening if opening >= now else None)  # gone when planned: not sent late
    pending = [moment for moment in moments if moment is not None]
    return {"before_reminder_at": moments[0], "due_reminder_at": moments[1], "reminded_stage": None,
            "next_check_at": min(pending, default=None)}


def draft_moment(calendar: WorkCalendar, period_end: date) -> datetime:
    """The report is drafted at the opening of business on the first working day after its period (bot.report)."""
    day = period_end if calendar.is_working_day(period_end) else calendar.add_working_days(period_end, 1)
    return datetime.combine(day, calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)


def plan_deadline(session: Session, *, agreement: ServiceAgreement, calendar: WorkCalendar, occurrence: Occurrence,
                  now: datetime) -> ReportDeadline:
    """Plan the report on the period before the occurrence's, once; re-plan it if it was pending or cancelled."""
    reported = reported_period(occurrence)
    values = {"status": ReportStatus.PENDING, "due_at": occurrence.at, "period_end": reported.end,
              "draft_at": draft_moment(calendar, reported.end), **deadline_reminders(calendar, occurrence.at, now=now)}
    deadline = store.add_deadline(session, {"account_id": agreement.account_id, "cycle": agreement.cycle,
                                            "period_start": reported.start, "created_at": now, **values})
    if deadline is not None:
        return deadline
    planned = store.get_deadline_for_period(session, account_id=agreement.account_id, cycle=agreement.cycle,
                                            period_start=reported.start)
    assert planned is not None and planned.id is not None  # the row the insert ran into
    if planned.status != ReportStatus.SUBMITTED and planned.due_at != occurrence.at:
        store.change_deadline(session, deadline_id=planned.id, statuses=(ReportStatus.PENDING, ReportStatus.CANCELLED),
                              values=values)
    elif planned.status == ReportStatus.CANCELLED:  # owed again: its reminders still to come are planned again
        store.change_deadline(session, deadline_id=planned.id, statuses=(ReportStatus.CANCELLED,), values=values)
    session.refresh(planned)
    return planned


def reported_period(occurrence: Occurrence) -> Period:
    """The period a report due at an occurrence of the report rule is on: the one before the occurrence's."""
    assert occurrence.period is not None  # occurrences of a working-day rule have their period
    return occurrence.period.previous()


def _cancel_other_deadlines(session: Session, *, account_id: int, keep: tuple[Frequency, date], now: datetime,
                            actor_id: str) -> None:
    """Cancel deadlines still to come that the changed agreement no longer plans (overdue ones stay owed)."""
    for deadline in store.list_account_pending_deadlines(session, account_id=account_id):
        assert deadline.id is not None  # read from the database
        if deadline.due_at <= now or (deadline.cycle, deadline.period_start) == keep:
            continue
        if store.change_deadline(session, deadline_id=deadline.id, statuses=(ReportStatus.PENDING,),
                                 values={"status": ReportStatus.CANCELLED, "next_check_at": None}):
            record_change(session, actor_id=actor_id, action="report.cancel", object_type="report_deadline",
                          object_id=deadline.id, at=now, after={"reason": "agreement changed"})


def run_due_reports(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: plan each next report deadline once the previous is due; remind the owner."""
    handled = 0
    for agreement in store.claim_due_agreements(session, now=now, limit=DUE_BATCH):
        assert agreement.id is not None  # claimed from the database
        calendar = account_calendar(account_of(session, agreement.account_id), services.settings)
        following = report_rule(agreement, calendar).next_after(calendar, after=max(agreement.report_roll_at or now,
                                                                                    now))
        deadline = plan_deadline(session, agreement=agreement, calendar=calendar, occurrence=following, now=now)
        store.set_report_roll_at(session, agreement_id=agreement.id, roll_at=following.at)
        record_change(session, actor_id=SCHEDULER, action="report.plan", object_type="report_deadline",
                      object_id=deadline.id, at=now, after={"due_at": following.at.isoformat()})
        handled += 1
    for deadline in store.claim_due_deadlines(session, now=now, limit=DUE_BATCH):
        _remind(session, deadline, now=now, settings=services.settings)
        handled += 1
    return handled


def next_due_reports(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_reports next has work (report deadline to plan or remind of); past when some waits."""
    return store.next_report_work_at(session)


def _remind(session: Session, deadline: ReportDeadline, *, now: datetime, settings: Settings) -> None:
    """DM the latest reminder due (a late tick skips an older one, and a passed deadline all) to the account's owner,
    or to the managers when it has none."""
    assert deadline.id is not None  # claimed from the database
    if deadline.status != ReportStatus.PENDING or deadline.due_at <= now:
        store.change_deadline(session, deadline_id=deadline.id, statuses=(ReportStatus(deadline.status),),
                              values={"next_check_at": None})
        return
    step = step_stages(STAGES, (deadline.before_reminder_at, deadline.due_reminder_at),
                       reminded=deadline.reminded_stage, now=now)
    if not store.change_deadline(session, deadline_id=deadline.id, statuses=(ReportStatus.PENDING,),
                                 values=step.changes()) or not step.due:
        return
    stage = ReportStage(step.due)
    account = account_of(session, deadline.account_id)
    card = deadline_card(deadline, account, account_calendar(account, settings), stage=stage)
    told = [person for person in report_recipients(account, settings)
            if outbox.dm(session, key=reminder_key(deadline, stage, person), user=person, card=card, now=now)]
    if told:  # nobody to tell (no owner, no managers) or told already: no reminder to record
        record_change(session, actor_id=SCHEDULER, action="report.remind", object_type="report_deadline",
                      object_id=deadline.id, at=now, after={"stage": stage.value, "to": told})


def report_recipients(account: Account, settings: Settings) -> list[str]:
    """Who is reminded of an account's reports: its owner, or the managers when it has none."""
    return [account.owner_id] if account.owner_id else list(settings.rapport_managers)


def reminder_key(deadline: ReportDeadline, stage: ReportStage, user_id: str) -> str:
    """The outbox key of one person's report reminder (before or due) for the deadline's current due moment.

    The moment is part of the key so that a deadline moved by a changed agreement is reminded again.
    """
    return f"report:{deadline.id}:{stage.value}:{deadline.due_at.astimezone(UTC):%Y-%m-%dT%H:%M}:{user_id}"


def deadline_card(deadline: ReportDeadline, account: Account, calendar: WorkCalendar, *,
                  stage: ReportStage) -> ReportReminderCard:
    """What a report reminder shows."""
    assert deadline.id is not None  # a stored deadline
    return ReportReminderCard(deadline_id=deadline.id, account=account.name, cycle=Frequency(deadline.cycle),
                              period_start=deadline.period_start, due_at=deadline.due_at, zone=calendar.timezone,
                              stage=stage, submitted_by=deadline.submitted_by)


def submit_report(session: Session, *, actor_id: str, now: datetime, settings: Settings, deadline_id: int | None = None,
                  account_name: str = "") -> Submission:
    """Mark a report submitted (by its deadline, or the account's earliest pending one), once; reminders stop."""
    if deadline_id is None:
        account = require_account(session, name=account_name)
        assert account.id is not None  # a stored account
        pending = store.list_account_pending_deadlines(session, account_id=account.id)
        if not pending:
            raise Refused(_("No service report of *{account}* is waiting to be submitted.").format(
                account=account.name))
        deadline_id = pending[0].id
        assert deadline_id is not None  # read from the database
    else:
        found = store.get_deadline(session, deadline_id=deadline_id)
        if found is None:
            raise NotFound(_("That report deadline no longer exists."))
        account = account_of(session, found.account_id)
    values = {"status": ReportStatus.SUBMITTED, "submitted_at": now, "submitted_by": actor_id, "next_check_at": None}
    changed = store.change_deadline(session, deadline_id=deadline_id, statuses=(ReportStatus.PENDING,), values=values)
    deadline = store.get_deadline(session, deadline_id=deadline_id)
    assert deadline is not None  # read just above
    if not changed:
        return Submission(deadline, account, changed=False, keys=[])
    record_change(session, actor_id=actor_id, action="report.submit", object_type="report_deadline",
                  object_id=deadline_id, at=now, before={"status": ReportStatus.PENDING.value},
                  after={"status": ReportStatus.SUBMITTED.value, "period_start": deadline.period_start.isoformat()})
    card = deadline_card(deadline, account, account_calendar(account, settings), stage=ReportStage.SUBMITTED)
    # Whoever may have been reminded: the owner, or the managers (the account may have had no owner then).
    people = dict.fromkeys([*report_recipients(account, settings), *settings.rapport_managers])
    originals = [reminder_key(deadline, stage, person) for stage in STAGES for person in people]
    keys = outbox.update_queued(session, original_keys=originals, suffix="submitted", card=card, now=now)
    return Submission(deadline, account, changed=True, keys=keys)
