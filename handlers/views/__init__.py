"""Modal submission listeners."""

from slack_bolt import App

from handlers.views import praise


def register(app: App) -> None:
    """Register every modal callback."""
    praise.register(app)
