"""Customer care buttons: complaint cards and survey cards."""

from slack_bolt import App

from handlers.actions.care import campaigns, complaint, needs, praise, report_problem, services_added, surveys


def register(app: App) -> None:
    """Register the customer care buttons."""
    for module in (praise, campaigns, surveys, complaint, report_problem, services_added, needs):
        module.register(app)
