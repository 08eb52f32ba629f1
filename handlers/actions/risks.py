"""Buttons of the risk register: Adopt (a catalog risk), Reviewed and Close; external users are refused."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.arguments import whole_number
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.risks.register import adopt_risk, close_risk, review_risk
from handlers.blocks.risks.register import build_adopted, build_closed, build_reviewed
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for Adopt, Reviewed and Close."""
    app.action(Action.RISK_ADOPT, middleware=[internal_only])(handle_adopt)
    app.action(Action.RISK_REVIEW, middleware=[internal_only])(handle_review)
    app.action(Action.RISK_CLOSE, middleware=[internal_only])(handle_close)


def handle_adopt(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                 client: WebClient) -> None:
    """Adopt a catalog risk for the account (a second click changes nothing)."""
    ack()
    services = services_of(context)
    number, _colon, key = str(action.get("value") or "").partition(":")
    account_id = whole_number(number)
    if account_id is None or not key:
        raise InvalidInput(_("That button is out of date.") + " " + _("See `/rapport risks`."))
    with services.db.session() as session:
        adopted = adopt_risk(session, account_id=account_id, key=key, actor_id=actor_of(context).id,
                             now=services.now(), calendar=services.team_calendar())
        text = build_adopted(adopted, zone=services.settings.zone)
    reply(body, client, text)


def handle_review(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """Record a review of the risk; its next review is planned."""
    ack()
    services = services_of(context)
    (risk_id,) = button_numbers(action, hint=_("See `/rapport risks`."))
    with services.db.session() as session:
        change = review_risk(session, risk_id=risk_id, actor_id=actor_of(context).id, now=services.now(),
                             calendar=services.team_calendar())
    reply(body, client, build_reviewed(change, zone=services.settings.zone))


def handle_close(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                 client: WebClient) -> None:
    """Close the risk (a second click changes nothing)."""
    ack()
    services = services_of(context)
    (risk_id,) = button_numbers(action, hint=_("See `/rapport risks`."))
    with services.db.session() as session:
        change = close_risk(session, risk_id=risk_id, actor_id=actor_of(context).id, now=services.now())
    reply(body, client, build_closed(change))
