"""Slash command listeners, one module (or package) per domain."""

from slack_bolt import App

from handlers.commands import accounts, care, platform, rhythm, suppliers, thirdparty


def register(app: App) -> None:
    """Register every slash command."""
    for domain in (care, accounts, platform, suppliers, rhythm, thirdparty):
        domain.register(app)
