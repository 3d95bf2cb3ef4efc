"""The send job through the real africastalking SDK against the fake AT server."""

from __future__ import annotations

import pytest
from flask import Flask
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from app.extensions import db
from app.gateways.africastalking import point_sdk_at
from app.models import OutboundMessage
from app.queues import SMS, get_queue
from app.sms.outbox import queue_sms
from app.sms.sending import SendLater
from tests.fake_at import FakeAT, Step
from tests.helpers import run_worker_burst
from workers.sms import send_outbound

TO = "+6281350000001"


def queued(text: str = "Laporan diterima. Ref 12345678", to: str = TO) -> int:
    message = queue_sms(to, text)
    db.session.commit()
    return message.id


def test_a_reply_goes_out_with_the_right_form_fields(at_app: Flask, fake_at: FakeAT) -> None:
    outbound_id = queued()
    assert run_worker_burst(at_app) is True
    [request] = fake_at.requests
    assert request["_path"] == "/version1/messaging" and request["_apikey"] == "k-test"
    assert request["username"] == "melek" and request["to"] == TO and request["from"] == "MELEK"
    assert request["message"] == "Laporan diterima. Ref 12345678" and request["bulkSMSMode"] == "1"
    assert "enqueue" not in request  # one recipient: AT answers for it directly
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None
    db.session.refresh(row)
    assert (row.status, row.gateway_message_id, row.cost, row.attempts) == ("sent", "ATXid_fake1", "IDR 300.0000", 1)
    assert row.sent_at is not None


def test_a_500_is_retried_with_backoff_and_sent_once(at_app: Flask, fake_at: FakeAT) -> None:
    fake_at.script = [Step(http=500)]
    outbound_id = queued()
    run_worker_burst(at_app)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and (row.status, row.attempts) == ("queued", 1)
    assert f"sms-out-{outbound_id}" in ScheduledJobRegistry(queue=get_queue(SMS)).get_job_ids()
    send_outbound(outbound_id)  # the retry RQ scheduled, run now rather than in 5 s
    send_outbound(outbound_id)  # a stray duplicate job finds nothing to send
    db.session.refresh(row)
    assert (row.status, row.attempts, row.gateway_message_id) == ("sent", 2, "ATXid_fake1")
    assert len(fake_at.requests) == 2 and fake_at.numbers_sent() == [TO, TO]


def test_a_5xx_recipient_code_is_retried(at_app: Flask, fake_at: FakeAT) -> None:
    fake_at.script = [Step(codes={TO: 502})]
    outbound_id = queued()
    with pytest.raises(SendLater):
        send_outbound(outbound_id)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and (row.status, row.failure_reason) == ("queued", "502 RejectedByGateway")
    send_outbound(outbound_id)
    assert row.status == "sent"


def test_a_403_recipient_is_failed_with_its_reason_and_not_retried(at_app: Flask, fake_at: FakeAT) -> None:
    fake_at.codes[TO] = 403
    outbound_id = queued()
    run_worker_burst(at_app)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and (row.status, row.failure_reason) == ("failed", "403 InvalidPhoneNumber")
    assert ScheduledJobRegistry(queue=get_queue(SMS)).get_job_ids() == []
    send_outbound(outbound_id)
    assert len(fake_at.requests) == 1


@pytest.mark.parametrize("step", [Step(drop=True), Step(http=503)], ids=["dropped", "http503"])
def test_network_errors_put_the_row_back_for_a_retry(at_app: Flask, fake_at: FakeAT, step: Step) -> None:
    fake_at.script = [step]
    outbound_id = queued()
    with pytest.raises(SendLater):
        send_outbound(outbound_id)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and row.status == "queued" and row.attempts == 1


def test_sends_reuse_one_kept_alive_connection_through_the_sdk(at_app: Flask, fake_at: FakeAT) -> None:
    first, second = queued(), queued(to="+6281350000002")
    send_outbound(first)
    send_outbound(second)
    assert [r["to"] for r in fake_at.requests] == [TO, "+6281350000002"]
    assert fake_at.requests[0]["_client"] == fake_at.requests[1]["_client"]  # same source port: one connection


def test_a_dropped_kept_alive_connection_is_replaced(at_app: Flask, fake_at: FakeAT) -> None:
    send_outbound(queued())
    fake_at.script = [Step(drop=True)]
    with pytest.raises(SendLater):
        send_outbound(queued(to="+6281350000002"))
    send_outbound(queued(to="+6281350000003"))
    assert fake_at.numbers_sent()[-1] == "+6281350000003"
    assert fake_at.requests[-1]["_client"] != fake_at.requests[0]["_client"]


def test_a_closed_port_is_a_retryable_network_error(at_app: Flask) -> None:
    point_sdk_at(at_app.extensions.setdefault("sms_gateway", _gateway(at_app)).service, "http://127.0.0.1:1")
    outbound_id = queued()
    with pytest.raises(SendLater):
        send_outbound(outbound_id)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and row.status == "queued" and "ConnectionError" in (row.failure_reason or "")


def test_the_outbox_gateway_keeps_the_row_not_sent(app: Flask) -> None:
    outbound_id = queued()
    run_worker_burst(app)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and (row.status, row.gateway_message_id) == ("not_sent", None)


def _gateway(app: Flask):  # type: ignore[no-untyped-def]
    from app.gateways import get_gateway

    return get_gateway(app)


def test_a_command_reply_is_sent_by_the_handling_job_itself(demo: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    from tests.sms_helpers import text_in

    [reply] = text_in(at_app, TO, "INFO")
    assert [r["message"] for r in fake_at.requests] == [reply]
    assert get_queue(SMS).count == 0  # no second job for the reply


def test_a_reply_the_gateway_refused_for_now_goes_to_a_send_job(demo: Flask, fake_at: FakeAT, at_app: Flask) -> None:
    from tests.sms_helpers import inbound_form
    from workers.sms import handle_inbound

    fake_at.script = [Step(http=500)]
    at_app.test_client().post("/sms/inbound", data=inbound_form(TO, "INFO"))
    handle_inbound()
    row = db.session.scalars(select(OutboundMessage)).one()
    assert row.status == "queued" and f"sms-out-{row.id}" in get_queue(SMS).job_ids
    run_worker_burst(at_app)
    db.session.refresh(row)
    assert row.status == "sent" and len(fake_at.requests) == 2


def test_a_2xx_answer_that_is_not_json_counts_as_sent_never_resent(at_app: Flask, fake_at: FakeAT) -> None:
    fake_at.script = [Step(content_type="application/json; charset=utf-8")]  # the SDK then returns a str
    outbound_id = queued()
    send_outbound(outbound_id)
    send_outbound(outbound_id)
    row = db.session.get(OutboundMessage, outbound_id)
    assert row is not None and (row.status, row.gateway_message_id) == ("sent", None)
    assert "not JSON" in (row.failure_reason or "") and len(fake_at.requests) == 1
