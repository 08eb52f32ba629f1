"""People as Slack last described them, kept in memory and in the database (issue 10: users.info at most daily).

A tick reads every person once (`warm`), so looking up 200 digest subscribers asks Slack nothing for
those known today. What users.info answers is remembered here and written to the `person` table by a
writer thread: a look-up may happen inside another unit of work (SQLite holds one writer at a time),
and the writer simply waits its turn instead of the caller waiting on itself.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.platform.slack import SlackUser
from storage.db import Database
from storage.platform import people as store

log = logging.getLogger(__name__)

STALE = datetime(1970, 1, 1, tzinfo=UTC)  # "looked up long ago": every process asks Slack again
MAX_AGE = timedelta(days=1)  # people change time zone or language rarely; user_change events say so at once


def _system_now() -> datetime:
    return datetime.now(UTC)


class PeopleBook:
    """Who Rapport has looked up, with when; the database copy survives restarts and cron ticks."""

    def __init__(self, db: Database | None = None, *, now: Callable[[], datetime] = _system_now,
                 max_age: timedelta = MAX_AGE) -> None:
        self._db = db
        self._now = now
        self._max_age = max_age
        self._people: dict[str, tuple[datetime, SlackUser]] = {}
        self._lock = threading.Lock()
        self._writes: queue.Queue[tuple[datetime, SlackUser]] = queue.Queue()
        self._writer: threading.Thread | None = None

    def warm(self) -> int:
        """Read everyone from the database (at a tick's start, at start-up); how many are known."""
        if self._db is None:
            return 0
        try:
            with self._db.session() as session:
                rows = store.list_people(session)
        except SQLAlchemyError as exc:  # an unmigrated database: look people up as before
            log.warning("could not read people from the database: %s", exc.__class__.__name__)
            return 0
        with self._lock:
            for row in rows:
                known = self._people.get(row.user_id)
                if known is None or known[0] < row.refreshed_at:
                    self._people[row.user_id] = (row.refreshed_at, _user(row))
            return len(self._people)

    def known(self, user_id: str) -> SlackUser | None:
        """The person as last looked up, if that was within a day."""
        with self._lock:
            entry = self._people.get(user_id)
        if entry is None or self._now() - entry[0] >= self._max_age:
            return None
        return entry[1]

    def fresh_until(self, user_id: str) -> datetime | None:
        """When a look-up of this person next asks Slack again (None: never looked up)."""
        with self._lock:
            entry = self._people.get(user_id)
        return None if entry is None else entry[0] + self._max_age

    def last(self, user_id: str) -> SlackUser | None:
        """The person as last looked up, however long ago (when Slack cannot answer)."""
        with self._lock:
            entry = self._people.get(user_id)
        return entry[1] if entry else None

    def remember(self, user: SlackUser, *, stale: bool = False) -> None:
        """Keep what Slack said about a person, here and (soon) in the database; `stale`: to look up again."""
        at = STALE if stale else self._now()
        with self._lock:
            self._people[user.id] = (at, user)
        if self._db is not None:
            self._writes.put((at, user))
            self._start_writer()

    def flush(self) -> None:
        """Wait until everything remembered is in the database (end of a tick, tests)."""
        if self._writer is not None:
            self._writes.join()

    def _start_writer(self) -> None:
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_forever, name="rapport-people", daemon=True)
                self._writer.start()

    def _write_forever(self) -> None:
        assert self._db is not None
        while True:
            at, user = self._writes.get()
            try:
                with self._db.session() as session:
                    store.save_person(session, user_id=user.id, team_id=user.team_id, name=user.name, tz=user.tz,
                                      locale=user.locale, is_bot=user.is_bot, refreshed_at=at)
            except SQLAlchemyError as exc:  # kept in memory; the next look-up after a day writes it again
                log.warning("could not save %s: %s", user.id, exc.__class__.__name__)
            finally:
                self._writes.task_done()


def _user(row: store.Person) -> SlackUser:
    return SlackUser(id=row.user_id, team_id=row.team_id, name=row.name, tz=row.tz, is_bot=row.is_bot,
                     locale=row.locale)
