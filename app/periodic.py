"""Periodic jobs as one declarative list, enqueued by every worker's scheduler thread.

Each entry runs at most once per interval across all workers: a Redis SET NX with the
interval as expiry elects the enqueuer, so adding workers adds no duplicate sweeps. An entry
is never retried: a failed run is simply followed by the next interval's.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import Flask

from app import jobs
from app.queues import CRISIS, DEFAULT, SMS, enqueue
from app.redis_client import get_redis

log = logging.getLogger(__name__)
TICK = 5.0  # seconds between checks


@dataclass(frozen=True)
class Periodic:
    """Run `func` (a name in app.jobs) on `queue` every `every` seconds."""

    name: str
    func: str
    every: int
    queue: str = DEFAULT
    timeout: int = 120


PERIODIC: tuple[Periodic, ...] = (
    # Inbound SMS left waiting (Redis lost the wake-up, or a worker died holding a lease).
    Periodic("sms-wake-inbound", jobs.WAKE_INBOUND, every=60, queue=SMS, timeout=10),
    Periodic("sms-sweep-outbox", jobs.SWEEP_OUTBOX, every=60),
    Periodic("sms-sweep-broadcasts", jobs.SWEEP_BROADCASTS, every=120),
    # Safety net: each incident also schedules its own check for when it falls due.
    Periodic("crisis-escalate", jobs.ESCALATE_OVERDUE, every=60, queue=CRISIS, timeout=60),
)


def enqueue_due(app: Flask, entries: tuple[Periodic, ...] = PERIODIC) -> list[str]:
    """Enqueue the entries whose interval has passed; the names enqueued."""
    done = []
    with app.app_context():
        redis = get_redis()
        for entry in entries:
            if redis.set(f"melek:periodic:{entry.name}", b"1", nx=True, ex=entry.every):
                enqueue(entry.queue, entry.func, timeout=entry.timeout, retry=False)
                done.append(entry.name)
    return done


def start(app: Flask, stop: threading.Event) -> threading.Thread:
    """A daemon thread enqueueing due entries every TICK seconds until `stop` is set."""

    def loop() -> None:
        while not stop.wait(TICK):
            try:
                enqueue_due(app)
            except Exception as exc:  # Redis down: try again next tick
                log.warning("periodic: enqueue failed", extra={"error": type(exc).__name__})

    thread = threading.Thread(target=loop, name="melek-periodic", daemon=True)
    thread.start()
    return thread
