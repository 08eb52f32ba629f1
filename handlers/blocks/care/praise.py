"""Block Kit for praise: the commendation card, the confirmation, the leaderboard."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.care.cards import PraiseCard, PraiseStoryCard, PraiseThanksCard
from bot.care.praise import LeaderboardEntry, Period
from bot.care.praise_followups import MAX_NOTE, MAX_STORY_PART
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from handlers.blocks.common import SECTION_LIMIT, context, header, join_names, section, user
from handlers.blocks.platform.admin import failure_reason
from handlers.ids import Action, Block
from handlers.ids import View as ViewId


def receiver_names(card: PraiseCard) -> str:
    """The mentions of everyone a praise is for."""
    names = [user(u) for u in card.users] + [f"@{g.handle}" for g in card.groups]
    return join_names(names)


def render_praise_card(card: PraiseCard) -> Rendered:
    """The commendation published in the kudos channel."""
    receivers = receiver_names(card)
    reason = neutralise_mentions(card.reason)
    quoted = "> " + cut(reason, SECTION_LIMIT - 10).replace("\n", "\n> ")
    if card.account:
        title = _("Praise from {account}").format(account=card.account)
        byline = _("{receivers}, praised by {giver} of {account}").format(
            receivers=receivers, giver=user(card.giver), account=card.account)
    else:
        title = _("A commendation")
        byline = _("{receivers}, praised by {giver}").format(receivers=receivers, giver=user(card.giver))
    text = cut(f"{title}: {byline} — {reason}", 3000)
    blocks = [header("🏅 " + title), section(byline), section(quoted)]
    if card.account:  # a customer's praise: thank them, and share what we learned
        blocks.append(followup_buttons(card))
    blocks.append(context(_("Logged with Rapport · /praise")))
    return Rendered(text=text, blocks=blocks)


def build_praise_confirmation(card: PraiseCard, *, channel: str, link: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The giver's ephemeral receipt, linking to the published card."""
    text = _("Thanks! Your praise for {receivers} is published in <#{channel}>.").format(
        receivers=receiver_names(card), channel=channel)
    if link:
        text += " " + _("<{link}|See it>").format(link=link)
    return text, [section(text)]


def build_praise_queued(card: PraiseCard, *, channel: str) -> tuple[str, list[dict[str, Any]]]:
    """The receipt when Slack is slow: the card is on its way."""
    text = _("Thanks! Your praise for {receivers} is saved and will appear in <#{channel}> shortly.").format(
        receivers=receiver_names(card), channel=channel)
    return text, [section(text)]


def build_praise_failed(card: PraiseCard, *, channel: str, error: str) -> tuple[str, list[dict[str, Any]]]:
    """The receipt when Slack refused the card for good: saved, not published, and why."""
    text = _("Your praise for {receivers} is saved, but it could not be published in <#{channel}>: {why}").format(
        receivers=receiver_names(card), channel=channel, why=failure_reason(error))
    return text, [section("⚠️ " + text)]


def build_leaderboard(entries: list[LeaderboardEntry], *, period: Period) -> tuple[str, list[dict[str, Any]]]:
    """The praise leaderboard for a period."""
    titles = {Period.WEEK: _("Most praised this week"), Period.MONTH: _("Most praised this month"),
              Period.QUARTER: _("Most praised this quarter")}
    title = titles[period]
    if not entries:
        empty = {Period.WEEK: _("No praise yet this week. Be the first: `/praise @someone why`"),
                 Period.MONTH: _("No praise yet this month. Be the first: `/praise @someone why`"),
                 Period.QUARTER: _("No praise yet this quarter. Be the first: `/praise @someone why`")}
        text = empty[period]
        return text, [header(title), section(text)]
    medals = ["🥇", "🥈", "🥉"]
    lines = []
    for rank, entry in enumerate(entries, start=1):
        who = user(entry.user_id) if entry.user_id else f"@{entry.group_handle}"
        mark = medals[rank - 1] if rank <= 3 else f"{rank}."
        lines.append(f"{mark} {who} — {entry.count}")
    body = "\n".join(lines)
    return f"{title}\n{body}", [header(title), section(body)]


def followup_buttons(card: PraiseCard) -> dict[str, Any]:
    """*Send a thank-you note* and *Share the story*, under a customer's praise."""
    value = str(card.praise_id)
    return ActionsBlock(block_id="praise_followups", elements=[
        ButtonElement(text=_("Send a thank-you note"), action_id=Action.PRAISE_THANKS, value=value),
        ButtonElement(text=_("Share the story"), action_id=Action.PRAISE_STORY, value=value),
    ]).to_dict()


def render_praise_thanks(card: PraiseThanksCard) -> Rendered:
    """The letter of thanks, as the customer sees it."""
    text = neutralise_mentions(card.text)
    return Rendered(text=text, blocks=[header("🙏 " + _("Thank you")), section(text),
                                       context(_("From {sender}, on behalf of the team").format(
                                           sender=user(card.sender)))])


def render_praise_story(card: PraiseStoryCard) -> Rendered:
    """The experience-sharing post in an internal channel."""
    names = join_names([user(r) if not r.startswith("@") else r for r in card.receivers])
    title = _("What we learned: praise from {account}").format(account=card.account)
    blocks = [header("📖 " + title),
              section(_("*Praised:* {names}").format(names=names)),
              section(_quote(card.praise)),
              section(_("*What was done*") + "\n" + cut(neutralise_mentions(card.done), SECTION_LIMIT - 40)),
              section(_("*What others can learn*") + "\n" + cut(neutralise_mentions(card.lessons), SECTION_LIMIT - 40)),
              context(_("Shared by {author} · /praise").format(author=user(card.author)))]
    return Rendered(text=f"{title} — {names}", blocks=blocks)


def _quote(text: str) -> str:
    return "> " + cut(neutralise_mentions(text), SECTION_LIMIT - 10).replace("\n", "\n> ")


def _field(name: str, label: str, element: Any, *, hint: str | None = None) -> dict[str, Any]:
    return InputBlock(block_id=f"{Block.PRAISE_FIELD}_{name}", label=PlainTextObject(text=label), element=element,
                      hint=PlainTextObject(text=hint) if hint else None).to_dict()


def build_thanks_modal(praise_id: int, draft: str, where: str) -> dict[str, Any]:
    """The thank-you note, drafted from the praise, to edit before it goes."""
    element = PlainTextInputElement(action_id=Action.PRAISE_INPUT, multiline=True, initial_value=draft,
                                    max_length=MAX_NOTE)
    return View(type="modal", callback_id=ViewId.PRAISE_THANKS, private_metadata=str(praise_id),
                title=PlainTextObject(text=_("Thank-you note")), submit=PlainTextObject(text=_("Send")),
                close=PlainTextObject(text=_("Cancel")),
                blocks=[_field("text", _("Your note"), element, hint=_("It goes {where}.").format(where=where))],
                ).to_dict()


def build_story_modal(praise_id: int) -> dict[str, Any]:
    """Turn the praise into an experience-sharing post: where, what was done, what others can learn."""
    internal = ConversationFilter(include=["public", "private"], exclude_external_shared_channels=True)
    channel = ConversationSelectElement(action_id=Action.PRAISE_INPUT, filter=internal)
    blocks = [
        _field("channel", _("Share in"), channel),
        _field("done", _("What was done"), PlainTextInputElement(action_id=Action.PRAISE_INPUT, multiline=True,
                                                                 max_length=MAX_STORY_PART)),
        _field("lessons", _("What others can learn"), PlainTextInputElement(action_id=Action.PRAISE_INPUT,
                                                                            multiline=True,
                                                                            max_length=MAX_STORY_PART)),
    ]
    return View(type="modal", callback_id=ViewId.PRAISE_STORY, private_metadata=str(praise_id),
                title=PlainTextObject(text=_("Share the story")), submit=PlainTextObject(text=_("Share")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()
