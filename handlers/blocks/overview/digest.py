"""Block Kit for the morning digest (the DM, and `/rapport digest`) and the replies to `/rapport digest on|off`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.calendar.recurrence import Period, period_label
from bot.calendar.when import describe
from bot.overview.cards import (
    ActionItemDue,
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
    ReportItem,
    SlaClock,
    SponsorItem,
    SurveyTally,
)
from bot.overview.digest import Subscription
from bot.overview.health import Health, reasons_text, score_label
from bot.platform import formatting
from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.text import safe_text
from handlers.blocks.care.complaint import severity_label
from handlers.blocks.care.contacts import day_label
from handlers.blocks.care.surveys import score_word
from handlers.blocks.common import Reply, context, header, section, user
from storage.rhythm.meetings import MeetingKind

SUMMARY_LIMIT = 120

Item = TypeVar("Item")


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return describe(moment, zone) if moment else "—"


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    return formatting.clock(moment.astimezone(zone))


def more(total: int, shown: int) -> str | None:
    """"… and 3 more" for a list cut short, None when everything is shown."""
    if total <= shown:
        return None
    return "… " + _("and {n} more").format(n=total - shown)


def _block(title: str, listing: Listing[Item], line: Callable[[Item], str],
           hint: str | None = None) -> dict[str, Any] | None:
    """One list as a section: its title with the count, a line per item, and what is left out."""
    if not listing.total:
        return None
    lines = [f"*{title}* ({listing.total})", *(line(item) for item in listing.items)]
    rest = more(listing.total, len(listing.items))
    if rest:
        lines.append(rest + (f" — {hint}" if hint else ""))
    return section("\n".join(lines))


def complaint_line(item: ComplaintItem) -> str:
    """• #12 Acme Corp · 🔴 critical — VPN drops — not acknowledged by Mon 30 Nov 09:30 CST · owner."""
    summary = safe_text(item.summary, SUMMARY_LIMIT)
    return _("• #{id} {account} · {severity} — {summary}").format(id=item.id, account=item.account,
                                                                   severity=severity_label(item.severity),
                                                                   summary=summary)


def _breached_line(item: ComplaintItem, zone: ZoneInfo) -> str:
    due = _when(item.due_at, zone)
    missed = (_("not acknowledged by {due}") if item.clock == SlaClock.ACK
              else _("not resolved by {due}")).format(due=due)
    return complaint_line(item) + f" — {missed} · {user(item.owner)}"


def _fell_line(item: HealthItem) -> str:
    health = Health(item.score, item.band, item.deductions)
    return _("• {account} — {score} · {reasons} · {owner}").format(
        account=item.account, score=score_label(health), reasons=reasons_text(health),
        owner=user(item.owner) if item.owner else _("no owner"))


def _low_line(item: LowScoreItem) -> str:
    line = _("• {account}: {score} · {word} from {who}").format(account=item.account, score=item.score,
                                                                word=score_word(item.score),
                                                                who=user(item.respondent))
    if item.complaint_id:
        line += " " + _("(complaint #{id})").format(id=item.complaint_id)
    if item.comment:
        line += f" — “{safe_text(item.comment, SUMMARY_LIMIT)}”"
    return line


def _action_line(item: ActionItemDue, zone: ZoneInfo) -> str:
    return _("• {text} ({account}) — {who}, due {due}").format(text=safe_text(item.text, SUMMARY_LIMIT),
                                                             account=item.account, who=user(item.owner),
                                                             due=_when(item.due_at, zone))


def _cold_line(item: ColdAccountItem, zone: ZoneInfo) -> str:
    last = item.last_contact_at
    seen = _("last contact {day}").format(day=day_label(last, zone)) if last else _("no contact logged")
    return _("• {account} — {seen} · {who}").format(account=item.account, seen=seen, who=user(item.owner))


def _sponsor_line(item: SponsorItem, zone: ZoneInfo) -> str:
    sponsor = f"{item.sponsor} ({user(item.sponsor_user)})" if item.sponsor_user else item.sponsor
    seen = _("last met {day}").format(day=day_label(item.last_met_at, zone)) if item.last_met_at else \
        _("not met since added")
    return _("• {account} — executive sponsor {sponsor}, {seen} (cadence {days} days) · {who}").format(
        account=item.account, sponsor=safe_text(sponsor, SUMMARY_LIMIT), seen=seen, days=item.cadence_days,
        who=user(item.owner))


def _audit_line(item: AuditItem, zone: ZoneInfo) -> str:
    return _("• {supplier} — audit due {day} · {who}").format(
        supplier=item.supplier, day=day_label(item.due_at, zone), who=user(item.owner))


def _meeting_line(item: MeetingItem, zone: ZoneInfo) -> str:
    mark = "🗓️" if item.kind == MeetingKind.REVIEW else "•"
    return _("{mark} {time} *{title}* — {account}").format(mark=mark, time=_clock(item.starts_at, zone),
                                                           title=safe_text(item.title, SUMMARY_LIMIT),
                                                           account=item.account)


def _report_line(item: ReportItem, zone: ZoneInfo) -> str:
    period = period_label(Period(item.cycle, item.period_start))
    values = {"account": item.account, "period": period, "who": user(item.owner)}
    if item.overdue:
        return _("• 📝 Service report of *{account}* on {period} — overdue since {due} · {who}").format(
            due=_when(item.due_at, zone), **values)
    return _("• 📝 Service report of *{account}* on {period} — due by {time} · {who}").format(
        time=_clock(item.due_at, zone), **values)


def _resolved_line(item: ComplaintItem) -> str:
    return complaint_line(item) + " — " + _("resolved by {who}").format(who=user(item.resolved_by))


def _new_line(item: ComplaintItem) -> str:
    return complaint_line(item) + f" · {user(item.owner)}"


def praise_line(item: PraiseItem) -> str:
    """• <@giver> → <@bob>, @netops: why."""
    to = ", ".join([user(u) for u in item.users] + [f"@{g}" for g in item.groups])
    line = _("• {giver} → {to}: {reason}").format(giver=user(item.giver), to=to,
                                                  reason=safe_text(item.reason, SUMMARY_LIMIT))
    return line + (f" ({item.account})" if item.account else "")


def _surveys_line(surveys: SurveyTally) -> str | None:
    if not surveys.count:
        return None
    answers = ngettext("{n} survey answer", "{n} survey answers", surveys.count).format(n=surveys.count)
    return _("*Surveys:* {answers}, CSAT {average:.1f} / 5").format(answers=answers, average=surveys.average or 0.0)


def _campaigns_text(items: tuple[CampaignResultItem, ...]) -> str:
    lines = [_("• #{id} “{title}”: {answered} answers ({addressed} addressed) · NPS {nps} · CSAT {csat} — "
               "`/survey results {id}`").format(
        id=i.id, title=safe_text(i.title, SUMMARY_LIMIT), answered=i.answered, addressed=i.addressed,
        nps=i.nps if i.nps is not None else "—", csat=f"{i.csat:.1f}" if i.csat is not None else "—")
        for i in items]
    return "*" + _("New survey results") + "*\n" + "\n".join(lines)


def render_digest(card: DigestCard) -> Rendered:
    """The morning digest: needs attention, today, since the previous working day; or a one-line all-clear."""
    zone = card.tz
    day = day_label(card.now, zone)
    since = _when(card.since, zone)
    if card.quiet:
        text = _("☀️ All clear for {day}: nothing needs attention, nothing is due today, and nothing new since "
                 "{since}.").format(day=day, since=since)
        return Rendered(text=text, blocks=[section(text)])
    scope = _("the team") if card.team else _("your accounts")
    title = _("☀️ Morning digest — {scope}, {day}").format(scope=scope, day=day)
    attention, today, recent = card.attention, card.today, card.recent
    needs = [
        _block(_("🩺 Fell into the red"), attention.fell_red, _fell_line),
        _block(_("🚨 SLA breached"), attention.breached, lambda i: _breached_line(i, zone),
               _("`/complaint list breached`")),
        _block(_("📉 Low survey scores"), attention.low_scores, _low_line),
        _block(_("⏰ Overdue action items"), attention.overdue_actions, lambda i: _action_line(i, zone)),
        _block(_("🧊 Key accounts gone cold"), attention.cold_accounts, lambda i: _cold_line(i, zone),
               _("`/contact cold`")),
        _block(_("🔎 Supplier audits overdue"), attention.overdue_audits, lambda i: _audit_line(i, zone)),
        _block(_("🤝 Executive sponsors not met within cadence"), attention.sponsors,
               lambda i: _sponsor_line(i, zone), _("`/account stakeholder <account>`")),
        section(ngettext("*💬 {n} customer message waiting for us* — `/contact waiting`",
                         "*💬 {n} customer messages waiting for us* — `/contact waiting`",
                         attention.waiting).format(n=attention.waiting)) if attention.waiting else None,
    ]
    on_today = [
        _block(_("Meetings"), today.meetings, lambda i: _meeting_line(i, zone)),
        _block(_("Report deadlines"), today.reports, lambda i: _report_line(i, zone)),
    ]
    happened = [
        _block(_("New complaints"), recent.opened, _new_line),
        _block(_("Resolved complaints"), recent.resolved, _resolved_line),
        section(line) if (line := _surveys_line(recent.surveys)) else None,
        _block(_("Praise"), recent.praise, praise_line),
        section(_campaigns_text(recent.campaigns)) if recent.campaigns else None,
    ]
    blocks = [header(title)]
    for name, parts, empty in ((_("Needs attention"), needs, _("Nothing needs attention.")),
                               (_("Today"), on_today, _("Nothing scheduled today.")),
                               (_("Since {since}").format(since=since), happened, _("Nothing new."))):
        shown = [part for part in parts if part]
        blocks.append(section(f"*{name}*" + ("" if shown else f"\n{empty}")))
        blocks.extend(shown)
    scope_note = (_("As a manager you see the whole team.") if card.team
                  else _("You see the accounts you own and the work that is yours."))
    blocks.append(context(scope_note + " " + _("`/rapport digest` shows it at any time; `/rapport digest off` stops "
                                               "it.")))
    needing = sum(listing.total for listing in attention.listings()) + attention.waiting
    text = title + " — " + ngettext("{n} item needs attention", "{n} items need attention", needing).format(n=needing)
    return Rendered(text=text, blocks=blocks)


def build_digest(card: DigestCard) -> Reply:
    """`/rapport digest`: the same digest, shown only to the person who asked."""
    rendered = render_digest(card)
    return rendered.text, rendered.blocks


def build_subscription(subscription: Subscription) -> Reply:
    """Confirm `/rapport digest on|off`."""
    if subscription.enabled and subscription.manager:
        text = _("You get the morning digest of the whole team at 09:00 your time, on working days.")
    elif subscription.enabled:
        text = _("You get the morning digest of the accounts you own at 09:00 your time, on working days.")
    else:
        text = _("The morning digest is off for you. `/rapport digest on` brings it back; `/rapport digest` shows "
                 "it at any time.")
    if not subscription.changed:
        text = _("That was already so. {status}").format(status=text)
    return text, [section(text)]
