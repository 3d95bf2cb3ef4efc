"""Named RQ queues and the one way app/ enqueues work: by dotted function name."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from rq import Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

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
    retry: Retry | None = None,
    check_existing: bool = True,
    result_ttl: int | None = None,
    **kwargs: Any,
) -> Job:
    """Enqueue `func` (dotted path, e.g. "workers.sms.send_outbound") with JSON-able args.

    A deterministic `job_id` makes a repeat a no-op while the first job is still known to RQ;
    `check_existing=False` skips that lookup (one round trip) when the id is surely new.
    `result_ttl=0` keeps no result (a job whose result nobody reads; fewer Redis writes).
    """
    q = get_queue(queue)
    if job_id is not None and check_existing:
        existing = q.fetch_job(job_id)
        if existing is not None and existing.get_status(refresh=False) not in ("failed", "stopped", "canceled"):
            return existing
    return q.enqueue(
        func,
        args=args,
        kwargs=kwargs,
        job_id=job_id,
        job_timeout=timeout,
        retry=retry or default_retry(),
        result_ttl=current_app.config.get("JOB_RESULT_TTL", 600) if result_ttl is None else result_ttl,
        failure_ttl=7 * 24 * 3600,
    )
