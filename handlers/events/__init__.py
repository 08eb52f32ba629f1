"""Events API listeners."""

from slack_bolt import App

from handlers.events import home


def register(app: App) -> None:
    """Register every event listener."""
    home.register(app)
