"""Customer care modals: praise receivers, survey comments, complaints."""

from slack_bolt import App

from handlers.views.care import (
    campaigns,
    complaint,
    needs,
    praise,
    praise_followups,
    report_problem,
    services_added,
    surveys,
)


def register(app: App) -> None:
    """Register the customer care modal callbacks."""
    for module in (praise_followups, campaigns, praise, surveys, complaint, report_problem, services_added,
                   needs):
        module.register(app)
