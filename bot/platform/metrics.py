"""What `GET /metrics` shows in Prometheus's text format: acks by surface, the outbox, deliveries and ticks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from storage.db import Database
from storage.platform import outbox as store

# Slack waits 3 s for an ack; the buckets resolve the range people notice and the deadline itself.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0)
TICK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0)


class Metrics:
    """One process's metrics, in a registry of its own (tests run several apps in one process)."""

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self.registry = CollectorRegistry()
        self.acks = Counter("rapport_acks", "Requests from Slack answered, by surface and outcome",
                            ["surface", "outcome"], registry=self.registry)
        self.ack_seconds = Histogram("rapport_ack_seconds", "Time to answer a request from Slack, by surface",
                                     ["surface"], buckets=ACK_BUCKETS, registry=self.registry)
        self.deliveries = Counter("rapport_outbox_deliveries", "Outbox sends by outcome (sent, retried, failed) "
                                  "and Slack's error", ["outcome", "error"], registry=self.registry)
        self.tick_seconds = Histogram("rapport_tick_seconds", "Time each job of a tick took", ["job"],
                                      buckets=TICK_BUCKETS, registry=self.registry)
        self.registry.register(_OutboxCollector(db, now))

    def ack(self, surface: str, outcome: str, seconds: float) -> None:
        """Count one answered request."""
        self.acks.labels(surface, outcome).inc()
        self.ack_seconds.labels(surface).observe(seconds)

    def delivery(self, outcome: str, error: str | None) -> None:
        """Count one outbox send."""
        self.deliveries.labels(outcome, error or "").inc()

    def tick_job(self, job: str, seconds: float) -> None:
        """Record how long one job of a tick took."""
        self.tick_seconds.labels(job).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        """The exposition and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class _OutboxCollector(Collector):
    """Reads the outbox's backlog at each scrape, so every replica reports the shared queue as it is."""

    def __init__(self, db: Database, now: Callable[[], datetime]) -> None:
        self._db, self._now = db, now

    def collect(self) -> Iterator[Metric]:
        with self._db.session() as session:
            backlog = store.backlog(session, now=self._now())
        depth = GaugeMetricFamily("rapport_outbox_depth", "Outbox messages not yet sent, by status",
                                  labels=["status"])
        for status in ("pending", "sending", "failed"):
            depth.add_metric([status], backlog[status])
        yield depth
        yield GaugeMetricFamily("rapport_outbox_due", "Outbox messages due now and not yet sent",
                                value=backlog["due"])
        yield GaugeMetricFamily("rapport_outbox_oldest_due_seconds", "How long the oldest due message has waited",
                                value=backlog["oldest_due_seconds"])
