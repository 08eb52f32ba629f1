"""Message and global shortcut listeners, one package per domain."""

from slack_bolt import App

from handlers.shortcuts import care


def register(app: App) -> None:
    """Register every shortcut."""
    care.register(app)
