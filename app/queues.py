"""Named RQ queues and the one way app/ enqueues work: by a job name from app.jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from flask import Flask, current_app
from rq import Queue, Retry
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from app import jobs
from app.redis_client import get_redis

CRISIS, USSD, SMS, DEFAULT, BULK = "crisis", "ussd", "sms", "default", "bulk"
ALL = (CRISIS, USSD, SMS, DEFAULT, BULK)  # a worker drains them in this order of urgency


class PermanentFailure(Exception):
    """Raised by a job that retrying cannot fix: the job class sends it straight to failed."""


def default_retry() -> Retry:
    """Five retries backing off from 5 s to 10 min: rides out a gateway or back-office blip."""
    return Retry(max=5, interval=[5, 30, 120, 300, 600])


def get_queue(name: str, app: Flask | None = None) -> Queue:
    """A queue on the app's Redis using RQ's JSON serializer (job args must be JSON-able)."""
    if name not in ALL:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=get_redis(app), serializer=JSONSerializer)


def enqueue(
    queue: str,
    func: str,
    *args: Any,
    job_id: str | None = None,
    timeout: int = 60,
    retry: Retry | Literal[False] | None = None,
    check_existing: bool = True,
    result_ttl: int | None = None,
    at: datetime | None = None,
    delay: timedelta | None = None,
    **kwargs: Any,
) -> Job:
    """Enqueue `func` (a name in app.jobs) with JSON-able args: now, at `at`, or after `delay`.

    A deterministic `job_id` makes a repeat a no-op while the first job is still known to RQ;
    `check_existing=False` skips that lookup (one round trip) when the id is surely new. A
    job for later waits in RQ's scheduled registry; the workers' scheduler enqueues it then.
    `retry`: None is default_retry(); False is no retry at all (a job that runs again anyway).
    `result_ttl=0` keeps no result (a job whose result nobody reads; fewer Redis writes).
    """
    if func not in jobs.NAMES:
        raise ValueError(f"{func!r} is not a job in app.jobs")
    q = get_queue(queue)
    if job_id is not None and check_existing:
        existing = q.fetch_job(job_id)
        gone = (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)
        if existing is not None and existing.get_status(refresh=False) not in gone:
            return existing
    options: dict[str, Any] = {
        "args": args,
        "kwargs": kwargs,
        "job_id": job_id,
        "job_timeout": timeout,
        "retry": default_retry() if retry is None else retry or None,
        "result_ttl": int(current_app.config["JOB_RESULT_TTL"]) if result_ttl is None else result_ttl,
        "failure_ttl": 7 * 24 * 3600,
    }
    if delay is not None:
        at = datetime.now(UTC) + delay
    if at is not None:
        return q.enqueue_at(at, func, **options)
    return q.enqueue(func, **options)
