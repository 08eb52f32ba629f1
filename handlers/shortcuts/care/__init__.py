"""Customer care shortcuts on messages: Log praise, Log contact, Ask for feedback, Log complaint, Log need; message.py
reads the message a shortcut was used on."""

from slack_bolt import App

from handlers.shortcuts.care import complaint, contact, needs, praise, surveys


def register(app: App) -> None:
    """Register the customer care shortcuts."""
    for module in (praise, contact, surveys, complaint, needs):
        module.register(app)
