"""SMS pumping: replies only to Indonesian mobiles, a daily cap per number and kind, an hourly budget."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from app.seed import DEMO_MSISDN
from app.sms.outbox import queue_sms
from tests.sms_helpers import text_in

OTHER_DEMO = "+6281350000003"


def rows_to(number: str) -> list[tuple[str, str | None]]:
    query = select(OutboundMessage.status, OutboundMessage.failure_reason).where(OutboundMessage.to == number)
    return [(status, reason) for status, reason in db.session.execute(query.order_by(OutboundMessage.id))]


@pytest.mark.parametrize("foreign", ["+447700900123", "+8823456789012", "+62215550123"])  # UK, satellite, ID fixed line
def test_a_reply_to_anything_but_an_indonesian_mobile_is_kept_not_sent(demo: Flask, foreign: str) -> None:
    text_in(demo, foreign, "INFO")
    assert rows_to(foreign) == [("not_sent", "reply refused: not_indonesian_mobile")]


def test_each_number_gets_at_most_the_daily_cap_of_one_kind(demo: Flask) -> None:
    demo.config["REPLY_DAILY_CAP"] = 2
    for _ in range(3):
        text_in(demo, DEMO_MSISDN, "INFO")
    reasons = [reason or "" for _, reason in rows_to(DEMO_MSISDN)]
    assert "refused" not in reasons[0] + reasons[1] and reasons[2] == "reply refused: daily_cap"
    text_in(demo, OTHER_DEMO, "INFO")  # another number has its own cap
    assert "refused" not in (rows_to(OTHER_DEMO)[0][1] or "")


def test_the_hourly_budget_trips_with_one_error_and_a_metric(demo: Flask, caplog: pytest.LogCaptureFixture) -> None:
    demo.config["REPLY_HOURLY_BUDGET"] = 2
    with caplog.at_level(logging.ERROR, logger="app.sms.reply_budget"):
        text_in(demo, DEMO_MSISDN, "INFO")
        text_in(demo, OTHER_DEMO, "INFO")
        text_in(demo, DEMO_MSISDN, "BANTUAN")
        text_in(demo, OTHER_DEMO, "HELP")
    assert rows_to(DEMO_MSISDN)[1] == ("not_sent", "reply refused: hourly_budget")
    assert rows_to(OTHER_DEMO)[1] == ("not_sent", "reply refused: hourly_budget")
    tripped = [r for r in caplog.records if r.levelno == logging.ERROR and "hourly budget" in r.getMessage()]
    assert len(tripped) == 1  # the alert, once per hour
    metrics = demo.test_client().get("/metrics").get_data(as_text=True)
    assert 'melek_sms_replies_refused{reason="hourly_budget"} 2.0' in metrics
    assert "melek_sms_replies_this_hour 4.0" in metrics


def test_broadcasts_alerts_and_admin_messages_are_not_replies(demo: Flask) -> None:
    demo.config["REPLY_HOURLY_BUDGET"] = 0
    demo.config["REPLY_DAILY_CAP"] = 0
    for kind in ("broadcast", "crisis", "status", "manual"):
        message = queue_sms(DEMO_MSISDN, "Uji", kind=kind)
        assert message.status == "queued" and message.failure_reason is None, kind
    db.session.commit()
