"""Per-number rate limiting and delivery reports."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import InboundMessage, OutboundMessage
from app.models.base import utcnow
from app.sms.outbox import queue_sms
from tests.helpers import run_worker_burst
from tests.sms_helpers import inbound_form, inbound_statuses, replies_to

PHONE = "+6281350000001"


def test_over_ten_a_minute_are_stored_and_marked_not_handled(demo: Flask) -> None:
    client = demo.test_client()
    for n in range(12):
        assert client.post("/sms/inbound", data=inbound_form(PHONE, "INFO", f"ATXid_rl{n}")).status_code == 200
    run_worker_burst(demo)
    statuses = [status for status, _ in inbound_statuses(PHONE)]
    assert statuses == ["handled"] * 10 + ["rate_limited"] * 2
    assert len(replies_to(PHONE)) == 10
    # other numbers are not affected
    client.post("/sms/inbound", data=inbound_form("+6281350000003", "INFO", "ATXid_other"))
    assert [s for s, _ in inbound_statuses("+6281350000003")] == ["received"]


def test_gateway_retries_of_one_message_do_not_use_up_the_limit(demo: Flask) -> None:
    client = demo.test_client()
    for _ in range(15):  # the gateway retrying one message every minute
        assert client.post("/sms/inbound", data=inbound_form(PHONE, "INFO", "ATXid_retried")).status_code == 200
    assert client.post("/sms/inbound", data=inbound_form(PHONE, "INFO", "ATXid_next")).status_code == 200
    run_worker_burst(demo)
    assert [status for status, _ in inbound_statuses(PHONE)] == ["handled", "handled"]


def test_a_rate_limited_pin_command_is_kept_without_the_pin(demo: Flask) -> None:
    client = demo.test_client()
    for n in range(10):
        client.post("/sms/inbound", data=inbound_form(PHONE, "INFO", f"ATXid_fill{n}"))
    client.post("/sms/inbound", data=inbound_form(PHONE, "PIN 7391 5820", "ATXid_pin"))
    last = db.session.scalars(select(InboundMessage).where(InboundMessage.gateway_id == "ATXid_pin")).one()
    assert last.status == "rate_limited" and "7391" not in last.text and "5820" not in last.text


def sent_row(app: Flask, gateway_id: str = "ATXid_d1") -> OutboundMessage:
    message = queue_sms(PHONE, "Halo")
    message.status, message.gateway_message_id, message.sent_at = "sent", gateway_id, utcnow()
    db.session.commit()
    return message


@pytest.mark.parametrize(
    ("form", "status", "reason"),
    [
        ({"status": "Success"}, "delivered", None),
        ({"status": "Failed", "failureReason": "UserInBlackList"}, "failed", "UserInBlackList"),
        ({"status": "Rejected", "failureReason": "InsufficientCredit"}, "failed", "InsufficientCredit"),
        ({"status": "Buffered"}, "sent", None),
    ],
)
def test_delivery_reports_update_the_row(app: Flask, form: dict[str, str], status: str, reason: str | None) -> None:
    message = sent_row(app)
    data = {"id": "ATXid_d1", "phoneNumber": PHONE, "networkCode": "51010", "retryCount": "0", **form}
    assert app.test_client().post("/sms/delivery", data=data).status_code == 200
    db.session.refresh(message)
    assert (message.status, message.failure_reason) == (status, reason)
    assert (message.delivered_at is not None) is (status == "delivered")


def test_a_final_delivery_report_begins_as_a_writer(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: the report reads its row, then writes; it takes the write lock first (any gateway)."""
    import app.sms.delivery as delivery

    begun: list[bool] = []
    monkeypatch.setattr(delivery, "begin_write", lambda: begun.append(True))
    message = sent_row(app)
    data = {"id": "ATXid_d1", "phoneNumber": PHONE, "status": "Success"}
    assert app.test_client().post("/sms/delivery", data=data).status_code == 200
    db.session.refresh(message)
    assert message.status == "delivered" and begun == [True]


def test_an_unknown_delivery_id_is_acknowledged(app: Flask) -> None:
    response = app.test_client().post("/sms/delivery", data={"id": "ATXid_nobody", "status": "Success"})
    assert response.status_code == 200
    assert db.session.scalars(select(OutboundMessage)).all() == []


def test_the_rate_window_always_expires(app: Flask, redis: Any) -> None:
    from app.sms.senders import within_rate_limit

    assert [within_rate_limit(PHONE, limit=2, window=60) for _ in range(3)] == [True, True, False]
    assert 0 < redis.ttl(f"melek:sms:rate:{PHONE}") <= 60


def test_a_report_as_soon_as_the_reply_is_sent_finds_it(demo: Flask, fake_at: Any, at_app: Flask) -> None:
    from tests.sms_helpers import text_in

    text_in(at_app, PHONE, "INFO")
    row = db.session.scalars(select(OutboundMessage)).one()
    data = {"id": row.gateway_message_id, "status": "Success", "phoneNumber": PHONE}
    assert at_app.test_client().post("/sms/delivery", data=data).status_code == 200
    db.session.refresh(row)
    assert row.status == "delivered"
