"""Handling inbound SMS from the database: batches, leases, retries, each message answered once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import InboundMessage, OutboundMessage
from app.models.base import utcnow
from app.queues import SMS, get_queue
from app.sms import handling
from tests.fake_at import FakeAT
from tests.helpers import run_worker_burst
from tests.sms_helpers import inbound_form, inbound_statuses, replies_to
from workers.sms import handle_inbound

PHONE = "+6281350000001"


def post(app: Flask, text: str = "INFO", sender: str = PHONE) -> int:
    response = app.test_client().post("/sms/inbound", data=inbound_form(sender, text))
    assert response.status_code == 200
    return db.session.scalars(select(InboundMessage.id).order_by(InboundMessage.id.desc())).first() or 0


def test_many_messages_are_each_answered_once(demo: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    for _ in range(8):
        post(at_app)
    run_worker_burst(at_app)
    assert inbound_statuses(PHONE) == [("handled", "command info")] * 8
    assert len(replies_to(PHONE)) == 8 and len(fake_at.requests) == 8
    statuses = db.session.scalars(select(OutboundMessage.status)).all()
    assert list(statuses) == ["sent"] * 8  # every gateway result committed


def test_a_full_batch_wakes_another_job(demo: Flask) -> None:
    senders = [f"+62813500001{n:02d}" for n in range(handling.BATCH + 3)]
    for sender in senders:
        post(demo, sender=sender)
    get_queue(SMS).empty()
    handle_inbound()
    assert len(get_queue(SMS).jobs) == 1  # the rest of the backlog has a job coming
    run_worker_burst(demo)
    statuses = db.session.scalars(select(InboundMessage.status)).all()
    assert list(statuses) == ["ignored"] * len(senders)  # unknown numbers: each refused once, none left waiting


def test_a_message_leased_by_a_worker_that_died_is_taken_after_the_lease(demo: Flask) -> None:
    inbound_id = post(demo)
    [claimed] = handling.claim_waiting(5)  # a worker took it, then died
    assert claimed.id == inbound_id
    assert handle_inbound().startswith("0 ")  # leased: nobody else takes it meanwhile
    db.session.execute(update(InboundMessage).values(lease_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    handle_inbound()
    assert inbound_statuses(PHONE) == [("handled", "command info")]
    assert len(replies_to(PHONE)) == 1


def test_a_worker_whose_lease_was_taken_over_does_not_reply_twice(demo: Flask) -> None:
    post(demo)
    [first] = handling.claim_waiting(5)
    db.session.execute(update(InboundMessage).values(lease_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    [second] = handling.claim_waiting(5)  # the lease expired: another worker took it
    assert handling.handle(second) is not None
    assert handling.handle(first) is None  # the first worker comes back late: rolled back
    assert len(replies_to(PHONE)) == 1


def test_a_failing_message_is_retried_later_and_the_batch_goes_on(demo: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    bad, good = post(demo, "INFO"), post(demo, "HELP")
    real_decide = handling.decide

    def decide(inbound_id: int, sender: str, body: str) -> handling.Outcome:
        if inbound_id == bad:
            raise RuntimeError("back office exploded")
        return real_decide(inbound_id, sender, body)

    monkeypatch.setattr(handling, "decide", decide)
    handle_inbound()
    statuses = dict(db.session.execute(select(InboundMessage.id, InboundMessage.status)).all())
    assert (statuses[bad], statuses[good]) == ("received", "handled")
    assert handle_inbound().startswith("0 ")  # backing off: not taken again at once
    monkeypatch.undo()
    db.session.execute(update(InboundMessage).values(lease_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    handle_inbound()
    db.session.expire_all()
    assert db.session.get(InboundMessage, bad).status == "handled"  # type: ignore[union-attr]


def test_a_message_that_always_fails_is_given_up_for_an_operator(demo: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    inbound_id = post(demo)

    def decide(inbound_id: int, sender: str, body: str) -> handling.Outcome:
        raise RuntimeError("always")

    monkeypatch.setattr(handling, "decide", decide)
    for _ in range(handling.MAX_ATTEMPTS):
        db.session.execute(update(InboundMessage).values(lease_until=None))
        db.session.commit()
        handle_inbound()
    message = db.session.get(InboundMessage, inbound_id)
    assert message is not None and message.status == "failed" and "RuntimeError" in (message.note or "")
    assert replies_to(PHONE) == []


def test_the_periodic_job_handles_what_no_wake_up_reached(demo: Flask) -> None:
    post(demo)
    post(demo)
    get_queue(SMS).empty()  # the wake-up jobs were lost with Redis
    run_worker_burst(demo)
    assert [s for s, _ in inbound_statuses(PHONE)] == ["received", "received"]
    from app.periodic import enqueue_due

    assert "sms-wake-inbound" in enqueue_due(demo)
    run_worker_burst(demo)
    assert [s for s, _ in inbound_statuses(PHONE)] == ["handled", "handled"]
