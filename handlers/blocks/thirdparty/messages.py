"""Block Kit for third parties: shared summaries, request reminders, agreements and replies."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.thirdparty.cards import (
    ComplaintFigures,
    DisputeFigures,
    Figures,
    SharedSummaryCard,
    SharingApprovalCard,
    SharingDecidedCard,
    ThirdPartyReminderCard,
)
from bot.thirdparty.requests import RequestChange
from bot.thirdparty.sharing import AgreementDecision, AgreementRecorded, Shared
from handlers.blocks.common import Reply, channel, context, header, section, user, when
from handlers.blocks.suppliers.dispute import level_name
from handlers.blocks.thirdparty.sharing_modal import kind_label, method_label, window_label
from handlers.ids import Action
from storage.accounts import Account
from storage.thirdparty.requests import RequestReminder, RequestStatus, ThirdPartyRequest
from storage.thirdparty.sharing import AgreementStatus, SharingAgreement, SharingMethod, SharingWindow


def _figures_lines(figures: Figures, tz: ZoneInfo) -> list[str]:
    if isinstance(figures, ComplaintFigures):
        return [_("Open complaints: *{open}*, of which past their SLA: *{breached}*.").format(
            open=figures.open, breached=figures.breached)]
    if isinstance(figures, DisputeFigures):
        if not figures.by_level:
            return [_("No open supplier disputes.")]
        return [f"• {level_name(level)}: *{count}*" for level, count in figures.by_level.items()]
    if not figures.requests:
        return [_("No requests recorded.")]
    return [f"• #{row.id} {cut(neutralise_mentions(row.what), 120)} — " + (
        _("done {at}").format(at=when(row.done_at, tz)) if row.status == RequestStatus.DONE
        else _("due {due}").format(due=when(row.due, tz))) for row in figures.requests]


def render_shared_summary(card: SharedSummaryCard) -> Rendered:
    """A summary shared into a third party's channel under an agreement: figures only, and on what basis."""
    title = _("{kind} — for {account}").format(kind=kind_label(card.figures.about), account=card.account)
    lines = _figures_lines(card.figures, card.tz)
    basis = _("As of {at} · shared by {who} under information-sharing agreement #{id}: {purpose}").format(
        at=when(card.as_of, card.tz), who=user(card.shared_by), id=card.agreement,
        purpose=cut(neutralise_mentions(card.purpose), 300))
    return Rendered(text=title + "\n" + "\n".join(lines),
                    blocks=[header(title), section("\n".join(lines)), context(basis)])


def render_third_party_reminder(card: ThirdPartyReminderCard) -> Rendered:
    """The due-day or overdue reminder of a third party's request, with a Mark done button."""
    due = when(card.due, card.tz)
    if card.stage == RequestReminder.OVERDUE:
        text = _("🚨 Overdue: *{account}* asked for request #{id} by {due}.").format(
            account=card.account, id=card.id, due=due)
    else:
        text = _("📅 Due today: *{account}* asked for request #{id} by {due}.").format(
            account=card.account, id=card.id, due=due)
    button = ButtonElement(text=_("Mark done"), action_id=Action.REQUEST_DONE, value=str(card.id), style="primary")
    return Rendered(text=text, blocks=[
        section(text), section("> " + cut(neutralise_mentions(card.what), 2000)),
        ActionsBlock(block_id=f"third_party_request_{card.id}", elements=[button]).to_dict(),
        context(_("Owner: {owner} · `/thirdparty done {id}` works too").format(owner=user(card.owner), id=card.id))])


def _standing(status: AgreementStatus, approver: str) -> str:
    """Where an agreement stands, by its approver."""
    return {AgreementStatus.PENDING: _("waiting for approval by {approver}"),
            AgreementStatus.APPROVED: _("approved by {approver}"),
            AgreementStatus.DECLINED: _("declined by {approver}")}[status].format(approver=user(approver))


def _agreement_lines(agreement: SharingAgreement, *, expired: bool) -> str:
    state = _(" — ended") if expired else ""
    return "\n".join([
        _("*Agreement #{id}* ({standing}, valid until {until}{state})").format(
            id=agreement.id, standing=_standing(AgreementStatus(agreement.status), agreement.approved_by),
            until=agreement.valid_until, state=state),
        *_five_w(agreement.purpose, agreement.kinds, agreement.channel_id, SharingWindow(agreement.window),
                 agreement.schedule, agreement.people, SharingMethod(agreement.method)),
    ])


def _five_w(why: str, what: Sequence[str], where: str, window: SharingWindow, schedule: str | None,
            who: Sequence[str], how: SharingMethod) -> list[str]:
    return [
        _("• *Why:* {why}").format(why=cut(neutralise_mentions(why), 300)),
        _("• *What:* {what}").format(what=", ".join(what)),
        _("• *Where:* {where} · *When:* {when}{schedule}").format(
            where=channel(where), when=window_label(window),
            schedule=f" ({cut(neutralise_mentions(schedule), 200)})" if schedule else ""),
        _("• *Who:* {who} · *How:* {how}").format(who=", ".join(user(p) for p in who), how=method_label(how)),
    ]


def build_agreement_recorded(recorded: AgreementRecorded) -> Reply:
    """The receipt for a recorded agreement: in force, or waiting for the manager asked to approve it."""
    agreement, account = recorded.agreement, recorded.account
    if agreement.status == AgreementStatus.APPROVED:
        text = _("Recorded information-sharing agreement #{id} with *{name}*.").format(id=agreement.id,
                                                                                       name=account.name)
        how = _("Share with `/thirdparty share {name} <kind>` in {channel}.").format(
            name=account.name, channel=channel(agreement.channel_id))
    else:
        text = _("Recorded information-sharing agreement #{id} with *{name}*; {approver} is asked to approve it."
                 ).format(id=agreement.id, name=account.name, approver=user(agreement.approved_by))
        how = _("Nothing is shared under it until then. You'll get a DM when it is decided.")
    return f"{text} {how}", [section(text), section(_agreement_lines(agreement, expired=False)), context(how)]


def render_sharing_approval(card: SharingApprovalCard) -> Rendered:
    """The DM asking a manager to approve an agreement; once decided, updated in place without the buttons."""
    values = {"id": card.id, "account": card.account, "who": user(card.created_by)}
    if card.status == AgreementStatus.PENDING:
        text = _("{who} asks you to approve information-sharing agreement #{id} with *{account}*.").format(**values)
    else:
        text = _("Information-sharing agreement #{id} with *{account}* is {standing}.").format(
            standing=_standing(card.status, card.approved_by), **values)
    details = "\n".join([*_five_w(card.why, card.what, card.where, card.when, card.schedule, card.who, card.how),
                         _("• *Until:* {until}").format(until=card.valid_until)])
    blocks = [section("🤝 " + text), section(details)]
    if card.status == AgreementStatus.PENDING:
        blocks.append(ActionsBlock(block_id=f"sharing_{card.id}", elements=[
            ButtonElement(text=_("Approve"), action_id=Action.SHARING_APPROVE, value=str(card.id), style="primary"),
            ButtonElement(text=_("Decline"), action_id=Action.SHARING_DECLINE, value=str(card.id)),
        ]).to_dict())
        blocks.append(context(_("Nothing is shared with {account} under it until you approve.").format(**values)))
    return Rendered(text=text, blocks=blocks)


def render_sharing_decided(card: SharingDecidedCard) -> Rendered:
    """The DM telling whoever recorded an agreement that it was approved or declined."""
    text = _("Your information-sharing agreement #{id} with *{account}* was {standing}.").format(
        id=card.id, account=card.account, standing=_standing(card.status, card.approved_by))
    if card.status == AgreementStatus.APPROVED:
        text += " " + _("Share with `/thirdparty share {account} <kind>` in {channel}.").format(
            account=card.account, channel=channel(card.where))
    return Rendered(text=text, blocks=[section("🤝 " + text)])


def build_agreement_decided(decision: AgreementDecision) -> str:
    """The note to the approver after a click."""
    agreement = decision.agreement
    values = {"id": agreement.id, "account": decision.account.name, "who": user(agreement.created_by)}
    if decision.changed and agreement.status == AgreementStatus.APPROVED:
        return _("You approved agreement #{id} with {account}; {who} is told.").format(**values)
    if decision.changed:
        return _("You declined agreement #{id} with {account}; {who} is told.").format(**values)
    return _("Agreement #{id} with {account} is already {standing}.").format(
        id=agreement.id, account=decision.account.name,
        standing=_standing(AgreementStatus(agreement.status), agreement.approved_by))


def build_shared(shared: Shared, *, posted: bool) -> str:
    """The note after sharing: where it went, under which agreement."""
    if posted:
        return _("Shared the {kind} summary in {channel} under agreement #{id}.").format(
            kind=shared.kind, channel=channel(shared.channel_id), id=shared.agreement.id)
    return _("The {kind} summary will appear in {channel} shortly (agreement #{id}).").format(
        kind=shared.kind, channel=channel(shared.channel_id), id=shared.agreement.id)


def build_request_logged(change: RequestChange, *, tz: ZoneInfo) -> Reply:
    """The receipt for a logged request, echoing how its due date was read."""
    request = change.request
    text = _("Logged request #{id} from *{account}*, due *{due}* — you own it. You'll be reminded on the due day "
             "and if it is overdue.").format(id=request.id, account=change.account.name, due=when(request.due_at, tz))
    return text, [section(text), section("> " + cut(neutralise_mentions(request.what), 2000)),
                  context(_("Not the date you meant? `/thirdparty done {id}` and log it again.").format(id=request.id))]


def build_request_done(change: RequestChange) -> str:
    """The note after marking a request done."""
    if change.changed:
        return _("Request #{id} from {account} is done. Its reminders have stopped.").format(
            id=change.request.id, account=change.account.name)
    return _("Request #{id} was already done (by {who}).").format(id=change.request.id,
                                                                    who=user(change.request.done_by))


def _request_line(request: ThirdPartyRequest, account: Account, tz: ZoneInfo) -> str:
    return _("• *#{id}* {account} — {what} · due {due} · {owner}").format(
        id=request.id, account=account.name, what=cut(neutralise_mentions(request.what), 100),
        due=when(request.due_at, tz), owner=user(request.owner_id))


def build_request_list(rows: list[tuple[ThirdPartyRequest, Account]], *, tz: ZoneInfo) -> Reply:
    """Open requests from third parties (ephemeral, internal)."""
    if not rows:
        text = _("No open requests from third parties. 🎉")
        return text, [section(text)]
    title = _("Open third-party requests ({count})").format(count=len(rows))
    lines = [_request_line(request, account, tz) for request, account in rows]
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines)),
                                             context(_("`/thirdparty done <id>` when one is done"))]


def build_third_party_view(account: Account, agreements: list[tuple[SharingAgreement, bool]],
                           requests: list[tuple[ThirdPartyRequest, Account]], *, tz: ZoneInfo) -> Reply:
    """`/thirdparty <name>`: its sharing agreements and open requests."""
    title = _("{name} — third party").format(name=account.name)
    blocks = [header(title)]
    if agreements:
        blocks += [section(_agreement_lines(agreement, expired=expired)) for agreement, expired in agreements[:5]]
    else:
        blocks.append(section(_("No information-sharing agreement yet: nothing may be shared with them. A manager "
                                "approves one with `/thirdparty agree {name}`.").format(name=account.name)))
    lines = [_request_line(request, owner, tz) for request, owner in requests]
    blocks.append(section(_("*Open requests*") + "\n" + ("\n".join(lines) if lines else _("none"))))
    return title, blocks
