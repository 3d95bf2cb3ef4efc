"""The inbox: new messages are drained in batches by a few jobs, and none waits without one."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import InboundMessage
from app.queues import SMS, get_queue
from app.redis_client import get_redis
from app.sms import inbox
from tests.fake_at import FakeAT
from tests.helpers import run_worker_burst
from tests.sms_helpers import inbound_form, inbound_statuses, replies_to
from workers.sms import handle_inbox

PHONE = "+6281350000001"


def post(app: Flask, text: str = "INFO") -> int:
    response = app.test_client().post("/sms/inbound", data=inbound_form(PHONE, text))
    assert response.status_code == 200
    return db.session.scalars(select(InboundMessage.id).order_by(InboundMessage.id.desc())).first() or 0


def drain_jobs() -> list[int]:
    """The slots of the drain jobs waiting in the `sms` queue."""
    return [job.args[0] for job in get_queue(SMS).jobs if job.func_name == "workers.sms.handle_inbox"]


def test_many_messages_wake_at_most_one_job_per_slot_and_each_is_answered_once(
    demo: Flask, fake_at: FakeAT, at_app: Flask
) -> None:
    for _ in range(8):
        post(at_app)
    assert sorted(drain_jobs()) == list(range(inbox.SLOTS))  # 8 messages, one job per slot
    assert inbox.waiting() == 8
    run_worker_burst(at_app)
    assert inbound_statuses(PHONE) == [("handled", "command info")] * 8
    assert len(replies_to(PHONE)) == 8 and len(fake_at.requests) == 8
    assert inbox.waiting() == 0 and get_queue(SMS).count == 0


def test_an_emptied_inbox_clears_the_wake_key_so_the_next_message_wakes_a_job(demo: Flask) -> None:
    first = post(demo)
    slot = first % inbox.SLOTS
    assert drain_jobs() == [slot]
    handle_inbox(slot)  # takes the message, finds the inbox empty, clears the key
    assert get_redis().exists(inbox.wake_key(slot)) == 0
    get_queue(SMS).empty()
    second = post(demo)
    while second % inbox.SLOTS != slot:  # land in the same slot again
        second = post(demo)
    assert slot in drain_jobs()


def test_a_message_pushed_while_a_job_drains_is_taken_by_it_not_left_behind(demo: Flask) -> None:
    first = post(demo)
    slot = first % inbox.SLOTS
    get_queue(SMS).empty()  # as if the job were running: its wake key is still set
    later = post(demo)
    while later % inbox.SLOTS != slot:
        later = post(demo)
    assert slot not in drain_jobs()  # no second job for a slot already draining ...
    handle_inbox(slot)
    statuses = dict(db.session.execute(select(InboundMessage.id, InboundMessage.status)).all())
    assert statuses[first] == statuses[later] == "handled"  # ... and the running one took it


def test_a_message_whose_handling_fails_goes_to_its_own_job_and_the_batch_goes_on(
    demo: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workers.sms_commands

    bad, good = post(demo, "INFO"), post(demo, "HELP")
    real_decide = workers.sms_commands.decide

    def decide(inbound_id: int, sender: str, body: str):  # type: ignore[no-untyped-def]
        if inbound_id == bad:
            raise RuntimeError("back office exploded")
        return real_decide(inbound_id, sender, body)

    monkeypatch.setattr("workers.sms.decide", decide)
    get_queue(SMS).empty()
    for slot in range(inbox.SLOTS):
        handle_inbox(slot)
    statuses = dict(db.session.execute(select(InboundMessage.id, InboundMessage.status)).all())
    assert (statuses[bad], statuses[good]) == ("received", "handled")
    assert get_queue(SMS).job_ids == [f"sms-in-{bad}"]  # retried on its own, with backoff
    monkeypatch.undo()
    run_worker_burst(demo)
    db.session.expire_all()
    assert db.session.get(InboundMessage, bad).status == "handled"  # type: ignore[union-attr]


def test_a_job_past_its_budget_hands_over_to_a_successor(demo: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbox, "DRAIN_BUDGET", -1.0)
    ids = [post(demo) for _ in range(8)]
    get_queue(SMS).empty()
    handle_inbox(0)  # one message, then over budget: the rest of its batch goes back
    assert inbox.waiting() == 8 - 1 and drain_jobs() == [0]
    run_worker_burst(demo)
    statuses = db.session.scalars(select(InboundMessage.status).where(InboundMessage.id.in_(ids))).all()
    assert list(statuses) == ["handled"] * 8


def test_an_id_already_handled_is_nothing_to_do(demo: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    inbound_id = post(at_app)
    run_worker_burst(at_app)
    get_redis().rpush(inbox.INBOX, inbound_id)  # e.g. the sweeper's job ran first
    handle_inbox(0)
    assert len(replies_to(PHONE)) == 1 and len(fake_at.requests) == 1


def test_a_replys_outcome_is_written_with_the_next_messages_commit(demo: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    from app.models import OutboundMessage
    from workers.sms import Replies, handle_message

    first, second = post(at_app), post(at_app)
    replies = Replies()
    _, reply = handle_message(first, replies)
    assert reply is not None
    replies.send(reply)
    db.session.rollback()  # what the database holds: claimed, outcome not written yet
    assert db.session.get(OutboundMessage, reply.id).status == "sending"  # type: ignore[union-attr]
    handle_message(second, replies)
    db.session.expire_all()
    row = db.session.get(OutboundMessage, reply.id)
    assert row is not None and (row.status, row.gateway_message_id) == ("sent", "ATXid_fake1")
    assert replies.unrecorded == []


def test_a_drained_inbox_leaves_every_reply_recorded(demo: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    from app.models import OutboundMessage

    for _ in range(3):
        post(at_app)
    run_worker_burst(at_app)
    statuses = db.session.scalars(select(OutboundMessage.status)).all()
    assert list(statuses) == ["sent"] * 3


def test_a_job_hands_over_as_soon_as_a_crisis_or_ussd_job_waits(demo: Flask) -> None:
    from app.queues import CRISIS, enqueue

    ids = [post(demo) for _ in range(8)]
    get_queue(SMS).empty()
    enqueue(CRISIS, "workers.crisis.escalate_overdue", retry=None)
    handle_inbox(0)  # one batch, then the worker should turn to the crisis queue
    assert inbox.waiting() == 8 - 5 and drain_jobs() == [0]
    get_queue(CRISIS).empty()
    handle_inbox(0)
    statuses = db.session.scalars(select(InboundMessage.status).where(InboundMessage.id.in_(ids))).all()
    assert list(statuses) == ["handled"] * 8 and inbox.waiting() == 0


def test_a_message_claimed_by_another_job_is_not_handled_twice(demo: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from workers import sms

    inbound_id = post(demo, "PIN 0000 4826")  # a wrong PIN: its count lives outside the transaction
    decided: list[int] = []
    real_decide = sms.decide
    monkeypatch.setattr(sms, "decide", lambda i, s, b: decided.append(i) or real_decide(i, s, b))
    assert inbox.claim(inbound_id)  # e.g. a drain job is on it while the sweeper's job runs
    assert sms.handle_inbound(inbound_id).endswith(sms.ELSEWHERE)
    assert decided == [] and inbound_statuses(PHONE) == [("received", None)]
    inbox.release(inbound_id)
    sms.handle_inbound(inbound_id)
    assert decided == [inbound_id] and inbound_statuses(PHONE)[0][0] == "handled"


def test_a_drain_job_that_fails_gives_its_ids_back(demo: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from workers import sms

    ids = [post(demo) for _ in range(3)]

    def database_gone(_ids: list[int]) -> dict[int, tuple[str, str]]:
        raise RuntimeError("database gone")

    monkeypatch.setattr(sms, "received", database_gone)
    with pytest.raises(RuntimeError):
        handle_inbox(0)
    assert get_redis().lrange(inbox.INBOX, 0, -1) == [str(i).encode() for i in ids]  # back, in order


def test_the_sweeper_leaves_a_backlog_to_the_drain_jobs(demo: Flask) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from app.models.base import utcnow
    from workers.sms_sweepers import sweep_inbound

    ids = [post(demo) for _ in range(3)]
    db.session.execute(update(InboundMessage).values(received_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    get_queue(SMS).empty()
    assert inbox.draining() and sweep_inbound() == 0  # in the inbox, a drain job on it
    get_redis().delete(inbox.INBOX)  # lost with Redis
    assert not inbox.draining() and sweep_inbound() == len(ids)
    assert sorted(get_queue(SMS).job_ids) == sorted(f"sms-in-{i}" for i in ids)
