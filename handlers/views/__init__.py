"""Modal submission listeners, one module (or package) per domain; reading submitted modals lives here."""

from slack_bolt import App

from handlers.views import care, report, rhythm, suppliers, thirdparty


def register(app: App) -> None:
    """Register every modal callback."""
    for domain in (care, suppliers, rhythm, thirdparty, report):
        domain.register(app)
