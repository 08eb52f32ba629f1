"""Supplier commands: /supplier and /dispute."""

from slack_bolt import App

from handlers.commands.suppliers import dispute, supplier


def register(app: App) -> None:
    """Register the supplier commands."""
    for module in (supplier, dispute):
        module.register(app)
