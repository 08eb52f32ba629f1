"""The customer's *Report a problem* form. External users may submit it (no internal_only): it can only log a
complaint on the account the channel is linked to, and it tells the customer nothing internal.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaints import MAX_SUMMARY
from bot.care.report_problem import Urgency, report_problem
from bot.platform.errors import RapportError
from bot.platform.i18n import _
from handlers.context import actor_of, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_value


def register(app: App) -> None:
    """Listen for the Report a problem form."""
    app.view(View.REPORT_PROBLEM)(handle_report_problem_submission)


def handle_report_problem_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                     client: WebClient) -> None:
    """Log the report as a complaint; an empty or over-long description is refused in the form."""
    what = str(input_value(view, Block.PROBLEM_WHAT)).strip()
    if not what or len(what) > MAX_SUMMARY:
        problem = _("Tell us in a few words what happened.") if not what else _(
            "Please keep it under {limit} characters.").format(limit=MAX_SUMMARY)
        ack(response_action="errors", errors={Block.PROBLEM_WHAT: problem})
        return
    ack()
    services = services_of(context)
    channel_id = view.get("private_metadata") or ""
    urgency = Urgency(input_value(view, Block.PROBLEM_URGENCY) or Urgency.SOON)
    where = {**body, "channel": {"id": channel_id}}
    try:
        with services.db.session() as session:
            reported = report_problem(session, channel_id=channel_id, reporter_id=actor_of(context).id, what=what,
                                      urgency=urgency, now=services.now(),
                                      policy=ComplaintPolicy.from_settings(services.settings),
                                      is_shared=services.slack.is_shared_channel)
    except RapportError:
        # The customer sees nothing internal, not even why it failed; the error is in the log for us.
        reply(where, client, _("Sorry, your report couldn't be recorded. Please write in this channel instead and "
                               "we'll pick it up."))
        raise
    services.deliver(keys=reported.keys)
