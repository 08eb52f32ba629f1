"""Block action listeners (buttons on messages), one module (or package) per domain."""

from slack_bolt import App

from handlers.actions import care, report, rhythm, risks, suppliers, thirdparty


def register(app: App) -> None:
    """Register every block action."""
    for domain in (care, rhythm, suppliers, thirdparty, report, risks):
        domain.register(app)
