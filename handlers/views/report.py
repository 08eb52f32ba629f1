"""Edit and submit, submitted: the report is marked submitted, its versions go to the owner's DM, and the customer
version to the shared channel only when chosen."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.errors import FormErrors, RapportError
from bot.platform.i18n import language_of, speaking
from bot.platform.outbox import DeliveryError
from bot.platform.services import Services
from bot.report.files import report_files
from bot.report.markdown import report_title
from bot.report.submission import ReportEntry, SubmittedReport, record_files, submit_draft
from handlers.blocks.report.drafts import build_files_not_sent, build_report_submitted, report_block
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import View
from handlers.views.state import input_text, input_value, metadata, metadata_id


def register(app: App) -> None:
    """Listen for the Edit and submit modal."""
    app.view(View.REPORT_EDIT, middleware=[internal_only])(handle_report_submission)


def read_entry(view: dict[str, Any]) -> ReportEntry:
    """The modal's fields, as submitted."""
    sections = input_value(view, report_block("sections"))
    preset = input_value(view, report_block("preset"))
    return ReportEntry(key_issues=input_text(view, report_block("key_issues")),
                       sections=tuple(str(key) for key in sections) if isinstance(sections, list) else (),
                       preset=preset if isinstance(preset, str) else "",
                       save_as=input_text(view, report_block("save_as")),
                       post="on" in (input_value(view, report_block("post")) or []))


def handle_report_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                             client: WebClient) -> None:
    """Submit the report (errors shown on their field), close the modal, send the files, say what was done."""
    services = services_of(context)
    report_id = metadata_id(metadata(view), "report_id")
    try:
        with services.db.session() as session:
            done = submit_draft(session, report_id=report_id, entry=read_entry(view), actor_id=actor_of(context).id,
                                now=services.now(), settings=services.settings)
    except FormErrors as problem:
        ack(response_action="errors", errors={report_block(name): text for name, text in problem.fields.items()})
        return
    except RapportError as error:
        ack(response_action="errors", errors={report_block("key_issues"): error.message})
        return
    ack()
    services.deliver(keys=done.keys)
    text, blocks = build_report_submitted(done)
    try:
        share_files(services, done, actor_id=actor_of(context).id)
    except (DeliveryError, RapportError) as problem:  # submitted all the same: say how to get the files
        text, blocks = build_files_not_sent(done, str(problem))
    reply({**body, "channel": {"id": actor_of(context).id}}, client, text, blocks)


def share_files(services: Services, done: SubmittedReport, *, actor_id: str) -> None:
    """The internal version and the customer PDF to the owner's DM; the customer PDF to the shared channel when
    chosen (it holds only the chosen shareable sections); what was uploaded is kept on the report."""
    slack = services.slack
    internal = report_files(done.internal, charts=False)
    with speaking(language_of(done.account.language, fallback=services.settings.rapport_language)):
        customer = report_files(done.customer, customer=True, charts=False)[:1]
        customer_title = report_title(done.customer)
    sent = [{"version": "internal", **item} for item in slack.upload_files(
        slack.open_dm(done.owner), internal + customer, comment=report_title(done.internal))]
    if done.channel:
        sent += [{"version": "customer", **item} for item in slack.upload_files(done.channel, customer,
                                                                                 comment=customer_title)]
    with services.db.session() as session:
        record_files(session, report_id=done.report_id, files=sent, actor_id=actor_id, now=services.now())
