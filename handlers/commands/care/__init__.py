"""Customer care commands: /praise, /contact, /complaint."""

from slack_bolt import App

from handlers.commands.care import campaign, complaint, contact, praise


def register(app: App) -> None:
    """Register the customer care commands."""
    for module in (campaign, praise, contact, complaint):
        module.register(app)
