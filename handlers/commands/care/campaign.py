"""/survey: open surveys (公开调查) — a new one (modal), the list, results with a chart and a CSV, answers
taken elsewhere, help. Internal only; results never go to a shared channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.care.campaign_answers import record_elsewhere
from bot.care.campaign_commands import (
    CampaignHelp,
    ListCampaigns,
    NewCampaign,
    RecordAnswers,
    ShowResults,
    parse_survey_command,
)
from bot.care.campaign_results import campaign_results, results_chart, results_csv
from bot.care.campaigns import require_campaign
from bot.platform.cards import UploadFile
from bot.platform.i18n import _
from bot.platform.services import Services
from handlers.blocks.care.campaigns import (
    build_campaign_list,
    build_new_campaign_modal,
    build_recorded,
    build_results,
)
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command
from storage.care import campaigns as store


def register(app: App) -> None:
    """Listen for /survey."""
    app.command(Command.SURVEY, middleware=[internal_only])(handle_survey_command)


def handle_survey_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                          client: WebClient) -> None:
    """Route `/survey …`."""
    ack()
    services = services_of(context)
    user_id = actor_of(context).id
    match parse_survey_command(command.get("text", "")):
        case CampaignHelp():
            text, blocks = build_help(Command.SURVEY)
        case NewCampaign():
            modal = build_new_campaign_modal(command.get("channel_id"))
            client.views_open(trigger_id=command["trigger_id"], view=modal)
            return
        case ListCampaigns():
            with services.db.session() as session:
                text, blocks = build_campaign_list(store.list_campaigns(session), services.settings.zone)
        case ShowResults(campaign_id=campaign_id):
            send_results(services, client, respond, user_id=user_id, channel_id=command.get("channel_id") or "",
                         campaign_id=campaign_id)
            return
        case RecordAnswers(campaign_id=campaign_id, channel=channel, account=account, answers=answers):
            with services.db.session() as session:
                keys = record_elsewhere(session, campaign_id=campaign_id, account_name=account, channel=channel,
                                        answers=answers, actor_id=user_id, now=services.now(),
                                        managers=services.settings.rapport_managers)
            services.deliver(keys=keys)
            text, blocks = build_recorded(campaign_id, account, channel.value)
    respond(text=text, blocks=blocks)


def send_results(services: Services, client: WebClient, respond: Respond, *, user_id: str, channel_id: str,
                 campaign_id: int) -> None:
    """The results to the person who asked (ephemeral, or by DM when asked in a shared channel); the chart and
    the CSV by DM, never in a shared channel."""
    with services.db.session() as session:
        campaign = require_campaign(session, campaign_id)
        results = campaign_results(session, campaign)
        table = results_csv(session, campaign)
    text, blocks = build_results(results)
    chart = results_chart(results)
    shared = not channel_id.startswith("D") and services.slack.is_shared_channel(channel_id)
    if shared:
        respond(text=_("Survey results are internal, so I've sent them to you by direct message."))
        client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    else:
        respond(text=text, blocks=blocks)
    files = [UploadFile(f"survey-{campaign_id}.csv", table, _("Survey #{id}: answers").format(id=campaign_id),
                        _("One row per answer"))]
    if chart:
        files.append(UploadFile(f"survey-{campaign_id}.png", chart,
                                _("Survey #{id}: distributions").format(id=campaign_id),
                                _("Bar charts of the answers to each question")))
    services.slack.upload_files(services.slack.open_dm(user_id), files,
                                comment=_("Survey #{id} “{title}”: the answers (CSV) and their chart.").format(
                                    id=campaign_id, title=campaign.title))
