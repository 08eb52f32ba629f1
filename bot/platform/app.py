"""Assembly: Rapport's Bolt app on its services (bot.platform.assemble builds those)."""

from __future__ import annotations

import gc
import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App

from bot.platform import i18n
from bot.platform.assemble import SERVER_THREADS
from bot.platform.services import Services
from bot.platform.slack import make_client
from handlers import register_handlers
from handlers.context import SpeakingExecutor, make_context_middleware
from handlers.errors import mark_signed

# Bolt runs a listener's ack() and the work after it as one task on this pool (5 threads by
# default), so a burst of requests waited for a free thread before they could even ack. The work
# after the ack is now short (one transaction; delivery runs on the process's delivery worker), so
# one listener thread per server thread keeps acks flowing (bench/praise_ack.py).
LISTENER_THREADS = SERVER_THREADS
FULL_COLLECTION_EVERY = 100  # middle-generation collections between full ones (Python's default: 10)


def listener_pool() -> ThreadPoolExecutor:
    """The threads Bolt runs listeners on after their ack."""
    return ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="rapport-listener")


def create_app(services: Services, *, listener_executor: Executor | None = None) -> App:
    """The Bolt app with every listener, the error funnel and the context middleware.

    `listener_executor` runs each listener's work after its ack (default: `listener_pool()`). Starts the
    services' delivery worker: from then on messages are sent there, not on the listener threads.
    """
    i18n.activate(services.settings.rapport_language)
    settings = services.settings
    app = App(
        # Listeners get a client of their own: the Slack port keeps its client to the few calls domain code makes.
        client=make_client(settings.slack_bot_token, settings.slack_api_url),
        signing_secret=settings.slack_signing_secret or "",
        logger=logging.getLogger("rapport.bolt"),
        # Our own listeners ack at once and do the work afterwards (SPEC §3: ack within 3 s).
        process_before_response=False,
        listener_executor=SpeakingExecutor(listener_executor or listener_pool(), services),
    )
    services.start_delivery_worker()
    app.use(mark_signed)  # first: the error funnel answers only requests that got this far
    app.use(make_context_middleware(services))
    register_handlers(app)
    warn_about_calendar_gaps(services)
    return app


def warn_about_calendar_gaps(services: Services) -> None:
    """Say in the logs when the holiday calendar lacks official data, rather than guess silently."""
    gaps = services.calendar_gaps()
    if gaps:
        logging.getLogger("rapport").warning(
            "holiday calendar %s has no official data for %s yet: make-up working days are unknown there",
            services.settings.rapport_country, ", ".join(map(str, gaps)),
        )


def freeze_startup_heap() -> None:
    """Take what start-up built (modules, settings, the app) out of the garbage collector's rounds."""
    # A full collection walks every live object, and imports leave ~120k of them that live as long as
    # the process; each full collection then stopped every thread, acks included, for 60-200 ms on
    # two cores (bench/praise_ack.py). Frozen objects are still freed by reference counting.
    gc.collect()
    gc.freeze()
    # What lives on after start-up (caches, pooled connections, the sandbox's transcript) still makes each
    # full collection 60-140 ms under /praise load; one full collection every 100 middle-aged ones instead of
    # every 10 took the slowest requests from 1.08-1.58x to 1.01-1.33x the bare app's (issue 10). Cyclic garbage
    # is still collected, only less often; the young generations are untouched.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
