"""Modal submission listeners."""

from slack_bolt import App

from handlers.views import complaint, dispute, meetings, praise, suppliers, surveys, thirdparty


def register(app: App) -> None:
    """Register every modal callback."""
    praise.register(app)
    surveys.register(app)
    complaint.register(app)
    suppliers.register(app)
    meetings.register(app)
    dispute.register(app)
    thirdparty.register(app)
