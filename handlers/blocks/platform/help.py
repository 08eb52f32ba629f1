"""Help for every command, shown ephemerally for `help` or a command with no text."""

from __future__ import annotations

from typing import Any

from bot.platform.command_words import aliases
from bot.platform.i18n import _
from bot.platform.i18n import _ as _translate
from handlers.blocks.common import header, section
from handlers.ids import Command


def _help_texts() -> dict[Command, tuple[str, str]]:
    return {
        Command.PRAISE: (
            _("Praise a colleague or a team"),
            _("• `/praise @alice fixed the VPN in ten minutes` — publish a commendation\n"
              "• `/praise @alice @bob …` or `/praise @netops …` — several people, or a whole user group\n"
              "• `/praise top [week|month|quarter]` — the leaderboard\n"
              "• Message shortcut *Log praise* — record a customer's praise from their message"),
        ),
        Command.ACCOUNT: (
            _("Customers, suppliers and third parties"),
            _("• `/account add Acme Corp [customer|supplier|third-party]` — add an account "
              "(a third party with its role: `/account add AuditCo third-party auditor`)\n"
              "• `/account link Acme Corp` — link this channel to the account\n"
              "• `/account Acme Corp` — the account at a glance\n"
              "• `/account set Acme Corp` — its settings; e.g. `/account set Acme Corp tier key`, "
              "`/account set Acme Corp cadence 14`\n"
              "• `/account set Acme Corp owner @dave` — hand the account to a colleague: its reminders, warnings "
              "and escalations go to its owner\n"
              "• `/account list [page]` — all accounts\n"
              "• `/account agreement Acme Corp` — its service agreement: review cycle, report and review working "
              "days")
            + "\n" + _("• Message shortcut *Ask for feedback* — ask the customer who wrote a message how satisfied "
                        "they are (1–5); resolved complaints are surveyed by themselves, 2 h later. "
                        "`/account set Acme Corp surveys dm` asks by DM instead of in the shared channel")
            + "\n" + _("• `/account welcome Acme Corp` — post a *Report a problem* button in its shared channel: a "
                        "customer's report becomes a complaint, with its card in the internal channel")
            + "\n" + _("• `/account stakeholder Acme Corp: Erin Li role CIO influence high stance supporter sponsor` "
                        "— a stakeholder (干系人): role, influence (high, medium, low), stance (supporter, neutral, "
                        "critic), the executive sponsor (one per account); `met 2026-11-20` says when they were last "
                        "met (contacts and meetings that name them count too), `remove` takes them off; "
                        "`/account stakeholder Acme Corp` lists them. The digest warns once when the sponsor has not "
                        "been met within the review cycle (90 days without an agreement)"),
        ),
        Command.CONTACT: (
            _("Daily contacts with accounts"),
            _("• `/contact Acme Corp: call with @erin about the renewal` — log a contact (touchpoint)\n"
              "• `/contact <summary>` — in a channel linked to an account, the account is that one\n"
              "• `/contact cold [page]` — accounts not contacted within their cadence (yours; managers see all)\n"
              "• `/contact waiting [page]` — customer messages waiting for our first response, oldest first\n"
              "• Messages in a linked channel are captured by themselves (metadata only, unless "
              "`/account set Acme Corp capture text`); use `/contact` for calls, visits and e-mail\n"
              "• Message shortcut *Log contact* — log a message in a linked channel as a contact\n"
              "• `/account set Acme Corp cadence 14` · `/account set Acme Corp tier key` — how often to keep in "
              "touch (default: 14 days for key accounts, 30 for other customers and third parties; suppliers "
              "are not tracked unless you set a cadence)"),
        ),
        Command.COMPLAINT: (
            _("Customer complaints"),
            _("• `/complaint Acme Corp: the VPN drops every hour !high` — log a complaint; severity !critical, "
              "!high, !normal (default) or !low; in a channel linked to the account, the name can be left out\n"
              "• `/complaint` — the same, in a form\n"
              "• Message shortcut *Log complaint* — log a customer's message (account, customer and link kept)\n"
              "• `/complaint list [mine|open|breached] [page]` — active complaints · `/complaint 12` — one, with "
              "its history\n"
              "• Its card (in the account's internal channel) has *I'll take it*, *Acknowledge*, *Resolve* and "
              "*Reopen*\n"
              "• SLA in business hours, acknowledge/resolve: critical 1h/4h · high 4h/24h · normal 8h/48h · low "
              "24h/120h; the owner is warned at 80%, a breach is escalated once\n"
              "• Per account: `/account set Acme Corp channel #acme-internal` · `customer-ack on` · "
              "`sla critical 2h/8h` · `country CN` · `timezone Asia/Shanghai` · `hours 09:00-18:00`"),
        ),
        Command.SUPPLIER: (
            _("Suppliers: selection, audits, support contracts"),
            _("• `/supplier add Net Co` — add a supplier (you own it; audits every 3 months)\n"
              "• `/supplier evaluate Net Co` — score it on the nine selection criteria (1–5, optional weights): "
              "total and qualified/not qualified\n"
              "• `/supplier audit Net Co` — audit it on the six dimensions for a period; its owner is reminded "
              "a week before each audit falls due\n"
              "• `/supplier contract Net Co` — a support contract and the customer service (account, severity) it "
              "backs; each term must beat the customer's SLA by 20%; expiry alerts at 90, 30 and 7 days\n"
              "• `/supplier contract Net Co clause account managers 3d; heads of service 4d; steering committee` — "
              "the dispute clause of its contract in force: who decides at each level, in how many working days\n"
              "• `/supplier Net Co` — its scorecard · `/supplier list [page]` — candidates side by side\n"
              "• `/supplier schedule Net Co 6` — audit every 6 months\n"
              "• Everything here is internal: shown only to you, never posted in a shared channel")
            + "\n" + _("• `/supplier change Net Co replaced by Fast Net: <reason>` · `backup Fast Net: <reason>` · "
                       "`dropped: <reason>` — record a supplier change; the owners of the accounts it backs are "
                       "reminded each working day to tell the customer until they press *Customer told*, and the "
                       "change goes in those accounts' service reports")
            + "\n" + _("• `/supplier subcontractor Net Co add Cable Co: fibre repairs audit ip security` — a "
                       "subcontractor (another supplier), what it may do and the clauses it signed; each missing "
                       "clause is named on the contract check · `/supplier subcontractor Net Co remove Cable Co`"),
        ),
        Command.MEETING: (
            _("Meetings, action items and report deadlines"),
            _("• `/meeting Acme Corp: Weekly sync @bob every tuesday 15:00` — a repeating meeting (people "
              "mentioned are invited); also `every month on working day 10 at 10:00`, `every quarter on working "
              "day 3 at 14:00`, `每周二 15:00`, `每月第10个工作日 10:00`\n"
              "• `/meeting Acme Corp: Kickoff next tuesday 3pm` — a one-off meeting (`明天下午3点` works too)\n"
              "• `/meeting list [Acme Corp]` — what is coming up · `/meeting cancel 12` — cancel meeting 12\n"
              "• Reminders by DM one working day and one hour before, with *Snooze* and *Done*; *Done* opens the "
              "minutes, where you record notes and action items (owner, due date)\n"
              "• `/account agreement Acme Corp` — the review cycle: Rapport plans each review meeting (with an "
              "internal agenda) and service report deadline by itself; `/account agreement Acme Corp clause "
              "managers 3d; directors 5d; steering committee` — the agreement's dispute clause\n"
              "• `/meeting report Acme Corp submitted` — the service report is in; its reminders stop")
            + "\n" + _("• `/meeting Acme Corp, Netcom, DBCo @dora: Joint outage review next tuesday 3pm` — a "
                        "meeting with several parties (召集多方会议): each is reminded once in its shared channel "
                        "(or its people named beside it, by DM) with the title, the time and the parties' names; "
                        "our reminder keeps the internal agenda"),
        ),
        Command.DISPUTE: (
            _("Disputes with any party and outage coordination"),
            _("• `/dispute Netcom: who pays for the failed migration weekend` — open a dispute with a supplier, "
              "customer or third party; `/dispute` alone opens a form with its scope, a linked complaint and the "
              "other parties involved\n"
              "• The ladder, in working days on the team calendar (by default; RAPPORT_DISPUTE_DAYS): ① coordinate "
              "(3) → ② mediation with supplier resources, the end customer or third parties (5) → ③ the company's "
              "dispute process (10) → ④ legal. A party whose support contract or customer agreement has a dispute "
              "clause gets the clause's levels and times instead (`/supplier contract Netcom clause …`, `/account "
              "agreement Acme Corp clause …`). "
              "An overdue level escalates itself; the escalation channel and the managers are told once\n"
              "• The party's service manager owns it; its card (in the escalation channel) has *Escalate*, *Ask a "
              "mediator* and *Resolve* (a resolution is required; the owner of a linked complaint is told), and "
              "*Reopen* once resolved\n"
              "• `/dispute 12 mediator AuditCo [@person]` — the mediation step: the mediator is asked once, in its "
              "shared channel or by DM to the person, with the subject only\n"
              "• `/dispute 12 reopen: <reason>` — reopen a resolved dispute; its level's time starts again\n"
              "• `/dispute list [open|resolved] [page]` · `/dispute 12` — one dispute and the history of its levels\n"
              "• `/dispute coordinate ERP down: network=Netcom, database=DBCo, application=AppCo` — an outage "
              "across suppliers: one card with each layer's status (investigating, cleared, cause found); a "
              "supplier that has not answered in 30 minutes is chased once (add `ping=45m` to change it)\n"
              "• Everything here is internal: never posted in a shared channel, but for the mediator's ask")
            + "\n" + _("• Outages with suppliers: a supplier with a linked shared channel gets a card there showing "
                        "only its own layer, with *Investigating*, *Fixed*, *Not us* and *Add a note* for its people; "
                        "a layer with no update for 2 working hours is chased there, once each interval (add "
                        "`chase=4h` to change it)\n"
                        "• `/dispute coordinate 3 close layer database cause: a full disk complaints 12, 15` (or "
                        "*Close with root cause* on the card) — the owners of the linked complaints are told\n"
                        "• `/dispute coordinate list [page]` — open outages, and those closed in the last 30 days"),
        ),
        Command.THIRDPARTY: (
            _("Third parties: information sharing and requests"),
            _("• `/thirdparty agree AuditCo` — an information-sharing agreement by 5W1H: why, what, where (a "
              "channel), when, who may share, how, valid until; it counts once the manager you name approves it "
              "(asked by DM)\n"
              "• `/thirdparty share AuditCo complaints` — post a summary (complaints, disputes or requests) in "
              "this channel, only if an agreement covers it; otherwise Rapport says what is missing\n"
              "• `/thirdparty request AuditCo: evidence of the Q3 restore test by next friday` — log what they "
              "asked for; you are reminded on the due day and when it is overdue\n"
              "• `/thirdparty requests [AuditCo]` · `/thirdparty done 12` · `/thirdparty AuditCo` — its agreements "
              "and open requests\n"
              "• Add one with `/account add AuditCo third-party auditor`; its role (auditor, supervisor, "
              "certification-body, vendor): `/account set AuditCo role supervisor`\n"
              "• Contacts (`/contact AuditCo: …`) and meetings (`/meeting AuditCo: …`) work as for customers")
            + "\n" + _("• `/thirdparty evaluate AuditCo` — score it on the criteria of its role (independence, "
                       "qualification, responsiveness, information handling, and two for an auditor, supervisor, "
                       "certification body or vendor), optional weights: total and qualified/not qualified\n"
                       "• `/thirdparty review AuditCo` — its periodic review for a period; the next one falls due on "
                       "a working day of its calendar, and its owner is reminded a working week before; "
                       "`/thirdparty AuditCo` shows the trend"),
        ),
        Command.SURVEY: (
            _("Open satisfaction surveys"),
            _("• `/survey new` — a questionnaire (CSAT 1–5, NPS 0–10, single choice, free text; up to 10 "
              "questions), named or anonymous, to the customer contacts of all accounts, a tier or a list; opening, "
              "reminder and closing in plain words (`next monday 9am`, `下周一上午9点`)\n"
              "• `/survey list` — the latest surveys\n"
              "• `/survey results 3` — response rate, CSAT, NPS and each question's answers, with a chart and a CSV "
              "by DM (internal only)\n"
              "• `/survey record 3 phone Acme Corp: 9; 4; -; quick answers` — answers taken by phone, on a visit or "
              "from a web form, in question order (`-` skips one)\n"
              "• A detractor (NPS 0–6) or a CSAT of 1–2 alerts the account owner"),
        ),
        Command.SERVICE: (
            _("Value-added services"),
            _("• `/service propose Acme Corp` — propose a value-added service (增值服务): what, when (once, or a "
              "repeating rule as `/meeting` reads them), estimated cost and effort, and the four principles each "
              "affirmed with a note: it does not affect the agreed service, is relevant to the customer's needs, "
              "is feasible, and extends our capabilities\n"
              "• A manager approves or declines it by DM; approval needs all four principles and the cost within "
              "the account's budget (`/account set Acme Corp service-budget 5000`)\n"
              "• Once approved it is scheduled like a meeting (holidays move to working days); the account owner is "
              "reminded a working day before each time, and records it with `/service done 3 <what was done>`; "
              "`/account Acme Corp` lists its services"),
        ),
        Command.NEED: (
            _("Customer needs and supplementary agreements"),
            _("• `/need Acme Corp: monthly reports in Chinese as well` — log what a customer needs (需求); in a "
              "channel linked to the account, the name can be left out\n"
              "• Message shortcut *Log need* — log a customer's message as a need (account, customer and link kept)\n"
              "• `/need list [Acme Corp]` — open needs · `/need 12` — one need, with buttons moving it on: heard → "
              "analysed → proposed → agreed → delivered, or *Decline* with a reason\n"
              "• `/need 12 analysed` (or `proposed`, `agreed`, `delivered`, `declined <why>`) — the same by typing\n"
              "• `/need 12 agreement next friday` — it changes the service: a supplementary agreement (补充协议) to "
              "sign by then; its owner is reminded each working day from the day before until *Signed* or "
              "*Dropped* (`/need 12 signed`, `/need 12 dropped`)\n"
              "• Everything here is internal: never posted in a shared channel"),
        ),
        Command.RAPPORT: (
            _("Rapport"),
            _("• `/rapport digest` — my morning digest now: what needs attention, today's meetings and report "
              "deadlines, what happened since the previous working day (only you see it)\n"
              "• `/rapport digest on|off` — get it by DM at 09:00 your time on working days (managers get the "
              "whole team's unless they turn it off; account owners can turn on their own)\n"
              "• The *Home* tab — your dashboard: open complaints and their clocks, meetings this week, action "
              "items, report deadlines, praise, team CSAT\n")
            + _("• `/rapport report Acme Corp [period]` — the service report on a period, built now from the record "
                "and sent to you by DM (PDF, Markdown and charts); the period is like `2026-11`, `2026-Q4`, "
                "`last month`, `上个月`, `last quarter` (default: the last closed period of the account's cycle)\n"
                "• When an account's period closes, its owner gets the drafted report by DM with *Edit and submit*: "
                "the key issues and improvement plan, the sections the customer sees (saved per reader if you "
                "like), and whether to post the customer version in the shared channel\n")
            + _("• `/rapport risks [<account>]` — the risk register (风险与控制) by score, with Reviewed and Close; "
                "`/rapport risks add Acme Corp: <the risk>`; `/rapport risks set 3 status|likelihood|impact|control|"
                "owner|review <value>`. New accounts are offered the notes' risks; Rapport raises others itself\n")
            + _("• `/rapport config` — how this workspace is set up\n"
              "• `/praise help`, `/account help`, `/contact help`, `/complaint help`, `/meeting help`, "
              "`/dispute help`, `/thirdparty help`, `/survey help`, `/service help`, `/need help` — help for each "
              "command"),
        ),
    }


def build_help(command: Command) -> tuple[str, list[dict[str, Any]]]:
    """The help text and blocks for one command; in Chinese, with its Chinese command words."""
    title, body = _help_texts()[command]
    words = chinese_words(command) if speaks_chinese() else ""
    if not words:
        return f"{title}\n{body}", [header(title), section(body)]
    return f"{title}\n{body}\n{words}", [header(title), section(body), section(words)]


def chinese_words(command: Command) -> str:
    """The command's Chinese words, from the same table its grammar reads (bot.platform.command_words)."""
    verbs = [(english, chinese) for english, chinese, is_verb in aliases(command) if is_verb]
    options = [(english, chinese) for english, chinese, is_verb in aliases(command) if not is_verb]
    lines = [_("• {chinese} — the same as {english}").format(
                 chinese=" · ".join(f"`{command} {alias}`" for alias in chinese), english=f"`{command} {english}`")
             for english, chinese in verbs]
    if options:
        lines.append(_("• After them: {words}").format(
            words=", ".join(f"{' · '.join(f'`{alias}`' for alias in chinese)} = `{english}`"
                            for english, chinese in options)))
    return _("Chinese command words:") + "\n" + "\n".join(lines)


def speaks_chinese() -> bool:
    """Whether the active catalog is Chinese: gettext's reserved empty message is the catalog's header."""
    # `_translate` is `_` under a name the message extractor does not collect ("" is no message).
    return "Language: zh" in _translate("")
