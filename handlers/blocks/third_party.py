"""Block Kit for third parties: shared summaries, request reminders, agreements and replies."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.i18n import _
from bot.notify import Rendered
from bot.sharing import Shared
from bot.text import cut, neutralise_mentions
from bot.third_party_requests import RequestChange, request_data
from handlers.blocks.common import channel, context, header, section, user
from handlers.blocks.dispute import level_name, when
from handlers.blocks.sharing_modal import kind_label, method_label, window_label
from handlers.ids import Action
from storage.accounts import Account
from storage.third_parties import SharingAgreement, ThirdPartyRequest

Reply = tuple[str, list[dict[str, Any]]]


def _figures_lines(data: dict[str, Any]) -> list[str]:
    figures, tz = data["figures"], data["tz"]
    if data["kind"] == "complaints":
        return [_("Open complaints: *{open}*, of which past their SLA: *{breached}*.").format(**figures)]
    if data["kind"] == "disputes":
        by_level = figures["by_level"]
        if not by_level:
            return [_("No open supplier disputes.")]
        return [f"• {level_name(int(level))}: *{count}*" for level, count in by_level.items()]
    rows = figures["requests"]
    if not rows:
        return [_("No requests recorded.")]
    return [f"• #{row['id']} {cut(neutralise_mentions(row['what']), 120)} — " + (
        _("done {at}").format(at=when(row["done_at"], tz)) if row["status"] == "done"
        else _("due {due}").format(due=when(row["due"], tz))) for row in rows]


def render_shared_summary(data: dict[str, Any]) -> Rendered:
    """A summary shared into a third party's channel under an agreement: figures only, and on what basis."""
    title = _("{kind} — for {account}").format(kind=kind_label(data["kind"]), account=data["account"])
    lines = _figures_lines(data)
    basis = _("As of {at} · shared by {who} under information-sharing agreement #{id}: {purpose}").format(
        at=when(data["as_of"], data["tz"]), who=user(data["shared_by"]), id=data["agreement"],
        purpose=cut(neutralise_mentions(data["purpose"]), 300))
    return Rendered(text=title + "\n" + "\n".join(lines),
                    blocks=[header(title), section("\n".join(lines)), context(basis)])


def render_third_party_reminder(data: dict[str, Any]) -> Rendered:
    """The due-day or overdue reminder of a third party's request, with a Mark done button."""
    due = when(data["due"], data["tz"])
    if data["stage"] == "overdue":
        text = _("🚨 Overdue: *{account}* asked for request #{id} by {due}.").format(
            account=data["account"], id=data["id"], due=due)
    else:
        text = _("📅 Due today: *{account}* asked for request #{id} by {due}.").format(
            account=data["account"], id=data["id"], due=due)
    button = ButtonElement(text=_("Mark done"), action_id=Action.REQUEST_DONE, value=str(data["id"]),
                           style="primary")
    return Rendered(text=text, blocks=[
        section(text), section("> " + cut(neutralise_mentions(data["what"]), 2000)),
        ActionsBlock(block_id=f"third_party_request_{data['id']}", elements=[button]).to_dict(),
        context(_("Owner: {owner} · `/thirdparty done {id}` works too").format(owner=user(data["owner"]),
                                                                               id=data["id"]))])


def _agreement_lines(agreement: SharingAgreement, *, expired: bool) -> str:
    state = _(" — ended") if expired else ""
    return "\n".join([
        _("*Agreement #{id}* (approved by {approver}, valid until {until}{state})").format(
            id=agreement.id, approver=user(agreement.approved_by), until=agreement.valid_until, state=state),
        _("• *Why:* {why}").format(why=cut(neutralise_mentions(agreement.purpose), 300)),
        _("• *What:* {what}").format(what=", ".join(agreement.kinds)),
        _("• *Where:* {where} · *When:* {when}{schedule}").format(
            where=channel(agreement.channel_id), when=window_label(agreement.window),
            schedule=f" ({cut(neutralise_mentions(agreement.schedule), 200)})" if agreement.schedule else ""),
        _("• *Who:* {who} · *How:* {how}").format(who=", ".join(user(p) for p in agreement.people),
                                                  how=method_label(agreement.method)),
    ])


def build_agreement_recorded(agreement: SharingAgreement, account: Account) -> Reply:
    """The receipt for a recorded agreement."""
    text = _("Recorded information-sharing agreement #{id} with *{name}*.").format(id=agreement.id, name=account.name)
    how = _("Share with `/thirdparty share {name} <kind>` in {channel}.").format(name=account.name,
                                                                               channel=channel(agreement.channel_id))
    return f"{text} {how}", [section(text), section(_agreement_lines(agreement, expired=False)), context(how)]


def build_shared(shared: Shared, *, posted: bool) -> str:
    """The note after sharing: where it went, under which agreement."""
    if posted:
        return _("Shared the {kind} summary in {channel} under agreement #{id}.").format(
            kind=shared.kind, channel=channel(shared.channel_id), id=shared.agreement.id)
    return _("The {kind} summary will appear in {channel} shortly (agreement #{id}).").format(
        kind=shared.kind, channel=channel(shared.channel_id), id=shared.agreement.id)


def build_request_logged(change: RequestChange, *, tz: str) -> Reply:
    """The receipt for a logged request, echoing how its due date was read."""
    request = change.request
    text = _("Logged request #{id} from *{account}*, due *{due}* — you own it. You'll be reminded on the due day "
             "and if it is overdue.").format(id=request.id, account=change.account.name, due=when(
                 request.due_at.isoformat(), tz))
    return text, [section(text), section("> " + cut(neutralise_mentions(request.what), 2000)),
                  context(_("Not the date you meant? `/thirdparty done {id}` and log it again.").format(id=request.id))]


def build_request_done(change: RequestChange) -> str:
    """The note after marking a request done."""
    if change.changed:
        return _("Request #{id} from {account} is done. Its reminders have stopped.").format(
            id=change.request.id, account=change.account.name)
    return _("Request #{id} was already done (by {who}).").format(id=change.request.id,
                                                                    who=user(change.request.done_by))


def _request_line(request: ThirdPartyRequest, account: Account, tz: str) -> str:
    data = request_data(request, account, tz=tz)
    return _("• *#{id}* {account} — {what} · due {due} · {owner}").format(
        id=data["id"], account=data["account"], what=cut(neutralise_mentions(data["what"]), 100),
        due=when(data["due"], tz), owner=user(data["owner"]))


def build_request_list(rows: list[tuple[ThirdPartyRequest, Account]], *, tz: str) -> Reply:
    """Open requests from third parties (ephemeral, internal)."""
    if not rows:
        text = _("No open requests from third parties. 🎉")
        return text, [section(text)]
    title = _("Open third-party requests ({count})").format(count=len(rows))
    lines = [_request_line(request, account, tz) for request, account in rows]
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines)),
                                             context(_("`/thirdparty done <id>` when one is done"))]


def build_third_party_view(account: Account, agreements: list[tuple[SharingAgreement, bool]],
                           requests: list[tuple[ThirdPartyRequest, Account]], *, tz: str) -> Reply:
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
