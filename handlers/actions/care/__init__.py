"""Customer care buttons: complaint cards and survey cards."""

from slack_bolt import App

from handlers.actions.care import campaigns, complaint, praise, surveys


def register(app: App) -> None:
    """Register the customer care buttons."""
    for module in (praise, campaigns, surveys, complaint):
        module.register(app)
