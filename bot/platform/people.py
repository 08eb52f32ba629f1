"""Who is who: our own people (the team that installed Rapport) and the customer's (Slack Connect).

The one place that decides it, from users.info through the SlackPort. A bot is neither, and so is a
user Slack does not know: nothing internal may reach someone Rapport cannot place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.platform.slack import SlackUser


class Directory(Protocol):
    """What deciding who is who asks Slack: the SlackPort answers it (tests may answer it themselves)."""

    def home_team_id(self) -> str:
        """The team that installed Rapport."""
        ...

    def user(self, user_id: str) -> SlackUser | None:
        """A user as Slack knows them; None for someone Slack does not know."""
        ...


def is_internal(slack: Directory, user_id: str, *, team_id: str | None = None) -> bool:
    """One of our people; `team_id` is the team the request itself names, when Slack sent it (no look-up)."""
    if team_id:
        return team_id == slack.home_team_id()
    person = slack.user(user_id)
    return person is not None and not person.is_bot and person.team_id == slack.home_team_id()


def is_customer(slack: Directory, user_id: str) -> bool:
    """A person from another organisation (the customer's people, in a shared channel)."""
    person = slack.user(user_id)
    return person is not None and not person.is_bot and person.team_id != slack.home_team_id()


def internal_people(slack: Directory, user_ids: Iterable[str], *, exclude: str | None = None) -> list[str]:
    """Those of `user_ids` who are our own people, in order, without `exclude`."""
    return [user_id for user_id in user_ids if user_id != exclude and is_internal(slack, user_id)]


def customers(slack: Directory, user_ids: Iterable[str]) -> list[str]:
    """Those of `user_ids` who are the customer's people, in order."""
    return [user_id for user_id in user_ids if is_customer(slack, user_id)]
