"""The people, channels and user groups the Slack stand-in knows about."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

HOME_TEAM_ID = "T0HOME"
HOME_TEAM_DOMAIN = "rapport-demo"
HOME_TEAM_NAME = "Rapport Demo"
BOT_USER_ID = "U0RAPPORT"
BOT_ID = "B0RAPPORT"
BOT_TOKEN = "xoxb-stand-in"
APP_ID = "A0RAPPORT"

# A fixed instant for tz_offset, so users.info answers the same whatever day the tests run.
_OFFSET_REFERENCE = datetime(2025, 11, 27, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Team:
    """A Slack workspace: the home team or a Slack Connect partner."""

    id: str
    domain: str
    name: str


@dataclass
class User:
    """A member as users.info describes them."""

    id: str
    name: str
    real_name: str
    team_id: str = HOME_TEAM_ID
    tz: str = "UTC"
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    title: str = ""
    locale: str = "en-US"

    def to_slack(self, *, include_locale: bool = False) -> dict[str, Any]:
        """Return the `user` object exactly as users.info shapes it (`locale` only when asked for)."""
        zone = ZoneInfo(self.tz)
        offset = _OFFSET_REFERENCE.astimezone(zone).utcoffset()
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": _tz_label(zone),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "profile": {
                "title": self.title,
                "display_name": self.name,
                "real_name": self.real_name,
                "real_name_normalized": self.real_name,
                "display_name_normalized": self.name,
                "team": self.team_id,
                **({"bot_id": BOT_ID} if self.id == BOT_USER_ID else {}),
            },
            **({"locale": self.locale} if include_locale else {}),
        }


@dataclass
class Channel:
    """A public channel, private channel or the app's DM with one user."""

    id: str
    name: str
    members: list[str] = field(default_factory=list)
    is_private: bool = False
    is_ext_shared: bool = False
    is_im: bool = False
    dm_user: str | None = None
    topic: str = ""
    created: int = 1764230400

    def to_slack(self) -> dict[str, Any]:
        """Return the `channel` object as conversations.info shapes it."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.dm_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": False,
            "is_general": self.name == "general",
            "is_shared": self.is_ext_shared,
            "is_ext_shared": self.is_ext_shared,
            "is_org_shared": False,
            "is_member": BOT_USER_ID in self.members,
            "context_team_id": HOME_TEAM_ID,
            "created": self.created,
            "creator": "U0CAROL",
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "num_members": len(self.members),
        }


@dataclass
class Usergroup:
    """A user group such as @netops."""

    id: str
    handle: str
    name: str
    users: list[str] = field(default_factory=list)


class Workspace:
    """The directory of one Slack workspace; tests may add users and channels at any time."""

    def __init__(self, team: Team) -> None:
        self.team = team
        self.teams: dict[str, Team] = {team.id: team}
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.usergroups: dict[str, Usergroup] = {}
        self._lock = threading.RLock()

    def add_team(self, team: Team) -> Team:
        """Register a Slack Connect partner team."""
        with self._lock:
            self.teams[team.id] = team
        return team

    def add_user(self, user: User, *, channels: tuple[str, ...] = ()) -> User:
        """Add a user, optionally joining them to channels by id."""
        with self._lock:
            self.users[user.id] = user
            for channel_id in channels:
                self.join(channel_id, user.id)
        return user

    def add_channel(self, channel: Channel) -> Channel:
        """Add a channel; its member list is used as given."""
        with self._lock:
            self.channels[channel.id] = channel
        return channel

    def add_usergroup(self, group: Usergroup) -> Usergroup:
        """Add a user group."""
        with self._lock:
            self.usergroups[group.id] = group
        return group

    def join(self, channel_id: str, user_id: str) -> None:
        """Make a user a member of a channel."""
        with self._lock:
            members = self.channels[channel_id].members
            if user_id not in members:
                members.append(user_id)

    def user(self, user_id: str) -> User | None:
        """Return a user by id, or None."""
        return self.users.get(user_id)

    def user_by_name(self, name: str) -> User | None:
        """Return a user by handle (`alice`), or None."""
        return next((u for u in self.users.values() if u.name == name), None)

    def channel(self, channel_id: str) -> Channel | None:
        """Return a channel by id or `#name`, or None."""
        if channel_id.startswith("#"):
            return next((c for c in self.channels.values() if c.name == channel_id[1:]), None)
        return self.channels.get(channel_id)

    def usergroup(self, group_id: str) -> Usergroup | None:
        """Return a user group by id, or None."""
        return self.usergroups.get(group_id)

    def usergroup_by_handle(self, handle: str) -> Usergroup | None:
        """Return a user group by handle (`netops`), or None."""
        return next((g for g in self.usergroups.values() if g.handle == handle), None)

    def team_of(self, user_id: str) -> Team:
        """Return the team a user belongs to (the home team for unknown users)."""
        user = self.users.get(user_id)
        return self.teams.get(user.team_id, self.team) if user else self.team

    def is_external(self, user_id: str) -> bool:
        """Tell whether a user comes from another organisation (Slack Connect)."""
        user = self.users.get(user_id)
        return user is not None and user.team_id != self.team.id

    def dm_channel(self, user_id: str) -> Channel:
        """Return the app's DM with a user, opening it on first use; its id is stable."""
        with self._lock:
            channel_id = "D" + user_id[1:]
            channel = self.channels.get(channel_id)
            if channel is None:
                channel = Channel(
                    id=channel_id,
                    name=channel_id,
                    members=[user_id, BOT_USER_ID],
                    is_im=True,
                    dm_user=user_id,
                )
                self.channels[channel_id] = channel
            return channel


def _tz_label(zone: ZoneInfo) -> str:
    """Name a zone the way Slack's tz_label does, e.g. 'China Standard Time'."""
    labels = {
        "Asia/Shanghai": "China Standard Time",
        "Europe/London": "Greenwich Mean Time",
        "America/New_York": "Eastern Standard Time",
        "UTC": "Coordinated Universal Time",
    }
    return labels.get(zone.key, _OFFSET_REFERENCE.astimezone(zone).tzname() or zone.key)


def default_workspace() -> Workspace:
    """Build the demo workspace every test and the sandbox start from."""
    home = Team(HOME_TEAM_ID, HOME_TEAM_DOMAIN, HOME_TEAM_NAME)
    acme = Team("T0ACME", "acme-corp", "Acme Corp")
    workspace = Workspace(home)
    workspace.add_team(acme)
    for user in (
        User(BOT_USER_ID, "rapport", "Rapport", is_bot=True),
        User("U0ALICE", "alice", "Alice Wang", tz="Asia/Shanghai", title="Network engineer"),
        User("U0BOB", "bob", "Bob Smith", tz="Europe/London", title="Network engineer"),
        User("U0CAROL", "carol", "Carol Jones", tz="America/New_York", title="Service manager",
             is_admin=True),
        User("U0DAVE", "dave", "Dave Li", tz="Asia/Shanghai", title="Database engineer"),
        User("U0ERIN", "erin", "Erin Acme", team_id=acme.id, tz="Europe/London",
             title="IT director"),
        User("U0FRANK", "frank", "Frank Acme", team_id=acme.id, tz="Europe/London",
             title="Operations lead"),
    ):
        workspace.add_user(user)
    internal = [BOT_USER_ID, "U0ALICE", "U0BOB", "U0CAROL", "U0DAVE"]
    for channel in (
        Channel("C0GENERAL", "general", list(internal)),
        Channel("C0KUDOS", "kudos", list(internal)),
        Channel("C0ESCAL", "escalations", [BOT_USER_ID, "U0ALICE", "U0BOB", "U0CAROL"]),
        Channel("C0ACMEINT", "acme-internal", [BOT_USER_ID, "U0ALICE", "U0BOB", "U0CAROL"]),
        Channel("C0ACMESHR", "acme-shared",
                [BOT_USER_ID, "U0ALICE", "U0BOB", "U0CAROL", "U0ERIN", "U0FRANK"],
                is_ext_shared=True),
    ):
        workspace.add_channel(channel)
    workspace.add_usergroup(Usergroup("S0NETOPS", "netops", "Network operations",
                                      ["U0ALICE", "U0BOB"]))
    return workspace
