"""Supplier modals: evaluation, audit, contract, dispute."""

from slack_bolt import App

from handlers.views.suppliers import dispute, supplier


def register(app: App) -> None:
    """Register the supplier modal callbacks."""
    for module in (supplier, dispute):
        module.register(app)
