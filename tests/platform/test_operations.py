"""What an operator sees: GET /healthz (the database, the schema, the outbox backlog), GET /metrics, and one
log line per request and per delivery (JSON with `--log-format json`)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from bot.platform.logs import JsonFormatter
from bot.sandbox.world import World
from storage.db import make_engine
from tests.expect import last_ephemeral_text, posts_in


def get(world: World, path: str) -> tuple[int, str]:
    """GET a path of the app; (status, body)."""
    try:
        with urllib.request.urlopen(world.url + path, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus's text format (0 when absent)."""
    for line in metrics.splitlines():
        found, _, value = line.rpartition(" ")
        found_name, _, found_labels = found.partition("{")
        pairs = dict(pair.split("=", 1) for pair in found_labels.rstrip("}").split(",") if pair)
        if found_name == name and pairs == {key: f'"{value}"' for key, value in labels.items()}:
            return float(value)
    return 0.0


def praise(world: World, text_: str = "@bob handled the outage") -> None:
    seen = len(world.stand_in.ephemerals(user="U0ALICE"))
    world.slack.command("U0ALICE", "#general", "/praise", text_)
    last_ephemeral_text(world, "U0ALICE", count=seen + 1)
    world.wait_until_idle()


def test_healthz_reports_the_database_schema_and_outbox_backlog(world):
    status, body = get(world, "/healthz")
    assert status == 200
    health = json.loads(body)
    assert health["ok"] is True and health["database"] == "ok" and health["schema"]
    assert health["outbox"]["due"] == 0 and health["outbox"]["oldest_due_seconds"] == 0
    world.stand_in.fail_next("chat.postMessage", status=503, times=2)
    praise(world)
    world.advance(timedelta(seconds=10))  # the praise waits for its retry: due again later, not yet
    health = json.loads(get(world, "/healthz")[1])
    assert health["outbox"]["pending"] == 1 and health["outbox"]["due"] == 0
    world.clock.advance(timedelta(minutes=5))
    health = json.loads(get(world, "/healthz")[1])
    assert health["outbox"]["due"] == 1 and health["outbox"]["oldest_due_seconds"] > 60


def test_healthz_is_not_ready_while_the_schema_is_being_migrated(sqlite_world):
    world = sqlite_world
    with world.services.db.session() as session:
        head = session.exec(text("SELECT version_num FROM alembic_version")).scalar()
        session.exec(text("UPDATE alembic_version SET version_num = '0001'"))
    status, body = get(world, "/healthz")
    assert status == 503 and json.loads(body) == {"ok": False, "database": "ok", "schema": "0001", "needs": head,
                                                  "migrating": True}


def test_healthz_is_503_when_the_database_does_not_answer(sqlite_world, tmp_path):
    world = sqlite_world
    world.services.db.dispose()
    world.services.db.engine = make_engine(f"sqlite:///{tmp_path / 'gone' / 'nothing.db'}")  # a lost volume
    status, body = get(world, "/healthz")
    assert status == 503 and json.loads(body)["ok"] is False


def test_metrics_count_acks_by_surface_deliveries_the_outbox_and_tick_jobs(sqlite_world):
    world = sqlite_world
    praise(world)
    world.slack.command("U0ALICE", "#general", "/praise", "help")
    world.wait_until_idle()
    world.stand_in.fail_next("chat.postMessage", status=503, times=2)
    praise(world, "@dave fixed the backups")
    world.advance(timedelta(seconds=1))
    status, metrics = get(world, "/metrics")
    assert status == 200
    assert sample(metrics, "rapport_acks_total", surface="command", outcome="ok") == 3
    assert sample(metrics, "rapport_ack_seconds_count", surface="command") == 3
    assert sample(metrics, "rapport_outbox_deliveries_total", outcome="sent", error="") == 1
    assert sample(metrics, "rapport_outbox_deliveries_total", outcome="retried", error="service_unavailable") == 1
    assert sample(metrics, "rapport_outbox_depth", status="pending") == 1
    assert sample(metrics, "rapport_outbox_due") == 0
    assert sample(metrics, "rapport_tick_seconds_count", job="run_due_digests") == 1
    assert sample(metrics, "rapport_tick_seconds_count", job="deliver_due") == 1
    world.advance(timedelta(minutes=2))
    metrics = get(world, "/metrics")[1]
    assert sample(metrics, "rapport_outbox_deliveries_total", outcome="sent", error="") == 2
    assert sample(metrics, "rapport_outbox_depth", status="pending") == 0
    assert len(posts_in(world, "C0KUDOS")) == 2


@pytest.fixture
def json_lines() -> Iterator[list[dict[str, Any]]]:
    """What the request and delivery loggers write with `--log-format json`, parsed back."""
    parsed: list[dict[str, Any]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            parsed.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("rapport.request"), logging.getLogger("rapport.delivery")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield parsed
    for logger in loggers:
        logger.removeHandler(handler)


def test_json_logs_have_a_line_per_request_and_per_delivery(sqlite_world, json_lines):
    world = sqlite_world
    praise(world)
    requests = [line for line in json_lines if line["logger"] == "rapport.request"]
    deliveries = [line for line in json_lines if line["logger"] == "rapport.delivery"]
    assert [(r["surface"], r["id"], r["user"], r["outcome"]) for r in requests] == \
        [("command", "/praise", "U0ALICE", "ok")]
    assert requests[0]["ms"] >= 0 and requests[0]["level"] == "INFO"
    assert [(d["outcome"], d["method"], d["lane"]) for d in deliveries] == [("sent", "post", "channel:C0KUDOS")]
