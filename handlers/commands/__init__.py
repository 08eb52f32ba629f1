"""Slash command listeners, one module (or package) per domain."""

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.platform.command_words import to_english
from handlers.commands import accounts, care, platform, rhythm, suppliers, thirdparty


def register(app: App) -> None:
    """Register every slash command, each reading its Chinese command words too."""
    app.use(read_chinese_command_words)
    for domain in (care, accounts, platform, suppliers, rhythm, thirdparty):
        domain.register(app)


def read_chinese_command_words(body: dict[str, Any], next: Callable[[], Any]) -> Any:
    """Global middleware: a slash command's Chinese subcommand words (`/complaint 列表`) become English ones."""
    # Bolt hands listeners this same body as `command`, so every grammar reads the English form.
    if isinstance(body.get("command"), str) and isinstance(body.get("text"), str):
        body["text"] = to_english(body["command"], body["text"])
    return next()
