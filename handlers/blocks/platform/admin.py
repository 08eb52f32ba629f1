"""Block Kit for deliveries that failed for good: the admins' notice, and the one to the person who acted."""

from __future__ import annotations

from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.outbox import DeliveryFailedCard
from handlers.blocks.common import context, section


def render_delivery_failed(card: DeliveryFailedCard) -> Rendered:
    """Tell an admin that a message could not be delivered (or the person who acted, that theirs could not)."""
    if card.to_actor:
        return _render_for_actor(card)
    text = ngettext("A message could not be delivered after {attempts} attempt: `{error}`",
                    "A message could not be delivered after {attempts} attempts: `{error}`",
                    card.attempts).format(attempts=card.attempts, error=card.error)
    detail = _("Outbox #{id} · `{key}` · list all with `rapport outbox --failed`").format(id=card.message_id,
                                                                                          key=card.key)
    return Rendered(text=text, blocks=[section("⚠️ " + text), context(detail)])


def _render_for_actor(card: DeliveryFailedCard) -> Rendered:
    where = _where(card.channel)
    text = _("Your {what} could not be delivered{where} and will not be retried: {why}").format(
        what=_what(card.card_kind), where=where, why=failure_reason(card.error))
    return Rendered(text=text, blocks=[section("⚠️ " + text),
                                       context(_("Rapport's admins have been told too. Slack said `{error}`.").format(
                                           error=card.error))])


def _where(channel: str | None) -> str:
    if not channel:
        return ""
    return " " + _("to {target}").format(target=f"<@{channel}>" if channel[0] in "UW" else f"<#{channel}>")


def _what(card_kind: str | None) -> str:
    """What failed, as the person knows it."""
    names = {"praise_card": _("praise"), "complaint_card": _("complaint card"), "dispute_card": _("dispute card"),
             "coordination_card": _("coordination card"), "survey_card": _("feedback request"),
             "shared_summary": _("shared summary")}
    return names.get(card_kind or "", _("message"))


def failure_reason(error: str) -> str:
    """Why Slack refused, in words, with what to do about it."""
    reasons = {
        "channel_not_found": _("the channel no longer exists, or Rapport cannot see it. Ask an admin to check the "
                               "channel setting."),
        "not_in_channel": _("Rapport is not a member of the channel. Invite it with `/invite @Rapport`, then try "
                            "again."),
        "is_archived": _("the channel is archived. Ask an admin to pick another channel."),
        "user_not_found": _("that person is not in the workspace any more."),
        "account_inactive": _("that person's account is deactivated."),
        "msg_too_long": _("the message is too long for Slack. Shorten it and try again."),
        "invalid_blocks": _("Slack refused the message's layout. The admins have the details."),
        "the original message was never delivered": _("the message it would have changed was never delivered."),
    }
    return reasons.get(error, _("Slack refused it ({error}).").format(error=error))
