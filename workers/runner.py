"""Starting RQ workers for the app: queues, job class, timings chosen for fast recovery."""

from __future__ import annotations

import threading

from flask import Flask
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from app.queues import ALL
from app.redis_client import worker_redis
from workers import periodic
from workers.job import FlaskJob

# Recovery timing. A job whose worker dies stays in RQ's StartedJobRegistry until its
# heartbeat expires (SimpleWorker: job timeout + 60 s) and is then retried at the next
# maintenance pass of any worker. Maintenance is due every MAINTENANCE_INTERVAL s and checked
# whenever the blocking dequeue wakes (every WORKER_TTL - 15 s), so passes are at most 20 s
# apart. With the default 30 s job timeout a killed worker's job reruns within 90 + 20 =
# 110 s: under the two minutes the design asks for (tests/test_worker.py measures it).
WORKER_TTL = 25
MAINTENANCE_INTERVAL = 10


def make_worker(app: Flask, queues: tuple[str, ...] = ALL, name: str | None = None) -> SimpleWorker:
    """A SimpleWorker (no fork per job) on the app's queues, running jobs in app context."""
    FlaskJob.app = app
    connection = worker_redis(app.config["REDIS_URL"])
    return SimpleWorker(
        list(queues),
        name=name,
        connection=connection,
        job_class=FlaskJob,
        serializer=JSONSerializer,
        worker_ttl=WORKER_TTL,
        maintenance_interval=MAINTENANCE_INTERVAL,
    )


def run(app: Flask, queues: tuple[str, ...] = ALL, burst: bool = False, with_scheduler: bool = True) -> bool:
    """Work until stopped (or until the queues are empty with `burst`)."""
    worker = make_worker(app, queues)
    stop = threading.Event()
    if with_scheduler and not burst:
        periodic.start(app, stop)  # the sweepers and other periodic jobs (workers/periodic.py)
    try:
        return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level=app.config["LOG_LEVEL"])
    finally:
        stop.set()
