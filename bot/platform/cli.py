"""The `rapport` command: start | serve | tick | sandbox | db | when | outbox | forget."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.platform.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger("rapport")


class CannotStart(Exception):
    """Something outside Rapport (Slack) is out of reach; the message says what was tried."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic narrates each step; the one line Rapport logs or prints says what was done to the schema.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    command: Callable[[argparse.Namespace], int] = getattr(args, "run", None) or run_start
    try:
        return command(args)
    except ConfigError as exc:
        print(f"rapport: configuration error: {exc}", file=sys.stderr)
        return 2
    except CannotStart as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapport", description="Business relationship management in Slack.")
    sub = parser.add_subparsers(metavar="COMMAND")

    start = sub.add_parser("start", help="serve on Slack when tokens are set, else open the offline sandbox")
    start.set_defaults(run=run_start)

    serve = sub.add_parser("serve", help="connect to Slack (Socket Mode, or --http)")
    serve.add_argument("--http", action="store_true", help="serve POST /slack/events instead of Socket Mode")
    serve.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run tick in this process")
    serve.add_argument("--log-format", choices=("text", "json"), default="text",
                       help="log lines as text, or one JSON object a line (default text)")
    serve.set_defaults(run=run_serve)

    tick = sub.add_parser("tick", help="run one pass of the scheduler and exit")
    tick.add_argument("--at", type=_iso_datetime, help="pretend it is this ISO-8601 moment (implies --full)")
    tick.add_argument("--full", action="store_true",
                      help="run every due-work function even when the last tick found nothing due (e.g. after "
                           "editing the database by hand)")
    tick.set_defaults(run=run_tick)

    sandbox = sub.add_parser("sandbox", help="an offline Slack stand-in in your terminal")
    sandbox.add_argument("--script", help="replay the commands in FILE, then exit")
    sandbox.add_argument("--database", help="database URL (default: sandbox.db; a throwaway one with --script)")
    sandbox.add_argument("--language", help="everyone's Slack language and RAPPORT_LANGUAGE, e.g. zh (default: en)")
    sandbox.set_defaults(run=run_sandbox)

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply Alembic migrations").set_defaults(run=run_db_upgrade)
    db_sub.add_parser("status", help="show the database's migration").set_defaults(run=run_db_status)

    when = sub.add_parser("when", help="show how a date in plain language is read")
    when.add_argument("text")
    when.add_argument("--tz", help="time zone (default RAPPORT_TIMEZONE)")
    when.add_argument("--now", type=_iso_datetime, help="read relative to this ISO-8601 moment")
    when.set_defaults(run=run_when)

    outbox = sub.add_parser("outbox", help="list outbox messages (failed ones with --failed)")
    outbox.add_argument("--failed", action="store_true")
    outbox.add_argument("--limit", type=int, default=50)
    outbox.set_defaults(run=run_outbox)

    forget = sub.add_parser("forget", help="remove a person's captured messages' text and their name (counts stay)")
    forget.add_argument("user", help="their Slack user ID, e.g. U0123ABCD")
    forget.set_defaults(run=run_forget)
    return parser


def _iso_datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 moment: {text!r} (e.g. 2026-12-01T09:00:00+08:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_start(args: argparse.Namespace) -> int:
    """Slack when configured, otherwise the sandbox (saying so)."""
    settings = load_settings()
    if settings.slack_configured:
        return run_serve(argparse.Namespace(http=not settings.slack_app_token, port=3000, no_scheduler=False))
    print("No SLACK_BOT_TOKEN configured: starting the offline sandbox (see README › Connecting to Slack).")
    return run_sandbox(argparse.Namespace(script=None, database=None, language=None))


def _prepare(settings: Settings, *, upgrade: bool = True) -> str:
    """Bring the database schema up to date (or, with upgrade=False, check it is), or stop with one clear line.

    Returns what was done, e.g. "upgraded from empty to 0012".
    """
    from storage.db import Database
    from storage.schema_version import code_head, is_current

    database = Database(settings.database_url)
    try:
        if is_current(database.engine):  # the usual case, answered without loading Alembic
            return f"up to date (at {code_head()})" if upgrade else "up to date"
        return _migrate(database, upgrade=upgrade)
    except ConfigError:
        raise
    except Exception as exc:  # unreachable server, bad credentials…
        raise ConfigError(f"DATABASE_URL: cannot use the database ({exc.__class__.__name__}: {exc})") from None
    finally:
        database.dispose()


def _migrate(database: Database, *, upgrade: bool) -> str:
    """Upgrade (or refuse, saying how) a database that is not at this code's newest migration."""
    from storage.migrate import SchemaError, ensure_current, require_current

    try:
        if upgrade:
            return ensure_current(database.engine)
        require_current(database.engine)
        return "up to date"
    except SchemaError as exc:
        raise ConfigError(f"DATABASE_URL: {exc}") from None


def run_serve(args: argparse.Namespace) -> int:
    """Connect to Slack and serve until interrupted."""
    from bot.platform.app import create_app, freeze_startup_heap
    from bot.platform.assemble import build_services
    from bot.platform.scheduler import start_scheduler

    settings = load_settings()
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN: required to connect to Slack (or run `rapport sandbox` offline)")
    if args.http and not settings.slack_signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET: required in HTTP mode to check that requests come from Slack")
    if not args.http and not settings.slack_app_token:
        raise ConfigError("SLACK_APP_TOKEN: required for Socket Mode (an xapp- token), or use --http")
    from bot.platform import logs

    logs.configure(getattr(args, "log_format", "text"))
    log.info("database: %s", _prepare(settings))
    _check_slack(settings)
    services = build_services(settings, metrics=True)
    app = create_app(services)
    scheduler = None if args.no_scheduler else start_scheduler(services)
    freeze_startup_heap()
    try:
        if args.http:
            from bot.platform.gate import Gate, replay_memory
            from bot.platform.http import create_server

            gate = Gate(settings.slack_signing_secret or "", replay_memory(settings.database_url))
            server = create_server(app, gate, services=services, port=args.port)
            log.info("serving POST /slack/events, GET /healthz and GET /metrics on port %s", args.port)
            server.run()
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(app, settings.slack_app_token).start()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    finally:
        if scheduler:
            scheduler.shutdown(wait=False)
    return 0


def _check_slack(settings: Settings) -> None:
    """Ask Slack who the bot is (auth.test, as Bolt does at start), or stop with one line saying what was tried."""
    from slack_sdk.errors import SlackApiError

    from bot.platform.slack import make_client

    try:
        make_client(settings.slack_bot_token, settings.slack_api_url).auth_test()
    except SlackApiError as refused:
        error = refused.response.get("error")
        if refused.response.status_code < 429:
            raise ConfigError(f"SLACK_BOT_TOKEN: Slack refused it ({error} from auth.test)") from None
        raise CannotStart(f"Slack could not be reached: tried auth.test at {settings.slack_api_url} "
                          f"(HTTP {refused.response.status_code} {error}); try again later") from None
    except Exception as unreachable:  # connection refused, no DNS, timeout, TLS…
        reason = getattr(unreachable, "reason", None) or unreachable
        raise CannotStart(f"Slack could not be reached: tried auth.test at {settings.slack_api_url} ({reason}); "
                          "check SLACK_API_URL and the network, then start again") from None


def run_tick(args: argparse.Namespace) -> int:
    """One scheduler pass; prints what was queued and delivered."""
    settings = load_settings()
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN: required to deliver what tick finds due")
    now = args.at or datetime.now(UTC)
    if args.at is None and not args.full and _idle(settings, now):
        return 0
    log.info("database: %s", _prepare(settings))
    from bot.platform.assemble import build_services
    from bot.platform.scheduler import tick

    services = build_services(settings)
    report = tick(services, now)
    print(f"tick at {now.isoformat()}: queued {sum(report.queued.values())}, sent {len(report.delivery.sent)}, "
          f"retrying {len(report.delivery.retried)}, failed {len(report.delivery.failed)}")
    return 1 if report.errors else 0


def _idle(settings: Settings, now: datetime) -> bool:
    """True (after logging one line) when the last full tick vouched that nothing is due before a later moment."""
    from bot.platform.idle import idle_until

    idle = idle_until(settings, now)
    if idle is None:
        return False
    log.info("tick at %s: idle, nothing changed since the last full tick and nothing is due %s", now.isoformat(),
             "until something changes" if idle.until is None else f"before {idle.until.isoformat()}")
    return True


def run_sandbox(args: argparse.Namespace) -> int:
    """The offline sandbox."""
    import tempfile

    from bot.sandbox.terminal import run_sandbox_session

    language = getattr(args, "language", None)
    if args.database or not args.script:
        return run_sandbox_session(database_url=args.database or "sqlite:///sandbox.db", script=args.script,
                                   language=language)
    # A replay starts from nothing every time, so a demo reads the same on every run.
    with tempfile.TemporaryDirectory(prefix="rapport-sandbox-") as folder:
        return run_sandbox_session(database_url=f"sqlite:///{folder}/sandbox.db", script=args.script,
                                   language=language)


def run_db_upgrade(args: argparse.Namespace) -> int:
    """Apply migrations and say what was done."""
    print(f"database: {_prepare(load_settings())}")
    return 0


def run_db_status(args: argparse.Namespace) -> int:
    """Print the current and newest migration."""
    from storage.db import Database
    from storage.migrate import revisions

    database = Database(load_settings().database_url)
    current, head = revisions(database.engine)
    print(f"database at {current or 'empty'}; newest migration {head}")
    return 0 if current == head else 1


def run_when(args: argparse.Namespace) -> int:
    """Print how a date is read (ISO-8601 first, then in words), or a repeating rule and its next dates."""
    from zoneinfo import ZoneInfo

    from bot.calendar.recurrence import describe_rule
    from bot.calendar.when import describe, to_iso
    from bot.calendar.workdays import WorkCalendar
    from bot.platform.errors import InvalidInput
    from bot.rhythm.commands import read_date_or_rule

    settings = load_settings()
    tz = ZoneInfo(args.tz or settings.rapport_timezone)
    calendar = WorkCalendar.from_settings(settings.rapport_country, tz.key, settings.rapport_business_hours)
    now = args.now or datetime.now(UTC)
    try:
        rule, moments = read_date_or_rule(args.text, now=now, calendar=calendar)
    except InvalidInput as unreadable:  # says what could not be read and gives forms that work
        print(unreadable.message, file=sys.stderr)
        return 1
    if rule is None:
        print(to_iso(moments[0].at.astimezone(tz)))
        print(describe(moments[0].at, tz, language=settings.rapport_language))
        return 0
    print(describe_rule(rule))
    for moment in moments:
        print(f"{to_iso(moment.at.astimezone(tz))}  {describe(moment.at, tz, language=settings.rapport_language)}")
    return 0


def run_outbox(args: argparse.Namespace) -> int:
    """List outbox messages, newest first; a database not yet upgraded is not changed, only named."""
    from storage.db import Database
    from storage.platform.outbox import OutboxStatus, list_messages

    settings = load_settings()
    _prepare(settings, upgrade=False)
    database = Database(settings.database_url)
    with database.session() as session:
        rows = list_messages(session, status=OutboxStatus.FAILED if args.failed else None, limit=args.limit)
    for row in rows:
        target = row.payload.get("channel") or row.payload.get("user") or row.payload.get("original_key")
        print(f"#{row.id} {row.status:<8} {row.dedupe_key} -> {target} attempts={row.attempts}"
              + (f" error={row.last_error}" if row.last_error else ""))
    if not rows:
        print("no failed messages" if args.failed else "the outbox is empty")
    return 0


def run_forget(args: argparse.Namespace) -> int:
    """Forget a person's captured text and name; prints what was changed."""
    from bot.care.forget import forget_person
    from bot.platform.errors import InvalidInput
    from storage.db import Database

    settings = load_settings()
    log.info("database: %s", _prepare(settings))
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            forgotten = forget_person(session, user_id=args.user, now=datetime.now(UTC))
    except InvalidInput as refused:
        print(f"rapport: {refused.message}", file=sys.stderr)
        return 2
    print(f"forgot {args.user}: {forgotten.messages} captured messages and {forgotten.touchpoints} touchpoints "
          "no longer hold their words or name; counts and response times stay")
    return 0


if __name__ == "__main__":
    sys.exit(main())
