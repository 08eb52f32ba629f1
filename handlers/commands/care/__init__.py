"""Customer care commands: /praise, /contact, /complaint, /survey, /service, /need."""

from slack_bolt import App

from handlers.commands.care import campaign, complaint, contact, needs, praise, services_added


def register(app: App) -> None:
    """Register the customer care commands."""
    for module in (campaign, praise, contact, complaint, services_added, needs):
        module.register(app)
