"""user_change: a person changed their profile (time zone, language), so Rapport forgets what it knew."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import App, BoltContext

from bot.platform.slack import user_from_slack
from handlers.context import services_of
from handlers.ids import Event


def register(app: App) -> None:
    """Listen for user_change (Bolt acks events before the listener runs)."""
    app.event(Event.USER_CHANGE)(handle_user_change)


def handle_user_change(event: dict[str, Any], context: BoltContext) -> None:
    """Keep the person's new time zone and language; without a locale in the event, look them up next time."""
    profile = event.get("user")
    if not isinstance(profile, dict) or not profile.get("id"):
        return
    people = services_of(context).slack.people
    changed = user_from_slack(profile)
    if changed.locale:
        people.remember(changed)
        return
    # Slack's user_change carries the time zone but not always the locale: keep the new time zone with the
    # language last known, marked for users.info to tell both again at the next look-up (in every process).
    last = people.last(changed.id)
    people.remember(replace(changed, locale=last.locale if last else None), stale=True)
