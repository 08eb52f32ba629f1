"""Slash command listeners."""

from slack_bolt import App

from handlers.commands import account, complaint, contact, praise, rapport


def register(app: App) -> None:
    """Register every slash command."""
    for module in (praise, account, rapport, contact, complaint):
        module.register(app)
