"""app.yaml is the single source of truth: it lists exactly what the code listens for and calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handlers.ids import Command, Event, Shortcut
from tests.expect import ephemeral_to

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "app.yaml").read_text())

# The bot scopes each Web API method needs (https://api.slack.com/methods). A method the code calls
# that is missing here fails the test, so a new call cannot ship without its scope.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth_test": set(),
    "chat_postMessage": {"chat:write", "chat:write.public"},  # .public: post where the bot is not a member
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    "chat_getPermalink": set(),
    "conversations_open": {"im:write"},
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_members": {"channels:read", "groups:read"},
    "conversations_replies": {"channels:history", "groups:history"},
    "users_info": {"users:read"},
    "usergroups_users_list": {"usergroups:read"},
    "views_open": set(),
    "views_push": set(),
    "views_update": set(),
    "views_publish": set(),
    "files_upload_v2": {"files:write"},
    "files_getUploadURLExternal": {"files:write"},
    "files_completeUploadExternal": {"files:write"},
    "files_info": {"files:read"},
}
# The bot scopes each event subscription needs; a subscription's event type is its name up to the dot
# (message.channels and message.groups both deliver `message` events).
EVENT_SCOPES: dict[str, set[str]] = {
    "app_home_opened": set(),
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "reaction_added": {"reactions:read"},
    "user_change": {"users:read"},
}
# Listeners' `client`, and the Slack port's `_client` (look-ups) and `_send_client` (the outbox's sends).
CALL = re.compile(r"\b_?(?:send_)?client\.([a-z]+_[A-Za-z_]+)\(")


def web_api_calls() -> set[str]:
    """Every WebClient method called from the product code."""
    calls: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            calls.update(CALL.findall(path.read_text()))
    return calls


def test_commands_in_the_manifest_are_exactly_the_commands_in_code():
    listed = {entry["command"] for entry in MANIFEST["features"].get("slash_commands", [])}
    assert listed == {command.value for command in Command}
    assert all(entry.get("should_escape") is True for entry in MANIFEST["features"]["slash_commands"])


def test_shortcuts_in_the_manifest_are_exactly_the_shortcuts_in_code():
    listed = {entry["callback_id"] for entry in MANIFEST["features"].get("shortcuts", [])}
    assert listed == {shortcut.value for shortcut in Shortcut}


def test_events_in_the_manifest_are_exactly_the_events_in_code():
    subscriptions = MANIFEST["settings"].get("event_subscriptions", {})
    assert {name.split(".")[0] for name in subscriptions.get("bot_events", [])} == {event.value for event in Event}


def test_scopes_are_exactly_those_the_code_needs():
    calls = web_api_calls()
    unknown = calls - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {sorted(unknown)} to METHOD_SCOPES and app.yaml"
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    needed = {"commands"}.union(*(METHOD_SCOPES[call] for call in calls), *(EVENT_SCOPES[name] for name in events))
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


@pytest.mark.parametrize("command", list(Command))
def test_every_command_has_a_listener_that_answers_help(sqlite_world, command):
    response = sqlite_world.slack.command("U0ALICE", "#general", command.value, "help")
    assert response.status == 200
    assert ephemeral_to(sqlite_world, "U0ALICE")


@pytest.mark.parametrize("shortcut", list(Shortcut))
def test_every_shortcut_has_a_listener(sqlite_world, shortcut):
    sqlite_world.slack.say("U0ALICE", "#general", "a message to act on")
    response = sqlite_world.slack.message_shortcut("U0ALICE", "#general", shortcut.value)
    assert response.status == 200
