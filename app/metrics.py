"""Prometheus metrics: request counts and latency per endpoint, queue lengths at scrape."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, Metric, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from app.queues import ALL, get_queue
from app.sms import inbound, reply_budget

INBOX_LABEL = "sms-inbox"
QUEUE_HELP = "Jobs waiting per RQ queue; sms-inbox: inbound SMS stored and not yet handled"

# The `method` label takes only these values; any other method a client sends counts as
# "other" (one series, not one per junk method).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0)


class Metrics:
    """The app's metric objects, on a registry of its own (several apps live in one test run)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "melek_http_requests", "HTTP requests", ["endpoint", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "melek_http_request_duration_seconds",
            "Time to answer a request",
            ["endpoint"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.queue_lengths: dict[str, int] = {}  # read from Redis at scrape; the last known on failure
        self.replies: tuple[int, dict[str, int]] = (0, {})  # app.sms.reply_budget.this_hour(), at scrape
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its time (label children kept: a webhook calls this a lot)."""
        children = self._children.get((endpoint, method, status))
        if children is None:
            children = (self.latency.labels(endpoint), self.requests.labels(endpoint, method, str(status)))
            self._children[(endpoint, method, status)] = children
        children[0].observe(seconds)
        children[1].inc()

    def scrape(self) -> bytes:
        """Text exposition; under gunicorn with PROMETHEUS_MULTIPROC_DIR, all workers' values.

        Queue lengths are one gauge read at scrape time, not a metric object: under gunicorn a
        Gauge would also be written per worker to the multi-process files and show twice.
        """
        queues = CollectorRegistry()
        queues.register(QueueLengths(self.queue_lengths))
        queues.register(ReplyBudget(*self.replies))
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
            return generate_latest(merged) + generate_latest(queues)
        return generate_latest(self.registry) + generate_latest(queues)


class QueueLengths(Collector):
    """melek_queue_length{queue=...} from the values given."""

    def __init__(self, lengths: dict[str, int]) -> None:
        self.lengths = lengths

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("melek_queue_length", QUEUE_HELP, labels=["queue"])
        for name, length in self.lengths.items():
            family.add_metric([name], length)
        yield family


class ReplyBudget(Collector):
    """This hour's automatic replies and refusals (app.sms.reply_budget), read from Redis at scrape.

    Alert on melek_sms_replies_refused{reason="hourly_budget"} > 0: the budget tripped.
    """

    def __init__(self, used: int, refused: dict[str, int]) -> None:
        self.used, self.refused = used, refused

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily("melek_sms_replies_this_hour", "Automatic SMS replies counted this hour", self.used)
        family = GaugeMetricFamily(
            "melek_sms_replies_refused", "Automatic SMS replies refused this hour, by reason", labels=["reason"]
        )
        for reason, count in self.refused.items():
            family.add_metric([reason], count)
        yield family


def init_app(app: Flask) -> None:
    """Time every request and count it by endpoint and status."""
    metrics = Metrics()
    app.extensions["metrics"] = metrics

    @app.after_request
    def _observe(response: Any) -> Any:
        seconds = time.perf_counter() - g.started if "started" in g else 0.0  # set by app.logs
        method = request.method if request.method in METHODS else "other"
        metrics.observe(request.endpoint or "unmatched", method, response.status_code, seconds)
        return response


def exposition() -> Response:
    """Fill the queue gauges from Redis (best effort) and render the metrics."""
    metrics: Metrics = current_app.extensions["metrics"]
    for name in (*ALL, INBOX_LABEL):
        try:
            metrics.queue_lengths[name] = waiting(name)
        except Exception:  # Redis down: leave the last value; /readyz reports the outage
            pass
    try:
        metrics.replies = reply_budget.this_hour()
    except Exception:  # as above
        pass
    return Response(metrics.scrape(), content_type=CONTENT_TYPE_LATEST)


def waiting(name: str) -> int:
    """Jobs waiting on an RQ queue; for INBOX_LABEL, inbound SMS waiting in the database."""
    return inbound.waiting() if name == INBOX_LABEL else int(get_queue(name).count)
