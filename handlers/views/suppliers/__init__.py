"""Supplier modals: evaluation, audit, contract, dispute, outage notes and closing."""

from slack_bolt import App

from handlers.views.suppliers import coordination, dispute, supplier


def register(app: App) -> None:
    """Register the supplier modal callbacks."""
    for module in (supplier, dispute, coordination):
        module.register(app)
