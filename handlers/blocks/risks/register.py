"""Block Kit for the risk register: the list by score, the catalog offered to a new account, replies and DMs."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.accounts.labels import account_kind_label
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.risks.cards import ReviewStage, RiskFacts, RiskRaisedCard, RiskReviewCard
from bot.risks.register import Adopted, CatalogOffer, RiskChange, RiskPage
from bot.risks.wording import control_of, risk_facts, status_label, title_of
from handlers.blocks.common import Reply, context, divider, header, section, user, when
from handlers.ids import Action


def _lines(facts: RiskFacts) -> str:
    """A risk in three lines: what, its score and review, its control."""
    title = cut(neutralise_mentions(title_of(facts)), 400)
    control = control_of(facts)
    lines = [
        _("*#{id}* · *{account}* — {title}").format(id=facts.risk_id, account=facts.account, title=title),
        _("Score {score} (likelihood {likelihood} × impact {impact}) · {status} · owner {owner} · next review "
          "{review}").format(score=facts.likelihood * facts.impact, likelihood=facts.likelihood,
                             impact=facts.impact, status=status_label(facts.status), owner=user(facts.owner),
                             review=when(facts.next_review_at, facts.zone)),
    ]
    if control:
        lines.append(_("Control: {control}").format(control=cut(neutralise_mentions(control), 600)))
    return "\n".join(lines)


def _buttons(risk_id: int) -> dict[str, Any]:
    return ActionsBlock(block_id=f"risk_{risk_id}", elements=[
        ButtonElement(text=_("Reviewed"), action_id=Action.RISK_REVIEW, value=str(risk_id), style="primary"),
        ButtonElement(text=_("Close"), action_id=Action.RISK_CLOSE, value=str(risk_id)),
    ]).to_dict()


def build_risk_list(listing: RiskPage, *, zone: Any) -> Reply:
    """One page of live risks, highest score first, each with Reviewed and Close."""
    if not listing.total:
        text = (_("No open risks for *{name}*.").format(name=listing.account.name) if listing.account
                else _("No open risks."))
        text += " " + _("Add one with `/rapport risks add <account>: <the risk>`.")
        return text, [section(text)]
    title = (_("Risks of {name} ({total})").format(name=listing.account.name, total=listing.total)
             if listing.account else _("Open risks ({total})").format(total=listing.total))
    blocks: list[dict[str, Any]] = [header(title)]
    texts = [title]
    for risk, account in listing.rows:
        assert risk.id is not None  # read from the database
        lines = _lines(risk_facts(risk, account, zone=zone))
        blocks.extend([section(lines), _buttons(risk.id)])
        texts.append(lines)
    if listing.pages > 1:
        more = f"{listing.account.name} page" if listing.account else "page"
        blocks.append(context(_("Page {page} of {pages} · `/rapport risks {more} {next}` for more").format(
            page=listing.page, pages=listing.pages, more=more, next=min(listing.page + 1, listing.pages))))
    return "\n".join(texts), blocks


def build_catalog_offer(offer: CatalogOffer) -> Reply:
    """The notes' risks for a new account's kind, each with Adopt."""
    account = offer.account
    assert account.id is not None  # a stored account
    title = _("Risks the notes list for a {kind}: adopt those that apply to {name}").format(
        kind=account_kind_label(account), name=account.name)
    blocks: list[dict[str, Any]] = [section(f"*{title}*")]
    for entry in offer.entries:
        text = f"*{entry.title}*\n" + _("Control: {control}").format(control=entry.control)
        block = section(text)
        if entry.key in offer.adopted:
            blocks.extend([block, context(_("✅ Adopted"))])
            continue
        block["accessory"] = ButtonElement(text=_("Adopt"), action_id=Action.RISK_ADOPT,
                                           value=f"{account.id}:{entry.key}").to_dict()
        blocks.append(block)
    blocks.append(context(_("Adopted risks are reviewed with their owner; see them with `/rapport risks {name}`.")
                          .format(name=account.name)))
    return title, blocks


def with_catalog_offer(reply: Reply, offer: CatalogOffer) -> Reply:
    """A new account's confirmation with the catalog offered below it, in the one reply (one answer per command)."""
    text, blocks = reply
    offered, offer_blocks = build_catalog_offer(offer)
    return text + "\n" + offered, [*blocks, divider(), *offer_blocks]


def build_adopted(adopted: Adopted, *, zone: Any) -> str:
    """The reply to Adopt."""
    facts = risk_facts(adopted.risk, adopted.account, zone=zone)
    if adopted.changed:
        return _("Adopted for *{account}* as risk #{id}: {title}. Next review {review}.").format(
            account=adopted.account.name, id=facts.risk_id, title=title_of(facts),
            review=when(facts.next_review_at, zone))
    return _("*{account}* already has this risk: #{id}.").format(account=adopted.account.name, id=facts.risk_id)


def build_risk_added(change: RiskChange, *, zone: Any) -> Reply:
    """The reply to `/rapport risks add` and `set`."""
    facts = risk_facts(change.risk, change.account, zone=zone)
    lead = _("Risk #{id} of *{account}*:").format(id=facts.risk_id, account=change.account.name)
    text = lead + "\n" + _lines(facts)
    return text, [section(text), _buttons(facts.risk_id)]


def build_reviewed(change: RiskChange, *, zone: Any) -> str:
    """The reply to Reviewed."""
    if change.changed:
        return _("Risk #{id} reviewed. Next review {review}.").format(
            id=change.risk.id, review=when(change.risk.next_review_at, zone))
    return _("Risk #{id} is closed; there is nothing to review.").format(id=change.risk.id)


def build_closed(change: RiskChange) -> str:
    """The reply to Close."""
    if change.changed:
        return _("Risk #{id} of *{account}* closed. Its reminders have stopped.").format(
            id=change.risk.id, account=change.account.name)
    return _("Risk #{id} was already closed (by {who}).").format(id=change.risk.id, who=user(change.risk.closed_by))


def render_risk_raised(card: RiskRaisedCard) -> Rendered:
    """A DM to the owner: Rapport raised a risk from the record."""
    text = _("⚠️ Rapport raised a risk on *{account}* from the record:").format(account=card.risk.account)
    lines = _lines(card.risk)
    return Rendered(text=text + "\n" + lines, blocks=[section(text), section(lines), _buttons(card.risk.risk_id)])


def render_risk_review(card: RiskReviewCard) -> Rendered:
    """A DM to the owner: a risk's review is due today, or overdue."""
    if card.stage == ReviewStage.OVERDUE:
        text = _("🚨 Review overdue: risk #{id} of *{account}*.").format(id=card.risk.risk_id,
                                                                        account=card.risk.account)
    else:
        text = _("📅 Review due today: risk #{id} of *{account}*.").format(id=card.risk.risk_id,
                                                                          account=card.risk.account)
    lines = _lines(card.risk)
    return Rendered(text=text + "\n" + lines, blocks=[
        section(text), section(lines), _buttons(card.risk.risk_id),
        context(_("Still relevant? Change it with `/rapport risks set {id} status mitigating` (or likelihood, "
                  "impact, control, owner, review).").format(id=card.risk.risk_id))])
