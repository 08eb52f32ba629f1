"""Events API listeners, one module per domain."""

from slack_bolt import App

from handlers.events import overview, people


def register(app: App) -> None:
    """Register every event listener."""
    overview.register(app)
    people.register(app)
