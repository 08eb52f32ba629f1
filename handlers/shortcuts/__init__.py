"""Message and global shortcut listeners."""

from slack_bolt import App

from handlers.shortcuts import praise


def register(app: App) -> None:
    """Register every shortcut."""
    praise.register(app)
