"""Job names: one registry (app.jobs); every name resolves; enqueue now, at a time, or later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from rq.registry import ScheduledJobRegistry
from rq.utils import import_attribute

from app import jobs
from app.queues import CRISIS, enqueue, get_queue


@pytest.mark.parametrize("name", sorted(jobs.NAMES))
def test_every_registered_job_name_resolves_to_a_callable(name: str) -> None:
    assert callable(import_attribute(name))


def test_a_name_outside_the_registry_is_refused(app: Flask) -> None:
    with pytest.raises(ValueError, match="not a job"):
        enqueue(CRISIS, "workers.crisis.no_such_job")


@pytest.mark.parametrize("when", ["delay", "at"])
def test_a_job_for_later_waits_in_the_scheduled_registry(app: Flask, when: str) -> None:
    later = {"delay": {"delay": timedelta(minutes=5)}, "at": {"at": datetime.now(UTC) + timedelta(minutes=5)}}
    job = enqueue(CRISIS, jobs.ESCALATE_OVERDUE, job_id=f"later-{when}", **later[when])  # type: ignore[arg-type]
    queue = get_queue(CRISIS)
    assert queue.count == 0
    assert job.id in ScheduledJobRegistry(queue=queue).get_job_ids()
    again = enqueue(CRISIS, jobs.ESCALATE_OVERDUE, job_id=f"later-{when}", **later[when])  # type: ignore[arg-type]
    assert again.id == job.id and len(ScheduledJobRegistry(queue=queue)) == 1
