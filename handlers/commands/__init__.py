"""Slash command listeners."""

from slack_bolt import App

from handlers.commands import account, complaint, contact, dispute, meeting, praise, rapport, supplier, thirdparty


def register(app: App) -> None:
    """Register every slash command."""
    for module in (praise, account, rapport, contact, complaint, supplier, meeting, dispute, thirdparty):
        module.register(app)
