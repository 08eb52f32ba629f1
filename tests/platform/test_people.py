"""Who is one of our people, and who is the customer's: one rule, asked of the Slack port."""

from __future__ import annotations

from bot.care.contacts import sees_every_account
from bot.platform import people
from bot.platform.slack import SlackUser

HOME = "T0HOME"


class Directory:
    """A SlackPort stand-in that answers users.info from a dict and counts the look-ups."""

    def __init__(self) -> None:
        self.users = {
            "U0ALICE": SlackUser("U0ALICE", HOME, "Alice", None, is_bot=False),
            "U0ERIN": SlackUser("U0ERIN", "T0ACME", "Erin", None, is_bot=False),
            "U0BOT": SlackUser("U0BOT", HOME, "Rapport", None, is_bot=True),
            "U0ACMEBOT": SlackUser("U0ACMEBOT", "T0ACME", "Acme bot", None, is_bot=True),
        }
        self.asked: list[str] = []

    def home_team_id(self) -> str:
        return HOME

    def user(self, user_id: str) -> SlackUser | None:
        self.asked.append(user_id)
        return self.users.get(user_id)


def test_our_people_are_humans_of_the_home_team_and_customers_humans_of_another():
    slack = Directory()
    assert people.is_internal(slack, "U0ALICE") and not people.is_customer(slack, "U0ALICE")
    assert people.is_customer(slack, "U0ERIN") and not people.is_internal(slack, "U0ERIN")
    for nobody in ("U0BOT", "U0ACMEBOT", "U0GHOST"):  # bots and unknown users are neither
        assert not people.is_internal(slack, nobody) and not people.is_customer(slack, nobody)


def test_the_team_a_request_names_saves_a_look_up():
    slack = Directory()
    assert people.is_internal(slack, "U0NEW", team_id=HOME)
    assert not people.is_internal(slack, "U0NEW", team_id="T0ACME")
    assert slack.asked == []


def test_lists_keep_their_order_and_leave_out_the_excluded():
    slack = Directory()
    mentioned = ["U0ERIN", "U0ALICE", "U0BOT", "U0GHOST"]
    assert people.internal_people(slack, mentioned) == ["U0ALICE"]
    assert people.internal_people(slack, mentioned, exclude="U0ALICE") == []
    assert people.customers(slack, mentioned) == ["U0ERIN"]


def test_managers_and_admins_watch_every_account_going_cold():
    assert sees_every_account("U0CAROL", managers=["U0CAROL"], admins=[])
    assert sees_every_account("U0ADMIN", managers=["U0CAROL"], admins=["U0ADMIN"])
    assert not sees_every_account("U0ALICE", managers=["U0CAROL"], admins=["U0ADMIN"])
