"""The `rapport` command as an operator runs it: clear refusals, one tick, migrations, dates, the outbox."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.sandbox.stand_in.web_api import SlackStandIn
from bot.sandbox.stand_in.workspace import BOT_TOKEN
from storage.db import Database
from storage.migrate import revisions, upgrade
from storage.platform.outbox import OutboxMessage, OutboxStatus

ENV_PREFIXES = ("SLACK_", "RAPPORT_", "DATABASE_URL")
ROOT = Path(__file__).resolve().parents[2]


def rapport(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    return subprocess.run([sys.executable, "-m", "bot.platform.cli", *args], cwd=cwd, env={**clean, **(env or {})},
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_serve_without_a_token_stops_with_one_line_naming_it(tmp_path):
    result = rapport("serve", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "rapport: configuration error: SLACK_BOT_TOKEN: required to connect to Slack (or run `rapport sandbox` offline)"
    ]


def test_serve_with_a_malformed_setting_names_the_variable(tmp_path):
    result = rapport("serve", cwd=tmp_path, env={"SLACK_BOT_TOKEN": "xoxb-1", "RAPPORT_TICK_SECONDS": "often"})
    assert result.returncode == 2 and "RAPPORT_TICK_SECONDS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_http_needs_the_signing_secret(tmp_path):
    result = rapport("serve", "--http", cwd=tmp_path, env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode == 2 and "SLACK_SIGNING_SECRET" in result.stderr


def test_serve_with_an_unreachable_database_says_so(tmp_path):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1",
           "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = rapport("serve", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "DATABASE_URL: cannot use the database" in result.stderr


def said(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What rapport told the operator, without the log lines (the database one comes first)."""
    return [line for line in result.stderr.splitlines() if line.startswith("rapport: ")]


@pytest.mark.parametrize("mode", [["--http"], []], ids=["http", "socket-mode"])
def test_serve_with_slack_unreachable_says_so_in_one_line(tmp_path, mode):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s3cret",
           "SLACK_API_URL": "http://127.0.0.1:9/api/", "DATABASE_URL": f"sqlite:///{tmp_path / 'rapport.db'}"}
    result = rapport("serve", *mode, cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert said(result) == [
        "rapport: Slack could not be reached: tried auth.test at http://127.0.0.1:9/api/ "
        "([Errno 111] Connection refused); check SLACK_API_URL and the network, then start again"
    ]


def test_serve_with_a_token_slack_refuses_names_the_variable(tmp_path):
    with SlackStandIn() as slack:
        env = {"SLACK_BOT_TOKEN": "xoxb-LEAKME-not-known", "SLACK_SIGNING_SECRET": "s3cret",
               "SLACK_API_URL": slack.api_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'rapport.db'}"}
        result = rapport("serve", "--http", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "LEAKME" not in result.stderr and "Traceback" not in result.stderr
    assert said(result) == [
        "rapport: configuration error: SLACK_BOT_TOKEN: Slack refused it (invalid_auth from auth.test)"]


def test_tick_delivers_what_is_due_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'rapport.db'}"
    upgrade(url)
    database = Database(url)
    moment = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    with database.session() as session:
        card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="thanks")
        outbox.post(session, key="demo:1", channel="C0KUDOS", card=card, now=moment)
    database.dispose()
    with SlackStandIn() as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.api_url, "DATABASE_URL": url}
        first = rapport("tick", "--at", "2026-11-27T10:00:00+08:00", cwd=tmp_path, env=env)
        second = rapport("tick", "--at", "2026-11-27T10:01:00+08:00", cwd=tmp_path, env=env)
        assert first.returncode == 0, first.stderr
        assert "sent 1" in first.stdout and "sent 0" in second.stdout
        assert len(slack.messages("C0KUDOS")) == 1


def test_tick_upgrades_an_empty_database_first(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with SlackStandIn() as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.api_url, "DATABASE_URL": url}
        result = rapport("tick", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "upgraded from empty" in result.stderr and "sent 0" in result.stdout


def test_an_idle_tick_exits_before_loading_sqlalchemy_until_something_changes(tmp_path):
    url = f"sqlite:///{tmp_path / 'idle.db'}"
    probe = ("import sys, bot.platform.cli as cli; code = cli.main(sys.argv[1:]); "
             "print('sqlalchemy loaded' if 'sqlalchemy' in sys.modules else 'sqlalchemy not loaded'); sys.exit(code)")
    with SlackStandIn() as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.api_url, "DATABASE_URL": url}

        def tick(*args: str) -> subprocess.CompletedProcess[str]:
            clean = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
            return subprocess.run([sys.executable, "-c", probe, "tick", *args], cwd=ROOT, env={**clean, **env},
                                  capture_output=True, text=True, timeout=60, check=False)

        full, idle, forced = tick(), tick(), tick("--full")
        assert (full.returncode, idle.returncode, forced.returncode) == (0, 0, 0), full.stderr + idle.stderr
        assert "sent 0" in full.stdout and "sqlalchemy loaded" in full.stdout
        assert "idle, nothing changed" in idle.stderr and idle.stdout.strip() == "sqlalchemy not loaded"
        assert "sent 0" in forced.stdout
        database = Database(url)
        with database.session() as session:  # a message queued (by a listener, say): the next tick delivers it
            card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="thanks")
            outbox.post(session, key="demo:1", channel="C0KUDOS", card=card, now=datetime.now(UTC))
        database.dispose()
        after = tick()
        assert "sent 1" in after.stdout, after.stderr
        assert len(slack.messages("C0KUDOS")) == 1


def test_tick_rejects_an_unreadable_moment(tmp_path):
    result = rapport("tick", "--at", "next tuesday", cwd=tmp_path, env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode == 2 and "ISO-8601" in result.stderr


def test_db_upgrade_says_what_it_did_then_status(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    head = newest_migration()
    assert rapport("db", "status", cwd=tmp_path, env=env).stdout == f"database at empty; newest migration {head}\n"
    first = rapport("db", "upgrade", cwd=tmp_path, env=env)
    assert first.returncode == 0 and first.stdout == f"database: upgraded from empty to {head}\n"
    again = rapport("db", "upgrade", cwd=tmp_path, env=env)
    assert again.returncode == 0 and again.stdout == f"database: up to date (at {head})\n"
    status = rapport("db", "status", cwd=tmp_path, env=env)
    assert status.returncode == 0 and status.stdout == f"database at {head}; newest migration {head}\n"


def test_db_upgrade_from_an_older_migration_names_both(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    result = rapport("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 0 and result.stdout == f"database: upgraded from 0001 to {newest_migration()}\n"


def test_outbox_on_a_database_not_upgraded_says_how_in_one_line_and_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    head = newest_migration()
    result = rapport("outbox", cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"rapport: configuration error: DATABASE_URL: the database is empty; this "
                                          f"release needs migration {head}: run `rapport db upgrade` first"]
    upgrade(url, "0001")
    older = rapport("outbox", "--failed", cwd=tmp_path, env={"DATABASE_URL": url})
    assert older.returncode == 2 and "the database is at migration 0001" in older.stderr
    assert len(older.stderr.splitlines()) == 1
    database = Database(url)
    assert revisions(database.engine)[0] == "0001"  # not upgraded behind the operator's back
    database.dispose()


def newest_migration() -> str:
    database = Database("sqlite://")
    head = revisions(database.engine)[1]
    database.dispose()
    return head


def test_outbox_lists_failed_messages_with_their_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'rapport.db'}"
    upgrade(url)
    database = Database(url)
    moment = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    with database.session() as session:
        card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="thanks")
        outbox.post(session, key="doomed", channel="C0NOWHERE", card=card, now=moment)
    with database.session() as session:
        row = session.exec(select(OutboxMessage)).one()
        row.status, row.last_error = OutboxStatus.FAILED, "channel_not_found"
    database.dispose()
    result = rapport("outbox", "--failed", cwd=tmp_path, env={"DATABASE_URL": url})
    assert "doomed" in result.stdout and "channel_not_found" in result.stdout


def test_when_prints_iso_then_words(tmp_path):
    result = rapport("when", "明天下午3点", "--tz", "Asia/Shanghai", "--now", "2026-11-27T10:00:00+08:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2026-11-28T15:00:00+08:00"
    assert lines[1] == "Sat 28 Nov 15:00 CST"


@pytest.mark.parametrize("text", ["every month on working day 10 at 10:00", "每月第10个工作日 10:00"])
def test_when_shows_a_repeating_rule_as_understood_and_its_next_three_dates(tmp_path, text):
    env = {"RAPPORT_COUNTRY": "CN", "RAPPORT_TIMEZONE": "Asia/Shanghai"}
    result = rapport("when", text, "--now", "2026-11-27T10:00:00+08:00", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "on working day 10 of every month at 10:00" and len(lines) == 4
    # 1 Jan 2027 is a holiday in China, so January's tenth working day is the 15th.
    assert lines[1:3] == ["2026-12-14T10:00:00+08:00  Mon 14 Dec 10:00 CST",
                          "2027-01-15T10:00:00+08:00  Fri 15 Jan 10:00 CST"]


def test_when_with_an_unreadable_rule_gives_rule_examples(tmp_path):
    result = rapport("when", "every blue moon", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "I couldn't read “every blue moon” as a repeating time. Try for example: “every tuesday 15:00”, “every month "
        "on working day 10 at 10:00”, “every quarter on working day 3 at 14:00”, “every working day 9:30”, "
        "“last working day of every month 16:00”, “every other wednesday 10:00”, “每周二 15:00”, "
        "“每月第10个工作日 10:00”, “每季度第3个工作日 14:00”, “每个工作日 9:30”, “每月最后一个工作日 16:00”, "
        "“每月5号 上午10点”, “每两周周三 10:00”."]


def test_when_with_an_unreadable_text_exits_non_zero_with_examples(tmp_path):
    result = rapport("when", "next blursday", cwd=tmp_path)
    assert result.returncode == 1
    assert "next tuesday 3pm" in result.stderr or "tomorrow" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["tick", "--help"]])
def test_help_works(tmp_path, args):
    assert rapport(*args, cwd=tmp_path).returncode == 0


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_http_answers_signed_slack_requests_and_ticks_in_process(tmp_path):
    import time
    import urllib.request

    from bot.sandbox.stand_in.driver import SlackDriver

    port = free_port()
    with SlackStandIn() as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.api_url, "SLACK_SIGNING_SECRET": "s3cret",
               "DATABASE_URL": f"sqlite:///{tmp_path / 'rapport.db'}", "RAPPORT_KUDOS_CHANNEL": "C0KUDOS",
               "RAPPORT_TICK_SECONDS": "1"}
        clean = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
        server = subprocess.Popen([sys.executable, "-m", "bot.platform.cli", "serve", "--http", "--port", str(port)],
                                  cwd=tmp_path, env={**clean, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert server.stdout is not None
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).status == 200
                    break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, server.stdout.read().decode()
                    time.sleep(0.2)
            driver = SlackDriver(f"http://127.0.0.1:{port}", "s3cret", slack)
            assert driver.command("U0ALICE", "#general", "/praise", "@bob kept the lights on").status == 200
            slack.wait_for(lambda: slack.messages("C0KUDOS"), timeout=10)
            unsigned = driver.post_raw("command=%2Fpraise", {"Content-Type": "application/x-www-form-urlencoded"})
            assert unsigned.status == 401
            assert len(slack.messages("C0KUDOS")) == 1
            database = Database(env["DATABASE_URL"])
            with database.session() as session:  # something due: the in-process scheduler must deliver it
                card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="tick")
                outbox.post(session, key="due:1", channel="C0GENERAL", card=card, now=datetime.now(UTC))
            database.dispose()
            slack.wait_for(lambda: slack.messages("C0GENERAL"), timeout=15)
        finally:
            server.terminate()
            server.wait(timeout=10)
