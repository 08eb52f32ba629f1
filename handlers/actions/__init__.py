"""Block action listeners (buttons on messages), one module (or package) per domain."""

from slack_bolt import App

from handlers.actions import care, report, rhythm, suppliers, thirdparty


def register(app: App) -> None:
    """Register every block action."""
    for domain in (care, rhythm, suppliers, thirdparty, report):
        domain.register(app)
