"""Block action listeners (buttons on messages)."""

from slack_bolt import App

from handlers.actions import complaint, dispute, meetings, surveys, thirdparty


def register(app: App) -> None:
    """Register every block action."""
    surveys.register(app)
    complaint.register(app)
    meetings.register(app)
    dispute.register(app)
    thirdparty.register(app)
