"""Nothing is lost: 503 while the database is down, the periodic jobs when Redis lost a job."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import InboundMessage, OutboundMessage
from app.models.base import utcnow
from app.periodic import PERIODIC, enqueue_due
from app.queues import SMS, get_queue
from app.sms.outbox import queue_sms
from app.sms.sending import Claimed, claim, send_claimed
from tests.conftest import make_app
from tests.helpers import run_worker_burst
from tests.sms_helpers import inbound_form, inbound_statuses, replies_to
from workers.sms_sweepers import sweep_outbox

PHONE = "+6281350000001"
CLOSED_DB = "postgresql+psycopg://postgres@127.0.0.1:1/melek_nowhere"


def seed(app: Flask) -> Flask:
    from app.seed import seed_demo, seed_regencies

    seed_regencies()
    seed_demo()
    return app


def test_database_down_answers_503_so_the_gateway_retries_and_nothing_is_lost(
    committed_app: Flask, tmp_path: Path
) -> None:
    # committed_app: the `app` fixture's rolled-back session would be shared with `down`.
    demo = seed(committed_app)
    down = make_app(CLOSED_DB, tmp_path / "down")
    response = down.test_client().post("/sms/inbound", data=inbound_form(PHONE, "INFO", "ATXid_sp1"))
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    # the gateway retries the same message once the database is back: stored and answered once
    for _ in range(2):
        assert demo.test_client().post("/sms/inbound", data=inbound_form(PHONE, "INFO", "ATXid_sp1")).status_code == 200
    run_worker_burst(demo)
    assert len(replies_to(PHONE)) == 1
    assert db.session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def age(model: type[OutboundMessage], minutes: int = 5) -> None:
    db.session.execute(update(model).values(created_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def test_redis_down_inbound_is_handled_by_the_periodic_job(demo: Flask) -> None:
    demo.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    demo.extensions.pop("redis", None)
    assert demo.test_client().post("/sms/inbound", data=inbound_form(PHONE, "INFO")).status_code == 200
    demo.config["REDIS_URL"] = make_app.__globals__["TEST_REDIS_URL"]
    demo.extensions.pop("redis", None)
    assert get_queue(SMS).count == 0  # no worker was woken
    assert "sms-wake-inbound" in enqueue_due(demo)
    run_worker_burst(demo)
    assert inbound_statuses(PHONE) == [("handled", "command info")]


def test_redis_down_outbox_row_is_resent_by_the_sweeper(app: Flask) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("redis", None)
    message = queue_sms(PHONE, "Halo")
    db.session.commit()
    app.config["REDIS_URL"] = make_app.__globals__["TEST_REDIS_URL"]
    app.extensions.pop("redis", None)
    assert get_queue(SMS).count == 0
    age(OutboundMessage)
    assert sweep_outbox() == 1
    run_worker_burst(app)
    db.session.refresh(message)
    assert message.status == "not_sent" and message.attempts == 1


def claimed_row(created_minutes_ago: int) -> int:
    """A reply row created `created_minutes_ago`, then claimed (`sending`) by a send job now."""
    message = queue_sms(PHONE, "Halo")
    message.created_at = utcnow() - timedelta(minutes=created_minutes_ago)
    db.session.commit()
    [row] = claim([message.id])
    return row.id


def test_a_row_claimed_long_ago_is_failed_not_resent(app: Flask) -> None:
    outbound_id = claimed_row(created_minutes_ago=30)
    db.session.execute(update(OutboundMessage).values(claimed_at=utcnow() - timedelta(minutes=11)))
    db.session.commit()
    assert sweep_outbox() == 0
    message = db.session.get(OutboundMessage, outbound_id)
    assert message is not None
    assert message.status == "failed" and "not resent" in (message.failure_reason or "")


def test_an_old_row_claimed_just_now_is_not_swept_and_its_result_is_written(app: Flask) -> None:
    outbound_id = claimed_row(created_minutes_ago=60)  # e.g. a retry long after creation
    assert sweep_outbox() == 0
    message = db.session.get(OutboundMessage, outbound_id)
    assert message is not None and message.status == "sending"
    send_claimed([Claimed(message.id, message.to, message.text, message.attempts)])
    db.session.refresh(message)
    assert (message.status, message.failure_reason) == ("not_sent", "kept: SMS_GATEWAY=outbox sends nothing")


def test_concurrent_duplicate_posts_are_answered_once(committed_app: Flask) -> None:
    seed(committed_app)
    form = inbound_form(PHONE, "INFO", "ATXid_dup")

    def post(_: int) -> int:
        return committed_app.test_client().post("/sms/inbound", data=form).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(post, range(16))) == {200}
    run_worker_burst(committed_app)
    assert len(replies_to(PHONE)) == 1


def test_periodic_jobs_are_enqueued_once_per_interval(app: Flask) -> None:
    assert enqueue_due(app) == [p.name for p in PERIODIC]
    assert enqueue_due(app) == []
    assert sum(get_queue(q).count for q in {p.queue for p in PERIODIC}) == len(PERIODIC)
    run_worker_burst(app)  # the sweepers run cleanly on an empty database


def test_a_periodic_job_is_not_retried(app: Flask) -> None:
    """A failed sweep waits for its next interval; retries would only pile up behind it."""
    enqueue_due(app)
    jobs = [job for q in {p.queue for p in PERIODIC} for job in get_queue(q).get_jobs()]
    assert len(jobs) == len(PERIODIC)
    assert all(not job.retries_left and not job.retry_intervals for job in jobs)


def test_a_delivery_report_while_the_database_is_down_is_503(committed_app: Flask, tmp_path: Path) -> None:
    down = make_app(CLOSED_DB, tmp_path / "down")
    report = {"id": "ATXid_dl1", "status": "Failed", "failureReason": "UserInBlackList", "phoneNumber": PHONE}
    assert down.test_client().post("/sms/delivery", data=report).status_code == 503


def test_a_nul_character_does_not_break_the_webhook(app: Flask) -> None:
    form = inbound_form(PHONE, "INFO\x00 tolong")
    assert app.test_client().post("/sms/inbound", data=form).status_code == 200
    assert db.session.scalars(select(InboundMessage.text)).all() == ["INFO tolong"]


def test_the_worker_thread_enqueues_the_periodic_jobs(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from app import periodic

    monkeypatch.setattr(periodic, "TICK", 0.05)
    stop = threading.Event()
    thread = periodic.start(app, stop)
    deadline = time.monotonic() + 5

    def waiting() -> int:
        return sum(get_queue(q).count for q in {p.queue for p in PERIODIC})

    while waiting() < len(PERIODIC) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=2)
    assert not thread.is_alive() and waiting() == len(PERIODIC)
