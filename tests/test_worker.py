"""Jobs run through a real RQ SimpleWorker, inside an app context, with JSON arguments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask, current_app
from rq.registry import StartedJobRegistry

from app import jobs, worker
from app.queues import DEFAULT, enqueue, get_queue
from tests.helpers import run_worker_burst


@pytest.fixture(autouse=True)
def _test_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """This module's own job functions, registered for its tests only."""
    mine = {"tests.test_worker.record_app_name", "tests.test_worker.sleep_for"}
    monkeypatch.setattr(jobs, "NAMES", jobs.NAMES | mine)


def record_app_name(marker: str) -> str:
    """A job that needs an app context to run."""
    return f"{current_app.name}:{marker}"


def test_job_runs_in_app_context_through_a_real_worker(app: Flask) -> None:
    job = enqueue(DEFAULT, "tests.test_worker.record_app_name", "x1", job_id="t-job-1")
    assert run_worker_burst(app) is True
    job.refresh()
    assert job.get_status() == "finished"
    assert job.return_value() == "app:x1"


def test_same_job_id_is_enqueued_once(app: Flask) -> None:
    enqueue(DEFAULT, "tests.test_worker.record_app_name", "a", job_id="t-job-2")
    enqueue(DEFAULT, "tests.test_worker.record_app_name", "a", job_id="t-job-2")
    assert get_queue(DEFAULT).count == 1


def sleep_for(seconds: float) -> str:
    """A job that takes a while (long enough to kill its worker mid-job)."""
    import time

    time.sleep(seconds)
    return "slept"


def test_dead_workers_job_is_requeued_within_two_minutes(app: Flask, tmp_path: Path) -> None:
    """kill -9 a real worker mid-job; the registry cleanup that maintenance runs requeues it in time."""
    job = enqueue(DEFAULT, "tests.test_worker.sleep_for", 60, job_id="t-slow", timeout=30)
    script = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.conftest import make_app; from pathlib import Path; from app import worker;"
        f"app = make_app({app.config['DATABASE_URL']!r}, Path({str(tmp_path)!r}));"
        "worker.make_worker(app, ('default',)).work(burst=True, with_scheduler=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": "."})
    try:
        deadline = time.monotonic() + 20
        while job.get_status(refresh=True) != "started":
            assert time.monotonic() < deadline, "worker never started the job"
            time.sleep(0.05)
        killed_at = time.time()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    registry = StartedJobRegistry(DEFAULT, connection=get_queue(DEFAULT).connection)
    scores = [score for _, score in registry.connection.zrange(registry.key, 0, -1, withscores=True)]
    assert scores, "the killed job should still be registered as started"
    expiry = max(scores)
    # Worst case: heartbeat expiry, then up to one maintenance interval plus one blocking dequeue.
    worst_case = expiry - killed_at + worker.MAINTENANCE_INTERVAL + (worker.WORKER_TTL - 15)
    assert worst_case <= 120
    registry.cleanup(timestamp=expiry + 1)
    job.refresh()
    assert job.get_status() in ("queued", "scheduled")
    assert job.retries_left == 4
