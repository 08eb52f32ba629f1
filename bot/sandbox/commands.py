"""The sandbox's commands: act as someone, somewhere, in the stand-in Slack, and see what Rapport did."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.platform.i18n import _, speaking
from bot.sandbox.parsing import (
    SandboxError,
    field_parts,
    read_click,
    read_fields,
    read_shortcut,
    read_target,
    shortcut_title,
    unlabelled_mentions,
)
from bot.sandbox.render import (
    Snapshot,
    channel_label,
    channel_summary,
    describe_changes,
    describe_view_fields,
    outbox_lines,
    person,
    render_channel,
    user_lines,
    when,
)
from bot.sandbox.stand_in.blockkit import iter_input_elements
from bot.sandbox.stand_in.driver import DriverResponse
from bot.sandbox.stand_in.readable import readable_text
from bot.sandbox.stand_in.workspace import BOT_USER_ID, Channel, User
from bot.sandbox.world import World
from handlers.ids import Command
from storage.accounts import get_account_for_channel
from storage.platform.outbox import OutboxStatus, list_messages

SETTLE_TIMEOUT = 10.0  # seconds to wait for the app to finish handling one action

HELP = """\
Act as someone, somewhere, and Rapport answers as it would in Slack:
  /praise @bob fixed the VPN   any line starting with / is a slash command, sent as you, here
  say <text>                   post a message here as you (@names become mentions)
  shortcut <name> [on <n|last>]  run a message shortcut (e.g. "Log praise") on message n here
  click "<label>" [in #channel]  click the most recent button with that label you can see
  submit [field=value ...]     submit your open modal (users as @bob, several as @bob,@dave)
  cancel                       close your open modal
Who and where:
  as <user>                    alice, bob, carol (manager), dave; erin, frank (Acme, external)
  in <#channel>                move to a channel (or `in dm`: your DM with rapport)
  users, channels              who and what is in this workspace
Look around:
  show [#channel|dms [@user]|home]  what is there (here by default), messages numbered
  outbox                       messages waiting to be delivered, and those that failed
Time:
  time                         the sandbox clock, in the team's time zone
  advance <duration>           move the clock (2h, 1d, 30m, 1d4h, 3 working days); the
                               scheduler runs at each moment something falls due on the way
  help, quit
After each action the scheduler also runs once, as `rapport serve` would within a minute,
and everything Rapport posted, showed or opened is printed."""


class Sandbox:
    """One person at a time in one channel, driving the real app through the Slack stand-in."""

    def __init__(self, world: World, *, write: Callable[[str], None] = print, language: str | None = None) -> None:
        self.world = world
        self.language = language  # what the people here read; a script's English button labels still work
        self.slack = world.slack
        self.stand_in = world.stand_in
        self.workspace = world.stand_in.workspace
        self.settings = world.settings
        self.zone = world.settings.zone
        self.calendar = world.services.team_calendar()
        self.write = write
        self.user = "U0ALICE"
        self.channel = "C0GENERAL"
        self.commands: dict[str, Callable[[str], None]] = {
            "help": self.help, "as": self.act_as, "in": self.go_to, "say": self.say, "shortcut": self.shortcut,
            "click": self.click, "submit": self.submit, "cancel": self.cancel, "show": self.show,
            "advance": self.advance, "time": self.time, "users": self.users, "channels": self.channels,
            "outbox": self.outbox,
        }

    # -- the session ----------------------------------------------------------------------------

    def prompt(self) -> str:
        """`alice in #general › `."""
        return f"{self._me().name} in {self._here()} › "

    def _here(self) -> str:
        return "a DM with rapport" if self._channel_here().is_im else channel_label(self.stand_in, self.channel)

    def where(self) -> str:
        """Who the sandbox acts as, and where, in a sentence."""
        user = self._me()
        if self.workspace.is_external(user.id):
            who = (f"{user.name} ({user.real_name}, {user.title} at {self.workspace.team_of(user.id).name}: "
                   "an external customer in Slack Connect)")
        else:
            who = f"{user.name} ({user.real_name}, {user.title})"
        return f"{who} in {self._here()}"

    def run(self, line: str) -> bool:
        """Run one line; False when it asks to quit. Raises SandboxError for a line that cannot run."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.startswith("/"):
            self.slash(line)
            return True
        verb, _space, rest = line.partition(" ")
        if verb.lower() in ("quit", "exit"):
            return False
        handler = self.commands.get(verb.lower())
        if handler is None:
            raise SandboxError(f"no sandbox command {verb!r}: type `help` for the list, or start with / for Rapport")
        handler(rest.strip())
        return True

    def _show(self, lines: list[str]) -> None:
        for line in lines:
            self.write("  " + line)

    def _act(self, action: Callable[[], tuple[list[str], DriverResponse | None]], *, what: str) -> None:
        """Do one thing in Slack, wait for the app to finish, run the scheduler once, print what changed."""
        before = Snapshot.take(self.stand_in)
        notices = self._slack_notices()
        try:
            lead, response = action()
        except (LookupError, ValueError, AssertionError) as exc:
            raise SandboxError(str(exc).split("\n\n")[0]) from None
        self._settle()
        lines = lead + self._changes(before)
        failed = response is not None and not (response.status == 200 and response.acked_in_time)
        if response is not None and failed and self._slack_notices() == notices:  # Slack's own notice not shown
            shown = f'“{what} failed with the error "dispatch_failed"”' if what.startswith("/") else \
                f"a warning for {what}"
            lines.append(f"! Slack would show {shown}: rapport answered HTTP {response.status} "
                         f"after {response.elapsed:.1f} s, and Slack needs HTTP 200 within 3 s.")
        self._show(lines or ["(no answer from rapport)"])

    def _slack_notices(self) -> int:
        return sum(1 for e in self.stand_in.ephemerals() if e.get("source") == "slack")

    def _changes(self, before: Snapshot) -> list[str]:
        today = self.world.now().astimezone(self.zone).date()
        return describe_changes(self.stand_in, before, zone=self.zone, viewer=self.user, today=today)

    def _settle(self) -> None:
        if not self.world.listeners.wait_idle(SETTLE_TIMEOUT):
            self._show([f"(rapport is still busy after {SETTLE_TIMEOUT:.0f} s; what it does next shows later)"])
        self._report_tick_errors(self.world.tick(self.world.now()).errors)

    def _report_tick_errors(self, errors: list[str] | set[str]) -> None:
        if errors:
            self._show([f"! the scheduler's {', '.join(sorted(errors))} failed (see the log above)"])

    # -- who and where --------------------------------------------------------------------------

    def _me(self) -> User:
        me = self.workspace.user(self.user)
        assert me is not None  # `as` only picks people of the workspace
        return me

    def _channel_here(self) -> Channel:
        here = self.workspace.channel(self.channel)
        assert here is not None  # `in` and `as` only pick channels of the workspace
        return here

    def _find_user(self, text: str) -> User:
        name = text.strip().lstrip("@")
        user = self.workspace.user_by_name(name.lower()) or self.workspace.user(name.upper())
        if user is None or user.id == BOT_USER_ID:
            people = ", ".join(u.name for u in self.workspace.users.values() if u.id != BOT_USER_ID)
            raise SandboxError(f"no user {text.strip()!r} here; try one of: {people}")
        return user

    def _find_channel(self, ref: str) -> Channel:
        ref = ref.strip()
        if ref.lower() in ("dm", "dms"):
            return self.workspace.dm_channel(self.user)
        channel = self.workspace.channel("#" + ref.lstrip("#").lower())
        if channel is None:
            raise SandboxError(f"no channel {ref!r}; the channels are: {self._channel_names()}")
        return channel

    def _channel_names(self, user_id: str | None = None) -> str:
        return ", ".join(f"#{c.name}" for c in self.workspace.channels.values()
                         if not c.is_im and user_id in (None, *c.members))

    def act_as(self, rest: str) -> None:
        """`as erin`: act as another person; move to a channel of theirs if they are not in this one."""
        if not rest:
            raise SandboxError("as whom? e.g. `as bob` (type `users` for everyone)")
        user = self._find_user(rest)
        here = self._channel_here()
        self.user = user.id
        note = ""
        if here.is_im:
            self.channel = self.workspace.dm_channel(user.id).id
        elif user.id not in here.members:
            general = self.workspace.channel("#general")
            mine = [c for c in self.workspace.channels.values() if not c.is_im and user.id in c.members]
            if general is not None and user.id in general.members:
                self.channel = general.id
            else:
                self.channel = mine[0].id if mine else self.workspace.dm_channel(user.id).id
            note = f" ({user.name} is not in #{here.name})"
        self._show([f"You are {self.where()}.{note}"])

    def go_to(self, rest: str) -> None:
        """`in #acme-shared`: move to a channel the current user is in."""
        if not rest:
            raise SandboxError("in which channel? e.g. `in #kudos`, or `in dm` for your DM with rapport")
        channel = self._find_channel(rest)
        if self.user not in channel.members:
            raise SandboxError(f"{self._me().name} is not a member of #{channel.name}; their channels: "
                               f"{self._channel_names(self.user)} (or `as` someone else)")
        self.channel = channel.id
        self._show([self._channel_summary(channel)])

    def _channel_summary(self, channel: Channel) -> str:
        with self.world.services.db.session() as session:
            account = get_account_for_channel(session, channel_id=channel.id)
            linked = account.name if account else None
        return channel_summary(self.stand_in, channel, self.settings, linked_to=linked)

    def users(self, _rest: str) -> None:
        """List the people of the workspace."""
        self._show(user_lines(self.stand_in, managers=self.settings.rapport_managers, current=self.user))

    def channels(self, _rest: str) -> None:
        """List the channels and what each is for."""
        for channel in self.workspace.channels.values():
            if not channel.is_im:
                mark = "→" if channel.id == self.channel else " "
                absent = "" if self.user in channel.members else f" [{self._me().name} is not in it]"
                self._show([f"{mark} {self._channel_summary(channel)}{absent}"])

    # -- doing things in Slack ------------------------------------------------------------------

    def slash(self, line: str) -> None:
        """`/praise @bob …`: a slash command, signed and sent exactly as Slack sends it."""
        command, _space, text = line.partition(" ")
        known = [c.value for c in Command]
        if command not in known:
            raise SandboxError(f"{command} is not one of Rapport's commands: {', '.join(known)}")
        self._act(lambda: ([], self.slack.command(self.user, self.channel, command, text.strip())), what=command)

    def say(self, rest: str) -> None:
        """`say thanks @bob`: post a message as the current user (the app gets the event)."""
        if not rest:
            raise SandboxError("say what? e.g. `say thanks @bob, the VPN works again`")
        text = unlabelled_mentions(self.slack.escape(rest))

        def post() -> tuple[list[str], None]:
            record, _response = self.slack.say(self.user, self.channel, text)
            number = [m["ts"] for m in self.stand_in.messages(self.channel)].index(record["ts"]) + 1
            return [f"(posted as message [{number}] in {channel_label(self.stand_in, self.channel)})"], None

        self._act(post, what="your message")

    def shortcut(self, rest: str) -> None:
        """`shortcut Log praise on 3`: run a message shortcut on a message of this channel."""
        found, which = read_shortcut(rest)
        messages = self.stand_in.messages(self.channel)
        here = channel_label(self.stand_in, self.channel)
        if not messages:
            raise SandboxError(f"{here} has no message yet to run it on; post one with `say …`")
        number = len(messages) if which is None else which
        if not 1 <= number <= len(messages):
            raise SandboxError(f"{here} has messages 1 to {len(messages)} (`show` numbers them)")
        message = messages[number - 1]
        said = readable_text(message.get("text", ""), self.stand_in.name_of).replace("\n", " ")
        author = "rapport" if message.get("bot_id") else person(self.stand_in, message["user"])
        lead = [f"({shortcut_title(found)} on message [{number}] by {author}: “{said[:70]}”)"]
        self._act(lambda: (lead, self.slack.message_shortcut(self.user, self.channel, found.value, message["ts"])),
                  what=f"the shortcut {shortcut_title(found)}")

    def click(self, rest: str) -> None:
        """`click "Acknowledge" [in #escalations]`: click a button by its label."""
        label, where = read_click(rest)
        channel = self._find_channel(where).id if where else None
        label = self._label_shown(label, channel)
        self._act(lambda: ([], self.slack.click(self.user, label, channel)), what=f"clicking “{label}”")

    def _label_shown(self, label: str, channel: str | None) -> str:
        """The label as the button shows it: a script's English label, translated when only that is there."""
        with speaking(self.language):
            # Whole ("Resolve") or in parts, as built ("5 · Very satisfied" is "5 · " + "Very satisfied").
            candidates = [_(label), " · ".join(_(part) for part in label.split(" · "))]
        for candidate in (label, *candidates):
            try:
                self.stand_in.find_button(candidate, channel, user=self.user)
            except LookupError:
                continue
            return candidate
        return label  # not there in any language: the driver says which buttons are

    def submit(self, rest: str) -> None:
        """`submit receivers=@bob`: fill in and submit the current user's open modal."""
        view = self.stand_in.current_view(self.user)
        if view is None:
            raise SandboxError(f"{self._me().name} has no modal open")
        inputs = list(iter_input_elements(view["blocks"]))
        fields = read_fields(rest, inputs, fields_hint=describe_view_fields(view, inputs))
        values = {block["block_id"]: self._field_value(element, raw) for block, element, raw in fields}
        self._act(lambda: ([], self.slack.submit_view(self.user, view["id"], values)), what="submitting the modal")

    def _field_value(self, element: dict[str, Any], raw: str) -> str | list[str] | None:
        """A typed value as the driver takes it: user and channel ids, lists for multi-selects."""
        parts, many = field_parts(element, raw)
        if not parts:
            return None
        kind = element["type"]
        if kind.endswith("users_select"):
            parts = [self._find_user(part).id for part in parts]
        elif kind.endswith(("channels_select", "conversations_select")):
            parts = [self._find_channel(part).id for part in parts]
        return parts if many else parts[0]

    def cancel(self, _rest: str) -> None:
        """Close the open modal, as its Cancel button does."""
        if self.stand_in.current_view(self.user) is None:
            raise SandboxError(f"{self._me().name} has no modal open")
        self._act(lambda: ([], self.slack.close_view(self.user)), what="closing the modal")

    # -- looking ------------------------------------------------------------------------------

    def show(self, rest: str) -> None:
        """`show [#channel|dms [@user]|home]`: what is there, as the current user sees it."""
        words = rest.split()
        if not words:
            channel = self._channel_here()
        elif words[0].lower() in ("dm", "dms"):
            whose = self._find_user(words[1]).id if len(words) > 1 else self.user
            channel = self.workspace.dm_channel(whose)
        elif words[0].lower() == "home":
            self._show_home()
            return
        else:
            channel = self._find_channel(words[0])
        today = self.world.now().astimezone(self.zone).date()
        self._show(render_channel(self.stand_in, channel.id, zone=self.zone, viewer=self.user, today=today))

    def _show_home(self) -> None:
        """Open the Home tab as Slack does (app_home_opened), then show what rapport published there."""
        self.slack.app_home_opened(self.user)
        self._settle()
        home = self.stand_in.home(self.user)
        self._show(self.stand_in.render_view(home).split("\n") if home else ["(rapport has no Home tab for you yet)"])

    def outbox(self, _rest: str) -> None:
        """Messages waiting in the outbox and those that failed for good."""
        with self.world.services.db.session() as session:
            rows = [row for status in (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)
                    for row in list_messages(session, status=status, limit=50)]
        self._show(outbox_lines(self.stand_in, rows, zone=self.zone))

    def help(self, _rest: str) -> None:
        """Print the sandbox's commands."""
        self._show(HELP.split("\n"))

    # -- time ---------------------------------------------------------------------------------

    def time(self, _rest: str) -> None:
        """The sandbox clock in the team's zone, and whether it is working time."""
        now = self.world.now()
        day = now.astimezone(self.zone).date()
        holiday = self.calendar.holiday_name(day)
        kind = "a working day" if self.calendar.is_working_day(day) else \
            f"not a working day{f' ({holiday})' if holiday else ''}"
        hours = "within" if self.calendar.is_business_time(now) else "outside"
        self._show([f"{when(now, self.zone)} ({self.zone.key}): {kind}, {hours} business hours "
                    f"({self.settings.rapport_business_hours})."])

    def advance(self, rest: str) -> None:
        """`advance 2h`: move the clock, running the scheduler along the way, and print what it posted."""
        if not rest:
            raise SandboxError("advance by how much? e.g. `advance 2h`, `advance 1d`, `advance 3 working days`")
        now = self.world.now()
        target = read_target(rest, now=now, zone=self.zone, calendar=self.calendar)
        if target <= now:
            raise SandboxError("the clock only moves forward; give a duration such as `advance 30m`")
        before = Snapshot.take(self.stand_in)
        journey = self.world.travel(target)
        self._report_tick_errors(journey.errors)
        if journey.cut_short:
            self._show([f"! the scheduler ran {len(journey.ticks) - 1} times and something stayed due; the clock "
                        "jumped the rest of the way"])
        changes = self._changes(before)
        self._show([f"It is now {when(target, self.zone)}."]
                   + (changes or ["(nothing was due: rapport posted nothing)"]))
