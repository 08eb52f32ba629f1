"""App Home: publish the personal dashboard each time someone opens the Home tab."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.care.complaint_clock import ComplaintPolicy
from bot.overview.digest import user_zone
from bot.overview.health import HealthPolicy
from bot.overview.home import build_dashboard
from handlers.blocks.overview.home import build_external_home, build_home
from handlers.context import actor_of, services_of
from handlers.ids import Event

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Listen for app_home_opened (Bolt acks events before the listener runs)."""
    app.event(Event.APP_HOME_OPENED)(handle_app_home_opened)


def handle_app_home_opened(event: dict[str, Any], context: BoltContext, request: BoltRequest,
                           client: WebClient) -> None:
    """Publish the opener's dashboard; external users get a neutral greeting and nothing internal."""
    if event.get("tab") != "home":
        return  # the Messages tab fires the same event
    if request.headers.get("x-slack-retry-num"):
        # A retry means Slack missed our ack, not that the tab went unpublished; the next open refreshes it anyway.
        return
    services, actor = services_of(context), actor_of(context)
    if actor.is_external:
        view = build_external_home()
    else:
        now = services.now()
        with services.db.session() as session:
            dashboard = build_dashboard(session, user_id=actor.id, zone=user_zone(services, actor.id),
                                        manager=actor.id in services.settings.rapport_managers, now=now,
                                        policy=ComplaintPolicy.from_settings(services.settings),
                                        health=HealthPolicy.from_settings(services.settings))
        view = build_home(dashboard)
    # The hash of the view the user had open: if another publish got there first, Slack refuses this one.
    shown_hash = (event.get("view") or {}).get("hash")
    try:
        client.views_publish(user_id=actor.id, view=view, **({"hash": shown_hash} if shown_hash else {}))
    except SlackApiError as exc:
        if exc.response.get("error") != "hash_conflict":
            raise
        log.info("home of %s was published by a newer request", actor.id)
