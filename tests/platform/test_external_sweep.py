"""The external sweep: every command, shortcut and button as a customer's guest and from a shared channel.

Generated from app.yaml (commands, shortcuts) and handlers/ids.py (every action id, with the suffixes of the
prefixed ones), so a new surface is swept without being listed here. Internal matter (complaints, SLA clocks,
scores, disputes, digests, reports, audits) must never be shown to an external user nor posted in a shared channel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from handlers.ids import Action, Command, Shortcut
from storage.platform.audit import AuditLog
from tests.expect import full_text, last_ephemeral_text

ERIN, ALICE = "U0ERIN", "U0ALICE"  # Erin is Acme's guest (Slack Connect); Alice is one of ours
SHARED = "C0ACMESHR"
MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "app.yaml").read_text())
COMMANDS = sorted({c["command"] for c in MANIFEST["features"]["slash_commands"]} | {c.value for c in Command})
SHORTCUTS = sorted({s["callback_id"] for s in MANIFEST["features"]["shortcuts"]} | {s.value for s in Shortcut})
PREFIXED = {Action.SURVEY_SCORE: ["_1", "_5"], Action.MEETING_SNOOZE: ["_30m", "_1h", "_1d"],
            Action.CAMPAIGN_SCORE: ["_0", "_10"],
            Action.COORDINATION_TWIN_STATUS: ["_investigating", "_fixed", "_cleared"],
            Action.NEED_STATUS: ["_analysed"]}
ACTIONS = sorted(f"{a.value}{suffix}" for a in Action for suffix in PREFIXED.get(a, [""]))
TEXTS = ["", "help", "list", "1", "#1", "Acme Corp", "Acme Corp: the portal is down again !critical", "top week",
         "digest", "config", "requests", "cold", "done 1", "cancel 1", "set Acme Corp tier key", "link Acme Corp"]
VALUES = ["1", "1:3", "1:day:0", "1:1"]
# What only the team may see: the complaint's words and numbers, SLA clocks, scores, disputes, digests, audits.
INTERNAL = ("complaint #", "portal is down", "sla", "breach", "acknowledge by", "dispute #", "scorecard",
            "digest", "audit", "escalat", "overdue", "🔴", "low score", "complaints")


def internal_matter(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in INTERNAL if word in lowered]


def setup(world: World) -> None:
    """Acme Corp linked to its shared channel, with a complaint logged: internal matter to leak."""
    for text, where in (("add Acme Corp customer", "#general"), ("link Acme Corp", "#acme-shared"),
                        ("set Acme Corp channel #acme-internal", "#general")):
        seen = len(world.stand_in.ephemerals(user=ALICE))
        world.slack.command(ALICE, where, "/account", text)
        last_ephemeral_text(world, ALICE, count=seen + 1)  # each answered before the next, so they apply in order
    world.slack.command(ALICE, "#general", "/complaint", "Acme Corp: the portal is down again !critical")
    world.stand_in.wait_for(lambda: world.stand_in.messages("C0ACMEINT"))


def audit_rows(world: World) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog)).one()


def shared_posts(world: World) -> list[dict[str, Any]]:
    return [m for m in world.stand_in.messages(SHARED) if m.get("bot_id")]


def shown_to(world: World, user: str) -> str:
    """Everything Rapport showed a person: ephemerals, DMs, modals and their Home tab."""
    shown = [full_text(m) for m in world.stand_in.ephemerals(user=user) + world.stand_in.dm_messages(user)]
    shown += [json.dumps(v, ensure_ascii=False) for v in world.stand_in.views(user)]
    home = world.stand_in.home(user)
    return "\n".join(shown) + (json.dumps(home, ensure_ascii=False) if home else "")


def replies(world: World, user: str) -> int:
    """Answers a person has had: ephemeral replies, and forms of their own (*Report a problem* opens one)."""
    return len(world.stand_in.ephemerals(user=user)) + len(world.stand_in.views(user))


def answered(world: World, user: str, seen: int) -> None:
    """Wait until the person has had one more answer (the polite refusal, a survey's own answer, a form)."""
    world.stand_in.wait_for(lambda: replies(world, user) > seen)


def click(world: World, user: str, action_id: str, value: str) -> Any:
    """Press a button with this action id and value on a message in the shared channel, as Slack sends it."""
    payload = {"type": "block_actions", **world.slack._common(user),
               "trigger_id": world.stand_in.issue_trigger_id(user),
               "container": {"type": "message", "channel_id": SHARED, "message_ts": "1700000000.000100"},
               "channel": {"id": SHARED, "name": "acme-shared"},
               "message": {"ts": "1700000000.000100", "text": "", "blocks": []},
               "response_url": world.stand_in.issue_response_url(user=user, channel=SHARED),
               "actions": [{"type": "button", "action_id": action_id, "block_id": "sweep", "value": value,
                            "action_ts": "1700000001.000100"}]}
    return world.slack._post_payload(payload)


def test_an_external_user_sees_nothing_internal_on_any_surface(sqlite_world):
    world = sqlite_world
    setup(world)
    before_posts, before_audit = len(shared_posts(world)), audit_rows(world)
    for command in COMMANDS:
        for text in TEXTS:
            seen = replies(world, ERIN)
            response = world.slack.command(ERIN, "#acme-shared", command, text)
            assert response.status == 200, (command, text)
            answered(world, ERIN, seen)
    world.slack.say(ERIN, "#acme-shared", "The portal is slow again, thanks to <@U0ALICE> for the help")
    message_ts = world.stand_in.messages(SHARED)[-1]["ts"]
    for callback_id in SHORTCUTS:
        seen = replies(world, ERIN)
        assert world.slack.message_shortcut(ERIN, "#acme-shared", callback_id, message_ts).status == 200
        answered(world, ERIN, seen)
    pressed = 0
    for action_id in ACTIONS:
        for value in VALUES:
            seen = replies(world, ERIN)
            response = click(world, ERIN, action_id, value)
            if response.status == 404 and "unhandled" in response.text:
                break  # an input inside a modal, not a button: no listener of its own
            assert response.status == 200, action_id
            answered(world, ERIN, seen)
            pressed += 1
    assert pressed >= 4 * 10  # the buttons are really swept
    world.slack.app_home_opened(ERIN)
    world.stand_in.wait_for(lambda: world.stand_in.home(ERIN))
    assert internal_matter(shown_to(world, ALICE))  # the detector sees what the team was shown
    assert internal_matter(shown_to(world, ERIN)) == []
    assert len(shared_posts(world)) == before_posts and audit_rows(world) == before_audit


def test_nothing_internal_is_posted_in_a_shared_channel_whoever_acts_there(sqlite_world):
    world = sqlite_world
    setup(world)
    for command in COMMANDS:
        for text in TEXTS:
            seen = len(world.stand_in.ephemerals(user=ALICE))
            world.slack.command(ALICE, "#acme-shared", command, text)
            world.stand_in.wait_for(lambda seen=seen: len(world.stand_in.ephemerals(user=ALICE)) > seen
                                    or len(world.stand_in.views(ALICE)) > 0)
    world.tick()
    for post in shared_posts(world):
        assert internal_matter(full_text(post)) == [], full_text(post)
