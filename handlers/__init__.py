"""Slack listeners and Block Kit views; `register_handlers(app)` wires them all."""

from slack_bolt import App

from handlers import actions, commands, errors, events, shortcuts, views


def register_handlers(app: App) -> None:
    """Register every listener and the error funnel on a Bolt app."""
    errors.register(app)
    commands.register(app)
    shortcuts.register(app)
    views.register(app)
    actions.register(app)
    events.register(app)
