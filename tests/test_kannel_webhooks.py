"""GET|POST /sms/kannel/inbound and /sms/kannel/delivery: stored once, empty 200, guarded, bad input 400."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import InboundMessage, OutboundMessage
from app.queues import SMS, get_queue
from app.sms import inbound
from app.sms.outbox import queue_sms
from tests.conftest import make_app

UUID = "67a30021-3554-437e-8baa-d4424702bccc"
QUERY = f"from=6281350000001&to=98188&text=INFO&id={UUID}&time=2026-11-29+20:29:24&smsc=FAKE&coding=0&charset=UTF-8"


def stored() -> list[tuple[str, str, str, str]]:
    rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id))
    return [(r.gateway_id, r.sender, r.recipient, r.text) for r in rows]


def test_get_stores_once_and_answers_an_empty_200(app: Flask) -> None:
    client = app.test_client()
    for _ in range(3):  # smsbox retrying the same %I
        response = client.get("/sms/kannel/inbound?" + QUERY)
        assert (response.status_code, response.get_data()) == (200, b"")
    assert stored() == [(UUID, "+6281350000001", "98188", "INFO")]
    assert len(get_queue(SMS).job_ids) == 1  # one worker woken: handled once


def test_post_form_is_the_same_call(app: Flask) -> None:
    form = {"from": "6281350000002", "to": "98188", "text": "STATUS 123", "id": "u-2", "coding": "0"}
    response = app.test_client().post("/sms/kannel/inbound", data=form)
    assert (response.status_code, response.get_data()) == (200, b"")
    assert stored() == [("u-2", "+6281350000002", "98188", "STATUS 123")]


def test_ucs2_text_from_percent_b_is_decoded_by_its_charset(app: Flask) -> None:
    text = "LAPOR BANJIR air  naik – “cepat” 50% & +"
    raw = quote(text.encode("utf-16-be"))
    query = f"from=6281350000001&to=98188&text={raw}&id=u-3&coding=2&charset=UTF-16BE"
    assert app.test_client().get("/sms/kannel/inbound?" + query).status_code == 200
    assert stored()[0][3] == text


def test_gsm7_text_arrives_as_utf8(app: Flask) -> None:
    query = "from=6281350000001&to=98188&text=LAPOR++caf%C3%A9+50%25%2B%26%3Dx&id=u-4&coding=0&charset=UTF-8"
    assert app.test_client().get("/sms/kannel/inbound?" + query).status_code == 200
    assert stored()[0][3] == "LAPOR  café 50%+&=x"


def test_post_url_body_is_the_text_in_its_charset(app: Flask) -> None:
    """Kannel's post-url: the text as the body, sender and coding in the URL or X-Kannel headers."""
    body = "INFO – ya".encode("utf-16-be")
    response = app.test_client().post(
        "/sms/kannel/inbound?id=u-5&coding=2",
        data=body,
        headers={"Content-Type": 'text/plain; charset="UTF-16BE"', "X-Kannel-From": "6281350000003"}
        | {"X-Kannel-To": "98188"},
    )
    assert (response.status_code, response.get_data()) == (200, b"")
    assert stored() == [("u-5", "+6281350000003", "98188", "INFO – ya")]


@pytest.mark.parametrize("missing", ["from", "to", "text", "id"])
def test_a_missing_field_is_400_json_and_stores_nothing(app: Flask, missing: str) -> None:
    fields = dict(part.split("=", 1) for part in QUERY.split("&"))
    del fields[missing]
    response = app.test_client().get("/sms/kannel/inbound?" + "&".join(f"{k}={v}" for k, v in fields.items()))
    assert response.status_code == 400 and response.get_json()["missing"] == [missing]
    assert stored() == []


def test_an_empty_id_is_400_json(app: Flask) -> None:
    response = app.test_client().get("/sms/kannel/inbound?" + QUERY.replace(UUID, ""))
    assert response.status_code == 400 and "id" in response.get_json()["message"]


def test_not_kept_is_a_503_so_kannel_retries(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(message: object) -> None:
        raise inbound.NotKept("the database did not take the message")

    monkeypatch.setattr("app.webhooks.kannel.receive", refuse)
    response = app.test_client().get("/sms/kannel/inbound?" + QUERY)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"


def test_a_huge_body_is_refused_with_413(app: Flask) -> None:
    response = app.test_client().post("/sms/kannel/inbound?" + QUERY, data=b"x" * 100_000)
    assert response.status_code == 413 and stored() == []


@pytest.mark.parametrize("path", ["/sms/kannel/inbound", "/sms/kannel/delivery"])
def test_the_webhooks_are_guarded_like_the_others(database_url: str, tmp_path: Path, redis: object, path: str) -> None:
    guarded = make_app(database_url, tmp_path, WEBHOOK_TOKEN="s3cret-token", WEBHOOK_ALLOWED_IPS="127.0.0.0/8")
    client = guarded.test_client()
    assert client.get(path + "?" + QUERY).status_code == 403
    assert client.post(path + "?token=guess").status_code == 403
    outside = client.get(path + "?token=s3cret-token", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 403
    assert client.get(path + "?token=s3cret-token").status_code == 400  # through the guard: fields missing


def sent_row() -> OutboundMessage:
    message = queue_sms("+6281350000001", "Laporan diterima.")
    message.status = "sent"
    db.session.commit()
    return message


def report(app: Flask, message_id: int | str, status: int | str, answer: str = "", method: str = "GET") -> int:
    query = f"id={message_id}&status={status}&answer={quote(answer)}"
    client = app.test_client()
    response = (
        client.get("/sms/kannel/delivery?" + query)
        if method == "GET"
        else client.post("/sms/kannel/delivery", data={"id": message_id, "status": status, "answer": answer})
    )
    assert response.get_data() == b"" or response.status_code != 200
    return response.status_code


def test_accepted_by_the_smsc_then_delivered(app: Flask) -> None:
    message = sent_row()
    assert report(app, message.id, 8, "ACK/") == 200
    db.session.refresh(message)
    assert message.status == "sent"  # 8 (and 4): still on its way
    assert report(app, message.id, 1, method="POST") == 200
    assert report(app, message.id, 8, "ACK/") == 200  # Kannel's reports may come in either order
    db.session.refresh(message)
    assert message.status == "delivered" and message.delivered_at is not None


@pytest.mark.parametrize(("status", "reason"), [(2, "2 failed: expired"), (16, "16 rejected by SMSC: expired")])
def test_failed_or_rejected_fails_the_row_with_the_smscs_words(app: Flask, status: int, reason: str) -> None:
    message = sent_row()
    assert report(app, message.id, status, "expired") == 200
    db.session.refresh(message)
    assert (message.status, message.failure_reason) == ("failed", reason)


@pytest.mark.parametrize("bad", [("x", 1), (1, "delivered"), (-4, 1), (2**70, 1)])
def test_a_malformed_report_is_400_json(app: Flask, bad: tuple[object, object]) -> None:
    response = app.test_client().get(f"/sms/kannel/delivery?id={bad[0]}&status={bad[1]}")
    assert response.status_code == 400 and response.get_json()["message"]


def test_a_report_for_an_unknown_row_is_acknowledged(app: Flask) -> None:
    assert report(app, 987654, 1) == 200
    assert db.session.scalars(select(OutboundMessage)).all() == []
