"""/complaint, Log complaint, the complaint card's buttons, lists and details, end to end over signed HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta

from tests.care.complaint_steps import (
    ESCALATIONS,
    INTERNAL,
    SHARED,
    audit_rows,
    buttons,
    card,
    click,
    complaints,
    setup_acme,
    texts,
    wait_for_card,
)
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in, run

# Logging a complaint


def test_a_complaint_gets_one_card_in_the_accounts_internal_channel(world):
    setup_acme(world)
    reply = run(world, "U0BOB", "#general", "/complaint", "Acme Corp: the VPN drops every hour !high")
    assert "Logged complaint #1 for *Acme Corp* (🟠 high)" in reply
    assert "Acknowledge by Fri 27 Nov 14:00 CST, resolve by Tue 1 Dec 16:00 CST" in reply  # 24 business hours
    assert "The card is in <#C0ACMEINT>" in reply and "See it" in reply
    shown = full_text(wait_for_card(world))
    assert "the VPN drops every hour" in shown and "🟠 high" in shown and "Open" in shown
    assert buttons(card(world)) == ["I'll take it", "Acknowledge", "Resolve"]
    [complaint] = complaints(world)
    assert (complaint.status, complaint.severity, complaint.created_by) == ("open", "high", "U0BOB")
    assert audit_rows(world, "complaint.open") == 1
    assert posts_in(world, SHARED) == [] and posts_in(world, "C0GENERAL") == []


def test_without_an_internal_channel_the_card_goes_to_the_escalation_channel(sqlite_world):
    world = sqlite_world
    run(world, "U0ALICE", "#general", "/account", "add Globex")
    run(world, "U0ALICE", "#general", "/complaint", "Globex: invoices are wrong")
    assert "Complaint #1 · Globex" in world.stand_in.wait_for(lambda: texts(posts_in(world, ESCALATIONS)))[0]


def test_in_a_linked_channel_the_account_comes_from_the_link(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    reply = run(world, "U0ALICE", "#acme-shared", "/complaint", "VPN down: again, since 9am !critical")
    assert "Logged complaint #1 for *Acme Corp* (🔴 critical)" in reply
    assert complaints(world)[0].summary == "VPN down: again, since 9am"  # "VPN down" names no account
    assert posts_in(world, SHARED) == []  # the receipt was ephemeral; the card went to #acme-internal
    wait_for_card(world)


def test_an_unknown_account_is_refused_with_suggestions_and_nothing_is_logged(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    reply = run(world, "U0ALICE", "#general", "/complaint", "Acme: the VPN drops")
    assert "No account called “Acme”" in reply and "Did you mean: Acme Corp?" in reply
    reply = run(world, "U0ALICE", "#general", "/complaint", "Globex: the VPN drops")
    assert "No account called “Globex”" in reply
    reply = run(world, "U0ALICE", "#general", "/complaint", "the VPN drops")
    assert "Which account is it about?" in reply
    assert complaints(world) == [] and posts_in(world, INTERNAL) == []


def test_an_empty_or_over_long_summary_or_an_unknown_severity_is_refused(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    assert "What is the complaint about?" in run(world, "U0ALICE", "#general", "/complaint", "Acme Corp:")
    assert "What is the complaint about?" in run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: !high")
    assert "keep it under 2000" in run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: " + "x" * 2001)
    assert "is not a severity" in run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: down !urgentish")
    assert complaints(world) == [] and posts_in(world, INTERNAL) == []


def test_the_modal_is_prefilled_in_a_linked_channel_and_shows_errors_by_the_field(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    world.slack.command("U0ALICE", "#acme-shared", "/complaint", "")
    view = world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    assert view["callback_id"] == "complaint_new"
    assert view["blocks"][0]["element"]["initial_value"] == "Acme Corp"
    world.slack.submit_view("U0ALICE", "complaint_new", {"complaint_account": "Acme", "complaint_summary": "Slow"})
    view = world.stand_in.current_view("U0ALICE")
    assert "Did you mean: Acme Corp?" in view["errors"]["complaint_account"]
    assert complaints(world) == []
    world.slack.submit_view("U0ALICE", "complaint_new", {"complaint_account": "Acme Corp", "complaint_summary": "Slow",
                                                        "complaint_severity": "low"})
    assert "Logged complaint #1 for *Acme Corp* (⚪ low)" in last_ephemeral_text(world, "U0ALICE", count=4)
    assert world.stand_in.current_view("U0ALICE") is None
    wait_for_card(world)


def test_log_complaint_keeps_the_customer_and_the_link_and_posts_nothing_in_the_shared_channel(world):
    setup_acme(world)
    said, _ = world.slack.say("U0ERIN", "#acme-shared", "Our VPN has dropped three times today!")
    world.slack.message_shortcut("U0ALICE", "#acme-shared", "log_complaint")
    view = world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    assert view["blocks"][1]["element"]["initial_value"] == "Acme Corp"
    assert view["blocks"][2]["element"]["initial_value"] == "Our VPN has dropped three times today!"
    world.slack.submit_view("U0ALICE", "complaint_new", {
        "complaint_account": "Acme Corp", "complaint_summary": "Our VPN has dropped three times today!",
        "complaint_severity": "high"})
    assert "Logged complaint #1" in last_ephemeral_text(world, "U0ALICE", count=4)
    [complaint] = complaints(world)
    assert complaint.complainant_id == "U0ERIN" and complaint.permalink is not None
    assert complaint.permalink.endswith(f"/archives/{SHARED}/p{said['ts'].replace('.', '')}")
    shown = full_text(wait_for_card(world))
    assert "raised by <@U0ERIN>" in shown and complaint.permalink in shown
    click(world, "U0BOB", "I'll take it")
    click(world, "U0BOB", "Acknowledge")
    assert [m["user"] for m in world.stand_in.messages(SHARED)] == ["U0ERIN"]  # no neutral reply: off by default
    world.slack.message_shortcut("U0ALICE", "#acme-shared", "log_complaint", message_ts=said["ts"])
    assert "already complaint #1" in last_ephemeral_text(world, "U0ALICE", count=5)
    assert len(complaints(world)) == 1


def test_the_customer_gets_one_neutral_reply_in_the_thread_when_the_account_wants_it(sqlite_world):
    world = sqlite_world
    setup_acme(world, **{"customer-ack": "on"})
    said, _ = world.slack.say("U0ERIN", "#acme-shared", "Nothing works!")
    world.slack.message_shortcut("U0ALICE", "#acme-shared", "log_complaint")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    world.slack.submit_view("U0ALICE", "complaint_new", {"complaint_account": "Acme Corp",
                                                        "complaint_summary": "Nothing works"})
    wait_for_card(world)
    assert posts_in(world, SHARED) == []  # nobody is on it yet
    click(world, "U0BOB", "I'll take it")
    click(world, "U0BOB", "Acknowledge")
    [reply] = world.stand_in.wait_for(lambda: posts_in(world, SHARED))
    assert reply["thread_ts"] == said["ts"]
    assert reply["text"] == "Thanks, we've logged this — <@U0BOB> is on it."
    assert reply["blocks"][0]["type"] == "section" and len(reply["blocks"]) == 1  # no buttons, nothing internal


def test_a_message_from_our_own_engineer_has_no_complainant(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    world.slack.say("U0DAVE", "#general", "Acme says the portal is slow")
    world.slack.message_shortcut("U0DAVE", "#general", "log_complaint")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0DAVE"))
    world.slack.submit_view("U0DAVE", "complaint_new", {"complaint_account": "Acme Corp",
                                                       "complaint_summary": "The portal is slow"})
    ephemeral_to(world, "U0DAVE")
    assert complaints(world)[0].complainant_id is None


# The card's buttons


def test_each_button_updates_the_one_card_in_place(world):
    setup_acme(world)
    run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: the VPN drops every hour !high")
    wait_for_card(world)
    assert click(world, "U0BOB", "I'll take it") == "Complaint #1 is yours now.\n[]"
    assert "*Owner:* <@U0BOB>" in full_text(wait_for_card(world, edits=1))
    assert "acknowledge clock has stopped" in click(world, "U0BOB", "Acknowledge")
    assert "Acknowledged" in full_text(wait_for_card(world, edits=2))
    world.slack.click("U0BOB", "Resolve", INTERNAL)
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0BOB"))
    world.slack.submit_view("U0BOB", "complaint_resolve", {"complaint_resolution": "   "}, check_required=False)
    assert "Say how it was resolved" in world.stand_in.current_view("U0BOB")["errors"]["complaint_resolution"]
    world.slack.submit_view("U0BOB", "complaint_resolve", {"complaint_resolution": "Replaced the firewall"})
    shown = full_text(wait_for_card(world, edits=3, showing="Replaced the firewall"))
    assert "Resolved" in shown and "Reopen" in shown and "Acknowledge\"" not in shown
    assert "reopened once" not in shown
    world.clock.advance(timedelta(hours=1))
    assert "a fresh resolve clock runs until Tue 1 Dec 17:00 CST" in click(world, "U0ALICE", "Reopen")
    shown = full_text(wait_for_card(world, edits=4, showing="reopened once"))
    assert "Acknowledged" in shown and "Replaced the firewall" not in shown
    assert len(posts_in(world, INTERNAL)) == 1
    assert [audit_rows(world, f"complaint.{a}") for a in ("claim", "acknowledge", "resolve", "reopen")] == [1] * 4


def test_an_external_user_pressing_a_card_button_is_refused_and_nothing_changes(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    world.stand_in.workspace.join(INTERNAL, "U0ERIN")  # a Slack Connect guest who can see the card
    run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: the VPN drops")
    wait_for_card(world)
    assert "only available to the team" in click(world, "U0ERIN", "Acknowledge")
    assert "only available to the team" in click(world, "U0ERIN", "I'll take it")
    assert card(world)["edits"] == []
    [complaint] = complaints(world)
    assert (complaint.status, complaint.owner_id) == ("open", None)
    assert audit_rows(world, "complaint.acknowledge") == audit_rows(world, "complaint.claim") == 0


def test_a_double_click_acknowledges_once(world):
    setup_acme(world)
    run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: the VPN drops")
    wait_for_card(world)
    button = world.stand_in.find_button("Acknowledge", INTERNAL)
    clicks = [threading.Thread(target=world.slack.click, args=("U0BOB", "Acknowledge", INTERNAL),
                               kwargs={"ts": button.message["ts"]}) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    notes = texts(ephemeral_to(world, "U0BOB", count=2))
    assert sum("You acknowledged complaint #1" in note for note in notes) == 1
    assert sum("was already acknowledged" in note for note in notes) == 1
    assert audit_rows(world, "complaint.acknowledge") == 1
    assert len(card(world)["edits"]) == 1


def test_two_people_resolving_at_once_resolve_once_and_the_card_then_offers_only_reopen(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: the VPN drops")
    wait_for_card(world)
    for person in ("U0BOB", "U0CAROL"):
        world.slack.click(person, "Resolve", INTERNAL)
        world.stand_in.wait_for(lambda person=person: world.stand_in.current_view(person))
    world.slack.submit_view("U0BOB", "complaint_resolve", {"complaint_resolution": "Fixed the tunnel"})
    assert "Resolved complaint #1" in last_ephemeral_text(world, "U0BOB")
    world.slack.submit_view("U0CAROL", "complaint_resolve", {"complaint_resolution": "Fixed it too"})
    assert "already resolved (by <@U0BOB>" in last_ephemeral_text(world, "U0CAROL")
    assert audit_rows(world, "complaint.resolve") == 1
    assert buttons(wait_for_card(world, edits=1)) == ["Reopen"]
    assert complaints(world)[0].resolution == "Fixed the tunnel"


# Lists and details


def test_list_and_detail_are_for_the_team_only(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: the VPN drops !critical")
    for text in ("list", "1", "Acme Corp: I want to log one myself"):
        assert "only available to the team" in run(world, "U0ERIN", "#acme-shared", "/complaint", text)
    listing = run(world, "U0ALICE", "#general", "/complaint", "list")
    assert "Open complaints (1)" in listing and "*#1* 🔴 *Acme Corp* — the VPN drops · open · unclaimed" in listing
    assert "Nothing open is yours" in run(world, "U0BOB", "#general", "/complaint", "list mine")
    click(world, "U0BOB", "I'll take it")
    assert "Your open complaints (1)" in run(world, "U0BOB", "#general", "/complaint", "list mine")
    assert "No complaint is past its SLA" in run(world, "U0BOB", "#general", "/complaint", "list breached")
    world.advance(timedelta(hours=1, minutes=1))
    assert "🚨" in run(world, "U0BOB", "#general", "/complaint", "list breached")
    detail = run(world, "U0BOB", "#general", "/complaint", "#1")
    assert "Complaint #1 · Acme Corp" in detail and "<@U0ALICE> logged it" in detail
    assert "<@U0BOB> took it" in detail and "Rapport escalated a missed deadline" in detail
    assert "Open the card" in detail and "complaint_acknowledge" not in detail  # no buttons in the ephemeral
    assert "There is no complaint #99" in run(world, "U0BOB", "#general", "/complaint", "99")
    assert "mine, open or breached" in run(world, "U0BOB", "#general", "/complaint", "list everything")
    assert "Customer complaints" in run(world, "U0BOB", "#general", "/complaint", "help")


def test_long_lists_are_paginated(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    for n in range(11):
        run(world, "U0ALICE", "#general", "/complaint", f"Acme Corp: problem number {n}")
    first = run(world, "U0ALICE", "#general", "/complaint", "list")
    assert "Open complaints (11)" in first and "Page 1 of 2 · `/complaint list open 2`" in first
    assert world.stand_in.ephemerals(user="U0ALICE")[-1]["text"].count("• *#") == 10
    second = run(world, "U0ALICE", "#general", "/complaint", "list open 2")
    assert world.stand_in.ephemerals(user="U0ALICE")[-1]["text"].count("• *#") == 1
    assert "problem number 0" in second and "problem number 1 " not in second
