"""The services a process runs on, without Bolt: `rapport tick` from cron imports no listener and no Block Kit
builder until it has something to send."""

from __future__ import annotations

from functools import cache

from bot.platform.cards import CardRenderers
from bot.platform.config import Settings
from bot.platform.people_book import PeopleBook
from bot.platform.services import ManualClock, Services, SystemClock
from bot.platform.slack import SlackPort, make_client
from storage.db import Database

# The HTTP server's threads (bot.platform.http), each running one listener at a time: each may hold one
# database session, as may the delivery worker and the scheduler. A smaller pool made listeners wait for a
# connection (42 % of busy samples under load, issue 10). Kept here, not in http, so a cron tick loads no server.
SERVER_THREADS = 16
DB_CONNECTIONS = SERVER_THREADS + 2


def build_services(settings: Settings, *, clock: SystemClock | ManualClock | None = None,
                   metrics: bool = False) -> Services:
    """Database, Slack port and clock for one process (and its metrics, for one that serves)."""
    clock = clock or SystemClock()
    db = Database(settings.database_url, pool_size=DB_CONNECTIONS)
    slack = SlackPort(make_client(settings.slack_bot_token, settings.slack_api_url), card_renderers,
                      PeopleBook(db, now=clock.now), language=settings.rapport_language,
                      send_client=make_client(settings.slack_bot_token, settings.slack_api_url, wait_on_429=False))
    services = Services(settings=settings, db=db, slack=slack, clock=clock)
    if metrics:
        from bot.platform.metrics import Metrics  # prometheus_client: not for a cron tick

        services.metrics = Metrics(services.db, services.now)
    return services


@cache
def card_renderers() -> CardRenderers:
    """Every card's renderer (handlers/blocks), imported the first time a message is sent."""
    from handlers.blocks import RENDERERS

    return RENDERERS
