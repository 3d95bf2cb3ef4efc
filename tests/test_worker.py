"""Jobs run through a real RQ SimpleWorker, inside an app context, with JSON arguments."""

from __future__ import annotations

from flask import Flask, current_app

from app.queues import DEFAULT, enqueue, get_queue
from tests.helpers import run_worker_burst


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
