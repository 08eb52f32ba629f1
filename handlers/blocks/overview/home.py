"""Block Kit for App Home: the personal dashboard, and the neutral view external users get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.calendar.recurrence import Frequency, Period, period_label
from bot.calendar.when import describe
from bot.overview.health import reasons_text, score_label
from bot.overview.health_signals import ScoredAccount
from bot.overview.home import HOME_LIMIT, Dashboard
from bot.platform.i18n import _, ngettext
from bot.platform.text import safe_text
from handlers.blocks.care.capture import waiting_line
from handlers.blocks.care.complaint import severity_label
from handlers.blocks.care.contacts import day_label
from handlers.blocks.common import context, divider, header, section, user
from handlers.blocks.overview.digest import more
from storage.care.complaints import Complaint

MAX_BLOCKS = 100  # Slack's limit for a Home tab
TEXT_LIMIT = 100


def _list(title: str, rows: list[Any], total: int, line: Callable[[Any], str], empty: str,
          hint: str | None = None) -> dict[str, Any]:
    """A titled list in one section: a line per row shown, and "… and N more" for the rest."""
    lines = [f"*{title}*" + (f" ({total})" if total else "")]
    lines += [line(row) for row in rows] or [empty]
    rest = more(total, len(rows))
    if rest:
        lines.append(rest + (f" — {hint}" if hint else ""))
    return section("\n".join(lines))


def _clock(complaint: Complaint, dashboard: Dashboard) -> str:
    """The running clock of an active complaint: what is due by when, or how late it is."""
    zone = dashboard.zone
    if complaint.acknowledged_at is None:
        due, late, verb = complaint.ack_due_at, complaint.ack_breached_at, _("acknowledge")
    else:
        due, late, verb = complaint.resolve_due_at, complaint.resolve_breached_at, _("resolve")
    if due is None:
        return ""
    if late or due <= dashboard.now:
        return "🚨 " + _("{verb}: overdue since {due}").format(verb=verb, due=describe(due, zone))
    return "⏱️ " + _("{verb} by {due}").format(verb=verb, due=describe(due, zone))


def _complaint_line(row: tuple[Complaint, str], dashboard: Dashboard) -> str:
    complaint, account = row
    return _("• #{id} {account} · {severity} — {summary} — {clock}").format(
        id=complaint.id, account=account, severity=severity_label(complaint.severity),
        summary=safe_text(complaint.summary, TEXT_LIMIT), clock=_clock(complaint, dashboard))


def health_line(row: ScoredAccount, *, owner: bool = False) -> str:
    """"• Acme Corp — 🔴 35 / 100 · −20: 2 SLA breaches in the last 30 days · −15: …" (and its owner)."""
    line = _("• {account} — {score} · {reasons}").format(account=row.account.name, score=score_label(row.health),
                                                         reasons=reasons_text(row.health))
    return line + (f" · {user(row.account.owner_id)}" if owner and row.account.owner_id else "")


def _breach_line(row: tuple[Complaint, str], dashboard: Dashboard) -> str:
    return _complaint_line(row, dashboard) + f" · {user(row[0].owner_id)}"


def build_home(dashboard: Dashboard) -> dict[str, Any]:
    """The Home tab of an internal user: their work first, then the team's measures (and a manager's alerts)."""
    zone = dashboard.zone
    complaints = dashboard.complaints
    blocks = [
        header(_("Your Rapport")),
        context(_("As of {now} · refreshed each time you open this tab").format(now=describe(dashboard.now, zone))),
        _list(_("🧯 My open complaints"), complaints.rows, complaints.total,
              lambda row: _complaint_line(row, dashboard), _("None — nothing on your plate."),
              _("`/complaint list mine`")),
        _list(_("💬 Customers waiting for us"), dashboard.waiting.rows, dashboard.waiting.total,
              lambda item: waiting_line(item, owner=dashboard.manager),
              _("No customer message is waiting for an answer."), _("`/contact waiting`")),
        _list(_("📅 My meetings this week"), dashboard.meetings[:HOME_LIMIT], len(dashboard.meetings),
              lambda slot: _("• {when} *{title}* — {account}").format(
                  when=describe(slot.starts_at, zone), title=safe_text(slot.title, TEXT_LIMIT),
                  account=slot.account_name),
              _("No meetings in the next seven days."), _("`/meeting list`")),
        _list(_actions_title(dashboard), dashboard.actions, dashboard.actions_open,
              lambda item: _("• {overdue}{text} ({account}) — due {due}").format(
                  overdue="⏰ " if item.overdue else "", text=safe_text(item.text, TEXT_LIMIT),
                  account=item.account_name, due=describe(item.due_at, zone)),
              _("No open action items.")),
        _list(_("📝 My report deadlines"), dashboard.deadlines[:HOME_LIMIT], len(dashboard.deadlines),
              lambda slot: _("• {account} — {period}, due {due}").format(
                  account=slot.account_name, period=period_label(Period(Frequency(slot.cycle), slot.period_start)),
                  due=describe(slot.due_at, zone)) + (" ⏰" if slot.due_at <= dashboard.now else ""),
              _("No service reports pending.")),
        _list(_("🎉 Praise for me (30 days)"), dashboard.praise.rows, dashboard.praise.total,
              lambda row: _("• {day} from {giver}: {reason}").format(
                  day=day_label(row[0].created_at, zone), giver=user(row[0].giver_id),
                  reason=safe_text(row[0].reason, TEXT_LIMIT)),
              _("None yet.")),
        *([_list(_("🩺 My accounts' health"), dashboard.health.rows, dashboard.health.total, health_line,
                 _("You own no customer account."))] if dashboard.health is not None else []),
        divider(),
        section(_csat_line(dashboard)),
    ]
    if dashboard.manager and dashboard.breached is not None and dashboard.cold is not None:
        blocks += [
            divider(),
            header(_("Team alerts")),
            _list(_("🚨 SLA breaches"), dashboard.breached.rows, dashboard.breached.total,
                  lambda row: _breach_line(row, dashboard), _("No active complaint is past its SLA."),
                  _("`/complaint list breached`")),
            _list(_("🧊 Accounts gone cold"), dashboard.cold.rows, dashboard.cold.total,
                  lambda account: _("• {account} — {seen} · {who}").format(
                      account=account.name, who=user(account.owner_id),
                      seen=_("last contact {day}").format(day=day_label(account.last_contact_at, zone))
                      if account.last_contact_at else _("no contact logged")),
                  _("Every account is within its contact cadence."), _("`/contact cold`")),
        ]
    if dashboard.manager and dashboard.team_health is not None:
        blocks.append(_list(_("🩺 Accounts in amber or red"), dashboard.team_health.rows, dashboard.team_health.total,
                            lambda row: health_line(row, owner=True), _("Every account is in the green.")))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def _actions_title(dashboard: Dashboard) -> str:
    title = _("☑️ My action items")
    if not dashboard.actions_overdue:
        return title
    return title + " · " + ngettext("{n} overdue", "{n} overdue", dashboard.actions_overdue).format(
        n=dashboard.actions_overdue)


def _csat_line(dashboard: Dashboard) -> str:
    csat = dashboard.csat
    if not csat.count:
        return _("*Team CSAT (30 days):* no survey answers yet.")
    answers = ngettext("{n} answer", "{n} answers", csat.count).format(n=csat.count)
    return _("*Team CSAT (30 days):* {average:.1f} / 5 from {answers}").format(average=csat.average, answers=answers)


def build_external_home() -> dict[str, Any]:
    """The Home tab of someone from another organisation: a greeting, nothing internal."""
    text = _("👋 Hi! Rapport helps the service team you work with keep track of your requests. To reach them, just "
             "write in your shared channel.")
    return {"type": "home", "blocks": [section(text)]}

