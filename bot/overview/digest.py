"""The managers' morning digest: who gets it, when it is due, and what it says — free of Slack.

At 09:00 in each recipient's own time zone, on working days of the team's calendar, each manager
(RAPPORT_MANAGERS, unless they turned it off) and each person who turned it on gets one DM: what
needs attention, what is on today, and what happened since the previous working day's 09:00.
Managers see the whole team; others see the accounts they own and the work that is theirs.

Once per person per local day: the run-ledger key `digest:<user>:<local date>` is claimed in the
same unit of work as the outbox message queued under the same dedupe key, so ticks repeated or run
in several processes send it once. A tick that comes late (Rapport was down at 09:00) still sends
that day's digest, until the team's business hours close; after that the day's digest is dropped,
as it would arrive with the working day over, and the next one still covers everything since the
previous working day's 09:00.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from bot.accounts.stakeholders import SponsorLapse, mark_warned, sponsor_warnings
from bot.calendar.recurrence import Frequency
from bot.calendar.workdays import WorkCalendar
from bot.care.campaign_results import CampaignResults, closed_campaigns
from bot.overview.cards import (
    ActionItemDue,
    Attention,
    AuditItem,
    CampaignResultItem,
    ColdAccountItem,
    ComplaintItem,
    DigestCard,
    HealthItem,
    Listing,
    LowScoreItem,
    MeetingItem,
    PraiseItem,
    Recent,
    ReportItem,
    SlaClock,
    SponsorItem,
    SurveyTally,
    Today,
)
from bot.overview.health import HealthPolicy
from bot.overview.health_signals import ScoredAccount, fallen_into_red, note_health_bands
from bot.platform import outbox
from bot.platform.errors import InvalidInput, SlackUnavailable
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.platform.text import cut
from bot.suppliers.audits import list_overdue_audits
from storage.accounts import Account
from storage.care.capture import count_waiting
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.praise import Praise
from storage.care.surveys import Survey
from storage.overview import digest as store
from storage.platform.audit import record_change
from storage.platform.ledger import claim_run, claimed_keys, last_run
from storage.rhythm.action_items import ActionItem
from storage.rhythm.agreements import DeadlineSlot, list_pending_deadlines
from storage.rhythm.meetings import MeetingKind, MeetingSlot, list_user_meetings
from storage.suppliers.evaluations import OverdueAudit

log = logging.getLogger(__name__)

DIGEST_TIME = time(9, 0)
LIST_LIMIT = 5  # items shown per list; the rest are counted ("… and 3 more")
TODAY_LIMIT = 50  # meetings and report deadlines read for one day
TEXT_LIMIT = 300  # user text kept in the queued message (the renderer cuts further)
NEXT_DIGEST_SEARCH_DAYS = 40  # the longest run of days off (Spring Festival with weekends) is far shorter

Row = TypeVar("Row")
Item = TypeVar("Item")


@dataclass(frozen=True)
class Recipient:
    """Someone who gets the digest; managers see the whole team, others their own accounts."""

    user_id: str
    team_wide: bool


@dataclass(frozen=True)
class Subscription:
    """The outcome of `/rapport digest on|off`."""

    enabled: bool
    changed: bool
    manager: bool


def digest_key(user_id: str, day: date) -> str:
    """The run-ledger key and outbox dedupe key of one person's digest for one local day."""
    return f"digest:{user_id}:{day.isoformat()}"


def digest_recipients(session: Session, *, managers: list[str]) -> list[Recipient]:
    """Managers who have not turned the digest off, then everyone else who turned it on."""
    choices = store.list_subscriptions(session)
    team = [Recipient(user_id, True) for user_id in dict.fromkeys(managers) if choices.get(user_id, True)]
    others = [Recipient(user_id, False) for user_id, enabled in sorted(choices.items())
              if enabled and user_id not in managers]
    return team + others


def user_zone(services: Services, user_id: str) -> ZoneInfo:
    """The person's own time zone (users.info), else the team's RAPPORT_TIMEZONE."""
    person = services.slack.user(user_id)
    if person is not None and person.tz:
        try:
            return ZoneInfo(person.tz)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("users.info gave %s an unknown time zone %r", user_id, person.tz)
    return services.settings.zone


def due_day(now: datetime, *, zone: ZoneInfo, calendar: WorkCalendar) -> date | None:
    """The local day whose digest is due at `now`: a working day, from 09:00 until business hours close."""
    local = now.astimezone(zone)
    closes = calendar.day_end if calendar.day_end > DIGEST_TIME else time.max
    if not DIGEST_TIME <= local.time() < closes or not calendar.is_working_day(local.date()):
        return None
    return local.date()


def next_digest_time(now: datetime, *, zone: ZoneInfo, calendar: WorkCalendar) -> datetime | None:
    """The next 09:00 in `zone` after `now` on a working day (None if none within the calendar's reach)."""
    day = now.astimezone(zone).date()
    for _day in range(NEXT_DIGEST_SEARCH_DAYS):
        moment = datetime.combine(day, DIGEST_TIME, tzinfo=zone).astimezone(UTC)
        if moment > now and calendar.is_working_day(day):
            return moment
        day += timedelta(days=1)
    return None


def window_start(day: date, *, zone: ZoneInfo, calendar: WorkCalendar) -> datetime:
    """Where "since yesterday" begins: 09:00 local on the working day before `day` (the previous digest)."""
    previous = calendar.add_working_days(day, -1)
    return datetime.combine(previous, DIGEST_TIME, tzinfo=zone)


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def _listing(page_rows: Sequence[Row], total: int, item: Callable[[Row], Item]) -> Listing[Item]:
    return Listing(total=total, items=tuple(item(row) for row in page_rows[:LIST_LIMIT]))


def _complaint(row: tuple[Complaint, str]) -> ComplaintItem:
    complaint, account = row
    assert complaint.id is not None
    clock = SlaClock.RESOLVE if complaint.resolve_breached_at else SlaClock.ACK
    return ComplaintItem(
        id=complaint.id, account=account, summary=cut(complaint.summary, TEXT_LIMIT),
        severity=ComplaintSeverity(complaint.severity), owner=complaint.owner_id,
        status=ComplaintStatus(complaint.status), clock=clock,
        due_at=complaint.resolve_due_at if clock == SlaClock.RESOLVE else complaint.ack_due_at,
        created_at=complaint.created_at, resolved_at=complaint.resolved_at, resolved_by=complaint.resolved_by,
    )


def _low_score(row: tuple[Survey, str]) -> LowScoreItem:
    survey, account = row
    assert survey.score is not None and survey.answered_at is not None  # the query reads answered surveys only
    return LowScoreItem(account=account, score=survey.score, comment=cut(survey.comment or "", TEXT_LIMIT),
                        respondent=survey.respondent_id, complaint_id=survey.complaint_id,
                        answered_at=survey.answered_at)


def _campaign(results: CampaignResults) -> CampaignResultItem:
    first_csat = next((q.mean for q in results.questions if q.mean is not None), None)
    first_nps = next((q.nps.score for q in results.questions if q.nps is not None), None)
    assert results.campaign.id is not None  # a stored campaign
    answered = results.answered_in_slack + sum(results.recorded.values())
    return CampaignResultItem(id=results.campaign.id, title=results.campaign.title, answered=answered,
                              addressed=results.addressed, nps=first_nps, csat=first_csat)


def _action(row: tuple[ActionItem, str]) -> ActionItemDue:
    item, account = row
    assert item.id is not None
    return ActionItemDue(id=item.id, account=account, text=cut(item.text, TEXT_LIMIT), owner=item.owner_id,
                         due_at=item.due_at)


def _cold(account: Account) -> ColdAccountItem:
    return ColdAccountItem(account=account.name, owner=account.owner_id, last_contact_at=account.last_contact_at,
                           due_at=account.contact_due_at)


def _audit(audit: OverdueAudit) -> AuditItem:
    return AuditItem(supplier=audit.name, owner=audit.owner_id, due_at=audit.due_at)


def _sponsor(lapse: SponsorLapse) -> SponsorItem:
    return SponsorItem(account=lapse.account, owner=lapse.owner_id, sponsor=cut(lapse.sponsor, TEXT_LIMIT),
                       sponsor_user=lapse.sponsor_user_id, last_met_at=lapse.last_met_at,
                       cadence_days=lapse.cadence_days)


def _meeting(slot: MeetingSlot) -> MeetingItem:
    return MeetingItem(title=cut(slot.title, TEXT_LIMIT), account=slot.account_name, kind=MeetingKind(slot.kind),
                       starts_at=slot.starts_at)


def _fell(row: ScoredAccount) -> HealthItem:
    health = row.health
    return HealthItem(account=row.account.name, owner=row.account.owner_id, score=health.score, band=health.band,
                      deductions=health.deductions)


def collect_digest(session: Session, *, user_id: str, team_wide: bool, zone: ZoneInfo, now: datetime,
                   calendar: WorkCalendar, health: HealthPolicy | None = None) -> DigestCard:
    """Everything one person's digest shows at `now`, as the card the outbox keeps and the renderer reads.

    A fixed number of queries, whatever the number of accounts the person owns.
    """
    owner = None if team_wide else user_id
    today = now.astimezone(zone).date()
    since = window_start(today, zone=zone, calendar=calendar)
    day_start, day_end = _day_bounds(today, zone)

    breached = store.breached_complaints(session, owner_id=owner, limit=LIST_LIMIT)
    low = store.low_score_answers(session, since=since, until=now, owner_id=owner, limit=LIST_LIMIT)
    actions = store.overdue_action_items(session, now=now, owner_id=owner, limit=LIST_LIMIT)
    cold = store.cold_accounts(session, now=now, owner_id=owner, key_only=True, limit=LIST_LIMIT)
    audits = list_overdue_audits(session, now=now, owner_id=owner)
    sponsors = sponsor_warnings(session, now=now, day=today, owner_id=owner)
    if team_wide:
        meetings = store.team_meetings_between(session, start=day_start, end=day_end, limit=TODAY_LIMIT)
    else:
        meetings = list_user_meetings(session, user_id=user_id, start=day_start, end=day_end, limit=TODAY_LIMIT)
    reports = list_pending_deadlines(session, owner_id=owner, due_before=day_end, limit=TODAY_LIMIT)
    opened = store.complaints_between(session, column="created_at", since=since, until=now, owner_id=owner,
                                      limit=LIST_LIMIT)
    resolved = store.complaints_between(session, column="resolved_at", since=since, until=now, owner_id=owner,
                                        limit=LIST_LIMIT)
    answers = store.survey_answers(session, since=since, until=now, owner_id=owner)
    # Falls seen after this person's previous digest (the one before today's), so each is told once.
    previous = last_run(session, prefix=f"digest:{user_id}:", before=now) or since
    fell = fallen_into_red(session, after=previous, now=now, owner_id=owner, policy=health or HealthPolicy())
    praise = store.praise_between(session, since=since, owner_id=owner, limit=LIST_LIMIT)
    receivers = store.receivers_of(session, praise_ids=[p.id for p, _account in praise.rows if p.id is not None])

    def praise_item(row: tuple[Praise, str | None]) -> PraiseItem:
        given, account = row
        theirs = receivers.get(given.id, []) if given.id is not None else []
        return PraiseItem(giver=given.giver_id, account=account, reason=cut(given.reason, TEXT_LIMIT),
                          users=tuple(r.user_id for r in theirs if r.user_id),
                          groups=tuple(r.usergroup_handle or r.usergroup_id or "" for r in theirs if not r.user_id))

    def report(slot: DeadlineSlot) -> ReportItem:
        return ReportItem(account=slot.account_name, owner=slot.owner_id, cycle=Frequency(slot.cycle),
                          period_start=slot.period_start, due_at=slot.due_at, overdue=slot.due_at < now)

    return DigestCard(
        user=user_id, tz=zone, team=team_wide, day=today, since=since, now=now,
        attention=Attention(
            breached=_listing(breached.rows, breached.total, _complaint),
            low_scores=_listing(low.rows, low.total, _low_score),
            overdue_actions=_listing(actions.rows, actions.total, _action),
            cold_accounts=_listing(cold.rows, cold.total, _cold),
            overdue_audits=_listing(audits, len(audits), _audit),
            waiting=count_waiting(session, owner_id=owner),
            fell_red=_listing(fell, len(fell), _fell),
            sponsors=_listing(sponsors, len(sponsors), _sponsor),
        ),
        today=Today(meetings=_listing(meetings, len(meetings), _meeting),
                    reports=_listing(reports, len(reports), report)),
        recent=Recent(
            opened=_listing(opened.rows, opened.total, _complaint),
            resolved=_listing(resolved.rows, resolved.total, _complaint),
            surveys=SurveyTally(count=answers.count, average=answers.average, low=answers.low),
            praise=_listing(praise.rows, praise.total, praise_item),
            campaigns=tuple(_campaign(r) for r in closed_campaigns(session, since=since, until=now,
                                                                     author=None if team_wide else user_id)),
        ),
    )


def digest_now(session: Session, *, user_id: str, services: Services, now: datetime) -> DigestCard:
    """My digest at this moment (`/rapport digest`): the team's for a manager, my accounts' for anyone else."""
    team_wide = user_id in services.settings.rapport_managers
    return collect_digest(session, user_id=user_id, team_wide=team_wide, zone=user_zone(services, user_id), now=now,
                          calendar=services.team_calendar(), health=HealthPolicy.from_settings(services.settings))


def set_digest(session: Session, *, user_id: str, choice: str, managers: list[str], now: datetime) -> Subscription:
    """`/rapport digest on|off`: get the morning digest, or stop it; recorded with an audit row."""
    words = {"on": True, "off": False, "开": True, "关": False, "开启": True, "关闭": False}
    if choice.lower() not in words:
        raise InvalidInput(_("Say `/rapport digest on` to get the morning digest, `/rapport digest off` to stop it, "
                             "or `/rapport digest` to see it now."))
    enabled = words[choice.lower()]
    manager = user_id in managers
    was = store.get_subscription(session, user_id=user_id)
    if (manager if was is None else was) == enabled:
        return Subscription(enabled=enabled, changed=False, manager=manager)
    store.set_subscription(session, user_id=user_id, enabled=enabled, actor_id=user_id, now=now)
    record_change(session, actor_id=user_id, action="digest.subscription", object_type="user", object_id=user_id,
                  at=now, before={"enabled": not enabled}, after={"enabled": enabled})
    return Subscription(enabled=enabled, changed=True, manager=manager)


def run_due_digests(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: queue today's digest for each recipient whose local 09:00 has come, once each."""
    calendar = services.team_calendar()
    due: dict[str, tuple[Recipient, ZoneInfo]] = {}
    for recipient in digest_recipients(session, managers=services.settings.rapport_managers):
        try:
            zone = user_zone(services, recipient.user_id)
        except SlackUnavailable:  # rather a later digest than one at the wrong hour
            log.warning("no time zone for %s this tick; the digest waits", recipient.user_id, exc_info=True)
            continue
        day = due_day(now, zone=zone, calendar=calendar)
        if day is not None:
            due[digest_key(recipient.user_id, day)] = (recipient, zone)
    # One look at the ledger skips the day's digests already sent, so a tick after 09:00 costs one query.
    done = claimed_keys(session, keys=list(due))
    pending = [key for key in due if key not in done]
    health = HealthPolicy.from_settings(services.settings)
    if pending:
        try:
            with session.begin_nested():  # the bands are noted before any digest reads them
                note_health_bands(session, now=now, policy=health)
        except Exception:
            log.exception("noting account health failed; the digests go without it")
    queued = 0
    for key in pending:
        recipient, zone = due[key]
        try:
            with session.begin_nested():  # one recipient's failure must not undo the others' digests
                if not claim_run(session, key=key, now=now):
                    continue
                card = collect_digest(session, user_id=recipient.user_id, team_wide=recipient.team_wide, zone=zone,
                                      now=now, calendar=calendar, health=health)
                outbox.dm(session, key=key, user=recipient.user_id, card=card, now=now)
                # A lapsed sponsor is warned of on one day only (every digest of that day), not every day.
                mark_warned(session, sponsor_warnings(session, now=now, day=card.day, owner_id=None if
                                                      recipient.team_wide else recipient.user_id), day=card.day)
        except Exception:
            log.exception("digest %s failed; the next tick tries again", key)
            continue
        queued += 1
    return queued


def next_due_digests(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_digests next has work: now if a digest is owed and not sent, else the earliest next 09:00."""
    calendar = services.team_calendar()
    owed: list[str] = []
    moments: list[datetime] = []
    for recipient in digest_recipients(session, managers=services.settings.rapport_managers):
        try:
            zone = user_zone(services, recipient.user_id)
        except SlackUnavailable:  # run_due_digests skips them too until Slack answers
            continue
        day = due_day(now, zone=zone, calendar=calendar)
        if day is not None:
            owed.append(digest_key(recipient.user_id, day))
        moments.extend(filter(None, [next_digest_time(now, zone=zone, calendar=calendar)]))
    if set(owed) - claimed_keys(session, keys=owed):
        return now
    return min(moments, default=None)


def next_zone_check(session: Session, now: datetime, services: Services) -> datetime | None:
    """When a recipient's time zone is next asked of Slack (a full tick may then move their 09:00); now if unknown.

    Not a due-work moment: an idle cron tick must not sleep past it (bot/platform/idle.py), or a time zone
    changed in Slack without a user_change event would be seen later than a full tick would see it.
    """
    moments = [services.slack.people.fresh_until(recipient.user_id) or now
               for recipient in digest_recipients(session, managers=services.settings.rapport_managers)]
    return min(moments, default=None)
