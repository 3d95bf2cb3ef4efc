"""RQ workers for the app: the job class, the queues, timings chosen for fast recovery.

`flask worker` (app/cli/worker.py) runs one; job functions live in workers/ (entry points)
and are named in app/jobs.py.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from flask import Flask
from rq import SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer

from app import periodic
from app.database import begin_writes_everywhere
from app.logs import quiet_rq
from app.queues import ALL, PermanentFailure
from app.redis_client import worker_redis

# Recovery timing. A job whose worker dies stays in RQ's StartedJobRegistry until its
# heartbeat expires (SimpleWorker: job timeout + 60 s) and is then retried at the next
# maintenance pass of any worker. Maintenance is due every MAINTENANCE_INTERVAL s and checked
# whenever the blocking dequeue wakes (every WORKER_TTL - 15 s), so passes are at most 20 s
# apart. With the default 30 s job timeout a killed worker's job reruns within 90 + 20 =
# 110 s: under the two minutes the design asks for (tests/test_worker.py measures it).
WORKER_TTL = 25
MAINTENANCE_INTERVAL = 10


class FlaskJob(Job):
    """Runs each job inside `app.app_context()`; `make_worker` sets `FlaskJob.app`."""

    app: ClassVar[Flask | None] = None

    def perform(self) -> Any:
        if FlaskJob.app is None:
            raise RuntimeError("FlaskJob.app is not set: start workers with `flask worker`")
        with FlaskJob.app.app_context():
            begin_writes_everywhere()  # SQLite: a job's transactions queue for the write lock, never race it
            try:
                return super().perform()
            except PermanentFailure:
                # No retry: the job lands in RQ's failed registry with this exception as reason.
                self.retries_left = 0
                raise


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
        log_job_description=False,  # job arguments (numbers, texts) stay out of the log
    )


def run(app: Flask, queues: tuple[str, ...] = ALL, burst: bool = False, with_scheduler: bool = True) -> bool:
    """Work until stopped (or until the queues are empty with `burst`)."""
    quiet_rq()
    worker = make_worker(app, queues)
    stop = threading.Event()
    if with_scheduler and not burst:
        periodic.start(app, stop)  # the sweepers and other periodic jobs (app/periodic.py)
    try:
        return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level=app.config["LOG_LEVEL"])
    finally:
        stop.set()
