"""Message and global shortcut listeners."""

from slack_bolt import App

from handlers.shortcuts import complaint, contact, praise, surveys


def register(app: App) -> None:
    """Register every shortcut."""
    praise.register(app)
    contact.register(app)
    surveys.register(app)
    complaint.register(app)
