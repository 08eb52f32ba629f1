"""`/rapport report <account> [period]`: build the service report now and send its files to the asker's DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.report.files import report_files, sent_summary
from bot.report.markdown import report_title
from bot.report.on_demand import report_on_demand
from handlers.context import actor_of, services_of


def send_report(context: BoltContext, text: str) -> tuple[str, list[dict[str, Any]]]:
    """Build the report (internal version, in the asker's language), upload its files to their DM, say what was
    sent. A RapportError (unknown account, unreadable period) becomes the reply, and nothing is sent."""
    services, actor = services_of(context), actor_of(context)
    with services.db.session(read_only=True) as session:
        report = report_on_demand(session, text=text, settings=services.settings, now=services.now())
    files = report_files(report)
    services.slack.upload_files(services.slack.open_dm(actor.id), files, comment=report_title(report))
    summary = sent_summary(report, files)
    return summary, [{"type": "section", "text": {"type": "mrkdwn", "text": summary}}]
