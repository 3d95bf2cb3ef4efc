"""The job class: every job runs inside an app context, with a fresh database session."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import Flask
from rq.job import Job

from app.database import begin_writes_everywhere
from app.queues import PermanentFailure


class FlaskJob(Job):
    """Runs each job inside `app.app_context()`; the worker sets `FlaskJob.app` at start."""

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
