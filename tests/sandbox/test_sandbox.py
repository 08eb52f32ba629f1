"""`rapport sandbox`: scripts replayed against the real app and the Slack stand-in, read as a person would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.sandbox.commands import Sandbox
from bot.sandbox.terminal import run_sandbox_session

SCRIPT = """\
# accounts first: the shortcut names the customer's account
/account add Acme
in #acme-shared
/account link Acme
in #general
/praise @bob fixed the VPN in ten minutes
/praise @alice me, myself and I
as erin
say Great work on the migration, team!
as alice
shortcut Log praise on 1
submit "Praise for=@bob,@dave"
show #kudos
advance 1d4h
"""


def replay(tmp_path: Path, script: str) -> tuple[int, str]:
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    code = run_sandbox_session(database_url=f"sqlite:///{tmp_path / 'sandbox.db'}", script=str(path))
    return code, path.name


def test_a_script_shows_what_the_bot_posted_and_refused(tmp_path, capsys):
    code, _name = replay(tmp_path, SCRIPT)
    out = capsys.readouterr().out

    assert code == 0
    assert out.startswith("Offline sandbox: a stand-in for Slack on this machine; nothing leaves it. Type help.")
    assert "You are alice (Alice Wang, Network engineer) in #general." in out
    # Each line is echoed after the prompt, and the bot's answer follows without a `show`.
    praise = out.index("alice in #general › /praise @bob fixed the VPN in ten minutes")
    card = out.index("→ #kudos [1] · rapport", praise)
    assert out.index("@bob, praised by @alice", card) < out.index("alice in #general › /praise @alice", card)
    refusal = out.index("alice in #general › /praise @alice me, myself and I")
    assert "you can't praise yourself" in out[refusal:out.index("as erin")]
    assert "#kudos [2]" not in out[refusal:out.index("as erin")]
    # The customer's message mentions nobody, so Log praise asks whom it is for; the modal is shown.
    shortcut = out.index("alice in #acme-shared › shortcut Log praise on 1")
    assert "(Log praise on message [1] by erin (Acme Corp): “Great work on the migration, team!”)" in out
    assert "→ modal opened on your screen:" in out[shortcut:]
    submitted = out.index('submit "Praise for=@bob,@dave"')
    assert out.index("@bob & @dave, praised by @erin of Acme", submitted) < out.index("show #kudos", submitted)
    listing = out[out.index("== #kudos ==", submitted):]
    assert "[1] rapport" in listing and "[2] rapport" in listing
    assert "It is now " in out[out.index("advance 1d4h"):]


def test_a_line_that_cannot_run_stops_the_script_with_an_error(tmp_path, capsys):
    code, name = replay(tmp_path, "in #kudos\nclick \"Acknowledge\"\n/praise @bob never reached\n")
    out = capsys.readouterr().out

    assert code == 1
    assert "! No button 'Acknowledge' visible" in out
    assert f"stopped: line 2 of {tmp_path / name} could not be run" in out
    assert "never reached" not in out


def test_an_unknown_script_is_refused(tmp_path, capsys):
    assert run_sandbox_session(database_url=f"sqlite:///{tmp_path / 'sandbox.db'}", script="no-such-demo") == 2
    assert "shipped demos: tour" in capsys.readouterr().err


def test_the_console_script_replays_the_shipped_tour_from_any_directory(tmp_path):
    rapport = Path(sys.executable).with_name("rapport")
    result = subprocess.run([str(rapport), "sandbox", "--script", "tour"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "@bob, praised by @alice" in result.stdout
    assert "@bob, praised by @erin of Acme" in result.stdout
    assert not (tmp_path / "sandbox.db").exists()  # a replay leaves no database behind


def test_advance_shows_the_warning_and_the_breach_at_their_minute_across_a_weekend(sqlite_world):
    world = sqlite_world  # starts Fri 27 Nov 2026, 10:00 in Shanghai
    world.stand_in.clock = lambda: world.clock.now().timestamp()  # as `rapport sandbox` does
    out: list[str] = []
    sandbox = Sandbox(world, write=out.append)
    for line in ("/account add Acme customer", "/account set Acme channel #acme-internal", "advance 7h30m",
                 "/complaint Acme: the portal is down !critical", "in #acme-internal", 'click "I\'ll take it"'):
        sandbox.run(line)
    out.clear()
    sandbox.run("advance 3d")  # to Mon 30 Nov 17:30, over the weekend in one go
    shown = "\n".join(out)
    assert shown.startswith("  It is now Mon 30 Nov 2026 17:30 CST.")
    # Acknowledge within 1 business hour (30 min on Friday, the rest on Monday), resolve within 4.
    dms = [line.strip() for line in out if line.strip().startswith("→ DM with @alice")]
    assert dms == ["→ DM with @alice [1] · rapport · 09:18", "→ DM with @alice [2] · rapport · 09:30",
                   "→ DM with @alice [3] · rapport · 11:42", "→ DM with @alice [4] · rapport · 12:30"]
    assert "must be acknowledged by Mon 30 Nov 09:30 CST — 80% of its time has gone" in shown
    assert "must be resolved by Mon 30 Nov 12:30 CST — 80% of its time has gone" in shown
    assert "→ #escalations [1] · rapport · 09:30" in shown and "→ #escalations [2] · rapport · 12:30" in shown


def test_the_tour_runs_in_chinese_with_language_zh(tmp_path, capsys):
    code = run_sandbox_session(database_url=f"sqlite:///{tmp_path / 'sandbox.db'}", script="tour", language="zh")
    out = capsys.readouterr().out

    assert code == 0, out[-2000:]
    assert "── 表扬：alice 公开感谢 bob，表扬发到 #kudos。" in out  # the Chinese tour's own narration
    praise = out.index("alice in #general › /praise @bob 十分钟就修好了 VPN")
    assert "🏅 表扬信" in out[praise:] and "Praise" not in out[praise:out.index("/praise @alice", praise)]
    assert "It is now" not in out or "周" in out[out.index("It is now"):]  # dates in Chinese


def test_a_language_without_a_catalog_is_refused(tmp_path, capsys):
    assert run_sandbox_session(database_url=f"sqlite:///{tmp_path / 'sandbox.db'}", script="tour",
                               language="fr") == 2
    assert "no catalog for 'fr'" in capsys.readouterr().err
