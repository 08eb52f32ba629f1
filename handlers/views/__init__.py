"""Modal submission listeners, one module (or package) per domain; reading submitted modals lives here."""

from slack_bolt import App

from handlers.views import care, rhythm, suppliers, thirdparty


def register(app: App) -> None:
    """Register every modal callback."""
    for domain in (care, suppliers, rhythm, thirdparty):
        domain.register(app)
