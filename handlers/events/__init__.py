"""Events API listeners, one module per domain."""

from slack_bolt import App

from handlers.events import care, overview, people


def register(app: App) -> None:
    """Register every event listener."""
    care.register(app)
    overview.register(app)
    people.register(app)
