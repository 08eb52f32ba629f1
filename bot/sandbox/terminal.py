"""`rapport sandbox`: the real Rapport against a stand-in for Slack on this machine, in a terminal."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from bot.sandbox.commands import Sandbox
    from bot.sandbox.world import World

log = logging.getLogger(__name__)

BANNER = "Offline sandbox: a stand-in for Slack on this machine; nothing leaves it. Type help."
DEMOS = Path(__file__).parent / "demo"
SLACK_LOCALES = {"zh_Hans": "zh-CN", "en": "en-US"}  # a catalog, as Slack names the language in users.info
SHORT_NAMES = {"zh_Hans": "zh"}  # a catalog, as a demo's file name says it (tour.zh.txt)
NARRATION = "##"  # script lines starting with this are printed as the tour's commentary
# A terminal session needs none of the start-up chatter (migrations, the HTTP server) nor Bolt's
# warnings about requests it did not handle: the sandbox reports those itself, as Slack would show them.
_QUIET_LOGGERS = {"": logging.WARNING, "rapport.bolt": logging.ERROR}


def run_sandbox_session(*, database_url: str, script: str | None = None, language: str | None = None) -> int:
    """Open the sandbox on `database_url`, then replay `script` (a file or a shipped demo) or read the terminal.

    With `language` (e.g. zh), everyone in the stand-in's workspace reads Slack in it and it is RAPPORT_LANGUAGE,
    and a shipped demo is played in its version for that language when there is one (tour.zh.txt).
    """
    from bot.platform.i18n import available_languages, normalize

    chosen = normalize(language) if language else None
    if language and chosen is None:
        print(f"rapport sandbox: no catalog for {language!r} (languages: {', '.join(available_languages())})",
              file=sys.stderr)
        return 2
    lines: list[str] | None = None
    if script is not None:
        path = find_script(script, language=chosen)
        if path is None:
            print(f"rapport sandbox: no script {script!r} (shipped demos: {', '.join(demo_names())})", file=sys.stderr)
            return 2
        lines = path.read_text(encoding="utf-8").splitlines()
    with _quiet_logs():
        from bot.sandbox.commands import Sandbox
        from bot.sandbox.world import World
        from storage.migrate import SchemaError

        try:
            world = World(database_url, start=datetime.now(UTC).replace(microsecond=0), migrate=True,
                          **({"rapport_language": chosen} if chosen else {}))
        except SchemaError as exc:
            print(f"rapport sandbox: {database_url}: {exc}", file=sys.stderr)
            return 2
        # Message timestamps follow the sandbox clock, so what `advance` posts carries its time.
        world.stand_in.clock = lambda: world.clock.now().timestamp()
        if chosen:
            speak_everywhere(world, chosen)
        try:
            sandbox = Sandbox(world, language=chosen)
            print(BANNER)
            print(f"Database: {_describe_database(database_url)}. Clock: {_clock(sandbox)}.")
            print(f"You are {sandbox.where()}.")
            print()
            if script is None or lines is None:
                return _interact(sandbox)
            return _replay(sandbox, lines, script)
        finally:
            world.close()


def speak_everywhere(world: World, language: str) -> None:
    """Everyone in the stand-in's workspace reads Slack in `language` (their Slack locale)."""
    locale = SLACK_LOCALES.get(language, language.replace("_", "-"))
    for user in world.stand_in.workspace.users.values():
        user.locale = locale


def find_script(name: str, *, language: str | None = None) -> Path | None:
    """A script file, or a shipped demo by its bare name (`tour`), in `language`'s version when there is one."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    if given.name == name:
        short = SHORT_NAMES.get(language or "", language)
        translated = [DEMOS / f"{name}.{short}.txt"] if short else []
        for candidate in (*translated, DEMOS / name, DEMOS / f"{name}.txt"):
            if candidate.is_file():
                return candidate
    return None


def demo_names() -> list[str]:
    """The demos shipped in bot/demo."""
    return sorted(path.stem for path in DEMOS.glob("*.txt") if "." not in path.stem)  # tour.zh is the tour


def _describe_database(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        if Path(parsed.database).parent.name.startswith("rapport-sandbox-"):
            return "a throwaway SQLite file, gone when the script ends"
        return f"{parsed.database} (kept between sessions; delete it to start afresh)"
    return parsed.render_as_string(hide_password=True)


def _clock(sandbox: Sandbox) -> str:
    from bot.sandbox.render import when

    return f"{when(sandbox.world.now(), sandbox.zone)}, moved only by `advance`"


def _interact(sandbox: Sandbox) -> int:
    """Read lines from the terminal until `quit` or end of input."""
    from bot.sandbox.parsing import SandboxError

    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (gives input() line editing and history)
    while True:
        try:
            line = input(sandbox.prompt())
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print("\n(type quit to leave)")
            continue
        try:
            if not sandbox.run(line):
                return 0
        except SandboxError as exc:
            print(f"  ! {exc}")
        except Exception:  # a bug must not end the session; the log shows where it is
            log.exception("sandbox: %r failed", line)


def _replay(sandbox: Sandbox, lines: list[str], name: str) -> int:
    """Run a script's lines as if typed; stop with 1 at the first line that cannot run."""
    from bot.sandbox.parsing import SandboxError

    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith(NARRATION):
            print(text.removeprefix(NARRATION).strip())
            continue
        if not text or text.startswith("#"):
            continue
        print(sandbox.prompt() + text)
        try:
            if not sandbox.run(text):
                return 0
        except SandboxError as exc:
            print(f"  ! {exc}")
            print(f"stopped: line {number} of {name} could not be run")
            return 1
        except Exception:
            log.exception("sandbox: line %s of %s failed", number, name)
            print(f"stopped: line {number} of {name} failed (see the log above)")
            return 1
        print()
    return 0


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Raise the levels of chatty loggers for the session, and put them back after."""
    saved = {name: logging.getLogger(name).level for name in _QUIET_LOGGERS}
    for name, level in _QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, level))
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
