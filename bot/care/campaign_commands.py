"""What `/survey` text says: a new open survey (the modal), the list, results, an answer taken elsewhere, help."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.platform.arguments import parse_id
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from storage.care.campaigns import AnswerChannel

RECORD_EXAMPLE = "/survey record 3 phone Acme Corp: 9; 4; Shanghai; quick answers"
CHANNEL_WORDS = {"phone": AnswerChannel.PHONE, "call": AnswerChannel.PHONE, "电话": AnswerChannel.PHONE,
                 "visit": AnswerChannel.VISIT, "走访": AnswerChannel.VISIT, "拜访": AnswerChannel.VISIT,
                 "web": AnswerChannel.WEB, "website": AnswerChannel.WEB, "网站": AnswerChannel.WEB}


@dataclass(frozen=True)
class NewCampaign:
    """`/survey new`: the modal."""


@dataclass(frozen=True)
class ListCampaigns:
    """`/survey list`."""


@dataclass(frozen=True)
class ShowResults:
    """`/survey results <id>`."""

    campaign_id: int


@dataclass(frozen=True)
class RecordAnswers:
    """`/survey record <id> <phone|visit|web> <account>: <answer>; <answer>; …`."""

    campaign_id: int
    channel: AnswerChannel
    account: str
    answers: list[str]


@dataclass(frozen=True)
class CampaignHelp:
    """`/survey help` (or nothing)."""


SurveyCommand = NewCampaign | ListCampaigns | ShowResults | RecordAnswers | CampaignHelp


def parse_survey_command(text: str) -> SurveyCommand:
    """Read `/survey …`; InvalidInput saying what to type when it cannot be read."""
    words = html.unescape(text or "").strip()
    head, _sep, rest = words.partition(" ")
    verb = head.lower()
    if verb in ("", "help", "帮助"):
        return CampaignHelp()
    if verb in ("new", "新建"):
        return NewCampaign()
    if verb in ("list", "列表"):
        return ListCampaigns()
    if verb in ("results", "result", "结果"):
        campaign_id = parse_id(rest)
        if campaign_id is None:
            raise InvalidInput(_("Which survey? `/survey results 3` (see `/survey list`)."))
        return ShowResults(campaign_id)
    if verb in ("record", "记录"):
        return _record(rest)
    raise InvalidInput(_("`/survey {word}` isn't something I know. Try `/survey new`, `/survey list`, "
                         "`/survey results <id>` or `/survey help`.").format(word=head[:40]))


def _record(text: str) -> RecordAnswers:
    number, _sep, rest = text.strip().partition(" ")
    channel_word, _sep, rest = rest.strip().partition(" ")
    account, colon, answers = rest.replace("：", ":").partition(":")
    campaign_id = parse_id(number)
    channel = CHANNEL_WORDS.get(channel_word.lower())
    if campaign_id is None or channel is None or not colon or not account.strip():
        raise InvalidInput(_("Record an answer taken by phone, on a visit or from a web form like this, answers in "
                             "question order, `-` to skip one: `{example}`").format(example=RECORD_EXAMPLE))
    return RecordAnswers(campaign_id, channel, account.strip(), [a.strip() for a in answers.split(";")])
