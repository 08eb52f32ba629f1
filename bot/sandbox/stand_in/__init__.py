"""A local stand-in for Slack shared by tests, benchmarks and `rapport sandbox`.

`SlackStandIn` (web_api.py) serves the Web API (point slack_sdk at `stand_in.api_url`): its methods
are in methods.py and views.py, and what the app did is kept in a `Transcript` (transcript.py).
`SlackDriver` (driver.py, payloads.py) plays Slack towards the app with signed requests. Block Kit is
checked against Slack's rules in blockkit.py and shown as a person reads it by readable.py.
"""

from .blockkit import validate_message_blocks, validate_view
from .driver import DriverResponse, SlackDriver
from .readable import render_blocks
from .transcript import FoundElement, Transcript
from .web_api import SlackStandIn
from .workspace import (
    APP_ID,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    HOME_TEAM_ID,
    Channel,
    Team,
    User,
    Usergroup,
    Workspace,
    default_workspace,
)

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_TOKEN",
    "BOT_USER_ID",
    "HOME_TEAM_ID",
    "Channel",
    "DriverResponse",
    "FoundElement",
    "SlackDriver",
    "SlackStandIn",
    "Team",
    "Transcript",
    "User",
    "Usergroup",
    "Workspace",
    "default_workspace",
    "render_blocks",
    "validate_message_blocks",
    "validate_view",
]
